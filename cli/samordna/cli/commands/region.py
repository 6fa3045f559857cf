"""samordna region: the county view over many municipality workspaces."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path

import typer

from samordna.cli.common import echo
from samordna.core.errors import SamordnaError


@contextmanager
def _progress(total: int, what: str):
    """A rich progress bar on stderr; silent when stderr is not a terminal (pipes, tests)."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    console = Console(stderr=True)
    disabled = not sys.stderr.isatty()
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=console, disable=disabled, transient=True) as bar:
        task = bar.add_task(what, total=total)
        yield lambda *_: bar.advance(task)


def region(
    dirs: list[Path] = typer.Argument(..., help="Arbeidsområder, eller mapper som har arbeidsområder i seg.",
                                      show_default=False),
    year: int = typer.Option(None, "--year", "-y", help="Året fylkesbildet gjelder. Standard: det nyeste året med svar. "
                                                       "Kommuner uten runde det året er med med sin siste runde før."),
    out: Path = typer.Option(None, "--out", "-o", help="Mappen rapporten skrives til. Standard: fylkesbilde-ÅÅÅÅ."),
    anonymize: bool = typer.Option(False, "--anonymize", help="Vis kommunene som koder (K01, K02 …) i rapporten og "
                                                              "regnearket. Én-siderne viser likevel kommunens eget navn."),
    pdf: bool = typer.Option(False, "--pdf", help="Lag også PDF (krever WeasyPrint)."),
    skip_invalid: bool = typer.Option(False, "--skip-invalid", help="Hopp over arbeidsområder med feil i stedet for å "
                                                                    "stoppe. De nevnes i rapporten."),
    workers: int = typer.Option(None, "--workers", help="Antall prosesser som leser arbeidsområdene. Standard: 2 for "
                                                         "mange kommuner, ellers 1.", hidden=True),
) -> None:
    """Fylkesbildet: sammenstill mange kommuners resultater til en regional rapport, et regneark og én side per kommune."""
    if year is not None and not 2000 <= year <= 2100:
        raise SamordnaError(f"Året må være mellom 2000 og 2100 (fikk {year}).")
    target = out or Path(f"fylkesbilde-{year}" if year else "fylkesbilde")
    from samordna.outputs.region_run import run_region

    reg, files = run_region(dirs, target, year=year, anonymize=anonymize, pdf=pdf, skip_invalid=skip_invalid,
                            workers=workers, progress=_progress, warn=lambda text: echo(text, err=True))
    echo(f"Fylkesbildet {reg.year}: {len(reg.entries)} kommuner, sammenlignet på "
         f"{len(reg.harmonisation.shared)} påstander ({', '.join(reg.bank_versions)}).")
    if reg.harmonisation.left_out:
        echo(f"  {len(reg.harmonisation.left_out)} påstander er utelatt fordi ikke alle bankversjonene har dem (se rapporten).")
    echo(f"  Rapport: {files.html}")
    echo(f"  Regneark: {files.xlsx}")
    echo(f"  Én side per kommune: {len(files.onepagers)} filer i {files.html.parent / 'kommuner'}")
    for p in files.pdfs[:1]:
        echo(f"  PDF: {p} (og én per kommune)")


def register(app: typer.Typer) -> None:
    app.command("region")(region)
