"""The mirror's Excel forms: where everything is (shared by the writer, ``outputs.mirror_kit``) and reading
them back (``samordna import``).

A mirror form is a blank form per role (young people, parents), copied once per person: it has no code and
no name field. Its hidden sheet («Samordna», as on the leaders' forms) says it is a mirror form
(``MIRROR_FORMAT``), for which role, municipality and round, and which companion bank (id, version) in which
language, with a fingerprint of the statements in order. A form is read all or nothing: every problem names
the file, the sheet and the cell.

Copies of one blank form cannot carry an id of their own, so a filled form is known by its content: the
key of a response is a hash of the file's bytes and of what was read from the sheet (``MirrorFormData.key``),
and the response's file name in the round is made from that key. Importing the same file twice (or a copy of
it) therefore stores it once. Two people's files are never the same bytes (the spreadsheet records when each
was saved), so two equal sets of answers from two people are both kept.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from samordna.core.errors import SamordnaError
from samordna.core.mirror import AGE_BANDS, DONT_KNOW, LEVELS, ROLES, YOUNG, MirrorBank
from samordna.core.privacy import mask_ids
from samordna.i18n import LANGUAGES, N_, _, in_language
from samordna.io.form_layout import SHEET_META, form_language, form_sheet_names, form_sheet_title_in
from samordna.io.forms_reader import cell_place, cell_text

MIRROR_FORMAT = "samordna-speil/1"
SHEET_LISTS = "Lister"
ANSWER_LIST_NAME = "Speil_svar"
AGE_LIST_NAME = "Speil_alder"

META_KEYS = ("format", "role", "bank_id", "bank_version", "round", "municipality_number", "language",
             "fingerprint")

AGE_CELL = "D4"  # young people only: the age band, from a dropdown
HEADER_ROW = 6
FIRST_ROW = 7
COLUMNS = (N_("ID"), N_("Nr."), N_("Påstand"), N_("Ditt svar"))
COL_ID, COL_NUMBER, COL_STATEMENT, COL_ANSWER = "A", "B", "C", "D"
N_COLUMNS = len(COLUMNS)

DONT_KNOW_TEXT = N_("Vet ikke")
_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # as io.mirrorfile's response ids


def age_label(band: str) -> str:
    """«13–15» (with an en dash) for the age band «13-15»."""
    return band.replace("-", "–")


def answer_options(bank: MirrorBank) -> list[tuple[int | str, str]]:
    """The dropdown: «0 – Stemmer ikke» … «4 – Stemmer helt», «Vet ikke»."""
    return [(v, bank.label(v)) for v in (*LEVELS, DONT_KNOW)]


def fingerprint(bank: MirrorBank, role: str) -> str:
    """What makes two mirror forms alike: the format, the bank and version, the role, the statements in order."""
    parts = [MIRROR_FORMAT, bank.id, bank.version, role, *(s.id for s in bank.statements)]
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:20]


def metadata(bank: MirrorBank, role: str, round_id: str, municipality_number: str, language: str) -> dict[str, str]:
    return {"format": MIRROR_FORMAT, "role": role, "bank_id": bank.id, "bank_version": bank.version,
            "round": round_id, "municipality_number": municipality_number, "language": language,
            "fingerprint": fingerprint(bank, role)}


def statement_row(index: int) -> int:
    """The sheet row of the ``index``-th statement (0-based)."""
    return FIRST_ROW + index


def mirror_form_filename(role: str) -> str:
    return f"speilet-{role}.xlsx"


# --- reading -----------------------------------------------------------------------------------


@dataclass
class MirrorFormData:
    path: Path
    sheet: str
    role: str
    age_band: str | None
    answers: dict[str, int | str]
    language: str
    key: str  # a hash of the file's bytes and of what was read (see the module docstring)
    n_items: int = 0

    @property
    def response_id(self) -> str:
        """The response's id in the round («S» and seven characters), made from ``key``."""
        number = int(self.key, 16)
        chars = []
        for _i in range(7):
            number, k = divmod(number, len(_ALPHABET))
            chars.append(_ALPHABET[k])
        return "S" + "".join(chars)


@dataclass
class MirrorImport:
    forms: list[MirrorFormData] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    repeated: list[Path] = field(default_factory=list)  # the same file (or a copy) given twice in one call


_where = cell_place  # the same words for a place in a workbook as the leaders' forms
_text = cell_text


def _norm(text: str) -> str:
    text = re.sub(r"\s+", " ", str(text).strip().lower())
    return re.sub(r"\s*[-‐‑‒–—]\s*", "-", text)


