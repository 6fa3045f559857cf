"""samordna plan keeps what people did to the workbook, not only what they typed in samordna's columns: their row
order, rows they deleted (they stay deleted), columns and sheets they added, sums below the table; what cannot be
kept (a chart, a picture) stops the command before anything is written. Backups are named by time, five kept."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.workbook.defined_name import DefinedName

from samordna.io.atomic import backup_file, backups_of
from samordna.io.plan_reader import read_plan
from samordna.io.workspace import Workspace
from samordna.outputs.plan import write_plan
from samordna.plan.model import COL

PLAN = "handlingsplan-eksempeldal-2025.xlsx"
DELETED = "2025-BRU-05-1"
BUDGET = {"2025-OPP-01-1": 25000, "2025-SAM-01-1": 12500, "2025-LED-03-1": 4000}
PRIORITIES = ["OPP-01", "BRU-01", "ROL-02", "ROL-03", "BRU-05", "LED-03", "TID-01"]
MORE = [*PRIORITIES, "SAM-01"]  # SAM-01 prioritised later: its other actions come in beside SAM-01-1


@pytest.fixture
def ws25(cli, sample_ws):
    """The sample with a freshly generated (empty) 2025 plan for seven priorities, and SAM-01-1 (below target, not
    a priority) taken into the plan from «Under mål» by typing its id in a new row."""
    plan = sample_ws / PLAN
    plan.unlink()
    Workspace(sample_ws).round("2025").save_priorities(PRIORITIES)
    res = cli(["plan", sample_ws, "--round", "2025"])
    assert res.exit_code == 0, res.output
    wb = load_workbook(plan)
    assert "2025-SAM-01-1" in [r[0] for r in wb["Under mål"].iter_rows(min_row=5, values_only=True)]
    wb["Handlingsplan"].cell(row=wb["Handlingsplan"].max_row + 1, column=1).value = "2025-SAM-01-1"
    wb.save(plan)
    assert cli(["plan", sample_ws, "--round", "2025"]).exit_code == 0
    return sample_ws, plan


def _ids(sheet) -> list[str]:
    return [sheet.cell(row=r, column=1).value for r in range(2, sheet.max_row + 1) if sheet.cell(row=r, column=1).value]


def _row_of(sheet, aid: str) -> int:
    return next(r for r in range(2, sheet.max_row + 1) if sheet.cell(row=r, column=1).value == aid)


def _edit_as_a_person(plan: Path) -> list[str]:
    """What a person does in Excel: sort the rows their own way, delete a row, add a column «Budsjett» with amounts
    and a sum below the table, and a sheet «Notater». Returns the order of the rows they left."""
    wb = load_workbook(plan)
    sheet = wb["Handlingsplan"]
    width = sheet.max_column
    rows = [[sheet.cell(row=r, column=c).value for c in range(1, width + 1)] for r in range(2, sheet.max_row + 1)]
    rows = rows[-5:] + rows[:-5]  # the last five first
    rows.insert(3, rows.pop(10))  # and one moved up
    for r, values in enumerate(rows, start=2):
        for c, v in enumerate(values, start=1):
            sheet.cell(row=r, column=c).value = v
    sheet.delete_rows(_row_of(sheet, DELETED))
    sheet.cell(row=1, column=16).value = "Budsjett"
    for aid, amount in BUDGET.items():
        cell = sheet.cell(row=_row_of(sheet, aid), column=16)
        cell.value = amount
        cell.number_format = '#,##0 "kr"'
    last = sheet.max_row
    sheet.cell(row=last + 2, column=15).value = "Sum"
    sheet.cell(row=last + 2, column=16).value = f"=SUM(P2:P{last})"
    notes = wb.create_sheet("Notater")
    notes["A1"] = "Møtenotater fra styringsgruppen"
    notes["A2"] = "Andel fullført"
    notes["B2"] = 0.25
    notes["B2"].number_format = "0 %"
    notes["A3"] = "Første budsjettpost"
    notes["B3"] = f"=Handlingsplan!P{_row_of(sheet, '2025-OPP-01-1')}"
    notes.column_dimensions["A"].width = 42
    wb.save(plan)
    return [aid for aid in (r[0] for r in rows) if aid != DELETED]


def _check_budget(sheet, exact: bool = True) -> None:
    head = [c.value for c in sheet[1]]
    col = head.index("Budsjett") + 1
    for r in range(2, sheet.max_row + 1):
        aid = sheet.cell(row=r, column=1).value
        if aid:
            assert sheet.cell(row=r, column=col).value == BUDGET.get(aid), aid
    for aid in BUDGET:
        fmt = sheet.cell(row=_row_of(sheet, aid), column=col).number_format
        assert fmt == '#,##0 "kr"' if exact else fmt.replace('"', "").replace(" ", "") == "#,##0kr"  # LibreOffice: #,##0" kr"


def _removed_listed(wb) -> list[str]:
    about = [r[0] for r in wb["Om"].iter_rows(values_only=True) if r[0]]
    start = about.index("Fjernet av dere")
    return [line for line in about[start + 1:] if line.startswith("• ")]


def test_order_deletions_columns_and_sheets_survive_regeneration(cli, ws25):
    ws_dir, plan = ws25
    order = _edit_as_a_person(plan)
    res = cli(["plan", ws_dir, "--round", "2025"])
    assert res.exit_code == 0, res.output
    wb = load_workbook(plan)
    sheet = wb["Handlingsplan"]
    assert _ids(sheet) == order  # the order people gave the rows, the deleted row still gone
    assert DELETED not in [a.action_id for a in read_plan(plan)]
    assert any(line.startswith(f"• {DELETED}: ") for line in _removed_listed(wb))
    _check_budget(sheet)
    assert sheet.tables["Handlingsplan"].ref == f"A1:P{len(order) + 1}"  # the added column is in the table
    total = sheet.cell(row=len(order) + 3, column=16)
    assert (sheet.cell(row=len(order) + 3, column=15).value, total.value) == ("Sum", f"=SUM(P2:P{len(order) + 1})")
    notes = wb["Notater"]
    assert wb.sheetnames.index("Notater") == len(wb.sheetnames) - 1
    assert notes["A1"].value == "Møtenotater fra styringsgruppen" and notes["B2"].value == 0.25
    assert notes["B2"].number_format == "0 %" and notes.column_dimensions["A"].width == 42
    assert notes["B3"].value == f"=Handlingsplan!P{_row_of(sheet, '2025-OPP-01-1')}"


def test_new_rows_after_new_answers_land_beside_their_indicator(cli, ws25):
    ws_dir, plan = ws25
    order = _edit_as_a_person(plan)
    assert cli(["plan", ws_dir, "--round", "2025"]).exit_code == 0
    Workspace(ws_dir).round("2025").save_priorities(MORE)
    res = cli(["plan", ws_dir, "--round", "2025"])
    assert res.exit_code == 0, res.output
    wb = load_workbook(plan)
    sheet = wb["Handlingsplan"]
    at = order.index("2025-SAM-01-1") + 1
    assert _ids(sheet) == order[:at] + ["2025-SAM-01-2", "2025-SAM-01-3"] + order[at:]
    assert sheet.cell(row=_row_of(sheet, "2025-SAM-01-2"), column=COL["kind"]).value == "Prioritert"
    _check_budget(sheet)
    n = len(order) + 2
    assert sheet.cell(row=n + 3, column=16).value == f"=SUM(P2:P{n + 1})"  # the sum grew with the table
    assert wb["Notater"]["B3"].value == f"=Handlingsplan!P{_row_of(sheet, '2025-OPP-01-1')}"
    assert DELETED not in _ids(sheet)
    # and once more with nothing changed: nothing moves
    before = [[c.value for c in row] for row in sheet.iter_rows()]
    assert cli(["plan", ws_dir, "--round", "2025"]).exit_code == 0
    assert [[c.value for c in row] for row in load_workbook(plan)["Handlingsplan"].iter_rows()] == before


def test_an_indicator_new_below_target_goes_to_the_sheet_under_maal_not_into_the_plan(cli, ws25):
    ws_dir, plan = ws25
    order = _edit_as_a_person(plan)
    rnd = Workspace(ws_dir).round("2025")
    entries = rnd.consensus()
    entries["SAM-03"] = entries["SAM-03"].model_copy(update={"level": 1})  # new consensus: now below target
    rnd.save_consensus(entries)
    assert cli(["plan", ws_dir, "--round", "2025"]).exit_code == 0
    wb = load_workbook(plan)
    assert _ids(wb["Handlingsplan"]) == order  # the plan people ordered is as they left it
    assert "2025-SAM-03-1" in [r[0] for r in wb["Under mål"].iter_rows(min_row=5, values_only=True)]


def test_a_carried_over_row_deleted_stays_deleted_and_is_named_in_the_previous_plan_sheet(cli, sample_ws):
    assert cli(["plan", sample_ws, "--round", "2026"]).exit_code == 0
    plan = sample_ws / "handlingsplan-eksempeldal-2026.xlsx"
    wb = load_workbook(plan)
    sheet = wb["Handlingsplan"]
    carried = next(sheet.cell(row=r, column=1).value for r in range(2, sheet.max_row + 1)
                   if str(sheet.cell(row=r, column=COL["previous"]).value or "").startswith("Videreført"))
    sheet.delete_rows(_row_of(sheet, carried))
    wb.save(plan)
    assert cli(["plan", sample_ws, "--round", "2026"]).exit_code == 0
    wb = load_workbook(plan)
    assert carried not in _ids(wb["Handlingsplan"])
    old_id = "2025-" + carried.removeprefix("2026-")
    where = {r[0]: r[7] for r in wb["Forrige plan"].iter_rows(values_only=True) if r[0]}
    assert where[old_id].startswith("Fjernet av dere")  # a note on the bank change may follow


def test_a_deleted_row_comes_back_when_its_id_is_typed_again(cli, ws25):
    ws_dir, plan = ws25
    wb = load_workbook(plan)
    wb["Handlingsplan"].delete_rows(_row_of(wb["Handlingsplan"], DELETED))
    wb.save(plan)
    assert cli(["plan", ws_dir, "--round", "2025"]).exit_code == 0
    assert cli(["plan", ws_dir, "--round", "2025"]).exit_code == 0  # a second run does not bring it back either
    wb = load_workbook(plan)
    sheet = wb["Handlingsplan"]
    assert DELETED not in _ids(sheet) and len(_removed_listed(wb)) == 1
    sheet.cell(row=sheet.max_row + 1, column=1).value = DELETED
    wb.save(plan)
    assert cli(["plan", ws_dir, "--round", "2025"]).exit_code == 0
    wb = load_workbook(plan)
    assert _ids(wb["Handlingsplan"])[-1] == DELETED
    assert "Fjernet av dere" not in [r[0] for r in wb["Om"].iter_rows(values_only=True)]
    again = {a.action_id: a for a in read_plan(plan)}[DELETED]
    assert again.kind == "prioritert" and again.action.startswith("Gjennomfør en enkel brukerundersøkelse")


def test_columns_found_by_hidden_keys_not_header_text(cli, ws25):
    """Excel moves the hidden names when a column is inserted; headers may be reworded."""
    ws_dir, plan = ws25
    wb = load_workbook(plan)
    sheet = wb["Handlingsplan"]
    sheet.insert_cols(9)  # «Budsjett» between «Tiltak» and «Ansvarlig», as in Excel ...
    for key, col in COL.items():  # ... which moves the names (openpyxl does not)
        name = f"samordna_kol_{key}"
        letter = sheet.cell(row=1, column=col + (col >= 9)).column_letter
        wb.defined_names[name] = DefinedName(name, attr_text=f"'Handlingsplan'!${letter}$1", hidden=True)
    sheet["I1"] = "Budsjett"
    sheet.cell(row=_row_of(sheet, "2025-OPP-01-1"), column=9).value = 25000
    sheet.cell(row=1, column=COL["status"] + 1).value = "Tilstand"  # a reworded header
    sheet.cell(row=_row_of(sheet, "2025-OPP-01-2"), column=COL["status"] + 1).value = "Pågår"
    wb.save(plan)
    assert {a.action_id: a.status for a in read_plan(plan)}["2025-OPP-01-2"] == "Pågår"
    assert cli(["plan", ws_dir, "--round", "2025"]).exit_code == 0
    sheet = load_workbook(plan)["Handlingsplan"]
    assert [c.value for c in sheet[1]][7:10] == ["Tiltak", "Budsjett", "Ansvarlig"]
    assert sheet.cell(row=_row_of(sheet, "2025-OPP-01-1"), column=9).value == 25000
    assert sheet.cell(row=_row_of(sheet, "2025-OPP-01-2"), column=12).value == "Pågår"  # status now in L
    assert {a.action_id: a.status for a in read_plan(plan)}["2025-OPP-01-2"] == "Pågår"


def test_sample_plan_made_before_the_keys_reads_the_same(repo_root, tmp_path):
    """The sample's 2025 plan was made before the hidden keys and before «Under mål»: every row people wrote in stays
    where it was; samordna's untouched suggestions for indicators that are not priorities move to «Under mål»."""
    sample = repo_root / "sample_municipality" / PLAN
    wb = load_workbook(sample)
    assert not list(wb.defined_names)  # made by the previous version: found by header text
    ws = tmp_path / "ws"
    shutil.copytree(repo_root / "sample_municipality", ws)
    before = read_plan(ws / PLAN)
    write_plan(Workspace(ws), Workspace(ws).round("2025"))
    after = {a.action_id: a for a in read_plan(ws / PLAN)}
    untouched = [a.action_id for a in before if a.kind == "under mål" and a.status == "Ikke startet"
                 and not (a.responsible or a.comment or a.deadline or a.follow_up)]
    assert len(untouched) >= 10
    kept = [a for a in before if a.action_id not in untouched]
    assert [a.action_id for a in read_plan(ws / PLAN)] == [a.action_id for a in kept]  # same rows, same order
    for a in kept:
        b = after[a.action_id]
        assert (b.action, b.responsible, b.deadline, b.status, b.follow_up, b.comment) == (
            a.action, a.responsible, a.deadline, a.status, a.follow_up, a.comment)
    below = [r[0] for r in load_workbook(ws / PLAN)["Under mål"].iter_rows(min_row=5, values_only=True) if r[0]]
    assert set(untouched) <= set(below)


