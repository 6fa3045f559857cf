"""The young people's mirror in the report, on the youth council's page and in the JSON (outputs.mirror_report).

The fixture ``mirror_ws`` has 9 young people and 4 parents in round 2026: the young people are shown, the
parents never are, not even their number, and nothing is given for both roles together. The pages are
parsed back with html.parser; the expected values are computed here from the response files themselves."""

from __future__ import annotations

import json
import re
import shutil
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from conftest import add_mirror_answers, run_cli
from samordna.core import fmt
from samordna.io.mirrorfile import shipped_mirror_bank
from samordna.io.workspace import Workspace
from samordna.outputs.mirror_report import YOUTH_PAGE
from samordna.outputs.report import write_report

TODAY = date(2026, 11, 20)


class Page(HTMLParser):
    """Visible text per <section id>, the tables (caption and rows of cell texts) and the charts' <text>."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.sections: dict[str, list[str]] = {}
        self.order: list[str] = []
        self.top: list[str] = []  # the ids of the sections that are not inside another section
        self.tables: list[dict] = []
        self.svg_text: dict[str, list[str]] = {}
        self.lang = ""
        self.links: list[str] = []
        self._stack: list[str] = []  # open section ids
        self._skip = 0
        self._table: dict | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._caption: list[str] | None = None
        self._svg_text = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang", "")
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag == "section":
            sid = a.get("id") or (self._stack[-1] if self._stack else "")
            if a.get("id") and a["id"] not in self.sections:
                self.order.append(a["id"])
                if not self._stack:
                    self.top.append(a["id"])
                self.sections[a["id"]] = []
            self._stack.append(sid)
        if tag in ("style", "script", "title"):
            self._skip += 1
        if tag == "table":
            self._table = {"section": self._stack[-1] if self._stack else "", "caption": "", "rows": [],
                           "class": a.get("class", "")}
        if tag == "caption":
            self._caption = []
        if tag == "tr":
            self._row = []
        if tag in ("td", "th") and self._row is not None:
            self._cell = []
        if tag == "text":
            self._svg_text = True

    def handle_endtag(self, tag):
        if tag == "section" and self._stack:
            self._stack.pop()
        if tag in ("style", "script", "title"):
            self._skip -= 1
        if tag == "caption" and self._table is not None and self._caption is not None:
            self._table["caption"] = " ".join("".join(self._caption).split())
            self._caption = None
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        if tag == "tr" and self._row is not None and self._table is not None:
            self._table["rows"].append(self._row)
            self._row = None
        if tag == "table" and self._table is not None:
            self.tables.append(self._table)
            self._table = None
        if tag == "text":
            self._svg_text = False

    def handle_data(self, data):
        if self._skip:
            return
        for sid in set(self._stack):
            self.sections[sid].append(data)
        if self._svg_text and self._stack:
            self.svg_text.setdefault(self._stack[-1], []).append(data)
        for part in (self._cell, self._caption):
            if part is not None:
                part.append(data)

    def text(self, section: str) -> str:
        return " ".join("".join(self.sections.get(section, [])).split())

    def table(self, cls: str) -> dict:
        return next(t for t in self.tables if cls in t["class"].split())


def _without_mirror(ws_dir: Path) -> Path:
    """The sample municipality without its own mirror answers (as ``mirror_ws`` starts)."""
    for folder in ws_dir.glob("runder/*/speilet"):
        shutil.rmtree(folder)
    return ws_dir


def _tenth(x: float) -> float:
    """One decimal, halves up (as core.mirror rounds every mean it shows)."""
    return float(Decimal(repr(x)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _report(ws_dir: Path, out: Path | None = None):
    files = write_report(Workspace(ws_dir), None, out, today=TODAY, summary=False)
    html = files.html.read_text(encoding="utf-8")
    youth = files.youth.read_text(encoding="utf-8") if files.youth else ""
    return files, html, youth


def _section_html(html: str) -> str:
    start = html.index('<section id="speilet"')
    return html[start:html.index("</section>", html.index("</table>", start)) + 10]


def _expected(ws_dir: Path, round_id: str, role: str, k: int = 5) -> dict[str, float | None]:
    """Per area: the mean of the statements' means where at least ``k`` of ``role`` gave a level (0–4),
    read straight from the round's response files."""
    bank = shipped_mirror_bank()
    files = sorted((ws_dir / "runder" / round_id / "speilet").glob("S*.yaml"))
    people = [d for d in (yaml.safe_load(p.read_text(encoding="utf-8")) for p in files) if d["role"] == role]
    out: dict[str, float | None] = {}
    if len(people) < k:
        return dict.fromkeys(bank.areas())
    for area in bank.areas():
        means = []
        for st in bank.in_area(area):
            levels = [p["answers"][st.id] for p in people if isinstance(p["answers"].get(st.id), int)]
            if len(levels) >= k:
                means.append(sum(levels) / len(levels))
        out[area] = _tenth(sum(means) / len(means)) if means else None
    return out


