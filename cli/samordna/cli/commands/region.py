"""samordna region: the county view over many municipality workspaces."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from samordna.cli.common import echo
from samordna.core.errors import SamordnaError
from samordna.core.fmt import integer
from samordna.i18n import N_, _, n_

DEFAULT_DEPTH = 4  # as io.region_collect.DEFAULT_DEPTH (not imported here: --help stays light)


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


EXAMPLE = N_("""\b
Eksempler:
  samordna region fylket/ --out fylkesbilde-2026
  samordna region fylket/ --out fylkesbilde-2026 --anonymize
  samordna region alstad/ bekkvik/ cedrum/ --year 2025

Mappene søkes gjennom etter arbeidsområder (mapper med kommune.yaml), opptil fire nivåer ned (--depth).

""" "Med --anonymize skrives nøkkelen (kode → kommune → én-side) til en egen fil ved siden av rapportmappen, "
             "for eksempel fylkesbilde-2026-nøkkel-IKKE-DEL.xlsx. Den er bare for deg: ikke del den.")
HELP = N_("Fylkesbildet: sammenstill mange kommuners resultater til en regional rapport, et regneark og én side per "
          "kommune.")


def region(
    dirs: Annotated[list[Path], typer.Argument(
        help=_("Arbeidsområder, eller mapper med arbeidsområder et sted under seg."), metavar=_("MAPPER"),
        show_default=False)],
    year: Annotated[int | None, typer.Option(
        "--year", "-y", metavar=_("ÅR"),
        help=_("Året fylkesbildet gjelder. Standard: det nyeste året med svar. "
               "Kommuner uten runde det året er med med sin siste runde før."))] = None,
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", metavar=_("MAPPE"), help=_("Mappen rapporten skrives til. Standard: fylkesbilde-ÅÅÅÅ."))] = None,
    depth: Annotated[int, typer.Option(
        "--depth", metavar=_("NIVÅER"),
        help=_("Hvor mange mappenivåer under hver mappe det søkes etter arbeidsområder. "
               "Det søkes aldri inne i et arbeidsområde eller i skjulte mapper."))] = DEFAULT_DEPTH,
    anonymize: Annotated[bool, typer.Option(
        "--anonymize", help=_("Vis kommunene som koder (K01, K02 …) i rapporten, regnearket og én-sidene, også i "
                              "filnavnene. Nøkkelen til kodene skrives til en egen fil utenfor rapportmappen."))] = False,
    key: Annotated[Path | None, typer.Option(
        "--key", metavar=_("FIL"), show_default=False,
        help=_("Hvor nøkkelen skrives med --anonymize (.xlsx, utenfor rapportmappen). "
               "Standard: ved siden av rapportmappen, MAPPE-nøkkel-IKKE-DEL.xlsx."))] = None,
    pdf: Annotated[bool, typer.Option("--pdf", help=_("Lag også PDF (krever WeasyPrint)."))] = False,
    skip_invalid: Annotated[bool, typer.Option(
        "--skip-invalid", help=_("Hopp over arbeidsområder med feil i stedet for å stoppe. De nevnes i rapporten."))
    ] = False,
    no_cache: Annotated[bool, typer.Option(
        "--no-cache", help=_("Les alle arbeidsområdene på nytt i stedet for å bruke mellomlageret fra forrige "
                             "kjøring (det ligger i brukerens egen mappe for mellomlager, aldri hos kommunene)."))
    ] = False,
    workers: Annotated[int | None, typer.Option(
        "--workers", metavar=_("ANTALL"), hidden=True,
        help=_("Antall prosesser som leser arbeidsområdene. Standard: 2 for mange kommuner, ellers 1."))] = None,
) -> None:
    """The county view: many municipalities' results in one regional report, a workbook and a page each."""
    if year is not None and not 2000 <= year <= 2100:
        raise SamordnaError(_("Året må være mellom 2000 og 2100 (fikk {year}).").format(year=year))
    if not 0 <= depth <= 20:
        raise SamordnaError(_("--depth må være mellom 0 og 20 nivåer (fikk {depth}).").format(depth=depth))
    target = out or Path(f"fylkesbilde-{year}" if year else "fylkesbilde")
    from samordna.outputs.region_run import run_region

    reg, files = run_region(dirs, target, year=year, anonymize=anonymize, pdf=pdf, skip_invalid=skip_invalid,
                            workers=workers, depth=depth, key=key, cache=not no_cache, progress=_progress,
                            warn=lambda text: echo(text, err=True), say=echo)
    n = len(reg.entries)
    echo("")
    echo(n_("Fylkesbildet {year}: {n} kommune, sammenlignet på {n_indicators} påstander ({versions}).",
            "Fylkesbildet {year}: {n} kommuner, sammenlignet på {n_indicators} påstander ({versions}).", n).format(
        year=reg.year, n=integer(n), n_indicators=len(reg.harmonisation.shared), versions=", ".join(reg.bank_versions)))
    if reg.mix_note:
        echo(f"  {reg.mix_note}")
    if reg.history_note:
        echo(f"  {reg.history_note}")
    if reg.local_note:
        echo(f"  {reg.local_note}")
    if reg.legal:
        n_no = sum(1 for r in reg.legal if r.n_no)
        echo("  " + _("Juridisk minimum: {n} av {total} punkter har minst én kommune som svarte «nei» (se rapporten).")
             .format(n=n_no, total=len(reg.legal)))
    if reg.harmonisation.left_out:
        echo("  " + _("{n} påstander er utelatt fordi ikke alle bankversjonene i sammenligningen har dem (se "
                      "rapporten).").format(n=len(reg.harmonisation.left_out)))
    echo("  " + _("Rapport: {file}").format(file=files.html))
    echo("  " + _("Regneark: {file}").format(file=files.xlsx))
    n_pages = len(files.onepagers)
    folder = files.html.parent / "kommuner"
    pages = (n_("Én side per kommune: {n} fil i {folder} (navngitt med koden)",
                "Én side per kommune: {n} filer i {folder} (navngitt med koden)", n_pages) if anonymize else
             n_("Én side per kommune: {n} fil i {folder}", "Én side per kommune: {n} filer i {folder}", n_pages))
    echo("  " + pages.format(n=integer(n_pages), folder=folder))
    for p in files.pdfs[:1]:
        echo("  " + _("PDF: {file} (og én per kommune)").format(file=p))
    if files.pdf_missing:
        from samordna.outputs.pdf import how_to_get_pdf

        echo(how_to_get_pdf(files.html), err=True)
    if files.key:
        echo("")
        echo(_("Nøkkelen til kodene: {file}").format(file=files.key))
        echo(_("  Den sier hvilken kommune hver kode er, og hvor hver én-side skal. Den er bare for deg,\n"
               "  og ligger utenfor rapportmappen med vilje: del mappen {folder}, men ikke nøkkelen.").format(
            folder=files.html.parent))


def register(app: typer.Typer) -> None:
    app.command("region", help=_(HELP), epilog=_(EXAMPLE))(region)
