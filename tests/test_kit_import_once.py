"""kit and import do once what is the same for every form (issue 14).

The kit builds the styled form once and puts each code into its saved XML (``outputs.forms.FormPress``):
each form must be what building it alone gives. Import streams the two sheets it needs through openpyxl's
worksheet reader (the one of its read-only mode), only as far as the form reaches (``io.xlsx.read_sheets``):
it must give the same ImportPlan, the same problems and the same warnings as reading the whole workbook in
normal mode did, for ordinary and odd forms alike.
"""

from __future__ import annotations

import io
import random
import re
import time
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from samordna.core.answers import DONT_KNOW, NO, YES
from samordna.core.codes import generate_codes
from samordna.core.errors import SamordnaError
from samordna.core.models import Answer
from samordna.io import forms_reader
from samordna.io.form_layout import COLUMNS, META_KEYS, SHEET_FORM, SHEET_META, layout
from samordna.io.pins import ITERATIONS, hash_pin, hash_pins, load_pins
from samordna.io.workspace import Workspace
from samordna.io.xlsx import Cells, load_workbook_safely, read_sheets
from samordna.outputs.excel import set_text
from samordna.outputs.forms import PLACEHOLDER, FormPress, build_form, fill_form, form_filename
from samordna.outputs.kit import make_kit

R_OLD = "2025"  # the sample's round on bank 1.0.0
R_NEW = "2026"  # on bank 2.0.0: legal minimum, statutory indicators, local additions
CORE = "docProps/core.xml"  # the only part that carries the time of saving


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {info.filename: z.read(info) for info in z.infolist()}


def _alone(rnd, code: str | None) -> bytes:
    buf = io.BytesIO()
    build_form(rnd, code).save(buf)
    return buf.getvalue()


def _without_times(xml: bytes) -> bytes:
    return re.sub(rb"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>", b"", xml)


def _same_as_alone(pressed: bytes, alone: bytes) -> None:
    a, b = _members(pressed), _members(alone)
    assert list(a) == list(b)  # the same parts in the same order
    for name in a:
        if name == CORE:
            assert _without_times(a[name]) == _without_times(b[name])
        else:
            assert a[name] == b[name], name


# --- kit: the form is built once ------------------------------------------------------


@pytest.mark.parametrize("round_id", [R_OLD, R_NEW])
def test_pressed_forms_are_the_forms_built_alone(sample_ws, round_id):
    rnd = Workspace(sample_ws).round(round_id)
    press = FormPress(rnd)
    codes = generate_codes(random.Random(5), 3) + ["D05"]  # a generated code and an old-style one
    for code in codes:
        assert press.pressable(code)
        pressed = press.form_bytes(code)
        assert PLACEHOLDER.encode() not in b"".join(_members(pressed).values())
        _same_as_alone(pressed, _alone(rnd, code))


def test_pressed_form_reads_back_with_its_code_everywhere(sample_ws, tmp_path):
    rnd = Workspace(sample_ws).round(R_NEW)
    path = FormPress(rnd).write("K7QX", tmp_path)
    assert path.name == form_filename(rnd, "K7QX")
    wb = openpyxl.load_workbook(path)
    assert wb[SHEET_FORM]["C3"].value == "K7QX"
    assert wb[SHEET_FORM].oddFooter.left.text.endswith("· K7QX")
    assert wb[SHEET_META][f"B{META_KEYS.index('participant') + 1}"].value == "K7QX"
    assert "Deltakerkode: K7QX" in [c.value for c in wb["Veiledning"]["A"]]
    assert wb[SHEET_FORM].protection.sheet and wb.security.lockStructure
    assert wb[SHEET_FORM]["D9"].protection.locked is False and wb[SHEET_FORM]["C3"].protection.locked is True


def test_a_code_that_is_not_plain_letters_and_digits_is_built_alone(sample_ws):
    rnd = Workspace(sample_ws).round(R_OLD)
    press = FormPress(rnd)
    for code in ("A&B", "Å1", "K7 QX", PLACEHOLDER):
        assert not press.pressable(code)
        _same_as_alone(press.form_bytes(code), _alone(rnd, code))