def is_mirror_form(path: Path) -> bool:
    """True when ``path`` is an xlsx whose hidden sheet says it is a mirror form (anything unreadable: False,
    and the leaders' reader words the problem)."""
    from samordna.io.xlsx import read_sheets

    try:
        _names, sheets = read_sheets(Path(path), {SHEET_META: (1, 2)})
    except (SamordnaError, OSError):
        return False
    meta = sheets.get(SHEET_META)
    return meta is not None and _text(meta["A1"].value) == "format" and _text(meta["B1"].value) == MIRROR_FORMAT


def _labels(banks: list[MirrorBank]) -> dict[str, int | str]:
    """Every spelling of an answer a form may hold: the dropdown of the bank in each language, «Vet ikke» in
    each language, and a bare 0–4."""
    out: dict[str, int | str] = {}
    for bank in banks:
        for v, label in answer_options(bank):
            out.setdefault(_norm(label), v)
        out.setdefault(_norm(bank.dont_know), DONT_KNOW)
    for code in LANGUAGES:
        out.setdefault(_norm(in_language(code, DONT_KNOW_TEXT)), DONT_KNOW)
    for lv in LEVELS:
        out.setdefault(str(lv), lv)
    return out


def _parse(value: Any, labels: dict[str, int | str]) -> int | str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return int(value) if float(value).is_integer() and int(value) in LEVELS else None
    return labels.get(_norm(value)) if isinstance(value, str) else None


def _age(value: Any) -> str | None:
    text = _norm(_text(value)).replace(" ", "")
    return text if text in AGE_BANDS else None


