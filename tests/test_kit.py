"""samordna kit / import: the Excel forms, reading them back (all or nothing), and the guide."""

from __future__ import annotations

import random
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest

from banks import pinned_to_bank_1_0
from samordna.core.answers import DONT_KNOW, NO, NOT_APPLICABLE, YES
from samordna.core.codes import is_generated_shape, next_codes
from samordna.core.models import Answer
from samordna.io.form_layout import (
    CODE_CELL,
    LEVEL_LIST_NAME,
    SECTOR_CELL,
    SECTOR_LIST_NAME,
    SHEET_FORM,
    SHEET_LISTS,
    SHEET_META,
    answer_options,
    layout,
)
from samordna.io.workspace import Workspace
from samordna.outputs.forms import fill_form

# These tests were written for bank 1.0.0; they now also show that a round on it keeps working unchanged.
# Bank 2.0 (legal minimum, statutory indicators, level descriptors) is tested in test_legal_minimum_inputs.py.
# The form and import tests therefore use the sample's round 2025 (on bank 1.0.0, answers from D01–D10; the
# kit adds codes from the generator); the guide test follows the sample's current round 2026 on bank 2.0.0.
R = "2025"


bank_path, bank = pinned_to_bank_1_0()


SECTORS = ["Kommunens ledelse", "Barnehage", "Grunnskole", "Barnevern", "NAV", "PPT",
           "Helsestasjon og skolehelsetjeneste", "Psykisk helse og rus", "Kultur og fritid", "Politi / SLT / politiråd"]


def random_answers(bank, seed: int, comment_every: int = 7) -> dict[str, Answer]:
    """Answers to every item: ja/nei/vet ikke on the legal minimum, no «ikke relevant» on a statutory indicator."""
    rng = random.Random(seed)
    out = {}
    for item in bank.legal_minimum:
        out[item.id] = Answer(level=rng.choice([YES, YES, YES, NO, DONT_KNOW]))
    for i, ind in enumerate(bank.indicators):
        r = rng.random()
        level = DONT_KNOW if r < 0.08 else NOT_APPLICABLE if r < 0.1 else rng.choice([1, 2, 2, 3, 3, 4])
        if not bank.allows(ind.id, level):
            level = DONT_KNOW
        comment = f"Rutinen for {ind.short.lower()} er lite kjent." if i % comment_every == seed % comment_every else None
        out[ind.id] = Answer(level=level, comment=comment)
    return out


def make_kit(cli, ws_dir: Path, out: Path, n: int = 3, round_id: str | None = None) -> list[Path]:
    """The personal forms of a new kit (for the workspace's newest round unless ``round_id`` is given)."""
    res = cli(["kit", ws_dir, "--participants", n, "--out", out, "--no-pdf", *(["--round", round_id] if round_id else [])])
    assert res.exit_code == 0, res.output
    return sorted(p for p in out.glob("svarskjema-*.xlsx") if not p.stem.endswith("-blankt"))


def code_of(form: Path) -> str:
    """The participant code a kit form is for (its file name carries the public code only)."""
    return form.stem.rsplit("-", 1)[1]


def svar_files(ws_dir: Path, round_id: str = R) -> list[str]:
    return sorted(p.name for p in (ws_dir / "runder" / round_id / "svar").glob("*.yaml"))


# --- the forms -------------------------------------------------------------------------


def test_kit_writes_one_form_per_participant_with_new_codes(cli, sample_ws, tmp_path):
    out = tmp_path / "kit"
    forms = make_kit(cli, sample_ws, out, n=10)
    # codes from the generator (never sequential), none of them taken by the sample round's D01–D11
    codes = [code_of(f) for f in forms]
    assert len(set(codes)) == 10 and all(is_generated_shape(c) for c in codes), codes
    assert not set(codes) & set(Workspace(sample_ws).round().participant_codes())
    assert (out / "svarskjema-eksempeldal-2026-blankt.xlsx").exists()
    assert (out / "fasilitatorveiledning-eksempeldal-2026.html").exists()
    # a second kit never reuses a code whose form was handed out
    more = make_kit(cli, sample_ws, out, n=2)
    assert len({f.name for f in more} - {f.name for f in forms}) == 2


