"""samordna import: read filled answer forms back, all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from samordna.cli.common import RoundOpt, WorkspaceDir, echo, open_workspace
from samordna.core.errors import SamordnaError


def import_forms(
    directory: WorkspaceDir,
    files: Annotated[list[Path], typer.Argument(help="Utfylte svarskjema (.xlsx).", metavar="FILER", show_default=False)],
    round_id: RoundOpt = None,
    replace: Annotated[bool, typer.Option("--replace", help="Erstatt svarene til deltakere som allerede er lest inn.")] = False,
) -> None:
    """Les inn utfylte svarskjema. Alt eller ingenting: har ett skjema feil, leses ingen inn."""
    from samordna.io.forms_reader import apply_import, read_forms
    from samordna.ui.prompter import is_interactive

    ws = open_workspace(directory)
    rnd = ws.round(round_id)
    plan = read_forms(rnd, list(files))
    for w in plan.warnings:
        echo(f"Merk: {w}", err=True)
    existing = plan.existing
    confirmed: set[str] | None = None
    if existing and not replace and is_interactive():
        if not typer.confirm(f"Runde {rnd.id} har allerede svar fra {', '.join(existing)}. Erstatte dem?", default=False):
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
        echo(f"{form.code} ({ws.sectors.name(form.sector)}): {len(form.answers)} svar, "
             f"{form.n_comments} kommentarer – {verb} fra {form.path.name}")
    echo(f"{len(plan.forms)} skjema lest inn i runde {rnd.id}. Runden har nå {len(rnd.participant_codes())} deltakere.")


def register(app: typer.Typer) -> None:
    app.command("import")(import_forms)
