"""Open an xlsx someone else filled in, safely (defusedxml) and with Norwegian messages: the whole
workbook (``load_workbook_safely``), or only the first cells of a few sheets, streamed (``read_sheets``)."""

from __future__ import annotations

import importlib.abc
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from samordna.core.errors import SamordnaError
from samordna.i18n import _
from samordna.io.yamlio import check_regular_file


class _NoNumpy(importlib.abc.MetaPathFinder):
    """Refuses to import numpy (see ``import_openpyxl``)."""

    def find_spec(self, name: str, path: Any = None, target: Any = None) -> None:
        if name == "numpy" or name.startswith("numpy."):
            raise ImportError("numpy is not needed to read or write samordna's workbooks")
        return None


def import_openpyxl() -> None:
    """Import openpyxl without numpy when nothing has imported numpy yet.

    openpyxl imports numpy, if it is installed, only to accept numpy's number types in cells (and goes on
    without it when the import fails); samordna never writes such values. numpy is installed for matplotlib,
    and importing it costs a command that only reads or writes forms about 0.2 s. numpy can still be imported
    afterwards, by anything that needs it."""
    if "openpyxl" in sys.modules or "numpy" in sys.modules:
        return
    blocker = _NoNumpy()
    sys.meta_path.insert(0, blocker)
    try:
        import openpyxl  # noqa: F401
    finally:
        sys.meta_path.remove(blocker)


def load_workbook_safely(path: Path, *, read_only: bool = False, data_only: bool = True) -> Any:
    """Open an xlsx someone else filled in. openpyxl parses XML through defusedxml when it is
    installed (it is a dependency); we check that, and word every failure in Norwegian."""
    import openpyxl
    from openpyxl.xml import DEFUSEDXML

    if not DEFUSEDXML:  # pragma: no cover - defusedxml is a dependency
        raise SamordnaError(_("Kan ikke lese Excel-filer trygt: pakken defusedxml mangler. Installer samordna på nytt."))
    path = Path(path)
    check_regular_file(path)  # missing, a folder, a FIFO or a device: a clear message, never a blocked read
    with _worded(path):
        return openpyxl.load_workbook(path, read_only=read_only, data_only=data_only)


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
        raise SamordnaError(_("Kan ikke lese {path}: filen er låst eller åpen i et annet program.").format(path=path),
                            path=path) from None
    except Exception as exc:
        raise SamordnaError(
            _("Kan ikke lese {path}: filen er ikke en gyldig Excel-fil (.xlsx) ({error}).").format(
                path=path, error=type(exc).__name__), path=path
        ) from None


class _Cell:
    __slots__ = ("value", "data_type")

    def __init__(self, value: Any, data_type: str) -> None:
        self.value, self.data_type = value, data_type


def _date_styles(archive: Any) -> tuple[set[int], set[int]]:
    """The cell styles that show a number as a date, or as a duration (as openpyxl works them out)."""
    from openpyxl.styles.numbers import builtin_format_code, is_date_format, is_timedelta_format
    from openpyxl.xml.constants import ARC_STYLE, SHEET_MAIN_NS
    from openpyxl.xml.functions import fromstring

    dates: set[int] = set()
    durations: set[int] = set()
    if ARC_STYLE not in archive.namelist():
        return dates, durations
    root = fromstring(archive.read(ARC_STYLE))
    custom = {int(n.get("numFmtId")): n.get("formatCode") for n in root.iter(f"{{{SHEET_MAIN_NS}}}numFmt")}
    xfs = root.find(f"{{{SHEET_MAIN_NS}}}cellXfs")
    for idx, xf in enumerate(xfs if xfs is not None else []):
        fmt_id = int(xf.get("numFmtId", 0))
        fmt = custom[fmt_id] if fmt_id in custom else builtin_format_code(fmt_id)
        if is_date_format(fmt):
            dates.add(idx)
        if is_timedelta_format(fmt):
            durations.add(idx)
    return dates, durations


def _item_text(node: Any, t: str, r: str) -> str:
    """The text of a string item (``<si>`` or an inline ``<is>``) as openpyxl's ``Text.content`` gives it: the
    last plain ``<t>`` and every formatted run's text, phonetic runs left out."""
    plain: str | None = None
    runs: list[str] = []
    for child in node:
        if child.tag == t:
            plain = child.text  # the last one counts, as in openpyxl
        elif child.tag == r:
            text: str | None = None
            for part in child:
                if part.tag == t:
                    text = part.text
            if text is not None:
                runs.append(text)
    return "".join(([plain] if plain is not None else []) + runs)


def _tags() -> tuple[str, str, str, str]:
    from openpyxl.xml.constants import SHEET_MAIN_NS

    return tuple(f"{{{SHEET_MAIN_NS}}}{tag}" for tag in ("si", "t", "r", "is"))  # type: ignore[return-value]


def read_strings(src: Any) -> list[str]:
    """The shared strings of a workbook, as ``openpyxl.reader.strings.read_string_table`` reads them («x005F_»
    removed), without building openpyxl's rich-text objects for every item. Parsed with openpyxl's own defused
    ``iterparse``; ``tests/test_xlsx_strings.py`` compares the two."""
    from openpyxl.xml.functions import iterparse

    si, t, r, _inline = _tags()
    strings: list[str] = []
    for _event, node in iterparse(src):
        if node.tag == si:
            strings.append(_item_text(node, t, r).replace("x005F_", ""))
            node.clear()
    return strings


