"""The county view: collect many municipality workspaces and compare them.

Pure data, no output libraries. Only the levels a municipality has agreed on
(consensus) or the median of its answers leave a workspace: no individual
answer, comment, rationale or dissent is kept here.

* ``io.region_collect`` finds the workspaces and scores every round of each,
  keeping only the levels (``collect``).
* ``harmonise`` finds the indicators every bank version shares (following the
  bank's migration map, ``core.migration.comparability``, or ``Indicator.replaces``
  for banks without one) and says what was left out and why. Local indicators
  (a municipality's own additions) are never compared.
* ``build_region`` puts it together: distributions, weakest recommendations,
  development over the years, learning partners. Two harmonisations: the
  comparison of the chosen year uses the bank versions of the rounds compared
  (one version: all its indicators); the development over the years uses every
  version any municipality used (only what is comparable across them).
* The statistics themselves (quartiles, distributions, learning partners on a
  plain ``{municipality: {domain: level}}`` table) are ``core.region_stats``.
"""

from __future__ import annotations

import hashlib
import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from samordna.core.bank import Bank, Indicator
from samordna.core.errors import SamordnaError
from samordna.core.migration import KIND_TEXT, comparability
from samordna.core.mirror import ROLES, MirrorView
from samordna.core.region_stats import AreaPartners, Distribution, distribution, learning_partners
from samordna.core.scoring import weighted_mean
from samordna.i18n import N_, _, language, n_

# --- collecting ---------------------------------------------------------------------


@dataclass
class RoundLevels:
    """One round of one municipality: levels only (consensus, else median)."""

    round: str
    year: int
    bank_label: str
    n_participants: int
    n_consensus: int
    indicators: dict[str, float | None]  # the round's own indicator ids (official ones only)
    local: list[str] = field(default_factory=list)  # the municipality's own (local) indicators: never compared
    legal: dict[str, str] = field(default_factory=dict)  # legal-minimum id -> ja | nei | uavklart (the group's)
    verdicts: dict[str, str] = field(default_factory=dict)  # source id -> verdict (oppfylt, ikke_oppfylt …)
    # the young people's mirror as it may be shown (``mirror_levels``), None when the round did not run it
    mirror: dict[str, Any] | None = None


# --- the young people's mirror ---------------------------------------------------------

MIRROR_MIN_MUNICIPALITIES = 3  # a common gap is shown only when this many municipalities have a value for it
LEADERS = "leaders"


def mirror_levels(view: MirrorView) -> dict[str, Any]:
    """What the county view keeps of a round's mirror: only what ``MirrorView`` may show. Per area the leaders'
    level and each role's value (None for a role under the limit, or too few answers), which roles were shown and
    the limit; never a count of a group under the limit, an age band, a statement or an answer."""
    return {"min_group": view.min_group, "shown": list(view.shown_roles),
            "areas": {a.area: {LEADERS: a.leaders, **{r: (a.values.get(r) if r in view.shown_roles else None)
                                                      for r in ROLES}} for a in view.areas}}


def _number_or_none(v: object) -> bool:
    return v is None or (isinstance(v, int | float) and not isinstance(v, bool))


def mirror_levels_ok(value: object) -> bool:
    """Whether ``value`` (read back from a cache) is what ``mirror_levels`` makes, or None."""
    if value is None:
        return True
    if not (isinstance(value, dict) and set(value) == {"min_group", "shown", "areas"}):
        return False
    shown, areas = value["shown"], value["areas"]
    if not (isinstance(value["min_group"], int) and isinstance(shown, list) and all(r in ROLES for r in shown)
            and isinstance(areas, dict)):
        return False
    for area, vals in areas.items():
        if not (isinstance(area, str) and isinstance(vals, dict) and set(vals) == {LEADERS, *ROLES}
                and all(_number_or_none(v) for v in vals.values())):
            return False
        if any(vals[r] is not None for r in ROLES if r not in shown):
            return False
    return True


@dataclass(frozen=True)
class MirrorGap:
    """A gap common to the county: the mean of leaders' level minus the role's value, over the ``n``
    municipalities (at least ``MIRROR_MIN_MUNICIPALITIES``) with a value shown for the role in the area."""

    area: str
    role: str
    mean_gap: float
    n: int


