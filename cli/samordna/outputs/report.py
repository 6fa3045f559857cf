"""The workshop report: a view model built from the scoring results, rendered to one
self-contained HTML file (templates/report.html), and optionally a PDF.

Privacy: individual answers appear only as anonymous dots (no code, no sector);
sector groups under ``suppression.MIN_GROUP_SIZE`` people are suppressed, with complementary
suppression so no hidden group can be derived, and counts per sector under it read «under 3»; free-text
comments are quoted without code or sector, and only when ``privacy.screen_text``
finds nothing that could point to a person; comments, rationales and dissent pass
``privacy.mask_contacts`` (no e-mail addresses or phone numbers); re-votes (``io.revotes``) are shown only as
counts per answer before and after, never as one person's change; the young people's mirror
(``outputs.mirror_report``) shows only what ``core.mirror.MirrorView`` holds (no role under its smallest group,
nothing for both roles together, no age bands). Everything
user-written is escaped by the template (autoescape). The first page is the one-page
summary (``outputs.summary``), which is also written as a file of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from samordna.core import fmt
from samordna.core.bank import Bank
from samordna.core.privacy import mask_contacts, screen_text
from samordna.core.result_model import (
    LEGAL_NO,
    LEGAL_UNKNOWN,
    LEGAL_YES,
    VERDICT_MET,
    VERDICT_NONE,
    VERDICT_NOT_MET,
    VERDICT_PARTLY,
    VERDICT_UNKNOWN,
    IndicatorResult,
    LegalResult,
    RoundResult,
    SourceResult,
)
from samordna.core.results import workspace_results
from samordna.core.scoring import responses_for
from samordna.core.suppression import MIN_GROUP_SIZE, count_text, sector_groups
from samordna.i18n import N_, _, n_
from samordna.io.revotes import LEGAL_VALUES, LEVEL_VALUES, load_revotes
from samordna.outputs import charts
from samordna.outputs.mirror_report import YOUTH_PAGE, mirror_section, render_youth_page
from samordna.outputs.report_history import history_section

if TYPE_CHECKING:
    from samordna.outputs.summary import SummaryFiles

VERDICT_SYMBOL = {VERDICT_MET: "✓", VERDICT_PARTLY: "◐", VERDICT_NOT_MET: "✗", VERDICT_UNKNOWN: "?", VERDICT_NONE: "○"}
LEGAL_SYMBOL = {LEGAL_YES: "✓", LEGAL_NO: "✗", LEGAL_UNKNOWN: "?"}
# Shown next to a source's name wherever it appears (report, guide, score), never only in a footnote.
UNCONFIRMED = N_("Ikke bekreftet")
# A recommendation the bank gives no verdict (``Source.verdict`` false), e.g. one not found in the guideline.
NOT_FOUND = N_("Ikke funnet i retningslinjen – ingen vurdering")
UNKNOWN_FLAG = 0.3  # «vet ikke» at or above this share is worth talking about


def long_date(d: date) -> str:
    """«20. november 2026» in the current language."""
    return fmt.day(d)


@dataclass
class ReportFiles:
    html: Path
    pdf: Path | None
    model: dict
    summary: SummaryFiles | None = None
    pdf_missing: bool = False  # PDF was asked for, but WeasyPrint cannot be imported: only HTML was written
    youth: Path | None = None  # the mirror's page for the youth council, when the round has the mirror
    youth_pdf: Path | None = None


def _shown(text: str | None) -> str | None:
    """Participant text (a rationale, a dissent) as the report shows it: without contact details."""
    return mask_contacts(text) if text else text


# --- building blocks ------------------------------------------------------------------


def _level_text(r) -> str:
    if r.not_applicable:
        return _("Ikke relevant")
    return "–" if r.level is None else fmt.num(r.level)


def _source_text(r) -> str:
    if r.level_source == "konsensus":
        return _("konsensus")
    if r.level_source == "median":
        return _("median")
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
            by_ind.setdefault(ind_id, []).append(mask_contacts(text))
    counted = {}
    for k, texts in by_ind.items():  # identical comments are shown once, with a count
        counted[k] = [{"text": t, "n": texts.count(t)} for t in sorted(set(texts))]
    return counted, left_out


def source_flags(bank: Bank, source_id: str) -> dict:
    """How a source is marked wherever it is named: «Ikke bekreftet», no verdict, its note and citation."""
    src = bank.source_by_id.get(source_id)
    if src is None:
        return {"unconfirmed": False, "no_verdict": False, "note": "", "citation": "", "url": ""}
    return {"unconfirmed": not src.confirmed, "no_verdict": not src.verdict, "note": src.note or "",
            "citation": src.citation or "", "url": src.url}


def no_verdict_label(kind: str) -> str:
    return _(NOT_FOUND) if kind == "recommendation" else _("Ingen vurdering")


def statutory_text(bank: Bank, ind_id: str) -> str:
    """«Lovpålagt (barnevernsloven § 15-1 andre ledd)» for a statutory indicator, else empty."""
    ind = bank.indicator_by_id.get(ind_id)
    if ind is None or not ind.statutory:
        return ""
    cites = []
    for law in ind.statutory:
        src = bank.source_by_id.get(law)
        cites.append((src.citation or src.short) if src else law)
    return _("Lovpålagt ({citations})").format(citations="; ".join(cites))


def local_text(bank: Bank, ind_id: str, owner: str | None = None) -> str:
    """«Lokal (Vestland)» for an indicator added in a local additions file, else empty."""
    ind = bank.indicator_by_id.get(ind_id)
    if ind is None or not ind.local:
        return ""
    who = ind.local_owner or owner or bank.local_owner
    return _("Lokal ({owner})").format(owner=who) if who else _("Lokal")


def _descriptor(bank: Bank, r: IndicatorResult) -> str:
    """What the indicator's current level means, from its own level descriptors (named level: halves round down)."""
    ind = bank.indicator_by_id.get(r.id)
    if ind is None or not ind.levels or r.level is None or r.not_applicable:
        return ""
    lvl = max(0, min(4, int(r.level)))
    return _("Nivå {level}: {description}").format(level=lvl, description=ind.levels[lvl])


