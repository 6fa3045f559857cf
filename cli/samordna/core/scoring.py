"""Scoring: pure functions from answers to results.

The method is written for people in ``docs/metode.md``; its numbers (thresholds, weights, the
sentences that explain a verdict) are data in the bank (``Bank.verdict_rules``):

* Indicator: the individual levels (0-4) give median, mean, min, max and counts.
  «Vet ikke» and «ikke relevant» are counted and shown, never scored. The level
  used is the group's consensus where one is recorded, else the median (with an even
  number of answers, the mean of the middle two).
* An indicator is «uavklart» when no consensus is recorded and at least
  ``unclear_dont_know_share`` of its answers (all of them, exactly, not rounded) are «vet ikke».
* Disagreement («uenighet», adapted from SCIROCCO's «split» rule): at least two
  answers, and at least a quarter of the answers, lie more than one level from
  the median. Only the answers 0-4 count here.
* An indicator is left out («ikke relevant») if the consensus says so, or, with
  no consensus, if more than half of those who took a position (levels and
  «ikke relevant»; «vet ikke» does not count here) say so. A statutory indicator is
  never left out: «ikke relevant» on it is counted and shown, and ignored.
* Domain: the weighted mean of its indicators' levels (0-4), shown as 0-100.
  The named level rounds half down, so 2.5 is «nivå 2», and it is at most the lowest
  statutory or core indicator's level (rounded down) plus ``domain_cap_above_lowest``.
* Recommendation, duty or law: rests on its core items (``Source.core``; banks before 2.0:
  every indicator that references it). «Ikke oppfylt» when any core indicator is at
  ``not_met_at_or_below`` or lower or any legal item is «nei»; else «uavklart» when any core
  indicator is «uavklart» or has no answers, or a legal item is unknown; else «oppfylt» when
  every core indicator is at or above its target; else «delvis oppfylt». One sentence says why.
* Legal minimum item: the group's consensus where recorded; else «nei» when anyone answered
  «nei», «uavklart» when no one answered or at least the rule's share said «vet ikke», else «ja».
* Overall: the mean of the domain levels (each domain counts the same); its named level is at
  most the lowest domain's named level plus ``domain_cap_above_lowest``.
* Suggested priorities: indicators below target ranked by gap × weight; ties are
  broken by disagreement, then by the share of «vet ikke».

The result dataclasses are in ``core.result_model`` (also importable from here).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Protocol, overload

from samordna.core import fmt
from samordna.core.answers import DONT_KNOW, NO, NOT_APPLICABLE, YES
from samordna.core.bank import Bank, Domain, LegalItem, Source
from samordna.core.models import ConsensusEntry, ParticipantFile, SectorList
from samordna.core.result_model import (
    LEGAL_LABELS,
    LEGAL_NO,
    LEGAL_UNKNOWN,
    LEGAL_YES,
    RESULT_FORMAT,
    VERDICT_LABELS,
    VERDICT_MET,
    VERDICT_NONE,
    VERDICT_NOT_MET,
    VERDICT_PARTLY,
    VERDICT_UNKNOWN,
    Consensus,
    DomainResult,
    IndicatorResult,
    LegalResult,
    PriorityResult,
    Response,
    RoundResult,
    SourceResult,
)
from samordna.core.suppression import participants_by_sector
from samordna.i18n import _

# --- building blocks ------------------------------------------------------------


@overload
def named_level(level: float) -> int: ...
@overload
def named_level(level: None) -> None: ...
@overload
def named_level(level: float | None) -> int | None: ...
def named_level(level: float | None) -> int | None:
    """The whole level a mean level counts as: round half down (2.5 -> 2)."""
    if level is None:
        return None
    return max(0, min(4, math.ceil(level - 0.5 - 1e-9)))


@overload
def to_score(level: float) -> float: ...
@overload
def to_score(level: None) -> None: ...
@overload
def to_score(level: float | None) -> float | None: ...
def to_score(level: float | None) -> float | None:
    """A level 0-4 as points 0-100 (one decimal)."""
    return None if level is None else round(level / 4 * 100, 1)


def is_disagreement(levels: Sequence[int]) -> bool:
    """The disagreement rule («uenighet»): at least two answers, and at least a quarter of the
    answers, lie more than one level from the median.

    ``levels`` are the answers 0-4 only: «vet ikke» and «ikke relevant» are not counted.
    """
    if len(levels) < 2:
        return False
    return _outside_enough(levels, statistics.median(levels))


def _outside_enough(levels: Sequence[int], med: float) -> bool:
    outside = sum(1 for x in levels if abs(x - med) > 1)
    return outside >= 2 and outside * 4 >= len(levels)


def _median_of_sorted(s: Sequence[int]) -> float:
    """``statistics.median`` of a sorted, non-empty list, as a float."""
    n = len(s)
    mid = n // 2
    return float(s[mid]) if n % 2 else (s[mid - 1] + s[mid]) / 2


def weighted_mean(pairs: Iterable[tuple[float, float]]) -> float | None:
    """The mean of ``(value, weight)`` pairs; None when there are none (or no weight)."""
    pairs = list(pairs)
    total = sum(w for _, w in pairs)
    if not pairs or total <= 0:
        return None
    return sum(v * w for v, w in pairs) / total


@overload
def _r(x: float, nd: int = 2) -> float: ...
@overload
def _r(x: None, nd: int = 2) -> None: ...
@overload
def _r(x: float | None, nd: int = 2) -> float | None: ...
def _r(x: float | None, nd: int = 2) -> float | None:
    return None if x is None else round(x, nd)


def _level_name(bank: Bank, level: int | None) -> str | None:
    return None if level is None else bank.scale.name(level)


# --- indicators -------------------------------------------------------------------


class _Keep(dict[str, object]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _say(template: str, **fields: object) -> str:
    """Fill a bank sentence in the language of the moment (the defaults are in the catalog; a bank's own
    sentence comes out as written); a placeholder the caller did not give stays as written (never a crash)."""
    return _(template).format_map(_Keep(fields))


def _many_dont_know(bank: Bank, n_dk: int, n: int) -> bool:
    """At least the rule's share of ``n`` answers are «vet ikke» (compared exactly, not after rounding)."""
    return n > 0 and n_dk >= bank.verdict_rules.unclear_dont_know_share * n - 1e-9


