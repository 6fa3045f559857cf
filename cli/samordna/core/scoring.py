"""Scoring: pure functions from answers to results.

The method (in Norwegian in ``docs/metode.md``):

* Indicator: the individual levels (0-4) give median, mean, min, max and counts.
  «Vet ikke» and «ikke relevant» are counted and shown, never scored. The level
  used is the group's consensus where one is recorded, else the median.
* Disagreement («uenighet», adapted from SCIROCCO's «split» rule): at least two
  answers, and at least a quarter of the answers, lie more than one level from
  the median. The answers here are the levels 0-4; «vet ikke» and «ikke
  relevant» are not counted.
* An indicator is left out («ikke relevant») if the consensus says so, or, with
  no consensus, if more than half of those who took a position (levels and
  «ikke relevant»; «vet ikke» does not count here) say so.
* Domain: the weighted mean of its indicators' levels (0-4), shown as 0-100.
  The named level rounds half down, so 2.5 is «nivå 2»: we do not flatter.
* Recommendation or duty: «oppfylt» when every indicator behind it is at or above
  target; «delvis oppfylt» when the weighted mean level is at most one level
  below the weighted mean target; otherwise «ikke oppfylt». «Uavklart» when no
  indicator behind it has a level.
* Overall: the mean of the domain levels (each domain counts the same).
* Suggested priorities: indicators below target ranked by gap × weight; ties are
  broken by disagreement, then by the share of «vet ikke».

The result dataclasses are in ``core.result_model`` (also importable from here).
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol, overload

from samordna.core.answers import DONT_KNOW, NOT_APPLICABLE
from samordna.core.bank import Bank, Domain, Source
from samordna.core.models import ConsensusEntry, ParticipantFile, SectorList
from samordna.core.result_model import (
    RESULT_FORMAT,
    VERDICT_LABELS,
    VERDICT_MET,
    VERDICT_NOT_MET,
    VERDICT_PARTLY,
    VERDICT_UNKNOWN,
    Consensus,
    DomainResult,
    IndicatorResult,
    PriorityResult,
    Response,
    RoundResult,
    SourceResult,
)
from samordna.core.suppression import participants_by_sector

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
    med = statistics.median(levels)
    outside = sum(1 for x in levels if abs(x - med) > 1)
    return outside >= 2 and outside * 4 >= len(levels)


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


def score_indicator(bank: Bank, ind_id: str, responses: Sequence[Response],
                    consensus: Consensus | None = None) -> IndicatorResult:
    ind = bank.indicator_by_id[ind_id]
    values = [r.answers[ind_id] for r in responses if ind_id in r.answers]
    levels = [v for v in values if isinstance(v, int)]
    n_dk = sum(1 for v in values if v == DONT_KNOW)
    n_na = sum(1 for v in values if v == NOT_APPLICABLE)
    n = len(values)
    median = float(statistics.median(levels)) if levels else None
    mean = statistics.fmean(levels) if levels else None

    level: float | None
    if consensus is not None and isinstance(consensus.level, int):
        level, source, not_app = float(consensus.level), "konsensus", False
    elif consensus is not None and consensus.level == NOT_APPLICABLE:
        level, source, not_app = None, "konsensus", True
    elif n_na and n_na * 2 > len(levels) + n_na:
        level, source, not_app = None, None, True
    else:
        level, source, not_app = median, ("median" if median is not None else None), False
    gap = None if level is None else max(0.0, ind.target - level)
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
        min=min(levels) if levels else None,
        max=max(levels) if levels else None,
        share_dont_know=_r(n_dk / n if n else 0.0),
        share_not_applicable=_r(n_na / n if n else 0.0),
        disagreement=is_disagreement(levels),
        consensus=consensus.level if consensus else None,
        consensus_rationale=consensus.rationale if consensus else None,
        consensus_dissent=consensus.dissent if consensus else None,
        level=level,
        level_source=source,
        not_applicable=not_app,
        gap=gap,
        below_target=bool(gap and gap > 0),
    )


# --- domains, recommendations and duties ------------------------------------------


def _domain_result(bank: Bank, dom: Domain, by_id: Mapping[str, IndicatorResult]) -> DomainResult:
    rs = [by_id[i.id] for i in dom.indicators]
    scored = [(r, lv) for r in rs if (lv := r.level) is not None and not r.not_applicable]
    level = weighted_mean((lv, r.weight) for r, lv in scored)
    target = weighted_mean((r.target, r.weight) for r in rs)
    if target is None:  # cannot happen: a bank's domains have indicators, and weights are positive
        raise ValueError(f"området {dom.id} har ingen påstander med vekt")
    answered = [r for r in rs if r.n_responses]
    nl = named_level(level)
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
    )


def _verdict(scored: Sequence[tuple[IndicatorResult, float]], level: float | None, target: float | None) -> str:
    """Oppfylt, delvis, ikke oppfylt or uavklart for the scored ``(indicator, level)`` pairs behind a source."""
    if level is None or target is None:  # no indicator behind it has a level
        return VERDICT_UNKNOWN
    if all(lv >= r.target for r, lv in scored):
        return VERDICT_MET
    if level >= target - 1:
        return VERDICT_PARTLY
    return VERDICT_NOT_MET


def _source_result(bank: Bank, source: Source, by_id: Mapping[str, IndicatorResult]) -> SourceResult:
    inds = [by_id[i.id] for i in bank.indicators_for_source(source.id)]
    scored = [(r, lv) for r in inds if (lv := r.level) is not None]
    level = weighted_mean((lv, r.weight) for r, lv in scored)
    target = weighted_mean((r.target, r.weight) for r, _ in scored)
    verdict = _verdict(scored, level, target)
    return SourceResult(
        id=source.id, kind=source.kind, short=source.short, title=source.title, group=source.group,
        confirmed=source.confirmed, verdict=verdict, verdict_label=VERDICT_LABELS[verdict],
        level=_r(level), target=_r(target), indicators=[r.id for r in inds],
        below_target=[r.id for r, _ in scored if r.below_target],
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

UNCLEAR_DONT_KNOW = 0.3  # an indicator is unclear when its share of «vet ikke» (to two decimals) is at least this


def _unclear(indicators: Sequence[IndicatorResult]) -> list[str]:
    """Answered indicators where many say «vet ikke», or that have no level and are not left out."""
    return [r.id for r in indicators
            if r.n_responses and (r.share_dont_know >= UNCLEAR_DONT_KNOW or (r.level is None and not r.not_applicable))]


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
    consensus = consensus or {}
    indicators = [score_indicator(bank, ind.id, responses, consensus.get(ind.id)) for ind in bank.indicators]
    by_id = {r.id: r for r in indicators}
    domains = [_domain_result(bank, dom, by_id) for dom in bank.domains]
    dom_levels = [d.level for d in domains if d.level is not None]
    overall = statistics.fmean(dom_levels) if dom_levels else None
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
        overall_level_name=_level_name(bank, named_level(overall)),
        uses_consensus=sum(r.level_source == "konsensus" for r in indicators),
        indicators=indicators,
        domains=domains,
        recommendations=[_source_result(bank, s, by_id) for s in bank.recommendations],
        duties=[_source_result(bank, s, by_id) for s in bank.duties],
        priorities=rank_priorities(bank, indicators, chosen),
        chosen_priorities=list(chosen),
        unclear=_unclear(indicators),
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


def score_workspace_round(ws: MunicipalityLike, rnd: RoundLike) -> RoundResult:
    return score_round(
        rnd.bank, responses_for(rnd), consensus_for(rnd), rnd.priorities(),
        municipality=ws.name, municipality_number=ws.number, round_id=rnd.id, year=rnd.year, sectors=ws.sectors,
    )
