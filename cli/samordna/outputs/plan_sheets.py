"""The sheets of the action plan workbook. Numbers are computed in Python and written as values;
every piece of text goes through ``set_text`` so nothing a person typed becomes a formula."""

from __future__ import annotations

from copy import copy
from datetime import date
from pathlib import Path

from samordna.core import fmt
from samordna.core.mirror import ROLES
from samordna.i18n import _, language, n_
from samordna.outputs.excel import set_text
from samordna.outputs.mirror_report import few_text, group_name, role_heads, too_few_text
from samordna.outputs.plan_build import PlanBuild
from samordna.outputs.plan_carry import Carry
from samordna.outputs.plan_results import (
    about_sheet,
    fit_header,
    guideline_sheet,
    legal_sheet,
    overview_sheet,
    results_sheet,
)
from samordna.outputs.sheet_style import (
    add_fill_when,
    add_level_scale,
    add_print_setup,
    add_title,
    copy_cell,
    copy_note,
    copy_sheet,
    fit_heights,
    write_table,
)
from samordna.plan.model import (
    ABOUT_SHEET,
    BELOW_MARK,
    BELOW_SHEET,
    COLUMN_NAME_PREFIX,
    COLUMNS,
    DONE,
    FORMAT,
    KIND_LABELS,
    KIND_LEGAL,
    KIND_PRIORITY,
    KIND_STALE,
    LANGUAGE_KEY,
    LEGAL_SHEET,
    LIST_REMOVED_COL,
    LIST_SHEET,
    LIST_WRITTEN_COL,
    MIRROR_SHEET,
    PLAN_SHEET,
    PREVIOUS_SHEET,
    STATUSES,
    PlanAction,
    PlanRow,
    status_counts,
)

DATE_FMT = "dd.mm.yyyy"
# by status as samordna keeps it; the cells hold ``_(status)``
STATUS_FILLS = {"Fullført": "C6EFCE", "Pågår": "FFEB9C", "Utsatt": "F8CBAD", "Avbrutt": "D9D9D9"}
EXTRA_ROWS = 200  # validations and formats reach this far below the last row, for rows people add


def _excel_serial(d: date) -> int:
    return (d - date(1899, 12, 30)).days


def sheet_ref(name: str) -> str:
    """A sheet's name as a formula refers to it: quoted when it is more than letters and digits."""
    return name if name.replace("_", "").isalnum() else "'" + name.replace("'", "''") + "'"


def _lists_sheet(wb, build: PlanBuild):
    sheet = wb.create_sheet(_(LIST_SHEET))
    set_text(sheet["A1"], _("Status"))
    for i, s in enumerate(STATUSES, start=2):
        set_text(sheet.cell(row=i, column=1), _(s))
    set_text(sheet["B1"], _("Roller"))
    for i, role in enumerate(build.roles, start=2):
        set_text(sheet.cell(row=i, column=2), role)
    # keys (column D) are samordna's own and stay as they are; the plan's language is kept when it is made again
    below = (BELOW_MARK[0], _(BELOW_MARK[1])) if _own_below(build) else ("", "")
    for r, (k, v) in enumerate([(_("Teknisk"), _("Ikke endre")), ("format", FORMAT), ("runde", build.rnd.id),
                                ("kommune", build.ws.name), below, (LANGUAGE_KEY, language())], start=1):
        set_text(sheet.cell(row=r, column=4), k)
        set_text(sheet.cell(row=r, column=5), v)
    # what samordna wrote, so a row people delete can be told from one never written: it stays deleted
    written = [(r.action.action_id, r.action.action) for r in build.rows]
    for col, title, pairs in ((LIST_WRITTEN_COL, _("Tiltak i planen"), written),
                              (LIST_REMOVED_COL, _("Fjernet av dere"), build.removed)):
        set_text(sheet.cell(row=1, column=col), title)
        set_text(sheet.cell(row=1, column=col + 1), _("Tiltak"))
        for i, (aid, text) in enumerate(pairs, start=2):
            set_text(sheet.cell(row=i, column=col), aid)
            set_text(sheet.cell(row=i, column=col + 1), text)
    sheet.column_dimensions["B"].width = 40
    sheet.sheet_state = "hidden"
    return len(build.roles) + 1


