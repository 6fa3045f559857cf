"""One writer at a time, no lost update, all or nothing: the workspace lock and crash tests.

The crash tests fork the test process. The child runs a samordna command in-process and
dies with os._exit (no clean-up, no finally, the lock file left behind: what SIGKILL does)
at its k-th write step, for every k: each os.open that creates a file, fsync, replace,
rename, unlink, rmdir and mkdir the command makes. After each crash the parent checks that
nothing confirmed is lost, that no import is partial (0 or all participants, as readers see
it and after the next writer has cleaned up), that the workspace opens and that score works.
Random SIGKILLs are left to benchmarks/kill_and_race.py.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook

from samordna.core.models import ConsensusEntry
from samordna.io import forms_reader
from samordna.io import lock as lock_mod
from samordna.io.lock import LOCK_NAME, read_lock
from samordna.io.plan_reader import read_plan
from samordna.io.workspace import Workspace, check_workspace
from samordna.outputs.forms import fill_form, write_form
from samordna.plan.model import COL
from test_kit import SECTORS, random_answers

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the crash tests fork")

CRASHED = 86
STEP_FUNCTIONS = ("open", "fsync", "replace", "rename", "unlink", "remove", "rmdir", "mkdir")
CODE = [sys.executable, "-c"]


# --- helpers -------------------------------------------------------------------------------


@contextlib.contextmanager
def write_steps(crash_at: int | None, counter: list[int], within: Path, how: str = "exit") -> Iterator[None]:
    """Count write steps in the folder ``within``; at step ``crash_at`` die (os._exit) or raise
    KeyboardInterrupt before doing it. (Paths relative to a folder handle, as shutil.rmtree uses, count.)

    fsync is counted but skipped: a killed process keeps the page cache, and the sweep stays fast.
    """
    originals = {name: getattr(os, name) for name in STEP_FUNCTIONS}
    inside = str(within)

    def hooked(name: str, real: Callable) -> Callable:
        def step(*args, **kwargs):
            if name == "open":
                flags = args[1] if len(args) > 1 else kwargs.get("flags", 0)
                if not flags & os.O_CREAT:
                    return real(*args, **kwargs)
            target = args[0] if args else None
            if isinstance(target, (str, Path)) and os.path.isabs(target) and not str(target).startswith(inside):
                return real(*args, **kwargs)  # openpyxl's own temp files and the like
            counter[0] += 1
            if crash_at is not None and counter[0] == crash_at:
                if how == "exit":
                    os._exit(CRASHED)
                raise KeyboardInterrupt
            return None if name == "fsync" else real(*args, **kwargs)
        return step

    for name, real in originals.items():
        setattr(os, name, hooked(name, real))
    try:
        yield
    finally:
        for name, real in originals.items():
            setattr(os, name, real)


def run_forked(args: list, crash_at: int | None, setup: Callable[[], None] | None = None) -> tuple[int, int]:
    """Run ``samordna ARGS`` in a forked child that dies at write step ``crash_at``; (exit code, steps taken).

    ``args[1]`` (or ``args[2]`` for «round new») is the workspace: only steps inside it count."""
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        code = 1
        try:
            os.close(r)
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            if setup is not None:
                setup()
            from samordna.cli.main import main

            counter = [0]
            with write_steps(crash_at, counter, _workspace_of(args)):
                code = main([str(a) for a in args])
            os.write(w, str(counter[0]).encode())
        except BaseException:
            traceback.print_exc()
        finally:
            os._exit(code)
    os.close(w)
    _, status = os.waitpid(pid, 0)
    with os.fdopen(r, "rb") as fh:
        steps = fh.read()
    return os.waitstatus_to_exitcode(status), int(steps or 0)


def _workspace_of(args: list) -> Path:
    return Path(args[2] if args[0] == "round" else args[1])


def crash_sweep(args: list, template: Path, ws_dir: Path, check: Callable[[int], None],
                setup: Callable[[], None] | None = None) -> int:
    """Crash ``args`` at every write step, each time in a fresh copy of ``template``; ``check(k)`` after each."""
    _restore(template, ws_dir)
    code, n = run_forked(args, None, setup)
    assert code == 0 and n > 0, f"the command itself failed (exit {code})"
    for k in range(1, n + 1):
        _restore(template, ws_dir)
        code, _ = run_forked(args, k, setup)
        assert code == CRASHED, f"step {k} of {n}: exit {code}, expected the injected crash"
        check(k)
    return n


def _restore(template: Path, ws_dir: Path) -> None:
    shutil.rmtree(ws_dir, ignore_errors=True)
    shutil.copytree(template, ws_dir)


def leftovers(ws_dir: Path) -> list[str]:
    """Traces of an interrupted writer: the lock, staging folders, half-built rounds, temp files."""
    found = [p for p in ws_dir.rglob(".*") if p.name != ".gitkeep"]
    return sorted(str(p.relative_to(ws_dir)) for p in found)


def assert_opens_and_scores(cli, ws_dir: Path) -> None:
    check_workspace(ws_dir)
    res = cli(["score", ws_dir])
    assert res.exit_code == 0, res.output


def answers_file(path: Path, code: str, levels: dict[str, object], sector: str | None = "barnehage") -> Path:
    lines = [f"participant: {code}"] + ([f"sector: {sector}"] if sector else []) + ["answers:"]
    lines += [f"  {k}: {v}" for k, v in levels.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def levels(ws_dir: Path, code: str, rid: str = "2026") -> dict[str, object]:
    pf = Workspace(ws_dir).round(rid).load_participant(code)
    return {k: a.level for k, a in pf.answers.items()}


def hold_lock(ws_dir: Path, seconds: float, command: str = "samordna test") -> subprocess.Popen:
    """Another process that holds the workspace lock for ``seconds`` (returns once it holds it)."""
    code = (f"import time; from samordna.io.workspace import Workspace\n"
            f"with Workspace({str(ws_dir)!r}).lock({command!r}):\n"
            f"    print('holding', flush=True); time.sleep({seconds})\n")
    proc = subprocess.Popen([*CODE, code], stdout=subprocess.PIPE, text=True, env=_env())
    assert proc.stdout is not None and proc.stdout.readline().strip() == "holding"
    return proc


def _env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    root = Path(__file__).resolve().parents[1]
    env["PYTHONPATH"] = os.pathsep.join([str(root / "cli"), env.get("PYTHONPATH", "")])
    env.pop("SAMORDNA_DEBUG", None)
    env.update(extra)
    return env


def samordna(*args: object, **env: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "samordna", *map(str, args)], env=_env(**env),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def dead_pid() -> int:
    proc = subprocess.Popen([*CODE, "pass"])
    proc.wait()
    return proc.pid


def write_lock(ws_dir: Path, *, pid: int, host: str | None = None, age: float = 0.0, command: str = "samordna x") -> None:
    epoch = time.time() - age
    data = {"host": host or socket.gethostname(), "pid": pid, "command": command, "since": "x", "epoch": epoch,
            "token": "t0"}
    (ws_dir / LOCK_NAME).write_text(json.dumps(data))


# --- the lock --------------------------------------------------------------------------------


def test_lock_file_names_the_holder_and_goes_away(empty_ws):
    ws = Workspace(empty_ws)
    with ws.lock("samordna import"):
        info = read_lock(empty_ws / LOCK_NAME)
        assert info is not None
        assert (info.host, info.pid, info.command) == (socket.gethostname(), os.getpid(), "samordna import")
        with ws.lock("samordna assess"):  # re-entrant: a function that locks may call one that locks
            assert read_lock(empty_ws / LOCK_NAME) == info
        assert (empty_ws / LOCK_NAME).exists()
    assert not (empty_ws / LOCK_NAME).exists()


def test_second_writer_waits_then_stops_with_exit_2(cli, empty_ws, tmp_path, monkeypatch):
    holder = hold_lock(empty_ws, 30)
    try:
        monkeypatch.setenv("SAMORDNA_LOCK_WAIT", "1")
        start = time.monotonic()
        res = cli(["assess", empty_ws, "--answers", answers_file(tmp_path / "a.yaml", "D01", {"LED-01": 2})])
        waited = time.monotonic() - start
    finally:
        holder.kill()
        holder.wait()
    assert res.exit_code == 2, res.output
    assert waited >= 1.0
    assert (f"Arbeidsområdet er i bruk av samordna test (prosess {holder.pid} på {socket.gethostname()}, siden "
            in res.stderr and "Prøv igjen om litt." in res.stderr)
    assert "Traceback" not in res.output
    assert not (empty_ws / "runder" / "2026" / "svar" / "D01.yaml").exists()


def test_second_writer_goes_ahead_when_the_first_is_done(cli, empty_ws, tmp_path):
    holder = hold_lock(empty_ws, 1.0)
    res = cli(["assess", empty_ws, "--answers", answers_file(tmp_path / "a.yaml", "D01", {"LED-01": 2})])
    holder.wait()
    assert res.exit_code == 0, res.output
    assert levels(empty_ws, "D01") == {"LED-01": 2}


def test_a_real_second_process_waits_then_exit_2(empty_ws, tmp_path):
    """Both sides are separate processes: the one holding the lock, and samordna trying to write."""
    holder = hold_lock(empty_ws, 30, command="samordna plan")
    try:
        proc = samordna("assess", empty_ws, "--answers", answers_file(tmp_path / "a.yaml", "D01", {"LED-01": 2}),
                        SAMORDNA_LOCK_WAIT="1.5")
        out, err = proc.communicate(timeout=60)
    finally:
        holder.kill()
        holder.wait()
    assert proc.returncode == 2, out + err
    assert f"i bruk av samordna plan (prosess {holder.pid} på " in err and "Traceback" not in err


def test_reading_never_takes_the_lock(cli, sample_ws, monkeypatch):
    holder = hold_lock(sample_ws, 30)
    try:
        monkeypatch.setenv("SAMORDNA_LOCK_WAIT", "30")
        start = time.monotonic()
        assert cli(["score", sample_ws]).exit_code == 0
        assert cli(["validate", sample_ws]).exit_code == 0
        assert cli(["round", "list", sample_ws]).exit_code == 0
        assert time.monotonic() - start < 10
    finally:
        holder.kill()
        holder.wait()


def test_lock_of_a_process_that_is_gone_is_taken_over(cli, empty_ws, tmp_path):
    pid = dead_pid()
    write_lock(empty_ws, pid=pid, command="samordna import")
    res = cli(["assess", empty_ws, "--answers", answers_file(tmp_path / "a.yaml", "D01", {"LED-01": 2})])
    assert res.exit_code == 0, res.output
    assert f"samordna import (prosess {pid} på" in res.stderr and "Låsen er tatt over" in res.stderr
    assert not (empty_ws / LOCK_NAME).exists()


def test_lock_from_another_machine_is_respected_for_two_hours(cli, empty_ws, tmp_path, monkeypatch):
    monkeypatch.setenv("SAMORDNA_LOCK_WAIT", "0.3")
    answers = answers_file(tmp_path / "a.yaml", "D01", {"LED-01": 2})
    write_lock(empty_ws, pid=os.getpid(), host="kontor-pc-17", age=3600, command="samordna plan")
    res = cli(["assess", empty_ws, "--answers", answers])
    assert res.exit_code == 2
    assert "i bruk av samordna plan (prosess" in res.stderr and "på kontor-pc-17" in res.stderr
    assert "annen maskin" in res.stderr and str(empty_ws / LOCK_NAME) in res.stderr
    write_lock(empty_ws, pid=os.getpid(), host="kontor-pc-17", age=3 * 3600, command="samordna plan")
    res = cli(["assess", empty_ws, "--answers", answers])
    assert res.exit_code == 0, res.output
    assert "mer enn 2 timer gammel og er tatt over" in res.stderr


def test_a_live_process_on_this_machine_is_not_taken_over(cli, empty_ws, tmp_path, monkeypatch):
    monkeypatch.setenv("SAMORDNA_LOCK_WAIT", "0.3")
    answers = answers_file(tmp_path / "a.yaml", "D01", {"LED-01": 2})
    write_lock(empty_ws, pid=os.getppid())
    res = cli(["assess", empty_ws, "--answers", answers])
    assert res.exit_code == 2 and "Arbeidsområdet er i bruk av samordna x" in res.stderr
    if Path(f"/proc/{os.getppid()}/stat").exists():  # Linux: a process id reused by a process started later
        write_lock(empty_ws, pid=os.getppid(), age=30 * 24 * 3600)
        res = cli(["assess", empty_ws, "--answers", answers])
        assert res.exit_code == 0 and "Låsen er tatt over" in res.stderr


def test_an_empty_lock_file_waits_briefly_then_is_taken_over(cli, empty_ws, tmp_path, monkeypatch):
    monkeypatch.setenv("SAMORDNA_LOCK_WAIT", "0.3")
    answers = answers_file(tmp_path / "a.yaml", "D01", {"LED-01": 2})
    lock = empty_ws / LOCK_NAME
    lock.write_bytes(b"")  # a writer killed between creating the file and writing it
    res = cli(["assess", empty_ws, "--answers", answers])
    assert res.exit_code == 2 and "i bruk av en annen samordna-prosess" in res.stderr
    old = time.time() - 60
    os.utime(lock, (old, old))
    res = cli(["assess", empty_ws, "--answers", answers])
    assert res.exit_code == 0 and "ufullstendig lås" in res.stderr


# --- no lost update ---------------------------------------------------------------------------


@pytest.fixture
def before_lock(monkeypatch):
    """before_lock(action): run ``action`` (another writer) once, right before this process takes the lock.

    That is the worst interleaving: this command has read everything it read, the other writer
    then changes the workspace, and only then does this command write."""
    def use(action: Callable[[], None]) -> None:
        real = lock_mod._acquire
        done: list[bool] = []

        def acquire(root, command):
            if not done:
                done.append(True)
                action()
            return real(root, command)

        monkeypatch.setattr(lock_mod, "_acquire", acquire)
    return use


def test_assess_answers_keeps_what_another_writer_saved_meanwhile(cli, empty_ws, tmp_path, before_lock):
    other = answers_file(tmp_path / "b.yaml", "D01", {"LED-03": 3})
    before_lock(lambda: _ok(cli(["assess", empty_ws, "--answers", other])))
    res = cli(["assess", empty_ws, "--answers", answers_file(tmp_path / "a.yaml", "D01", {"LED-01": 2})])
    assert res.exit_code == 0, res.output
    assert levels(empty_ws, "D01") == {"LED-01": 2, "LED-03": 3}
    assert "D01 har nå svart på 2 av" in res.stdout


def test_assess_answers_refuses_when_another_writer_answered_differently(cli, empty_ws, tmp_path, before_lock):
    other = answers_file(tmp_path / "b.yaml", "D01", {"LED-01": 4})
    before_lock(lambda: _ok(cli(["assess", empty_ws, "--answers", other])))
    res = cli(["assess", empty_ws, "--answers", answers_file(tmp_path / "a.yaml", "D01", {"LED-01": 2})])
    assert res.exit_code == 2 and "allerede svart annerledes" in res.stderr
    assert levels(empty_ws, "D01") == {"LED-01": 4}


def test_interactive_answer_is_saved_into_the_file_as_it_is_now(empty_ws, tmp_path, cli):
    from samordna.flows.assess import AssessSession
    from samordna.ui.prompter import ScriptedPrompter

    rnd = Workspace(empty_ws).round()
    session = AssessSession(rnd, rnd.new_participant("D01", "barnehage", "assess"), ScriptedPrompter([]))
    session.set_answer("LED-01", 2, None)
    _ok(cli(["assess", empty_ws, "--answers", answers_file(tmp_path / "b.yaml", "D01", {"LED-07": 1})]))
    session.set_answer("LED-03", 3, "Rutinen er ny.")  # the session's copy does not have LED-07
    assert levels(empty_ws, "D01") == {"LED-01": 2, "LED-03": 3, "LED-07": 1}
    assert session.n_answered == 3


def test_interactive_answer_refused_when_the_code_was_taken_with_another_sector(empty_ws, tmp_path, cli):
    from samordna.core.errors import SamordnaError
    from samordna.flows.assess import AssessSession
    from samordna.ui.prompter import ScriptedPrompter

    rnd = Workspace(empty_ws).round()
    session = AssessSession(rnd, rnd.new_participant("D01", "barnehage", "assess"), ScriptedPrompter([]))
    _ok(cli(["assess", empty_ws, "--answers", answers_file(tmp_path / "b.yaml", "D01", {"LED-07": 1}, sector="nav")]))
    with pytest.raises(SamordnaError, match="allerede i bruk"):
        session.set_answer("LED-01", 2, None)
    assert levels(empty_ws, "D01") == {"LED-07": 1}


def test_consensus_keeps_an_entry_saved_meanwhile(sample_ws):
    import random

    from samordna.demo.synthetic import legal_consensus_script
    from samordna.flows.consensus import consensus_order, individual_results, legal_counts, run_consensus
    from samordna.ui.prompter import ScriptedPrompter

    rnd = Workspace(sample_ws).round("2026")
    first = next(r for r in consensus_order(rnd.bank, individual_results(rnd)) if r.n_responses)
    other = next(ind.id for ind in rnd.bank.indicators if ind.id != first.id)
    # on this 2.0 round the room agrees on the legal minimum first: each of those is saved the same way
    legal = [c.id for c in legal_counts(rnd).values() if c.n_responses]
    assert legal

    class OtherFacilitator(ScriptedPrompter):
        def text(self, message, default="", validate=None, instruction=None):
            if message.startswith("Dissens"):  # while this room talks, another writer records an entry
                n = self.writes = getattr(self, "writes", 0) + 1
                Workspace(sample_ws).round("2026").update_consensus(
                    lambda cur: {**cur, other: ConsensusEntry(level=1, rationale=f"Fra den andre gruppen ({n}).")})
            return super().text(message, default, validate, instruction)

    p = OtherFacilitator([*legal_consensus_script(rnd, random.Random(1)), 2, "Vi er enige.", "", "__avslutt__"])
    run_consensus(rnd, p)
    assert p.writes == len(legal) + 1
    saved = Workspace(sample_ws).round("2026").consensus()
    assert set(saved) == {*legal, first.id, other}
    assert saved[first.id].rationale == "Vi er enige."
    assert saved[other].rationale == f"Fra den andre gruppen ({p.writes})."


def test_second_import_of_the_same_participant_refuses(cli, empty_ws, tmp_path, bank, before_lock):
    rnd = Workspace(empty_ws).round()
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    mine = fill_form(write_form(rnd, "D01", tmp_path / "a"), "Barnehage", random_answers(bank, 1))
    theirs = fill_form(write_form(rnd, "D01", tmp_path / "b"), "NAV", random_answers(bank, 2))
    before_lock(lambda: _ok(cli(["import", empty_ws, theirs])))
    res = cli(["import", empty_ws, mine])
    assert res.exit_code == 2 and "allerede svar fra D01" in res.stderr and "--replace" in res.stderr
    assert Workspace(empty_ws).round().load_participant("D01").sector == "nav"  # the first import is kept


def test_plan_waits_for_the_lock(cli, sample_ws, monkeypatch):
    plan = sample_ws / "handlingsplan-eksempeldal-2025.xlsx"
    before = plan.read_bytes()
    holder = hold_lock(sample_ws, 30)
    try:
        monkeypatch.setenv("SAMORDNA_LOCK_WAIT", "0.5")
        res = cli(["plan", sample_ws, "--round", "2025"])
    finally:
        holder.kill()
        holder.wait()
    assert res.exit_code == 2 and "Arbeidsområdet er i bruk av samordna test" in res.stderr
    assert plan.read_bytes() == before
    assert not list(sample_ws.glob("*sikkerhetskopi*"))


def test_race_of_two_assess_processes_keeps_both(empty_ws, tmp_path):
    """Two real processes, started together, for the same participant: both sets of answers are kept."""
    rnd = Workspace(empty_ws).round()
    ids = [ind.id for ind in rnd.bank.indicators]
    for trial in range(3):
        code = f"D{trial + 1:02d}"
        a = answers_file(tmp_path / f"a{trial}.yaml", code, dict.fromkeys(ids[:20], 2))
        b = answers_file(tmp_path / f"b{trial}.yaml", code, dict.fromkeys(ids[20:], 3))
        procs = [samordna("assess", empty_ws, "--answers", f) for f in (a, b)]
        results = [p.communicate(timeout=120) for p in procs]
        assert [p.returncode for p in procs] == [0, 0], results
        assert levels(empty_ws, code) == {**dict.fromkeys(ids[:20], 2), **dict.fromkeys(ids[20:], 3)}
    assert leftovers(empty_ws) == []


def test_race_of_two_imports_of_one_participant(empty_ws, tmp_path, bank):
    rnd = Workspace(empty_ws).round()
    forms = []
    for name, sector, seed in (("a", "Barnehage", 1), ("b", "NAV", 2)):
        (tmp_path / name).mkdir()
        forms.append(fill_form(write_form(rnd, "D01", tmp_path / name), sector, random_answers(bank, seed)))
    procs = [samordna("import", empty_ws, f) for f in forms]
    results = [p.communicate(timeout=120) for p in procs]
    codes = sorted(p.returncode for p in procs)
    assert codes == [0, 2], results
    refused = next(err for p, (_, err) in zip(procs, results, strict=True) if p.returncode == 2)
    assert "allerede svar fra D01" in refused
    won = next(i for i, p in enumerate(procs) if p.returncode == 0)
    assert Workspace(empty_ws).round().load_participant("D01").sector == ["barnehage", "nav"][won]


def _ok(res) -> None:
    assert res.exit_code == 0, res.output


# --- leftovers of a crash ------------------------------------------------------------------------


def test_half_built_round_is_harmless_and_cleaned_by_the_next_writer(cli, empty_ws, bank_path, tmp_path):
    leftover = empty_ws / "runder" / ".2027.ny"
    shutil.copytree(empty_ws / "runder" / "2026", leftover)
    (leftover / "runde.yaml").write_text((leftover / "runde.yaml").read_text().replace("2026", "2027"))
    assert cli(["score", empty_ws]).exit_code == 0
    assert cli(["round", "list", empty_ws]).exit_code == 0
    res = cli(["assess", empty_ws, "--answers", answers_file(tmp_path / "a.yaml", "D01", {"LED-01": 2})])
    assert res.exit_code == 0 and "runder/.2027.ny" in res.stderr
    assert not leftover.exists()
    res = cli(["round", "new", empty_ws, "--year", "2027", "--bank", bank_path])
    assert res.exit_code == 0 and "Åpnet runde 2027" in res.stdout


# --- crash at every write step ---------------------------------------------------------------------


def test_crash_at_every_step_of_assess_answers(cli, empty_ws, tmp_path):
    confirmed = {"LED-01": 2, "LED-03": "vet_ikke"}
    _ok(cli(["assess", empty_ws, "--answers", answers_file(tmp_path / "first.yaml", "D01", confirmed)]))
    template = tmp_path / "template"
    shutil.copytree(empty_ws, template)
    new = {"LED-07": 4, "LED-08": 1}
    args = ["assess", empty_ws, "--answers", answers_file(tmp_path / "more.yaml", "D01", new)]

    def check(k: int) -> None:
        got = levels(empty_ws, "D01")
        assert got in (confirmed, {**confirmed, **new}), f"step {k}: {got}"
        assert_opens_and_scores(cli, empty_ws)
        _ok(cli(args))  # the next writer takes over the lock, cleans up and saves
        assert levels(empty_ws, "D01") == {**confirmed, **new}
        assert leftovers(empty_ws) == [], f"step {k}"

    n = crash_sweep(args, template, empty_ws, check)
    assert n >= 5  # lock, temp file, fsync, rename, unlock at least


@pytest.fixture(scope="module")
def twenty_forms(tmp_path_factory, bank_path):
    """A workspace with one participant (D90) and 20 filled forms for D01–D20, read once."""
    base = tmp_path_factory.mktemp("import")
    ws = Workspace.init(base / "template", "Testvik", "9998")
    rnd = ws.new_round(year=2026, bank_path=bank_path)
    pf = rnd.new_participant("D90", "nav", source="fil")
    pf.answers = random_answers(rnd.bank, 90)
    rnd.save_participant(pf)
    forms_dir = base / "forms"
    forms_dir.mkdir()
    forms = []
    for i in range(20):
        form = write_form(rnd, f"D{i + 1:02d}", forms_dir)
        forms.append(fill_form(form, SECTORS[i % len(SECTORS)], random_answers(rnd.bank, i)))
    return base / "template", forms


def _import_setup(template: Path, ws_dir: Path, forms: list[Path]) -> Callable[[], None]:
    """Read the 20 forms once (1–2 s); the forked children get the result instead of reading again."""
    _restore(template, ws_dir)
    plan = forms_reader.read_forms(Workspace(ws_dir).round(), forms)

    def setup() -> None:
        forms_reader.read_forms = lambda rnd, paths: dataclasses.replace(plan, round=rnd)  # type: ignore[assignment]

    return setup


@pytest.mark.slow  # 132 crash points, ~20 s: in the full suite and CI, not the fast tier
def test_crash_at_every_step_of_import_of_20_forms(cli, tmp_path, twenty_forms):
    template, forms = twenty_forms
    ws_dir = tmp_path / "ws"
    before = {"D90"}
    after = before | {f"D{i + 1:02d}" for i in range(20)}
    d90 = (template / "runder" / "2026" / "svar" / "D90.yaml").read_bytes()
    seen: dict[str, int] = {"none": 0, "all": 0}

    def check(k: int) -> None:
        rnd = Workspace(ws_dir).round()
        seen_by_readers = set(rnd.participant_codes())
        assert seen_by_readers in (before, after), f"step {k}: a partial import ({len(seen_by_readers)} participants)"
        if k % 5 == 0 or k == 1 or seen_by_readers == after and seen["all"] == 0:  # the first after the commit point
            assert len(rnd.participants()) == len(seen_by_readers)
            assert_opens_and_scores(cli, ws_dir)
        with Workspace(ws_dir).lock():  # the next writer finishes or undoes what the crash left
            pass
        assert set(Workspace(ws_dir).round().participant_codes()) == seen_by_readers, f"step {k}"
        assert leftovers(ws_dir) == [], f"step {k}"
        assert (ws_dir / "runder" / "2026" / "svar" / "D90.yaml").read_bytes() == d90
        seen["all" if seen_by_readers == after else "none"] += 1

    n = crash_sweep(["import", ws_dir, *forms], template, ws_dir, check, _import_setup(template, ws_dir, forms))
    assert n >= 60  # 20 staged files, the journal, 20 renames
    assert seen["none"] > 20 and seen["all"] > 20  # crashes before and after the commit point


def test_import_steps_are_the_same_when_the_forms_are_really_read(tmp_path, twenty_forms):
    template, forms = twenty_forms
    ws_dir = tmp_path / "ws"
    _restore(template, ws_dir)
    code, real = run_forked(["import", ws_dir, *forms], None)
    assert code == 0
    _restore(template, ws_dir)
    code, cached = run_forked(["import", ws_dir, *forms], None, _import_setup(template, ws_dir, forms))
    assert code == 0 and cached == real
    _restore(template, ws_dir)
    code, _ = run_forked(["import", ws_dir, *forms], real // 2)  # and one crash with the real reading
    assert code == CRASHED
    assert len(Workspace(ws_dir).round().participant_codes()) in (1, 21)


@pytest.mark.slow
def test_ctrl_c_at_every_step_of_import(cli, tmp_path, twenty_forms):
    """KeyboardInterrupt instead of a kill: clean-up code runs, and still 0 or all."""
    template, forms = twenty_forms
    ws_dir = tmp_path / "ws"
    setup = _import_setup(template, ws_dir, forms)
    _restore(template, ws_dir)
    _, n = run_forked(["import", ws_dir, *forms], None, setup)
    real_read = forms_reader.read_forms
    try:
        setup()
        for k in range(1, n + 1):
            _restore(template, ws_dir)
            counter = [0]
            with write_steps(k, counter, ws_dir, how="raise"):
                res = cli(["import", ws_dir, *forms])
            assert res.exit_code == 130, f"step {k}: {res.output}"
            codes = set(Workspace(ws_dir).round().participant_codes())
            assert len(codes) in (1, 21), f"step {k}: {len(codes)}"
            with Workspace(ws_dir).lock():
                pass
            assert set(Workspace(ws_dir).round().participant_codes()) == codes
            assert leftovers(ws_dir) == [], f"step {k}"
    finally:
        forms_reader.read_forms = real_read  # type: ignore[assignment]


def _user_fields(path: Path) -> dict[str, tuple]:
    """What people typed into the plan's rows (untouched suggestions may move to «Under mål»)."""
    return {a.action_id: (a.responsible, a.deadline, a.status, a.comment) for a in read_plan(path)
            if a.responsible or a.deadline or a.comment or a.status != "Ikke startet"}


