"""The workshop report: a view model built from the scoring results, rendered to one
self-contained HTML file (templates/report.html), and optionally a PDF.

Privacy: individual answers appear only as anonymous dots (no code, no sector);
sector groups under ``suppression.MIN_GROUP_SIZE`` people are suppressed, with complementary
suppression so no hidden group can be derived, and counts per sector under it read «under 3»; free-text
comments are quoted without code or sector, and only when ``privacy.screen_text``
finds nothing that could point to a person. Everything user-written is escaped by
the template (autoescape).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from samordna.core import fmt
from samordna.core.bank import Bank
from samordna.core.privacy import screen_text
from samordna.core.results import workspace_results
from samordna.core.scoring import (
    VERDICT_MET,
    VERDICT_NOT_MET,
    VERDICT_PARTLY,
    RoundResult,
    responses_for,
)
from samordna.core.suppression import MIN_GROUP_SIZE, count_text, sector_groups
from samordna.outputs import charts
from samordna.outputs.report_history import history_section

MONTHS = ["januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober",
          "november", "desember"]
VERDICT_SYMBOL = {VERDICT_MET: "✓", VERDICT_PARTLY: "◐", VERDICT_NOT_MET: "✗"}
UNKNOWN_FLAG = 0.3  # «vet ikke» at or above this share is worth talking about


def long_date(d: date) -> str:
    return f"{d.day}. {MONTHS[d.month - 1]} {d.year}"


@dataclass
class ReportFiles:
    html: Path
    pdf: Path | None
    model: dict


# --- building blocks ------------------------------------------------------------------


def _level_text(r) -> str:
    if r.not_applicable:
        return "Ikke relevant"
    return "–" if r.level is None else fmt.num(r.level)


def _source_text(r) -> str:
    if r.level_source == "konsensus":
        return "konsensus"
    if r.level_source == "median":
        return "median"
    return "–"


def _comments(rnd) -> tuple[dict[str, list[dict]], int]:
    """Free-text comments per indicator without code or sector; those screening flags are left out."""
    by_ind: dict[str, list[str]] = {}
    left_out = 0
    for pf in rnd.participants():
        for ind_id, ans in pf.answers.items():
            text = (ans.comment or "").strip()
            if not text:
                continue
            screening = screen_text(text)
            if screening.blocked or screening.warnings:
                left_out += 1
                continue
            by_ind.setdefault(ind_id, []).append(text)
    counted = {}
    for k, texts in by_ind.items():  # identical comments are shown once, with a count
        counted[k] = [{"text": t, "n": texts.count(t)} for t in sorted(set(texts))]
    return counted, left_out


def _indicator_row(bank: Bank, r, answers: list) -> dict:
    ind = bank.indicator_by_id[r.id]
    levels = sorted(a for a in answers if isinstance(a, int))
    return {
        "id": r.id, "short": r.short, "statement": ind.statement, "level": _level_text(r), "source": _source_text(r),
        "target": r.target, "n": r.n_responses, "spread": "–" if r.min is None else f"{r.min}–{r.max}",
        "answers": ", ".join(str(a) for a in levels) or "ingen",
        "dont_know": r.n_dont_know, "not_applicable": r.n_not_applicable,
        "disagreement": r.disagreement, "below": r.below_target,
    }


def _domain_sections(bank: Bank, result: RoundResult, answers: dict[str, list], comments: dict[str, list[dict]]) -> list[dict]:
    out = []
    for dom_bank, d in zip(bank.domains, result.domains, strict=True):
        inds = [result.indicator(i) for i in d.indicators]
        rows = []
        for r in inds:
            note = ["holdt utenfor"] if r.not_applicable else []
            if r.n_dont_know:
                note.append(f"vet ikke {r.n_dont_know}")
            if r.n_not_applicable:
                note.append(f"ikke rel. {r.n_not_applicable}")
            rows.append(charts.IndicatorRow(
                label=f"{r.id} {r.short}", level=r.level, target=r.target,
                answers=[a for a in answers.get(r.id, []) if isinstance(a, int)], note=", ".join(note)))
        below = [r for r in inds if r.below_target]
        alt = (f"Punktdiagram for {d.name}: {len(inds)} påstander. For hver påstand viser en stolpe nivået "
               f"({'konsensus' if d.n_consensus else 'median'}), en stiplet strek målet og en prikk hvert enkelt svar. "
               + (f"Under mål: {', '.join(f'{r.id} ({fmt.num(r.level)} mot {r.target})' for r in below)}."
                  if below else "Alle påstander med nivå er på eller over målet."))
        out.append({
            "id": d.id, "name": d.name, "description": dom_bank.description,
            "level": fmt.num(d.level), "score": fmt.num(d.score, 0), "target_score": fmt.num(d.target_score, 0),
            "level_name": d.level_name or "–", "n_disagreements": d.n_disagreements,
            "dont_know": fmt.pct(d.share_dont_know),
            "chart": charts.indicator_chart(rows, alt),
            "indicators": [_indicator_row(bank, r, answers.get(r.id, [])) for r in inds],
            "rationales": [{"id": r.id, "short": r.short, "level": _level_text(r), "rationale": r.consensus_rationale,
                            "dissent": r.consensus_dissent} for r in inds if r.consensus_rationale],
            "comments": [{"id": r.id, "short": r.short, "texts": comments[r.id]} for r in inds if comments.get(r.id)],
        })
    return out


def _sector_notes(groups: list, responses, sectors) -> tuple[str, str]:
    """What the report says about hidden groups: under the threshold only, or more hidden so none can be derived."""
    hidden = [g for g in groups if g.suppressed]
    sizes: dict[str, int] = {}
    for r in responses:
        if (g := sectors.group_of(r.sector)) is not None:
            sizes[g.id] = sizes.get(g.id, 0) + 1
    also = any(sizes.get(g.id, 0) >= MIN_GROUP_SIZE for g in hidden)  # hidden so the small ones cannot be derived
    names = ", ".join(g.name for g in hidden)
    if not also:
        return (f"Ingen sektorgruppe har {MIN_GROUP_SIZE} eller flere deltakere, så sektorvisningen er skjult.",
                f"Skjult fordi gruppen har færre enn {MIN_GROUP_SIZE} deltakere: {names}." if hidden else "")
    why = (f"Grupper med færre enn {MIN_GROUP_SIZE} deltakere vises ikke. Da skjules også de minste av de andre "
           f"gruppene, til de skjulte er minst {MIN_GROUP_SIZE} personer til sammen – ellers kunne svarene deres "
           "regnes ut fra totalen.")
    return (f"Sektorvisningen er skjult slik at ingen kan kjennes igjen. {why}",
            f"Skjult slik at ingen kan kjennes igjen: {names}. {why}")


def _sector_section(bank: Bank, result: RoundResult, responses, sectors) -> dict:
    groups = sector_groups(bank, responses, sectors)
    shown = [g for g in groups if not g.suppressed]
    hidden = [g.name for g in groups if g.suppressed]
    none_note, hidden_note = _sector_notes(groups, responses, sectors)
    cols = [f"{g.name} (n={g.n})" for g in shown]
    rows = [{"name": d.name, "cells": [fmt.num(g.domains.get(d.id)) for g in shown]} for d in result.domains]
    chart = None
    if shown:
        vals = [[g.domains.get(d.id) for g in shown] for d in result.domains]
        spread = []
        for i, d in enumerate(result.domains):
            col = [v for v in vals[i] if v is not None]
            if len(col) >= 2:
                spread.append((max(col) - min(col), d.name))
        widest = max(spread) if spread else None
        alt = (f"Varmekart over gjennomsnittlig nivå (0–4) i {len(result.domains)} områder for {len(shown)} sektorgrupper. "
               "Hver rute har tallet skrevet inn; tallene står også i tabellen under."
               + (f" Størst forskjell mellom gruppene: {widest[1]} ({fmt.num(widest[0])} nivå)." if widest else ""))
        chart = charts.heatmap([d.name for d in result.domains], cols, vals, alt,
                               label="Gjennomsnittlig nivå i sektorgruppen (0–4)")
    return {"chart": chart, "cols": cols, "rows": rows, "hidden": hidden, "min_n": MIN_GROUP_SIZE,
            "none_note": none_note, "hidden_note": hidden_note}


def _guideline(bank: Bank, result: RoundResult) -> dict:
    def item(s) -> dict:
        return {
            "short": s.short, "title": s.title, "group": s.group or "", "confirmed": s.confirmed,
            "verdict": s.verdict, "label": s.verdict_label, "symbol": VERDICT_SYMBOL.get(s.verdict, "?"),
            "level": fmt.num(s.level), "target": fmt.num(s.target),
            "indicators": [{"id": i, "short": result.indicator(i).short, "level": _level_text(result.indicator(i)),
                            "target": result.indicator(i).target, "below": i in s.below_target} for i in s.indicators],
        }

    recs = [item(s) for s in result.recommendations]
    counts = {v: sum(r["verdict"] == v for r in recs) for v in (VERDICT_MET, VERDICT_PARTLY, VERDICT_NOT_MET)}
    unknown = len(recs) - sum(counts.values())
    line = (f"Av de {len(recs)} anbefalingene i retningslinjen IS-2826 er {counts[VERDICT_MET]} oppfylt, "
            f"{counts[VERDICT_PARTLY]} delvis oppfylt og {counts[VERDICT_NOT_MET]} ikke oppfylt"
            + (f" ({unknown} uavklart)." if unknown else "."))
    return {"recommendations": recs, "duties": [item(s) for s in result.duties], "line": line}


def _unknown_section(result: RoundResult) -> dict:
    doms = result.domains
    alt = ("Stolpediagram over andelen «vet ikke» og «ikke relevant» per område. "
           + "; ".join(f"{d.name}: vet ikke {fmt.pct(d.share_dont_know)}, ikke relevant {fmt.pct(d.share_not_applicable)}"
                       for d in doms) + ".")
    chart = charts.unknown_bars([d.name for d in doms], [d.share_dont_know for d in doms],
                                [d.share_not_applicable for d in doms], alt)
    inds = [r for r in result.indicators if r.n_responses and (r.share_dont_know + r.share_not_applicable) > 0]
    inds.sort(key=lambda r: (-(r.share_dont_know + r.share_not_applicable), r.id))
    top = [{"id": r.id, "short": r.short, "dont_know": fmt.pct(r.share_dont_know),
            "not_applicable": fmt.pct(r.share_not_applicable), "n": r.n_responses} for r in inds[:10]]
    return {"chart": chart, "top": top}


def _priorities(bank: Bank, result: RoundResult) -> dict:
    chosen = bool(result.chosen_priorities)
    by_id = {p.id: p for p in result.priorities}
    ids = list(result.chosen_priorities) if chosen else [p.id for p in result.priorities[:5]]
    items = []
    for n, ind_id in enumerate(ids, 1):
        r = result.indicator(ind_id)
        p = by_id.get(ind_id)
        items.append({"rank": n, "id": ind_id, "short": r.short, "domain": bank.domain_of[ind_id].name,
                      "level": _level_text(r), "target": r.target, "disagreement": r.disagreement,
                      "score": fmt.num(p.score) if p else "–",
                      "actions": list(bank.indicator_by_id[ind_id].actions)})
    return {"chosen": chosen, "entries": items, "n_below": len(result.priorities)}


def _questions(bank: Bank, result: RoundResult, weakest: list) -> list[dict]:
    by_dom = {d.id: d for d in bank.domains}
    out = [{"title": f"{d.name} (et av de svakeste områdene)", "questions": list(by_dom[d.id].discussion_questions)}
           for d in weakest if by_dom[d.id].discussion_questions]
    split = [r for r in result.indicators if r.disagreement]
    if split:
        names = ", ".join(f"{r.id} «{r.short}»" for r in split)
        out.append({"title": "Der svarene spriker", "questions": [
            f"Dere svarte ulikt på {names}. Hva ser de som svarte høyt, som de som svarte lavt ikke ser – og omvendt?",
            "Er det ulike tjenester som har ulik erfaring her, og hva sier det om samordningen?"]})
    unclear = [r for r in result.indicators if r.share_dont_know >= UNKNOWN_FLAG]
    if unclear:
        names = ", ".join(f"{r.id} «{r.short}»" for r in unclear)
        out.append({"title": "Der mange svarte «vet ikke»", "questions": [
            f"Mange svarte «vet ikke» på {names}. Hvem i kommunen vet svaret, og hvordan kan flere få vite det?"]})
    out.append({"title": "Mange ser litt, men ingen ser alt", "questions": [
        "Hva overrasket dere mest i resultatene?",
        "Hvilke to–tre ting skal vi ha fått til før neste kartlegging, og hvem har ansvaret?"]})
    return out


# --- the model ------------------------------------------------------------------------


def _answers_by_indicator(responses) -> dict[str, list]:
    answers: dict[str, list] = {}
    for resp in responses:
        for ind_id, v in resp.answers.items():
            answers.setdefault(ind_id, []).append(v)
    return answers


def _ranked_domains(result: RoundResult) -> tuple[list, list]:
    """The three strongest and the three weakest domains with a score (weakest first)."""
    order = [x.id for x in result.domains]
    scored = [(score, d) for d in result.domains if (score := d.score) is not None]
    ranked = [d for _, d in sorted(scored, key=lambda sd: (-sd[0], order.index(sd[1].id)))]
    return ranked[:3], list(reversed(ranked[-3:])) if len(ranked) > 3 else ranked[::-1]


def _radar(result: RoundResult, previous: RoundResult | None) -> charts.Chart:
    """This round's level per domain against the target (and the previous round, if any)."""
    series: list[tuple[str, list[float | None]]] = [(f"Runde {result.round}", [d.level for d in result.domains]),
                                                     ("Mål", [d.target for d in result.domains])]
    prev_by = {d.id: d.level for d in previous.domains} if previous else {}
    if previous:
        series.append((f"Runde {previous.round}", [prev_by.get(d.id) for d in result.domains]))
    alt = ("Radardiagram over nivået (0–4) i de " + str(len(result.domains)) + " områdene: "
           + "; ".join(f"{d.name} {fmt.num(d.level)} (mål {fmt.num(d.target)}"
                       + (f", {previous.round}: {fmt.num(prev_by.get(d.id))}" if previous else "") + ")"
                       for d in result.domains) + ".")
    return charts.radar([d.name for d in result.domains], series, alt)


