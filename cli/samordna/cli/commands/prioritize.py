"""samordna prioritize: the group's priorities among the statements below target."""

from __future__ import annotations

import shlex
from typing import Annotated

import typer

from samordna.cli.common import NO_TERMINAL, RoundOpt, WorkspaceDir, echo, open_workspace
from samordna.core.errors import SamordnaError


def prioritize(
    directory: WorkspaceDir,
    round_id: RoundOpt = None,
    min_n: Annotated[int, typer.Option("--min", help="Minste antall prioriteringer.", metavar="ANTALL")] = 3,
    max_n: Annotated[int, typer.Option("--max", help="Største antall prioriteringer.", metavar="ANTALL")] = 5,
) -> None:
    """Velg gruppens prioriteringer blant påstandene under målet, med forslagslista som utgangspunkt.

    Forslagslista rangerer etter avstand til målet × vekt, med konsensus der den er ført inn.
    """
    from samordna.flows.prioritize import n_priorities, run_prioritize

    if not 1 <= min_n <= max_n:
        raise SamordnaError(f"--min og --max må oppfylle 1 ≤ min ≤ max (fikk {min_n} og {max_n}).")
    ws = open_workspace(directory)
    rnd = ws.round(round_id)
    from samordna.ui import prompter as ui_prompter

    prompter = ui_prompter.terminal_prompter(NO_TERMINAL)
    try:
        chosen = run_prioritize(ws, rnd, prompter, min_n=min_n, max_n=max_n)
    except KeyboardInterrupt:
        echo("\nAvbrutt. Prioriteringene er ikke endret.", err=True)
        raise typer.Exit(130) from None
    if chosen:
        echo(f"{n_priorities(len(chosen))} er lagret i runde {rnd.id}: {', '.join(chosen)}.")
        echo(f"Neste steg: samordna plan {shlex.quote(str(directory))}")


EPILOG = (
    "Eksempler:\n\n"
    "  samordna prioritize min-kommune                  (velg 3–5)\n\n"
    "  samordna prioritize min-kommune --min 1 --max 3  (velg 1–3)"
)


def register(app: typer.Typer) -> None:
    app.command("prioritize", epilog=EPILOG)(prioritize)
