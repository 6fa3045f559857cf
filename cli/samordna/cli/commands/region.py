"""samordna region: the county view over many municipality workspaces."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

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
    dirs: Annotated[list[Path], typer.Argument(
        help="Arbeidsområder, eller mapper som har arbeidsområder i seg.", metavar="MAPPER", show_default=False)],
    year: Annotated[int | None, typer.Option(
        "--year", "-y", metavar="ÅR",
        help="Året fylkesbildet gjelder. Standard: det nyeste året med svar. "
             "Kommuner uten runde det året er med med sin siste runde før.")] = None,
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", metavar="MAPPE", help="Mappen rapporten skrives til. Standard: fylkesbilde-ÅÅÅÅ.")] = None,
    anonymize: Annotated[bool, typer.Option(
        "--anonymize", help="Vis kommunene som koder (K01, K02 …) i rapporten og "
                            "regnearket. Én-siderne viser likevel kommunens eget navn.")] = False,
    pdf: Annotated[bool, typer.Option("--pdf", help="Lag også PDF (krever WeasyPrint).")] = False,
    skip_invalid: Annotated[bool, typer.Option(
        "--skip-invalid", help="Hopp over arbeidsområder med feil i stedet for å stoppe. De nevnes i rapporten.")] = False,
    workers: Annotated[int | None, typer.Option(
        "--workers", metavar="ANTALL", hidden=True,
        help="Antall prosesser som leser arbeidsområdene. Standard: 2 for mange kommuner, ellers 1.")] = None,
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
    if reg.mix_note:
        echo(f"  {reg.mix_note}")
    if reg.history_note:
        echo(f"  {reg.history_note}")
    if reg.local_note:
        echo(f"  {reg.local_note}")
    if reg.legal:
        n_no = sum(1 for r in reg.legal if r.n_no)
        echo(f"  Juridisk minimum: {n_no} av {len(reg.legal)} punkter har minst én kommune som svarte «nei» (se rapporten).")
    if reg.harmonisation.left_out:
        echo(f"  {len(reg.harmonisation.left_out)} påstander er utelatt fordi ikke alle bankversjonene i sammenligningen "
             "har dem (se rapporten).")
    echo(f"  Rapport: {files.html}")
    echo(f"  Regneark: {files.xlsx}")
    echo(f"  Én side per kommune: {len(files.onepagers)} filer i {files.html.parent / 'kommuner'}")
    for p in files.pdfs[:1]:
        echo(f"  PDF: {p} (og én per kommune)")


def register(app: typer.Typer) -> None:
    app.command("region")(region)
