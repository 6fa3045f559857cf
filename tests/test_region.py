"""samordna region: the county view over generated workspaces (sizes, bank versions, broken input)."""

from __future__ import annotations

import copy
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from samordna.core.region import harmonise
from samordna.core.region_stats import learning_partners
from samordna.demo.synthetic import DISSENTS, RATIONALES, Profile, RoundSpec, generate
from samordna.io.region_collect import collect

SECTORS = ["ledelse", "barnehage", "grunnskole", "helsestasjon", "barnevern", "nav", "ppt", "psykisk-helse-rus",
           "vgs", "kultur-fritid", "bruker", "tannhelse"]
DOMAINS = ["LED", "ROL", "SAM", "TID", "TAU", "KOM", "BRU", "OPP"]
NAMES = ["Alfdal", "Bekkvik", "Cedrum", "Dypdalen", "Elvenes"]


# --- bank versions ------------------------------------------------------------------


def _write_bank(src: Path, dst: Path, version: str, change) -> Path:
    data = yaml.safe_load(src.read_text(encoding="utf-8"))
    data["version"] = version
    change(data)
    dst.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return dst


def _domain(data, dom_id):
    return next(d for d in data["domains"] if d["id"] == dom_id)


def _old(data):  # 0.9.0: no TAU-05, and KOM-01 was called KOM-09
    tau = _domain(data, "TAU")
    tau["indicators"] = [i for i in tau["indicators"] if i["id"] != "TAU-05"]
    for ind in _domain(data, "KOM")["indicators"]:
        if ind["id"] == "KOM-01":
            ind["id"] = "KOM-09"


def _new(data):  # 1.1.0: KOM-01 replaces KOM-09, and a new OPP-06
    for ind in _domain(data, "KOM")["indicators"]:
        if ind["id"] == "KOM-01":
            ind["replaces"] = ["KOM-09"]
    opp = _domain(data, "OPP")
    extra = copy.deepcopy(opp["indicators"][-1])
    extra["id"], extra["short"] = "OPP-06", "Ny påstand i 1.1.0"
    opp["indicators"].append(extra)


@pytest.fixture(scope="module")
def banks(tmp_path_factory, repo_root_module):
    # the archived 1.0.0 bank: stable content, no migration map (banks without one follow ``replaces``)
    bank_path = repo_root_module / "assessments" / "arkiv" / "samordna-0-24-1.0.0.yaml"
    d = tmp_path_factory.mktemp("banker")
    return {"1.0.0": bank_path,
            "0.9.0": _write_bank(bank_path, d / "bank-0.9.0.yaml", "0.9.0", _old),
            "1.1.0": _write_bank(bank_path, d / "bank-1.1.0.yaml", "1.1.0", _new)}


@pytest.fixture(scope="module")
def repo_root_module() -> Path:
    return Path(__file__).resolve().parents[1]


def _profile(base: float) -> Profile:
    return Profile(levels={dom: [min(3.8, base + 0.3 * ((k * 3) % 5 - 2) + 0.2 * y) for y in range(3)]
                           for k, dom in enumerate(DOMAINS)})


# name, bank, years, participants, base level, consensus in the last round
SPECS = [
    ("Alfdal", "1.0.0", [2024, 2025, 2026], 12, 2.8, True),
    ("Bekkvik", "1.1.0", [2025, 2026], 5, 1.5, True),
    ("Cedrum", "0.9.0", [2024], 8, 2.0, True),
    ("Dypdalen", "1.0.0", [2025, 2026], 6, 2.2, False),
    ("Elvenes", "1.1.0", [2026], 3, 3.1, True),
]


@pytest.fixture(scope="module")
def region_dir(tmp_path_factory, banks) -> Path:
    root = tmp_path_factory.mktemp("fylke")
    for k, (name, version, years, n, base, last_consensus) in enumerate(SPECS):
        rounds = [RoundSpec(y, SECTORS[:n], consensus=(y != years[-1] or last_consensus), priorities=False)
                  for y in years]
        generate(root / name.lower(), banks[version], name=name, number=f"{9100 + k}", rounds=rounds,
                 profile=_profile(base), seed=k, comments=True)
    return root


@pytest.fixture(scope="module")
def report(region_dir, tmp_path_factory):
    from conftest import run_cli

    out = tmp_path_factory.mktemp("ut") / "fylket"
    result = run_cli(["region", region_dir, "--out", out])
    assert result.exit_code == 0, result.output
    return out, result


class _Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.imgs, self.svgs, self.text, self.lang, self.tables, self.captions = [], [], [], None, 0, 0
        self._in_caption = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        if tag == "img":
            self.imgs.append(a)
        if tag == "svg":
            self.svgs.append(a)
        if tag == "table":
            self.tables += 1
        if tag == "caption":
            self.captions += 1

    def handle_data(self, data):
        self.text.append(data)


def _parse(path: Path) -> _Page:
    p = _Page()
    p.feed(path.read_text(encoding="utf-8"))
    return p


def _xlsx_strings(path: Path) -> list[str]:
    from openpyxl import load_workbook

    wb = load_workbook(path)
    return [str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value is not None]


# --- learning partners, checked by hand ---------------------------------------------------


