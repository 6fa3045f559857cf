"""The group picks its priorities among the indicators below target, over a ``Prompter``."""

from __future__ import annotations

from samordna.core import fmt
from samordna.core.scoring import PriorityResult, rank_priorities, score_workspace_round
from samordna.io.workspace import Round, Workspace
from samordna.ui.prompter import Choice, Prompter

DEFAULT_MIN, DEFAULT_MAX = 3, 5


def n_priorities(n: int) -> str:
    return f"{n} prioritering" if n == 1 else f"{n} prioriteringer"


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
        prompter.say("Ingen påstander er under målet. Det er ingenting å prioritere i denne runden.")
        return []
    lo, hi = min(min_n, len(ranked)), min(max_n, len(ranked))
    current = [p for p in rnd.priorities() if any(r.id == p for r in ranked)]
    checked = current or [r.id for r in ranked[:max(lo, min(suggest, hi))]]
    choices = []
    for r in ranked:
        notes = [f"nivå {fmt.short(r.level)} / mål {r.target}", f"avstand × vekt {fmt.short(r.score)}"]
        if r.disagreement:
            notes.append("uenighet")
        ind = bank.indicator_by_id[r.id]
        if ind.is_statutory:
            notes.append("lovpålagt")
        if ind.local:
            notes.append("lokal")
        choices.append(Choice(f"{r.rank:>2}. {r.id} {bank.indicator_by_id[r.id].short} ({', '.join(notes)})", r.id))
    how_many = f"{lo}" if lo == hi else f"{lo}–{hi}"
    below = "1 påstand er" if len(ranked) == 1 else f"{len(ranked)} påstander er"
    prompter.say(f"{below} under målet, rangert etter avstand til målet × vekt. "
                 f"Velg {how_many} som gruppen vil arbeide med først.")
    while True:
        picked = prompter.checkbox(f"Velg {lo}–{hi} prioriteringer" if lo != hi else f"Velg {n_priorities(lo)}",
                                   choices, checked=checked,
                                   instruction="(mellomrom velger, Enter bekrefter)")
        if lo <= len(picked) <= hi:
            break
        prompter.say(f"Du valgte {len(picked)}. Velg mellom {lo} og {hi}." if lo != hi
                     else f"Du valgte {len(picked)}. Velg {lo}.")
        checked = picked
    order = {r.id: r.rank for r in ranked}
    chosen = sorted(picked, key=order.__getitem__)
    for pid in chosen:
        prompter.say(f"  {order[pid]:>2}. {pid} {bank.indicator_by_id[pid].short}")
    what = "denne prioriteringen" if len(chosen) == 1 else f"disse {len(chosen)} prioriteringene"
    if not prompter.confirm(f"Lagre {what} for runde {rnd.id}?", default=True):
        prompter.say("Ikke lagret. Ingenting er endret.")
        return []
    with ws.lock("samordna prioritize"):  # the group's choice replaces the list; one writer at a time
        rnd.save_priorities(chosen)
    return chosen