def _area_names(ws_dir: Path) -> dict[str, str]:
    from samordna.core.results import workspace_results

    return {d.id: d.name for d in workspace_results(Workspace(ws_dir))[-1].domains}


# --- the report's section --------------------------------------------------------------------


def test_section_after_the_areas_and_in_the_contents(mirror_ws):
    _files, html, _youth = _report(mirror_ws)
    page = Page(html)
    assert "speilet" in page.order
    assert page.top.index("speilet") == page.top.index("omrade-for-omrade") + 1
    assert "#speilet" in page.links
    text = page.text("speilet")
    assert "Speilet: slik opplever ungdommene og foreldrene det" in text
    assert "9 ungdommer har svart." in text
    assert "Svarene fra foreldrene vises ikke: de er færre enn 5." in text


def test_no_section_without_mirror_answers(sample_ws):
    _without_mirror(sample_ws)
    files, html, _youth = _report(sample_ws)
    assert "speilet" not in Page(html).order
    assert files.youth is None and not (sample_ws / YOUTH_PAGE).exists()


def test_young_values_are_the_response_files_means(mirror_ws):
    _files, html, _youth = _report(mirror_ws)
    expected = _expected(mirror_ws, "2026", "ungdom")
    names = _area_names(mirror_ws)
    table = Page(html).table("mirror-areas")
    assert table["rows"][0] == ["Område", "Lederne", "Ungdommene", "Foreldrene"]
    rows = {r[0]: r for r in table["rows"][1:]}
    assert len(rows) == len(expected)
    for area, value in expected.items():
        assert value is not None
        assert rows[names[area]][2] == fmt.num(value)
        assert rows[names[area]][3] == "færre enn 5"


def test_the_chart_draws_the_values(mirror_ws):
    _files, html, _youth = _report(mirror_ws)
    page = Page(html)
    drawn = page.svg_text["speilet"]
    rows = page.table("mirror-areas")["rows"][1:]
    for r in rows:
        assert r[1] in drawn and r[2] in drawn  # the leaders' level and the young people's value at each bar
    assert "Lederne" in drawn and "Ungdommene" in drawn
    assert not any("oreldre" in t for t in drawn)  # the parents are neither drawn nor in the legend
    assert "Foreldrene er ikke med i diagrammet: de er færre enn 5." in page.text("speilet")
    assert html.count('<svg class="chart-svg"') >= 1


def test_gaps_named_in_words(mirror_ws):
    _files, html, _youth = _report(mirror_ws)
    bank = shipped_mirror_bank()
    names = _area_names(mirror_ws)
    rows = {r[0]: r for r in Page(html).table("mirror-areas")["rows"][1:]}
    young = _expected(mirror_ws, "2026", "ungdom")
    leaders = {a: float(rows[names[a]][1].replace(",", ".")) for a in young}
    gaps = sorted(((leaders[a] - v, a) for a, v in young.items() if v is not None and leaders[a] - v >= bank.gap_to_name),
                  reverse=True)[:3]
    assert gaps, "the sample should have a gap to name"
    text = Page(html).text("speilet")
    for _size, a in gaps:
        assert (f"Lederne mener {names[a]} er på nivå {rows[names[a]][1]}; ungdommene opplever "
                f"{fmt.num(young[a])}.") in text


def test_statements_of_the_young_only(mirror_ws):
    _files, html, _youth = _report(mirror_ws)
    page = Page(html)
    bank = shipped_mirror_bank()
    captions = [t["caption"] for t in page.tables if "mirror-statements" in t["class"]]
    assert captions == ["Snitt (0–4) og antall svar per nivå: ungdommene"]
    rows = page.table("mirror-statements")["rows"][1:]
    assert len(rows) == len(bank.statements)
    assert all(r[0].startswith(st.young) for r, st in zip(rows, bank.statements, strict=True))
    for r in rows:  # a mean and six counts that add up to at most the 9 young people
        assert len(r) == 8 and sum(int(c) for c in r[2:]) <= 9


