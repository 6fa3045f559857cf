"""Norwegian identity numbers in free text, however they are written.

A fødselsnummer is eleven digits: the birth date DDMMYY, three individual digits and two
check digits. Variants with the same check digits: the D-number (day + 40), the H-number
(month + 40; NAV's synthetic test numbers use the same) and Skatteetaten's synthetic
Tenor test numbers (month + 80).

Check digits. Today's rule (modulus 11): with the weights below, the weighted sum of the
first ten digits (the nine plus k1, which weighs 1) and of all eleven (k2 weighs 1) both
leave the remainder 0. For numbers issued from 1 January 2032 Skatteetaten changes only the
first check digit: its remainder may be 0, 1, 2 or 3 («Ny kontrollberegning vil akseptere
0, 1, 2 og 3 som gyldige verdier»); the second check digit is computed as today.
Source: https://www.skatteetaten.no/deling/opplysninger/folkeregisteropplysninger/pid/
(worked examples: https://skatteetaten.github.io/folkeregisteret-api-dokumentasjon/nytt-fodselsnummer-fra-2032/,
e.g. 30108299939, whose first sum leaves remainder 1).

People write these numbers in many ways, so the text is normalised first: Unicode
compatibility forms (NFKC), invisible format characters removed, every Unicode digit read as
its ASCII digit; digit groups may be separated by any space, dash, dot, slash, comma or line
break; the year may have four digits; and a number that Excel stored as a number has lost
its leading zero (ten digits).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

K1_WEIGHTS = (3, 7, 6, 1, 8, 9, 4, 5, 2, 1)  # the nine digits, then k1 itself
K2_WEIGHTS = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2, 1)  # the nine digits and k1, then k2 itself
K1_REMAINDERS_TODAY = frozenset({0})
K1_REMAINDERS_2032 = frozenset({0, 1, 2, 3})

RULE_TODAY = "today"
RULE_2032 = "2032"

_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)  # 29 February: any year may be a leap year

# between two digit groups: any space or line break, a dash of any kind, a dot, slash, comma or
# middle dot; at most three of them ("15 - 10 - 86")
_SEP = r"[\s\-\u2010-\u2015\u2043\u2212\ufe58\ufe63\uff0d./,\\\u00b7_+()\[\]]"
_CHAIN_RE = re.compile(rf"\d+(?:{_SEP}{{1,3}}\d+)*")  # on normalised text, where every digit is ASCII
_GROUP_RE = re.compile(r"\d+")
_MAX_GROUPS = 6  # 2+2+4+3+2 is the most split-up way anyone writes one number
_CENTURIES = ("18", "19", "20")

# where people split an 11-digit number: DD MM YY III KK, and in threes (DDM MYY …)
_SPLITS = frozenset({2, 3, 4, 6, 8, 9})
_SPLITS_YYYY = frozenset({2, 4, 8, 11})  # DD MM YYYY III KK

# how a number is grouped when it is written as a fødselsnummer (for the «looks like» warning)
_ID_SHAPES = frozenset({(11,), (6, 5), (2, 2, 2, 5), (13,), (8, 5), (2, 2, 4, 5)})


def check_rule(digits: str) -> str | None:
    """Which check-digit rule an 11-digit string satisfies: ``RULE_TODAY``, ``RULE_2032`` or None."""
    if len(digits) != 11 or not digits.isascii() or not digits.isdigit():
        return None
    d = [int(c) for c in digits]
    r1 = sum(w * x for w, x in zip(K1_WEIGHTS, d[:10], strict=True)) % 11
    r2 = sum(w * x for w, x in zip(K2_WEIGHTS, d, strict=True)) % 11
    if r2 != 0:
        return None
    if r1 in K1_REMAINDERS_TODAY:
        return RULE_TODAY
    return RULE_2032 if r1 in K1_REMAINDERS_2032 else None


def kind_of(digits: str) -> str | None:
    """«fødselsnummer», «D-nummer», «H-nummer», «syntetisk» (Tenor, month + 80), or None when the first
    six digits are no plausible birth date."""
    if len(digits) < 6 or not digits[:6].isascii() or not digits[:6].isdigit():
        return None
    day, month = int(digits[0:2]), int(digits[2:4])
    kind = "fødselsnummer"
    if day > 40:
        day, kind = day - 40, "D-nummer"
    if month > 80:
        month, kind = month - 80, "syntetisk"
    elif month > 40:
        month, kind = month - 40, ("H-nummer" if kind == "fødselsnummer" else kind)
    if not (1 <= month <= 12 and 1 <= day <= _DAYS_IN_MONTH[month - 1]):
        return None
    return kind


def plausible_birth_date(digits: str) -> bool:
    """True when the first six digits are a date (DDMMYY), also as a D-, H- or synthetic number."""
    return kind_of(digits) is not None


def is_national_id(digits: str) -> bool:
    """True for 11 digits with a plausible birth date and valid check digits (today's rule or the 2032 rule)."""
    return len(digits) == 11 and plausible_birth_date(digits) and check_rule(digits) is not None


def normalise(text: str) -> str:
    """NFKC, format characters (zero-width, bidi, soft hyphen …) removed, every Unicode digit as ASCII."""
    if text.isascii():  # ASCII is its own NFKC form and has no format characters or other digits
        return text
    text = unicodedata.normalize("NFKC", text)
    out = []
    for ch in text:
        if ch.isascii():
            out.append(ch)
            continue
        cat = unicodedata.category(ch)
        if cat == "Cf":
            continue
        if cat == "Nd":
            out.append(str(unicodedata.decimal(ch)))
        else:
            out.append(ch)
    return "".join(out)


def value_text(value: object) -> str:
    """A cell or YAML value as the text a person typed: a whole float (Excel stores numbers so) as an integer."""
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@dataclass(frozen=True)
class Finding:
    digits: str  # the 11 digits, normalised
    valid: bool  # check digits valid: refuse; otherwise only fnr-shaped with a date: warn
    rule: str | None = None
    kind: str | None = None


def _splits(parts: list[str], offset: int = 0) -> frozenset[int]:
    """Where a run of groups is split, counted in digits from the start (``offset`` for a lost leading zero)."""
    at, out = offset, set()
    for p in parts[:-1]:
        at += len(p)
        out.add(at)
    return frozenset(out)


def _variants(parts: list[str]) -> list[str]:
    """The 11-digit numbers a run of digit groups could be: as written, with a 4-digit year, with a lost
    leading zero, or with a 1-digit day or month («1.5.86 95088»). Groups must split where people split
    such a number (after the day, the month, the year, the individual digits, or in threes), so that a
    list of small numbers is not read as one."""
    joined = "".join(parts)
    found = []
    if len(joined) == 11 and _splits(parts) <= _SPLITS:
        found.append(joined)
    elif len(joined) == 13 and joined[4:6] in _CENTURIES and _splits(parts) <= _SPLITS_YYYY:  # DDMMYYYY + 5
        found.append(joined[:4] + joined[6:])
    elif len(joined) == 10 and _splits(parts, 1) <= _SPLITS:  # Excel dropped the leading zero
        found.append("0" + joined)
    elif len(joined) == 12 and joined[3:5] in _CENTURIES and _splits(parts, 1) <= _SPLITS_YYYY:  # both at once
        found.append("0" + joined[:3] + joined[5:])
    if len(parts) >= 3 and len(parts[0]) <= 2 and len(parts[1]) <= 2:
        padded = [parts[0].zfill(2), parts[1].zfill(2), *parts[2:]]
        if padded != parts:
            found += _variants(padded)
    return found


def find_ids(text: object) -> list[Finding]:
    """Every identity number (valid check digits) and every fnr-shaped look-alike in ``text`` (any value)."""
    raw = value_text(text) if not isinstance(text, str) else text
    if not raw:
        return []
    norm = normalise(raw)
    findings: list[Finding] = []
    seen: set[tuple[str, bool]] = set()
    for chain in _CHAIN_RE.finditer(norm):
        groups = _GROUP_RE.findall(chain.group(0))
        for i in range(len(groups)):
            length = 0
            for j in range(i, min(i + _MAX_GROUPS, len(groups))):
                length += len(groups[j])
                if length > 13:
                    break
                parts = groups[i:j + 1]
                shape = tuple(len(p) for p in parts)
                for digits in _variants(parts):
                    kind = kind_of(digits)
                    if kind is None:
                        continue
                    rule = check_rule(digits)
                    valid = rule is not None
                    if not valid and shape not in _ID_SHAPES:
                        continue
                    if (digits, valid) not in seen:
                        seen.add((digits, valid))
                        findings.append(Finding(digits, valid, rule, kind))
    return findings


def contains_id(text: object) -> bool:
    """True when ``text`` holds an identity number with valid check digits, in any written form."""
    return any(f.valid for f in find_ids(text))
