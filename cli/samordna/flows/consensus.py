"""The facilitator's consensus round in the room, one indicator at a time (priorities: ``flows.prioritize``).

It runs over a ``Prompter`` (questionary in the terminal, a script in tests),
so nothing here imports questionary. Consensus is saved after every indicator, into
the file as it is on disk at that moment (``Round.update_consensus``, under the
workspace lock, which is never held while the room talks): Ctrl-C
(KeyboardInterrupt) leaves everything agreed so far on disk, and the next run
resumes with what is left. The individual answers are never changed.

The room sees the distribution of answers as a text histogram, never who
answered what: comments are shown without codes, sorted alphabetically.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial

from samordna.core import fmt
from samordna.core.answers import NOT_APPLICABLE
from samordna.core.bank import Bank
from samordna.core.models import ConsensusEntry
from samordna.core.privacy import screen_text
from samordna.core.scoring import (
    IndicatorResult,
    named_level,
    responses_for,
    score_round,
)
from samordna.io.workspace import Round
from samordna.ui.prompter import Choice, Prompter, plain_terminal

SKIP = "__hopp_over__"
STOP = "__avslutt__"
BAR_WIDTH = 24
TEXT_WIDTH = 88


# --- what the room sees -----------------------------------------------------------


def individual_results(rnd: Round) -> list[IndicatorResult]:
    """Indicator results from the individual answers only (no consensus): the order stays stable on resume."""
    return score_round(rnd.bank, responses_for(rnd)).indicators


def spread(r: IndicatorResult) -> int:
    return (r.max - r.min) if r.min is not None and r.max is not None else 0


def consensus_order(bank: Bank, results: list[IndicatorResult]) -> list[IndicatorResult]:
    """Disagreement first, then the largest gap × weight, then the widest spread; bank order breaks ties."""
    order = {ind.id: i for i, ind in enumerate(bank.indicators)}
    return sorted(results, key=lambda r: (not r.disagreement, -((r.gap or 0.0) * r.weight), -spread(r), order[r.id]))


def histogram(r: IndicatorResult, bank: Bank, plain: bool | None = None) -> list[str]:
    """The distribution as text bars, one line per answer option. Counts only, never codes."""
    block = "#" if (plain_terminal() if plain is None else plain) else "█"
    rows = [(f"{lv.level} {lv.name}", r.counts.get(lv.level, 0)) for lv in bank.scale.levels]
    rows.append((f"  {bank.scale.dont_know.label}", r.n_dont_know))
    rows.append((f"  {bank.scale.not_applicable.label}", r.n_not_applicable))
    top = max([n for _, n in rows] + [1])
    width = max(len(label) for label, _ in rows)
    scale = min(3.0, BAR_WIDTH / top)
    lines = []
    for label, n in rows:
        bar = block * (max(1, round(n * scale)) if n else 0)
        lines.append(f"  {label:<{width}} │ {bar}{' ' if bar else ''}{n}")
    return lines


def comments_by_indicator(rnd: Round) -> dict[str, list[str]]:
    """Each indicator's comments without codes, de-duplicated and sorted (so order says nothing about who)."""
    out: dict[str, set[str]] = {}
    for pf in rnd.participants():
        for ind_id, a in pf.answers.items():
            if a.comment:
                out.setdefault(ind_id, set()).add(a.comment)
    return {k: sorted(v) for k, v in out.items()}


def describe(rnd: Round, r: IndicatorResult, position: str, previous: ConsensusEntry | None,
             comments: Sequence[str] = ()) -> list[str]:
    bank = rnd.bank
    ind = bank.indicator_by_id[r.id]
    lines = [
        "",
        f"{position}  {ind.id} {ind.short}  ({bank.domain_of[ind.id].name})",
        *textwrap.wrap(f"«{ind.statement}»", width=TEXT_WIDTH),
        "",
        *histogram(r, bank),
        "",
    ]
    facts = [f"median {fmt.short(r.median)}", f"mål {ind.target}", f"{r.n_responses} svar"]
    if r.disagreement:
        facts.append("UENIGHET: svarene spriker")
    if r.n_responses and r.share_dont_know >= 0.3:
        facts.append(f"mange «Vet ikke» ({round(r.share_dont_know * 100)} %)")
    lines.append("  " + " · ".join(facts))
    if previous is not None:
        lines.append(f"  Forrige runde: {_level_text(bank, previous.level)} – {previous.rationale}")
    if comments:
        lines.append("  Kommentarer (uten kode, sortert):")
        for c in comments:
            lines += textwrap.wrap(c, width=TEXT_WIDTH, initial_indent="   – ", subsequent_indent="     ")
    return lines


