"""samordna metode: the method text (docs/metode.md, shipped in the package) and where the file is."""

from __future__ import annotations

from typing import Annotated

import typer

from samordna.cli.common import LangOpt, OpenOpt, echo, open_in_default_program
from samordna.core.errors import SamordnaError
from samordna.i18n import N_, _

EXAMPLE = N_("""Eksempler:

  samordna metode

  samordna metode --open

  samordna metode --sti""")
HELP = N_("Vis hvordan samordna regner: nivåer, vurderinger, juridisk minimum og personvern, og hvor filen ligger.")


def metode(
    open_: OpenOpt = False,
    path_only: Annotated[bool, typer.Option("--sti", help=_("Vis bare hvor filen med metoden ligger."))] = False,
    lang: LangOpt = None,
) -> None:
    """Show the method text (in the current language) and where its file is."""
    from samordna.i18n import language
    from samordna.io.resources import method_path

    path = method_path(language())
    if not path.is_file():
        raise SamordnaError(_("Fant ikke metodeteksten der den skal ligge ({path}). Installer samordna på nytt.")
                            .format(path=path), path=path)
    if path_only:
        echo(str(path))
        return
    if open_:
        echo(open_in_default_program(path))
        echo(_("Metoden ligger i filen {path}").format(path=path))
        return
    echo(path.read_text(encoding="utf-8").rstrip())
    echo()
    echo(_("Metoden ligger i filen {path} (åpne den med: samordna metode --open).").format(path=path))


def register(app: typer.Typer) -> None:
    app.command("metode", help=_(HELP), epilog=_(EXAMPLE))(metode)
