"""Every HTML output escapes what users wrote: the report, the facilitator's guide, the region report and
the one-pagers. Hostile text goes into each user-controlled field that reaches the page; the page is parsed
back and must hold no <script> element and no on…= attribute, and show the hostile text as plain text."""

from __future__ import annotations

import shutil
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from samordna.core.models import ConsensusEntry
from samordna.io.workspace import Workspace


def evil(field: str) -> str:
    """Hostile text naming the field it was put in, so every field can be found again on the page."""
    return f'<script>alert("{field}")</script>"><img src=x onerror=alert("{field}")>'


def evil_img(field: str) -> str:
    """Hostile text without a slash (for folder names)."""
    return f'"><img src=x onerror=alert("{field}")>'


class Parsed(HTMLParser):
    """Every element with its attributes, and all text (character references decoded)."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.chunks: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.chunks.append(data)

    @property
    def text(self) -> str:
        return " ".join("".join(self.chunks).split())

    def attribute_values(self) -> list[str]:
        return [v for _, attrs in self.elements for v in attrs.values() if v]


def assert_inert(html: str, fields: list[str], *, folders: list[str] = ()) -> None:
    """No script, no event handler, no image from outside; every hostile field shown as text (or in an
    attribute such as alt, where it is quoted)."""
    page = Parsed(html)
    tags = [t for t, _ in page.elements]
    assert "script" not in tags, "a <script> element was created"
    handlers = [(t, a) for t, attrs in page.elements for a in attrs if a.startswith("on")]
    assert not handlers, f"event handler attributes were created: {handlers}"
    for tag, attrs in page.elements:
        if tag == "img":
            assert (attrs.get("src") or "").startswith("data:"), f"an <img> from outside: {attrs}"
    visible = page.text + " " + " ".join(page.attribute_values())
    for field in fields:
        assert evil(field) in visible, f"the field {field!r} is not on the page as plain text"
    for field in folders:
        assert evil_img(field) in visible, f"the folder {field!r} is not on the page as plain text"
    assert "&lt;script&gt;" in html


# --- writing hostile text into workspace files -------------------------------------------------


def _edit_yaml(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def rename_municipality(root: Path, name: str) -> None:
    _edit_yaml(root / "kommune.yaml", lambda d: d.update(name=name))


def hostile_bank(path: Path) -> list[str]:
    """Rewrite a bank file's free text (ids and versions untouched). Returns the fields changed."""

    def change(b):
        b["title"] = evil("banktittel")
        b["description"] = evil("bankbeskrivelse")
        b["scale"]["levels"][0]["name"] = evil("nivånavn")
        b["scale"]["levels"][0]["description"] = evil("nivåtekst")
        rec = next(s for s in b["sources"] if s.get("kind") == "recommendation")
        rec["short"], rec["group"] = evil("anb-kort"), evil("anb-gruppe")
        dom = b["domains"][0]
        dom["name"], dom["description"] = evil("område"), evil("områdetekst")
        dom["discussion_questions"][0] = evil("spørsmål")
        ind = dom["indicators"][0]
        ind["short"], ind["actions"][0] = evil("i"), evil("tiltak")  # short: at most 60 characters

    _edit_yaml(path, change)
    return ["banktittel", "bankbeskrivelse", "nivånavn", "nivåtekst", "anb-kort", "anb-gruppe", "område", "områdetekst", "i"]


def hostile_sectors(root: Path, bank_sectors: Path) -> list[str]:
    """A workspace sektorer.yaml with hostile names for every group and for the sector «ledelse»."""
    target = root / "sektorer.yaml"
    shutil.copy(bank_sectors, target)

    def change(s):
        for g in s["groups"]:
            g["name"] = evil(f"gruppe-{g['id']}")
        next(x for x in s["sectors"] if x["id"] == "ledelse")["name"] = evil("sektor")

    _edit_yaml(target, change)
    return ["sektor"]


def hostile_plan(path: Path) -> list[str]:
    """Hostile action, responsible and comment in the first row of an action plan workbook."""
    from openpyxl import load_workbook

    from samordna.plan.model import HEADER_KEY, PLAN_SHEET

    wb = load_workbook(path)
    sheet = wb[PLAN_SHEET]
    cols = {HEADER_KEY[str(c.value).strip().lower()]: c.column for c in sheet[1]
            if str(c.value or "").strip().lower() in HEADER_KEY}
    for key in ("action", "responsible", "comment"):
        sheet.cell(row=2, column=cols[key], value=evil(f"plan-{key}"))
    wb.save(path)
    return ["plan-action", "plan-responsible", "plan-comment"]


# --- the report -----------------------------------------------------------------------------


