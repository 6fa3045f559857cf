"""The regional workbook: the same numbers as the regional report, in sheets an adviser can filter.

Sheets: Om (what is in it), Juridisk minimum (municipalities per answer; banks 2.0 and later), Områder,
Anbefalinger, Vurderinger (municipalities per verdict, laws included), Påstander (municipality × level),
Fylket (the spread), Utvikling (median per year), Læringspartnere.
Text goes in through ``excel.set_text`` (never a formula). With ``anonymize``
municipalities are codes and their numbers are left out.

The workbook is written in openpyxl's write-only (streaming) mode, and the sheets' data rows are written as
the XML openpyxl would write for them and put into each saved sheet (``_Rows``), so a whole country's
sheets cost time and memory in step with their rows (about 1 s for 3,570 municipalities instead of 8 s).
Everything about a sheet's look (widths, frozen header, print setup) is set before its first
row, which is when write-only mode writes it; every string goes in as a styled cell through ``set_text``
(a bare string would become a formula if it started with «=»).
"""

from __future__ import annotations

import math
from typing import Any

from samordna.core.privacy import strip_invisible
from samordna.core.region import Entry, Region
from samordna.core.region_stats import Distribution
from samordna.i18n import _, n_
from samordna.outputs.excel import FORMULA_STARTS, set_value
from samordna.outputs.region_report import NO_COMMON_GAPS, marked

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
           widths: dict[int, float] | None = None, levels_from: int | None = None, note: str = "",
           splice: _Rows | None = None):
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
    if splice is not None:
        splice.defer(ws, rows, note)
    else:
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
        (_("Fylkesbildet {year}").format(year=region.year), True),
        (bank.title, False),
        ("", False),
        ((_("Kommuner med: {n} (vist som koder)") if anonymize else _("Kommuner med: {n}")).format(n=n_entries),
         False),
        (_("Versjoner av banken: {versions}").format(
            versions=", ".join(n_("{bank} ({n} kommuner)", "{bank} ({n} kommuner)", v).format(bank=k, n=v)
                               for k, v in region.bank_versions.items())), False),
        (_("Runder per år: {years}").format(years=", ".join(f"{y}: {n}" for y, n in region.rounds_by_year.items())),
         False),
        ((_("Sammenlignet på {n} av {total} påstander i {bank} (alle kommunene er på denne versjonen).")
          if region.one_version else _("Sammenlignet på {n} av {total} påstander i {bank}.")).format(
            n=len(h.shared), total=len(bank.indicators), bank=bank.label), False),
        *([(region.mix_note, False)] if region.mix_note else []),
        *([(region.history_note, False)] if region.history_note else []),
        *([(region.local_note, False)] if region.local_note else []),
        (_("Nivåene er konsensus der gruppen har registrert det, ellers medianen av svarene."), False),
        (_("Ingen enkeltsvar eller kommentarer er med."), False),
        (_("Dette er ikke en rangering: radene står alfabetisk etter kode.") if anonymize
         else _("Dette er ikke en rangering: radene står alfabetisk."), False),
    ]
    if h.left_out:
        lines += [("", False), (_("Utelatt fra sammenligningen:"), True)]
        lines += [(f"{x.id} {x.short}: {x.reason}", False) for x in h.left_out]
    from samordna.outputs.region_report import recs_not_compared

    if recs_not_compared(region):
        lines += [("", False), (_("Anbefalinger uten nivå i fylkesbildet (ingen påstand kan sammenlignes):"), True)]
        lines += [(r, False) for r in recs_not_compared(region)]
    if region.development_note:
        lines += [("", False), (_("Påstandene i utviklingen over år (arket Utvikling):"), True)]
        lines += [(f"{i} {region.history_bank.indicator_by_id[i].short}", False) for i in region.history.shared]
    if h.renamed:
        lines += [("", False), (_("Påstander med ny id (regnet som samme):"), True)]
        same = _("{bank}: {old} regnes som {new}")
        lines += [(same.format(bank=b, old=o, new=c), False) for b, o, c in h.renamed]
    if region.excluded:
        lines += [("", False), (_("Ikke med i {year}:").format(year=region.year), True)]
        lines += [(f"{m.label(anonymize)}: {why}", False) for m, why in region.excluded]
    return lines


