"""The forms in LibreOffice: they open, print to PDF, keep their dropdowns, and import after a save there."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from samordna.io.form_layout import LEVEL_LIST_NAME, SECTOR_LIST_NAME, SHEET_FORM, SHEET_LISTS, SHEET_META
from samordna.io.workspace import Workspace
from samordna.outputs.forms import fill_form
from test_kit import make_kit, random_answers

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) er ikke installert")]


def soffice(src: Path, target: str, outdir: Path, profile: Path) -> Path:
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", target,
         "--outdir", str(outdir), str(src)],
        check=True, capture_output=True, timeout=120,
    )
    out = outdir / (src.stem + "." + target.split(":")[0])
    assert out.exists(), f"LibreOffice wrote nothing for {src}"
    return out


def test_form_survives_libreoffice_and_imports(cli, sample_ws, tmp_path, bank):
    form = make_kit(cli, sample_ws, tmp_path / "kit", n=1)[0]
    answers = random_answers(bank, 5)
    fill_form(form, "Barnevern", answers)
    profile = tmp_path / "lo-profile"

    pdf = soffice(form, "pdf", tmp_path / "pdf", profile)
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 20_000

    saved = soffice(form, 'xlsx:Calc MS Excel 2007 XML', tmp_path / "lo", profile)
    wb = openpyxl.load_workbook(saved)
    assert wb[SHEET_LISTS].sheet_state == "hidden" and wb[SHEET_META].sheet_state == "hidden"
    formulas = {dv.formula1 for dv in wb[SHEET_FORM].data_validations.dataValidation if dv.type == "list"}
    assert formulas == {LEVEL_LIST_NAME, SECTOR_LIST_NAME}
    assert wb.defined_names[LEVEL_LIST_NAME].attr_text.replace("'", "") == f"{SHEET_LISTS}!$A$2:$A$8"
    assert wb[SHEET_FORM].protection.sheet

    res = cli(["import", sample_ws, saved])
    assert res.exit_code == 0, res.output
    pf = Workspace(sample_ws).round("2026").load_participant("D12")
    assert pf.sector == "barnevern"
    assert {k: a.level for k, a in pf.answers.items()} == {k: a.level for k, a in answers.items()}
