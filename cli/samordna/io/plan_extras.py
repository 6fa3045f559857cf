"""What a plan workbook holds that openpyxl cannot carry into a regenerated plan (charts, pictures, shapes,
pivot tables, form controls, sparklines, slicers, chart sheets), read from the xlsx package itself."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

from samordna.i18n import N_, _

_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_PKG_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
# what a sheet holds, in bokmål (each is worded in the language of the moment when found: ``_(text)``)
_DRAWING = {"graphicFrame": N_("et diagram"), "pic": N_("et bilde"), "sp": N_("en figur eller tekstboks"),
            "grpSp": N_("en gruppe figurer"), "cxnSp": N_("en linje eller pil"), "contentPart": N_("en håndtegning")}
_RELS = {"pivotTable": N_("en pivottabell"), "oleObject": N_("et innebygd objekt"), "control": N_("en skjemakontroll"),
         "ctrlProp": N_("en skjemakontroll"), "slicer": N_("et utsnitt (slicer)"), "timeline": N_("en tidslinje"),
         "image": N_("et bakgrunnsbilde"), "model3d": N_("en 3D-modell"), "webExtension": N_("et tillegg (add-in)")}
_KEEPS = {"table", "comments", "hyperlink", "printerSettings", "vmlDrawing", "drawing", "threadedComment", "person"}
_EXT = {"sparklineGroups": N_("minidiagrammer (sparklines)"), "slicerList": N_("et utsnitt (slicer)"),
        "timelineRefs": N_("en tidslinje")}
_EXT_SOFT = {"dataValidation": N_("en datavalidering"), "conditionalFormatting": N_("en betinget formatering")}
THREADS = N_("kommentartråder (de blir vanlige merknader)")


def cannot_keep(path: Path, sheets: list[str]) -> tuple[dict[str, list[str]], dict[str, list[tuple[str, str]]]]:
    """What in these sheets openpyxl cannot carry into a new workbook, read from the file itself: per sheet, what
    would be lost (charts, pictures, shapes, pivot tables, embedded objects, form controls, sparklines, slicers; a
    chart sheet as a whole), and what would be left out but loses no data ((what, cells): validations and colour
    rules kept in Excel's newer extension format, threaded comments, which become plain notes)."""
    from defusedxml import ElementTree

    found: dict[str, list[str]] = {}
    soft: dict[str, list[tuple[str, str]]] = {}
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())

            def rels_of(part: str) -> dict[str, tuple[str, str]]:
                folder, _sep, base = part.rpartition("/")
                rels = f"{folder}/_rels/{base}.rels"
                if rels not in names:
                    return {}
                out = {}
                for rel in ElementTree.fromstring(z.read(rels)).iter(_PKG_RELS):
                    target = rel.get("Target", "")
                    if rel.get("TargetMode") != "External":
                        target = target.lstrip("/") if target.startswith("/") else _join(folder, target)
                    out[rel.get("Id", "")] = (rel.get("Type", "").rsplit("/", 1)[-1], target)
                return out

            book = ElementTree.fromstring(z.read("xl/workbook.xml"))
            book_rels = rels_of("xl/workbook.xml")
            for sheet in book.iter(f"{_MAIN}sheet"):
                name = sheet.get("name", "")
                if name not in sheets:
                    continue
                kind, part = book_rels.get(sheet.get(_REL, ""), ("", ""))
                if kind == "chartsheet":
                    found[name] = [_("et diagram (hele arket er et diagramark)")]
                    continue
                if part not in names:
                    continue
                what, left_out = _sheet_extras(z, part, rels_of(part), ElementTree)
                if what:
                    found[name] = what
                if left_out:
                    soft[name] = left_out
    except (zipfile.BadZipFile, KeyError, OSError, SyntaxError, ValueError):
        pass  # openpyxl read it; what it cannot keep is then unknown, not a reason to stop
    return found, soft


def _join(folder: str, target: str) -> str:
    parts = folder.split("/") if folder else []
    for piece in target.split("/"):
        if piece == "..":
            parts = parts[:-1]
        elif piece not in ("", "."):
            parts.append(piece)
    return "/".join(parts)


def _sheet_extras(z: zipfile.ZipFile, part: str, rels: dict[str, tuple[str, str]],
                  et: Any) -> tuple[list[str], list[tuple[str, str]]]:
    what: list[str] = []
    left_out: list[tuple[str, str]] = []

    def add(text: str) -> None:
        if text not in what:
            what.append(text)

    for kind, target in rels.values():
        if kind == "drawing" and target in z.namelist():
            for el in et.fromstring(z.read(target)).iter():
                tag = el.tag.rsplit("}", 1)[-1]
                if tag in _DRAWING and el.tag.startswith("{http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing}"):
                    add(_(_DRAWING[tag]))
        elif kind == "vmlDrawing" and target in z.namelist():  # notes are kept; buttons and boxes are not
            vml = z.read(target).decode("utf-8", "replace")
            if any(t != "Note" for t in re.findall(r'ObjectType\s*=\s*"(\w+)"', vml)):
                add(_("en skjemakontroll"))
        elif kind in _RELS:
            add(_(_RELS[kind]))
        elif kind == "threadedComment":
            left_out.append((_(THREADS), ""))
        elif kind not in _KEEPS:
            add(_("innhold samordna ikke kan kopiere ({kind})").format(kind=kind))
    root = et.fromstring(z.read(part))
    for el in root.iter():
        tag = el.tag.rsplit("}", 1)[-1]
        if tag in _EXT:
            add(_(_EXT[tag]))
        elif tag == "legacyDrawingHF":
            add(_("et bilde i topp- eller bunnteksten"))
        elif tag in _EXT_SOFT and el.tag.startswith("{http://schemas.microsoft.com/office/spreadsheetml/2009/9/main}"):
            cells = " ".join(t.text or "" for t in el.iter() if t.tag.rsplit("}", 1)[-1] == "sqref")
            left_out.append((_(_EXT_SOFT[tag]), cells))
    return what, left_out