def _core_for_index(bank: Bank) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for src in bank.sources:
        for item in bank.core_for(src):
            out.setdefault(item, []).append(src.id)
    return out


def score_indicator(bank: Bank, ind_id: str, responses: Sequence[Response],
                    consensus: Consensus | None = None) -> IndicatorResult:
    ind = bank.indicator_by_id[ind_id]
    values = [a[ind_id] for r in responses if ind_id in (a := r.answers)]
    levels = sorted(v for v in values if isinstance(v, int))
    n_dk = values.count(DONT_KNOW)
    n_na = values.count(NOT_APPLICABLE)
    n = len(values)
    median = _median_of_sorted(levels) if levels else None
    mean = sum(levels) / len(levels) if levels else None
    if consensus is not None and ind.is_statutory and not isinstance(consensus.level, int):
        consensus = None  # a legal duty cannot be «ikke relevant»: such a consensus is ignored (Round warns)

    level: float | None
    if consensus is not None and isinstance(consensus.level, int):
        level, source, not_app = float(consensus.level), "konsensus", False
    elif consensus is not None and consensus.level == NOT_APPLICABLE:
        level, source, not_app = None, "konsensus", True
    elif not ind.is_statutory and n_na and n_na * 2 > len(levels) + n_na:
        level, source, not_app = None, None, True
    else:
        level, source, not_app = median, ("median" if median is not None else None), False
    gap = None if level is None else max(0.0, ind.target - level)
    unclear = source != "konsensus" and not not_app and (_many_dont_know(bank, n_dk, n) or (n > 0 and level is None))
    return IndicatorResult(
        id=ind.id,
        domain=bank.domain_of[ind.id].id,
        short=ind.short,
        target=ind.target,
        weight=ind.weight,
        n_responses=n,
        n_scored=len(levels),
        n_dont_know=n_dk,
        n_not_applicable=n_na,
        n_missing=len(responses) - n,
        counts={lv: levels.count(lv) for lv in range(5)},
        median=median,
        mean=_r(mean),
        min=levels[0] if levels else None,
        max=levels[-1] if levels else None,
        share_dont_know=_r(n_dk / n if n else 0.0),
        share_not_applicable=_r(n_na / n if n else 0.0),
        disagreement=median is not None and len(levels) >= 2 and _outside_enough(levels, median),
        consensus=consensus.level if consensus else None,
        consensus_rationale=consensus.rationale if consensus else None,
        consensus_dissent=consensus.dissent if consensus else None,
        level=level,
        level_source=source,
        not_applicable=not_app,
        gap=gap,
        below_target=bool(gap and gap > 0),
        statutory=ind.is_statutory,
        core_for=[],
        unclear=unclear,
        local=ind.local,
        n_not_applicable_ignored=n_na if ind.is_statutory else 0,
    )


