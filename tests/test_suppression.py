"""Suppression that arithmetic cannot undo: small sector groups hidden, plus complementary suppression, and no count
under 3 per sector or group in any output (HTML, Excel, JSON)."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import openpyxl
import pytest

from samordna.core.models import Answer
from samordna.core.suppression import suppress_small_counts
from samordna.io.workspace import Workspace

# --- the rule itself -------------------------------------------------------------------------


def test_small_counts_are_hidden_with_complementary_suppression():
    assert suppress_small_counts({"a": 5, "b": 4}) == {"a": 5, "b": 4}
    assert suppress_small_counts({"a": 4, "b": 1}) == {"a": None, "b": None}          # 1 hidden: hide the next too
    assert suppress_small_counts({"a": 3, "b": 3, "c": 1}) == {"a": None, "b": 3, "c": None}  # the two smallest
    assert suppress_small_counts({"a": 9, "b": 2, "c": 1}) == {"a": 9, "b": None, "c": None}  # 3 hidden: enough
    assert suppress_small_counts({"a": 2}) == {"a": None}


def test_a_shown_subtotal_is_a_total_too():
    # sectors s1, s2 in one group whose size is shown, s3 in another: 1 hidden in the group would be
    # its size minus s1, so s1 is hidden as well (the global rule alone would have hidden s3)
    counts = {"s1": 4, "s2": 1, "s3": 3}
    assert suppress_small_counts(counts) == {"s1": 4, "s2": None, "s3": None}
    assert suppress_small_counts(counts, [{"s1", "s2"}, {"s3"}]) == {"s1": None, "s2": None, "s3": None}


# --- a workspace, the JSON and the report ----------------------------------------------------------


def _people(ws_dir, people: list[tuple[str, str, int]]) -> dict[str, float]:
    """(code, sector, level for every statement) -> saved; returns each code's level."""
    rnd = Workspace(ws_dir).round()
    for code, sector, level in people:
        pf = rnd.new_participant(code, sector, "fil")
        pf.answers = {ind.id: Answer(level=level) for ind in rnd.bank.indicators}
        rnd.save_participant(pf)
    return {code: float(level) for code, _, level in people}


class _Sectors(HTMLParser):
    """The sector table of the report: column headers and the rows of numbers; and the participants table."""

    def __init__(self):
        super().__init__()
        self.section, self.cell, self.rows, self.header, self.participants = None, None, [], [], []
        self._row: list[str] = []
        self._table = None

    def handle_starttag(self, tag, attrs):
        d = dict(attrs)
        if tag == "section":
            self.section = d.get("id")
        if tag == "table":
            self._table = "participants" if d.get("class") == "participants" else self.section
        if tag in ("th", "td"):
            self.cell = ""
        if tag == "tr":
            self._row = []

    def handle_endtag(self, tag):
        if tag in ("th", "td") and self.cell is not None:
            self._row.append(self.cell.strip())
            self.cell = None
        if tag == "tr" and self._table == "sektorer":
            (self.header if not self.header else self.rows).append(self._row)
        if tag == "tr" and self._table == "participants" and self._row and self._row[0] != "Sektor":
            self.participants.append(self._row)
        if tag == "table":
            self._table = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data


def _num(text: str) -> float:
    return float(text.replace(",", "."))


def _attack(doc: dict, html: str) -> tuple[int, dict[str, float]]:
    """What anyone can compute from the JSON and the HTML: the people not in a shown group, and their mean per
    domain = (everyone's sum from the indicators' means and counts - the shown groups' means × their answers)."""
    rnd = doc["rounds"][-1]
    page = _Sectors()
    page.feed(html)
    shown = []  # (n, {domain name: mean})
    for i, col in enumerate(page.header[0][1:] if page.header else []):
        n = int(re.search(r"\(n=(\d+)\)", col).group(1))
        shown.append((n, {row[0]: _num(row[i + 1]) for row in page.rows}))
    rest_n = rnd["n_participants"] - sum(n for n, _ in shown)
    derived = {}
    by_ind = {r["id"]: r for r in rnd["indicators"]}
    for d in rnd["domains"]:
        inds = [by_ind[i] for i in d["indicators"]]
        total = sum(r["mean"] * r["n_scored"] for r in inds)
        answers = sum(r["n_scored"] for r in inds) // rnd["n_participants"]  # everyone answered everything here
        rest = total - sum(n * means[d["name"]] * answers for n, means in shown)
        derived[d["name"]] = round(rest / (rest_n * answers), 2) if rest_n else None
    return rest_n, derived


