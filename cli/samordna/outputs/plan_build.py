"""Everything the plan's sheets need, read and checked before anything is written.

An existing plan is merged with what the round calls for (``plan.merge``): people's row order stays, rows they
deleted stay deleted, and what they added (columns, rows such as a sum, sheets, names) is carried into the new
workbook (``Carry``). What cannot be carried over stops the command here, before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from samordna.core.bank import Bank
from samordna.core.errors import SamordnaError
from samordna.core.mirror import GROUP_NAMES, MirrorBank, MirrorView
from samordna.core.privacy import screen_text
from samordna.core.results import workspace_results
from samordna.core.scoring import RoundResult
from samordna.i18n import _, language, n_
from samordna.io.plan_reader import PlanFile, open_plan, previous_plan
from samordna.io.workspace import Round, Workspace, load_roles
from samordna.outputs.plan_carry import Carry, carry_over
from samordna.plan.merge import Carried, below_target_rows, map_previous, merge_rows, migration_summary
from samordna.plan.model import COLUMNS, KIND_PRIORITY, PlanAction, PlanRow


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
    # indicators below target without priority, not in the plan: their first suggested action («Under mål»)
    below: list[PlanRow] = field(default_factory=list)
    # the young people's mirror of the round as it may be shown (None: nobody answered it), and the priorities
    # that came from it (indicator id -> role)
    mirror: tuple[MirrorBank, MirrorView] | None = None
    from_mirror: dict[str, str] = field(default_factory=dict)

    def contents(self) -> list[str]:
        """What the sheet «Handlingsplan» holds, in plain words (the sheet «Om» and the command's output)."""
        from samordna.plan.model import BELOW_SHEET, KIND_LEGAL, KIND_OWN

        rows = [r.action for r in self.rows]
        lines = []
        legal = sum(1 for a in rows if a.kind == KIND_LEGAL)
        if legal:
            lines.append(n_("Først juridisk minimum: {n} tiltak for punkter besvart «nei» eller «uavklart».",
                            "Først juridisk minimum: {n} tiltak for punkter besvart «nei» eller «uavklart».", legal)
                         .format(n=legal))
        n = len(self.chosen)
        if not self.result.n_participants:
            lines.append(_("Ingen svar er registrert ennå (samordna assess eller samordna kit). Planen får tiltak for "
                           "juridisk minimum og gruppens prioriteringer når svarene er inne og gruppen har valgt "
                           "prioriteringer (samordna prioritize)."))
        elif n:
            lines.append(n_("Gruppens {n} prioritering med bankens forslag til tiltak.",
                            "Gruppens {n} prioriteringer med bankens forslag til tiltak.", n).format(n=n))
            mirrored = sum(1 for i in self.chosen if i in self.from_mirror)
            if mirrored:
                lines.append(n_("{n} av prioriteringene kom fra speilet (merket «Fra speilet» i kolonnen «{column}»).",
                                "{n} av prioriteringene kom fra speilet (merket «Fra speilet» i kolonnen «{column}»).",
                                mirrored).format(n=mirrored, column=_({k: h for k, h, _w in COLUMNS}["basis"])))
        else:
            lines.append(_("Gruppen har ikke valgt prioriteringer ennå (samordna prioritize). Til da har planen bare "
                           "juridisk minimum og tiltakene som er ført videre fra forrige plan."))
        carried = sum(1 for r in self.rows if r.carried)
        own = sum(1 for r in self.rows if r.carried and r.action.kind == KIND_OWN)
        if carried:
            if not own:
                line = n_("{n} uferdig tiltak ført videre fra forrige plan",
                          "{n} uferdige tiltak ført videre fra forrige plan", carried)
            elif carried == 1:
                line = _("{n} uferdig tiltak ført videre fra forrige plan (kommunens eget).")
            elif own == 1:
                line = _("{n} uferdige tiltak ført videre fra forrige plan, ett av dem kommunens eget.")
            else:
                line = _("{n} uferdige tiltak ført videre fra forrige plan, {own} av dem kommunens egne.")
            lines.append(line.format(n=carried, own=own))
        if self.below:
            n_below = len(self.below)
            lines.append(n_("{n} påstand under målet uten prioritet står i arket «{sheet}», ikke i planen.",
                            "{n} påstander under målet uten prioritet står i arket «{sheet}», ikke i planen.",
                            n_below).format(n=n_below, sheet=_(BELOW_SHEET)))
        return lines

    @property
    def chosen(self) -> list[str]:
        """The group's priorities (none before ``samordna prioritize``)."""
        return [i for i in self.result.chosen_priorities if i in self.rnd.bank.indicator_by_id]


def build_plan(ws: Workspace, rnd: Round, out: Path | None = None, today: date | None = None) -> PlanBuild:
    """Read and check everything the plan needs; nothing is written."""
    out = Path(out) if out else rnd.plan_path
    history = [r for r in workspace_results(ws) if r.year <= rnd.year]
    result = next(r for r in history if r.round == rnd.id)
    source = open_plan(out) if out.exists() else None
    existing: list[PlanAction] = source.actions if source else []
    if source and source.meta.round and source.meta.round != rnd.id:
        raise SamordnaError(
            _("{file} er handlingsplanen for runde {round}, ikke runde {expected}. Velg en annen fil med --out, "
              "eller riktig runde med --round. Ingenting er endret.")
            .format(file=out, round=source.meta.round, expected=rnd.id), path=out)
    removed = _removed(source)
    found = previous_plan(ws, rnd)  # only found when there is a previous round
    prev_round = ws.previous_round(rnd)
    previous = (found[0], prev_round.id, found[1]) if found and prev_round else None
    old_bank: Bank | None = prev_round.bank if previous and prev_round else None  # its folder's bank.yaml
    written = {i for i, _ in source.meta.written} if source and source.meta.written else None
    rows = merge_rows(rnd, result, existing, (previous[1], previous[2]) if previous else None,
                      removed={i for i, _ in removed}, old_bank=old_bank, written=written)
    in_plan = {r.action.action_id for r in rows}
    below = [r for r in below_target_rows(rnd, result) if r.action.action_id not in in_plan]
    carried = map_previous(rnd.bank, rnd.id, previous[1], previous[2], old_bank) if previous else {}
    headers = {k: h for k, h, _ in COLUMNS}
    problems = [_("Tiltak {id}, kolonnen «{column}»: teksten ser ut til å inneholde et fødselsnummer eller "
                  "D-nummer. Fjern det i Excel og prøv igjen.").format(id=row.action.action_id, column=_(headers[key]))
                for row in rows for key in ("action", "comment", "responsible")
                if not screen_text(getattr(row.action, key)).ok]
    from_mirror = rnd.mirror_priorities()
    _mark_mirrored(rows, from_mirror)
    carry = _fresh(rows) if source is None else carry_over(source, rows, problems)
    if problems:
        raise SamordnaError(_("Handlingsplanen {file} kan ikke lages på nytt:").format(file=out), path=out,
                            problems=problems)
    return PlanBuild(ws=ws, rnd=rnd, result=result, rows=rows, history=history[:-1], previous=previous,
                     roles=load_roles(language=language()), today=today or date.today(), removed=removed, carry=carry,
                     carried=carried, migration=migration_summary(carried, old_bank, rnd.bank), below=below,
                     mirror=_round_mirror(ws, rnd, result), from_mirror=from_mirror)


def mirror_mark(role: str) -> str:
    """What the plan says of an action whose indicator the group prioritised from the mirror."""
    return _("Fra speilet: {group}").format(group=_(GROUP_NAMES.get(role, role)))


def _mark_mirrored(rows: list[PlanRow], from_mirror: dict[str, str]) -> None:
    """The group's priorities that came from the mirror: «Fra speilet: ungdommene» first in «Forankring»."""
    for row in rows:
        role = from_mirror.get(row.action.indicator_id)
        if role is not None and row.action.kind == KIND_PRIORITY:
            row.basis = "; ".join(p for p in (mirror_mark(role), row.basis) if p)


def _round_mirror(ws: Workspace, rnd: Round, result: Any) -> tuple[MirrorBank, MirrorView] | None:
    from samordna.io.mirrorfile import round_mirror

    return round_mirror(ws, rnd, result)


def _fresh(rows: list[PlanRow]) -> Carry:
    """A new plan: the columns people added to last year's plan come along with the actions carried over."""
    carry = Carry(lines=list(rows))
    heads: list[str] = []
    for row in rows:
        heads += [h for h in row.action.extra if h not in heads]
    taken = {_(h).lower() for _k, h, _w in COLUMNS}
    for n, head in enumerate(heads, start=1):
        key = f"+{n}"
        carry.layout.append(key)
        carry.headers[key] = head if head.lower() not in taken else f"{head} ({n})"
        carry.extra_of[key] = head
    return carry


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
