"""Bank 2.0 through every way answers enter: the terminal (assess), the Excel forms (kit → import), answer files,
and consensus. The legal minimum (ja / nei / vet ikke) comes first; a statutory indicator cannot be «ikke relevant»;
level descriptors and local indicators are shown. A small hand-built bank, so the shipped bank's content can change.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import openpyxl
import pytest
import yaml

from banks import BANK_1_0
from samordna.core.answers import DONT_KNOW, NO, NOT_APPLICABLE, YES
from samordna.core.models import Answer
from samordna.demo.synthetic import legal_consensus_script, random_answers
from samordna.flows import assess as flow
from samordna.flows.consensus import legal_counts
from samordna.flows.prioritize import run_prioritize
from samordna.io.bankfile import load_bank
from samordna.io.form_layout import (
    COL_ANSWER,
    FIRST_ROW,
    LEGAL_LIST_NAME,
    LEVEL_LIST_NAME,
    SECTOR_CELL,
    SHEET_FORM,
    STATUTORY_LIST_NAME,
    fingerprint,
    layout,
)
from samordna.io.workspace import Workspace
from samordna.outputs.forms import fill_form
from samordna.ui.prompter import INTERRUPT, ScriptedPrompter

SMALL_BANK = """\
id: liten-bank
version: "2.0.0"
title: "Liten testbank"
description: "En liten bank for tester av det juridiske minimumet."
scale:
  levels:
    - {level: 0, name: "Ikke på plass", description: "Finnes ikke."}
    - {level: 1, name: "Påbegynt", description: "Startet."}
    - {level: 2, name: "Delvis på plass", description: "Delvis."}
    - {level: 3, name: "På plass", description: "Brukes."}
    - {level: 4, name: "På plass og fulgt opp", description: "Følges opp."}
  dont_know: {label: "Vet ikke", description: "Du vet ikke nok."}
  not_applicable: {label: "Ikke relevant", description: "Passer ikke."}
  yes: {label: "Ja", description: "Kravet er oppfylt."}
  no: {label: "Nei", description: "Kravet er ikke oppfylt."}
sources:
  - id: BVL15
    kind: law
    title: "Barnevernsloven § 15-1"
    short: "bvl. § 15-1"
    citation: "barnevernsloven § 15-1 andre ledd"
    url: "https://lovdata.no/lov/2021-06-18-97/§15-1"
    core: [LM-01, LED-01]
  - id: K3
    kind: recommendation
    title: "Samarbeid"
    short: "K3 Samarbeid"
    url: "https://example.org/k3"
    core: [LED-02]
legal_minimum:
  - id: LM-01
    short: "Plan vedtatt i kommunestyret"
    question: "Har kommunestyret vedtatt en plan for det forebyggende arbeidet?"
    help: "Planen skal vedtas av kommunestyret selv."
    who: "Kommunedirektørens stab eller politisk sekretariat"
    references: [BVL15]
    actions: ["Legg planen fram for kommunestyret."]
  - id: LM-02
    short: "Tilstandsrapport til kommunestyret"
    question: "Har kommunestyret fått en tilstandsrapport om barnevernet siste år?"
    help: "Rapporten skal legges fram hvert år."
    who: "Barnevernsleder"
    references: [BVL15]
    actions: ["Sett rapporten på kommunestyrets årshjul."]
