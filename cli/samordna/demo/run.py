"""``samordna demo`` from start to end: copy the sample municipality, run every step, write the results."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from pathlib import Path

from samordna.core import fmt
from samordna.core.errors import SamordnaError
from samordna.core.results import workspace_results
from samordna.demo.steps import STEPS, DemoContext
from samordna.io.atomic import atomic_write_text
from samordna.io.resources import sample_path
from samordna.io.workspace import Workspace, check_workspace
from samordna.outputs.results_json import results_json

MARKER = ".samordna-demo"


def _prepare_out(out: Path) -> None:
    if out.exists():
        if not out.is_dir():
            raise SamordnaError(f"{out} finnes og er ikke en mappe.", path=out)
        if any(out.iterdir()) and not (out / MARKER).exists():
            raise SamordnaError(
                f"Mappen {out} finnes og er ikke en tidligere demo. Velg en annen mappe med --out.", path=out
            )
        shutil.rmtree(out)
    out.mkdir(parents=True)
    (out / MARKER).write_text("Denne mappen er laget av «samordna demo» og kan skrives over av den.\n", encoding="utf-8")


def run_demo(out: Path, *, pdf: bool, say: Callable[[str], None]) -> DemoContext:
    """Everything on the fictional sample municipality, written to ``out``."""
    started = time.perf_counter()
    sample = sample_path()
    if not (sample / "kommune.yaml").exists():
        raise SamordnaError(f"Fant ikke eksempelkommunen i {sample}. Er samordna installert riktig?", path=sample)
    _prepare_out(out)
    ws_dir = out / "arbeidsomrade"
    shutil.copytree(sample, ws_dir, ignore=shutil.ignore_patterns(".*", "__pycache__"))
    ws = Workspace(ws_dir)
    say(f"Eksempelkommunen {ws.name} ({ws.number}) er kopiert til {ws_dir}.")
    for line in check_workspace(ws_dir):
        say(line)

    ctx = DemoContext(workspace=ws_dir, out=out, say=say, pdf=pdf)
    for step in STEPS:
        step(ctx)

    results = workspace_results(ws)
    json_path = out / "resultater.json"
    atomic_write_text(json_path, results_json(ws, results) + "\n")
    ctx.wrote(json_path, "Resultater (JSON)")
    newest = results[-1]
    say("")
    say(f"Runde {newest.round}: samlet nivå {fmt.num(newest.overall_level)} av 4 ({newest.overall_level_name}).")
    for d in newest.domains:
        say(f"  {d.name:<40} {fmt.num(d.score, 0):>5} poeng")
    say(f"Ferdig på {time.perf_counter() - started:.1f} s. Se {out}.")
    return ctx
