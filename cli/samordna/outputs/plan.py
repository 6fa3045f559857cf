"""The action plan (handlingsplan): an Excel workbook the municipality keeps editing.

``write_plan`` builds the plan for a round from the results and merges what
people typed into an existing file: responsible, deadline, status, follow-up,
comment and edited action texts are carried over by action id; new actions are
added; rows no longer relevant are kept and marked. A new round's plan starts
from the previous round's plan: unfinished actions for indicators still below
target carry their fields over, with a note where they came from.

The sheets are drawn in ``plan_sheets``; this module holds the model, the
reading and the merge.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path

from ..errors import FileLockedError, SamordnaError
from ..fsutil import backup_file

FORMAT = "samordna-handlingsplan/1"
STATUSES = ["Ikke startet", "Pågår", "Fullført", "Utsatt", "Avbrutt"]
DONE = ("Fullført", "Avbrutt")

KIND_PRIORITY = "prioritert"
KIND_BELOW = "under mål"
KIND_STALE = "ikke lenger aktuell"
KIND_OWN = "eget tiltak"  # a row someone added by hand (no action id from samordna)
KIND_LABELS = {KIND_PRIORITY: "Prioritert", KIND_BELOW: "Under mål", KIND_STALE: "Ikke lenger aktuell", KIND_OWN: "Eget tiltak"}

PLAN_SHEET = "Handlingsplan"
LIST_SHEET = "Lister"

# key, header, width; the order is the order of the columns in «Handlingsplan».
COLUMNS = [
    ("id", "Tiltak-ID", 15),
    ("kind", "Type", 12),
    ("domain", "Område", 17),
    ("indicator", "Indikator", 26),
    ("level", "Nivå nå", 7),
    ("target", "Mål", 6),
    ("gap", "Gap", 6),
    ("action", "Tiltak", 46),
    ("responsible", "Ansvarlig", 22),
    ("deadline", "Frist", 11),
    ("status", "Status", 12),
    ("follow_up", "Neste oppfølging", 11),
    ("comment", "Kommentar", 34),
    ("basis", "Forankring", 26),
    ("previous", "Fra forrige plan", 22),
]
COL = {key: i + 1 for i, (key, _, _) in enumerate(COLUMNS)}
_HEADER_KEY = {header.lower(): key for key, header, _ in COLUMNS}
_IND_RE = re.compile(r"^([A-ZÆØÅ][A-ZÆØÅ0-9]*(?:-[A-ZÆØÅ0-9]+)+)\b")


@dataclass
class PlanAction:
    action_id: str
    indicator_id: str
    domain_id: str
    action: str
    responsible: str | None
    deadline: date | None
    status: str
    follow_up: date | None
    comment: str | None
    kind: str  # "prioritert" | "under mål" | "ikke lenger aktuell" (| "eget tiltak" for rows added by hand)


@dataclass
class PlanRow:
    """One line of the plan as written: the action plus what samordna computes around it."""

    action: PlanAction
    domain_name: str = ""
    indicator_text: str = ""
    level: float | None = None
    target: int | None = None
    gap: float | None = None
    basis: str = ""
    previous: str = ""


@dataclass
class PlanMeta:
    format: str | None = None
    round: str | None = None
    municipality: str | None = None


@dataclass
class PlanBuild:
    """Everything the sheets need, computed before anything is written."""

    ws: object
    rnd: object
    result: object
    rows: list[PlanRow]
    history: list = field(default_factory=list)  # RoundResult of earlier rounds (oldest first)
    previous: tuple[Path, str, list[PlanAction]] | None = None  # path, round id, actions
    roles: list[str] = field(default_factory=list)
    today: date = field(default_factory=date.today)


# --- reading ----------------------------------------------------------------------


def read_plan(path: Path) -> list[PlanAction]:
    """The actions in a plan workbook, as people left them. Raises SamordnaError naming sheet and cell."""
    return _read(Path(path))[1]


def _read(path: Path) -> tuple[PlanMeta, list[PlanAction]]:
    from ..outputs.excel import load_workbook_safely

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
        key = _HEADER_KEY.get(str(cell.value or "").strip().lower())
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
        m = _IND_RE.match(text["indicator"] or "")
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


def status_counts(actions: list[PlanAction]) -> dict[str, int]:
    return {s: sum(1 for a in actions if a.status == s) for s in STATUSES}


def previous_plan_lines(ws, rnd) -> list[str]:
    """What was done in the previous round's plan: counts per status and the unfinished actions."""
    try:
        found = previous_plan(ws, rnd)
    except SamordnaError as exc:  # a broken old plan must not stop a new round
        return [f"Kunne ikke lese handlingsplanen fra forrige runde: {exc.render()}"]
    if found is None:
        return []
    path, actions = found
    counts = status_counts(actions)
    lines = [f"Handlingsplanen fra forrige runde ({path.name}): {len(actions)} tiltak – "
             + ", ".join(f"{n} {s.lower()}" for s, n in counts.items() if n) + "."]
    open_ = [a for a in actions if a.status not in DONE]
    started = [a for a in open_ if a.status != STATUSES[0] or a.responsible]
    if open_:
        lines.append("Ikke ferdig:")
        for a in started:
            who = f", {a.responsible}" if a.responsible else ""
            lines.append(f"  {a.action_id} ({a.status}{who}): {_shorten(a.action)}")
        rest = len(open_) - len(started)
        if rest:
            lines.append(f"  … og {rest} tiltak som ikke er startet og ikke har noen ansvarlig.")
        lines.append("Den nye handlingsplanen (samordna plan) starter fra de uferdige tiltakene.")
    return lines


