"""Open an xlsx someone else filled in, safely (defusedxml) and with Norwegian messages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from samordna.core.errors import SamordnaError
from samordna.io.yamlio import check_regular_file


def load_workbook_safely(path: Path, *, read_only: bool = False, data_only: bool = True) -> Any:
    """Open an xlsx someone else filled in. openpyxl parses XML through defusedxml when it is
    installed (it is a dependency); we check that, and word every failure in Norwegian."""
    import openpyxl
    from openpyxl.xml import DEFUSEDXML

    if not DEFUSEDXML:  # pragma: no cover - defusedxml is a dependency
        raise SamordnaError("Kan ikke lese Excel-filer trygt: pakken defusedxml mangler. Installer samordna på nytt.")
    path = Path(path)
    check_regular_file(path)  # missing, a folder, a FIFO or a device: a clear message, never a blocked read
    try:
        return openpyxl.load_workbook(path, read_only=read_only, data_only=data_only)
    except PermissionError:
        raise SamordnaError(f"Kan ikke lese {path}: filen er låst eller åpen i et annet program.", path=path) from None
    except Exception as exc:
        raise SamordnaError(
            f"Kan ikke lese {path}: filen er ikke en gyldig Excel-fil (.xlsx) ({type(exc).__name__}).", path=path
        ) from None