def _indicator_row(bank: Bank, result: RoundResult, r: IndicatorResult, answers: list) -> dict:
    ind = bank.indicator_by_id[r.id]
    levels = sorted(a for a in answers if isinstance(a, int))
    return {
        "id": r.id, "short": r.short, "statement": ind.statement, "level": _level_text(r), "source": _source_text(r),
        "target": r.target, "n": r.n_responses, "spread": "–" if r.min is None else f"{r.min}–{r.max}",
        "answers": ", ".join(str(a) for a in levels) or _("ingen"),
        "dont_know": r.n_dont_know, "not_applicable": r.n_not_applicable,
        "disagreement": r.disagreement, "below": r.below_target, "unclear": r.unclear,
        "statutory": statutory_text(bank, r.id), "local": local_text(bank, r.id, result.local_owner),
        "descriptor": _descriptor(bank, r),
        "ignored": (_("{n} svarte «ikke relevant», men en lovpålagt plikt kan ikke være det; "
                      "svarene er holdt utenfor nivået.").format(n=r.n_not_applicable_ignored)
                    if r.n_not_applicable_ignored else ""),
    }


def _domain_sections(bank: Bank, result: RoundResult, answers: dict[str, list], comments: dict[str, list[dict]]) -> list[dict]:
    out = []
    bank_domains = {d.id: d for d in bank.domains}
    for d in result.domains:
        dom_bank = bank_domains.get(d.id)
        inds = [result.indicator(i) for i in d.indicators]
        rows = []
        for r in inds:
            note = [_("holdt utenfor")] if r.not_applicable else []
            if statutory_text(bank, r.id):
                note.append(_("lovpålagt"))
            if local_text(bank, r.id):
                note.append(_("lokal"))
            if r.n_dont_know:
                note.append(_("vet ikke {n}").format(n=r.n_dont_know))
            if r.n_not_applicable:
                note.append(_("ikke rel. {n}").format(n=r.n_not_applicable))
            rows.append(charts.IndicatorRow(
                label=f"{r.id} {r.short}", level=r.level, target=r.target,
                answers=[a for a in answers.get(r.id, []) if isinstance(a, int)], note=", ".join(note)))
        below = [r for r in inds if r.below_target]
        alt = ((_("Punktdiagram for {domain}: {n} påstander. For hver påstand viser en stolpe nivået (konsensus), "
                  "en stiplet strek målet og en prikk hvert enkelt svar.") if d.n_consensus else
                _("Punktdiagram for {domain}: {n} påstander. For hver påstand viser en stolpe nivået (median), "
                  "en stiplet strek målet og en prikk hvert enkelt svar.")).format(domain=d.name, n=len(inds))
               + " " + (_("Under mål: {items}.").format(items=", ".join(
                   _("{id} ({level} mot {target})").format(id=r.id, level=fmt.num(r.level), target=r.target)
                   for r in below))
                   if below else _("Alle påstander med nivå er på eller over målet.")))
        out.append({
            "id": d.id, "name": d.name, "description": dom_bank.description if dom_bank else "",
            "level": fmt.num(d.level), "score": fmt.num(d.score, 0), "target_score": fmt.num(d.target_score, 0),
            "level_name": d.level_name or "–", "n_disagreements": d.n_disagreements,
            "dont_know": fmt.pct(d.share_dont_know), "capped": d.explanation or "",
            "chart": charts.indicator_chart(rows, alt),
            "indicators": [_indicator_row(bank, result, r, answers.get(r.id, [])) for r in inds],
            "rationales": [{"id": r.id, "short": r.short, "level": _level_text(r),
                            "rationale": _shown(r.consensus_rationale), "dissent": _shown(r.consensus_dissent)}
                           for r in inds if r.consensus_rationale],
            "comments": [{"id": r.id, "short": r.short, "texts": comments[r.id]} for r in inds if comments.get(r.id)],
        })
    return out


