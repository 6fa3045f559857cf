"""Merge what samordna suggests with what people typed into the plan.

The legal minimum comes first: every item answered «nei» or «uavklart» gets its actions from the bank.
Generated rows carry over what people typed (by action id); unfinished actions
from the previous round's plan for indicators still below target come along
with a note where they came from; rows added by hand stay; rows no longer
relevant are kept and marked.

When the previous round used another version of the bank, its actions follow the bank's migration map
(``map_previous``): an action on a same or reworded indicator moves to the new id; one on a split, merged or
replaced indicator is kept as people wrote it with a note naming the new indicators; one on a retired
indicator is kept and marked. Nothing people typed is lost.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, field, replace
from typing import Protocol

from samordna.core.bank import Bank, Indicator, LegalItem
from samordna.core.errors import SamordnaError
from samordna.core.migration import KIND_TEXT, new_ids_for_old
from samordna.core.privacy import screen_text
from samordna.core.result_model import LEGAL_NO, LEGAL_UNKNOWN, LegalResult, RoundResult
from samordna.i18n import N_, _, n_
from samordna.plan.model import (
    COLUMNS,
    DONE,
    KIND_BELOW,
    KIND_CARRIED,
    KIND_CHANGED,
    KIND_LEGAL,
    KIND_OWN,
    KIND_PRIORITY,
    KIND_RETIRED,
    KIND_STALE,
    STATUSES,
    PlanAction,
    PlanRow,
    status_counts,
)

LEGAL_DOMAIN = N_("Juridisk minimum")
UNCONFIRMED = N_("ikke bekreftet")
# the action for an item of the legal minimum nobody could answer, when the bank has none that starts so
CHECK_PREFIX = "Sjekk og dokumenter"
CHECK_ACTION = N_("Sjekk og dokumenter svaret: {question} (spør {who})")
# the number of the «sjekk og dokumenter» action of a legal item answered «uavklart» (its other actions are 1-3)
CHECK_NUMBER = 0


class RoundLike(Protocol):
    """What the merge reads from a round (``io.workspace.Round``)."""

    @property
    def id(self) -> str: ...
    @property
    def bank(self) -> Bank: ...


def source_text(bank: Bank, source_id: str) -> str:
    """A source as the plan names it, marked when its content is not confirmed at the source."""
    src = bank.source_by_id.get(source_id)
    if src is None:
        return source_id
    return src.short + ("" if src.confirmed else f" ({_(UNCONFIRMED)})")


def _basis(bank: Bank, indicator: Indicator) -> str:
    sources = [bank.source_by_id[r] for r in indicator.references if r in bank.source_by_id]
    main = [s for s in sources if s.kind in ("recommendation", "duty", "law")]
    return "; ".join(source_text(bank, s.id) for s in (main or sources))


def indicator_mark(bank: Bank, indicator: Indicator) -> str:
    """«Lovpålagt» for a statutory indicator, «Lokal (<owner>)» for a local one, else empty."""
    if indicator.local:
        owner = indicator.local_owner or bank.local_owner
        return _("Lokal ({owner})").format(owner=owner) if owner else _("Lokal")
    return _("Lovpålagt") if indicator.is_statutory else ""


# the first word of a bank's «check and document» action (a bank in nynorsk or English too)
CHECK_WORDS = ("sjekk", "finn", "undersøk", "kontroller", "avklar", "check", "find", "investigate", "verify",
               "clarify")


def legal_actions(item: LegalItem, answer: str) -> list[tuple[int, str]]:
    """The plan's actions for a legal item, numbered as in the bank: all of the bank's on «nei»; on «uavklart» the
    bank's action that says to check and document (its first word «Sjekk», «Finn» …), or, when it has none, one
    that says so (numbered ``CHECK_NUMBER``). The numbers stay when the answer changes, so edits follow."""
    if answer == LEGAL_NO:
        return list(enumerate(item.actions, start=1))
    if answer == LEGAL_UNKNOWN:
        for k, text in enumerate(item.actions, start=1):
            words = text.split(maxsplit=1)
            if words and words[0].lower().strip(",.:") in CHECK_WORDS:
                return [(k, text)]
        who = f"{item.who[:1].lower()}{item.who[1:]}"
        return [(CHECK_NUMBER, _(CHECK_ACTION).format(question=item.question, who=who))]
    return []


def _legal_generated(rnd: RoundLike, result: RoundResult) -> list[PlanRow]:
    bank = rnd.bank
    rows: list[PlanRow] = []
    if not result.n_participants:  # nobody has answered yet: nothing is unclear, only unasked
        return rows
    for lr in result.legal:
        item = bank.legal_by_id.get(lr.id)
        if item is None:
            continue
        for k, text in legal_actions(item, lr.answer):
            rows.append(_row(bank, result, PlanAction(
                action_id=f"{rnd.id}-{item.id}-{k}", indicator_id=item.id, domain_id="LM", action=text,
                responsible=None, deadline=None, status=STATUSES[0], follow_up=None, comment=None, kind=KIND_LEGAL)))
    return rows


def _generated(rnd: RoundLike, result: RoundResult) -> list[PlanRow]:
    """The rows the plan itself calls for: the legal minimum's actions first, then all suggested actions for each of
    the group's priorities (in the order the group chose them)."""
    bank = rnd.bank
    chosen = [i for i in result.chosen_priorities if i in bank.indicator_by_id]
    rows = _legal_generated(rnd, result)
    for ind_id in chosen:
        for k, text in enumerate(bank.indicator_by_id[ind_id].actions, start=1):
            rows.append(_suggested(rnd, result, ind_id, k, text, KIND_PRIORITY))
    return rows


