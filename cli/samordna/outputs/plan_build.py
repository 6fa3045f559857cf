"""Everything the plan's sheets need, read and checked before anything is written."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from samordna.core.errors import SamordnaError
from samordna.core.privacy import screen_text
from samordna.core.results import workspace_results
from samordna.core.scoring import RoundResult
from samordna.io.plan_reader import previous_plan, read_plan_file
from samordna.io.workspace import Round, Workspace, load_roles
from samordna.plan.merge import merge_rows
from samordna.plan.model import COLUMNS, PlanAction, PlanRow


@dataclass
class PlanBuild:
    """Everything the sheets need, computed before anything is written."""

    ws: Workspace
    rnd: Round
    result: RoundResult
    rows: list[PlanRow]
    history: list[RoundResult] = field(default_factory=list)  # RoundResult of earlier rounds (oldest first)
    previous: tuple[Path, str, list[PlanAction]] | None = None  # path, round id, actions
    roles: list[str] = field(default_factory=list)
    today: date = field(default_factory=date.today)


def build_plan(ws: Workspace, rnd: Round, out: Path | None = None, today: date | None = None) -> PlanBuild:
    """Read and check everything the plan needs; nothing is written."""
    out = Path(out) if out else rnd.plan_path
    history = [r for r in workspace_results(ws) if r.year <= rnd.year]
    result = next(r for r in history if r.round == rnd.id)
    existing: list[PlanAction] = []
    if out.exists():
        meta, existing = read_plan_file(out)
        if meta.round and meta.round != rnd.id:
            raise SamordnaError(
                f"{out} er handlingsplanen for runde {meta.round}, ikke runde {rnd.id}. "
                "Velg en annen fil med --out, eller riktig runde med --round. Ingenting er endret.", path=out)
    found = previous_plan(ws, rnd)  # only found when there is a previous round
    prev_round = ws.previous_round(rnd)
    previous = (found[0], prev_round.id, found[1]) if found and prev_round else None
    rows = merge_rows(rnd, result, existing, (previous[1], previous[2]) if previous else None)
    headers = {k: h for k, h, _ in COLUMNS}
    problems = [f"Tiltak {row.action.action_id}, kolonnen «{headers[key]}»: teksten ser ut til å inneholde et "
                "fødselsnummer eller D-nummer. Fjern det i Excel og prøv igjen."
                for row in rows for key in ("action", "comment", "responsible")
                if not screen_text(getattr(row.action, key)).ok]
    if problems:
        raise SamordnaError(f"Handlingsplanen {out} kan ikke lages på nytt:", path=out, problems=problems)
    return PlanBuild(ws=ws, rnd=rnd, result=result, rows=rows, history=history[:-1], previous=previous,
                     roles=load_roles(), today=today or date.today())
