"""samordna consensus: the group's agreed level, rationale and dissent, statement by statement."""

from __future__ import annotations

from typing import Annotated

import typer

from samordna.cli.common import NO_TERMINAL, RoundOpt, WorkspaceDir, echo, open_workspace
from samordna.ui import prompter as ui_prompter


def consensus(
    directory: WorkspaceDir,
    round_id: RoundOpt = None,
    redo: Annotated[bool, typer.Option("--all", help="Gå gjennom alle påstander, også de som allerede har konsensus.")] = False,
) -> None:
    """Før inn gruppens omforente nivå, en kort begrunnelse og eventuell dissens, påstand for påstand.

    Påstandene med størst uenighet og størst avstand til målet kommer først. Fordelingen av svarene vises
    uten navn eller koder. Alt lagres etter hver påstand: du kan hoppe over, avbryte og fortsette senere.
    """
    from samordna.flows.consensus import run_consensus

    ws = open_workspace(directory)
    rnd = ws.round(round_id)
    prompter = ui_prompter.terminal_prompter(NO_TERMINAL)
    try:
        summary = run_consensus(rnd, prompter, redo=redo)
    except KeyboardInterrupt:
        n = len(rnd.consensus())
        echo(f"\nAvbrutt. Konsensus for {n} av {len(rnd.bank.item_ids)} påstander er lagret. "
             f"Fortsett med: samordna consensus {directory}", err=True)
        raise typer.Exit(130) from None
    echo(f"Konsensus for runde {rnd.id}: {len(summary.recorded)} ført inn nå, {len(summary.skipped)} hoppet over. "
         f"{summary.agreed} av {summary.total} påstander har konsensus.")
    if summary.agreed < summary.total:
        echo(f"Resten bruker medianen av de individuelle svarene. Fortsett med: samordna consensus {directory}")
    echo(f"Neste steg: samordna prioritize {directory}")


def register(app: typer.Typer) -> None:
    app.command("consensus")(consensus)
