"""Read an action plan workbook back, as people left it (``outputs.plan`` writes it).

Generated columns are found by their header text in row 1; a formula typed as
text stays text; dates may be real dates, Excel serials or typed text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from samordna.core.errors import FileLockedError, SamordnaError
from samordna.io.xlsx import load_workbook_safely
from samordna.plan.merge import previous_summary
from samordna.plan.model import (
    COLUMNS,
    HEADER_KEY,
    IND_RE,
    KIND_BELOW,
    KIND_LABELS,
    KIND_OWN,
    LIST_SHEET,
    PLAN_SHEET,
    STATUSES,
    PlanAction,
)


@dataclass
class PlanMeta:
    format: str | None = None
    round: str | None = None
    municipality: str | None = None


def read_plan(path: Path) -> list[PlanAction]:
    """The actions in a plan workbook, as people left them. Raises SamordnaError naming sheet and cell."""
    return read_plan_file(Path(path))[1]


def read_plan_file(path: Path) -> tuple[PlanMeta, list[PlanAction]]:
    wb = load_workbook_safely(path, data_only=False)  # formulas typed as text are kept as text
    if PLAN_SHEET not in wb.sheetnames:
        raise SamordnaError(f"{path} er ikke en handlingsplan fra samordna: fant ikke arket «{PLAN_SHEET}».", path=path)
    meta = PlanMeta()
    if LIST_SHEET in wb.sheetnames:
        lists = wb[LIST_SHEET]
        meta = PlanMeta(_str(lists["E2"].value), _str(lists["E3"].value), _str(lists["E4"].value))
    sheet = wb[PLAN_SHEET]
    cols: dict[str, int] = {}
    for cell in next(sheet.iter_rows(min_row=1, max_row=1), ()):
        key = HEADER_KEY.get(str(cell.value or "").strip().lower())
        if key and key not in cols:
            cols[key] = cell.column
    missing = [h for k, h, _ in COLUMNS if k in ("id", "action", "status") and k not in cols]
    if missing:
        raise SamordnaError(
            f"{path}, arket «{PLAN_SHEET}», rad 1: fant ikke kolonnen {', '.join('«' + m + '»' for m in missing)}. "
            "Overskriftene i første rad må stå som samordna skrev dem.", path=path)
    values_wb = None

    def cached(cell):
        nonlocal values_wb
        if values_wb is None:
            values_wb = load_workbook_safely(path, data_only=True)
        return values_wb[PLAN_SHEET][cell.coordinate].value

    def where(cell) -> str:
        return f"{path}, arket «{PLAN_SHEET}», celle {cell.coordinate}"

    actions: list[PlanAction] = []
    seen: set[str] = set()
    without_id = []
    for row in sheet.iter_rows(min_row=2):
        cell = {k: row[c - 1] if c - 1 < len(row) else None for k, c in cols.items()}
        get = lambda k: (cell[k].value if cell.get(k) is not None else None)  # noqa: E731
        text = {k: _str(get(k)) for k in ("id", "kind", "indicator", "action", "responsible", "comment")}
        if not any(text.values()) and get("deadline") is None and get("follow_up") is None and not _str(get("status")):
            continue
        status = _status(get("status"), cell.get("status"), where)
        deadline = _date(get("deadline"), cell.get("deadline"), where, cached)
        follow_up = _date(get("follow_up"), cell.get("follow_up"), where, cached)
        m = IND_RE.match(text["indicator"] or "")
        ind_id = m.group(1) if m else ""
        kind = _kind(text["kind"])
        action = PlanAction(
            action_id=text["id"] or "", indicator_id=ind_id, domain_id=ind_id.split("-")[0] if ind_id else "",
            action=text["action"] or "", responsible=text["responsible"], deadline=deadline, status=status,
            follow_up=follow_up, comment=text["comment"], kind=kind,
        )
        if not action.action_id or action.action_id in seen:  # added by hand, or a copied row
            action.kind = KIND_OWN
            without_id.append(action)
        seen.add(action.action_id)
        actions.append(action)
    prefix = f"{meta.round}-EGEN" if meta.round else "EGEN"
    n = 0
    for action in without_id:
        n += 1
        while f"{prefix}-{n}" in seen:
            n += 1
        action.action_id = f"{prefix}-{n}"
        seen.add(action.action_id)
    return meta, actions


def _str(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def _kind(text: str | None) -> str:
    t = (text or "").strip().lower()
    for key in KIND_LABELS:
        if t == key:
            return key
    return KIND_BELOW if t else KIND_OWN


def _status(value, cell, where) -> str:
    text = _str(value)
    if text is None:
        return STATUSES[0]
    for s in STATUSES:
        if text.lower() == s.lower():
            return s
    raise SamordnaError(f"{where(cell)}: ukjent status «{text}». Bruk en av: {', '.join(STATUSES)}.")


_DATE_FORMATS = ("%d.%m.%Y", "%Y-%m-%d", "%d.%m.%y", "%d/%m/%Y", "%d/%m/%y")


def _date(value, cell, where, cached) -> date | None:
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
        got = cached(cell)
        if isinstance(got, (date, datetime)):
            return got.date() if isinstance(got, datetime) else got
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            pass
    raise SamordnaError(f"{where(cell)}: «{text}» er ikke en dato. Skriv datoen som dd.mm.åååå, for eksempel 01.03.2026.")


def previous_plan(ws, rnd) -> tuple[Path, list[PlanAction]] | None:
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
        return [f"Kunne ikke lese handlingsplanen fra forrige runde: {exc.render()}"]
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
            f"Handlingsplanen {path} ser ut til å være åpen i Excel eller LibreOffice (fant låsefilen {locks[0].name}). "
            "Lagre og lukk den, og prøv igjen. Ingenting er endret.", path=path)


def last_backup(path: Path) -> Path | None:
    found = sorted(Path(path).parent.glob(f"{Path(path).stem}.sikkerhetskopi-*{Path(path).suffix}"),
                   key=lambda p: p.stat().st_mtime)
    return found[-1] if found else None
