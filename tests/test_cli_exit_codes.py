"""Exit codes are decided in one place, ``samordna.cli.main.main()``:
0 done · 1 a bug in samordna · 2 bad input or usage · 130 interrupted (Ctrl-C)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "cli") + os.pathsep + env.get("PYTHONPATH", "")
    env.pop("SAMORDNA_DEBUG", None)
    return env


def _raise(exc: BaseException):
    def broken(*args, **kwargs):
        raise exc

    return broken


def test_done_is_0(cli, sample_ws):
    res = cli(["round", "list", sample_ws])
    assert res.exit_code == 0, res.output
    assert res.stderr == ""


def test_unknown_option_is_usage_error_2(cli, sample_ws):
    res = cli(["score", sample_ws, "--finnes-ikke"])
    assert res.exit_code == 2
    assert "Ukjent valg: --finnes-ikke" in res.stderr
    assert "No such option" not in res.output


def test_unknown_command_is_usage_error_2(cli):
    res = cli(["finnes-ikke"])
    assert res.exit_code == 2
    assert "Ukjent kommando «finnes-ikke»" in res.stderr


@pytest.mark.parametrize("command", [["init"], ["score"], ["round", "new"], ["round", "list"], ["assess"]])
def test_missing_argument_names_the_norwegian_metavar(cli, command):
    res = cli(command)
    assert res.exit_code == 2
    assert "Mangler argumentet MAPPE." in res.stderr
    assert "directory" not in res.output


def test_missing_list_argument(cli, sample_ws):
    res = cli(["import", sample_ws])
    assert res.exit_code == 2
    assert "Mangler argumentet FILER." in res.stderr


def test_samordna_error_is_bad_input_2(cli, tmp_path):
    res = cli(["score", tmp_path / "finnes-ikke"])
    assert res.exit_code == 2
    assert res.stderr.startswith("Feil: ")
    assert "finnes-ikke" in res.stderr
    assert "Traceback" not in res.output


def test_unexpected_exception_is_a_bug_1_without_traceback(cli, sample_ws, monkeypatch):
    monkeypatch.setattr("samordna.core.results.workspace_results", _raise(RuntimeError("noe gikk galt")))
    monkeypatch.delenv("SAMORDNA_DEBUG")
    res = cli(["score", sample_ws])
    assert res.exit_code == 1
    assert "programfeil" in res.stderr
    assert "RuntimeError: noe gikk galt" in res.stderr
    assert "Traceback" not in res.output


def test_no_module_name_sniffing(cli, sample_ws, monkeypatch):
    """An exception is a bug by what it is, not by the module its class comes from."""
    lookalike = type("Exit", (Exception,), {"__module__": "typer.fake"})
    monkeypatch.setattr("samordna.core.results.workspace_results", _raise(lookalike("ikke typer sin")))
    monkeypatch.delenv("SAMORDNA_DEBUG")
    res = cli(["score", sample_ws])
    assert res.exit_code == 1
    assert "programfeil" in res.stderr
    for module in ("app.py", "main.py"):
        source = (ROOT / "cli" / "samordna" / "cli" / module).read_text(encoding="utf-8")
        assert "__module__" not in source and "TyperGroup" not in source, module


def test_debug_lets_the_exception_through(cli, sample_ws, monkeypatch):
    monkeypatch.setattr("samordna.core.results.workspace_results", _raise(RuntimeError("vis meg")))
    with pytest.raises(RuntimeError, match="vis meg"):
        cli(["score", sample_ws])


def test_ctrl_c_is_130(cli, sample_ws, monkeypatch):
    monkeypatch.setattr("samordna.core.results.workspace_results", _raise(KeyboardInterrupt()))
    res = cli(["score", sample_ws])
    assert res.exit_code == 130
    assert "Avbrutt" in res.stderr
    assert "Traceback" not in res.output


def test_ctrl_c_handled_by_the_command_is_told_once(cli, sample_ws, monkeypatch):
    monkeypatch.setattr("samordna.ui.prompter.terminal_prompter", lambda *a, **k: object())
    monkeypatch.setattr("samordna.flows.prioritize.run_prioritize", _raise(KeyboardInterrupt()))
    res = cli(["prioritize", sample_ws])
    assert res.exit_code == 130
    assert "Prioriteringene er ikke endret" in res.stderr
    assert res.output.count("Avbrutt") == 1


def test_console_script_usage_error_in_a_subprocess():
    out = subprocess.run([sys.executable, "-m", "samordna", "init"], capture_output=True, text=True,
                         encoding="utf-8", env={**_env(), "NO_COLOR": "1", "COLUMNS": "100"}, cwd=ROOT)
    assert out.returncode == 2
    assert "Mangler argumentet MAPPE." in out.stderr
    assert "Bruk: samordna init [VALG] {MAPPE}" in out.stderr
    assert "Missing" not in out.stderr and "Usage" not in out.stderr
    assert out.stdout == ""


def test_console_script_bad_input_in_a_subprocess(tmp_path):
    out = subprocess.run([sys.executable, "-m", "samordna", "score", str(tmp_path / "finnes-ikke")],
                         capture_output=True, text=True, encoding="utf-8", env=_env(), cwd=ROOT)
    assert out.returncode == 2
    assert out.stderr.startswith("Feil: Fant ikke mappen")
