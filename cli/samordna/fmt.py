"""Number and text formatting the Norwegian way (decimal comma), shared by all outputs."""

from __future__ import annotations

from .constants import DONT_KNOW, NOT_APPLICABLE


def num(x: float | None, nd: int = 1, empty: str = "–") -> str:
    if x is None:
        return empty
    return f"{x:.{nd}f}".replace(".", ",")


def pct(share: float | None, empty: str = "–") -> str:
    if share is None:
        return empty
    return f"{round(share * 100):d} %"


def answer_label(value, bank=None) -> str:
    if value == DONT_KNOW:
        return bank.scale.dont_know.label if bank else "Vet ikke"
    if value == NOT_APPLICABLE:
        return bank.scale.not_applicable.label if bank else "Ikke relevant"
    if isinstance(value, int) and bank is not None:
        return f"{value} – {bank.scale.name(value)}"
    return str(value)
