"""Charts with real text: every chart in the report is inline SVG with <text>, its ids are unique in the
page, the chart font is embedded once as a WOFF2 subset that covers every character the charts draw,
the same input gives the same bytes, and WeasyPrint draws the chart text as text in that font."""

from __future__ import annotations

import base64
import io
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

from samordna.outputs import charts, fonts
from samordna.outputs.html import finish_charts

ROOT = Path(__file__).resolve().parents[1]
SVG = "{http://www.w3.org/2000/svg}"
FACE = re.compile(r"@font-face \{ font-family: 'samordna-chart';[^}]*url\(data:font/woff2;base64,([A-Za-z0-9+/=]+)\)")


class Ids(HTMLParser):
    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.ids += [v for k, v in attrs if k == "id" and v]

    handle_startendtag = handle_starttag


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    from samordna.io.workspace import Workspace
    from samordna.outputs.report import write_report

    root = tmp_path_factory.mktemp("diagram") / "eksempeldal"
    shutil.copytree(ROOT / "sample_municipality", root)
    ws = Workspace(root)
    out = root.parent / "rapport.html"
    write_report(ws, "2026", out, today=date(2026, 11, 20))
    html = out.read_text(encoding="utf-8")
    blocks = re.findall(r'<svg class="chart-svg".*?</svg>', html, flags=re.S)
    return {"ws": ws, "html": html, "blocks": blocks, "trees": [ET.fromstring(b) for b in blocks]}


def _texts(tree: ET.Element) -> list[str]:
    return [t.text or "" for t in tree.iter(f"{SVG}text")]


def _embedded_font(html: str):
    from fontTools.ttLib import TTFont

    faces = FACE.findall(html)
    assert len(faces) == 1
    return TTFont(io.BytesIO(base64.b64decode(faces[0])))


def test_every_chart_is_inline_svg_with_its_labels_as_text(report):
    bank = report["ws"].round("2026").bank
    trees = report["trees"]
    # radar, one per domain, heat map, «vet ikke», trends, the mirror and the mirror's trend
    assert len(trees) == 1 + len(bank.domains) + 1 + 1 + 1 + 2
    assert "<img" not in report["html"]
    for tree in trees:
        assert tree.get("role") == "img"
        title = tree.find(f"{SVG}title")
        assert title is not None and title.text == tree.get("aria-label") and len(title.text) > 40
        assert _texts(tree), "a chart without text"
        assert not tree.findall(f".//{SVG}use[@data-glyph]") and "DejaVuSans-" not in ET.tostring(tree, "unicode")
    radar = " ".join(" ".join(_texts(trees[0])).split())
    for d in bank.domains:  # the domain names are the radar's labels (wrapped over lines: one <text> per line)
        assert all(word in radar for word in d.name.split()), d.name
    for tree, domain in zip(trees[1:], bank.domains, strict=False):
        words = " ".join(_texts(tree))
        assert all(ind.id in words for ind in domain.indicators), domain.id
        assert "Ett svar" in words and "Nivå 0–4" in words
    assert "Andel av svarene (%)" in " ".join(_texts(trees[-2]))


def test_ids_are_unique_in_the_page_and_every_reference_stays_in_its_own_chart(report):
    ids = Ids(report["html"]).ids
    assert [k for k, n in Counter(ids).items() if n > 1] == []
    assert charts.ID_TOKEN not in report["html"]
    assert any(block.count("url(#") for block in report["blocks"])  # the charts do use clip paths
    for n, block in enumerate(report["blocks"], 1):
        own = set(re.findall(r' id="([^"]+)"', block))
        assert all(i.startswith(f"c{n}-") for i in own)
        refs = re.findall(r'url\(#([^)"]+)\)|href="#([^"]+)"', block)
        assert {a or b for a, b in refs} <= own


