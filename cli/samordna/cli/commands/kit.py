"""samordna kit: Excel answer forms for the workshop, slips with code and PIN, the paper ballot and the guide."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from samordna.cli.common import LangOpt, RoundOpt, WorkspaceDir, documents, echo, open_workspace
from samordna.i18n import N_, _, n_

HELP = N_("""Lag samlingssettet: svarskjema i Excel for hver deltaker, lapper med kode og PIN, et blankt skjema,
et papirskjema og en fasilitatorveiledning.""")


def kit(
    directory: WorkspaceDir,
    round_id: RoundOpt = None,
    participants: Annotated[int, typer.Option(
        "--participants", "-n", metavar=_("ANTALL"),
        help=_("Antall svarskjema med egen deltakerkode (fire tegn, for eksempel K7QX)."))] = 10,
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", metavar=_("MAPPE"),
        help=_("Mappen skjemaene og veiledningen skrives til. Standard: MAPPE/skjema/RUNDE."))] = None,
    pdf: Annotated[bool, typer.Option(
        "--pdf/--no-pdf", help=_("Lag også PDF av lappene, papirskjemaet og veiledningen (krever WeasyPrint). "
                                 "Uten: skriv ut HTML-filene fra nettleseren."))] = False,
    mirror: Annotated[bool, typer.Option(
        "--speil", help=_("Lag også speilet for ungdom og foreldre: et blankt Excel-skjema og et papirskjema per "
                          "rolle, uten navn og kode, og et avsnitt om speilet i veiledningen."))] = False,
    lang: LangOpt = None,
) -> None:
    """Write the workshop kit: personal Excel forms, slips with code and PIN, a blank form, the ballot, the guide."""
    from samordna.outputs.ballot import write_ballot
    from samordna.outputs.kit import SLIPS_PREFIX, default_out, make_kit

    ws = open_workspace(directory)
    rnd = ws.round(round_id)
    out = out or default_out(ws, rnd)
    mirror_forms: list[Path] = []
    mirror_ballots: list[Path] = []
    with documents(ws):  # forms, slips, ballot and guide in the municipality's language form (or --lang)
        codes, forms, papers = make_kit(ws, rnd, participants, out, pdf=pdf, guide=not mirror)
        ballots = write_ballot(rnd, out, pdf=pdf)
        if mirror:  # the guide with its section on the mirror, after the slips (as make_kit orders them)
            from samordna.outputs.guide import write_guide
            from samordna.outputs.mirror_kit import write_mirror_kit

            papers += write_guide(rnd, out, codes, pdf=pdf, mirror=True)
            mirror_forms, mirror_ballots = write_mirror_kit(rnd, out, pdf=pdf)
    slips = [p for p in papers if p.name.startswith(SLIPS_PREFIX)]
    guides = [p for p in papers if p not in slips]
    echo(_("Samlingssett for {name}, runde {round} ({bank}), i {folder}:").format(
        name=ws.name, round=rnd.id, bank=rnd.bank.label, folder=out))
    if codes:
        echo("  " + n_("{n} svarskjema med deltakerkoden {codes}", "{n} svarskjema med deltakerkodene {codes}",
                       len(codes)).format(n=len(codes), codes=", ".join(codes)))
    if slips:
        echo("  " + _("Lapper med kode og PIN til å klippe ut: {files}").format(files=", ".join(p.name for p in slips)))
    echo("  " + _("Blankt skjema til kopiering: {file}").format(file=forms[-1].name))
    if rnd.bank.legal_minimum:
        echo("  " + _("Skjemaene begynner med det juridiske minimumet: {n} spørsmål om det loven krever, som "
                      "besvares Ja, Nei eller Vet ikke.").format(n=len(rnd.bank.legal_minimum)))
    echo("  " + _("Papirskjema til utskrift (A4): {files}").format(files=", ".join(b.name for b in ballots)))
    for g in guides:
        echo("  " + _("Fasilitatorveiledning: {file}").format(file=g.name))
    if pdf and not any(g.suffix == ".pdf" for g in papers):
        echo("  " + _("(PDF er ikke laget: WeasyPrint mangler. Skriv ut HTML-filene fra nettleseren.)"))
    elif not pdf:
        echo("  " + _("Lappene, papirskjemaet og veiledningen er HTML: skriv dem ut fra nettleseren, eller lag PDF "
                      "med --pdf."))
    if mirror:
        _say_mirror(directory, out, mirror_forms, mirror_ballots)
    echo(_("Del ut kodene tilfeldig og aldri med navn. Les inn utfylte skjema med: {command}").format(
        command=f"samordna import {_quoted(directory)} {_quoted(out)}/svarskjema-*.xlsx"))
    echo(_("Svar på papir skrives inn per kode med: samordna assess {folder} -p KODE").format(
        folder=_quoted(directory)))


def _say_mirror(directory: Path, out: Path, forms: list[Path], ballots: list[Path]) -> None:
    """What the mirror's part of the kit holds, and how its answers come back."""
    from samordna.cli.common import shell_arg

    folder = forms[0].parent if forms else out
    echo(_("Speilet for ungdom og foreldre, i {folder}:").format(folder=folder))
    echo("  " + _("Blanke Excel-skjema, ett per rolle (én kopi per person, uten navn og kode): {files}").format(
        files=", ".join(p.name for p in forms)))
    echo("  " + _("Papirskjema til utskrift (A4), ett per rolle: {files}").format(
        files=", ".join(p.name for p in ballots)))
    echo("  " + _("Les inn utfylte skjema med: {command}").format(
        command=f"samordna import {shell_arg(directory)} " + _("FILER")))
    echo("  " + _("Papirskjemaene tastes inn med: {command}").format(
        command=f"samordna speilet {shell_arg(directory)} --papir"))
    echo("  " + _("Samme fil lest inn to ganger telles bare én gang (filen kjennes igjen på innholdet)."))


def _quoted(path: Path) -> str:
    """A path as it can be pasted into a shell (quoted when it has spaces or other special characters)."""
    import shlex

    return shlex.quote(str(path))


EPILOG = N_("Eksempel: samordna kit kommunen -n 12   (12 svarskjema, et blankt skjema, et papirskjema og veiledningen)")


def register(app: typer.Typer) -> None:
    app.command("kit", help=_(HELP), epilog=_(EPILOG))(kit)
