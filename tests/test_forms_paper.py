"""Forms and paper (issue 13, point 8): .ods refused with the steps to save as .xlsx, a partly filled form
reported before anything is written, a formula typed in a comment kept as text, an fnr-shaped number with
wrong check digits warned about with its cell, and the paper ballot made by ``kit``."""

from __future__ import annotations

import re
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest

from samordna.core.answers import YES
from samordna.core.models import Answer
from samordna.core.privacy import is_national_id
from samordna.io.form_layout import CODE_CELL, SHEET_FORM, layout
from samordna.io.workspace import Workspace
from samordna.outputs.forms import fill_form
from samordna.ui.prompter import ScriptedPrompter


def _kit(cli, ws_dir: Path, out: Path, n: int = 1) -> list[Path]:
    res = cli(["kit", ws_dir, "--participants", n, "--out", out, "--no-pdf"])
    assert res.exit_code == 0, res.output
    return sorted(p for p in out.glob("svarskjema-*.xlsx") if "blankt" not in p.name)


def _svar(ws_dir: Path, round_id: str = "2026") -> list[str]:
    return sorted(p.name for p in (ws_dir / "runder" / round_id / "svar").glob("*.yaml"))


def _items(ws_dir: Path):
    rnd = Workspace(ws_dir).round()
    return rnd, [row for row in layout(rnd.bank) if row.answered]


def _answer(rnd, row) -> Answer:
    return Answer(level=YES) if row.kind == "legal" else Answer(level=2)


def _full(cli, ws_dir: Path, tmp_path: Path) -> tuple[Path, list]:
    rnd, rows = _items(ws_dir)
    form = _kit(cli, ws_dir, tmp_path / "kit")[0]
    fill_form(form, "NAV", {row.id: _answer(rnd, row) for row in rows})
    return form, rows


def _code(form: Path) -> str:
    return str(openpyxl.load_workbook(form)[SHEET_FORM][CODE_CELL].value)


# --- .ods and .xls --------------------------------------------------------------------


def _ods(path: Path) -> Path:
    """A minimal OpenDocument spreadsheet as LibreOffice writes it: the mimetype first, uncompressed."""
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<office:document-content/>")
    return path


@pytest.mark.parametrize("name", ["svarskjema-D12.ods", "svarskjema-D12.xlsx"])  # by its name, or by its bytes
def test_an_ods_form_is_refused_with_the_steps_to_save_it_as_xlsx(cli, sample_ws, tmp_path, name):
    before = _svar(sample_ws)
    form = _ods(tmp_path / name)
    res = cli(["import", sample_ws, form])
    assert res.exit_code == 2, res.output
    assert f"{name}: skjemaet er lagret i LibreOffice sitt eget format (.ods)" in res.stderr
    assert "Fil → Lagre som …" in res.stderr and "«Excel 2007-365 (.xlsx)»" in res.stderr
    assert "Traceback" not in res.output and "Ingenting er importert" in res.stderr
    assert _svar(sample_ws) == before


def test_an_old_xls_form_is_refused_with_the_same_advice(cli, sample_ws, tmp_path):
    form = tmp_path / "svar.xls"
    form.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    res = cli(["import", sample_ws, form])
    assert res.exit_code == 2 and "svar.xls: skjemaet er lagret i det gamle Excel-formatet (.xls)" in res.stderr
    assert "Fil → Lagre som …" in res.stderr


# --- a partly filled form ---------------------------------------------------------------


def _partial(cli, ws_dir: Path, tmp_path: Path, n_answers: int = 6) -> tuple[Path, int]:
    rnd, rows = _items(ws_dir)
    form = _kit(cli, ws_dir, tmp_path / "kit")[0]
    fill_form(form, "NAV", {row.id: _answer(rnd, row) for row in rows[:n_answers]})
    return form, len(rows)