def test_next_codes_skip_taken():
    assert next_codes({"D01", "D03"}, 3) == ["D02", "D04", "D05"]


def test_form_structure_dropdowns_protection_and_print(cli, sample_ws, tmp_path, bank):
    form = make_kit(cli, sample_ws, tmp_path / "kit", n=1, round_id=R)[0]
    wb = openpyxl.load_workbook(form)
    assert wb.sheetnames[:2] == ["Veiledning", SHEET_FORM]
    assert wb[SHEET_LISTS].sheet_state == "hidden" and wb[SHEET_META].sheet_state == "hidden"
    assert wb.security.lockStructure
    ws = wb[SHEET_FORM]

    # dropdowns reference lists on the hidden sheet, never an inline list
    dvs = ws.data_validations.dataValidation
    by_formula = {dv.formula1: dv for dv in dvs}
    assert set(by_formula) == {LEVEL_LIST_NAME, SECTOR_LIST_NAME}
    assert all(len(dv.formula1) < 255 and not dv.formula1.startswith('"') for dv in dvs)
    level_cells = {str(c) for rng in by_formula[LEVEL_LIST_NAME].sqref.ranges for c in _cells(rng)}
    rows = layout(bank)
    assert level_cells == {f"D{r.row}" for r in rows if r.kind == "indicator"}
    assert str(by_formula[SECTOR_LIST_NAME].sqref) == SECTOR_CELL
    ref = wb.defined_names[LEVEL_LIST_NAME].attr_text
    assert ref == f"'{SHEET_LISTS}'!$A$2:$A$8"
    listed = [wb[SHEET_LISTS][f"A{i}"].value for i in range(2, 9)]
    assert listed == [label for _, label in answer_options(bank)]
    assert listed[0] == "0 – Ikke på plass" and listed[4] == "4 – På plass og fulgt opp"
    assert listed[5:] == ["Vet ikke", "Ikke relevant"]
    assert len(",".join(listed)) > 60  # (and so would be fragile as an inline list)

    # one row per indicator, grouped by domain, with statement and help text
    first = next(r for r in rows if r.kind == "indicator")
    ind = bank.indicator_by_id[first.id]
    assert ws[f"A{first.row}"].value == ind.id
    assert ws[f"B{first.row}"].value == ind.statement and ws[f"C{first.row}"].value == ind.help
    assert ws[f"B{rows[0].row}"].value == bank.domains[0].name

    # only answer, comment and sector cells are editable
    assert ws.protection.sheet
    assert not ws[f"D{first.row}"].protection.locked and not ws[f"E{first.row}"].protection.locked
    assert not ws[SECTOR_CELL].protection.locked
    assert ws[f"A{first.row}"].protection.locked and ws[f"B{first.row}"].protection.locked
    assert ws[CODE_CELL].protection.locked and ws[CODE_CELL].value == code_of(form)

    # prints on A4: landscape, fit to width, header row repeated, wrapped text
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows.replace("$", "") == "7:7"
    assert ws[f"B{first.row}"].alignment.wrap_text


def _cells(rng):
    for row in range(rng.min_row, rng.max_row + 1):
        for col in range(rng.min_col, rng.max_col + 1):
            yield f"{openpyxl.utils.get_column_letter(col)}{row}"


def test_blank_form_has_an_editable_code_cell(cli, sample_ws, tmp_path):
    make_kit(cli, sample_ws, tmp_path / "kit", n=0)
    blank = tmp_path / "kit" / "svarskjema-eksempeldal-2026-blankt.xlsx"
    ws = openpyxl.load_workbook(blank)[SHEET_FORM]
    assert ws[CODE_CELL].value is None and not ws[CODE_CELL].protection.locked


# --- import --------------------------------------------------------------------------


