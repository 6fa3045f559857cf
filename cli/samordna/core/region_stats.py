"""Statistics for the county view: quartiles, distributions and learning partners.

Pure functions on plain numbers and dicts, so the learning-partner rule can be
checked by hand (see tests/test_region.py).
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

PARTNER_MARGIN = 0.5   # a partner must be at least this much stronger (levels 0-4)
WEAK_MARGIN = 0.5      # «below the county median by a margin»
MAX_PARTNERS = 3
MAX_WEAK_DOMAINS = 3

# (area, own level, [(partner, partner level), …]): one weak area and who is strong there
AreaPartners = tuple[str, float, list[tuple[str, float]]]


@dataclass
class Distribution:
    n: int
    min: float | None
    q1: float | None
    median: float | None
    q3: float | None
    max: float | None
    target: float | None
    below_target: int  # municipalities below target


def quartiles(values: list[float]) -> tuple[float, float, float]:
    vals = sorted(values)
    if len(vals) == 1:
        return vals[0], vals[0], vals[0]
    q1, med, q3 = statistics.quantiles(vals, n=4, method="inclusive")
    return q1, med, q3


def distribution(values: Iterable[float | None], target: float | None = None) -> Distribution:
    vals = [v for v in values if v is not None]
    if not vals:
        return Distribution(0, None, None, None, None, None, target, 0)
    q1, med, q3 = quartiles(vals)
    below = sum(1 for v in vals if target is not None and v < target - 1e-9)
    return Distribution(len(vals), min(vals), round(q1, 2), round(med, 2), round(q3, 2), max(vals), target, below)


def learning_partners(levels: Mapping[str, Mapping[str, float | None]], targets: Mapping[str, float], *,
                      margin: float = PARTNER_MARGIN, weak_margin: float = WEAK_MARGIN,
                      max_partners: int = MAX_PARTNERS, max_domains: int = MAX_WEAK_DOMAINS,
                      ) -> dict[str, list[AreaPartners]]:
    """For each municipality, the areas where it is weak and up to ``max_partners`` others strong there.

    ``levels`` is {municipality: {area: level or None}}; ``targets`` is {area: target level}.
    An area is weak for M when it is one of M's two lowest areas below target, or when M lies
    at least ``weak_margin`` under the county median there. A partner is strong in the area
    (at or above target, or in the top quartile) and at least ``margin`` above M.
    Partners are ordered by level (highest first), then by key; areas by M's level, then area order.
    Returns {municipality: [(area, own level, [(partner, partner level), …]), …]} (areas without partners left out).
    """
    areas = list(targets)
    position = {a: k for k, a in enumerate(areas)}
    dist: dict[str, tuple[float, float]] = {}  # area -> (county median, upper quartile)
    ranked: dict[str, list[tuple[float, str]]] = {}  # area -> the strong there, (level, key), highest level first
    for a in areas:
        vals = [(v, p) for p, lv in levels.items() if (v := lv.get(a)) is not None]
        if vals:
            _, med, q3 = quartiles([v for v, _ in vals])
            dist[a] = (med, q3)
            strong = [(v, p) for v, p in vals if v >= targets[a] or v >= q3 - 1e-9]
            strong.sort(key=lambda x: (-x[0], x[1]))
            ranked[a] = strong
    out: dict[str, list[AreaPartners]] = {}
    for m in sorted(levels):
        own = {a: v for a in areas if (v := levels[m].get(a)) is not None and a in dist}
        lowest = sorted(own, key=lambda a: (own[a], position[a]))
        weak = {a for a in lowest[:2] if own[a] < targets[a]}
        weak |= {a for a in own if own[a] <= dist[a][0] - weak_margin + 1e-9}
        found: list[AreaPartners] = []
        for a in sorted(weak, key=lambda a: (own[a], position[a])):
            floor = own[a] + margin - 1e-9
            partners: list[tuple[str, float]] = []
            for v, p in ranked[a]:  # highest first: stop at the first one too close to M
                if v < floor or len(partners) >= max_partners:
                    break
                if p != m:
                    partners.append((p, v))
            if partners:
                found.append((a, own[a], partners))
            if len(found) >= max_domains:
                break
        out[m] = found
    return out