@dataclass
class MirrorRegion:
    n_ran: int = 0  # municipalities whose compared round ran the mirror
    gaps: list[MirrorGap] = field(default_factory=list)  # largest first

    @property
    def any(self) -> bool:
        return self.n_ran > 0


def mirror_region(rounds: Iterable[RoundLevels], at_least: int = MIRROR_MIN_MUNICIPALITIES) -> MirrorRegion:
    """How many ran the mirror, and the gaps where at least ``at_least`` municipalities have a value (fewer: not
    shown). Only values the municipalities' own mirrors show are used."""
    n_ran = 0
    found: dict[tuple[str, str], list[float]] = {}
    for rnd in rounds:
        if rnd.mirror is None:
            continue
        n_ran += 1
        for area, vals in rnd.mirror["areas"].items():
            lead = vals.get(LEADERS)
            for role in ROLES:
                v = vals.get(role)
                if lead is not None and v is not None and role in rnd.mirror["shown"]:
                    found.setdefault((area, role), []).append(lead - v)
    gaps = [MirrorGap(area, role, sum(d) / len(d), len(d)) for (area, role), d in found.items() if len(d) >= at_least]
    gaps.sort(key=lambda g: (-g.mean_gap, ROLES.index(g.role), g.area))
    return MirrorRegion(n_ran, gaps)


@dataclass
class Municipality:
    name: str
    number: str
    path: Path
    rounds: list[RoundLevels]
    code: str = ""
    language: str | None = None  # the municipality's language form (kommune.yaml): its one-pager is in it

    def label(self, anonymize: bool) -> str:
        return self.code if anonymize else self.name


@dataclass
class Problem:
    """A workspace (or a folder given) that cannot be read: stops the county view unless skipped."""

    path: Path
    message: str


@dataclass
class Skipped:
    """A folder the search passed by, and why (too deep, not a workspace, the same folder twice)."""

    path: Path
    reason: str


@dataclass
class Collection:
    municipalities: list[Municipality]
    banks: dict[str, Bank]
    problems: list[Problem]
    skipped: list[Skipped] = field(default_factory=list)


def assign_codes(municipalities: list[Municipality]) -> None:
    """Codes K01, K02 … in an order that is stable but neither alphabetical nor by number."""
    width = max(2, len(str(len(municipalities))))
    order = sorted(municipalities, key=lambda m: hashlib.sha256(f"samordna:{m.number}".encode()).hexdigest())
    for i, m in enumerate(order, start=1):
        m.code = f"K{i:0{width}d}"


# --- comparing bank versions -----------------------------------------------------------


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(x) for x in version.split("."))


@dataclass
class LeftOut:
    id: str
    short: str
    reason: str


@dataclass
class Harmonisation:
    reference: Bank
    shared: list[str]                         # reference ids, in bank order
    mapping: dict[str, dict[str, str]]        # bank label -> {own id: reference id}
    left_out: list[LeftOut]
    renamed: list[tuple[str, str, str]]       # (bank label, old id, reference id)


NO_LINK = N_("uten kobling")


def _by_migration(reference: Bank, b: Bank, label: str, renamed: list[tuple[str, str, str]],
                  left: dict[str, LeftOut]) -> dict[str, str]:
    """{old id: reference id} for the indicators the reference bank's migration map calls comparable with ``b``;
    the others are named in ``left`` with the reason."""
    own: dict[str, str] = {}
    for new_id, c in comparability(reference, b.id, b.version, [i.id for i in b.indicators]).items():
        if c.comparable and c.old_id is not None:
            own[c.old_id] = new_id
            if c.old_id != new_id:
                renamed.append((label, c.old_id, new_id))
        else:
            kind = _(KIND_TEXT.get(c.kind, c.kind))
            reason = (_("kan ikke sammenlignes med {label} ({kind} fra {ids})").format(
                label=label, kind=kind, ids=", ".join(c.old_ids)) if c.old_ids
                else _("kan ikke sammenlignes med {label} ({kind})").format(label=label, kind=kind))
            left.setdefault(new_id, LeftOut(new_id, reference.indicator_by_id[new_id].short, reason))
    for ind in b.indicators:
        if ind.id not in own:
            mig = reference.migration_from(b.version)
            step = mig.step_for_old(ind.id) if mig else None
            what = _(KIND_TEXT.get(step.kind, step.kind) if step else NO_LINK)
            reason = (_("finnes bare i {label} ({kind} i {version}: se {ids})").format(
                label=label, kind=what, version=reference.version, ids=", ".join(step.new)) if step and step.new
                else _("finnes bare i {label} ({kind} i {version})").format(
                label=label, kind=what, version=reference.version))
            left.setdefault(f"{label}:{ind.id}", LeftOut(ind.id, ind.short, reason))
    return own