@lru_cache(maxsize=1)
def _parser_class() -> Any:
    """openpyxl's worksheet parser, reading an inline string's text without its rich-text objects (a form's
    some 300 texts are a third of reading it); everything else is openpyxl's own."""
    from openpyxl.utils.cell import coordinate_to_tuple
    from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser
    from openpyxl.xml.constants import SHEET_MAIN_NS
    from openpyxl.xml.functions import iterparse

    _si, t, r, inline = _tags()
    row_tag, data_tag = f"{{{SHEET_MAIN_NS}}}row", f"{{{SHEET_MAIN_NS}}}sheetData"

    class _Parser(WorkSheetParser):
        def parse(self) -> Any:
            """The rows, as openpyxl's ``parse`` yields them; the sheet's other parts (columns, merged cells,
            validations, page setup …) are not built, and nothing after the cells is read."""
            for _event, element in iterparse(self.source):
                tag = element.tag
                if tag == row_tag:
                    row = self.parse_row(element)
                    element.clear()
                    yield row
                elif tag == data_tag:
                    return

        def parse_cell(self, element: Any) -> dict[str, Any]:
            if element.get("t") != "inlineStr" or self.rich_text or (
                    not self.data_only and element.find(FORMULA_TAG) is not None):
                return super().parse_cell(element)
            coordinate = element.get("r")
            style_id = element.get("s", 0)
            if coordinate:
                row, column = coordinate_to_tuple(coordinate)
                self.col_counter = column
            else:
                self.col_counter += 1
                row, column = self.row_counter, self.col_counter
            child = element.find(inline)
            value, data_type = (None, "inlineStr") if child is None else (_item_text(child, t, r), "s")
            return {"row": row, "column": column, "value": value, "data_type": data_type,
                    "style_id": int(style_id) if style_id else style_id}

    return _Parser


def read_sheets(path: Path, wanted: dict[str, tuple[int, int]]) -> tuple[list[str], dict[str, Cells]]:
    """Read the first rows and columns of some sheets of an xlsx someone else filled in, in one pass each.

    ``wanted`` is {sheet name: (last row, last column)}; a sheet the file lacks is left out of the answer
    (the names of all its sheets come first). The sheets are streamed through openpyxl's own reader of
    worksheets (the one its read-only mode uses: defusedxml, cells typed as openpyxl types them, formulas
    as written, so a typed ``=SUM(A1)`` is that text), without building the rest of a workbook (styles,
    theme, properties) that nothing here reads; reading stops at the given row and column, whatever size
    the file claims for its sheets."""
    import zipfile

    from openpyxl.packaging.manifest import Manifest
    from openpyxl.packaging.relationship import get_dependents, get_rels_path
    from openpyxl.reader.excel import _find_workbook_part
    from openpyxl.utils.cell import get_column_letter
    from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900
    from openpyxl.xml import DEFUSEDXML
    from openpyxl.xml.constants import ARC_CONTENT_TYPES, REL_NS, SHARED_STRINGS, SHEET_MAIN_NS
    from openpyxl.xml.functions import fromstring

    if not DEFUSEDXML:  # pragma: no cover - defusedxml is a dependency
        raise SamordnaError(_("Kan ikke lese Excel-filer trygt: pakken defusedxml mangler. Installer samordna på nytt."))
    path = Path(path)
    check_regular_file(path)  # missing, a folder, a FIFO or a device: a clear message, never a blocked read
    with _worded(path), zipfile.ZipFile(path) as archive:
        package = Manifest.from_tree(fromstring(archive.read(ARC_CONTENT_TYPES)))
        part = _find_workbook_part(package).PartName[1:]
        strings: list[Any] = []
        shared = package.find(SHARED_STRINGS)
        if shared is not None:
            with archive.open(shared.PartName[1:]) as src:
                strings = read_strings(src)
        root = fromstring(archive.read(part))
        props = root.find(f"{{{SHEET_MAIN_NS}}}workbookPr")
        epoch = (CALENDAR_MAC_1904 if props is not None and props.get("date1904") in ("1", "true")
                 else CALENDAR_WINDOWS_1900)
        rels = {r.Id: r for r in get_dependents(archive, get_rels_path(part))}  # (RelationshipList.get is not in 3.1.0)
        sheets = [(s.get("name"), s.get(f"{{{REL_NS}}}id")) for s in root.iter(f"{{{SHEET_MAIN_NS}}}sheet")]
        dates, durations = _date_styles(archive)
        files = set(archive.namelist())
        out: dict[str, Cells] = {}
        for name, rel_id in sheets:
            if name not in wanted or name in out:
                continue
            cells: dict[str, Any] = {}
            out[name] = Cells(cells)
            rel = rels.get(rel_id) if rel_id else None
            if rel is None or rel.target not in files or "chartsheet" in rel.Type:
                continue  # a chart sheet, or a sheet without its part: no cells
            max_row, max_col = wanted[name]
            with archive.open(rel.target) as src:
                parser = _parser_class()(src, strings, data_only=False, epoch=epoch, date_formats=dates,
                                         timedelta_formats=durations)
                for idx, row in parser.parse():
                    if idx > max_row:
                        break
                    for cell in row:
                        if cell["column"] <= max_col and cell["row"] <= max_row and cell["value"] is not None:
                            cells[f"{get_column_letter(cell['column'])}{cell['row']}"] = _Cell(cell["value"],
                                                                                                cell["data_type"])
        return [name for name, _rel in sheets], out
