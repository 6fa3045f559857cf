"""The young people's mirror, collected: ``kit --speil`` (blank Excel forms and paper ballots per role, the
guide's section), ``import`` of filled mirror forms (kept apart from the leaders' answers, all or nothing, the
same file counted once) and ``speilet`` (the status, and typing in paper ballots with --papir)."""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest

from conftest import add_mirror_answers
from samordna.io.form_layout import SHEET_META
from samordna.io.mirror_forms import (
    AGE_CELL,
    AGE_LIST_NAME,
    ANSWER_LIST_NAME,
    COL_ANSWER,
    COL_ID,
    META_KEYS,
    MIRROR_FORMAT,
    SHEET_LISTS,
    statement_row,
)
from samordna.io.mirrorfile import shipped_mirror_bank
from samordna.ui.prompter import INTERRUPT

R = "2026"
SHEET = "Svar"


def kit_dir(ws_dir: Path) -> Path:
    return ws_dir / "skjema" / R / "speilet"


def make_mirror_kit(cli, ws_dir: Path, *extra) -> Path:
    res = cli(["kit", ws_dir, "-n", "0", "--speil", "--no-pdf", *extra])
    assert res.exit_code == 0, res.output
    return kit_dir(ws_dir)


def fill_mirror(blank: Path, target: Path, answers: dict[int, int | str | None], age: str | None = "16–18",
                raw: dict[str, object] | None = None) -> Path:
    """A person's copy of ``blank``, filled as they would: each answer chosen from the form's own dropdown list
    (``answers``: statement index -> level 0–4, «vet_ikke», or None for the empty cell), the age band too."""
    shutil.copy(blank, target)
    wb = openpyxl.load_workbook(target)
    sheet, lists = wb[SHEET], wb[SHEET_LISTS]
    dropdown = [c.value for c in lists["A"][1:] if c.value]  # 0–4, then «Vet ikke»
    bands = [c.value for c in lists["B"][1:] if c.value]
    for i, value in answers.items():
        cell = f"{COL_ANSWER}{statement_row(i)}"
        sheet[cell] = None if value is None else dropdown[5] if value == "vet_ikke" else dropdown[int(value)]
    if age is not None:
        assert age in bands
        sheet[AGE_CELL] = age
    for cell, value in (raw or {}).items():
        sheet[cell] = value
    wb.save(target)
    return target


def all_answers(seed: int) -> dict[int, int | str | None]:
    n = len(shipped_mirror_bank().statements)
    return {i: ("vet_ikke" if (i + seed) % 7 == 0 else (i + seed) % 5) for i in range(n)}


def mirror_files(ws_dir: Path) -> list[str]:
    return sorted(p.name for p in (ws_dir / "runder" / R / "speilet").glob("*.yaml"))


def svar_files(ws_dir: Path) -> list[str]:
    return sorted(p.name for p in (ws_dir / "runder" / R / "svar").glob("*.yaml"))


def leaders_json(cli, ws_dir: Path) -> list[dict]:
    """The leaders' results (``score --json``) without each round's mirror key."""
    res = cli(["score", ws_dir, "--json"])
    assert res.exit_code == 0, res.output
    rounds = json.loads(res.stdout)["rounds"]
    for r in rounds:
        r.pop("mirror", None)
    return rounds


# --- the kit -----------------------------------------------------------------------------------



@pytest.fixture
def sample_ws(sample_ws: Path) -> Path:
    """The sample municipality without its own youth council and parents (these tests count every response)."""
    for folder in sample_ws.glob("runder/*/speilet"):
        shutil.rmtree(folder)
    return sample_ws

