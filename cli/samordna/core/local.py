"""Local additions: a county's or municipality's own indicators beside the official bank, without a fork.

The file ``lokale-tillegg.yaml`` sits in the workspace beside ``kommune.yaml`` (reading it is
``io.localfile``). It names the bank it extends (any version), who wrote it, the optional indicators
it hides, its own sources, and its own indicators, each placed in one of the bank's domains::

    format: samordna-lokale-tillegg/1
    bank: samordna-0-24
    owner: Eksempeldal kommune
    hide: [TAU-05]
    indicators:
      - domain: SAM
        id: SAM-L01
        short: Fast møte med politiet
        ...the other fields of an indicator...

``check_against`` checks the file against one bank (every problem names line and key), and
``merge`` returns the bank with the additions: local indicators marked ``local`` with their owner,
hidden ones removed. Local ids contain ``-L`` and a number (``SAM-L01``) so they never clash with a
later official version, and the file is checked again against each new bank a round is opened with.
Pure: no files.
"""

from __future__ import annotations

import re
from functools import cached_property
from typing import Any, Literal

from pydantic import Field, ValidationError, field_validator

from samordna.core.bank import ID_RE, Bank, BankDoc, Indicator, Source, _Strict
from samordna.core.errors import SamordnaError
from samordna.core.problems import Located, pydantic_problems
from samordna.i18n import _, n_

LOCAL_FORMAT = "samordna-lokale-tillegg/1"
# A local id: the domain, «-L» and a number (SAM-L01), so it is recognisable and never an official id.
LOCAL_ID_RE = re.compile(r"^(?P<domain>[A-ZÆØÅ]{2,6})-L\d{1,3}$")
# Kinds a local source may have: recommendations, guidelines and duties belong to the official bank.
LOCAL_SOURCE_KINDS = ("law", "guide", "other")
# Set by samordna when the file is merged, never in the file.
_SET_BY_MERGE = ("local", "local_owner")


class LocalIndicator(Indicator):
    """An indicator of a local additions file: the bank's indicator fields and the domain it belongs to."""

    domain: str = Field(pattern=r"^[A-ZÆØÅ]{2,6}$")

    def as_indicator(self, owner: str) -> Indicator:
        data = {name: getattr(self, name) for name in Indicator.model_fields if name in self.model_fields_set}
        data.update(local=True, local_owner=owner)
        return Indicator.model_validate(data)


class LocalAdditions(_Strict):
    format: Literal["samordna-lokale-tillegg/1"]
    bank: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")  # the id of the bank it extends (any version)
    owner: str = Field(min_length=1, max_length=80)  # «Eksempeldal kommune», «Statsforvalteren i Vestland»
    note: str | None = None
    hide: list[str] = Field(default_factory=list)  # optional indicators of the bank to leave out
    sources: list[Source] = Field(default_factory=list)
    indicators: list[LocalIndicator] = Field(default_factory=list)

    @field_validator("hide")
    @classmethod
    def _hide_ids(cls, ids: list[str]) -> list[str]:
        for i in ids:
            if not re.match(ID_RE, i):
                raise ValueError(_("«{id}» er ikke en påstands-id (for eksempel TAU-05)").format(id=i))
        return ids

    @cached_property
    def indicator_ids(self) -> list[str]:
        return [ind.id for ind in self.indicators]


def additions_from_doc(doc: BankDoc) -> LocalAdditions:
    """The file as a model; a wrong shape is a SamordnaError naming line and key. The rest is ``check_against``."""
    if not isinstance(doc.data, dict):
        raise SamordnaError(_("Filen med lokale tillegg {file} er ikke en fil med lokale tillegg (forventet nøkler som "
                              "format, bank, owner, indicators).").format(file=doc.path), path=doc.path)
    try:
        additions = LocalAdditions.model_validate(doc.data)
    except ValidationError as exc:
        raise SamordnaError(_("Filen med lokale tillegg {file} har feil:").format(file=doc.path), path=doc.path,
                            problems=pydantic_problems(doc, exc)) from None
    return additions