@pytest.mark.slow
def test_crash_at_every_step_of_plan(cli, sample_ws, tmp_path):
    plan = sample_ws / "handlingsplan-eksempeldal-2025.xlsx"
    wb = load_workbook(plan)  # one more edit, as a person in Excel would make it
    sheet = wb["Handlingsplan"]
    sheet.cell(row=2, column=COL["comment"]).value = "Skrevet i Excel rett før planen ble laget på nytt."
    wb.save(plan)
    edits = _user_fields(plan)
    assert any(v[0] for v in edits.values()) and any(v[3] for v in edits.values())
    template = tmp_path / "template"
    shutil.copytree(sample_ws, template)
    args = ["plan", sample_ws, "--round", "2025"]

    def check(k: int) -> None:
        got = _user_fields(plan)
        assert {aid: got.get(aid) for aid in edits} == edits, f"step {k}: plan edits lost"
        assert_opens_and_scores(cli, sample_ws)

    n = crash_sweep(args, template, sample_ws, check)
    assert n >= 5
    _ok(cli(args))  # after the last crash, the next run works and keeps the edits
    assert {aid: _user_fields(plan).get(aid) for aid in edits} == edits
    assert not [p for p in leftovers(sample_ws) if "sikkerhetskopi" not in p]


def test_crash_at_every_step_of_round_new(cli, empty_ws, tmp_path, bank_path):
    template = tmp_path / "template"
    shutil.copytree(empty_ws, template)
    args = ["round", "new", empty_ws, "--year", "2027", "--bank", bank_path]

    def check(k: int) -> None:
        ids = Workspace(empty_ws).round_ids()
        assert ids in (["2026"], ["2026", "2027"]), f"step {k}: {ids}"
        if ids[-1] == "2027":
            rnd = Workspace(empty_ws).round("2027")
            assert rnd.bank.id == "samordna-0-24" and rnd.answers_dir.is_dir()
        assert_opens_and_scores(cli, empty_ws)
        res = cli(args)  # the next writer: removes a half-built round, and opens 2027 unless it is there
        if ids[-1] == "2027":  # the crash came after the rename: the round is whole, and a second is refused
            assert res.exit_code == 2 and "finnes allerede" in res.stderr, res.output
        else:
            assert res.exit_code == 0, res.output
        assert Workspace(empty_ws).round_ids() == ["2026", "2027"]
        assert leftovers(empty_ws) == [], f"step {k}"

    assert crash_sweep(args, template, empty_ws, check) >= 6