def test_a_partly_filled_form_is_reported_and_nothing_is_written_without_the_option(cli, sample_ws, tmp_path):
    before = _svar(sample_ws)
    full, _ = _full(cli, sample_ws, tmp_path / "a")
    form, n = _partial(cli, sample_ws, tmp_path / "b")
    assert n == 65  # the sample's 2026 round: 12 legal items and 53 statements
    res = cli(["import", sample_ws, full, form])
    assert res.exit_code == 2, res.output
    assert f"{_code(form)}: 6 av 65 svar; 59 mangler ({form.name})" in res.stderr
    assert "--godta-delvise" in res.stderr and "Ingenting er importert" in res.stderr
    assert _svar(sample_ws) == before  # the full form was not written either

    res = cli(["import", sample_ws, full, form, "--godta-delvise"])
    assert res.exit_code == 0, res.output
    assert "6 av 65 svar (59 mangler)" in res.stdout
    pf = Workspace(sample_ws).round().load_participant(_code(form))
    assert len(pf.answers) == 6


def test_a_single_missing_answer_is_reported_too(cli, sample_ws, tmp_path):
    form, n = _partial(cli, sample_ws, tmp_path, n_answers=64)
    res = cli(["import", sample_ws, form])
    assert res.exit_code == 2 and "64 av 65 svar; 1 mangler" in res.stderr


@pytest.mark.parametrize("accept", [False, True])
def test_in_a_terminal_the_user_chooses(cli, sample_ws, tmp_path, monkeypatch, accept):
    before = _svar(sample_ws)
    form, _ = _partial(cli, sample_ws, tmp_path)
    p = ScriptedPrompter([accept])
    monkeypatch.setattr("samordna.ui.prompter.is_interactive", lambda: True)
    monkeypatch.setattr("samordna.ui.prompter.terminal_prompter", lambda why: p)
    res = cli(["import", sample_ws, form])
    assert any("6 av 65 svar; 59 mangler" in s for s in p.said)
    assert p.transcript[0][0] == "confirm" and "likevel" in p.transcript[0][1]
    if accept:
        assert res.exit_code == 0, res.output
        assert len(_svar(sample_ws)) == len(before) + 1
    else:
        assert res.exit_code == 2 and "Ingenting er importert" in res.stderr
        assert _svar(sample_ws) == before


# --- a formula typed in a comment --------------------------------------------------------


def test_a_formula_typed_in_a_comment_is_kept_as_the_text_typed(cli, sample_ws, tmp_path):
    form, rows = _full(cli, sample_ws, tmp_path)
    row = next(r for r in rows if r.kind == "indicator")
    wb = openpyxl.load_workbook(form)
    wb[SHEET_FORM][f"E{row.row}"] = "=SUM(A1)"  # a real formula, as Excel or LibreOffice store what was typed
    wb.save(form)
    assert openpyxl.load_workbook(form)[SHEET_FORM][f"E{row.row}"].data_type == "f"
    res = cli(["import", sample_ws, form])
    assert res.exit_code == 0, res.output
    assert f"{form.name}, ark «{SHEET_FORM}», celle E{row.row}: kommentaren begynner med «=»" in res.stderr
    pf = Workspace(sample_ws).round().load_participant(_code(form))
    assert pf.answers[row.id].comment == "=SUM(A1)"
    assert "1 kommentar –" in res.stdout  # singular


# --- an fnr-shaped number with wrong check digits -----------------------------------------


def test_an_fnr_shaped_number_with_wrong_check_digits_is_warned_about_with_its_cell(cli, sample_ws, tmp_path):
    wrong = "01019012346"
    assert not is_national_id(wrong)
    form, rows = _full(cli, sample_ws, tmp_path)
    row = next(r for r in rows if r.kind == "indicator")
    wb = openpyxl.load_workbook(form)
    wb[SHEET_FORM][f"E{row.row}"] = f"Se sak {wrong}"
    wb.save(form)
    res = cli(["import", sample_ws, form])
    assert res.exit_code == 0, res.output
    assert f"Merk: {form.name}, ark «{SHEET_FORM}», celle E{row.row}:" in res.stderr
    assert "ligner et fødselsnummer" in res.stderr


# --- the paper ballot -----------------------------------------------------------------------