def below_target_rows(rnd: RoundLike, result: RoundResult) -> list[PlanRow]:
    """The first suggested action for every indicator below target that the group did not prioritise (largest
    gap × weight first). They go to the sheet «Under mål», not into the plan, unless people put one there."""
    bank = rnd.bank
    chosen = set(result.chosen_priorities)
    return [_suggested(rnd, result, p.id, 1, bank.indicator_by_id[p.id].actions[0], KIND_BELOW)
            for p in result.priorities
            if p.id not in chosen and p.id in bank.indicator_by_id and bank.indicator_by_id[p.id].actions]


def _suggested(rnd: RoundLike, result: RoundResult, ind_id: str, k: int, text: str, kind: str) -> PlanRow:
    bank = rnd.bank
    return _row(bank, result, PlanAction(
        action_id=f"{rnd.id}-{ind_id}-{k}", indicator_id=ind_id, domain_id=bank.domain_of[ind_id].id, action=text,
        responsible=None, deadline=None, status=STATUSES[0], follow_up=None, comment=None, kind=kind))


def touched(action: PlanAction) -> bool:
    """Whether people wrote anything in a row besides its text: a field, a status, their own columns."""
    return bool(action.responsible or action.deadline or action.follow_up or action.comment
                or action.status != STATUSES[0] or any(v not in (None, "") for v in action.extra.values()))


def carries(action: PlanAction) -> bool:
    """Whether an action of the previous plan goes on into the next: every unfinished one, the municipality's own
    included, except samordna's suggestions for indicators below target that nobody took up (not started, nothing
    written): they are suggested again on the sheet «Under mål» while the indicator is below target."""
    return action.status not in DONE and (action.kind != KIND_BELOW or touched(action))


def edited(action: PlanAction, suggested: PlanAction) -> bool:
    """Whether people wrote anything in a row samordna suggested: a field, their own columns, another text."""
    return touched(action) or bool(action.action and action.action != suggested.action)


def _legal_result(result: RoundResult, item_id: str) -> LegalResult | None:
    return next((r for r in result.legal if r.id == item_id), None)