domains:
  - id: LED
    name: "Ledelse"
    description: "Ledelse og planer."
    indicators:
      - id: LED-01
        short: "Planen brukes"
        statement: "Planen for det forebyggende arbeidet brukes i alle tjenestene."
        help: "Se etter om planen er kjent."
        evidence: ["Planen"]
        references: [BVL15]
        statutory: [BVL15]
        weight: 2.0
        actions: ["Gjør planen kjent."]
        levels:
          0: "Ingen plan."
          1: "Planen er under arbeid."
          2: "Planen er vedtatt, men lite kjent."
          3: "Planen er kjent og brukt i alle tjenestene."
          4: "Planen følges opp hvert år."
      - id: LED-02
        short: "Felles mål"
        statement: "Tjenestene har felles mål for samarbeidet."
        help: "Se etter skrevne mål."
        evidence: ["Målene"]
        references: [K3]
        weight: 1.5
        actions: ["Skriv felles mål."]
        levels:
          0: "Ingen felles mål."
          1: "Mål er drøftet."
          2: "Mål finnes for noen tjenester."
          3: "Felles mål for alle."
          4: "Målene følges opp."
      - id: LED-03
        short: "Ledermøte"
        statement: "Ledermøtet tar opp samarbeidet jevnlig."
        help: "Se i referatene."
        evidence: ["Referater"]
        references: [K3]
        actions: ["Sett samarbeid på agendaen."]
      - id: LED-L01
        short: "Lokalt ungdomsråd"
        statement: "Ungdomsrådet uttaler seg om planen."
        help: "Se etter uttalelsen."
        evidence: ["Uttalelsen"]
        references: [K3]
        actions: ["Send planen til ungdomsrådet."]
        local: true
        local_owner: "Testvik kommune"
"""
ITEMS = ["LM-01", "LM-02", "LED-01", "LED-02", "LED-03", "LED-L01"]


@pytest.fixture
def bank_file(tmp_path) -> Path:
    path = tmp_path / "liten-bank.yaml"
    path.write_text(SMALL_BANK, encoding="utf-8")
    return path


@pytest.fixture
def small_bank(bank_file):
    return load_bank(bank_file)


@pytest.fixture
def ws_dir(tmp_path, bank_file) -> Path:
    ws = Workspace.init(tmp_path / "testvik", "Testvik", "9998")
    ws.new_round(year=2026, bank_path=bank_file)
    return ws.root


def _round(ws_dir):
    return Workspace(ws_dir).round()


def on_disk(ws_dir, code="D05") -> dict:
    return yaml.safe_load(_round(ws_dir).participant_path(code).read_text(encoding="utf-8"))["answers"]


@pytest.fixture
def scripted(monkeypatch):
    """The CLI's prompter answers from a list: scripted([...]) before cli([...])."""
    holder: dict[str, ScriptedPrompter] = {}

    def use(answers):
        holder["p"] = ChoiceSpy(answers)
        monkeypatch.setattr("samordna.ui.prompter.terminal_prompter", lambda why: holder["p"])
        return holder["p"]

    return use


class ChoiceSpy(ScriptedPrompter):
    """Records the choices offered at each select."""

    def __init__(self, answers):
        super().__init__(answers)
        self.offered: dict[str, list] = {}

    def select(self, message, choices, default=None, instruction=None):
        self.offered[message] = list(choices)
        return super().select(message, choices, default, instruction)

    def checkbox(self, message, choices, checked=(), instruction=None):
        self.offered[message] = list(choices)
        return super().checkbox(message, choices, checked, instruction)


def _session(ws_dir, script, code="D05", sector="barnehage"):
    rnd = _round(ws_dir)
    pf = flow.existing_participant(rnd, code, None) or rnd.new_participant(code, sector, source="assess")
    return flow.AssessSession(rnd, pf, ChoiceSpy(script))


# --- assess in the terminal ------------------------------------------------------------------


def test_assess_asks_the_legal_minimum_first_and_stores_it(cli, ws_dir, scripted):
    p = scripted([True, "D05", "barnehage", YES, "", NO, "Ikke lagt fram i år", 2, "", INTERRUPT])
    res = cli(["assess", ws_dir])
    assert res.exit_code == 130, res.output
    asked = [m for kind, m in p.transcript if m.startswith("Ditt svar på")]
    assert asked == ["Ditt svar på LM-01:", "Ditt svar på LM-02:", "Ditt svar på LED-01:", "Ditt svar på LED-02:"]
    said = "\n".join(p.said)
    assert "JURIDISK MINIMUM: DET LOVEN KREVER" in said
    assert "Hvem vet svaret: Kommunedirektørens stab eller politisk sekretariat" in said
    assert "Lovkrav: barnevernsloven § 15-1 andre ledd" in said
    assert "Juridisk minimum · spørsmål 1 av 6" in said
    offered = [(c.title, c.value) for c in p.offered["Ditt svar på LM-01:"]][:3]
    assert offered == [("Ja", YES), ("Nei", NO), ("Vet ikke", DONT_KNOW)]
    assert on_disk(ws_dir) == {"LM-01": {"level": "ja"}, "LM-02": {"level": "nei", "comment": "Ikke lagt fram i år"},
                               "LED-01": {"level": 2}}
    assert "(3 av 6)" in res.stdout