def _level_text(bank: Bank, level) -> str:
    if level == NOT_APPLICABLE:
        return bank.scale.not_applicable.label
    return f"nivå {level} ({bank.scale.name(level)})"


def _level_choices(bank: Bank) -> list[Choice]:
    choices = [Choice(f"{lv.level} – {lv.name}", lv.level, lv.description) for lv in bank.scale.levels]
    choices.append(Choice(bank.scale.not_applicable.label, NOT_APPLICABLE, bank.scale.not_applicable.description))
    choices.append(Choice("Hopp over – ta den senere", SKIP))
    choices.append(Choice("Avslutt – det som er lagret, beholdes", STOP))
    return choices


def _free_text_ok(text: str) -> bool | str:
    verdict = screen_text(text)
    return True if verdict.ok else verdict.blocked[0]


def _rationale_ok(text: str) -> bool | str:
    if not text or not text.strip():
        return "Skriv én setning om hvorfor gruppen landet her."
    return _free_text_ok(text)


# --- consensus --------------------------------------------------------------------


def _with_entry(ind_id: str, entry: ConsensusEntry, current: dict[str, ConsensusEntry]) -> dict[str, ConsensusEntry]:
    return {**current, ind_id: entry}


@dataclass
class ConsensusSummary:
    recorded: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    stopped: bool = False
    total: int = 0
    agreed: int = 0  # indicators with consensus after the session


def run_consensus(rnd: Round, prompter: Prompter, *, redo: bool = False,
                  now: Callable[[], datetime] | None = None) -> ConsensusSummary:
    """Walk the indicators in consensus order and record the group's level, rationale and dissent."""
    bank = rnd.bank
    now = now or (lambda: datetime.now().replace(microsecond=0))
    entries = dict(rnd.consensus())
    prev_round = rnd.workspace.previous_round(rnd)
    previous = prev_round.consensus() if prev_round is not None else {}
    results = [r for r in consensus_order(bank, individual_results(rnd)) if r.n_responses]
    todo = results if redo else [r for r in results if r.id not in entries]
    summary = ConsensusSummary(total=len(bank.indicators))
    comments = comments_by_indicator(rnd)
    if not results:
        prompter.say("Runden har ingen svar ennå. Les inn skjema (samordna import) eller svar med samordna assess.")
        return summary
    prompter.say(f"{len(entries)} av {len(bank.indicators)} påstander har konsensus. "
                 f"{len(todo)} gjenstår i denne økten. Uenighet og størst avstand til målet kommer først.")
    for i, r in enumerate(todo, start=1):
        existing = entries.get(r.id)
        for line in describe(rnd, r, f"[{i}/{len(todo)}]", previous.get(r.id), comments.get(r.id, [])):
            prompter.say(line)
        default = existing.level if existing else (named_level(r.median) if r.median is not None else SKIP)
        level = prompter.select(f"Gruppens nivå for {r.id}", _level_choices(bank), default=default,
                                instruction="(piltastene, Enter velger)")
        if level == STOP:
            summary.stopped = True
            break
        if level == SKIP:
            summary.skipped.append(r.id)
            continue
        rationale = prompter.text("Begrunnelse (én setning)", default=existing.rationale if existing else "",
                                  validate=_rationale_ok).strip()
        dissent = prompter.text("Dissens (valgfritt – Enter for ingen)",
                                default=(existing.dissent or "") if existing else "", validate=_free_text_ok).strip()
        for text in (rationale, dissent):
            for warning in screen_text(text).warnings:
                prompter.say(f"Merk: {warning}")
        entry = ConsensusEntry(level=level, rationale=rationale, dissent=dissent or None, recorded=now())
        # after every indicator: Ctrl-C never loses what was agreed; re-read so no other writer's entry is lost
        entries = rnd.update_consensus(partial(_with_entry, r.id, entry), command="samordna consensus")
        summary.recorded.append(r.id)
    summary.agreed = len(entries)
    return summary


__all__ = ["run_consensus", "consensus_order", "histogram", "individual_results", "SKIP", "STOP"]
