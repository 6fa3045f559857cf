"""The county view's outputs at scale: the heat map as an accessible HTML table, the write-only workbook read
back, and the one-pagers without work per municipality that grows with the number of municipalities."""

from __future__ import annotations

import copy
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from samordna.core.fmt import num
from samordna.core.region import Collection, assign_codes, build_region
from samordna.demo.synthetic import Profile, RoundSpec, generate
from samordna.io.region_collect import collect

DOMAINS = ["LED", "ROL", "SAM", "TID", "TAU", "KOM", "BRU", "OPP", "OVG"]
NAMES = ["Aurdal", "Bjørkvik", "Cederstad", "Dalen"]
FORMULA_NAME = "=1+2"  # a name Excel would evaluate if it went in as a plain string
NO_LED = "Dalen"  # no levels in LED: its cell must read «–», not a number
OLD_ROUND = "Cederstad"  # its round is from 2025: the region of 2026 uses it, and the heat map says which year


@pytest.fixture(scope="module")
def collection(tmp_path_factory, bank_path) -> Collection:
    root = tmp_path_factory.mktemp("fylke-skala")
    for k, name in enumerate(NAMES):
        profile = Profile(levels={d: [0.4 + 0.9 * ((k + j) % 4)] for j, d in enumerate(DOMAINS)}, comment_rate=0.0)
        generate(root / name.lower(), bank_path, name=name, number=f"{9300 + k}",
                 rounds=[RoundSpec(2025 if name == OLD_ROUND else 2026, ["ledelse", "barnehage", "grunnskole"],
                                   priorities=False)],
                 profile=profile, seed=k, comments=False)
    c = collect([root])
    assert not c.problems and len(c.municipalities) == len(NAMES)
    for m in c.municipalities:
        if m.name == NO_LED:
            for r in m.rounds:
                r.indicators = {i: (None if i.startswith("LED-") else v) for i, v in r.indicators.items()}
    return c


def _region(collection: Collection, *, formula: bool = False, times: int = 1):
    """The region of the collection; ``formula`` renames one municipality «=1+2»; ``times`` repeats every
    municipality under new numbers (a bigger county with the same levels)."""
    ms = []
    for t in range(times):
        for m in collection.municipalities:
            m = copy.deepcopy(m)
            if t:
                m.name, m.number = f"{m.name} {t + 1}", f"{int(m.number) + 100 * t}"
            ms.append(m)
    if formula:
        ms[0].name = FORMULA_NAME
    assign_codes(ms)
    return build_region(Collection(ms, collection.banks, []))


@pytest.fixture(scope="module")
def region(collection):
    return _region(collection)


# --- the heat map as a table ------------------------------------------------------------------


class _Heat(HTMLParser):
    """The table with class «heat»: its caption, column headers (with scope) and rows of (header, cells)."""

    def __init__(self):
        super().__init__()
        self.caption, self.cols, self.rows, self.styles = "", [], [], ""
        self._in, self._cell, self._text, self._style = False, None, [], False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "style":
            self._style = True
        if tag == "table" and "heat" in (a.get("class") or "").split():
            self._in = True
        if not self._in:
            return
        if tag == "tr":
            self._row = None
        if tag in ("th", "td", "caption"):
            self._cell, self._text = (tag, a), []

    def handle_endtag(self, tag):
        if tag == "style":
            self._style = False
        if not self._in:
            return
        if tag == "table":
            self._in = False
        if tag in ("th", "td", "caption") and self._cell:
            kind, a = self._cell
            text = "".join(self._text).strip()
            if kind == "caption":
                self.caption = text
            elif kind == "th" and a.get("scope") == "col":
                self.cols.append(text)
            elif kind == "th" and a.get("scope") == "row":
                self.rows.append((text, []))
            elif kind == "td":
                self.rows[-1][1].append((text, a.get("class", "")))
            self._cell = None

    def handle_data(self, data):
        if self._style:
            self.styles += data
        if self._cell:
            self._text.append(data)


def _heat(html: str) -> _Heat:
    p = _Heat()
    p.feed(html)
    return p


def _colours(styles: str) -> dict[str, tuple[str, str]]:
    return {m[0]: (m[1], m[2]) for m in re.findall(r"table\.heat td\.(h\w+) \{ background: (#\w+); color: ([#\w]+); \}",
                                                   styles)}