def test_statutory_indicator_has_no_not_applicable_and_shows_descriptors_and_marks(ws_dir):
    s = _session(ws_dir, [YES, "", YES, "", 3, "", 2, "", 1, "", NOT_APPLICABLE, "", flow.DONE])
    s.run()
    offered = {m: [c.value for c in cs] for m, cs in s.p.offered.items()}
    assert NOT_APPLICABLE not in offered["Ditt svar på LED-01:"]  # statutory
    assert NOT_APPLICABLE in offered["Ditt svar på LED-02:"] and NOT_APPLICABLE in offered["Ditt svar på LED-L01:"]
    assert YES not in offered["Ditt svar på LED-01:"] and 2 not in offered["Ditt svar på LM-01:"]
    titles = [c.title for c in s.p.offered["Ditt svar på LED-02:"]]
    assert titles[2] == "2 – Delvis på plass: Mål finnes for noen tjenester."
    plain = [c.title for c in s.p.offered["Ditt svar på LED-03:"]]
    assert plain[2] == "2  Delvis på plass"  # no descriptors: the scale's names, as before
    said = "\n".join(s.p.said)
    assert "Lovpålagt (barnevernsloven § 15-1 andre ledd): kan ikke svares «Ikke relevant»." in said
    assert "Lokal påstand, lagt til av Testvik kommune." in said
    assert "Juridisk minimum: det loven krever: 2 ja, 0 nei, 0 vet ikke (2 av 2 besvart)" in said
    assert list(on_disk(ws_dir)) == ITEMS


def test_long_descriptors_are_cut_on_screen_and_whole_below(ws_dir, small_bank, monkeypatch):
    monkeypatch.setenv("COLUMNS", "60")
    s = _session(ws_dir, [INTERRUPT])
    choices = s._choices(small_bank.indicator_by_id["LED-01"], [])
    assert all(len(c.title) <= flow.width() for c in choices)
    assert "Planen er kjent og brukt i alle tjenestene." in choices[3].description.replace("\n  ", " ")


def test_resume_review_and_progress_include_the_legal_minimum(ws_dir):
    s = _session(ws_dir, [flow.SKIP, NO, "", INTERRUPT])
    with pytest.raises(KeyboardInterrupt):
        s.run()
    assert on_disk(ws_dir) == {"LM-02": {"level": "nei"}}
    again = _session(ws_dir, [INTERRUPT])
    assert again.first_open() == 0 and again.n_answered == 1 and len(again.inds) == 6
    # review: the legal minimum is its own area; change LM-02 from nei to ja
    r = _session(ws_dir, ["@juridisk", "LM-02", YES, "", flow.BACK, flow.DONE])
    r.review()
    assert on_disk(ws_dir) == {"LM-02": {"level": "ja"}}
    menu = [c.title for c in r.p.offered["Hvilke svar vil du se på?"]]
    assert menu[1] == "Juridisk minimum: det loven krever (1 av 2 besvart)"


def test_intro_mentions_the_legal_minimum(ws_dir):
    text = flow.intro_text(_round(ws_dir))
    assert "Først kommer 2 spørsmål om det loven krever" in text
    assert "kan ikke svares «Ikke relevant»" in text


# --- answer files ----------------------------------------------------------------------------