def legal_counts(lr: LegalResult) -> str:
    """«7 ja, 2 nei, 1 vet ikke av 10» (and how many have not answered)."""
    text = _("{n_yes} ja, {n_no} nei, {n_dk} vet ikke av {n}").format(
        n_yes=lr.n_yes, n_no=lr.n_no, n_dk=lr.n_dont_know, n=lr.n_responses)
    return text + (" " + _("({n} har ikke svart)").format(n=lr.n_missing) if lr.n_missing else "")


def legal_no_warning(lr: LegalResult) -> str:
    """Every «nei» shows, also when the group's answer is «ja»: «2 av 10 svarte nei»."""
    return _("{n_no} av {n} svarte nei").format(n_no=lr.n_no, n=lr.n_responses) if lr.n_no else ""


def legal_source_text(lr: LegalResult) -> str:
    if lr.answer_source == "konsensus":
        return _("Gruppens svar (konsensus)")
    if lr.answer_source == "svar":
        return _("Fra de individuelle svarene (ingen konsensus)")
    return _("Ingen har svart")


def _legal_section(bank: Bank, result: RoundResult) -> dict:
    rows = []
    for lr in result.legal:
        flags = source_flags(bank, lr.references[0]) if lr.references else source_flags(bank, "")
        rows.append({
            "id": lr.id, "short": lr.short, "question": lr.question, "who": lr.who,
            "answer": lr.answer, "label": lr.answer_label, "symbol": LEGAL_SYMBOL.get(lr.answer, "?"),
            "from_consensus": lr.answer_source == "konsensus", "answer_source": legal_source_text(lr),
            "counts": legal_counts(lr), "no_warning": legal_no_warning(lr),
            "no_against": bool(lr.n_no) and lr.answer != LEGAL_NO,
            "citation": lr.citation or ", ".join(lr.references), "url": lr.url, "explanation": lr.explanation,
            "rationale": _shown(lr.consensus_rationale) or "", "unconfirmed": flags["unconfirmed"],
            "actions": list(bank.legal_by_id[lr.id].actions) if lr.id in bank.legal_by_id else [],
        })
    n = {a: sum(r["answer"] == a for r in rows) for a in (LEGAL_YES, LEGAL_NO, LEGAL_UNKNOWN)}
    line = (_("Av {n} lovkrav er {n_yes} besvart «ja», {n_no} «nei» og {n_unknown} uavklart.").format(
        n=len(rows), n_yes=n[LEGAL_YES], n_no=n[LEGAL_NO], n_unknown=n[LEGAL_UNKNOWN]) if rows else "")
    n_with_no = sum(1 for r in rows if r["no_against"])
    if n_with_no:
        line += " " + n_("På {n} krav der svaret ikke er «nei», svarte noen likevel «nei»; det står i tabellen.",
                         "På {n} av kravene der svaret ikke er «nei», svarte noen likevel «nei»; det står i tabellen.",
                         n_with_no).format(n=n_with_no)
    return {"rows": rows, "line": line, "bank_label": bank.label}


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
        return (_("Ingen sektorgruppe har {n} eller flere deltakere, så sektorvisningen er skjult.").format(
                    n=MIN_GROUP_SIZE),
                _("Skjult fordi gruppen har færre enn {n} deltakere: {groups}.").format(n=MIN_GROUP_SIZE, groups=names)
                if hidden else "")
    why = _("Grupper med færre enn {n} deltakere vises ikke. Da skjules også de minste av de andre gruppene, til de "
            "skjulte er minst {n} personer til sammen – ellers kunne svarene deres regnes ut fra totalen.").format(
        n=MIN_GROUP_SIZE)
    return (_("Sektorvisningen er skjult slik at ingen kan kjennes igjen.") + " " + why,
            _("Skjult slik at ingen kan kjennes igjen: {groups}.").format(groups=names) + " " + why)


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
        alt = (_("Varmekart over gjennomsnittlig nivå (0–4) i {n_domains} områder for {n_groups} sektorgrupper. "
                 "Hver rute har tallet skrevet inn; tallene står også i tabellen under.").format(
                   n_domains=len(result.domains), n_groups=len(shown))
               + (" " + _("Størst forskjell mellom gruppene: {domain} ({difference} nivå).").format(
                   domain=widest[1], difference=fmt.num(widest[0])) if widest else ""))
        chart = charts.heatmap([d.name for d in result.domains], cols, vals, alt,
                               label=_("Gjennomsnittlig nivå i sektorgruppen (0–4)"))
    return {"chart": chart, "cols": cols, "rows": rows, "hidden": hidden, "min_n": MIN_GROUP_SIZE,
            "none_note": none_note, "hidden_note": hidden_note}


