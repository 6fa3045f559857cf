"""The regional workbook: the same numbers as the regional report, in sheets an adviser can filter.

Sheets: Om (what is in it), Juridisk minimum (municipalities per answer; banks 2.0 and later), Områder,
Anbefalinger, Vurderinger (municipalities per verdict, laws included), Påstander (municipality × level),
Fylket (the spread), Utvikling (median per year), Læringspartnere.
Text goes in through ``excel.set_text`` (never a formula). With ``anonymize``
municipalities are codes and their numbers are left out.

The workbook is written in openpyxl's write-only (streaming) mode: rows go to disk as they are made instead
of living as cell objects until the save, so a whole country's sheets cost time and memory in step with
their rows. Everything about a sheet's look (widths, frozen header, print setup) is set before its first
row, which is when write-only mode writes it; every string goes in as a styled cell through ``set_text``
(a bare string would become a formula if it started with «=»).
"""

from __future__ import annotations

from samordna.core.region import Entry, Region
from samordna.core.region_stats import Distribution
from samordna.outputs.excel import set_value
from samordna.outputs.region_report import marked

HEADER_FILL = "DDE6EE"


def _cell(ws, value, *, font=None, fill=None, alignment=None):
    """A write-only cell holding ``value``: text through ``set_text`` (never a formula), a float with two
    decimals, anything else as it is."""
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws)
    set_value(cell, value)
    if isinstance(value, float):
        cell.number_format = "0.00"
    if font is not None:
        cell.font = font
    if fill is not None:
        cell.fill = fill
    if alignment is not None:
        cell.alignment = alignment
    return cell


def _row(ws, values: list) -> list:
    """One row for ``ws.append``: cells where they are needed (text, decimals), the rest as plain values."""
    return [v if v is None or isinstance(v, (int, bool)) else _cell(ws, v) for v in values]


def _table(ws, name: str, ref: str, headers: list[str]) -> None:
    """An Excel table over ``ref``; its columns are named here (write-only mode cannot read the header row)."""
    import warnings

    from openpyxl.worksheet.table import Table, TableStyleInfo

    from samordna.core.privacy import strip_invisible

    t = Table(displayName=name, ref=ref)
    t.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
    t._initialise_columns()
    for col, h in zip(t.tableColumns, headers, strict=True):
        col.name = strip_invisible(h)  # exactly the header cell's text
    with warnings.catch_warnings():  # «In write-only mode you must add table columns manually»: done above
        warnings.simplefilter("ignore", UserWarning)
        ws.add_table(t)


