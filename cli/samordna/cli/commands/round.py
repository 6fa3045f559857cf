"""samordna round: open, list, delete and restore assessment rounds."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from samordna.cli.common import RoundOpt, WorkspaceDir, echo, open_workspace
from samordna.i18n import N_, _, n_

if TYPE_CHECKING:
    from samordna.io.workspace import RoundExistsError, Workspace

round_app = typer.Typer(
    help=_("Runder: én kartlegging, vanligvis én i året."), no_args_is_help=True,
    options_metavar=_("[VALG]"), subcommand_metavar=_("KOMMANDO [ARGUMENTER]..."),
    epilog=_("Eksempel: samordna round list eksempeldal"),
)

NEW_EXAMPLE = N_("Eksempel: samordna round new eksempeldal --year 2027\n\n"
               "Har året en runde fra før, stopper kommandoen og sier hvordan du fortsetter den. "
               "En runde til samme år (2027-2) åpnes bare med --ekstra.")
DELETE_EXAMPLE = N_("Eksempel: samordna round delete eksempeldal --round 2026-2\n\n"
                  "Runden flyttes til MAPPE/slettede-runder/ og kan legges tilbake med samordna round restore.")
RESTORE_EXAMPLE = N_("Eksempel: samordna round restore eksempeldal 2026-2")
NO_TERMINAL_DELETE = N_("Kommandoen spør om du er sikker før runden slettes, og må kjøres i en terminal. "
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
    width = max(len(cmd) for cmd, _why in rows)
    return [f"  {cmd.ljust(width)}   ({why})" for cmd, why in rows]


def participants(n: int) -> str:
    return n_("{n} deltaker", "{n} deltakere", n).format(n=n)


NEW_HELP = N_("Åpne en ny runde med gjeldende spørsmålsbank. Banken kopieres inn i runden, så runden kan leses også når banken endres senere. Har arbeidsområdet egne påstander i lokale-tillegg.yaml, sjekkes filen mot banken og kopieres inn også.")  # noqa: E501
LIST_HELP = N_("Vis rundene i arbeidsområdet, og runder som er slettet (de kan legges tilbake).")
DELETE_HELP = N_("Slett en runde: hele runde-mappen flyttes til MAPPE/slettede-runder/, der ingenting telles med. Ingenting fjernes, og runden kan legges tilbake med samordna round restore.")  # noqa: E501
RESTORE_HELP = N_("Legg en slettet runde tilbake i runder/. Nektes hvis det finnes en runde med samme navn.")
PIN_HELP = N_("Gi en deltaker som har mistet lappen sin, en ny PIN-kode. Den gamle slutter å virke. Gi den nye PIN-koden til personen selv, og skriv den ikke ned noe annet sted.")  # noqa: E501


@round_app.command("new", help=_(NEW_HELP), epilog=_(NEW_EXAMPLE))
def new(
    directory: WorkspaceDir,
    year: Annotated[int | None, typer.Option("--year", "-y", help=_("Året runden gjelder. Standard: i år."),
                                             metavar=_("ÅR"))] = None,
    bank: Annotated[Path | None, typer.Option("--bank", help=_("En egen spørsmålsbank (YAML). Standard: bankene som følger med."),
                                              metavar=_("FIL"))] = None,
    extra: Annotated[bool, typer.Option(
        "--ekstra", help=_("Åpne en runde til i et år som allerede har en (den får navnet ÅR-2). Sjelden det du vil: "
                           "uten valget fortsetter dere rundene som finnes."))] = False,
) -> None:
    """Open a new round (the bank and any local additions are copied into it)."""
    from samordna.io.workspace import RoundExistsError

    ws = open_workspace(directory)
    try:
        rnd = ws.new_round(year=year, bank_path=bank, extra=extra)
    except RoundExistsError as exc:
        _refuse_second_round(ws, directory, exc)
    echo(_("Åpnet runde {round} for {name} med spørsmålsbanken {bank} ({n} påstander i {domains} områder).").format(
        round=rnd.id, name=ws.name, bank=rnd.bank.label, n=len(rnd.bank.indicators), domains=len(rnd.bank.domains)))
    if rnd.local_path.exists():
        from samordna.core.local import describe
        from samordna.io.localfile import read_local

        add, _warnings = read_local(rnd.local_path)
        echo(_("Lokale tillegg fra {owner}: {what}.").format(owner=add.owner, what=describe(add)))
    from samordna.io.plan_reader import previous_plan_lines  # what was done in last round's action plan

    for line in previous_plan_lines(ws, rnd):
        echo(line)
    if "-" in rnd.id:
        echo(_("Runde {round} er nå den nyeste og brukes når du ikke velger runde med --round.").format(round=rnd.id))
    folder = shown(directory)
    echo(_("Neste steg:"))
    for line in commands([(f"samordna assess {folder}", _("svar i terminalen")),
                          (f"samordna kit {folder}", _("svarskjema i Excel til samlingen"))]):
        echo(line)


def _refuse_second_round(ws: Workspace, directory: Path, exc: RoundExistsError) -> NoReturn:
    """Exit 2 with what the user most likely wants: continue the year's round (nothing is written)."""
    from samordna.core.errors import SamordnaError

    folder = shown(directory)
    rid, n = exc.existing[-1]
    pick = "" if rid == ws.round_ids()[-1] else f" --round {rid}"
    if len(exc.existing) == 1:
        head = _("Runde {round} finnes allerede for {name} ({participants}).").format(
            round=rid, name=ws.name, participants=participants(n))
    else:
        listed = ", ".join(f"{r} ({participants(k)})" for r, k in exc.existing)
        head = _("{year} har allerede {n} runder for {name}: {listed}.").format(
            year=exc.year, n=len(exc.existing), name=ws.name, listed=listed)
    lines = [_("{head} Ingenting er endret.").format(head=head), "",
             _("Vil dere fortsette runde {round}?").format(round=rid),
             *commands([(f"samordna assess {folder}{pick}", _("svar i terminalen")),
                        (f"samordna kit {folder}{pick}", _("svarskjema i Excel")),
                        (f"samordna score {folder}{pick}", _("resultatet så langt"))])]
    if n == 0:
        lines += ["", _("Ble runde {round} åpnet ved en feil (for eksempel med feil bank)? Slett den først, så kan du "
                        "åpne den på nytt:").format(round=rid),
                  f"  samordna round delete {folder} --round {rid}"]
    lines += ["", _("Bare hvis dere virkelig trenger en runde til i {year}, åpne runde {next} med:").format(
                  year=exc.year, next=exc.next_id),
              f"  samordna round new {folder} --year {exc.year} --ekstra"]
    raise SamordnaError("\n".join(lines), path=ws.rounds_dir)


