"""The plan on bank 2.0 (issue 12): the legal minimum first, verdicts with their reasons, and last year's plan
carried across a bank change by the migration map, losing nothing people typed. Small banks built by hand."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from banks import LEVELS, SCALE, YES_NO
from samordna.io.plan_reader import read_plan
from samordna.io.workspace import Workspace
from samordna.outputs.plan import write_plan
from samordna.plan.model import COL

OLD = f"""
id: mini
version: "1.0.0"
title: Mini
description: Den gamle banken.
{SCALE}
sources:
  - {{id: K3, kind: recommendation, title: Avtaler, short: K3 Avtaler, url: "https://example.org/k3"}}
  - {{id: BVL, kind: law, title: Plan, short: "bvl. § 15-1", url: "https://lovdata.no/x"}}
domains:
  - id: LED
    name: Ledelse
    description: a
    indicators:
      - {{id: LED-01, short: Plan, statement: s, help: h, evidence: [e], references: [BVL], actions: [Lag planen]}}
      - {{id: LED-02, short: Gammel ordlyd, statement: s, help: h, evidence: [e], references: [K3],
         actions: [Gjør LED-02]}}
  - id: SAM
    name: Samarbeid
    description: b
    indicators:
      - {{id: SAM-01, short: Avtaler, statement: s, help: h, evidence: [e], references: [K3], actions: [Skriv avtaler]}}
      - {{id: SAM-04, short: Overganger, statement: s, help: h, evidence: [e], references: [K3],
         actions: [Gjør SAM-04]}}
      - {{id: SAM-05, short: Gjentar loven, statement: s, help: h, evidence: [e], references: [K3],
         actions: [Gjør SAM-05]}}
"""

NEW = f"""
id: mini
version: "2.0.0"
title: Mini
description: Den nye banken.
{SCALE}{YES_NO}
sources:
  - {{id: K3, kind: recommendation, title: Avtaler, short: K3 Avtaler, url: "https://example.org/k3", core: [SAM-01]}}
  - {{id: A3, kind: recommendation, title: Antatt, short: A3 Antatt, url: "https://example.org/a3", confirmed: false,
     note: Ordlyden er ikke funnet., core: [SAM-08]}}
  - {{id: BVL, kind: law, title: Plan, short: "bvl. § 15-1", citation: "barnevernsloven § 15-1 andre ledd",
     url: "https://lovdata.no/x", core: [LM-01, LED-01]}}
  - {{id: FHL, kind: law, title: Folkehelse, short: "fhl. § 5", citation: "folkehelseloven § 5",
     url: "https://lovdata.no/y"}}
legal_minimum:
  - {{id: LM-01, short: Plan vedtatt, question: Har kommunestyret vedtatt planen?, help: h, who: Kommunedirektøren,
     references: [BVL], actions: [Legg planen fram for kommunestyret, Sett av tid i årshjulet]}}
  - {{id: LM-02, short: Folkehelseoversikt, question: Har kommunen en folkehelseoversikt?, help: h,
     who: Folkehelsekoordinatoren, references: [FHL], actions: [Lag oversikten, Sjekk og dokumenter oversikten]}}
domains:
  - id: LED
    name: Ledelse
    description: a
    indicators:
      - {{id: LED-01, short: Plan, statement: s, help: h, evidence: [e], references: [BVL], statutory: [BVL],
         weight: 2, actions: [Lag planen], {LEVELS}}}
      - {{id: LED-07, short: Ny ordlyd, statement: s, help: h, evidence: [e], references: [K3],
         actions: [Gjør LED-07]}}
  - id: SAM
    name: Samarbeid
    description: b
    indicators:
      - {{id: SAM-01, short: Avtaler, statement: s, help: h, evidence: [e], references: [K3], weight: 1.5,
         actions: [Skriv avtaler], {LEVELS}}}
      - {{id: SAM-08, short: Overgang barnehage–skole, statement: s, help: h, evidence: [e], references: [A3],
         weight: 1.5, actions: [Gjør SAM-08], {LEVELS}}}
      - {{id: SAM-09, short: Overgang til voksen, statement: s, help: h, evidence: [e], references: [K3],
         actions: [Gjør SAM-09]}}
