"""Suppression that arithmetic cannot undo: breakdowns by sector group, and counts per sector.

A group of fewer than ``MIN_GROUP_SIZE`` people is hidden, and when the hidden people add up to fewer than
that, further groups are hidden (the smallest first) until they do, so no hidden group can be derived from
the overall result, the groups shown and the counts (complementary suppression). The method is in
docs/metode.md.
"""

from __future__ import annotations

import statistics
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import TypeVar

from samordna.core.bank import Bank
from samordna.core.models import SectorList
from samordna.core.result_model import Response, SectorGroupResult
from samordna.i18n import N_, _

MIN_GROUP_SIZE = 3  # breakdowns of fewer people are suppressed (privacy)

K = TypeVar("K")

UNDER_MIN_TEXT = N_("under {n}")  # how a suppressed count is shown to people (format ``n=MIN_GROUP_SIZE``)


def count_text(n: int | None) -> str:
    """A participant count as shown: the number, or «under 3» when it is suppressed (in the language of the moment)."""
    return _(UNDER_MIN_TEXT).format(n=MIN_GROUP_SIZE) if n is None else str(n)


def suppress_small_counts(counts: Mapping[K, int], blocks: Iterable[Collection[K]] = (), *,
                          always_hidden: Collection[K] = (), min_n: int = MIN_GROUP_SIZE) -> dict[K, int | None]:
    """``counts`` with every count under ``min_n`` hidden (None), plus complementary suppression.

    Whoever sees the shown counts and a total (all of ``counts``, and each of ``blocks`` whose total is
    also shown) can subtract: so whenever the hidden counts in such a total add up to 1 or 2 people, the
    smallest shown count there is hidden too, until the hidden add up to at least ``min_n`` (or all are
    hidden). ``always_hidden`` are keys never shown (people outside every group). Ties: the first in
    ``counts``' order is hidden first."""
    order = {k: i for i, k in enumerate(counts)}
    hidden = {k for k, n in counts.items() if n < min_n} | set(always_hidden)
    totals = [set(counts)] + [set(b) & set(counts) for b in blocks]
    changed = True
    while changed:
        changed = False
        for keys in totals:
            if 0 < sum(counts[k] for k in keys & hidden) < min_n:
                shown = sorted(keys - hidden, key=lambda k: (counts[k], order[k]))
                if shown:
                    hidden.add(shown[0])
                    changed = True
    return {k: None if k in hidden else n for k, n in counts.items()}


def _members_by_group(responses: Sequence[Response], sectors: SectorList) -> dict[str | None, list[Response]]:
    """The responses per sector group (None: a sector in no group), in the sector list's group order."""
    out: dict[str | None, list[Response]] = {g.id: [] for g in sectors.groups}
    for r in responses:
        g = sectors.group_of(r.sector)
        out.setdefault(g.id if g else None, []).append(r)
    return {k: v for k, v in out.items() if v}


def _shown_group_sizes(responses: Sequence[Response], sectors: SectorList,
                       min_n: int = MIN_GROUP_SIZE) -> dict[str | None, int | None]:
    members = _members_by_group(responses, sectors)
    counts = {k: len(v) for k, v in members.items()}
    return suppress_small_counts(counts, always_hidden=[k for k in counts if k is None], min_n=min_n)


def sector_groups(bank: Bank, responses: Sequence[Response], sectors: SectorList,
                  min_n: int = MIN_GROUP_SIZE) -> list[SectorGroupResult]:
    """Mean individual level per sector group and domain. Groups under ``min_n`` people are suppressed, and
    so many more (smallest first) that the suppressed add up to at least ``min_n`` people: otherwise the
    overall result, the shown groups and the counts would give a suppressed person's means by subtraction."""
    members = _members_by_group(responses, sectors)
    sizes = _shown_group_sizes(responses, sectors, min_n)
    out = []
    for group in sectors.groups:
        if group.id not in members:
            continue
        n = sizes[group.id]
        if n is None:
            out.append(SectorGroupResult(group.id, group.name, None, True, {}))
            continue
        doms: dict[str, float | None] = {}
        for dom in bank.domains:
            vals = [v for r in members[group.id] for ind in dom.indicators
                    if isinstance(v := r.answers.get(ind.id), int)]
            doms[dom.id] = round(statistics.fmean(vals), 2) if vals else None
        out.append(SectorGroupResult(group.id, group.name, n, False, doms))
    return out


def participants_by_sector(responses: Sequence[Response], sectors: SectorList | None = None,
                           min_n: int = MIN_GROUP_SIZE) -> dict[str, int | None]:
    """People per sector, sorted by id; a count under ``min_n`` is None, with complementary suppression over
    the total and over every sector group whose size is shown (``sector_groups``)."""
    counts = count_by_sector(responses)
    blocks: list[set[str]] = []
    if sectors is not None:
        sizes = _shown_group_sizes(responses, sectors, min_n)
        blocks = [{s for s in counts if (g := sectors.group_of(s)) is not None and g.id == gid}
                  for gid, n in sizes.items() if n is not None]
    return suppress_small_counts(counts, blocks, min_n=min_n)


def count_by_sector(responses: Sequence[Response]) -> dict[str, int]:
    by_sector: dict[str, int] = {}
    for r in responses:
        by_sector[r.sector] = by_sector.get(r.sector, 0) + 1
    return dict(sorted(by_sector.items()))
