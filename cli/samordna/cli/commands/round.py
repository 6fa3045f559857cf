"""samordna round: open, list, delete and restore assessment rounds."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from samordna.cli.common import RoundOpt, WorkspaceDir, echo, open_workspace

if TYPE_CHECKING:
    from samordna.io.workspace import RoundExistsError, Workspace

round_app = typer.Typer(
    help="Runder: én kartlegging, vanligvis én i året.", no_args_is_help=True,
    options_metavar="[VALG]", subcommand_metavar="KOMMANDO [ARGUMENTER]...",
    epilog="Eksempel: samordna round list eksempeldal",
)

NEW_EXAMPLE = ("Eksempel: samordna round new eksempeldal --year 2027\n\n"
               "Har året en runde fra før, stopper kommandoen og sier hvordan du fortsetter den. "
               "En runde til samme år (2027-2) åpnes bare med --ekstra.")
DELETE_EXAMPLE = ("Eksempel: samordna round delete eksempeldal --round 2026-2\n\n"
                  "Runden flyttes til MAPPE/slettede-runder/ og kan legges tilbake med samordna round restore.")
RESTORE_EXAMPLE = "Eksempel: samordna round restore eksempeldal 2026-2"
NO_TERMINAL_DELETE = ("Kommandoen spør om du er sikker før runden slettes, og må kjøres i en terminal. "
                      "I et skript: legg til --ja.")


def shown(path: Path | str) -> str:
    """A folder as it can be pasted into a terminal (bash, PowerShell, cmd): in double quotes when needed."""
    text = str(path)
    return text if re.fullmatch(r"[\w./:\\+-]+", text) else f'"{text}"'


def restore_arg(name: str, round_id: str, ws: Workspace) -> str:
    """What to give ``round restore`` for a deleted round: its id when only one deleted round has it, else the folder."""
    return round_id if sum(d.id == round_id for d in ws.deleted_rounds()) == 1 else name


def commands(rows: list[tuple[str, str]]) -> list[str]:
    """Commands to paste, one a line, with what each does in brackets lined up after them."""
    width = max(len(cmd) for cmd, _ in rows)
    return [f"  {cmd.ljust(width)}   ({why})" for cmd, why in rows]


def participants(n: int) -> str:
    return f"{n} deltaker" if n == 1 else f"{n} deltakere"


@round_app.command("new", epilog=NEW_EXAMPLE)
def new(
    directory: WorkspaceDir,
    year: Annotated[int | None, typer.Option("--year", "-y", help="Året runden gjelder. Standard: i år.", metavar="ÅR")] = None,
    bank: Annotated[Path | None, typer.Option("--bank", help="En egen spørsmålsbank (YAML). Standard: bankene som følger med.",
                                              metavar="FIL")] = None,
    extra: Annotated[bool, typer.Option(
        "--ekstra", help="Åpne en runde til i et år som allerede har en (den får navnet ÅR-2). Sjelden det du vil: "
                         "uten valget fortsetter dere rundene som finnes.")] = False,
) -> None:
    """Åpne en ny runde med gjeldende spørsmålsbank. Banken kopieres inn i runden, så runden kan leses også når banken endres senere. Har arbeidsområdet egne påstander i lokale-tillegg.yaml, sjekkes filen mot banken og kopieres inn også."""  # noqa: E501 (rich keeps a docstring's line breaks)
    from samordna.io.workspace import RoundExistsError

    ws = open_workspace(directory)
    try:
        rnd = ws.new_round(year=year, bank_path=bank, extra=extra)
    except RoundExistsError as exc:
        _refuse_second_round(ws, directory, exc)
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
    if "-" in rnd.id:
        echo(f"Runde {rnd.id} er nå den nyeste og brukes når du ikke velger runde med --round.")
    folder = shown(directory)
    echo("Neste steg:")
    for line in commands([(f"samordna assess {folder}", "svar i terminalen"),
                          (f"samordna kit {folder}", "svarskjema i Excel til samlingen")]):
        echo(line)


def _refuse_second_round(ws: Workspace, directory: Path, exc: RoundExistsError) -> NoReturn:
    """Exit 2 with what the user most likely wants: continue the year's round (nothing is written)."""
    from samordna.core.errors import SamordnaError

    folder = shown(directory)
    rid, n = exc.existing[-1]
    pick = "" if rid == ws.round_ids()[-1] else f" --round {rid}"
    if len(exc.existing) == 1:
        head = f"Runde {rid} finnes allerede for {ws.name} ({participants(n)})."
    else:
        listed = ", ".join(f"{r} ({participants(k)})" for r, k in exc.existing)
        head = f"{exc.year} har allerede {len(exc.existing)} runder for {ws.name}: {listed}."
    lines = [f"{head} Ingenting er endret.", "",
             f"Vil dere fortsette runde {rid}?",
             *commands([(f"samordna assess {folder}{pick}", "svar i terminalen"),
                        (f"samordna kit {folder}{pick}", "svarskjema i Excel"),
                        (f"samordna score {folder}{pick}", "resultatet så langt")])]
    if n == 0:
        lines += ["", f"Ble runde {rid} åpnet ved en feil (for eksempel med feil bank)? Slett den først, så kan du "
                      "åpne den på nytt:",
                  f"  samordna round delete {folder} --round {rid}"]
    lines += ["", f"Bare hvis dere virkelig trenger en runde til i {exc.year}, åpne runde {exc.next_id} med:",
              f"  samordna round new {folder} --year {exc.year} --ekstra"]
    raise SamordnaError("\n".join(lines), path=ws.rounds_dir)