def test_answer_file_with_legal_answers_and_refusals(cli, ws_dir, tmp_path):
    good = tmp_path / "svar.yaml"
    good.write_text("participant: D07\nsector: nav\nanswers:\n  LED-01: 2\n  LM-02: vet ikke\n  LM-01: nei\n",
                    encoding="utf-8")
    res = cli(["assess", ws_dir, "--answers", good])
    assert res.exit_code == 0, res.output
    assert list(on_disk(ws_dir, "D07").items()) == [("LM-01", {"level": "nei"}), ("LM-02", {"level": "vet_ikke"}),
                                                    ("LED-01", {"level": 2})]
    bad = tmp_path / "feil.yaml"
    bad.write_text("participant: D08\nsector: nav\nanswers:\n  LM-01: 3\n  LED-01: ikke relevant\n  LED-02: ja\n",
                   encoding="utf-8")
    res = cli(["assess", ws_dir, "--answers", bad])
    assert res.exit_code == 2
    assert "feil.yaml, linje 4 (answers.LM-01)" in res.stderr and "«ja», «nei» eller «vet ikke»" in res.stderr
    assert "feil.yaml, linje 5 (answers.LED-01)" in res.stderr and "lovpålagt plikt" in res.stderr
    assert "feil.yaml, linje 6 (answers.LED-02)" in res.stderr and "«ja»" in res.stderr
    assert not _round(ws_dir).participant_path("D08").exists()


def test_answer_csv_reads_the_legal_minimum(cli, ws_dir, tmp_path):
    path = tmp_path / "svar.csv"
    path.write_text("id;svar;kommentar\nLM-01;Ja;Sak 12/25\nLED-01;ikke relevant;\n", encoding="utf-8")
    res = cli(["assess", ws_dir, "--answers", path, "--participant", "D09", "--sector", "nav"])
    assert res.exit_code == 2
    assert "svar.csv, rad 3, kolonne «svar»" in res.stderr and "lovpålagt plikt" in res.stderr
    path.write_text("id;svar;kommentar\nLM-01;Ja;Sak 12/25\n", encoding="utf-8")
    res = cli(["assess", ws_dir, "--answers", path, "--participant", "D09", "--sector", "nav"])
    assert res.exit_code == 0, res.output
    assert on_disk(ws_dir, "D09") == {"LM-01": {"level": "ja", "comment": "Sak 12/25"}}


# --- forms: kit and import -------------------------------------------------------------------


def _kit(cli, ws_dir, out, n=2) -> list[Path]:
    res = cli(["kit", ws_dir, "--participants", n, "--out", out, "--no-pdf"])
    assert res.exit_code == 0, res.output
    return sorted(p for p in out.glob("svarskjema-*.xlsx") if not p.stem.endswith("-blankt"))


def _validations(ws) -> dict[str, str]:
    """Answer cell -> the list its dropdown uses."""
    out = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            for row in range(rng.min_row, rng.max_row + 1):
                out[f"{COL_ANSWER}{row}"] = dv.formula1
    return out


def test_form_has_a_legal_block_first_and_statutory_dropdown(cli, ws_dir, tmp_path, small_bank):
    form = _kit(cli, ws_dir, tmp_path / "kit", n=1)[0]
    wb = openpyxl.load_workbook(form)
    ws = wb[SHEET_FORM]
    rows = {row.id: row.row for row in layout(small_bank)}
    assert ws[f"A{FIRST_ROW}"].value == "§" and ws[f"B{FIRST_ROW}"].value == "Juridisk minimum: det loven krever"
    assert rows["LM-01"] == FIRST_ROW + 1 and rows["LED"] == FIRST_ROW + 3
    assert ws[f"B{rows['LM-01']}"].value == small_bank.legal_by_id["LM-01"].question
    help_lm = ws[f"C{rows['LM-01']}"].value
    assert "Hvem vet svaret: Kommunedirektørens stab" in help_lm and "Lovkrav: barnevernsloven § 15-1" in help_lm
    help_led = ws[f"C{rows['LED-01']}"].value
    assert help_led.startswith("Lovpålagt (barnevernsloven § 15-1 andre ledd): kan ikke svares «Ikke relevant».")
    assert "2 – Delvis på plass: Planen er vedtatt, men lite kjent." in help_led
    assert ws[f"C{rows['LED-L01']}"].value.startswith("Lokal påstand (Testvik kommune).")
    lists = _validations(ws)
    assert lists[f"D{rows['LM-01']}"] == lists[f"D{rows['LM-02']}"] == LEGAL_LIST_NAME
    assert lists[f"D{rows['LED-01']}"] == STATUTORY_LIST_NAME
    assert lists[f"D{rows['LED-02']}"] == lists[f"D{rows['LED-L01']}"] == LEVEL_LIST_NAME
    names = wb.defined_names
    assert "Ikke relevant" not in [c.value for c in wb["Lister"]["C"]]
    assert [c.value for c in wb["Lister"]["D"][1:4]] == ["Ja", "Nei", "Vet ikke"]
    assert LEGAL_LIST_NAME in names and STATUTORY_LIST_NAME in names


