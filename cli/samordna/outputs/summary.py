"""The one-page summary for the municipal council and the leadership («Kort fortalt»).

One A4 page that can be read in two minutes: the legal minimum (every «nei» shown), the three
strongest and the three weakest areas, the group's priorities and how far last year's action plan
got. It is the first page of the report and a file of its own (``sammendrag-<kommune>-<runde>.html``,
and a PDF beside it when asked). The summary shows no participant text (no comments, rationales or
dissent), only counts and the bank's own words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from samordna.core import fmt
from samordna.core.errors import SamordnaError
from samordna.core.result_model import LEGAL_NO, LEGAL_UNKNOWN, LEGAL_YES, RoundResult
from samordna.i18n import _, n_

MAX_PRIORITIES = 6  # more than this and the page would overflow: the rest are counted


@dataclass
class SummaryFiles:
    html: Path
    pdf: Path | None
    pdf_missing: bool = False  # PDF was asked for, but WeasyPrint cannot be imported


def _legal(result: RoundResult) -> dict[str, Any]:
    from samordna.outputs.report import LEGAL_SYMBOL, legal_no_warning

    rows = [{"id": lr.id, "short": lr.short, "answer": lr.answer, "label": lr.answer_label,
             "symbol": LEGAL_SYMBOL.get(lr.answer, "?"), "no_warning": legal_no_warning(lr)}
            for lr in result.legal]
    n = {a: sum(r["answer"] == a for r in rows) for a in (LEGAL_YES, LEGAL_NO, LEGAL_UNKNOWN)}
    line = (_("{yes} av {total} lovkrav er på plass («ja»), {no} er besvart «nei» og {unknown} er uavklart.")
            .format(yes=n[LEGAL_YES], total=len(rows), no=n[LEGAL_NO], unknown=n[LEGAL_UNKNOWN]) if rows else "")
    return {"rows": rows, "line": line, "n_no": n[LEGAL_NO], "n_unknown": n[LEGAL_UNKNOWN]}


def _priorities(bank: Any, result: RoundResult) -> dict[str, Any]:
    chosen = bool(result.chosen_priorities)
    ids = list(result.chosen_priorities) if chosen else [p.id for p in result.priorities[:5]]
    entries = []
    for n, ind_id in enumerate(ids[:MAX_PRIORITIES], 1):
        r = result.indicator(ind_id)
        entries.append({"rank": n, "id": ind_id, "short": r.short, "domain": bank.domain_of[ind_id].name,
                        "level": "–" if r.level is None else fmt.num(r.level), "target": r.target})
    return {"chosen": chosen, "entries": entries, "more": max(0, len(ids) - MAX_PRIORITIES),
            "n_below": len(result.priorities)}


def _plan_status(ws: Any, rnd: Any) -> dict[str, Any]:
    """Counts per status in the previous round's action plan (a broken plan must not stop the summary)."""
    from samordna.io.plan_reader import previous_plan
    from samordna.plan.model import DONE, status_counts

    prev = ws.previous_round(rnd)
    if prev is None:
        return {"round": None, "file": "", "counts": [], "total": 0, "n_done": 0,
                "note": _("Dette er den første runden, så det finnes ingen handlingsplan fra forrige runde.")}
    try:
        found = previous_plan(ws, rnd)
    except SamordnaError as exc:
        return {"round": prev.id, "file": prev.plan_path.name, "counts": [], "total": 0, "n_done": 0,
                "note": _("Handlingsplanen fra runde {round} kunne ikke leses: {error}").format(round=prev.id,
                                                                                         error=exc.render())}
    if found is None:
        return {"round": prev.id, "file": prev.plan_path.name, "counts": [], "total": 0, "n_done": 0,
                "note": _("Det finnes ingen handlingsplan fra runde {round} ({file}) i arbeidsområdet.")
                .format(round=prev.id, file=prev.plan_path.name)}
    path, actions = found
    counts = status_counts(actions)
    n_done = sum(n for s, n in counts.items() if s in DONE)
    return {"round": prev.id, "file": path.name, "total": len(actions), "n_done": n_done,
            "counts": [{"status": _(s), "n": n} for s, n in counts.items()],
            "note": n_("{n} tiltak i handlingsplanen fra runde {round}; {done} er avsluttet (fullført eller "
                       "avbrutt), {open} er ikke ferdige og følger med inn i årets plan.",
                       "{n} tiltak i handlingsplanen fra runde {round}; {done} er avsluttet (fullført eller "
                       "avbrutt), {open} er ikke ferdige og følger med inn i årets plan.", len(actions))
                    .format(n=fmt.integer(len(actions)), round=prev.id, done=fmt.integer(n_done),
                            open=fmt.integer(len(actions) - n_done)) if actions else
                    _("Handlingsplanen fra runde {round} har ingen tiltak.").format(round=prev.id)}


