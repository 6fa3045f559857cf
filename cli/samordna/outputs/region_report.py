"""The regional report (HTML, PDF optional) and the one-pager «din kommune mot fylket».

Everything here reads a :class:`samordna.region.Region`; only levels (consensus or
median) reach these pages. Municipalities are shown by name, or by code with
``anonymize`` (then the one-pagers too, in their names and on the page: the folder is
shared, and the adviser's key, ``outputs.region_key``, is written beside it). Rows
follow the bank's order or the alphabet, never a ranking.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import SimpleNamespace

from samordna import __version__
from samordna.core.bank import Bank, Source
from samordna.core.errors import SamordnaError
from samordna.core.fmt import integer, num
from samordna.core.mirror import ROLES
from samordna.core.models import slugify
from samordna.core.region import LEADERS, MIRROR_MIN_MUNICIPALITIES, Entry, Municipality, Region, source_indicators
from samordna.core.region_stats import Distribution
from samordna.core.result_model import VERDICT_LABELS
from samordna.i18n import N_, SOURCE, _, language, n_, use_language
from samordna.outputs.charts import Chart
from samordna.outputs.mirror_report import few_text, group_name, role_heads, too_few_text

CSS = """
:root { --ink:#1a1a1a; --muted:#555; --line:#d0d4d9; --soft:#f3f5f7; --blue:#0072B2; --green:#009E73; --red:#D55E00; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Segoe UI", Arial, sans-serif; color: var(--ink); margin: 0 auto; max-width: 62rem;
       padding: 1.5rem 1.5rem 3rem; line-height: 1.45; font-size: 15px; }
h1 { font-size: 1.7rem; margin: 0 0 .3rem; } \
h2 { font-size: 1.3rem; margin: 2.2rem 0 .6rem; border-bottom: 2px solid var(--line); padding-bottom: .2rem; }
h3 { font-size: 1.05rem; margin: 1.3rem 0 .4rem; }
.lead { color: var(--muted); margin: 0 0 1rem; }
table { border-collapse: collapse; width: 100%; margin: .6rem 0 1rem; font-size: .9rem; }
caption { text-align: left; font-weight: bold; padding: .3rem 0; }
th, td { border-bottom: 1px solid var(--line); padding: .3rem .45rem; text-align: left; vertical-align: top; }
thead th { background: var(--soft); border-bottom: 2px solid var(--line); }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
figure { margin: .8rem 0 1.2rem; } figure img { max-width: 100%; height: auto; display: block; }
figure.chart svg { width: 100%; height: auto; display: block; }
figcaption { color: var(--muted); font-size: .85rem; margin-top: .3rem; }
.note { background: var(--soft); border-left: 4px solid var(--blue); padding: .6rem .9rem; margin: 1rem 0; }
.facts { display: flex; flex-wrap: wrap; gap: .6rem; margin: 1rem 0; }
.fact { flex: 1 1 10rem; border: 1px solid var(--line); border-radius: 6px; padding: .6rem .8rem; }
.fact b { display: block; font-size: 1.5rem; }
details { margin: .5rem 0 1rem; } summary { cursor: pointer; color: var(--blue); }
.scroll { max-height: 40rem; overflow: auto; border: 1px solid var(--line); }
.scroll thead th { position: sticky; top: 0; }
ul.compact { margin: .2rem 0; padding-left: 1.2rem; }
ul.columns { columns: 12rem; column-gap: 1.5rem; } ul.columns li { break-inside: avoid; }
table.heat { width: auto; min-width: 100%; }
table.heat thead th { vertical-align: bottom; font-size: .66rem; white-space: normal; text-align: center;
                      hyphens: auto; padding: .3rem .15rem; }
table.heat thead th:first-child { text-align: left; }
table.heat td { text-align: center; font-variant-numeric: tabular-nums; white-space: nowrap; border-bottom: 1px solid #fff;
                padding: .25rem .2rem; }
