"""Everything the plan's sheets need, read and checked before anything is written.

An existing plan is merged with what the round calls for (``plan.merge``): people's row order stays, rows they
deleted stay deleted, and what they added (columns, rows such as a sum, sheets, names) is carried into the new
workbook (``Carry``). What cannot be carried over stops the command here, before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from samordna.core.bank import Bank
from samordna.core.errors import SamordnaError
from samordna.core.privacy import screen_text
from samordna.core.results import workspace_results
from samordna.core.scoring import RoundResult
from samordna.io.plan_reader import PlanFile, open_plan, previous_plan
from samordna.io.workspace import Round, Workspace, load_roles
from samordna.outputs.plan_carry import Carry, carry_over
from samordna.plan.merge import Carried, map_previous, merge_rows, migration_summary
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
    removed: list[tuple[str, str]] = field(default_factory=list)  # (id, action) people deleted: not generated again
    carry: Carry = field(default_factory=Carry)
    # the previous plan's actions by their id in this plan, and what a bank change did with them («Om»)
    carried: dict[str, Carried] = field(default_factory=dict)
    migration: list[str] = field(default_factory=list)


def build_plan(ws: Workspace, rnd: Round, out: Path | None = None, today: date | None = None) -> PlanBuild:
    """Read and check everything the plan needs; nothing is written."""
    out = Path(out) if out else rnd.plan_path
    history = [r for r in workspace_results(ws) if r.year <= rnd.year]
    result = next(r for r in history if r.round == rnd.id)
    source = open_plan(out) if out.exists() else None
    existing: list[PlanAction] = source.actions if source else []
    if source and source.meta.round and source.meta.round != rnd.id:
        raise SamordnaError(
            f"{out} er handlingsplanen for runde {source.meta.round}, ikke runde {rnd.id}. "
            "Velg en annen fil med --out, eller riktig runde med --round. Ingenting er endret.", path=out)
    removed = _removed(source)
    found = previous_plan(ws, rnd)  # only found when there is a previous round
    prev_round = ws.previous_round(rnd)
    previous = (found[0], prev_round.id, found[1]) if found and prev_round else None
    old_bank: Bank | None = prev_round.bank if previous and prev_round else None  # its folder's bank.yaml
    rows = merge_rows(rnd, result, existing, (previous[1], previous[2]) if previous else None,
                      removed={i for i, _ in removed}, old_bank=old_bank)
    carried = map_previous(rnd.bank, rnd.id, previous[1], previous[2], old_bank) if previous else {}
    headers = {k: h for k, h, _ in COLUMNS}
    problems = [f"Tiltak {row.action.action_id}, kolonnen «{headers[key]}»: teksten ser ut til å inneholde et "
                "fødselsnummer eller D-nummer. Fjern det i Excel og prøv igjen."
                for row in rows for key in ("action", "comment", "responsible")
                if not screen_text(getattr(row.action, key)).ok]
    carry = Carry(lines=list(rows)) if source is None else carry_over(source, rows, problems)
    if problems:
        raise SamordnaError(f"Handlingsplanen {out} kan ikke lages på nytt:", path=out, problems=problems)
    return PlanBuild(ws=ws, rnd=rnd, result=result, rows=rows, history=history[:-1], previous=previous,
                     roles=load_roles(), today=today or date.today(), removed=removed, carry=carry,
                     carried=carried, migration=migration_summary(carried, old_bank, rnd.bank))


def _removed(source: PlanFile | None) -> list[tuple[str, str]]:
    """Rows people deleted: those deleted before, and those samordna wrote last time that are gone now.
    A deleted row that people typed back in (its id in a row again) is no longer deleted."""
    if source is None:
        return []
    present = {a.action_id for a in source.actions}
    out = dict(source.meta.removed)
    for aid, text in source.meta.written:
        if aid not in present:
            out.setdefault(aid, text)
    return [(aid, text) for aid, text in out.items() if aid not in present]