@pytest.mark.parametrize("what", ["chart", "image", "chartsheet"])
def test_a_sheet_with_a_chart_or_picture_stops_before_anything_is_written(cli, ws25, what):
    from openpyxl.chart import BarChart, Reference

    ws_dir, plan = ws25
    wb = load_workbook(plan)
    sheet = wb.create_sheet("Diagram")
    for r, (label, n) in enumerate([("Fullført", 3), ("Pågår", 5)], start=1):
        sheet.cell(row=r, column=1).value, sheet.cell(row=r, column=2).value = label, n
    if what in ("chart", "chartsheet"):
        chart = BarChart()
        chart.add_data(Reference(sheet, min_col=2, min_row=1, max_row=2))
        if what == "chart":
            sheet.add_chart(chart, "D2")
        else:
            sheet.title = "Tall"
            wb.create_chartsheet("Diagram").add_chart(chart)
    else:
        from openpyxl.drawing.image import Image
        from PIL import Image as PILImage

        PILImage.new("RGB", (8, 8), "red").save(ws_dir / "logo.png")
        sheet.add_image(Image(str(ws_dir / "logo.png")), "D2")
    wb.save(plan)
    before, backups = plan.read_bytes(), backups_of(plan)
    res = cli(["plan", ws_dir, "--round", "2025"])
    assert res.exit_code == 2, res.output
    assert "Arket «Diagram» har " + ("et bilde" if what == "image" else "et diagram") in res.output
    assert "Traceback" not in res.output
    assert plan.read_bytes() == before and backups_of(plan) == backups