# --- Handlingsplan -----------------------------------------------------------------


def _plan_rows(carry: Carry) -> list[list]:
    """The table's rows in the order of ``carry.layout``; loose rows and added columns are filled in afterwards."""
    rows: list[list] = []
    for line in carry.lines:
        if not isinstance(line, PlanRow):
            rows.append([None] * len(carry.layout))
            continue
        a = line.action
        kind = _(KIND_LABELS[a.kind]) if a.kind in KIND_LABELS else a.kind
        values: dict[str, object] = {"id": a.action_id, "kind": kind, "domain": line.domain_name,
                  "indicator": line.indicator_text, "level": line.level, "target": line.target, "gap": line.gap,
                  "action": a.action, "responsible": a.responsible, "deadline": a.deadline, "status": _(a.status),
                  "follow_up": a.follow_up, "comment": a.comment, "basis": line.basis, "previous": line.previous}
        if carry.source is None:  # a new plan: what people typed in their own columns last year
            values |= {k: a.extra.get(carry.extra_of[k]) for k in carry.layout if k.startswith("+")}
        rows.append([values.get(k) for k in carry.layout])
    return rows


def _column_ranges(carry: Carry, end: int) -> dict[str, str]:
    """Each plan column from row 2 down to ``end`` (past the last row, for rows people add), by key."""
    from openpyxl.utils import get_column_letter

    return {k: f"{get_column_letter(c)}2:{get_column_letter(c)}{end}" for c, k in enumerate(carry.layout, start=1)}


def _plan_validations(sheet, ranges: dict[str, str], last_role_row: int) -> None:
    """Drop-down lists for status and responsible, and dates that must be dates."""
    from openpyxl.worksheet.datavalidation import DataValidation

    lists = sheet_ref(_(LIST_SHEET))
    status = DataValidation(type="list", formula1=f"{lists}!$A$2:$A${len(STATUSES) + 1}", allow_blank=True,
                            showErrorMessage=True, errorTitle=_("Ugyldig status"),
                            error=_("Velg en status fra listen: {statuses}.").format(
                                statuses=", ".join(_(s) for s in STATUSES)),
                            promptTitle=_("Status"), prompt=_("Velg fra listen."), showInputMessage=True)
    status.add(ranges["status"])
    roles = DataValidation(type="list", formula1=f"{lists}!$B$2:$B${max(last_role_row, 2)}", allow_blank=True,
                           showErrorMessage=False, promptTitle=_("Ansvarlig"),
                           prompt=_("Velg en rolle fra listen, eller skriv en annen."), showInputMessage=True)
    roles.add(ranges["responsible"])
    dates = DataValidation(type="date", operator="between", formula1=str(_excel_serial(date(2000, 1, 1))),
                           formula2=str(_excel_serial(date(2100, 12, 31))), allow_blank=True, showErrorMessage=True,
                           errorTitle=_("Ugyldig dato"), error=_("Skriv en dato, for eksempel 01.03.2026."),
                           promptTitle=_("Dato"), prompt=_("Skriv en dato (dd.mm.åååå)."), showInputMessage=True)
    dates.add(ranges["deadline"])
    dates.add(ranges["follow_up"])
    for dv in (status, roles, dates):
        sheet.add_data_validation(dv)