def _behind(result: RoundResult, s: SourceResult) -> list[dict]:
    """The items a verdict rests on (core indicators and legal items), the decisive ones marked."""
    legal = {lr.id: lr for lr in result.legal}
    known = {r.id for r in result.indicators}
    out = []
    for i in s.core or s.indicators:
        if i in legal:
            lr = legal[i]
            out.append({"id": i, "short": lr.short, "level": lr.answer_label, "target": _("ja"),
                        "below": lr.answer != LEGAL_YES, "decisive": i in s.decisive, "legal": True})
        elif i in known:
            r = result.indicator(i)
            out.append({"id": i, "short": r.short, "level": _level_text(r), "target": r.target,
                        "below": i in s.below_target, "decisive": i in s.decisive, "legal": False})
    return out


def verdict_item(bank: Bank, result: RoundResult, s: SourceResult) -> dict:
    """One recommendation, duty or law with its verdict, the sentence that explains it and its marks."""
    flags = source_flags(bank, s.id)
    no_verdict = s.verdict == VERDICT_NONE or flags["no_verdict"]
    return {
        "id": s.id, "kind": s.kind, "short": s.short, "title": s.title, "group": s.group or "",
        "confirmed": s.confirmed, "unconfirmed": not s.confirmed or flags["unconfirmed"],
        "verdict": VERDICT_NONE if no_verdict else s.verdict,
        "label": no_verdict_label(s.kind) if no_verdict else s.verdict_label,
        "symbol": VERDICT_SYMBOL.get(VERDICT_NONE if no_verdict else s.verdict, "?"),
        "explanation": s.explanation,
        "note": flags["note"] if (no_verdict or not s.confirmed) and flags["note"] not in s.explanation else "",
        "level": fmt.num(s.level), "target": fmt.num(s.target),
        "citation": s.citation or flags["citation"], "url": s.url or flags["url"],
        "indicators": _behind(result, s),
    }