def test_a_formula_whose_rows_would_change_meaning_stops(cli, ws25):
    """A reference to the empty row between the table and a sum would land on an action once rows are added."""
    ws_dir, plan = ws25
    _edit_as_a_person(plan)
    wb = load_workbook(plan)
    gap = wb["Handlingsplan"].max_row - 1
    wb["Notater"]["B4"] = f"=Handlingsplan!P{gap}"
    wb.save(plan)
    assert cli(["plan", ws_dir, "--round", "2025"]).exit_code == 0  # nothing moves yet: fine
    Workspace(ws_dir).round("2025").save_priorities(MORE)
    before = plan.read_bytes()
    res = cli(["plan", ws_dir, "--round", "2025"])
    assert res.exit_code == 2, res.output
    assert "Arket «Notater», celle B4" in res.output and "Handlingsplan[Budsjett]" in res.output
    assert plan.read_bytes() == before


def test_moves_keep_a_range_only_when_it_covers_the_same_rows():
    from samordna.outputs.plan_carry import _Moves

    grown = _Moves({1: 1, 2: 2, 3: 5}, {3, 4}, {16: 16})  # two new rows between old rows 2 and 3
    assert grown.formula("=SUM(P2:P3)", "Handlingsplan") == "=SUM(P2:P5)"
    assert grown.formula("=Handlingsplan!$P$3*2", "Notater") == "=Handlingsplan!$P$5*2"
    assert grown.formula("=SUM(Handlingsplan[Budsjett])+P3", "Notater") == "=SUM(Handlingsplan[Budsjett])+P3"
    swapped = _Moves({1: 1, 2: 2, 3: 4, 4: 3}, set(), {16: 16})
    assert swapped.formula("=SUM(P2:P3)", "Handlingsplan") is None  # would take in old row 4
    assert swapped.formula("=SUM(P2:P4)", "Handlingsplan") == "=SUM(P2:P4)"


