"""The CLI shell: Norwegian help, fast start, exit codes, python -m, demo."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ["matplotlib", "openpyxl", "weasyprint", "questionary", "jinja2", "pydantic"]


def _env():
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "cli") + os.pathsep + env.get("PYTHONPATH", "")
    return env


def test_help_does_not_import_heavy_libraries():
    code = (
        "import sys\n"
        "from samordna.cli.app import app\n"
        "from typer.testing import CliRunner\n"
        "r = CliRunner().invoke(app, ['--help'])\n"
        "assert r.exit_code == 0, r.output\n"
        f"print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY[:3]!r})))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=_env(), check=True)
    assert out.stdout.strip() == "", f"--help imported: {out.stdout}"


@pytest.mark.parametrize("command", [[], ["init"], ["round", "new"], ["validate"], ["score"], ["demo"],
                                     ["round", "list"], ["assess"], ["kit"], ["import"], ["consensus"], ["prioritize"],
                                     ["plan"], ["report"], ["region"]])
def test_every_command_has_norwegian_help(cli, command):
    from typer.main import get_command

    from samordna.cli.app import app

    group = get_command(app)
    if command:
        assert command[0] in group.commands, f"kommandoen {command[0]} mangler"
    res = cli([*command, "--help"])
    assert res.exit_code == 0, res.output
    assert "Bruk:" in res.stdout
    assert "Vis denne hjelpeteksten" in res.stdout
    assert "Show this message" not in res.stdout and "Usage:" not in res.stdout


def test_python_dash_m_and_version():
    out = subprocess.run([sys.executable, "-m", "samordna", "--version"], capture_output=True, text=True, env=_env())
    assert out.returncode == 0
    from samordna import __version__

    assert out.stdout.strip() == f"samordna {__version__}"


def test_version_matches_pyproject():
    import re

    from samordna import __version__

    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'path = "cli/samordna/__init__.py"' in text
    assert re.match(r"^\d+\.\d+\.\d+$", __version__)


def test_usage_errors_are_norwegian_and_exit_2(cli):
    res = cli(["score"])
    assert res.exit_code == 2
    assert "Mangler argumentet" in res.output
    res = cli(["score", "x", "--finnes-ikke"])
    assert res.exit_code == 2
    assert "Ukjent valg" in res.output


def test_unexpected_error_exits_1_without_traceback(cli, sample_ws, monkeypatch):
    def broken(*a, **k):
        raise ZeroDivisionError("oi")

    monkeypatch.setattr("samordna.core.results.workspace_results", broken)
    monkeypatch.delenv("SAMORDNA_DEBUG")
    res = cli(["score", sample_ws])
    assert res.exit_code == 1
    assert "programfeil" in res.stderr and "ZeroDivisionError" in res.stderr
    assert "Traceback" not in res.output


@pytest.mark.slow  # the whole demo, twice: ~20 s
def test_demo_writes_results(cli, tmp_path):
    out = tmp_path / "demo"
    res = cli(["demo", "--out", out, "--no-pdf"])
    assert res.exit_code == 0, res.output
    doc = json.loads((out / "resultater.json").read_text(encoding="utf-8"))
    assert [r["round"] for r in doc["rounds"]] == ["2024", "2025", "2026"]
    assert (out / "arbeidsomrade" / "kommune.yaml").exists()
    # running again over its own output is fine; over someone else's folder is not
    again = cli(["demo", "--out", out, "--no-pdf"])
    assert again.exit_code == 0, again.output
    other = tmp_path / "mine-filer"
    other.mkdir()
    (other / "viktig.txt").write_text("ikke slett meg")
    refused = cli(["demo", "--out", other])
    assert refused.exit_code == 2
    assert (other / "viktig.txt").read_text() == "ikke slett meg"


@pytest.mark.slow  # the whole demo: ~7 s
def test_demo_leaves_shipped_sample_untouched(cli, tmp_path):
    sample = ROOT / "sample_municipality"
    before = {p: p.stat().st_mtime_ns for p in sample.rglob("*") if p.is_file()}
    res = cli(["demo", "--out", tmp_path / "d", "--no-pdf"])
    assert res.exit_code == 0, res.output
    after = {p: p.stat().st_mtime_ns for p in sample.rglob("*") if p.is_file()}
    assert before == after


def test_ctrl_c_exits_130_with_a_message(cli, sample_ws, monkeypatch):
    def interrupted(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr("samordna.core.results.workspace_results", interrupted)
    res = cli(["score", sample_ws])
    assert res.exit_code == 130
    assert "Avbrutt" in res.stderr