table.heat { font-size: .85rem; }
.scroll table.heat tbody th { position: sticky; left: 0; background: #fff; }
table.heat td.n { text-align: right; }
.heat-legend .swatch { display: inline-block; min-width: 2.2em; text-align: center; padding: 0 .3rem;
                       border: 1px solid var(--line); font-variant-numeric: tabular-nums; }
a { color: var(--blue); }
footer { margin-top: 2.5rem; color: var(--muted); font-size: .8rem; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  table { font-size: 8pt; } th, td { padding: .15rem .25rem; } .scroll table { font-size: 7pt; }
  h2 { break-after: avoid; } figure, table, .note { break-inside: avoid; }
  .scroll { max-height: none; overflow: visible; border: 0; }
  figure.chart svg { max-height: 250mm; width: auto; max-width: 100%; margin: 0 auto; }
  .scroll table { break-inside: auto; } thead { display: table-header-group; } tr { break-inside: avoid; }
  table.heat thead th { font-size: 6.5pt; }
  details > summary { display: none; } a { color: inherit; text-decoration: none; }
  * { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
}
@page { size: A4; margin: 15mm 14mm; }
"""

NOTE_NOT_RANKING = N_("Figurene viser spredningen mellom kommunene, ikke en rangering. Rekkefølgen følger "
                      "spørsmålsbanken eller alfabetet.")


def marked(src: Source) -> str:
    """A source's short name, marked «ikke bekreftet» where its content is not confirmed at the source."""
    return src.short if src.confirmed else _("{name} (ikke bekreftet)").format(name=src.short)


def _of(part: int, whole: int) -> str:
    """«3 av 5»: how many of how many (municipalities)."""
    return _("{n} av {total}").format(n=integer(part), total=integer(whole))


def _dist_row(name: str, d: Distribution) -> dict:
    return {
        "name": name, "n": d.n, "min": num(d.min), "q1": num(d.q1), "median": num(d.median), "q3": num(d.q3),
        "max": num(d.max), "target": num(d.target), "below": _of(d.below_target, d.n) if d.n else "–",
    }


def _positions() -> tuple[str, str, str, str]:
    """The words of ``_position`` in the language of the moment (looked up once per page)."""
    return _("ikke vurdert"), _("under midten av fylket"), _("over midten av fylket"), _("midt i fylket")


def _position(own: float | None, d: Distribution, words: tuple[str, str, str, str] | None = None) -> str:
    """Where the municipality lies in the county's spread, in words (no rank); ``words``: ``_positions()``."""
    none, below, above, middle = words or _positions()
    if own is None or d.median is None or d.q1 is None or d.q3 is None:  # all None together (no levels)
        return none
    if own < d.q1 - 1e-9:
        return below
    if own > d.q3 + 1e-9:
        return above
    return middle


def _change(e: Entry, key: str, kind: str) -> str:
    """The change since the previous round, on the indicators comparable with it («–» where there is none)."""
    if e.change is None:
        return "–"
    delta = getattr(e.change, kind).get(key)
    return "–" if delta is None else _signed(delta)


def change_note(region: Region, e: Entry) -> str:
    """Said on the one-pager when the change since the previous round rests on fewer indicators than the levels
    (the previous round was on another bank version), or is left out (nothing comparable)."""
    c = e.change
    if c is None:
        return ""
    n = len(region.harmonisation.shared)
    if c.n_comparable == 0:
        return _("Endringen er utelatt: runden i {year} ({bank}) brukte en annen versjon av spørsmålsbanken, og "
                 "ingen av påstandene kan sammenlignes med den.").format(year=c.previous.year,
                                                                          bank=c.previous.bank_label)
    if c.n_comparable < n:
        return _("Endringen siden {year} er regnet bare på de {n_comparable} påstandene som kan sammenlignes med "
                 "runden i {year} ({bank}). Nivåene ellers bygger på {n} påstander.").format(
            year=c.previous.year, n_comparable=c.n_comparable, bank=c.previous.bank_label, n=n)
    return ""


def _labels(region: Region, anonymize: bool) -> dict[str, str]:
    return {e.municipality.number: e.municipality.label(anonymize) for e in region.entries}


@dataclass(frozen=True)
class Shared:
    """What every page of one run needs about the whole region, worked out once (not once per municipality:
    with thousands of municipalities that would make the one-pagers grow with the square of their number)."""

    labels: dict[str, str]  # municipality number -> name, or code with anonymize
    by_number: dict[str, Entry]
    domain_names: dict[str, str]
    recommendations: dict[str, Source]
    overall: Distribution  # the spread of the overall levels
    bank_title: str = ""
    legal_names: dict[str, tuple[str, str]] = field(default_factory=dict)  # id -> (short, citation)

    @classmethod
    def of(cls, region: Region, anonymize: bool) -> Shared:
        from samordna.core.region_stats import distribution

        return cls(labels=_labels(region, anonymize),
                   by_number={e.municipality.number: e for e in region.entries},
                   overall=distribution(e.overall for e in region.entries), **_bank_texts(region.bank))

    def in_language(self, region: Region, lang: str) -> Shared:
        """The same, with the bank's texts in ``lang`` (a one-pager in its municipality's language form)."""
        from samordna.io.bankfile import shipped_in_language

        return replace(self, **_bank_texts(shipped_in_language(region.bank, lang)))


def _bank_texts(bank: Bank) -> dict:
    """The bank's texts a page shows, in the bank's language."""
    from samordna.core.region import legal_rows

    return {"domain_names": {d.id: d.name for d in bank.domains},
            "recommendations": {s.id: s for s in bank.recommendations},
            "bank_title": bank.title,
            "legal_names": {r.id: (r.short, r.citation) for r in legal_rows(bank, [])}}


def _partners_rows(region: Region, shared: Shared, number: str) -> list[dict]:
    labels, names = shared.labels, shared.domain_names
    return [{"domain": names[dom], "own": num(own),
             "partners": [{"label": labels[p], "level": num(lv)} for p, lv in partners]}
            for dom, own, partners in region.partners.get(number, [])]


def level_sources(region: Region) -> dict[str, int]:
    n_ind = len(region.bank.indicators)
    full = sum(1 for e in region.entries if e.round.n_consensus >= n_ind)
    none = sum(1 for e in region.entries if e.round.n_consensus == 0)
    return {"consensus": full, "partly": len(region.entries) - full - none, "median": none}


# --- the regional report ------------------------------------------------------------------


def _sorted_entries(region: Region, labels: dict[str, str]) -> list[Entry]:
    """The municipalities in the alphabet's order of their labels (never a ranking)."""
    return sorted(region.entries, key=lambda e: (labels[e.municipality.number].casefold(), e.municipality.number))


def _distribution_charts(region: Region, entries: list[Entry]) -> dict:
    """The spread per domain and per recommendation, as dot-and-box charts."""
    from samordna.outputs.region_charts import MAX_DOTS, distribution_chart

    doms = {d.id: d.name for d in region.bank.domains}
    recs = {s.id: s for s in region.bank.recommendations}
    n = len(entries)
    dom_rows = [(doms[d], [lv for e in entries if (lv := e.domains[d]) is not None], dist.target)
                for d, dist in region.domains.items()]
    rec_rows = [(marked(recs[s]), [lv for e in entries if (lv := e.recommendations[s]) is not None], dist.target)
                for s, dist in region.recommendations.items()]
    weakest_dom = min(region.domains, key=lambda d: (region.domains[d].median or 9))
    domain_chart = distribution_chart(dom_rows, alt=_(
        "Nivået i hvert av de {n_domains} områdene for {n} kommuner, som punkter med en boks for den midterste "
        "halvdelen. Lavest median har «{domain}» ({median}).").format(
        n_domains=len(dom_rows), n=integer(n), domain=doms[weakest_dom],
        median=num(region.domains[weakest_dom].median)))
    named = _("«{name}» ({median})")
    rec_chart = distribution_chart(rec_rows, alt=_(
        "Nivået for hver av de {n_recommendations} anbefalingene i IS-2826 for {n} kommuner. Lavest median har "
        "{weakest}.").format(n_recommendations=len(rec_rows), n=integer(n), weakest=", ".join(
            named.format(name=recs[s].short, median=num(region.recommendations[s].median))
            for s in region.weakest_recommendations[:2])))
    return {"domain_chart": replace(domain_chart, caption=_("Nivå 0–4 per område i {year}.").format(year=region.year)),
            "rec_chart": replace(rec_chart, caption=_("Nivå 0–4 per anbefaling i {year}.").format(year=region.year)),
            "dots_merged": n > MAX_DOTS}


def _heat(region: Region, entries: list[Entry], labels: dict[str, str]) -> dict:
    """The heat map as a table: one row per municipality (alphabetical, or by code), one cell per domain and
    the overall level, each with its colour and its number (colour is never the only carrier). Cells name a
    class per level as shown (``h23`` for 2,3; ``hx`` for none), and the page styles only the classes used:
    a row costs the same whether there are 30 municipalities or 3,000."""
    from samordna.outputs.region_charts import heat_colour, heat_legend, heat_tenths

    used: dict[str, tuple[str, str]] = {}

    def cell(level: float | None) -> dict:
        cls = "hx" if level is None else f"h{heat_tenths(level)}"
        if cls not in used:
            used[cls] = heat_colour(level)
        return {"text": num(level), "cls": cls}

    rows = [{"label": labels[e.municipality.number], "year": e.round.year,
             "levels": [cell(e.domains[d]) for d in region.domains], "overall": cell(e.overall)}
            for e in entries]
    return {"heat_rows": rows, "heat_legend": heat_legend(),
            # the round's year only when some municipality's round is from before the report's year
            "heat_years": any(e.round.year != region.year for e in entries),
            "heat_css": "\n".join(f"table.heat td.{cls} {{ background: {bg}; color: {fg}; }}"
                                  for cls, (bg, fg) in sorted(used.items()))}


def _points(level: float | None) -> float | None:
    """A level 0–4 as points 0–100."""
    return None if level is None else level * 25


def _development_chart(region: Region) -> Chart | None:
    """The county's median per domain over the years; None with a single year."""
    from samordna.outputs.region_charts import development_chart

    years = [p.year for p in region.development]
    if len(years) <= 1:
        return None
    doms = {d.id: d.name for d in region.history_bank.domains}
    panels = [(doms[d], [_points(p.domains[d].median) for p in region.development], _points(t))
              for d, t in region.development_targets.items()]
    first, last = region.development[0], region.development[-1]
    chart = development_chart(years, panels, alt=_(
        "Medianen i fylket per område fra {first_year} til {last_year}, i poeng 0–100. Samlet median gikk fra "
        "{first} til {last} av 4.").format(first_year=years[0], last_year=years[-1], first=num(first.overall.median),
                                           last=num(last.overall.median)))
    return replace(chart, caption=_("Median i poeng 0–100 per område og år; stiplet linje er målet."))


def _weakest_recommendations(region: Region) -> list[dict]:
    """The weakest recommendations, each with the (up to three) weakest indicators behind it."""
    bank = region.bank
    recs = {s.id: s for s in bank.recommendations}
    out = []
    for s in region.weakest_recommendations:
        d = region.recommendations[s]
        behind = sorted((i.id for i in source_indicators(bank, s) if i.id in region.indicators
                         and region.indicators[i.id].n),
                        key=lambda i: (region.indicators[i].median, i))[:3]
        out.append({"short": recs[s].short, "title": recs[s].title, "median": num(d.median), "target": num(d.target),
                    "below": _of(d.below_target, d.n), "confirmed": recs[s].confirmed, "url": recs[s].url,
                    "indicators": [{"id": i, "short": bank.indicator_by_id[i].short,
                                    "median": num(region.indicators[i].median)} for i in behind]})
    return out


def recs_not_compared(region: Region) -> list[str]:
    """Recommendations with no indicator every municipality can be compared on (so no level across the county)."""
    return [marked(s) for s in region.bank.recommendations if s.verdict and s.id not in region.recommendations]


def legal_model(region: Region, anonymize: bool) -> list[dict]:
    """The legal minimum across municipalities: how many answered ja / nei / left it unclear (municipalities,
    not persons), and which answered «nei»."""
    labels = _labels(region, anonymize)
    return [{"id": r.id, "short": r.short, "citation": r.citation, "url": r.url, "yes": r.n_yes, "no": r.n_no,
             "unclear": r.n_unclear, "not_asked": r.n_not_asked,
             "no_labels": sorted((labels[n] for n in r.no if n in labels), key=str.casefold),
             "unclear_labels": sorted((labels[n] for n in r.unclear if n in labels), key=str.casefold)}
            for r in region.legal]


KIND_NAMES = {"recommendation": N_("Anbefaling"), "duty": N_("Samarbeidsplikt"), "law": N_("Lov")}
VERDICT_ORDER = ["oppfylt", "delvis", "ikke_oppfylt", "uavklart", "ingen_vurdering"]


def verdicts_model(region: Region) -> dict:
    """Verdicts per recommendation, duty and law: municipalities per verdict, on the reference version only."""
    kinds = {k: _(v) for k, v in KIND_NAMES.items()}
    rows = [{"short": v.short, "kind": kinds.get(v.kind, v.kind), "confirmed": v.confirmed,
             "counts": [v.counts.get(k, 0) for k in VERDICT_ORDER]} for v in region.verdicts]
    n_other = region.verdicts[0].n_other_version if region.verdicts else 0
    n_same = len(region.entries) - n_other
    note = (_("Talt for de {n} kommunene på {bank}.").format(n=integer(n_same), bank=region.bank.label) + " "
            + n_("{n} kommune på en annen versjon er ikke talt med her, fordi vurderingen der bygger på andre "
                 "påstander og regler.",
                 "{n} kommuner på en annen versjon er ikke talt med her, fordi vurderingen der bygger på andre "
                 "påstander og regler.", n_other).format(n=integer(n_other)) if n_other else "")
    return {"verdict_rows": rows, "verdict_headers": [_(VERDICT_LABELS[k]) for k in VERDICT_ORDER],
            "verdict_note": note}


def _about(region: Region, *, anonymize: bool, skipped: list[str]) -> dict:
    """Who is in the picture, from which rounds and bank versions, and what was left out."""
    h = region.harmonisation
    return {
        "bank_versions": [{"label": k, "n": v} for k, v in region.bank_versions.items()],
        "rounds_by_year": [{"year": y, "n": c} for y, c in region.rounds_by_year.items()],
        "old_rounds": sorted({e.round.year for e in region.entries if e.round.year < region.year}),
        "n_old": sum(1 for e in region.entries if e.round.year < region.year),
        "sources": level_sources(region),
        "excluded": [{"label": m.label(anonymize), "reason": why} for m, why in region.excluded],
        "skipped": skipped,
        "reference": region.bank.label,
        "one_version": region.one_version,
        "n_shared": len(h.shared),
        "n_reference": len(region.bank.indicators),
        "history_note": region.history_note,
        "development_note": region.development_note,
        "dev_shared": ([{"id": i, "short": region.history_bank.indicator_by_id[i].short}
                        for i in region.history.shared] if region.development_note else []),
        "left_out": [{"id": x.id, "short": x.short, "reason": x.reason} for x in h.left_out],
        "renamed": [{"bank": b, "old": o, "new": c} for b, o, c in h.renamed],
        "mix_note": region.mix_note,
        "local_note": region.local_note,
        "recs_not_compared": recs_not_compared(region),
    }


def _tables(region: Region) -> dict:
    """The numbers behind the charts: spread per domain, recommendation and weakest indicator, and the
    development over the years."""
    bank = region.bank
    doms = {d.id: d.name for d in bank.domains}
    recs = {s.id: s for s in bank.recommendations}
    dev_doms = {d.id: d.name for d in region.history_bank.domains}
    return {
        "domain_rows": [_dist_row(doms[d], dist) for d, dist in region.domains.items()],
        "rec_rows": [_dist_row(marked(recs[s]), dist) for s, dist in region.recommendations.items()],
        "weakest_indicators": [{"id": i, "short": bank.indicator_by_id[i].short, "domain": doms[bank.domain_of[i].id],
                                **_dist_row("", region.indicators[i])} for i in region.weakest_indicators],
        "domain_names": [doms[d] for d in region.domains],
        "years": [p.year for p in region.development],
        "dev_rows": [{"name": dev_doms[d], "medians": [num(p.domains[d].median) for p in region.development]}
                     for d in region.development_targets],
        "dev_overall": [num(p.overall.median) for p in region.development],
        "dev_n": [p.n for p in region.development],
    }


def region_charts(region: Region, anonymize: bool, shared: Shared | None = None) -> dict:
    """The county report's charts (matplotlib): the spread per domain and recommendation, and the development."""
    entries = _sorted_entries(region, (shared or Shared.of(region, anonymize)).labels)
    return {**_distribution_charts(region, entries), "development": _development_chart(region)}


def region_model(region: Region, *, anonymize: bool, skipped: list[str], onepagers: dict[str, str],
                 shared: Shared | None = None, charts: dict | None = None) -> dict:
    """Everything region.html shows (no HTML here); ``charts``: ``region_charts`` made already."""
    shared = shared or Shared.of(region, anonymize)
    labels = shared.labels
    entries = _sorted_entries(region, labels)
    charts = charts if charts is not None else region_charts(region, anonymize, shared)
    return {
        "css": CSS,
        "title": _("Fylkesbildet {year}").format(year=region.year),
        "bank_title": shared.bank_title,
        "year": region.year,
        "version": __version__,
        "anonymize": anonymize,
        "n": len(entries),
        "n_text": integer(len(entries)),
        "not_ranking": _(NOTE_NOT_RANKING),
        **_about(region, anonymize=anonymize, skipped=skipped),
        **{k: v for k, v in charts.items() if k != "development"},
        "weakest": _weakest_recommendations(region),
        "legal": legal_model(region, anonymize),
        **verdicts_model(region),
        **_heat(region, entries, labels),
        "development": charts["development"],
        **_tables(region),
        "partners": [{"label": labels[e.municipality.number], "rows": _partners_rows(region, shared, e.municipality.number)}
                     for e in entries],
        "onepagers": [{"label": labels[e.municipality.number], "href": onepagers[e.municipality.number]}
                      for e in entries if e.municipality.number in onepagers],
        "mirror": mirror_texts(region, shared.domain_names),
    }


NO_COMMON_GAPS = N_("For få kommuner har verdier til at felles avstander kan vises.")


def mirror_texts(region: Region, names: dict[str, str] | None = None) -> dict | None:
    """The young people's mirror across the county: how many ran it, and the gaps common to at least
    ``MIRROR_MIN_MUNICIPALITIES`` municipalities with a value shown (fewer: not shown). None when none ran it.
    ``names``: area id -> name (default: the bank's)."""
    mr = region.mirror
    if not mr.any:
        return None
    names = names if names is not None else {d.id: d.name for d in region.bank.domains}
    return {
        "ran": n_("{n} av {total} kommuner har brukt speilet, der ungdom og foreldre svarer på de samme områdene "
                  "som lederne.", "{n} av {total} kommuner har brukt speilet, der ungdom og foreldre svarer på de "
                  "samme områdene som lederne.", len(region.entries)).format(n=integer(mr.n_ran),
                                                                            total=integer(len(region.entries))),
        "rule": _("En avstand vises bare når minst {k} kommuner har en verdi for gruppen i området. En gruppe med "
                  "færre svar enn kommunens grense (minst 5) er aldri med.").format(k=MIRROR_MIN_MUNICIPALITIES),
        "gaps": [{"area": names.get(g.area, g.area), "group": group_name(g.role), "gap": num(g.mean_gap),
                  "n": integer(g.n)} for g in mr.gaps],
        "none": _(NO_COMMON_GAPS),
    }


def own_mirror(e: Entry, shared: Shared) -> dict | None:
    """A municipality's own mirror on its one-pager, as its own report may show it: a group under the limit is
    «færre enn N», never a number."""
    mirror = e.round.mirror
    if mirror is None:
        return None
    names = shared.domain_names
    shown, k = mirror["shown"], mirror["min_group"]
    fewer, too_few = few_text(k), too_few_text()

    def cell(role: str, value: float | None) -> str:
        return fewer if role not in shown else (num(value) if value is not None else too_few)

    return {"heading": _("Speilet: ungdom og foreldre"),
            "caption": _("Hvordan ungdommene og foreldrene opplever områdene, ved siden av ledernes nivå (0–4)."),
            "headers": [_("Område"), _("Lederne"), *role_heads()],
            "rows": [[names.get(a, a), num(v.get(LEADERS)), *(cell(r, v.get(r)) for r in ROLES)]
                     for a, v in mirror["areas"].items()]}


# --- the one-pager ------------------------------------------------------------------------------


def kommune_model(region: Region, number: str, *, anonymize: bool, shared: Shared | None = None) -> dict:
    """Everything one municipality's one-pager shows. Pass ``shared`` (:meth:`Shared.of`) when making many."""
    from samordna.outputs.region_charts import bullet_svg

    shared = shared or Shared.of(region, anonymize)
    e = shared.by_number[number]
    doms = shared.domain_names
    recs = shared.recommendations

    # the page's words, looked up once per page (not once per row): the page is in the language of the moment
    words = _positions()
    alt = _("{name}: dere {own}, fylkets median {median}, midterste halvdel {q1}–{q3}, mål {target}; {position}.")

    def row(name: str, own: float | None, d: Distribution, change: str) -> dict:
        pos = _position(own, d, words)
        own_s, median, q1, q3, target = num(own), num(d.median), num(d.q1), num(d.q3), num(d.target)
        return {"name": name, "own": own_s, "median": median, "middle": f"{q1}–{q3}", "target": target,
                "change": change, "position": pos,
                "bar": bullet_svg(d.q1, d.median, d.q3, d.min, d.max, own, d.target),
                "alt": alt.format(name=name, own=own_s, median=median, q1=q1, q3=q3, target=target, position=pos)}

    strong = [doms[d] for d, dist in region.domains.items()
              if (own := e.domains[d]) is not None and dist.q3 is not None and own > dist.q3 + 1e-9]
    partners = _partners_rows(region, shared, number)
    you = _("dere {level}")
    for p in partners:
        p["own_text"] = you.format(level=p["own"])
    return {
        "css": CSS,
        "t": _page_texts(region, e, anonymize, strong),
        # anonymised, the page sits in the shared folder beside the others: the code only (the adviser's key
        # says which municipality it goes to)
        "name": e.municipality.code if anonymize else e.municipality.name,
        "number": "" if anonymize else e.municipality.number,
        "code": e.municipality.code,
        "anonymize": anonymize,
        "year": region.year,
        "round": e.round.round,
        "round_year": e.round.year,
        "previous_year": e.change.previous.year if e.change and e.change.n_comparable else None,
        "change_note": change_note(region, e),
        "bank": e.round.bank_label,
        "n_municipalities": integer(len(region.entries)),
        "consensus": e.round.n_consensus,
        "n_indicators": len(e.round.indicators),
        "overall": row(_("Samlet"), e.overall, shared.overall, _overall_change(e)),
        "domains": [row(doms[d], e.domains[d], dist, _change(e, d, "domains")) for d, dist in region.domains.items()],
        "recommendations": [row(marked(recs[s]), e.recommendations[s], dist, _change(e, s, "recommendations"))
                            for s, dist in region.recommendations.items()],
        "partners": partners,
        "strong": strong,
        "legal": _own_legal(region, e, shared),
        "mix_note": region.mix_note,
        "local": len(e.round.local),
        "version": __version__,
        "mirror": own_mirror(e, shared),
    }


PAGE_LEGEND = N_('<span class="dot"></span> dere &nbsp; <span class="box"></span> midterste halvdel av kommunene &nbsp; '
                 '▏ median &nbsp; grønn stiplet: mål. Skala 0–4. Dette er ikke en rangering.')


def _page_texts(region: Region, e: Entry, anonymize: bool, strong: list[str]) -> SimpleNamespace:
    """The one-pager's words, in the language of the moment (the page's: each municipality's page can be in its
    own). Made here rather than with ``{% trans %}`` in the template: the same words, a fraction of the time per
    page (thousands of pages). A namespace, not a dict: the template reads its attributes directly."""
    from markupsafe import Markup

    m, year, rnd = e.municipality, region.year, e.round
    n_ind, n_cons = len(rnd.indicators), rnd.n_consensus
    if anonymize:
        title = _("Kommune {code} mot fylket {year}").format(code=m.code, year=year)
        heading = _("Deres kommune ({code}) mot fylket {year}").format(code=m.code, year=year)
        footer = _("Til kommunen med kode {code} alene.").format(code=m.code)
    else:
        title = heading = _("{name} mot fylket {year}").format(name=m.name, year=year)
        footer = _("Til {name} ({number}) alene.").format(name=m.name, number=m.number)
    lead = [_("Din kommune sammenlignet med de {n} kommunene i fylkesbildet.").format(n=integer(len(region.entries)))]
    if anonymize:
        lead.append(_("Kommunene er vist som koder; dere er {code}.").format(code=m.code))
    lead.append(_("Runde {round} (siste runde før {year}), bank {bank}.").format(round=rnd.round, year=year,
                                                                               bank=rnd.bank_label)
                if rnd.year != year else _("Runde {round}, bank {bank}.").format(round=rnd.round, bank=rnd.bank_label))
    if not n_cons:
        consensus = _("Ingen konsensus ennå: nivåene er medianen av svarene.")
    elif n_cons < n_ind:
        consensus = _("Nivåene er gruppens konsensus ({n} av {total} påstander), ellers medianen av svarene.").format(
            n=n_cons, total=n_ind)
    else:
        consensus = _("Nivåene er gruppens konsensus ({n} av {total} påstander).").format(n=n_cons, total=n_ind)
    partners = [_("Kommuner som er sterke der dere ligger lavere. De kan være gode å besøke eller ringe.")]
    if anonymize:
        partners.append(_("Kommunene er vist som koder. Vil dere snakke med en av dem, spør rådgiveren som sendte dere "
                          "denne siden (hos statsforvalteren): rådgiveren vet hvem kodene er og kan sette dere i "
                          "kontakt."))
    previous = e.change.previous.year if e.change and e.change.n_comparable else None
    n_local = len(rnd.local)
    return SimpleNamespace(
        title=title, heading=heading, lead=" ".join(lead), consensus=consensus,
        legend=Markup(_(PAGE_LEGEND)),
        local=n_("Deres {n} egne (lokale) påstander er ikke med i sammenligningen med andre kommuner.",
                 "Deres {n} egne (lokale) påstander er ikke med i sammenligningen med andre kommuner.",
                 n_local).format(n=n_local) if n_local else "",
        legal=_("Juridisk minimum") if region.legal else "",
        legal_caption=_("Juridisk minimum: deres svar, og antall kommuner i fylket som svarte «nei» eller står som "
                        "uavklart") if region.legal else "",
        point=_("Punkt"), basis=_("Hjemmel"), you=_("Dere"), county_no=_("Fylket: nei"),
        county_unclear=_("Fylket: uavklart"),
        sections=[(_("Områdene"), _("Nivå 0–4 per område"), _("Område")),
                  (_("Anbefalingene i retningslinjen IS-2826"), _("Nivå 0–4 per anbefaling"), _("Anbefaling"))],
        change=_("Endring siden {year}").format(year=previous) if previous else _("Endring"),
        county=_("Fylket: median (midterste halvdel)"), target=_("Mål"), versus=_("Dere mot fylket"),
        partners=_("Læringspartnere"), partners_note=" ".join(partners),
        no_partners=_("Vi fant ingen områder der dere ligger klart lavere enn andre kommuner som er sterke."),
        strong=_("Her ligger dere over midten av fylket: {areas}. Andre kommuner kan ha nytte av å høre hvordan dere "
                 "arbeider.").format(areas=", ".join(strong)) if strong else "",
        footer=footer + " " + _("Bare konsensus- eller mediannivåer er med; ingen enkeltsvar eller kommentarer. "
                                "Laget med samordna {version}.").format(version=__version__),
    )


def _own_legal(region: Region, e: Entry, shared: Shared) -> list[dict]:
    """The municipality's own answers on the legal minimum, beside how many in the county answered «nei»."""
    if not region.legal:
        return []
    unclear, not_asked = _("Uavklart"), _("Ikke spurt")
    labels = {"ja": _("Ja"), "nei": _("Nei"), "uavklart": unclear}
    names = shared.legal_names
    return [{"id": r.id, "short": names.get(r.id, (r.short, r.citation))[0],
             "citation": names.get(r.id, (r.short, r.citation))[1],
             "answer": labels.get(e.round.legal[r.id], unclear) if r.id in e.round.legal else not_asked,
             "county_no": r.n_no, "county_unclear": r.n_unclear} for r in region.legal]


def _overall_change(e: Entry) -> str:
    if e.change is None or e.change.overall is None:
        return "–"
    return _signed(e.change.overall)


def _signed(delta: float) -> str:
    return ("+" if delta >= 0.05 else "") + num(delta)


# --- rendering and writing ----------------------------------------------------------------------


def onepager_name(m: Municipality, year: int, anonymize: bool) -> str:
    """The one-pager's path in the report's folder (by code when anonymised)."""
    stem = m.code if anonymize else f"{m.number}-{slugify(m.name)}"
    return f"kommuner/{stem}-{year}.html"


@dataclass
class RegionFiles:
    html: Path
    xlsx: Path
    onepagers: list[Path]
    pdfs: list[Path]
    key: Path | None = None  # the adviser's key (anonymised only), outside the report's folder
    pdf_missing: bool = False  # PDF was asked for, but WeasyPrint is not there (everything else is written)


def render_onepagers(region: Region, numbers: list[str], *, anonymize: bool,
                     progress: Callable[[str], None] | None = None, shared: Shared | None = None) -> dict[str, str]:
    """{relative path: HTML} of the one-pagers of the municipalities ``numbers``, in memory. The garbage
    collector waits meanwhile: thousands of pages make many short-lived objects and no cycles worth finding."""
    from samordna.outputs.html import environment
    from samordna.outputs.html import mark_other_languages as mark

    page = environment().get_template("region_kommune.html")
    shared = shared or Shared.of(region, anonymize)
    here = language()
    in_language = {here: shared}  # each one-pager in its municipality's language form (the bank's texts too)
    onepagers: dict[str, str] = {}
    enabled = gc.isenabled()
    gc.disable()
    try:
        for number in numbers:
            e = shared.by_number[number]
            lang = e.municipality.language or SOURCE
            rel = onepager_name(e.municipality, region.year, anonymize)
            if lang == here:
                onepagers[rel] = mark(page.render(m=kommune_model(region, number, anonymize=anonymize, shared=shared)))
            else:
                with use_language(lang):
                    own = in_language.get(lang) or in_language.setdefault(lang, shared.in_language(region, lang))
                    onepagers[rel] = mark(page.render(m=kommune_model(region, number, anonymize=anonymize,
                                                                      shared=own)))
            if progress:
                progress(number)
    finally:
        if enabled:
            gc.enable()
    return onepagers


def render_report(region: Region, onepagers: dict[str, str], *, anonymize: bool, skipped: list[str],
                  shared: Shared | None = None, charts: dict | None = None) -> str:
    """The county report's HTML, linking to every municipality's one-pager (``onepagers``, all of them)."""
    from samordna.outputs.html import environment, finish_charts, mark_other_languages

    names = {e.municipality.number: onepager_name(e.municipality, region.year, anonymize) for e in region.entries}
    return mark_other_languages(finish_charts(environment().get_template("region.html").render(  # ids, font once
        m=region_model(region, anonymize=anonymize, skipped=skipped, onepagers=names,
                       shared=shared or Shared.of(region, anonymize), charts=charts))))


def render_all(region: Region, *, anonymize: bool, skipped: list[str],
               progress: Callable[[str], None] | None = None) -> tuple[str, dict[str, str]]:
    """The report's HTML and {relative path: HTML} of the one-pagers, all in memory."""
    html, onepagers, _ = _render(region, anonymize=anonymize, skipped=skipped, progress=progress, workbook=False)
    return html, onepagers


def render_everything(region: Region, *, anonymize: bool, skipped: list[str],
                      progress: Callable[[str], None] | None = None) -> tuple[str, dict[str, str], bytes]:
    """The report's HTML, the one-pagers and the workbook's bytes, in memory; nothing is written."""
    html, onepagers, xlsx = _render(region, anonymize=anonymize, skipped=skipped, progress=progress, workbook=True)
    assert xlsx is not None
    return html, onepagers, xlsx


def _render(region: Region, *, anonymize: bool, skipped: list[str], progress: Callable[[str], None] | None,
            workbook: bool) -> tuple[str, dict[str, str], bytes | None]:
    shared = Shared.of(region, anonymize)
    beside = _meanwhile(region, anonymize, shared, workbook)
    onepagers = render_onepagers(region, [e.municipality.number for e in region.entries], anonymize=anonymize,
                                 progress=progress, shared=shared)
    charts, xlsx = beside()
    html = render_report(region, onepagers, anonymize=anonymize, skipped=skipped, shared=shared, charts=charts)
    return html, onepagers, xlsx


BESIDE_FROM = 200  # municipalities: from here the charts and the workbook are made in another process meanwhile
# what the forked process makes (inherited, never pickled): the county, anonymize, workbook, and the language the
# charts and the workbook are in (the report's: the one of the moment when they were asked for)
_JOB: tuple[Region, bool, bool, str] | None = None


def _charts_and_workbook(region: Region, anonymize: bool, workbook: bool,
                         shared: Shared | None = None) -> tuple[dict, bytes | None]:
    from samordna.outputs.region_xlsx import workbook_bytes

    return region_charts(region, anonymize, shared), workbook_bytes(region, anonymize) if workbook else None


def _beside_job() -> tuple[dict, bytes | None]:
    assert _JOB is not None
    region, anonymize, workbook, lang = _JOB
    with use_language(lang):
        return _charts_and_workbook(region, anonymize, workbook)


def _meanwhile(region: Region, anonymize: bool, shared: Shared,
               workbook: bool) -> Callable[[], tuple[dict, bytes | None]]:
    """The report's charts and (with ``workbook``) the workbook's bytes, through the function returned.

    For a large county a process forked from this one makes them (importing matplotlib and openpyxl there,
    about 4 s at 3,570 municipalities) while this one renders the one-pagers; only the charts and the
    workbook's bytes come back. (Sending the county to a process, or pages back, cost more than it saved:
    a fork inherits the county without copying it.) Where no process can be forked, or it dies, they are made
    here. The results are the same either way, and in the language of the moment when this is called (the
    one-pagers rendered meanwhile may each be in another)."""
    import multiprocessing

    lang = language()

    def here() -> tuple[dict, bytes | None]:
        with use_language(lang):
            return _charts_and_workbook(region, anonymize, workbook, shared)

    if len(region.entries) < BESIDE_FROM or "fork" not in multiprocessing.get_all_start_methods():
        return here
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    global _JOB
    _JOB = (region, anonymize, workbook, lang)
    try:
        pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))
        future = pool.submit(_beside_job)
    except (OSError, BrokenProcessPool):
        _JOB = None
        return here

    def result() -> tuple[dict, bytes | None]:
        global _JOB
        try:
            return future.result()
        except BrokenProcessPool:  # the process died (memory?): make them here
            return here()
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
            _JOB = None

    return result