def score_legal(bank: Bank, item: LegalItem, responses: Sequence[Response],
                consensus: Consensus | None = None) -> LegalResult:
    """One legal-minimum item: the group's consensus where recorded, else any «nei» shows."""
    texts = bank.verdict_rules.texts
    values = [r.answers[item.id] for r in responses if item.id in r.answers]
    n = len(values)
    n_yes = sum(v == YES for v in values)
    n_no = sum(v == NO for v in values)
    n_dk = sum(v == DONT_KNOW for v in values)
    counts = {"n_yes": n_yes, "n_no": n_no, "n_dk": n_dk, "total": n}
    parts: list[str] = []
    if consensus is not None and consensus.level in (YES, NO, DONT_KNOW):
        answer = {YES: LEGAL_YES, NO: LEGAL_NO}.get(str(consensus.level), LEGAL_UNKNOWN)
        source: str | None = "konsensus"
        parts.append(_say(texts.legal_consensus, answer=bank.scale.label(consensus.level).lower()))
        if n_no and answer != LEGAL_NO:
            parts.append(_say(texts.legal_dissent, **counts))
    elif n == 0:
        answer, source = LEGAL_UNKNOWN, None
        parts.append(_(texts.legal_none))
    elif n_no:
        answer, source = LEGAL_NO, "svar"
        parts.append(_say(texts.legal_no, **counts))
    elif _many_dont_know(bank, n_dk, n):
        answer, source = LEGAL_UNKNOWN, "svar"
        parts.append(_say(texts.legal_unclear, **counts))
    else:
        answer, source = LEGAL_YES, "svar"
        parts.append(_say(texts.legal_yes, **counts))
    main = bank.source_by_id.get(item.references[0])
    return LegalResult(
        id=item.id, short=item.short, question=item.question, who=item.who, references=list(item.references),
        citation=(main.citation or main.short) if main else item.references[0], url=main.url if main else "",
        n_responses=n, n_yes=n_yes, n_no=n_no, n_dont_know=n_dk, n_missing=len(responses) - n,
        consensus=str(consensus.level) if consensus is not None else None,
        consensus_rationale=consensus.rationale if consensus is not None else None,
        answer=answer, answer_label=_(LEGAL_LABELS[answer]), answer_source=source, explanation=" ".join(parts),
    )


# --- domains, recommendations and duties ------------------------------------------


def _cap_members(bank: Bank) -> set[str]:
    """The indicators that cap a domain's named level: statutory and core ones (banks before 2.0, which
    name no core indicators: those weighing at least the core weight)."""
    core_weight = bank.verdict_rules.weights.core
    core = (bank.core_indicator_ids() if bank.has_core
            else {i.id for i in bank.indicators if i.weight >= core_weight and not i.local})
    return core | {i.id for i in bank.indicators if i.is_statutory}


