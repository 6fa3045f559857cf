"""Screening of free text for personal data (taushetsplikt), and invisible characters out of every output.

Comments must never carry a national identity number. A fødselsnummer, D-, H- or synthetic
number with valid check digits (today's rule or the rule from 2032), written in any of the
ways people write them (``core.idnumbers``), is refused; an fnr-shaped number whose date fits
but whose check digits do not gets a warning; e-mail addresses and phone numbers get a warning.

``strip_invisible`` removes bidi overrides and other invisible control characters, so user
text cannot be shown reversed or hidden (visual spoofing) in HTML, Excel or the terminal.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from samordna.core.idnumbers import contains_id, find_ids, is_national_id, normalise, value_text
from samordna.i18n import N_, _

__all__ = ["CONTACT_MASK", "ID_BLOCKED", "ID_LOOKALIKE", "Screening", "is_national_id", "mask_contacts", "mask_ids",
           "screen_text", "strip_invisible"]

# In bokmål, marked for the catalog; ``screen_text`` gives them in the language of the moment.
ID_BLOCKED = N_("Teksten ser ut til å inneholde et fødselsnummer eller D-nummer. "
                "Kommentarer må aldri kunne knyttes til et barn, en familie eller en kollega (taushetsplikt). "
                "Skriv om uten nummeret.")
ID_LOOKALIKE = N_("Teksten har et tall som ligner et fødselsnummer (en dato og fem sifre til). "
                  "Er det et fødselsnummer eller D-nummer, må det fjernes (taushetsplikt).")

_EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_PHONE_RE = re.compile(r"(?<![\d])(?:\+47[ ]?|0047[ ]?)?(?:\d[ ]?){7}\d(?![\d])")


@dataclass
class Screening:
    blocked: list[str] = field(default_factory=list)   # reasons the text must be rephrased
    warnings: list[str] = field(default_factory=list)  # reasons to think twice

    @property
    def ok(self) -> bool:
        return not self.blocked


# Characters that never become a digit, «@» or anything else under NFKC: ASCII, the Latin-1 letters and the
# quotes and dashes Norwegian text uses. A text made only of these, with fewer than six digits and no «@», holds
# no identity number (11 digits), phone number (8) or e-mail address: the common comment is screened at once.
_PLAIN_TEXT = re.compile("[\x00-\x7f\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff\u00ab\u00bb"
                         "\u2013\u2014\u2018\u2019\u201c\u201d]*")
_ASCII_DIGITS = "0123456789"


def _nothing_to_find(raw: str) -> bool:
    return "@" not in raw and sum(map(raw.count, _ASCII_DIGITS)) < 6 and _PLAIN_TEXT.fullmatch(raw) is not None


def screen_text(text: object) -> Screening:
    """Screen free text (or a cell value: a number Excel stored is read as the digits typed)."""
    result = Screening()
    raw = text if isinstance(text, str) else value_text(text)
    if not raw or _nothing_to_find(raw):
        return result
    return _screen(raw, result)


def _screen(raw: str, result: Screening) -> Screening:
    findings = find_ids(raw)
    if any(f.valid for f in findings):
        result.blocked.append(_(ID_BLOCKED))
    elif findings:
        result.warnings.append(_(ID_LOOKALIKE))
    norm = normalise(raw)
    if _EMAIL_RE.search(norm):
        result.warnings.append(_("Teksten inneholder en e-postadresse. Trengs den? Unngå opplysninger som peker på en "
                                 "person."))
    stripped = _EMAIL_RE.sub("", norm)
    for m in _PHONE_RE.finditer(stripped):
        digits = re.sub(r"\D", "", m.group(0))
        if len(digits) in (8, 10, 12):
            result.warnings.append(_("Teksten ser ut til å inneholde et telefonnummer. Unngå opplysninger som peker på "
                                     "en person."))
            break
    return result


# --- invisible characters ------------------------------------------------------------

_KEEP = frozenset("\n\t")


@lru_cache(maxsize=1)
def _invisible_re() -> re.Pattern[str]:
    """Every control (Cc, except line break and tab) and format character (Cf: bidi embeddings, overrides
    and isolates U+202A–U+202E and U+2066–U+2069, zero-width U+200B–U+200F, U+061C, U+FEFF, soft hyphen,
    tags …) this Python knows. Built once, on first use (planes 0, 1 and 14 hold them all)."""
    cps = [cp for cp in (*range(0x20000), *range(0xE0000, 0xE1000))
           if unicodedata.category(ch := chr(cp)) in ("Cc", "Cf") and ch not in _KEEP]
    ranges: list[tuple[int, int]] = []  # consecutive code points as one range: a short class is a fast class
    for cp in cps:
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1] = (ranges[-1][0], cp)
        else:
            ranges.append((cp, cp))
    parts = (re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in ranges)
    return re.compile("[" + "".join(parts) + "]")


_PLAIN_ASCII = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def strip_invisible(text: str) -> str:
    """``text`` without bidi overrides and other invisible control characters (line breaks and tabs stay)."""
    if text.isascii():
        return _PLAIN_ASCII.sub("", text) if _PLAIN_ASCII.search(text) else text
    return _invisible_re().sub("", text)


# --- identity numbers out of messages ---------------------------------------------------

# a run of digits, possibly with the separators people write between groups (\d is any Unicode digit)
_DIGIT_RUN = re.compile(r"\d(?:[\d \u00a0\u2009\u202f.,/\-\u2010-\u2015\u2212]*\d)?")
ID_MASK = N_("[nummer fjernet]")  # translated where it is put in (``mask_ids``)


def mask_ids(text: str) -> str:
    """``text`` with every run of six or more digits replaced, on each line that holds an identity number.

    Error messages quote what people typed (a code, a cell, a comment); the number must not reach the
    screen or a log even there. Line numbers and cell names are shorter than six digits and stay."""
    if not contains_id(text):
        return text
    lines = []
    mask = _(ID_MASK)
    for line in text.split("\n"):
        if contains_id(line):
            line = _DIGIT_RUN.sub(lambda m: mask if sum(c.isdigit() for c in m.group(0)) >= 6 else m.group(0), line)
        lines.append(line)
    return "\n".join(lines)


# --- e-mail addresses and phone numbers out of what is shown --------------------------------

CONTACT_MASK = N_("[kontaktinfo fjernet]")  # translated where it is put in (``mask_contacts``)


def mask_contacts(text: str) -> str:
    """``text`` with e-mail addresses and phone numbers replaced by «[kontaktinfo fjernet]».

    For what participants wrote (comments, rationales, dissent) wherever it is shown or written for
    others: the projector, the report, the plan's result sheets, the JSON. The stored answer files keep
    the text as typed. Never use it on text a person edits in place (the plan's own columns)."""
    if not text or not any(c.isdigit() or c == "@" for c in text):
        return text
    mask = _(CONTACT_MASK)
    text = _EMAIL_RE.sub(lambda m: mask, text)

    def phone(m: re.Match[str]) -> str:
        return mask if len(re.sub(r"\D", "", m.group(0))) in (8, 10, 12) else m.group(0)

    return _PHONE_RE.sub(phone, text)