# --- the parents: never shown, never derivable ----------------------------------------------


def test_four_parents_appear_nowhere(mirror_ws):
    files, html, youth = _report(mirror_ws)
    section = Page(html).text("speilet")
    for text in (section, Page(youth).text("hvem") + Page(youth).text("dere-sa") + Page(youth).text("forskjeller")):
        assert not re.search(r"\b4\s+(foreldre|forelder)", text)
        assert not re.search(r"(?<![\d,])13(?![\d,])", text)  # 9 + 4: no total across the roles
        for band in ("13–15", "13-15", "16–18", "16-18", "19–24", "19-24"):
            assert band not in text  # no age bands
    assert "foreldre" not in Page(youth).text("hvem").lower()
    assert "forelder" not in youth.lower()
    assert "Påstandene til foreldrene" not in section
    assert "SY0" not in html and "SP0" not in html and "SY0" not in youth  # no response ids
    data = json.loads(run_cli(["score", str(mirror_ws), "--json"]).stdout)
    mirror = next(r for r in data["rounds"] if r["round"] == "2026")["mirror"]
    assert mirror["groups"] == {"ungdom": 9, "foreldre": None}
    assert all(a["values"]["foreldre"] is None for a in mirror["areas"])
    assert {s["role"] for s in mirror["statements"]} == {"ungdom"}
    assert {g["role"] for g in mirror["gaps"]} == {"ungdom"}
    assert "13" not in json.dumps(mirror["groups"])


def test_the_four_parents_change_nothing(mirror_ws, tmp_path):
    """The strongest check that nothing can be derived: the outputs with the 4 parents are the outputs
    without them, byte for byte."""
    without = tmp_path / "uten"
    shutil.copytree(mirror_ws, without)
    for p in (without / "runder" / "2026" / "speilet").glob("SP*.yaml"):
        p.unlink()
    _f1, html1, youth1 = _report(mirror_ws)
    _f2, html2, youth2 = _report(without)
    assert _section_html(html1) == _section_html(html2)
    assert youth1 == youth2
    j1 = json.loads(run_cli(["score", str(mirror_ws), "--json"]).stdout)
    j2 = json.loads(run_cli(["score", str(without), "--json"]).stdout)
    assert [r["mirror"] for r in j1["rounds"]] == [r["mirror"] for r in j2["rounds"]]


def test_five_parents_are_shown(sample_ws):
    _without_mirror(sample_ws)
    add_mirror_answers(sample_ws, young=9, parents=5)
    _files, html, youth = _report(sample_ws)
    page = Page(html)
    expected = _expected(sample_ws, "2026", "foreldre")
    names = _area_names(sample_ws)
    rows = {r[0]: r for r in page.table("mirror-areas")["rows"][1:]}
    for area, value in expected.items():
        assert rows[names[area]][3] == ("for få svar" if value is None else fmt.num(value))
    assert "5 foreldre har svart." in page.text("speilet")
    assert "Foreldrene" in page.svg_text["speilet"]
    captions = [t["caption"] for t in page.tables if "mirror-statements" in t["class"]]
    assert captions == ["Snitt (0–4) og antall svar per nivå: ungdommene",
                        "Snitt (0–4) og antall svar per nivå: foreldrene"]
    assert "9 ungdommer og 5 foreldre svarte." in Page(youth).text("hvem")
    assert not re.search(r"(?<![\d,])14(?![\d,])", page.text("speilet"))  # still no total


def test_a_higher_min_group_hides_the_young_too(mirror_ws, tmp_path):
    """With mirror_min_group: 10 neither the 9 young people nor the 4 parents reach the limit. Then the outputs look
    exactly as if nobody had answered the mirror: otherwise «1 to 9 answered» could be told from «nobody»."""
    kommune = mirror_ws / "kommune.yaml"
    kommune.write_text(kommune.read_text(encoding="utf-8") + "mirror_min_group: 10\n", encoding="utf-8")
    files, html, _youth = _report(mirror_ws, tmp_path / "med" / "rapport.html")
    assert 'id="speilet"' not in html and files.youth is None
    assert not (tmp_path / "med" / YOUTH_PAGE).exists()
    data = json.loads(run_cli(["score", str(mirror_ws), "--json"]).stdout)
    assert next(r for r in data["rounds"] if r["round"] == "2026")["mirror"] is None
    # the same bytes as the report of the same workspace with no mirror answers at all
    nobody = tmp_path / "ingen"
    shutil.copytree(mirror_ws, nobody)
    _without_mirror(nobody)
    _files, html_nobody, _ = _report(nobody, tmp_path / "uten" / "rapport.html")
    assert html.replace(str(mirror_ws), "WS") == html_nobody.replace(str(nobody), "WS")


