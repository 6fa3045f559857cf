"""samordna report: the workshop report as one self-contained HTML file (and PDF)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from samordna.cli.common import RoundOpt, WorkspaceDir, echo, open_workspace
from samordna.core.errors import SamordnaError


def report(
    directory: WorkspaceDir,
    round_id: RoundOpt = None,
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", metavar="FIL",
        help="Filen rapporten skrives til (.html). Standard: rapport-<kommune>-<runde>.html i arbeidsområdet.")] = None,
    pdf: Annotated[bool, typer.Option(
        "--pdf", help="Lag også en PDF ved siden av HTML-filen (krever WeasyPrint: pip install 'samordna\\[pdf]').")] = False,
) -> None:
    """Lag rapporten til samlingen: én HTML-fil som kan åpnes, vises på storskjerm og skrives ut på A4."""
    from samordna.outputs.report import write_report

    if out is not None and out.suffix.lower() not in (".html", ".htm"):
        raise SamordnaError(f"Rapporten skrives som HTML: bruk et filnavn som slutter på .html (fikk {out}).", path=out)
    if out is not None and out.exists() and out.is_dir():
        raise SamordnaError(f"{out} er en mappe. Oppgi et filnavn, for eksempel {out / 'rapport.html'}.", path=out)
    started = time.perf_counter()
    ws = open_workspace(directory)
    files = write_report(ws, round_id, out, pdf=pdf)
    echo(f"Rapporten for {ws.name}, runde {files.model['round']}, er skrevet til {files.html}")
    if files.pdf:
        echo(f"PDF: {files.pdf}")
    echo(f"Åpne HTML-filen i en nettleser; den kan også skrives ut på A4. ({time.perf_counter() - started:.1f} s)")


def register(app: typer.Typer) -> None:
    app.command("report")(report)
