"""The answer form's layout, shared by the form writer (``outputs.forms``) and reader (``io.forms_reader``).

Each form carries a hidden sheet with the bank id and version, the round, the
municipality, the participant code and a fingerprint of the structure (the
indicator ids in order), so a form for another bank, another round or with rows
moved is refused with the file, sheet and cell.

A bank with a legal minimum (2.0 and later) gets a «Juridisk minimum» block first,
answered Ja / Nei / Vet ikke from its own dropdown; statutory indicators get a
dropdown without «Ikke relevant». A bank without either gets exactly the form it
always had (same rows, same lists, same fingerprint), so forms already handed out
for a 1.0 round still import.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any

from samordna.core.answers import DONT_KNOW, LEVELS, NO, NOT_APPLICABLE, YES
from samordna.core.bank import Bank, Indicator
from samordna.i18n import LANGUAGES, N_, SOURCE, check_language, in_language, language, p_, use_language

FORM_FORMAT = "samordna-skjema/1"
# The visible sheets are named in the form's language (``form_sheet_title()``, ``_(SHEET_GUIDE)``; the reader
# looks for the answer sheet's name in every language). The hidden sheets keep their names: the defined names
# point at «Lister», and «Samordna» is the program's name.
SHEET_GUIDE = N_("Veiledning")
SHEET_FORM = "Svar"  # in bokmål; form_sheet_title() in the language of the moment
SHEET_LISTS = "Lister"
SHEET_META = "Samordna"
LEVEL_LIST_NAME = "Svarliste"
SECTOR_LIST_NAME = "Sektorliste"
STATUTORY_LIST_NAME = "Svarliste_lovpalagt"  # 0-4 and «Vet ikke»: no «Ikke relevant» on a legal duty
LEGAL_LIST_NAME = "Svarliste_juridisk"  # Ja, Nei, Vet ikke
LEGAL_HEADING_ID = "§"  # column A of the «Juridisk minimum» heading row (never a domain id)
LEGAL_HEADING = N_("Juridisk minimum: det loven krever")

CODE_CELL = "C3"
SECTOR_CELL = "C4"
HEADER_ROW = 7
FIRST_ROW = 8
COLUMNS = (N_("ID"), N_("Påstand"), N_("Forklaring"), N_("Ditt svar"), N_("Kommentar (valgfritt)"))
COL_ID, COL_STATEMENT, COL_HELP, COL_ANSWER, COL_COMMENT = "A", "B", "C", "D", "E"

META_KEYS = ("format", "bank_id", "bank_version", "round", "municipality_number",
             "municipality", "participant", "fingerprint")
# The form's language, in the row after META_KEYS (forms made before it was written have none: bokmål).
LANGUAGE_KEY = "language"
LANGUAGE_ROW = len(META_KEYS) + 1

# The answers' spellings in the program's own catalog, so a form made in any language reads back (a bank's own
# labels are accepted too, whatever language the bank is in).
DONT_KNOW_TEXT = N_("Vet ikke")
NOT_APPLICABLE_TEXT = N_("Ikke relevant")
YES_TEXT = N_("Ja")
NO_TEXT = N_("Nei")
LEVEL_NAMES = (N_("Ikke på plass"), N_("Påbegynt"), N_("Delvis på plass"), N_("På plass"),
               N_("På plass og fulgt opp"))  # the shipped banks' scale
# The short answers the paper form prints in its box headers, also accepted typed in a form's answer cell.
DONT_KNOW_SHORT = N_("VI")
NOT_APPLICABLE_SHORT = N_("IR")


def in_all_languages(message: str) -> set[str]:
    """``message`` (bokmål) as each language writes it."""
    return {in_language(code, message) for code in LANGUAGES}


def form_sheet_title() -> str:
    """The name of the answer sheet («Svar») in the current language (a context of its own: «Svar» is also a
    column heading elsewhere, which may be translated otherwise)."""
    return p_("regnearkfane", "Svar")


def form_sheet_title_in(code: str) -> str:
    """The name of the answer sheet in the language ``code``."""
    with use_language(code):
        return form_sheet_title()


def form_sheet_names() -> set[str]:
    """The name of the «Svar» sheet in every language (a form is read whatever language it was made in)."""
    return {form_sheet_title_in(code) for code in LANGUAGES}


def form_language(meta: dict[str, str]) -> str:
    """The language a form was made in, from its metadata (an old form without one, or an unknown code: bokmål)."""
    try:
        return check_language(meta.get(LANGUAGE_KEY) or SOURCE)
    except ValueError:
        return SOURCE


def answer_options(bank: Bank) -> list[tuple[int | str, str]]:
    """The dropdown: «0 – Ikke på plass» … «4 – På plass og fulgt opp», «Vet ikke», «Ikke relevant»."""
    values: list[int | str] = [*LEVELS, DONT_KNOW, NOT_APPLICABLE]
    return [(v, bank.scale.label(v)) for v in values]


def statutory_options(bank: Bank) -> list[tuple[int | str, str]]:
    """The dropdown of a statutory indicator: 0–4 and «Vet ikke» (a legal duty is never «ikke relevant»)."""
    return [(v, label) for v, label in answer_options(bank) if v != NOT_APPLICABLE]


def legal_options(bank: Bank) -> list[tuple[int | str, str]]:
    """The dropdown of the legal minimum: «Ja», «Nei», «Vet ikke»."""
    return [(v, bank.scale.label(v)) for v in (YES, NO, DONT_KNOW)]


def options_for(bank: Bank, item_id: str) -> list[tuple[int | str, str]]:
    """The answers the form offers for ``item_id`` (the same rule as ``Bank.allows``)."""
    if bank.is_legal(item_id):
        return legal_options(bank)
    ind = bank.indicator_by_id.get(item_id)
    return statutory_options(bank) if ind is not None and ind.is_statutory else answer_options(bank)


def list_name_for(bank: Bank, item_id: str) -> str:
    """The defined name of the dropdown list for ``item_id``'s answer cell."""
    if bank.is_legal(item_id):
        return LEGAL_LIST_NAME
    ind = bank.indicator_by_id.get(item_id)
    return STATUTORY_LIST_NAME if ind is not None and ind.is_statutory else LEVEL_LIST_NAME


