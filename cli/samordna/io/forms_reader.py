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
from samordna.i18n import LANGUAGES, _, in_language, n_, use_language
from samordna.io.form_layout import (
    CODE_CELL,
    COL_ANSWER,
    COL_COMMENT,
    COL_ID,
    COL_STATEMENT,
    COLUMNS,
    FORM_FORMAT,
    HEADER_ROW,
    LANGUAGE_KEY,
    LANGUAGE_ROW,
    META_KEYS,
    SECTOR_CELL,
    SHEET_FORM,
    SHEET_META,
    FormSpec,
    Row,
    form_language,
    form_sheet_names,
    form_sheet_title_in,
    in_all_languages,
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
    sheet: str = SHEET_FORM  # the name of the answer sheet in the file (in the form's language)

    @property
    def missing(self) -> int:
        return max(self.n_items - len(self.answers), 0)

    def partial_note(self) -> str:
        """«D12: 6 av 65 svar; 59 mangler (fil.xlsx)»."""
        return _("{code}: {n} av {total} svar; {missing} mangler ({file})").format(
            code=self.code, n=len(self.answers), total=self.n_items, missing=self.missing, file=self.path.name)


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


def cell_place(path: Path, sheet: str, cell: str) -> str:
    """«svarskjema.xlsx, ark «Svar», celle C7»: where in a workbook a problem is (every form reader says it so)."""
    return _("{file}, ark «{sheet}», celle {cell}").format(file=path.name, sheet=sheet, cell=cell)


def cell_text(value: Any) -> str:
    """A cell's value as the text a person typed: trimmed, a whole float without «.0», nothing as «»."""
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
    return cell_text(value), False


def _same_text(a: Any, b: Any) -> bool:
    return re.sub(r"\s+", " ", cell_text(a)) == re.sub(r"\s+", " ", cell_text(b))


def _read_meta(sheets: dict[str, Cells], path: Path, problems: list[str]) -> dict[str, str] | None:
    if SHEET_META not in sheets:
        problems.append(_("{file}: mangler det skjulte arket «{sheet}». Filen er ikke et svarskjema "
                          "fra samordna, eller strukturen er endret. Bruk et nytt skjema fra «samordna kit».").format(
                              file=path.name, sheet=SHEET_META))
        return None
    sheet = sheets[SHEET_META]
    meta: dict[str, str] = {}
    for r in range(1, len(META_KEYS) + 1):
        key = cell_text(sheet[f"A{r}"].value)
        if key != META_KEYS[r - 1]:
            problems.append(_("{where}: forventet «{expected}», fant «{found}». Det skjulte arket er endret.").format(
                where=cell_place(path, SHEET_META, f"A{r}"), expected=META_KEYS[r - 1], found=key))
            return None
        meta[key] = cell_text(sheet[f"B{r}"].value)
    if cell_text(sheet[f"A{LANGUAGE_ROW}"].value) == LANGUAGE_KEY:  # forms made before it was recorded have none
        meta[LANGUAGE_KEY] = cell_text(sheet[f"B{LANGUAGE_ROW}"].value)
    return meta


def _spec_for(meta: dict[str, str], rnd: Round, spec: FormSpec) -> FormSpec:
    """What a form made in another language is read with: the round's bank in the form's language (its
    statements, dropdown labels and fingerprint), made once per import and language, and only when a form needs it."""
    if meta["fingerprint"] in spec.fingerprints:
        return spec
    lang = form_language(meta)
    if lang not in spec.in_languages:
        with use_language(lang):
            bank = rnd.bank
        spec.in_languages[lang] = spec if bank is spec.bank else FormSpec(bank)
    return spec.in_languages[lang]


def _resolve_sector(rnd: Round, text: str, lang: str) -> str | None:
    """The sector id of ``text``: a sector's id or name in the current language, the form's, or any other."""
    sector = rnd.workspace.sectors.resolve(text)
    for code in (lang, *LANGUAGES):
        if sector is not None:
            break
        with use_language(code):
            sector = rnd.workspace.sectors.resolve(text)
    return sector


def _check_meta(meta: dict[str, str], rnd: Round, spec: FormSpec, path: Path, problems: list[str]) -> bool:
    bank = rnd.bank
    ws = rnd.workspace

    def where(key: str) -> str:
        return cell_place(path, SHEET_META, f"B{META_KEYS.index(key) + 1}")

    before = len(problems)
    if meta["format"] != FORM_FORMAT:
        problems.append(_("{where}: ukjent skjemaformat «{found}» (forventet {expected}).").format(
            where=where("format"), found=meta["format"], expected=FORM_FORMAT))
    elif (meta["bank_id"], meta["bank_version"]) != (bank.id, bank.version):
        problems.append(_("{where}: skjemaet er laget for spørsmålsbanken {bank_id} {version}, men runde {round} "
                          "bruker {bank}.").format(where=where("bank_version"), bank_id=meta["bank_id"],
                                                   version=meta["bank_version"], round=rnd.id, bank=bank.label))
    elif meta["fingerprint"] not in spec.fingerprints:
        problems.append(_("{where}: skjemaets struktur stemmer ikke med banken {bank} "
                          "(fingeravtrykket er endret). Bruk et nytt skjema fra «samordna kit».").format(
                              where=where("fingerprint"), bank=bank.label))
    if meta["municipality_number"] != ws.number:
        problems.append(_("{where}: skjemaet gjelder kommunenummer {found}, men arbeidsområdet er {name} "
                          "({number}).").format(where=where("municipality_number"),
                                                found=meta["municipality_number"] or _("(tomt)"),
                                                name=ws.name, number=ws.number))
    if meta["round"] != rnd.id:
        problems.append(_("{where}: skjemaet er laget for runde {found}, men du importerer til runde {round}. "
                          "Bruk --round {found}.").format(where=where("round"), found=meta["round"], round=rnd.id)
                        if meta["round"] else _("{where}: runden mangler.").format(where=where("round")))
    return len(problems) == before


def _check_structure(sheet: Cells, spec: FormSpec, path: Path, name: str, lang: str) -> list[str]:
    """The header and the rows must be as ``kit`` wrote them (a moved row would give answers to the wrong statement).

    ``name`` is the form sheet's name in the file, ``lang`` the language the form was made in (the headers
    are read in any language; a problem names the header as the form's language writes it)."""
    problems: list[str] = []
    for i, title in enumerate(COLUMNS):
        cell = f"{'ABCDE'[i]}{HEADER_ROW}"
        if not any(_same_text(sheet[cell].value, t) for t in in_all_languages(title)):
            problems.append(_("{where}: overskriften skal være «{title}», fant «{found}». Strukturen er endret.").format(
                where=cell_place(path, name, cell), title=in_language(lang, title), found=cell_text(sheet[cell].value)))
    rows = spec.rows
    for row in rows:
        cell = f"{COL_ID}{row.row}"
        if cell_text(sheet[cell].value) != row.id:
            problems.append(_("{where}: forventet «{expected}», fant «{found}». Rader er flyttet, satt inn eller "
                              "slettet.").format(where=cell_place(path, name, cell), expected=row.id,
                                                 found=cell_text(sheet[cell].value)))
        elif row.answered and not any(_same_text(sheet[f"{COL_STATEMENT}{row.row}"].value, _statement(b, row))
                                      for b in spec.banks):
            where = cell_place(path, name, f"{COL_STATEMENT}{row.row}")
            problems.append(_("{where}: spørsmålet for {id} er endret. Svaret kan ikke brukes.").format(
                where=where, id=row.id) if row.kind == "legal"
                else _("{where}: påstanden for {id} er endret. Svaret kan ikke brukes.").format(where=where, id=row.id))
    extra = cell_text(sheet[f"{COL_ID}{rows[-1].row + 1}"].value)
    if extra:
        problems.append(_("{where}: uventet rad «{found}» etter siste påstand. Strukturen er endret.").format(
            where=cell_place(path, name, f"{COL_ID}{rows[-1].row + 1}"), found=extra))
    return problems


def _statement(bank: Bank, row: Row) -> str:
    return bank.legal_by_id[row.id].question if row.kind == "legal" else bank.indicator_by_id[row.id].statement


def _refusal(bank: Bank, row: Row, raw: str, value: int | str | None) -> str:
    """Why ``raw`` cannot be the answer on ``row`` (the message after «file, sheet, cell: »)."""
    if row.kind == "legal":
        return _("«{value}» er ikke et svar på {id} i det juridiske minimumet. "
                 "Velg «Ja», «Nei» eller «Vet ikke».").format(value=raw, id=row.id)
    ind = bank.indicator_by_id[row.id]
    if value == NOT_APPLICABLE and ind.is_statutory:
        laws = [bank.source_by_id[s].citation or bank.source_by_id[s].short
                for s in ind.statutory if s in bank.source_by_id]
        if laws:
            return _("«{value}» kan ikke brukes på {id}: det er en lovpålagt plikt ({laws}), som gjelder alle "
                     "kommuner. Velg 0–4 eller «Vet ikke».").format(value=raw, id=row.id, laws="; ".join(laws))
        return _("«{value}» kan ikke brukes på {id}: det er en lovpålagt plikt, som gjelder alle kommuner. "
                 "Velg 0–4 eller «Vet ikke».").format(value=raw, id=row.id)
    if ind.is_statutory:
        return _("«{value}» er ikke et svar i listen. Velg 0–4 eller «Vet ikke».").format(value=raw)
    return _("«{value}» er ikke et svar i listen. Velg 0–4, «Vet ikke» eller «Ikke relevant».").format(value=raw)


def _read_identity(sheet: Cells, meta: dict[str, str], rnd: Round, path: Path, problems: list[str],
                   name: str = SHEET_FORM) -> tuple[str, str | None]:
    """The participant code and the sector id (None when missing or unknown; the problem is added)."""
    code = cell_text(sheet[CODE_CELL].value)
    where = cell_place(path, name, CODE_CELL)
    if meta["participant"]:
        if code != meta["participant"]:
            problems.append(_("{where}: deltakerkoden er endret fra «{old}» til «{new}». Strukturen er endret.").format(
                where=where, old=meta["participant"], new=code))
    elif not code:
        problems.append(_("{where}: skriv deltakerkoden fra lappen (for eksempel {example}), aldri navn.").format(
            where=where, example=EXAMPLE))
    elif problem := participant_code_problem(rnd, code):  # the blank form: the same rule as «assess»
        problems.append(f"{where}: {problem}.")
    sector_text = cell_text(sheet[SECTOR_CELL].value)
    sector = _resolve_sector(rnd, sector_text, form_language(meta)) if sector_text else None
    where = cell_place(path, name, SECTOR_CELL)
    if not sector_text:
        problems.append(_("{where}: sektor mangler. Velg sektor fra listen.").format(where=where))
    elif sector is None:
        problems.append(_("{where}: «{sector}» er ikke en sektor i listen.").format(where=where, sector=sector_text))
    return code, sector


def _read_answers(sheet: Cells, spec: FormSpec, path: Path, problems: list[str],
                  warnings: list[str], name: str = SHEET_FORM) -> tuple[dict[str, Answer], int]:
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
            warnings.append(_("{where}: kommentaren begynner med «=» og ble lagret som en formel i regnearket. "
                              "Den er tatt vare på som tekst, slik den ble skrevet: «{comment}».").format(
                                  where=cell_place(path, name, c_cell), comment=comment))
        level = None
        if cell_text(raw):
            level = spec.parse(raw, row)
            if level is None or not bank.allows(row.id, level):
                problems.append(f"{cell_place(path, name, a_cell)}: {_refusal(bank, row, cell_text(raw), level)}")
                continue
        if comment:
            screening = screen_text(comment)
            problems += [f"{cell_place(path, name, c_cell)}: {reason}" for reason in screening.blocked]
            warnings += [f"{cell_place(path, name, c_cell)}: {reason}" for reason in screening.warnings]
            if level is None:
                problems.append(_("{where}: kommentar uten svar til {id}. Velg et svar i {cell} (eventuelt "
                                  "«{dont_know}»), så kommentaren ikke går tapt.").format(
                                      where=cell_place(path, name, c_cell), id=row.id, cell=a_cell,
                                      dont_know=bank.scale.label(DONT_KNOW)))
                continue
            n_comments += 1
        if level is not None:
            answers[row.id] = Answer(level=level, comment=comment)
    if not answers and not problems:
        first, last = rows[0].row, rows[-1].row
        problems.append(_("{where}: skjemaet er tomt (ingen svar).").format(
            where=cell_place(path, name, f"{COL_ANSWER}{first}:{COL_ANSWER}{last}")))
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
    if kind == "ods":
        return _("{file}: skjemaet er lagret i LibreOffice sitt eget format (.ods), som samordna ikke leser. "
                 "Åpne filen i LibreOffice, velg Fil → Lagre som …, velg filtypen «Excel 2007-365 (.xlsx)» "
                 "og trykk Lagre. Svar «Bruk Excel 2007-365!» når LibreOffice spør om formatet. "
                 "Importer så {stem}.xlsx.").format(file=path.name, stem=path.stem)
    return _("{file}: skjemaet er lagret i det gamle Excel-formatet (.xls), som samordna ikke leser. "
             "Åpne filen i Excel eller LibreOffice, velg Fil → Lagre som …, velg filtypen "
             "«Excel-arbeidsbok (.xlsx)» (i LibreOffice: «Excel 2007-365 (.xlsx)») og trykk Lagre. "
             "Importer så {stem}.xlsx.").format(file=path.name, stem=path.stem)


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
    form_size = (spec.last_row + 1, len(COLUMNS))
    try:  # streamed, formulas as written (a typed formula is kept as text), no further than the form reaches
        _names, sheets = read_sheets(path, {SHEET_META: (LANGUAGE_ROW, 2),  # the «Svar» sheet in any language
                                            **dict.fromkeys(form_sheet_names(), form_size)})
    except SamordnaError as exc:
        return None, [exc.message], []
    meta = _read_meta(sheets, path, problems)
    if meta is None:
        return None, problems, warnings
    spec = _spec_for(meta, rnd, spec)  # a form in another language: the bank in that language
    if not _check_meta(meta, rnd, spec, path, problems):
        return None, problems, warnings
    lang = form_language(meta)
    name = form_sheet_title_in(lang)
    if name not in sheets:  # the form's own name first; else the sheet in another language
        name = next((n for n in sheets if n != SHEET_META), name)
    if name not in sheets:
        return None, [_("{file}: mangler arket «{sheet}». Strukturen er endret.").format(
            file=path.name, sheet=form_sheet_title_in(lang))], warnings
    sheet = sheets[name]
    problems = _check_structure(sheet, spec, path, name, lang)
    if problems:
        return None, problems, warnings
    code, sector = _read_identity(sheet, meta, rnd, path, problems, name)
    answers, n_comments = _read_answers(sheet, spec, path, problems, warnings, name)
    if problems or sector is None:
        return None, problems, warnings
    return FormData(path, code, sector, answers, n_comments, len(spec.answered), name), problems, warnings


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
        raise SamordnaError(_("Ingen skjema å importere. Oppgi en eller flere .xlsx-filer."))
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
            problems.append(_("{where}: deltakerkoden {code} finnes også i {other}. Hver deltaker skal ha sin "
                              "egen kode.").format(where=cell_place(form.path, form.sheet, CODE_CELL), code=form.code,
                                                   other=seen[form.code].name))
            continue
        seen[form.code] = form.path
        plan.forms.append(form)
    if problems:
        raise SamordnaError(
            n_("Ingenting er importert: {n} feil i skjemaene. Rett feilene og importer alle på nytt.",
               "Ingenting er importert: {n} feil i skjemaene. Rett feilene og importer alle på nytt.",
               len(problems)).format(n=len(problems)),
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
            raise SamordnaError(_("Ukjent sektor «{sector}» i {file}.").format(sector=form.sector, file=form.path))
        pfs.append(pf)
    with rnd.workspace.lock("samordna import"):
        existing = plan.existing
        if existing and not replace:
            raise SamordnaError(
                _("Ingenting er importert: runde {round} har allerede svar fra {codes}. "
                  "Bruk --replace for å erstatte dem.").format(round=rnd.id, codes=", ".join(existing))
            )
        return rnd.save_participants(pfs)
