"""samordna demo: everything, on the fictional sample municipality.

The sample workspace is copied to ``OUT/arbeidsomrade`` first, so the demo never
changes the shipped sample. Each command module may define ``demo_step(ctx)``;
they run in the order of ``DEMO_STEPS``.
"""

from __future__ import annotations

import importlib
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import typer

from .. import fmt
from ..errors import SamordnaError
from ..resources import sample_path
from ._common import echo, open_workspace

MARKER = ".samordna-demo"
DEMO_STEPS = ["kit", "consensus", "plan", "report", "region"]


@dataclass
class DemoContext:
    workspace: Path
    out: Path
    pdf: bool = True
    written: list[Path] = field(default_factory=list)

    def say(self, text: str) -> None:
        echo(text)

    def wrote(self, path: Path, what: str) -> None:
        self.written.append(path)
        echo(f"  {what}: {path}")


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


def demo(
    out: Path = typer.Option(Path("samordna-demo"), "--out", "-o", help="Mappen demoen skriver til. En tidligere demo i samme mappe skrives over."),
    pdf: bool = typer.Option(True, "--pdf/--no-pdf", help="Lag også PDF der det er mulig (krever WeasyPrint)."),
) -> None:
    """Kjør alt på den oppdiktede eksempelkommunen og skriv resultatene til en mappe."""
    from ..fsutil import atomic_write_text
    from ..results import results_json, workspace_results
    from .validate import validate_workspace

    started = time.perf_counter()
    sample = sample_path()
    if not (sample / "kommune.yaml").exists():
        raise SamordnaError(f"Fant ikke eksempelkommunen i {sample}. Er samordna installert riktig?", path=sample)
    _prepare_out(out)
    ws_dir = out / "arbeidsomrade"
    shutil.copytree(sample, ws_dir, ignore=shutil.ignore_patterns(".*", "__pycache__"))
    ws = open_workspace(ws_dir)
    echo(f"Eksempelkommunen {ws.name} ({ws.number}) er kopiert til {ws_dir}.")
    for line in validate_workspace(ws_dir):
        echo(line)

    ctx = DemoContext(workspace=ws_dir, out=out, pdf=pdf)
    for name in DEMO_STEPS:
        module = importlib.import_module(f"samordna.commands.{name}")
        step = getattr(module, "demo_step", None)
        if step is not None:
            step(ctx)

    results = workspace_results(ws)
    json_path = out / "resultater.json"
    atomic_write_text(json_path, results_json(ws, results) + "\n")
    ctx.wrote(json_path, "Resultater (JSON)")
    newest = results[-1]
    echo("")
    echo(f"Runde {newest.round}: samlet nivå {fmt.num(newest.overall_level)} av 4 ({newest.overall_level_name}).")
    for d in newest.domains:
        echo(f"  {d.name:<40} {fmt.num(d.score, 0):>5} poeng")
    echo(f"Ferdig på {time.perf_counter() - started:.1f} s. Se {out}.")


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