def harmonise(banks: Mapping[str, Bank]) -> Harmonisation:
    """The indicators every bank shares, named as in the newest bank of the most used id."""
    if not banks:
        raise SamordnaError(_("Ingen spørsmålsbanker å sammenligne."))
    ids = sorted({b.id for b in banks.values()})
    reference = max(banks.values(), key=lambda b: (sum(x.id == b.id for x in banks.values()), _version_key(b.version)))
    ref_ids = set(reference.indicator_by_id)
    successor: dict[str, str] = {}
    for b in banks.values():
        for ind in b.indicators:
            for old in ind.replaces:
                successor.setdefault(old, ind.id)

    def canonical(ind_id: str) -> str | None:
        seen = set()
        while ind_id not in ref_ids:
            if ind_id in seen or ind_id not in successor:
                return None
            seen.add(ind_id)
            ind_id = successor[ind_id]
        return ind_id

    mapping: dict[str, dict[str, str]] = {}
    renamed: list[tuple[str, str, str]] = []
    left: dict[str, LeftOut] = {}
    for label, b in sorted(banks.items()):
        if b.id == reference.id and b.version != reference.version and reference.migration_from(b.version):
            mapping[label] = _by_migration(reference, b, label, renamed, left)
            continue
        own: dict[str, str] = {}
        for ind in b.indicators:
            c = canonical(ind.id)
            if c is None:
                left.setdefault(ind.id, LeftOut(ind.id, ind.short, _("finnes bare i {label}, ikke i {reference}").format(
                    label=label, reference=reference.label)))
            elif c in own.values():
                left.setdefault(ind.id, LeftOut(ind.id, ind.short, _("{label} har flere påstander som svarer til {id}")
                                                .format(label=label, id=c)))
            else:
                own[ind.id] = c
                if c != ind.id:
                    renamed.append((label, ind.id, c))
        mapping[label] = own
    shared = [i.id for i in reference.indicators if all(i.id in m.values() for m in mapping.values())]
    for ind in reference.indicators:
        if ind.id not in shared:
            missing = [lb for lb, m in sorted(mapping.items()) if ind.id not in m.values()]
            left.setdefault(ind.id, LeftOut(ind.id, ind.short, _("finnes ikke i {banks}").format(
                banks=", ".join(missing))))
    if not shared:
        raise SamordnaError(_("Bankene {banks} har ingen påstander felles, så kommunene kan ikke sammenlignes.")
                            .format(banks=", ".join(sorted(banks))))
    if len(ids) > 1:
        for label, b in sorted(banks.items()):
            if b.id != reference.id:
                left.setdefault(f"bank:{label}", LeftOut(label, b.title, _(
                    "en annen spørsmålsbank enn {bank}; bare påstander med samme id er sammenlignet").format(
                    bank=reference.id)))
    return Harmonisation(reference, shared, mapping, sorted(left.values(), key=lambda x: x.id), renamed)


# --- the region -----------------------------------------------------------------------


@dataclass
class Change:
    """The change since a municipality's previous round, on the indicators of the county comparison that can be
    compared with that round (the bank's migration map decides across versions)."""

    previous: RoundLevels
    n_comparable: int  # indicators of the comparison that the previous round can be compared on
    domains: dict[str, float | None]  # now minus then, on those indicators (None: nothing to compare)
    recommendations: dict[str, float | None]
    overall: float | None


