"""questionary prints a fixed English «Description:» before a choice's description.

``install()`` drops that label, so the description line reads as plain text in the language of the
moment (bokmål, nynorsk or English: the description itself is ours, already translated, and needs no
label in any of them). It patches one private method and does nothing if questionary changes it.
"""

from __future__ import annotations

from typing import Any

_LABEL = "  Description: "


def install() -> None:
    try:
        from questionary.prompts.common import InquirerControl
    except ImportError:  # pragma: no cover
        return
    original = getattr(InquirerControl, "_get_choice_tokens", None)
    if original is None or getattr(original, "_samordna_nb", False):
        return

    def _get_choice_tokens(self):
        tokens = original(self)
        out = []
        for tok in tokens:
            if isinstance(tok, tuple) and len(tok) >= 2 and isinstance(tok[1], str) and tok[1].startswith(_LABEL):
                tok = (tok[0], "  " + tok[1][len(_LABEL):]) + tuple(tok[2:])
            out.append(tok)
        return out

    _get_choice_tokens.__dict__["_samordna_nb"] = True
    control: Any = InquirerControl  # patching a private method: no type to keep
    control._get_choice_tokens = _get_choice_tokens
