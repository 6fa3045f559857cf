"""The question bank: its model, validation and queries (reading the YAML file is ``io.bankfile``).

A bank is a YAML file (see ``assessments/samordna-0-24.yaml``): metadata, the
sources it rests on, the answer scale, and domains of indicators. Anyone (a
county, a municipality) can write their own; ``load_bank`` checks it and names
the line and key of every problem.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from samordna.core.answers import DONT_KNOW, LEVELS, NO, NOT_APPLICABLE, YES
from samordna.core.errors import SamordnaError
from samordna.core.problems import Located, pydantic_problems
from samordna.i18n import N_, _

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
    # The answers to the legal minimum (ja / nei; «vet ikke» is ``dont_know``). Banks before 2.0 have none.
    yes: SpecialAnswer | None = None
    no: SpecialAnswer | None = None

    @model_validator(mode="before")
    @classmethod
    def _yaml_yes_no(cls, data: Any) -> Any:
        """YAML 1.1 reads the keys ``yes:`` and ``no:`` as true and false: take them as meant."""
        if isinstance(data, dict) and (True in data or False in data):
            data = {("yes" if k is True else "no" if k is False else k): v for k, v in data.items()}
        return data

    @field_validator("levels")
    @classmethod
    def _five_levels(cls, levels: list[Level]) -> list[Level]:
        got = [lv.level for lv in levels]
        if got != list(LEVELS):
            raise ValueError(_("skalaen må ha nivåene 0, 1, 2, 3, 4 i rekkefølge (har {levels})").format(levels=got))
        return levels

    def name(self, level: int) -> str:
        return self.levels[level].name

    def label(self, value: int | str) -> str:
        """The one way an answer is written for people: «2 – Delvis på plass», «Vet ikke», «Ikke relevant»."""
        if value == DONT_KNOW:
            return self.dont_know.label
        if value == NOT_APPLICABLE:
            return self.not_applicable.label
        if value == YES:
            return self.yes.label if self.yes else _("Ja")
        if value == NO:
            return self.no.label if self.no else _("Nei")
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
    # The law and section, as a citation («barnevernsloven § 15-1 andre ledd»), where there is one.
    citation: str | None = None
    # The indicators and legal-minimum items that measure this source directly (2-4 of them). Its verdict
    # rests on these alone. Banks before 2.0 have none: every indicator that references it counts.
    core: list[str] = Field(default_factory=list)
    # False: the source gets no verdict at all (a recommendation not found in the guideline, a guide).
    verdict: bool = True


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
    # The law sources that make this a legal duty («lovpålagt»). A statutory indicator cannot be
    # answered «ikke relevant» and weighs what ``verdict_rules.weights.statutory`` says.
    statutory: list[str] = Field(default_factory=list)
    # What each level 0-4 means for this indicator, observable and distinct (the scale's words otherwise).
    levels: dict[int, str] | None = None
    # An optional indicator may be hidden by a local additions file.
    optional: bool = False
    # Added by a municipality or county in a local additions file (set when the file is merged, not in a bank).
    local: bool = False
    # Who added it (the local additions file's owner).
    local_owner: str | None = None

    @field_validator("levels")
    @classmethod
    def _five_descriptors(cls, levels: dict[int, str] | None) -> dict[int, str] | None:
        if levels is None:
            return None
        if sorted(levels) != list(LEVELS):
            raise ValueError(_("nivåbeskrivelsene må ha nivåene 0, 1, 2, 3, 4 (har {levels})").format(levels=sorted(levels)))
        for lv, text in levels.items():
            if not str(text).strip():
                raise ValueError(_("nivåbeskrivelsen for nivå {level} er tom").format(level=lv))
        return levels

    @property
    def is_statutory(self) -> bool:
        return bool(self.statutory)

    def level_text(self, scale: Scale, level: int) -> str:
        """What ``level`` means for this indicator: its own descriptor, else the scale's description."""
        if self.levels:
            return self.levels[level]
        return scale.levels[level].description


class LegalItem(_Strict):
    """One item of the legal minimum: a ja / nei / vet ikke question on what the law requires."""

    id: str = Field(pattern=ID_RE)
    short: str = Field(min_length=1, max_length=60)
    question: str = Field(min_length=1)
    help: str = Field(min_length=1)
    who: str = Field(min_length=1)  # who in the municipality knows the answer
    references: list[str] = Field(min_length=1)  # law sources (the first is the main citation)
    actions: list[str] = Field(min_length=1, max_length=3)  # what to do on «nei» or «vet ikke»
    note: str | None = None  # e.g. that a routine is our way of checking a duty the law words differently