@dataclass
class Entry:
    """One municipality in the region's cross-section (its round for the chosen year), or one year of its
    development."""

    municipality: Municipality
    round: RoundLevels
    indicators: dict[str, float | None]   # reference ids (shared only)
    domains: dict[str, float | None]
    recommendations: dict[str, float | None]
    overall: float | None
    change: Change | None = None  # since its previous round (the comparison's entries only)


@dataclass
class YearPoint:
    year: int
    n: int
    overall: Distribution
    domains: dict[str, Distribution]


@dataclass
class LegalRow:
    """One item of the legal minimum across municipalities: how many answered ja, nei, or left it unclear
    (municipalities, not persons: each municipality's combined answer)."""

    id: str
    short: str
    citation: str
    url: str
    n_yes: int
    n_no: int
    n_unclear: int
    n_not_asked: int  # municipalities on a bank version without this item
    no: list[str] = field(default_factory=list)  # municipality numbers that answered «nei»
    unclear: list[str] = field(default_factory=list)  # municipality numbers where it is «uavklart»


@dataclass
class VerdictRow:
    """One recommendation, duty or law: how many municipalities got each verdict (on the reference version)."""

    id: str
    kind: str
    short: str
    confirmed: bool
    counts: dict[str, int]  # verdict key -> municipalities
    n_other_version: int  # municipalities on another bank version (verdicts under other rules: not counted)


@dataclass
class Region:
    year: int
    harmonisation: Harmonisation  # the comparison of the chosen year: the versions of the rounds compared
    history: Harmonisation  # the development over the years: every version any municipality used
    entries: list[Entry]
    excluded: list[tuple[Municipality, str]]
    domains: dict[str, Distribution]
    recommendations: dict[str, Distribution]
    indicators: dict[str, Distribution]
    weakest_recommendations: list[str]
    weakest_indicators: list[str]
    development: list[YearPoint]
    partners: dict[str, list[AreaPartners]]  # keyed by municipality number
    bank_versions: dict[str, int] = field(default_factory=dict)
    rounds_by_year: dict[int, int] = field(default_factory=dict)
    legal: list[LegalRow] = field(default_factory=list)  # the legal minimum across municipalities
    verdicts: list[VerdictRow] = field(default_factory=list)  # recommendations, duties and laws
    development_targets: dict[str, float] = field(default_factory=dict)  # domain targets on the history's indicators
    banks: dict[str, Bank] = field(default_factory=dict)  # every bank version used (label -> bank), for the notes
    mirror: MirrorRegion = field(default_factory=MirrorRegion)  # the young people's mirror across the county
    # the notes below are sentences: made when read, in the language of the moment (a one-pager can be in another
    # language than the report), and kept per language
    _notes: dict[tuple[str, str], str] = field(default_factory=dict, repr=False, compare=False)

    def _note(self, kind: str) -> str:
        key = (kind, language())
        found = self._notes.get(key)
        if found is None:
            if kind == "mix":
                found = mix_note(self.bank_versions, self.banks)
            elif kind == "local":
                found = local_note(self.entries)
            elif kind == "history":
                found = history_note(self.harmonisation, self.history, self.banks)
            else:
                found = development_note(self.harmonisation, self.history, self.banks, self.year)
            self._notes[key] = found
        return found

    @property
    def mix_note(self) -> str:
        """Said when municipalities are on different bank versions (empty otherwise)."""
        return self._note("mix")

    @property
    def local_note(self) -> str:
        """Said when municipalities have their own (local) indicators (empty otherwise)."""
        return self._note("local")

    @property
    def history_note(self) -> str:
        """Said when the development rests on other indicators than the comparison (empty otherwise)."""
        return self._note("history")

    @property
    def development_note(self) -> str:
        """The same as ``history_note``, for the development section itself."""
        return self._note("development")

    @property
    def bank(self) -> Bank:
        return self.harmonisation.reference

    @property
    def history_bank(self) -> Bank:
        """The bank whose domains and names the development over the years uses."""
        return self.history.reference

    @property
    def one_version(self) -> bool:
        """Every municipality compared is on the same bank version (so all its indicators are compared)."""
        return len(self.harmonisation.mapping) == 1

    def entry(self, number: str) -> Entry:
        """The entry of municipality ``number`` (KeyError when it is not compared)."""
        return self._by_number[number]

    @cached_property
    def _by_number(self) -> dict[str, Entry]:  # built once: the outputs look up every municipality
        return {e.municipality.number: e for e in self.entries}


