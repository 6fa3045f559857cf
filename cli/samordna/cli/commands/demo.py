"""samordna demo: everything, on the fictional sample municipality.

The sample workspace is copied to ``OUT/arbeidsomrade`` first, so the demo never
changes the shipped sample. The steps are in ``samordna.demo``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from samordna.cli.common import LangOpt, echo
from samordna.i18n import N_, _

EXAMPLE = N_("""Eksempler:

  samordna demo

  samordna demo --out min-demo --pdf

  samordna demo --lang nn""")
HELP = N_("Kjør alt på den oppdiktede eksempelkommunen og skriv resultatene til en mappe (HTML og Excel; PDF med --pdf).")


def demo(
    out: Annotated[Path, typer.Option(
        "--out", "-o", metavar=_("MAPPE"),
        help=_("Mappen demoen skriver til. En tidligere demo i samme mappe skrives over."))] = Path("samordna-demo"),
    pdf: Annotated[bool, typer.Option(
        "--pdf/--no-pdf",
        help=_("Lag også PDF av rapporten, sammendraget, fasilitatorveiledningen, lappene og fylkesbildet "
               "(krever WeasyPrint, og tar lengre tid). Uten --pdf lager demoen HTML og Excel."))] = False,
    lang: LangOpt = None,
) -> None:
    """Run everything on the fictional sample municipality (its language form: --lang, else bokmål)."""
    from samordna.demo.run import run_demo

    run_demo(out, pdf=pdf, say=echo, language=lang)


def register(app: typer.Typer) -> None:
    app.command("demo", help=_(HELP), epilog=_(EXAMPLE))(demo)
