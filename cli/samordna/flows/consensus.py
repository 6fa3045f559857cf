"""The facilitator's consensus round in the room, one indicator at a time (priorities: ``flows.prioritize``).

It runs over a ``Prompter`` (questionary in the terminal, a script in tests),
so nothing here imports questionary. Consensus is saved after every indicator, into
the file as it is on disk at that moment (``Round.update_consensus``, under the
workspace lock, which is never held while the room talks): Ctrl-C
(KeyboardInterrupt) leaves everything agreed so far on disk, and the next run
resumes with what is left. The individual answers are never changed.

The room sees the distribution of answers as a text histogram, never who
answered what: comments are shown without codes, sorted alphabetically.

A bank with a legal minimum (2.0 and later) takes it first: the room sees how many
answered ja, nei and vet ikke, and records one ja / nei / vet ikke per item with the
documentation (case number, link) as the rationale. A statutory indicator offers no
«ikke relevant»; an indicator's own level descriptors stand next to the spread.

For the time the group has, the statements can be narrowed (``SELECTIONS``): those with disagreement, those
below target, either, or all; the legal minimum is always asked (it is short). Where the group takes the
suggested level (the median) at once and the answers did not disagree, Enter on the rationale records a quick
agreement with the standard text ``QUICK_RATIONALE``; a rationale stays required where the level differs
from the median or the answers disagreed. Participant text on the screen (comments, last round's rationale and
dissent) goes through ``mask_contacts``: phone numbers and e-mail addresses never reach the projector.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial

from samordna.core import fmt
from samordna.core.answers import DONT_KNOW, NO, NOT_APPLICABLE, YES
from samordna.core.bank import Bank, Indicator, LegalItem
from samordna.core.errors import SamordnaError
from samordna.core.models import ConsensusEntry
from samordna.core.privacy import mask_contacts, screen_text
from samordna.core.quick_agreement import QUICK_RATIONALE, is_quick_agreement
from samordna.core.scoring import (
    IndicatorResult,
    named_level,
    responses_for,
    score_round,
)
from samordna.i18n import N_, _, n_
from samordna.io.workspace import Round
from samordna.ui.prompter import Choice, Prompter, plain_terminal

SKIP = "__hopp_over__"
STOP = "__avslutt__"
BAR_WIDTH = 24
TEXT_WIDTH = 88

# --- which statements the room discusses -------------------------------------------------------

ALL = "alle"
SELECTIONS: dict[str, str] = {  # value of --utvalg -> what the statements are called in a sentence (selection_words)
    "uenighet": N_("med uenighet"),
    "under-mal": N_("under mål"),
    "begge": N_("med uenighet eller under mål"),
    ALL: "",
}


def selection_words(key: str) -> str:
    """What the statements of a selection are called, in the current language («med uenighet»; all: empty)."""
    words = SELECTIONS[key]
    return _(words) if words else ""


def parse_selection(text: str) -> str:
    """``--utvalg`` as typed (any case, «mål» with or without å) -> a key of ``SELECTIONS``."""
    key = text.strip().lower().replace("å", "a").replace("_", "-").replace(" ", "-")
    if key in SELECTIONS:
        return key
    raise SamordnaError(_("Ukjent utvalg «{text}». Velg uenighet, under-mal, begge (uenighet eller under mål) "
                          "eller alle.").format(text=text))


def in_selection(r: IndicatorResult, selection: str) -> bool:
    if selection == "uenighet":
        return r.disagreement
    if selection == "under-mal":
        return r.below_target
    if selection == "begge":
        return r.disagreement or r.below_target
    return True


def n_statements(n: int) -> str:
    return n_("{n} påstand", "{n} påstander", n).format(n=n)


def suggested_level(r: IndicatorResult) -> int | None:
    """The level the room is offered: the median of the individual answers as a whole level."""
    return named_level(r.median) if r.median is not None else None



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
    """The distribution as text bars, one line per answer option. Counts only, never codes.

    An indicator with its own level descriptors gets them next to its bars (wrapped under each other)."""
    ind = bank.indicator_by_id[r.id]
    rows: list[tuple[str, int, str]] = [(f"{lv.level} {lv.name}", r.counts.get(lv.level, 0),
                                         ind.levels[lv.level] if ind.levels else "") for lv in bank.scale.levels]
    rows.append((f"  {bank.scale.dont_know.label}", r.n_dont_know, ""))
    if not ind.is_statutory or r.n_not_applicable:  # a legal duty is never «ikke relevant»
        rows.append((f"  {bank.scale.not_applicable.label}", r.n_not_applicable, ""))
    return _bars(rows, plain)


def _bars(rows: Sequence[tuple[str, int, str]], plain: bool | None) -> list[str]:
    block = "#" if (plain_terminal() if plain is None else plain) else "█"
    top = max([n for _, n, _ in rows] + [1])
    width = max(len(label) for label, _, _ in rows)
    scale = min(3.0, BAR_WIDTH / top)
    count_width = len(str(top))
    lines = []
    for label, n, words in rows:
        bar = block * (max(1, round(n * scale)) if n else 0)
        line = f"  {label:<{width}} │ {bar}{' ' if bar else ''}{n}"
        if words:
            pad = width + BAR_WIDTH + count_width + 8
            text = textwrap.wrap(" ".join(words.split()), width=max(30, TEXT_WIDTH + 12 - pad))
            lines.append(f"{line:<{pad}}{text[0]}")
            lines += [" " * pad + more for more in text[1:]]
        else:
            lines.append(line)
    return lines


@dataclass
class LegalCounts:
    """How the individuals answered one legal-minimum item (counts only)."""

    id: str
    n_yes: int = 0
    n_no: int = 0
    n_dont_know: int = 0

    @property
    def n_responses(self) -> int:
        return self.n_yes + self.n_no + self.n_dont_know

    def suggestion(self) -> str:
        """The most common answer; a tie goes to the less flattering (nei before vet ikke before ja)."""
        ranked = sorted(((self.n_no, 2, NO), (self.n_dont_know, 1, DONT_KNOW), (self.n_yes, 0, YES)), reverse=True)
        return ranked[0][2]


def legal_counts(rnd: Round) -> dict[str, LegalCounts]:
    """The individual answers on each legal-minimum item, counted (no codes)."""
    out = {item.id: LegalCounts(item.id) for item in rnd.bank.legal_minimum}
    for pf in rnd.participants():
        for item_id, c in out.items():
            a = pf.answers.get(item_id)
            if a is None:
                continue
            if a.level == YES:
                c.n_yes += 1
            elif a.level == NO:
                c.n_no += 1
            elif a.level == DONT_KNOW:
                c.n_dont_know += 1
    return out


def citation(bank: Bank, source_id: str) -> str:
    src = bank.source_by_id.get(source_id)
    return source_id if src is None else (src.citation or src.short)


def describe_legal(bank: Bank, item: LegalItem, c: LegalCounts, position: str, previous: ConsensusEntry | None,
                   comments: Sequence[str] = (), plain: bool | None = None) -> list[str]:
    """What the room sees for a legal-minimum item: the question, who knows, the law, and the counts."""
    scale = bank.scale
    lines = [
        "",
        f"{position}  {item.id} {item.short}  " + _("(Juridisk minimum: det loven krever)"),
        *textwrap.wrap(_("«{text}»").format(text=item.question), width=TEXT_WIDTH),
        "  " + _("Hvem vet svaret: {who}").format(who=item.who),
        "  " + _("Lovkrav: {laws}").format(laws="; ".join(citation(bank, r) for r in item.references)),
        "",
        *_bars([(scale.label(YES), c.n_yes, ""), (scale.label(NO), c.n_no, ""),
                (scale.label(DONT_KNOW), c.n_dont_know, "")], plain),
        "",
        "  " + _("{n_no} av {total} svarte «{no}», {n_dk} svarte «{dont_know}».").format(
            n_no=c.n_no, total=c.n_responses, no=scale.label(NO).lower(), n_dk=c.n_dont_know,
            dont_know=scale.label(DONT_KNOW).lower()),
    ]
    return lines + _previous_and_comments(bank, previous, comments)


def _previous_and_comments(bank: Bank, previous: ConsensusEntry | None, comments: Sequence[str]) -> list[str]:
    """Last round's agreed answer and this round's comments (without codes), as shown under a statement."""
    lines: list[str] = []
    if previous is not None:
        why = _("enige uten drøfting") if is_quick_agreement(previous.rationale) else mask_contacts(previous.rationale)
        lines += textwrap.wrap(_("Forrige runde: {level} – {why}").format(level=_level_text(bank, previous.level),
                                                                          why=why), width=TEXT_WIDTH,
                               initial_indent="  ", subsequent_indent="    ")
        if previous.dissent:
            lines += textwrap.wrap(_("Dissens forrige runde: {dissent}").format(dissent=mask_contacts(previous.dissent)),
                                   width=TEXT_WIDTH, initial_indent="  ", subsequent_indent="    ")
    if comments:
        lines.append("  " + _("Kommentarer (uten kode, sortert):"))
        for text in comments:
            lines += textwrap.wrap(mask_contacts(text), width=TEXT_WIDTH, initial_indent="   – ",
                                   subsequent_indent="     ")
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
        *textwrap.wrap(_("«{text}»").format(text=ind.statement), width=TEXT_WIDTH),
        "",
        *histogram(r, bank),
        "",
    ]
    facts = [_("median {median}").format(median=fmt.short(r.median)), _("mål {target}").format(target=ind.target),
             n_("{n} svar", "{n} svar", r.n_responses).format(n=r.n_responses)]
    if ind.is_statutory:
        facts.append(_("lovpålagt ({laws}): ikke «ikke relevant»").format(
            laws="; ".join(citation(bank, law) for law in ind.statutory)))
    if ind.local:
        facts.append(_("lokal påstand ({owner})").format(owner=ind.local_owner) if ind.local_owner
                     else _("lokal påstand"))
    if r.disagreement:
        facts.append(_("UENIGHET: svarene spriker"))
    if r.n_responses and r.share_dont_know >= 0.3:
        facts.append(_("mange «Vet ikke» ({percent} %)").format(percent=round(r.share_dont_know * 100)))
    lines.append("  " + " · ".join(facts))
    return lines + _previous_and_comments(bank, previous, comments)


def _level_text(bank: Bank, level) -> str:
    if isinstance(level, str):
        return bank.scale.label(level)
    return _("nivå {level} ({name})").format(level=level, name=bank.scale.name(level))


def _level_choices(bank: Bank, ind: Indicator | None = None) -> list[Choice]:
    choices = [Choice(f"{lv.level} – {lv.name}", lv.level, ind.levels[lv.level] if ind and ind.levels else lv.description)
               for lv in bank.scale.levels]
    if ind is None or bank.allows(ind.id, NOT_APPLICABLE):
        choices.append(Choice(bank.scale.not_applicable.label, NOT_APPLICABLE, bank.scale.not_applicable.description))
    choices += _nav_choices()
    return choices


def _legal_choices(bank: Bank) -> list[Choice]:
    scale = bank.scale
    out = [Choice(scale.label(v), v, special.description if special else None)
           for v, special in ((YES, scale.yes), (NO, scale.no), (DONT_KNOW, scale.dont_know))]
    return out + _nav_choices()


def _nav_choices() -> list[Choice]:
    choices = [Choice(_("Hopp over – ta den senere"), SKIP)]
    choices.append(Choice(_("Avslutt – det som er lagret, beholdes"), STOP))
    return choices


def _free_text_ok(text: str) -> bool | str:
    verdict = screen_text(text)
    return True if verdict.ok else verdict.blocked[0]


def _rationale_required(why: str) -> Callable[[str], bool | str]:
    def ok(text: str) -> bool | str:
        if not text or not text.strip():
            return _("Skriv én setning om hvorfor gruppen landet her ({why}).").format(why=why)
        return _free_text_ok(text)
    return ok


def _why_required(level: int | str, suggested: int | None, disagreement: bool) -> str | None:
    """Why a written rationale is required for ``level``; None when Enter may record a quick agreement."""
    if disagreement:
        return _("svarene spriket")
    if suggested is None:
        return _("svarene gir ingen median")
    if level != suggested:
        return _("nivået er ikke medianen {median}").format(median=suggested)
    return None


def _documentation_ok(text: str) -> bool | str:
    if not text or not text.strip():
        return _("Skriv hva svaret bygger på: et saksnummer, en lenke eller et vedtak (eller hvorfor dere ikke vet).")
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
    quick: list[str] = field(default_factory=list)  # recorded as a quick agreement (no discussion)
    selection: str = ALL
    left_out: int = 0  # statements outside the selection, without consensus (they stand at the median)


def run_consensus(rnd: Round, prompter: Prompter, *, redo: bool = False, selection: str | None = None,
                  now: Callable[[], datetime] | None = None) -> ConsensusSummary:
    """Walk the indicators in consensus order and record the group's level, rationale and dissent.

    ``selection`` (a key of ``SELECTIONS``) narrows the statements; the legal minimum is always asked.
    None means all, with a hint about the short selection when it would leave some out."""
    bank = rnd.bank
    now = now or (lambda: datetime.now().replace(microsecond=0))
    entries = dict(rnd.consensus())
    prev_round = rnd.workspace.previous_round(rnd)
    previous = prev_round.consensus() if prev_round is not None else {}
    results = [r for r in consensus_order(bank, individual_results(rnd)) if r.n_responses]
    open_ = results if redo else [r for r in results if r.id not in entries]
    chosen = selection or ALL
    todo = [r for r in open_ if in_selection(r, chosen)]
    left_out = [r for r in open_ if not in_selection(r, chosen)]
    counts = [c for c in legal_counts(rnd).values() if c.n_responses]
    legal_todo = counts if redo else [c for c in counts if c.id not in entries]
    summary = ConsensusSummary(total=len(bank.item_ids), selection=chosen,
                               left_out=sum(r.id not in entries for r in left_out))
    comments = comments_by_indicator(rnd)
    if not results and not counts:
        prompter.say(_("Runden har ingen svar ennå. Les inn skjema (samordna import) eller svar med samordna assess."))
        return summary
    n_todo = len(todo) + len(legal_todo)
    first = _("Det juridiske minimumet kommer først, så uenighet og størst avstand til målet.") if legal_todo \
        else _("Uenighet og størst avstand til målet kommer først.")
    status = _("{n} av {total} påstander har konsensus. {todo} gjenstår i denne økten.").format(
        n=len(entries), total=len(bank.item_ids), todo=n_todo)
    intro = [f"{status} {first}",
             *_selection_lines(chosen, selection is None, open_, todo, left_out, entries, len(legal_todo))]
    for paragraph in intro:
        for line in textwrap.wrap(paragraph, width=TEXT_WIDTH, subsequent_indent="  "):
            prompter.say(line)
    stopped = False
    for i, c in enumerate(legal_todo, start=1):
        item = bank.legal_by_id[c.id]
        existing = entries.get(c.id)
        for line in describe_legal(bank, item, c, f"[{i}/{n_todo}]", previous.get(c.id), comments.get(c.id, [])):
            prompter.say(line)
        answer = prompter.select(_("Gruppens svar på {id}").format(id=c.id), _legal_choices(bank),
                                 default=existing.level if existing else c.suggestion(),
                                 instruction=_("(piltastene, Enter velger)"))
        if answer == STOP:
            stopped = summary.stopped = True
            break
        if answer == SKIP:
            summary.skipped.append(c.id)
            continue
        entries = _record(rnd, prompter, c.id, answer, existing, now, documentation=True)
        summary.recorded.append(c.id)
    for i, r in enumerate([] if stopped else todo, start=len(legal_todo) + 1):
        existing = entries.get(r.id)
        for line in describe(rnd, r, f"[{i}/{n_todo}]", previous.get(r.id), comments.get(r.id, [])):
            prompter.say(line)
        ind = bank.indicator_by_id[r.id]
        choices = _level_choices(bank, ind)
        suggested = suggested_level(r)
        default = existing.level if existing else (suggested if suggested is not None else SKIP)
        if not any(ch.value == default for ch in choices):
            default = SKIP
        level = prompter.select(_("Gruppens nivå for {id}").format(id=r.id), choices, default=default,
                                instruction=_("(piltastene, Enter velger)"))
        if level == STOP:
            summary.stopped = True
            break
        if level == SKIP:
            summary.skipped.append(r.id)
            continue
        entries = _record(rnd, prompter, r.id, level, existing, now,
                          why_required=_why_required(level, suggested, r.disagreement))
        summary.recorded.append(r.id)
        if is_quick_agreement(entries[r.id].rationale):
            summary.quick.append(r.id)
    summary.agreed = len(entries)
    return summary


def _selection_lines(chosen: str, implicit: bool, open_: Sequence[IndicatorResult], todo: Sequence[IndicatorResult],
                     left_out: Sequence[IndicatorResult], entries: dict[str, ConsensusEntry], n_legal: int) -> list[str]:
    """What the selection gives, in numbers («14 påstander med uenighet eller under mål; 38 står som medianen»)."""
    if chosen == ALL:
        n_short = sum(in_selection(r, "begge") for r in open_)
        if implicit and 0 < n_short < len(open_):
            return [n_("Kort tid? Med --utvalg begge drøfter dere bare {n} påstand {which} "
                       "(kortversjonen på 90 minutter).",
                       "Kort tid? Med --utvalg begge drøfter dere bare {n} påstander {which} "
                       "(kortversjonen på 90 minutter).", n_short).format(n=n_short, which=selection_words("begge"))]
        return []
    rest = []
    at_median = sum(r.id not in entries and r.median is not None for r in left_out)
    kept = sum(r.id in entries for r in left_out)
    no_median = len(left_out) - at_median - kept
    if at_median or not left_out:
        rest.append(_("{n} står som medianen").format(n=at_median))
    if kept:
        rest.append(_("{n} beholder konsensus").format(n=kept))
    if no_median:
        rest.append(_("{n} uten median (bare «Vet ikke» eller «Ikke relevant») står uten nivå").format(n=no_median))
    legal = " " + _("Det juridiske minimumet tas alltid ({n} igjen).").format(n=n_legal) if n_legal else ""
    line = n_("Utvalg: {n} påstand {which}; {rest}.", "Utvalg: {n} påstander {which}; {rest}.", len(todo))
    return [line.format(n=len(todo), which=selection_words(chosen), rest=", ".join(rest)) + legal]


def _record(rnd: Round, prompter: Prompter, item_id: str, level: int | str, existing: ConsensusEntry | None,
            now: Callable[[], datetime], documentation: bool = False,
            why_required: str | None = "") -> dict[str, ConsensusEntry]:
    """Ask the rationale (for the legal minimum: the documentation) and dissent; save the entry at once.

    ``why_required`` None: the group took the median without disagreement, and Enter on the rationale records
    a quick agreement (the standard text, no dissent asked unless one was recorded before)."""
    old_rationale = existing.rationale if existing else ""
    old_dissent = (existing.dissent or "") if existing else ""
    if documentation:
        rationale = prompter.text(_("Dokumentasjon (saksnummer, lenke eller vedtak – én setning)"),
                                  default=old_rationale, validate=_documentation_ok).strip()
    elif why_required is None:
        rationale = prompter.text(_("Begrunnelse (Enter = enige uten drøfting)"),
                                  default="" if is_quick_agreement(old_rationale) else old_rationale,
                                  validate=_free_text_ok).strip()
        if not rationale and not old_dissent:
            prompter.say("  " + _("Ført inn: {level}, enige uten drøfting.").format(level=_level_text(rnd.bank, level)))
            entry = ConsensusEntry(level=level, rationale=QUICK_RATIONALE, recorded=now())
            return rnd.update_consensus(partial(_with_entry, item_id, entry), command="samordna consensus")
        rationale = rationale or QUICK_RATIONALE
    else:
        label = (_("Begrunnelse (én setning – {why})").format(why=why_required) if why_required
                 else _("Begrunnelse (én setning)"))
        rationale = prompter.text(label, default="" if is_quick_agreement(old_rationale) else old_rationale,
                                  validate=_rationale_required(why_required or _("påkrevd"))).strip()
    dissent = prompter.text(_("Dissens (valgfritt – Enter for ingen)"), default=old_dissent,
                            validate=_free_text_ok).strip()
    for text in (rationale, dissent):
        for warning in screen_text(text).warnings:
            prompter.say(_("Merk: {warning}").format(warning=warning))
    entry = ConsensusEntry(level=level, rationale=rationale, dissent=dissent or None, recorded=now())
    # after every item: Ctrl-C never loses what was agreed; re-read so no other writer's entry is lost
    return rnd.update_consensus(partial(_with_entry, item_id, entry), command="samordna consensus")


__all__ = ["run_consensus", "consensus_order", "histogram", "individual_results", "legal_counts", "parse_selection",
           "in_selection", "suggested_level", "selection_words", "SELECTIONS", "SKIP", "STOP"]