def test_form_answered_nei_imports(cli, ws_dir, tmp_path):
    form = _kit(cli, ws_dir, tmp_path / "kit", n=1)[0]
    answers = {"LM-01": Answer(level=NO, comment="Planen er ikke vedtatt."), "LM-02": Answer(level=DONT_KNOW),
               "LED-01": Answer(level=1), "LED-02": Answer(level=NOT_APPLICABLE)}
    fill_form(form, "Barnehage", answers)
    res = cli(["import", ws_dir, form, "--godta-delvise"])  # only some rows are filled in here
    assert res.exit_code == 0, res.output
    assert on_disk(ws_dir, form.stem.rsplit("-", 1)[1]) == {"LM-01": {"level": "nei", "comment": "Planen er ikke vedtatt."},
                                      "LM-02": {"level": "vet_ikke"}, "LED-01": {"level": 1},
                                      "LED-02": {"level": "ikke_relevant"}}


@pytest.mark.parametrize(("item", "typed", "expected"), [
    ("LED-01", "Ikke relevant", "«Ikke relevant» kan ikke brukes på LED-01: det er en lovpålagt plikt"),
    ("LED-01", "IR", "lovpålagt plikt"),
    ("LM-01", "3 – På plass", "er ikke et svar på LM-01 i det juridiske minimumet. Velg «Ja», «Nei» eller «Vet ikke»"),
    ("LM-01", "Kanskje", "Velg «Ja», «Nei» eller «Vet ikke»"),
    ("LED-02", "Ja", "«Ja» er ikke et svar i listen"),
])
def test_form_refuses_answers_the_row_does_not_allow(cli, ws_dir, tmp_path, small_bank, item, typed, expected):
    form = _kit(cli, ws_dir, tmp_path / "kit", n=1)[0]
    fill_form(form, "Barnehage", {"LED-03": Answer(level=2)})
    wb = openpyxl.load_workbook(form)
    row = next(r.row for r in layout(small_bank) if r.id == item)
    wb[SHEET_FORM][f"{COL_ANSWER}{row}"] = typed
    wb.save(form)
    res = cli(["import", ws_dir, form, "--godta-delvise"])  # only some rows are filled in here
    assert res.exit_code == 2
    assert f"{form.name}, ark «{SHEET_FORM}», celle {COL_ANSWER}{row}: " in res.stderr
    assert expected in res.stderr
    assert _round(ws_dir).participant_codes() == []  # nothing written


def test_paper_shortcuts_on_the_legal_rows(cli, ws_dir, tmp_path, small_bank):
    form = _kit(cli, ws_dir, tmp_path / "kit", n=1)[0]
    wb = openpyxl.load_workbook(form)
    ws = wb[SHEET_FORM]
    rows = {r.id: r.row for r in layout(small_bank)}
    ws[SECTOR_CELL] = "Barnehage"
    ws[f"{COL_ANSWER}{rows['LM-01']}"] = "n"
    ws[f"{COL_ANSWER}{rows['LM-02']}"] = "VI"
    ws[f"{COL_ANSWER}{rows['LED-01']}"] = 3
    wb.save(form)
    res = cli(["import", ws_dir, form, "--godta-delvise"])  # only some rows are filled in here
    assert res.exit_code == 0, res.output
    assert on_disk(ws_dir, form.stem.rsplit("-", 1)[1]) == {"LM-01": {"level": "nei"}, "LM-02": {"level": "vet_ikke"},
                                      "LED-01": {"level": 3}}


