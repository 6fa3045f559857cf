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