def test_kit_forms_and_pins_are_as_before(sample_ws, tmp_path):
    """make_kit writes each personal form as build_form makes it, the blank form too, and a PIN for every code
    that checks with the full PBKDF2 (the hashing runs beside the form building, never weaker)."""
    ws = Workspace(sample_ws)
    rnd = ws.round(R_NEW)
    codes, forms, papers = make_kit(ws, rnd, 5, tmp_path / "kit", guide=False, rng=random.Random(3))
    assert len(forms) == 6 and forms[-1].name.endswith("-blankt.xlsx")
    for code, path in zip(codes, forms, strict=False):
        assert path.name == form_filename(rnd, code)
        _same_as_alone(path.read_bytes(), _alone(rnd, code))
    _same_as_alone(forms[-1].read_bytes(), _alone(rnd, None))
    stored = load_pins(rnd)
    assert set(codes) <= set(stored)
    slips = papers[0].read_text(encoding="utf-8")
    for code in codes:
        pin = re.search(rf"{code}.*?(\d{{4}})", slips, re.S).group(1)
        assert hash_pin(pin, bytes.fromhex(stored[code]["salt"])) == stored[code]["hash"]
    assert len({stored[c]["salt"] for c in codes}) == len(codes)  # a salt of its own for each


def test_hash_pins_is_the_full_pbkdf2_with_a_salt_each():
    import hashlib

    pins = {f"C{i:03d}": f"{i:04d}" for i in range(8)}
    hashed = hash_pins(pins)
    assert set(hashed) == set(pins)
    for code, pin in pins.items():
        salt = bytes.fromhex(hashed[code]["salt"])
        assert len(salt) == 16
        assert hashed[code]["hash"] == hashlib.pbkdf2_hmac("sha256", pin.encode(), salt, ITERATIONS).hex()


# --- import: read-only, as far as the form reaches ----------------------------------


def _full_mode_sheets(path: Path, wanted: dict[str, tuple[int, int]]) -> tuple[list[str], dict[str, Cells]]:
    """What the import read before: the whole workbook in normal mode (formulas as written)."""
    wb = load_workbook_safely(path, data_only=False)
    out = {}
    for name, (max_row, max_col) in wanted.items():
        if name in wb.sheetnames:
            out[name] = Cells({c.coordinate: c for row in wb[name].iter_rows(min_row=1, max_row=max_row,
                                                                               max_col=max_col)
                               for c in row if c.value is not None})
    return list(wb.sheetnames), out


def _edit(path: Path, sheet: str, cell: str, value: Any, *, text: bool = True) -> None:
    wb = openpyxl.load_workbook(path)
    if isinstance(value, str) and text:
        set_text(wb[sheet][cell], value)
    else:
        wb[sheet][cell].value = value  # a string starting with = becomes a formula, as when typed in Excel
    wb.save(path)


def _claim_huge_size(path: Path) -> None:
    """The «Svar» sheet says it is A1:XFD1048576 (a hostile file); the cells are as before."""
    parts = _members(path.read_bytes())
    sheet = "xl/worksheets/sheet2.xml"
    parts[sheet] = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', parts[sheet])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)


def _answers(bank, seed: int, every: int = 5) -> dict[str, Answer]:
    rng = random.Random(seed)
    out = {item.id: Answer(level=rng.choice([YES, NO, DONT_KNOW])) for item in bank.legal_minimum}
    for i, ind in enumerate(bank.indicators):
        level = rng.choice([0, 1, 2, 3, 4, DONT_KNOW])
        out[ind.id] = Answer(level=level, comment=f"Merknad {i} om {ind.id}." if i % every == 0 else None)
    return out


