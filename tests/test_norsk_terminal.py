"""The terminal in Norwegian: help pages, usage errors, questionary's confirm and multi-select, plurals, hints."""

from __future__ import annotations

import re
import subprocess
import sys
import threading

import pytest

from samordna.cli.common import shell_arg
from samordna.i18n import n_

ENGLISH_CHROME = ["Usage", "Options", "Arguments", "Commands", "Description", "[OPTIONS]", "COMMAND", "[ARGS]",
                  "<bool>", "<path>", "<text>", "<integer>", "Show this message", "required", "default:", "Try '"]

# the commands whose --help must show an example (each command owns its own; these are checked here)
EXAMPLE_COMMANDS = [[], ["report"], ["score"], ["init"], ["validate"], ["demo"], ["metode"]]


@pytest.mark.parametrize("args", [[], ["assess"], ["report"], ["round"], ["import"], ["metode"]])
def test_help_has_no_english_chrome(cli, args):
    res = cli([*args, "--help"])
    assert res.exit_code == 0, res.output
    for word in ENGLISH_CHROME:
        assert word not in res.output, (args, word)
    assert "Bruk: samordna" in res.output


def test_missing_argument_in_norwegian(cli):
    res = cli(["import"])
    assert res.exit_code == 2
    assert "Mangler argumentet MAPPE" in res.output
    assert "Missing" not in res.output and "files" not in res.output
    res = cli(["import", "mappe"])
    assert res.exit_code == 2
    assert "Mangler argumentet FILER" in res.output and "files" not in res.output


@pytest.mark.parametrize("args", EXAMPLE_COMMANDS)
def test_help_has_an_example(cli, args):
    res = cli([*args, "--help"])
    assert res.exit_code == 0, res.output
    assert re.search(r"Eksemp(?:el|ler):", res.output), res.output
    assert re.search(r"samordna " + (args[0] if args else r"\w+"), res.output.split("Eksempel")[-1])


