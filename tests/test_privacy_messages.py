"""Identity numbers never reach the screen through an error message, and are never accepted as a code."""

from __future__ import annotations

from samordna.core.codes import code_problem
from samordna.core.errors import SamordnaError
from samordna.core.privacy import ID_MASK, mask_ids

FNR = "15108695088"  # python-stdnum's published example (valid check digits)


def test_messages_mask_identity_numbers_but_keep_places():
    err = SamordnaError("skjema.xlsx, ark «Svar», celle E12: kommentar «ring mor, 151086 95088»",
                        problems=["svar.yaml, linje 14: 15.10.1986-950.88"])
    text = err.render()
    assert "95088" not in text and "151086" not in text and "950.88" not in text
    assert text.count(ID_MASK) == 2
    assert "celle E12" in text and "linje 14" in text


def test_text_without_an_identity_number_is_left_alone():
    text = "linje 12: 2026 og 123456 og telefon 22 33 44 55"
    assert mask_ids(text) == text


def test_an_identity_number_is_never_a_participant_code():
    assert code_problem("D05") is None
    problem = code_problem(FNR)
    assert problem is not None and "fødselsnummer" in problem and FNR not in problem


def test_assess_refuses_an_identity_number_as_code_without_echoing_it(cli, empty_ws):
    res = cli(["assess", empty_ws, "--participant", FNR, "--answers", empty_ws / "finnes-ikke.yaml"])
    assert res.exit_code == 2
    assert FNR not in res.output and "fødselsnummer" in res.output
    assert not (empty_ws / "runder" / "2026" / "svar" / f"{FNR}.yaml").exists()


def test_a_number_edited_into_an_answer_file_by_hand_is_caught_on_load(cli, sample_ws):
    path = sample_ws / "runder" / "2026" / "svar" / "D01.yaml"
    text = path.read_text(encoding="utf-8")
    first = text.index("level:")
    path.write_text(text[:first] + "comment: Gjelder 15.10.1986 950 88\n    " + text[first:], encoding="utf-8")
    res = cli(["validate", sample_ws])
    assert res.exit_code == 2
    assert "D01.yaml, linje" in res.output and "comment" in res.output and "fødselsnummer" in res.output
    assert "950 88" not in res.output
    assert cli(["score", sample_ws]).exit_code == 2


def test_more_written_forms_are_caught():
    from samordna.core.idnumbers import contains_id

    for text in ("010190_10046", "(010190)10046", "010190+10046", "[010190] 10046", "101199010046"):
        assert contains_id(text), text  # the last: a 4-digit year stored as a number, leading zero lost


def test_a_lookalike_edited_into_an_answer_file_is_warned_about_with_its_line(cli, sample_ws):
    path = sample_ws / "runder" / "2026" / "svar" / "D01.yaml"
    text = path.read_text(encoding="utf-8")
    first = text.index("level:")
    path.write_text(text[:first] + "comment: barnet 010190 10047\n    " + text[first:], encoding="utf-8")
    res = cli(["validate", sample_ws])
    assert res.exit_code == 0, res.output
    assert "Merk: D01.yaml, linje" in res.output and "ligner et fødselsnummer" in res.output


def test_a_number_typed_as_a_number_in_a_column_people_added_to_the_plan_is_refused(cli, sample_ws):
    from openpyxl import load_workbook

    assert cli(["plan", sample_ws]).exit_code == 0
    plan = sample_ws / "handlingsplan-eksempeldal-2026.xlsx"
    wb = load_workbook(plan)
    sheet = wb["Handlingsplan"]
    col = sheet.max_column + 1
    sheet.cell(row=1, column=col, value="Notat")
    sheet.cell(row=2, column=col, value=1019010046)  # Excel kept it as a number and dropped the leading zero
    wb.save(plan)
    before = plan.read_bytes()
    res = cli(["plan", sample_ws])
    assert res.exit_code == 2 and "fødselsnummer" in res.output
    assert plan.read_bytes() == before


def test_an_os_error_naming_a_file_is_cleaned_too(monkeypatch, capsys):
    import errno

    from samordna.cli import main as cli_main

    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", f"/data/{FNR}\u202e.yaml")

    monkeypatch.setattr("samordna.cli.app.app", disk_full)
    assert cli_main.main(["score", "x"]) == 2
    err = capsys.readouterr().err
    assert "Disken er full" in err and FNR not in err and "\u202e" not in err