def _domain_result(bank: Bank, dom: Domain, by_id: Mapping[str, IndicatorResult], cap_members: set[str]) -> DomainResult:
    rs = [by_id[i.id] for i in dom.indicators]
    scored = [(r, lv) for r in rs if (lv := r.level) is not None and not r.not_applicable]
    level = weighted_mean((lv, r.weight) for r, lv in scored)
    target = weighted_mean((r.target, r.weight) for r in rs)
    if target is None:  # cannot happen: a bank's domains have indicators, and weights are positive
        raise ValueError(_("området {id} har ingen påstander med vekt").format(id=dom.id))
    answered = [r for r in rs if r.n_responses]
    nl = named_level(level)
    capped_by: str | None = None
    explanation: str | None = None
    capping = [(r, lv) for r, lv in scored if r.id in cap_members]
    if nl is not None and capping:
        low, low_level = min(capping, key=lambda p: (p[1], rs.index(p[0])))
        cap = min(4, math.floor(low_level + 1e-9) + bank.verdict_rules.domain_cap_above_lowest)
        if cap < nl:
            nl, capped_by = cap, low.id
            explanation = _say(bank.verdict_rules.texts.domain_capped, level_name=bank.scale.name(cap), id=low.id,
                               short=low.short, level=fmt.short(low_level))
    return DomainResult(
        id=dom.id, name=dom.name, level=_r(level), score=to_score(level),
        level_name=_level_name(bank, nl), named_level=nl,
        target=_r(target), target_score=to_score(target),
        n_indicators=len(rs), n_scored_indicators=len(scored),
        n_disagreements=sum(r.disagreement for r in rs),
        n_consensus=sum(r.consensus is not None for r in rs),
        share_dont_know=_r(statistics.fmean(r.share_dont_know for r in answered) if answered else 0.0),
        share_not_applicable=_r(statistics.fmean(r.share_not_applicable for r in answered) if answered else 0.0),
        indicators=[r.id for r in rs],
        capped_by=capped_by, explanation=explanation, n_unclear=sum(r.unclear for r in rs),
    )


def _verdict(bank: Bank, source: Source, core: Sequence[str], by_id: Mapping[str, IndicatorResult],
             legal: Mapping[str, LegalResult]) -> tuple[str, str, list[str]]:
    """The verdict on ``source`` from its core items, the sentence that explains it, and the items that decided it."""
    rules = bank.verdict_rules
    texts = rules.texts
    name = source.short
    if not source.verdict:
        return VERDICT_NONE, _say(texts.no_verdict, source=name, reason=source.note or _("banken gir ingen vurdering.")), []
    if not core:
        return VERDICT_UNKNOWN, _say(texts.no_verdict, source=name, reason=_("ingen påstander måler den.")), []
    # (sort key, id, sentence): the sentence is made only for the item that decides (partial until then)
    not_met: list[tuple[float, str, Callable[[], str]]] = []
    unclear: list[tuple[str, Callable[[], str]]] = []
    below: list[tuple[float, str, Callable[[], str]]] = []
    counted = 0
    for item in core:
        if item in legal:
            lr = legal[item]
            counted += 1
            if lr.answer == LEGAL_NO:
                not_met.append((-1.0, item, partial(_say, texts.not_met_legal, source=name, id=item, short=lr.short)))
            elif lr.answer == LEGAL_UNKNOWN:
                unclear.append((item, partial(_say, texts.unclear_legal, source=name, id=item, short=lr.short)))
            continue
        r = by_id[item]
        if r.not_applicable:
            continue
        counted += 1
        if r.level is not None and r.level <= rules.not_met_at_or_below + 1e-9:
            not_met.append((r.level, item, partial(_say, texts.not_met, source=name, id=item, short=r.short,
                                                   level=fmt.short(r.level))))
        elif r.level is None:
            unclear.append((item, partial(_say, texts.unclear_none, source=name, id=item, short=r.short)))
        elif r.unclear:
            unclear.append((item, partial(_say, texts.unclear, source=name, id=item, short=r.short,
                                          n=r.n_dont_know, total=r.n_responses)))
        elif r.level < r.target:
            below.append((r.level - r.target, item, partial(_say, texts.partly, source=name, id=item,
                                                            short=r.short, level=fmt.short(r.level))))
    if not_met:
        not_met.sort(key=lambda x: x[0])
        return VERDICT_NOT_MET, not_met[0][2](), [i for _, i, _ in not_met]
    if unclear:
        return VERDICT_UNKNOWN, unclear[0][1](), [i for i, _ in unclear]
    if not counted:
        return VERDICT_UNKNOWN, _say(texts.no_verdict, source=name,
                                     reason=_("alle påstandene bak er satt til «ikke relevant».")), []
    if below:
        below.sort(key=lambda x: x[0])
        return VERDICT_PARTLY, below[0][2](), [i for _, i, _ in below]
    return VERDICT_MET, _say(texts.met, source=name), []