def test_kit_speil_writes_a_blank_form_and_a_ballot_per_role(cli, sample_ws):
    folder = make_mirror_kit(cli, sample_ws)
    assert sorted(p.name for p in folder.iterdir()) == [
        "speilet-foreldre.html", "speilet-foreldre.xlsx", "speilet-ungdom.html", "speilet-ungdom.xlsx"]
    bank = shipped_mirror_bank()
    for role in ("ungdom", "foreldre"):
        wb = openpyxl.load_workbook(folder / f"speilet-{role}.xlsx")
        meta = wb[SHEET_META]
        assert wb[SHEET_META].sheet_state == "hidden" and wb[SHEET_LISTS].sheet_state == "hidden"
        assert [meta[f"A{r}"].value for r in range(1, len(META_KEYS) + 1)] == list(META_KEYS)
        values = {meta[f"A{r}"].value: meta[f"B{r}"].value for r in range(1, len(META_KEYS) + 1)}
        assert values["format"] == MIRROR_FORMAT and values["role"] == role and values["round"] == R
        assert (values["bank_id"], values["bank_version"], values["language"]) == (bank.id, bank.version, "nb")
        sheet = wb[SHEET]
        assert sheet.protection.sheet and wb.security.lockStructure
        ids = [sheet[f"{COL_ID}{statement_row(i)}"].value for i in range(len(bank.statements))]
        assert ids == [s.id for s in bank.statements]
        texts = [sheet[f"C{statement_row(i)}"].value for i in range(len(bank.statements))]
        assert texts == [s.text(role) for s in bank.statements]
        # every answer cell is open and has the dropdown; the age band only on the young people's form
        validations = {dv.formula1: str(dv.sqref) for dv in sheet.data_validations.dataValidation}
        last = statement_row(len(bank.statements) - 1)
        assert validations[ANSWER_LIST_NAME] == f"D{statement_row(0)}:D{last}"
        assert not sheet[f"D{statement_row(0)}"].protection.locked
        assert (AGE_LIST_NAME in validations) == (role == "ungdom")
        if role == "ungdom":
            assert validations[AGE_LIST_NAME] == AGE_CELL and not sheet[AGE_CELL].protection.locked
        lists = wb[SHEET_LISTS]
        assert [c.value for c in lists["A"][1:] if c.value] == [bank.label(v) for v in (0, 1, 2, 3, 4, "vet_ikke")]
        assert [c.value for c in lists["B"][1:] if c.value] == ["13–15", "16–18", "19–24"]
        # no name, no code: nothing on the form asks for either, and only the answers (and age) can be typed in
        open_cells = {c.coordinate for row in sheet.iter_rows() for c in row if c.protection.locked is False}
        assert open_cells == {f"D{statement_row(i)}" for i in range(len(bank.statements))} | (
            {AGE_CELL} if role == "ungdom" else set())
        words = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value).lower()
        assert "deltakerkode" not in words and "navn:" not in words
    guide = next((sample_ws / "skjema" / R).glob("fasilitatorveiledning-*.html")).read_text("utf-8")
    assert 'id="speilet"' in guide and "færre enn 5 ungdommer" in guide and "samordna live" in guide
    assert "egen sak" in guide and "under 16" in guide


def test_kit_without_speil_is_unchanged(cli, sample_ws):
    res = cli(["kit", sample_ws, "-n", "0", "--no-pdf"])
    assert res.exit_code == 0, res.output
    assert not kit_dir(sample_ws).exists() and "Speilet" not in res.stdout
    guide = next((sample_ws / "skjema" / R).glob("fasilitatorveiledning-*.html")).read_text("utf-8")
    assert 'id="speilet"' not in guide