def test_learning_partners_hand_checked():
    levels = {
        "M1": {"A": 1.0, "B": 3.5, "C": 3.0},
        "M2": {"A": 3.5, "B": 1.0, "C": 3.0},
        "M3": {"A": 3.0, "B": 3.0, "C": 1.0},
        "M4": {"A": 2.0, "B": 2.0, "C": 2.0},
    }
    got = learning_partners(levels, {"A": 3.0, "B": 3.0, "C": 3.0})
    # M1: A is lowest and under target; C (3.0) is at target, so not weak. Strong in A: M2 3.5, M3 3.0.
    assert got["M1"] == [("A", 1.0, [("M2", 3.5), ("M3", 3.0)])]
    assert got["M2"] == [("B", 1.0, [("M1", 3.5), ("M3", 3.0)])]
    assert got["M3"] == [("C", 1.0, [("M1", 3.0), ("M2", 3.0)])]  # a tie is broken by key
    # M4 is 2.0 everywhere: every area is at least half a level under the median (2.5).
    assert got["M4"] == [("A", 2.0, [("M2", 3.5), ("M3", 3.0)]),
                         ("B", 2.0, [("M1", 3.5), ("M3", 3.0)]),
                         ("C", 2.0, [("M1", 3.0), ("M2", 3.0)])]


def test_learning_partners_margin_quartile_and_limits():
    levels = {
        "Liten": {"A": 2.6, "B": None},
        "P1": {"A": 2.9, "B": 2.0},   # strong (top quartile) but only 0.3 above: too close
        "P2": {"A": 2.4, "B": 2.0},
        "P3": {"A": 2.2, "B": 2.0},
        "P4": {"A": 1.0, "B": 2.0},
    }
    got = learning_partners(levels, {"A": 4.0, "B": 3.0})
    assert got["Liten"] == []  # nobody strong in A is half a level above 2.6; B has no level
    # P4 in A: the top quartile (≥ 2.6) counts as strong even though everyone is under target 4.
    assert got["P4"][0] == ("A", 1.0, [("P1", 2.9), ("Liten", 2.6)])
    many = {f"K{i}": {"A": 3.0 + i / 10} for i in range(6)} | {"Svak": {"A": 0.5}}
    assert [p for p, _ in learning_partners(many, {"A": 3.0})["Svak"][0][2]] == ["K5", "K4", "K3"]
    assert learning_partners({"Alene": {"A": 1.0}}, {"A": 3.0}) == {"Alene": []}


# --- bank versions --------------------------------------------------------------------------


def test_harmonise_follows_replaces_and_names_what_is_left_out(banks):
    from samordna.io.bankfile import load_bank

    loaded = {f"samordna-0-24 {v}": load_bank(p) for v, p in banks.items()}
    h = harmonise(loaded)
    assert h.reference.version == "1.1.0"
    assert ("samordna-0-24 0.9.0", "KOM-09", "KOM-01") in h.renamed
    assert "KOM-01" in h.shared and "TAU-05" not in h.shared and "OPP-06" not in h.shared
    assert len(h.shared) == 41
    reasons = {x.id: x.reason for x in h.left_out}
    assert set(reasons) == {"TAU-05", "OPP-06"}
    assert "0.9.0" in reasons["TAU-05"] and "1.0.0" not in reasons["TAU-05"]
    assert "0.9.0" in reasons["OPP-06"] and "1.0.0" in reasons["OPP-06"]


# --- the command ------------------------------------------------------------------------------


def test_region_report_contents(report, region_dir):
    out, result = report
    assert "5 kommuner" in result.output and "41 påstander" in result.output
    html = out / "fylkesbilde-2026.html"
    page = _parse(html)
    text = " ".join(page.text)
    assert page.lang == "nb"
    # charts are inline SVG with real text, named for screen readers; the heat map is a table, not a picture
    assert not page.imgs and len(page.svgs) == 3  # areas, recommendations, the development over the years
    assert all(s.get("role") == "img" and len(s.get("aria-label", "")) > 20 for s in page.svgs)
    assert page.tables == page.captions
    for name in NAMES:
        assert name in text
    assert "TAU-05" in text and "OPP-06" in text and "KOM-09" in text  # what was left out, and renamed
    assert "samordna-0-24 0.9.0" in text and "samordna-0-24 1.1.0" in text
    assert "siste runde før" in text  # Cedrum has only a 2024 round
    assert "kandidater for regional veiledning" in text
    assert "Læringspartnere" in text and "ikke en rangering" in text
    onepagers = sorted((out / "kommuner").glob("*.html"))
    assert len(onepagers) == 5
    assert (out / "kommuner" / "9100-alfdal-2026.html") in onepagers


@pytest.fixture(scope="module")
def comments(region_dir) -> set[str]:
    """Every comment in the generated answer files (each file parsed once)."""
    found: set[str] = set()
    for p in region_dir.glob("*/runder/*/svar/*.yaml"):
        answers = yaml.safe_load(p.read_text(encoding="utf-8"))["answers"]
        found |= {a.get("comment") for a in answers.values()} - {None}
    return found


def test_no_individual_answer_or_comment_leaves_a_municipality(report, comments):
    out, _ = report
    assert comments  # the fixture has comments, so the check means something
    texts = {str(p): p.read_text(encoding="utf-8") for p in out.rglob("*.html")}
    texts["fylkesbilde-2026.xlsx"] = "\n".join(_xlsx_strings(out / "fylkesbilde-2026.xlsx"))
    everything = "\n\n".join(texts.values())
    for secret in sorted(comments) + RATIONALES + DISSENTS:
        assert secret not in everything, (secret, [name for name, t in texts.items() if secret in t])


