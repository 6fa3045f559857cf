"""Local additions (issue 12): a municipality's own indicators beside the official bank, without a fork."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from banks import LEVELS, SCALE, YES_NO
from samordna.core.errors import SamordnaError
from samordna.core.local import LocalAdditions, check_against, merge
from samordna.io.bankfile import load_bank, parse_bank

# A small bank in 2.0 form: a legal item, a statutory indicator, a core indicator and two optional ones.
BANK = f"""
id: mini
version: "2.0.0"
title: Mini
description: En liten bank for tester.
{SCALE}{YES_NO}
sources:
  - {{id: K1, kind: recommendation, title: Avtaler, short: K1, url: "https://example.org/k1", core: [SAM-01]}}
  - {{id: BVL, kind: law, title: Plan, short: "bvl. § 15-1", citation: "barnevernsloven § 15-1",
     url: "https://lovdata.no/lov/2021-06-18-97/§15-1", core: [LM-01, LED-01]}}
legal_minimum:
  - {{id: LM-01, short: Plan vedtatt, question: Har kommunestyret vedtatt planen?, help: h,
     who: Kommunedirektøren, references: [BVL], actions: [Legg planen fram]}}
domains:
  - id: LED
    name: Ledelse
    description: a
    indicators:
      - {{id: LED-01, short: Plan, statement: I vår kommune plan, help: h, evidence: [e], references: [BVL],
         statutory: [BVL], weight: 2, actions: [x], {LEVELS}}}
      - {{id: LED-02, short: Led2, statement: I vår kommune l2, help: h, evidence: [e], references: [K1],
         optional: true, actions: [x]}}
  - id: SAM
    name: Samarbeid
    description: b
    indicators:
      - {{id: SAM-01, short: Avtaler, statement: I vår kommune s1, help: h, evidence: [e], references: [K1],
         weight: 1.5, actions: [x], {LEVELS}}}
      - {{id: SAM-02, short: Møter, statement: I vår kommune s2, help: h, evidence: [e], references: [K1],
         optional: true, actions: [x]}}
"""

LOCAL = """\
format: samordna-lokale-tillegg/1
bank: mini
owner: Testvik kommune
hide: [SAM-02]
sources:
  - {id: SLT-PLAN, kind: other, title: SLT-planen for Testvik, short: SLT-planen, url: "https://example.org/slt"}
indicators:
  - domain: SAM
    id: SAM-L01
    short: Fast møte med politiet
    statement: I vår kommune møtes barnevernet og politiet fast hver måned.
    help: Tenk på det siste halve året.
    evidence: [Møteplan]
    references: [SLT-PLAN, K1]
    weight: 1
    actions: [Avtal faste møter]
