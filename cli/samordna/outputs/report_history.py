"""Year over year for the report: trend lines per domain, the largest changes, and the
status of the previous round's action plan (read through ``outputs.plan`` when present)."""

from __future__ import annotations

from typing import Any

from samordna.core import fmt
from samordna.core.scoring import RoundResult
from samordna.outputs import charts
from samordna.outputs.charts import Chart

PLAN_STATUSES = ["Fullført", "Pågår", "Ikke startet", "Utsatt", "Avbrutt"]


def _plan_status(ws, rnd) -> dict | None:
    """The previous plan's status: counts per status, every action someone has touched, and a count
    of the rest (not started, nobody responsible). None when there is no plan module or no plan."""
    try:
        from samordna.io.plan_reader import previous_plan
    except ImportError:
        return None
    from samordna.core.errors import SamordnaError

    try:
        found = previous_plan(ws, rnd)
    except SamordnaError as exc:  # a broken old plan must not stop the report
        return {"error": exc.render(), "file": "", "rows": [], "counts": [], "line": "", "untouched": 0}
    if not found or not found[1]:
        return None
    path, actions = found
    counts = dict.fromkeys(PLAN_STATUSES, 0)
    other = 0
    for a in actions:
        if a.status in counts:
            counts[a.status] += 1
        else:
            other += 1
    order = {s: i for i, s in enumerate(["Fullført", "Pågår", "Utsatt", "Avbrutt", "Ikke startet"])}
    touched = [a for a in actions if a.status != "Ikke startet" or a.responsible or a.kind == "prioritert"]
    touched.sort(key=lambda a: (order.get(a.status, 9), a.action_id))
    rows = [{"id": a.action_id, "indicator": a.indicator_id or "", "action": a.action or "",
             "responsible": a.responsible or "–", "deadline": _date_text(a.deadline), "status": a.status or "Ikke satt",
             "follow_up": _date_text(a.follow_up), "comment": a.comment or "", "prioritised": a.kind == "prioritert"}
            for a in touched]
    line = (f"{counts['Fullført']} av {len(actions)} tiltak er fullført, {counts['Pågår']} pågår"
            + (f", {counts['Utsatt']} er utsatt" if counts["Utsatt"] else "")
            + (f", {counts['Avbrutt']} er avbrutt" if counts["Avbrutt"] else "")
            + f" og {counts['Ikke startet']} er ikke startet" + (f" ({other} uten gyldig status)" if other else "") + ".")
    return {"error": None, "file": path.name, "rows": rows, "line": line, "untouched": len(actions) - len(touched),
            "counts": [{"status": s, "n": n} for s, n in counts.items()]}


def _date_text(value) -> str:
    if value is None or value == "":
        return ""
    if hasattr(value, "strftime"):
        return value.strftime("%d.%m.%Y")
    return str(value)


def _signed(x: float, nd: int = 0) -> str:
    s = fmt.num(abs(x), nd)
    return ("+" if x > 0 else "−" if x < 0 else "±") + s


def _trends(result: RoundResult, series: list[RoundResult]) -> tuple[list[tuple[str, list[float | None], float]], Chart]:
    """Points per domain in every round (panels of name, values, target) and their line chart."""
    rounds = [r.round for r in series]
    panels = []
    for d in result.domains:
        vals = []
        for r in series:
            match = next((x for x in r.domains if x.id == d.id), None)
            vals.append(match.score if match else None)
        panels.append((d.name, vals, d.target_score))
    alt = (f"Linjediagram per område over poeng (0–100) i rundene {', '.join(rounds)}, med målet som stiplet linje. "
           + "; ".join(f"{name}: {' → '.join(fmt.num(v, 0) for v in vals)}" for name, vals, _ in panels) + ".")
    return panels, charts.trends(rounds, panels, alt)


def _domain_changes(result: RoundResult, previous: RoundResult) -> list[dict]:
    """Change in points per domain since the previous round, largest first."""
    prev_dom = {d.id: d for d in previous.domains}
    changes: list[dict[str, Any]] = []
    for d in result.domains:
        p = prev_dom.get(d.id)
        if p is None or p.score is None or d.score is None:
            continue
        changes.append({"name": d.name, "before": fmt.num(p.score, 0), "now": fmt.num(d.score, 0),
                        "delta": d.score - p.score, "change": _signed(d.score - p.score)})
    changes.sort(key=lambda c: (-abs(c["delta"]), c["name"]))
    return changes


def _indicator_changes(result: RoundResult, previous: RoundResult) -> tuple[list[dict], list[dict]]:
    """The (up to five) indicators that rose most and fell most since the previous round."""
    prev_ind = {r.id: r for r in previous.indicators}
    ind_changes: list[dict[str, Any]] = []
    for r in result.indicators:
        p = prev_ind.get(r.id)
        if p is None or p.level is None or r.level is None or p.level == r.level:
            continue
        ind_changes.append({"id": r.id, "short": r.short, "before": fmt.num(p.level), "now": fmt.num(r.level),
                            "delta": r.level - p.level, "change": _signed(r.level - p.level, 1),
                            "source": f"{p.level_source or '–'} → {r.level_source or '–'}"})
    up = sorted([c for c in ind_changes if c["delta"] > 0], key=lambda c: (-c["delta"], c["id"]))[:5]
    down = sorted([c for c in ind_changes if c["delta"] < 0], key=lambda c: (c["delta"], c["id"]))[:5]
    return up, down


def _caveats(result: RoundResult, previous: RoundResult) -> list[str]:
    """What makes the two rounds hard to compare: method, participants, bank version."""
    caveats = []
    if previous.uses_consensus != result.uses_consensus:
        n = len(result.indicators)

        def share(r: RoundResult) -> str:
            return f"på {r.uses_consensus} av {n} påstander" if r.uses_consensus else "ikke (ingen konsensus ennå)"

        caveats.append(f"Runde {previous.round} bruker gruppens konsensus {share(previous)}, runde {result.round} "
                       f"{share(result)}. Der det ikke er konsensus, er nivået medianen av de individuelle svarene. "
                       "Noe av endringen kan derfor skyldes metoden, ikke praksis.")
    if previous.n_participants != result.n_participants:
        caveats.append(f"Antall deltakere har endret seg ({previous.n_participants} i {previous.round}, "
                       f"{result.n_participants} i {result.round}). Andre deltakere kan se ting annerledes.")
    if previous.bank_version != result.bank_version or previous.bank_id != result.bank_id:
        caveats.append(f"Rundene bruker ulike versjoner av spørsmålsbanken ({previous.bank_id} {previous.bank_version} "
                       f"og {result.bank_id} {result.bank_version}); bare påstander med samme id er sammenlignet.")
    return caveats


def history_section(ws, rnd, result: RoundResult, earlier: list[RoundResult]) -> dict | None:
    """None when there is no earlier round to compare with."""
    if not earlier:
        return None
    series = [*earlier, result]
    previous = earlier[-1]
    panels, chart = _trends(result, series)
    up, down = _indicator_changes(result, previous)
    return {"rounds": [r.round for r in series], "previous": previous.round, "chart": chart,
            "changes": _domain_changes(result, previous), "up": up, "down": down,
            "caveats": _caveats(result, previous), "plan": _plan_status(ws, rnd),
            "table": [{"name": name, "cells": [fmt.num(v, 0) for v in vals], "target": fmt.num(t, 0)}
                      for name, vals, t in panels]}