def _outputs(cli, ws_dir, tmp_path) -> tuple[dict, str]:
    res = cli(["score", ws_dir, "--json"])
    assert res.exit_code == 0, res.output
    out = tmp_path / "rapport.html"
    rep = cli(["report", ws_dir, "--out", out])
    assert rep.exit_code == 0, rep.output
    return json.loads(res.stdout), out.read_text(encoding="utf-8")


def test_four_and_one_hide_both_and_the_one_cannot_be_subtracted(cli, empty_ws, tmp_path):
    levels = _people(empty_ws, [("A1", "barnehage", 1), ("A2", "barnehage", 1), ("A3", "barnehage", 1),
                                ("A4", "barnehage", 1), ("L1", "nav", 4)])
    doc, html = _outputs(cli, empty_ws, tmp_path)
    assert doc["rounds"][-1]["participants_by_sector"] == {"barnehage": None, "nav": None}
    page = _Sectors()
    page.feed(html)
    assert page.header == [] and "(n=" not in html  # no group's means and no group's size
    assert sorted(page.participants) == [["Barnehage", "under 3"], ["NAV", "under 3"]]
    velferd = "Barnevern, NAV, familievern, krisesenter og flyktningtjeneste"
    assert "Barnehage, skole og PPT" in html and velferd in html  # named as hidden
    # the subtraction gives the mean of all five, never the lone person's 4
    rest_n, derived = _attack(doc, html)
    assert rest_n == 5
    assert all(v == pytest.approx(1.6) for v in derived.values()) and levels["L1"] == 4.0
    # and the attack is real: had the four been shown (the old behaviour), it would have found the 4.0 exactly
    old_style = ("<section id=\"sektorer\"><table><tr><th>Område</th><th>Barnehage, skole og PPT (n=4)</th></tr>"
                 + "".join(f"<tr><th>{d['name']}</th><td>1,0</td></tr>" for d in doc["rounds"][-1]["domains"])
                 + "</table></section>")
    assert _attack(doc, old_style) == (1, {d["name"]: 4.0 for d in doc["rounds"][-1]["domains"]})


def test_three_three_one_hides_the_two_smallest(cli, empty_ws, tmp_path):
    _people(empty_ws, [("A1", "barnehage", 1), ("A2", "grunnskole", 1), ("A3", "ppt", 1),
                       ("H1", "helsestasjon", 2), ("H2", "psykisk-helse-rus", 2), ("H3", "tannhelse", 2),
                       ("L1", "nav", 4)])
    doc, html = _outputs(cli, empty_ws, tmp_path)
    page = _Sectors()
    page.feed(html)
    assert page.header[0][1:] == ["Helsetjenester (n=3)"]  # one group of three shown; the 1 and one 3 hidden
    assert all(row[1:] == ["2,0"] for row in page.rows)
    assert ("Skjult slik at ingen kan kjennes igjen: Barnehage, skole og PPT, "
            "Barnevern, NAV, familievern, krisesenter og flyktningtjeneste") in html
    rest_n, derived = _attack(doc, html)
    assert rest_n == 4  # four people together (the JSON's means have two decimals), never the lone 4
    assert all(v == pytest.approx((3 * 1 + 4) / 4, abs=0.02) for v in derived.values())
    # every sector here has fewer than 3: no count per sector anywhere
    assert set(doc["rounds"][-1]["participants_by_sector"].values()) == {None}


def test_no_count_under_three_in_json_html_or_excel(cli, sample_ws, tmp_path):
    # the sample's round 2026: 13 people, one or two per sector
    doc, html = _outputs(cli, sample_ws, tmp_path)
    for rnd in doc["rounds"]:
        assert all(v is None or v >= 3 for v in rnd["participants_by_sector"].values()), rnd["round"]
    page = _Sectors()
    page.feed(html)
    assert page.participants and all(n == "under 3" for _, n in page.participants)
    cols = page.header[0][1:]
    assert cols and all(int(re.search(r"n=(\d+)", c).group(1)) >= 3 for c in cols)
    plan = tmp_path / "plan.xlsx"
    res = cli(["plan", sample_ws, "--round", "2026", "--out", plan])
    assert res.exit_code == 0, res.output
    about = openpyxl.load_workbook(plan)["Om"]
    sector_rows = [(a, b) for a, b in about.iter_rows(min_col=1, max_col=2, values_only=True)
                   if isinstance(a, str) and a.startswith("  ")]
    assert sector_rows and all(b == "under 3" for _, b in sector_rows)