"""


def write_bank(tmp_path: Path, text: str = BANK, name: str = "mini.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def mini():
    return parse_bank(BANK, Path("mini.yaml"))


def _additions(text: str = LOCAL) -> LocalAdditions:
    return LocalAdditions.model_validate(yaml.safe_load(text))


class _Doc:
    def where(self, loc) -> str:
        return "lokale-tillegg.yaml"


def test_merge_is_pure_and_marks_local_indicators(mini):
    add = _additions()
    assert check_against(mini, add, _Doc()) == []
    before = mini.model_dump()
    merged = merge(mini, add)
    assert mini.model_dump() == before  # the official bank is untouched
    assert "SAM-L01" not in mini.indicator_by_id and "SAM-02" in mini.indicator_by_id
    assert mini.local_owner is None and mini.label == "mini 2.0.0"

    assert [i.id for i in merged.domain_of["SAM-01"].indicators] == ["SAM-01", "SAM-L01"]
    assert "SAM-02" not in merged.indicator_by_id  # hidden
    local = merged.indicator_by_id["SAM-L01"]
    assert local.local and local.local_owner == "Testvik kommune"
    assert not merged.indicator_by_id["SAM-01"].local
    assert merged.local_owner == "Testvik kommune"
    assert merged.label == "mini 2.0.0 + lokale tillegg"
    assert merged.source_by_id["SLT-PLAN"].verdict is False  # a local source gets no verdict
    assert merged.item_ids == ["LM-01", "LED-01", "LED-02", "SAM-01", "SAM-L01"]
    assert "SAM-L01" not in merged.core_indicator_ids()  # never decides an official verdict
    assert merge(mini, add).model_dump() == merged.model_dump()  # same input, same bank


def _broken(mutate) -> str:
    data = yaml.safe_load(LOCAL)
    mutate(data)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def _ind(data) -> dict:
    return data["indicators"][0]


BROKEN = [
    ("clash", lambda d: _ind(d).update(id="SAM-01"), "indicators[0].id", "finnes allerede i banken mini 2.0.0"),
    ("not-local-id", lambda d: _ind(d).update(id="SAM-77"), "indicators[0].id", "«-L» og et nummer"),
    ("hide-not-optional", lambda d: d.update(hide=["LED-01"]), "hide[0]", "bare påstander merket valgfri"),
    ("hide-unknown", lambda d: d.update(hide=["LED-99"]), "hide[0]", "«LED-99» finnes ikke"),
    ("hide-legal", lambda d: d.update(hide=["LM-01"]), "hide[0]", "et lovkrav, ikke en påstand"),
    ("unknown-domain", lambda d: _ind(d).update(domain="XYZ", id="XYZ-L01"), "indicators[0].domain",
     "området «XYZ» finnes ikke"),
    ("unknown-reference", lambda d: _ind(d)["references"].append("FINNES-IKKE"), "indicators[0].references[2]",
     "ukjent kilde «FINNES-IKKE»"),
    ("statutory", lambda d: _ind(d).update(statutory=["BVL"]), "indicators[0].statutory", "kan ikke være lovpålagt"),
    ("set-local", lambda d: _ind(d).update(local=False), "indicators[0].local", "settes av samordna"),
    ("other-bank", lambda d: d.update(bank="en-annen-bank"), "bank", "gjelder banken «en-annen-bank»"),
    ("source-clash", lambda d: d["sources"][0].update(id="K1"), "sources[0].id", "finnes allerede i banken"),
    ("source-kind", lambda d: d["sources"][0].update(kind="recommendation"), "sources[0].kind",
     "hører til den offisielle banken"),
    ("wrong-format", lambda d: d.update(format="noe-annet/1"), "format", "ugyldig verdi"),
    ("unknown-key", lambda d: _ind(d).update(vekt=2), "indicators[0].vekt", "ukjent nøkkel"),
]


@pytest.mark.parametrize("mutate, key, expected", [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN])
def test_broken_local_file_names_file_line_and_key(cli, tmp_path, mutate, key, expected):
    bank = write_bank(tmp_path)
    local = tmp_path / "lokale-tillegg.yaml"
    local.write_text(_broken(mutate), encoding="utf-8")
    res = cli(["validate", local, "--bank", bank])
    assert res.exit_code == 2, res.output
    assert re.search(r"lokale-tillegg\.yaml, linje \d+ \(" + re.escape(key), res.stderr), res.stderr
    assert expected in res.stderr, res.stderr
    assert "Traceback" not in res.output


def test_valid_local_file_through_validate(cli, tmp_path):
    bank = write_bank(tmp_path)
    local = tmp_path / "lokale-tillegg.yaml"
    local.write_text(LOCAL, encoding="utf-8")
    res = cli(["validate", local, "--bank", bank])
    assert res.exit_code == 0, res.output
    assert "fra Testvik kommune passer til mini 2.0.0: 1 lokal påstand (SAM-L01), 1 skjult (SAM-02)" in res.stdout
    again = cli(["validate", bank, "--lokalt", local])  # the same check from the bank's side
    assert again.exit_code == 0, again.output
    assert "1 lokal påstand (SAM-L01)" in again.stdout


def test_hiding_every_indicator_of_a_domain_is_refused():
    no_core = (BANK.replace(", core: [SAM-01]", "").replace(", core: [LM-01, LED-01]", "")
               .replace("{id: SAM-01,", "{optional: true, id: SAM-01,"))
    bank = parse_bank(no_core, Path("mini.yaml"))
    kept = _additions(LOCAL.replace("hide: [SAM-02]", "hide: [SAM-01, SAM-02]"))
    assert check_against(bank, kept, _Doc()) == []  # the local indicator is left in SAM
    emptied = kept.model_copy(update={"indicators": []})
    problems = check_against(bank, emptied, _Doc())
    assert any("alle påstandene i området SAM Samarbeid er skjult" in p for p in problems), problems
    core = _additions(LOCAL.replace("hide: [SAM-02]", "hide: [SAM-01]"))
    optional_core = parse_bank(BANK.replace("{id: SAM-01,", "{optional: true, id: SAM-01,"), Path("mini.yaml"))
    assert any("vurderes etter den" in p for p in check_against(optional_core, core, _Doc()))


# --- in a workspace ------------------------------------------------------------


@pytest.fixture
def ws(tmp_path):
    from samordna.io.workspace import Workspace

    return Workspace.init(tmp_path / "testvik", "Testvik", "9998")


def _answer(rnd, code: str, answers: dict) -> None:
    pf = rnd.new_participant(code, "barnevern", "fil")
    from samordna.core.models import Answer

    pf.answers = {k: Answer(level=v) for k, v in answers.items()}
    rnd.save_participant(pf)


def test_round_new_copies_the_file_and_scoring_sees_the_local_indicator(cli, ws, tmp_path):
    from samordna.core.scoring import score_workspace_round
    from samordna.io.workspace import Workspace

    bank = write_bank(tmp_path)
    (ws.root / "lokale-tillegg.yaml").write_text(LOCAL, encoding="utf-8")
    res = cli(["round", "new", ws.root, "--bank", bank, "--year", "2026"])
    assert res.exit_code == 0, res.output
    assert "mini 2.0.0 + lokale tillegg" in res.stdout
    assert "Lokale tillegg fra Testvik kommune: 1 lokal påstand (SAM-L01), 1 skjult (SAM-02)" in res.stdout
    rdir = ws.root / "runder" / "2026"
    assert (rdir / "lokale-tillegg.yaml").read_text(encoding="utf-8") == LOCAL
    assert yaml.safe_load((rdir / "runde.yaml").read_text(encoding="utf-8"))["local_additions"] == "Testvik kommune"

    ws = Workspace(ws.root)
    rnd = ws.round()
    assert rnd.bank.local_owner == "Testvik kommune" and "SAM-L01" in rnd.bank.indicator_by_id
    assert rnd.official_bank.local_owner is None
    for code, lvl in (("A01", 3), ("B02", 1), ("C03", 2)):
        _answer(rnd, code, {"LM-01": "ja", "LED-01": 3, "SAM-01": 3, "SAM-L01": lvl})
    result = score_workspace_round(ws, rnd)
    assert result.local_indicators == ["SAM-L01"] and result.local_owner == "Testvik kommune"
    ind = next(i for i in result.indicators if i.id == "SAM-L01")
    assert ind.local and ind.level == 2
    assert "SAM-02" not in [i.id for i in result.indicators]
    # a later change to the workspace's file does not change the round already opened
    (ws.root / "lokale-tillegg.yaml").write_text(LOCAL.replace("hide: [SAM-02]", "hide: []"), encoding="utf-8")
    assert "SAM-02" not in Workspace(ws.root).round().bank.indicator_by_id
    listed = cli(["round", "list", ws.root])
    assert "+ lokale tillegg fra Testvik kommune" in listed.stdout


def test_a_round_without_the_file_is_unchanged(ws, tmp_path):
    bank_path = write_bank(tmp_path)
    rnd = ws.new_round(year=2026, bank_path=bank_path)
    assert not rnd.local_path.exists()
    assert "local_additions" not in yaml.safe_load((rnd.dir / "runde.yaml").read_text(encoding="utf-8"))
    assert rnd.bank is rnd.official_bank  # the official bank itself, not a merged copy
    assert rnd.bank.model_dump() == load_bank(bank_path).model_dump()
    assert rnd.bank.label == "mini 2.0.0"
    assert not any(i.local for i in rnd.bank.indicators)


def test_round_on_a_bank_the_file_does_not_fit_is_not_opened(cli, ws, tmp_path):
    """An upgrade to a bank without the domain a local indicator sits in: a clear message, nothing written."""
    (ws.root / "lokale-tillegg.yaml").write_text(LOCAL.replace("hide: [SAM-02]", "hide: []"), encoding="utf-8")
    new = BANK.replace('version: "2.0.0"', 'version: "3.0.0"').replace("id: SAM\n    name: Samarbeid",
                                                                        "id: SAX\n    name: Samarbeid")
    new = new.replace("SAM-0", "SAX-0")
    bank = write_bank(tmp_path, new, "mini-3.yaml")
    load_bank(bank)  # the new bank itself is fine
    before = sorted(p.relative_to(ws.root).as_posix() for p in ws.root.rglob("*"))
    res = cli(["round", "new", ws.root, "--bank", bank, "--year", "2027"])
    assert res.exit_code == 2, res.output
    assert "Runden er ikke åpnet" in res.stderr
    assert re.search(r"lokale-tillegg\.yaml, linje \d+ \(indicators\[0\]\.domain\): området «SAM» finnes ikke i "
                     r"banken mini 3\.0\.0", res.stderr), res.stderr
    assert sorted(p.relative_to(ws.root).as_posix() for p in ws.root.rglob("*")) == before


def test_round_missing_its_copy_of_the_file_says_so(ws, tmp_path):
    from samordna.io.workspace import Workspace

    (ws.root / "lokale-tillegg.yaml").write_text(LOCAL, encoding="utf-8")
    rnd = ws.new_round(year=2026, bank_path=write_bank(tmp_path))
    rnd.local_path.unlink()
    with pytest.raises(SamordnaError) as err:
        _ = Workspace(ws.root).round().bank
    assert "lokale tillegg fra Testvik kommune" in err.value.render()
    assert "lokale-tillegg.yaml mangler" in err.value.render()


def test_workspace_validate_checks_the_local_file(cli, ws, tmp_path):
    bank = write_bank(tmp_path)
    (ws.root / "lokale-tillegg.yaml").write_text(LOCAL, encoding="utf-8")
    ok = cli(["validate", ws.root, "--bank", bank])
    assert ok.exit_code == 0, ok.output
    assert "Lokale tillegg fra Testvik kommune (lokale-tillegg.yaml) passer til mini 2.0.0" in ok.stdout
    (ws.root / "lokale-tillegg.yaml").write_text(LOCAL.replace("hide: [SAM-02]", "hide: [SAM-01]"), encoding="utf-8")
    bad = cli(["validate", ws.root, "--bank", bank])
    assert bad.exit_code == 2
    assert re.search(r"lokale-tillegg\.yaml, linje 4 \(hide\[0\]\): «SAM-01» kan ikke skjules", bad.stderr), bad.stderr


def test_the_example_in_the_docs_fits_the_shipped_bank(cli, repo_root, tmp_path, bank):
    text = (repo_root / "docs" / "lokale-tillegg.md").read_text(encoding="utf-8")
    example = re.search(r"```yaml\n(.*?)```", text, re.S)
    assert example
    path = tmp_path / "lokale-tillegg.yaml"
    path.write_text(example.group(1), encoding="utf-8")
    res = cli(["validate", path])
    assert res.exit_code == 0, res.output
    merged = merge(bank, LocalAdditions.model_validate(yaml.safe_load(example.group(1))))
    assert merged.indicator_by_id["SAM-L01"].local
    # the error the page shows is the one samordna gives
    path.write_text(example.group(1).replace("domain: SAM ", "domain: SAX ").replace("SAM-L01", "SAX-L01"),
                    encoding="utf-8")
    res = cli(["validate", path])
    assert res.exit_code == 2
    shown = re.search(r"`(lokale-tillegg\.yaml, linje .*?)`", text, re.S)
    assert shown
    assert " ".join(shown.group(1).split()).rsplit(" ", 1)[0] in res.stderr, res.stderr  # but the version


def test_an_answer_to_a_hidden_indicator_says_it_is_hidden(cli, ws, tmp_path):
    (ws.root / "lokale-tillegg.yaml").write_text(LOCAL, encoding="utf-8")
    rnd = ws.new_round(year=2026, bank_path=write_bank(tmp_path))
    (rnd.answers_dir / "D01.yaml").write_text(
        "participant: D01\nsector: barnevern\nbank: {id: mini, version: 2.0.0}\nanswers:\n  SAM-02: {level: 2}\n",
        encoding="utf-8")
    res = cli(["score", ws.root])
    assert res.exit_code == 2
    assert "D01.yaml, linje 5 (answers.SAM-02): «SAM-02» er skjult i de lokale tilleggene for runden" in res.stderr