migrations:
  - from: "1.0.0"
    steps:
      - {{kind: same, old: [LED-01], new: [LED-01]}}
      - {{kind: reworded, old: [LED-02], new: [LED-07]}}
      - {{kind: same, old: [SAM-01], new: [SAM-01]}}
      - {{kind: split, old: [SAM-04], new: [SAM-08, SAM-09]}}
      - {{kind: retired, old: [SAM-05], note: Gjentok loven.}}
"""


def _answer(rnd, answers: dict[str, int | str], n: int = 3) -> None:
    from samordna.core.models import Answer

    pfs = []
    for k in range(n):
        pf = rnd.new_participant(f"D0{k + 1}", "ledelse", "fil")
        pf.answers = {i: Answer(level=v) for i, v in answers.items()}
        pfs.append(pf)
    rnd.save_participants(pfs)


def _edit(path: Path, edits: dict[str, dict]) -> None:
    wb = load_workbook(path)
    sheet = wb["Handlingsplan"]
    rows = {sheet.cell(row=r, column=1).value: r for r in range(2, sheet.max_row + 1)}
    for aid, values in edits.items():
        for key, value in values.items():
            sheet.cell(row=rows[aid], column=COL[key]).value = value
    wb.save(path)


@pytest.fixture
def two_rounds(tmp_path):
    """2025 on 1.0.0 with a plan people filled in; 2026 opened on 2.0.0 with answers."""
    (tmp_path / "old.yaml").write_text(OLD, encoding="utf-8")
    (tmp_path / "new.yaml").write_text(NEW, encoding="utf-8")
    ws = Workspace.init(tmp_path / "testvik", "Testvik", "9998")
    r25 = ws.new_round(year=2025, bank_path=tmp_path / "old.yaml")
    _answer(r25, {"LED-01": 1, "LED-02": 1, "SAM-01": 1, "SAM-04": 1, "SAM-05": 1})
    r25.save_priorities(["LED-01", "LED-02", "SAM-01", "SAM-04", "SAM-05"])
    write_plan(ws, r25)
    _edit(r25.plan_path, {
        "2025-LED-01-1": dict(status="Pågår", responsible="Kommunalsjef"),
        "2025-LED-02-1": dict(status="Pågår", comment="Vårt eget notat"),
        "2025-SAM-01-1": dict(status="Fullført"),
        "2025-SAM-04-1": dict(status="Pågår", responsible="Skolefaglig rådgiver", deadline=datetime(2026, 6, 1)),
        "2025-SAM-05-1": dict(status="Utsatt", comment="Venter på ny lov", action="Vår tekst om SAM-05"),
    })
    r26 = ws.new_round(year=2026, bank_path=tmp_path / "new.yaml")
    _answer(r26, {"LM-01": "nei", "LM-02": "vet_ikke", "LED-01": 1, "LED-07": 1, "SAM-01": 1, "SAM-08": 1,
                  "SAM-09": 1})
    r26.save_priorities(["LED-01", "LED-07", "SAM-01", "SAM-08", "SAM-09"])
    return ws, r25, r26


def test_legal_minimum_first_and_its_actions(two_rounds):
    ws, _, r26 = two_rounds
    path = write_plan(ws, r26)
    wb = load_workbook(path)
    assert wb.sheetnames[0] == "Juridisk minimum" and wb.active.title == "Handlingsplan"
    legal = wb["Juridisk minimum"]
    header = [c.value for c in legal[4]]
    rows = {r[0]: dict(zip(header, r, strict=True)) for r in legal.iter_rows(min_row=5, max_row=6, values_only=True)}
    assert rows["LM-01"]["Svar"] == "Nei" and rows["LM-02"]["Svar"] == "Uavklart"
    assert rows["LM-01"]["Hjemmel"] == "barnevernsloven § 15-1 andre ledd"
    assert rows["LM-01"]["Lenke"] == "https://lovdata.no/x" and legal["J5"].hyperlink.target == "https://lovdata.no/x"
    assert rows["LM-01"]["Nei"] == 3 and rows["LM-01"]["Forklaring"]
    assert rows["LM-01"]["Tiltak i planen"] == "2026-LM-01-1, 2026-LM-01-2"
    assert rows["LM-02"]["Tiltak i planen"] == "2026-LM-02-2"
    actions = read_plan(path)
    # «nei»: every action the bank names; «uavklart»: the bank's «sjekk og dokumenter» action; both before the rest
    assert [(a.action_id, a.kind, a.action) for a in actions[:3]] == [
        ("2026-LM-01-1", "juridisk minimum", "Legg planen fram for kommunestyret"),
        ("2026-LM-01-2", "juridisk minimum", "Sett av tid i årshjulet"),
        ("2026-LM-02-2", "juridisk minimum", "Sjekk og dokumenter oversikten"),
    ]
    plan = wb["Handlingsplan"]
    assert plan.cell(row=2, column=COL["indicator"]).value == "LM-01 Plan vedtatt (svar: Nei)"
    assert plan.cell(row=2, column=COL["basis"]).value == "barnevernsloven § 15-1 andre ledd"
    # edits on legal rows stay when the plan is made again
    _edit(path, {"2026-LM-01-1": dict(status="Pågår", responsible="Ordfører"), "2026-LM-02-2": dict(comment="Spurt")})
    write_plan(ws, r26)
    after = {a.action_id: a for a in read_plan(path)}
    assert (after["2026-LM-01-1"].status, after["2026-LM-01-1"].responsible) == ("Pågår", "Ordfører")
    assert after["2026-LM-02-2"].comment == "Spurt"


def test_verdicts_and_marks(two_rounds):
    ws, _, r26 = two_rounds
    wb = load_workbook(write_plan(ws, r26))
    res = wb["Resultater"]
    cells = [c for row in res.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    # every recommendation and law with its verdict and the sentence that explains it
    assert "K3 Avtaler" in cells and "A3 Antatt (ikke bekreftet)" in cells and "bvl. § 15-1" in cells
    assert any(c.startswith("K3 Avtaler er ikke oppfylt fordi SAM-01") for c in cells)
    assert any("bvl. § 15-1 er ikke oppfylt" in c and "LM-01" in c for c in cells)
    assert "Lovpålagt" in cells  # LED-01 in the indicator table
    guide = [c for row in wb["Retningslinjen"].iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert "A3 Antatt (ikke bekreftet)" in guide and "Ikke bekreftet" in guide and "Lovene" in guide
    plan = {r[0]: r for r in wb["Handlingsplan"].iter_rows(min_row=2, values_only=True) if r[0]}
    assert plan["2026-LED-01-1"][COL["indicator"] - 1] == "LED-01 Plan (Lovpålagt)"
    assert plan["2026-SAM-08-1"][COL["basis"] - 1] == "A3 Antatt (ikke bekreftet)"


def test_previous_plan_carried_across_the_bank_change(two_rounds):
    ws, _, r26 = two_rounds
    path = write_plan(ws, r26)
    actions = {a.action_id: a for a in read_plan(path)}
    # same indicator: moves as it is
    assert (actions["2026-LED-01-1"].status, actions["2026-LED-01-1"].responsible) == ("Pågår", "Kommunalsjef")
    # reworded under a new id: moves to the new id with what people typed
    moved = actions["2026-LED-07-1"]
    assert (moved.status, moved.comment, moved.indicator_id) == ("Pågår", "Vårt eget notat", "LED-07")
    # split: kept as people wrote it, with a note naming the new indicators
    split = actions["2026-FRA-2025-SAM-04-1"]
    assert split.kind == "endret påstand" and split.indicator_id == "SAM-04"
    assert (split.status, split.responsible, split.deadline.isoformat()) == ("Pågår", "Skolefaglig rådgiver", "2026-06-01")
    # retired: kept and marked
    gone = actions["2026-FRA-2025-SAM-05-1"]
    assert gone.kind == "påstand tatt ut"
    assert (gone.status, gone.comment, gone.action) == ("Utsatt", "Venter på ny lov", "Vår tekst om SAM-05")
    # finished actions are not carried; the new one says where it came from
    assert actions["2026-SAM-01-1"].status == "Ikke startet"
    wb = load_workbook(path)
    plan = {r[0]: r for r in wb["Handlingsplan"].iter_rows(min_row=2, values_only=True) if r[0]}
    prev = COL["previous"] - 1
    assert plan["2026-LED-07-1"][prev] == "Videreført fra 2025-LED-02-1 (Pågår). LED-02 heter LED-07 i bank 2.0.0."
    assert "SAM-08, SAM-09" in plan["2026-FRA-2025-SAM-04-1"][prev]
    assert "tatt ut" in plan["2026-FRA-2025-SAM-05-1"][prev]
    assert plan["2026-SAM-01-1"][prev] == "2025-SAM-01-1: Fullført"
    assert plan["2026-FRA-2025-SAM-04-1"][COL["indicator"] - 1] == "SAM-04 Overganger"
    # «Om» says what was done
    about = [r[0] for r in wb["Om"].iter_rows(values_only=True) if r[0]]
    assert "Ny versjon av spørsmålsbanken" in about
    text = "\n".join(about)
    assert "mini 1.0.0" in text and "mini 2.0.0" in text
    assert "2025-SAM-04-1 → 2026-FRA-2025-SAM-04-1" in text and "2025-LED-02-1 → 2026-LED-07-1" in text
    # «Forrige plan» says where each went
    where = {r[0]: r[7] for r in wb["Forrige plan"].iter_rows(values_only=True) if r[0] and str(r[0]).startswith("2025-")}
    assert where["2025-LED-02-1"].startswith("Videreført som 2026-LED-07-1")
    assert where["2025-SAM-05-1"].startswith("Videreført som 2026-FRA-2025-SAM-05-1")
    assert where["2025-SAM-01-1"] == "Fullført"
    # made again, with edits on the kept rows: nothing is lost, nothing doubled
    _edit(path, {"2026-FRA-2025-SAM-04-1": dict(comment="Deles mellom SAM-08 og SAM-09")})
    write_plan(ws, r26)
    again = read_plan(path)
    ids = [a.action_id for a in again]
    assert len(ids) == len(set(ids)) == len(actions)
    kept = {a.action_id: a for a in again}["2026-FRA-2025-SAM-04-1"]
    assert (kept.kind, kept.comment, kept.responsible) == ("endret påstand", "Deles mellom SAM-08 og SAM-09",
                                                           "Skolefaglig rådgiver")


def test_legal_actions_follow_the_bank():
    from samordna.core.bank import LegalItem
    from samordna.plan.merge import legal_actions

    item = LegalItem(id="LM-01", short="Plan", question="Har kommunestyret vedtatt planen?", help="h",
                     who="Kommunedirektøren", references=["BVL"],
                     actions=["Finn vedtaket og skriv saksnummer og dato i svaret.",
                              "Finnes det ikke: legg planen fram for kommunestyret."])
    # «uavklart»: the bank's find-and-document action, numbered as in the bank so edits follow when it turns «nei»
    assert legal_actions(item, "uavklart") == [(1, "Finn vedtaket og skriv saksnummer og dato i svaret.")]
    assert legal_actions(item, "nei") == list(enumerate(item.actions, start=1))
    assert legal_actions(item, "ja") == []
    bare = item.model_copy(update={"actions": ["Finnes det ikke: legg planen fram."]})  # «Finnes» is not «Finn»
    assert legal_actions(bare, "uavklart") == [
        (0, "Sjekk og dokumenter svaret: Har kommunestyret vedtatt planen? (spør kommunedirektøren)")]


def test_no_legal_rows_before_anyone_answers(tmp_path):
    (tmp_path / "new.yaml").write_text(NEW, encoding="utf-8")
    ws = Workspace.init(tmp_path / "tom", "Tomvik", "9997")
    rnd = ws.new_round(year=2026, bank_path=tmp_path / "new.yaml")
    assert read_plan(write_plan(ws, rnd)) == []
