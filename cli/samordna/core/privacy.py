"""Screening of free text for personal data (taushetsplikt).

Comments must never carry a national identity number. Anything that looks like
a fødselsnummer or D-number (11 digits with valid check digits) is refused;
e-mail addresses and phone numbers get a warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_K1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
_K2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)

# 11 digits, possibly written 6+5 with a space, dot or dash, and the birth date
# itself possibly written as a date (15.05.90 12345, 15 05 90-12345)
# (a lookahead, so overlapping candidates are all tried)
_FNR_RE = re.compile(r"(?<!\d)(?=(\d{2}[ .-]?\d{2}[ .-]?\d{2})[ .-]?(\d{5})(?!\d))")
_EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_PHONE_RE = re.compile(r"(?<![\d])(?:\+47[ ]?|0047[ ]?)?(?:\d[ ]?){7}\d(?![\d])")


def _check_digits_ok(digits: str) -> bool:
    """The two check digits of an 11-digit number (modulus 11)."""
    d = [int(c) for c in digits]
    k1 = 11 - sum(a * b for a, b in zip(_K1, d[:9], strict=True)) % 11
    k1 = 0 if k1 == 11 else k1
    if k1 == 10 or k1 != d[9]:
        return False
    k2 = 11 - sum(a * b for a, b in zip(_K2, d[:10], strict=True)) % 11
    k2 = 0 if k2 == 11 else k2
    return k2 != 10 and k2 == d[10]


def _plausible_date(digits: str) -> bool:
    day, month = int(digits[0:2]), int(digits[2:4])
    if day > 40:  # D-number: day + 40
        day -= 40
    if month > 40:  # H-number / test numbers: month + 40 (or + 80 for synthetic)
        month -= 40
    if month > 40:
        month -= 40
    return 1 <= day <= 31 and 1 <= month <= 12


def is_national_id(digits: str) -> bool:
    """True for an 11-digit fødselsnummer or D-number with valid check digits."""
    return len(digits) == 11 and digits.isdigit() and _plausible_date(digits) and _check_digits_ok(digits)


@dataclass
class Screening:
    blocked: list[str] = field(default_factory=list)   # reasons the text must be rephrased
    warnings: list[str] = field(default_factory=list)  # reasons to think twice

    @property
    def ok(self) -> bool:
        return not self.blocked


def screen_text(text: str | None) -> Screening:
    result = Screening()
    if not text:
        return result
    for m in _FNR_RE.finditer(text):
        if is_national_id(re.sub(r"\D", "", m.group(1)) + m.group(2)):
            result.blocked.append(
                "Teksten ser ut til å inneholde et fødselsnummer eller D-nummer. "
                "Kommentarer må aldri kunne knyttes til et barn, en familie eller en kollega (taushetsplikt). "
                "Skriv om uten nummeret."
            )
            break
    if _EMAIL_RE.search(text):
        result.warnings.append("Teksten inneholder en e-postadresse. Trengs den? Unngå opplysninger som peker på en person.")
    stripped = _EMAIL_RE.sub("", text)
    for m in _PHONE_RE.finditer(stripped):
        digits = re.sub(r"\D", "", m.group(0))
        if len(digits) in (8, 10, 12):
            result.warnings.append("Teksten ser ut til å inneholde et telefonnummer. Unngå opplysninger som peker på en person.")
            break
    return result
