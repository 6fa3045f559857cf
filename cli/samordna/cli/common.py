"""Small helpers shared by the command modules."""

from __future__ import annotations

from pathlib import Path

import typer

DIR_ARG = typer.Argument(..., help="Mappen til kommunens arbeidsområde.", show_default=False)
NO_TERMINAL = "Denne kommandoen spør underveis og må kjøres i en terminal (ikke med omdirigert inn-/utdata)."
ROUND_OPT = typer.Option(None, "--round", "-r", help="Runden (for eksempel 2025). Standard: den nyeste.")


def open_workspace(path: Path):
    """Open a workspace (the core is imported here, not at start-up, to keep --help fast)."""
    from samordna.io.workspace import Workspace

    return Workspace(path)


def echo(text: str = "", err: bool = False) -> None:
    typer.echo(text, err=err)


def console():
    """A rich console that respects NO_COLOR and fits the terminal."""
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)
