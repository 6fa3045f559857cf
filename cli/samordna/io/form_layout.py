"""The answer form's layout, shared by the form writer (``outputs.forms``) and reader (``io.forms_reader``).

Each form carries a hidden sheet with the bank id and version, the round, the
municipality, the participant code and a fingerprint of the structure (the
indicator ids in order), so a form for another bank, another round or with rows
moved is refused with the file, sheet and cell.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any

from samordna.core.answers import DONT_KNOW, LEVELS, NOT_APPLICABLE
from samordna.core.bank import Bank

FORM_FORMAT = "samordna-skjema/1"
SHEET_GUIDE = "Veiledning"
SHEET_FORM = "Svar"
SHEET_LISTS = "Lister"
SHEET_META = "Samordna"
LEVEL_LIST_NAME = "Svarliste"
SECTOR_LIST_NAME = "Sektorliste"

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


@dataclass(frozen=True)
class Row:
    row: int
    kind: str  # "domain" | "indicator"
    id: str


def layout(bank: Bank) -> list[Row]:
    """Which row holds which domain heading and indicator; the same for every form of a bank."""
    rows: list[Row] = []
    r = FIRST_ROW
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


def parse_answer(value: object, bank: Bank) -> int | str | None:
    """A cell value from the dropdown (or a bare 0–4 typed from a paper form); None if not in the list."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return int(value) if float(value).is_integer() and int(value) in LEVELS else None
    if not isinstance(value, str):
        return None
    text = _norm(value)
    by_label = {_norm(label): v for v, label in answer_options(bank)}
    if text in by_label:
        return by_label[text]
    if re.fullmatch(r"[0-4]", text):
        return int(text)
    if text in ("vi", "ir"):  # the short forms the paper form suggests
        return DONT_KNOW if text == "vi" else NOT_APPLICABLE
    return None
