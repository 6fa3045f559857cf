"""Shared Excel helpers for writing: user text as text (never a formula), atomic saving.

Reading someone else's workbook is ``io.xlsx``."""

from __future__ import annotations

import io
from pathlib import Path

from samordna.core.privacy import strip_invisible
from samordna.io.atomic import atomic_write_bytes

FORMULA_STARTS = ("=", "+", "-", "@")


def set_text(cell, text: str | None) -> None:
    """Write user text so Excel shows it as typed and never evaluates it.

    A string that starts with = + - or @ would otherwise become a formula
    (CSV/Excel injection). We store it as a plain string cell with the
    «quote prefix» style, which is what Excel itself does for '=text.
    Bidi overrides and other invisible control characters are removed
    (``privacy.strip_invisible``); line breaks and tabs stay.
    """
    if text is None or text == "":
        cell.value = None
        return
    text = strip_invisible(str(text))  # no bidi override or other invisible control character (spoofing)
    cell.value = text
    cell.data_type = "s"
    if text.startswith(FORMULA_STARTS):
        from openpyxl.styles import Alignment

        cell.quotePrefix = True
        if cell.alignment is None:
            cell.alignment = Alignment()


def set_value(cell, value) -> None:
    """Write a computed value: strings through ``set_text`` (never a formula), anything else as is."""
    if isinstance(value, str):
        set_text(cell, value)
    else:
        cell.value = value


def save_workbook_atomically(wb, path: Path) -> Path:
    buf = io.BytesIO()
    wb.save(buf)
    atomic_write_bytes(Path(path), buf.getvalue())
    return Path(path)
