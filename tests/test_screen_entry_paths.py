"""Every way text enters samordna is screened for identity numbers (exit 2, the place named, nothing written, the
number in no output); and bidi overrides and other invisible characters are neutralised in every output."""

from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
import pytest

from samordna.core.errors import SamordnaError
from samordna.core.models import Answer
from samordna.io.form_layout import SHEET_FORM, layout
from samordna.io.workspace import Workspace
from samordna.outputs.forms import fill_form
from test_kit import SECTORS, make_kit, random_answers

# Skatteetaten's worked examples (see tests/test_idnumbers.py): one under the rule from 2032 (the old screen let it
# through), one with a leading zero (Excel drops it when the cell holds a number)
NEW_RULE = "30108299939"
LEADING_ZERO = "02013299997"

INVISIBLE = "\u202e\u2066\u200b\u200f\u061c\ufeff\x1b\x07\x85"
INVISIBLE_RE = re.compile("[\u202a-\u202e\u2066-\u2069\u200b-\u200f\u061c\ufeff\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _forms_of(number: str) -> list[str]:
    return [number, f"{number[:6]} {number[6:]}", number.lstrip("0")]


def _xlsx_text(path: Path) -> str:
    wb = openpyxl.load_workbook(path)
    return "\n".join(str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v is not None)


def _assert_in_no_output(cli, ws_dir: Path, tmp_path: Path, number: str, round_id: str = "2026") -> None:
    """score --json, report and plan: each either refuses (exit 2, nothing written) or shows no trace of the number."""
    out = tmp_path / "utdata"
    out.mkdir(exist_ok=True)
    texts = []
    res = cli(["score", ws_dir, "--json"])
    assert res.exit_code in (0, 2) and "Traceback" not in res.output, res.output
    texts.append(res.output)
    if res.exit_code == 0:
        json.loads(res.stdout)
    html = out / "rapport.html"
    res = cli(["report", ws_dir, "--round", round_id, "--out", html])
    assert res.exit_code in (0, 2) and "Traceback" not in res.output, res.output
    texts.append(res.output)
    assert (res.exit_code == 0) == html.exists()
    if html.exists():
        texts.append(html.read_text(encoding="utf-8"))
    plan = out / "plan.xlsx"
    res = cli(["plan", ws_dir, "--round", round_id, "--out", plan])
    assert res.exit_code in (0, 2) and "Traceback" not in res.output, res.output
    texts.append(res.output)
    assert (res.exit_code == 0) == plan.exists()
    if plan.exists():
        texts.append(_xlsx_text(plan))
    everything = "\n".join(texts)
    for form in _forms_of(number):
        assert form not in everything, form


def _nothing_with(ws_dir: Path, number: str, skip: tuple[str, ...] = ()) -> None:
    for path in ws_dir.rglob("*.yaml"):
        if path.name not in skip:
            text = path.read_text(encoding="utf-8")
            assert all(f not in text for f in _forms_of(number)), path


# --- entry paths ------------------------------------------------------------------------------


def test_form_comment_typed_as_a_number_is_refused(cli, empty_ws, tmp_path, bank):
    form = make_kit(cli, empty_ws, tmp_path / "kit", n=1)[0]
    fill_form(form, SECTORS[0], random_answers(bank, 1))
    row = next(r for r in layout(bank) if r.kind == "indicator")
    wb = openpyxl.load_workbook(form)
    wb[SHEET_FORM][f"E{row.row}"].value = int(LEADING_ZERO)  # what Excel keeps of 02013299997 typed in a cell
    wb.save(form)
    res = cli(["import", empty_ws, form])
    assert res.exit_code == 2, res.output
    assert f"{form.name}, ark «{SHEET_FORM}», celle E{row.row}" in res.output and "fødselsnummer" in res.output
    assert "Traceback" not in res.output and LEADING_ZERO.lstrip("0") not in res.output
    assert not list((empty_ws / "runder" / "2026" / "svar").glob("*.yaml"))  # nothing imported
    _assert_in_no_output(cli, empty_ws, tmp_path, LEADING_ZERO)


@pytest.mark.parametrize(("name", "content", "place"), [
    ("svar.yaml", "participant: D07\nsector: nav\nanswers:\n  LED-01: 3\n"
                  "  LED-03: {level: 2, comment: \"Gjelder 30.10.1982\u00a0999\u00a039\"}\n", "svar.yaml, linje 5"),
    ("tall.yaml", "participant: D07\nsector: nav\nanswers:\n  LED-01: 3\n"
                  f"  LED-03:\n    level: 2\n    comment: {int(LEADING_ZERO)}\n", "tall.yaml, linje 7"),
    ("svar.csv", "id;svar;kommentar\nLED-01;3;\nLED-03;2;Barnet 301082\u2013999 39 bor her\n", "svar.csv"),
])
def test_answer_file_comment_is_refused(cli, empty_ws, tmp_path, name, content, place):
    f = tmp_path / name
    f.write_text(content, encoding="utf-8")
    res = cli(["assess", empty_ws, "--answers", f, "--participant", "D07", "--sector", "nav"])
    assert res.exit_code == 2, res.output
    assert place in res.output and "fødselsnummer" in res.output and "Traceback" not in res.output
    if name.endswith(".csv"):
        assert re.search(r"svar\.csv, (rad|linje) 3", res.output), res.output
    assert not (empty_ws / "runder" / "2026" / "svar" / "D07.yaml").exists()
    _assert_in_no_output(cli, empty_ws, tmp_path, NEW_RULE if "30" in content else LEADING_ZERO)


def test_rationale_hand_edited_into_konsensus_yaml_is_caught_by_validate(cli, sample_ws, tmp_path):
    path = sample_ws / "runder" / "2025" / "konsensus.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if "rationale:" in line)
    lines[at] = "    rationale: Saken gjelder 30.10.1982 999 39, se mappen.\n"
    path.write_text("".join(lines), encoding="utf-8")
    res = cli(["validate", sample_ws])
    assert res.exit_code == 2, res.output
    assert f"konsensus.yaml, linje {at + 1}" in res.output and "rationale" in res.output
    assert "fødselsnummer" in res.output and "Traceback" not in res.output
    _assert_in_no_output(cli, sample_ws, tmp_path, NEW_RULE, round_id="2025")


def test_dissent_hand_edited_is_caught_too(cli, sample_ws):
    path = sample_ws / "runder" / "2025" / "konsensus.yaml"
    text = path.read_text(encoding="utf-8")
    dissent = f"    dissent: Uenig, jf. {LEADING_ZERO[:6]}/{LEADING_ZERO[6:]}\n"
    path.write_text(text.replace("    level: 2\n", "    level: 2\n" + dissent, 1), encoding="utf-8")
    res = cli(["validate", sample_ws])
    assert res.exit_code == 2 and "dissent" in res.output and "linje 8" in res.output, res.output


def _plan_cell(plan: Path, key_header: str, unfinished: bool = True) -> tuple[str, int]:
    """The coordinate of ``key_header``'s cell on an action that is not done (it is carried over)."""
    sheet = openpyxl.load_workbook(plan)["Handlingsplan"]
    header = {c.value: c.column_letter for c in sheet[1]}
    for r in range(2, sheet.max_row + 1):
        status = sheet[f"{header['Status']}{r}"].value
        if sheet[f"{header['Tiltak-ID']}{r}"].value and (status not in ("Fullført", "Avbrutt")) == unfinished \
                and "EGEN" not in str(sheet[f"{header['Tiltak-ID']}{r}"].value):
            return f"{header[key_header]}{r}", r
    raise AssertionError("no such row")


def _set(plan: Path, cell: str, value) -> None:
    wb = openpyxl.load_workbook(plan)
    wb["Handlingsplan"][cell].value = value
    wb.save(plan)


@pytest.mark.parametrize(("column", "value"), [
    ("Kommentar", f"Gjelder {NEW_RULE[:2]}.{NEW_RULE[2:4]}.19{NEW_RULE[4:6]}-{NEW_RULE[6:]}"),
    ("Kommentar", int(LEADING_ZERO)),
    ("Tiltak", f"Følg opp {NEW_RULE[:3]} {NEW_RULE[3:6]} {NEW_RULE[6:]}"),
])
def test_plan_comment_and_action_are_screened(cli, sample_ws, tmp_path, column, value):
    plan = sample_ws / "handlingsplan-eksempeldal-2025.xlsx"
    cell, _ = _plan_cell(plan, column)
    _set(plan, cell, value)
    before = plan.read_bytes()
    res = cli(["plan", sample_ws, "--round", "2025"])
    assert res.exit_code == 2, res.output
    assert f"arket «Handlingsplan», celle {cell}" in res.output and "fødselsnummer" in res.output
    assert plan.read_bytes() == before and "Traceback" not in res.output


def test_what_is_carried_over_from_last_years_plan_is_screened(cli, sample_ws, tmp_path):
    old = sample_ws / "handlingsplan-eksempeldal-2025.xlsx"
    cell, _ = _plan_cell(old, "Kommentar")
    _set(old, cell, f"Gjelder {NEW_RULE[:6]}\u2009{NEW_RULE[6:]}")
    res = cli(["plan", sample_ws, "--round", "2026"])
    assert res.exit_code == 2, res.output
    assert f"handlingsplan-eksempeldal-2025.xlsx, arket «Handlingsplan», celle {cell}" in res.output
    assert not (sample_ws / "handlingsplan-eksempeldal-2026.xlsx").exists()
    _assert_in_no_output(cli, sample_ws, tmp_path, NEW_RULE)


def test_merge_screens_what_it_carries_even_when_not_read_from_a_file(sample_ws):
    from samordna.core.scoring import score_workspace_round
    from samordna.io.plan_reader import read_plan
    from samordna.plan.merge import merge_rows

    ws = Workspace(sample_ws)
    rnd = ws.round("2026")
    prev = read_plan(sample_ws / "handlingsplan-eksempeldal-2025.xlsx")
    open_one = next(a for a in prev if a.status not in ("Fullført", "Avbrutt"))
    open_one.comment = f"Gjelder {NEW_RULE}"
    with pytest.raises(SamordnaError) as err:
        merge_rows(rnd, score_workspace_round(ws, rnd), [], ("2025", prev))
    assert open_one.action_id in err.value.render() and "Kommentar" in err.value.render()


def test_consensus_in_the_terminal_refuses_the_new_forms(sample_ws):
    from samordna.core.answers import NO
    from samordna.flows.consensus import STOP, consensus_order, individual_results, legal_counts, run_consensus
    from samordna.ui.prompter import ScriptedPrompter

    rnd = Workspace(sample_ws).round("2026")
    done = rnd.consensus()
    first = next(r for r in consensus_order(rnd.bank, individual_results(rnd)) if r.n_responses and r.id not in done)
    # on this 2.0 round the legal minimum comes first: its documentation (a case number) is screened as well
    first_legal = next(c.id for c in legal_counts(rnd).values() if c.n_responses and c.id not in done)
    legal = [NO, f"Vedtak for barnet født 30.10.1982 {NEW_RULE[6:9]} {NEW_RULE[9:]}", "Sak 2026/1234 er ikke avgjort.",
             f"Uenig: {LEADING_ZERO[:6]} {LEADING_ZERO[6:]}", "", *_legal_script(rnd)[3:]]
    p = ScriptedPrompter([*legal, 2, f"Barnet født 30.10.1982 {NEW_RULE[6:9]} {NEW_RULE[9:]}",
                          "Rutinen er kjent i skolen.", f"Uenig: {LEADING_ZERO[:6]}\u2013{LEADING_ZERO[6:]}",
                          "", STOP])
    run_consensus(rnd, p)
    assert sum("fødselsnummer" in s for s in p.said) == 4
    saved = rnd.consensus()
    assert saved[first_legal].rationale == "Sak 2026/1234 er ikke avgjort." and saved[first_legal].dissent is None
    entry = saved[first.id]
    assert entry.rationale == "Rutinen er kjent i skolen." and entry.dissent is None
    for form in _forms_of(NEW_RULE) + _forms_of(LEADING_ZERO):
        assert form not in rnd.consensus_path.read_text(encoding="utf-8")


# --- invisible characters ----------------------------------------------------------------------


def test_set_text_removes_bidi_and_controls_but_keeps_line_breaks():
    from openpyxl import Workbook

    from samordna.outputs.excel import set_text

    cell = Workbook().active["A1"]
    set_text(cell, f"abc{INVISIBLE}def\nny linje\tfane")
    assert cell.value == "abcdef\nny linje\tfane"
    set_text(cell, "=\u202eSUM(A1)")
    assert cell.value == "=SUM(A1)" and cell.data_type == "s"  # still text, never a formula


def test_html_finalize_removes_them_from_every_expression():
    from markupsafe import Markup

    from samordna.outputs.html import environment

    t = environment().from_string("<p title=\"{{ a }}\">{{ a }} {{ b }} {{ c | join(', ') }} {{ n }}</p>")
    html = t.render(a=f"x{INVISIBLE}y<", b=Markup("<b>z\u202eq</b>"), c=["u\u2066v", "w"], n=3)
    assert not INVISIBLE_RE.search(html)
    assert html == "<p title=\"xy&lt;\">xy&lt; <b>zq</b> uv, w 3</p>"


def test_terminal_output_removes_them(capsys):
    from samordna.ui.prompter import QuestionaryPrompter, ScriptedPrompter

    QuestionaryPrompter().say(f"Kommentar: a{INVISIBLE}b")
    assert capsys.readouterr().out == "Kommentar: ab\n"
    p = ScriptedPrompter([])
    p.say("x\u202ey")
    assert p.said == ["xy"]
    err = SamordnaError("«a\u202eb» er ikke en sektor", problems=["c\u2067d"])
    assert err.render() == "«ab» er ikke en sektor\n  - cd"


def _legal_script(rnd) -> list:
    """What the group answers on the legal minimum, which the consensus flow asks first on a 2.0 round."""
    import random

    from samordna.demo.synthetic import legal_consensus_script

    return legal_consensus_script(rnd, random.Random(1))


def _comment_on_first_shown(sample_ws: Path, text: str) -> None:
    """Put ``text`` as a comment on the statement the consensus flow shows first (after the legal minimum)."""
    from samordna.flows.consensus import consensus_order, individual_results

    rnd = Workspace(sample_ws).round("2026")
    done = rnd.consensus()
    first = next(r for r in consensus_order(rnd.bank, individual_results(rnd)) if r.n_responses and r.id not in done)
    pf = next(pf for pf in rnd.participants() if first.id in pf.answers)
    pf.answers[first.id] = Answer(level=pf.answers[first.id].level, comment=text)
    rnd.save_participant(pf)


def test_report_plan_and_consensus_screen_show_no_invisible_characters(cli, sample_ws, tmp_path):
    from samordna.flows.consensus import STOP, run_consensus
    from samordna.ui.prompter import ScriptedPrompter

    spoof = "Rutinen er kjent \u202etnekjkue\u202c i skolen"
    _comment_on_first_shown(sample_ws, spoof)
    rnd = Workspace(sample_ws).round("2026")
    legal = _legal_script(rnd)
    legal[1] = f"Sak 2026/14 {INVISIBLE}i arkivet"  # the first legal item's documentation
    p = ScriptedPrompter([*legal, 2, f"Begrunnelse {INVISIBLE}med tegn", "", STOP])
    run_consensus(rnd, p)  # shows the comments in the terminal, records a rationale with invisible characters
    assert any("tnekjkue" in s for s in p.said) and not any(INVISIBLE_RE.search(s) for s in p.said)
    html = tmp_path / "r.html"
    assert cli(["report", sample_ws, "--out", html]).exit_code == 0
    page = html.read_text(encoding="utf-8")
    assert "tnekjkue" in page and "Begrunnelse med tegn" in page and not INVISIBLE_RE.search(page)
    assert "Sak 2026/14 i arkivet" in page  # the legal minimum's table shows the group's documentation
    plan = sample_ws / "handlingsplan-eksempeldal-2025.xlsx"
    cell, _ = _plan_cell(plan, "Kommentar")
    _set(plan, cell, "Ansvarlig \u202eforeldre\u202c følger opp")
    assert cli(["plan", sample_ws, "--round", "2025"]).exit_code == 0
    sheet = openpyxl.load_workbook(plan)["Handlingsplan"]
    assert sheet[cell].value == "Ansvarlig foreldre følger opp"
    assert not INVISIBLE_RE.search(_xlsx_text(plan))