@round_app.command("list", epilog="Eksempel: samordna round list eksempeldal")
def list_rounds(directory: WorkspaceDir) -> None:
    """Vis rundene i arbeidsområdet, og runder som er slettet (de kan legges tilbake)."""
    from samordna.io.workspace import DELETED_DIR

    ws = open_workspace(directory)
    ids = ws.round_ids()
    deleted = ws.deleted_rounds()
    if not ids:
        echo(f"{ws.name} har ingen runder ennå. Åpne en med: samordna round new {shown(directory)}")
    for rnd in ws.rounds():
        n = len(rnd.participant_codes())
        cons = "konsensus registrert" if rnd.consensus_path.exists() else "ingen konsensus ennå"
        local = f" + lokale tillegg fra {rnd.info.local_additions}" if rnd.info.local_additions else ""
        default = " (standard når --round ikke er valgt)" if rnd.id == ids[-1] else ""
        echo(f"{rnd.id}: åpnet {rnd.info.opened.isoformat()}, bank {rnd.info.bank.id} {rnd.info.bank.version}{local}, "
             f"{participants(n)}, {cons}{default}")
    if ids:
        note = ws.default_round_note()
        if note:
            echo(f"Merk: {note}")
    if deleted:
        echo("")
        echo(f"Slettet (ligger i {DELETED_DIR}/, telles ikke med og kan legges tilbake):")
        for d in deleted:
            when = f"slettet {d.deleted:%Y-%m-%d %H:%M}, " if d.deleted else ""
            echo(f"  {d.id}: {when}åpnet {d.opened.isoformat()}, {participants(d.n_participants)} "
                 f"(mappen {d.path.name})")
        echo("Legg tilbake med:")
        for d in deleted:
            echo(f"  samordna round restore {shown(directory)} {restore_arg(d.path.name, d.id, ws)}")