def test_a_1_0_form_keeps_its_fingerprint():
    """Forms handed out for a 1.0.0 round before bank 2.0 still import: same rows, lists and fingerprint."""
    old = load_bank(BANK_1_0)
    assert fingerprint(old) == "44c6765903ee442b0c59"
    assert [r.kind for r in layout(old)][:2] == ["domain", "indicator"]


# --- consensus ---------------------------------------------------------------------------------


def _answer_all(ws_dir, per_person: list[dict[str, object]]) -> None:
    rnd = _round(ws_dir)
    for k, answers in enumerate(per_person, start=1):
        pf = rnd.new_participant(f"D{k:02d}", "barnehage", source="demo")
        pf.answers = {i: Answer(level=v) for i, v in answers.items()}
        rnd.save_participant(pf)


def test_consensus_records_the_legal_minimum_first_with_documentation(cli, ws_dir, scripted):
    _answer_all(ws_dir, [{"LM-01": YES, "LED-01": 2}, {"LM-01": NO, "LED-01": 3}, {"LM-01": DONT_KNOW, "LED-01": 2}])
    p = scripted([NO, "Ikke vedtatt; sak 45/25 kommer i mars. https://example.org/sak/45", "", INTERRUPT])
    res = cli(["consensus", ws_dir])
    assert res.exit_code == 130, res.output
    assert p.transcript[0] == ("select", "Gruppens svar på LM-01")
    said = "\n".join(p.said)
    assert "1 av 3 svarte «nei», 1 svarte «vet ikke»." in said
    assert "Lovkrav: barnevernsloven § 15-1 andre ledd" in said
    assert "Hvem vet svaret: Kommunedirektørens stab" in said
    assert [c.value for c in p.offered["Gruppens svar på LM-01"]][:3] == [YES, NO, DONT_KNOW]
    assert p.transcript[1] == ("text", "Dokumentasjon (saksnummer, lenke eller vedtak – én setning)")
    saved = yaml.safe_load((_round(ws_dir).consensus_path).read_text(encoding="utf-8"))["entries"]
    assert saved["LM-01"]["level"] == "nei"
    assert saved["LM-01"]["rationale"].startswith("Ikke vedtatt; sak 45/25")
    # the next question was the statutory indicator: no «ikke relevant», descriptors next to the spread
    assert p.transcript[-1] == ("select", "Gruppens nivå for LED-01")
    assert NOT_APPLICABLE not in [c.value for c in p.offered["Gruppens nivå for LED-01"]]
    assert "lovpålagt (barnevernsloven § 15-1 andre ledd): ikke «ikke relevant»" in "\n".join(p.said)
    bars = [line for line in p.said if line.lstrip().startswith("2 Delvis på plass")]
    assert bars and bars[0].endswith("Planen er vedtatt, men lite kjent.")


def test_consensus_resumes_after_the_legal_items_and_counts_them(cli, ws_dir, scripted):
    _answer_all(ws_dir, [{"LM-01": YES, "LM-02": NO, "LED-03": 2}, {"LM-01": YES, "LED-03": 3}])
    rnd = _round(ws_dir)
    counts = legal_counts(rnd)
    assert (counts["LM-01"].n_yes, counts["LM-02"].n_no, counts["LM-02"].n_responses) == (2, 1, 1)
    assert counts["LM-01"].suggestion() == YES and counts["LM-02"].suggestion() == NO
    script = legal_consensus_script(rnd, random.Random(1))
    assert script[0] == YES and script[3] == NO and len(script) == 6
    scripted([*script, 2, "Gruppen landet på 2.", ""])
    res = cli(["consensus", ws_dir])
    assert res.exit_code == 0, res.output
    assert "3 av 6 påstander har konsensus" in res.stdout
    entries = _round(ws_dir).consensus()
    assert {k: e.level for k, e in entries.items()} == {"LM-01": YES, "LM-02": NO, "LED-03": 2}
    assert legal_consensus_script(_round(ws_dir), random.Random(1)) == []


