"""End to end with the real questionary prompts, fed keys through a prompt_toolkit pipe.

Keys are sent one prompt at a time (sent all at once, the first prompt would swallow
them). A watchdog sends Ctrl-C if a prompt waits longer than it should, so a broken
script fails the test instead of hanging it.
"""

from __future__ import annotations

import threading

import pytest
import yaml

pytest.importorskip("prompt_toolkit")

from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from banks import pinned_to_bank_1_0
from samordna.ui.prompter import QuestionaryPrompter

# These tests were written for bank 1.0.0; they now also show that a round on it keeps working unchanged.
# Bank 2.0 (legal minimum, statutory indicators, level descriptors) is tested in test_legal_minimum_inputs.py.
bank_path, bank = pinned_to_bank_1_0()


DOWN, ENTER, CTRL_C = "\x1b[B", "\r", "\x03"


def down(n: int) -> str:
    return DOWN * n + ENTER


class KeyFeeder:
    """A Prompter that sends the next key string into the pipe, then asks through questionary."""

    def __init__(self, inp, keys):
        self.inp = inp
        self.keys = list(keys)
        self.inner = QuestionaryPrompter(input=inp, output=DummyOutput())
        self.asked: list[str] = []
        self.watchdog_fired = False

    def _run(self, message, ask):
        self.asked.append(message)
        if not self.keys:
            raise AssertionError(f"no keys left for {message!r}")
        self.inp.send_text(self.keys.pop(0))

        def fire():
            self.watchdog_fired = True
            self.inp.send_text(CTRL_C)

        timer = threading.Timer(10, fire)
        timer.start()
        try:
            return ask()
        finally:
            timer.cancel()

    def say(self, text=""):
        pass

    def select(self, message, choices, default=None, instruction=None):
        return self._run(message, lambda: self.inner.select(message, choices, default, instruction))

    def checkbox(self, message, choices, checked=(), instruction=None):
        return self._run(message, lambda: self.inner.checkbox(message, choices, checked, instruction))

    def text(self, message, default="", validate=None, instruction=None):
        return self._run(message, lambda: self.inner.text(message, default, validate, instruction))

    def confirm(self, message, default=True):
        return self._run(message, lambda: self.inner.confirm(message, default))


@pytest.fixture
def feed(monkeypatch):
    """feed(keys) -> KeyFeeder used by the next `samordna assess` run."""
    pipes = []

    def make(keys):
        ctx = create_pipe_input()
        inp = ctx.__enter__()
        pipes.append(ctx)
        feeder = KeyFeeder(inp, keys)
        monkeypatch.setattr("samordna.ui.prompter.terminal_prompter", lambda why: feeder)
        return feeder

    yield make
    for ctx in pipes:
        ctx.__exit__(None, None, None)


def answers(ws, code):
    return yaml.safe_load((ws / "runder" / "2026" / "svar" / f"{code}.yaml").read_text(encoding="utf-8"))["answers"]


def test_ctrl_c_half_way_then_resume_with_real_prompts(cli, empty_ws, feed):
    # start; type the code; pick «Barnehage»; LED-01 = 2; LED-02 = 3 with a comment; Ctrl-C at LED-03
    f = feed([ENTER, "D07" + ENTER, down(1), down(2), ENTER, down(3), "fin praksis" + ENTER, DOWN + CTRL_C])
    r = cli(["assess", empty_ws])
    assert not f.watchdog_fired
    assert r.exit_code == 130, r.output
    assert "Svarene dine er lagret (2 av 42)" in r.stdout
    assert "--participant D07" in r.stdout
    assert answers(empty_ws, "D07") == {"LED-01": {"level": 2}, "LED-02": {"level": 3, "comment": "fin praksis"}}

    # again: resumes at LED-03; «Vet ikke» (sixth choice); then Ctrl-C inside the comment
    f = feed([down(5), "halvveis" + CTRL_C])
    r = cli(["assess", empty_ws, "--participant", "D07"])
    assert not f.watchdog_fired
    assert r.exit_code == 130, r.output
    assert f.asked[0] == "Ditt svar på LED-03:"
    assert "(3 av 42)" in r.stdout
    assert answers(empty_ws, "D07")["LED-03"] == {"level": "vet_ikke"}  # the level survived; the unfinished comment did not


def test_review_with_real_prompts_keeps_default_on_enter(cli, empty_ws, feed):
    f = feed([ENTER, down(4), ENTER, ENTER, ENTER, DOWN * 9 + CTRL_C])  # LED-01 = 4, LED-02 = 0, Ctrl-C at LED-03
    r = cli(["assess", empty_ws, "-p", "D08", "-s", "nav"])
    assert r.exit_code == 130, r.output
    assert answers(empty_ws, "D08") == {"LED-01": {"level": 4}, "LED-02": {"level": 0}}
    # --review: «Ledelsesforankring» is highlighted first; LED-01 is highlighted; Enter keeps 4;
    # type a comment; from LED-02 down to «Tilbake»; down to «Ferdig med å endre»; in the summary «Ferdig»
    f = feed([ENTER, ENTER, ENTER, "bekreftet" + ENTER, down(5), down(7), down(2)])
    r = cli(["assess", empty_ws, "-p", "D08", "--review"])
    assert not f.watchdog_fired
    assert r.exit_code == 0, (r.output, f.asked)
    assert answers(empty_ws, "D08") == {"LED-01": {"level": 4, "comment": "bekreftet"}, "LED-02": {"level": 0}}


def test_legal_minimum_and_statutory_item_with_real_prompts(cli, tmp_path, feed):
    """Bank 2.0: the legal minimum first (Ja, Nei, Vet ikke), then a statutory indicator with no «Ikke relevant»."""
    from samordna.io.workspace import Workspace
    from test_legal_minimum_inputs import SMALL_BANK

    bank_file = tmp_path / "liten-bank.yaml"
    bank_file.write_text(SMALL_BANK, encoding="utf-8")
    ws = Workspace.init(tmp_path / "testvik", "Testvik", "9998")
    ws.new_round(year=2026, bank_path=bank_file)
    # start; LM-01 = Nei (second); LM-02 = Ja (first); LED-01: the sixth choice is «Vet ikke» (then «Les mer», not
    # «Ikke relevant»); Ctrl-C at LED-02
    f = feed([ENTER, down(1), ENTER, ENTER, ENTER, down(5), ENTER, CTRL_C])
    r = cli(["assess", ws.root, "-p", "D09", "-s", "nav"])
    assert not f.watchdog_fired
    assert r.exit_code == 130, (r.output, f.asked)
    assert [m for m in f.asked if m.startswith("Ditt svar")] == [
        "Ditt svar på LM-01:", "Ditt svar på LM-02:", "Ditt svar på LED-01:", "Ditt svar på LED-02:"]
    assert answers(ws.root, "D09") == {"LM-01": {"level": "nei"}, "LM-02": {"level": "ja"},
                                       "LED-01": {"level": "vet_ikke"}}
    assert "(3 av 6)" in r.stdout
