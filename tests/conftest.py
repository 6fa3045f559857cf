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
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)  # the cache folder follows HOME (never the real one)
    monkeypatch.delenv("SAMORDNA_CACHE_DIR", raising=False)  # a developer's own cache setting never reaches the tests
    monkeypatch.setenv("SAMORDNA_DEBUG", "1")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("TERMINAL_WIDTH", "100")
    monkeypatch.delenv("SAMORDNA_LANG", raising=False)
    from samordna import i18n

    i18n.start([])  # every test starts in bokmål, whatever an earlier test in this process chose
    import sys

    if "samordna.cli.app" in sys.modules:  # help texts made in another language by an earlier test: made anew
        sys.modules["samordna.cli.app"].in_language()
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("MPLBACKEND", "Agg")
    yield
    i18n.start([])  # and ends in it: a module-scoped fixture made before the next test's start sees bokmål
    i18n.forget_text_languages()


@pytest.fixture
def repo_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def bank_path() -> Path:
    return ROOT / "assessments" / "samordna-0-24.yaml"


@pytest.fixture(scope="session")
def bank(bank_path):
    from samordna.io.bankfile import load_bank

    return load_bank(bank_path)


@pytest.fixture
def sample_ws(tmp_path) -> Path:
    """A private copy of the sample municipality (Eksempeldal, rounds 2024-2026)."""
    target = tmp_path / "eksempeldal"
    shutil.copytree(ROOT / "sample_municipality", target)
    return target


def add_mirror_answers(ws_dir: Path, young: int, parents: int, round_id: str | None = None, seed: int = 17,
                       shift: int = 0) -> None:
    """Mirror answers (core.mirror) in a round of the workspace at ``ws_dir``: ``young`` young people (age bands
    in turn) and ``parents`` parents, every statement of the shipped companion bank answered 0–4 (seeded,
    ``shift`` moves the levels up or down) with now and then «vet ikke»."""
    import random

    from samordna.io.mirrorfile import MirrorStore, shipped_mirror_bank
    from samordna.io.workspace import Workspace

    ws = Workspace(ws_dir)
    rnd = ws.round(round_id) if round_id else ws.round()
    bank = shipped_mirror_bank()
    rng = random.Random(seed)
    store = MirrorStore(rnd.dir)
    bands = ("13-15", "16-18", "19-24")
    for role, n in (("ungdom", young), ("foreldre", parents)):
        for k in range(n):
            answers: dict[str, int | str] = {
                st.id: ("vet_ikke" if rng.random() < 0.1 else max(0, min(4, rng.choice([0, 1, 1, 2, 2, 3]) + shift)))
                for st in bank.statements}
            store.save(bank, role, bands[k % 3] if role == "ungdom" else None, answers, "skjema",
                       rid=f"S{role[0].upper()}{k:06d}".replace("U", "Y").replace("F", "P")[:8])


@pytest.fixture
def mirror_ws(sample_ws) -> Path:
    """The sample municipality with a youth council of 9 and a parents' group of 4 in round 2026: the young
    people are shown, the parents (fewer than 5) never are. The sample's own mirror answers (2025, 2026) are
    removed first, so this is all the mirror there is."""
    for folder in sample_ws.glob("runder/*/speilet"):
        shutil.rmtree(folder)
    add_mirror_answers(sample_ws, young=9, parents=4)
    return sample_ws


@pytest.fixture
def empty_ws(tmp_path, bank_path) -> Path:
    """A fresh workspace with one open round (2026) and no answers."""
    from samordna.io.workspace import Workspace

    ws = Workspace.init(tmp_path / "testvik", "Testvik", "9998")
    ws.new_round(year=2026, bank_path=bank_path)
    return ws.root


@pytest.fixture
def cli():
    """Run the CLI in-process: cli(["score", str(path)]) -> Result (exit_code, stdout, stderr)."""
    return run_cli


class CliResult:
    """What a run of ``main()`` left: its exit code and what it printed."""

    def __init__(self, exit_code: int, stdout: str, stderr: str):
        self.exit_code, self.stdout, self.stderr = exit_code, stdout, stderr
        self.output = stdout + stderr

    def __repr__(self) -> str:
        return f"<CliResult {self.exit_code}: {self.output[-300:]!r}>"


def run_cli(args, input=None, env=None) -> CliResult:
    """Run ``samordna.cli.main.main`` in-process with captured streams, as the console script would."""
    from typer.testing import CliRunner

    from samordna.cli.main import main

    runner = CliRunner()
    with runner.isolation(input=input, env=env) as (out, err, *_):
        code = main([str(a) for a in args])
        return CliResult(code, out.getvalue().decode("utf-8", "replace"), err.getvalue().decode("utf-8", "replace"))


def run_cli_within(seconds: float, args) -> CliResult:
    """``run_cli`` in a daemon thread: a read that blocks (a FIFO) fails the test instead of hanging the suite."""
    import threading

    box: dict[str, object] = {}

    def go() -> None:
        try:
            box["res"] = run_cli(args)
        except BaseException as exc:
            box["exc"] = exc

    t = threading.Thread(target=go, daemon=True)
    t.start()
    t.join(seconds)
    assert not t.is_alive(), f"samordna {' '.join(map(str, args))} hung for {seconds} s"
    if "exc" in box:
        raise box["exc"]  # type: ignore[misc]
    res = box["res"]
    assert isinstance(res, CliResult)
    return res


@pytest.fixture
def scripted(monkeypatch):
    """The next command's prompts are answered from a list: ``scripted([...])`` before ``cli([...])``
    (Ctrl-C: ``INTERRUPT``). Returns the ScriptedPrompter, to look at what was asked."""
    from samordna.ui.prompter import ScriptedPrompter

    def install(script):
        p = ScriptedPrompter(script)
        monkeypatch.setattr("samordna.ui.prompter.terminal_prompter", lambda why: p)
        return p

    return install


@pytest.fixture
def live(tmp_path):
    """A running ``samordna live`` on a private copy of the sample municipality; stopped (killed) at the end
    (tests/test_live_server.py and tests/test_live_browser.py)."""
    from test_live_server import LiveServer, _live_available, sample_copy

    why = _live_available()
    if why:
        pytest.skip(why)
    server = LiveServer(sample_copy(tmp_path))
    try:
        yield server.start()
    finally:
        server.stop()
        print(f"--- samordna live printed ---\n{server.output()[-6000:]}")  # shown when the test fails