def _sheet(wb, title: str, headers: list[str], rows: list[list], *, table: str | None = None,
           widths: dict[int, float] | None = None, levels_from: int | None = None, note: str = ""):
    """A sheet with a bold, filled header row, one row per item, optionally an Excel table and a colour
    scale on the levels, and a note two rows below the last."""
    from openpyxl.formatting.rule import ColorScaleRule
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(title)
    # before the first row: write-only mode writes the sheet's properties, panes and columns with it
    ws.freeze_panes = "B2"
    for c, h in enumerate(headers, start=1):
        ws.column_dimensions[get_column_letter(c)].width = (widths or {}).get(c, max(9.0, min(16.0, len(h) + 2)))
    longest = max((len(h) for h in headers), default=10)
    ws.row_dimensions[1].height = 15 * min(4, 1 + longest // 14)
    _print_setup(ws)
    font, fill = Font(bold=True), PatternFill("solid", fgColor=HEADER_FILL)
    alignment = Alignment(wrap_text=True, vertical="top")
    ws.append([_cell(ws, h, font=font, fill=fill, alignment=alignment) for h in headers])
    for row in rows:
        ws.append(_row(ws, row))
    if note:
        ws.append([])
        ws.append([_cell(ws, note)])
    last_col = get_column_letter(len(headers))
    if table and rows:
        _table(ws, table, f"A1:{last_col}{len(rows) + 1}", headers)
    if levels_from and rows:
        rng = f"{get_column_letter(levels_from)}2:{last_col}{len(rows) + 1}"
        ws.conditional_formatting.add(rng, ColorScaleRule(start_type="num", start_value=0, start_color="F8D5C2",
                                                          mid_type="num", mid_value=2, mid_color="FFF6D5",
                                                          end_type="num", end_value=4, end_color="B9DFC8"))
    return ws


def _print_setup(ws) -> None:
    """Landscape, as wide as one page, header row repeated on every page."""
    from openpyxl.worksheet.worksheet import Worksheet

    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.print_title_rows = "1:1"


def _dist(d: Distribution) -> list:
    return [d.n, d.min, d.q1, d.median, d.q3, d.max, d.target, d.below_target]


def _about_lines(region: Region, n_entries: int, anonymize: bool) -> list[tuple[str, bool]]:
    """The «Om» sheet as (text, bold) lines: what is compared, and what is left out."""
    bank = region.bank
    h = region.harmonisation
    lines = [
        (f"Fylkesbildet {region.year}", True),
        (bank.title, False),
        ("", False),
        (f"Kommuner med: {n_entries}" + (" (vist som koder)" if anonymize else ""), False),
        ("Versjoner av banken: " + ", ".join(f"{k} ({v} kommuner)" for k, v in region.bank_versions.items()), False),
        ("Runder per år: " + ", ".join(f"{y}: {n}" for y, n in region.rounds_by_year.items()), False),
        (f"Sammenlignet på {len(h.shared)} av {len(bank.indicators)} påstander i {bank.label}"
         + (" (alle kommunene er på denne versjonen)." if region.one_version else "."), False),
        *([(region.mix_note, False)] if region.mix_note else []),
        *([(region.history_note, False)] if region.history_note else []),
        *([(region.local_note, False)] if region.local_note else []),
        ("Nivåene er konsensus der gruppen har registrert det, ellers medianen av svarene.", False),
        ("Ingen enkeltsvar eller kommentarer er med.", False),
        ("Dette er ikke en rangering: radene står alfabetisk" + (" etter kode." if anonymize else "."), False),
    ]
    if h.left_out:
        lines += [("", False), ("Utelatt fra sammenligningen:", True)]
        lines += [(f"{x.id} {x.short}: {x.reason}", False) for x in h.left_out]
    from samordna.outputs.region_report import recs_not_compared

    if recs_not_compared(region):
        lines += [("", False), ("Anbefalinger uten nivå i fylkesbildet (ingen påstand kan sammenlignes):", True)]
        lines += [(r, False) for r in recs_not_compared(region)]
    if region.development_note:
        lines += [("", False), ("Påstandene i utviklingen over år (arket Utvikling):", True)]
        lines += [(f"{i} {region.history_bank.indicator_by_id[i].short}", False) for i in region.history.shared]
    if h.renamed:
        lines += [("", False), ("Påstander med ny id (regnet som samme):", True)]
        lines += [(f"{b}: {o} regnes som {c}", False) for b, o, c in h.renamed]
    if region.excluded:
        lines += [("", False), (f"Ikke med i {region.year}:", True)]
        lines += [(f"{m.label(anonymize)}: {why}", False) for m, why in region.excluded]
    return lines


def _about_sheet(wb, lines: list[tuple[str, bool]]) -> None:
    from openpyxl.styles import Alignment, Font

    ws = wb.create_sheet("Om")
    ws.column_dimensions["A"].width = 100
    _print_setup(ws)
    alignment = Alignment(wrap_text=True, vertical="top")
    for r, (text, bold) in enumerate(lines, start=1):
        font = Font(bold=True, size=14 if r == 1 else 11) if bold else None
        ws.append([_cell(ws, text, font=font, alignment=alignment)])


def _level_sheets(wb, region: Region, entries: list[Entry], anonymize: bool) -> None:
    """Områder, Anbefalinger, (Vurderinger,) Påstander: one row per municipality, one column per level."""
    doms = {d.id: d.name for d in region.bank.domains}
    recs = {s.id: marked(s) for s in region.bank.recommendations}
    shared = region.harmonisation.shared
    who = ["Kommune"] if anonymize else ["Kommune", "Kommunenr."]

    def ident(e: Entry) -> list:
        m = e.municipality
        return [m.label(anonymize)] if anonymize else [m.name, m.number]

    base = len(who) + 2  # first level column (1-based) after ident, Runde, Bank
    _sheet(wb, "Områder", who + ["Runde", "Bank"] + [doms[d] for d in region.domains] + ["Samlet"],
           [ident(e) + [e.round.round, e.round.bank_label] + [e.domains[d] for d in region.domains] + [e.overall]
            for e in entries], table="Omrader", levels_from=base + 1, widths={1: 22, base: 20})
    _sheet(wb, "Anbefalinger", who + ["Runde"] + [recs[s] for s in region.recommendations],
           [ident(e) + [e.round.round] + [e.recommendations[s] for s in region.recommendations] for e in entries],
           table="Anbefalinger", levels_from=base, widths={1: 22})
    _verdicts_sheet(wb, region)
    _sheet(wb, "Påstander", who + ["Runde"] + list(shared),
           [ident(e) + [e.round.round] + [e.indicators[i] for i in shared] for e in entries],
           table="Pastander", levels_from=base, widths={1: 22})


def _county_sheet(wb, region: Region) -> None:
    """Fylket: the spread of every domain, recommendation and indicator."""
    bank = region.bank
    doms = {d.id: d.name for d in bank.domains}
    recs = {s.id: marked(s) for s in bank.recommendations}
    stats = ["Antall kommuner", "Lavest", "Nedre kvartil", "Median", "Øvre kvartil", "Høyest", "Mål", "Under mål"]
    rows = [["Område", d, doms[d]] + _dist(x) for d, x in region.domains.items()]
    rows += [["Anbefaling", s, recs[s]] + _dist(x) for s, x in region.recommendations.items()]
    rows += [["Påstand", i, bank.indicator_by_id[i].short] + _dist(x) for i, x in region.indicators.items()]
    _sheet(wb, "Fylket", ["Nivå for", "Id", "Navn"] + stats, rows, table="Fylket", widths={3: 46})


def _development_sheet(wb, region: Region) -> None:
    """Utvikling: the county's median per domain and year (on the indicators comparable across every version used)."""
    doms = {d.id: d.name for d in region.history_bank.domains}
    years = [p.year for p in region.development]
    rows: list[list] = [[doms[d]] + [p.domains[d].median for p in region.development]
                        for d in region.development_targets]
    rows.append(["Samlet"] + [p.overall.median for p in region.development])
    rows.append(["Kommuner med runde"] + [p.n for p in region.development])
    _sheet(wb, "Utvikling", ["Område (median)"] + [str(y) for y in years], rows, widths={1: 40},
           note=region.development_note)


def _partners_sheet(wb, region: Region, entries: list[Entry], anonymize: bool) -> None:
    """Læringspartnere: for each municipality's weak areas, who it can learn from."""
    doms = {d.id: d.name for d in region.bank.domains}
    labels = {e.municipality.number: e.municipality.label(anonymize) for e in region.entries}
    rows = []
    for e in entries:
        for dom, own, partners in region.partners.get(e.municipality.number, []):
            for k, (p, lv) in enumerate(partners, start=1):
                rows.append([labels[e.municipality.number], doms[dom], own, k, labels[p], lv])
    _sheet(wb, "Læringspartnere", ["Kommune", "Område", "Eget nivå", "Forslag nr.", "Kan lære av", "Deres nivå"],
           rows, table="Laeringspartnere", widths={1: 22, 2: 40, 5: 22})


def _legal_sheet(wb, region: Region, anonymize: bool) -> None:
    """Juridisk minimum: municipalities (not persons) per answer, and which answered «nei»."""
    from samordna.outputs.region_report import legal_model

    rows = [[r["id"], r["short"], r["citation"], r["yes"], r["no"], r["unclear"], r["not_asked"],
             ", ".join(r["no_labels"]), ", ".join(r["unclear_labels"])] for r in legal_model(region, anonymize)]
    _sheet(wb, "Juridisk minimum", ["Punkt", "Krav", "Hjemmel", "Ja (kommuner)", "Nei (kommuner)",
                                    "Uavklart (kommuner)", "Ikke spurt (eldre bank)", "Svarte «nei»", "Uavklart hos"],
           rows, table="JuridiskMinimum", widths={2: 30, 3: 30, 8: 40, 9: 40})


def _verdicts_sheet(wb, region: Region) -> None:
    """Vurderinger: municipalities per verdict for each recommendation, duty and law (reference version only)."""
    from samordna.outputs.region_report import verdicts_model

    vm = verdicts_model(region)
    rows = [[r["short"] + ("" if r["confirmed"] else " (ikke bekreftet)"), r["kind"], *r["counts"]]
            for r in vm["verdict_rows"]]
    _sheet(wb, "Vurderinger", ["Kilde", "Type", *vm["verdict_headers"]], rows, table="Vurderinger",
           widths={1: 40}, note=vm["verdict_note"])


def build_workbook(region: Region, *, anonymize: bool = False):
    """The whole workbook, write-only (the caller saves it, once). Sheets are made in the order they stand."""
    from openpyxl import Workbook

    entries = sorted(region.entries, key=lambda e: (e.municipality.label(anonymize).casefold(), e.municipality.number))
    wb = Workbook(write_only=True)
    _about_sheet(wb, _about_lines(region, len(entries), anonymize))
    if region.legal:
        _legal_sheet(wb, region, anonymize)
    _level_sheets(wb, region, entries, anonymize)
    _county_sheet(wb, region)
    _development_sheet(wb, region)
    _partners_sheet(wb, region, entries, anonymize)
    return wb


def workbook_bytes(region: Region, anonymize: bool = False) -> bytes:
    """The workbook as the bytes of an .xlsx file (made in memory; the caller writes them atomically)."""
    import io

    buf = io.BytesIO()
    build_workbook(region, anonymize=anonymize).save(buf)
    return buf.getvalue()
