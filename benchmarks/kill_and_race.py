"""Kill samordna at random moments and race two writers; count what was lost (everything must be 0).

    python benchmarks/kill_and_race.py                  # 100 kills, 20 trials of each pair
    python benchmarks/kill_and_race.py --kills 200 --pairs 30 --seed 7 --time-limit 1800
    python benchmarks/kill_and_race.py --cli /tmp/old/cli    # the killed and racing processes run another checkout

Not a test: it runs real processes and takes a few minutes. It only starts local
samordna processes in a temporary folder, stops by itself (after the counts or the
time limit), and removes the folder.

Kills: each trial copies a prepared workspace, starts one of `assess --answers`,
`import` (20 forms), `plan`, `round new` and a consensus session (ScriptedPrompter
over flows.consensus.run_consensus, which prints each save it confirms) and sends
SIGKILL, half of the time at a random moment of the whole run, half of the time
shortly after the process took the workspace lock (so inside its writes). Then:
  lost       an answer, consensus entry or plan edit that was confirmed before (or
             by the killed process itself, when it got that far) is missing
  partial    an import that left some but not all of its 20 participants
  unopenable check_workspace or `samordna score` fails, or the next writer does
Both before and after the next writer has taken the lock (and so cleaned up).

Pairs: two processes started together (the second up to 0.1 s later) on the same
workspace: assess+assess (same participant, different indicators), import+import (the
same participant: one must refuse), plan+plan (after a new edit in the plan). Each
process pauses --pause seconds (0.2) after it reads a participant file, lists the
participants or opens the plan, as on a slow network drive, so that the two
read-modify-writes really overlap (without the pause they seldom do: starting Python
takes longer than the write). A lost update is an answer, participant or plan edit
that is not there afterwards, a process that failed, or two imports that both report
success.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
CLI = HERE.parent / "cli"
sys.path.insert(0, str(CLI))
RUN_CLI = CLI  # the samordna the killed and racing processes run (--cli); the checks use this checkout's

from samordna.cli.main import main as samordna_main  # noqa: E402
from samordna.core.answers import DONT_KNOW  # noqa: E402
from samordna.core.models import Answer  # noqa: E402
from samordna.io.lock import LOCK_NAME  # noqa: E402
from samordna.io.plan_reader import read_plan  # noqa: E402
from samordna.io.workspace import Workspace, check_workspace  # noqa: E402
from samordna.outputs.forms import fill_form, write_form  # noqa: E402

BANK = HERE.parent / "assessments" / "samordna-0-24.yaml"
SECTOR_NAMES = ["Kommunens ledelse", "Barnehage", "Grunnskole", "Barnevern", "NAV", "PPT",
                "Helsestasjon og skolehelsetjeneste", "Psykisk helse og rus", "Kultur og fritid", "Politi / SLT"]
COMMANDS = ["assess", "import", "plan", "round new", "consensus"]

CONSENSUS_SCRIPT = r"""
import sys
sys.path.insert(0, {cli!r})
from samordna.core.scoring import named_level
from samordna.flows.consensus import consensus_order, individual_results, run_consensus
from samordna.io.workspace import Round, Workspace
from samordna.ui.prompter import ScriptedPrompter

real = Round.save_consensus
def confirmed(self, entries):
    real(self, entries)
    print("LAGRET " + ",".join(sorted(entries)), flush=True)  # on disk now: confirmed
Round.save_consensus = confirmed

rnd = Workspace(sys.argv[1]).round()
script = []
for r in consensus_order(rnd.bank, individual_results(rnd)):
    if r.n_responses:
        script += [named_level(r.median) if r.median is not None else 2, "Gruppen ble enig om " + r.id + ".", ""]
run_consensus(rnd, ScriptedPrompter(script + ["__avslutt__"]))
"""


PAUSED_SCRIPT = r"""
import sys, time
sys.path.insert(0, {cli!r})
from samordna.io import plan_reader, workspace

def slow(read):
    def paused(*args, **kwargs):
        result = read(*args, **kwargs)
        time.sleep({pause})
        return result
    return paused

workspace.Round.load_participant = slow(workspace.Round.load_participant)
workspace.Round.participant_codes = slow(workspace.Round.participant_codes)
for name in ("open_plan", "read_plan_file"):  # the name differs between versions
    if hasattr(plan_reader, name):
        setattr(plan_reader, name, slow(getattr(plan_reader, name)))
