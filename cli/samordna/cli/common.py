"""Small helpers and parameter types shared by the command modules."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from rich.console import Console

    from samordna.io.workspace import Workspace

WorkspaceDir = Annotated[
    Path, typer.Argument(help="Mappen til kommunens arbeidsområde.", metavar="MAPPE", show_default=False)
]
RoundOpt = Annotated[
    str | None,
    typer.Option("--round", "-r", help="Runden (for eksempel 2025). Standard: den nyeste.", metavar="RUNDE"),
]
NO_TERMINAL = "Denne kommandoen spør underveis og må kjøres i en terminal (ikke med omdirigert inn-/utdata)."


def open_workspace(path: Path) -> Workspace:
    """Open a workspace (the core is imported here, not at start-up, to keep --help fast)."""
    from samordna.io.workspace import Workspace

    return Workspace(path)


def echo(text: str = "", err: bool = False) -> None:
    typer.echo(text, err=err)


def console() -> Console:
    """A rich console that respects NO_COLOR and fits the terminal."""
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)
