"""Shared fixtures. Every test runs with HOME in a temp folder and SAMORDNA_DEBUG=1,
so an unexpected exception fails the test with its traceback instead of exit code 1."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "cli") not in sys.path:
    sys.path.insert(0, str(ROOT / "cli"))


@pytest.fixture(autouse=True)
def _isolate(tmp_path_factory, monkeypatch):
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("SAMORDNA_DEBUG", "1")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("TERMINAL_WIDTH", "100")
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("MPLBACKEND", "Agg")


@pytest.fixture
def repo_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def bank_path() -> Path:
    return ROOT / "assessments" / "samordna-0-24.yaml"


@pytest.fixture(scope="session")
def bank(bank_path):
    from samordna.bank import load_bank

    return load_bank(bank_path)


@pytest.fixture
def sample_ws(tmp_path) -> Path:
    """A private copy of the sample municipality (Eksempeldal, rounds 2024-2026)."""
    target = tmp_path / "eksempeldal"
    shutil.copytree(ROOT / "sample_municipality", target)
    return target


@pytest.fixture
def empty_ws(tmp_path, bank_path) -> Path:
    """A fresh workspace with one open round (2026) and no answers."""
    from samordna.workspace import Workspace

    ws = Workspace.init(tmp_path / "testvik", "Testvik", "9998")
    ws.new_round(year=2026, bank_path=bank_path)
    return ws.root


@pytest.fixture
def cli():
    """Run the CLI in-process: cli(["score", str(path)]) -> Result (exit_code, stdout, stderr)."""
    from typer.testing import CliRunner

    from samordna.app import app

    runner = CliRunner()

    def invoke(args, input=None, env=None):
        return runner.invoke(app, [str(a) for a in args], input=input, env=env)

    return invoke
