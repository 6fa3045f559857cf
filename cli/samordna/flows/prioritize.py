"""The group picks its priorities among the indicators below target, over a ``Prompter``."""

from __future__ import annotations

from dataclasses import dataclass

from samordna.core import fmt
from samordna.core.errors import SamordnaError
from samordna.core.mirror import GROUP_NAMES, ROLES, Gap
from samordna.core.scoring import PriorityResult, rank_priorities, score_workspace_round
from samordna.i18n import _, n_
from samordna.io.workspace import Round, Workspace
from samordna.ui.prompter import Choice, Prompter

DEFAULT_MIN, DEFAULT_MAX = 3, 5


def n_priorities(n: int) -> str:
    return n_("{n} prioritering", "{n} prioriteringer", n).format(n=n)


def priority_choices(ws: Workspace, rnd: Round) -> list[PriorityResult]:
    """The below-target indicators in suggested order (using consensus where recorded)."""
    result = score_workspace_round(ws, rnd)
    return rank_priorities(rnd.bank, result.indicators, rnd.priorities())


MIRROR_PREFIX = "speil:"  # the value of a mirror gap among the choices (an indicator id never starts so)


@dataclass(frozen=True)
class MirrorChoice:
    """A gap between the leaders and the young people (or parents) in one area of the mirror, and the indicators of
    the round's bank that the area's statements mirror: choosing it makes them priorities."""

    gap: Gap
    indicators: tuple[str, ...]

    @property
    def value(self) -> str:
        return f"{MIRROR_PREFIX}{self.gap.area}:{self.gap.role}"

    def label(self) -> str:
        g = self.gap
        return _("Speilet: {group} opplever {area} som {value}; lederne {leaders}").format(
            group=_(GROUP_NAMES[g.role]), area=g.name, value=fmt.num(g.value), leaders=fmt.num(g.leaders))


def _mirror(ws: Workspace, rnd: Round):
    from samordna.io.mirrorfile import round_mirror

    return round_mirror(ws, rnd, score_workspace_round(ws, rnd))


def _choice(rnd: Round, bank_statements, gap: Gap) -> MirrorChoice | None:
    wanted = {m for st in bank_statements if st.area == gap.area for m in st.mirrors}
    ids = tuple(i.id for i in rnd.bank.indicators if i.id in wanted)  # in the bank's order; only those it has
    return MirrorChoice(gap, ids) if ids else None


def mirror_choices(ws: Workspace, rnd: Round) -> list[MirrorChoice]:
    """The mirror's named gaps (largest first): where the leaders see an area clearly better than the young people
    or the parents experience it. Only what the mirror may show (a role under the limit has no gaps)."""
    found = _mirror(ws, rnd)
    if found is None:
        return []
    bank, view = found
    out = [_choice(rnd, bank.statements, g) for g in view.named_gaps(bank.gap_to_name)]
    return [c for c in out if c is not None]


def mirror_area_choice(ws: Workspace, rnd: Round, spec: str) -> MirrorChoice:
    """The mirror's gap in one area, for ``--speil AREA`` or ``--speil AREA:ROLE`` (default: the role with the
    largest gap there). A clear message when the mirror has nothing to show for it."""
    area, _sep, role = spec.strip().partition(":")
    area, role = area.upper(), role.strip().lower()
    if role and role not in ROLES:
        raise SamordnaError(_("--speil {spec}: rollen må være «{young}» eller «{parent}».").format(
            spec=spec, young=ROLES[0], parent=ROLES[1]))
    found = _mirror(ws, rnd)
    if found is None:
        raise SamordnaError(_("Ingen har svart i speilet i runde {round}, så det er ingenting å prioritere derfra.")
                            .format(round=rnd.id))
    bank, view = found
    if area not in bank.areas():
        raise SamordnaError(_("--speil {spec}: speilet har ikke området «{area}». Velg blant: {areas}.").format(
            spec=spec, area=area, areas=", ".join(bank.areas())))
    gaps = [g for g in view.gaps if g.area == area and (not role or g.role == role)]
    if not gaps:  # a role under the limit, or no leaders' level: nothing to show, and nothing said about why
        raise SamordnaError(_("--speil {spec}: speilet har ingen verdi å vise for området i runde {round} (for få svar "
                              "i gruppen, eller ingen nivå fra lederne).").format(spec=spec, round=rnd.id))
    choice = _choice(rnd, bank.statements, gaps[0])
    if choice is None:
        raise SamordnaError(_("--speil {spec}: ingen av påstandene speilet viser til, finnes i bankversjonen runde "
                              "{round} bruker.").format(spec=spec, round=rnd.id))
    return choice


def add_mirror_priorities(ws: Workspace, rnd: Round, specs: list[str]) -> list[str]:
    """Without questions (``--speil``): add the indicators the mirror's areas mirror to the round's priorities,
    marked as coming from the young people or the parents; the priorities already chosen stay. Returns the ids
    added (already chosen ones are marked, not added twice)."""
    choices = [mirror_area_choice(ws, rnd, spec) for spec in specs]
    with ws.lock("samordna prioritize"):
        ids, marks = rnd.priorities(), rnd.mirror_priorities()
        added = []
        for c in choices:
            for i in c.indicators:
                if i not in ids:
                    ids.append(i)
                    added.append(i)
                marks.setdefault(i, c.gap.role)
        rnd.save_priorities(ids, from_mirror=marks)
    return added