# --- JSON -----------------------------------------------------------------------------------


def test_leaders_scores_are_the_same_with_and_without_the_mirror(sample_ws):
    _without_mirror(sample_ws)
    before = json.loads(run_cli(["score", str(sample_ws), "--json"]).stdout)
    add_mirror_answers(sample_ws, young=9, parents=4)
    add_mirror_answers(sample_ws, young=7, parents=0, round_id="2025")
    after = json.loads(run_cli(["score", str(sample_ws), "--json"]).stdout)
    assert all(r["mirror"] is None for r in before["rounds"])
    assert {r["round"]: r["mirror"] is not None for r in after["rounds"]} == {"2024": False, "2025": True, "2026": True}
    for r in before["rounds"] + after["rounds"]:
        del r["mirror"]
    assert before == after


def test_json_mirror_holds_only_the_view(mirror_ws):
    data = json.loads(run_cli(["score", str(mirror_ws), "--json", "--round", "2026"]).stdout)
    (rnd,) = data["rounds"]
    mirror = rnd["mirror"]
    assert set(mirror) == {"bank", "min_group", "groups", "areas", "statements", "gaps"}
    assert set(mirror["areas"][0]) == {"area", "name", "leaders", "values"}
    assert set(mirror["statements"][0]) == {"id", "area", "role", "mean", "counts"}
    assert set(mirror["statements"][0]["counts"]) == {"0", "1", "2", "3", "4", "vet_ikke"}
    text = json.dumps(mirror, ensure_ascii=False)
    for absent in ("age_band", "13-15", "16-18", "19-24", "SY0", "SP0", "skjema"):
        assert absent not in text
    expected = _expected(mirror_ws, "2026", "ungdom")
    for a in mirror["areas"]:
        assert a["values"]["ungdom"] == expected[a["area"]]


# --- trend ----------------------------------------------------------------------------------


def test_trend_when_an_earlier_round_has_the_mirror(mirror_ws):
    _files, html, _youth = _report(mirror_ws)
    assert "Speilet fra år til år" not in Page(html).text("speilet")
    add_mirror_answers(mirror_ws, young=7, parents=0, round_id="2025")
    _files, html, _youth = _report(mirror_ws)
    page = Page(html)
    assert "Speilet fra år til år" in page.text("speilet")
    tables = [t for t in page.tables if "mirror-trend" in t["class"]]
    assert [t["caption"] for t in tables] == ["Slik ungdommene har opplevd områdene (0–4), runde for runde"]
    head, *rows = tables[0]["rows"]
    assert head == ["Område", "2025", "2026"]
    before = _expected(mirror_ws, "2025", "ungdom")
    now = _expected(mirror_ws, "2026", "ungdom")
    names = _area_names(mirror_ws)
    by_name = {r[0]: r for r in rows}
    for area in now:
        assert by_name[names[area]][1:] == [fmt.num(before[area]), fmt.num(now[area])]
    drawn = page.svg_text["speilet"]  # the small multiples: both rounds, every value labelled
    assert "2025" in drawn and "2026" in drawn
    assert all(fmt.num(v) in drawn for v in [*before.values(), *now.values()] if v is not None)
    assert "Et punkt mangler der gruppen var for liten det året." in page.text("speilet")


# --- the youth council's page ---------------------------------------------------------------


