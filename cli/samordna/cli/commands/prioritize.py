"""samordna prioritize: the group's priorities among the statements below target."""

from __future__ import annotations

from pathlib import Path

import typer

from samordna.cli.common import DIR_ARG, NO_TERMINAL, ROUND_OPT, echo, open_workspace
from samordna.core.errors import SamordnaError
from samordna.ui import prompter as ui_prompter


def prioritize(
    directory: Path = DIR_ARG,
    round_id: str = ROUND_OPT,
    min_n: int = typer.Option(3, "--min", help="Minste antall prioriteringer."),
    max_n: int = typer.Option(5, "--max", help="Største antall prioriteringer."),
) -> None:
    """Velg gruppens prioriteringer blant påstandene under målet, med forslagslista som utgangspunkt."""
    from samordna.flows.prioritize import run_prioritize

    if not 1 <= min_n <= max_n:
        raise SamordnaError(f"--min og --max må oppfylle 1 ≤ min ≤ max (fikk {min_n} og {max_n}).")
    ws = open_workspace(directory)
    rnd = ws.round(round_id)
    prompter = ui_prompter.terminal_prompter(NO_TERMINAL)
    try:
        chosen = run_prioritize(ws, rnd, prompter, min_n=min_n, max_n=max_n)
    except KeyboardInterrupt:
        echo("\nAvbrutt. Prioriteringene er ikke endret.", err=True)
        raise typer.Exit(130) from None
    if chosen:
        echo(f"{len(chosen)} prioriteringer er lagret i runde {rnd.id}: {', '.join(chosen)}.")
        echo(f"Neste steg: samordna plan {directory}")


def register(app: typer.Typer) -> None:
    app.command("prioritize")(prioritize)
