"""The workspace: init, rounds, answer files, atomic writes, and clear errors for bad files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from samordna.core.errors import SamordnaError
from samordna.core.models import Answer
from samordna.io.atomic import atomic_write_text
from samordna.io.workspace import Workspace


def _snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_init_and_round_new_via_cli(cli, tmp_path):
    ws_dir = tmp_path / "fjellbygd"
    res = cli(["init", ws_dir, "--kommune", "Fjellbygd", "--kommunenummer", "9997"])
    assert res.exit_code == 0, res.output
    data = yaml.safe_load((ws_dir / "kommune.yaml").read_text(encoding="utf-8"))
    assert data["name"] == "Fjellbygd" and data["number"] == "9997"
    res = cli(["round", "new", ws_dir, "--year", "2025"])
    assert res.exit_code == 0, res.output
    assert "Åpnet runde 2025" in res.output
    assert (ws_dir / "runder" / "2025" / "bank.yaml").exists()
    rnd = yaml.safe_load((ws_dir / "runder" / "2025" / "runde.yaml").read_text(encoding="utf-8"))
    assert rnd["bank"] == {"id": "samordna-0-24", "version": "1.0.0"} or rnd["bank"]["id"] == "samordna-0-24"
    # a second round the same year only on purpose (tests/test_rounds.py), and then with its own id
    res = cli(["round", "new", ws_dir, "--year", "2025"])
    assert res.exit_code == 2 and Workspace(ws_dir).round_ids() == ["2025"]
    res = cli(["round", "new", ws_dir, "--year", "2025", "--ekstra"])
    assert res.exit_code == 0
    assert Workspace(ws_dir).round_ids() == ["2025", "2025-2"]
    res = cli(["round", "list", ws_dir])
    assert "2025-2" in res.output


@pytest.mark.parametrize(
    "args, expected",
    [
        (["--kommune", "X", "--kommunenummer", "12"], "fire sifre"),
        (["--kommune", "  ", "--kommunenummer", "1234"], "kan ikke være tomt"),
    ],
)
def test_init_rejects_bad_input(cli, tmp_path, args, expected):
    res = cli(["init", tmp_path / "ny", *args])
    assert res.exit_code == 2
    assert expected in res.stderr
    assert not (tmp_path / "ny").exists()


def test_init_refuses_existing_workspace(cli, sample_ws):
    before = _snapshot(sample_ws)
    res = cli(["init", sample_ws, "--kommune", "Annen", "--kommunenummer", "1111"])
    assert res.exit_code == 2
    assert "allerede et arbeidsområde" in res.stderr
    assert _snapshot(sample_ws) == before


def test_not_a_workspace(cli, tmp_path):
    res = cli(["score", tmp_path])
    assert res.exit_code == 2
    assert "ikke et samordna-arbeidsområde" in res.stderr
    assert "samordna init" in res.stderr


def test_participant_roundtrip(empty_ws):
    ws = Workspace(empty_ws)
    rnd = ws.round()
    pf = rnd.new_participant("D07", "barnevern", source="test")
    pf.answers["LED-01"] = Answer(level=3, comment="Planen er vedtatt.")
    pf.answers["TAU-02"] = Answer(level="vet_ikke")
    path = rnd.save_participant(pf)
    assert path.name == "D07.yaml"
    text = path.read_text(encoding="utf-8")
    assert "Planen er vedtatt." in text and text.startswith("#")
    back = rnd.load_participant("D07")
    assert back.answers["LED-01"].level == 3 and back.answers["TAU-02"].level == "vet_ikke"
    assert back.sector == "barnevern"


def _write_answers(ws_dir: Path, body: str, code: str = "D01") -> Path:
    rdir = next((ws_dir / "runder").iterdir())
    path = rdir / "svar" / f"{code}.yaml"
    path.write_text(body, encoding="utf-8")
    return path


SHIPPED_VERSION = yaml.safe_load((Path(__file__).resolve().parents[1] / "assessments" / "samordna-0-24.yaml")
                                 .read_text(encoding="utf-8"))["version"]
BANK_LINE = f"bank: {{id: samordna-0-24, version: {SHIPPED_VERSION}}}\n"


@pytest.mark.parametrize(
    "body, expected",
    [
        ("participant: D01\nsector: barnevern\n" + BANK_LINE + "answers:\n  LED-01: {level: 7}\n",
         ["D01.yaml, linje 5", "answers.LED-01.level", "ugyldig svar 7"]),
        ("participant: D01\nsector: barnevern\n" + BANK_LINE + "answers:\n  LED-99: {level: 2}\n",
         ["D01.yaml, linje 5", "ukjent indikator «LED-99»"]),
        ("participant: D01\nsector: bibliotek\n" + BANK_LINE + "answers: {}\n",
         ["D01.yaml, linje 2", "ukjent sektor «bibliotek»"]),
        ("participant: D01\nsector: barnevern\nbank: {id: samordna-0-24, version: 0.9.0}\nanswers: {}\n",
         ["D01.yaml, linje 3", "banken samordna-0-24 0.9.0", f"runden bruker samordna-0-24 {SHIPPED_VERSION}"]),
        ("participant: D01\nsector: barnevern\n" + BANK_LINE + "answers:\n  LED-01: {level: 2\n",
         ["D01.yaml, linje", "ikke gyldig YAML"]),
    ],
    ids=["level-out-of-range", "unknown-indicator", "unknown-sector", "other-bank-version", "malformed-yaml"],
)
def test_bad_answer_files_exit_2_with_place(cli, empty_ws, tmp_path, body, expected):
    _write_answers(empty_ws, body)
    before = _snapshot(empty_ws)
    out = tmp_path / "ut.json"
    for args in (["score", empty_ws], ["validate", empty_ws]):
        res = cli(args)
        assert res.exit_code == 2, res.output
        for fragment in expected:
            assert fragment in res.stderr, (fragment, res.stderr)
        assert "Traceback" not in res.output
    assert _snapshot(empty_ws) == before
    assert not out.exists()


def test_round_new_with_broken_bank_writes_nothing(cli, empty_ws, tmp_path):
    bad = tmp_path / "bank.yaml"
    bad.write_text("id: x\nversion: 1\n", encoding="utf-8")
    before = _snapshot(empty_ws)
    res = cli(["round", "new", empty_ws, "--bank", bad, "--year", "2027"])
    assert res.exit_code == 2
    assert "bank.yaml" in res.stderr
    assert _snapshot(empty_ws) == before


def test_unknown_round(cli, sample_ws):
    res = cli(["score", sample_ws, "--round", "1999"])
    assert res.exit_code == 2
    assert "Fant ikke runden «1999»" in res.stderr and "2024, 2025, 2026" in res.stderr


def test_atomic_write_keeps_old_file_when_interrupted(tmp_path, monkeypatch):
    path = tmp_path / "svar.yaml"
    atomic_write_text(path, "gammel\n")

    def boom(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(KeyboardInterrupt):
        atomic_write_text(path, "ny\n")
    assert path.read_text() == "gammel\n"
    assert [p.name for p in tmp_path.iterdir()] == ["svar.yaml"]  # no temp file left behind


def test_sample_municipality_is_valid_and_meets_the_brief(cli, repo_root):
    ws = Workspace(repo_root / "sample_municipality")
    assert ws.number == "9999"
    assert ws.round_ids() == ["2024", "2025", "2026"]
    for rnd in ws.rounds():
        parts = rnd.participants()
        assert 8 <= len(parts) <= 12
        assert len({p.sector for p in parts}) >= 6
        values = [a.level for p in parts for a in p.answers.values()]
        assert "vet_ikke" in values
        assert any(a.comment for p in parts for a in p.answers.values())
    res = cli(["validate", repo_root / "sample_municipality"])
    assert res.exit_code == 0, res.output


# --- the answer rules of bank 2.0: legal items ja/nei, indicators 0-4, statutory never «ikke relevant» ----------


@pytest.fixture
def ws2(tmp_path) -> Path:
    """A workspace with one round on a small bank in 2.0 form (legal item LM-01, statutory LED-01)."""
    from test_local_additions import write_bank

    ws = Workspace.init(tmp_path / "testvik", "Testvik", "9998")
    ws.new_round(year=2026, bank_path=write_bank(tmp_path))
    return ws.root


BANK2_LINE = "bank: {id: mini, version: 2.0.0}\n"


def _answer_file(answers: str) -> str:
    return "participant: D01\nsector: barnevern\n" + BANK2_LINE + "answers:\n" + answers


@pytest.mark.parametrize(
    "answers, expected",
    [
        ("  LM-01: {level: ja}\n  SAM-01: {level: ja}\n",
         ["D01.yaml, linje 6 (answers.SAM-01.level)", "«ja» er et svar på lovkravene", "SAM-01 er en påstand"]),
        ("  LED-01: {level: nei}\n", ["D01.yaml, linje 5 (answers.LED-01.level)", "besvares med 0–4 eller vet_ikke"]),
        ("  LM-01: {level: 3}\n", ["D01.yaml, linje 5 (answers.LM-01.level)", "LM-01 er et lovkrav",
                                   "ja, nei eller vet_ikke (ikke «3»)"]),
        ("  LM-01: {level: ikke_relevant}\n", ["D01.yaml, linje 5 (answers.LM-01.level)", "LM-01 er et lovkrav"]),
        ("  LM-99: {level: ja}\n", ["D01.yaml, linje 5", "ukjent indikator «LM-99»"]),
    ],
    ids=["ja-on-indicator", "nei-on-statutory", "level-on-legal", "not-applicable-on-legal", "unknown-legal"],
)
def test_wrong_kind_of_answer_is_an_error_with_line(cli, ws2, answers, expected):
    rdir = ws2 / "runder" / "2026"
    (rdir / "svar" / "D01.yaml").write_text(_answer_file(answers), encoding="utf-8")
    before = _snapshot(ws2)
    for args in (["score", ws2], ["validate", ws2, "--bank", rdir / "bank.yaml"]):
        res = cli(args)
        assert res.exit_code == 2, res.output
        for fragment in expected:
            assert fragment in res.stderr, (fragment, res.stderr)
    assert _snapshot(ws2) == before


def test_legal_answers_load_and_not_applicable_on_statutory_is_a_warning(cli, ws2):
    rdir = ws2 / "runder" / "2026"
    (rdir / "svar" / "D01.yaml").write_text(_answer_file(
        "  LM-01: {level: nei}\n  LED-01: {level: ikke_relevant}\n  LED-02: {level: ikke_relevant}\n"
        "  SAM-01: {level: vet_ikke}\n"), encoding="utf-8")
    rnd = Workspace(ws2).round()
    pf = rnd.load_participant("D01")
    assert pf.answers["LM-01"].level == "nei"
    assert rnd.warnings == ["D01.yaml, linje 6 (answers.LED-01.level): LED-01 er lovpålagt og kan ikke besvares "
                            "«ikke_relevant»; svaret telles ikke med (rett det i filen, eller svar på nytt)"]
    res = cli(["validate", ws2, "--bank", rdir / "bank.yaml"])
    assert res.exit_code == 0, res.output
    assert "Merk: D01.yaml, linje 6 (answers.LED-01.level): LED-01 er lovpålagt" in res.stdout


@pytest.mark.parametrize(
    "entries, expected",
    [
        ("  SAM-01: {level: vet_ikke, rationale: Uenige}\n",
         "konsensus.yaml, linje 3 (entries.SAM-01.level): «vet_ikke» kan bare stå i konsensus på lovkravene"),
        ("  LM-01: {level: 2, rationale: Usikre}\n", "konsensus.yaml, linje 3 (entries.LM-01.level): LM-01 er et lovkrav"),
        ("  SAM-01: {level: nei, rationale: Nei}\n", "konsensus.yaml, linje 3 (entries.SAM-01.level): «nei» er et svar"),
    ],
    ids=["dont-know-on-indicator", "level-on-legal", "no-on-indicator"],
)
def test_consensus_answer_rules(cli, ws2, entries, expected):
    rdir = ws2 / "runder" / "2026"
    (rdir / "konsensus.yaml").write_text(BANK2_LINE + "entries:\n" + entries, encoding="utf-8")
    res = cli(["validate", ws2, "--bank", rdir / "bank.yaml"])
    assert res.exit_code == 2, res.output
    assert expected in res.stderr, res.stderr


def test_consensus_on_legal_items_is_kept_first(ws2):
    from samordna.core.models import ConsensusEntry

    rnd = Workspace(ws2).round()
    rnd.save_consensus({"SAM-01": ConsensusEntry(level=3, rationale="Enige"),
                        "LM-01": ConsensusEntry(level="vet_ikke", rationale="Må sjekkes med kommunedirektøren")})
    assert list(rnd.consensus()) == ["LM-01", "SAM-01"]
    with pytest.raises(SamordnaError) as err:
        rnd.save_consensus({"SAM-01": ConsensusEntry(level="vet_ikke", rationale="Uenige")})
    assert "SAM-01: «vet_ikke» kan bare stå i konsensus på lovkravene" in err.value.render()
    pf = rnd.new_participant("D02", "barnevern", "fil")
    pf.answers = {"SAM-01": Answer(level="ja")}
    with pytest.raises(SamordnaError):
        rnd.save_participant(pf)
    assert not rnd.participant_path("D02").exists()
