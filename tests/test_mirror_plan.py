"""The young people's mirror as priorities and in the action plan (issue 17): a gap chosen in samordna prioritize
(or with --speil) makes the indicators its area mirrors priorities, marked as coming from the young people; the
plan marks their actions and has a sheet «Speilet»; a group of four (the parents of ``mirror_ws``) is never a
number anywhere in the workbook; people's edits survive a new run."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook

from samordna.core.errors import SamordnaError
from samordna.core.mirror import PARENT, YOUNG
from samordna.core.results import workspace_results
from samordna.flows.prioritize import mirror_choices, priority_choices, run_prioritize
from samordna.io.mirrorfile import MirrorStore, round_mirror, shipped_mirror_bank
from samordna.io.workspace import Workspace
from samordna.plan.model import COL
from samordna.ui.prompter import ScriptedPrompter

PLAN = "handlingsplan-eksempeldal-2026.xlsx"


def _view(path: Path):
    ws = Workspace(path)
    rnd = ws.round()
    found = round_mirror(ws, rnd, workspace_results(ws, rnd.id)[-1])
    assert found is not None
    return found


def _mirrored(bank, area: str, rnd) -> list[str]:
    wanted = {m for st in bank.in_area(area) for m in st.mirrors}
    return [i.id for i in rnd.bank.indicators if i.id in wanted]


@pytest.fixture
def planned(cli, mirror_ws):
    """The 2026 priorities from the mirror's largest gap (--speil), and the plan made from them."""
    bank, view = _view(mirror_ws)
    gap = view.named_gaps(bank.gap_to_name)[0]
    assert gap.role == YOUNG
    res = cli(["prioritize", mirror_ws, "--speil", gap.area])
    assert res.exit_code == 0, res.output
    assert "fra speilet er lagret i runde 2026" in res.stdout
    res = cli(["plan", mirror_ws])
    assert res.exit_code == 0, res.output
    assert "kom fra speilet" in res.stdout
    return mirror_ws, gap


def test_speil_saves_the_areas_indicators_marked_from_the_young(planned):
    ws_dir, gap = planned
    ws = Workspace(ws_dir)
    rnd = ws.round()
    bank = shipped_mirror_bank()
    ids = _mirrored(bank, gap.area, rnd)
    assert ids and set(ids) <= set(rnd.priorities())
    assert rnd.mirror_priorities() == dict.fromkeys(ids, YOUNG)
    doc = yaml.safe_load(rnd.priorities_path.read_text(encoding="utf-8"))
    assert doc["from_mirror"] == dict.fromkeys(ids, "ungdom")


def test_plan_marks_the_mirrored_actions(planned):
    ws_dir, gap = planned
    rnd = Workspace(ws_dir).round()
    marked = set(rnd.mirror_priorities())
    wb = load_workbook(ws_dir / PLAN)
    sheet = wb["Handlingsplan"]
    assert sheet.cell(row=1, column=COL["basis"]).value == "Forankring"
    seen = set()
    for row in sheet.iter_rows(min_row=2, values_only=True):
        aid, kind, basis = row[COL["id"] - 1], row[COL["kind"] - 1], row[COL["basis"] - 1] or ""
        if not aid:
            continue
        ind = str(row[COL["indicator"] - 1]).split()[0]
        if kind == "Prioritert" and ind in marked:
            assert basis.startswith("Fra speilet: ungdommene"), (aid, basis)
            seen.add(ind)
        else:
            assert "speilet" not in basis.lower(), (aid, basis)
    assert seen == marked


def _parents_raw_means(ws_dir: Path, bank) -> set[float]:
    """What the parents' area values would be if the four were shown (they must not be)."""
    rnd = Workspace(ws_dir).round()
    parents = [r for r in MirrorStore(rnd.dir).responses(bank) if r.role == PARENT]
    assert len(parents) == 4
    out = set()
    for area in bank.areas():
        means = []
        for st in bank.in_area(area):
            levels = [r.answers[st.id] for r in parents if isinstance(r.answers.get(st.id), int)]
            if levels:
                means.append(sum(levels) / len(levels))
        if means:
            out.add(round(sum(means) / len(means), 2))
    return out


