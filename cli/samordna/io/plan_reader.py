"""Read an action plan workbook back, as people left it (``outputs.plan`` writes it).

Generated columns are found by their hidden keys (a defined name on each header
cell, which Excel and LibreOffice move with the column), or by their header text
in row 1 in plans made before the keys; a formula typed as text stays text; dates
may be real dates, Excel serials or typed text. ``open_plan`` also says where each
action stands, which columns and rows people added, and what in the workbook
cannot be carried into a new one (charts, pictures, pivot tables ...).
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from samordna.core.errors import FileLockedError, SamordnaError
from samordna.core.privacy import screen_text
from samordna.i18n import _, in_language
from samordna.io.atomic import backups_of
from samordna.io.plan_extras import cannot_keep
from samordna.io.xlsx import load_workbook_safely
from samordna.plan.merge import previous_summary
from samordna.plan.model import (
    BELOW_MARK,
    BELOW_SHEET,
    COL,
    COLUMN_NAME_PREFIX,
    COLUMNS,
    GENERATED_SHEETS,
    IND_RE,
    KIND_BELOW,
    KIND_OWN,
    LANGUAGE_KEY,
    LIST_REMOVED_COL,
    LIST_SHEET,
    LIST_WRITTEN_COL,
    PLAN_SHEET,
    STATUSES,
    PlanAction,
    header_keys,
    kind_of,
    sheet_in,
    spellings,
    status_of,
    workbook_language,
)


@dataclass
class PlanMeta:
    format: str | None = None
    round: str | None = None
    municipality: str | None = None
    written: list[tuple[str, str]] = field(default_factory=list)  # (id, action) samordna wrote last time
    removed: list[tuple[str, str]] = field(default_factory=list)  # (id, action) people deleted: they stay deleted
    below_sheet: bool = False  # the sheet «Under mål» is samordna's (drawn anew), not one people made
    language: str | None = None  # the language samordna wrote the plan in (plans made before the marker: None)
    below_name: str | None = None  # the name of samordna's sheet «Under mål» (in the plan's language)


@dataclass
class PlanFile:
    """An existing plan as people left it, with what is needed to carry their additions into a new workbook."""

    path: Path
    meta: PlanMeta
    actions: list[PlanAction]
    row_of: dict[str, int]  # action id -> its row in «Handlingsplan»
    cols: dict[str, int]  # generated column key -> its column
    user_cols: list[int]  # columns people added (a header or any value)
    loose_rows: list[int]  # rows with something in them that is not an action (a sum, a note)
    user_sheets: list[str]  # sheets people added, in workbook order
    workbook: Any  # the openpyxl workbook (formulas as formulas), to copy from
    cannot_keep: dict[str, list[str]] = field(default_factory=dict)  # sheet -> what cannot be carried over
    simplified: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # sheet -> (what, cells) left out
    language: str = "nb"  # the language the workbook was made in (sheet names, headers, statuses)
    plan_sheet: str = PLAN_SHEET  # the name of the sheet «Handlingsplan» in that language


def read_plan(path: Path) -> list[PlanAction]:
    """The actions in a plan workbook, as people left them. Raises SamordnaError naming sheet and cell."""
    return read_plan_file(Path(path))[1]


def read_plan_file(path: Path) -> tuple[PlanMeta, list[PlanAction]]:
    """The plan's metadata (from «Lister») and its actions, as people left them."""
    plan = open_plan(path)
    return plan.meta, plan.actions


