"""samordna's reader of an xlsx file's shared strings gives what openpyxl's gives, item for item.

``io.xlsx.read_strings`` skips openpyxl's rich-text objects (a third of the time of reading a form). Hypothesis
writes string tables with plain items, formatted runs, phonetic runs, empty and repeated ``<t>`` elements,
whitespace, entities and «x005F_»; the real forms' tables are compared too.
"""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape

from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.reader.strings import read_string_table

from samordna.io.xlsx import _parser_class, read_strings

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_text = st.one_of(st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=12),
                  st.sampled_from(["x005F_x000D_", " leading", "trailing ", "", "æøå «»", "a&b<c>", "_x000D_"]))


@st.composite
def _item(draw) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["t", "t", "r", "rPh", "empty", "phoneticPr"]))
        text = escape(draw(_text))
        space = ' xml:space="preserve"' if draw(st.booleans()) else ""
        if kind == "t":
            parts.append(f"<t{space}>{text}</t>")
        elif kind == "empty":
            parts.append("<t/>")
        elif kind == "r":
            props = "<rPr><b/></rPr>" if draw(st.booleans()) else ""
            inner = f"<t{space}>{text}</t>" if draw(st.integers(0, 4)) else ""
            parts.append(f"<r>{props}{inner}</r>")
        elif kind == "rPh":
            parts.append(f'<rPh sb="0" eb="1"><t>{text}</t></rPh>')
        else:
            parts.append('<phoneticPr fontId="1"/>')
    return f"<si>{''.join(parts)}</si>"


def _table(items: list[str]) -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{NS}" count="{len(items)}">'
            f"{''.join(items)}</sst>").encode()


@given(st.lists(_item(), max_size=8))
@settings(max_examples=1500, deadline=None)
def test_the_same_strings_as_openpyxl(items):
    xml = _table(items)
    assert read_strings(io.BytesIO(xml)) == list(read_string_table(io.BytesIO(xml)))


def test_a_form_saved_with_shared_strings_reads_the_same(tmp_path):
    """Excel keeps a saved form's texts in a shared-string table (openpyxl writes them inline)."""
    from openpyxl import load_workbook
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    from conftest import ROOT
    from samordna.io.workspace import Workspace
    from samordna.io.xlsx import read_sheets
    from samordna.outputs.forms import SHEET_FORM, build_form

    rnd = Workspace(ROOT / "sample_municipality").round()
    path = tmp_path / "skjema.xlsx"
    build_form(rnd, "AB12").save(path)
    wb = load_workbook(path, rich_text=True)
    wb[SHEET_FORM]["H20"] = CellRichText(["Vi har ", TextBlock(InlineFont(b=True), "en plan"), "."])
    wb.save(path)
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        xml = z.read("xl/sharedStrings.xml") if "xl/sharedStrings.xml" in names else None
    if xml is not None:  # openpyxl writes shared strings for rich text
        ours = read_strings(io.BytesIO(xml))
        assert ours == list(read_string_table(io.BytesIO(xml))) and "Vi har en plan." in ours
    _, sheets = read_sheets(path, {SHEET_FORM: (200, 10)})
    back = load_workbook(path, read_only=True)[SHEET_FORM]
    for ref, cell in sheets[SHEET_FORM].cells.items():
        assert cell.value == back[ref].value, ref
    assert sheets[SHEET_FORM].cells["H20"].value == "Vi har en plan."


@st.composite
def _cell(draw, ref: str) -> str:
    kind = draw(st.sampled_from(["inline", "inline", "noinline", "formula", "number", "shared", "bool", "str"]))
    style = draw(st.sampled_from(["", ' s="0"', ' s="2"']))
    if kind == "inline":
        return f'<c r="{ref}"{style} t="inlineStr">{draw(_item()).replace("<si>", "<is>").replace("</si>", "</is>")}</c>'
    if kind == "noinline":
        return f'<c r="{ref}"{style} t="inlineStr"/>'
    if kind == "formula":
        return f'<c r="{ref}" t="inlineStr"><f>SUM(A1)</f><is><t>x</t></is></c>'
    if kind == "number":
        return f'<c r="{ref}"{style}><v>{draw(st.integers(-5, 99))}</v></c>'
    if kind == "shared":
        return f'<c r="{ref}" t="s"><v>0</v></c>'
    if kind == "bool":
        return f'<c r="{ref}" t="b"><v>1</v></c>'
    return f'<c r="{ref}" t="str"><v>{escape(draw(_text))}</v></c>'


@given(st.data())
@settings(max_examples=500, deadline=None)
def test_inline_strings_in_a_sheet_read_as_openpyxl_reads_them(data):
    from openpyxl.worksheet._reader import WorkSheetParser

    rows = []
    for r in range(1, data.draw(st.integers(1, 4)) + 1):
        refs = [f"{col}{r}" if data.draw(st.booleans()) else "" for col in "ABC"]
        rows.append(f'<row r="{r}">' + "".join(data.draw(_cell(ref)).replace(' r=""', "") for ref in refs) + "</row>")
    xml = f'<worksheet xmlns="{NS}"><sheetData>{"".join(rows)}</sheetData></worksheet>'.encode()

    def parsed(cls):
        return list(cls(io.BytesIO(xml), ["delt"], data_only=False).parse())

    assert parsed(_parser_class()) == parsed(WorkSheetParser)
