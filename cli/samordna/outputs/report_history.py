"""Year over year for the report: trend lines per domain, the largest changes, and the
status of the previous round's action plan (read through ``outputs.plan`` when present).

Across a change of bank version the migration map decides what is compared (``core.migration``):
an indicator gets a trend only when the map says it measures the same thing as one old indicator;
the others get a plain note, and the domain lines are broken at the change."""

from __future__ import annotations

from typing import Any

from samordna.core import fmt
from samordna.core.migration import Comparability, comparability
from samordna.core.result_model import RoundResult
from samordna.i18n import N_, _, n_
from samordna.outputs import charts
from samordna.outputs.charts import Chart

# The plan's status values (stored in the workbook in bokmål, shown translated with _()).
PLAN_STATUSES = [N_("Fullført"), N_("Pågår"), N_("Ikke startet"), N_("Utsatt"), N_("Avbrutt")]


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
    from samordna.i18n import SOURCE, mark_text_language

    written_in = ws.language or SOURCE  # what people wrote in the plan, in their language (HTML's lang)
    for a in actions:
        for text in (a.action, a.comment, a.responsible):
            mark_text_language(text, written_in)
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
             "responsible": a.responsible or "–", "deadline": _date_text(a.deadline),
             "status": _(a.status) if a.status else _("Ikke satt"),
             "follow_up": _date_text(a.follow_up), "comment": a.comment or "", "prioritised": a.kind == "prioritert"}
            for a in touched]
    parts = [n_("{n_done} av {n} tiltak er fullført", "{n_done} av {n} tiltak er fullført", counts["Fullført"])
             .format(n_done=counts["Fullført"], n=len(actions)),
             _("{n} pågår").format(n=counts["Pågår"])]
    if counts["Utsatt"]:
        parts.append(n_("{n} er utsatt", "{n} er utsatt", counts["Utsatt"]).format(n=counts["Utsatt"]))
    if counts["Avbrutt"]:
        parts.append(n_("{n} er avbrutt", "{n} er avbrutt", counts["Avbrutt"]).format(n=counts["Avbrutt"]))
    last = _("{n} er ikke startet").format(n=counts["Ikke startet"])
    if other:
        last += " " + _("({n} uten gyldig status)").format(n=other)
    line = _("{items} og {last}.").format(items=", ".join(parts), last=last)
    return {"error": None, "file": path.name, "rows": rows, "line": line, "untouched": len(actions) - len(touched),
            "counts": [{"status": _(s), "n": n} for s, n in counts.items()]}


def _date_text(value) -> str:
    if value is None or value == "":
        return ""
    if hasattr(value, "strftime"):
        return fmt.numeric_day(value)
    return str(value)


def _level_source(source: str | None) -> str:
    """Where a level comes from, in words: «konsensus», «median» (the stored values), or «–»."""
    if source == "konsensus":
        return _("konsensus")
    if source == "median":
        return _("median")
    return source or "–"


def _signed(x: float, nd: int = 0) -> str:
    s = fmt.num(abs(x), nd)
    return ("+" if x > 0 else "−" if x < 0 else "±") + s


def _same_bank(a: RoundResult, b: RoundResult) -> bool:
    return (a.bank_id, a.bank_version) == (b.bank_id, b.bank_version)


def _breaks(series: list[RoundResult]) -> list[int]:
    """Positions in ``series`` where the bank changed since the round before (a break in the trend lines)."""
    return [k for k in range(1, len(series)) if not _same_bank(series[k - 1], series[k])]


def break_notes(series: list[RoundResult]) -> list[str]:
    """One plain sentence per bank change: «Banken ble byttet fra 1.0.0 til 2.0.0 i 2026: …»."""
    out = []
    for k in _breaks(series):
        a, b = series[k - 1], series[k]
        old = a.bank_version if a.bank_id == b.bank_id else f"{a.bank_id} {a.bank_version}"
        new = b.bank_version if a.bank_id == b.bank_id else f"{b.bank_id} {b.bank_version}"
        out.append(_("Banken ble byttet fra {old} til {new} i {round}: tallene før og etter er ikke helt "
                     "sammenlignbare.").format(old=old, new=new, round=b.round))
    return out


def _trends(result: RoundResult, series: list[RoundResult]) -> tuple[list[tuple[str, list[float | None], float]], Chart]:
    """Points per domain in every round (panels of name, values, target) and their line chart.

    The lines are not drawn across a change of bank: the chart marks the break instead."""
    rounds = [r.round for r in series]
    breaks = _breaks(series)
    panels = []
    for d in result.domains:
        vals = []
        for r in series:
            match = next((x for x in r.domains if x.id == d.id), None)
            vals.append(match.score if match else None)
        panels.append((d.name, vals, d.target_score))
    and_ = " " + _("og") + " "
    brk = ("" if not breaks else " " + _("Banken ble byttet før runde {rounds}: linjene er brutt der, og tallene før "
                                          "og etter er ikke helt sammenlignbare.").format(
        rounds=and_.join(rounds[k] for k in breaks)))
    alt = (_("Linjediagram per område over poeng (0–100) i rundene {rounds}, med målet som stiplet linje.").format(
        rounds=", ".join(rounds))
           + brk + " " + "; ".join(f"{name}: {' → '.join(fmt.num(v, 0) for v in vals)}" for name, vals, _t in panels)
           + ".")
    return panels, charts.trends(rounds, panels, alt, breaks=breaks)


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


