"""Read filled answer forms back (``outputs.forms`` writes them; ``io.form_layout`` says where everything is).

Importing is all or nothing: every form is read and checked first; only when
none has a problem are the participant files written.

A form saved in LibreOffice's own format (.ods) or as an old Excel file (.xls) is refused with the steps
to save it as .xlsx (no light, well-kept library reads .ods safely). A partly filled form is read, and
``ImportPlan.partial`` says how many answers it lacks, so the command can ask before anything is written.
A formula typed in a comment (``=SUM(A1)``) is kept as the text that was typed, with a note: the workbook
is read with formulas as written, never with the values a spreadsheet computed from them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from samordna.core.answers import DONT_KNOW, NOT_APPLICABLE
from samordna.core.bank import Bank
from samordna.core.codes import EXAMPLE
from samordna.core.errors import SamordnaError
from samordna.core.models import Answer, ParticipantFile
from samordna.core.privacy import screen_text
from samordna.io.form_layout import (
    CODE_CELL,
    COL_ANSWER,
    COL_COMMENT,
    COL_ID,
    COL_STATEMENT,
    COLUMNS,
    FORM_FORMAT,
    HEADER_ROW,
    META_KEYS,
    SECTOR_CELL,
    SHEET_FORM,
    SHEET_META,
    FormSpec,
    Row,
)
from samordna.io.pins import participant_code_problem
from samordna.io.workspace import Round
from samordna.io.xlsx import Cells, import_openpyxl, read_sheets

# --- reading ---------------------------------------------------------------------


@dataclass
class FormData:
    path: Path
    code: str
    sector: str
    answers: dict[str, Answer]
    n_comments: int
    n_items: int = 0  # how many items the form asks about (the legal minimum and the statements)

    @property
    def missing(self) -> int:
        return max(self.n_items - len(self.answers), 0)

    def partial_note(self) -> str:
        """«D12: 6 av 65 svar; 59 mangler (fil.xlsx)»."""
        return f"{self.code}: {len(self.answers)} av {self.n_items} svar; {self.missing} mangler ({self.path.name})"


@dataclass
class ImportPlan:
    round: Round
    forms: list[FormData] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def existing(self) -> list[str]:
        have = set(self.round.participant_codes())
        return [f.code for f in self.forms if f.code in have]

    @property
    def partial(self) -> list[FormData]:
        """The forms with some answers, but not all (an empty form is refused while reading)."""
        return [f for f in self.forms if f.missing]


def _where(path: Path, sheet: str, cell: str) -> str:
    return f"{path.name}, ark «{sheet}», celle {cell}"


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _typed_text(cell: Any) -> tuple[str, bool]:
    """The text a person typed in ``cell``, and whether the spreadsheet stored it as a formula.

    The workbook is opened with formulas as written, so ``=SUM(A1)`` reads as that text (an array
    formula as its formula text), never as the value the spreadsheet computed, or as nothing."""
    value = cell.value
    if getattr(cell, "data_type", None) == "f":
        text = value if isinstance(value, str) else getattr(value, "text", None) or ""
        text = text.strip()
        return (text if text.startswith("=") or not text else f"={text}"), True
    return _text(value), False


def _same_text(a: Any, b: Any) -> bool:
    return re.sub(r"\s+", " ", _text(a)) == re.sub(r"\s+", " ", _text(b))


def _read_meta(sheets: dict[str, Cells], path: Path, problems: list[str]) -> dict[str, str] | None:
    if SHEET_META not in sheets:
        problems.append(f"{path.name}: mangler det skjulte arket «{SHEET_META}». Filen er ikke et svarskjema "
                        "fra samordna, eller strukturen er endret. Bruk et nytt skjema fra «samordna kit».")
        return None
    sheet = sheets[SHEET_META]
    meta: dict[str, str] = {}
    for r in range(1, len(META_KEYS) + 1):
        key = _text(sheet[f"A{r}"].value)
        if key != META_KEYS[r - 1]:
            problems.append(f"{_where(path, SHEET_META, f'A{r}')}: forventet «{META_KEYS[r - 1]}», fant «{key}». "
                            "Det skjulte arket er endret.")
            return None
        meta[key] = _text(sheet[f"B{r}"].value)
    return meta


def _check_meta(meta: dict[str, str], rnd: Round, spec: FormSpec, path: Path, problems: list[str]) -> bool:
    bank = rnd.bank
    ws = rnd.workspace

    def where(key: str) -> str:
        return _where(path, SHEET_META, f"B{META_KEYS.index(key) + 1}")

    before = len(problems)
    if meta["format"] != FORM_FORMAT:
        problems.append(f"{where('format')}: ukjent skjemaformat «{meta['format']}» (forventet {FORM_FORMAT}).")
    elif (meta["bank_id"], meta["bank_version"]) != (bank.id, bank.version):
        problems.append(f"{where('bank_version')}: skjemaet er laget for spørsmålsbanken {meta['bank_id']} "
                        f"{meta['bank_version']}, men runde {rnd.id} bruker {bank.label}.")
    elif meta["fingerprint"] != spec.fingerprint:
        problems.append(f"{where('fingerprint')}: skjemaets struktur stemmer ikke med banken {bank.label} "
                        "(fingeravtrykket er endret). Bruk et nytt skjema fra «samordna kit».")
    if meta["municipality_number"] != ws.number:
        problems.append(f"{where('municipality_number')}: skjemaet gjelder kommunenummer "
                        f"{meta['municipality_number'] or '(tomt)'}, men arbeidsområdet er {ws.name} ({ws.number}).")
    if meta["round"] != rnd.id:
        problems.append(f"{where('round')}: skjemaet er laget for runde {meta['round'] or '(tom)'}, "
                        f"men du importerer til runde {rnd.id}. Bruk --round {meta['round']}."
                        if meta["round"] else f"{where('round')}: runden mangler.")
    return len(problems) == before


def _check_structure(sheet: Cells, spec: FormSpec, path: Path) -> list[str]:
    """The header and the rows must be as ``kit`` wrote them (a moved row would give answers to the wrong statement)."""
    problems: list[str] = []
    for i, title in enumerate(COLUMNS):
        cell = f"{'ABCDE'[i]}{HEADER_ROW}"
        if not _same_text(sheet[cell].value, title):
            problems.append(f"{_where(path, SHEET_FORM, cell)}: overskriften skal være «{title}», "
                            f"fant «{_text(sheet[cell].value)}». Strukturen er endret.")
    bank, rows = spec.bank, spec.rows
    for row in rows:
        cell = f"{COL_ID}{row.row}"
        if _text(sheet[cell].value) != row.id:
            problems.append(f"{_where(path, SHEET_FORM, cell)}: forventet «{row.id}», fant "
                            f"«{_text(sheet[cell].value)}». Rader er flyttet, satt inn eller slettet.")
        elif row.answered and not _same_text(sheet[f"{COL_STATEMENT}{row.row}"].value, _statement(bank, row)):
            what = "spørsmålet" if row.kind == "legal" else "påstanden"
            problems.append(f"{_where(path, SHEET_FORM, f'{COL_STATEMENT}{row.row}')}: {what} for {row.id} "
                            "er endret. Svaret kan ikke brukes.")
    extra = _text(sheet[f"{COL_ID}{rows[-1].row + 1}"].value)
    if extra:
        problems.append(f"{_where(path, SHEET_FORM, f'{COL_ID}{rows[-1].row + 1}')}: uventet rad «{extra}» "
                        "etter siste påstand. Strukturen er endret.")
    return problems


def _statement(bank: Bank, row: Row) -> str:
    return bank.legal_by_id[row.id].question if row.kind == "legal" else bank.indicator_by_id[row.id].statement


def _refusal(bank: Bank, row: Row, raw: str, value: int | str | None) -> str:
    """Why ``raw`` cannot be the answer on ``row`` (the message after «file, sheet, cell: »)."""
    if row.kind == "legal":
        return (f"«{raw}» er ikke et svar på {row.id} i det juridiske minimumet. "
                "Velg «Ja», «Nei» eller «Vet ikke».")
    ind = bank.indicator_by_id[row.id]
    if value == NOT_APPLICABLE and ind.is_statutory:
        laws = [bank.source_by_id[s].citation or bank.source_by_id[s].short
                for s in ind.statutory if s in bank.source_by_id]
        duty = f" ({'; '.join(laws)})" if laws else ""
        return (f"«{raw}» kan ikke brukes på {row.id}: det er en lovpålagt plikt{duty}, som gjelder alle kommuner. "
                "Velg 0–4 eller «Vet ikke».")
    if ind.is_statutory:
        return f"«{raw}» er ikke et svar i listen. Velg 0–4 eller «Vet ikke»."
    return f"«{raw}» er ikke et svar i listen. Velg 0–4, «Vet ikke» eller «Ikke relevant»."


def _read_identity(sheet: Cells, meta: dict[str, str], rnd: Round, path: Path, problems: list[str]) -> tuple[str, str | None]:
    """The participant code and the sector id (None when missing or unknown; the problem is added)."""
    code = _text(sheet[CODE_CELL].value)
    if meta["participant"]:
        if code != meta["participant"]:
            problems.append(f"{_where(path, SHEET_FORM, CODE_CELL)}: deltakerkoden er endret fra "
                            f"«{meta['participant']}» til «{code}». Strukturen er endret.")
    elif not code:
        problems.append(f"{_where(path, SHEET_FORM, CODE_CELL)}: skriv deltakerkoden fra lappen "
                        f"(for eksempel {EXAMPLE}), aldri navn.")
    elif problem := participant_code_problem(rnd, code):  # the blank form: the same rule as «assess»
        problems.append(f"{_where(path, SHEET_FORM, CODE_CELL)}: {problem}.")
    sector_text = _text(sheet[SECTOR_CELL].value)
    sector = rnd.workspace.sectors.resolve(sector_text) if sector_text else None
    if not sector_text:
        problems.append(f"{_where(path, SHEET_FORM, SECTOR_CELL)}: sektor mangler. Velg sektor fra listen.")
    elif sector is None:
        problems.append(f"{_where(path, SHEET_FORM, SECTOR_CELL)}: «{sector_text}» er ikke en sektor i listen.")
    return code, sector


def _read_answers(sheet: Cells, spec: FormSpec, path: Path, problems: list[str],
                  warnings: list[str]) -> tuple[dict[str, Answer], int]:
    """The answers and comments, screened; returns (answers, number of comments)."""
    answers: dict[str, Answer] = {}
    n_comments = 0
    bank, rows = spec.bank, spec.answered
    for row in rows:
        a_cell, c_cell = f"{COL_ANSWER}{row.row}", f"{COL_COMMENT}{row.row}"
        raw = sheet[a_cell].value
        typed, formula = _typed_text(sheet[c_cell])
        comment = typed or None
        if formula and comment:
            warnings.append(f"{_where(path, SHEET_FORM, c_cell)}: kommentaren begynner med «=» og ble lagret som "
                            f"en formel i regnearket. Den er tatt vare på som tekst, slik den ble skrevet: «{comment}».")
        level = None
        if _text(raw):
            level = spec.parse(raw, row)
            if level is None or not bank.allows(row.id, level):
                problems.append(f"{_where(path, SHEET_FORM, a_cell)}: {_refusal(bank, row, _text(raw), level)}")
                continue
        if comment:
            screening = screen_text(comment)
            problems += [f"{_where(path, SHEET_FORM, c_cell)}: {reason}" for reason in screening.blocked]
            warnings += [f"{_where(path, SHEET_FORM, c_cell)}: {reason}" for reason in screening.warnings]
            if level is None:
                problems.append(f"{_where(path, SHEET_FORM, c_cell)}: kommentar uten svar til {row.id}. "
                                f"Velg et svar i {a_cell} (eventuelt «{bank.scale.label(DONT_KNOW)}»), "
                                "så kommentaren ikke går tapt.")
                continue
            n_comments += 1
        if level is not None:
            answers[row.id] = Answer(level=level, comment=comment)
    if not answers and not problems:
        first, last = rows[0].row, rows[-1].row
        problems.append(f"{_where(path, SHEET_FORM, f'{COL_ANSWER}{first}:{COL_ANSWER}{last}')}: skjemaet er tomt "
                        "(ingen svar).")
    return answers, n_comments


_ODS_SUFFIXES = (".ods", ".ots", ".fods")
_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an old Excel file (.xls, 97–2003)


def _saved_as(path: Path) -> str | None:
    """«ods» or «xls» when ``path`` is a spreadsheet in a format we do not read (by its name or its first bytes)."""
    suffix = path.suffix.lower()
    if suffix in _ODS_SUFFIXES:
        return "ods"
    if suffix in (".xls", ".xlt"):
        return "xls"
    try:
        with path.open("rb") as fh:
            head = fh.read(256)
    except OSError:
        return None  # the ordinary reader words the problem
    if head.startswith(b"PK") and _ODS_MIMETYPE in head:  # ODF puts its mimetype first, uncompressed
        return "ods"
    if head.startswith(_OLE_MAGIC):
        return "xls"
    return None


def save_as_xlsx_advice(path: Path, kind: str) -> str:
    """Why ``path`` cannot be read, and the exact steps to save it as .xlsx."""
    what = ("er lagret i LibreOffice sitt eget format (.ods), som samordna ikke leser" if kind == "ods"
            else "er lagret i det gamle Excel-formatet (.xls), som samordna ikke leser")
    if kind == "ods":
        steps = ("Åpne filen i LibreOffice, velg Fil → Lagre som …, velg filtypen «Excel 2007-365 (.xlsx)» "
                 "og trykk Lagre. Svar «Bruk Excel 2007-365!» når LibreOffice spør om formatet.")
    else:
        steps = ("Åpne filen i Excel eller LibreOffice, velg Fil → Lagre som …, velg filtypen "
                 "«Excel-arbeidsbok (.xlsx)» (i LibreOffice: «Excel 2007-365 (.xlsx)») og trykk Lagre.")
    return f"{path.name}: skjemaet {what}. {steps} Importer så {path.stem}.xlsx."


def read_form(path: Path, rnd: Round, spec: FormSpec | None = None) -> tuple[FormData | None, list[str], list[str]]:
    """Read one filled form. Returns (data or None, problems, warnings); never writes.

    ``spec`` is what all forms of the round's bank share (``read_forms`` works it out once for all files)."""
    path = Path(path)
    spec = spec or FormSpec(rnd.bank)
    problems: list[str] = []
    warnings: list[str] = []
    kind = _saved_as(path) if path.is_file() else None
    if kind:
        return None, [save_as_xlsx_advice(path, kind)], []
    try:  # streamed, formulas as written (a typed formula is kept as text), no further than the form reaches
        _, sheets = read_sheets(path, {SHEET_META: (len(META_KEYS), 2),
                                       SHEET_FORM: (spec.last_row + 1, len(COLUMNS))})
    except SamordnaError as exc:
        return None, [exc.message], []
    meta = _read_meta(sheets, path, problems)
    if meta is None or not _check_meta(meta, rnd, spec, path, problems):
        return None, problems, warnings
    if SHEET_FORM not in sheets:
        return None, [f"{path.name}: mangler arket «{SHEET_FORM}». Strukturen er endret."], warnings
    sheet = sheets[SHEET_FORM]
    problems = _check_structure(sheet, spec, path)
    if problems:
        return None, problems, warnings
    code, sector = _read_identity(sheet, meta, rnd, path, problems)
    answers, n_comments = _read_answers(sheet, spec, path, problems, warnings)
    if problems or sector is None:
        return None, problems, warnings
    return FormData(path, code, sector, answers, n_comments, len(spec.answered)), problems, warnings