def _about_sheet(wb, lines: list[tuple[str, bool]]) -> None:
    from openpyxl.styles import Alignment, Font

    ws = wb.create_sheet(_("Om"))
    ws.column_dimensions["A"].width = 100
    _print_setup(ws)
    alignment = Alignment(wrap_text=True, vertical="top")
    for r, (text, bold) in enumerate(lines, start=1):
        font = Font(bold=True, size=14 if r == 1 else 11) if bold else None
        ws.append([_cell(ws, text, font=font, alignment=alignment)])


def _level_sheets(wb, region: Region, entries: list[Entry], anonymize: bool, splice: _Rows | None = None) -> None:
    """Områder, Anbefalinger, (Vurderinger,) Påstander: one row per municipality, one column per level."""
    doms = {d.id: d.name for d in region.bank.domains}
    recs = {s.id: marked(s) for s in region.bank.recommendations}
    shared = region.harmonisation.shared
    who = [_("Kommune")] if anonymize else [_("Kommune"), _("Kommunenr.")]
    rnd, overall = _("Runde"), _("Samlet")

    def ident(e: Entry) -> list:
        m = e.municipality
        return [m.label(anonymize)] if anonymize else [m.name, m.number]

    base = len(who) + 2  # first level column (1-based) after ident, Runde, Bank
    _sheet(wb, _("Områder"), who + [rnd, _("Bank")] + [doms[d] for d in region.domains] + [overall],
           [ident(e) + [e.round.round, e.round.bank_label] + [e.domains[d] for d in region.domains] + [e.overall]
            for e in entries], table="Omrader", levels_from=base + 1, widths={1: 22, base: 20}, splice=splice)
    _sheet(wb, _("Anbefalinger"), who + [rnd] + [recs[s] for s in region.recommendations],
           [ident(e) + [e.round.round] + [e.recommendations[s] for s in region.recommendations] for e in entries],
           table="Anbefalinger", levels_from=base, widths={1: 22}, splice=splice)
    _verdicts_sheet(wb, region, splice)
    _sheet(wb, _("Påstander"), who + [rnd] + list(shared),
           [ident(e) + [e.round.round] + [e.indicators[i] for i in shared] for e in entries],
           table="Pastander", levels_from=base, widths={1: 22}, splice=splice)


def _county_sheet(wb, region: Region, splice: _Rows | None = None) -> None:
    """Fylket: the spread of every domain, recommendation and indicator."""
    bank = region.bank
    doms = {d.id: d.name for d in bank.domains}
    recs = {s.id: marked(s) for s in bank.recommendations}
    stats = [_("Antall kommuner"), _("Lavest"), _("Nedre kvartil"), _("Median"), _("Øvre kvartil"), _("Høyest"),
             _("Mål"), _("Under mål")]
    domain, recommendation, indicator = _("Område"), _("Anbefaling"), _("Påstand")
    rows = [[domain, d, doms[d]] + _dist(x) for d, x in region.domains.items()]
    rows += [[recommendation, s, recs[s]] + _dist(x) for s, x in region.recommendations.items()]
    rows += [[indicator, i, bank.indicator_by_id[i].short] + _dist(x) for i, x in region.indicators.items()]
    _sheet(wb, _("Fylket"), [_("Nivå for"), _("Id"), _("Navn")] + stats, rows, table="Fylket", widths={3: 46},
           splice=splice)


def _development_sheet(wb, region: Region, splice: _Rows | None = None) -> None:
    """Utvikling: the county's median per domain and year (on the indicators comparable across every version used)."""
    doms = {d.id: d.name for d in region.history_bank.domains}
    years = [p.year for p in region.development]
    rows: list[list] = [[doms[d]] + [p.domains[d].median for p in region.development]
                        for d in region.development_targets]
    rows.append([_("Samlet")] + [p.overall.median for p in region.development])
    rows.append([_("Kommuner med runde")] + [p.n for p in region.development])
    _sheet(wb, _("Utvikling"), [_("Område (median)")] + [str(y) for y in years], rows, widths={1: 40},
           note=region.development_note, splice=splice)