def _plan_highlights(sheet, carry: Carry, ranges: dict[str, str], end: int) -> None:
    """Colours that follow the cells: cancelled and stale rows grey, status fills, priorities bold, late deadlines red,
    gap and level scales."""
    from openpyxl.formatting.rule import ColorScaleRule
    from openpyxl.utils import get_column_letter

    def first_cell(key: str) -> str:
        return f"${get_column_letter(carry.col(key))}2"

    s, k, dl = first_cell("status"), first_cell("kind"), first_cell("deadline")
    whole = f"A2:{get_column_letter(len(carry.layout))}{end}"
    # the formulas compare with the words as the cells hold them (the plan's language)
    add_fill_when(sheet, whole, f'OR({s}="{_("Avbrutt")}",{k}="{_(KIND_LABELS[KIND_STALE])}")', font_color="808080",
                  italic=True)
    for name, color in STATUS_FILLS.items():
        add_fill_when(sheet, ranges["status"], f'{s}="{_(name)}"', color)
    add_fill_when(sheet, ranges["kind"], f'{k}="{_(KIND_LABELS[KIND_PRIORITY])}"', "DDEBF7", bold=True)
    add_fill_when(sheet, ranges["kind"], f'{k}="{_(KIND_LABELS[KIND_LEGAL])}"', "FCE4D6", bold=True)
    done = ",".join(f'{s}<>"{_(d)}"' for d in DONE)
    add_fill_when(sheet, ranges["deadline"], f"AND(ISNUMBER({dl}),{dl}<TODAY(),{done})", "FFC7CE",
                  font_color="9C0006", bold=True)
    sheet.conditional_formatting.add(ranges["gap"], ColorScaleRule(
        start_type="num", start_value=0, start_color="FFFFFF", end_type="num", end_value=4, end_color="F8696B"))
    add_level_scale(sheet, ranges["level"])


def _plan_sheet(wb, build: PlanBuild, last_role_row: int) -> None:
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter
    from openpyxl.workbook.defined_name import DefinedName

    carry = build.carry
    sheet = wb.active
    sheet.title = _(PLAN_SHEET)
    defaults = {k: (_(h), w) for k, h, w in COLUMNS}
    headers = [defaults[k][0] if k in defaults else carry.headers[k] for k in carry.layout]
    widths = [(carry.widths.get(k) or (None, False))[0] or (defaults[k][1] if k in defaults else 12) for k in carry.layout]
    # user text goes in as text even when the row is numbers-only elsewhere
    first, last = write_table(sheet, "Handlingsplan", 1, headers, _plan_rows(carry), widths)
    for r in range(first, last + 1):
        for key in ("deadline", "follow_up"):
            sheet.cell(row=r, column=carry.col(key)).number_format = DATE_FMT
        for key in ("level", "gap"):
            sheet.cell(row=r, column=carry.col(key)).number_format = "0.0"
        for key in ("kind", "domain", "indicator", "action", "responsible", "comment", "basis", "previous", "status"):
            sheet.cell(row=r, column=carry.col(key)).alignment = Alignment(wrap_text=True, vertical="top")
    _carry_plan_cells(sheet, carry)
    fit_heights(sheet, 1, last, len(carry.layout))
    fit_header(sheet, 1)
    for key, (_width, hidden) in carry.widths.items():
        sheet.column_dimensions[get_column_letter(carry.col(key))].hidden = hidden
    sheet.freeze_panes = "A2"
    end = max([last, *carry.trailing.values()]) + EXTRA_ROWS
    ranges = _column_ranges(carry, end)
    _plan_validations(sheet, ranges, last_role_row)
    _plan_highlights(sheet, carry, ranges, end)
    for dv, new_ranges in carry.validations:
        moved = copy(dv)
        moved.sqref = new_ranges
        sheet.add_data_validation(moved)
    for new_ranges, rules in carry.formats:
        for rule in rules:
            sheet.conditional_formatting.add(new_ranges, rule)
    add_print_setup(sheet, _plan_title(build), title_rows="1:1")
    quoted = sheet.title.replace("'", "''")
    for key in defaults:  # hidden keys: the header cell of each generated column, moved by Excel with the column
        name = COLUMN_NAME_PREFIX + key
        wb.defined_names[name] = DefinedName(name, attr_text=f"'{quoted}'!${get_column_letter(carry.col(key))}$1",
                                             hidden=True)


def _plan_title(build: PlanBuild) -> str:
    return _("Handlingsplan – {municipality} {year}").format(municipality=build.ws.name, year=build.rnd.year)


