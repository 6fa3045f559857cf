"""The question bank: its model, validation and queries (reading the YAML file is ``io.bankfile``).

A bank is a YAML file (see ``assessments/samordna-0-24.yaml``): metadata, the
sources it rests on, the answer scale, and domains of indicators. Anyone (a
county, a municipality) can write their own; ``load_bank`` checks it and names
the line and key of every problem.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from samordna.core.answers import DONT_KNOW, LEVELS, NOT_APPLICABLE
from samordna.core.errors import SamordnaError
from samordna.core.problems import Located, pydantic_problems

SourceKind = Literal["guideline", "recommendation", "duty", "law", "guide", "other"]

ID_RE = r"^[A-ZÆØÅ][A-ZÆØÅ0-9]*(-[A-ZÆØÅ0-9]+)*$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class Level(_Strict):
    level: int = Field(ge=0, le=4)
    name: str = Field(min_length=1)
    description: str = Field(min_length=1)


class SpecialAnswer(_Strict):
    label: str = Field(min_length=1)
    description: str = Field(min_length=1)


class Scale(_Strict):
    levels: list[Level]
    dont_know: SpecialAnswer
    not_applicable: SpecialAnswer

    @field_validator("levels")
    @classmethod
    def _five_levels(cls, levels: list[Level]) -> list[Level]:
        got = [lv.level for lv in levels]
        if got != list(LEVELS):
            raise ValueError(f"skalaen må ha nivåene 0, 1, 2, 3, 4 i rekkefølge (har {got})")
        return levels

    def name(self, level: int) -> str:
        return self.levels[level].name

    def label(self, value: int | str) -> str:
        """The one way an answer is written for people: «2 – Delvis på plass», «Vet ikke», «Ikke relevant»."""
        if value == DONT_KNOW:
            return self.dont_know.label
        if value == NOT_APPLICABLE:
            return self.not_applicable.label
        if isinstance(value, int) and value in LEVELS:
            return f"{value} – {self.name(value)}"
        return str(value)


class Source(_Strict):
    id: str = Field(pattern=ID_RE)
    kind: SourceKind
    group: str | None = None
    title: str = Field(min_length=1)
    short: str = Field(min_length=1)
    url: str = Field(pattern=r"^https?://\S+$")
    confirmed: bool = True
    note: str | None = None


class Indicator(_Strict):
    id: str = Field(pattern=ID_RE)
    short: str = Field(min_length=1, max_length=60)
    statement: str = Field(min_length=1)
    help: str = Field(min_length=1)
    evidence: list[str] = Field(min_length=1)
    references: list[str] = Field(min_length=1)
    weight: float = Field(default=1.0, gt=0, le=5)
    target: int = Field(default=3, ge=0, le=4)
    actions: list[str] = Field(min_length=1, max_length=3)
    replaces: list[str] = Field(default_factory=list)


class Domain(_Strict):
    id: str = Field(pattern=r"^[A-ZÆØÅ]{2,6}$")
    name: str = Field(min_length=1)
    description: str = Field(min_length=1)
    discussion_questions: list[str] = Field(default_factory=list)
    indicators: list[Indicator] = Field(min_length=1)


class Bank(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    version: str = Field(pattern=r"^\d+(\.\d+){0,2}$")
    title: str = Field(min_length=1)
    language: str = "nb"
    description: str = Field(min_length=1)
    scale: Scale
    sources: list[Source] = Field(min_length=1)
    domains: list[Domain] = Field(min_length=1)

    # --- queries -------------------------------------------------------------
    @cached_property
    def indicators(self) -> list[Indicator]:
        return [ind for dom in self.domains for ind in dom.indicators]

    @cached_property
    def indicator_by_id(self) -> dict[str, Indicator]:
        return {ind.id: ind for ind in self.indicators}

    @cached_property
    def domain_of(self) -> dict[str, Domain]:
        return {ind.id: dom for dom in self.domains for ind in dom.indicators}

    @cached_property
    def source_by_id(self) -> dict[str, Source]:
        return {src.id: src for src in self.sources}

    @property
    def recommendations(self) -> list[Source]:
        return [s for s in self.sources if s.kind == "recommendation"]

    @property
    def duties(self) -> list[Source]:
        return [s for s in self.sources if s.kind == "duty"]

    def indicators_for_source(self, source_id: str) -> list[Indicator]:
        return [ind for ind in self.indicators if source_id in ind.references]

    @property
    def label(self) -> str:
        return f"{self.id} {self.version}"


@dataclass(frozen=True)
class BankRef:
    id: str
    version: str

    def matches(self, bank: Bank) -> bool:
        return bank.id == self.id and bank.version == self.version

    def __str__(self) -> str:
        return f"{self.id} {self.version}"


def _cross_check(bank: Bank, doc: Located) -> list[str]:
    problems: list[str] = []
    seen_sources: dict[str, int] = {}
    for i, src in enumerate(bank.sources):
        loc = ("sources", i, "id")
        if src.id in seen_sources:
            problems.append(f"{doc.where(loc)}: kilden «{src.id}» finnes to ganger")
        seen_sources[src.id] = i
        if not src.confirmed and not src.note:
            problems.append(f"{doc.where(('sources', i, 'note'))}: en ubekreftet kilde (confirmed: false) "
                            "må ha en note som sier hva som ikke er bekreftet")
    seen_domains: set[str] = set()
    seen_ind: set[str] = set()
    for d, dom in enumerate(bank.domains):
        if dom.id in seen_domains:
            problems.append(f"{doc.where(('domains', d, 'id'))}: området «{dom.id}» finnes to ganger")
        seen_domains.add(dom.id)
        for i, ind in enumerate(dom.indicators):
            base = ("domains", d, "indicators", i)
            if ind.id in seen_ind:
                problems.append(f"{doc.where(base + ('id',))}: indikatoren «{ind.id}» finnes to ganger")
            seen_ind.add(ind.id)
            if not ind.id.startswith(dom.id + "-"):
                problems.append(
                    f"{doc.where(base + ('id',))}: indikatoren «{ind.id}» bør begynne med områdets id «{dom.id}-»"
                )
            for r, ref in enumerate(ind.references):
                if ref not in seen_sources:
                    problems.append(f"{doc.where(base + ('references', r))}: ukjent kilde «{ref}»")
            for field_name in ("evidence", "actions"):
                for k, text in enumerate(getattr(ind, field_name)):
                    if not text.strip():
                        problems.append(f"{doc.where(base + (field_name, k))}: teksten er tom")
    return problems


class BankDoc(Located, Protocol):
    """What ``bank_from_doc`` needs: the parsed data, where it came from, and places in it."""

    path: Path
    data: Any


def bank_from_doc(doc: BankDoc) -> Bank:
    if not isinstance(doc.data, dict):
        raise SamordnaError(f"{doc.path} er ikke en spørsmålsbank (forventet nøkler som id, version, domains).", path=doc.path)
    try:
        bank = Bank.model_validate(doc.data)
    except ValidationError as exc:
        raise SamordnaError(
            f"Spørsmålsbanken {doc.path} har feil:", path=doc.path, problems=pydantic_problems(doc, exc)
        ) from None
    problems = _cross_check(bank, doc)
    if problems:
        raise SamordnaError(f"Spørsmålsbanken {doc.path} har feil:", path=doc.path, problems=problems)
    return bank


def coverage(bank: Bank, source_ids: list[str]) -> dict[str, list[str]]:
    """Which indicators reference each of ``source_ids`` (empty list = not covered)."""
    return {sid: [ind.id for ind in bank.indicators_for_source(sid)] for sid in source_ids}


# The recommendations and duties every shipped bank must cover (issue: the core).
REQUIRED_COVERAGE = [
    "IS2826-K1", "IS2826-K2", "IS2826-K3",
    "IS2826-A1", "IS2826-A2", "IS2826-A3", "IS2826-A4",
    "SYS", "IND", "SAMORD", "BK", "IP", "BVL15",
    "TP", "OR", "OP", "AP",
]