def _own_problems(add: LocalAdditions, doc: Located) -> list[str]:
    """What is wrong with the file whatever bank it meets."""
    problems: list[str] = []
    seen_src: set[str] = set()
    for s, src in enumerate(add.sources):
        base = ("sources", s)
        if src.id in seen_src:
            problems.append(f"{doc.where(base + ('id',))}: " + _("kilden «{id}» finnes to ganger").format(id=src.id))
        seen_src.add(src.id)
        if src.kind not in LOCAL_SOURCE_KINDS:
            problems.append(f"{doc.where(base + ('kind',))}: " + _(
                "en lokal kilde kan være law, guide eller other (ikke {kind}); anbefalinger, retningslinjer og plikter "
                "hører til den offisielle banken").format(kind=src.kind))
        if src.core:
            problems.append(f"{doc.where(base + ('core',))}: "
                            + _("en lokal kilde får ingen vurdering og har ingen kjerneindikatorer"))
        if not src.confirmed and not src.note:
            problems.append(f"{doc.where(base + ('note',))}: " + _(
                "en ubekreftet kilde (confirmed: false) må ha en note som sier hva som ikke er bekreftet"))
    seen_ind: set[str] = set()
    for i, ind in enumerate(add.indicators):
        base = ("indicators", i)
        m = LOCAL_ID_RE.match(ind.id)
        if m is None or m["domain"] != ind.domain:
            problems.append(f"{doc.where(base + ('id',))}: " + _(
                "en lokal påstand må ha en id med områdets id, «-L» og et nummer, for eksempel «{example}» (er «{id}»)")
                .format(example=f"{ind.domain}-L01", id=ind.id))
        if ind.id in seen_ind:
            problems.append(f"{doc.where(base + ('id',))}: " + _("påstanden «{id}» finnes to ganger").format(id=ind.id))
        seen_ind.add(ind.id)
        if ind.statutory:
            problems.append(f"{doc.where(base + ('statutory',))}: " + _(
                "en lokal påstand kan ikke være lovpålagt; lovkravene hører til den offisielle banken"))
        for key in _SET_BY_MERGE:
            if key in ind.model_fields_set:
                problems.append(f"{doc.where(base + (key,))}: "
                                + _("{key} settes av samordna og skal ikke stå i filen").format(key=key))
        for field_name in ("evidence", "actions"):
            for k, text in enumerate(getattr(ind, field_name)):
                if not text.strip():
                    problems.append(f"{doc.where(base + (field_name, k))}: " + _("teksten er tom"))
    seen_hide: set[str] = set()
    for h, ind_id in enumerate(add.hide):
        if ind_id in seen_hide:
            problems.append(f"{doc.where(('hide', h))}: " + _("«{id}» står to ganger").format(id=ind_id))
        seen_hide.add(ind_id)
    return problems