def open_plan(path: Path) -> PlanFile:
    """Read a plan workbook: its metadata, actions (and their rows), and what people added around them."""
    path = Path(path)
    with warnings.catch_warnings():  # openpyxl's English warnings on what it drops; ``cannot_keep`` says it in Norwegian
        warnings.simplefilter("ignore", UserWarning)
        wb = load_workbook_safely(path, data_only=False)  # formulas typed as text are kept as text
    plan_sheet = sheet_in(wb.sheetnames, PLAN_SHEET)  # a plan made in bokmål, nynorsk or English
    if plan_sheet is None:
        raise SamordnaError(_("{file} er ikke en handlingsplan fra samordna: fant ikke arket «{sheet}».")
                            .format(file=path, sheet=_(PLAN_SHEET)), path=path)
    meta = PlanMeta()
    list_sheet = sheet_in(wb.sheetnames, LIST_SHEET)
    if list_sheet is not None:
        meta = _meta(wb[list_sheet])
    lang = workbook_language(wb.sheetnames, meta.language)
    sheet = wb[plan_sheet]
    cols = _columns(path, sheet, _named_columns(wb, plan_sheet))
    cells = _PlanCells(path, plan_sheet)
    generated = set(cols.values())
    filled = {cell.column for cell in sheet._cells.values() if cell.value not in (None, "")}  # cells that exist
    user_cols = sorted(filled - generated)
    own_headers = _own_headers(sheet, user_cols)
    actions: list[PlanAction] = []
    rows: list[int] = []
    loose: list[int] = []
    for row in sheet.iter_rows(min_row=2):
        a = _action(row, cols, cells)
        if a is not None:
            a.extra = _extra(row, own_headers, cells)
            actions.append(a)
            rows.append(row[0].row)
        elif any(c.value is not None and c.value != "" for c in row):
            loose.append(row[0].row)
    _number_own_rows(actions, meta.round, {i for i, _ in meta.written + meta.removed})
    # samordna's sheets, in the workbook's language: any other sheet is the municipality's own
    ours = {in_language(lang, s) for s in GENERATED_SHEETS} | {plan_sheet, list_sheet}
    if meta.below_sheet:
        ours.add(meta.below_name or in_language(lang, BELOW_SHEET))
    user_sheets = [n for n in wb.sheetnames if n not in ours]
    hard, soft = cannot_keep(path, [plan_sheet, *user_sheets])
    return PlanFile(path=path, meta=meta, actions=actions, row_of={a.action_id: r for a, r in zip(actions, rows, strict=True)},
                    cols=cols, user_cols=user_cols, loose_rows=loose, user_sheets=user_sheets, workbook=wb,
                    cannot_keep=hard, simplified=soft, language=lang, plan_sheet=plan_sheet)


def _meta(lists: Any) -> PlanMeta:
    """The plan's metadata from the hidden sheet «Lister» (keys in column D, values in E)."""
    below = _str(lists["E5"].value)
    below_sheet = _str(lists["D5"].value) == BELOW_MARK[0] and below in spellings(BELOW_SHEET)
    lang = _str(lists["E6"].value) if _str(lists["D6"].value) == LANGUAGE_KEY else None
    return PlanMeta(_str(lists["E2"].value), _str(lists["E3"].value), _str(lists["E4"].value),
                    _id_list(lists, LIST_WRITTEN_COL), _id_list(lists, LIST_REMOVED_COL), below_sheet, lang,
                    below if below_sheet else None)


def plan_language(path: Path) -> str | None:
    """The language an existing plan workbook was made in (its marker in «Lister», else its sheet names), so that
    a regenerated plan keeps it; None when the file cannot be read (``open_plan`` then says why)."""
    try:
        wb = load_workbook_safely(Path(path), read_only=True)
    except SamordnaError:
        return None
    try:
        names = list(wb.sheetnames)
        list_sheet = sheet_in(names, LIST_SHEET)
        marker = None
        if list_sheet is not None:
            lists = wb[list_sheet]
            if _str(lists.cell(row=6, column=4).value) == LANGUAGE_KEY:
                marker = _str(lists.cell(row=6, column=5).value)
        return workbook_language(names, marker)
    finally:
        wb.close()


def _own_headers(sheet: Any, user_cols: list[int]) -> dict[int, str]:
    """The header of each column people added (its letter when it has none)."""
    from openpyxl.utils import get_column_letter

    out = {}
    for col in user_cols:
        head = _str(sheet.cell(row=1, column=col).value)
        out[col] = head if head and not head.startswith("=") else _("Kolonne {letter}").format(
            letter=get_column_letter(col))
    return out


def _extra(row: tuple[Any, ...], headers: dict[int, str], cells: _PlanCells) -> dict[str, object]:
    """What people typed in their own columns on this row, by header; a formula as the value Excel computed
    (its references would point elsewhere in another plan)."""
    out: dict[str, object] = {}
    for col, head in headers.items():
        cell = row[col - 1] if col - 1 < len(row) else None
        if cell is None or cell.value in (None, ""):
            continue
        value = cells.cached(cell) if cell.data_type == "f" else cell.value
        if value not in (None, ""):
            out.setdefault(head, value)
    return out


def _id_list(sheet: Any, col: int) -> list[tuple[str, str]]:
    """(id, text) pairs listed in «Lister» from row 2 down in ``col`` and the column after it."""
    out = []
    for r in range(2, sheet.max_row + 1):
        aid = _str(sheet.cell(row=r, column=col).value)
        if aid:
            out.append((aid, _str(sheet.cell(row=r, column=col + 1).value) or ""))
    return out


