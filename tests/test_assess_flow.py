"""The assess session over a scripted prompter: order, saving, resume, back/skip, help, comments, review, summary."""

from __future__ import annotations

import pytest
import yaml

from banks import pinned_to_bank_1_0
from samordna.core.errors import SamordnaError
from samordna.flows import assess as flow
from samordna.io.workspace import Workspace
from samordna.ui.prompter import INTERRUPT, ScriptedPrompter
from test_privacy import FNR

# These tests were written for bank 1.0.0; they now also show that a round on it keeps working unchanged.
# Bank 2.0 (legal minimum, statutory indicators, level descriptors) is tested in test_legal_minimum_inputs.py.
bank_path, bank = pinned_to_bank_1_0()


SKIP, BACK, HELP, PAUSE, DONE = flow.SKIP, flow.BACK, flow.HELP, flow.PAUSE, flow.DONE


@pytest.fixture
def rnd(empty_ws):
    return Workspace(empty_ws).round()


def session(rnd, script, code="D05", sector="barnehage"):
    pf = flow.existing_participant(rnd, code, None) or rnd.new_participant(code, sector, source="assess")
    return flow.AssessSession(rnd, pf, ScriptedPrompter(script))


def on_disk(rnd, code="D05") -> dict:
    return yaml.safe_load(rnd.participant_path(code).read_text(encoding="utf-8"))["answers"]


def asked(p: ScriptedPrompter) -> list[str]:
    return [m for kind, m in p.transcript if m.startswith("Ditt svar på")]


class SavingSpy(ScriptedPrompter):
    """Records how many answers are on disk each time a statement is asked."""

    def __init__(self, answers, rnd):
        super().__init__(answers)
        self.rnd = rnd
        self.on_disk_when_asked: list[int] = []

    def select(self, message, choices, default=None, instruction=None):
        if message.startswith("Ditt svar på"):
            path = self.rnd.participant_path("D05")
            self.on_disk_when_asked.append(len(on_disk(self.rnd)) if path.exists() else 0)
        return super().select(message, choices, default, instruction)


def test_every_answer_is_on_disk_before_the_next_question(rnd):
    p = SavingSpy([2, "", 3, "", "vet_ikke", "", INTERRUPT], rnd)
    s = flow.AssessSession(rnd, rnd.new_participant("D05", "barnehage", "assess"), p)
    with pytest.raises(KeyboardInterrupt):
        s.run()
    assert p.on_disk_when_asked == [0, 1, 2, 3]
    assert on_disk(rnd) == {"LED-01": {"level": 2}, "LED-02": {"level": 3}, "LED-03": {"level": "vet_ikke"}}


def test_level_is_saved_before_the_comment_is_asked(rnd):
    s = session(rnd, [4, INTERRUPT])
    with pytest.raises(KeyboardInterrupt):
        s.run()
    assert on_disk(rnd) == {"LED-01": {"level": 4}}


def test_resume_starts_at_first_unanswered_in_bank_order(rnd):
    s = session(rnd, [1, "", SKIP, 2, "", INTERRUPT])
    with pytest.raises(KeyboardInterrupt):
        s.run()
    assert set(on_disk(rnd)) == {"LED-01", "LED-03"}
    again = session(rnd, [3, "", INTERRUPT])
    assert again.first_open() == 1
    with pytest.raises(KeyboardInterrupt):
        again.run()
    assert asked(again.p) == ["Ditt svar på LED-02:", "Ditt svar på LED-04:"]
    assert on_disk(rnd)["LED-02"] == {"level": 3}
    assert list(on_disk(rnd)) == ["LED-01", "LED-02", "LED-03"]  # kept in bank order


def test_progress_names_area_and_question(rnd):
    # answer the first 13 straight away, then look at question 14 (SAM-03)
    s = session(rnd, [3, ""] * 13 + [INTERRUPT])
    with pytest.raises(KeyboardInterrupt):
        s.run()
    text = "\n".join(s.p.said)
    assert "Område 3 av 8 · spørsmål 14 av 42" in text
    assert "13 av 42 besvart" in text
    assert "SAMARBEIDSRUTINER OG MØTEARENAER" in text
    assert "SAM-03" in text


def test_back_goes_to_previous_and_forward_again(rnd):
    # LED-01=1, at LED-02 go back, change LED-01 to 4, then continue with LED-02
    s = session(rnd, [1, "", BACK, 4, "", 2, "", INTERRUPT])
    with pytest.raises(KeyboardInterrupt):
        s.run()
    assert asked(s.p) == ["Ditt svar på LED-01:", "Ditt svar på LED-02:", "Ditt svar på LED-01:",
                          "Ditt svar på LED-02:", "Ditt svar på LED-03:"]
    assert on_disk(rnd) == {"LED-01": {"level": 4}, "LED-02": {"level": 2}}


def test_back_twice_then_forward_in_order(rnd):
    s = session(rnd, [1, "", 2, "", BACK, BACK, SKIP, SKIP, 3, "", INTERRUPT])
    with pytest.raises(KeyboardInterrupt):
        s.run()
    assert [m[-7:-1] for m in asked(s.p)] == ["LED-01", "LED-02", "LED-03", "LED-02", "LED-01", "LED-02",
                                               "LED-03", "LED-04"]
    assert on_disk(rnd) == {"LED-01": {"level": 1}, "LED-02": {"level": 2}, "LED-03": {"level": 3}}


