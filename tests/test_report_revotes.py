"""The report's «Slik flyttet drøftingen rommet»: re-votes from ``omstemming.yaml`` (as ``samordna live`` writes
them) shown as the distribution before (the round's first answers) and after, per statement; never one person's
change. A broken file is one clear error naming the file, and no report is written."""

from __future__ import annotations

import re
import statistics
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

from samordna.core.errors import SamordnaError
from samordna.io.revotes import load_revotes
from samordna.io.workspace import Workspace
from samordna.outputs.report import write_report

LEVEL = "LED-01"  # an indicator of the sample's bank
LEGAL = "LM-02"  # a legal item

# The format room/store.py writes (store_revote): counts per value as strings, a tally marked, the time recorded.
REVOTES = f"""\
# Omstemminger i runde 2026: antall per svar for hver påstand (aldri hvem som svarte hva). Skrevet av samordna.
format: 1
bank:
  id: samordna-0-24
  version: 2.0.0
revotes:
  {LEVEL}:
    counts:
      '1': 1
      '2': 3
      '4': 2
      vet_ikke: 1
      ikke_relevant: 1
    tally: false
    recorded: '2026-11-20T10:15:00'
  {LEGAL}:
    counts:
      ja: 6
      nei: 1
    tally: true
    recorded: '2026-11-20T10:40:00'
"""