def run_prioritize(ws: Workspace, rnd: Round, prompter: Prompter, *, min_n: int = DEFAULT_MIN,
                   max_n: int = DEFAULT_MAX, suggest: int = 4) -> list[str]:
    """Let the group pick ``min_n``–``max_n`` priorities; save them in the round; return them (ranked).

    Besides the indicators below target, the mirror's largest gaps are offered (each counts as one choice):
    choosing one makes the indicators its area mirrors priorities, marked as coming from the young people or
    the parents (``from_mirror`` in prioriteringer.yaml)."""
    bank = rnd.bank
    ranked = priority_choices(ws, rnd)
    mirrored = mirror_choices(ws, rnd)
    if not ranked and not mirrored:
        prompter.say(_("Ingen påstander er under målet. Det er ingenting å prioritere i denne runden."))
        return []
    n_choices = len(ranked) + len(mirrored)
    lo, hi = min(min_n, n_choices), min(max_n, n_choices)
    current = [p for p in rnd.priorities() if any(r.id == p for r in ranked)]
    marks = rnd.mirror_priorities()
    current += [c.value for c in mirrored if any(marks.get(i) == c.gap.role for i in c.indicators)]
    checked = current or [r.id for r in ranked[:max(lo, min(suggest, hi))]]
    choices = []
    for r in ranked:
        notes = [_("nivå {level} / mål {target}").format(level=fmt.short(r.level), target=r.target),
                 _("avstand × vekt {score}").format(score=fmt.short(r.score))]
        if r.disagreement:
            notes.append(_("uenighet"))
        ind = bank.indicator_by_id[r.id]
        if ind.is_statutory:
            notes.append(_("lovpålagt"))
        if ind.local:
            notes.append(_("lokal"))
        choices.append(Choice(f"{r.rank:>2}. {r.id} {bank.indicator_by_id[r.id].short} ({', '.join(notes)})", r.id))
    for c in mirrored:
        choices.append(Choice(f"    {c.label()} ({_('gir {ids}').format(ids=', '.join(c.indicators))})", c.value))
    how_many = f"{lo}" if lo == hi else f"{lo}–{hi}"
    if ranked:
        prompter.say(n_("{n} påstand er under målet, rangert etter avstand til målet × vekt. "
                        "Velg {how_many} som gruppen vil arbeide med først.",
                        "{n} påstander er under målet, rangert etter avstand til målet × vekt. "
                        "Velg {how_many} som gruppen vil arbeide med først.", len(ranked))
                     .format(n=len(ranked), how_many=how_many))
    if mirrored:
        prompter.say(n_("Nederst står den største avstanden mellom lederne og speilet (ungdom eller foreldre). Velger "
                        "dere den, blir påstandene området speiler prioriteringer, merket «fra speilet». Velg "
                        "{how_many} i alt.",
                        "Nederst står de {n} største avstandene mellom lederne og speilet (ungdom eller foreldre). "
                        "Velger dere en av dem, blir påstandene området speiler prioriteringer, merket «fra "
                        "speilet». Velg {how_many} i alt.", len(mirrored)).format(n=len(mirrored), how_many=how_many))
    while True:
        title = (_("Velg {lo}–{hi} prioriteringer").format(lo=lo, hi=hi) if lo != hi
                 else n_("Velg {n} prioritering", "Velg {n} prioriteringer", lo).format(n=lo))
        picked = prompter.checkbox(title, choices, checked=checked,
                                   instruction=_("(mellomrom velger, Enter bekrefter)"))
        if lo <= len(picked) <= hi:
            break
        prompter.say(_("Du valgte {n}. Velg mellom {lo} og {hi}.").format(n=len(picked), lo=lo, hi=hi) if lo != hi
                     else _("Du valgte {n}. Velg {lo}.").format(n=len(picked), lo=lo))
        checked = picked
    order = {r.id: r.rank for r in ranked}
    chosen = sorted((p for p in picked if p in order), key=order.__getitem__)
    for pid in chosen:
        prompter.say(f"  {order[pid]:>2}. {pid} {bank.indicator_by_id[pid].short}")
    from_mirror: dict[str, str] = {}
    for c in mirrored:
        if c.value not in picked:
            continue
        prompter.say(f"      {c.label()}:")
        for pid in c.indicators:
            from_mirror.setdefault(pid, c.gap.role)
            if pid not in chosen:
                chosen.append(pid)
            prompter.say(f"      {pid} {bank.indicator_by_id[pid].short}")
    question = n_("Lagre denne prioriteringen for runde {round}?", "Lagre disse {n} prioriteringene for runde {round}?",
                  len(chosen)).format(n=len(chosen), round=rnd.id)
    if not prompter.confirm(question, default=True):
        prompter.say(_("Ikke lagret. Ingenting er endret."))
        return []
    with ws.lock("samordna prioritize"):  # the group's choice replaces the list; one writer at a time
        rnd.save_priorities(chosen, from_mirror=from_mirror)
    return chosen
