"""`samordna demo --lang nn` and `--lang en`: every output in that language.

The tool's own text in every HTML page (what is not inside an element with another ``lang``: users' words,
fallback texts, kept Norwegian terms carry their own), the workbooks' sheet names, headers and dropdown
lists, and what the demo prints, are scanned for telltale words of another language (tests/i18n_words.py).
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from i18n_words import telltales
from samordna.cli.main import main

pytestmark = pytest.mark.slow

SKIP_TAGS = {"style", "script", "title"}


class _OwnText(HTMLParser):
    """The text of a page in the page's own language: elements with another lang (and their children) are
    left out, as are style and script."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr",
            "path", "rect", "line", "circle", "use", "stop", "polyline", "polygon", "ellipse"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page_lang: str | None = None
        self.stack: list[tuple[str, bool]] = []  # (tag, own language?)
        self.parts: list[str] = []
        self.attrs_text: list[str] = []

    def _own(self) -> bool:
        return all(own for _tag, own in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "html":
            self.page_lang = a.get("lang")
        own = tag not in SKIP_TAGS and ("lang" not in a or a["lang"] == self.page_lang or tag == "html")
        if tag in self.VOID or self.get_starttag_text().endswith("/>"):
            if own and self._own():
                self.attrs_text += [v for k, v in attrs if k in ("alt", "title", "aria-label", "placeholder") and v]
            return
        self.stack.append((tag, own))
        if own and self._own():
            self.attrs_text += [v for k, v in attrs if k in ("alt", "title", "aria-label", "placeholder") and v]

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        if self._own():
            self.parts.append(data)


def own_text(html: str) -> tuple[str | None, str]:
    p = _OwnText()
    p.feed(html)
    return p.page_lang, " ".join(p.parts + p.attrs_text)


def workbook_own_text(path: Path) -> str:
    """The tool's own words in a workbook: sheet names, the first rows of every visible sheet (titles, notes,
    column headers) and every dropdown list (written inline or kept on a hidden sheet)."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    parts: list[str] = []
    for ws in wb.worksheets:
        if ws.sheet_state != "visible":
            continue
        parts.append(ws.title)
        for row in ws.iter_rows(min_row=1, max_row=HEAD_ROWS, values_only=True):
            # a legal citation stays Norwegian («barnevernsloven § 15-3»): a workbook cannot mark its language
            parts += [v for v in row if isinstance(v, str) and not v.startswith("=") and "§" not in v]
        for dv in ws.data_validations.dataValidation:
            formula = dv.formula1 or ""
            if formula.startswith('"'):
                parts.append(formula.strip('"').replace(",", " "))
            elif "!" in formula:
                sheet, ref = formula.rsplit("!", 1)
                source = wb[sheet.strip("'")]
                for row in source[ref.replace("$", "")]:
                    parts += [c.value for c in (row if isinstance(row, tuple) else (row,)) if isinstance(c.value, str)]
    return " ".join(parts)


HEAD_ROWS = 4


@pytest.fixture(scope="module", params=["nn", "en"])
def demo(request, tmp_path_factory) -> tuple[str, Path, str]:
    import contextlib
    import io

    lang = request.param
    out = tmp_path_factory.mktemp(f"demo-{lang}") / "ut"
    buf_out, buf_err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(buf_out), contextlib.redirect_stderr(buf_err):
        rc = main(["demo", "--out", str(out), "--lang", lang])
    assert rc == 0, buf_err.getvalue()[-3000:]
    from samordna import i18n

    i18n.start([])
    return lang, out, buf_out.getvalue()


def test_every_page_is_in_the_language(demo) -> None:
    lang, out, _printed = demo
    pages = sorted(out.rglob("*.html"))
    assert len(pages) >= 6
    bad = {}
    for page in pages:
        if "region-workspaces" in page.parts:
            continue
        page_lang, text = own_text(page.read_text(encoding="utf-8"))
        if page.parent.name != "kommuner":  # one-pagers are in each municipality's own language form
            assert page_lang == lang, page
        if words := sorted(set(telltales(text, page_lang or lang))):
            bad[str(page.relative_to(out))] = words
    assert not bad, bad


def test_the_workbooks_own_words_are_in_the_language(demo) -> None:
    lang, out, _printed = demo
    # not the sample's 2025 plan: a workbook the municipality made and edited in bokmål keeps its language
    books = [p for p in sorted(out.rglob("*.xlsx")) if "region-workspaces" not in p.parts and "2025" not in p.name]
    assert {"handlingsplan-eksempeldal-2026.xlsx", "fylkesbilde-2026.xlsx"} <= {b.name for b in books}
    bad = {str(b.relative_to(out)): sorted(set(w)) for b in books if (w := telltales(workbook_own_text(b), lang))}
    assert not bad, bad


def test_what_the_demo_says_is_in_the_language(demo) -> None:
    lang, _out, printed = demo
    assert not telltales(printed, lang), printed[:3000]


def test_a_nynorsk_workspace_gets_nynorsk_without_any_flag(tmp_path) -> None:
    """init --målform nn: the report, the plan and the kit are nynorsk with no --lang and no SAMORDNA_LANG;
    and the county view over it and a bokmål neighbour gives each one-pager in its own language form."""
    import contextlib
    import io

    from openpyxl import load_workbook

    from samordna.demo.synthetic import RoundSpec, generate
    from samordna.io.resources import default_bank_path

    sectors = ["ledelse", "barnehage", "grunnskole", "helsestasjon", "barnevern", "nav"]
    nn = generate(tmp_path / "sogndal", default_bank_path(), name="Sogndal", number="4640",
                  rounds=[RoundSpec(2026, sectors, consensus=True, priorities=True)], seed=7, comments=False,
                  language="nn")
    generate(tmp_path / "alta", default_bank_path(), name="Alta", number="5601",
             rounds=[RoundSpec(2026, sectors, consensus=True, priorities=True)], seed=8, comments=False)
    assert "language: nn" in (nn.root / "kommune.yaml").read_text(encoding="utf-8")
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(io.StringIO()):
        for args in (["report", nn.root], ["plan", nn.root], ["kit", nn.root, "-n", "2"],
                     ["region", tmp_path / "sogndal", tmp_path / "alta", "--out", tmp_path / "fylke"]):
            assert main([str(a) for a in args]) == 0, args
    assert not telltales(printed.getvalue(), "nn"), printed.getvalue()[:2000]
    report = next(nn.root.glob("rapport-*.html"))
    page_lang, text = own_text(report.read_text(encoding="utf-8"))
    assert page_lang == "nn" and not telltales(text, "nn")
    plan = load_workbook(next(nn.root.glob("handlingsplan-*.xlsx")))
    assert "Retningslina" in plan.sheetnames, plan.sheetnames
    assert not telltales(workbook_own_text(next(nn.root.glob("handlingsplan-*.xlsx"))), "nn")
    guide = next(nn.root.rglob("fasilitatorveiledning-*.html"))
    assert own_text(guide.read_text(encoding="utf-8"))[0] == "nn"
    langs = {p.name: own_text(p.read_text(encoding="utf-8"))[0] for p in (tmp_path / "fylke" / "kommuner").glob("*.html")}
    assert langs == {"4640-sogndal-2026.html": "nn", "5601-alta-2026.html": "nb"}, langs
    for page in (tmp_path / "fylke" / "kommuner").glob("*.html"):
        page_lang, text = own_text(page.read_text(encoding="utf-8"))
        assert not telltales(text, page_lang), page