def test_user_column_rules_merges_and_notes(ws25):
    """A drop-down on the added column moves with the rows; merged cells are split (a table cannot hold them),
    and that is said."""
    from openpyxl.comments import Comment
    from openpyxl.worksheet.datavalidation import DataValidation

    ws_dir, plan = ws25
    wb = load_workbook(plan)
    sheet = wb["Handlingsplan"]
    sheet["P1"] = "Finansiering"
    dv = DataValidation(type="list", formula1='"Drift,Tilskudd"', allow_blank=True)
    dv.add(f"P2:P{sheet.max_row}")
    sheet.add_data_validation(dv)
    sheet["P2"] = "Tilskudd"
    sheet["P3"] = "Tilskudd"
    sheet.merge_cells("P2:P3")
    sheet.cell(row=_row_of(sheet, "2025-ROL-02-1"), column=COL["comment"]).comment = Comment("Spør Kari", "Ola")
    wb.save(plan)
    said: list[str] = []
    ws = Workspace(ws_dir)
    rnd = ws.round("2025")
    rnd.save_priorities(MORE)
    write_plan(ws, rnd, say=said.append)
    assert any("P2:P3" in s and "delt opp" in s for s in said)
    wb = load_workbook(plan)
    sheet = wb["Handlingsplan"]
    n = _row_of(sheet, "2025-SAM-01-1")  # the last row then: SAM-01's new actions come in below it, outside the range
    lists = [d for d in sheet.data_validations.dataValidation if d.formula1 == '"Drift,Tilskudd"']
    assert len(lists) == 1 and str(lists[0].sqref) == f"P2:P{n}"
    assert sheet["P2"].value == "Tilskudd" and not sheet.merged_cells.ranges
    assert sheet.cell(row=_row_of(sheet, "2025-ROL-02-1"), column=COL["comment"]).comment.text == "Spør Kari"
    assert "Merknader fra sist planen ble laget" in [r[0] for r in wb["Om"].iter_rows(values_only=True)]