class _Parsed(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.inputs: list[dict] = []
        self.text: list[str] = []
        self.boxes = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("input", "textarea", "select"):
            self.inputs.append(a)
        if "box" in (a.get("class") or "").split():
            self.boxes += 1
        if tag not in ("meta", "br", "input", "link", "img"):
            self.stack.append(tag)

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes <{self.stack[-1:]}>"
        self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


def test_ballots_parse_have_no_name_field_and_every_statement(cli, sample_ws):
    folder = make_mirror_kit(cli, sample_ws)
    bank = shipped_mirror_bank()
    for role in ("ungdom", "foreldre"):
        page = _Parsed()
        page.feed((folder / f"speilet-{role}.html").read_text("utf-8"))
        page.close()
        assert page.stack == [], page.stack  # every element closed
        assert page.inputs == []  # a paper form: nothing to type a name into
        text = " ".join(" ".join(page.text).split())
        assert "Ikke skriv navnet ditt" in text and "Navn:" not in text and "Deltakerkode" not in text
        assert " ".join(bank.intro[role].split()) in text
        for st in bank.statements:
            assert " ".join(st.text(role).split()) in text, st.id
        ages = "13–15" in text and "19–24" in text
        assert ages == (role == "ungdom")
        assert page.boxes == 6 * len(bank.statements) + (3 if role == "ungdom" else 0)


# --- import ------------------------------------------------------------------------------------


def test_import_stores_mirror_forms_apart_and_leaders_scores_are_untouched(cli, sample_ws, tmp_path):
    folder = make_mirror_kit(cli, sample_ws)
    before_scores = leaders_json(cli, sample_ws)
    before_svar = svar_files(sample_ws)
    young = [fill_mirror(folder / "speilet-ungdom.xlsx", tmp_path / f"u{i}.xlsx", all_answers(i),
                         age=("13–15", "16–18", "19–24")[i % 3]) for i in range(6)]
    parents = [fill_mirror(folder / "speilet-foreldre.xlsx", tmp_path / f"f{i}.xlsx", all_answers(10 + i), age=None)
               for i in range(2)]
    res = cli(["import", sample_ws, *young, *parents])
    assert res.exit_code == 0, res.output
    assert "8 skjema lest inn i runde 2026" in res.stdout
    assert "fra ungdom" not in res.stdout and "fra foreldre" not in res.stdout  # never per role (2 < 5)
    assert len(mirror_files(sample_ws)) == 8
    assert svar_files(sample_ws) == before_svar  # nothing in the leaders' folder
    assert leaders_json(cli, sample_ws) == before_scores  # the leaders' results are the same
    from samordna.io.mirrorfile import MirrorStore
    from samordna.io.workspace import Workspace

    stored = MirrorStore(Workspace(sample_ws).round(R).dir).responses(shipped_mirror_bank())
    bank = shipped_mirror_bank()
    assert sorted(r.age_band or "-" for r in stored) == ["-", "-", "13-15", "13-15", "16-18", "16-18", "19-24", "19-24"]
    assert {r.source for r in stored} == {"skjema"}
    expected = {st.id: v for st, v in zip(bank.statements, all_answers(0).values(), strict=True)}
    assert any(r.answers == expected and r.age_band == "13-15" for r in stored)
    # the response files hold no name, no code, no file name
    for name in mirror_files(sample_ws):
        text = (sample_ws / "runder" / R / "speilet" / name).read_text("utf-8")
        assert "u0.xlsx" not in text and "participant" not in text and "sector" not in text


def test_the_same_file_twice_is_counted_once(cli, sample_ws, tmp_path):
    folder = make_mirror_kit(cli, sample_ws)
    form = fill_mirror(folder / "speilet-ungdom.xlsx", tmp_path / "en.xlsx", all_answers(1))
    copy = tmp_path / "kopi.xlsx"
    shutil.copy(form, copy)
    res = cli(["import", sample_ws, form, copy])  # the same file under two names, in one call
    assert res.exit_code == 0, res.output
    assert "1 skjema lest inn" in res.stdout and "telt én gang" in res.stdout
    assert len(mirror_files(sample_ws)) == 1
    res = cli(["import", sample_ws, form])  # and again later
    assert res.exit_code == 0, res.output
    assert "lest inn før" in res.stdout and "0 skjema lest inn" in res.stdout
    assert len(mirror_files(sample_ws)) == 1
    # another person who gave the very same answers is another file, and counted
    other = fill_mirror(folder / "speilet-ungdom.xlsx", tmp_path / "annen.xlsx", all_answers(1),
                        raw={"B2": None})
    assert other.read_bytes() != form.read_bytes()
    assert cli(["import", sample_ws, other]).exit_code == 0
    assert len(mirror_files(sample_ws)) == 2


@pytest.mark.parametrize("case", ["no_age", "bad_value", "bad_age", "unknown_statement", "empty"])
def test_a_bad_mirror_form_is_refused_with_file_sheet_and_cell(cli, sample_ws, tmp_path, case):
    folder = make_mirror_kit(cli, sample_ws)
    good = fill_mirror(folder / "speilet-foreldre.xlsx", tmp_path / "god.xlsx", all_answers(2), age=None)
    row = statement_row(2)
    answers, age, raw, cell = all_answers(3), "13–15", {}, None
    if case == "no_age":
        age, cell = None, AGE_CELL
    elif case == "bad_value":
        raw, cell = {f"D{row}": "Kanskje"}, f"D{row}"
    elif case == "bad_age":
        age, raw, cell = None, {AGE_CELL: "12"}, AGE_CELL
    elif case == "unknown_statement":
        raw, cell = {f"A{row}": "SP-XXX-99"}, f"A{row}"
    else:
        answers, cell = dict.fromkeys(answers), f"D{statement_row(0)}"
    bad = fill_mirror(folder / "speilet-ungdom.xlsx", tmp_path / "feil.xlsx", answers, age=age, raw=raw)
    res = cli(["import", sample_ws, good, bad])
    assert res.exit_code == 2, res.output
    assert f"feil.xlsx, ark «{SHEET}», celle {cell}" in res.stderr, res.stderr
    assert "Ingenting er importert" in res.stderr
    assert mirror_files(sample_ws) == []  # not even the good one


def test_a_file_that_is_not_a_form_is_refused_and_nothing_is_written(cli, sample_ws, tmp_path):
    folder = make_mirror_kit(cli, sample_ws)
    good = fill_mirror(folder / "speilet-ungdom.xlsx", tmp_path / "god.xlsx", all_answers(2))
    wb = openpyxl.Workbook()
    wb.active["A1"] = "hei"
    wb.save(tmp_path / "liste.xlsx")
    (tmp_path / "notat.txt").write_text("ikke et skjema", "utf-8")
    for other in ("liste.xlsx", "notat.txt"):
        res = cli(["import", sample_ws, good, tmp_path / other])
        assert res.exit_code == 2, res.output
        assert other in res.stderr and "Ingenting er importert" in res.stderr
        assert mirror_files(sample_ws) == []


def test_a_changed_hidden_sheet_is_named(cli, sample_ws, tmp_path):
    folder = make_mirror_kit(cli, sample_ws)
    form = fill_mirror(folder / "speilet-ungdom.xlsx", tmp_path / "a.xlsx", all_answers(2))
    wb = openpyxl.load_workbook(form)
    wb[SHEET_META]["B5"] = "2025"  # the round
    wb.save(form)
    res = cli(["import", sample_ws, form])
    assert res.exit_code == 2 and f"ark «{SHEET_META}», celle B5" in res.stderr and "--round 2025" in res.stderr
    assert mirror_files(sample_ws) == []


def test_leaders_and_mirror_forms_in_one_call(cli, sample_ws, tmp_path):
    from samordna.io.workspace import Workspace
    from samordna.outputs.forms import fill_form
    from test_kit import random_answers

    res = cli(["kit", sample_ws, "-n", "1", "--speil", "--no-pdf"])
    assert res.exit_code == 0, res.output
    folder = kit_dir(sample_ws)
    leader = next(p for p in (sample_ws / "skjema" / R).glob("svarskjema-*.xlsx") if not p.stem.endswith("blankt"))
    bank = Workspace(sample_ws).round(R).bank
    fill_form(leader, "NAV", random_answers(bank, 4))
    young = fill_mirror(folder / "speilet-ungdom.xlsx", tmp_path / "u.xlsx", all_answers(5))
    before = svar_files(sample_ws)
    res = cli(["import", sample_ws, young, leader])
    assert res.exit_code == 0, res.output
    assert len(svar_files(sample_ws)) == len(before) + 1 and len(mirror_files(sample_ws)) == 1
    assert "1 skjema lest inn i runde 2026" in res.stdout and "fra ungdom" not in res.stdout
    # a bad mirror form beside a good leaders' form: neither is written
    shutil.rmtree(sample_ws / "runder" / R / "speilet")
    bad = fill_mirror(folder / "speilet-ungdom.xlsx", tmp_path / "feil.xlsx", all_answers(6), age=None)
    fill_form(leader, "NAV", random_answers(bank, 4))
    res = cli(["import", sample_ws, leader, bad, "--replace"])
    assert res.exit_code == 2 and f"feil.xlsx, ark «{SHEET}», celle {AGE_CELL}" in res.stderr
    assert mirror_files(sample_ws) == []


# --- speilet -----------------------------------------------------------------------------------


def test_status_never_shows_a_group_under_the_limit(cli, mirror_ws):
    res = cli(["speilet", mirror_ws])
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    assert any(line.strip() == "Ungdom: 9 svar" for line in lines), res.stdout
    parents = next(line for line in lines if line.strip().startswith("Foreldre:"))
    assert "færre enn 5" in parents and "4" not in parents
    after_header = "\n".join(lines[1:]) + res.stderr
    assert not re.search(r"\b13\b", after_header)  # no age band, no total of both roles (9 + 4)


def test_status_follows_a_raised_limit_and_an_empty_round(cli, sample_ws):
    res = cli(["speilet", sample_ws])
    assert res.exit_code == 0 and "Ingen har svart ennå" in res.stdout and "--speil" in res.stdout
    add_mirror_answers(sample_ws, young=6, parents=0)
    kommune = sample_ws / "kommune.yaml"
    kommune.write_text(kommune.read_text("utf-8") + "mirror_min_group: 7\n", "utf-8")
    res = cli(["speilet", sample_ws])
    assert res.exit_code == 0, res.output
    assert "Ungdom: færre enn 7 svar" in res.stdout and "6" not in res.stdout.split("Ungdom:")[1].splitlines()[0]


def test_papir_saves_each_ballot_at_once_and_ctrl_c_keeps_them(cli, sample_ws, scripted):
    bank = shipped_mirror_bank()
    n = len(bank.statements)
    first = ["ungdom", "19-24", *([3, "vet_ikke", "@hopp-over"] * n)[:n], True]
    second = ["foreldre", *([1] * n), True]
    third = ["ungdom", "13-15", 2, INTERRUPT]  # Ctrl-C in the middle of the third ballot
    before = svar_files(sample_ws)
    p = scripted([*first, *second, *third])
    res = cli(["speilet", sample_ws, "--papir"])
    assert res.exit_code == 130, res.output
    assert "2 ark er lagret" in res.stdout
    from samordna.io.mirrorfile import MirrorStore
    from samordna.io.workspace import Workspace

    stored = MirrorStore(Workspace(sample_ws).round(R).dir).responses(bank)
    assert len(stored) == 2 and {r.source for r in stored} == {"papir"}
    young = next(r for r in stored if r.role == "ungdom")
    assert young.age_band == "19-24"
    expected = {st.id: v for st, v in zip(bank.statements, ([3, "vet_ikke", "@hopp-over"] * n)[:n], strict=True)
                if v != "@hopp-over"}
    assert young.answers == expected
    parent = next(r for r in stored if r.role == "foreldre")
    assert parent.age_band is None and parent.answers == {st.id: 1 for st in bank.statements}
    assert svar_files(sample_ws) == before  # the leaders' folder is not touched
    assert p.answers == []


def test_papir_done_declined_and_set_aside(cli, sample_ws, scripted):
    bank = shipped_mirror_bank()
    n = len(bank.statements)
    before = svar_files(sample_ws)
    script = [
        "ungdom", "@hopp-over",  # no age band ticked: set aside
        "foreldre", *(["@hopp-over"] * n),  # nothing ticked: not saved
        "foreldre", *([4] * n), False,  # typed wrong: not saved
        "foreldre", *([4] * n), True,
        "@ferdig",
    ]
    scripted(script)
    res = cli(["speilet", sample_ws, "--papir"])
    assert res.exit_code == 0, res.output
    assert "1 papirskjema tastet inn" in res.stdout and "Foreldre: færre enn 5 svar" in res.stdout
    assert len(mirror_files(sample_ws)) == 1 and svar_files(sample_ws) == before


def test_a_form_made_in_english_is_read_back(cli, sample_ws, tmp_path):
    folder = make_mirror_kit(cli, sample_ws, "--lang", "en")
    wb = openpyxl.load_workbook(folder / "speilet-ungdom.xlsx")
    meta = {wb[SHEET_META][f"A{r}"].value: wb[SHEET_META][f"B{r}"].value for r in range(1, len(META_KEYS) + 1)}
    assert meta["language"] == "en"
    sheet_name = wb.sheetnames[0]
    target = tmp_path / "en.xlsx"
    shutil.copy(folder / "speilet-ungdom.xlsx", target)
    wb = openpyxl.load_workbook(target)
    dropdown = [c.value for c in wb[SHEET_LISTS]["A"][1:] if c.value]
    wb[sheet_name][f"D{statement_row(0)}"] = dropdown[4]
    wb[sheet_name][f"D{statement_row(1)}"] = dropdown[5]
    wb[sheet_name][AGE_CELL] = [c.value for c in wb[SHEET_LISTS]["B"][1:] if c.value][0]
    wb.save(target)
    res = cli(["import", sample_ws, target])
    assert res.exit_code == 0, res.output
    from samordna.io.mirrorfile import MirrorStore
    from samordna.io.workspace import Workspace

    bank = shipped_mirror_bank()
    (stored,) = MirrorStore(Workspace(sample_ws).round(R).dir).responses(bank)
    assert stored.answers == {bank.statements[0].id: 4, bank.statements[1].id: "vet_ikke"}
    assert stored.age_band == "13-15" and stored.language == "en"


def test_the_guide_names_a_raised_limit(cli, sample_ws):
    kommune = sample_ws / "kommune.yaml"
    kommune.write_text(kommune.read_text("utf-8") + "mirror_min_group: 8\n", "utf-8")
    make_mirror_kit(cli, sample_ws)
    guide = next((sample_ws / "skjema" / R).glob("fasilitatorveiledning-*.html")).read_text("utf-8")
    assert "færre enn 8 ungdommer" in guide and "færre enn 5 ungdommer" not in guide


def test_ballot_and_form_escape_the_municipality_name(cli, sample_ws):
    kommune = sample_ws / "kommune.yaml"
    hostile = '=HYPERLINK("x")<script>alert(1)</script>'
    kommune.write_text(kommune.read_text("utf-8").replace("name: Eksempeldal", f"name: '{hostile}'"), "utf-8")
    folder = make_mirror_kit(cli, sample_ws)
    html = (folder / "speilet-ungdom.html").read_text("utf-8")
    assert "<script>" not in html and "&lt;script&gt;" in html
    wb = openpyxl.load_workbook(folder / "speilet-ungdom.xlsx")
    cell = wb[SHEET]["B2"]
    assert cell.data_type == "s" and hostile in cell.value
