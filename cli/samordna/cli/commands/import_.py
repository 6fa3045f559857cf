"""samordna import: read filled answer forms back, all or nothing.

Before anything is written the user sees every partly filled form («D12: 6 av 65 svar; 59 mangler») and
chooses: import anyway (a question in the terminal, ``--godta-delvise`` in a script) or nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from samordna.cli.common import RoundOpt, WorkspaceDir, echo, open_workspace
from samordna.core.errors import SamordnaError

EPILOG = ("Eksempel: samordna import kommunen kommunen/skjema/2026/svarskjema-*.xlsx  "
          "(et skjema lagret som .ods i LibreOffice må først lagres som .xlsx: Fil → Lagre som …)")


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def import_forms(
    directory: WorkspaceDir,
    files: Annotated[list[Path], typer.Argument(help="Utfylte svarskjema (.xlsx).", metavar="FILER", show_default=False)],
    round_id: RoundOpt = None,
    replace: Annotated[bool, typer.Option("--replace", help="Erstatt svarene til deltakere som allerede er lest inn.")] = False,
    accept_partial: Annotated[bool, typer.Option(
        "--godta-delvise", help="Les inn skjema som bare er delvis utfylt, uten å spørre.")] = False,
) -> None:
    """Les inn utfylte svarskjema. Alt eller ingenting: har ett skjema feil, leses ingen inn."""
    from samordna.io.forms_reader import apply_import, read_forms
    from samordna.ui import prompter as ui_prompter

    ws = open_workspace(directory)
    rnd = ws.round(round_id)
    plan = read_forms(rnd, list(files))
    for w in plan.warnings:
        echo(f"Merk: {w}", err=True)
    interactive = ui_prompter.is_interactive()
    asker = ui_prompter.terminal_prompter("") if interactive and (plan.partial and not accept_partial
                                                                   or plan.existing and not replace) else None
    partial = plan.partial
    if partial and not accept_partial:
        notes = [f.partial_note() for f in partial]
        what = "1 skjema er bare delvis utfylt" if len(partial) == 1 else f"{len(partial)} skjema er bare delvis utfylt"
        if asker is None:
            raise SamordnaError(f"Ingenting er importert: {what}. Be deltakeren fylle ut resten, eller les inn "
                                "likevel med --godta-delvise (det som mangler, telles ikke med).", problems=notes)
        asker.say(f"{what}:")
        for note in notes:
            asker.say(f"  {note}")
        if not asker.confirm("Lese inn likevel? Det som mangler, telles ikke med.", default=False):
            raise SamordnaError("Ingenting er importert.")
    existing = plan.existing
    confirmed: set[str] | None = None
    if existing and not replace and asker is not None:
        if not asker.confirm(f"Runde {rnd.id} har allerede svar fra {', '.join(existing)}. Erstatte dem?", default=False):
            raise SamordnaError("Ingenting er importert.")
        replace, confirmed = True, set(existing)
    with ws.lock("samordna import"):  # checked again under the lock: someone may have imported meanwhile
        existing = plan.existing
        new_ones = sorted(set(existing) - confirmed) if confirmed is not None else []
        if new_ones:
            raise SamordnaError(f"Ingenting er importert: mens du svarte, er det kommet svar fra {', '.join(new_ones)} "
                                f"i runde {rnd.id}. Kjør importen igjen.")
        apply_import(plan, replace=replace)  # refuses, with the one message, when answers exist and replace is off
    for form in plan.forms:
        verb = "erstattet" if form.code in existing else "lest inn"
        missing = f" ({form.missing} mangler)" if form.missing else ""
        echo(f"{form.code} ({ws.sectors.name(form.sector)}): {len(form.answers)} av {form.n_items} svar{missing}, "
             f"{_plural(form.n_comments, 'kommentar', 'kommentarer')} – {verb} fra {form.path.name}")
    n_now = len(rnd.participant_codes())
    echo(f"{len(plan.forms)} skjema lest inn i runde {rnd.id}. "
         f"Runden har nå {_plural(n_now, 'deltaker', 'deltakere')}.")


def register(app: typer.Typer) -> None:
    app.command("import", epilog=EPILOG)(import_forms)