def test_help_stays_light():
    code = ("import sys; from samordna.cli.main import main\n"
            "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            "heavy = [m for m in ('matplotlib', 'openpyxl', 'weasyprint', 'jinja2', 'questionary') if m in sys.modules]\n"
            "print('HEAVY', heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60).stdout
    assert "HEAVY []" in out, out


def test_plural():
    assert n_("{n} deltaker", "{n} deltakere", 1).format(n=1) == "1 deltaker"
    assert n_("{n} deltaker", "{n} deltakere", 2).format(n=2) == "2 deltakere"
    assert n_("{n} kommentar", "{n} kommentarer", 0).format(n=0) == "0 kommentarer"


def test_shell_arg_makes_hints_pasteable(tmp_path):
    assert shell_arg("fjordvik") == "fjordvik"
    assert shell_arg("/tmp/Bø i Telemark") in ("'/tmp/Bø i Telemark'", '"/tmp/Bø i Telemark"')
    assert shell_arg("æøå-mappe") == "æøå-mappe"


def test_init_hint_can_be_pasted(cli, tmp_path):
    target = tmp_path / "Mitt område"
    res = cli(["init", target, "--kommune", "Fjordvik", "--kommunenummer", "4601"])
    assert res.exit_code == 0, res.output
    hint = res.stdout.split("Neste steg: åpne en runde med: ", 1)[1].strip()
    assert hint == f"samordna round new {shell_arg(target)}"
    import shlex

    if sys.platform != "win32":
        assert shlex.split(hint)[-1] == str(target)  # one argument, as typed


def test_one_participant_is_1_deltaker(cli, sample_ws):
    answers = sorted((sample_ws / "runder" / "2024" / "svar").glob("*.yaml"))
    for extra in answers[1:]:
        extra.unlink()
    res = cli(["score", sample_ws, "--round", "2024"])
    assert res.exit_code == 0, res.output
    assert "1 deltaker." in res.output and "1 deltakere" not in res.output
    res = cli(["report", sample_ws, "--round", "2024"])
    assert res.exit_code == 0, res.output
    for name in ("rapport-eksempeldal-2024.html", "sammendrag-eksempeldal-2024.html"):
        text = re.sub(r"\s+", " ", (sample_ws / name).read_text(encoding="utf-8"))
        assert "1 deltakere" not in text, name
    assert "1 deltaker" in re.sub(r"\s+", " ", (sample_ws / "sammendrag-eksempeldal-2024.html").read_text("utf-8"))


def test_metode_shows_the_method_and_where_it_is(cli):
    from samordna.io.resources import method_path

    res = cli(["metode"])
    assert res.exit_code == 0, res.output
    assert "Slik regner samordna" in res.output
    assert str(method_path()) in res.output
    res = cli(["metode", "--sti"])
    assert res.stdout.strip() == str(method_path())


def test_score_points_to_samordna_metode(cli, sample_ws):
    res = cli(["score", sample_ws])
    assert res.exit_code == 0, res.output
    assert "docs/metode.md" not in res.output and "samordna metode" in res.output


def test_open_never_fails_without_an_opener(cli, sample_ws, monkeypatch):
    import samordna.cli.common as common

    monkeypatch.setattr(common, "_launch", lambda path: False)
    res = cli(["report", sample_ws, "--round", "2024", "--open"])
    assert res.exit_code == 0, res.output
    assert "Fant ikke et program som kan åpne filen" in res.output
    assert str((sample_ws / "rapport-eksempeldal-2024.html").resolve()) in res.output


def test_open_opens_the_report(cli, sample_ws, monkeypatch):
    import samordna.cli.common as common

    opened = []
    monkeypatch.setattr(common, "_launch", lambda path: opened.append(path) or True)
    res = cli(["report", sample_ws, "--round", "2024", "--open"])
    assert res.exit_code == 0, res.output
    assert opened == [sample_ws / "rapport-eksempeldal-2024.html"]
    assert "Åpner rapport-eksempeldal-2024.html" in res.output


# --- questionary, through a prompt_toolkit pipe ---------------------------------------------------------------

prompt_toolkit = pytest.importorskip("prompt_toolkit")


def _ask(keys: str, ask):
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    from samordna.ui.prompter import QuestionaryPrompter

    with create_pipe_input() as inp:
        p = QuestionaryPrompter(input=inp, output=DummyOutput())
        inp.send_text(keys)
        timer = threading.Timer(10, lambda: inp.send_text("\x03"))  # a hanging prompt fails instead of hanging
        timer.start()
        try:
            return ask(p)
        finally:
            timer.cancel()


@pytest.mark.parametrize(("keys", "default", "expected"), [
    ("j", False, True), ("J", False, True), ("y", False, True), ("n", True, False), ("N", True, False),
    ("\r", True, True), ("\r", False, False), ("x\r", False, False),
])
def test_confirm_takes_j_for_ja(keys, default, expected):
    assert _ask(keys, lambda p: p.confirm("Fortsette?", default=default)) is expected


def test_confirm_and_checkbox_show_norwegian_words():
    from samordna.ui.prompter import Choice, QuestionaryPrompter, confirm_line, norwegian_confirm, norwegian_token

    def line(default, answer, complete):
        return "".join(t[1] for t in confirm_line("Fortsette?", default, answer, complete))

    assert line(True, None, False) == "? Fortsette? (J/n) "
    assert line(False, None, False) == "? Fortsette? (j/N) "
    assert line(True, True, True) == "? Fortsette? Ja"
    assert line(True, False, True) == "? Fortsette? Nei"
    assert norwegian_confirm("Fortsette?").application is not None
    assert norwegian_token("done (5 selections)") == "5 valgt"
    assert norwegian_token("done") == "ingen valgt"
    assert "arrow" not in norwegian_token(
        "(Use arrow keys to move, <space> to select, <a> to toggle, <i> to invert)")
    # a real checkbox, answered: two chosen
    choices = [Choice("Barnehage", 1), Choice("Skole", 2), Choice("NAV", 3)]
    assert _ask(" \x1b[B \r", lambda p: p.checkbox("Velg", choices)) == [1, 2]
    assert QuestionaryPrompter  # the patch is installed by the prompter


def test_answered_checkbox_line_is_norwegian():
    """The line left on screen after a multi-select: «2 valgt», not «done (2 selections)»."""
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    import samordna.ui.prompter as prompter
    from samordna.ui.prompter import Choice, QuestionaryPrompter

    seen: list[str] = []
    with create_pipe_input() as inp:
        p = QuestionaryPrompter(input=inp, output=DummyOutput())
        base = prompter._base_layout

        def spy(ic, tokens, **kw):  # sees the prompt line after the Norwegian words are put in
            def record():
                out = tokens()
                seen.append("".join(t[1] for t in out))
                return out
            return base(ic, record, **kw)

        prompter._base_layout = spy
        try:
            inp.send_text(" \x1b[B \r")
            p.checkbox("Velg", [Choice("A", 1), Choice("B", 2), Choice("C", 3)])
        finally:
            prompter._base_layout = base
    assert any("2 valgt" in line for line in seen), seen
    assert not any("selections" in line or "arrow" in line for line in seen), seen


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="the desktop check is for Linux and the like")
def test_no_desktop_means_no_opener(monkeypatch, tmp_path):
    import subprocess as sp

    import samordna.cli.common as common

    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    started = []
    monkeypatch.setattr(sp, "Popen", lambda *a, **k: started.append(a))
    assert common._launch(tmp_path / "x.html") is False
    assert not started  # no text browser started behind the user's back
    assert "Åpne den selv" in common.open_in_default_program(tmp_path / "x.html")


@pytest.mark.parametrize("args", [["--help"], ["assess", "--help"], ["import"]])
def test_plain_help_without_rich_is_norwegian(args):
    """TYPER_USE_RICH=0 (or no rich) gives Click's plain formatter: its headings and error lines too."""
    import os

    env = {**os.environ, "TYPER_USE_RICH": "0", "COLUMNS": "100"}
    res = subprocess.run([sys.executable, "-m", "samordna", *args], capture_output=True, text=True, env=env,
                         timeout=60)
    out = res.stdout + res.stderr
    for word in ("Usage", "Options:", "Commands:", "Arguments:", "Error:", "Try '", "for help", "Missing"):
        assert word not in out, (args, word, out)
    assert "Bruk: samordna" in out
