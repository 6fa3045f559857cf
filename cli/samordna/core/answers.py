"""Answer tokens and the spellings people type for them (kept tiny so it is cheap to import)."""

from __future__ import annotations

import re

from samordna.i18n import LANGUAGES, N_, in_language

DONT_KNOW = "vet_ikke"
NOT_APPLICABLE = "ikke_relevant"
YES = "ja"  # the legal minimum is answered ja / nei / vet ikke
NO = "nei"
LEVELS = (0, 1, 2, 3, 4)

# The answer words as people write them, in bokmål; nynorsk and English spellings come from the catalogs
# («veit ikkje», «don't know» …), so a form filled in in another language form is read too.
_WORDS = {DONT_KNOW: N_("vet ikke"), NOT_APPLICABLE: N_("ikke relevant"), YES: N_("ja"), NO: N_("nei")}


def _norm(value: str) -> str:
    return re.sub(r"[\s_]+", " ", value.strip().lower())


def _in_any_language(text: str) -> str | None:
    """The answer token whose word ``text`` (normalised) is in nb, nn or en; None if none."""
    for token, word in _WORDS.items():
        if any(_norm(in_language(code, word)) == text for code in LANGUAGES):
            return token
    return None


def normalize_answer(value: object) -> int | str | None:
    """Accept 0-4, «vet ikke», «ikke relevant» in the spellings people type; None if invalid."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value in LEVELS else None
    if isinstance(value, float) and value.is_integer():
        return normalize_answer(int(value))
    if isinstance(value, str):
        text = _norm(value)
        if text.isdigit():
            return normalize_answer(int(text))
        if text in ("vet ikke", "vi", "?", "dont know", "dont_know", "dk"):
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
        return _in_any_language(text)
    return None
