"""Participant codes: the one rule for what a code may look like, and the codes ``kit`` hands out."""

from __future__ import annotations

import re

from samordna.core.idnumbers import contains_id

CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,19}$")


def code_problem(code: str) -> str | None:
    """None for a valid code; otherwise the one message that says what a code must look like."""
    if CODE_RE.match(code or ""):
        if contains_id(code):
            return "deltakerkoden ser ut som et fødselsnummer eller D-nummer: bruk koden du fikk (for eksempel D05)"
        return None
    return (f"deltakerkoden «{code}» er ugyldig: bruk 1–20 tegn – bokstaver a–z, tall, - eller _ "
            "(for eksempel D05), aldri navn")


def next_codes(taken: set[str], n: int, prefix: str = "D") -> list[str]:
    """D01, D02, … skipping codes already taken; two digits until 99, then three."""
    codes: list[str] = []
    i = 0
    while len(codes) < n:
        i += 1
        code = f"{prefix}{i:02d}"
        if code not in taken:
            codes.append(code)
    return codes
