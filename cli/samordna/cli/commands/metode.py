"""samordna metode: the method text (docs/metode.md, shipped in the package) and where the file is."""

from __future__ import annotations

from typing import Annotated

import typer

from samordna.cli.common import OpenOpt, echo, open_in_default_program
from samordna.core.errors import SamordnaError

EXAMPLE = """Eksempler:

  samordna metode

  samordna metode --open

  samordna metode --sti"""


def metode(
    open_: OpenOpt = False,
    path_only: Annotated[bool, typer.Option("--sti", help="Vis bare hvor filen med metoden ligger.")] = False,
) -> None:
    """Vis hvordan samordna regner: nivåer, vurderinger, juridisk minimum og personvern, og hvor filen ligger."""
    from samordna.io.resources import method_path

    path = method_path()
    if not path.is_file():
        raise SamordnaError(f"Fant ikke metodeteksten der den skal ligge ({path}). Installer samordna på nytt.",
                            path=path)
    if path_only:
        echo(str(path))
        return
    if open_:
        echo(open_in_default_program(path))
        echo(f"Metoden ligger i filen {path}")
        return
    echo(path.read_text(encoding="utf-8").rstrip())
    echo()
    echo(f"Metoden ligger i filen {path} (åpne den med: samordna metode --open).")


def register(app: typer.Typer) -> None:
    app.command("metode", epilog=EXAMPLE)(metode)