def test_the_font_is_embedded_once_and_covers_every_character_in_the_charts(report):
    html = report["html"]
    assert html.count("@font-face") == 1 and html.index("@font-face") < html.index("</head>")
    font = _embedded_font(html)
    drawn = charts.chart_text("".join(report["blocks"]))
    assert {"æ", "ø", "å", "–", "%", "0", "4"} <= set(drawn)
    cmap = font.getBestCmap()
    assert [c for c in drawn if ord(c) not in cmap] == []
    assert len(cmap) <= len(drawn) + 2  # a subset: the characters drawn (and little else), not all of DejaVu
    assert font["head"].modified == font["head"].created == fonts._FIXED_TIME
    assert len(FACE.findall(html)[0]) < 40_000
    for tree in report["trees"]:  # the family is named once, on each chart; no text asks for another family
        assert tree.get("font-family", "").startswith("'samordna-chart'")
        assert all("font-family" not in (t.get("style") or "") for t in tree.iter(f"{SVG}text"))


def test_same_input_same_bytes():
    fonts.subset_woff2.cache_clear()
    a = fonts.subset_woff2("Nivå 0–4 %", 400)
    fonts.subset_woff2.cache_clear()
    assert fonts.subset_woff2("Nivå 0–4 %", 400) == a
    one = charts.unknown_bars(["Ledelse", "Samarbeid"], [0.1, 0.0], [0.05, 0.2], "Andelen vet ikke")
    two = charts.unknown_bars(["Ledelse", "Samarbeid"], [0.1, 0.0], [0.05, 0.2], "Andelen vet ikke")
    assert one.svg == two.svg
    page = f"<html><head></head><body>{one.svg}{two.svg}</body></html>"
    assert finish_charts(page) == finish_charts(page)
    assert 'id="c1-' in finish_charts(page) and 'id="c2-' in finish_charts(page)


def test_pages_without_charts_are_unchanged_and_a_fragment_gets_the_font_before_its_first_chart():
    assert finish_charts("<html><head></head><body><p>Ingen diagram</p></body></html>").count("@font-face") == 0
    chart = charts.unknown_bars(["Ledelse"], [0.1], [0.0], "Andelen vet ikke")
    done = finish_charts(f"<p>Før</p>{chart.svg}")
    assert done.startswith("<p>Før</p><style>") and done.count("@font-face") == 1


def test_stand_alone_uri_still_works_for_pages_that_show_an_img():
    chart = charts.unknown_bars(["Ledelse & samarbeid"], [0.1], [0.0], "Andelen «vet ikke» & «ikke relevant»")
    assert chart.uri.startswith("data:image/svg+xml;base64,")
    svg = base64.b64decode(chart.uri.split(",", 1)[1]).decode("utf-8")
    tree = ET.fromstring(svg)
    assert charts.ID_TOKEN not in svg and "@font-face" in svg
    assert "Ledelse & samarbeid" in _texts(tree)
    assert tree.get("aria-label") == "Andelen «vet ikke» & «ikke relevant»"


def test_the_alt_text_is_escaped():
    chart = charts.unknown_bars(["A"], [0.1], [0.0], 'Alt med "anførsel" og <b>tagg</b>')
    tree = ET.fromstring(chart.svg)
    assert tree.get("aria-label") == 'Alt med "anførsel" og <b>tagg</b>'
    assert "<b>" not in chart.svg


def _poppler(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} (poppler-utils) er ikke installert")
    return path


def test_weasyprint_draws_chart_text_as_text_in_the_embedded_font(tmp_path):
    from samordna.outputs.pdf import html_to_pdf, pdf_available

    if not pdf_available():
        pytest.skip("WeasyPrint (med Pango) er ikke installert")
    pdffonts, pdftotext = _poppler("pdffonts"), _poppler("pdftotext")
    chart = charts.unknown_bars(["Ledelse, plan og kunnskapsgrunnlag", "Samarbeid på systemnivå"], [0.12, 0.0],
                                [0.05, 0.2], "Andelen «vet ikke» og «ikke relevant» per område")
    page = f'<html lang="nb"><head><meta charset="utf-8"></head><body><figure>{chart.svg}</figure></body></html>'
    pdf = html_to_pdf(finish_charts(page), tmp_path / "diagram.pdf")
    names = subprocess.run([pdffonts, str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "samordna-chart" in names  # the subset from the page, not a system font
    text = " ".join(subprocess.run([pdftotext, str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split())
    for label in ["Andel av svarene (%)", "Samarbeid på systemnivå", "Vet ikke", "Ikke relevant", "12 %"]:
        assert label in text, label
