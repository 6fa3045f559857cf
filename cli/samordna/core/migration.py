"""Across bank versions: which indicators of an earlier round can be compared with this one.

A bank lists, for each earlier version it replaces, a migration map (``Bank.migrations``): which old
indicators are the same, reworded, split, merged, replaced or retired, and which are new. Trends,
the plan's carry-over and the county view use this module, never the ids alone: an indicator with the
same id in two versions is comparable only when the map says so.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from samordna.core.bank import Bank
from samordna.i18n import N_, _

# In bokmål, marked for the catalog: translate where shown (``_(KIND_TEXT[kind])``).
KIND_TEXT = {
    "same": N_("samme påstand"),
    "reworded": N_("samme påstand med ny ordlyd"),
    "split": N_("delt opp"),
    "merged": N_("slått sammen"),
    "replaced": N_("erstattet"),
    "retired": N_("tatt ut"),
    "new": N_("ny"),
}


NEW_FROM = {
    "split": N_("Ny påstand i {version} (delt opp fra {ids}); ingen trend."),
    "merged": N_("Ny påstand i {version} (slått sammen fra {ids}); ingen trend."),
    "replaced": N_("Ny påstand i {version} (erstatter {ids}); ingen trend."),
}
NEW_FROM_OTHER = N_("Ny påstand i {version} ({kind} fra {ids}); ingen trend.")


@dataclass(frozen=True)
class Comparability:
    """How one indicator of ``new_bank`` relates to the indicators of an earlier round."""

    new_id: str
    old_ids: tuple[str, ...]  # the old indicators it came from (empty: new)
    kind: str  # a migration kind, or "same" within one version
    comparable: bool  # a trend can be shown (exactly one old indicator measuring the same thing)
    note: str  # plain words in the language of the moment, for reports: empty when comparable within one version

    @property
    def old_id(self) -> str | None:
        return self.old_ids[0] if self.comparable else None


def comparability(new_bank: Bank, old_bank_id: str, old_version: str,
                  old_ids: Iterable[str] = ()) -> dict[str, Comparability]:
    """For every indicator of ``new_bank``: can it be compared with a round on ``old_bank_id`` ``old_version``?

    Within one version every indicator is comparable with itself (when the old round had it). Across
    versions the bank's migration map decides; with no map, nothing is comparable."""
    known_old = set(old_ids)
    out: dict[str, Comparability] = {}
    if old_bank_id == new_bank.id and old_version == new_bank.version:
        for ind in new_bank.indicators:
            ok = not known_old or ind.id in known_old
            out[ind.id] = Comparability(ind.id, (ind.id,) if ok else (), "same", ok,
                                        "" if ok else _("Fantes ikke i den forrige runden."))
        return out
    mig = new_bank.migration_from(old_version) if old_bank_id == new_bank.id else None
    for ind in new_bank.indicators:
        if ind.local:
            ok = ind.id in known_old
            out[ind.id] = Comparability(ind.id, (ind.id,) if ok else (), "same" if ok else "new", ok,
                                        _("Lokal påstand.") if ok else _("Lokal påstand, ikke med i den forrige runden."))
            continue
        step = mig.step_for_new(ind.id) if mig else None
        if step is None:
            out[ind.id] = Comparability(ind.id, (), "new", False,
                                        _("Kan ikke sammenlignes med {bank} {version} (ingen kobling).").format(
                                            bank=old_bank_id, version=old_version))
            continue
        old = tuple(step.old)
        comparable = step.comparable and (not known_old or old[0] in known_old)
        if comparable:
            note = "" if step.kind == "same" else _("Ny ordlyd i {version}; sammenlignes med {id}.").format(
                version=new_bank.version, id=old[0])
        elif step.kind == "new":
            note = _("Ny påstand i {version}; ingen trend.").format(version=new_bank.version)
        else:  # one whole sentence per kind of change (a translation words each its own way)
            template = _(NEW_FROM.get(step.kind, NEW_FROM_OTHER))
            note = template.format(version=new_bank.version, kind=_(KIND_TEXT.get(step.kind, step.kind)),
                                   ids=", ".join(old))
        out[ind.id] = Comparability(ind.id, old, step.kind, comparable, note)
    return out


def new_ids_for_old(new_bank: Bank, old_bank_id: str, old_version: str, old_id: str) -> list[str]:
    """The indicators of ``new_bank`` an old indicator became (for carrying plan rows over).

    Same version: itself if it still exists. Across versions: the map's new ids (empty when retired)."""
    if old_bank_id == new_bank.id and old_version == new_bank.version:
        return [old_id] if old_id in new_bank.indicator_by_id else []
    mig = new_bank.migration_from(old_version) if old_bank_id == new_bank.id else None
    if mig is None:
        return [old_id] if old_id in new_bank.indicator_by_id else []
    step = mig.step_for_old(old_id)
    return list(step.new) if step else []


def retired(new_bank: Bank, old_version: str) -> list[str]:
    """Old indicators the map says were taken out."""
    mig = new_bank.migration_from(old_version)
    return [o for s in mig.steps if s.kind == "retired" for o in s.old] if mig else []