def _named_columns(wb: Any, plan_sheet: str = PLAN_SHEET) -> dict[str, int]:
    """Generated columns by their hidden keys: «samordna_kol_<key>» names a header cell in row 1 of the plan."""
    found: dict[str, int] = {}
    for name, defined in wb.defined_names.items():
        key = name.removeprefix(COLUMN_NAME_PREFIX) if name.startswith(COLUMN_NAME_PREFIX) else None
        if key is None or key not in COL:
            continue
        try:
            dest = list(defined.destinations)
        except Exception:  # a name Excel left as #REF! (the column was deleted)
            continue
        m = re.fullmatch(r"\$?([A-Z]{1,3})\$?1", dest[0][1]) if len(dest) == 1 and dest[0][0] == plan_sheet else None
        if m:
            from openpyxl.utils import column_index_from_string

            found[key] = column_index_from_string(m.group(1))
    return found


def _columns(path: Path, sheet: Any, named: dict[str, int] | None = None) -> dict[str, int]:
    """The column of each generated key: by its hidden name, else by its header text in row 1 (plans made before
    the names, or edited by a program that does not move names); id, action and status must be there."""
    cols: dict[str, int] = {}
    keys = header_keys()  # the headers in any of the languages
    header = {cell.column: keys.get(str(cell.value or "").strip().lower())
              for cell in next(sheet.iter_rows(min_row=1, max_row=1), ())}
    for key, col in (named or {}).items():
        if header.get(col) in (None, key) and col not in cols.values():  # a name that lands on another key's header
            cols[key] = col                                             # is stale: the header decides
    for col, found in header.items():
        if found and found not in cols and col not in cols.values():
            cols[found] = col
    missing = [h for k, h, _ in COLUMNS if k in ("id", "action", "status") and k not in cols]
    if missing:
        raise SamordnaError(
            _("{file}, arket «{sheet}», rad 1: fant ikke kolonnen {columns}. Overskriftene i første rad må stå som "
              "samordna skrev dem.").format(file=path, sheet=sheet.title,
                                            columns=", ".join("«" + _(m) + "»" for m in missing)), path=path)
    return cols


class _PlanCells:
    """Where a cell is (for messages), and the value Excel computed for a formula (read only when needed)."""

    def __init__(self, path: Path, sheet: str = PLAN_SHEET):
        self.path = path
        self.sheet = sheet
        self._values_wb: Any = None

    def where(self, cell: Any) -> str:
        return _("{file}, arket «{sheet}», celle {cell}").format(file=self.path, sheet=self.sheet, cell=cell.coordinate)

    def cached(self, cell: Any) -> Any:
        if self._values_wb is None:
            self._values_wb = load_workbook_safely(self.path, data_only=True)
        return self._values_wb[self.sheet][cell.coordinate].value


def _action(row: tuple[Any, ...], cols: dict[str, int], cells: _PlanCells) -> PlanAction | None:
    """One row of the plan as an action; None for an empty row."""
    cell = {k: row[c - 1] if c - 1 < len(row) else None for k, c in cols.items()}
    value = {k: c.value if c is not None else None for k, c in cell.items()}
    text = {k: _str(value.get(k)) for k in ("id", "kind", "indicator", "action", "responsible", "comment")}
    domain = _str(value.get("domain"))
    if (not any(text.values()) and value.get("deadline") is None and value.get("follow_up") is None
            and not _str(value.get("status"))):
        return None
    _screen(value, cell, cells)
    status = _status(value.get("status"), cell.get("status"), cells)
    deadline = _date(value.get("deadline"), cell.get("deadline"), cells)
    follow_up = _date(value.get("follow_up"), cell.get("follow_up"), cells)
    m = IND_RE.match(text["indicator"] or "")
    ind_id = m.group(1) if m else ""
    return PlanAction(
        action_id=text["id"] or "", indicator_id=ind_id, domain_id=ind_id.split("-")[0] if ind_id else "",
        action=text["action"] or "", responsible=text["responsible"], deadline=deadline, status=status,
        follow_up=follow_up, comment=text["comment"], kind=_kind(text["kind"]),
        domain_text=domain, indicator_text=text["indicator"],
    )