def _source_result(bank: Bank, source: Source, by_id: Mapping[str, IndicatorResult],
                   legal: Mapping[str, LegalResult]) -> SourceResult:
    core = bank.core_for(source)
    inds = [by_id[i] for i in core if i in by_id]
    scored = [(r, lv) for r in inds if (lv := r.level) is not None]
    level = weighted_mean((lv, r.weight) for r, lv in scored)
    target = weighted_mean((r.target, r.weight) for r, _ in scored)
    verdict, explanation, decisive = _verdict(bank, source, core, by_id, legal)
    return SourceResult(
        id=source.id, kind=source.kind, short=source.short, title=source.title, group=source.group,
        confirmed=source.confirmed, verdict=verdict, verdict_label=_(VERDICT_LABELS[verdict]),
        level=_r(level), target=_r(target), indicators=[r.id for r in inds],
        below_target=[r.id for r, _ in scored if r.below_target],
        explanation=explanation, core=list(core), decisive=decisive, citation=source.citation, url=source.url,
    )


# --- priorities -------------------------------------------------------------------


def rank_priorities(bank: Bank, results: Sequence[IndicatorResult], chosen: Sequence[str] = ()) -> list[PriorityResult]:
    """Indicators below target by gap × weight; ties: disagreement first, then most «vet ikke», then bank order."""
    order = {ind.id: i for i, ind in enumerate(bank.indicators)}
    below = [(r, lv, gap) for r in results
             if r.below_target and (lv := r.level) is not None and (gap := r.gap) is not None]
    below.sort(key=lambda b: (-(b[2] * b[0].weight), not b[0].disagreement, -b[0].share_dont_know, order[b[0].id]))
    return [
        PriorityResult(
            rank=i + 1, id=r.id, domain=r.domain, short=r.short, level=lv, target=r.target,
            gap=gap, weight=r.weight, score=round(gap * r.weight, 2), disagreement=r.disagreement,
            share_dont_know=r.share_dont_know, chosen=r.id in chosen,
        )
        for i, (r, lv, gap) in enumerate(below)
    ]


# --- the round --------------------------------------------------------------------

UNCLEAR_DONT_KNOW = 0.3  # shown as «many say vet ikke» from this share (of all answers, compared exactly)


def _unclear(indicators: Sequence[IndicatorResult]) -> list[str]:
    """Answered indicators where many say «vet ikke», or that have no level and are not left out."""
    return [r.id for r in indicators
            if r.n_responses and (r.unclear or r.n_dont_know >= UNCLEAR_DONT_KNOW * r.n_responses - 1e-9
                                  or (r.level is None and not r.not_applicable))]


@dataclass
class ItemResults:
    """Every indicator and legal item of a round scored, and the verdict on any source from them: what
    ``score_round`` builds the rest on, and all the county view keeps (``score_items``)."""

    bank: Bank
    indicators: list[IndicatorResult]
    by_id: dict[str, IndicatorResult]
    legal: list[LegalResult]
    legal_by_id: dict[str, LegalResult]

    def sources(self, sources: Sequence[Source]) -> list[SourceResult]:
        return [_source_result(self.bank, s, self.by_id, self.legal_by_id) for s in sources]


def score_items(bank: Bank, responses: Sequence[Response],
                consensus: Mapping[str, Consensus] | None = None) -> ItemResults:
    """The indicators and the legal minimum of ``bank`` scored from ``responses`` (no domains, priorities or
    sector breakdown: ``score_round`` adds those)."""
    consensus = consensus or {}
    core_index = _core_for_index(bank)
    indicators = [score_indicator(bank, ind.id, responses, consensus.get(ind.id)) for ind in bank.indicators]
    for r in indicators:
        r.core_for = core_index.get(r.id, [])
    legal = [score_legal(bank, item, responses, consensus.get(item.id)) for item in bank.legal_minimum]
    return ItemResults(bank, indicators, {r.id: r for r in indicators}, legal, {r.id: r for r in legal})


