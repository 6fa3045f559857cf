"""samordna prioritize: the group's priorities among the statements below target."""

from __future__ import annotations

import shlex
from typing import Annotated

import typer

from samordna.cli.common import NO_TERMINAL, LangOpt, RoundOpt, WorkspaceDir, echo, open_workspace
from samordna.core.errors import SamordnaError
from samordna.i18n import N_, _, n_


def prioritize(
    directory: WorkspaceDir,
    round_id: RoundOpt = None,
    min_n: Annotated[int, typer.Option("--min", help=_("Minste antall prioriteringer."), metavar=_("ANTALL"))] = 3,
    max_n: Annotated[int, typer.Option("--max", help=_("Største antall prioriteringer."), metavar=_("ANTALL"))] = 5,
    mirror: Annotated[list[str] | None, typer.Option(
        "--speil", help=_("Gjør påstandene et område i speilet viser til, til prioriteringer uten spørsmål, merket som "
                          "fra ungdommene (eller foreldrene: OMRÅDE:foreldre). Kan gis flere ganger."),
        metavar=_("OMRÅDE"))] = None,
    lang: LangOpt = None,
) -> None:
    """Pick the group's priorities among the statements below target (help text: HELP)."""
    from samordna.flows.prioritize import run_prioritize

    if not 1 <= min_n <= max_n:
        raise SamordnaError(_("--min og --max må oppfylle 1 ≤ min ≤ max (fikk {min} og {max}).").format(min=min_n,
                                                                                                   max=max_n))
    ws = open_workspace(directory)
    rnd = ws.round(round_id)
    if mirror:
        from samordna.flows.prioritize import add_mirror_priorities

        added = add_mirror_priorities(ws, rnd, mirror)
        marks = rnd.mirror_priorities()
        echo(n_("{n} prioritering fra speilet er lagret i runde {round}: {ids}.",
                "{n} prioriteringer fra speilet er lagret i runde {round}: {ids}.", len(marks))
             .format(n=len(marks), round=rnd.id, ids=", ".join(marks)))
        if not added:
            echo(_("De var prioritert fra før; nå er de merket som fra speilet."))
        echo(_("Neste steg: samordna plan {folder}").format(folder=shlex.quote(str(directory))))
        return
    from samordna.ui import prompter as ui_prompter

    prompter = ui_prompter.terminal_prompter(_(NO_TERMINAL))
    try:
        chosen = run_prioritize(ws, rnd, prompter, min_n=min_n, max_n=max_n)
    except KeyboardInterrupt:
        echo("\n" + _("Avbrutt. Prioriteringene er ikke endret."), err=True)
        raise typer.Exit(130) from None
    if chosen:
        echo(n_("{n} prioritering er lagret i runde {round}: {ids}.", "{n} prioriteringer er lagret i runde {round}: {ids}.",
                len(chosen)).format(n=len(chosen), round=rnd.id, ids=", ".join(chosen)))
        echo(_("Neste steg: samordna plan {folder}").format(folder=shlex.quote(str(directory))))


EPILOG = N_(
    "Eksempler:\n\n"
    "  samordna prioritize min-kommune                  (velg 3–5)\n\n"
    "  samordna prioritize min-kommune --min 1 --max 3  (velg 1–3)\n\n"
    "  samordna prioritize min-kommune --speil BRU      (området Medvirkning i speilet)"
)
HELP = N_("""Velg gruppens prioriteringer blant påstandene under målet, med forslagslista som utgangspunkt.

Forslagslista rangerer etter avstand til målet × vekt, med konsensus der den er ført inn.""")


def register(app: typer.Typer) -> None:
    app.command("prioritize", help=_(HELP), epilog=_(EPILOG))(prioritize)
