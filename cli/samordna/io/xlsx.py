"""Open an xlsx someone else filled in, safely (defusedxml) and with Norwegian messages."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
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


class _Empty:
    value = None
    data_type = "n"


EMPTY = _Empty()


class Cells:
    """The cells of one sheet that hold something, by coordinate («D12»); an empty cell reads as ``EMPTY``.
    Each cell has ``value`` and ``data_type`` («f» for a formula, kept as the text that was typed)."""

    def __init__(self, cells: dict[str, Any]) -> None:
        self.cells = cells

    def __getitem__(self, coordinate: str) -> Any:
        return self.cells.get(coordinate, EMPTY)


@contextmanager
def _worded(path: Path) -> Iterator[None]:
    """Any failure while reading ``path`` as one Norwegian message (read-only mode parses sheets lazily)."""
    try:
        yield
    except SamordnaError:
        raise
    except PermissionError:
        raise SamordnaError(f"Kan ikke lese {path}: filen er låst eller åpen i et annet program.", path=path) from None
    except Exception as exc:
        raise SamordnaError(
            f"Kan ikke lese {path}: filen er ikke en gyldig Excel-fil (.xlsx) ({type(exc).__name__}).", path=path
        ) from None


def read_sheets(path: Path, wanted: dict[str, tuple[int, int]]) -> tuple[list[str], dict[str, Cells]]:
    """Read the first rows and columns of some sheets of an xlsx someone else filled in, in one pass each.

    ``wanted`` is {sheet name: (last row, last column)}; a sheet the file lacks is left out of the answer
    (the names of all its sheets come first). The workbook is opened in openpyxl's read-only mode with
    formulas as written, so a typed ``=SUM(A1)`` is that text; reading stops at the given row and
    column, whatever size the file claims for its sheets."""
    path = Path(path)
    wb = load_workbook_safely(path, read_only=True, data_only=False)
    try:
        with _worded(path):
            names = list(wb.sheetnames)
            out: dict[str, Cells] = {}
            for name, (max_row, max_col) in wanted.items():
                if name not in names:
                    continue
                sheet = wb[name]
                cells: dict[str, Any] = {}
                if hasattr(sheet, "iter_rows"):  # a chart sheet has no cells
                    for row in sheet.iter_rows(min_row=1, max_row=max_row, min_col=1, max_col=max_col):
                        for cell in row:
                            if cell.value is not None:
                                cells[cell.coordinate] = cell
                out[name] = Cells(cells)
            return names, out
    finally:
        wb.close()