def score_round(
    bank: Bank,
    responses: Sequence[Response],
    consensus: Mapping[str, Consensus] | None = None,
    chosen: Sequence[str] = (),
    *,
    municipality: str = "",
    municipality_number: str = "",
    round_id: str = "",
    year: int = 0,
    sectors: SectorList | None = None,
) -> RoundResult:
    """Every indicator, domain, recommendation and duty of ``bank`` scored from ``responses``.

    ``sectors`` (the workspace's sector list) lets the participants per sector be suppressed with the
    sector groups in mind (``participants_by_sector``)."""
    items = score_items(bank, responses, consensus)
    indicators, by_id, legal = items.indicators, items.by_id, items.legal
    cap_members = _cap_members(bank)
    domains = [_domain_result(bank, dom, by_id, cap_members) for dom in bank.domains]
    dom_levels = [d.level for d in domains if d.level is not None]
    overall = statistics.fmean(dom_levels) if dom_levels else None
    overall_named = named_level(overall)
    overall_capped_by: str | None = None
    named = [d for d in domains if d.named_level is not None]
    if overall_named is not None and named:
        low = min(named, key=lambda d: (d.named_level or 0, domains.index(d)))
        cap = min(4, (low.named_level or 0) + bank.verdict_rules.domain_cap_above_lowest)
        if cap < overall_named:
            overall_named, overall_capped_by = cap, low.id
    return RoundResult(
        format=RESULT_FORMAT,
        municipality=municipality,
        municipality_number=municipality_number,
        round=round_id,
        year=year,
        bank_id=bank.id,
        bank_version=bank.version,
        n_participants=len(responses),
        participants_by_sector=participants_by_sector(responses, sectors),
        overall_level=_r(overall),
        overall_score=to_score(overall),
        overall_level_name=_level_name(bank, overall_named),
        uses_consensus=sum(r.level_source == "konsensus" for r in indicators),
        indicators=indicators,
        domains=domains,
        recommendations=items.sources(bank.recommendations),
        duties=items.sources(bank.duties),
        priorities=rank_priorities(bank, indicators, chosen),
        chosen_priorities=list(chosen),
        unclear=_unclear(indicators),
        legal=legal,
        laws=items.sources(bank.laws),
        local_indicators=[i.id for i in bank.indicators if i.local],
        local_owner=bank.local_owner,
        overall_capped_by=overall_capped_by,
    )


# --- from a workspace -------------------------------------------------------------


class RoundLike(Protocol):
    """What scoring reads from a workspace round (``io.workspace.Round``)."""

    @property
    def id(self) -> str: ...
    @property
    def year(self) -> int: ...
    @property
    def bank(self) -> Bank: ...
    def participants(self) -> list[ParticipantFile]: ...
    def consensus(self) -> dict[str, ConsensusEntry]: ...
    def priorities(self) -> list[str]: ...


class MunicipalityLike(Protocol):
    """What scoring reads from a workspace (``io.workspace.Workspace``)."""

    @property
    def name(self) -> str: ...
    @property
    def number(self) -> str: ...
    @property
    def sectors(self) -> SectorList: ...


def responses_for(rnd: RoundLike) -> list[Response]:
    """The round's answers as anonymous responses (the participant code is dropped here)."""
    return [
        Response(sector=pf.sector, answers={k: a.level for k, a in pf.answers.items()})
        for pf in rnd.participants()
    ]


def consensus_for(rnd: RoundLike) -> dict[str, Consensus]:
    return {k: Consensus(e.level, e.rationale, e.dissent) for k, e in rnd.consensus().items()}


def score_workspace_items(rnd: RoundLike) -> tuple[ItemResults, int]:
    """The round's indicators and legal items scored (``score_items``) and how many took part."""
    responses = responses_for(rnd)
    return score_items(rnd.bank, responses, consensus_for(rnd)), len(responses)


def score_workspace_round(ws: MunicipalityLike, rnd: RoundLike) -> RoundResult:
    return score_round(
        rnd.bank, responses_for(rnd), consensus_for(rnd), rnd.priorities(),
        municipality=ws.name, municipality_number=ws.number, round_id=rnd.id, year=rnd.year, sectors=ws.sectors,
    )