def _wmean(pairs: list[tuple[float, float]]) -> float | None:
    mean = weighted_mean(pairs)
    return None if mean is None else round(mean, 2)


Levels = dict[str, float | None]  # id -> level, None where there is none


def _levels(h: Harmonisation, rnd: RoundLevels) -> tuple[Levels, Levels, Levels, float | None]:
    """A round's levels on the shared indicators, and from them its domains, recommendations and overall level."""
    mapping = h.mapping[rnd.bank_label]
    canon = {mapping[k]: v for k, v in rnd.indicators.items() if k in mapping}
    inds = {i: canon.get(i) for i in h.shared}
    return (inds, *_rollup(h.reference, inds))


_Plan = tuple[list[tuple[str, list[tuple[str, float]]]], list[tuple[str, list[tuple[str, float]]]]]
_PLANS: dict[int, tuple[Bank, _Plan]] = {}  # id(bank) -> (bank, plan); the bank is kept so the id stays its own


def _plan(bank: Bank) -> _Plan:
    """(domain id, [(indicator id, weight)]) and the same for each recommendation: looked up once per bank."""
    found = _PLANS.get(id(bank))
    if found is None or found[0] is not bank:
        plan = ([(d.id, [(i.id, i.weight) for i in d.indicators]) for d in bank.domains],
                [(s.id, [(i.id, i.weight) for i in source_indicators(bank, s.id)]) for s in bank.recommendations])
        found = _PLANS[id(bank)] = (bank, plan)
    return found[1]


def _rollup(bank: Bank, inds: Levels) -> tuple[Levels, Levels, float | None]:
    """Domains, recommendations and overall level from indicator levels (reference ids; missing ids count as none)."""
    dom_plan, rec_plan = _plan(bank)
    doms: Levels = {d: _wmean([(v, w) for i, w in ws if (v := inds.get(i)) is not None]) for d, ws in dom_plan}
    recs: Levels = {s: _wmean([(v, w) for i, w in ws if (v := inds.get(i)) is not None]) for s, ws in rec_plan}
    dom_vals = [v for v in doms.values() if v is not None]
    overall = round(statistics.fmean(dom_vals), 2) if dom_vals else None
    return doms, recs, overall


def source_indicators(bank: Bank, source_id: str) -> list[Indicator]:
    """The indicators a recommendation's level rests on: its core indicators (banks 2.0 and later), else every
    indicator that references it; none for a source the bank gives no verdict."""
    src = bank.source_by_id[source_id]
    return [bank.indicator_by_id[i] for i in bank.core_for(src) if i in bank.indicator_by_id]


def _has_levels(rnd: RoundLevels) -> bool:
    return any(v is not None for v in rnd.indicators.values())


def _rounds_by_year(m: Municipality) -> dict[int, RoundLevels]:
    """The last round with levels in each year."""
    out: dict[int, RoundLevels] = {}
    for rnd in m.rounds:  # sorted by id, so a later round in the same year wins
        if _has_levels(rnd):
            out[rnd.year] = rnd
    return out


def targets(bank: Bank, shared: Iterable[str]) -> tuple[dict[str, float], dict[str, float], dict[str, float]]:
    shared = set(shared)
    ind_t = {i.id: float(i.target) for i in bank.indicators if i.id in shared}
    dom_t = {d.id: _wmean([(i.target, i.weight) for i in d.indicators if i.id in shared]) for d in bank.domains}
    rec_t = {s.id: _wmean([(i.target, i.weight) for i in source_indicators(bank, s.id) if i.id in shared])
             for s in bank.recommendations}
    return ind_t, {k: v for k, v in dom_t.items() if v is not None}, {k: v for k, v in rec_t.items() if v is not None}


