"""The forms in LibreOffice: they open, print to PDF, keep their dropdowns, and import after a save there.

Run on both of the sample's kinds of round: 2025 on the archived bank 1.0.0 (one answer list) and the current
round 2026 on bank 2.0.0 with the municipality's own indicator (level, statutory and legal-minimum lists)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from samordna.io.form_layout import (
    CODE_CELL,
    LEGAL_LIST_NAME,
    LEVEL_LIST_NAME,
    SECTOR_CELL,
    SECTOR_LIST_NAME,
    SHEET_FORM,
    SHEET_LISTS,
    SHEET_META,
    STATUTORY_LIST_NAME,
    layout,
    list_name_for,
)
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


def _dropdowns(wb) -> dict[str, str]:
    """Cell on the answer sheet -> the named list its dropdown uses."""
    out = {}
    for dv in wb[SHEET_FORM].data_validations.dataValidation:
        if dv.type != "list":
            continue
        for rng in dv.sqref.ranges:
            for row in range(rng.min_row, rng.max_row + 1):
                for col in range(rng.min_col, rng.max_col + 1):
                    out[f"{openpyxl.utils.get_column_letter(col)}{row}"] = dv.formula1
    return out


def _lists(wb, names) -> dict[str, tuple[str, list]]:
    """Each named list: the range it names, and the choices in that range."""
    out = {}
    for name in names:
        ref = wb.defined_names[name].attr_text.replace("'", "")
        sheet, cells = ref.split("!")
        out[name] = (ref, [c.value for row in wb[sheet][cells.replace("$", "")] for c in row])
    return out


@pytest.mark.parametrize("round_id, lists", [
    ("2025", {LEVEL_LIST_NAME, SECTOR_LIST_NAME}),
    ("2026", {LEVEL_LIST_NAME, STATUTORY_LIST_NAME, LEGAL_LIST_NAME, SECTOR_LIST_NAME}),
])
def test_form_survives_libreoffice_and_imports(cli, sample_ws, tmp_path, round_id, lists):
    rnd = Workspace(sample_ws).round(round_id)
    form = make_kit(cli, sample_ws, tmp_path / "kit", n=1, round_id=round_id)[0]
    code = openpyxl.load_workbook(form)[SHEET_FORM][CODE_CELL].value
    answers = random_answers(rnd.bank, 5)  # the round's bank: legal minimum and BRU-L01 on 2.0.0
    fill_form(form, "Barnevern", answers)
    original = openpyxl.load_workbook(form)
    profile = tmp_path / "lo-profile"

    pdf = soffice(form, "pdf", tmp_path / "pdf", profile)
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 20_000

    saved = soffice(form, 'xlsx:Calc MS Excel 2007 XML', tmp_path / "lo", profile)
    wb = openpyxl.load_workbook(saved)
    assert wb[SHEET_LISTS].sheet_state == "hidden" and wb[SHEET_META].sheet_state == "hidden"
    # every answer cell keeps the dropdown its row should have (legal, statutory or plain levels)
    expected = {f"D{r.row}": list_name_for(rnd.bank, r.id) for r in layout(rnd.bank) if r.kind in ("indicator", "legal")}
    expected[SECTOR_CELL] = SECTOR_LIST_NAME
    assert set(expected.values()) == lists
    assert _dropdowns(original) == expected
    assert _dropdowns(wb) == expected
    # and the named lists still point at the same choices on the hidden sheet
    assert _lists(wb, lists) == _lists(original, lists)
    assert _lists(wb, [LEVEL_LIST_NAME])[LEVEL_LIST_NAME][0] == f"{SHEET_LISTS}!$A$2:$A$8"
    assert wb[SHEET_FORM].protection.sheet

    res = cli(["import", sample_ws, saved, "--round", round_id])
    assert res.exit_code == 0, res.output
    pf = rnd.load_participant(code)
    assert pf.sector == "barnevern"
    assert {k: a.level for k, a in pf.answers.items()} == {k: a.level for k, a in answers.items()}


def test_a_form_saved_as_ods_is_refused_and_imports_once_saved_as_xlsx(cli, sample_ws, tmp_path):
    """LibreOffice's own format is refused with the steps; done as told (.ods → .xlsx), the form imports."""
    rnd = Workspace(sample_ws).round()
    form = make_kit(cli, sample_ws, tmp_path / "kit", n=1)[0]
    answers = random_answers(rnd.bank, 7)
    fill_form(form, "NAV", answers)
    profile = tmp_path / "lo-profile"
    ods = soffice(form, "ods", tmp_path / "ods", profile)
    before = sorted((sample_ws / "runder" / rnd.id / "svar").glob("*.yaml"))
    res = cli(["import", sample_ws, ods])
    assert res.exit_code == 2, res.output
    assert f"{ods.name}: skjemaet er lagret i LibreOffice sitt eget format (.ods)" in res.stderr
    assert "Fil → Lagre som …" in res.stderr and "«Excel 2007-365 (.xlsx)»" in res.stderr
    assert sorted((sample_ws / "runder" / rnd.id / "svar").glob("*.yaml")) == before
    renamed = tmp_path / "omdøpt.xlsx"  # an .ods renamed to .xlsx is recognised by its content
    renamed.write_bytes(ods.read_bytes())
    res = cli(["import", sample_ws, renamed])
    assert res.exit_code == 2 and "omdøpt.xlsx: skjemaet er lagret i LibreOffice sitt eget format" in res.stderr
    saved = soffice(ods, "xlsx:Calc MS Excel 2007 XML", tmp_path / "xlsx", profile)
    res = cli(["import", sample_ws, saved])
    assert res.exit_code == 0, res.output
    pf = rnd.load_participant(form.stem.rsplit("-", 1)[1])
    assert {k: a.level for k, a in pf.answers.items()} == {k: a.level for k, a in answers.items()}
    assert {k: a.comment for k, a in pf.answers.items()} == {k: a.comment for k, a in answers.items()}
