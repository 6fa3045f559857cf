"""samordna round: open and list assessment rounds."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from samordna.cli.common import WorkspaceDir, echo, open_workspace

round_app = typer.Typer(help="Runder: én kartlegging, vanligvis én i året.", no_args_is_help=True,
                        options_metavar="[VALG]", subcommand_metavar="KOMMANDO [ARGUMENTER]...")


@round_app.command("new")
def new(
    directory: WorkspaceDir,
    year: Annotated[int | None, typer.Option("--year", "-y", help="Året runden gjelder. Standard: i år.", metavar="ÅR")] = None,
    bank: Annotated[Path | None, typer.Option("--bank", help="En egen spørsmålsbank (YAML). Standard: bankene som følger med.",
                                              metavar="FIL")] = None,
) -> None:
    """Åpne en ny runde med gjeldende spørsmålsbank. Banken kopieres inn i runden, så runden kan leses også når banken endres senere. Har arbeidsområdet egne påstander i lokale-tillegg.yaml, sjekkes filen mot banken og kopieres inn også."""  # noqa: E501 (rich keeps a docstring's line breaks)
    ws = open_workspace(directory)
    rnd = ws.new_round(year=year, bank_path=bank)
    echo(f"Åpnet runde {rnd.id} for {ws.name} med spørsmålsbanken {rnd.bank.label} "
         f"({len(rnd.bank.indicators)} påstander i {len(rnd.bank.domains)} områder).")
    if rnd.local_path.exists():
        from samordna.core.local import describe
        from samordna.io.localfile import read_local

        add, _ = read_local(rnd.local_path)
        echo(f"Lokale tillegg fra {add.owner}: {describe(add)}.")
    from samordna.io.plan_reader import previous_plan_lines  # what was done in last round's action plan

    for line in previous_plan_lines(ws, rnd):
        echo(line)
    echo("Neste steg: samordna assess (i terminalen) eller samordna kit (svarskjema i Excel).")


@round_app.command("list")
def list_rounds(directory: WorkspaceDir) -> None:
    """Vis rundene i arbeidsområdet."""
    ws = open_workspace(directory)
    ids = ws.round_ids()
    if not ids:
        echo(f"{ws.name} har ingen runder ennå.")
        return
    for rnd in ws.rounds():
        n = len(rnd.participant_codes())
        cons = "konsensus registrert" if rnd.consensus_path.exists() else "ingen konsensus ennå"
        local = f" + lokale tillegg fra {rnd.info.local_additions}" if rnd.info.local_additions else ""
        echo(f"{rnd.id}: åpnet {rnd.info.opened.isoformat()}, bank {rnd.info.bank.id} {rnd.info.bank.version}{local}, "
             f"{n} deltakere, {cons}")


def register(app: typer.Typer) -> None:
    app.add_typer(round_app, name="round")
