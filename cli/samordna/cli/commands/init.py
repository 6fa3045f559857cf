"""samordna init: create a municipality workspace, with the municipality's language form."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from samordna.cli.common import LangOpt, echo, language_value, shell_arg
from samordna.i18n import N_, _

EXAMPLE = N_("""Eksempler:

  samordna init fjordvik --kommune Fjordvik --kommunenummer 4601 --fylke Vestland

  samordna init sogndal --kommune Sogndal --kommunenummer 4640 --målform nn""")
HELP = N_("Lag et arbeidsområde for en kommune: en mappe med lesbare filer som kan tas vare på og sikkerhetskopieres.")


def init(
    directory: Annotated[Path, typer.Argument(help=_("Mappen som skal bli arbeidsområdet (lages om den ikke finnes)."),
                                              metavar=_("MAPPE"), show_default=False)],
    kommune: Annotated[str, typer.Option("--kommune", help=_("Kommunens navn, for eksempel «Fjordvik»."),
                                         metavar=_("NAVN"), show_default=False)],
    kommunenummer: Annotated[str, typer.Option("--kommunenummer", help=_("Kommunenummeret, fire sifre."),
                                               metavar=_("NUMMER"), show_default=False)],
    fylke: Annotated[str | None, typer.Option("--fylke", help=_("Fylket (valgfritt)."), metavar=_("FYLKE"))] = None,
    malform: Annotated[str | None, typer.Option(
        "--målform", "--malform",
        help=_("Kommunens målform: nb (bokmål, standard) eller nn (nynorsk); en (English) går også. Alle dokumenter "
               "for kommunen lages på den. Lagres i kommune.yaml (language:) og kan endres der."),
        metavar="nb|nn|en", callback=language_value, show_default=False)] = None,
    lang: LangOpt = None,
) -> None:
    """Create a workspace folder (the language form is stored in kommune.yaml)."""
    from samordna.i18n import workspace_opened
    from samordna.io.workspace import Workspace

    ws = Workspace.init(directory, kommune, kommunenummer, fylke, language=malform)
    workspace_opened(ws.language)
    echo(_("Laget arbeidsområde for {name} ({number}) i {folder}.").format(name=ws.name, number=ws.number,
                                                                         folder=ws.root))
    echo(_("Neste steg: åpne en runde med: samordna round new {folder}").format(folder=shell_arg(ws.root)))


def register(app: typer.Typer) -> None:
    app.command("init", help=_(HELP), epilog=_(EXAMPLE))(init)