def test_report_escapes_everything_users_wrote(sample_ws, repo_root, tmp_path):
    from samordna.outputs.report import write_report

    ws = Workspace(sample_ws)
    plan = ws.round("2025").plan_path
    fields = hostile_plan(plan)
    rename_municipality(sample_ws, evil("kommune"))
    ws = Workspace(sample_ws)
    plan.rename(ws.round("2025").plan_path)  # the plan's file name follows the (new) name
    fields += hostile_sectors(sample_ws, repo_root / "assessments" / "sektorer.yaml")
    fields += hostile_bank(sample_ws / "runder" / "2026" / "bank.yaml")
    rnd = ws.round("2026")
    pf = rnd.load_participant("D01")
    assert pf.sector == "ledelse"
    pf.answers["LED-01"].comment = evil("kommentar")
    rnd.save_participant(pf)
    rnd.save_consensus({"LED-01": ConsensusEntry(level=2, rationale=evil("begrunnelse"), dissent=evil("dissens"))})

    files = write_report(ws, "2026", tmp_path / "rapport.html", today=date(2026, 11, 20))
    html = files.html.read_text(encoding="utf-8")
    fields += ["kommune", "kommentar", "begrunnelse", "dissens"]
    assert_inert(html, fields)
    groups = [f"gruppe-{g}" for g in ("ledelse", "oppvekst", "helse", "velferd", "andre")]
    assert any(evil(g) in Parsed(html).text for g in groups), "no sector group name reached the report"


# --- the facilitator's guide ----------------------------------------------------------------


def test_guide_escapes_municipality_and_bank_text(empty_ws, tmp_path):
    from samordna.outputs.guide import write_guide

    rename_municipality(empty_ws, evil("kommune"))
    hostile_bank(empty_ws / "runder" / "2026" / "bank.yaml")
    rnd = Workspace(empty_ws).round("2026")
    [path] = write_guide(rnd, tmp_path, codes=["D01", "D02"])
    assert_inert(path.read_text(encoding="utf-8"), ["kommune", "banktittel", "område", "områdetekst", "spørsmål",
                                                     "anb-kort", "anb-gruppe"])


# --- the region report and the one-pagers -----------------------------------------------------

DOMAINS = ["LED", "ROL", "SAM", "TID", "TAU", "KOM", "BRU", "OPP"]
SECTORS = ["ledelse", "barnehage", "grunnskole", "helsestasjon", "barnevern", "nav"]


def _region(tmp_path: Path, bank_path: Path) -> tuple[Path, list[str], list[str]]:
    """Three municipalities with hostile names and a hostile bank, one without rounds (excluded) and a broken
    one in a hostile folder (skipped). Returns (folder, municipality fields, folder fields)."""
    from samordna.demo.synthetic import Profile, RoundSpec, generate

    bank = tmp_path / "bank.yaml"
    shutil.copy(bank_path, bank)
    hostile_bank(bank)
    root = tmp_path / "fylket"
    names = []
    for k, base in enumerate([1.2, 2.2, 3.2]):
        profile = Profile(levels={dom: [min(3.8, base + 0.4 * ((j + k) % 3) - 0.4)] for j, dom in enumerate(DOMAINS)})
        generate(root / f"k{k}", bank, name=evil(f"kommune-{k}"), number=f"{9100 + k}",
                 rounds=[RoundSpec(2026, SECTORS, consensus=True, priorities=False)], profile=profile, seed=k)
        names.append(f"kommune-{k}")
    Workspace.init(root / "uten-runder", evil("utelatt"), "9190")
    broken = root / evil_img("mappe")
    broken.mkdir()
    (broken / "kommune.yaml").write_text("name: [ikke gyldig\n", encoding="utf-8")
    return root, names, ["mappe"]


@pytest.fixture(scope="module")
def region(tmp_path_factory, bank_path):
    from samordna.outputs.region_run import run_region

    tmp = tmp_path_factory.mktemp("fylke")
    root, names, folders = _region(tmp, bank_path)
    _, files = run_region([root], tmp / "ut", skip_invalid=True)
    return files, names, folders


def test_region_report_escapes_names(region):
    files, names, folders = region
    html = files.html.read_text(encoding="utf-8")
    assert_inert(html, [*names, "utelatt", "banktittel", "område", "anb-kort"], folders=folders)


def test_onepagers_escape_names(region):
    files, names, _ = region
    assert len(files.onepagers) == 3
    partner_seen = False
    for k, page in enumerate(sorted(files.onepagers)):  # named by number, 9100… in order
        text = page.read_text(encoding="utf-8")
        assert_inert(text, [names[k], "område", "anb-kort"])
        partner_seen |= any(evil(n) in Parsed(text).text for j, n in enumerate(names) if j != k)
    assert partner_seen, "no other municipality's name reached a one-pager (learning partners)"