def test_national_id_in_an_added_column_is_refused(cli, ws25):
    from samordna.core.privacy import is_national_id

    ws_dir, plan = ws25
    number = next(f"010101{n:05d}" for n in range(100000) if is_national_id(f"010101{n:05d}"))
    wb = load_workbook(plan)
    wb["Handlingsplan"]["P1"] = "Kontakt"
    wb["Handlingsplan"]["P5"] = f"Barnet {number}"
    wb.save(plan)
    before = plan.read_bytes()
    res = cli(["plan", ws_dir, "--round", "2025"])
    assert res.exit_code == 2 and "celle P5" in res.output and "fødselsnummer" in res.output
    assert plan.read_bytes() == before


def test_backups_named_by_time_and_five_kept(tmp_path):
    plan, other = tmp_path / "plan.xlsx", tmp_path / "plan-2.xlsx"
    plan.write_bytes(b"x")
    other.write_bytes(b"y")
    kept = backup_file(other)
    made = [backup_file(plan) for _ in range(39)]
    assert backups_of(plan) == made[-5:]  # the newest five, oldest first
    assert all(p.name.startswith("plan.sikkerhetskopi-20") for p in made)
    assert backups_of(other) == [kept]  # another file's backups are left alone
    assert not list(tmp_path.glob(".*.tmp"))


@pytest.mark.slow  # 39 plan runs: in the full suite and CI, not the fast tier
def test_many_plan_runs_keep_five_backups(cli, ws25):
    ws_dir, plan = ws25
    for _ in range(7):
        assert cli(["plan", ws_dir, "--round", "2025"]).exit_code == 0
    assert len(list(ws_dir.glob("handlingsplan-eksempeldal-2025.sikkerhetskopi-*.xlsx"))) == 5


