"""samordna report: the HTML parsed back: sections in order, charts, no external resources,
accessibility basics, escaping, and the privacy rules (no codes, small sector groups suppressed)."""

from __future__ import annotations

import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

from samordna.core.models import ConsensusEntry
from samordna.io.bankfile import load_bank
from samordna.io.workspace import Workspace
from samordna.outputs.report import build_model, render_html, write_report

ROOT = Path(__file__).resolve().parents[1]
SECTIONS = ["forside", "juridisk-minimum", "sammendrag", "omradene", "omrade-for-omrade", "sektorer", "retningslinjen",
            "vet-ikke", "prioriteringer", "utvikling", "drofting", "metode"]
VOID = {"meta", "img", "br", "hr", "link", "input", "source", "col", "area", "base", "wbr", "embed", "track"}
RESOURCE_ATTRS = {("img", "src"), ("script", "src"), ("link", "href"), ("iframe", "src"), ("source", "src"),
                  ("video", "src"), ("audio", "src"), ("embed", "src"), ("object", "data"), ("img", "srcset")}


class Page(HTMLParser):
    """Tags with attributes, headings in order, and the text of every <section id=...>."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.headings: list[tuple[int, str]] = []
        self.section_order: list[str] = []
        self.text: dict[str, list[str]] = {}
        self._open: list[tuple[str, str | None]] = []  # (tag, section id)
        self._heading: list[str] | None = None
        self.style = ""
        self._in_style = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag == "section" and attrs.get("id"):
            self.section_order.append(attrs["id"])
            self.text.setdefault(attrs["id"], [])
        if re.fullmatch(r"h[1-6]", tag):
            self._heading = [tag]
        if tag == "style":
            self._in_style = True
        if tag not in VOID:
            self._open.append((tag, attrs.get("id") if tag == "section" else None))

    def handle_endtag(self, tag):
        if re.fullmatch(r"h[1-6]", tag) and self._heading:
            self.headings.append((int(tag[1]), "".join(self._heading[1:]).strip()))
            self._heading = None
        if tag == "style":
            self._in_style = False
        while self._open:
            t, _ = self._open.pop()
            if t == tag:
                break

    def handle_data(self, data):
        if self._in_style:
            self.style += data
        if self._heading is not None:
            self._heading.append(data)
        for _, sid in self._open:
            if sid:
                self.text[sid].append(data)

    def section(self, sid: str) -> str:
        return " ".join("".join(self.text[sid]).split())

    def find(self, tag: str) -> list[dict]:
        return [a for t, a in self.tags if t == tag]


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """The sample municipality, with hostile text in a comment, a rationale and a dissent (round 2026)."""
    import shutil

    root = tmp_path_factory.mktemp("rapport") / "eksempeldal"
    shutil.copytree(ROOT / "sample_municipality", root)
    ws = Workspace(root)
    rnd = ws.round("2026")
    pf = rnd.load_participant("D01")
    pf.answers["LED-01"].comment = "<script>alert('kommentar')</script> & mer"
    rnd.save_participant(pf)
    rnd.save_consensus({
        "LED-01": ConsensusEntry(level=2, rationale="<script>alert('begrunnelse')</script>",
                                 dissent="<img src=x onerror=alert(1)> Én var uenig."),
    })
    out = root.parent / "rapport.html"
    files = write_report(ws, "2026", out, today=date(2026, 11, 20))
    html = out.read_text(encoding="utf-8")
    return {"ws": ws, "html": html, "page": Page(html), "model": files.model}


def test_sections_in_order_and_lang(sample):
    page = sample["page"]
    assert [s for s in page.section_order if s in SECTIONS] == SECTIONS
    assert page.find("html")[0]["lang"] == "nb"
    text = " ".join(page.section(s) for s in SECTIONS)
    for needle in ["Eksempeldal", "Tre sterkeste områder", "Tre svakeste områder", "Retningslinjen:",
                   "Deltakere per sektor", "mange ser litt, men ingen ser alt", "Spørsmål til drøfting",
                   "samordna-0-24 2.0.0", "20. november 2026"]:
        assert needle.lower() in text.lower(), needle
    # one sub-section per domain
    n_domains = len(sample["ws"].round().bank.domains)
    assert len([s for s in page.section_order if s.startswith("omrade-") and s != "omrade-for-omrade"]) == n_domains


def test_charts_are_inline_svg_with_alt_text_and_nothing_external(sample):
    page, html = sample["page"], sample["html"]
    svgs = page.find("svg")
    # radar + one per domain + sector heat map + «vet ikke» bars + trends + the mirror and its trend (the sample has
    # a youth council and parents in 2025 and 2026)
    assert len(svgs) == 1 + len(sample["ws"].round().bank.domains) + 1 + 1 + 1 + 2
    for svg in svgs:
        assert svg["class"] == "chart-svg" and svg["role"] == "img"
        assert len(svg.get("aria-label", "")) > 40
    assert not page.find("img")
    for tag, attrs in page.tags:
        for (t, attr) in RESOURCE_ATTRS:
            if tag == t and attr in attrs:
                assert attrs[attr].startswith("data:"), (tag, attrs[attr][:60])
    assert "url(data:font/woff2;base64," in html and "@import" not in html
    assert not page.find("script") and not page.find("link") and not page.find("iframe")


def test_first_round_has_no_history_and_output_is_deterministic(sample):
    ws = sample["ws"]
    model = build_model(ws, "2024", today=date(2025, 1, 2))
    assert model["history"] is None
    html = render_html(model)
    page = Page(html)
    assert "utvikling" not in page.section_order
    assert len(page.find("svg")) == 1 + 8 + 1 + 1  # no trend chart
    again = render_html(build_model(ws, "2024", today=date(2025, 1, 2)))
    assert again == html


def _answers(bank, level) -> dict:
    return {ind.id: {"level": level} for ind in bank.indicators}


def _participant(rnd, code, sector, level):
    pf = rnd.new_participant(code, sector, "fil")
    from samordna.core.models import Answer

    pf.answers = {ind.id: Answer(level=level) for ind in rnd.bank.indicators}
    rnd.save_participant(pf)


def test_sector_of_two_is_suppressed_and_its_values_appear_nowhere(empty_ws):
    ws = Workspace(empty_ws)
    rnd = ws.round()
    for i in range(3):
        _participant(rnd, f"B{i}", "barnehage", 1)  # oppvekst: three people, all «1»
    _participant(rnd, "N1", "nav", 4)  # velferd: two people, mean 3,5 everywhere
    _participant(rnd, "N2", "barnevern", 3)
    _participant(rnd, "H1", "helsestasjon", 0)  # helse: one more hidden, so 3 hidden and oppvekst may be shown
    model = build_model(ws, today=date(2026, 11, 20))
    html = render_html(model)
    page = Page(html)
    section = page.section("sektorer")
    names = {g.id: g.name for g in ws.sectors.groups}
    hidden = [names["helse"], names["velferd"]]
    assert model["sectors"]["hidden"] == hidden
    assert list(model["sectors"]["cols"]) == ["Barnehage, skole og PPT (n=3)"]
    assert "(n=2)" not in html
    assert "3,5" not in section
    assert all(r["cells"] == ["1,0"] for r in model["sectors"]["rows"])
    assert f"Skjult fordi gruppen har færre enn 3 deltakere: {', '.join(hidden)}" in section
    n_domains = len(rnd.bank.domains)
    assert len(page.find("svg")) == 1 + n_domains + 1 + 1  # heat map for the one group; no history


def test_all_groups_small_means_no_heat_map(empty_ws):
    ws = Workspace(empty_ws)
    rnd = ws.round()
    _participant(rnd, "A1", "barnehage", 2)
    _participant(rnd, "A2", "nav", 3)
    model = build_model(ws, today=date(2026, 11, 20))
    assert model["sectors"]["chart"] is None
    page = Page(render_html(model))
    assert "sektorvisningen er skjult" in page.section("sektorer")
    assert len(page.find("svg")) == 1 + len(rnd.bank.domains) + 1


def test_cli_writes_html_and_rejects_bad_input(cli, sample_ws, tmp_path):
    out = tmp_path / "ut" / "rapport.html"
    res = cli(["report", sample_ws, "--round", "2025", "--out", out])
    assert res.exit_code == 0, res.output
    assert out.exists() and "runde 2025" in res.output
    bad = cli(["report", sample_ws, "--out", tmp_path / "rapport.txt"])
    assert bad.exit_code == 2 and ".html" in bad.output
    assert not (tmp_path / "rapport.txt").exists()
    missing = cli(["report", sample_ws, "--round", "2099", "--out", tmp_path / "x.html"])
    assert missing.exit_code == 2 and "2099" in missing.output
    assert not (tmp_path / "x.html").exists()


def test_demo_step_writes_report(sample_ws, tmp_path):
    from samordna.demo.steps import DemoContext, report_step

    ctx = DemoContext(workspace=sample_ws, out=tmp_path, say=lambda text: None, pdf=False)
    report_step(ctx)
    # the report, the youth council's page (the sample has the mirror) and the one-page summary
    assert ctx.written == [tmp_path / "report.html", tmp_path / "speilet-til-ungdomsradet.html",
                           tmp_path / "report-sammendrag.html"]
    assert "runde 2026" in (tmp_path / "report.html").read_text(encoding="utf-8")


def test_bank_matches_fixture(bank):
    # the report reads the round's own bank copy; the sample's copy is the shipped bank
    assert load_bank(ROOT / "sample_municipality" / "runder" / "2026" / "bank.yaml").label == bank.label