def _partners_sheet(wb, region: Region, entries: list[Entry], anonymize: bool, splice: _Rows | None = None) -> None:
    """Læringspartnere: for each municipality's weak areas, who it can learn from."""
    doms = {d.id: d.name for d in region.bank.domains}
    labels = {e.municipality.number: e.municipality.label(anonymize) for e in region.entries}
    rows = []
    for e in entries:
        for dom, own, partners in region.partners.get(e.municipality.number, []):
            for k, (p, lv) in enumerate(partners, start=1):
                rows.append([labels[e.municipality.number], doms[dom], own, k, labels[p], lv])
    _sheet(wb, _("Læringspartnere"), [_("Kommune"), _("Område"), _("Eget nivå"), _("Forslag nr."), _("Kan lære av"),
                                      _("Deres nivå")],
           rows, table="Laeringspartnere", widths={1: 22, 2: 40, 5: 22}, splice=splice)


def _legal_sheet(wb, region: Region, anonymize: bool, splice: _Rows | None = None) -> None:
    """Juridisk minimum: municipalities (not persons) per answer, and which answered «nei»."""
    from samordna.outputs.region_report import legal_model

    rows = [[r["id"], r["short"], r["citation"], r["yes"], r["no"], r["unclear"], r["not_asked"],
             ", ".join(r["no_labels"]), ", ".join(r["unclear_labels"])] for r in legal_model(region, anonymize)]
    _sheet(wb, _("Juridisk minimum"), [_("Punkt"), _("Krav"), _("Hjemmel"), _("Ja (kommuner)"), _("Nei (kommuner)"),
                                       _("Uavklart (kommuner)"), _("Ikke spurt (eldre bank)"), _("Svarte «nei»"),
                                       _("Uavklart hos")],
           rows, table="JuridiskMinimum", widths={2: 30, 3: 30, 8: 40, 9: 40}, splice=splice)


def _verdicts_sheet(wb, region: Region, splice: _Rows | None = None) -> None:
    """Vurderinger: municipalities per verdict for each recommendation, duty and law (reference version only)."""
    from samordna.outputs.region_report import verdicts_model

    vm = verdicts_model(region)
    unconfirmed = _("{name} (ikke bekreftet)")
    rows = [[r["short"] if r["confirmed"] else unconfirmed.format(name=r["short"]), r["kind"], *r["counts"]]
            for r in vm["verdict_rows"]]
    _sheet(wb, _("Vurderinger"), [_("Kilde"), _("Type"), *vm["verdict_headers"]], rows, table="Vurderinger",
           widths={1: 40}, note=vm["verdict_note"], splice=splice)


def _mirror_sheet(wb, region: Region, splice: _Rows | None = None) -> None:
    """Speilet: how many ran the young people's mirror, and the gaps common to at least three municipalities with a
    value shown (``core.region.mirror_region``); nothing for a group under a municipality's limit."""
    from samordna.outputs.region_report import mirror_texts

    texts = mirror_texts(region)
    if texts is None:
        return
    rows = [[r["area"], r["group"], round(g.mean_gap, 2), g.n]
            for g, r in zip(region.mirror.gaps, texts["gaps"], strict=True)]
    note = texts["ran"] + " " + texts["rule"] + ("" if rows else " " + _(NO_COMMON_GAPS))
    _sheet(wb, _("Speilet"), [_("Område"), _("Gruppe"), _("Avstand i snitt"), _("Kommuner")], rows,
           table="Speilet" if rows else None, widths={1: 40, 2: 14}, note=note, splice=splice)


def build_workbook(region: Region, *, anonymize: bool = False, splice: _Rows | None = None):
    """The whole workbook, write-only (the caller saves it, once). Sheets are made in the order they stand.

    With ``splice`` the sheets' data rows are kept aside for ``_Rows.into`` instead of going through openpyxl
    (``workbook_bytes``); without, every row is appended here (the reference the tests compare with)."""
    from openpyxl import Workbook

    entries = sorted(region.entries, key=lambda e: (e.municipality.label(anonymize).casefold(), e.municipality.number))
    wb = Workbook(write_only=True)
    _about_sheet(wb, _about_lines(region, len(entries), anonymize))
    if region.legal:
        _legal_sheet(wb, region, anonymize, splice)
    _level_sheets(wb, region, entries, anonymize, splice)
    _county_sheet(wb, region, splice)
    _development_sheet(wb, region, splice)
    _partners_sheet(wb, region, entries, anonymize, splice)
    if region.mirror.any:
        _mirror_sheet(wb, region, splice)
    return wb