def _row(bank: Bank, result: RoundResult, action: PlanAction) -> PlanRow:
    row = PlanRow(action=action)
    item = bank.legal_by_id.get(action.indicator_id)
    if item is not None:
        action.domain_id = "LM"
        lr = _legal_result(result, item.id)
        row.domain_name, row.indicator_text = _(LEGAL_DOMAIN), f"{item.id} {item.short}"
        if lr is not None:
            row.indicator_text += " " + _("(svar: {answer})").format(answer=lr.answer_label)
        first = bank.source_by_id.get(item.references[0])
        main = (lr.citation if lr is not None and lr.citation else "") or (first.citation or "" if first else "")
        if not main:
            main = source_text(bank, item.references[0])
        elif first is not None and not first.confirmed:
            main += f" ({_(UNCONFIRMED)})"
        cites = [main] + [source_text(bank, r) for r in item.references[1:]]
        row.basis = "; ".join(cites)
        return row
    ind = bank.indicator_by_id.get(action.indicator_id)
    if ind is None:
        row.indicator_text = action.indicator_id
        return row
    dom = bank.domain_of[ind.id]
    action.domain_id = dom.id
    r = result.indicator(ind.id)
    mark = indicator_mark(bank, ind)
    row.domain_name, row.indicator_text = dom.name, f"{ind.id} {ind.short}" + (f" ({mark})" if mark else "")
    row.level, row.target, row.gap = r.level, r.target, r.gap
    row.basis = _basis(bank, ind)
    return row


def _take_user_fields(row: PlanRow, src: PlanAction) -> None:
    a = row.action
    a.action = src.action or a.action
    a.responsible, a.deadline, a.status = src.responsible, src.deadline, src.status
    a.follow_up, a.comment = src.follow_up, src.comment
    a.extra = dict(src.extra)
    a.domain_text, a.indicator_text = src.domain_text, src.indicator_text


def _screen_carried(prev_round: str, actions: list[PlanAction]) -> None:
    """What is carried over from the previous plan (unfinished actions) must hold no identity number."""
    headers = {k: h for k, h, _ in COLUMNS}
    problem = N_("tiltak {id}, kolonnen «{column}»: teksten ser ut til å inneholde et fødselsnummer eller D-nummer "
                 "(taushetsplikt)")
    problems = [_(problem).format(id=a.action_id, column=_(headers[key]))
                for a in actions if a.status not in DONE for key in ("action", "responsible", "comment")
                if not screen_text(getattr(a, key)).ok]
    problems += [_(problem).format(id=a.action_id, column=head)
                 for a in actions if a.status not in DONE for head, value in a.extra.items()
                 if not isinstance(value, bool) and not screen_text(value).ok]
    if problems:
        raise SamordnaError(_("Handlingsplanen fra runde {round} kan ikke føres videre før nummeret er fjernet "
                              "der. Ingenting er endret.").format(round=prev_round), problems=problems)


HOW_SAME = "same"  # the same indicator (or legal item) in this round's bank
HOW_MOVED = "moved"  # the bank's map says the indicator is the same or reworded under another id
HOW_CHANGED = "changed"  # split, merged or replaced: kept as it was, with a note naming the new indicators
HOW_RETIRED = "retired"  # taken out of the bank (or unknown to it): kept and marked


@dataclass
class Carried:
    """One action of the previous round's plan, and where it goes in this round's plan."""

    new_id: str  # its action id in this round's plan
    action: PlanAction  # as people left it in the previous plan
    indicator_id: str  # the indicator (or legal item) it belongs to now; the old one when changed or retired
    how: str  # HOW_SAME | HOW_MOVED | HOW_CHANGED | HOW_RETIRED
    note: str = ""  # in plain words (the plan's language): what the new bank version did with its indicator
    new_ids: list[str] = field(default_factory=list)  # the indicators it became (changed)
    old_short: str = ""  # the old indicator's short text (changed, retired)
    old_domain: str = ""  # the old indicator's domain name (changed, retired)


