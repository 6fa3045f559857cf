"""The sheets of the action plan workbook. Numbers are computed in Python and written as values;
every piece of text goes through ``set_text`` so nothing a person typed becomes a formula."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from samordna.outputs.excel import set_text
from samordna.outputs.plan_build import PlanBuild
from samordna.outputs.plan_results import about_sheet, guideline_sheet, overview_sheet, results_sheet
from samordna.outputs.sheet_style import (
    add_fill_when,
    add_level_scale,
    add_print_setup,
    add_title,
    fit_heights,
    write_table,
)
from samordna.plan.model import (
    COL,
    COLUMNS,
    DONE,
    FORMAT,
    KIND_LABELS,
    KIND_PRIORITY,
    KIND_STALE,
    LIST_SHEET,
    PLAN_SHEET,
    STATUSES,
    PlanAction,
    status_counts,
)

DATE_FMT = "dd.mm.yyyy"
STATUS_FILLS = {"Fullført": "C6EFCE", "Pågår": "FFEB9C", "Utsatt": "F8CBAD", "Avbrutt": "D9D9D9"}
EXTRA_ROWS = 200  # validations and formats reach this far below the last row, for rows people add


def _excel_serial(d: date) -> int:
    return (d - date(1899, 12, 30)).days


def _lists_sheet(wb, build: PlanBuild):
    sheet = wb.create_sheet(LIST_SHEET)
    set_text(sheet["A1"], "Status")
    for i, s in enumerate(STATUSES, start=2):
        set_text(sheet.cell(row=i, column=1), s)
    set_text(sheet["B1"], "Roller")
    for i, role in enumerate(build.roles, start=2):
        set_text(sheet.cell(row=i, column=2), role)
    for r, (k, v) in enumerate([("Teknisk", "Ikke endre"), ("format", FORMAT), ("runde", build.rnd.id),
                                ("kommune", build.ws.name)], start=1):
        set_text(sheet.cell(row=r, column=4), k)
        set_text(sheet.cell(row=r, column=5), v)
    sheet.column_dimensions["B"].width = 40
    sheet.sheet_state = "hidden"
    return len(build.roles) + 1


# --- Handlingsplan -----------------------------------------------------------------


def _plan_rows(build: PlanBuild) -> list[list]:
    rows = []
    for row in build.rows:
        a = row.action
        rows.append([a.action_id, KIND_LABELS.get(a.kind, a.kind), row.domain_name, row.indicator_text,
                     row.level, row.target, row.gap, a.action, a.responsible, a.deadline, a.status,
                     a.follow_up, a.comment, row.basis, row.previous])
    return rows


def _column_ranges(end: int) -> dict[str, str]:
    """Each plan column from row 2 down to ``end`` (past the last row, for rows people add), by key."""
    from openpyxl.utils import get_column_letter

    return {k: f"{get_column_letter(c)}2:{get_column_letter(c)}{end}" for k, c in COL.items()}


def _plan_validations(sheet, ranges: dict[str, str], last_role_row: int) -> None:
    """Drop-down lists for status and responsible, and dates that must be dates."""
    from openpyxl.worksheet.datavalidation import DataValidation

    status = DataValidation(type="list", formula1=f"{LIST_SHEET}!$A$2:$A${len(STATUSES) + 1}", allow_blank=True,
                            showErrorMessage=True, errorTitle="Ugyldig status",
                            error="Velg en status fra listen: " + ", ".join(STATUSES) + ".",
                            promptTitle="Status", prompt="Velg fra listen.", showInputMessage=True)
    status.add(ranges["status"])
    roles = DataValidation(type="list", formula1=f"{LIST_SHEET}!$B$2:$B${max(last_role_row, 2)}", allow_blank=True,
                           showErrorMessage=False, promptTitle="Ansvarlig",
                           prompt="Velg en rolle fra listen, eller skriv en annen.", showInputMessage=True)
    roles.add(ranges["responsible"])
    dates = DataValidation(type="date", operator="between", formula1=str(_excel_serial(date(2000, 1, 1))),
                           formula2=str(_excel_serial(date(2100, 12, 31))), allow_blank=True, showErrorMessage=True,
                           errorTitle="Ugyldig dato", error="Skriv en dato, for eksempel 01.03.2026.",
                           promptTitle="Dato", prompt="Skriv en dato (dd.mm.åååå).", showInputMessage=True)
    dates.add(ranges["deadline"])
    dates.add(ranges["follow_up"])
    for dv in (status, roles, dates):
        sheet.add_data_validation(dv)


def _plan_highlights(sheet, ranges: dict[str, str], end: int) -> None:
    """Colours that follow the cells: cancelled and stale rows grey, status fills, priorities bold, late deadlines red,
    gap and level scales."""
    from openpyxl.formatting.rule import ColorScaleRule
    from openpyxl.utils import get_column_letter

    def first_cell(key: str) -> str:
        return f"${get_column_letter(COL[key])}2"

    s, k, dl = first_cell("status"), first_cell("kind"), first_cell("deadline")
    whole = f"A2:{get_column_letter(len(COLUMNS))}{end}"
    add_fill_when(sheet, whole, f'OR({s}="Avbrutt",{k}="{KIND_LABELS[KIND_STALE]}")', font_color="808080", italic=True)
    for name, color in STATUS_FILLS.items():
        add_fill_when(sheet, ranges["status"], f'{s}="{name}"', color)
    add_fill_when(sheet, ranges["kind"], f'{k}="{KIND_LABELS[KIND_PRIORITY]}"', "DDEBF7", bold=True)
    done = ",".join(f'{s}<>"{d}"' for d in DONE)
    add_fill_when(sheet, ranges["deadline"], f"AND(ISNUMBER({dl}),{dl}<TODAY(),{done})", "FFC7CE",
                  font_color="9C0006", bold=True)
    sheet.conditional_formatting.add(ranges["gap"], ColorScaleRule(
        start_type="num", start_value=0, start_color="FFFFFF", end_type="num", end_value=4, end_color="F8696B"))
    add_level_scale(sheet, ranges["level"])


def _plan_sheet(wb, build: PlanBuild, last_role_row: int) -> None:
    from openpyxl.styles import Alignment

    sheet = wb.active
    sheet.title = PLAN_SHEET
    # user text goes in as text even when the row is numbers-only elsewhere
    first, last = write_table(sheet, "Handlingsplan", 1, [h for _, h, _ in COLUMNS], _plan_rows(build),
                              [w for _, _, w in COLUMNS])
    for r in range(first, last + 1):
        for key in ("deadline", "follow_up"):
            sheet.cell(row=r, column=COL[key]).number_format = DATE_FMT
        for key in ("level", "gap"):
            sheet.cell(row=r, column=COL[key]).number_format = "0.0"
        for key in ("kind", "domain", "indicator", "action", "responsible", "comment", "basis", "previous", "status"):
            sheet.cell(row=r, column=COL[key]).alignment = Alignment(wrap_text=True, vertical="top")
    fit_heights(sheet, 1, last, len(COLUMNS))
    sheet.freeze_panes = "A2"
    end = last + EXTRA_ROWS
    ranges = _column_ranges(end)
    _plan_validations(sheet, ranges, last_role_row)
    _plan_highlights(sheet, ranges, end)
    add_print_setup(sheet, f"Handlingsplan – {build.ws.name} {build.rnd.year}", title_rows="1:1")


# --- Forrige plan ------------------------------------------------------------------


def _previous_sheet(wb, build: PlanBuild, previous: tuple[Path, str, list[PlanAction]]) -> None:
    path, prev_round, actions = previous
    sheet = wb.create_sheet("Forrige plan")
    counts = status_counts(actions)
    add_title(sheet, f"Hva ble gjort: handlingsplanen fra runde {prev_round}",
           f"Lest fra {path.name}. Tiltak som ikke er fullført eller avbrutt, og som gjelder en påstand som fortsatt "
           "er under målet, er videreført i arket «Handlingsplan».")
    from openpyxl.styles import Font

    set_text(sheet["A4"], "Status")
    set_text(sheet["B4"], "Antall tiltak")
    sheet["A4"].font = sheet["B4"].font = Font(name="Calibri", bold=True)
    for i, (s, n) in enumerate(counts.items(), start=5):
        set_text(sheet.cell(row=i, column=1), s)
        sheet.cell(row=i, column=2).value = n
    total_row = 5 + len(counts)
    set_text(sheet.cell(row=total_row, column=1), "I alt")
    sheet.cell(row=total_row, column=2).value = len(actions)
    sheet.cell(row=total_row, column=1).font = sheet.cell(row=total_row, column=2).font = Font(name="Calibri", bold=True)
    carried = {r.previous.removeprefix("Videreført fra ").split(" (")[0] for r in build.rows
               if r.previous.startswith("Videreført")}
    rows = []
    for a in actions:
        if a.action_id in carried:
            where = "Videreført"
        elif a.status in DONE:
            where = a.status
        else:
            where = "Ikke videreført (påstanden er ikke lenger under målet)"
        rows.append([a.action_id, a.indicator_id, a.action, a.responsible, a.deadline, a.status, a.comment, where])
    header = total_row + 2
    first, last = write_table(sheet, "ForrigePlan", header,
                         ["Tiltak-ID", "Indikator", "Tiltak", "Ansvarlig", "Frist", "Status", "Kommentar", "I ny plan"],
                         rows, [18, 14, 50, 24, 12, 12, 40, 26])
    for r in range(first, last + 1):
        sheet.cell(row=r, column=5).number_format = DATE_FMT
    for name, color in STATUS_FILLS.items():
        add_fill_when(sheet, f"F{first}:F{last}", f'$F{first}="{name}"', color)
        add_fill_when(sheet, f"A5:A{total_row - 1}", f'$A5="{name}"', color)
    sheet.freeze_panes = f"A{header + 1}"
    add_print_setup(sheet, f"Handlingsplan {prev_round} – status", title_rows=f"{header}:{header}")


def render_workbook(build: PlanBuild):
    from openpyxl import Workbook

    wb = Workbook()
    last_role_row = _lists_sheet(wb, build)
    _plan_sheet(wb, build, last_role_row)
    if build.previous:
        _previous_sheet(wb, build, build.previous)
    results_sheet(wb, build)
    overview_sheet(wb, build)
    guideline_sheet(wb, build)
    about_sheet(wb, build)
    wb.move_sheet(LIST_SHEET, offset=len(wb.sheetnames) - 1 - wb.sheetnames.index(LIST_SHEET))
    wb.active = 0
    wb.properties.creator = "samordna"
    wb.properties.title = f"Handlingsplan – {build.ws.name} {build.rnd.year}"
    return wb