def _source_note(result: RoundResult) -> str:
    """Where the levels come from: the group's consensus, the median of the answers, or both."""
    n_ind = len(result.indicators)
    if result.uses_consensus == n_ind:
        return f"Alle de {n_ind} påstandene har et nivå gruppen ble enig om (konsensus)."
    if result.uses_consensus:
        return (f"{result.uses_consensus} av {n_ind} påstander har et nivå gruppen ble enig om (konsensus); "
                "resten bruker medianen av de individuelle svarene.")
    return "Gruppen har ikke registrert konsensus ennå: alle nivåene er medianen av de individuelle svarene."


def _bank_facts(bank: Bank) -> dict:
    return {"label": bank.label, "title": bank.title, "n_indicators": len(bank.indicators),
            "n_domains": len(bank.domains), "description": bank.description,
            "levels": [{"level": lv.level, "name": lv.name, "description": lv.description} for lv in bank.scale.levels],
            "sources": [{"short": s.short, "title": s.title, "url": s.url, "confirmed": s.confirmed}
                        for s in bank.sources]}


def _participants(result: RoundResult, sectors) -> dict:
    return {"n": result.n_participants,  # a count under 3 per sector is suppressed: «under 3»
            "by_sector": [{"name": sectors.name(k), "n": count_text(v)} for k, v in
                          sorted(result.participants_by_sector.items(), key=lambda kv: sectors.name(kv[0]))]}


