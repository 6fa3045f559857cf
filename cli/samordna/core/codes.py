"""Participant codes: the one rule for what a code may look like, and the codes ``kit`` hands out.

Two rules live here:

- ``code_problem(code)`` is what any *stored* code must look like (a file name, never an identity
  number). Codes already in a round, such as D01 from earlier versions, stay valid for that round.
- ``code_problem(code, new=True)`` is the policy for a *new* participant: four characters from
  ``ALPHABET`` (no O/0 or I/1, which are easily mixed up), at least one digit and at least one letter,
  so that a name can never be a code. ``generate_codes`` makes such codes; the caller gives the
  random source (``secrets.SystemRandom()`` for real kits, a seeded ``random.Random`` in tests and the demo).
  In a round where ``kit`` has handed out no codes with PINs (earlier rounds, the sample), ``legacy_ok=True``
  still lets the old style in (a letter and two or three digits, D14), so such rounds keep working as
  before; once a round has PINs, a new participant needs a code from a slip.
"""

from __future__ import annotations

import random
import re

from samordna.core.idnumbers import contains_id
from samordna.i18n import _

CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,19}$")
LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"  # no I or O
DIGITS = "23456789"  # no 0 or 1
ALPHABET = LETTERS + DIGITS
CODE_LENGTH = 4
LEGACY_RE = re.compile(r"^[A-Z][0-9]{2,3}$")  # D01 … D999: the sequential codes of earlier versions
EXAMPLE = "K7QX"


def is_generated_shape(code: str) -> bool:
    """True if ``code`` is a code the generator could have made (four characters, ≥1 digit, ≥1 letter)."""
    return (len(code) == CODE_LENGTH and all(c in ALPHABET for c in code)
            and any(c in DIGITS for c in code) and any(c in LETTERS for c in code))


def is_legacy(code: str) -> bool:
    """True for a sequential code of earlier versions (D01, D14, D105)."""
    return bool(LEGACY_RE.match(code))


def normalize_code(code: str) -> str:
    """What a person typed, as the code is stored: trimmed, and a four-character code in capitals."""
    code = (code or "").strip()
    return code.upper() if is_generated_shape(code.upper()) else code


def code_problem(code: str, new: bool = False, legacy_ok: bool = False) -> str | None:
    """None for a valid code; otherwise the one message that says what a code must look like.

    ``new``: the code is for a new participant and must follow the policy (see the module docstring);
    ``legacy_ok``: a new participant may also get an old-style code (D14): a round without PINs.
    """
    if not CODE_RE.match(code or ""):
        return _("deltakerkoden «{code}» er ugyldig: bruk koden du fikk på lappen din (fire tegn, for eksempel "
                 "{example}), aldri navn").format(code=code, example=EXAMPLE)
    if contains_id(code):
        return _("deltakerkoden ser ut som et fødselsnummer eller D-nummer: bruk koden du fikk (for eksempel "
                 "{example})").format(example=EXAMPLE)
    if not new or is_generated_shape(code) or (legacy_ok and is_legacy(code)):
        return None
    if legacy_ok:
        text = _("deltakerkoden «{code}» kan ikke brukes for en ny deltaker: koden må være fire tegn, bokstaver og "
                 "tall med minst ett tall og minst én bokstav, for eksempel {example} (i denne runden går også en "
                 "bokstav og to tall, som D14); bokstavene O og I og tallene 0 og 1 brukes ikke, og navn kan ikke "
                 "brukes. Bruk koden på lappen du fikk")
    else:
        text = _("deltakerkoden «{code}» kan ikke brukes for en ny deltaker: koden må være fire tegn, bokstaver og "
                 "tall med minst ett tall og minst én bokstav, for eksempel {example}; bokstavene O og I og tallene "
                 "0 og 1 brukes ikke, og navn kan ikke brukes. Bruk koden på lappen du fikk")
    return text.format(code=code, example=EXAMPLE)


def generate_codes(rng: random.Random, n: int, taken: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """``n`` new codes (sorted) that pass ``code_problem(new=True)`` and are not in ``taken``."""
    if n < 0:
        raise ValueError("n must be 0 or more")
    out: set[str] = set()
    while len(out) < n:
        code = "".join(rng.choice(ALPHABET) for _ in range(CODE_LENGTH))
        if is_generated_shape(code) and code not in taken:
            out.add(code)
    return sorted(out)


def next_codes(taken: set[str], n: int, prefix: str = "D") -> list[str]:
    """D01, D02, … skipping codes already taken; two digits until 99, then three (the codes of earlier versions)."""
    codes: list[str] = []
    i = 0
    while len(codes) < n:
        i += 1
        code = f"{prefix}{i:02d}"
        if code not in taken:
            codes.append(code)
    return codes