def test_workbook_matches_the_workspaces(report, region_dir):
    from openpyxl import load_workbook

    from samordna.core.results import workspace_results
    from samordna.io.workspace import Workspace

    out, _ = report
    wb = load_workbook(out / "fylkesbilde-2026.xlsx")
    assert wb.sheetnames == ["Om", "Områder", "Anbefalinger", "Vurderinger", "Påstander", "Fylket", "Utvikling",
                             "Læringspartnere"]
    ws = wb["Påstander"]
    header = [c.value for c in ws[1]]
    assert header[:3] == ["Kommune", "Kommunenr.", "Runde"] and "KOM-01" in header and "TAU-05" not in header
    rows = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    assert sorted(rows) == NAMES
    # Cedrum answered KOM-09 in bank 0.9.0; the region shows it as KOM-01.
    cedrum = workspace_results(Workspace(region_dir / "cedrum"))[-1]
    assert rows["Cedrum"][header.index("KOM-01")] == cedrum.indicator("KOM-09").level
    assert rows["Cedrum"][2] == "2024"
    # Alfdal (bank 1.0.0, 42 indicators): the domain LED shares all indicators, so it equals the workshop level.
    alf = workspace_results(Workspace(region_dir / "alfdal"))[-1]
    dom = wb["Områder"]
    dh = [c.value for c in dom[1]]
    drows = {r[0]: r for r in dom.iter_rows(min_row=2, values_only=True)}
    led = alf.domain("LED")
    assert drows["Alfdal"][dh.index(led.name)] == pytest.approx(led.level)
    assert len(dom.tables) == 1 and dom.conditional_formatting
    partners = list(wb["Læringspartnere"].iter_rows(min_row=2, values_only=True))
    assert partners and all(p[4] in NAMES and p[5] >= p[2] + 0.5 - 1e-9 for p in partners)
    years = [c.value for c in wb["Utvikling"][1]][1:]
    assert years == ["2024", "2025", "2026"]


def _all_shared_text(out: Path) -> str:
    """Everything in the report's folder a reader of the shared set sees: file names, HTML and workbook cells."""
    parts = []
    for f in sorted(out.rglob("*")):
        parts.append(str(f.relative_to(out)))
        if f.suffix == ".html":
            parts.append(f.read_text(encoding="utf-8"))
        elif f.suffix == ".xlsx":
            parts += _xlsx_strings(f)
    return "\n".join(parts)


def _key_rows(path: Path) -> list[list]:
    from openpyxl import load_workbook

    return [[c.value for c in row] for row in load_workbook(path)["Nøkkel"].iter_rows()]


def test_anonymize_replaces_names_with_codes_and_writes_the_key_beside(cli, region_dir, tmp_path):
    out = tmp_path / "anonym"
    result = cli(["region", region_dir, "--out", out, "--anonymize"])
    assert result.exit_code == 0, result.output
    shared = _all_shared_text(out)
    for name in NAMES:  # the shared set: no municipality by name, folder or number, one-pagers included
        assert name not in shared and name.lower() not in shared
    for k in range(9100, 9105):
        assert str(k) not in shared
    codes = {c for c in _xlsx_strings(out / "fylkesbilde-2026.xlsx") if c.startswith("K0")}
    assert codes == {"K01", "K02", "K03", "K04", "K05"}
    pages = sorted((out / "kommuner").glob("*.html"))
    assert [p.name for p in pages] == [f"K0{i}-2026.html" for i in range(1, 6)]
    for p in pages:  # each one-pager is the municipality's own by its code, and says whom to ask about partners
        text = " ".join(_parse(p).text)
        code = p.name[:3]
        assert f"Deres kommune ({code})" in text and f"Til kommunen med kode {code} alene" in text
    assert any("spør rådgiveren" in " ".join(_parse(p).text) for p in pages)

    key = tmp_path / "anonym-nøkkel-IKKE-DEL.xlsx"  # beside the folder, not in it
    assert key.exists() and not list(out.rglob("*nøkkel*"))
    assert f"Nøkkelen til kodene: {key}" in result.stdout and "ikke nøkkelen" in result.stdout
    rows = _key_rows(key)
    assert rows[0][0].startswith("FORTROLIG – IKKE DEL")
    header = rows.index(["Kode", "Kommune", "Kommunenr.", "Én side (i rapportmappen)", "Arbeidsområde (mappe)",
                         "Merknad"])
    table = {r[0]: r for r in rows[header + 1:]}
    assert set(table) == codes
    for code, (_, name, number, page, folder, _) in table.items():
        assert NAMES[int(number) - 9100] == name and folder == str(region_dir / name.lower())
        assert page == f"kommuner/{code}-2026.html" and (out / page).exists()
        text = " ".join(_parse(out / page).text)  # the page the key sends to a municipality is that one's page
        assert f"Deres kommune ({code})" in text
    # learning partners: codes on the one-pagers, names in the key
    from openpyxl import load_workbook

    partners = [[c.value for c in r] for r in load_workbook(key)["Læringspartnere"].iter_rows()]
    assert partners[0][0].startswith("FORTROLIG")
    body = partners[partners.index(["Kode", "Kommune", "Område", "Eget nivå", "Kan lære av (kode)", "Kan lære av",
                                    "Deres nivå"]) + 1:]
    assert body and all(table[r[0]][1] == r[1] and table[r[4]][1] == r[5] for r in body)