def test_import_filled_forms(cli, sample_ws, tmp_path, bank):
    forms = make_kit(cli, sample_ws, tmp_path / "kit", n=2, round_id=R)
    for i, form in enumerate(forms):
        fill_form(form, SECTORS[i], random_answers(bank, i))
    res = cli(["import", sample_ws, *forms, "--round", R])
    assert res.exit_code == 0, res.output
    assert f"{code_of(forms[0])} (Kommunens ledelse)" in res.stdout and f"2 skjema lest inn i runde {R}" in res.stdout
    pf = Workspace(sample_ws).round(R).load_participant(code_of(forms[1]))
    assert pf.sector == "barnehage" and pf.source == "skjema"
    assert {k: a.level for k, a in pf.answers.items()} == {k: a.level for k, a in random_answers(bank, 1).items()}
    # importing the same participant again needs --replace
    res = cli(["import", sample_ws, forms[0], "--round", R])
    assert res.exit_code == 2 and code_of(forms[0]) in res.stderr and "--replace" in res.stderr
    assert cli(["import", sample_ws, forms[0], "--round", R, "--replace"]).exit_code == 0


def test_blank_form_code_is_read_and_validated(cli, sample_ws, tmp_path, bank):
    make_kit(cli, sample_ws, tmp_path / "kit", n=0, round_id=R)
    blank = tmp_path / "kit" / f"svarskjema-eksempeldal-{R}-blankt.xlsx"
    fill_form(blank, "NAV", random_answers(bank, 3), code="Kari Nordmann")
    res = cli(["import", sample_ws, blank, "--round", R])
    assert res.exit_code == 2 and f"ark «{SHEET_FORM}», celle {CODE_CELL}" in res.stderr and "aldri navn" in res.stderr
    fill_form(blank, "NAV", random_answers(bank, 3), code="D40")
    assert cli(["import", sample_ws, blank, "--round", R]).exit_code == 0
    assert "D40.yaml" in svar_files(sample_ws)


def _filled(cli, ws_dir, tmp_path, bank, n=2):
    forms = make_kit(cli, ws_dir, tmp_path / "kit", n=n, round_id=R)
    for i, form in enumerate(forms):
        fill_form(form, SECTORS[i], random_answers(bank, i))
    return forms


def _edit(path: Path, sheet: str, cell: str, value) -> None:
    """Edit a cell as a person typing would (text stays text, even with a leading =)."""
    from samordna.outputs.excel import set_text

    wb = openpyxl.load_workbook(path)
    if isinstance(value, str):
        set_text(wb[sheet][cell], value)
    else:
        wb[sheet][cell].value = value
    wb.save(path)


def test_tampered_form_rejects_the_whole_batch(cli, sample_ws, tmp_path, bank):
    good, bad = _filled(cli, sample_ws, tmp_path, bank)
    before = svar_files(sample_ws)
    row = layout(bank)[2].row  # a row is "moved": its id no longer matches
    _edit(bad, SHEET_FORM, f"A{row}", "LED-99")
    res = cli(["import", sample_ws, good, bad, "--round", R])
    assert res.exit_code == 2
    assert f"{bad.name}, ark «{SHEET_FORM}», celle A{row}" in res.stderr
    assert "Ingenting er importert" in res.stderr
    assert svar_files(sample_ws) == before  # the good form was not imported either


def test_value_outside_the_list_is_rejected_with_cell(cli, sample_ws, tmp_path, bank):
    good, bad = _filled(cli, sample_ws, tmp_path, bank)
    before = svar_files(sample_ws)
    row = layout(bank)[1].row
    _edit(bad, SHEET_FORM, f"D{row}", "5 – Helt fantastisk")
    res = cli(["import", sample_ws, good, bad, "--round", R])
    assert res.exit_code == 2
    assert f"{bad.name}, ark «{SHEET_FORM}», celle D{row}" in res.stderr and "ikke et svar i listen" in res.stderr
    assert svar_files(sample_ws) == before


