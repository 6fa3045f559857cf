"""Shared Excel helpers: user text as text (never a formula), safe reading, atomic saving."""

from __future__ import annotations

import io
from pathlib import Path

from ..errors import SamordnaError
from ..fsutil import atomic_write_bytes

FORMULA_STARTS = ("=", "+", "-", "@")


def set_text(cell, text: str | None) -> None:
    """Write user text so Excel shows it as typed and never evaluates it.

    A string that starts with = + - or @ would otherwise become a formula
    (CSV/Excel injection). We store it as a plain string cell with the
    «quote prefix» style, which is what Excel itself does for '=text.
    """
    if text is None or text == "":
        cell.value = None
        return
    text = str(text)
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


def load_workbook_safely(path: Path, *, read_only: bool = False, data_only: bool = True):
    """Open an xlsx someone else filled in. openpyxl parses XML through defusedxml when it is
    installed (it is a dependency); we check that, and word every failure in Norwegian."""
    import openpyxl
    from openpyxl.xml import DEFUSEDXML

    if not DEFUSEDXML:  # pragma: no cover - defusedxml is a dependency
        raise SamordnaError("Kan ikke lese Excel-filer trygt: pakken defusedxml mangler. Installer samordna på nytt.")
    path = Path(path)
    if not path.exists():
        raise SamordnaError(f"Fant ikke filen {path}.", path=path)
    try:
        return openpyxl.load_workbook(path, read_only=read_only, data_only=data_only)
    except PermissionError:
        raise SamordnaError(f"Kan ikke lese {path}: filen er låst eller åpen i et annet program.", path=path) from None
    except Exception as exc:
        raise SamordnaError(
            f"Kan ikke lese {path}: filen er ikke en gyldig Excel-fil (.xlsx) ({type(exc).__name__}).", path=path
        ) from None


def save_workbook_atomically(wb, path: Path) -> Path:
    buf = io.BytesIO()
    wb.save(buf)
    atomic_write_bytes(Path(path), buf.getvalue())
    return Path(path)