class Weights(_Strict):
    """The method's rule for weights (docs/metode.md): statutory items weigh most."""

    statutory: float = Field(default=2.0, gt=0, le=5)
    core: float = Field(default=1.5, gt=0, le=5)
    other: float = Field(default=1.0, gt=0, le=5)


TEXT_FIELDS = frozenset({"source", "id", "short", "level", "level_name", "n", "total", "reason",
                         "n_yes", "n_no", "n_dk", "answer"})


class VerdictTexts(_Strict):
    """The sentences that explain a verdict. Placeholders (in braces): source id short level level_name n
    total reason n_yes n_no n_dk answer. Any other placeholder is an error when the bank is loaded."""

    @model_validator(mode="after")
    def _known_fields(self) -> VerdictTexts:
        for key, text in self.model_dump().items():
            try:
                names = {f for _, f, _, _ in string.Formatter().parse(text) if f is not None}
            except ValueError as exc:
                raise ValueError(f"{key}: {exc}") from None
            unknown = sorted(n for n in names if n not in TEXT_FIELDS)
            if unknown:
                raise ValueError(f"{key}: " + _("ukjent felt {field}; bruk {fields}").format(
                    field="{" + unknown[0] + "}", fields=", ".join(sorted(TEXT_FIELDS))))
        return self

    # The defaults are the program's own sentences, marked for the catalog (``N_``): ``core.scoring`` translates
    # a sentence (``_``) when it is made, in the language of the moment. A bank's own sentences are not in the
    # catalog and come out as written (its translation file translates them).
    met: str = N_("{source} er oppfylt fordi alle kjerneindikatorene er på målet eller over.")
    partly: str = N_("{source} er delvis oppfylt fordi {id} {short} er på nivå {level}, under målet.")
    not_met: str = N_("{source} er ikke oppfylt fordi {id} {short} er på nivå {level}.")
    not_met_legal: str = N_("{source} er ikke oppfylt fordi svaret på {id} {short} er «nei».")
    unclear: str = N_("{source} er uavklart fordi {n} av {total} svarte «vet ikke» på {id} {short}.")
    unclear_legal: str = N_("{source} er uavklart fordi svaret på {id} {short} er «vet ikke».")
    unclear_none: str = N_("{source} er uavklart fordi ingen har svart på {id} {short}.")
    no_verdict: str = N_("{source} får ingen vurdering: {reason}")
    domain_capped: str = N_("Området er satt til høyst «{level_name}» fordi {id} {short} er på nivå {level} "
                            "(lovpålagt eller kjerneindikator).")
    overall_capped: str = N_("Samlet er kommunen satt til høyst «{level_name}» fordi området {short} er på nivå "
                             "{level}.")
    legal_yes: str = N_("{n_yes} av {total} svarte «ja», ingen svarte «nei».")
    legal_no: str = N_("{n_no} av {total} svarte «nei».")
    legal_unclear: str = N_("{n_dk} av {total} svarte «vet ikke».")
    legal_none: str = N_("Ingen har svart.")
    legal_consensus: str = N_("Gruppen har svart «{answer}» i konsensus.")
    legal_dissent: str = N_("{n_no} av {total} svarte likevel «nei» hver for seg.")


class VerdictRules(_Strict):
    """The rules that turn levels into verdicts (docs/metode.md). Data, so a bank can say them."""

    # A core indicator at this level or lower makes its source «ikke oppfylt».
    not_met_at_or_below: int = Field(default=1, ge=0, le=4)
    # At least this share of «vet ikke» among the answers on a core indicator (with no consensus)
    # makes its source «uavklart».
    unclear_dont_know_share: float = Field(default=0.5, gt=0, le=1)
    # A domain's named level is at most the lowest statutory or core indicator's level plus this.
    domain_cap_above_lowest: int = Field(default=1, ge=0, le=4)
    weights: Weights = Field(default_factory=Weights)
    texts: VerdictTexts = Field(default_factory=VerdictTexts)


MigrationKind = Literal["same", "reworded", "split", "merged", "replaced", "retired", "new"]
# Kinds where the old and the new indicator measure the same thing, so a trend can be shown.
COMPARABLE_KINDS = ("same", "reworded")


