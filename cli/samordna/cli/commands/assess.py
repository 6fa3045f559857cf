"""samordna assess: guided answering in the terminal, or answers from a file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from samordna.cli.common import LangOpt, RoundOpt, WorkspaceDir, echo, open_workspace
from samordna.core.errors import SamordnaError
from samordna.i18n import N_, _, n_

if TYPE_CHECKING:
    from samordna.core.models import ParticipantFile
    from samordna.io.workspace import Round, Workspace
    from samordna.ui.prompter import Prompter


def _dir(directory: Path) -> str:
    d = str(directory)
    return f'"{d}"' if any(ch.isspace() for ch in d) else d


def _continue_hint(directory: Path, rnd: Round, ws: Workspace, code: str) -> str:
    d = _dir(directory)
    round_part = "" if rnd.id == ws.round_ids()[-1] else f" --round {rnd.id}"
    return f"samordna assess {d}{round_part} --participant {code}"


def assess(
    directory: WorkspaceDir,
    round_id: RoundOpt = None,
    participant: Annotated[str | None, typer.Option(
        "--participant", "-p", metavar=_("KODE"),
        help=_("Deltakerkoden din fra lappen, for eksempel K7QX. Aldri navn. Mangler den, blir du spurt."))] = None,
    sector: Annotated[str | None, typer.Option(
        "--sector", "-s", metavar=_("SEKTOR"),
        help=_("Sektoren din (id eller navn fra sektorlisten, for eksempel barnehage). Mangler den, blir du spurt."))] = None,
    review: Annotated[bool, typer.Option("--review", help=_("Gå gjennom svarene du har gitt, og endre dem."))] = False,
    answers: Annotated[Path | None, typer.Option(
        "--answers", metavar=_("FIL"),
        help=_("Fyll inn svar fra en fil (YAML eller CSV) uten å bli spurt. "
               "Filen sjekkes først; ved feil lagres ingenting."))] = None,
    overwrite: Annotated[bool, typer.Option(
        "--overwrite", help=_("Med --answers: erstatt svar som allerede er gitt og er annerledes i filen."))] = False,
    pin: Annotated[str | None, typer.Option(
        "--pin", metavar=_("PIN"),
        help=_("PIN-koden fra lappen din, for skript. Uten den blir du spurt når den trengs: "
               "for å fortsette eller endre svar som allerede er lagret under koden."))] = None,
    lang: LangOpt = None,
) -> None:
    """Answer the statements in the terminal one by one (each answer saved at once), or from a file."""
    from samordna.core.codes import normalize_code
    from samordna.flows import assess as flow

    ws = open_workspace(directory)
    rnd = ws.round(round_id)
    if participant is not None:
        participant = normalize_code(participant)
        problem = flow.participant_code_problem(rnd, participant)
        if problem:
            raise SamordnaError(_("--participant: {problem}.").format(problem=problem))
    sector_id = flow.resolve_sector(ws.sectors, sector) if sector is not None else None
    if answers is not None:
        if review:
            raise SamordnaError(_("--review og --answers kan ikke brukes sammen."))
        _from_file(rnd, answers, participant, sector_id, overwrite, pin)
        return
    if overwrite:
        raise SamordnaError(_("--overwrite brukes bare sammen med --answers."))
    if participant is not None and pin is not None:  # a wrong --pin is refused before a terminal is needed
        flow.check_access(rnd, participant, pin)

    _interactive(directory, ws, rnd, participant, sector_id, review, pin)


def _pin_asker(p: Prompter) -> Callable[[str], str]:
    """How to ask for a PIN: hidden in a terminal; any other prompter (a script, a test) through its text prompt."""
    from samordna.ui import prompter

    if isinstance(p, prompter.QuestionaryPrompter):
        import getpass

        return lambda message: getpass.getpass(message + " ")
    return lambda message: p.text(message)


def _find_participant(p: Prompter, directory: Path, ws: Workspace, rnd: Round, participant: str | None,
                      sector_id: str | None, review: bool, pin: str | None) -> ParticipantFile | None:
    """The participant file to answer in (asking for code, PIN and sector when needed); None if the user quits.

    A code with a PIN and saved answers opens only with the right PIN, before anything of them is shown."""
    from samordna.flows import assess as flow
    from samordna.ui.prompter import Choice

    if participant:
        flow.check_access(rnd, participant, pin, ask=_pin_asker(p), say=p.say)
    pf = flow.existing_participant(rnd, participant, sector_id) if participant else None
    if pf is not None:
        return pf
    if not review:
        p.say(flow.intro_text(rnd))
        p.say("")
        if not p.select(_("Klar til å begynne?"), [Choice(_("Begynn"), True), Choice(_("Avslutt"), False)],
                        instruction=_(flow.SELECT_HINT)):
            echo(_("Ingenting er lagret. Start når du vil med: samordna assess {folder}").format(folder=_dir(directory)))
            return None
    code = participant or flow.ask_code(p, rnd)
    if not participant:
        flow.check_access(rnd, code, pin, ask=_pin_asker(p), say=p.say)
    pf = flow.existing_participant(rnd, code, sector_id)
    if pf is None and review:
        raise SamordnaError(_("{code} har ingen svar i runde {round} ennå. Start med: {command}")
                            .format(code=code, round=rnd.id, command=_continue_hint(directory, rnd, ws, code)))
    if pf is None:
        pf = rnd.new_participant(code, sector_id or flow.ask_sector(p, ws.sectors), source="assess")
    return pf


def _interactive(directory: Path, ws: Workspace, rnd: Round, participant: str | None, sector_id: str | None,
                 review: bool, pin: str | None) -> None:
    """Ask statement by statement in the terminal (or review); Ctrl-C and «pause» keep what is saved."""
    from samordna.flows import assess as flow
    from samordna.ui import prompter

    session = None
    try:
        p = prompter.terminal_prompter(
            _("samordna assess spør i terminalen, men her er det ingen terminal å spørre i. "
              "Kjør kommandoen i et terminalvindu, eller fyll inn svarene fra en fil med --answers FIL."))
        pf = _find_participant(p, directory, ws, rnd, participant, sector_id, review, pin)
        if pf is None:
            return
        session = flow.AssessSession(rnd, pf, p)
        n = len(session.inds)
        if review:
            session.review()
            session.summary()
        else:
            if pf.answers:
                first = session.first_open()
                where = (_(" Vi fortsetter med det første ubesvarte: {id}.").format(id=session.inds[first].id)
                         if first is not None else _(" Du har svart på alt; her er oppsummeringen."))
                p.say(flow.wrap(_("Velkommen tilbake, {code} ({sector}). Du har svart på {n} av {total}.")
                                .format(code=pf.participant, sector=ws.sectors.name(pf.sector),
                                        n=session.n_answered, total=n) + where))
            session.run()
        echo(_("Takk! Svarene dine ({n} av {total}) er lagret i {file}.")
             .format(n=session.n_answered, total=n, file=rnd.participant_path(pf.participant)))
    except (KeyboardInterrupt, EOFError, flow.Paused) as exc:
        paused = isinstance(exc, flow.Paused)
        if session is None or not session.pf.answers:
            echo("\n" + _("Avbrutt. Ingen svar er lagret ennå."))
        else:
            message = (_("Pause. Svarene dine er lagret ({n} av {total}).") if paused
                       else _("Avbrutt. Svarene dine er lagret ({n} av {total})."))
            echo("\n" + message.format(n=session.n_answered, total=len(session.inds)) + "\n"
                 + _("Fortsett med: {command}").format(
                     command=_continue_hint(directory, rnd, ws, session.pf.participant)))
        raise typer.Exit(0 if paused else 130) from None


def _from_file(rnd: Round, path: Path, participant: str | None, sector_id: str | None, overwrite: bool,
               pin: str | None) -> None:
    from samordna.core.codes import normalize_code
    from samordna.flows import assess as flow
    from samordna.io.answerfile import merge_answers, read_answers_file

    ws = rnd.workspace
    data = read_answers_file(path, rnd.bank, ws.sectors)
    code = participant or (normalize_code(data.participant) if data.participant else None)
    if code is None:
        raise SamordnaError(_("{file}: hvem svarene gjelder mangler. Bruk --participant KODE, eller skriv "
                              "«participant: KODE» øverst i filen.").format(file=path), path=path)
    problem = flow.participant_code_problem(rnd, code)
    if problem:
        raise SamordnaError(_("{file}: {problem}. Ingenting er lagret.").format(file=path, problem=problem), path=path)
    flow.check_access(rnd, code, pin)  # saved answers under a code with a PIN: only with --pin
    if participant and data.participant and participant != normalize_code(data.participant):
        raise SamordnaError(_("{file}: filen gjelder deltaker {code}, men --participant er {participant}. "
                              "Ingenting er lagret.").format(file=path, code=data.participant, participant=participant),
                            path=path)
    if sector_id and data.sector and sector_id != data.sector:
        raise SamordnaError(_("{file}: filen oppgir sektoren {sector}, men --sector er {given}. "
                              "Ingenting er lagret.").format(file=path, sector=data.sector, given=sector_id), path=path)
    sector_id = sector_id or data.sector
    changed: list[str] = []

    def change(current: ParticipantFile | None) -> ParticipantFile:  # under the lock, with the file as it is now
        if current is not None:
            flow.check_sector(rnd, current, sector_id)
            pf = current
        elif sector_id is None:
            raise SamordnaError(_("{file}: sektoren mangler for den nye deltakeren {code}. Bruk --sector, "
                                  "eller skriv «sector: ...» i filen.").format(file=path, code=code), path=path)
        else:
            pf = rnd.new_participant(code, sector_id, source="fil")
        changed[:] = merge_answers(pf, data, rnd.bank, overwrite=overwrite)
        return pf

    pf = rnd.update_participant(code, change, command="samordna assess")
    saved = rnd.participant_path(code)
    for w in data.warnings:
        echo(_("Advarsel: {warning}").format(warning=w), err=True)
    n = len(rnd.bank.item_ids)  # the legal minimum and the indicators
    k = len(data.answers)
    message = (n_("Lagret {n} svar fra {file} for {code} i runde {round}, {changed} av dem endret. "
                  "{code} har nå svart på {answered} av {total}. Filen: {path}",
                  "Lagret {n} svar fra {file} for {code} i runde {round}, {changed} av dem endret. "
                  "{code} har nå svart på {answered} av {total}. Filen: {path}", k) if changed else
               n_("Lagret {n} svar fra {file} for {code} i runde {round}. "
                  "{code} har nå svart på {answered} av {total}. Filen: {path}",
                  "Lagret {n} svar fra {file} for {code} i runde {round}. "
                  "{code} har nå svart på {answered} av {total}. Filen: {path}", k))
    echo(message.format(n=k, file=path.name, code=code, round=rnd.id, changed=len(changed),
                        answered=len(pf.answers), total=n, path=saved))


EPILOG = N_("Eksempel: samordna assess kommunen -p K7QX   (svar med koden fra lappen din; kjør samme kommando "
            "igjen for å fortsette, eller legg til --review for å endre svar. Da spørres du om PIN-koden på lappen.)")
HELP = N_("Svar på påstandene i terminalen, én etter én. Hvert svar lagres med en gang; kjør kommandoen igjen for å "
          "fortsette der du slapp.")


def register(app: typer.Typer) -> None:
    app.command("assess", help=_(HELP), epilog=_(EPILOG))(assess)