def test_the_key_never_goes_into_the_shared_folder(cli, region_dir, tmp_path):
    out = tmp_path / "ut"
    result = cli(["region", region_dir, "--out", out, "--anonymize", "--key", out / "nøkkel.xlsx"])
    assert result.exit_code == 2 and "kan ikke ligge i rapportmappen" in result.stderr
    assert not out.exists()
    result = cli(["region", region_dir, "--out", out, "--key", tmp_path / "n.xlsx"])
    assert result.exit_code == 2 and "--anonymize" in result.stderr and not out.exists()
    result = cli(["region", region_dir, "--out", out, "--anonymize", "--key", tmp_path / "n.csv"])
    assert result.exit_code == 2 and ".xlsx" in result.stderr and not out.exists()
    chosen = tmp_path / "hemmelig" / "koder.xlsx"
    result = cli(["region", region_dir, "--out", out, "--anonymize", "--key", chosen, "--year", "2025"])
    assert result.exit_code == 0, result.output
    assert chosen.exists() and str(chosen) in result.stdout
    assert not (tmp_path / "ut-nøkkel-IKKE-DEL.xlsx").exists()
    # a municipality without a round by 2025 is in the key, without a one-pager, and says why
    elvenes = next(r for r in _key_rows(chosen) if r[1] == "Elvenes")
    assert not elvenes[3] and "Ikke med i fylkesbildet 2025" in elvenes[5]
    assert len(list((out / "kommuner").glob("*.html"))) == 4


def test_anonymize_refuses_a_folder_with_named_one_pagers_from_before(cli, region_dir, tmp_path):
    out = tmp_path / "ut"
    assert cli(["region", region_dir, "--out", out]).exit_code == 0
    named = sorted(p.name for p in (out / "kommuner").iterdir())
    assert named and all(not p.startswith("K0") for p in named)
    result = cli(["region", region_dir, "--out", out, "--anonymize"])
    assert result.exit_code == 2 and named[0] in result.stderr and "Ingenting er skrevet" in result.stderr
    assert not (tmp_path / "ut-nøkkel-IKKE-DEL.xlsx").exists()
    assert sorted(p.name for p in (out / "kommuner").iterdir()) == named


# --- finding the workspaces ------------------------------------------------------------------------


def _ws(path: Path, name: str, number: str) -> Path:
    from samordna.io.workspace import Workspace

    Workspace.init(path, name, number)
    return path


def test_nested_discovery_depth_and_what_is_skipped(tmp_path):
    from samordna.io.region_collect import find_workspaces

    root = tmp_path / "fylke"
    _ws(root / "alfdal", "Alfdal", "9100")
    _ws(root / "naboer" / "bekkvik", "Bekkvik", "9101")  # one folder deeper, as the demo's neighbours
    _ws(root / "naboer" / "vest" / "cedrum", "Cedrum", "9102")  # two levels deeper
    _ws(root / "arkiv" / "a" / "b" / "c" / "dypdalen", "Dypdalen", "9103")  # five levels down: beyond 4
    # a workspace's own folders are never searched, whatever is in them
    _ws(root / "alfdal" / "runder" / "2026" / "gammel", "Inni", "9104")
    _ws(root / "alfdal" / "slettede-runder" / "2025", "Slettet", "9105")
    _ws(root / ".skjult" / "elvenes", "Elvenes", "9106")  # hidden folders: not searched
    (root / "tom" / "under").mkdir(parents=True)
    bad = root / "skadet" / "kommune.yaml"
    bad.parent.mkdir()
    bad.write_text("format: samordna-arbeidsområde/1\nname: [Feil\n", encoding="utf-8")
    (root / "naboer" / "tilbake").symlink_to(root, target_is_directory=True)  # a loop

    d = find_workspaces([root])
    assert [(f.name, f.number, f.path) for f in d.found] == [
        ("Alfdal", "9100", root / "alfdal"), ("Bekkvik", "9101", root / "naboer" / "bekkvik"),
        ("Cedrum", "9102", root / "naboer" / "vest" / "cedrum")]
    skipped = {s.path.relative_to(root).as_posix(): s.reason for s in d.skipped}
    assert "for dypt" in skipped["arkiv/a/b/c/dypdalen"] and "--depth 5" in skipped["arkiv/a/b/c/dypdalen"]
    assert "ikke et arbeidsområde" in skipped["tom"] and "tom/under" not in skipped  # named once, at the top
    assert "lenker tilbake" in skipped["naboer/tilbake"]
    assert not any(".skjult" in k or "runder" in k for k in skipped)
    assert len(d.problems) == 1 and d.problems[0].path == root / "skadet"
    assert str(bad) in d.problems[0].message and "linje" in d.problems[0].message

    d2 = find_workspaces([root], depth=2)
    assert [f.name for f in d2.found] == ["Alfdal", "Bekkvik"]
    cedrum = next(s for s in d2.skipped if s.path.name == "cedrum")
    assert "ligger 3 nivåer under" in cedrum.reason and "--depth 3" in cedrum.reason
    # the same workspace given twice, and a folder given directly
    d3 = find_workspaces([root / "naboer", root / "naboer" / "bekkvik"], depth=4)
    assert [f.name for f in d3.found] == ["Bekkvik", "Cedrum"] and not d3.problems


