"""samordna consensus: the group's agreed level, rationale and dissent, statement by statement."""

from __future__ import annotations

from typing import Annotated

import typer

from samordna.cli.common import NO_TERMINAL, LangOpt, RoundOpt, WorkspaceDir, echo, note_default_round, open_workspace
from samordna.i18n import N_, _

EPILOG = N_(
    "Eksempler:\n\n"
    "  samordna consensus min-kommune --utvalg begge   (kortversjonen på 90 minutter)\n\n"
    "  samordna consensus min-kommune                  (alle påstandene)"
)
HELP = N_("""Før inn gruppens omforente nivå, en kort begrunnelse og eventuell dissens, påstand for påstand.

Uenighet og størst avstand til målet kommer først. Svarene vises uten koder, kontaktinfo aldri.

Enig i medianen med en gang? Enter på begrunnelsen fører inn «enige uten drøfting».

Begrunnelse kreves når nivået avviker fra medianen, eller når svarene spriker.

Alt lagres etter hver påstand: du kan hoppe over, avbryte og fortsette senere.""")


def consensus(
    directory: WorkspaceDir,
    round_id: RoundOpt = None,
    selection: Annotated[str | None, typer.Option(
        "--utvalg", metavar=_("UTVALG"),
        help=_("Hvilke påstander dere drøfter: uenighet, under-mal, begge (uenighet eller under mål) eller alle. "
               "Det juridiske minimumet tas alltid. Resten står som medianen til dere tar dem."))] = None,
    redo: Annotated[bool, typer.Option(
        "--all", help=_("Gå gjennom påstandene i utvalget på nytt, også de som allerede har konsensus."))] = False,
    lang: LangOpt = None,
) -> None:
    """Record the group's agreed level, rationale and dissent, statement by statement (help text: HELP)."""
    from samordna.flows.consensus import parse_selection, run_consensus

    chosen = parse_selection(selection) if selection is not None else None
    ws = open_workspace(directory)
    note_default_round(ws, round_id)
    rnd = ws.round(round_id)
    from samordna.ui import prompter as ui_prompter

    prompter = ui_prompter.terminal_prompter(_(NO_TERMINAL))
    again = f"samordna consensus {_arg(directory)}" + (f" --utvalg {chosen}" if chosen else "")
    try:
        summary = run_consensus(rnd, prompter, redo=redo, selection=chosen)
    except KeyboardInterrupt:
        n = len(rnd.consensus())
        total = len(rnd.bank.item_ids)
        echo("\n" + _("Avbrutt. Konsensus for {n} av {total} påstander er lagret. Fortsett med: {command}")
             .format(n=n, total=total, command=again), err=True)
        raise typer.Exit(130) from None
    if summary.quick:
        line = _("Konsensus for runde {round}: {recorded} ført inn nå ({quick} enige uten drøfting), "
                 "{skipped} hoppet over. {agreed} av {total} påstander har konsensus.")
    else:
        line = _("Konsensus for runde {round}: {recorded} ført inn nå, "
                 "{skipped} hoppet over. {agreed} av {total} påstander har konsensus.")
    echo(line.format(round=rnd.id, recorded=len(summary.recorded), quick=len(summary.quick),
                     skipped=len(summary.skipped), agreed=summary.agreed, total=summary.total))
    if summary.agreed < summary.total:
        if summary.left_out and not summary.skipped and not summary.stopped:
            echo(_("De {n} utenfor utvalget bruker medianen av de individuelle svarene. "
                   "Vil dere ta dem senere: samordna consensus {folder}").format(n=summary.left_out,
                                                                                folder=_arg(directory)))
        else:
            echo(_("Resten bruker medianen av de individuelle svarene. Fortsett med: {command}").format(command=again))
    echo(_("Neste steg: samordna prioritize {folder}").format(folder=_arg(directory)))


def _arg(path: object) -> str:
    """A folder as it can be pasted into a shell (quoted when it holds spaces or other special characters)."""
    import shlex

    return shlex.quote(str(path))


def register(app: typer.Typer) -> None:
    app.command("consensus", help=_(HELP), epilog=_(EPILOG))(consensus)
