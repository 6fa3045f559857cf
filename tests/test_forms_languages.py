"""The Excel answer form in bokmål, nynorsk and English: each carries its language, and all three import to the
same answers (the dropdown values of each language mapped to the same answer values)."""

from __future__ import annotations

import random

import openpyxl
import pytest

from samordna.core.answers import DONT_KNOW, NO, NOT_APPLICABLE, YES
from samordna.core.models import Answer
from samordna.i18n import LANGUAGES, in_language, use_language
from samordna.io.form_layout import (
    COL_ANSWER,
    COL_COMMENT,
    COLUMNS,
    DONT_KNOW_TEXT,
    HEADER_ROW,
    LANGUAGE_KEY,
    LANGUAGE_ROW,
    LEVEL_NAMES,
    NOT_APPLICABLE_TEXT,
    SECTOR_CELL,
    SHEET_LISTS,
    SHEET_META,
    YES_TEXT,
    FormSpec,
    form_sheet_title_in,
    layout,
)
from samordna.io.forms_reader import read_forms
from samordna.io.workspace import Workspace
from samordna.outputs.forms import write_form, write_forms

CODES = {"nb": "K7QX", "nn": "M3TR", "en": "P9WZ"}


def _answers(bank) -> dict[str, Answer]:
    """The same answers for every language: every kind (levels, vet ikke, ikke relevant, ja, nei), some comments."""
    rng = random.Random(15)
    out: dict[str, Answer] = {}
    for item in bank.legal_minimum:
        out[item.id] = Answer(level=rng.choice([YES, NO, DONT_KNOW]))
    for i, ind in enumerate(bank.indicators):
        level = rng.choice([0, 1, 2, 3, 4, DONT_KNOW, NOT_APPLICABLE])
        if not bank.allows(ind.id, level):
            level = DONT_KNOW
        out[ind.id] = Answer(level=level, comment=f"Merknad {i}." if i % 5 == 0 else None)
    return out


def _fill(path, bank, answers: dict[str, Answer]) -> None:
    """Fill a form the way a person does: each answer as its dropdown offers it (read from the form's own lists)."""
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[1]  # the answer sheet, whatever its name in the form's language
    lists = wb[SHEET_LISTS]
    levels = [lists[f"A{i}"].value for i in range(2, 9)]  # 0–4, vet ikke, ikke relevant
    offered: dict[object, str] = {lv: levels[lv] for lv in range(5)}
    offered.update({DONT_KNOW: levels[5], NOT_APPLICABLE: levels[6]})
    legal = {YES: lists["D2"].value, NO: lists["D3"].value, DONT_KNOW: lists["D4"].value}
    ws[SECTOR_CELL] = lists["B2"].value  # the first sector the dropdown offers
    for row in layout(bank):
        if not row.answered:
            continue
        answer = answers[row.id]
        ws[f"{COL_ANSWER}{row.row}"] = (legal if row.kind == "legal" else offered)[answer.level]
        if answer.comment:
            ws[f"{COL_COMMENT}{row.row}"] = answer.comment
    wb.save(path)


@pytest.fixture
def forms(empty_ws, tmp_path):
    """A filled form for each language, made by the kit's writer in that language."""
    rnd = Workspace(empty_ws).round()
    answers = _answers(rnd.bank)
    made = {}
    for code in LANGUAGES:
        with use_language(code):
            path = write_forms(rnd, [CODES[code]], tmp_path / code)[0]
        _fill(path, rnd.bank, answers)
        made[code] = path
    return rnd, answers, made


def test_forms_in_each_language_import_to_the_same_answers(forms):
    rnd, answers, made = forms
    read = {}
    for code, path in made.items():
        plan = read_forms(rnd, [path])
        assert len(plan.forms) == 1
        form = plan.forms[0]
        assert form.code == CODES[code] and form.missing == 0
        read[code] = (form.sector, form.answers)
    assert read["nb"][1] == answers
    assert read["nn"] == read["nb"] and read["en"] == read["nb"]


def test_each_form_records_its_language_and_is_written_in_it(forms):
    _rnd, _answers, made = forms
    for code, path in made.items():
        wb = openpyxl.load_workbook(path)
        meta = wb[SHEET_META]
        assert meta[f"A{LANGUAGE_ROW}"].value == LANGUAGE_KEY and meta[f"B{LANGUAGE_ROW}"].value == code
        ws = wb.worksheets[1]
        assert ws.title == form_sheet_title_in(code)
        assert [ws.cell(row=HEADER_ROW, column=i + 1).value for i in range(len(COLUMNS))] == [
            in_language(code, title) for title in COLUMNS]
    # the forms really differ (true once the nynorsk and English catalogs are merged)
    headers = {code: openpyxl.load_workbook(path).worksheets[1][f"{COL_ANSWER}{HEADER_ROW}"].value
               for code, path in made.items()}
    assert headers["en"] != headers["nb"]
    assert len({openpyxl.load_workbook(path).worksheets[0].title for path in made.values()}) == 3


def test_a_form_without_a_language_marker_reads_as_bokmal(empty_ws, tmp_path):
    """Forms handed out before the language was recorded still import."""
    rnd = Workspace(empty_ws).round()
    answers = _answers(rnd.bank)
    path = write_form(rnd, "K7QX", tmp_path)
    _fill(path, rnd.bank, answers)
    wb = openpyxl.load_workbook(path)
    meta = wb[SHEET_META]
    meta[f"A{LANGUAGE_ROW}"] = None
    meta[f"B{LANGUAGE_ROW}"] = None
    wb.save(path)
    plan = read_forms(rnd, [path])
    assert plan.forms[0].answers == answers


def test_answers_written_in_any_language_are_read(empty_ws):
    """«Veit ikkje», «Don't know», «2 – Delvis på plass», «J»: every language's words give the same answer."""
    rnd = Workspace(empty_ws).round()
    bank = rnd.bank
    spec = FormSpec(bank)
    rows = layout(bank)
    ind_row = next(r for r in rows if r.kind == "indicator" and not bank.indicator_by_id[r.id].is_statutory)
    legal_row = next(r for r in rows if r.kind == "legal")
    for code in LANGUAGES:
        assert spec.parse(in_language(code, DONT_KNOW_TEXT), ind_row) == DONT_KNOW
        assert spec.parse(in_language(code, NOT_APPLICABLE_TEXT), ind_row) == NOT_APPLICABLE
        assert spec.parse(in_language(code, DONT_KNOW_TEXT).upper(), legal_row) == DONT_KNOW
        assert spec.parse(in_language(code, YES_TEXT), legal_row) == YES
        assert spec.parse(in_language(code, YES_TEXT)[:1], legal_row) == YES
        for lv, name in enumerate(LEVEL_NAMES):
            if bank.scale.name(lv) == name:
                assert spec.parse(f"{lv} – {in_language(code, name)}", ind_row) == lv