def map_previous(bank: Bank, round_id: str, prev_round: str, actions: list[PlanAction],
                 old_bank: Bank | None = None) -> dict[str, Carried]:
    """Each action of the previous plan, keyed by its id in this round's plan (``round_id``).

    With ``old_bank`` (the previous round's bank) on another version, the bank's migration map decides
    (``core.migration``): same or reworded indicators move to their new id, split, merged or replaced ones keep
    the old id with a note, retired ones are kept and marked."""
    across = old_bank is not None and (old_bank.id, old_bank.version) != (bank.id, bank.version)
    mig = bank.migration_from(old_bank.version) if across and old_bank is not None and old_bank.id == bank.id else None
    out: dict[str, Carried] = {}
    for p in actions:
        suffix = p.action_id.removeprefix(f"{prev_round}-")
        fra = f"{round_id}-FRA-{suffix.removeprefix('FRA-') if suffix.startswith('FRA-') else p.action_id}"
        number = suffix.removeprefix(f"{p.indicator_id}-") if p.indicator_id else ""
        numbered = bool(p.indicator_id) and bool(re.fullmatch(re.escape(p.indicator_id) + r"-\d+", suffix))
        ind = p.indicator_id
        if not across or not ind or ind in bank.legal_by_id or old_bank is None:
            new_id = f"{round_id}-{suffix}" if numbered else fra
            out[new_id] = Carried(new_id, p, ind, HOW_SAME)
            continue
        old_ind = old_bank.indicator_by_id.get(ind)
        old_short = old_ind.short if old_ind else ""
        old_domain = old_bank.domain_of[ind].name if old_ind else ""
        step = mig.step_for_old(ind) if mig else None
        new_ids = new_ids_for_old(bank, old_bank.id, old_bank.version, ind)
        kind = step.kind if step else ("same" if new_ids else "retired")
        if kind in ("same", "reworded") and len(new_ids) == 1:
            target = new_ids[0]
            new_id = f"{round_id}-{target}-{number}" if numbered else fra
            note = "" if target == ind and kind == "same" else (
                _("{old} heter {new} i bank {version}.").format(old=ind, new=target, version=bank.version)
                if target != ind else _("{old} har ny ordlyd i bank {version}.").format(old=ind, version=bank.version))
            out[new_id] = Carried(new_id, p, target, HOW_SAME if not note else HOW_MOVED, note, [target], old_short)
        elif new_ids:
            new_id = fra
            note = _("{old} {short} er {change} i bank {version}: se {new}.").format(
                old=ind, short=old_short, change=_(KIND_TEXT.get(kind, kind)), version=bank.version,
                new=", ".join(new_ids))
            out[new_id] = Carried(new_id, p, ind, HOW_CHANGED, note, list(new_ids), old_short, old_domain)
        else:
            new_id = fra
            note = _("{old} {short} er tatt ut av banken i versjon {version}.").format(
                old=ind, short=old_short, version=bank.version).replace("  ", " ")
            out[new_id] = Carried(new_id, p, ind, HOW_RETIRED, note, [], old_short, old_domain)
    return out