def build_summary(ws: Any, rnd: Any, result: RoundResult, previous: RoundResult | None, *,
                  today: date | None = None, report_name: str = "") -> dict[str, Any]:
    """Everything the one page shows (no HTML here)."""
    from samordna.outputs.report import _ranked_domains, long_date

    bank = rnd.bank
    strongest, weakest = _ranked_domains(result)
    guideline = _guideline_line(bank, result)

    def area(d: Any) -> dict[str, Any]:
        return {"name": d.name, "score": fmt.num(d.score, 0), "level_name": d.level_name or "–",
                "level": fmt.num(d.level)}

    other_bank = previous is not None and (previous.bank_id, previous.bank_version) != (result.bank_id,
                                                                                       result.bank_version)
    return {
        "municipality": ws.name, "number": ws.number, "round": result.round, "year": result.year,
        "generated": long_date(today or date.today()), "bank_label": bank.label,
        "participants": n_("{n} deltaker", "{n} deltakere", result.n_participants)
        .format(n=fmt.integer(result.n_participants)),
        "level": fmt.num(result.overall_level), "score": fmt.num(result.overall_score, 0),
        "level_name": result.overall_level_name or "–",
        "previous": ({"round": previous.round, "score": fmt.num(previous.overall_score, 0),
                      "other_bank": other_bank} if previous is not None else None),
        "legal": _legal(result), "strongest": [area(d) for d in strongest], "weakest": [area(d) for d in weakest],
        "priorities": _priorities(bank, result), "plan": _plan_status(ws, rnd),
        "guideline_line": guideline,
        "scale": ", ".join(f"{lv.level} = {lv.name.lower()}" for lv in bank.scale.levels),
        "n_below": len(result.priorities), "report_name": report_name,
    }


def _guideline_line(bank: Any, result: RoundResult) -> str:
    from samordna.outputs.report import _guideline

    return str(_guideline(bank, result)["line"])


def summary_for(ws: Any, round_id: str | None = None, *, today: date | None = None,
                report_name: str = "") -> dict[str, Any]:
    """The summary model for a round, computed from the workspace."""
    from samordna.core.results import workspace_results

    rnd = ws.round(round_id)
    results = workspace_results(ws)
    ids = [r.round for r in results]
    i = ids.index(rnd.id)
    return build_summary(ws, rnd, results[i], results[i - 1] if i else None, today=today, report_name=report_name)


def render_summary(summary: dict[str, Any]) -> str:
    from samordna.outputs.html import render

    return render("summary.html", s=summary)


def default_summary_out(ws: Any, round_id: str, report_out: Path | None = None) -> Path:
    """``sammendrag-<kommune>-<runde>.html`` in the workspace, or beside a report written elsewhere."""
    if report_out is not None:
        return report_out.with_name(f"{report_out.stem}-sammendrag.html")
    return ws.root / f"sammendrag-{ws.slug}-{round_id}.html"


def write_summary(summary: dict[str, Any], out: Path, *, pdf: bool = False) -> SummaryFiles:
    """Write the one page as HTML (and as PDF when asked and WeasyPrint is there)."""
    from samordna.io.atomic import atomic_write_text
    from samordna.outputs.pdf import html_to_pdf, pdf_available

    html = render_summary(summary)
    pdf_path = out.with_suffix(".pdf") if pdf and pdf_available() else None
    if pdf_path is not None:
        html_to_pdf(html, pdf_path)
    atomic_write_text(out, html)
    return SummaryFiles(html=out, pdf=pdf_path, pdf_missing=pdf and pdf_path is None)