def test_region_finds_workspaces_two_levels_down_and_lists_them(cli, region_dir, tmp_path):
    root = tmp_path / "fylke"
    shutil.copytree(region_dir / "alfdal", root / "alfdal")
    shutil.copytree(region_dir / "bekkvik", root / "naboer" / "bekkvik")
    shutil.copytree(region_dir / "elvenes", root / "naboer" / "nord" / "elvenes")
    (root / "rapporter").mkdir()
    out = tmp_path / "ut"
    result = cli(["region", root, "--out", out])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Fant 3 arbeidsområder:"
    assert lines[1].split() == ["Alfdal", "(9100)", str(root / "alfdal")]
    assert lines[3].split() == ["Elvenes", "(9104)", str(root / "naboer" / "nord" / "elvenes")]
    assert lines[4] == "Hoppet over 1 mappe:" and lines[5].startswith(f"  {root / 'rapporter'}: ikke et arbeidsområde")
    assert "3 kommuner" in result.stdout
    assert len(list((out / "kommuner").glob("*.html"))) == 3

    result = cli(["region", root, "--out", tmp_path / "ut2", "--depth", "2"])
    assert result.exit_code == 0, result.output
    assert "Fant 2 arbeidsområder:" in result.stdout
    assert f"{root / 'naboer' / 'nord' / 'elvenes'}: for dypt" in result.stdout and "--depth 3" in result.stdout
    result = cli(["region", root, "--out", tmp_path / "ut3", "--depth", "-1"])
    assert result.exit_code == 2 and "--depth" in result.stderr


def test_a_damaged_kommune_yaml_is_named_with_file_and_problem(cli, region_dir, tmp_path):
    root = tmp_path / "fylke"
    shutil.copytree(region_dir / "alfdal", root / "alfdal")
    shutil.copytree(region_dir / "bekkvik", root / "vest" / "bekkvik")
    bad = root / "vest" / "bekkvik" / "kommune.yaml"
    bad.write_text("format: samordna-arbeidsområde/1\nname: Bekkvik\ncreated: 2024-01-01\n", encoding="utf-8")
    out = tmp_path / "ut"
    result = cli(["region", root, "--out", out])
    assert result.exit_code == 2 and not out.exists()
    assert "1 mappe kan ikke leses" in result.stderr
    assert str(bad) in result.stderr and "number" in result.stderr and "mangler" in result.stderr
    result = cli(["region", root, "--out", out, "--skip-invalid"])
    assert result.exit_code == 0, result.output
    assert f"Hoppet over {root / 'vest' / 'bekkvik'}: " in result.stderr and "mangler" in result.stderr


def test_broken_workspace_stops_everything_unless_skipped(cli, region_dir, tmp_path):
    root = tmp_path / "fylke"
    shutil.copytree(region_dir, root)
    bad = next((root / "bekkvik" / "runder" / "2026" / "svar").glob("*.yaml"))
    bad.write_text("participant: D01\nanswers: [ikke, gyldig\n", encoding="utf-8")
    (root / "fremmed").mkdir()
    (root / "fremmed" / "kommune.yaml").write_text("format: noe-annet/2\nname: X\nnumber: '0001'\ncreated: 2024-01-01\n",
                                                   encoding="utf-8")
    out = tmp_path / "ut"
    result = cli(["region", root, "--out", out])
    assert result.exit_code == 2
    assert "bekkvik" in result.stderr and "fremmed" in result.stderr and "Ingenting er skrevet" in result.stderr
    assert not out.exists()
    result = cli(["region", root, "--out", out, "--skip-invalid"])
    assert result.exit_code == 0, result.output
    text = " ".join(_parse(out / "fylkesbilde-2026.html").text)
    assert "Hoppet over" in text and "bekkvik" in text and "fremmed" in text
    assert "Bekkvik" not in list(_xlsx_strings(out / "fylkesbilde-2026.xlsx"))


def test_year_and_bad_paths(cli, region_dir, tmp_path):
    out = tmp_path / "y2025"
    result = cli(["region", region_dir, "--year", "2025", "--out", out])
    assert result.exit_code == 0, result.output
    text = " ".join(_parse(out / "fylkesbilde-2025.html").text)
    assert "Elvenes: har ingen runde i 2025 eller tidligere" in text
    assert len(list((out / "kommuner").glob("*.html"))) == 4
    result = cli(["region", tmp_path / "finnes-ikke", "--out", tmp_path / "x"])
    assert result.exit_code == 2 and "finnes-ikke" in result.stderr
    empty = tmp_path / "tom"
    empty.mkdir()
    result = cli(["region", empty, "--out", tmp_path / "x"])
    assert result.exit_code == 2 and "ingen arbeidsområder" in result.stderr
    assert not (tmp_path / "x").exists()


def test_same_municipality_twice_is_an_error(region_dir, tmp_path):
    shutil.copytree(region_dir / "alfdal", tmp_path / "kopi")
    c = collect([region_dir, tmp_path / "kopi"])
    assert len(c.municipalities) == 5
    assert len(c.problems) == 1 and "9100" in c.problems[0].message


