"""Shared look of the workbooks samordna writes: titles, tables, print set-up, colour rules."""

from __future__ import annotations

from collections.abc import Sequence

from samordna.i18n import _
from samordna.outputs.excel import set_text, set_value

HEADER_FILL = "1F4E79"
# by the verdict's bokmål label (the cells hold it in the workbook's language: compare with ``_(label)``)
VERDICT_FILLS = {"Oppfylt": "C6EFCE", "Delvis oppfylt": "FFEB9C", "Ikke oppfylt": "FFC7CE", "Uavklart": "D9D9D9"}


def add_title(sheet, text: str, sub: str | None = None) -> None:
    from openpyxl.styles import Font

    set_text(sheet["A1"], text)
    sheet["A1"].font = Font(name="Calibri", bold=True, size=14, color=HEADER_FILL)
    if sub:
        set_text(sheet["A2"], sub)
        sheet["A2"].font = Font(name="Calibri", italic=True, color="595959")


def write_table(sheet, name: str, header_row: int, headers: list[str], rows: list[list], widths: Sequence[float] | None = None,
           style: str = "TableStyleMedium2") -> tuple[int, int]:
    """Write a header and rows as an Excel table (filter buttons, stripes); return first and last data row."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.table import Table, TableStyleInfo

    line = Side(style="thin", color="BFBFBF")
    grid = Border(left=line, right=line, top=line, bottom=line)
    for c, h in enumerate(headers, start=1):
        cell = sheet.cell(row=header_row, column=c)
        set_text(cell, h)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        cell.font = Font(name="Calibri", bold=True, color="FFFFFF")
        cell.fill = PatternFill(start_color=HEADER_FILL, end_color=HEADER_FILL, fill_type="solid")
        cell.border = grid
    if not rows:
        rows = [[None] * len(headers)]
    for r, values in enumerate(rows, start=header_row + 1):
        for c, v in enumerate(values, start=1):
            cell = sheet.cell(row=r, column=c)
            set_value(cell, v)
            cell.alignment = Alignment(vertical="top", wrap_text=isinstance(v, str))
            cell.border = grid
    last = header_row + len(rows)
    ref = f"A{header_row}:{get_column_letter(len(headers))}{last}"
    table = Table(displayName=name, ref=ref)
    table.tableStyleInfo = TableStyleInfo(name=style, showRowStripes=True, showColumnStripes=False)
    sheet.add_table(table)
    for c, w in enumerate(widths or [], start=1):
        sheet.column_dimensions[get_column_letter(c)].width = w
    fit_heights(sheet, header_row, last, len(headers))
    return header_row + 1, last


def fit_heights(sheet, first: int, last: int, ncols: int, line_height: float = 15.0) -> None:
    """Set row heights that fit wrapped text. Excel fits rows itself, but LibreOffice and printing
    do not; the heights are fitted again each time the plan is regenerated."""
    import textwrap

    from openpyxl.utils import get_column_letter

    widths = [sheet.column_dimensions[get_column_letter(c)].width or 9 for c in range(1, ncols + 1)]
    for r in range(first, last + 1):
        lines = 1
        for c in range(1, ncols + 1):
            cell = sheet.cell(row=r, column=c)
            if isinstance(cell.value, str) and cell.alignment is not None and cell.alignment.wrap_text:
                per_line = max(4, int(widths[c - 1] * 1.2) - 1)
                n = sum(max(1, len(textwrap.wrap(p, per_line))) for p in cell.value.split("\n"))
                lines = max(lines, n)
        sheet.row_dimensions[r].height = round(lines * line_height + 3, 1)


def add_print_setup(sheet, title: str, landscape: bool = True, title_rows: str | None = None) -> None:
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.75
    sheet.page_margins.header = sheet.page_margins.footer = 0.3
    if title_rows:
        sheet.print_title_rows = title_rows
    sheet.oddHeader.center.text = title.replace("&", "&&")
    sheet.oddFooter.right.text = _("Side &P av &N")  # &P, &N: Excel's page number and page count
    sheet.oddFooter.left.text = _("Laget med samordna")


def add_level_scale(sheet, rng: str, top: float = 4) -> None:
    from openpyxl.formatting.rule import ColorScaleRule

    sheet.conditional_formatting.add(rng, ColorScaleRule(
        start_type="num", start_value=0, start_color="F8696B", mid_type="num", mid_value=top / 2,
        mid_color="FFEB84", end_type="num", end_value=top, end_color="63BE7B"))


def add_fill_when(sheet, rng: str, formula: str, color: str | None = None, font_color: str | None = None,
               italic: bool = False, bold: bool = False) -> None:
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.styles import Font, PatternFill

    fill = PatternFill(start_color=color, end_color=color, fill_type="solid") if color else None
    font = Font(color=font_color, italic=italic, bold=bold) if (font_color or italic or bold) else None
    sheet.conditional_formatting.add(rng, FormulaRule(formula=[formula], fill=fill, font=font))


# --- Lister (hidden): dropdown lists and the format marker ---------------------------


# --- Copying what people made into a new workbook ---------------------------------------


def copy_style(src, dst) -> None:
    """One cell's font, fill, border, alignment, number format and protection onto a cell of another workbook."""
    from copy import copy

    if src.has_style:
        dst.font, dst.fill, dst.border = copy(src.font), copy(src.fill), copy(src.border)
        dst.alignment, dst.protection = copy(src.alignment), copy(src.protection)
        dst.number_format = src.number_format