def test_priorities_mark_statutory_and_local(ws_dir):
    _answer_all(ws_dir, [{"LED-01": 0, "LED-02": 3, "LED-03": 3, "LED-L01": 0}] * 3)
    p = ChoiceSpy([["LED-01", "LED-L01"], True])
    ws = Workspace(ws_dir)
    assert run_prioritize(ws, ws.round(), p, min_n=1, max_n=2) == ["LED-01", "LED-L01"]
    titles = {c.value: c.title for c in p.offered["Velg 1–2 prioriteringer"]}
    assert "lovpålagt" in titles["LED-01"] and "lokal" not in titles["LED-01"]
    assert "lokal" in titles["LED-L01"] and "lovpålagt" not in titles["LED-L01"]


# --- synthetic answers ---------------------------------------------------------------------------


def test_random_answers_respect_the_bank(small_bank):
    rng = random.Random(7)
    seen: set[object] = set()
    for k in range(60):
        answers = random_answers(small_bank, rng, mean=2.0, sector="ledelse" if k % 3 == 0 else "nav")
        assert list(answers)[:2] == ["LM-01", "LM-02"]
        for item_id, a in answers.items():
            assert small_bank.allows(item_id, a.level), (item_id, a.level)
        seen |= {answers["LM-01"].level, answers["LM-02"].level}
    assert seen == {YES, NO, DONT_KNOW}


def test_random_answers_on_a_1_0_bank_are_unchanged():
    old = load_bank(BANK_1_0)
    answers = random_answers(old, random.Random(3), 2.0)
    assert list(answers) == [ind.id for ind in old.indicators]
    # the same draws as before bank 2.0 (the sample municipality's 1.0 rounds stay as they were)
    assert [a.level for a in answers.values()][:12] == [1, 2, 1, 2, 1, NOT_APPLICABLE, 3, NOT_APPLICABLE,
                                                        DONT_KNOW, 2, 3, 2]


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) er ikke installert")
def test_bank_2_form_survives_libreoffice_and_imports(cli, ws_dir, tmp_path):
    """The three dropdown lists (levels, statutory, legal) and the legal block survive a save in LibreOffice."""
    from test_kit_libreoffice import soffice

    form = _kit(cli, ws_dir, tmp_path / "kit", n=1)[0]
    answers = {"LM-01": Answer(level=NO), "LM-02": Answer(level=YES, comment="Sak 12/26"),
               "LED-01": Answer(level=DONT_KNOW), "LED-02": Answer(level=NOT_APPLICABLE), "LED-L01": Answer(level=3)}
    fill_form(form, "Barnevern", answers)
    profile = tmp_path / "lo-profile"
    pdf = soffice(form, "pdf", tmp_path / "pdf", profile)
    assert pdf.read_bytes().startswith(b"%PDF")
    saved = soffice(form, "xlsx:Calc MS Excel 2007 XML", tmp_path / "lo", profile)
    wb = openpyxl.load_workbook(saved)
    formulas = {dv.formula1 for dv in wb[SHEET_FORM].data_validations.dataValidation if dv.type == "list"}
    assert {LEVEL_LIST_NAME, STATUTORY_LIST_NAME, LEGAL_LIST_NAME} <= formulas
    res = cli(["import", ws_dir, saved, "--godta-delvise"])  # only some rows are filled in here
    assert res.exit_code == 0, res.output
    pf = _round(ws_dir).load_participant(saved.stem.rsplit("-", 1)[1])
    assert {k: a.level for k, a in pf.answers.items()} == {k: a.level for k, a in answers.items()}