def _shorten(text: str, n: int = 70) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


# --- building the rows ------------------------------------------------------------


def _basis(bank, indicator) -> str:
    sources = [bank.source_by_id[r] for r in indicator.references if r in bank.source_by_id]
    main = [s for s in sources if s.kind in ("recommendation", "duty", "law")]
    return "; ".join(s.short for s in (main or sources))


def _generated(rnd, result) -> list[PlanRow]:
    """The rows the round's results call for: all suggested actions for each priority, then the
    first suggested action for every other indicator below target (largest gap × weight first)."""
    bank = rnd.bank
    chosen = [i for i in result.chosen_priorities if i in bank.indicator_by_id]
    others = [p.id for p in result.priorities if p.id not in chosen]
    rows = []
    for ind_id, kind in [(i, KIND_PRIORITY) for i in chosen] + [(i, KIND_BELOW) for i in others]:
        ind = bank.indicator_by_id[ind_id]
        texts = ind.actions if kind == KIND_PRIORITY else ind.actions[:1]
        for k, text in enumerate(texts, start=1):
            rows.append(_row(bank, result, PlanAction(
                action_id=f"{rnd.id}-{ind_id}-{k}", indicator_id=ind_id, domain_id=bank.domain_of[ind_id].id,
                action=text, responsible=None, deadline=None, status=STATUSES[0], follow_up=None, comment=None,
                kind=kind)))
    return rows


def _row(bank, result, action: PlanAction) -> PlanRow:
    row = PlanRow(action=action)
    ind = bank.indicator_by_id.get(action.indicator_id)
    if ind is None:
        row.indicator_text = action.indicator_id
        return row
    dom = bank.domain_of[ind.id]
    action.domain_id = dom.id
    r = result.indicator(ind.id)
    row.domain_name, row.indicator_text = dom.name, f"{ind.id} {ind.short}"
    row.level, row.target, row.gap = r.level, r.target, r.gap
    row.basis = _basis(bank, ind)
    return row


def _take_user_fields(row: PlanRow, src: PlanAction) -> None:
    a = row.action
    a.action = src.action or a.action
    a.responsible, a.deadline, a.status = src.responsible, src.deadline, src.status
    a.follow_up, a.comment = src.follow_up, src.comment


