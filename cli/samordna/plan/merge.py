"""Merge what samordna suggests with what people typed into the plan.

Generated rows carry over what people typed (by action id); unfinished actions
from the previous round's plan for indicators still below target come along
with a note where they came from; rows added by hand stay; rows no longer
relevant are kept and marked.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import replace
from typing import Protocol

from samordna.core.bank import Bank, Indicator
from samordna.core.errors import SamordnaError
from samordna.core.privacy import screen_text
from samordna.core.result_model import RoundResult
from samordna.plan.model import (
    COLUMNS,
    DONE,
    KIND_BELOW,
    KIND_OWN,
    KIND_PRIORITY,
    KIND_STALE,
    STATUSES,
    PlanAction,
    PlanRow,
    status_counts,
)


class RoundLike(Protocol):
    """What the merge reads from a round (``io.workspace.Round``)."""

    @property
    def id(self) -> str: ...
    @property
    def bank(self) -> Bank: ...


def _basis(bank: Bank, indicator: Indicator) -> str:
    sources = [bank.source_by_id[r] for r in indicator.references if r in bank.source_by_id]
    main = [s for s in sources if s.kind in ("recommendation", "duty", "law")]
    return "; ".join(s.short for s in (main or sources))


def _generated(rnd: RoundLike, result: RoundResult) -> list[PlanRow]:
    """The rows the round's results call for: all suggested actions for each priority, then the
    first suggested action for every other indicator below target (largest gap × weight first)."""
    bank = rnd.bank
    chosen = [i for i in result.chosen_priorities if i in bank.indicator_by_id]
    others = [p.id for p in result.priorities if p.id not in chosen]
    rows = []
    for ind_id, kind in [(i, KIND_PRIORITY) for i in chosen] + [(i, KIND_BELOW) for i in others]:
        ind = bank.indicator_by_id[ind_id]
        texts = ind.actions if kind == KIND_PRIORITY else ind.actions[:1]
        for k, text in enumerate(texts, start=1):
            rows.append(_row(bank, result, PlanAction(
                action_id=f"{rnd.id}-{ind_id}-{k}", indicator_id=ind_id, domain_id=bank.domain_of[ind_id].id,
                action=text, responsible=None, deadline=None, status=STATUSES[0], follow_up=None, comment=None,
                kind=kind)))
    return rows


def _row(bank: Bank, result: RoundResult, action: PlanAction) -> PlanRow:
    row = PlanRow(action=action)
    ind = bank.indicator_by_id.get(action.indicator_id)
    if ind is None:
        row.indicator_text = action.indicator_id
        return row
    dom = bank.domain_of[ind.id]
    action.domain_id = dom.id
    r = result.indicator(ind.id)
    row.domain_name, row.indicator_text = dom.name, f"{ind.id} {ind.short}"
    row.level, row.target, row.gap = r.level, r.target, r.gap
    row.basis = _basis(bank, ind)
    return row


def _take_user_fields(row: PlanRow, src: PlanAction) -> None:
    a = row.action
    a.action = src.action or a.action
    a.responsible, a.deadline, a.status = src.responsible, src.deadline, src.status
    a.follow_up, a.comment = src.follow_up, src.comment


def _screen_carried(prev_round: str, actions: list[PlanAction]) -> None:
    """What is carried over from the previous plan (unfinished actions) must hold no identity number."""
    headers = {k: h for k, h, _ in COLUMNS}
    problems = [f"tiltak {a.action_id}, kolonnen «{headers[key]}»: teksten ser ut til å inneholde et fødselsnummer "
                "eller D-nummer (taushetsplikt)"
                for a in actions if a.status not in DONE for key in ("action", "responsible", "comment")
                if not screen_text(getattr(a, key)).ok]
    if problems:
        raise SamordnaError(f"Handlingsplanen fra runde {prev_round} kan ikke føres videre før nummeret er fjernet "
                            "der. Ingenting er endret.", problems=problems)


def merge_rows(rnd: RoundLike, result: RoundResult, existing: list[PlanAction],
               previous: tuple[str, list[PlanAction]] | None, removed: Collection[str] = ()) -> list[PlanRow]:
    """The plan's rows: generated rows with what people typed carried over (by action id), then
    unfinished actions from the previous plan, rows added by hand, and rows no longer relevant.

    Rows people deleted (``removed``) are not generated again. An existing plan keeps its order: new rows
    go after the last row of the same indicator, or after the row before them in the generated order."""
    bank = rnd.bank
    rows = _generated(rnd, result)
    kind_of = {r.action.indicator_id: r.action.kind for r in rows}
    by_id = {a.action_id: a for a in existing}
    order = list(by_id)
    prev_by_new: dict[str, PlanAction] = {}
    if previous:
        prev_round, prev_actions = previous
        _screen_carried(prev_round, prev_actions)
        for p in prev_actions:
            suffix = p.action_id.removeprefix(f"{prev_round}-")
            ok = p.indicator_id and re.fullmatch(re.escape(p.indicator_id) + r"-\d+", suffix)
            prev_by_new[f"{rnd.id}-{suffix}" if ok else f"{rnd.id}-FRA-{p.action_id}"] = p
    # unfinished previous actions for indicators still below target that the defaults do not cover
    generated_ids = {r.action.action_id for r in rows}
    for new_id, p in prev_by_new.items():
        if new_id in generated_ids or p.status in DONE or p.indicator_id not in kind_of:
            continue
        extra = _row(bank, result, replace(p, action_id=new_id, kind=kind_of[p.indicator_id]))
        last = max(i for i, r in enumerate(rows) if r.action.indicator_id == p.indicator_id)
        rows.insert(last + 1, extra)
    rows = [r for r in rows if r.action.action_id not in removed or r.action.action_id in by_id]
    for row in rows:
        a = row.action
        prev = prev_by_new.get(a.action_id)
        if prev is not None:
            row.previous = (f"{prev.action_id}: {prev.status}" if prev.status in DONE
                            else f"Videreført fra {prev.action_id} ({prev.status})")
        if a.action_id in by_id:
            _take_user_fields(row, by_id.pop(a.action_id))
        elif prev is not None and prev.status not in DONE:
            _take_user_fields(row, prev)
    own = [a for a in by_id.values() if a.kind == KIND_OWN]
    stale = [replace(a, kind=KIND_STALE) for a in by_id.values() if a.kind != KIND_OWN]
    kept = {a.action_id: _row(bank, result, a) if a.indicator_id in bank.indicator_by_id
            else PlanRow(action=a, indicator_text=a.indicator_id) for a in own + stale}
    return _in_people_order(rows, kept, order) if order else rows + list(kept.values())


def _in_people_order(fresh: list[PlanRow], kept: dict[str, PlanRow], order: list[str]) -> list[PlanRow]:
    """The rows in the order people left them (``order``); generated rows that are new this time go after the last
    row of the same indicator, or after the row before them in the generated order (first if there is none)."""
    by_id = {r.action.action_id: r for r in fresh}
    out = [by_id[i] if i in by_id else kept[i] for i in order]
    placed = set(order)
    before: str | None = None
    for row in fresh:
        aid = row.action.action_id
        if aid not in placed:
            same = [i for i, r in enumerate(out) if r.action.indicator_id == row.action.indicator_id]
            if same:
                at = same[-1] + 1
            elif before is not None:
                at = next(i for i, r in enumerate(out) if r.action.action_id == before) + 1
            else:
                at = 0
            out.insert(at, row)
            placed.add(aid)
        before = aid
    return out


def previous_summary(file_name: str, actions: list[PlanAction]) -> list[str]:
    """What was done in the previous round's plan: counts per status and the unfinished actions."""
    counts = status_counts(actions)
    lines = [f"Handlingsplanen fra forrige runde ({file_name}): {len(actions)} tiltak – "
             + ", ".join(f"{n} {s.lower()}" for s, n in counts.items() if n) + "."]
    open_ = [a for a in actions if a.status not in DONE]
    started = [a for a in open_ if a.status != STATUSES[0] or a.responsible]
    if open_:
        lines.append("Ikke ferdig:")
        for a in started:
            who = f", {a.responsible}" if a.responsible else ""
            lines.append(f"  {a.action_id} ({a.status}{who}): {_shorten(a.action)}")
        rest = len(open_) - len(started)
        if rest:
            lines.append(f"  … og {rest} tiltak som ikke er startet og ikke har noen ansvarlig.")
        lines.append("Den nye handlingsplanen (samordna plan) starter fra de uferdige tiltakene.")
    return lines


def _shorten(text: str, n: int = 70) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"