class Tables(HTMLParser):
    """Per <tbody class="revote"> in <section id="omstemming">: its rows as lists of cell texts."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.sections: list[str] = []
        self.links: list[str] = []
        self.groups: list[list[list[str]]] = []
        self.heading = ""
        self._depth = 0  # <section> depth inside #omstemming
        self._in_group = False
        self._cell: list[str] | None = None
        self._in_h2 = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "section":
            if a.get("id"):
                self.sections.append(a["id"])
            if self._depth or a.get("id") == "omstemming":
                self._depth += 1
        if tag == "a" and a.get("href", "").startswith("#"):
            self.links.append(a["href"][1:])
        if not self._depth:
            return
        if tag == "h2":
            self._in_h2 = True
        if tag == "tbody" and "revote" in (a.get("class") or ""):
            self._in_group = True
            self.groups.append([])
        if self._in_group and tag == "tr":
            self.groups[-1].append([])
        if self._in_group and tag in ("th", "td"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "section" and self._depth:
            self._depth -= 1
        if tag == "h2":
            self._in_h2 = False
        if tag == "tbody":
            self._in_group = False
        if tag in ("th", "td") and self._cell is not None:
            self.groups[-1][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data):
        if self._in_h2:
            self.heading += data
        if self._cell is not None:
            self._cell.append(data)


def _first_answers(ws: Workspace, statement: str) -> list:
    return [a.level for pf in ws.round().participants() if (a := pf.answers.get(statement)) is not None]


def _num(x: float) -> str:
    return f"{x:.1f}".replace(".", ",")


def _report(ws: Workspace, tmp_path: Path) -> tuple[str, dict]:
    out = tmp_path / "rapport.html"
    files = write_report(ws, out=out, today=date(2026, 11, 20), summary=False)
    return out.read_text(encoding="utf-8"), files.model


def _write(ws: Workspace, text: str) -> Path:
    path = ws.round().dir / "omstemming.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_section_shows_before_and_after_per_statement(sample_ws, tmp_path):
    ws = Workspace(sample_ws)
    assert ws.round().id == "2026"  # the newest round
    _write(ws, REVOTES)
    html, model = _report(ws, tmp_path)
    page = Tables(html)
    assert page.heading.strip() == "Slik flyttet drøftingen rommet"
    assert "omstemming" in page.sections and "omstemming" in page.links  # in the table of contents too
    # after the areas one by one and the mirror (the sample has a youth council)
    assert page.sections.index("omstemming") == page.sections.index("omrade-for-omrade") + 1 + len(ws.round().bank.domains) + 1

    # the legal item comes first (the bank's order) and is counted ja / nei / vet ikke
    legal, level = page.groups
    first = _first_answers(ws, LEGAL)
    before = [first.count(v) for v in ("ja", "nei", "vet_ikke")]
    assert sum(before) == len(first) > 0
    name = ws.round().bank.legal_by_id[LEGAL].short
    assert legal[0] == [f"{LEGAL} {name}", "Før: de første svarene", *map(str, before), str(len(first))]
    assert legal[1] == ["Etter drøftingen (opptelling fra papir)", "6", "1", "0", "7"]

    # the indicator: 0–4, vet ikke, ikke relevant, how many answered and the median of the levels
    first = _first_answers(ws, LEVEL)
    before = [first.count(v) for v in (0, 1, 2, 3, 4, "vet_ikke", "ikke_relevant")]
    median = statistics.median([v for v in first if isinstance(v, int)])
    name = ws.round().bank.indicator_by_id[LEVEL].short
    assert level[0] == [f"{LEVEL} {name}", "Før: de første svarene", *map(str, before), str(len(first)), _num(median)]
    after_median = statistics.median([1, 2, 2, 2, 4, 4])
    assert level[1] == ["Etter drøftingen", "0", "1", "3", "0", "2", "1", "1", "8", _num(after_median)]
    assert "opptelling fra papir" not in " ".join(level[1])

    # counts only: no participant code appears in the section
    section = html[html.index('id="omstemming"'):html.index('id="sektorer"')]

    # one chart per statement, drawn as the room draws its reveal (answer_bars): before and after as bars,
    # every count in the chart's text and its alt text
    charts = re.findall(r'<figure class="chart">(.*?)</figure>', section, re.S)
    assert len(charts) == 2
    for svg, statement, counts in [(charts[0], LEGAL, ["6", "1"]), (charts[1], LEVEL, ["3", "2", "1"])]:
        label = re.search(r'aria-label="([^"]*)"', svg).group(1)
        assert label.startswith(f"{statement} ") and "Før: de første svarene" in label and "Etter drøftingen" in label
        drawn = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
        assert all(c in drawn for c in counts), drawn
        assert "Vet ikke" in "".join(drawn)
    for pf in ws.round().participants():
        assert f">{pf.participant}<" not in section and f" {pf.participant} " not in section
    assert model["revotes"]["line"].startswith("Gruppen stemte på nytt over 2 påstander")


def test_int_keys_count_as_levels_and_the_first_answers_stay(sample_ws, tmp_path):
    ws = Workspace(sample_ws)
    before = _first_answers(ws, LEVEL)
    _write(ws, f"format: 1\nrevotes:\n  {LEVEL}:\n    counts: {{3: 5, '4': 1}}\n")
    revotes = load_revotes(ws.round().dir, ws.round().bank)
    assert [(r.statement, r.counts, r.tally) for r in revotes] == [(LEVEL, {3: 5, 4: 1}, False)]
    html, _model = _report(ws, tmp_path)
    (group,) = Tables(html).groups
    assert group[1] == ["Etter drøftingen", "0", "0", "0", "5", "1", "0", "0", "6", "3,0"]
    assert _first_answers(ws, LEVEL) == before  # the report reads, never changes, the answers


@pytest.mark.parametrize("text", [None, "", "format: 1\nrevotes: {}\n", "format: 1\nrevotes:\n"])
def test_no_file_or_no_entries_means_no_section(sample_ws, tmp_path, text):
    ws = Workspace(sample_ws)
    if text is not None:
        _write(ws, text)
    html, model = _report(ws, tmp_path)
    page = Tables(html)
    assert model["revotes"] is None
    assert "omstemming" not in page.sections and "omstemming" not in page.links
    assert "Slik flyttet drøftingen rommet" not in html


@pytest.mark.parametrize(("text", "needle"), [
    ("revotes:\n  LED-01:\n    counts: {'2': 3\n", "omstemming.yaml"),  # not YAML
    (f"revotes:\n  {LEVEL}:\n    counts:\n      '2': mange\n", "counts"),  # not a number
    (f"revotes:\n  {LEVEL}:\n    counts:\n      '2': -1\n", "counts"),  # negative
    (f"revotes:\n  {LEVEL}:\n    counts:\n      '7': 2\n", "counts"),  # no such answer
    (f"revotes:\n  {LEVEL}:\n    counts:\n      '2': true\n", "counts"),  # a yes/no, not a count
    (f"revotes:\n  {LEVEL}:\n    counts:\n      2: 1\n      '2': 3\n", "står to ganger"),  # one answer twice
    (f"revotes:\n  {LEVEL}:\n    counts: {{'2': 1}}\n    tally: kanskje\n", "tally"),
    (f"revotes:\n  {LEVEL}:\n    counts:\n      ja: 2\n", "revotes.LED-01.counts.ja"),  # ja on an indicator
    (f"revotes:\n  {LEGAL}:\n    counts:\n      '3': 2\n", f"revotes.{LEGAL}.counts.3"),  # a level on a legal item
    ("revotes:\n  XYZ-99:\n    counts:\n      '2': 1\n", "revotes.XYZ-99"),  # not in the bank
    (f"revotes:\n  {LEVEL}: [1, 2]\n", f"revotes.{LEVEL}"),  # not a mapping
    ("revotes: [1, 2]\n", "revotes"),
    ("- 1\n- 2\n", "omstemming.yaml"),
    ("format: 9\nrevotes: {}\n", "nyere samordna"),
])
def test_broken_file_is_one_clear_error_naming_the_file(sample_ws, tmp_path, text, needle):
    ws = Workspace(sample_ws)
    path = _write(ws, text)
    out = tmp_path / "rapport.html"
    with pytest.raises(SamordnaError) as err:
        write_report(ws, out=out, today=date(2026, 11, 20), summary=False)
    message = str(err.value)
    assert "omstemming.yaml" in message and err.value.path == path
    assert needle in message, message
    assert "Traceback" not in message
    assert not out.exists()  # nothing is written


def test_cli_says_which_file_is_broken(cli, sample_ws, tmp_path):
    ws = Workspace(sample_ws)
    _write(ws, f"revotes:\n  {LEVEL}:\n    counts:\n      '2': mange\n")
    out = tmp_path / "rapport.html"
    res = cli(["report", sample_ws, "--out", out])
    assert res.exit_code == 2, res.output
    assert "omstemming.yaml" in res.output and "Traceback" not in res.output
    assert not out.exists()