def merge_rows(rnd, result, existing: list[PlanAction],
               previous: tuple[str, list[PlanAction]] | None) -> list[PlanRow]:
    """The plan's rows: generated rows with what people typed carried over (by action id), then
    unfinished actions from the previous plan, rows added by hand, and rows no longer relevant."""
    bank = rnd.bank
    rows = _generated(rnd, result)
    kind_of = {r.action.indicator_id: r.action.kind for r in rows}
    by_id = {a.action_id: a for a in existing}
    prev_by_new: dict[str, PlanAction] = {}
    if previous:
        prev_round, prev_actions = previous
        for p in prev_actions:
            suffix = p.action_id.removeprefix(f"{prev_round}-")
            ok = p.indicator_id and re.fullmatch(re.escape(p.indicator_id) + r"-\d+", suffix)
            prev_by_new[f"{rnd.id}-{suffix}" if ok else f"{rnd.id}-FRA-{p.action_id}"] = p
    # unfinished previous actions for indicators still below target that the defaults do not cover
    generated_ids = {r.action.action_id for r in rows}
    for new_id, p in prev_by_new.items():
        if new_id in generated_ids or p.status in DONE or p.indicator_id not in kind_of:
            continue
        extra = _row(bank, result, replace(p, action_id=new_id, kind=kind_of[p.indicator_id]))
        last = max(i for i, r in enumerate(rows) if r.action.indicator_id == p.indicator_id)
        rows.insert(last + 1, extra)
    for row in rows:
        a = row.action
        p = prev_by_new.get(a.action_id)
        if p is not None:
            row.previous = (f"{p.action_id}: {p.status}" if p.status in DONE
                            else f"Videreført fra {p.action_id} ({p.status})")
        if a.action_id in by_id:
            _take_user_fields(row, by_id.pop(a.action_id))
        elif p is not None and p.status not in DONE:
            _take_user_fields(row, p)
    own = [a for a in by_id.values() if a.kind == KIND_OWN]
    stale = [replace(a, kind=KIND_STALE) for a in by_id.values() if a.kind != KIND_OWN]
    for a in own + stale:
        row = _row(bank, result, a) if a.indicator_id in bank.indicator_by_id else PlanRow(action=a, indicator_text=a.indicator_id)
        rows.append(row)
    return rows


# --- writing ----------------------------------------------------------------------


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


def build_plan(ws, rnd, out: Path | None = None, today: date | None = None) -> PlanBuild:
    """Read and check everything the plan needs; nothing is written."""
    from ..privacy import screen_text
    from ..results import workspace_results
    from ..workspace import load_roles

    out = Path(out) if out else rnd.plan_path
    history = [r for r in workspace_results(ws) if r.year <= rnd.year]
    result = next(r for r in history if r.round == rnd.id)
    existing: list[PlanAction] = []
    if out.exists():
        meta, existing = _read(out)
        if meta.round and meta.round != rnd.id:
            raise SamordnaError(
                f"{out} er handlingsplanen for runde {meta.round}, ikke runde {rnd.id}. "
                "Velg en annen fil med --out, eller riktig runde med --round. Ingenting er endret.", path=out)
    found = previous_plan(ws, rnd)
    previous = None
    if found:
        previous = (found[0], ws.previous_round(rnd).id, found[1])
    rows = merge_rows(rnd, result, existing, (previous[1], previous[2]) if previous else None)
    headers = {k: h for k, h, _ in COLUMNS}
    problems = [f"Tiltak {row.action.action_id}, kolonnen «{headers[key]}»: teksten ser ut til å inneholde et "
                "fødselsnummer eller D-nummer. Fjern det i Excel og prøv igjen."
                for row in rows for key in ("action", "comment", "responsible")
                if not screen_text(getattr(row.action, key)).ok]
    if problems:
        raise SamordnaError(f"Handlingsplanen {out} kan ikke lages på nytt:", path=out, problems=problems)
    return PlanBuild(ws=ws, rnd=rnd, result=result, rows=rows, history=history[:-1], previous=previous,
                     roles=load_roles(), today=today or date.today())


def write_plan(ws, rnd, out: Path | None = None, *, today: date | None = None) -> Path:
    """Write (or regenerate) the round's action plan; an existing file is backed up first."""
    from .excel import save_workbook_atomically
    from .plan_sheets import render_workbook

    out = Path(out) if out else rnd.plan_path
    check_not_open(out)
    build = build_plan(ws, rnd, out, today)
    wb = render_workbook(build)
    if out.exists():
        backup_file(out)
    return save_workbook_atomically(wb, out)


def last_backup(path: Path) -> Path | None:
    found = sorted(Path(path).parent.glob(f"{Path(path).stem}.sikkerhetskopi-*{Path(path).suffix}"),
                   key=lambda p: p.stat().st_mtime)
    return found[-1] if found else None