def has_statutory(bank: Bank) -> bool:
    return any(ind.is_statutory for ind in bank.indicators)


def level_lines(bank: Bank, ind: Indicator) -> list[str]:
    """The indicator's own words for each level, «0 – Ikke på plass: …» (empty when it has none)."""
    if not ind.levels:
        return []
    return [f"{lv} – {bank.scale.name(lv)}: {ind.levels[lv]}" for lv in LEVELS]


@dataclass(frozen=True)
class Row:
    row: int
    kind: str  # "legal_heading" | "legal" | "domain" | "indicator"
    id: str

    @property
    def answered(self) -> bool:
        """A row with an answer cell (an indicator or a legal-minimum item)."""
        return self.kind in ("indicator", "legal")


def layout(bank: Bank) -> list[Row]:
    """Which row holds which heading, legal item and indicator; the same for every form of a bank."""
    rows: list[Row] = []
    r = FIRST_ROW
    if bank.legal_minimum:
        rows.append(Row(r, "legal_heading", LEGAL_HEADING_ID))
        r += 1
        for item in bank.legal_minimum:
            rows.append(Row(r, "legal", item.id))
            r += 1
    for dom in bank.domains:
        rows.append(Row(r, "domain", dom.id))
        r += 1
        for ind in dom.indicators:
            rows.append(Row(r, "indicator", ind.id))
            r += 1
    return rows


def fingerprint(bank: Bank) -> str:
    """A short hash of what makes two forms compatible: bank, version, rows in order, the answer list."""
    parts = [FORM_FORMAT, bank.id, bank.version]
    parts += [f"{row.kind}:{row.id}" for row in layout(bank)]
    parts += [label for _v, label in answer_options(bank)]
    if bank.legal_minimum:  # only then: a 1.0 bank's forms keep their fingerprint
        parts += [label for _v, label in legal_options(bank)]
    parts += [f"lovpålagt:{ind.id}" for ind in bank.indicators if ind.is_statutory]
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:20]


def metadata(bank: Bank, rnd: Any, code: str | None) -> dict[str, str]:
    """What the hidden sheet records: META_KEYS, and the language the form is written in (``LANGUAGE_KEY``)."""
    ws = rnd.workspace
    return {
        "format": FORM_FORMAT, "bank_id": bank.id, "bank_version": bank.version, "round": rnd.id,
        "municipality_number": ws.number, "municipality": ws.name, "participant": code or "",
        "fingerprint": fingerprint(bank), LANGUAGE_KEY: language(),
    }


def _norm(text: str) -> str:
    text = re.sub(r"\s+", " ", str(text).strip().lower())
    return re.sub(r"\s*[-‐‑‒–—]\s*", " – ", text)