@round_app.command("delete", epilog=DELETE_EXAMPLE)
def delete(
    directory: WorkspaceDir,
    round_id: Annotated[str, typer.Option("--round", "-r", help="Runden som skal slettes (for eksempel 2026-2).",
                                          metavar="RUNDE", show_default=False)],
    yes: Annotated[bool, typer.Option("--ja", "--yes", help="Ikke spør om du er sikker (for skript).")] = False,
) -> None:
    """Slett en runde: hele runde-mappen flyttes til MAPPE/slettede-runder/, der ingenting telles med. Ingenting fjernes, og runden kan legges tilbake med samordna round restore."""  # noqa: E501 (rich keeps a docstring's line breaks)
    from samordna.ui import prompter as ui_prompter

    ws = open_workspace(directory)
    rnd = ws.round(round_id)  # an unknown id or a folder that is no round: a clear message, nothing asked
    n = len(rnd.participant_codes())
    what = [participants(n)]
    if rnd.consensus_path.exists():
        what.append("konsensus")
    if rnd.priorities_path.exists():
        what.append("prioriteringer")
    if not yes:
        prompter = ui_prompter.terminal_prompter(NO_TERMINAL_DELETE)
        question = (f"Slette runde {rnd.id} for {ws.name} ({', '.join(what)})? "
                    f"Den flyttes til {ws.deleted_dir.name}/ og kan legges tilbake.")
        if not prompter.confirm(question, default=False):
            echo("Ingenting er slettet.")
            return
    target = ws.delete_round(rnd.id)
    folder = shown(directory)
    echo(f"Runde {rnd.id} er slettet: mappen er flyttet til {target}.")
    echo(f"Legg den tilbake med: samordna round restore {folder} {restore_arg(target.name, rnd.id, ws)}")
    same_year = ws.rounds_of_year(rnd.year)
    if not same_year and rnd.plan_path.exists():
        echo(f"Handlingsplanen for {rnd.year} ({rnd.plan_path.name}) er ikke rørt.")
    ids = ws.round_ids()
    if ids:
        echo(f"Nå bruker kommandoene runde {ids[-1]} når du ikke velger en annen med --round.")
    else:
        echo(f"{ws.name} har ingen runder nå. Åpne en med: samordna round new {folder}")


@round_app.command("restore", epilog=RESTORE_EXAMPLE)
def restore(
    directory: WorkspaceDir,
    which: Annotated[str, typer.Argument(
        help="Den slettede runden: mappenavnet i slettede-runder/ (se samordna round list), eller rundens navn "
             "når den bare er slettet én gang.", metavar="SLETTET", show_default=False)],
) -> None:
    """Legg en slettet runde tilbake i runder/. Nektes hvis det finnes en runde med samme navn."""
    ws = open_workspace(directory)
    rnd = ws.restore_round(which)
    echo(f"Runde {rnd.id} er lagt tilbake ({participants(len(rnd.participant_codes()))}).")
    note = ws.default_round_note()
    echo(f"Merk: {note}" if note else f"Kommandoene bruker runde {ws.round_ids()[-1]} når du ikke velger en annen "
                                      "med --round.")


@round_app.command("pin", epilog="Eksempel: samordna round pin eksempeldal --code K7QX")
def pin(
    directory: WorkspaceDir,
    code: Annotated[str, typer.Option("--code", "-p", help="Deltakerkoden som har mistet lappen sin.",
                                      metavar="KODE", show_default=False)],
    round_id: RoundOpt = None,
) -> None:
    """Gi en deltaker som har mistet lappen sin, en ny PIN-kode. Den gamle slutter å virke. Gi den nye PIN-koden til personen selv, og skriv den ikke ned noe annet sted."""  # noqa: E501 (rich keeps a docstring's line breaks)
    from samordna.io.pins import new_pin as make_new_pin

    ws = open_workspace(directory)
    rnd = ws.round(round_id)
    fresh = make_new_pin(rnd, code.strip().upper())
    echo(f"Ny PIN-kode for {code.strip().upper()} i runde {rnd.id}: {fresh}")
    echo("Den gamle PIN-koden virker ikke lenger. Gi den nye til personen selv; samordna lagrer bare en hash av den.")


def register(app: typer.Typer) -> None:
    app.add_typer(round_app, name="round")
