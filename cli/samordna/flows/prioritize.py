"""The group picks its priorities among the indicators below target, over a ``Prompter``."""

from __future__ import annotations

from samordna.core import fmt
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


def run_prioritize(ws: Workspace, rnd: Round, prompter: Prompter, *, min_n: int = DEFAULT_MIN,
                   max_n: int = DEFAULT_MAX, suggest: int = 4) -> list[str]:
    """Let the group pick ``min_n``–``max_n`` priorities; save them in the round; return them (ranked)."""
    bank = rnd.bank
    ranked = priority_choices(ws, rnd)
    if not ranked:
        prompter.say(_("Ingen påstander er under målet. Det er ingenting å prioritere i denne runden."))
        return []
    lo, hi = min(min_n, len(ranked)), min(max_n, len(ranked))
    current = [p for p in rnd.priorities() if any(r.id == p for r in ranked)]
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
    how_many = f"{lo}" if lo == hi else f"{lo}–{hi}"
    prompter.say(n_("{n} påstand er under målet, rangert etter avstand til målet × vekt. "
                    "Velg {how_many} som gruppen vil arbeide med først.",
                    "{n} påstander er under målet, rangert etter avstand til målet × vekt. "
                    "Velg {how_many} som gruppen vil arbeide med først.", len(ranked))
                 .format(n=len(ranked), how_many=how_many))
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
    chosen = sorted(picked, key=order.__getitem__)
    for pid in chosen:
        prompter.say(f"  {order[pid]:>2}. {pid} {bank.indicator_by_id[pid].short}")
    question = n_("Lagre denne prioriteringen for runde {round}?", "Lagre disse {n} prioriteringene for runde {round}?",
                  len(chosen)).format(n=len(chosen), round=rnd.id)
    if not prompter.confirm(question, default=True):
        prompter.say(_("Ikke lagret. Ingenting er endret."))
        return []
    with ws.lock("samordna prioritize"):  # the group's choice replaces the list; one writer at a time
        rnd.save_priorities(chosen)
    return chosen