def _carry_plan_cells(sheet, carry: Carry) -> None:
    """What people had in «Handlingsplan» besides samordna's values, each cell following its row: added columns,
    loose rows (a sum, a note) in every column, and notes on any cell of the rows."""
    src = carry.source
    if src is None:
        return
    old = src.workbook[src.plan_sheet]
    added = {int(k[1:]) for k in carry.layout if k.startswith("+")}
    loose = set(src.loose_rows)
    for old_row, new_row in carry.row_map.items():
        for old_col, new_col in carry.col_map.items():
            cell = old.cell(row=old_row, column=old_col)
            if old_row == 1:
                continue  # headers are samordna's (added columns' headers are in the table already)
            if old_row in loose or old_col in added:
                if cell.value is None and not cell.has_style and cell.comment is None:
                    continue
                copy_cell(cell, sheet.cell(row=new_row, column=new_col),
                          carry.formulas.get((src.plan_sheet, old_row, old_col)))
            elif cell.comment is not None:  # a note on a cell samordna fills: the note stays with the row
                copy_note(cell, sheet.cell(row=new_row, column=new_col))


# --- Forrige plan ------------------------------------------------------------------


def _previous_sheet(wb, build: PlanBuild, previous: tuple[Path, str, list[PlanAction]]) -> None:
    path, prev_round, actions = previous
    sheet = wb.create_sheet(_(PREVIOUS_SHEET))
    counts = status_counts(actions)
    sub = _("Lest fra {file}. Tiltak som ikke er fullført eller avbrutt, og som gjelder en påstand som fortsatt er "
            "under målet, er videreført i arket «{plan}».").format(file=path.name, plan=_(PLAN_SHEET))
    if build.migration:
        sub += " " + _("Tiltak på påstander som er delt opp, slått sammen, erstattet eller tatt ut i den nye versjonen "
                       "av banken, er beholdt og merket (se arket «{about}»).").format(about=_(ABOUT_SHEET))
    add_title(sheet, _("Hva ble gjort: handlingsplanen fra runde {round}").format(round=prev_round), sub)
    from openpyxl.styles import Font

    set_text(sheet["A4"], _("Status"))
    set_text(sheet["B4"], _("Antall tiltak"))
    sheet["A4"].font = sheet["B4"].font = Font(name="Calibri", bold=True)
    for i, (s, n) in enumerate(counts.items(), start=5):
        set_text(sheet.cell(row=i, column=1), _(s))
        sheet.cell(row=i, column=2).value = n
    total_row = 5 + len(counts)
    set_text(sheet.cell(row=total_row, column=1), _("I alt"))
    sheet.cell(row=total_row, column=2).value = len(actions)
    sheet.cell(row=total_row, column=1).font = sheet.cell(row=total_row, column=2).font = Font(name="Calibri", bold=True)
    in_plan = {r.action.action_id for r in build.rows if r.carried}
    by_prev = {c.action.action_id: c for c in build.carried.values()}
    rows = []
    removed = {aid for aid, _ in build.removed}
    for a in actions:
        c = by_prev.get(a.action_id)
        if c is not None and c.new_id in in_plan:
            where = _("Videreført som {id}").format(id=c.new_id) if c.how != "same" else _("Videreført")
        elif c is not None and c.new_id in removed:
            where = _("Fjernet av dere")
        elif a.status in DONE:
            where = _(a.status)
        else:
            where = _("Ikke videreført (påstanden er ikke lenger under målet)")
        if c is not None and c.note:
            where += f". {c.note}"
        rows.append([a.action_id, a.indicator_id, a.action, a.responsible, a.deadline, _(a.status), a.comment, where])
    header = total_row + 2
    first, last = write_table(sheet, "ForrigePlan", header,
                         [_("Tiltak-ID"), _("Indikator"), _("Tiltak"), _("Ansvarlig"), _("Frist"), _("Status"),
                          _("Kommentar"), _("I ny plan")],
                         rows, [18, 14, 50, 24, 12, 12, 40, 26])
    for r in range(first, last + 1):
        sheet.cell(row=r, column=5).number_format = DATE_FMT
    for name, color in STATUS_FILLS.items():
        add_fill_when(sheet, f"F{first}:F{last}", f'$F{first}="{_(name)}"', color)
        add_fill_when(sheet, f"A5:A{total_row - 1}", f'$A5="{_(name)}"', color)
    sheet.freeze_panes = f"A{header + 1}"
    add_print_setup(sheet, _("Handlingsplan {round} – status").format(round=prev_round), title_rows=f"{header}:{header}")


# --- Under mål ------------------------------------------------------------------------