@pytest.mark.parametrize("anonymize", [False, True])
def test_heat_map_is_a_table_with_one_row_per_municipality_colour_and_number(region, anonymize):
    from samordna.outputs.charts import text_colour_on
    from samordna.outputs.region_charts import heat_colour
    from samordna.outputs.region_report import render_all

    html, _ = render_all(region, anonymize=anonymize, skipped=[])
    heat = _heat(html)
    names = {d.id: d.name for d in region.bank.domains}
    assert heat.caption.startswith("Nivå 0–4 per kommune og område")
    assert heat.cols == ["Kommune", "Runde", *[names[d] for d in region.domains], "Samlet"]  # one round from 2025
    by_label = {e.municipality.label(anonymize): e for e in region.entries}
    assert [label for label, _ in heat.rows] == sorted(by_label, key=str.casefold)  # one row each, no ranking
    colours = _colours(heat.styles)
    for label, cells in heat.rows:
        e = by_label[label]
        levels = [e.domains[d] for d in region.domains] + [e.overall]
        assert cells[0][0] == str(e.round.year) == ("2025" if e.municipality.name == OLD_ROUND else "2026")
        assert [text for text, _ in cells[1:]] == [num(v) for v in levels]
        for (_, cls), level in zip(cells[1:], levels, strict=True):
            assert colours[cls] == heat_colour(level)  # the cell's colour is its level's (the number is there too)
    if anonymize:
        assert not any(n in html for n in NAMES)
    # contrast: the text colour is the one that reads best on the background
    for bg, fg in colours.values():
        rgb = tuple(int(bg[i:i + 2], 16) / 255 for i in (1, 3, 5))
        assert fg == (text_colour_on(rgb) if bg != "#FFFFFF" else "#111111")


def test_heat_map_names_the_round_year_only_when_one_is_from_before(collection):
    from samordna.outputs.region_report import render_all

    region = build_region(collection, 2025)  # only Cederstad has a round by 2025: every round is of the year
    heat = _heat(render_all(region, anonymize=False, skipped=[])[0])
    assert "Runde" not in heat.cols and [label for label, _ in heat.rows] == [OLD_ROUND]
    assert len(heat.rows[0][1]) == len(region.domains) + 1


def test_heat_map_cell_without_a_level_reads_dash_and_no_counts_appear(region):
    from samordna.outputs.region_report import render_all

    html, _ = render_all(region, anonymize=False, skipped=[])
    heat = _heat(html)
    row = dict(heat.rows)[NO_LED]
    led = list(region.domains).index("LED")
    assert row[1 + led] == ("–", "hx")  # no level: a dash on white, never 0
    others = [cells for label, cells in heat.rows if label != NO_LED]
    assert all(cells[1 + led][0] != "–" for cells in others)
    # only levels 0–4 with one decimal (or «–») and the year: no participant counts or answers in the table
    for _, cells in heat.rows:
        assert all(re.fullmatch(r"[0-4],\d|–", text) for text, _ in cells[1:])


def test_heat_map_legend_and_print_rules(region):
    from samordna.outputs.region_report import CSS, render_all

    html, _ = render_all(region, anonymize=False, skipped=[])
    legend = re.search(r'<p class="heat-legend">(.*?)</p>', html, re.S)
    assert legend and re.findall(r">(\d)</span>", legend.group(1)) == ["0", "1", "2", "3", "4"]
    assert "ingen påstander med nivå" in legend.group(1)
    printing = CSS[CSS.index("@media print"):]
    assert "thead { display: table-header-group; }" in printing and "tr { break-inside: avoid; }" in printing
    assert ".scroll table { break-inside: auto; }" in printing  # a long table may run over pages
    assert "<img" not in html[html.index('id="kart"'):html.index("</section>", html.index('id="kart"'))]


# --- the workbook, write-only -----------------------------------------------------------------