def test_skipped_questions_are_listed_and_answered_from_the_summary(rnd, bank):
    n = len(bank.indicators)
    script = [SKIP] + [3, ""] * (n - 1) + ["@ubesvarte", "ikke_relevant", "Ikke aktuelt hos oss", DONE]
    s = session(rnd, script)
    s.run()
    assert not s.p.answers
    said = "\n".join(s.p.said)
    assert "Ubesvart (1):" in said and "LED-01" in said
    answers = on_disk(rnd)
    assert len(answers) == n
    assert answers["LED-01"] == {"level": "ikke_relevant", "comment": "Ikke aktuelt hos oss"}


def test_summary_shows_own_profile_per_area(rnd, bank):
    n = len(bank.indicators)
    s = session(rnd, [4, ""] * 6 + [2, ""] * (n - 6) + [DONE])
    s.run()
    lines = [line for line in s.p.said if line.startswith(("Ledelsesforankring", "Tydelige roller"))]
    assert "4,0" in lines[0] and "6 av 6" in lines[0] and "#" * 20 in lines[0]
    assert "2,0" in lines[1] and "#" * 10 + "." * 10 in lines[1]
    assert s.p.transcript[-1] == ("select", "Hva vil du gjøre nå?")


def test_help_shows_help_text_and_evidence_then_asks_again(rnd, bank):
    ind = bank.indicators[0]
    s = session(rnd, [HELP, BACK, 2, "", INTERRUPT])
    with pytest.raises(KeyboardInterrupt):
        s.run()
    said = "\n".join(s.p.said)
    assert ind.evidence[0] in said
    assert ind.help.split()[0] in said
    assert "Bygger på:" in said
    assert on_disk(rnd) == {"LED-01": {"level": 2}}


def test_comment_with_national_id_is_refused_and_can_be_rephrased(rnd):
    s = session(rnd, [2, f"Gjelder {FNR}", "Gjelder én familie i barnehagen", INTERRUPT])
    with pytest.raises(KeyboardInterrupt):
        s.run()
    said = "\n".join(s.p.said)
    assert "kan ikke lagres" in said and "taushetsplikt" in said
    assert on_disk(rnd) == {"LED-01": {"level": 2, "comment": "Gjelder én familie i barnehagen"}}
    assert FNR not in rnd.participant_path("D05").read_text(encoding="utf-8")


def test_comment_with_email_warns_and_can_be_kept_or_rewritten(rnd):
    s = session(rnd, [2, "spør ola@kommune.no", False, "spør rådgiveren", 3, "ring 912 34 567", True, INTERRUPT])
    with pytest.raises(KeyboardInterrupt):
        s.run()
    said = "\n".join(s.p.said)
    assert "e-postadresse" in said and "telefonnummer" in said
    assert on_disk(rnd) == {"LED-01": {"level": 2, "comment": "spør rådgiveren"},
                            "LED-02": {"level": 3, "comment": "ring 912 34 567"}}


def test_pause_raises_paused_with_everything_saved(rnd):
    s = session(rnd, [1, "", PAUSE])
    with pytest.raises(flow.Paused):
        s.run()
    assert on_disk(rnd) == {"LED-01": {"level": 1}}


def test_review_changes_one_answer_through_area_and_statement(rnd, bank):
    n = len(bank.indicators)
    s = session(rnd, [3, ""] * n + [DONE])
    s.run()
    r = session(rnd, [1, "ROL-02", 0, "Lite kjent", BACK, DONE, DONE])
    r.review()
    r.summary()
    answers = on_disk(rnd)
    assert answers["ROL-02"] == {"level": 0, "comment": "Lite kjent"}
    assert sum(1 for a in answers.values() if a == {"level": 3}) == n - 1
    assert "Endre svar:" in [m for _, m in r.p.transcript]


def test_review_in_order_keeps_unchanged_answers(rnd, bank):
    n = len(bank.indicators)
    session(rnd, [3, ""] * n + [DONE]).run()
    r = session(rnd, ["@alle", SKIP, 1, "", flow.STOP, DONE])
    r.review()
    answers = on_disk(rnd)
    assert answers["LED-01"] == {"level": 3} and answers["LED-02"] == {"level": 1}


def test_back_in_review_leaves_answer_unchanged(rnd):
    s = session(rnd, [2, "hei", PAUSE])
    with pytest.raises(flow.Paused):
        s.run()
    r = session(rnd, [0, "LED-01", BACK, BACK, DONE])
    r.review()
    assert on_disk(rnd) == {"LED-01": {"level": 2, "comment": "hei"}}


def test_ask_code_refuses_names_and_confirms_existing_codes(rnd):
    s = session(rnd, [1, "", PAUSE], code="D01")
    with pytest.raises(flow.Paused):
        s.run()
    p = ScriptedPrompter(["Kari Nordmann", "Kari", False, "D01", False, "D02"])
    assert flow.ask_code(p, rnd) == "D02"
    said = "\n".join(p.said)
    assert "aldri navnet" in said.lower() or "aldri navn" in said.lower()
    assert "Koden D01 er allerede i bruk" in said


def test_sector_conflict_on_existing_code_is_refused(rnd):
    s = session(rnd, [1, "", PAUSE])
    with pytest.raises(flow.Paused):
        s.run()
    with pytest.raises(SamordnaError, match="allerede i bruk"):
        flow.existing_participant(rnd, "D05", "nav")
    assert flow.existing_participant(rnd, "D05", "barnehage").sector == "barnehage"


def test_intro_explains_purpose_scale_time_and_privacy(rnd, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    text = flow.intro_text(rnd)
    for word in ("Formål", "Skalaen", "Eksempel", "minutter", "Personvern", "taushetsplikt", "42 påstander"):
        assert word in text
    assert all(len(line) <= 80 for line in text.splitlines())