@round_app.command("list", help=_(LIST_HELP), epilog=_("Eksempel: samordna round list eksempeldal"))
def list_rounds(directory: WorkspaceDir) -> None:
    """List the rounds, and the deleted ones."""
    from samordna.io.workspace import DELETED_DIR

    ws = open_workspace(directory)
    ids = ws.round_ids()
    deleted = ws.deleted_rounds()
    if not ids:
        echo(_("{name} har ingen runder ennå. Åpne en med: samordna round new {folder}").format(
            name=ws.name, folder=shown(directory)))
    for rnd in ws.rounds():
        n = len(rnd.participant_codes())
        cons = _("konsensus registrert") if rnd.consensus_path.exists() else _("ingen konsensus ennå")
        local = _(" + lokale tillegg fra {owner}").format(owner=rnd.info.local_additions) if rnd.info.local_additions else ""
        default = _(" (standard når --round ikke er valgt)") if rnd.id == ids[-1] else ""
        echo(_("{round}: åpnet {opened}, bank {bank} {version}{local}, {participants}, {consensus}{default}").format(
            round=rnd.id, opened=rnd.info.opened.isoformat(), bank=rnd.info.bank.id, version=rnd.info.bank.version,
            local=local, participants=participants(n), consensus=cons, default=default))
    if ids:
        note = ws.default_round_note()
        if note:
            echo(_("Merk: {note}").format(note=note))
    if deleted:
        echo("")
        echo(_("Slettet (ligger i {folder}/, telles ikke med og kan legges tilbake):").format(folder=DELETED_DIR))
        for d in deleted:
            when = _("slettet {time}, ").format(time=f"{d.deleted:%Y-%m-%d %H:%M}") if d.deleted else ""
            echo("  " + _("{round}: {when}åpnet {opened}, {participants} (mappen {folder})").format(
                round=d.id, when=when, opened=d.opened.isoformat(), participants=participants(d.n_participants),
                folder=d.path.name))
        echo(_("Legg tilbake med:"))
        for d in deleted:
            echo(f"  samordna round restore {shown(directory)} {restore_arg(d.path.name, d.id, ws)}")