def test_write_only_workbook_reads_back_with_the_regions_values_and_text_stays_text(collection, tmp_path):
    from openpyxl import load_workbook

    from samordna.outputs.region_xlsx import workbook_bytes

    region = _region(collection, formula=True)
    path = tmp_path / "fylket.xlsx"
    path.write_bytes(workbook_bytes(region))
    back = load_workbook(path)
    assert back.sheetnames == ["Om", "Juridisk minimum", "Områder", "Anbefalinger", "Vurderinger", "Påstander",
                               "Fylket", "Utvikling", "Læringspartnere"]
    dom = back["Områder"]
    header = [c.value for c in dom[1]]
    names = {d.id: d.name for d in region.bank.domains}
    assert header == ["Kommune", "Kommunenr.", "Runde", "Bank", *[names[d] for d in region.domains], "Samlet"]
    rows = {r[1].value: r for r in dom.iter_rows(min_row=2)}
    assert len(rows) == len(region.entries)
    for e in region.entries:
        row = rows[e.municipality.number]
        assert row[0].value == e.municipality.name
        levels = [c.value for c in row[4:]]
        assert levels == [e.domains[d] for d in region.domains] + [e.overall]
        assert all(c.number_format == "0.00" for c in row[4:] if c.value is not None)
    formula = rows[region.entries[0].municipality.number][0]
    assert formula.value == FORMULA_NAME and formula.data_type == "s" and formula.quotePrefix
    assert all(c.data_type != "f" for ws in back for row in ws.iter_rows() for c in row)
    # the look: bold header, frozen, printed with the header on every page, a table, a colour scale
    assert dom["A1"].font.b and dom["A1"].fill.fgColor.rgb.endswith("DDE6EE") and dom["A1"].alignment.wrap_text
    assert dom.freeze_panes == "B2" and dom.print_title_rows == "$1:$1" and dom.page_setup.orientation == "landscape"
    assert dom.column_dimensions["A"].width == 22
    (table,) = dom.tables.values()
    assert table.ref == f"A1:{dom.cell(1, len(header)).column_letter}{len(region.entries) + 1}"
    assert [c.name for c in table.tableColumns] == header
    assert dom.conditional_formatting
    ind = back["Påstander"]
    ih = [c.value for c in ind[1]]
    irows = {r[1]: r for r in ind.iter_rows(min_row=2, values_only=True)}
    for e in region.entries:
        assert [irows[e.municipality.number][ih.index(i)] for i in region.harmonisation.shared] == \
            [e.indicators[i] for i in region.harmonisation.shared]
    om = [c.value for c in back["Om"]["A"] if c.value]
    assert om[0] == "Fylkesbildet 2026" and back["Om"]["A1"].font.b


def test_workbook_note_stands_two_rows_below_the_table(collection, tmp_path):
    from openpyxl import load_workbook

    from samordna.outputs.region_report import verdicts_model
    from samordna.outputs.region_xlsx import workbook_bytes

    region = _region(collection)
    (tmp_path / "f.xlsx").write_bytes(workbook_bytes(region))
    back = load_workbook(tmp_path / "f.xlsx")
    ws = back["Vurderinger"]
    n = len(verdicts_model(region)["verdict_rows"])
    assert ws.cell(n + 1, 1).value and ws.cell(n + 2, 1).value is None
    assert ws.cell(n + 3, 1).value == (verdicts_model(region)["verdict_note"] or None)


ODD_NAMES = ["=SUM(A1)", "+47 Nord", "-Sør", "@kommune", " innrykk ", "A & B <c> \"d\" 'e'", "skjult\u202eevil",
             "kontroll\x07tegn", "linje\nskift", "æøå – «sitat»", "\U0001F600"]


def test_the_rows_written_as_xml_read_back_as_openpyxl_writes_them(collection, tmp_path):
    """The workbook's data rows are written as XML (``workbook_bytes``); read back, every cell of every sheet has
    the value, type, number format, quote prefix and font of the same workbook made cell by cell by openpyxl."""
    from openpyxl import load_workbook

    from samordna.outputs.excel import save_workbook_atomically
    from samordna.outputs.region_xlsx import build_workbook, workbook_bytes

    region = _region(collection, times=2)
    for e, name in zip(region.entries, ODD_NAMES, strict=False):
        e.municipality.name = name
    (tmp_path / "fast.xlsx").write_bytes(workbook_bytes(region))
    fast = load_workbook(tmp_path / "fast.xlsx")
    slow = load_workbook(save_workbook_atomically(build_workbook(region), tmp_path / "slow.xlsx"))
    assert fast.sheetnames == slow.sheetnames
    cells = 0
    for a, b in zip(fast, slow, strict=True):
        assert (a.max_row, a.max_column) == (b.max_row, b.max_column), a.title
        for ra, rb in zip(a.iter_rows(), b.iter_rows(), strict=True):
            for ca, cb in zip(ra, rb, strict=True):
                assert (ca.value, ca.data_type, ca.number_format, ca.quotePrefix, ca.font.b) == \
                       (cb.value, cb.data_type, cb.number_format, cb.quotePrefix, cb.font.b), (a.title, ca.coordinate)
                cells += ca.value is not None
        assert {t.name: t.ref for t in a.tables.values()} == {t.name: t.ref for t in b.tables.values()}
        assert [str(r.sqref) for r in a.conditional_formatting] == [str(r.sqref) for r in b.conditional_formatting]
    names = [c.value for c in fast["Områder"]["A"][1:]]
    assert "=SUM(A1)" in names and " innrykk " in names and "skjultevil" in names and "A & B <c> \"d\" 'e'" in names
    assert cells > 500


# --- no work per municipality that grows with the county --------------------------------------


