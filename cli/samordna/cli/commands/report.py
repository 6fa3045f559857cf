"""samordna report: the workshop report as one self-contained HTML file (and PDF), with the one-page summary."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from samordna.cli.common import (
    LangOpt,
    OpenOpt,
    RoundOpt,
    WorkspaceDir,
    documents,
    echo,
    note_default_round,
    open_in_default_program,
    open_workspace,
)
from samordna.core.errors import SamordnaError
from samordna.i18n import N_, _

HELP = N_("Lag rapporten til samlingen: én HTML-fil som kan åpnes, vises på storskjerm og skrives ut på A4.\n\n"
          "Første side er et sammendrag på én side for kommunestyret og ledelsen: juridisk minimum, sterkeste og "
          "svakeste områder, prioriteringene og status for fjorårets handlingsplan. Sammendraget skrives også som "
          "en egen fil: sammendrag-<kommune>-<runde>.html.")
EXAMPLE = N_("""Eksempler:

  samordna report fjordvik

  samordna report fjordvik --round 2025 --pdf --open""")


def report(
    directory: WorkspaceDir,
    round_id: RoundOpt = None,
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", metavar=_("FIL"),
        help=_("Filen rapporten skrives til (.html). Standard: rapport-<kommune>-<runde>.html i arbeidsområdet."))] = None,
    pdf: Annotated[bool, typer.Option(
        "--pdf", help=_("Lag også PDF ved siden av HTML-filene (krever WeasyPrint: pip install 'samordna\\[pdf]'). "
                        "Uten WeasyPrint lages HTML, og du får vite hvordan du får PDF."))] = False,
    open_: OpenOpt = False,
    lang: LangOpt = None,
) -> None:
    """Write the workshop report (HTML, optionally PDF) and the one-page summary."""
    from samordna.outputs.pdf import how_to_get_pdf
    from samordna.outputs.report import write_report

    if out is not None and out.suffix.lower() not in (".html", ".htm"):
        raise SamordnaError(_("Rapporten skrives som HTML: bruk et filnavn som slutter på .html (fikk {file}).")
                            .format(file=out), path=out)
    if out is not None and out.exists() and out.is_dir():
        raise SamordnaError(_("{folder} er en mappe. Oppgi et filnavn, for eksempel {example}.")
                            .format(folder=out, example=out / "rapport.html"), path=out)
    started = time.perf_counter()
    ws = open_workspace(directory)
    note_default_round(ws, round_id)
    with documents(ws):  # the report and summary in the municipality's language form (or --lang)
        files = write_report(ws, round_id, out, pdf=pdf)
    echo(_("Rapporten for {municipality}, runde {round}, er skrevet til {file}").format(
        municipality=ws.name, round=files.model["round"], file=files.html))
    if files.summary is not None:
        echo(_("Sammendraget på én side: {file}").format(file=files.summary.html))
    if files.youth is not None:
        echo(_("Speilet til ungdomsrådet (ett ark i enkelt språk): {file}").format(file=files.youth))
        if files.youth_pdf is not None:
            echo(_("PDF: {file}").format(file=files.youth_pdf))
    if files.pdf:
        if files.summary and files.summary.pdf:
            echo(_("PDF: {file} og {summary}").format(file=files.pdf, summary=files.summary.pdf))
        else:
            echo(_("PDF: {file}").format(file=files.pdf))
    if files.pdf_missing:
        echo(how_to_get_pdf(files.html))
    echo(_("Åpne HTML-filen i en nettleser; den kan også skrives ut på A4. ({seconds} s)").format(
        seconds=f"{time.perf_counter() - started:.1f}"))
    if open_:
        echo(open_in_default_program(files.pdf or files.html))


def register(app: typer.Typer) -> None:
    app.command("report", help=_(HELP), epilog=_(EXAMPLE))(report)
