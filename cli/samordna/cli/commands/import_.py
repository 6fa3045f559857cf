"""samordna import: read filled answer forms back, all or nothing.

Before anything is written the user sees every partly filled form («D12: 6 av 65 svar; 59 mangler») and
chooses: import anyway (a question in the terminal, ``--godta-delvise`` in a script) or nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from samordna.cli.common import LangOpt, RoundOpt, WorkspaceDir, echo, open_workspace, shell_arg
from samordna.core.errors import SamordnaError
from samordna.i18n import N_, _, n_

EPILOG = N_("Eksempel: samordna import kommunen kommunen/skjema/2026/svarskjema-*.xlsx  "
            "(et skjema lagret som .ods i LibreOffice må først lagres som .xlsx: Fil → Lagre som …)")
HELP = N_("Les inn utfylte svarskjema. Alt eller ingenting: har ett skjema feil, leses ingen inn.")


def import_forms(
    directory: WorkspaceDir,
    files: Annotated[list[Path], typer.Argument(help=_("Utfylte svarskjema (.xlsx)."), metavar=_("FILER"),
                                                show_default=False)],
    round_id: RoundOpt = None,
    replace: Annotated[bool, typer.Option(
        "--replace", help=_("Erstatt svarene til deltakere som allerede er lest inn."))] = False,
    accept_partial: Annotated[bool, typer.Option(
        "--godta-delvise", help=_("Les inn skjema som bare er delvis utfylt, uten å spørre."))] = False,
    lang: LangOpt = None,
) -> None:
    """Import filled answer forms (the leaders' and the mirror's), all or nothing."""
    from samordna.io.forms_reader import read_forms
    from samordna.io.mirror_forms import is_mirror_form, read_mirror_forms
    from samordna.io.mirrorfile import shipped_mirror_bank

    ws = open_workspace(directory)
    rnd = ws.round(round_id)
    paths = [Path(f) for f in files]
    mirror_paths = [p for p in paths if is_mirror_form(p)]
    leader_paths = [p for p in paths if p not in set(mirror_paths)]
    mirror = read_mirror_forms(mirror_paths, rnd.id, ws.number, shipped_mirror_bank) if mirror_paths else None
    problems = list(mirror.problems) if mirror else []
    plan = None
    if leader_paths:
        try:
            plan = read_forms(rnd, leader_paths)
        except SamordnaError as exc:
            if not problems:
                raise
            problems = (exc.problems or [exc.message]) + problems
    if problems:  # one message for every problem in every file, leaders' and mirror's forms alike
        raise SamordnaError(
            n_("Ingenting er importert: {n} feil i skjemaene. Rett feilene og importer alle på nytt.",
               "Ingenting er importert: {n} feil i skjemaene. Rett feilene og importer alle på nytt.",
               len(problems)).format(n=len(problems)), problems=problems)
    if plan is not None:
        _import_leaders(ws, rnd, plan, replace, accept_partial, mirror)
    elif mirror is not None:
        with ws.lock("samordna import"):
            said = _save_mirror(ws, rnd, mirror)
        for line in said:
            echo(line)


def _import_leaders(ws, rnd, plan, replace: bool, accept_partial: bool, mirror) -> None:
    """The leaders' forms as always (asking about partly filled forms and answers already read), and the
    mirror's forms under the same lock, after the leaders' are written."""
    from samordna.io.forms_reader import apply_import
    from samordna.ui import prompter as ui_prompter

    for w in plan.warnings:
        echo(_("Merk: {warning}").format(warning=w), err=True)
    interactive = ui_prompter.is_interactive()
    asker = ui_prompter.terminal_prompter("") if interactive and (plan.partial and not accept_partial
                                                                   or plan.existing and not replace) else None
    partial = plan.partial
    if partial and not accept_partial:
        notes = [f.partial_note() for f in partial]
        n = len(partial)
        if asker is None:
            raise SamordnaError(n_("Ingenting er importert: {n} skjema er bare delvis utfylt. Be deltakeren fylle ut "
                                   "resten, eller les inn likevel med --godta-delvise (det som mangler, telles ikke med).",
                                   "Ingenting er importert: {n} skjema er bare delvis utfylt. Be deltakeren fylle ut "
                                   "resten, eller les inn likevel med --godta-delvise (det som mangler, telles ikke med).",
                                   n).format(n=n), problems=notes)
        asker.say(n_("{n} skjema er bare delvis utfylt:", "{n} skjema er bare delvis utfylt:", n).format(n=n))
        for note in notes:
            asker.say(f"  {note}")
        if not asker.confirm(_("Lese inn likevel? Det som mangler, telles ikke med."), default=False):
            raise SamordnaError(_("Ingenting er importert."))
    existing = plan.existing
    confirmed: set[str] | None = None
    if existing and not replace and asker is not None:
        if not asker.confirm(_("Runde {round} har allerede svar fra {codes}. Erstatte dem?").format(
                round=rnd.id, codes=", ".join(existing)), default=False):
            raise SamordnaError(_("Ingenting er importert."))
        replace, confirmed = True, set(existing)
    with ws.lock("samordna import"):  # checked again under the lock: someone may have imported meanwhile
        existing = plan.existing
        new_ones = sorted(set(existing) - confirmed) if confirmed is not None else []
        if new_ones:
            raise SamordnaError(_("Ingenting er importert: mens du svarte, er det kommet svar fra {codes} "
                                  "i runde {round}. Kjør importen igjen.").format(codes=", ".join(new_ones), round=rnd.id))
        apply_import(plan, replace=replace)  # refuses, with the one message, when answers exist and replace is off
        said = _save_mirror(ws, rnd, mirror) if mirror is not None else []
    for form in plan.forms:
        comments = n_("{n} kommentar", "{n} kommentarer", form.n_comments).format(n=form.n_comments)
        values = {"code": form.code, "sector": ws.sectors.name(form.sector), "n": len(form.answers),
                  "total": form.n_items, "missing": form.missing, "comments": comments, "file": form.path.name}
        if form.code in existing:
            line = (_("{code} ({sector}): {n} av {total} svar ({missing} mangler), {comments} – erstattet fra {file}")
                    if form.missing else _("{code} ({sector}): {n} av {total} svar, {comments} – erstattet fra {file}"))
        else:
            line = (_("{code} ({sector}): {n} av {total} svar ({missing} mangler), {comments} – lest inn fra {file}")
                    if form.missing else _("{code} ({sector}): {n} av {total} svar, {comments} – lest inn fra {file}"))
        echo(line.format(**values))
    n_now = len(rnd.participant_codes())
    echo(n_("{n} skjema lest inn i runde {round}. Runden har nå {participants}.",
            "{n} skjema lest inn i runde {round}. Runden har nå {participants}.", len(plan.forms)).format(
                n=len(plan.forms), round=rnd.id,
                participants=n_("{n} deltaker", "{n} deltakere", n_now).format(n=n_now)))
    for line in said:
        echo(line)


def _save_mirror(ws, rnd, mirror) -> list[str]:
    """Store each mirror form as one response in the round's own folder for the mirror (never in svar/). A form
    whose response is there already (the same file read before) is not counted again. Call under the lock;
    returns what to say afterwards."""
    from samordna.io.mirrorfile import MirrorStore, shipped_mirror_bank

    store = MirrorStore(rnd.dir, ws.lock)
    n = 0
    before: list[Path] = []
    for form in mirror.forms:
        if (store.dir / f"{form.response_id}.yaml").exists():
            before.append(form.path)
            continue
        store.save(shipped_mirror_bank(form.language), form.role, form.age_band, form.answers, "skjema",
                   form.language, rid=form.response_id)
        n += 1
    # how many forms this run read, never per role: a role's size is shown only from the limit up (samordna speilet)
    said = [n_("Speilet: {n} skjema lest inn i runde {round}. Hvor mange som har svart i hver gruppe, viser "
               "«samordna speilet» (grupper under grensen vises ikke).",
               "Speilet: {n} skjema lest inn i runde {round}. Hvor mange som har svart i hver gruppe, viser "
               "«samordna speilet» (grupper under grensen vises ikke).", n).format(n=n, round=rnd.id)]
    if before:
        said.append(n_("{n} skjema var lest inn før og er ikke telt på nytt: {files}",
                       "{n} skjema var lest inn før og er ikke telt på nytt: {files}", len(before)).format(
                           n=len(before), files=", ".join(p.name for p in before)))
    if mirror.repeated:
        said.append(_("Samme skjema ble gitt flere ganger og er telt én gang: {files}").format(
            files=", ".join(p.name for p in mirror.repeated)))
    said.append(_("Svarene i speilet holdes atskilt fra ledernes svar og teller aldri med i ledernes resultater. "
                  "Se status med: {command}").format(command=f"samordna speilet {shell_arg(ws.root)}"))
    return said


def register(app: typer.Typer) -> None:
    app.command("import", help=_(HELP), epilog=_(EPILOG))(import_forms)
