"""Number and text formatting the Norwegian way (decimal comma), shared by all outputs."""

from __future__ import annotations


def num(x: float | None, nd: int = 1, empty: str = "–") -> str:
    if x is None:
        return empty
    return f"{x:.{nd}f}".replace(".", ",")


def pct(share: float | None, empty: str = "–") -> str:
    if share is None:
        return empty
    return f"{round(share * 100):d} %"


def short(x: float | None) -> str:
    """A number as short as it can be written: 2, 2,5, 2,25 (– when missing)."""
    return "–" if x is None else f"{x:g}".replace(".", ",")