def _below_sheet(wb, build: PlanBuild) -> None:
    """Indicators below target that the group did not prioritise, with the first suggested action: a list to choose
    from, not part of the plan."""
    sheet = wb.create_sheet(_(BELOW_SHEET))
    n = len(build.below)
    add_title(sheet, _("Under mål, ikke prioritert – {municipality}, runde {round}").format(
                  municipality=build.ws.name, round=build.rnd.id),
              n_("Én påstand under målet som gruppen ikke har prioritert, med bankens første forslag til tiltak. De står "
                 "ikke i handlingsplanen. Vil dere ta med et av tiltakene, skriv tiltak-ID-en i en ny rad i arket "
                 "«{plan}» (eller prioriter påstanden med samordna prioritize); raden blir stående der.",
                 "{n} påstander under målet som gruppen ikke har prioritert, med bankens første forslag til tiltak. De "
                 "står ikke i handlingsplanen. Vil dere ta med et av tiltakene, skriv tiltak-ID-en i en ny rad i arket "
                 "«{plan}» (eller prioriter påstanden med samordna prioritize); raden blir stående der.", n)
              .format(n=n, plan=_(PLAN_SHEET)))
    headers = [_("Tiltak-ID"), _("Område"), _("Indikator"), _("Nivå nå"), _("Mål"), _("Avstand til mål"),
               _("Forslag til tiltak"), _("Forankring")]
    rows = [[r.action.action_id, r.domain_name, r.indicator_text, r.level, r.target, r.gap, r.action.action, r.basis]
            for r in build.below]
    first, last = write_table(sheet, "UnderMaal", 4, headers, rows, [15, 17, 30, 8, 6, 9, 50, 28])
    fit_header(sheet, 4)
    for r in range(first, last + 1):
        for c in (4, 6):
            sheet.cell(row=r, column=c).number_format = "0.0"
    if rows:
        from openpyxl.formatting.rule import ColorScaleRule

        sheet.conditional_formatting.add(f"F{first}:F{last}", ColorScaleRule(
            start_type="num", start_value=0, start_color="FFFFFF", end_type="num", end_value=4, end_color="F8696B"))
        add_level_scale(sheet, f"D{first}:D{last}")
    sheet.freeze_panes = "A5"
    add_print_setup(sheet, _("Under mål, ikke prioritert – {municipality} {year}").format(
        municipality=build.ws.name, year=build.rnd.year), title_rows="4:4")


# --- Speilet ----------------------------------------------------------------------------


def mirror_cell(view, role: str, value: float | None):
    """An area's value for a role as the sheet shows it: the number, «færre enn N» for a group under the limit
    (never its count), «for få svar» when too few in a shown group gave the area's statements a level."""
    if view.groups.get(role) is None:
        return few_text(view.min_group)
    return round(value, 2) if value is not None else too_few_text()


