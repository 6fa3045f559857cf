"""The results of scoring a round, as plain dataclasses (the rules are ``core.scoring``).

``RoundResult`` is what every report, chart and export reads; ``core.results``
writes it as the JSON format «samordna-resultat/2» (docs/json-format.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from samordna.i18n import N_

RESULT_FORMAT = "samordna-resultat/2"

VERDICT_MET = "oppfylt"
VERDICT_PARTLY = "delvis"
VERDICT_NOT_MET = "ikke_oppfylt"
VERDICT_UNKNOWN = "uavklart"
VERDICT_NONE = "ingen_vurdering"  # a source the bank gives no verdict (e.g. a recommendation not found)
# Labels in bokmål, marked for the catalog: translate where shown (``_(VERDICT_LABELS[v])``).
VERDICT_LABELS = {
    VERDICT_MET: N_("Oppfylt"),
    VERDICT_PARTLY: N_("Delvis oppfylt"),
    VERDICT_NOT_MET: N_("Ikke oppfylt"),
    VERDICT_UNKNOWN: N_("Uavklart"),
    VERDICT_NONE: N_("Ingen vurdering"),
}

# The legal minimum's answers after combining («uavklart» when unknown).
LEGAL_YES = "ja"
LEGAL_NO = "nei"
LEGAL_UNKNOWN = "uavklart"
LEGAL_LABELS = {LEGAL_YES: N_("Ja"), LEGAL_NO: N_("Nei"), LEGAL_UNKNOWN: N_("Uavklart")}  # translate where shown


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
    statutory: bool = False  # a legal duty: cannot be «ikke relevant»
    core_for: list[str] = field(default_factory=list)  # the sources whose verdict rests on it
    unclear: bool = False  # no consensus and at least the rule's share of «vet ikke»
    local: bool = False  # added in a local additions file
    # «ikke relevant» answers on a statutory indicator (counted as answers, never as leaving it out)
    n_not_applicable_ignored: int = 0


@dataclass
class LegalResult:
    """One item of the legal minimum, combined from the individual answers or the group's consensus."""

    id: str
    short: str
    question: str
    who: str
    references: list[str]
    citation: str  # the main citation, e.g. «barnevernsloven § 15-1»
    url: str
    n_responses: int
    n_yes: int
    n_no: int
    n_dont_know: int
    n_missing: int
    consensus: str | None  # ja | nei | vet_ikke | None
    consensus_rationale: str | None
    answer: str  # LEGAL_YES | LEGAL_NO | LEGAL_UNKNOWN
    answer_label: str
    answer_source: str | None  # "konsensus" | "svar" | None (no answers)
    explanation: str


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
    # The named level is capped by the lowest statutory or core indicator (verdict_rules); these say why.
    capped_by: str | None = None
    explanation: str | None = None
    n_unclear: int = 0


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
    explanation: str = ""  # one sentence: why the verdict is what it is
    core: list[str] = field(default_factory=list)  # what the verdict rests on (indicators and legal items)
    decisive: list[str] = field(default_factory=list)  # the core items that decided the verdict
    citation: str | None = None
    url: str = ""


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
    legal: list[LegalResult] = field(default_factory=list)  # the legal minimum, shown first
    laws: list[SourceResult] = field(default_factory=list)  # verdicts on the laws the bank measures
    local_indicators: list[str] = field(default_factory=list)  # added in a local additions file
    local_owner: str | None = None
    overall_capped_by: str | None = None  # the domain that caps the overall named level

    def indicator(self, ind_id: str) -> IndicatorResult:
        for r in self.indicators:
            if r.id == ind_id:
                return r
        raise KeyError(ind_id)

    def legal_item(self, item_id: str) -> LegalResult:
        for r in self.legal:
            if r.id == item_id:
                return r
        raise KeyError(item_id)

    def source(self, source_id: str) -> SourceResult:
        for r in [*self.recommendations, *self.duties, *self.laws]:
            if r.id == source_id:
                return r
        raise KeyError(source_id)

    def domain(self, dom_id: str) -> DomainResult:
        for d in self.domains:
            if d.id == dom_id:
                return d
        raise KeyError(dom_id)