@pytest.mark.slow
def test_thirty_nine_runs_keep_five_backups(ws25):
    ws_dir, plan = ws25
    ws = Workspace(ws_dir)
    for _ in range(39):
        write_plan(ws, ws.round("2025"))
    assert len(backups_of(plan)) == 5
    assert len(list(ws_dir.glob("*.sikkerhetskopi-*"))) == 5


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) er ikke installert")
def test_edits_survive_a_round_trip_through_libreoffice(cli, ws25, tmp_path):
    ws_dir, plan = ws25
    order = _edit_as_a_person(plan)
    proc = subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}", "--headless", "--convert-to",
         "xlsx:Calc MS Excel 2007 XML", "--outdir", str(tmp_path / "lo"), str(plan)],
        capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr
    shutil.copy(tmp_path / "lo" / plan.name, plan)
    Workspace(ws_dir).round("2025").save_priorities(MORE)
    res = cli(["plan", ws_dir, "--round", "2025"])
    assert res.exit_code == 0, res.output
    wb = load_workbook(plan)
    sheet = wb["Handlingsplan"]
    at = order.index("2025-SAM-01-1") + 1
    assert _ids(sheet) == order[:at] + ["2025-SAM-01-2", "2025-SAM-01-3"] + order[at:]
    _check_budget(sheet, exact=False)
    assert DELETED not in _ids(sheet)
    notes = wb["Notater"]
    assert notes["A1"].value == "Møtenotater fra styringsgruppen" and notes["B2"].value == 0.25
    assert notes["B2"].number_format.replace("\\", "") == "0 %"  # LibreOffice writes 0\ %


def _with_sheet_xml(plan: Path, title: str, extra: str) -> None:
    """Add ``extra`` (XML) at the end of sheet ``title``, as Excel writes what openpyxl does not know."""
    import re
    import zipfile

    with zipfile.ZipFile(plan) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    book = parts["xl/workbook.xml"].decode()
    rid = re.search(rf'<sheet [^>]*name="{title}"[^>]*r:id="(rId\d+)"', book).group(1)
    target = re.search(rf'Id="{rid}"[^>]*Target="([^"]+)"|Target="([^"]+)"[^>]*Id="{rid}"',
                       parts["xl/_rels/workbook.xml.rels"].decode())
    part = "xl/" + (target.group(1) or target.group(2)).lstrip("/").removeprefix("xl/")
    parts[part] = parts[part].decode().replace("</worksheet>", extra + "</worksheet>").encode()
    with zipfile.ZipFile(plan, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)


X14 = 'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main" ' \
      'xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main"'


def test_sparklines_stop_and_newer_validations_are_named(cli, ws25):
    ws_dir, plan = ws25
    wb = load_workbook(plan)
    wb.create_sheet("Notater")["A1"] = "Trend"
    wb.save(plan)
    _with_sheet_xml(plan, "Notater", f'<extLst><ext uri="{{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}}" {X14}>'
                    '<x14:dataValidations count="1"><x14:dataValidation type="list"><x14:formula1><xm:f>Lister!$A$2:$A$6'
                    '</xm:f></x14:formula1><xm:sqref>B2:B9</xm:sqref></x14:dataValidation></x14:dataValidations>'
                    '</ext></extLst>')
    said: list[str] = []
    ws = Workspace(ws_dir)
    write_plan(ws, ws.round("2025"), say=said.append)
    assert any("Arket «Notater»: en datavalidering på B2:B9" in s and "ikke tatt med" in s for s in said), said
    assert load_workbook(plan)["Notater"]["A1"].value == "Trend"
    _with_sheet_xml(plan, "Notater", f'<extLst><ext uri="{{05C60535-1F16-4fd2-B633-F4F36F0B64E0}}" {X14}>'
                    '<x14:sparklineGroups><x14:sparklineGroup><x14:sparklines><x14:sparkline><xm:f>Notater!A1:A3</xm:f>'
                    '<xm:sqref>B1</xm:sqref></x14:sparkline></x14:sparklines></x14:sparklineGroup></x14:sparklineGroups>'
                    '</ext></extLst>')
    before = plan.read_bytes()
    res = cli(["plan", ws_dir, "--round", "2025"])
    assert res.exit_code == 2 and "Arket «Notater» har minidiagrammer (sparklines)" in res.output, res.output
    assert plan.read_bytes() == before
