"""samordna report: the workshop report as one self-contained HTML file (and PDF), with the one-page summary."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from samordna.cli.common import OpenOpt, RoundOpt, WorkspaceDir, echo, note_default_round, open_in_default_program, open_workspace
from samordna.core.errors import SamordnaError

HELP = ("Lag rapporten til samlingen: én HTML-fil som kan åpnes, vises på storskjerm og skrives ut på A4.\n\n"
        "Første side er et sammendrag på én side for kommunestyret og ledelsen: juridisk minimum, sterkeste og "
        "svakeste områder, prioriteringene og status for fjorårets handlingsplan. Sammendraget skrives også som "
        "en egen fil: sammendrag-<kommune>-<runde>.html.")
EXAMPLE = """Eksempler:

  samordna report fjordvik

  samordna report fjordvik --round 2025 --pdf --open"""


def report(
    directory: WorkspaceDir,
    round_id: RoundOpt = None,
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", metavar="FIL",
        help="Filen rapporten skrives til (.html). Standard: rapport-<kommune>-<runde>.html i arbeidsområdet.")] = None,
    pdf: Annotated[bool, typer.Option(
        "--pdf", help="Lag også PDF ved siden av HTML-filene (krever WeasyPrint: pip install 'samordna\\[pdf]'). "
                      "Uten WeasyPrint lages HTML, og du får vite hvordan du får PDF.")] = False,
    open_: OpenOpt = False,
) -> None:
    """Lag rapporten til samlingen: én HTML-fil som kan åpnes, vises på storskjerm og skrives ut på A4."""
    from samordna.outputs.pdf import how_to_get_pdf
    from samordna.outputs.report import write_report

    if out is not None and out.suffix.lower() not in (".html", ".htm"):
        raise SamordnaError(f"Rapporten skrives som HTML: bruk et filnavn som slutter på .html (fikk {out}).", path=out)
    if out is not None and out.exists() and out.is_dir():
        raise SamordnaError(f"{out} er en mappe. Oppgi et filnavn, for eksempel {out / 'rapport.html'}.", path=out)
    started = time.perf_counter()
    ws = open_workspace(directory)
    note_default_round(ws, round_id)
    files = write_report(ws, round_id, out, pdf=pdf)
    echo(f"Rapporten for {ws.name}, runde {files.model['round']}, er skrevet til {files.html}")
    if files.summary is not None:
        echo(f"Sammendraget på én side: {files.summary.html}")
    if files.pdf:
        echo(f"PDF: {files.pdf}" + (f" og {files.summary.pdf}" if files.summary and files.summary.pdf else ""))
    if files.pdf_missing:
        echo(how_to_get_pdf(files.html))
    echo(f"Åpne HTML-filen i en nettleser; den kan også skrives ut på A4. ({time.perf_counter() - started:.1f} s)")
    if open_:
        echo(open_in_default_program(files.pdf or files.html))


def register(app: typer.Typer) -> None:
    app.command("report", help=HELP, epilog=EXAMPLE)(report)
