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

FORM_FORMAT = "samordna-skjema/1"
SHEET_GUIDE = "Veiledning"
SHEET_FORM = "Svar"
SHEET_LISTS = "Lister"
SHEET_META = "Samordna"
LEVEL_LIST_NAME = "Svarliste"
SECTOR_LIST_NAME = "Sektorliste"
STATUTORY_LIST_NAME = "Svarliste_lovpalagt"  # 0-4 and «Vet ikke»: no «Ikke relevant» on a legal duty
LEGAL_LIST_NAME = "Svarliste_juridisk"  # Ja, Nei, Vet ikke
LEGAL_HEADING_ID = "§"  # column A of the «Juridisk minimum» heading row (never a domain id)
LEGAL_HEADING = "Juridisk minimum: det loven krever"

CODE_CELL = "C3"
SECTOR_CELL = "C4"
HEADER_ROW = 7
FIRST_ROW = 8
COLUMNS = ("ID", "Påstand", "Forklaring", "Ditt svar", "Kommentar (valgfritt)")
COL_ID, COL_STATEMENT, COL_HELP, COL_ANSWER, COL_COMMENT = "A", "B", "C", "D", "E"

META_KEYS = ("format", "bank_id", "bank_version", "round", "municipality_number",
             "municipality", "participant", "fingerprint")


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
    parts += [label for _, label in answer_options(bank)]
    if bank.legal_minimum:  # only then: a 1.0 bank's forms keep their fingerprint
        parts += [label for _, label in legal_options(bank)]
    parts += [f"lovpålagt:{ind.id}" for ind in bank.indicators if ind.is_statutory]
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()[:20]


def metadata(bank: Bank, rnd: Any, code: str | None) -> dict[str, str]:
    ws = rnd.workspace
    return {
        "format": FORM_FORMAT, "bank_id": bank.id, "bank_version": bank.version, "round": rnd.id,
        "municipality_number": ws.number, "municipality": ws.name, "participant": code or "",
        "fingerprint": fingerprint(bank),
    }


def _norm(text: str) -> str:
    text = re.sub(r"\s+", " ", str(text).strip().lower())
    return re.sub(r"\s*[-‐‑‒–—]\s*", " – ", text)


def _labels(bank: Bank, legal: bool) -> dict[str, int | str]:
    """The dropdown labels, normalised, and their answers (a legal-minimum row also reads «Ja» and «Nei»)."""
    labels = answer_options(bank) + (legal_options(bank) if legal else [])
    return {_norm(label): v for v, label in labels}


def _parse(value: object, by_label: dict[str, int | str], legal: bool) -> int | str | None:
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
    if text in ("vi", "ir"):  # the short forms the paper form suggests
        return DONT_KNOW if text == "vi" else NOT_APPLICABLE
    if legal and text in ("j", "n"):
        return YES if text == "j" else NO
    return None


def parse_answer(value: object, bank: Bank, item_id: str | None = None) -> int | str | None:
    """A cell value from the dropdown (or a bare 0–4, VI, IR, J, N typed on a paper form); None if unreadable.

    With ``item_id`` a legal-minimum row also reads «Ja» and «Nei». Whether the value is allowed on
    that row (no «ikke relevant» on a statutory indicator, no level on a legal item) is ``Bank.allows``."""
    legal = item_id is not None and bank.is_legal(item_id)
    return _parse(value, _labels(bank, legal), legal)


class FormSpec:
    """What every form of one bank shares, worked out once for a whole import: the rows, the answered
    rows, the fingerprint and the dropdown labels. ``parse`` reads an answer as ``parse_answer`` does."""

    def __init__(self, bank: Bank) -> None:
        self.bank = bank
        self.rows = layout(bank)
        self.answered = [row for row in self.rows if row.answered]
        self.fingerprint = fingerprint(bank)
        self._labels = {legal: _labels(bank, legal) for legal in (False, True)}

    @property
    def last_row(self) -> int:
        return self.rows[-1].row

    def parse(self, value: object, row: Row) -> int | str | None:
        legal = row.kind == "legal"
        return _parse(value, self._labels[legal], legal)