class _CountingList(list):
    """A list that counts how often it is walked through."""

    walks = 0

    def __iter__(self):
        type(self).walks += 1
        return super().__iter__()


@pytest.mark.parametrize("anonymize", [False, True])
def test_one_pagers_do_not_walk_every_municipality_for_each_municipality(collection, monkeypatch, anonymize):
    """Rendering walks the list of municipalities a fixed number of times, whatever its length (a walk per
    municipality would make a whole country's one-pagers grow with the square of their number)."""
    from samordna.core import region as core_region
    from samordna.core import region_stats
    from samordna.outputs.region_report import render_all

    def never(self, number):  # a linear search per municipality
        raise AssertionError("Region.entry called while rendering")

    monkeypatch.setattr(core_region.Region, "entry", never)
    walks, spreads = {}, {}
    real = region_stats.distribution
    calls: list[int] = []
    monkeypatch.setattr(region_stats, "distribution", lambda *a, **k: calls.append(1) or real(*a, **k))
    for times in (1, 3):
        region = _region(collection, times=times)
        region.entries = _CountingList(region.entries)
        _CountingList.walks = 0
        calls.clear()
        _, pages = render_all(region, anonymize=anonymize, skipped=[])
        assert len(pages) == len(NAMES) * times
        walks[times], spreads[times] = _CountingList.walks, len(calls)
    assert walks[1] == walks[3], walks
    assert spreads[1] == spreads[3] <= 1, spreads  # the overall spread is worked out once


def test_write_region_writes_every_one_pager_and_pdf_asks_for_one_batch(region, tmp_path, monkeypatch):
    from samordna.outputs import pdf as pdf_module
    from samordna.outputs.region_report import write_region

    batches = []
    monkeypatch.setattr(pdf_module, "pdf_available", lambda: True)
    monkeypatch.setattr(pdf_module, "html_to_pdfs", lambda docs, base_url=None: batches.append(docs) or
                        [Path(p) for _, p in docs])
    files = write_region(region, tmp_path / "ut", pdf=True)
    assert len(files.onepagers) == len(NAMES) and all(p.is_file() for p in files.onepagers)
    assert len(batches) == 1 and len(batches[0]) == len(NAMES) + 1
    assert [p.name for _, p in batches[0]][0] == "fylkesbilde-2026.pdf"


def test_distribution_chart_draws_one_dot_per_level_above_max_dots():
    from samordna.outputs.region_charts import MAX_DOTS, distribution_chart

    def dots(n: int) -> int:
        values = [k % 5 * 0.75 for k in range(n)]  # five distinct levels
        return distribution_chart([("Område", values, 3.0)], alt="a" * 30).svg.count("<use ")

    few, many = dots(MAX_DOTS), dots(MAX_DOTS + 1)
    assert few >= MAX_DOTS  # one per municipality
    assert many < 20  # one per level (and the axis ticks and the legend's marker, which are <use> too)


def test_long_lists_of_municipalities_fold_away(collection):
    from samordna.outputs.region_report import render_all

    html, _ = render_all(_region(collection, times=11), anonymize=False, skipped=[])  # 44 municipalities
    links = html[html.index('id="ensidere"'):]
    assert "<details>\n<summary>Lenker til de 44 sidene</summary>" in links
    assert links.count('<li><a href="kommuner/') == 44


def test_charts_and_workbook_made_in_another_process_are_the_same(collection, monkeypatch):
    """A large county's charts and workbook are made by a forked process while the one-pagers render: the same
    report, pages and workbook bytes as when everything is made here."""
    import multiprocessing

    from samordna.outputs import region_report

    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("no fork on this platform: everything is made in the same process")
    region = _region(collection, times=3)
    monkeypatch.setattr(region_report, "BESIDE_FROM", 10**9)
    here = region_report.render_everything(region, anonymize=False, skipped=[])
    made: list[int] = []
    real = region_report.region_charts
    monkeypatch.setattr(region_report, "region_charts", lambda *a, **k: made.append(1) or real(*a, **k))
    monkeypatch.setattr(region_report, "BESIDE_FROM", 1)
    beside = region_report.render_everything(region, anonymize=False, skipped=[])
    assert beside[:2] == here[:2] and "<svg" in here[0]
    assert _workbook_cells(beside[2]) == _workbook_cells(here[2])
    assert made == []  # made in the child (the parent's list stays empty), not here
    assert region_report._JOB is None  # nothing left behind for a later fork


def _workbook_cells(data: bytes) -> list:
    import io

    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data))
    return [(ws.title, [[c.value for c in row] for row in ws.iter_rows()]) for ws in wb]
