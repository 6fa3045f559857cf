"""samordna region: the county view over many municipality workspaces."""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from pathlib import Path

import typer

from ..errors import SamordnaError
from ._common import echo


@contextmanager
def _progress(total: int, what: str):
    """A rich progress bar on stderr; silent when stderr is not a terminal (pipes, tests)."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    console = Console(stderr=True)
    disabled = not sys.stderr.isatty() or "PYTEST_CURRENT_TEST" in os.environ
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=console, disable=disabled, transient=True) as bar:
        task = bar.add_task(what, total=total)
        yield lambda *_: bar.advance(task)


def _short(message: str) -> str:
    return message.splitlines()[0]


def run_region(dirs: list[Path], out: Path, *, year: int | None = None, anonymize: bool = False, pdf: bool = False,
               skip_invalid: bool = False, workers: int | None = None, quiet: bool = False):
    """Collect, check, build and write. Nothing is written if a workspace is broken (unless skip_invalid)."""
    from ..region import build_region, collect, find_workspaces
    from ..outputs.region_report import write_region

    found, _, _ = find_workspaces(dirs)
    workers = workers or (min(2, os.cpu_count() or 1) if len(found) > 40 else 1)
    with _progress(len(found), "Leser arbeidsområdene") as tick:
        collection = collect(dirs, workers=workers, progress=tick)
    if collection.problems and not skip_invalid:
        raise SamordnaError(
            f"{len(collection.problems)} av arbeidsområdene kan ikke leses. Ingenting er skrevet. "
            "Rett feilene, eller kjør med --skip-invalid for å hoppe over dem:",
            problems=[f"{p.path}: {_short(p.message)}" for p in collection.problems])
    for p in collection.problems:
        echo(f"Hoppet over {p.path}: {_short(p.message)}", err=True)
    if not quiet and collection.ignored:
        echo(f"Merk: {len(collection.ignored)} undermapper uten kommune.yaml er ikke tatt med "
             f"({', '.join(p.name for p in collection.ignored[:5])}{' …' if len(collection.ignored) > 5 else ''}).", err=True)
    region = build_region(collection, year)
    skipped = [] if anonymize else [p.path.name for p in collection.problems]
    if anonymize and collection.problems:
        skipped = [f"{len(collection.problems)} arbeidsområder (navn holdt tilbake)"]
    with _progress(len(region.entries), "Skriver rapporten") as tick:
        files = write_region(region, out, anonymize=anonymize, pdf=pdf, skipped=skipped, progress=tick)
    return region, files


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
    reg, files = run_region(dirs, target, year=year, anonymize=anonymize, pdf=pdf, skip_invalid=skip_invalid,
                            workers=workers)
    echo(f"Fylkesbildet {reg.year}: {len(reg.entries)} kommuner, sammenlignet på "
         f"{len(reg.harmonisation.shared)} påstander ({', '.join(reg.bank_versions)}).")
    if reg.harmonisation.left_out:
        echo(f"  {len(reg.harmonisation.left_out)} påstander er utelatt fordi ikke alle bankversjonene har dem (se rapporten).")
    echo(f"  Rapport: {files.html}")
    echo(f"  Regneark: {files.xlsx}")
    echo(f"  Én side per kommune: {len(files.onepagers)} filer i {files.html.parent / 'kommuner'}")
    for p in files.pdfs[:1]:
        echo(f"  PDF: {p} (og én per kommune)")


def demo_step(ctx) -> None:
    """A small region: the demo municipality and five generated neighbours."""
    from ..resources import default_bank_path
    from ..synthetic import Profile, RoundSpec, generate

    neighbours = [("Nordvik", "9901", 1.9, 0.25), ("Austdal", "9902", 2.6, 0.1), ("Vestfjord", "9903", 1.4, 0.3),
                  ("Sørheim", "9904", 2.2, 0.2), ("Lillenes", "9905", 3.0, 0.05)]
    domains = ["LED", "ROL", "SAM", "TID", "TAU", "KOM", "BRU", "OPP"]
    sectors = ["ledelse", "barnehage", "grunnskole", "helsestasjon", "barnevern", "nav", "ppt", "psykisk-helse-rus"]
    root = ctx.out / "region-workspaces"
    ctx.say("")
    ctx.say("Fylkesbildet: eksempelkommunen og fem oppdiktede nabokommuner.")
    for k, (name, number, base, trend) in enumerate(neighbours):
        levels = {d: [round(min(3.8, max(0.3, base + ((k * 3 + j * 5) % 7 - 3) * 0.25 + trend * y)), 2) for y in range(3)]
                  for j, d in enumerate(domains)}
        generate(root / name.lower().replace("ø", "o"), default_bank_path(), name=name, number=number,
                 rounds=[RoundSpec(y, sectors, consensus=True, priorities=False) for y in (2024, 2025, 2026)],
                 profile=Profile(levels=levels), seed=100 + k, comments=False)
    _, files = run_region([ctx.workspace, root], ctx.out / "region", pdf=ctx.pdf and _pdf_ok(), quiet=True)
    ctx.wrote(files.html, "Fylkesbildet (HTML)")
    ctx.wrote(files.xlsx, "Fylkesbildet (Excel)")
    ctx.wrote(files.onepagers[0].parent, "Én side per kommune")
    for p in files.pdfs[:1]:
        ctx.wrote(p, "Fylkesbildet (PDF)")


def _pdf_ok() -> bool:
    from ..outputs.pdf import pdf_available

    return pdf_available()


def register(app: typer.Typer) -> None:
    app.command("region")(region)