@pytest.fixture
def odd_forms(sample_ws, tmp_path):
    """A kit's forms filled in, some of them oddly: (round, {label: path})."""
    ws = Workspace(sample_ws)
    rnd = ws.round(R_NEW)
    codes, forms, _ = make_kit(ws, rnd, 7, tmp_path / "kit", guide=False, rng=random.Random(11))
    sectors = [s.name for s in ws.sectors.sectors]
    bank = rnd.bank
    ind_rows = [r for r in layout(bank) if r.kind == "indicator"]
    for i, path in enumerate(forms[:-1]):
        fill_form(path, sectors[i % len(sectors)], _answers(bank, i))
    plain, formula, partial, numbers, moved, dated, huge = forms[:7]
    # a formula typed in a comment (and an array formula), kept as text with a warning
    _edit(formula, SHEET_FORM, f"E{ind_rows[0].row}", '=HYPERLINK("http://x";"klikk")', text=False)
    wb = openpyxl.load_workbook(formula)
    from openpyxl.worksheet.formula import ArrayFormula

    wb[SHEET_FORM][f"E{ind_rows[1].row}"] = ArrayFormula(f"E{ind_rows[1].row}", "=SUM(A1:A2)")
    wb.save(formula)
    # partly filled
    wb = openpyxl.load_workbook(partial)
    for r in ind_rows[3:]:
        wb[SHEET_FORM][f"D{r.row}"].value = None
        wb[SHEET_FORM][f"E{r.row}"].value = None
    wb.save(partial)
    # paper-style answers: bare numbers, «VI», a float, a bool in a comment
    _edit(numbers, SHEET_FORM, f"D{ind_rows[0].row}", 3, text=False)
    _edit(numbers, SHEET_FORM, f"D{ind_rows[1].row}", 2.0, text=False)
    _edit(numbers, SHEET_FORM, f"D{ind_rows[2].row}", "VI")
    _edit(numbers, SHEET_FORM, f"E{ind_rows[3].row}", True, text=False)
    _edit(numbers, SHEET_FORM, f"E{ind_rows[4].row}", 1234.5, text=False)
    # a moved row
    _edit(moved, SHEET_FORM, f"A{ind_rows[2].row}", "LED-99")
    # a date typed in a comment and an answer (read as Excel shows it)
    _edit(dated, SHEET_FORM, f"E{ind_rows[0].row}", datetime(2026, 3, 1), text=False)
    _edit(dated, SHEET_FORM, f"D{ind_rows[1].row}", datetime(2026, 3, 1), text=False)
    # a date in a workbook on the 1904 date system (old Mac Excel)
    mac = tmp_path / "mac-1904.xlsx"
    mac.write_bytes(dated.read_bytes())
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    wb = openpyxl.load_workbook(mac)
    wb.epoch = CALENDAR_MAC_1904
    wb[SHEET_FORM][f"E{ind_rows[0].row}"] = datetime(2026, 3, 1)
    wb[SHEET_FORM][f"D{ind_rows[1].row}"] = None
    wb.save(mac)
    # a sheet that claims to be as large as Excel allows
    _claim_huge_size(huge)
    # another municipality's form: the same kit, its number changed
    other = tmp_path / "annen-kommune.xlsx"
    other.write_bytes(plain.read_bytes())
    _edit(other, SHEET_META, f"B{META_KEYS.index('municipality_number') + 1}", "1234")
    # saved as .ods (refused by its name), an empty file named .xlsx, and a workbook that is not a form
    ods = tmp_path / "svar.ods"
    ods.write_bytes(b"PK\x03\x04mimetypeapplication/vnd.oasis.opendocument.spreadsheet")
    broken = tmp_path / "tom.xlsx"
    broken.write_bytes(b"")
    foreign = tmp_path / "annet.xlsx"
    openpyxl.Workbook().save(foreign)
    return rnd, {"plain": plain, "formula": formula, "partial": partial, "numbers": numbers, "moved": moved,
                 "dated": dated, "mac": mac, "huge": huge, "other": other, "ods": ods, "broken": broken, "foreign": foreign,
                 "blank": forms[-1]}


def _read_each(rnd, forms: dict[str, Path]) -> dict[str, tuple]:
    out = {}
    for label, path in forms.items():
        form, problems, warnings = forms_reader.read_form(path, rnd)
        data = None if form is None else (form.code, form.sector, form.answers, form.n_comments, form.n_items)
        out[label] = (data, problems, warnings)
    return out