def _guideline(bank: Bank, result: RoundResult) -> dict:
    recs = [verdict_item(bank, result, s) for s in result.recommendations]
    counts = {v: sum(r["verdict"] == v for r in recs)
              for v in (VERDICT_MET, VERDICT_PARTLY, VERDICT_NOT_MET, VERDICT_UNKNOWN, VERDICT_NONE)}
    extra = []
    if counts[VERDICT_UNKNOWN]:
        extra.append(_("{n} uavklart").format(n=counts[VERDICT_UNKNOWN]))
    if counts[VERDICT_NONE]:
        extra.append(_("{n} uten vurdering fordi innholdet ikke er funnet i retningslinjen").format(
            n=counts[VERDICT_NONE]))
    line = _("Av de {n} anbefalingene i retningslinjen IS-2826 er {n_met} oppfylt, {n_partly} delvis oppfylt og "
             "{n_not_met} ikke oppfylt").format(n=len(recs), n_met=counts[VERDICT_MET], n_partly=counts[VERDICT_PARTLY],
                                                 n_not_met=counts[VERDICT_NOT_MET]) + (
        " " + _("({details}).").format(details="; ".join(extra)) if extra else ".")
    return {"recommendations": recs, "duties": [verdict_item(bank, result, s) for s in result.duties],
            "laws": [verdict_item(bank, result, s) for s in result.laws], "line": line,
            "any_unconfirmed": any(r["unconfirmed"] for r in recs)}


def _rules(bank: Bank) -> dict:
    """The verdict rules of the round's bank, in words for the method appendix."""
    r = bank.verdict_rules
    return {"not_met": r.not_met_at_or_below, "unclear": fmt.pct(r.unclear_dont_know_share),
            "cap": r.domain_cap_above_lowest, "has_core": bank.has_core,
            "weights": {"statutory": fmt.short(r.weights.statutory), "core": fmt.short(r.weights.core),
                        "other": fmt.short(r.weights.other)},
            "has_legal": bool(bank.legal_minimum)}