def check_against(bank: Bank, add: LocalAdditions, doc: Located) -> list[str]:
    """What is wrong with ``add`` as additions to ``bank`` (empty: it can be merged). Each names line and key."""
    problems = _own_problems(add, doc)
    if add.bank != bank.id:
        problems.append(f"{doc.where(('bank',))}: " + _(
            "tilleggene gjelder banken «{wanted}», men banken er {bank} {version}").format(
            wanted=add.bank, bank=bank.id, version=bank.version))
        return problems
    core = {i for s in bank.sources for i in bank.core_for(s)} if bank.has_core else set()
    hidden = set()
    for h, ind_id in enumerate(add.hide):
        ind = bank.indicator_by_id.get(ind_id)
        where = doc.where(("hide", h))
        if ind is None:
            what = (_("«{id}» et lovkrav, ikke en påstand i banken {bank} {version}") if bank.is_legal(ind_id)
                    else _("«{id}» finnes ikke i banken {bank} {version}"))
            problems.append(f"{where}: " + what.format(id=ind_id, bank=bank.id, version=bank.version))
        elif not ind.optional:
            problems.append(f"{where}: " + _(
                "«{id}» kan ikke skjules; bare påstander merket valgfri (optional: true) i banken {bank} {version} "
                "kan skjules").format(id=ind_id, bank=bank.id, version=bank.version))
        elif ind_id in core:
            problems.append(f"{where}: " + _("«{id}» kan ikke skjules fordi en anbefaling eller lov vurderes etter den")
                            .format(id=ind_id))
        else:
            hidden.add(ind_id)
    for s, src in enumerate(add.sources):
        if src.id in bank.source_by_id:
            problems.append(f"{doc.where(('sources', s, 'id'))}: " + _(
                "kilden «{id}» finnes allerede i banken {bank} {version}; gi den lokale kilden en annen id").format(
                id=src.id, bank=bank.id, version=bank.version))
    own_sources = {src.id for src in add.sources}
    domains = {d.id for d in bank.domains}
    for i, ind in enumerate(add.indicators):
        base = ("indicators", i)
        if ind.domain not in domains:
            problems.append(f"{doc.where(base + ('domain',))}: " + _(
                "området «{id}» finnes ikke i banken {bank} {version} (områdene er {domains})").format(
                id=ind.domain, bank=bank.id, version=bank.version, domains=", ".join(sorted(domains))))
        if ind.id in bank.indicator_by_id or bank.is_legal(ind.id):
            problems.append(f"{doc.where(base + ('id',))}: " + _(
                "«{id}» finnes allerede i banken {bank} {version}; gi den lokale påstanden en annen id").format(
                id=ind.id, bank=bank.id, version=bank.version))
        for r, ref in enumerate(ind.references):
            if ref not in bank.source_by_id and ref not in own_sources:
                problems.append(f"{doc.where(base + ('references', r))}: " + _(
                    "ukjent kilde «{id}» (verken i banken {bank} {version} eller under sources i filen)").format(
                    id=ref, bank=bank.id, version=bank.version))
    if not problems:  # only when the rest is right: hidden and added are then what the file means
        for dom in bank.domains:
            left = [ind for ind in dom.indicators if ind.id not in hidden]
            if not left and not any(ind.domain == dom.id for ind in add.indicators):
                problems.append(f"{doc.where(('hide',))}: " + _(
                    "alle påstandene i området {id} {name} er skjult; et område må ha minst én påstand").format(
                    id=dom.id, name=dom.name))
    return problems


def validated(bank: Bank, add: LocalAdditions, doc: BankDoc) -> LocalAdditions:
    """``add`` when it fits ``bank``; otherwise a SamordnaError naming the file, each line and key."""
    problems = check_against(bank, add, doc)
    if problems:
        raise SamordnaError(_("Filen med lokale tillegg {file} passer ikke til banken {bank} {version}:").format(
            file=doc.path, bank=bank.id, version=bank.version), path=doc.path, problems=problems)
    return add


def _fresh(model: Any) -> Any:
    """Drop the cached queries a ``model_copy`` carried over from the original."""
    for name, attr in vars(type(model)).items():
        if isinstance(attr, cached_property):
            model.__dict__.pop(name, None)
    return model


def merge(bank: Bank, add: LocalAdditions) -> Bank:
    """A new bank: ``bank`` with ``add``'s indicators appended to their domains (marked local, with the owner),
    its hidden indicators removed, its own sources added (they get no verdict) and ``local_owner`` set.

    ``bank`` is not changed. Call ``check_against`` first: merge does not check."""
    hidden = set(add.hide)
    domains = []
    for dom in bank.domains:
        kept = [ind for ind in dom.indicators if ind.id not in hidden]
        local = [ind.as_indicator(add.owner) for ind in add.indicators if ind.domain == dom.id]
        domains.append(dom.model_copy(update={"indicators": kept + local}) if (local or len(kept) != len(dom.indicators))
                       else dom)
    sources = list(bank.sources) + [src.model_copy(update={"verdict": False}) for src in add.sources]
    merged = bank.model_copy(update={"domains": domains, "sources": sources, "local_owner": add.owner})
    return _fresh(merged)


def describe(add: LocalAdditions) -> str:
    """«2 lokale påstander (SAM-L01, LED-L01), 1 skjult (TAU-05)», for messages."""
    ids = add.indicator_ids
    if ids:
        parts = [n_("{n} lokal påstand ({ids})", "{n} lokale påstander ({ids})", len(ids)).format(
            n=len(ids), ids=", ".join(ids))]
    else:
        parts = [_("0 lokale påstander")]
    if add.hide:
        parts.append(n_("{n} skjult ({ids})", "{n} skjult ({ids})", len(add.hide)).format(
            n=len(add.hide), ids=", ".join(add.hide)))
    return ", ".join(parts)