def read_mirror_form(path: Path, round_id: str, municipality_number: str,
                     bank_in: Any) -> tuple[MirrorFormData | None, list[str]]:
    """Read one filled mirror form; (data, []) or (None, problems). Never writes.

    ``bank_in(language)`` gives the companion bank in a language (``io.mirrorfile.shipped_mirror_bank``)."""
    from samordna.io.xlsx import read_sheets

    path = Path(path)
    source: MirrorBank = bank_in("nb")
    n = len(source.statements)
    size = (FIRST_ROW + n, N_COLUMNS)
    try:
        _names, sheets = read_sheets(path, {SHEET_META: (len(META_KEYS), 2), **dict.fromkeys(form_sheet_names(), size)})
    except SamordnaError as exc:
        return None, [exc.message]
    meta_sheet = sheets.get(SHEET_META)
    if meta_sheet is None:
        return None, [_("{file}: mangler det skjulte arket «{sheet}». Filen er ikke et skjema fra samordna.").format(
            file=path.name, sheet=SHEET_META)]
    meta: dict[str, str] = {}
    for r, key in enumerate(META_KEYS, start=1):
        found = _text(meta_sheet[f"A{r}"].value)
        if found != key:
            return None, [_("{where}: forventet «{expected}», fant «{found}». Det skjulte arket er endret.").format(
                where=_where(path, SHEET_META, f"A{r}"), expected=key, found=found)]
        meta[key] = _text(meta_sheet[f"B{r}"].value)

    def where_meta(key: str) -> str:
        return _where(path, SHEET_META, f"B{META_KEYS.index(key) + 1}")

    problems: list[str] = []
    role = meta["role"]
    if meta["format"] != MIRROR_FORMAT:
        problems.append(_("{where}: ukjent skjemaformat «{found}» (forventet {expected}).").format(
            where=where_meta("format"), found=meta["format"], expected=MIRROR_FORMAT))
    elif role not in ROLES:
        problems.append(_("{where}: ukjent rolle «{role}». Det skjulte arket er endret.").format(
            where=where_meta("role"), role=role))
    elif (meta["bank_id"], meta["bank_version"]) != (source.id, source.version):
        problems.append(_("{where}: skjemaet er laget for speilbanken {found}, men samordna har nå {bank}. "
                          "Bruk et nytt skjema fra «samordna kit --speil».").format(
                              where=where_meta("bank_version"), found=f"{meta['bank_id']} {meta['bank_version']}",
                              bank=f"{source.id} {source.version}"))
    elif meta["fingerprint"] != fingerprint(source, role):
        problems.append(_("{where}: skjemaets struktur stemmer ikke med speilbanken (fingeravtrykket er endret). "
                          "Bruk et nytt skjema fra «samordna kit --speil».").format(where=where_meta("fingerprint")))
    if meta["municipality_number"] != municipality_number:
        problems.append(_("{where}: skjemaet gjelder kommunenummer {found}, men arbeidsområdet har {number}.").format(
            where=where_meta("municipality_number"), found=meta["municipality_number"] or _("(tomt)"),
            number=municipality_number))
    if meta["round"] != round_id:
        problems.append(_("{where}: skjemaet er laget for runde {found}, men du importerer til runde {round}. "
                          "Bruk --round {found}.").format(where=where_meta("round"), found=meta["round"], round=round_id))
    if problems:
        return None, problems
    lang = form_language(meta)
    name = form_sheet_title_in(lang)
    if name not in sheets:
        name = next((s for s in sheets if s != SHEET_META), name)
    if name not in sheets:
        return None, [_("{file}: mangler arket «{sheet}». Strukturen er endret.").format(
            file=path.name, sheet=form_sheet_title_in(lang))]
    sheet = sheets[name]
    banks = [bank_in(lang), *(bank_in(code) for code in LANGUAGES if code != lang)]
    labels = _labels(banks)
    age_band: str | None = None
    if role == YOUNG:
        raw_age = _text(sheet[AGE_CELL].value)
        age_band = _age(raw_age)
        if not raw_age:
            problems.append(_("{where}: aldersgruppe mangler. Velg 13–15, 16–18 eller 19–24 fra listen.").format(
                where=_where(path, name, AGE_CELL)))
        elif age_band is None:
            problems.append(_("{where}: «{value}» er ikke en aldersgruppe. Velg 13–15, 16–18 eller 19–24.").format(
                where=_where(path, name, AGE_CELL), value=raw_age))
    answers: dict[str, int | str] = {}
    for i, st in enumerate(source.statements):
        r = statement_row(i)
        found = _text(sheet[f"{COL_ID}{r}"].value)
        if found != st.id:
            problems.append(_("{where}: forventet «{expected}», fant «{found}». Rader er flyttet, satt inn eller "
                              "slettet.").format(where=_where(path, name, f"{COL_ID}{r}"), expected=st.id, found=found))
            continue
        texts = {re.sub(r"\s+", " ", b.statement_by_id[st.id].text(role)) for b in banks if st.id in b.statement_by_id}
        if re.sub(r"\s+", " ", _text(sheet[f"{COL_STATEMENT}{r}"].value)) not in texts:
            problems.append(_("{where}: påstanden for {id} er endret. Svaret kan ikke brukes.").format(
                where=_where(path, name, f"{COL_STATEMENT}{r}"), id=st.id))
            continue
        raw = sheet[f"{COL_ANSWER}{r}"].value
        if not _text(raw):
            continue
        value = _parse(raw, labels)
        if value is None:
            problems.append(_("{where}: «{value}» er ikke et svar i listen. Velg 0–4 eller «Vet ikke».").format(
                where=_where(path, name, f"{COL_ANSWER}{r}"), value=_text(raw)))
            continue
        answers[st.id] = value
    extra = _text(sheet[f"{COL_ID}{statement_row(n)}"].value)
    if extra:
        problems.append(_("{where}: uventet rad «{found}» etter siste påstand. Strukturen er endret.").format(
            where=_where(path, name, f"{COL_ID}{statement_row(n)}"), found=extra))
    if not answers and not problems:
        problems.append(_("{where}: skjemaet er tomt (ingen svar).").format(
            where=_where(path, name, f"{COL_ANSWER}{FIRST_ROW}:{COL_ANSWER}{statement_row(n - 1)}")))
    if problems:
        return None, problems
    key = _key(path, role, age_band, answers)
    return MirrorFormData(path, name, role, age_band, answers, lang, key, n), []


def _key(path: Path, role: str, age_band: str | None, answers: dict[str, int | str]) -> str:
    h = hashlib.sha256()
    h.update(path.read_bytes())
    h.update(b"\0")
    h.update(f"{role}|{age_band or ''}|".encode())
    h.update("|".join(f"{k}={v}" for k, v in sorted(answers.items())).encode())
    return h.hexdigest()


def read_mirror_forms(paths: list[Path], round_id: str, municipality_number: str, bank_in: Any) -> MirrorImport:
    """Read every mirror form; the problems of all of them, and the same file given twice noted once."""
    out = MirrorImport()
    seen: set[str] = set()
    for path in paths:
        form, problems = read_mirror_form(path, round_id, municipality_number, bank_in)
        problems = [mask_ids(problem) for problem in problems]  # what a cell held is echoed, never an identity number
        out.problems += problems
        if form is None:
            continue
        if form.key in seen:
            out.repeated.append(form.path)
            continue
        seen.add(form.key)
        out.forms.append(form)
    return out