def _unknown_section(result: RoundResult) -> dict:
    doms = result.domains
    alt = (_("Stolpediagram over andelen «vet ikke» og «ikke relevant» per område.") + " "
           + "; ".join(_("{domain}: vet ikke {dont_know}, ikke relevant {not_applicable}").format(
               domain=d.name, dont_know=fmt.pct(d.share_dont_know), not_applicable=fmt.pct(d.share_not_applicable))
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
    out = [{"title": _("{domain} (et av de svakeste områdene)").format(domain=d.name),
            "questions": list(by_dom[d.id].discussion_questions)}
           for d in weakest if by_dom[d.id].discussion_questions]
    split = [r for r in result.indicators if r.disagreement]
    if split:
        names = ", ".join(_("{id} «{short}»").format(id=r.id, short=r.short) for r in split)
        out.append({"title": _("Der svarene spriker"), "questions": [
            _("Dere svarte ulikt på {statements}. Hva ser de som svarte høyt, som de som svarte lavt ikke ser – og "
              "omvendt?").format(statements=names),
            _("Er det ulike tjenester som har ulik erfaring her, og hva sier det om samordningen?")]})
    unclear = [r for r in result.indicators if r.share_dont_know >= UNKNOWN_FLAG]
    if unclear:
        names = ", ".join(_("{id} «{short}»").format(id=r.id, short=r.short) for r in unclear)
        out.append({"title": _("Der mange svarte «vet ikke»"), "questions": [
            _("Mange svarte «vet ikke» på {statements}. Hvem i kommunen vet svaret, og hvordan kan flere få vite "
              "det?").format(statements=names)]})
    out.append({"title": _("Mange ser litt, men ingen ser alt"), "questions": [
        _("Hva overrasket dere mest i resultatene?"),
        _("Hvilke to–tre ting skal vi ha fått til før neste kartlegging, og hvem har ansvaret?")]})
    return out


def _median_text(counts: dict[int | str, int]) -> str:
    """The median of the levels 0–4 in ``counts`` («vet ikke» and «ikke relevant» left out, as in scoring)."""
    import statistics

    levels = [v for v, n in counts.items() if isinstance(v, int) for _i in range(n)]
    return fmt.num(statistics.median(levels)) if levels else "–"


def _distribution(counts: dict[int | str, int], values: tuple[int | str, ...], legal: bool) -> dict:
    return {"cells": [counts.get(v, 0) for v in values], "n": sum(counts.get(v, 0) for v in values),
            "median": "" if legal else _median_text(counts)}


def _revote_section(bank: Bank, rnd, answers: dict[str, list]) -> dict | None:
    """How the discussion moved the room: per re-voted statement, the distribution of the round's first answers
    and of the re-vote (``omstemming.yaml``), never one person's change. None when there are no re-votes."""
    revotes = load_revotes(rnd.dir, bank)
    if not revotes:
        return None
    levels: list[dict] = []
    legal: list[dict] = []
    for rv in revotes:
        is_legal = bank.is_legal(rv.statement)
        values = LEGAL_VALUES if is_legal else LEVEL_VALUES
        first = answers.get(rv.statement, [])
        before = {v: sum(1 for a in first if a == v and type(a) is type(v)) for v in values}
        item = bank.legal_by_id[rv.statement] if is_legal else bank.indicator_by_id[rv.statement]
        row = {"id": rv.statement, "short": item.short, "tally": rv.tally,
               "before": _distribution(before, values, is_legal), "after": _distribution(rv.counts, values, is_legal),
               "chart": charts.answer_distribution(values, bank.scale.label, before, rv.counts, rv.tally,
                                                   f"{rv.statement} {item.short}")[0]}
        (legal if is_legal else levels).append(row)
    n_tally = sum(rv.tally for rv in revotes)
    line = n_("Gruppen stemte på nytt over {n} påstand etter drøftingen.",
              "Gruppen stemte på nytt over {n} påstander etter drøftingen.", len(revotes)).format(n=len(revotes))
    if n_tally:
        line += " " + n_("{n} av omstemmingene er telt opp fra papir.",
                         "{n} av omstemmingene er telt opp fra papir.", n_tally).format(n=n_tally)
    return {"levels": levels, "legal": legal, "line": line,
            "level_heads": [str(v) for v in LEVEL_VALUES[:5]]}


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
    series: list[tuple[str, list[float | None]]] = [
        (_("Runde {round}").format(round=result.round), [d.level for d in result.domains]),
        (_("Mål"), [d.target for d in result.domains])]
    prev_by = {d.id: d.level for d in previous.domains} if previous else {}
    if previous:
        if (previous.bank_id, previous.bank_version) != (result.bank_id, result.bank_version):
            name = _("Runde {round} (bank {version}, ikke helt sammenlignbar)").format(
                round=previous.round, version=previous.bank_version)
        else:
            name = _("Runde {round}").format(round=previous.round)
        series.append((name, [prev_by.get(d.id) for d in result.domains]))

    def point(d) -> str:
        if previous:
            return _("{domain} {level} (mål {target}, {previous_round}: {previous_level})").format(
                domain=d.name, level=fmt.num(d.level), target=fmt.num(d.target), previous_round=previous.round,
                previous_level=fmt.num(prev_by.get(d.id)))
        return _("{domain} {level} (mål {target})").format(domain=d.name, level=fmt.num(d.level),
                                                           target=fmt.num(d.target))

    alt = (_("Radardiagram over nivået (0–4) i de {n} områdene:").format(n=len(result.domains)) + " "
           + "; ".join(point(d) for d in result.domains) + ".")
    return charts.radar([d.name for d in result.domains], series, alt)


def _source_note(result: RoundResult) -> str:
    """Where the levels come from: the group's consensus, the median of the answers, or both."""
    n_ind = len(result.indicators)
    if result.uses_consensus == n_ind:
        return _("Alle de {n} påstandene har et nivå gruppen ble enig om (konsensus).").format(n=n_ind)
    if result.uses_consensus:
        return _("{n_consensus} av {n} påstander har et nivå gruppen ble enig om (konsensus); "
                 "resten bruker medianen av de individuelle svarene.").format(n_consensus=result.uses_consensus, n=n_ind)
    return _("Gruppen har ikke registrert konsensus ennå: alle nivåene er medianen av de individuelle svarene.")


def _bank_facts(bank: Bank) -> dict:
    return {"label": bank.label, "title": bank.title, "n_indicators": len(bank.indicators),
            "n_domains": len(bank.domains), "description": bank.description,
            "levels": [{"level": lv.level, "name": lv.name, "description": lv.description} for lv in bank.scale.levels],
            "sources": [{"short": s.short, "title": s.title, "url": s.url, "confirmed": s.confirmed,
                         "no_verdict": not s.verdict, "kind": s.kind, "note": s.note or "", "citation": s.citation or ""}
                        for s in bank.sources]}


def _participants(result: RoundResult, sectors) -> dict:
    return {"n": result.n_participants,  # a count under 3 per sector is suppressed: «under 3»
            "by_sector": [{"name": sectors.name(k), "n": count_text(v)} for k, v in
                          sorted(result.participants_by_sector.items(), key=lambda kv: sectors.name(kv[0]))]}


def _overall_capped(result: RoundResult) -> str:
    if not result.overall_capped_by:
        return ""
    d = next((x for x in result.domains if x.id == result.overall_capped_by), None)
    if d is None:
        return ""
    return (_("Det samlede nivånavnet er begrenset av området {domain}.").format(domain=d.name)
            + (f" {d.explanation}" if d.explanation else ""))


def _summary(result: RoundResult, previous: RoundResult | None, guideline: dict, legal: dict) -> dict:
    strongest, weakest = _ranked_domains(result)
    other_bank = previous is not None and (previous.bank_id, previous.bank_version) != (result.bank_id, result.bank_version)
    return {
        "legal_line": legal["line"], "capped": _overall_capped(result),
        "previous_other_bank": (_("spørsmålsbank {version}, ikke helt sammenlignbar").format(
            version=previous.bank_version) if previous is not None and other_bank else ""),
        "level": fmt.num(result.overall_level), "score": fmt.num(result.overall_score, 0),
        "level_name": result.overall_level_name or "–",
        "strongest": [{"name": d.name, "score": fmt.num(d.score, 0), "level_name": d.level_name} for d in strongest],
        "weakest": [{"name": d.name, "score": fmt.num(d.score, 0), "level_name": d.level_name} for d in weakest],
        "guideline_line": guideline["line"],
        "n_disagreements": sum(r.disagreement for r in result.indicators),
        "n_below": len(result.priorities),
        "previous": ({"round": previous.round, "score": fmt.num(previous.overall_score, 0)} if previous else None),
    }


def build_model(ws, round_id: str | None = None, *, today: date | None = None, report_name: str = "") -> dict:
    """Everything the template shows, computed from the workspace (no HTML here)."""
    from samordna.outputs.summary import build_summary

    rnd = ws.round(round_id)
    bank = rnd.bank
    all_results = workspace_results(ws)
    ids = [r.round for r in all_results]
    result = all_results[ids.index(rnd.id)]
    earlier = all_results[: ids.index(rnd.id)]
    previous = earlier[-1] if earlier else None
    responses = responses_for(rnd)
    answers = _answers_by_indicator(responses)
    revotes = _revote_section(bank, rnd, answers)  # first: a broken omstemming.yaml stops before the rest is built
    comments, comments_left_out = _comments(rnd)
    guideline = _guideline(bank, result)
    legal = _legal_section(bank, result)
    return {
        "municipality": ws.name, "number": ws.number, "round": result.round, "year": result.year,
        "bank": _bank_facts(bank),
        "generated": long_date(today or date.today()), "opened": long_date(rnd.info.opened),
        "participants": _participants(result, ws.sectors),
        "source_note": _source_note(result),
        "legal": legal,
        "summary": _summary(result, previous, guideline, legal),
        "radar": _radar(result, previous),
        "domains": _domain_sections(bank, result, answers, comments),
        "mirror": mirror_section(ws, rnd, result, earlier),
        "revotes": revotes,
        "comments_left_out": comments_left_out,
        "sectors": _sector_section(bank, result, responses, ws.sectors),
        "guideline": guideline,
        "unknown": _unknown_section(result),
        "priorities": _priorities(bank, result),
        "history": history_section(ws, rnd, result, earlier),
        "questions": _questions(bank, result, _ranked_domains(result)[1]),
        "min_n": MIN_GROUP_SIZE,
        "rules": _rules(bank),
        "onepage": build_summary(ws, rnd, result, previous, today=today, report_name=report_name),
    }


# --- rendering ------------------------------------------------------------------------


def render_html(model: dict) -> str:
    from samordna.outputs.html import render

    return render("report.html", m=model, page_footer=page_footer_css())


def page_footer_css() -> str:
    """The printed page's «Side 3 av 10» as a CSS ``content`` value (the report's @page rule)."""
    import re

    text = _("Side {page} av {pages}")
    parts = []
    for piece in re.split(r"(\{page\}|\{pages\})", text):
        if piece == "{page}":
            parts.append("counter(page)")
        elif piece == "{pages}":
            parts.append("counter(pages)")
        elif piece:
            parts.append('"' + piece.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ") + '"')
    return " ".join(parts)


def default_out(ws, round_id: str) -> Path:
    return ws.root / f"rapport-{ws.slug}-{round_id}.html"


def write_report(ws, round_id: str | None = None, out: Path | None = None, *, pdf: bool = False,
                 today: date | None = None, summary: bool = True) -> ReportFiles:
    """Build and write the HTML (and the PDF if asked), and the one-page summary beside it.

    Nothing is written if building fails. Without WeasyPrint the HTML is still written and
    ``pdf_missing`` says so (the command tells the user how to get a PDF)."""
    from samordna.io.atomic import atomic_write_text
    from samordna.outputs.pdf import html_to_pdf, pdf_available
    from samordna.outputs.summary import default_summary_out, write_summary

    rid = ws.round(round_id).id
    out = Path(out) if out else default_out(ws, rid)
    model = build_model(ws, rid, today=today, report_name=out.name)
    html = render_html(model)
    youth_html = render_youth_page(model["mirror"]["youth"]) if model["mirror"] else None
    can_pdf = pdf and pdf_available()
    pdf_path = out.with_suffix(".pdf") if can_pdf else None
    youth = out.parent / YOUTH_PAGE if youth_html is not None else None
    youth_pdf = youth.with_suffix(".pdf") if youth is not None and can_pdf else None
    if pdf_path is not None:
        html_to_pdf(html, pdf_path)
    atomic_write_text(out, html)
    summary_files = None
    if summary:
        summary_out = default_summary_out(ws, rid, out if out != default_out(ws, rid) else None)
        summary_files = write_summary(model["onepage"], summary_out, pdf=can_pdf)
    if youth is not None and youth_html is not None:  # the youth council's page beside the report
        if youth_pdf is not None:
            html_to_pdf(youth_html, youth_pdf)
        atomic_write_text(youth, youth_html)
    return ReportFiles(html=out, pdf=pdf_path, model=model, summary=summary_files, pdf_missing=pdf and not can_pdf,
                       youth=youth, youth_pdf=youth_pdf)