@pytest.mark.parametrize("sheet, cell, value, expected", [
    (SHEET_META, "B3", "9.9.9", "spørsmålsbanken samordna-0-24 9.9.9"),
    (SHEET_META, "B4", "2026", "laget for runde 2026"),
    (SHEET_META, "B5", "1234", "kommunenummer 1234"),
    (SHEET_META, "B8", "0000", "fingeravtrykket er endret"),
    (SHEET_FORM, "D7", "Svar", "overskriften skal være «Ditt svar»"),
    (SHEET_FORM, "B9", "I vår kommune er alt bra.", "påstanden for LED-01 er endret"),
    (SHEET_FORM, CODE_CELL, "D99", "deltakerkoden er endret"),
    (SHEET_FORM, SECTOR_CELL, "Rådhuset", "ikke en sektor i listen"),
    (SHEET_FORM, SECTOR_CELL, None, "sektor mangler"),
])
def test_every_problem_names_file_sheet_and_cell(cli, sample_ws, tmp_path, bank, sheet, cell, value, expected):
    form = _filled(cli, sample_ws, tmp_path, bank, n=1)[0]
    _edit(form, sheet, cell, value)
    res = cli(["import", sample_ws, form, "--round", R])
    assert res.exit_code == 2, res.output
    assert f"{form.name}, ark «{sheet}», celle {cell}" in res.stderr
    assert expected in res.stderr


def test_missing_metadata_sheet_empty_form_and_duplicates(cli, sample_ws, tmp_path, bank):
    a, b = _filled(cli, sample_ws, tmp_path, bank)
    # an empty form
    empty = make_kit(cli, sample_ws, tmp_path / "kit2", n=1, round_id=R)[0]
    fill_form(empty, "NAV", {})
    # the same participant twice in one batch
    twin = tmp_path / "twin.xlsx"
    twin.write_bytes(a.read_bytes())
    # a workbook that is not a samordna form
    other = tmp_path / "annet.xlsx"
    openpyxl.Workbook().save(other)
    res = cli(["import", sample_ws, a, b, empty, twin, other, "--round", R])
    assert res.exit_code == 2
    assert "skjemaet er tomt" in res.stderr and empty.name in res.stderr
    assert "twin.xlsx" in res.stderr and "finnes også i" in res.stderr
    assert "annet.xlsx" in res.stderr and f"skjulte arket «{SHEET_META}»" in res.stderr
    not_xlsx = tmp_path / "svar.xlsx"
    not_xlsx.write_text("hei")
    res = cli(["import", sample_ws, not_xlsx, "--round", R])
    assert res.exit_code == 2 and "ikke en gyldig Excel-fil" in res.stderr


def test_comments_are_screened_and_formulas_stay_text(cli, sample_ws, tmp_path, bank):
    form = _filled(cli, sample_ws, tmp_path, bank, n=1)[0]
    rows = [r for r in layout(bank) if r.kind == "indicator"]
    _edit(form, SHEET_FORM, f"E{rows[0].row}", f"Gjelder barnet med fnr {_fnr()}")
    res = cli(["import", sample_ws, form, "--round", R])
    assert res.exit_code == 2 and f"celle E{rows[0].row}" in res.stderr and "fødselsnummer" in res.stderr
    _edit(form, SHEET_FORM, f"E{rows[0].row}", "=HYPERLINK(\"http://x\";\"klikk\")")
    _edit(form, SHEET_FORM, f"E{rows[1].row}", "Ring meg på 912 34 567")
    _edit(form, SHEET_FORM, f"D{rows[2].row}", None)
    _edit(form, SHEET_FORM, f"E{rows[2].row}", "Kommentar uten svar")
    res = cli(["import", sample_ws, form, "--round", R])
    assert res.exit_code == 2 and f"celle E{rows[2].row}" in res.stderr and "kommentar uten svar" in res.stderr
    _edit(form, SHEET_FORM, f"D{rows[2].row}", "Vet ikke")
    res = cli(["import", sample_ws, form, "--round", R])
    assert res.exit_code == 0, res.output
    assert "telefonnummer" in res.stderr  # a warning, not a refusal
    pf = Workspace(sample_ws).round(R).load_participant(code_of(form))
    assert pf.answers[rows[0].id].comment.startswith("=HYPERLINK")
    assert pf.answers[rows[2].id].level == DONT_KNOW