def migration_summary(carried: dict[str, Carried], old_bank: Bank | None, bank: Bank) -> list[str]:
    """What was done with the previous plan's actions across a bank change, for the «Om» sheet."""
    if old_bank is None or (old_bank.id, old_bank.version) == (bank.id, bank.version):
        return []
    lines = [_("Forrige runde brukte {old}, denne runden bruker {new}. Tiltakene fra forrige plan er ført videre "
               "etter bankens kart over hva som er endret; ingenting dere skrev, er borte.")
             .format(old=old_bank.label, new=bank.label)]
    for how in (HOW_MOVED, HOW_CHANGED, HOW_RETIRED):
        found = [c for c in carried.values() if c.how == how]
        if found:
            n, open_ = len(found), sum(1 for c in found if c.action.status not in DONE)
            if how == HOW_MOVED:
                line = n_("{n} tiltak flyttet til ny id eller ny ordlyd ({open} av dem ikke ferdige):",
                          "{n} tiltak flyttet til ny id eller ny ordlyd ({open} av dem ikke ferdige):", n)
            elif how == HOW_CHANGED:
                line = n_("{n} tiltak beholdt med en merknad fordi påstanden er delt opp, slått sammen eller "
                          "erstattet ({open} av dem ikke ferdige):",
                          "{n} tiltak beholdt med en merknad fordi påstanden er delt opp, slått sammen eller "
                          "erstattet ({open} av dem ikke ferdige):", n)
            else:
                line = n_("{n} tiltak beholdt og merket fordi påstanden er tatt ut ({open} av dem ikke ferdige):",
                          "{n} tiltak beholdt og merket fordi påstanden er tatt ut ({open} av dem ikke ferdige):", n)
            lines.append(line.format(n=n, open=open_))
            lines += [f"  {c.action.action_id} → {c.new_id}: {c.note}" for c in found]
    return lines


def _carried_row(bank: Bank, result: RoundResult, c: Carried, kind_of: dict[str, str]) -> PlanRow:
    """The row for an unfinished action of the previous plan: every one is carried, the municipality's own too.
    On one of this round's priorities (or the legal minimum) it takes that kind; otherwise it is «videreført»."""
    p = c.action
    if c.how in (HOW_SAME, HOW_MOVED):
        kind = KIND_OWN if p.kind == KIND_OWN else kind_of.get(c.indicator_id, KIND_CARRIED)
        moved = replace(p, action_id=c.new_id, indicator_id=c.indicator_id, kind=kind)
        if c.indicator_id in bank.indicator_by_id or c.indicator_id in bank.legal_by_id:
            return _row(bank, result, moved)
        return _own_row(moved)
    kind = KIND_CHANGED if c.how == HOW_CHANGED else KIND_RETIRED
    text = f"{p.indicator_id} {c.old_short}".strip()
    return PlanRow(action=replace(p, action_id=c.new_id, kind=kind), indicator_text=text,
                   domain_name=c.old_domain or p.domain_id)


def _own_row(a: PlanAction) -> PlanRow:
    """A row samordna has no indicator for: what people typed in «Område» and «Indikator» stays."""
    return PlanRow(action=a, domain_name=a.domain_text or "", indicator_text=a.indicator_text or a.indicator_id)