def _comparability(bank, previous: RoundResult) -> dict[str, Comparability]:
    return comparability(bank, previous.bank_id, previous.bank_version, [r.id for r in previous.indicators])


def _indicator_changes(result: RoundResult, previous: RoundResult,
                       comp: dict[str, Comparability]) -> tuple[list[dict], list[dict]]:
    """The (up to five) indicators that rose most and fell most since the previous round, compared only
    where the bank's migration map says they measure the same thing (the old id named when it differs)."""
    prev_ind = {r.id: r for r in previous.indicators}
    ind_changes: list[dict[str, Any]] = []
    for r in result.indicators:
        c = comp.get(r.id)
        old_id = c.old_id if c is not None else (r.id if _same_bank(result, previous) else None)
        p = prev_ind.get(old_id) if old_id else None
        if p is None or p.level is None or r.level is None or p.level == r.level:
            continue
        was = ""
        if old_id != r.id:
            was = _("før {id}").format(id=old_id)
        elif c is not None and c.kind == "reworded":
            was = _("ny ordlyd")
        ind_changes.append({"id": r.id, "short": r.short, "before": fmt.num(p.level), "now": fmt.num(r.level),
                            "delta": r.level - p.level, "change": _signed(r.level - p.level, 1),
                            "source": f"{_level_source(p.level_source)} → {_level_source(r.level_source)}", "was": was})
    up = sorted([c for c in ind_changes if c["delta"] > 0], key=lambda c: (-c["delta"], c["id"]))[:5]
    down = sorted([c for c in ind_changes if c["delta"] < 0], key=lambda c: (c["delta"], c["id"]))[:5]
    return up, down


def _not_comparable(result: RoundResult, previous: RoundResult, comp: dict[str, Comparability]) -> dict | None:
    """Across a bank change: what can be compared with the previous round, and a plain note on each that cannot."""
    if _same_bank(result, previous):
        return None
    rows = [{"id": r.id, "short": r.short, "note": comp[r.id].note} for r in result.indicators
            if r.id in comp and not comp[r.id].comparable]
    reworded = [{"id": r.id, "short": r.short, "note": comp[r.id].note} for r in result.indicators
                if r.id in comp and comp[r.id].comparable and comp[r.id].note]
    n_ok = sum(1 for r in result.indicators if r.id in comp and comp[r.id].comparable)
    line = _("{n_ok} av {n} påstander i {bank} {version} kan sammenlignes med runde {round} ({previous_bank} "
             "{previous_version}). De andre har ingen trend.").format(
        n_ok=n_ok, n=len(result.indicators), bank=result.bank_id, version=result.bank_version, round=previous.round,
        previous_bank=previous.bank_id, previous_version=previous.bank_version)
    return {"line": line, "rows": rows, "reworded": reworded}


def _caveats(result: RoundResult, previous: RoundResult, series: list[RoundResult]) -> list[str]:
    """What makes the rounds hard to compare: bank version, method, participants."""
    caveats = break_notes(series)
    if previous.uses_consensus != result.uses_consensus:
        n_now, n_before = len(result.indicators), len(previous.indicators)

        def share(r: RoundResult, n: int) -> str:
            return (_("på {n_consensus} av {n} påstander").format(n_consensus=r.uses_consensus, n=n)
                    if r.uses_consensus else _("ikke (ingen konsensus ennå)"))

        caveats.append(_("Runde {previous_round} bruker gruppens konsensus {previous_share}, runde {round} {share}. "
                         "Der det ikke er konsensus, er nivået medianen av de individuelle svarene. Noe av endringen "
                         "kan derfor skyldes metoden, ikke praksis.").format(
            previous_round=previous.round, previous_share=share(previous, n_before), round=result.round,
            share=share(result, n_now)))
    if previous.n_participants != result.n_participants:
        caveats.append(_("Antall deltakere har endret seg ({previous_n} i {previous_round}, {n} i {round}). Andre "
                         "deltakere kan se ting annerledes.").format(
            previous_n=previous.n_participants, previous_round=previous.round, n=result.n_participants,
            round=result.round))
    return caveats


def history_section(ws, rnd, result: RoundResult, earlier: list[RoundResult]) -> dict | None:
    """None when there is no earlier round to compare with."""
    if not earlier:
        return None
    series = [*earlier, result]
    previous = earlier[-1]
    comp = _comparability(rnd.bank, previous)
    panels, chart = _trends(result, series)
    up, down = _indicator_changes(result, previous, comp)
    breaks = set(_breaks(series))
    return {"rounds": [r.round for r in series], "previous": previous.round, "chart": chart,
            "heads": [{"round": r.round, "break": k in breaks, "bank": r.bank_version} for k, r in enumerate(series)],
            "changes": _domain_changes(result, previous), "up": up, "down": down,
            "other_bank": not _same_bank(result, previous), "not_comparable": _not_comparable(result, previous, comp),
            "caveats": _caveats(result, previous, series), "plan": _plan_status(ws, rnd),
            "table": [{"name": name, "cells": [fmt.num(v, 0) for v in vals], "target": fmt.num(t, 0)}
                      for name, vals, t in panels]}
