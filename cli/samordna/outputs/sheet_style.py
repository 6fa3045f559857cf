"""Shared look of the workbooks samordna writes: titles, tables, print set-up, colour rules."""

from __future__ import annotations

from samordna.outputs.excel import set_text, set_value

HEADER_FILL = "1F4E79"
VERDICT_FILLS = {"Oppfylt": "C6EFCE", "Delvis oppfylt": "FFEB9C", "Ikke oppfylt": "FFC7CE", "Uavklart": "D9D9D9"}


def add_title(sheet, text: str, sub: str | None = None) -> None:
    from openpyxl.styles import Font

    set_text(sheet["A1"], text)
    sheet["A1"].font = Font(name="Calibri", bold=True, size=14, color=HEADER_FILL)
    if sub:
        set_text(sheet["A2"], sub)
        sheet["A2"].font = Font(name="Calibri", italic=True, color="595959")


def write_table(sheet, name: str, header_row: int, headers: list[str], rows: list[list], widths: list[int] | None = None,
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
    sheet.oddFooter.right.text = "Side &P av &N"
    sheet.oddFooter.left.text = "Laget med samordna"


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