def test_read_only_import_reads_every_form_as_the_full_reader_did(odd_forms, monkeypatch):
    rnd, forms = odd_forms
    now = _read_each(rnd, forms)
    monkeypatch.setattr(forms_reader, "read_sheets", _full_mode_sheets)
    before = _read_each(rnd, forms)
    assert now == before
    # and the odd forms are odd in the way the tests of the import expect
    assert now["plain"][0] is not None and not now["plain"][1]
    assert any("formel" in w for w in now["formula"][2])
    formula_answers = now["formula"][0][2]
    texts = sorted(a.comment for a in formula_answers.values() if a.comment and a.comment.startswith("="))
    assert texts == ['=HYPERLINK("http://x";"klikk")', "=SUM(A1:A2)"]
    assert now["partial"][0] is not None and now["partial"][0][4] - len(now["partial"][0][2]) > 0
    assert now["numbers"][0] is not None
    assert any("Rader er flyttet" in p for p in now["moved"][1])
    assert any("2026-03-01" in p for p in now["dated"][1])  # the date in the answer cell is refused, by cell
    assert now["huge"][0] is not None
    mac_comments = [a.comment for a in now["mac"][0][2].values() if a.comment]
    assert "2026-03-01 00:00:00" in mac_comments  # the date as the spreadsheet shows it, not a day number
    assert any("kommunenummer 1234" in p for p in now["other"][1])
    assert any("LibreOffice sitt eget format" in p for p in now["ods"][1])
    assert any("ikke en gyldig Excel-fil" in p for p in now["broken"][1])
    assert any(f"skjulte arket «{SHEET_META}»" in p for p in now["foreign"][1])
    assert any("skriv deltakerkoden" in p for p in now["blank"][1])


def test_read_only_import_gives_the_same_plan_for_a_batch(odd_forms, monkeypatch):
    rnd, forms = odd_forms
    good = [forms[k] for k in ("plain", "formula", "partial", "numbers", "huge")]

    def plan_of(paths):
        plan = forms_reader.read_forms(rnd, paths)
        return [(f.path, f.code, f.sector, f.answers, f.n_comments, f.n_items) for f in plan.forms], plan.warnings

    def problems_of(paths):
        with pytest.raises(SamordnaError) as exc:
            forms_reader.read_forms(rnd, paths)
        return exc.value.message, exc.value.problems

    now = plan_of(good), problems_of(list(forms.values()))
    monkeypatch.setattr(forms_reader, "read_sheets", _full_mode_sheets)
    assert now == (plan_of(good), problems_of(list(forms.values())))


def test_read_sheets_stops_where_the_form_ends(odd_forms):
    """The hostile size claim costs nothing: only the rows and columns asked for are read."""
    rnd, forms = odd_forms
    last = layout(rnd.bank)[-1].row + 1
    t = time.process_time()
    names, sheets = read_sheets(forms["huge"], {SHEET_FORM: (last, len(COLUMNS)), "Finnes ikke": (3, 3)})
    assert time.process_time() - t < 5
    assert SHEET_FORM in names and "Finnes ikke" not in sheets
    coords = list(sheets[SHEET_FORM].cells)
    assert coords and all(int(re.sub(r"[A-Z]+", "", c)) <= last and c[0] in "ABCDE" for c in coords)
    assert sheets[SHEET_FORM]["Z999"].value is None


def test_many_forms_read_in_worker_processes_give_what_one_by_one_gives(odd_forms, monkeypatch):
    rnd, forms = odd_forms
    paths = list(forms.values())
    assert len(paths) >= forms_reader.PARALLEL_FROM  # read in worker processes where the system can fork
    parallel = forms_reader._read_all(rnd, forms_reader.FormSpec(rnd.bank), paths)
    monkeypatch.setattr(forms_reader, "PARALLEL_FROM", 10_000)
    one_by_one = forms_reader._read_all(rnd, forms_reader.FormSpec(rnd.bank), paths)
    assert parallel == one_by_one
    assert forms_reader._SHARED is None  # nothing of the import is left behind for the next one