def _catalog_labels(legal: bool, scale_names: list[str]) -> list[tuple[int | str, str]]:
    """The answers as the program's catalog writes them in each language: «0 – Ikkje på plass», «Don't know» …
    (a level only where the bank's scale is the shipped one: a bank with its own level names keeps them)."""
    specials: list[tuple[int | str, str]] = [(DONT_KNOW, DONT_KNOW_TEXT), (NOT_APPLICABLE, NOT_APPLICABLE_TEXT)]
    if legal:
        specials += [(YES, YES_TEXT), (NO, NO_TEXT)]
    out: list[tuple[int | str, str]] = []
    for code in LANGUAGES:
        out += [(lv, f"{lv} – {in_language(code, LEVEL_NAMES[lv])}") for lv in LEVELS
                if scale_names[lv] == LEVEL_NAMES[lv]]
        out += [(v, in_language(code, text)) for v, text in specials]
    return out


def _labels(bank: Bank, legal: bool, others: tuple[Bank, ...] = ()) -> dict[str, int | str]:
    """The dropdown labels, normalised, and their answers (a legal-minimum row also reads «Ja» and «Nei»):
    the bank's own, those of ``others`` (the bank in other languages), and the catalog's in every language."""
    labels: list[tuple[int | str, str]] = []
    for b in (bank, *others):
        labels += answer_options(b) + (legal_options(b) if legal else [])
    labels += _catalog_labels(legal, [bank.scale.name(lv) for lv in LEVELS])
    out: dict[str, int | str] = {}
    for v, label in labels:
        out.setdefault(_norm(label), v)  # the bank's own label wins (it is what the dropdown offers)
    return out


def _shorts(legal: bool) -> dict[str, int | str]:
    """The short answers a paper form suggests («VI», «IR», and on the legal minimum «J», «N»), in every language."""
    out: dict[str, int | str] = {}
    for code in LANGUAGES:
        out.setdefault(_norm(in_language(code, DONT_KNOW_SHORT)), DONT_KNOW)
        out.setdefault(_norm(in_language(code, NOT_APPLICABLE_SHORT)), NOT_APPLICABLE)
        if legal:
            out.setdefault(_norm(in_language(code, YES_TEXT))[:1], YES)
            out.setdefault(_norm(in_language(code, NO_TEXT))[:1], NO)
    return out


def _parse(value: object, by_label: dict[str, int | str], shorts: dict[str, int | str]) -> int | str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return int(value) if float(value).is_integer() and int(value) in LEVELS else None
    if not isinstance(value, str):
        return None
    text = _norm(value)
    if text in by_label:
        return by_label[text]
    if re.fullmatch(r"[0-4]", text):
        return int(text)
    return shorts.get(text)  # the short forms the paper form suggests (VI, IR; J, N on the legal minimum)


def parse_answer(value: object, bank: Bank, item_id: str | None = None) -> int | str | None:
    """A cell value from the dropdown (or a bare 0–4, VI, IR, J, N typed on a paper form); None if unreadable.

    With ``item_id`` a legal-minimum row also reads «Ja» and «Nei». Whether the value is allowed on
    that row (no «ikke relevant» on a statutory indicator, no level on a legal item) is ``Bank.allows``."""
    legal = item_id is not None and bank.is_legal(item_id)
    return _parse(value, _labels(bank, legal), _shorts(legal))


class FormSpec:
    """What every form of one bank shares, worked out once for a whole import: the rows, the answered
    rows, the fingerprint and the dropdown labels. ``parse`` reads an answer as ``parse_answer`` does.

    ``translations`` is the same bank in other languages, where the caller has it: a form written with one
    of them (its statements and dropdown labels in that language) is read as a form of ``bank``."""

    def __init__(self, bank: Bank, translations: tuple[Bank, ...] = ()) -> None:
        self.bank = bank
        self.banks = (bank, *translations)
        self.rows = layout(bank)
        self.answered = [row for row in self.rows if row.answered]
        self.fingerprint = fingerprint(bank)
        self.fingerprints = {fingerprint(b) for b in self.banks}
        self._labels = {legal: _labels(bank, legal, tuple(translations)) for legal in (False, True)}
        self._shorts = {legal: _shorts(legal) for legal in (False, True)}
        self.in_languages: dict[str, FormSpec] = {}  # the same bank in another language, made when a form needs it

    @property
    def last_row(self) -> int:
        return self.rows[-1].row

    def parse(self, value: object, row: Row) -> int | str | None:
        legal = row.kind == "legal"
        return _parse(value, self._labels[legal], self._shorts[legal])