def test_bare_numbers_from_paper_forms_are_accepted(cli, sample_ws, tmp_path, bank):
    form = _filled(cli, sample_ws, tmp_path, bank, n=1)[0]
    rows = [r for r in layout(bank) if r.kind == "indicator"]
    _edit(form, SHEET_FORM, f"D{rows[0].row}", 3)
    _edit(form, SHEET_FORM, f"D{rows[1].row}", " ikke  relevant ")
    _edit(form, SHEET_FORM, f"D{rows[2].row}", "VI")
    _edit(form, SHEET_FORM, f"D{rows[3].row}", "2-Delvis på plass")
    assert cli(["import", sample_ws, form, "--round", R]).exit_code == 0
    pf = Workspace(sample_ws).round(R).load_participant(code_of(form))
    assert pf.answers[rows[0].id].level == 3 and pf.answers[rows[1].id].level == NOT_APPLICABLE
    assert pf.answers[rows[2].id].level == DONT_KNOW and pf.answers[rows[3].id].level == 2


def _fnr() -> str:
    from samordna.core.privacy import is_national_id

    for serial in range(100, 999):
        for k in range(100):
            digits = f"010190{serial:03d}{k:02d}"
            if is_national_id(digits):
                return digits
    raise AssertionError("no test number")


# --- the guide -------------------------------------------------------------------------


class _Text(HTMLParser):
    def __init__(self):
        super().__init__()
        self.text, self.ids, self.style = [], set(), ""
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        d = dict(attrs)
        if "id" in d:
            self.ids.add(d["id"])
        self._in_style = tag == "style"
        assert tag not in ("script", "link", "img") or tag == "img" and d.get("src", "").startswith("data:")

    def handle_endtag(self, tag):
        self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.style += data
        else:
            self.text.append(data)


def test_guide_has_agenda_roles_method_terms_questions_and_privacy(cli, sample_ws, tmp_path, bank):
    # the guide follows the bank of the round it is made for: the sample's current round 2026 is on bank 2.0.0
    current = Workspace(sample_ws).round("2026").bank
    assert current.version == "2.0.0" and current.legal_minimum
    forms = make_kit(cli, sample_ws, tmp_path / "kit", n=4)
    html = (tmp_path / "kit" / "fasilitatorveiledning-eksempeldal-2026.html").read_text(encoding="utf-8")
    p = _Text()
    p.feed(html)
    text = " ".join(" ".join(p.text).split())
    assert {"formal", "agenda", "roller", "metode", "begreper", "juridisk-minimum", "omrader", "personvern",
            "koder"} <= p.ids
    for words in ("tre timer", "90 minutter", "Fasilitator", "Referent", "Lederne", "Samordning", "Samarbeid",
                  "Samhandling", "strengere krav til forpliktelse og formalisering", "fødselsnummer",
                  "Eksempeldal", f"Før nivåene kommer {len(current.legal_minimum)} spørsmål om det loven krever"):
        assert words in text, words
    for item in current.legal_minimum:
        assert f"{item.id} {item.short}" in text and " ".join(item.question.split()) in text, item.id
    for dom in current.domains:
        # the count includes the municipality's own indicator (BRU-L01 in lokale-tillegg.yaml)
        assert f"{dom.name} ({dom.id}, {len(dom.indicators)} påstander)" in text, dom.id
        for q in dom.discussion_questions:
            assert " ".join(q.split()) in text
    assert "BRU-L01" in {i.id for d in current.domains if d.id == "BRU" for i in d.indicators}
    # and not the archived bank's: names of domains that bank 2.0 renamed do not appear
    renamed = {d.name for d in bank.domains} - {d.name for d in current.domains}
    assert renamed and not [name for name in renamed if name in text]
    assert all(code_of(f) in text for f in forms)
    assert "@page" in p.style and "A4" in p.style and "@media print" in p.style


def test_guide_escapes_municipality_name(tmp_path, bank_path):
    from samordna.outputs.guide import render_guide

    ws = Workspace.init(tmp_path / "x", "<script>alert(1)</script>", "9997")
    rnd = ws.new_round(year=2026, bank_path=bank_path)
    html = render_guide(rnd)
    assert "<script>alert" not in html and "&lt;script&gt;" in html