class MigrationStep(_Strict):
    kind: MigrationKind
    old: list[str] = Field(default_factory=list)  # indicator ids in the old version
    new: list[str] = Field(default_factory=list)  # indicator ids in this version
    note: str | None = None

    @property
    def comparable(self) -> bool:
        return self.kind in COMPARABLE_KINDS and len(self.old) == 1 and len(self.new) == 1


class Migration(_Strict):
    """How the indicators of an earlier version of this bank map to this version."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True, populate_by_name=True)

    from_version: str = Field(alias="from", pattern=r"^\d+(\.\d+){0,2}$")
    steps: list[MigrationStep] = Field(min_length=1)

    def comparable(self) -> dict[str, str]:
        """New indicator id -> old indicator id, for the pairs whose trend can be shown."""
        return {s.new[0]: s.old[0] for s in self.steps if s.comparable}

    def step_for_new(self, ind_id: str) -> MigrationStep | None:
        return next((s for s in self.steps if ind_id in s.new), None)

    def step_for_old(self, ind_id: str) -> MigrationStep | None:
        return next((s for s in self.steps if ind_id in s.old), None)


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
    verdict_rules: VerdictRules = Field(default_factory=VerdictRules)
    sources: list[Source] = Field(min_length=1)
    legal_minimum: list[LegalItem] = Field(default_factory=list)
    domains: list[Domain] = Field(min_length=1)
    migrations: list[Migration] = Field(default_factory=list)
    # Set when a local additions file is merged in (``core.local``): who added what.
    local_owner: str | None = None

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

    @cached_property
    def legal_by_id(self) -> dict[str, LegalItem]:
        return {item.id: item for item in self.legal_minimum}

    @cached_property
    def item_ids(self) -> list[str]:
        """Every id a participant answers: the legal minimum first, then the indicators."""
        return [item.id for item in self.legal_minimum] + [ind.id for ind in self.indicators]

    def is_legal(self, item_id: str) -> bool:
        return item_id in self.legal_by_id

    def allows(self, item_id: str, value: int | str) -> bool:
        """Whether ``value`` is a valid answer to ``item_id`` in this bank (the answer's type is checked elsewhere)."""
        if item_id in self.legal_by_id:
            return value in (YES, NO, DONT_KNOW)
        ind = self.indicator_by_id.get(item_id)
        if ind is None:
            return False
        if value in (YES, NO):
            return False
        return not (value == NOT_APPLICABLE and ind.is_statutory)

    @property
    def recommendations(self) -> list[Source]:
        return [s for s in self.sources if s.kind == "recommendation"]

    @property
    def duties(self) -> list[Source]:
        return [s for s in self.sources if s.kind == "duty"]

    @property
    def laws(self) -> list[Source]:
        """Law sources that something measures (a verdict is given for each)."""
        return [s for s in self.sources if s.kind == "law" and self.core_for(s)]

    def indicators_for_source(self, source_id: str) -> list[Indicator]:
        return [ind for ind in self.indicators if source_id in ind.references]

    @property
    def has_core(self) -> bool:
        """Bank 2.0 and later name the core indicators of each source; older banks do not."""
        return any(s.core for s in self.sources)

    def core_for(self, source: Source) -> list[str]:
        """The ids (indicators and legal items) a source's verdict rests on.

        A bank that names core indicators uses exactly those (none: no verdict). An older bank uses
        every indicator that references the source."""
        if not source.verdict:
            return []
        if self.has_core:
            return [i for i in source.core if i in self.indicator_by_id or i in self.legal_by_id]
        return [ind.id for ind in self.indicators_for_source(source.id) if not ind.local]

    def core_indicator_ids(self) -> set[str]:
        return {i for s in self.sources for i in self.core_for(s) if i in self.indicator_by_id}

    def migration_from(self, version: str) -> Migration | None:
        return next((m for m in self.migrations if m.from_version == version), None)

    @property
    def label(self) -> str:
        plain = f"{self.id} {self.version}"
        return _("{bank} + lokale tillegg").format(bank=plain) if self.local_owner else plain


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
            problems.append(f"{doc.where(loc)}: " + _("kilden «{id}» finnes to ganger").format(id=src.id))
        seen_sources[src.id] = i
        if not src.confirmed and not src.note:
            problems.append(f"{doc.where(('sources', i, 'note'))}: " + _(
                "en ubekreftet kilde (confirmed: false) må ha en note som sier hva som ikke er bekreftet"))
    seen_domains: set[str] = set()
    seen_ind: set[str] = set()
    for d, dom in enumerate(bank.domains):
        if dom.id in seen_domains:
            problems.append(f"{doc.where(('domains', d, 'id'))}: " + _("området «{id}» finnes to ganger").format(id=dom.id))
        seen_domains.add(dom.id)
        for i, ind in enumerate(dom.indicators):
            base = ("domains", d, "indicators", i)
            if ind.id in seen_ind:
                problems.append(f"{doc.where(base + ('id',))}: " + _("indikatoren «{id}» finnes to ganger").format(id=ind.id))
            seen_ind.add(ind.id)
            if not ind.id.startswith(dom.id + "-"):
                problems.append(f"{doc.where(base + ('id',))}: " + _(
                    "indikatoren «{id}» bør begynne med områdets id «{domain}-»").format(id=ind.id, domain=dom.id))
            for r, ref in enumerate(ind.references):
                if ref not in seen_sources:
                    problems.append(f"{doc.where(base + ('references', r))}: "
                                    + _("ukjent kilde «{id}»").format(id=ref))
            for field_name in ("evidence", "actions"):
                for k, text in enumerate(getattr(ind, field_name)):
                    if not text.strip():
                        problems.append(f"{doc.where(base + (field_name, k))}: " + _("teksten er tom"))
            for k, law in enumerate(ind.statutory):
                law_src = bank.source_by_id.get(law)
                if law_src is None:
                    problems.append(f"{doc.where(base + ('statutory', k))}: " + _("ukjent kilde «{id}»").format(id=law))
                elif law_src.kind not in ("law", "duty"):
                    problems.append(f"{doc.where(base + ('statutory', k))}: " + _(
                        "«{id}» er ikke en lov eller plikt (kind: {kind})").format(id=law, kind=law_src.kind))
    problems += _check_legal(bank, doc, seen_sources, seen_ind)
    problems += _check_core_and_weights(bank, doc)
    problems += _check_migrations(bank, doc)
    return problems


def _check_legal(bank: Bank, doc: Located, sources: dict[str, int], indicators: set[str]) -> list[str]:
    problems: list[str] = []
    if bank.legal_minimum and (bank.scale.yes is None or bank.scale.no is None):
        problems.append(f"{doc.where(('scale',))}: "
                        + _("en bank med juridisk minimum må ha svarene yes og no i skalaen"))
    seen: set[str] = set()
    for i, item in enumerate(bank.legal_minimum):
        base = ("legal_minimum", i)
        if item.id in seen or item.id in indicators:
            problems.append(f"{doc.where(base + ('id',))}: " + _("«{id}» finnes to ganger").format(id=item.id))
        seen.add(item.id)
        for r, ref in enumerate(item.references):
            if ref not in sources:
                problems.append(f"{doc.where(base + ('references', r))}: " + _("ukjent kilde «{id}»").format(id=ref))
    return problems


def _check_core_and_weights(bank: Bank, doc: Located) -> list[str]:
    problems: list[str] = []
    for s, src in enumerate(bank.sources):
        for k, item in enumerate(src.core):
            if item not in bank.indicator_by_id and item not in bank.legal_by_id:
                problems.append(f"{doc.where(('sources', s, 'core', k))}: "
                                + _("ukjent påstand «{id}»").format(id=item))
        if src.core and not src.verdict:
            problems.append(f"{doc.where(('sources', s, 'verdict'))}: "
                            + _("en kilde uten vurdering kan ikke ha kjerneindikatorer"))
    if not bank.has_core:
        return problems  # banks before 2.0: weights were set by hand
    rules = bank.verdict_rules.weights
    core = bank.core_indicator_ids()
    for d, dom in enumerate(bank.domains):
        for i, ind in enumerate(dom.indicators):
            if ind.local:
                continue
            want = rules.statutory if ind.is_statutory else rules.core if ind.id in core else rules.other
            if abs(ind.weight - want) > 1e-9:
                kind = _("lovpålagt") if ind.is_statutory else _("kjerneindikator") if ind.id in core else _("annen påstand")
                problems.append(f"{doc.where(('domains', d, 'indicators', i, 'weight'))}: " + _(
                    "vekten er {weight}, men regelen gir {rule} ({kind}, se verdict_rules.weights)").format(
                    weight=f"{ind.weight:g}", rule=f"{want:g}", kind=kind))
            if (ind.is_statutory or ind.weight >= 1.5) and not ind.levels:
                problems.append(f"{doc.where(('domains', d, 'indicators', i))}: " + _(
                    "lovpålagte påstander og påstander med vekt 1,5 eller mer må ha nivåbeskrivelser (levels)"))
    return problems


def _check_migrations(bank: Bank, doc: Located) -> list[str]:
    problems: list[str] = []
    for m, mig in enumerate(bank.migrations):
        covered: set[str] = set()
        old_seen: set[str] = set()
        for s, step in enumerate(mig.steps):
            base = ("migrations", m, "steps", s)
            for k, new in enumerate(step.new):
                if new not in bank.indicator_by_id:
                    problems.append(f"{doc.where(base + ('new', k))}: " + _(
                        "«{id}» finnes ikke i banken {version}").format(id=new, version=bank.version))
                covered.add(new)
            for k, old in enumerate(step.old):
                if old in old_seen and step.kind not in ("split",):
                    problems.append(f"{doc.where(base + ('old', k))}: " + _("«{id}» er kartlagt to ganger").format(id=old))
                old_seen.add(old)
            if step.kind == "new" and (step.old or not step.new):
                problems.append(f"{doc.where(base)}: "
                                + _("et steg av typen new har bare nye påstander (new, ikke old)"))
            elif step.kind == "retired" and (step.new or not step.old):
                problems.append(f"{doc.where(base)}: "
                                + _("et steg av typen retired har bare gamle påstander (old, ikke new)"))
            elif step.kind in COMPARABLE_KINDS and (len(step.old) != 1 or len(step.new) != 1):
                problems.append(f"{doc.where(base)}: " + _(
                    "et steg av typen {kind} har nøyaktig én gammel og én ny påstand").format(kind=step.kind))
            elif step.kind not in ("new", "retired") and (not step.old or not step.new):
                problems.append(f"{doc.where(base)}: " + _(
                    "et steg av typen {kind} har både gamle og nye påstander").format(kind=step.kind))
        missing = [i.id for i in bank.indicators if i.id not in covered and not i.local]
        if missing:
            problems.append(f"{doc.where(('migrations', m, 'steps'))}: " + _(
                "kartet fra {version} sier ikke hva som skjedde med {ids} (bruk kind: new for nye påstander)").format(
                version=mig.from_version, ids=", ".join(missing)))
    return problems


def check_migration_against(bank: Bank, old: Bank, doc: Located) -> list[str]:
    """Check the migration map from ``old.version`` names every indicator of ``old`` and no others."""
    mig = bank.migration_from(old.version)
    m = bank.migrations.index(mig) if mig else None
    if mig is None or m is None:
        return [f"{doc.where(('migrations',))}: "
                + _("banken har ikke noe kart fra versjon {version}").format(version=old.version)]
    problems: list[str] = []
    mapped = {o for step in mig.steps for o in step.old}
    for s, step in enumerate(mig.steps):
        for k, o in enumerate(step.old):
            if o not in old.indicator_by_id:
                problems.append(f"{doc.where(('migrations', m, 'steps', s, 'old', k))}: "
                                + _("«{id}» finnes ikke i {bank}").format(id=o, bank=old.label))
    missing = [i.id for i in old.indicators if i.id not in mapped]
    if missing:
        problems.append(f"{doc.where(('migrations', m, 'steps'))}: " + _(
            "kartet sier ikke hva som skjedde med {ids} fra {bank} (bruk kind: retired for påstander som er tatt ut)")
            .format(ids=", ".join(missing), bank=old.label))
    return problems


class BankDoc(Located, Protocol):
    """What ``bank_from_doc`` needs: the parsed data, where it came from, and places in it."""

    path: Path
    data: Any


def bank_from_doc(doc: BankDoc) -> Bank:
    if not isinstance(doc.data, dict):
        raise SamordnaError(_("{file} er ikke en spørsmålsbank (forventet nøkler som id, version, domains).")
                            .format(file=doc.path), path=doc.path)
    try:
        bank = Bank.model_validate(doc.data)
    except ValidationError as exc:
        raise SamordnaError(
            _("Spørsmålsbanken {file} har feil:").format(file=doc.path), path=doc.path,
            problems=pydantic_problems(doc, exc)
        ) from None
    problems = _cross_check(bank, doc)
    if problems:
        raise SamordnaError(_("Spørsmålsbanken {file} har feil:").format(file=doc.path), path=doc.path,
                            problems=problems)
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
