"""samordna plan: the workbook's sheets, table, validations, formats and chart, and values that agree
with samordna score."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from samordna.core.scoring import score_workspace_round
from samordna.io.plan_reader import read_plan
from samordna.io.workspace import Workspace
from samordna.outputs.plan import write_plan
from samordna.plan.model import COL, STATUSES

SHEETS = ["Handlingsplan", "Under mål", "Resultater", "Speilet", "Oversikt", "Retningslinjen", "Om", "Lister"]


@pytest.fixture
def plan_2025(cli, sample_ws, tmp_path):
    out = tmp_path / "plan-2025.xlsx"
    res = cli(["plan", sample_ws, "--round", "2025", "--out", out])
    assert res.exit_code == 0, res.output
    return sample_ws, out


def _rows(sheet):
    return [r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0]]


def test_sheets_table_and_print_setup(plan_2025):
    _, out = plan_2025
    wb = load_workbook(out)
    assert wb.sheetnames == SHEETS
    assert wb["Lister"].sheet_state == "hidden"
    sheet = wb["Handlingsplan"]
    assert sheet.freeze_panes == "A2"
    table = sheet.tables["Handlingsplan"]
    assert table.ref == f"A1:O{len(_rows(sheet)) + 1}"
    assert table.tableStyleInfo.showRowStripes
    assert [c.value for c in sheet[1]][:4] == ["Tiltak-ID", "Type", "Område", "Indikator"]
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.paperSize) == 9  # A4
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1
    assert sheet.print_title_rows == "$1:$1"
    assert sheet.cell(row=2, column=COL["action"]).alignment.wrap_text
    assert sheet.column_dimensions["H"].width >= 40


def test_validations_and_conditional_formats(plan_2025):
    _, out = plan_2025
    sheet = load_workbook(out)["Handlingsplan"]
    by_col = {}
    for dv in sheet.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            by_col[rng.coord.split(":")[0].rstrip("0123456789")] = dv
    status, role, deadline, follow = by_col["K"], by_col["I"], by_col["J"], by_col["L"]
    assert status.type == "list" and status.formula1 == "Lister!$A$2:$A$6" and status.showErrorMessage  # no "=" (as Excel)
    lists = load_workbook(out)["Lister"]
    assert [lists.cell(row=r, column=1).value for r in range(2, 7)] == STATUSES
    assert role.type == "list" and role.formula1.startswith("Lister!$B$2") and not role.showErrorMessage  # free text allowed
    assert deadline.type == "date" and follow.type == "date"
    rules = {str(rng.sqref): list(rng.rules) for rng in sheet.conditional_formatting}
    status_rules = [r for k, rs in rules.items() if k.startswith("K2:") for r in rs]
    assert {f for r in status_rules for f in r.formula} >= {f'$K2="{s}"' for s in ("Fullført", "Pågår", "Utsatt", "Avbrutt")}
    gap_rules = [r for k, rs in rules.items() if k.startswith("G2:") for r in rs]
    assert gap_rules and gap_rules[0].type == "colorScale"
    assert any("TODAY()" in f for rs in rules.values() for r in rs for f in (r.formula or []))


def test_values_agree_with_score(plan_2025):
    ws_dir, out = plan_2025
    ws = Workspace(ws_dir)
    result = score_workspace_round(ws, ws.round("2025"))
    wb = load_workbook(out)
    rows = _rows(wb["Handlingsplan"])
    chosen = result.chosen_priorities
    kinds = [r[1] for r in rows]
    assert kinds == ["Prioritert"] * len(rows)  # the priorities only: no padding with every indicator below target
    assert rows[0][0].split("-", 1)[1].rsplit("-", 1)[0] == chosen[0]
    below = {r.id for r in result.indicators if r.below_target}
    assert {r[3].split()[0] for r in rows} == set(chosen)
    under = [r for r in wb["Under mål"].iter_rows(min_row=5, values_only=True) if r[0]]
    assert {r[2].split()[0] for r in under} == below - set(chosen) and len(under) == len(below - set(chosen))
    for r in under:
        ind = result.indicator(r[2].split()[0])
        assert (r[3], r[4], r[5]) == (ind.level, ind.target, ind.gap)
    for r in rows:
        ind = result.indicator(r[3].split()[0])
        assert (r[4], r[5], r[6]) == (ind.level, ind.target, ind.gap)
        assert r[10] == "Ikke startet"
        assert isinstance(r[4], (int, float))  # numbers as values, not formulas
    res_rows = {r[0]: r for r in wb["Resultater"].iter_rows(min_row=5, max_row=4 + len(result.domains), values_only=True)}
    for d in result.domains:
        assert (res_rows[d.name][1], *res_rows[d.name][3:5]) == (d.level, d.score, d.target_score)
    ov = {r[0]: r for r in wb["Oversikt"].iter_rows(min_row=5, max_row=4 + len(result.domains), values_only=True)}
    for d in result.domains:
        assert ov[d.name][2:] == (d.score, d.target_score)  # column B is the 2024 round
    guide = {r[0]: r for r in wb["Retningslinjen"].iter_rows(min_row=5, max_row=11, values_only=True)}
    assert len(guide) == 7
    for s in result.recommendations:
        key = s.short + ("" if s.confirmed else " (ikke bekreftet)")
        assert guide[key][3] == s.verdict_label and guide[key][4] == s.explanation and guide[key][5] == s.level
        assert guide[key][8] == ("" if s.confirmed else "Ikke bekreftet") or (s.confirmed and guide[key][8] is None)
    about = {r[0]: r[1] for r in wb["Om"].iter_rows(min_row=3, values_only=True) if r[0]}
    assert about["Kommune"] == "Eksempeldal" and about["Spørsmålsbank"] == result.bank_id
    assert about["Versjon av banken"] == result.bank_version and about["Deltakere"] == str(result.n_participants)


def test_native_chart_from_cells(plan_2025):
    _, out = plan_2025
    sheet = load_workbook(out)["Oversikt"]
    assert len(sheet._charts) == 1
    chart = sheet._charts[0]
    assert chart.tagname == "barChart"
    refs = [s.val.numRef.f for s in chart.series]
    assert refs == ["'Oversikt'!$B$5:$B$12", "'Oversikt'!$C$5:$C$12", "'Oversikt'!$D$5:$D$12"]  # previous, now, target
    assert sheet["B4"].value == "Runde 2024" and sheet["C4"].value == "Runde 2025"
    assert not sheet._images  # drawn by Excel from the cells, not a picture


def test_sample_plan_is_filled_in(repo_root):
    actions = read_plan(repo_root / "sample_municipality" / "handlingsplan-eksempeldal-2025.xlsx")
    statuses = [a.status for a in actions]
    assert statuses.count("Utsatt") == 1
    assert statuses.count("Fullført") >= 3 and statuses.count("Pågår") >= 3
    assert sum(1 for a in actions if a.responsible) >= 10 and sum(1 for a in actions if a.comment) >= 8
    assert any(a.kind == "eget tiltak" for a in actions)


def test_demo_step_writes_plan_from_previous(sample_ws, tmp_path):
    from samordna.demo.steps import DemoContext, plan_step

    ctx = DemoContext(workspace=sample_ws, out=tmp_path, say=lambda text: None, pdf=False)
    plan_step(ctx)
    assert ctx.written == [sample_ws / "handlingsplan-eksempeldal-2026.xlsx"]
    wb = load_workbook(ctx.written[0])
    assert "Forrige plan" in wb.sheetnames


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) er ikke installert")
def test_libreoffice_converts_headlessly(plan_2025, tmp_path):
    _, out = plan_2025
    profile = tmp_path / "lo-profile"
    proc = subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(out)], capture_output=True, text=True, timeout=180)
    pdf = tmp_path / (Path(out).stem + ".pdf")
    assert proc.returncode == 0, proc.stderr
    assert pdf.exists() and pdf.stat().st_size > 10_000 and pdf.read_bytes().startswith(b"%PDF")


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) er ikke installert")
def test_plan_saved_by_libreoffice_reads_back_the_same(repo_root, tmp_path):
    """A municipality that edits the plan in LibreOffice and saves it as .xlsx loses nothing."""
    sample = repo_root / "sample_municipality" / "handlingsplan-eksempeldal-2025.xlsx"
    proc = subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}", "--headless", "--convert-to",
         "xlsx:Calc MS Excel 2007 XML", "--outdir", str(tmp_path / "lo"), str(sample)],
        capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr
    assert read_plan(tmp_path / "lo" / sample.name) == read_plan(sample)


def test_write_plan_default_location(sample_ws):
    ws = Workspace(sample_ws)
    rnd = ws.round("2026")
    path = write_plan(ws, rnd)
    assert path == sample_ws / "handlingsplan-eksempeldal-2026.xlsx" == rnd.plan_path