class _Ballot(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack: list[str] = []
        self.rows: list[dict] = []
        self.text: list[str] = []
        self.style = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag not in ("meta", "br"):
            self.stack.append(tag)
        if tag == "tr" and "tbody" in self.stack:
            self.rows.append({"id": None, "boxes": [], "none": 0})
        if tag == "span" and "box" in (a.get("class") or "").split() and self.rows:
            self.rows[-1]["boxes"].append(a.get("aria-label"))
        if tag == "td" and "none" in (a.get("class") or "").split() and self.rows:
            self.rows[-1]["none"] += 1

    def handle_endtag(self, tag):
        while self.stack and self.stack.pop() != tag:
            pass

    def handle_data(self, data):
        self.text.append(data)
        if self.stack and self.stack[-1] == "style":
            self.style += data
        if self.stack and self.stack[-1] == "td" and self.rows and self.rows[-1]["id"] is None and data.strip():
            self.rows[-1]["id"] = data.strip()


def test_kit_writes_the_paper_ballot_with_every_item_and_the_right_boxes(cli, sample_ws, tmp_path):
    out = tmp_path / "kit"
    res = cli(["kit", sample_ws, "-n", 1, "--out", out, "--no-pdf"])
    assert res.exit_code == 0, res.output
    ballot = out / "papirskjema-eksempeldal-2026.html"
    assert ballot.name in res.stdout and "samordna assess" in res.stdout
    p = _Ballot()
    p.feed(ballot.read_text(encoding="utf-8"))
    bank = Workspace(sample_ws).round().bank
    by_id = {r["id"]: r for r in p.rows}
    assert list(by_id) == [row.id for row in layout(bank) if row.answered]  # every item, in the form's order
    for item in bank.legal_minimum:
        assert by_id[item.id]["boxes"] == ["Ja", "Nei", "Vet ikke"]
    for ind in bank.indicators:
        boxes = by_id[ind.id]["boxes"]
        assert len(boxes) == (6 if ind.is_statutory else 7), ind.id
        assert ("Ikke relevant" in boxes) is not ind.is_statutory
        assert by_id[ind.id]["none"] == (1 if ind.is_statutory else 0)
    text = " ".join(p.text)
    assert "Deltakerkode:" in text and "Skriv aldri navnet ditt" in text
    assert "@page" in p.style and "A4" in p.style and "@media print" in p.style
    assert not re.search(r"\bD\d\d\b", text)  # no participant code printed on the one ballot for all


def test_the_ballot_escapes_the_municipality_name(tmp_path, bank_path):
    from samordna.outputs.ballot import render_ballot

    ws = Workspace.init(tmp_path / "x", "<script>alert(1)</script>", "9997")
    rnd = ws.new_round(year=2026, bank_path=bank_path)
    html = render_ballot(rnd)
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_kit_and_import_help_have_an_example(cli):
    for cmd in ("kit", "import"):
        res = cli([cmd, "--help"])
        assert res.exit_code == 0 and "Eksempel: samordna " + cmd in res.stdout


def test_a_code_typed_on_the_blank_form_follows_the_same_rule_as_assess(cli, sample_ws, tmp_path):
    rnd, rows = _items(sample_ws)
    form = _kit(cli, sample_ws, tmp_path / "kit")[0]  # the kit hands out one code with a PIN
    issued = _code(form)
    blank = tmp_path / "kit" / "svarskjema-eksempeldal-2026-blankt.xlsx"
    answers = {row.id: _answer(rnd, row) for row in rows}
    not_issued = "ZZ99" if issued != "ZZ99" else "ZZ98"
    for typed, expected in ((not_issued, f"koden {not_issued} er ikke delt ut i runde 2026"),
                            ("Kari Nordmann", "aldri navn"), ("D40", "kan ikke brukes for en ny deltaker")):
        fill_form(blank, "NAV", answers, code=typed)
        res = cli(["import", sample_ws, blank])
        assert res.exit_code == 2, (typed, res.output)
        assert f"{blank.name}, ark «{SHEET_FORM}», celle {CODE_CELL}" in res.stderr and expected in res.stderr, typed
    fill_form(blank, "NAV", answers, code=issued)
    res = cli(["import", sample_ws, blank])
    assert res.exit_code == 0, res.output
    assert f"{issued}.yaml" in _svar(sample_ws)
