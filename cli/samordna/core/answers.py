"""Answer tokens and the spellings people type for them (kept tiny so it is cheap to import)."""

from __future__ import annotations

import re

DONT_KNOW = "vet_ikke"
NOT_APPLICABLE = "ikke_relevant"
YES = "ja"  # the legal minimum is answered ja / nei / vet ikke
NO = "nei"
LEVELS = (0, 1, 2, 3, 4)


def normalize_answer(value: object) -> int | str | None:
    """Accept 0-4, «vet ikke», «ikke relevant» in the spellings people type; None if invalid."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value in LEVELS else None
    if isinstance(value, float) and value.is_integer():
        return normalize_answer(int(value))
    if isinstance(value, str):
        text = re.sub(r"[\s_]+", " ", value.strip().lower())
        if text.isdigit():
            return normalize_answer(int(text))
        if text in ("vet ikke", "vi", "?", "dont know", "dont_know"):
            return DONT_KNOW
        if text in ("ikke relevant", "ir", "i/r", "na", "n/a", "not applicable"):
            return NOT_APPLICABLE
        if text in ("ja", "j", "yes", "y"):
            return YES
        if text in ("nei", "n", "no"):
            return NO
        m = re.match(r"^([0-4])\b", text)
        if m:
            return int(m.group(1))
    return None
