"""The results of scoring a round, as plain dataclasses (the rules are ``core.scoring``).

``RoundResult`` is what every report, chart and export reads; ``core.results``
writes it as the JSON format «samordna-resultat/1» (docs/json-format.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

RESULT_FORMAT = "samordna-resultat/1"

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
    participants_by_sector: dict[str, int | None]  # None: under the threshold, suppressed (core.scoring)
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