def workbook_bytes(region: Region, anonymize: bool = False) -> bytes:
    """The workbook as the bytes of an .xlsx file (made in memory; the caller writes them atomically).

    openpyxl makes the workbook with each sheet's header, look, table and colour scale; the data rows (a whole
    country is some 400,000 cells, about 20 µs each through openpyxl) are written here as the same XML openpyxl
    writes in write-only mode and put into each sheet's ``<sheetData>`` after the header row."""
    import io

    rows = _Rows()
    wb = build_workbook(region, anonymize=anonymize, splice=rows)
    buf = io.BytesIO()
    wb.save(buf)
    return rows.into(buf.getvalue())


# --- data rows written as XML ---------------------------------------------------------------------


def _column_letters(n: int) -> list[str]:
    from openpyxl.utils import get_column_letter

    return [get_column_letter(c) for c in range(1, n + 1)]


class _Rows:
    """Data rows kept aside per sheet, then written as XML into the saved workbook (``into``).

    The XML is what openpyxl writes in write-only mode: numbers as ``t="n"`` (a float with the «0.00» style
    openpyxl registered for it), text as an inline string that never becomes a formula (the quote-prefix style
    where it starts with = + - or @, as ``excel.set_text``), nothing for None."""

    def __init__(self) -> None:
        self.sheets: list[tuple[Any, list[list], str]] = []
        self.float_style = self.quoted_style = 0

    def defer(self, ws: Any, rows: list[list], note: str) -> None:
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Alignment

        if not self.sheets:  # register the two styles the rows use, so styles.xml holds them
            number = WriteOnlyCell(ws, 0.5)
            number.number_format = "0.00"
            quoted = WriteOnlyCell(ws, "=")
            quoted.quotePrefix = True
            quoted.alignment = Alignment()
            self.float_style, self.quoted_style = number.style_id, quoted.style_id
        self.sheets.append((ws, rows, note))

    def into(self, xlsx: bytes) -> bytes:
        import io
        import zipfile

        parts = {ws.path.lstrip("/"): self._xml(rows, note) for ws, rows, note in self.sheets}
        out = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(xlsx)) as src, \
                zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as dst:
            for info in src.infolist():
                data = src.read(info)
                extra = parts.get(info.filename)
                if extra:
                    head, sep, tail = data.partition(b"</sheetData>")
                    if not sep:
                        raise ValueError(f"{info.filename}: no sheetData")  # openpyxl always writes one
                    data = head + extra.encode("utf-8") + sep + tail
                dst.writestr(info, data)
        return out.getvalue()

    def _xml(self, rows: list[list], note: str) -> str:
        out: list[str] = []
        width = max((len(r) for r in rows), default=1)
        letters = _column_letters(width)
        for r, row in enumerate(rows, start=2):
            out.append(f'<row r="{r}">')
            out.extend(self._cell(f"{letter}{r}", value)
                       for letter, value in zip(letters, row, strict=False) if value is not None)
            out.append("</row>")
        if note:
            r = len(rows) + 3  # a blank row, then the note
            out.append(f'<row r="{r}">{self._cell(f"A{r}", note)}</row>')
        return "".join(out)

    def _cell(self, ref: str, value: object) -> str:
        if isinstance(value, bool):
            return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
        if isinstance(value, int):
            return f'<c r="{ref}" t="n"><v>{value}</v></c>'
        if isinstance(value, float):
            if not math.isfinite(value):
                raise ValueError(f"{ref}: {value} kan ikke stå i et regneark")
            return f'<c r="{ref}" s="{self.float_style}" t="n"><v>{value!r}</v></c>'
        text = _xml_text(str(value))
        if not text:
            return ""
        style = f' s="{self.quoted_style}"' if text.startswith(FORMULA_STARTS) else ""
        space = ' xml:space="preserve"' if text != text.strip() else ""
        return f'<c r="{ref}"{style} t="inlineStr"><is><t{space}>{_escape(text)}</t></is></c>'


def _xml_text(text: str) -> str:
    """The text as ``excel.set_text`` stores it: without invisible or XML-illegal control characters."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("", strip_invisible(text))


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