def _screen(value: dict[str, Any], cell: dict[str, Any], cells: _PlanCells) -> None:
    """No identity number in what people typed (a number Excel stored counts too): exit 2 naming the cell."""
    for key in ("action", "responsible", "comment", "indicator", "domain"):
        if not screen_text(value.get(key)).ok:
            raise SamordnaError(_("{where}: teksten ser ut til å inneholde et fødselsnummer eller D-nummer "
                                  "(taushetsplikt). Fjern nummeret i Excel og prøv igjen. Ingenting er endret.")
                                .format(where=cells.where(cell[key])), path=cells.path)


def _number_own_rows(actions: list[PlanAction], round_id: str | None, reserved: set[str] | None = None) -> None:
    """Rows added by hand (no id) or copied (an id seen before) become own actions «<runde>-EGEN-n»
    (never an id samordna wrote before or people deleted: ``reserved``)."""
    seen: set[str] = set()
    without_id = []
    for action in actions:
        if not action.action_id or action.action_id in seen:
            action.kind = KIND_OWN
            without_id.append(action)
        seen.add(action.action_id)
    prefix = f"{round_id}-EGEN" if round_id else "EGEN"
    n = 0
    taken = seen | (reserved or set())
    for action in without_id:
        n += 1
        while f"{prefix}-{n}" in taken:
            n += 1
        action.action_id = f"{prefix}-{n}"
        taken.add(action.action_id)


def _str(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def _kind(text: str | None) -> str:
    t = (text or "").strip()
    return kind_of(t) or (KIND_BELOW if t else KIND_OWN)


def _status(value: Any, cell: Any, cells: _PlanCells) -> str:
    text = _str(value)
    if text is None:
        return STATUSES[0]
    found = status_of(text)  # written in bokmål, nynorsk or English
    if found is not None:
        return found
    raise SamordnaError(_("{where}: ukjent status «{status}». Bruk en av: {statuses}.").format(
        where=cells.where(cell), status=text, statuses=", ".join(_(s) for s in STATUSES)))


_DATE_FORMATS = ("%d.%m.%Y", "%Y-%m-%d", "%d.%m.%y", "%d/%m/%Y", "%d/%m/%y")


def _date(value: Any, cell: Any, cells: _PlanCells) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 20000 < value < 80000:
        return (datetime(1899, 12, 30) + timedelta(days=int(value))).date()  # an Excel serial number
    text = str(value).strip()
    if not text:
        return None
    if text.startswith("="):
        got = cells.cached(cell)
        if isinstance(got, (date, datetime)):
            return got.date() if isinstance(got, datetime) else got
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            pass
    raise SamordnaError(_("{where}: «{text}» er ikke en dato. Skriv datoen som dd.mm.åååå, for eksempel 01.03.2026.")
                        .format(where=cells.where(cell), text=text))


def previous_plan(ws: Any, rnd: Any) -> tuple[Path, list[PlanAction]] | None:
    """The plan of the round before ``rnd``, if that file exists."""
    prev = ws.previous_round(rnd)
    if prev is None or not prev.plan_path.exists():
        return None
    return prev.plan_path, read_plan(prev.plan_path)


def previous_plan_lines(ws: Any, rnd: Any) -> list[str]:
    """What was done in the previous round's plan (a broken old plan must not stop a new round)."""
    try:
        found = previous_plan(ws, rnd)
    except SamordnaError as exc:
        return [_("Kunne ikke lese handlingsplanen fra forrige runde: {error}").format(error=exc.render())]
    if found is None:
        return []
    path, actions = found
    return previous_summary(path.name, actions)


def lock_files(path: Path) -> list[Path]:
    """Lock files Excel (~$name) and LibreOffice (.~lock.name#) leave while a workbook is open."""
    path = Path(path)
    candidates = [path.with_name(f"~${path.name}"), path.with_name(f".~lock.{path.name}#")]
    if len(path.name) > 2:
        candidates.append(path.with_name(f"~${path.name[2:]}"))  # Excel drops the first two characters
    return [p for p in candidates if p.exists()]


def check_not_open(path: Path) -> None:
    locks = lock_files(path)
    if locks:
        raise FileLockedError(
            _("Handlingsplanen {file} ser ut til å være åpen i Excel eller LibreOffice (fant låsefilen {lock}). "
              "Lagre og lukk den, og prøv igjen. Ingenting er endret.").format(file=path, lock=locks[0].name), path=path)


def last_backup(path: Path) -> Path | None:
    found = backups_of(path)  # named by time: the last is the newest
    return found[-1] if found else None
