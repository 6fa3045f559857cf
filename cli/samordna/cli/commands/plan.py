"""samordna plan: the Excel action plan, which the municipality keeps editing and samordna never clobbers."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from samordna.cli.common import OpenOpt, RoundOpt, WorkspaceDir, echo, note_default_round, open_in_default_program, open_workspace
from samordna.core.errors import SamordnaError


def _summary(path: Path, existed: bool, backup: Path | None, contents: list[str]) -> list[str]:
    from samordna.io.plan_reader import read_plan
    from samordna.plan.model import KIND_LABELS, status_counts

    actions = read_plan(path)
    verb = "Oppdaterte" if existed else "Skrev"
    if not actions:
        lines = [f"{verb} handlingsplanen {path}, men den har ingen tiltak ennå."]
    else:
        kinds = {label: sum(1 for a in actions if a.kind == k) for k, label in KIND_LABELS.items()}
        lines = [f"{verb} handlingsplanen {path}: {len(actions)} tiltak ("
                 + ", ".join(f"{n} {label.lower()}" for label, n in kinds.items() if n) + ")."]
        counts = status_counts(actions)
        lines.append("Status: " + ", ".join(f"{n} {s.lower()}" for s, n in counts.items() if n) + ".")
    lines += ["Arket «Handlingsplan»: " + contents[0]] + ["  " + line for line in contents[1:]] if contents else []
    if backup:
        lines.append(f"Den forrige versjonen er tatt vare på som {backup.name}.")
    return lines


def plan(
    directory: WorkspaceDir,
    round_id: RoundOpt = None,
    out: Annotated[Path | None, typer.Option(
        "--out", "-o", metavar="FIL",
        help="Filen handlingsplanen skrives til. Standard: handlingsplan-<kommune>-<år>.xlsx øverst i arbeidsområdet.")] = None,
    open_: OpenOpt = False,
) -> None:
    """Lag eller oppdater handlingsplanen i Excel. Det dere har skrevet i planen (ansvarlig, frist, status, kommentarer, endrede tiltak) tas med videre; den gamle filen tas vare på som sikkerhetskopi.

    Planen har juridisk minimum, gruppens prioriteringer og de uferdige tiltakene fra forrige plan (også kommunens egne). Påstander under målet uten prioritet står i arket «Under mål».
    """  # noqa: E501 (rich keeps a docstring's line breaks)
    from samordna.io.plan_reader import last_backup, previous_plan_lines
    from samordna.outputs.plan import write_plan

    if out is not None:  # checked before anything is read or written; the folder is never made silently
        if not Path(out).parent.is_dir():
            raise SamordnaError(f"Mappen {Path(out).parent} finnes ikke. Lag den først, eller velg en annen "
                                "plassering med --out. Ingenting er skrevet.", path=Path(out).parent)
        if Path(out).is_dir():
            raise SamordnaError(f"{out} er en mappe. Oppgi en fil med --out, for eksempel "
                                f"{Path(out) / 'handlingsplan.xlsx'}. Ingenting er skrevet.", path=out)
    ws = open_workspace(directory)
    note_default_round(ws, round_id)
    rnd = ws.round(round_id)
    target = Path(out) if out else rnd.plan_path
    existed = target.exists()
    contents: list[str] = []
    path = write_plan(ws, rnd, target, say=echo, tell=contents.append)  # says what of the edits could not be kept
    for line in _summary(path, existed, last_backup(path) if existed else None, contents):
        echo(line)
    if not existed:
        for line in previous_plan_lines(ws, rnd):
            echo(line)
    echo("Fyll inn ansvarlig, frist og status i Excel. Kjør samordna plan igjen når resultatene endres; "
         "det dere har skrevet, blir stående.")
    if open_:
        echo(open_in_default_program(path))


EXAMPLE = """Eksempler:

  samordna plan min-kommune

  samordna plan min-kommune --round 2026 --out handlingsplan-2026.xlsx"""


def register(app: typer.Typer) -> None:
    app.command("plan", epilog=EXAMPLE)(plan)