def _mirror_sheet(wb, build: PlanBuild) -> None:
    """The young people's mirror beside the leaders' levels, per area, and its largest gaps in words. Only what
    ``core.mirror.MirrorView`` holds (a group under the limit is never a number here)."""
    assert build.mirror is not None
    bank, view = build.mirror
    sheet = wb.create_sheet(_(MIRROR_SHEET))
    add_title(sheet, _("Speilet – {municipality}, runde {round}").format(municipality=build.ws.name,
                                                                          round=build.rnd.id),
              _("Hvordan ungdommene og foreldrene opplever de samme områdene som lederne har vurdert, 0–4. En gruppe "
                "med færre enn {n} svar vises ikke, og heller ikke noe som kan regne den ut.").format(n=view.min_group))
    sizes = [(_("{group} {n}").format(group=group_name(r), n=view.groups[r]) if view.groups.get(r)
              is not None else _("{group} færre enn {n}").format(group=group_name(r), n=view.min_group))
             for r in ROLES]
    set_text(sheet["A3"], _("Svar i speilet: {groups}.").format(groups="; ".join(sizes)))
    headers = [_("Område"), _("Lederne"), *role_heads()]
    rows = [[a.name, round(a.leaders, 2) if a.leaders is not None else None,
             *(mirror_cell(view, r, a.values.get(r)) for r in ROLES)] for a in view.areas]
    first, last = write_table(sheet, "Speilet", 5, headers, rows, [44, 12, 14, 14])
    fit_header(sheet, 5)
    from openpyxl.styles import Alignment

    for r in range(first, last + 1):
        for c in range(2, 3 + len(ROLES)):
            cell = sheet.cell(row=r, column=c)
            cell.number_format = "0.0"
            cell.alignment = Alignment(horizontal="right", vertical="top")  # «færre enn 5» beside the numbers
    if rows:
        add_level_scale(sheet, f"B{first}:{chr(ord('B') + len(ROLES))}{last}")
    at = last + 2
    named = view.named_gaps(bank.gap_to_name)
    set_text(sheet.cell(row=at, column=1), _("De største avstandene"))
    sheet.cell(row=at, column=1).font = copy(sheet["A1"].font)
    if not named:
        set_text(sheet.cell(row=at + 1, column=1),
                 _("Ingen område der lederne ser det som minst {gap} nivå bedre enn de som har svart i speilet.")
                 .format(gap=fmt.num(bank.gap_to_name)))
    for i, g in enumerate(named, start=1):
        set_text(sheet.cell(row=at + i, column=1), _("Lederne mener «{area}» er på {leaders}; {group} opplever det som "
                                                     "{value}.").format(area=g.name, leaders=fmt.num(g.leaders),
                                                                        group=group_name(g.role),
                                                                        value=fmt.num(g.value)))
    note = at + max(1, len(named)) + 2
    set_text(sheet.cell(row=note, column=1),
             _("Velg en avstand som prioritering med samordna prioritize (eller --speil OMRÅDE); tiltakene får "
               "«Fra speilet» i kolonnen «Forankring» i arket «{plan}».").format(plan=_(PLAN_SHEET)))
    sheet.freeze_panes = "A6"
    add_print_setup(sheet, _("Speilet – {municipality} {year}").format(municipality=build.ws.name,
                                                                        year=build.rnd.year), title_rows="5:5")


def _own_below(build: PlanBuild) -> bool:
    """Whether samordna draws «Under mål»: not when people have a sheet of their own by that name."""
    src = build.carry.source
    return src is None or _(BELOW_SHEET) not in src.user_sheets


def render_workbook(build: PlanBuild):
    from openpyxl import Workbook

    wb = Workbook()
    last_role_row = _lists_sheet(wb, build)
    _plan_sheet(wb, build, last_role_row)
    if _own_below(build):
        _below_sheet(wb, build)
    if build.previous:
        _previous_sheet(wb, build, build.previous)
    results_sheet(wb, build)
    if build.mirror is not None:
        _mirror_sheet(wb, build)
    overview_sheet(wb, build)
    guideline_sheet(wb, build)
    about_sheet(wb, build)
    legal_sheet(wb, build)
    legal, lists = _(LEGAL_SHEET), _(LIST_SHEET)
    if legal in wb.sheetnames:  # the legal minimum comes first
        wb.move_sheet(legal, offset=-wb.sheetnames.index(legal))
    wb.move_sheet(lists, offset=len(wb.sheetnames) - 1 - wb.sheetnames.index(lists))
    _user_sheets(wb, build.carry)
    wb.active = wb.sheetnames.index(_(PLAN_SHEET))
    wb.properties.creator = "samordna"
    wb.properties.title = _plan_title(build)
    return wb


def _user_sheets(wb, carry: Carry) -> None:
    """The sheets people added, each after the sheet it followed before; and the names they defined."""
    from openpyxl.workbook.defined_name import DefinedName

    src = carry.source
    if src is None:
        return
    old_order = src.workbook.sheetnames
    for title in src.user_sheets:
        old = src.workbook[title]
        new = wb.create_sheet(title)
        copy_sheet(old, new, lambda cell, t=title: carry.formulas.get((t, cell.row, cell.column)), carry.tables)
        before = [n for n in old_order[: old_order.index(title)] if n in wb.sheetnames]
        at = wb.sheetnames.index(before[-1]) + 1 if before else 0
        wb.move_sheet(new, offset=at - wb.sheetnames.index(title))
    for scope, name, text in carry.names:
        defined = DefinedName(name, attr_text=text)
        if scope is None:
            wb.defined_names[name] = defined
        elif scope in wb.sheetnames:
            wb[scope].defined_names[name] = defined
