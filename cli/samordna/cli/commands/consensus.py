"""samordna consensus: the group's agreed level, rationale and dissent, statement by statement."""

from __future__ import annotations

from typing import Annotated

import typer

from samordna.cli.common import NO_TERMINAL, RoundOpt, WorkspaceDir, echo, note_default_round, open_workspace

EPILOG = (
    "Eksempler:\n\n"
    "  samordna consensus min-kommune --utvalg begge   (kortversjonen på 90 minutter)\n\n"
    "  samordna consensus min-kommune                  (alle påstandene)"
)


def consensus(
    directory: WorkspaceDir,
    round_id: RoundOpt = None,
    selection: Annotated[str | None, typer.Option(
        "--utvalg", metavar="UTVALG",
        help="Hvilke påstander dere drøfter: uenighet, under-mal, begge (uenighet eller under mål) eller alle. "
             "Det juridiske minimumet tas alltid. Resten står som medianen til dere tar dem.")] = None,
    redo: Annotated[bool, typer.Option(
        "--all", help="Gå gjennom påstandene i utvalget på nytt, også de som allerede har konsensus.")] = False,
) -> None:
    """Før inn gruppens omforente nivå, en kort begrunnelse og eventuell dissens, påstand for påstand.

    Uenighet og størst avstand til målet kommer først. Svarene vises uten koder, kontaktinfo aldri.

    Enig i medianen med en gang? Enter på begrunnelsen fører inn «enige uten drøfting».

    Begrunnelse kreves når nivået avviker fra medianen, eller når svarene spriker.

    Alt lagres etter hver påstand: du kan hoppe over, avbryte og fortsette senere.
    """
    from samordna.flows.consensus import parse_selection, run_consensus

    chosen = parse_selection(selection) if selection is not None else None
    ws = open_workspace(directory)
    note_default_round(ws, round_id)
    rnd = ws.round(round_id)
    from samordna.ui import prompter as ui_prompter

    prompter = ui_prompter.terminal_prompter(NO_TERMINAL)
    again = f"samordna consensus {_arg(directory)}" + (f" --utvalg {chosen}" if chosen else "")
    try:
        summary = run_consensus(rnd, prompter, redo=redo, selection=chosen)
    except KeyboardInterrupt:
        n = len(rnd.consensus())
        echo(f"\nAvbrutt. Konsensus for {n} av {len(rnd.bank.item_ids)} påstander er lagret. "
             f"Fortsett med: {again}", err=True)
        raise typer.Exit(130) from None
    quick = f" ({len(summary.quick)} enige uten drøfting)" if summary.quick else ""
    echo(f"Konsensus for runde {rnd.id}: {len(summary.recorded)} ført inn nå{quick}, "
         f"{len(summary.skipped)} hoppet over. {summary.agreed} av {summary.total} påstander har konsensus.")
    if summary.agreed < summary.total:
        if summary.left_out and not summary.skipped and not summary.stopped:
            echo(f"De {summary.left_out} utenfor utvalget bruker medianen av de individuelle svarene. "
                 f"Vil dere ta dem senere: samordna consensus {_arg(directory)}")
        else:
            echo(f"Resten bruker medianen av de individuelle svarene. Fortsett med: {again}")
    echo(f"Neste steg: samordna prioritize {_arg(directory)}")


def _arg(path: object) -> str:
    """A folder as it can be pasted into a shell (quoted when it holds spaces or other special characters)."""
    import shlex

    return shlex.quote(str(path))


def register(app: typer.Typer) -> None:
    app.command("consensus", epilog=EPILOG)(consensus)