def test_youth_page_beside_the_report_and_named_by_the_command(mirror_ws, tmp_path):
    result = run_cli(["report", str(mirror_ws)])
    assert result.exit_code == 0, result.output
    page_path = mirror_ws / YOUTH_PAGE
    assert page_path.is_file()
    assert YOUTH_PAGE in result.output
    out = tmp_path / "ut" / "rapport.html"
    out.parent.mkdir()
    files, _html, youth = _report(mirror_ws, out)
    assert files.youth == out.parent / YOUTH_PAGE
    page = Page(youth)
    assert page.lang == "nb"
    assert page.order == ["hvem", "dere-sa", "forskjeller", "tiltak"]
    young = _expected(mirror_ws, "2026", "ungdom")
    names = _area_names(mirror_ws)
    bank = shipped_mirror_bank()
    rows = {r[0]: r for r in page.tables[0]["rows"][1:]}
    for area, v in young.items():
        assert v is not None
        # the area in plain words (not the main bank's name), with the first of its statements as an example
        key = f"{bank.area_names[area]}For eksempel: «{bank.in_area(area)[0].young}»"  # (a <br> between)
        assert names[area] not in youth
        assert rows[key][1] == f"«{bank.level_names[int(v + 0.5)]}» ({fmt.num(v)} av 4)"
    assert "Lederne skal velge hva de vil gjøre, og komme tilbake til dere." in page.text("tiltak")


def test_youth_page_lists_the_actions_chosen_from_the_mirror(mirror_ws):
    ws = Workspace(mirror_ws)
    rnd = ws.round()
    ind, other = rnd.bank.indicators[0], rnd.bank.indicators[1]
    rnd.save_priorities([other.id, ind.id], from_mirror={ind.id: "ungdom"})
    _files, _html, youth = _report(mirror_ws)
    text = Page(youth).text("tiltak")
    assert ind.short in text and ind.actions[0].split()[0] in text
    assert "Lederne skal velge" not in text
    assert other.short not in text  # a priority the leaders chose on their own is not said to come from the mirror


def test_youth_page_escapes_the_municipality_name(mirror_ws):
    kommune = mirror_ws / "kommune.yaml"
    data = yaml.safe_load(kommune.read_text(encoding="utf-8"))
    data["name"] = "Øy<script>alert(1)</script>"
    kommune.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    _files, html, youth = _report(mirror_ws)
    assert "<script>alert" not in youth and "&lt;script&gt;" in youth
    assert "<script>alert" not in _section_html(html)


def test_score_in_the_terminal_shows_the_mirror_as_the_report_does(mirror_ws):
    result = run_cli(["score", str(mirror_ws)])
    assert result.exit_code == 0, result.output
    out = " ".join(result.stdout.split())
    assert "Speilet: slik opplever ungdommene og foreldrene det (0–4)" in out
    assert "færre enn 5" in out and "ungdommene opplever" in out
    assert not re.search(r"\b4\s+(foreldre|forelder)", out)
    young = _expected(mirror_ws, "2026", "ungdom")
    assert all(fmt.num(v) in out for v in young.values() if v is not None)


def test_mirror_chart_reads_in_greyscale_and_is_deterministic():
    from samordna.outputs import charts

    series = [("Lederne", [3.0, 2.0]), ("Ungdommene", [1.4, None]), ("Foreldrene", [2.5, 2.25])]
    a = charts.mirror_chart(["Område A", "Område B"], series, "alt", "caption", missing="for få svar")
    b = charts.mirror_chart(["Område A", "Område B"], series, "alt", "caption", missing="for få svar")
    assert a.svg == b.svg
    for colour, _edge, _hatch in charts.MIRROR_STYLE:
        assert colour.lower() in a.svg.lower()
    assert a.svg.count("<pattern") == 2  # the young people's and the parents' hatches; the leaders' bars are solid
    texts = re.findall(r"<text\b[^>]*>([^<]*)</text>", a.svg)
    for value in ("3,0", "2,0", "1,4", "2,5", "2,2", "for få svar"):
        assert value in texts, value
    assert "0,0" not in texts  # a missing value is never drawn as 0


def test_youth_page_as_pdf_fits_on_one_a4_page(mirror_ws):
    from samordna.outputs.pdf import pdf_available

    if not pdf_available():
        pytest.skip("WeasyPrint (med Pango) er ikke installert")
    pypdf = pytest.importorskip("pypdf", reason="pypdf er ikke installert (pip install pypdf)")
    _without_mirror(mirror_ws)
    add_mirror_answers(mirror_ws, young=11, parents=6)  # both roles shown: the longest page
    from samordna.outputs.pdf import html_to_pdf

    files, _html, youth = _report(mirror_ws)  # the page alone as PDF (the whole report's PDF takes 15 s more)
    pdf = html_to_pdf(youth, files.youth.with_suffix(".pdf"))
    reader = pypdf.PdfReader(str(pdf))
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    assert "Dette sa dere" in text and "11 ungdommer og 6 foreldre svarte." in text
