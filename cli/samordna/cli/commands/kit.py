"""samordna kit: Excel answer forms for the workshop, slips with code and PIN, the paper ballot and the guide."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from samordna.cli.common import RoundOpt, WorkspaceDir, echo, open_workspace


def kit(
    directory: WorkspaceDir,
    round_id: RoundOpt = None,
    participants: Annotated[int, typer.Option(
        "--participants", "-n", metavar="ANTALL",
        help="Antall svarskjema med egen deltakerkode (fire tegn, for eksempel K7QX).")] = 10,
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", metavar="MAPPE",
        help="Mappen skjemaene og veiledningen skrives til. Standard: MAPPE/skjema/RUNDE.")] = None,
    pdf: Annotated[bool, typer.Option(
        "--pdf/--no-pdf", help="Lag også PDF av lappene, papirskjemaet og veiledningen (krever WeasyPrint). "
        "Uten: skriv ut HTML-filene fra nettleseren.")] = False,
) -> None:
    """Lag samlingssettet: svarskjema i Excel for hver deltaker, lapper med kode og PIN, et blankt skjema,
    et papirskjema og en fasilitatorveiledning."""
    from samordna.outputs.ballot import write_ballot
    from samordna.outputs.kit import SLIPS_PREFIX, default_out, make_kit

    ws = open_workspace(directory)
    rnd = ws.round(round_id)
    out = out or default_out(ws, rnd)
    codes, forms, papers = make_kit(ws, rnd, participants, out, pdf=pdf)
    ballots = write_ballot(rnd, out, pdf=pdf)
    slips = [p for p in papers if p.name.startswith(SLIPS_PREFIX)]
    guides = [p for p in papers if p not in slips]
    echo(f"Samlingssett for {ws.name}, runde {rnd.id} ({rnd.bank.label}), i {out}:")
    if codes:
        echo(f"  {len(codes)} svarskjema med deltakerkodene {', '.join(codes)}" if len(codes) > 1
             else f"  1 svarskjema med deltakerkoden {codes[0]}")
    if slips:
        echo(f"  Lapper med kode og PIN til å klippe ut: {', '.join(p.name for p in slips)}")
    echo(f"  Blankt skjema til kopiering: {forms[-1].name}")
    if rnd.bank.legal_minimum:
        echo(f"  Skjemaene begynner med det juridiske minimumet: {len(rnd.bank.legal_minimum)} spørsmål "
             "om det loven krever, som besvares Ja, Nei eller Vet ikke.")
    echo(f"  Papirskjema til utskrift (A4): {', '.join(b.name for b in ballots)}")
    for g in guides:
        echo(f"  Fasilitatorveiledning: {g.name}")
    if pdf and not any(g.suffix == ".pdf" for g in papers):
        echo("  (PDF er ikke laget: WeasyPrint mangler. Skriv ut HTML-filene fra nettleseren.)")
    elif not pdf:
        echo("  Lappene, papirskjemaet og veiledningen er HTML: skriv dem ut fra nettleseren, eller lag PDF med --pdf.")
    echo("Del ut kodene tilfeldig og aldri med navn. Les inn utfylte skjema med: "
         f"samordna import {_quoted(directory)} {_quoted(out)}/svarskjema-*.xlsx")
    echo(f"Svar på papir skrives inn per kode med: samordna assess {_quoted(directory)} -p KODE")


def _quoted(path: Path) -> str:
    """A path as it can be pasted into a shell (quoted when it has spaces or other special characters)."""
    import shlex

    return shlex.quote(str(path))


EPILOG = "Eksempel: samordna kit kommunen -n 12   (12 svarskjema, et blankt skjema, et papirskjema og veiledningen)"


def register(app: typer.Typer) -> None:
    app.command("kit", epilog=EPILOG)(kit)
