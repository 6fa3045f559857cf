"""Scoring: pure functions from answers to results.

The method (in Norwegian in ``docs/metode.md``):

* Indicator: the individual levels (0-4) give median, mean, min, max and counts.
  «Vet ikke» and «ikke relevant» are counted and shown, never scored. The level
  used is the group's consensus where one is recorded, else the median.
* Disagreement («uenighet», adapted from SCIROCCO's «split» rule): at least two
  answers, and at least a quarter of the answers, lie more than one level from
  the median.
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
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field

from samordna.core.answers import DONT_KNOW, NOT_APPLICABLE
from samordna.core.bank import Bank

RESULT_FORMAT = "samordna-resultat/1"
MIN_GROUP_SIZE = 3  # breakdowns of fewer people are suppressed (privacy)

VERDICT_MET = "oppfylt"
VERDICT_PARTLY = "delvis"
VERDICT_NOT_MET = "ikke_oppfylt"
VERDICT_UNKNOWN = "uavklart"
VERDICT_LABELS = {
    VERDICT_MET: "Oppfylt",
    VERDICT_PARTLY: "Delvis oppfylt",
    VERDICT_NOT_MET: "Ikke oppfylt",
    VERDICT_UNKNOWN: "Uavklart",
}


@dataclass(frozen=True)
class Response:
    """One participant's answers, without the participant's code: scoring never sees who."""

    sector: str
    answers: Mapping[str, int | str]  # indicator id -> 0..4 | vet_ikke | ikke_relevant


@dataclass(frozen=True)
class Consensus:
    level: int | str  # 0..4 | ikke_relevant
    rationale: str = ""
    dissent: str | None = None


@dataclass
class IndicatorResult:
    id: str
    domain: str
    short: str
    target: int
    weight: float
    n_responses: int
    n_scored: int
    n_dont_know: int
    n_not_applicable: int
    n_missing: int
    counts: dict[int, int]
    median: float | None
    mean: float | None
    min: int | None
    max: int | None
    share_dont_know: float
    share_not_applicable: float
    disagreement: bool
    consensus: int | str | None
    consensus_rationale: str | None
    consensus_dissent: str | None
    level: float | None
    level_source: str | None  # "konsensus" | "median" | None
    not_applicable: bool
    gap: float | None
    below_target: bool


@dataclass
class DomainResult:
    id: str
    name: str
    level: float | None
    score: float | None
    level_name: str | None
    named_level: int | None
    target: float
    target_score: float
    n_indicators: int
    n_scored_indicators: int
    n_disagreements: int
    n_consensus: int
    share_dont_know: float
    share_not_applicable: float
    indicators: list[str]


@dataclass
class SourceResult:
    id: str
    kind: str
    short: str
    title: str
    group: str | None
    confirmed: bool
    verdict: str
    verdict_label: str
    level: float | None
    target: float | None
    indicators: list[str]
    below_target: list[str]


@dataclass
class PriorityResult:
    rank: int
    id: str
    domain: str
    short: str
    level: float
    target: int
    gap: float
    weight: float
    score: float
    disagreement: bool
    share_dont_know: float
    chosen: bool


@dataclass
class SectorGroupResult:
    id: str
    name: str
    n: int | None  # None when suppressed
    suppressed: bool
    domains: dict[str, float | None]  # domain id -> mean individual level


@dataclass
class RoundResult:
    format: str
    municipality: str
    municipality_number: str
    round: str
    year: int
    bank_id: str
    bank_version: str
    n_participants: int
    participants_by_sector: dict[str, int]
    overall_level: float | None
    overall_score: float | None
    overall_level_name: str | None
    uses_consensus: int
    indicators: list[IndicatorResult]
    domains: list[DomainResult]
    recommendations: list[SourceResult]
    duties: list[SourceResult]
    priorities: list[PriorityResult]
    chosen_priorities: list[str]
    unclear: list[str] = field(default_factory=list)  # many «vet ikke» or no level

    def indicator(self, ind_id: str) -> IndicatorResult:
        for r in self.indicators:
            if r.id == ind_id:
                return r
        raise KeyError(ind_id)

    def domain(self, dom_id: str) -> DomainResult:
        for d in self.domains:
            if d.id == dom_id:
                return d
        raise KeyError(dom_id)


# --- building blocks ------------------------------------------------------------


def named_level(level: float | None) -> int | None:
    """The whole level a mean level counts as: round half down (2.5 -> 2)."""
    if level is None:
        return None
    return max(0, min(4, math.ceil(level - 0.5 - 1e-9)))


def to_score(level: float | None) -> float | None:
    return None if level is None else round(level / 4 * 100, 1)


def is_disagreement(levels: Sequence[int]) -> bool:
    """SCIROCCO-style split: >= 2 answers and >= 1/4 of answers more than one level from the median."""
    if len(levels) < 2:
        return False
    med = statistics.median(levels)
    outside = sum(1 for x in levels if abs(x - med) > 1)
    return outside >= 2 and outside * 4 >= len(levels)


def weighted_mean(pairs: Iterable[tuple[float, float]]) -> float | None:
    pairs = list(pairs)
    total = sum(w for _, w in pairs)
    if not pairs or total <= 0:
        return None
    return sum(v * w for v, w in pairs) / total


def _r(x: float | None, nd: int = 2) -> float | None:
    return None if x is None else round(x, nd)


def score_indicator(bank: Bank, ind_id: str, responses: Sequence[Response],
                    consensus: Consensus | None = None) -> IndicatorResult:
    ind = bank.indicator_by_id[ind_id]
    values = [r.answers[ind_id] for r in responses if ind_id in r.answers]
    levels = [v for v in values if isinstance(v, int)]
    n_dk = sum(1 for v in values if v == DONT_KNOW)
    n_na = sum(1 for v in values if v == NOT_APPLICABLE)
    n = len(values)
    counts = {lv: levels.count(lv) for lv in range(5)}
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
        counts=counts,
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


def _source_result(bank: Bank, source, by_id: dict[str, IndicatorResult]) -> SourceResult:
    inds = [by_id[i.id] for i in bank.indicators_for_source(source.id)]
    scored = [r for r in inds if r.level is not None]
    level = weighted_mean((r.level, r.weight) for r in scored)
    target = weighted_mean((r.target, r.weight) for r in scored)
    if not scored:
        verdict = VERDICT_UNKNOWN
    elif all(r.level >= r.target for r in scored):
        verdict = VERDICT_MET
    elif level >= target - 1:
        verdict = VERDICT_PARTLY
    else:
        verdict = VERDICT_NOT_MET
    return SourceResult(
        id=source.id, kind=source.kind, short=source.short, title=source.title, group=source.group,
        confirmed=source.confirmed, verdict=verdict, verdict_label=VERDICT_LABELS[verdict],
        level=_r(level), target=_r(target), indicators=[r.id for r in inds],
        below_target=[r.id for r in scored if r.below_target],
    )


def rank_priorities(bank: Bank, results: Sequence[IndicatorResult], chosen: Sequence[str] = ()) -> list[PriorityResult]:
    order = {ind.id: i for i, ind in enumerate(bank.indicators)}
    below = [r for r in results if r.below_target and r.level is not None]
    below.sort(key=lambda r: (-(r.gap * r.weight), not r.disagreement, -r.share_dont_know, order[r.id]))
    return [
        PriorityResult(
            rank=i + 1, id=r.id, domain=r.domain, short=r.short, level=r.level, target=r.target,
            gap=r.gap, weight=r.weight, score=round(r.gap * r.weight, 2), disagreement=r.disagreement,
            share_dont_know=r.share_dont_know, chosen=r.id in chosen,
        )
        for i, r in enumerate(below)
    ]


def sector_groups(bank: Bank, responses: Sequence[Response], sectors, min_n: int = MIN_GROUP_SIZE) -> list[SectorGroupResult]:
    """Mean individual level per sector group and domain; groups under ``min_n`` people are suppressed."""
    out = []
    for group in sectors.groups:
        members = [r for r in responses if (g := sectors.group_of(r.sector)) is not None and g.id == group.id]
        if not members:
            continue
        if len(members) < min_n:
            out.append(SectorGroupResult(group.id, group.name, None, True, {}))
            continue
        doms: dict[str, float | None] = {}
        for dom in bank.domains:
            vals = [v for r in members for ind in dom.indicators
                    if isinstance(v := r.answers.get(ind.id), int)]
            doms[dom.id] = _r(statistics.fmean(vals)) if vals else None
        out.append(SectorGroupResult(group.id, group.name, len(members), False, doms))
    return out


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
) -> RoundResult:
    consensus = consensus or {}
    indicators = [score_indicator(bank, ind.id, responses, consensus.get(ind.id)) for ind in bank.indicators]
    by_id = {r.id: r for r in indicators}

    domains = []
    for dom in bank.domains:
        rs = [by_id[i.id] for i in dom.indicators]
        scored = [r for r in rs if r.level is not None and not r.not_applicable]
        level = weighted_mean((r.level, r.weight) for r in scored)
        target = weighted_mean((r.target, r.weight) for r in rs) or 0.0
        answered = [r for r in rs if r.n_responses]
        nl = named_level(level)
        domains.append(DomainResult(
            id=dom.id, name=dom.name, level=_r(level), score=to_score(level),
            level_name=bank.scale.name(nl) if nl is not None else None, named_level=nl,
            target=_r(target), target_score=to_score(target),
            n_indicators=len(rs), n_scored_indicators=len(scored),
            n_disagreements=sum(r.disagreement for r in rs),
            n_consensus=sum(r.consensus is not None for r in rs),
            share_dont_know=_r(statistics.fmean(r.share_dont_know for r in answered) if answered else 0.0),
            share_not_applicable=_r(statistics.fmean(r.share_not_applicable for r in answered) if answered else 0.0),
            indicators=[r.id for r in rs],
        ))

    dom_levels = [d.level for d in domains if d.level is not None]
    overall = statistics.fmean(dom_levels) if dom_levels else None
    onl = named_level(overall)
    by_sector: dict[str, int] = {}
    for r in responses:
        by_sector[r.sector] = by_sector.get(r.sector, 0) + 1
    unclear = [r.id for r in indicators if r.n_responses and (r.share_dont_know >= 0.3 or (r.level is None and not r.not_applicable))]
    return RoundResult(
        format=RESULT_FORMAT,
        municipality=municipality,
        municipality_number=municipality_number,
        round=round_id,
        year=year,
        bank_id=bank.id,
        bank_version=bank.version,
        n_participants=len(responses),
        participants_by_sector=dict(sorted(by_sector.items())),
        overall_level=_r(overall),
        overall_score=to_score(overall),
        overall_level_name=bank.scale.name(onl) if onl is not None else None,
        uses_consensus=sum(r.level_source == "konsensus" for r in indicators),
        indicators=indicators,
        domains=domains,
        recommendations=[_source_result(bank, s, by_id) for s in bank.recommendations],
        duties=[_source_result(bank, s, by_id) for s in bank.duties],
        priorities=rank_priorities(bank, indicators, chosen),
        chosen_priorities=list(chosen),
        unclear=unclear,
    )


def result_to_dict(result: RoundResult) -> dict:
    data = asdict(result)
    for ind in data["indicators"]:
        ind["counts"] = {str(k): v for k, v in ind["counts"].items()}
    return data


# --- from a workspace -------------------------------------------------------------


def responses_for(rnd) -> list[Response]:
    """The round's answers as anonymous responses (the participant code is dropped here)."""
    return [
        Response(sector=pf.sector, answers={k: a.level for k, a in pf.answers.items()})
        for pf in rnd.participants()
    ]


def consensus_for(rnd) -> dict[str, Consensus]:
    return {k: Consensus(e.level, e.rationale, e.dissent) for k, e in rnd.consensus().items()}


def score_workspace_round(ws, rnd) -> RoundResult:
    return score_round(
        rnd.bank, responses_for(rnd), consensus_for(rnd), rnd.priorities(),
        municipality=ws.name, municipality_number=ws.number, round_id=rnd.id, year=rnd.year,
    )