PARALLEL_FROM = 12  # forms; fewer are read here, one by one
_SHARED: tuple[Round, FormSpec] | None = None  # what the worker processes inherit


def _read_in_worker(path: Path) -> tuple[FormData | None, list[str], list[str]]:
    assert _SHARED is not None
    return read_form(path, *_SHARED)


def _ignore_interrupt() -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the main process's to handle (nothing is written)


def _read_all(rnd: Round, spec: FormSpec, paths: list[Path]) -> list[tuple[FormData | None, list[str], list[str]]]:
    """``read_form`` for every path, in order. Many forms are read on every core at once, in processes forked
    from this one (they only read); where a process cannot be forked (Windows), one by one."""
    import multiprocessing
    import os

    workers = min(os.cpu_count() or 1, len(paths) // (PARALLEL_FROM // 2) or 1)
    if len(paths) < PARALLEL_FROM or workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [read_form(path, rnd, spec) for path in paths]
    global _SHARED
    _SHARED = (rnd, spec)
    try:  # on leaving (done, Ctrl+C or an error) the pool's processes are ended at once
        with multiprocessing.get_context("fork").Pool(workers, initializer=_ignore_interrupt) as pool:
            return pool.map(_read_in_worker, paths, chunksize=max(1, len(paths) // (workers * 4)))
    finally:
        _SHARED = None


def read_forms(rnd: Round, paths: list[Path]) -> ImportPlan:
    """Read and check every form; raise one SamordnaError listing every problem in every file."""
    if not paths:
        raise SamordnaError("Ingen skjema å importere. Oppgi en eller flere .xlsx-filer.")
    import_openpyxl()  # here, before the processes that read are forked: once, and without numpy
    plan = ImportPlan(rnd)
    problems: list[str] = []
    seen: dict[str, Path] = {}
    spec = FormSpec(rnd.bank)  # the rows, fingerprint and answer lists: the same for every form
    for form, probs, warns in _read_all(rnd, spec, [Path(p) for p in paths]):
        problems += probs
        plan.warnings += warns
        if form is None:
            continue
        if form.code in seen:
            problems.append(f"{form.path.name}, ark «{SHEET_FORM}», celle {CODE_CELL}: deltakerkoden {form.code} "
                            f"finnes også i {seen[form.code].name}. Hver deltaker skal ha sin egen kode.")
            continue
        seen[form.code] = form.path
        plan.forms.append(form)
    if problems:
        raise SamordnaError(
            f"Ingenting er importert: {len(problems)} feil i skjemaene. Rett feilene og importer alle på nytt.",
            problems=problems,
        )
    return plan


def apply_import(plan: ImportPlan, replace: bool = False) -> list[Path]:
    """Write the participant files, all or nothing. Refuses to replace existing participants unless ``replace``.

    «Already has answers» is checked under the workspace lock, right before writing: of two imports
    of the same participant, the second refuses (without ``replace``) instead of overwriting the first.
    """
    rnd = plan.round
    sectors = rnd.workspace.sectors
    pfs: list[ParticipantFile] = []
    for form in plan.forms:
        pf = rnd.new_participant(form.code, form.sector, source="skjema")
        pf.answers = form.answers
        if form.sector not in sectors.by_id:  # pragma: no cover - resolved while reading
            raise SamordnaError(f"Ukjent sektor «{form.sector}» i {form.path}.")
        pfs.append(pf)
    with rnd.workspace.lock("samordna import"):
        existing = plan.existing
        if existing and not replace:
            raise SamordnaError(
                f"Ingenting er importert: runde {rnd.id} har allerede svar fra {', '.join(existing)}. "
                "Bruk --replace for å erstatte dem."
            )
        return rnd.save_participants(pfs)