from samordna.cli.main import main
sys.exit(main(sys.argv[1:]))
"""


def _answers(bank, seed: int) -> dict[str, Answer]:
    rng = random.Random(seed)
    return {ind.id: Answer(level=DONT_KNOW if rng.random() < 0.08 else rng.choice([0, 1, 2, 2, 3, 4]),
                           comment="Rutinen er lite kjent." if rng.random() < 0.1 else None)
            for ind in bank.indicators}


def _quiet_main(args: list[object]) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = samordna_main([str(a) for a in args])
    return code, out.getvalue() + err.getvalue()


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(RUN_CLI), env.get("PYTHONPATH", "")])
    env["SAMORDNA_LOCK_WAIT"] = "60"  # a pair partner under load may hold the lock for a while
    env.pop("SAMORDNA_DEBUG", None)
    return env


def _write_answers(path: Path, code: str, levels: dict[str, object], sector: str = "barnehage") -> Path:
    path.write_text("\n".join([f"participant: {code}", f"sector: {sector}", "answers:"]
                              + [f"  {k}: {v}" for k, v in levels.items()]) + "\n", encoding="utf-8")
    return path


# --- the prepared material ---------------------------------------------------------------------


@dataclass
class Material:
    base: Path  # a workspace: 8 participants, no consensus, a plan with edits
    forms: list[Path]  # 20 filled forms, D21–D40
    race_forms: tuple[Path, Path]  # two forms for D41, different answers
    more: Path  # answers for D01, indicators it has not answered yet
    plan_edits: dict[str, tuple]  # action id -> the user's fields
    ids: list[str]


def prepare(tmp: Path) -> Material:
    ws = Workspace.init(tmp / "base", "Drapsvik", "9997")
    rnd = ws.new_round(year=2026, bank_path=BANK)
    ids = [ind.id for ind in rnd.bank.indicators]
    for i in range(8):
        pf = rnd.new_participant(f"D{i + 1:02d}", ["ledelse", "barnehage", "nav", "barnevern"][i % 4], source="fil")
        pf.answers = _answers(rnd.bank, i)
        if i == 0:
            pf.answers = {k: a for k, a in pf.answers.items() if k in ids[:30]}
        rnd.save_participant(pf)
    code, out = _quiet_main(["plan", ws.root])
    assert code == 0, out
    _edit_plan(rnd.plan_path, 0)
    (tmp / "forms").mkdir()
    forms = []
    for i in range(20):
        form = write_form(rnd, f"D{i + 21:02d}", tmp / "forms")
        forms.append(fill_form(form, SECTOR_NAMES[i % len(SECTOR_NAMES)], _answers(rnd.bank, 100 + i)))
    race = []
    for name, sector, seed in (("a", "Barnehage", 1), ("b", "NAV", 2)):
        (tmp / name).mkdir()
        race.append(fill_form(write_form(rnd, "D41", tmp / name), sector, _answers(rnd.bank, seed)))
    more = _write_answers(tmp / "more.yaml", "D01", dict.fromkeys(ids[30:], 3), sector="ledelse")
    return Material(ws.root, forms, (race[0], race[1]), more, _user_fields(rnd.plan_path), ids)


def _edit_plan(path: Path, n: int) -> None:
    """Change the plan as a person in Excel would: responsible, status and a comment on row n + 2."""
    from openpyxl import load_workbook

    from samordna.plan.model import COL

    wb = load_workbook(path)
    sheet = wb["Handlingsplan"]
    row = 2 + n % max(1, sheet.max_row - 1)
    sheet.cell(row=row, column=COL["responsible"]).value = f"Rektor {n}"
    sheet.cell(row=row, column=COL["status"]).value = "Pågår"
    sheet.cell(row=row, column=COL["comment"]).value = f"Endring nummer {n}, skrevet i Excel."
    wb.save(path)


def _user_fields(path: Path) -> dict[str, tuple]:
    return {a.action_id: (a.responsible, a.deadline, a.status, a.comment) for a in read_plan(path)}


# --- kills ------------------------------------------------------------------------------------------


@dataclass
class Tally:
    kills: int = 0
    in_writes: int = 0  # the kill left traces of a write (lock, staging, temp files, a half-built round)
    taken_over: int = 0  # the next writer found the killed process's lock and took it over
    cleaned: int = 0  # ... and finished an import, or removed a half-done one or a half-built round
    finished: int = 0  # the process was done before the kill
    lost: int = 0
    partial: int = 0
    unopenable: int = 0
    notes: list[str] = field(default_factory=list)


def _launch(kind: str, ws: Path, m: Material) -> subprocess.Popen:
    py = [sys.executable, "-m", "samordna"]
    cmd = {
        "assess": [*py, "assess", ws, "--answers", m.more],
        "import": [*py, "import", ws, *m.forms],
        "plan": [*py, "plan", ws],
        "round new": [*py, "round", "new", ws, "--year", "2027", "--bank", BANK],
        "consensus": [sys.executable, "-c", CONSENSUS_SCRIPT.format(cli=str(RUN_CLI)), ws],
    }[kind]
    return subprocess.Popen([str(c) for c in cmd], env=_env(), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True)


def _traces(ws: Path) -> bool:
    return any(True for _ in ws.rglob(".*"))


def _state(kind: str, ws: Path, m: Material, confirmed: set[str], done: bool, t: Tally) -> tuple:
    """Check the invariants for ``kind``; return what readers see (to compare after the next writer)."""
    try:
        check_workspace(ws)
        code, out = _quiet_main(["score", ws])
        if code != 0:
            raise RuntimeError(out)
    except Exception as exc:
        t.unopenable += 1
        t.notes.append(f"{kind}: cannot open: {exc}")
        return ("?",)
    w = Workspace(ws)
    rnd = w.round("2026")
    if kind == "assess":
        pf = rnd.load_participant("D01")
        have = set(pf.answers)
        base, new = set(m.ids[:30]), set(m.ids[30:])
        if not base <= have or (done and not new <= have) or (have & new and not new <= have):
            t.lost += 1
            t.notes.append(f"assess: D01 has {len(have)} answers")
        return (tuple(sorted(have)),)
    if kind == "import":
        codes = set(rnd.participant_codes())
        n_new = len(codes - {f"D{i:02d}" for i in range(1, 9)})
        if n_new not in (0, 20) or (done and n_new != 20):
            t.partial += 1
            t.notes.append(f"import: {n_new} of 20 participants")
        if not {f"D{i:02d}" for i in range(1, 9)} <= codes:
            t.lost += 1
        return (tuple(sorted(codes)),)
    if kind == "plan":
        got = _user_fields(rnd.plan_path)
        if {aid: got.get(aid) for aid in m.plan_edits} != m.plan_edits:
            t.lost += 1
            t.notes.append("plan: edits lost")
        return (tuple(sorted(got)),)
    if kind == "round new":
        ids = w.round_ids()
        if ids not in (["2026"], ["2026", "2027"]) or (done and ids != ["2026", "2027"]):
            t.partial += 1
            t.notes.append(f"round new: {ids}")
        if ids[-1] == "2027":
            _ = w.round("2027").bank
        return (tuple(ids),)
    entries = rnd.consensus()
    if not confirmed <= set(entries):
        t.lost += 1
        t.notes.append(f"consensus: {len(confirmed - set(entries))} confirmed entries missing")
    return (tuple(sorted(entries)),)


def kill_trial(kind: str, m: Material, work: Path, rng: random.Random, timing: tuple[float, float], t: Tally) -> None:
    ws = work / "ws"
    shutil.rmtree(ws, ignore_errors=True)
    shutil.copytree(m.base, ws)
    duration, hold = timing
    proc = _launch(kind, ws, m)
    start = time.monotonic()
    if rng.random() < 0.4:
        time.sleep(rng.uniform(0.0, duration * 1.05))
    else:  # wait until it holds the lock, then kill it somewhere inside its writes
        while proc.poll() is None and not (ws / LOCK_NAME).exists() and time.monotonic() - start < duration * 3:
            time.sleep(0.001)
        time.sleep(rng.uniform(0.0, hold * 1.2))
    done = proc.poll() is not None
    with contextlib.suppress(ProcessLookupError):
        proc.send_signal(signal.SIGKILL)
    stdout, _ = proc.communicate()
    t.kills += 1
    t.finished += done and proc.returncode == 0
    t.in_writes += _traces(ws)
    confirmed: set[str] = set()
    for line in stdout.splitlines():
        if line.startswith("LAGRET "):
            confirmed = set(line.split(" ", 1)[1].split(",")) - {""}
    seen = _state(kind, ws, m, confirmed, done and proc.returncode == 0, t)
    said = io.StringIO()
    try:  # the next writer takes over the lock and finishes or undoes what the kill left
        with contextlib.redirect_stderr(said), Workspace(ws).lock("kill_and_race"):
            pass
        t.taken_over += "tatt over" in said.getvalue()
        t.cleaned += any(w in said.getvalue() for w in ("Fullførte", "Fjernet"))
    except Exception as exc:
        t.unopenable += 1
        t.notes.append(f"{kind}: the next writer failed: {exc}")
        return
    if _traces(ws):
        t.unopenable += 1
        t.notes.append(f"{kind}: leftovers after the next writer: {[p.name for p in ws.rglob('.*')]}")
    after = _state(kind, ws, m, confirmed, done and proc.returncode == 0, Tally())
    if after != seen:
        t.partial += 1
        t.notes.append(f"{kind}: readers saw {seen}, after clean-up {after}")


def calibrate(m: Material, work: Path) -> dict[str, tuple[float, float]]:
    """How long each command takes when nobody kills it, and how long it holds the lock the first time."""
    out = {}
    for kind in COMMANDS:
        times, holds = [], []
        for _ in range(2):
            ws = work / "ws"
            shutil.rmtree(ws, ignore_errors=True)
            shutil.copytree(m.base, ws)
            start = time.monotonic()
            proc = _launch(kind, ws, m)
            seen = gone = None
            while proc.poll() is None:
                held = (ws / LOCK_NAME).exists()
                now = time.monotonic()
                if held and seen is None:
                    seen = now
                if seen is not None and not held and gone is None:
                    gone = now
                time.sleep(0.001)
            proc.communicate()
            if proc.returncode != 0:
                raise SystemExit(f"{kind} failed without a kill (exit {proc.returncode})")
            times.append(time.monotonic() - start)
            if seen is not None:
                holds.append((gone or time.monotonic()) - seen)
        out[kind] = (min(times), max(holds, default=0.05))
    return out


# --- pairs -----------------------------------------------------------------------------------------


def _pair(cmds: list[list[object]], rng: random.Random) -> list[tuple[int, str]]:
    procs = []
    for i, cmd in enumerate(cmds):
        if i:
            time.sleep(rng.uniform(0.0, 0.1))
        procs.append(subprocess.Popen([str(c) for c in cmd], env=_env(), stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE, text=True))
    results = []
    for p in procs:
        out, err = p.communicate(timeout=300)
        results.append((p.returncode, out + err))
    return results


def pair_trials(kind: str, n: int, m: Material, work: Path, rng: random.Random, deadline: float,
                pause: float) -> tuple[int, int, int, list[str]]:
    """(trials, lost updates, refusals that were right, notes)."""
    py = [sys.executable, "-c", PAUSED_SCRIPT.format(cli=str(RUN_CLI), pause=pause)]
    ws = work / f"pair-{kind}"
    shutil.rmtree(ws, ignore_errors=True)
    shutil.copytree(m.base, ws)
    lost = refused = trials = 0
    notes: list[str] = []
    for i in range(n):
        if time.monotonic() > deadline:
            break
        trials += 1
        if kind == "assess":
            code = f"D{50 + i}"  # has one answer already; each process adds its own half of the rest
            first = _write_answers(work / "p0.yaml", code, {m.ids[0]: 1})
            assert _quiet_main(["assess", ws, "--answers", first])[0] == 0
            half = rng.randrange(5, len(m.ids) - 5)
            a = _write_answers(work / "pa.yaml", code, dict.fromkeys(m.ids[1:half], 2))
            b = _write_answers(work / "pb.yaml", code, dict.fromkeys(m.ids[half:], 3))
            res = _pair([[*py, "assess", ws, "--answers", a], [*py, "assess", ws, "--answers", b]], rng)
            rnd = Workspace(ws).round()
            got = {k: x.level for k, x in rnd.load_participant(code).answers.items()}
            want = {m.ids[0]: 1, **dict.fromkeys(m.ids[1:half], 2), **dict.fromkeys(m.ids[half:], 3)}
            if got != want or any(c != 0 for c, _ in res):
                lost += 1
                notes.append(f"assess {i}: {[c for c, _ in res]}")
        elif kind == "import":
            (ws / "runder" / "2026" / "svar" / "D41.yaml").unlink(missing_ok=True)
            res = _pair([[*py, "import", ws, m.race_forms[0]], [*py, "import", ws, m.race_forms[1]]], rng)
            codes = sorted(c for c, _ in res)
            winner = [j for j, (c, _) in enumerate(res) if c == 0]
            sector = Workspace(ws).round().load_participant("D41").sector
            ok = (codes == [0, 2] and "allerede svar fra D41" in res[1 - winner[0]][1]
                  and sector == ["barnehage", "nav"][winner[0]])
            if ok:
                refused += 1
            else:
                lost += 1
                notes.append(f"import {i}: exits {[c for c, _ in res]}, D41 is {sector}")
        else:
            plan = Workspace(ws).round().plan_path
            _edit_plan(plan, i + 1)
            edits = _user_fields(plan)
            res = _pair([[*py, "plan", ws], [*py, "plan", ws]], rng)
            got = _user_fields(plan)
            if {aid: got.get(aid) for aid in edits} != edits or any(c != 0 for c, _ in res):
                lost += 1
                notes.append(f"plan {i}: exits {[c for c, _ in res]}")
    return trials, lost, refused, notes


# --- main ------------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kills", type=int, default=100)
    parser.add_argument("--pairs", type=int, default=20, help="trials of each pair")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=1500, help="seconds; no new trial starts after it")
    parser.add_argument("--pause", type=float, default=0.2, help="seconds each racing process waits after a read")
    parser.add_argument("--cli", type=Path, default=CLI, help="the cli/ folder whose samordna is killed and raced")
    args = parser.parse_args()
    global RUN_CLI
    RUN_CLI = args.cli.resolve()
    rng = random.Random(args.seed)
    started = time.monotonic()
    deadline = started + args.time_limit
    with tempfile.TemporaryDirectory(prefix="samordna-kill-") as tmp:
        work = Path(tmp)
        m = prepare(work)
        durations = calibrate(m, work)
        print("Without a kill (run time / first hold of the lock): "
              + ", ".join(f"{k} {d:.2f} s / {h * 1000:.0f} ms" for k, (d, h) in durations.items()), flush=True)
        tallies: dict[str, Tally] = defaultdict(Tally)
        order = [COMMANDS[i % len(COMMANDS)] for i in range(args.kills)]
        rng.shuffle(order)
        for kind in order:
            if time.monotonic() > deadline:
                break
            kill_trial(kind, m, work, rng, durations[kind], tallies[kind])
        pairs = {kind: pair_trials(kind, args.pairs, m, work, rng, deadline, args.pause)
                 for kind in ("assess", "import", "plan")}

    print()
    columns = [("kills", "kills"), ("in_writes", "in writes"), ("taken_over", "lock taken over"),
               ("cleaned", "cleaned up"), ("finished", "finished"), ("lost", "lost"), ("partial", "partial"),
               ("unopenable", "unopenable")]
    print(f"{'SIGKILL during':<16}" + "".join(f"{title:>{len(title) + 2}}" for _, title in columns))
    total = Tally()
    for kind in COMMANDS:
        t = tallies[kind]
        print(f"{kind:<16}" + "".join(f"{getattr(t, name):>{len(title) + 2}}" for name, title in columns))
        for name, _ in columns:
            setattr(total, name, getattr(total, name) + getattr(t, name))
    print(f"{'all':<16}" + "".join(f"{getattr(total, name):>{len(title) + 2}}" for name, title in columns))
    print()
    print(f"{'Two at once':<18}{'trials':>7}{'lost updates':>14}{'right refusals':>16}")
    lost_pairs = 0
    for kind, (trials, lost, refused, _) in pairs.items():
        lost_pairs += lost
        print(f"{kind + ' + ' + kind:<18}{trials:>7}{lost:>14}{refused:>16}")
    notes = [n for t in tallies.values() for n in t.notes] + [n for p in pairs.values() for n in p[3]]
    for n in Counter(notes).most_common(20):
        print("  " + f"{n[0]} (x{n[1]})")
    print(f"\n{time.monotonic() - started:.0f} s, seed {args.seed}, {date.today().isoformat()}")
    bad = total.lost + total.partial + total.unopenable + lost_pairs
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