def test_speilet_sheet_shows_the_young_and_never_the_four_parents(planned):
    ws_dir, gap = planned
    bank, view = _view(ws_dir)
    wb = load_workbook(ws_dir / PLAN)
    assert "Speilet" in wb.sheetnames
    sheet = wb["Speilet"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    head = next(i for i, r in enumerate(rows) if r[:4] == ["Område", "Lederne", "Ungdommene", "Foreldrene"])
    table = rows[head + 1: head + 1 + len(view.areas)]
    assert [r[0] for r in table] == [a.name for a in view.areas]
    for r, a in zip(table, view.areas, strict=True):
        assert r[2] == pytest.approx(a.values[YOUNG], abs=0.006)
        assert r[3] == "færre enn 5"
    text = "\n".join(str(v) for r in rows for v in r if v is not None)
    assert "Lederne mener «" in text and "ungdommene opplever det som" in text
    assert "; foreldrene opplever" not in text
    assert "ungdommene 9" in text and "foreldrene færre enn 5" in text
    # every cell of every sheet: no clause about the parents holds a number other than the limit (the scale 0–4
    # and indicator ids aside), and no number in «Speilet» is what the parents' area values would have been
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if not isinstance(c.value, str):
                    continue
                for part in re.split(r"[;.\n]", re.sub(r"[A-Z]+-\d+", "", c.value.replace("0–4", ""))):
                    if "foreldrene" in part.lower():
                        assert set(re.findall(r"\d+", part)) <= {"5"}, (ws.title, c.coordinate, c.value)
    shown = {round(v, 2) for r in table for v in r[1:3] if isinstance(v, float | int)}
    hidden = _parents_raw_means(ws_dir, bank) - shown
    assert hidden
    numbers = {round(v, 2) for r in rows for v in r if isinstance(v, float | int)}
    assert not numbers & hidden


def test_a_users_edit_survives_a_new_run_and_speilet_is_drawn_again(cli, planned):
    ws_dir, _gap = planned
    marked = set(Workspace(ws_dir).round().mirror_priorities())
    path = ws_dir / PLAN
    wb = load_workbook(path)
    sheet = wb["Handlingsplan"]
    row = next(r for r in range(2, sheet.max_row + 1)
               if str(sheet.cell(row=r, column=COL["indicator"]).value or "").split()[:1] and
               str(sheet.cell(row=r, column=COL["indicator"]).value).split()[0] in marked)
    aid = sheet.cell(row=row, column=COL["id"]).value
    sheet.cell(row=row, column=COL["responsible"]).value = "Leder ungdomsrådet"
    sheet.cell(row=row, column=COL["status"]).value = "Pågår"
    sheet.cell(row=row, column=COL["comment"]).value = "=Tatt opp med ungdomsrådet"
    wb["Speilet"]["A1"].value = "noe vi skrev"  # the tool's own sheet: drawn again
    wb.create_sheet("Våre notater")["A1"] = "Møte med ungdomsrådet 3. mars"
    wb.save(path)
    res = cli(["plan", ws_dir])
    assert res.exit_code == 0, res.output
    wb = load_workbook(path)
    sheet = wb["Handlingsplan"]
    again = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(row=r, column=COL["id"]).value == aid)
    assert sheet.cell(row=again, column=COL["responsible"]).value == "Leder ungdomsrådet"
    assert sheet.cell(row=again, column=COL["status"]).value == "Pågår"
    comment = sheet.cell(row=again, column=COL["comment"])
    assert comment.value == "=Tatt opp med ungdomsrådet" and comment.data_type == "s"  # text, never a formula
    assert str(sheet.cell(row=again, column=COL["basis"]).value).startswith("Fra speilet: ungdommene")
    assert wb["Speilet"]["A1"].value.startswith("Speilet – Eksempeldal")
    assert wb["Våre notater"]["A1"].value == "Møte med ungdomsrådet 3. mars"


def test_interactive_prioritize_offers_the_named_gaps(mirror_ws):
    ws = Workspace(mirror_ws)
    rnd = ws.round()
    offered = mirror_choices(ws, rnd)
    bank, view = _view(mirror_ws)
    assert [c.gap for c in offered] == view.named_gaps(bank.gap_to_name)
    assert all(c.gap.role == YOUNG for c in offered)  # four parents: no gap of theirs is offered
    ranked = [r.id for r in priority_choices(ws, rnd)]

    class Seen(ScriptedPrompter):
        def checkbox(self, message, choices, checked=(), instruction=None):
            self.labels = [c.title for c in choices]
            return super().checkbox(message, choices, checked, instruction)

    p = Seen([[ranked[0], ranked[1], offered[0].value], True])
    chosen = run_prioritize(ws, rnd, p)
    label = next(t for t in p.labels if "Speilet:" in t)
    assert f"Speilet: ungdommene opplever {offered[0].gap.name} som " in label and "; lederne " in label
    assert chosen[:2] == [ranked[0], ranked[1]]
    assert set(offered[0].indicators) <= set(chosen) == set(rnd.priorities())
    assert rnd.mirror_priorities() == dict.fromkeys(offered[0].indicators, YOUNG)
    # run again: the gap chosen before is checked, and leaving it out takes the marks away
    p = ScriptedPrompter([[ranked[0], ranked[1], ranked[2]], True])
    run_prioritize(ws, rnd, p)
    assert rnd.mirror_priorities() == {} and rnd.priorities() == ranked[:3]


def test_speil_refuses_the_parents_under_the_limit_without_telling_how_many(cli, mirror_ws):
    bank, view = _view(mirror_ws)
    area = view.areas[0].area
    res = cli(["prioritize", mirror_ws, "--speil", f"{area}:foreldre"])
    assert res.exit_code == 2
    assert "for få svar" in res.stderr and "4" not in res.stderr.replace(mirror_ws.name, "")
    assert cli(["prioritize", mirror_ws, "--speil", "XYZ"]).exit_code == 2
    assert cli(["prioritize", mirror_ws, "--speil", f"{area}:lærer"]).exit_code == 2
    assert not Workspace(mirror_ws).round().priorities_path.exists() or not Workspace(mirror_ws).round().mirror_priorities()


def test_from_mirror_is_checked_and_old_files_read_as_before(sample_ws):
    ws = Workspace(sample_ws)
    rnd = ws.round("2025")
    before = rnd.priorities()
    assert before and rnd.mirror_priorities() == {}  # a file from before the mirror
    doc = yaml.safe_load(rnd.priorities_path.read_text(encoding="utf-8"))
    doc["from_mirror"] = {before[0]: "ungdom", "BRU-99": "ungdom"}
    rnd.priorities_path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    with pytest.raises(SamordnaError) as err:
        rnd.priorities()
    text = err.value.render()
    assert "prioriteringer.yaml, linje" in text and "BRU-99" in text and "står ikke blant prioriteringene" in text
    doc["from_mirror"] = {before[0]: "lærer"}
    rnd.priorities_path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    with pytest.raises(SamordnaError):
        rnd.priorities()
    doc["from_mirror"] = {before[0]: "foreldre"}
    rnd.priorities_path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    assert rnd.priorities() == before and rnd.mirror_priorities() == {before[0]: "foreldre"}