@round_app.command("delete", help=_(DELETE_HELP), epilog=_(DELETE_EXAMPLE))
def delete(
    directory: WorkspaceDir,
    round_id: Annotated[str, typer.Option("--round", "-r", help=_("Runden som skal slettes (for eksempel 2026-2)."),
                                          metavar=_("RUNDE"), show_default=False)],
    yes: Annotated[bool, typer.Option("--ja", "--yes", help=_("Ikke spør om du er sikker (for skript)."))] = False,
) -> None:
    """Delete a round: its folder moves to slettede-runder/ and can be restored."""
    from samordna.ui import prompter as ui_prompter

    ws = open_workspace(directory)
    rnd = ws.round(round_id)  # an unknown id or a folder that is no round: a clear message, nothing asked
    n = len(rnd.participant_codes())
    what = [participants(n)]
    if rnd.consensus_path.exists():
        what.append(_("konsensus"))
    if rnd.priorities_path.exists():
        what.append(_("prioriteringer"))
    if not yes:
        prompter = ui_prompter.terminal_prompter(_(NO_TERMINAL_DELETE))
        question = _("Slette runde {round} for {name} ({what})? Den flyttes til {folder}/ og kan legges tilbake.").format(
            round=rnd.id, name=ws.name, what=", ".join(what), folder=ws.deleted_dir.name)
        if not prompter.confirm(question, default=False):
            echo(_("Ingenting er slettet."))
            return
    target = ws.delete_round(rnd.id)
    folder = shown(directory)
    echo(_("Runde {round} er slettet: mappen er flyttet til {target}.").format(round=rnd.id, target=target))
    echo(_("Legg den tilbake med: samordna round restore {folder} {which}").format(
        folder=folder, which=restore_arg(target.name, rnd.id, ws)))
    same_year = ws.rounds_of_year(rnd.year)
    if not same_year and rnd.plan_path.exists():
        echo(_("Handlingsplanen for {year} ({file}) er ikke rørt.").format(year=rnd.year, file=rnd.plan_path.name))
    ids = ws.round_ids()
    if ids:
        echo(_("Nå bruker kommandoene runde {round} når du ikke velger en annen med --round.").format(round=ids[-1]))
    else:
        echo(_("{name} har ingen runder nå. Åpne en med: samordna round new {folder}").format(name=ws.name, folder=folder))


@round_app.command("restore", help=_(RESTORE_HELP), epilog=_(RESTORE_EXAMPLE))
def restore(
    directory: WorkspaceDir,
    which: Annotated[str, typer.Argument(
        help=_("Den slettede runden: mappenavnet i slettede-runder/ (se samordna round list), eller rundens navn "
               "når den bare er slettet én gang."), metavar=_("SLETTET"), show_default=False)],
) -> None:
    """Put a deleted round back."""
    ws = open_workspace(directory)
    rnd = ws.restore_round(which)
    echo(_("Runde {round} er lagt tilbake ({participants}).").format(
        round=rnd.id, participants=participants(len(rnd.participant_codes()))))
    note = ws.default_round_note()
    echo(_("Merk: {note}").format(note=note) if note else
         _("Kommandoene bruker runde {round} når du ikke velger en annen med --round.").format(round=ws.round_ids()[-1]))


@round_app.command("pin", help=_(PIN_HELP), epilog=_("Eksempel: samordna round pin eksempeldal --code K7QX"))
def pin(
    directory: WorkspaceDir,
    code: Annotated[str, typer.Option("--code", "-p", help=_("Deltakerkoden som har mistet lappen sin."),
                                      metavar=_("KODE"), show_default=False)],
    round_id: RoundOpt = None,
) -> None:
    """Give a participant a new PIN (the old one stops working)."""
    from samordna.io.pins import new_pin as make_new_pin

    ws = open_workspace(directory)
    rnd = ws.round(round_id)
    fresh = make_new_pin(rnd, code.strip().upper())
    echo(_("Ny PIN-kode for {code} i runde {round}: {pin}").format(code=code.strip().upper(), round=rnd.id, pin=fresh))
    echo(_("Den gamle PIN-koden virker ikke lenger. Gi den nye til personen selv; samordna lagrer bare en hash av den."))


def register(app: typer.Typer) -> None:
    app.add_typer(round_app, name="round")