def _why_excluded(m: Municipality, by_year: Mapping[int, RoundLevels], year: int) -> str:
    if not m.rounds:
        return _("har ingen runder")
    if not by_year:
        return _("har ingen runder med svar ennå")
    return _("har ingen runde i {year} eller tidligere").format(year=year)


def _delta(after: float | None, before: float | None) -> float | None:
    return None if after is None or before is None else round(after - before, 2)


def _change(h: Harmonisation, rnd: RoundLevels, prev: RoundLevels, banks: Mapping[str, Bank],
            pairs: dict[tuple[str, ...], Harmonisation | None]) -> Change:
    """The change since ``prev``, on the comparison's indicators that ``prev`` can be compared on (both rounds'
    levels computed on just those, so a change never mixes indicator sets). ``pairs`` caches the harmonisation
    of two bank versions (None: nothing in common)."""
    key = tuple(sorted({rnd.bank_label, prev.bank_label}))
    if key not in pairs:
        try:
            pairs[key] = harmonise({lb: banks[lb] for lb in key})
        except SamordnaError:
            pairs[key] = None
    pair = pairs[key]
    now: Levels = {}
    then: Levels = {}
    if pair is not None:
        own_now = {ref: own for own, ref in h.mapping[rnd.bank_label].items()}
        own_then = {pref: own for own, pref in pair.mapping[prev.bank_label].items()}
        for ref in h.shared:
            pref = pair.mapping[rnd.bank_label].get(own_now[ref])
            old = own_then.get(pref) if pref is not None else None
            if old is not None:
                now[ref], then[ref] = rnd.indicators.get(own_now[ref]), prev.indicators.get(old)
    d_now, r_now, o_now = _rollup(h.reference, now)
    d_then, r_then, o_then = _rollup(h.reference, then)
    return Change(prev, len(now), {d: _delta(v, d_then[d]) for d, v in d_now.items()},
                  {s: _delta(v, r_then[s]) for s, v in r_now.items()}, _delta(o_now, o_then))


def _weakest(dists: Mapping[str, Distribution], bank_order: Sequence[str]) -> list[str]:
    """The ids with data, weakest first: lowest median, then most municipalities below target, then bank order."""
    order = {key: n for n, key in enumerate(bank_order)}

    def weakness(d: Distribution) -> tuple[float, float]:
        return (d.median if d.median is not None else 99, -(d.below_target / d.n if d.n else 0))

    return sorted((k for k, d in dists.items() if d.n), key=lambda k: (weakness(dists[k]), order[k]))


def _development(yearly: Mapping[int, list[Entry]], dom_t: Mapping[str, float]) -> list[YearPoint]:
    """Each year's distributions, over every municipality with a round that year."""
    return [
        YearPoint(y, len(es), distribution(e.overall for e in es),
                  {d: distribution((e.domains[d] for e in es), t) for d, t in dom_t.items()})
        for y, es in sorted(yearly.items())
    ]