def merge_rows(rnd: RoundLike, result: RoundResult, existing: list[PlanAction],
               previous: tuple[str, list[PlanAction]] | None, removed: Collection[str] = (),
               old_bank: Bank | None = None, written: Collection[str] | None = None) -> list[PlanRow]:
    """The plan's rows: the legal minimum's and the priorities' actions with what people typed carried over (by
    action id), every unfinished action from the previous plan (the municipality's own included), rows added by hand,
    and rows no longer relevant. Indicators below target without priority are not in the plan (``below_target_rows``)
    unless people put their row there: a suggested row they edited, or whose id they typed, stays where they left it.

    ``written`` are the ids samordna wrote in the existing plan last time (None: all its rows count as written).
    ``old_bank`` is the previous round's bank: when its version differs, the previous actions follow the bank's
    migration map (``map_previous``). Rows people deleted (``removed``) are not generated again. An existing plan
    keeps its order: new rows go after the last row of the same indicator, or after the row before them in the
    generated order."""
    bank = rnd.bank
    rows = _generated(rnd, result)
    kind_of = {r.action.indicator_id: r.action.kind for r in rows}
    by_id = {a.action_id: a for a in existing}
    order = list(by_id)
    carried: dict[str, Carried] = {}
    if previous:
        prev_round, prev_actions = previous
        _screen_carried(prev_round, prev_actions)
        carried = map_previous(bank, rnd.id, prev_round, prev_actions, old_bank)
    # every unfinished previous action the plan does not already have (nothing people typed is lost)
    generated_ids = {r.action.action_id for r in rows}
    for new_id, c in carried.items():
        if new_id in generated_ids or not carries(c.action):
            continue
        extra = _carried_row(bank, result, c, kind_of)
        near = [c.indicator_id] if c.how in (HOW_SAME, HOW_MOVED) else c.new_ids
        at = [i for i, r in enumerate(rows) if r.action.indicator_id in near and r.action.kind != KIND_OWN]
        rows.insert(at[-1] + 1 if at else len(rows), extra)
        generated_ids.add(new_id)
    # suggested rows for indicators below target that people kept in the plan: edited, or typed in by id
    for row in below_target_rows(rnd, result):
        a = by_id.get(row.action.action_id)
        if a is None or row.action.action_id in generated_ids:
            continue
        if (written is not None and a.action_id not in written) or edited(a, row.action):
            rows.append(row)
        else:  # samordna's suggestion, untouched: it is on the sheet «Under mål» now
            del by_id[a.action_id]
            order.remove(a.action_id)
    rows = [r for r in rows if r.action.action_id not in removed or r.action.action_id in by_id]
    for row in rows:
        a = row.action
        came = carried.get(a.action_id)
        if came is not None:
            prev = came.action
            row.carried = prev.status not in DONE
            row.previous = (f"{prev.action_id}: {_(prev.status)}" if prev.status in DONE
                            else _("Videreført fra {id} ({status})").format(id=prev.action_id, status=_(prev.status)))
            if came.note:
                row.previous += f". {came.note}"
        if a.action_id in by_id:
            _take_user_fields(row, by_id.pop(a.action_id))
        elif came is not None and carries(came.action):
            _take_user_fields(row, came.action)
    own = [a for a in by_id.values() if a.kind == KIND_OWN]
    stale = [replace(a, kind=KIND_STALE) for a in by_id.values() if a.kind != KIND_OWN]
    known = bank.indicator_by_id.keys() | bank.legal_by_id.keys()
    kept = {a.action_id: _row(bank, result, a) if a.indicator_id in known else _own_row(a) for a in own + stale}
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
    n = len(actions)
    lines = [n_("Handlingsplanen fra forrige runde ({file}): {n} tiltak – {counts}.",
                "Handlingsplanen fra forrige runde ({file}): {n} tiltak – {counts}.", n)
             .format(file=file_name, n=n, counts=", ".join(f"{k} {_(s).lower()}" for s, k in counts.items() if k))]
    open_ = [a for a in actions if carries(a)]
    started = [a for a in open_ if a.status != STATUSES[0] or a.responsible]
    own = sum(1 for a in open_ if a.kind == KIND_OWN)
    if open_:
        lines.append(_("Ikke ferdig:"))
        for a in started:
            who = f", {a.responsible}" if a.responsible else ""
            lines.append(f"  {a.action_id} ({_(a.status)}{who}): {_shorten(a.action)}")
        rest = len(open_) - len(started)
        if rest:
            lines.append("  " + n_("… og {n} tiltak som ikke er startet og ikke har noen ansvarlig.",
                                   "… og {n} tiltak som ikke er startet og ikke har noen ansvarlig.", rest)
                         .format(n=rest))
        k = len(open_)
        if k == 1:
            line = (_("Den nye handlingsplanen (samordna plan) starter fra det uferdige tiltaket (kommunens eget).")
                    if own else _("Den nye handlingsplanen (samordna plan) starter fra det uferdige tiltaket."))
        elif not own:
            line = _("Den nye handlingsplanen (samordna plan) starter fra de {n} uferdige tiltakene.")
        elif own == 1:
            line = _("Den nye handlingsplanen (samordna plan) starter fra de {n} uferdige tiltakene, ett av dem "
                     "kommunens eget.")
        else:
            line = _("Den nye handlingsplanen (samordna plan) starter fra de {n} uferdige tiltakene, {own} av dem "
                     "kommunens egne.")
        lines.append(line.format(n=k, own=own))
    return lines


def _shorten(text: str, n: int = 70) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"
