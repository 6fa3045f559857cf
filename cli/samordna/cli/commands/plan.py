"""samordna plan: the Excel action plan, which the municipality keeps editing and samordna never clobbers."""

from __future__ import annotations

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
from samordna.i18n import N_, _, n_


def _summary(path: Path, existed: bool, backup: Path | None, contents: list[str]) -> list[str]:
    from samordna.io.plan_reader import read_plan
    from samordna.plan.model import KIND_LABELS, status_counts

    actions = read_plan(path)
    if not actions:
        lines = [(_("Oppdaterte handlingsplanen {file}, men den har ingen tiltak ennå.") if existed
                  else _("Skrev handlingsplanen {file}, men den har ingen tiltak ennå.")).format(file=path)]
    else:
        kinds = {_(label): sum(1 for a in actions if a.kind == k) for k, label in KIND_LABELS.items()}
        n = len(actions)
        line = (n_("Oppdaterte handlingsplanen {file}: {n} tiltak ({kinds}).",
                   "Oppdaterte handlingsplanen {file}: {n} tiltak ({kinds}).", n) if existed
                else n_("Skrev handlingsplanen {file}: {n} tiltak ({kinds}).",
                        "Skrev handlingsplanen {file}: {n} tiltak ({kinds}).", n))
        lines = [line.format(file=path, n=n,
                             kinds=", ".join(f"{k} {label.lower()}" for label, k in kinds.items() if k))]
        counts = status_counts(actions)
        lines.append(_("Status: {counts}.").format(
            counts=", ".join(f"{k} {_(s).lower()}" for s, k in counts.items() if k)))
    if contents:
        from samordna.plan.model import PLAN_SHEET

        lines += ([_("Arket «{sheet}»: {line}").format(sheet=_(PLAN_SHEET), line=contents[0])]
                  + ["  " + line for line in contents[1:]])
    if backup:
        lines.append(_("Den forrige versjonen er tatt vare på som {file}.").format(file=backup.name))
    return lines


def plan(
    directory: WorkspaceDir,
    round_id: RoundOpt = None,
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", metavar=_("FIL"),
        help=_("Filen handlingsplanen skrives til. Standard: handlingsplan-<kommune>-<år>.xlsx øverst i "
               "arbeidsområdet."))] = None,
    open_: OpenOpt = False,
    lang: LangOpt = None,
) -> None:
    """Write or update the action plan workbook, keeping what people typed (help text: HELP)."""
    from samordna.io.plan_reader import last_backup, previous_plan_lines
    from samordna.outputs.plan import write_plan

    if out is not None:  # checked before anything is read or written; the folder is never made silently
        if not Path(out).parent.is_dir():
            raise SamordnaError(_("Mappen {folder} finnes ikke. Lag den først, eller velg en annen plassering med "
                                  "--out. Ingenting er skrevet.").format(folder=Path(out).parent), path=Path(out).parent)
        if Path(out).is_dir():
            raise SamordnaError(_("{folder} er en mappe. Oppgi en fil med --out, for eksempel {file}. Ingenting er "
                                  "skrevet.").format(folder=out, file=Path(out) / "handlingsplan.xlsx"), path=out)
    ws = open_workspace(directory)
    note_default_round(ws, round_id)
    rnd = ws.round(round_id)
    target = Path(out) if out else rnd.plan_path
    existed = target.exists()
    contents: list[str] = []
    with documents(ws):  # a new plan in the municipality's language form (an existing workbook keeps its own)
        path = write_plan(ws, rnd, target, say=echo, tell=contents.append)  # says what of the edits were not kept
    for line in _summary(path, existed, last_backup(path) if existed else None, contents):
        echo(line)
    if not existed:
        for line in previous_plan_lines(ws, rnd):
            echo(line)
    echo(_("Fyll inn ansvarlig, frist og status i Excel. Kjør samordna plan igjen når resultatene endres; "
           "det dere har skrevet, blir stående."))
    if open_:
        echo(open_in_default_program(path))


EXAMPLE = N_("""Eksempler:

  samordna plan min-kommune

  samordna plan min-kommune --round 2026 --out handlingsplan-2026.xlsx""")
HELP = N_("Lag eller oppdater handlingsplanen i Excel. Det dere har skrevet i planen (ansvarlig, frist, status, "
          "kommentarer, endrede tiltak) tas med videre; den gamle filen tas vare på som sikkerhetskopi.\n\n"
          "Planen har juridisk minimum, gruppens prioriteringer og de uferdige tiltakene fra forrige plan (også "
          "kommunens egne). Påstander under målet uten prioritet står i arket «Under mål».")


def register(app: typer.Typer) -> None:
    app.command("plan", help=_(HELP), epilog=_(EXAMPLE))(plan)