WRITERS = 4  # threads writing one-pagers (each file is fsynced: the threads wait on the disk together)

_CODED_PAGE = re.compile(r"K\d{2,}-\d{4}\.(html|pdf)")


def _check_no_names_left(out: Path) -> None:
    """Anonymised, the report's folder is shared: refuse to write beside one-pagers an earlier run named after
    their municipality (they would give the codes away)."""
    folder = out / "kommuner"
    if not folder.is_dir():
        return
    named = sorted(p.name for p in folder.iterdir() if not _CODED_PAGE.fullmatch(p.name))
    if named:
        shown = ", ".join(named[:5]) + (" …" if len(named) > 5 else "")
        raise SamordnaError(_(
            "{folder} har filer fra en tidligere kjøring som ikke er navngitt med kode ({files}). Med --anonymize "
            "skal mappen kunne deles, og de filene kan vise hvem kodene er. Velg en ny mappe med --out, eller flytt "
            "filene bort først. Ingenting er skrevet.").format(folder=folder, files=shown), path=folder)


def write_region(region: Region, out: Path, *, anonymize: bool = False, pdf: bool = False,
                 skipped: list[str] | None = None, progress: Callable[[str], None] | None = None,
                 key: Path | None = None) -> RegionFiles:
    """Build everything in memory first, then write (atomically, file by file).

    With ``anonymize`` the adviser's key (code → municipality → one-pager) goes to ``key``, by default beside
    the report's folder and never inside it."""
    from samordna.io.atomic import atomic_write_bytes, atomic_write_text
    from samordna.outputs.excel import save_workbook_atomically
    from samordna.outputs.region_key import build_key, check_key_path, default_key_path

    if key is not None and not anonymize:
        raise SamordnaError(_("--key hører sammen med --anonymize: uten den står kommunenes navn i rapporten, og "
                              "det trengs ingen nøkkel. Ingenting er skrevet."))
    key_path = (key or default_key_path(out)) if anonymize else None
    if key_path is not None:
        check_key_path(key_path, out)
        _check_no_names_left(out)
    html, onepagers, xlsx_bytes = render_everything(region, anonymize=anonymize, skipped=skipped or [],
                                                    progress=progress)
    pdf_docs = []
    pdf_missing = False
    if pdf:
        from samordna.outputs.pdf import pdf_available

        pdf_missing = not pdf_available()  # the HTML and the workbook are written anyway; the command says how
    if pdf and not pdf_missing:
        pdf_docs = [(html, out / f"fylkesbilde-{region.year}.pdf")]
        pdf_docs += [(text, out / rel.replace(".html", ".pdf")) for rel, text in onepagers.items()]
    if key_path is not None:  # first: a key open in Excel stops the run before anything else is written
        files: dict[str, list[str]] = {}
        for e in region.entries:
            rel = onepager_name(e.municipality, region.year, anonymize)
            files[e.municipality.number] = [rel, rel.replace(".html", ".pdf")] if pdf_docs else [rel]
        save_workbook_atomically(build_key(region, out, files), key_path)
    out.mkdir(parents=True, exist_ok=True)
    html_path = out / f"fylkesbilde-{region.year}.html"
    atomic_write_text(html_path, html)
    written = [out / rel for rel in onepagers]
    if written:
        (out / "kommuner").mkdir(exist_ok=True)
    # a few threads: each write waits for the disk (fsync) with Python's lock released, so thousands of
    # one-pagers do not wait in line; the first error (a full disk) stops the run as before
    with ThreadPoolExecutor(max_workers=WRITERS) as pool:
        for _done in pool.map(atomic_write_text, written, onepagers.values()):
            pass
    xlsx_path = out / f"fylkesbilde-{region.year}.xlsx"
    atomic_write_bytes(xlsx_path, xlsx_bytes)
    pdfs: list[Path] = []
    if pdf_docs:
        from samordna.outputs.pdf import html_to_pdfs

        pdfs = html_to_pdfs(pdf_docs)
    return RegionFiles(html_path, xlsx_path, written, pdfs, key_path, pdf_missing)
