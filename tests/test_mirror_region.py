"""The young people's mirror in the county view (issue 17): how many municipalities ran it, the gaps common to at
least three of them, and nothing ever for a group under a municipality's limit (the cache, the HTML, the xlsx)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import add_mirror_answers, run_cli
from samordna.core.mirror import PARENT, ROLES, YOUNG
from samordna.core.region import LEADERS, MIRROR_MIN_MUNICIPALITIES, RoundLevels, build_region, mirror_region
from samordna.core.results import workspace_results
from samordna.demo.synthetic import Profile, RoundSpec, generate
from samordna.io import region_cache
from samordna.io.mirrorfile import round_mirror
from samordna.io.region_cache import RegionCache
from samordna.io.region_collect import collect
from samordna.io.workspace import Workspace

SECTORS = ["ledelse", "barnehage", "grunnskole", "helsestasjon", "barnevern", "nav"]
DOMAINS = ["LED", "ROL", "SAM", "TID", "TAU", "KOM", "BRU", "OPP"]
# municipality -> (young, parents) in the mirror; «d» did not run it. «a» has 4 parents: never shown
GROUPS = {"a": (9, 4), "b": (6, 6), "c": (7, 7), "e": (8, 6), "d": None}  # numbers 7001 … 7005


def _profile(base: float) -> Profile:
    return Profile(levels={dom: [min(3.8, base + 0.3 * (k % 3))] for k, dom in enumerate(DOMAINS)}, comment_rate=0.0)


@pytest.fixture(scope="module")
def county(tmp_path_factory, bank_path) -> Path:
    root = tmp_path_factory.mktemp("speilfylke")
    for k, (key, groups) in enumerate(GROUPS.items()):
        generate(root / key, bank_path, name=f"Kommune {key.upper()}", number=f"{7001 + k}",
                 rounds=[RoundSpec(2026, SECTORS[: 3 + k % 3], consensus=True, priorities=False)],
                 profile=_profile(1.8 + 0.2 * k), seed=k)
        if groups:
            add_mirror_answers(root / key, young=groups[0], parents=groups[1], seed=30 + k, shift=k % 2)
    return root


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("SAMORDNA_CACHE_DIR", str(folder))
    return folder / "region"


def _own_view(path: Path):
    ws = Workspace(path)
    rnd = ws.round()
    return round_mirror(ws, rnd, workspace_results(ws, rnd.id)[-1])


def test_count_and_common_gaps_only_where_three_have_a_value(county):
    region = build_region(collect([county], cache=False))
    assert region.mirror.n_ran == 4  # a, b, c and e; d did not run it
    by_key = {(g.area, g.role): g for g in region.mirror.gaps}
    young = [g for g in region.mirror.gaps if g.role == YOUNG]
    parents = [g for g in region.mirror.gaps if g.role == PARENT]
    assert young and all(g.n == 4 for g in young)
    # the parents are shown in b, c and e (5 or more) and never in a (4): three municipalities, not four
    assert parents and all(g.n == 3 for g in parents)
    # the mean of each municipality's own gap (leaders minus the group), as its own report shows it
    views = {key: _own_view(county / key) for key in ("a", "b", "c", "e")}
    for (area, role), gap in by_key.items():
        own = []
        for _bank, view in filter(None, views.values()):
            a = next(x for x in view.areas if x.area == area)
            if a.leaders is not None and a.values[role] is not None:
                own.append(a.leaders - a.values[role])
        assert len(own) == gap.n
        assert gap.mean_gap == pytest.approx(sum(own) / len(own))
    sizes = [g.mean_gap for g in region.mirror.gaps]
    assert sizes == sorted(sizes, reverse=True)


def test_fewer_than_three_shows_no_common_gap(county, tmp_path):
    region = build_region(collect([county / "a", county / "b", county / "d"], cache=False))
    assert region.mirror.n_ran == 2
    assert region.mirror.gaps == []
    res = run_cli(["region", county / "a", county / "b", county / "d", "--out", tmp_path / "ut"])
    assert res.exit_code == 0, res.output
    html = (tmp_path / "ut" / "fylkesbilde-2026.html").read_text(encoding="utf-8")
    assert "2 av 3 kommuner har brukt speilet" in html
    assert "For få kommuner har verdier til at felles avstander kan vises." in html
    assert "Avstand i snitt" not in html


def test_mirror_region_needs_three_values_for_a_role_and_area():
    def rnd(values: dict[str, float | None] | None) -> RoundLevels:
        mirror = None if values is None else {"min_group": 5, "shown": [r for r in ROLES if values.get(r) is not None],
                                              "areas": {"BRU": {LEADERS: 3.0, **{r: values.get(r) for r in ROLES}}}}
        return RoundLevels("2026", 2026, "x", 5, 0, {}, mirror=mirror)

    two = mirror_region([rnd({YOUNG: 1.0}), rnd({YOUNG: 2.0}), rnd({PARENT: 1.0}), rnd(None)])
    assert two.n_ran == 3 and two.gaps == []
    three = mirror_region([rnd({YOUNG: 1.0}), rnd({YOUNG: 2.0}), rnd({YOUNG: 2.5, PARENT: 1.0})])
    assert [(g.area, g.role, g.n) for g in three.gaps] == [("BRU", YOUNG, 3)]
    assert three.gaps[0].mean_gap == pytest.approx(3.0 - (1.0 + 2.0 + 2.5) / 3)
    assert MIRROR_MIN_MUNICIPALITIES == 3


def _cache_entry(cache: Path, number: str) -> dict:
    for p in cache.glob("*.json"):
        doc = json.loads(p.read_text(encoding="utf-8"))
        if doc["number"] == number:
            return doc
    raise AssertionError(number)


def test_four_parents_are_nowhere_in_cache_html_or_workbook(county, cache, tmp_path):
    from openpyxl import load_workbook

    res = run_cli(["region", county, "--out", tmp_path / "ut"])
    assert res.exit_code == 0, res.output
    out = tmp_path / "ut"
    # the cache: a's parents are None everywhere and not among the roles shown; b's parents are numbers
    a = _cache_entry(cache, "7001")["rounds"][0]["mirror"]
    assert a["shown"] == [YOUNG] and a["min_group"] == 5
    assert all(v[PARENT] is None and v[YOUNG] is not None for v in a["areas"].values())
    assert set(a) == {"min_group", "shown", "areas"}  # no count, no age band, no statement
    b = _cache_entry(cache, "7002")["rounds"][0]["mirror"]
    assert all(isinstance(v[PARENT], float) for v in b["areas"].values())
    assert _cache_entry(cache, "7005")["rounds"][0]["mirror"] is None  # d did not run it
    # a's one-pager: the parents' column says «færre enn 5» in every row, never a number
    page = next((out / "kommuner").glob("7001-*.html")).read_text(encoding="utf-8")
    assert "Speilet: ungdom og foreldre" in page
    rows = re.findall(r"<tr><th scope=\"row\">([^<]*)</th><td class=\"n\">([^<]*)</td><td class=\"n\">([^<]*)</td>"
                      r"<td class=\"n\">([^<]*)</td></tr>", page)
    mirror_rows = [r for r in rows if r[3] == "færre enn 5"]
    assert len(mirror_rows) == len(a["areas"])
    assert all(re.fullmatch(r"\d,\d", r[2]) for r in mirror_rows)  # the young people are shown
    assert " 4 " not in page.split("Speilet: ungdom og foreldre")[1].split("</table>")[0]
    # the overview: the county's count and gaps; the parents' gaps over b, c and e only (3), never 4
    html = (out / "fylkesbilde-2026.html").read_text(encoding="utf-8")
    section = html.split('<section id="speilet">')[1].split("</section>")[0]
    assert "4 av 5 kommuner har brukt speilet" in section
    cells = re.findall(r"<td>([^<]*)</td><td class=\"n\">([^<]*)</td><td class=\"n\">([^<]*)</td>", section)
    assert {group for group, _gap, _n in cells} == {"ungdommene", "foreldrene"}
    assert {n for group, _gap, n in cells if group == "foreldrene"} == {"3"}
    assert {n for group, _gap, n in cells if group == "ungdommene"} == {"4"}
    # the workbook: the same, and no cell that counts a's parents
    wb = load_workbook(next(out.glob("*.xlsx")))
    sheet = wb["Speilet"]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0] == ["Område", "Gruppe", "Avstand i snitt", "Kommuner"]
    data = [r for r in values[1:] if r[1] in ("ungdommene", "foreldrene")]
    assert {r[3] for r in data if r[1] == "foreldrene"} == {3}
    assert {r[3] for r in data if r[1] == "ungdommene"} == {4}


def test_old_cache_entries_are_made_again(county, cache):
    first = collect([county / "a"])
    entry = next(cache.glob("*.json"))
    doc = json.loads(entry.read_text(encoding="utf-8"))
    assert doc["version"] == region_cache.FORMAT_VERSION >= 3
    # an entry of the format before the mirror: no «mirror» on its rounds, version 2
    doc["version"] = 2
    for r in doc["rounds"]:
        del r["mirror"]
    entry.write_text(json.dumps(doc), encoding="utf-8")
    store = RegionCache()
    again = collect([county / "a"], cache=store)
    assert store.misses == 1 and store.hits == 0
    assert again.municipalities[0].rounds == first.municipalities[0].rounds
    assert again.municipalities[0].rounds[0].mirror is not None
    # a damaged mirror (a number where a group under the limit must be None) is not trusted either
    doc = json.loads(entry.read_text(encoding="utf-8"))
    assert doc["version"] == region_cache.FORMAT_VERSION
    area = next(iter(doc["rounds"][0]["mirror"]["areas"].values()))
    area[PARENT] = 1.5
    entry.write_text(json.dumps(doc), encoding="utf-8")
    store = RegionCache()
    collect([county / "a"], cache=store)
    assert store.misses == 1