def build_region(collection: Collection, year: int | None = None) -> Region:
    """The region in ``year`` (default: the latest year with answers), each municipality by its latest round until then.

    The comparison between municipalities uses the bank versions of the rounds compared; the development over the
    years uses every version used (what is comparable across years)."""
    ms = collection.municipalities
    if not ms:
        raise SamordnaError(_("Ingen arbeidsområder å sammenstille."))
    used = {r.bank_label for m in ms for r in m.rounds if _has_levels(r)}
    if not used:
        raise SamordnaError(_("Ingen av arbeidsområdene har runder med svar ennå."))
    history = harmonise({k: v for k, v in collection.banks.items() if k in used})
    year = year or max(r.year for m in ms for r in m.rounds if _has_levels(r))
    compared: list[tuple[Municipality, RoundLevels, RoundLevels | None]] = []  # (municipality, round, previous)
    excluded: list[tuple[Municipality, str]] = []
    yearly: dict[int, list[Entry]] = {}
    for m in ms:
        by_year = _rounds_by_year(m)
        for y in sorted(by_year):
            yearly.setdefault(y, []).append(Entry(m, by_year[y], *_levels(history, by_year[y])))
        until = [y for y in sorted(by_year) if y <= year]
        if until:
            compared.append((m, by_year[until[-1]], by_year[until[-2]] if len(until) > 1 else None))
        else:
            excluded.append((m, _why_excluded(m, by_year, year)))
    if not compared:
        raise SamordnaError(_("Ingen kommuner har en runde med svar i {year} eller tidligere.").format(year=year))
    h = harmonise({r.bank_label: collection.banks[r.bank_label] for _, r, _ in compared})
    pairs: dict[tuple[str, ...], Harmonisation | None] = {}
    entries = [Entry(m, r, *_levels(h, r), change=_change(h, r, p, collection.banks, pairs) if p else None)
               for m, r, p in compared]
    ind_t, dom_t, rec_t = targets(h.reference, h.shared)
    dev_t = targets(history.reference, history.shared)[1]
    recs = {s: distribution((e.recommendations[s] for e in entries), t) for s, t in rec_t.items()}
    inds = {i: distribution((e.indicators[i] for e in entries), t) for i, t in ind_t.items()}
    return Region(
        year=year, harmonisation=h, history=history, entries=entries, excluded=excluded,
        domains={d: distribution((e.domains[d] for e in entries), t) for d, t in dom_t.items()},
        recommendations=recs, indicators=inds,
        weakest_recommendations=_weakest(recs, [s.id for s in h.reference.recommendations])[:3],
        weakest_indicators=_weakest(inds, [i.id for i in h.reference.indicators])[:8],
        development=_development(yearly, dev_t),
        partners=learning_partners({e.municipality.number: e.domains for e in entries}, dom_t),
        bank_versions=dict(sorted(Counter(e.round.bank_label for e in entries).items())),
        rounds_by_year={y: len(es) for y, es in sorted(yearly.items())},
        legal=legal_rows(h.reference, entries),
        verdicts=verdict_rows(h.reference, entries),
        development_targets=dev_t,
        banks=dict(collection.banks),
        mirror=mirror_region(e.round for e in entries),
    )


def legal_rows(bank: Bank, entries: Sequence[Entry]) -> list[LegalRow]:
    """The reference bank's legal minimum: each municipality's combined answer counted once."""
    rows = []
    for item in bank.legal_minimum:
        asked = [e for e in entries if item.id in e.round.legal]
        answers = {e.municipality.number: e.round.legal[item.id] for e in asked}
        main = bank.source_by_id.get(item.references[0])
        rows.append(LegalRow(
            id=item.id, short=item.short, citation=(main.citation or main.short) if main else item.references[0],
            url=main.url if main else "", n_yes=sum(1 for a in answers.values() if a == "ja"),
            n_no=sum(1 for a in answers.values() if a == "nei"),
            n_unclear=sum(1 for a in answers.values() if a not in ("ja", "nei")), n_not_asked=len(entries) - len(asked),
            no=sorted(n for n, a in answers.items() if a == "nei"),
            unclear=sorted(n for n, a in answers.items() if a not in ("ja", "nei"))))
    return rows


def verdict_rows(bank: Bank, entries: Sequence[Entry]) -> list[VerdictRow]:
    """Verdicts per recommendation, duty and law, counted over the municipalities on the reference version only
    (a verdict under another version's rules and indicators is not the same verdict)."""
    same = [e for e in entries if e.round.bank_label == bank.label]
    rows = []
    for src in [*bank.recommendations, *bank.duties, *bank.laws]:
        counts = Counter(e.round.verdicts[src.id] for e in same if src.id in e.round.verdicts)
        rows.append(VerdictRow(src.id, src.kind, src.short, src.confirmed, dict(counts), len(entries) - len(same)))
    return rows


def _version_text(label: str, banks: Mapping[str, Bank], one_id: bool) -> str:
    b = banks.get(label)
    return b.version if b is not None and one_id else label