def test_rendering_is_deterministic(region_dir):
    from samordna.core.region import build_region
    from samordna.outputs.region_report import render_all

    region = build_region(collect([region_dir]))
    first = render_all(region, anonymize=True, skipped=[])
    second = render_all(build_region(collect([region_dir])), anonymize=True, skipped=[])
    assert first == second


def test_help_is_norwegian_with_examples(cli):
    from samordna.cli.commands.region import DEFAULT_DEPTH as SHOWN
    from samordna.io.region_collect import DEFAULT_DEPTH

    result = cli(["region", "--help"])
    assert result.exit_code == 0
    assert "--anonymize" in result.stdout and "--skip-invalid" in result.stdout and "Fylkesbildet" in result.stdout
    assert "Eksempler:" in result.stdout and "samordna region fylket/ --out fylkesbilde-2026 --anonymize" in result.stdout
    assert "--depth" in result.stdout and "--key" in result.stdout and "nøkkel-IKKE-DEL.xlsx" in result.stdout
    assert SHOWN == DEFAULT_DEPTH


# --- a county where municipalities are on different bank versions (issue 12) ---------------------------------

LOCAL = """\
format: samordna-lokale-tillegg/1
bank: mini
owner: Elvenes kommune
indicators:
  - domain: SAM
    id: SAM-L01
    short: Fast møte med politiet
    statement: I vår kommune møtes barnevernet og politiet fast hver måned.
    help: Tenk på det siste halve året.
    evidence: [Møteplan]
    references: [K3]
    weight: 1
    actions: [Avtal faste møter]
"""


@pytest.fixture(scope="module")
def mixed_dir(tmp_path_factory) -> Path:
    """Three municipalities on mini 1.0.0 and two on mini 2.0.0 (one with a local indicator); hand-built banks."""
    from samordna.io.workspace import Workspace
    from test_plan_migration import NEW, OLD, _answer

    root = tmp_path_factory.mktemp("blandet")
    banks = root.parent / f"{root.name}-banker"
    banks.mkdir()
    (banks / "old.yaml").write_text(OLD, encoding="utf-8")
    (banks / "new.yaml").write_text(NEW, encoding="utf-8")
    old = {"LED-01": 2, "LED-02": 1, "SAM-01": 3, "SAM-04": 2, "SAM-05": 4}
    for k, (name, level) in enumerate([("Alfdal", 1), ("Bekkvik", 2), ("Cedrum", 3)]):
        ws = Workspace.init(root / name.lower(), name, f"920{k}")
        _answer(ws.new_round(year=2026, bank_path=banks / "old.yaml"), {**old, "LED-02": level})
    for k, (name, lm01) in enumerate([("Dypdalen", "nei"), ("Elvenes", "ja")], start=3):
        ws = Workspace.init(root / name.lower(), name, f"920{k}")
        if name == "Elvenes":
            (ws.root / "lokale-tillegg.yaml").write_text(LOCAL, encoding="utf-8")
        answers = {"LM-01": lm01, "LM-02": "vet_ikke", "LED-01": 3, "LED-07": 3, "SAM-01": 3, "SAM-08": 3,
                   "SAM-09": 3}
        if name == "Elvenes":
            answers["SAM-L01"] = 4
        _answer(ws.new_round(year=2026, bank_path=banks / "new.yaml"), answers)
    return root