def copy_cell(src, dst, formula: str | None = None) -> None:
    """A cell as people left it: its value (``formula`` in place of the one it had, when given; text stays text even
    when it starts with =), its style, note and link."""
    from openpyxl.worksheet.hyperlink import Hyperlink

    value = formula if formula is not None else src.value
    dst.value = value
    if src.data_type == "s" and isinstance(value, str) and formula is None:
        dst.data_type = "s"  # text that starts with = + - @ stays text
    copy_style(src, dst)
    copy_note(src, dst)
    link = src.hyperlink
    if link is not None and (link.target or link.location):
        dst.hyperlink = Hyperlink(ref=dst.coordinate, target=link.target, location=link.location,
                                  tooltip=link.tooltip, display=link.display)
        dst.value = value  # setting a link may fill an empty cell with its address


def copy_note(src, dst) -> None:
    """A cell's note (comment), onto a cell of another workbook."""
    from openpyxl.comments import Comment

    if src.comment is not None:
        note = Comment(src.comment.text, src.comment.author)
        note.width, note.height = src.comment.width, src.comment.height
        dst.comment = note


def copy_sheet(src, dst, formula_of, table_names: dict[str, str] | None = None) -> None:
    """A sheet people added, into another workbook: cells (values, formulas through ``formula_of(cell)``, styles,
    notes, links), column widths, row heights, merged cells, frozen panes, view, print set-up, data validations,
    conditional formats, tables (renamed by ``table_names``), filter, protection and tab colour.
    Drawings (charts, pictures, shapes) are not copied: the caller refuses sheets that have them."""
    from copy import copy

    from openpyxl.cell.cell import MergedCell
    from openpyxl.worksheet.dimensions import ColumnDimension

    for row in src.iter_rows():
        for cell in row:
            if isinstance(cell, MergedCell) or (cell.value is None and not cell.has_style and cell.comment is None
                                                and cell.hyperlink is None):
                continue
            copy_cell(cell, dst.cell(row=cell.row, column=cell.column), formula_of(cell))
    for key, dim in src.column_dimensions.items():
        dst.column_dimensions[key] = ColumnDimension(
            dst, index=key, width=dim.width, hidden=dim.hidden, outlineLevel=dim.outlineLevel, collapsed=dim.collapsed,
            min=dim.min, max=dim.max, bestFit=dim.bestFit)
    for idx, rdim in src.row_dimensions.items():
        new = dst.row_dimensions[idx]
        new.height, new.hidden, new.outlineLevel = rdim.height, rdim.hidden, rdim.outlineLevel
    for rng in src.merged_cells.ranges:
        dst.merge_cells(rng.coord)
    dst.freeze_panes = src.freeze_panes
    dst.sheet_state = src.sheet_state
    dst.sheet_properties.tabColor = copy(src.sheet_properties.tabColor)
    view, new_view = src.sheet_view, dst.sheet_view
    new_view.showGridLines, new_view.zoomScale, new_view.rightToLeft = view.showGridLines, view.zoomScale, view.rightToLeft
    dst.page_setup.orientation, dst.page_setup.paperSize = src.page_setup.orientation, src.page_setup.paperSize
    dst.page_setup.fitToWidth, dst.page_setup.fitToHeight = src.page_setup.fitToWidth, src.page_setup.fitToHeight
    dst.page_setup.scale = src.page_setup.scale
    dst.sheet_properties.pageSetUpPr = copy(src.sheet_properties.pageSetUpPr)
    dst.page_margins = copy(src.page_margins)
    dst.print_options = copy(src.print_options)
    if src.print_title_rows:
        dst.print_title_rows = src.print_title_rows
    if src.print_title_cols:
        dst.print_title_cols = src.print_title_cols
    if src.print_area:
        dst.print_area = src.print_area
    for part in ("oddHeader", "oddFooter", "evenHeader", "evenFooter", "firstHeader", "firstFooter"):
        setattr(dst, part, copy(getattr(src, part)))
    for dv in src.data_validations.dataValidation:
        dst.add_data_validation(copy(dv))
    for cf in src.conditional_formatting:
        for rule in cf.rules:
            dst.conditional_formatting.add(str(cf.sqref), rule)
    for table in src.tables.values():
        dst.add_table(_copy_table(table, (table_names or {}).get(table.displayName, table.displayName)))
    if src.auto_filter.ref and not src.tables:
        dst.auto_filter.ref = src.auto_filter.ref
    dst.protection = copy(src.protection)


def _copy_table(table, name: str):
    """A table for another workbook: its range, columns, style and filter (styles kept by number in the old
    workbook are left out: they would point at the wrong style)."""
    from copy import copy

    from openpyxl.worksheet.table import Table

    columns = []
    for col in table.tableColumns:
        new = copy(col)
        new.dataDxfId = new.headerRowDxfId = new.totalsRowDxfId = None
        columns.append(new)
    return Table(displayName=name, ref=table.ref, headerRowCount=table.headerRowCount,
                 totalsRowCount=table.totalsRowCount, totalsRowShown=table.totalsRowShown,
                 autoFilter=copy(table.autoFilter), tableColumns=columns, tableStyleInfo=copy(table.tableStyleInfo))