def _summary(result: RoundResult, previous: RoundResult | None, guideline: dict) -> dict:
    strongest, weakest = _ranked_domains(result)
    return {
        "level": fmt.num(result.overall_level), "score": fmt.num(result.overall_score, 0),
        "level_name": result.overall_level_name or "–",
        "strongest": [{"name": d.name, "score": fmt.num(d.score, 0), "level_name": d.level_name} for d in strongest],
        "weakest": [{"name": d.name, "score": fmt.num(d.score, 0), "level_name": d.level_name} for d in weakest],
        "guideline_line": guideline["line"],
        "n_disagreements": sum(r.disagreement for r in result.indicators),
        "n_below": len(result.priorities),
        "previous": ({"round": previous.round, "score": fmt.num(previous.overall_score, 0)} if previous else None),
    }


def build_model(ws, round_id: str | None = None, *, today: date | None = None) -> dict:
    """Everything the template shows, computed from the workspace (no HTML here)."""
    rnd = ws.round(round_id)
    bank = rnd.bank
    all_results = workspace_results(ws)
    ids = [r.round for r in all_results]
    result = all_results[ids.index(rnd.id)]
    earlier = all_results[: ids.index(rnd.id)]
    previous = earlier[-1] if earlier else None
    responses = responses_for(rnd)
    comments, comments_left_out = _comments(rnd)
    guideline = _guideline(bank, result)
    return {
        "municipality": ws.name, "number": ws.number, "round": result.round, "year": result.year,
        "bank": _bank_facts(bank),
        "generated": long_date(today or date.today()), "opened": long_date(rnd.info.opened),
        "participants": _participants(result, ws.sectors),
        "source_note": _source_note(result),
        "summary": _summary(result, previous, guideline),
        "radar": _radar(result, previous),
        "domains": _domain_sections(bank, result, _answers_by_indicator(responses), comments),
        "comments_left_out": comments_left_out,
        "sectors": _sector_section(bank, result, responses, ws.sectors),
        "guideline": guideline,
        "unknown": _unknown_section(result),
        "priorities": _priorities(bank, result),
        "history": history_section(ws, rnd, result, earlier),
        "questions": _questions(bank, result, _ranked_domains(result)[1]),
        "min_n": MIN_GROUP_SIZE,
    }


# --- rendering ------------------------------------------------------------------------


def render_html(model: dict) -> str:
    from samordna.outputs.html import render

    return render("report.html", m=model)


def default_out(ws, round_id: str) -> Path:
    return ws.root / f"rapport-{ws.slug}-{round_id}.html"


def write_report(ws, round_id: str | None = None, out: Path | None = None, *, pdf: bool = False,
                 today: date | None = None) -> ReportFiles:
    """Build and write the HTML (and the PDF if asked). Nothing is written if building fails."""
    from samordna.io.atomic import atomic_write_text

    model = build_model(ws, round_id, today=today)
    html = render_html(model)
    out = Path(out) if out else default_out(ws, model["round"])
    pdf_path = out.with_suffix(".pdf") if pdf else None
    if pdf_path is not None:
        from samordna.outputs.pdf import html_to_pdf

        html_to_pdf(html, pdf_path)  # raises a clear message before the HTML is written if WeasyPrint is missing
    atomic_write_text(out, html)
    return ReportFiles(html=out, pdf=pdf_path, model=model)