def mix_note(versions: Mapping[str, int], banks: Mapping[str, Bank]) -> str:
    """«3 kommuner på 1.0.0 og 2 på 2.0.0: bare sammenlignbare påstander er med i sammenligningen.» (empty with one
    version)."""
    if len(versions) <= 1:
        return ""
    one_id = len({b.id for label, b in banks.items() if label in versions}) == 1
    order = sorted(versions, key=lambda lb: _version_key(banks[lb].version) if lb in banks else (0,))
    first = n_("{n} kommune på {version}", "{n} kommuner på {version}", versions[order[0]])
    other = _("{n} på {version}")
    parts = [(first if k == 0 else other).format(n=versions[lb], version=_version_text(lb, banks, one_id))
             for k, lb in enumerate(order)]
    return _("{versions}: bare sammenlignbare påstander er med i sammenligningen.").format(versions=_and(parts))


def _and(parts: Sequence[str]) -> str:
    """«a, b og c» in the language of the moment."""
    if len(parts) == 1:
        return parts[0]
    return _("{items} og {last}").format(items=", ".join(parts[:-1]), last=parts[-1])


def _versions(labels: Iterable[str], banks: Mapping[str, Bank]) -> str:
    """«1.0.0 og 2.0.0» (full labels when the banks have different ids), oldest first."""
    labels = list(labels)
    one_id = len({banks[lb].id for lb in labels if lb in banks}) == 1
    order = sorted(labels, key=lambda lb: _version_key(banks[lb].version) if lb in banks else (0,))
    return _and([_version_text(lb, banks, one_id) for lb in order])


def _n_indicators(n: int) -> str:
    return n_("den ene påstanden", "de {n} påstandene", n).format(n=n)


def history_note(h: Harmonisation, history: Harmonisation, banks: Mapping[str, Bank]) -> str:
    """Which indicators the comparison and the development over the years rest on, when they differ (empty when
    both use the same bank versions)."""
    if set(history.mapping) == set(h.mapping):
        return ""
    if len(h.mapping) == 1:
        version = _versions(h.mapping, banks)
        first = _("Alle kommunene i sammenligningen er på {version}, så de sammenlignes på alle "
                  "{indicators} i {version}.").format(version=version, indicators=_n_indicators(len(h.shared)))
    else:
        first = _("Kommunene sammenlignes på {indicators} som kan sammenlignes mellom versjonene "
                  "de er på ({versions}).").format(indicators=_n_indicators(len(h.shared)),
                                                   versions=_versions(h.mapping, banks))
    second = (_("Utviklingen over år bruker bare {indicators} som kan sammenlignes på tvers av alle versjonene "
                "som er brukt ({versions}).") if len(history.shared) < len(h.shared)
              else _("Utviklingen over år bruker {indicators} som kan sammenlignes på tvers av alle versjonene "
                     "som er brukt ({versions}).")).format(indicators=_n_indicators(len(history.shared)),
                                                          versions=_versions(history.mapping, banks))
    return f"{first} {second}"


def development_note(h: Harmonisation, history: Harmonisation, banks: Mapping[str, Bank], year: int) -> str:
    """For the development section: its indicators, and why its numbers for ``year`` can differ from the
    comparison's (empty when both use the same bank versions)."""
    if set(history.mapping) == set(h.mapping):
        return ""
    return _("Utviklingen er regnet på {indicators} som kan sammenlignes på tvers av alle versjonene som er brukt "
             "({versions}), så tallene for {year} her kan avvike fra nivåene ellers i rapporten, som bygger på "
             "{n} påstander.").format(indicators=_n_indicators(len(history.shared)),
                                      versions=_versions(history.mapping, banks), year=year, n=len(h.shared))


def local_note(entries: Sequence[Entry]) -> str:
    with_local = [e for e in entries if e.round.local]
    if not with_local:
        return ""
    n = sum(len(e.round.local) for e in with_local)
    first = n_("{n} kommune har egne (lokale) påstander, {total} i alt.",
               "{n} kommuner har egne (lokale) påstander, {total} i alt.", len(with_local))
    return (first.format(n=len(with_local), total=n) + " "
            + _("De er ikke med i sammenligningen mellom kommunene, fordi de bare finnes der."))
