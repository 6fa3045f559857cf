"""samordna init: create a municipality workspace."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from samordna.cli.common import echo, shell_arg

EXAMPLE = """Eksempel:

  samordna init fjordvik --kommune Fjordvik --kommunenummer 4601 --fylke Vestland"""


def init(
    directory: Annotated[Path, typer.Argument(help="Mappen som skal bli arbeidsområdet (lages om den ikke finnes).",
                                              metavar="MAPPE", show_default=False)],
    kommune: Annotated[str, typer.Option("--kommune", help="Kommunens navn, for eksempel «Fjordvik».", metavar="NAVN",
                                         show_default=False)],
    kommunenummer: Annotated[str, typer.Option("--kommunenummer", help="Kommunenummeret, fire sifre.", metavar="NUMMER",
                                               show_default=False)],
    fylke: Annotated[str | None, typer.Option("--fylke", help="Fylket (valgfritt).", metavar="FYLKE")] = None,
) -> None:
    """Lag et arbeidsområde for en kommune: en mappe med lesbare filer som kan tas vare på og sikkerhetskopieres."""
    from samordna.io.workspace import Workspace

    ws = Workspace.init(directory, kommune, kommunenummer, fylke)
    echo(f"Laget arbeidsområde for {ws.name} ({ws.number}) i {ws.root}.")
    echo(f"Neste steg: åpne en runde med: samordna round new {shell_arg(ws.root)}")


def register(app: typer.Typer) -> None:
    app.command("init", epilog=EXAMPLE)(init)