def test_mixed_versions_compare_only_what_is_comparable(cli, mixed_dir, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "fylket"
    res = cli(["region", mixed_dir, "--out", out])
    assert res.exit_code == 0, res.output
    note = "3 kommuner på 1.0.0 og 2 på 2.0.0: bare sammenlignbare påstander er med i sammenligningen."
    assert note in res.output and "lokale" in res.output
    wb = load_workbook(out / "fylkesbilde-2026.xlsx")
    assert wb.sheetnames[:5] == ["Om", "Juridisk minimum", "Områder", "Anbefalinger", "Vurderinger"]
    about = [c.value for c in wb["Om"]["A"] if c.value]
    assert note in about and any("egne (lokale) påstander" in str(a) for a in about)
    # the comparable indicators only: same and reworded (LED-02 became LED-07); split, new and local ones left out
    header = [c.value for c in wb["Påstander"][1]]
    assert [h for h in header if "-" in str(h)] == ["LED-01", "LED-07", "SAM-01"]
    rows = {r[0]: r for r in wb["Påstander"].iter_rows(min_row=2, values_only=True)}
    assert [rows[n][header.index("LED-07")] for n in ("Alfdal", "Bekkvik", "Cedrum", "Elvenes")] == [1, 2, 3, 3]
    reasons = " ".join(str(c.value) for c in wb["Om"]["A"] if c.value)
    assert "SAM-08" in reasons and "delt opp" in reasons and "SAM-05" in reasons and "SAM-L01" not in header
    # the legal minimum: municipalities, not persons (each has three participants)
    legal = {r[0]: r for r in wb["Juridisk minimum"].iter_rows(min_row=2, values_only=True)}
    assert legal["LM-01"][3:8] == (1, 1, 0, 3, "Dypdalen")
    assert legal["LM-02"][3:7] == (0, 0, 2, 3)
    # verdicts include laws, counted over the municipalities on 2.0.0 only
    verdicts = {r[0]: r for r in wb["Vurderinger"].iter_rows(min_row=2, values_only=True) if r[0] and r[1]}
    head = [c.value for c in wb["Vurderinger"][1]]
    law = verdicts["bvl. § 15-1"]
    assert law[1] == "Lov" and law[head.index("Ikke oppfylt")] == 1 and sum(law[2:]) == 2
    assert "A3 Antatt (ikke bekreftet)" in verdicts
    # A3 rests on SAM-08 alone, which 1.0.0 cannot be compared on: no level for it across the county
    assert [c.value for c in wb["Anbefalinger"][1]][-1] == "K3 Avtaler"
    assert "A3 Antatt (ikke bekreftet)" in about
    notes = [c.value for c in wb["Vurderinger"]["A"] if c.value and "annen versjon" in str(c.value)]
    assert notes and "3 kommuner" in notes[0]
    html = (out / "fylkesbilde-2026.html").read_text(encoding="utf-8")
    assert note in html and "Juridisk minimum" in html and "Ikke spurt (eldre bank)" in html
    one = (out / "kommuner" / "9203-dypdalen-2026.html").read_text(encoding="utf-8")
    assert "Juridisk minimum" in one and "<td>Nei</td>" in one
    old_one = (out / "kommuner" / "9200-alfdal-2026.html").read_text(encoding="utf-8")
    assert "Ikke spurt" in old_one


# --- the comparison uses the versions compared; the development what is comparable across years ---------------

BANK_CHANGE = [("Fjordby", "9301", 2.0), ("Granli", "9302", 2.6), ("Haugsund", "9303", 1.6)]
LAGGARD = ("Innvik", "9304", 2.3)  # still on 1.0.0 in 2026


@pytest.fixture(scope="module")
def bank_change_dir(tmp_path_factory, repo_root_module) -> Path:
    """Three municipalities with 2024-2025 on the archived bank 1.0.0 and 2026 on 2.0.0 (Granli with a local
    indicator), and one (Innvik) that is still on 1.0.0 in 2026."""
    from samordna.io.bankfile import archived_bank_path
    from samordna.io.resources import default_bank_path

    old = archived_bank_path("samordna-0-24", "1.0.0")
    assert old is not None
    local = repo_root_module / "sample_municipality" / "lokale-tillegg.yaml"
    root = tmp_path_factory.mktemp("bankbytte")
    sectors = SECTORS[:3]
    for k, (name, number, base) in enumerate([*BANK_CHANGE, LAGGARD]):
        rounds = [RoundSpec(y, sectors, priorities=False,
                            bank_path=old if y < 2026 or name == LAGGARD[0] else None,
                            local_additions=local if (y, name) == (2026, "Granli") else None)
                  for y in (2024, 2025, 2026)]
        generate(root / name.lower(), default_bank_path(), name=name, number=number, rounds=rounds,
                 profile=_profile(base), seed=40 + k, comments=False)
    return root


def _banks_1_and_2():
    from samordna.io.bankfile import archived_bank_path, load_bank
    from samordna.io.resources import default_bank_path

    old = archived_bank_path("samordna-0-24", "1.0.0")
    assert old is not None
    return load_bank(old), load_bank(default_bank_path())


def _comparable_with_1_0(new) -> list[str]:
    from samordna.core.migration import comparability

    old, _ = _banks_1_and_2()
    return [i for i, c in comparability(new, old.id, old.version, [x.id for x in old.indicators]).items()
            if c.comparable]


def test_all_on_the_new_version_compare_every_indicator_of_it(bank_change_dir):
    from samordna.core.region import build_region, targets
    from samordna.outputs.region_report import change_note

    old, new = _banks_1_and_2()
    official = [i.id for i in new.indicators if not i.local]
    comparable = _comparable_with_1_0(new)
    assert 0 < len(comparable) < len(official)
    region = build_region(collect([bank_change_dir / n.lower() for n, _, _ in BANK_CHANGE]))
    # the 2026 comparison: every (non-local) indicator of 2.0.0, nothing left out
    assert region.year == 2026 and region.one_version and region.bank.version == "2.0.0"
    assert region.harmonisation.shared == official
    assert len(region.indicators) == len(official) and not region.harmonisation.left_out
    assert all(d.n for d in region.indicators.values())  # every one with levels (some unanswered here and there)
    assert "BRU-L01" not in region.indicators and region.local_note  # Granli's own indicator is never compared
    assert region.legal and all(r.n_not_asked == 0 for r in region.legal)
    assert all(v.n_other_version == 0 for v in region.verdicts)
    assert region.mix_note == ""
    assert (f"sammenlignes på alle de {len(official)} påstandene i 2.0.0" in region.history_note
            and f"bare de {len(comparable)} påstandene" in region.history_note)
    # the development over the years: only what is comparable across 1.0.0 and 2.0.0
    assert set(region.history.mapping) == {old.label, new.label}
    assert sorted(region.history.shared) == sorted(comparable)
    assert [p.year for p in region.development] == [2024, 2025, 2026]
    assert region.development_targets == targets(new, comparable)[1]
    assert f"{len(comparable)} påstandene" in region.development_note
    # the change since 2025 (on 1.0.0): both rounds on the comparable indicators only, checked by hand for LED
    mig = new.migration_from("1.0.0")
    assert mig is not None
    led_domain = next(d for d in new.domains if d.id == "LED")
    led = [(i, mig.step_for_new(i.id).old[0]) for i in led_domain.indicators if i.id in comparable]
    assert led

    def wmean(pairs):
        pairs = [(v, w) for v, w in pairs if v is not None]
        return round(sum(v * w for v, w in pairs) / sum(w for _, w in pairs), 2)

    for e in region.entries:
        c = e.change
        assert c is not None and c.previous.year == 2025 and c.n_comparable == len(comparable)
        assert f"bare på de {len(comparable)} påstandene" in change_note(region, e)
        now = wmean([(e.round.indicators[i.id], i.weight) for i, _ in led])
        then = wmean([(c.previous.indicators[o], i.weight) for i, o in led])
        assert c.domains["LED"] == pytest.approx(round(now - then, 2))


def test_bank_change_in_the_outputs(cli, bank_change_dir, tmp_path):
    from openpyxl import load_workbook

    _, new = _banks_1_and_2()
    n_all = len([i for i in new.indicators if not i.local])
    n_dev = len(_comparable_with_1_0(new))
    dirs = [bank_change_dir / n.lower() for n, _, _ in BANK_CHANGE]
    out = tmp_path / "fylket"
    res = cli(["region", *dirs, "--out", out])
    assert res.exit_code == 0, res.output
    assert f"sammenlignet på {n_all} påstander" in res.output and f"bare de {n_dev} påstandene" in res.output
    wb = load_workbook(out / "fylkesbilde-2026.xlsx")
    header = [c.value for c in wb["Påstander"][1]]
    assert len([h for h in header if "-" in str(h)]) == n_all
    about = [str(c.value) for c in wb["Om"]["A"] if c.value]
    assert f"Sammenlignet på {n_all} av {n_all} påstander i samordna-0-24 2.0.0 (alle kommunene er på denne versjonen)." \
        in about
    assert "Påstandene i utviklingen over år (arket Utvikling):" in about
    dev = [str(c.value) for c in wb["Utvikling"]["A"] if c.value]
    assert any(f"regnet på de {n_dev} påstandene" in v for v in dev)
    html = " ".join(_parse(out / "fylkesbilde-2026.html").text)
    assert f"sammenlignes på alle de {n_all} påstandene i den versjonen" in html
    assert f"Utviklingen er regnet på de {n_dev} påstandene" in html
    one = " ".join(_parse(out / "kommuner" / "9301-fjordby-2026.html").text)
    assert "Endring siden 2025" in one and f"regnet bare på de {n_dev} påstandene" in one
    # --anonymize: no names or numbers in the report or the workbook, whatever the notes say
    anon = tmp_path / "anonym"
    res = cli(["region", *dirs, "--out", anon, "--anonymize"])
    assert res.exit_code == 0, res.output
    text = (anon / "fylkesbilde-2026.html").read_text(encoding="utf-8")
    cells = _xlsx_strings(anon / "fylkesbilde-2026.xlsx")
    for name, number, _ in BANK_CHANGE:
        assert name not in text and number not in text
        assert not any(name in c or number in c for c in cells)


def test_a_year_before_the_bank_change_compares_all_of_the_old_version(bank_change_dir):
    from samordna.core.region import build_region

    old, new = _banks_1_and_2()
    region = build_region(collect([bank_change_dir / n.lower() for n, _, _ in BANK_CHANGE]), 2025)
    assert region.one_version and region.bank.version == "1.0.0"
    assert region.harmonisation.shared == [i.id for i in old.indicators]
    assert region.history_bank.version == "2.0.0" and len(region.history.shared) == len(_comparable_with_1_0(new))
    assert [p.year for p in region.development] == [2024, 2025, 2026]
    for e in region.entries:  # 2024 was on 1.0.0 too: the change uses every indicator
        assert e.change is not None and e.change.n_comparable == len(old.indicators)


def test_a_municipality_still_on_the_old_version_keeps_the_comparable_set(bank_change_dir):
    from samordna.core.region import build_region
    from samordna.outputs.region_report import change_note

    _, new = _banks_1_and_2()
    comparable = _comparable_with_1_0(new)
    region = build_region(collect([bank_change_dir]))
    assert not region.one_version
    assert region.mix_note == "1 kommune på 1.0.0 og 3 på 2.0.0: bare sammenlignbare påstander er med i sammenligningen."
    assert sorted(region.harmonisation.shared) == sorted(comparable) and len(region.indicators) == len(comparable)
    assert region.history.shared == region.harmonisation.shared
    assert region.history_note == "" and region.development_note == ""
    for e in region.entries:  # the change rests on the same indicators as the levels: no note
        assert e.change is not None and e.change.n_comparable == len(comparable) and change_note(region, e) == ""


def test_pdf_without_weasyprint_writes_everything_else_and_says_how(cli, sample_ws, tmp_path, monkeypatch):
    monkeypatch.setattr("samordna.outputs.pdf.pdf_available", lambda: False)
    out = tmp_path / "fylke"
    res = cli(["region", sample_ws, "--out", out, "--pdf"])
    assert res.exit_code == 0, res.output
    assert list(out.glob("fylkesbilde-*.html")) and list(out.glob("fylkesbilde-*.xlsx"))
    assert not list(out.rglob("*.pdf"))
    assert "PDF ble ikke laget" in res.stderr and "Skriv ut" in res.stderr
    assert "Error" not in res.output and "Traceback" not in res.output
