"""Honest verdicts on display (issue 12): the legal minimum first, every verdict with its sentence,
«Ikke bekreftet» and «ingen vurdering» wherever a source is named, statutory / local / level-descriptor
marks, and a trend across a change of bank that follows the migration map. Small hand-built banks
(1.0.0 and 2.0.0 of «testbank»), never the shipped one."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from pathlib import Path

import pytest
import yaml

from samordna.core.models import Answer, ConsensusEntry
from samordna.core.result_model import LEGAL_NO, LEGAL_YES, VERDICT_NONE, VERDICT_NOT_MET
from samordna.io.workspace import Workspace
from samordna.outputs.guide import render_guide
from samordna.outputs.report import build_model, render_html
from test_report import Page

ROOT = Path(__file__).resolve().parents[1]
URL = "https://lovdata.no/lov/2021-06-18-97/§15-1"
DESCRIPTORS = {0: "Ingen avtaler.", 1: "Avtaler i arbeid.", 2: "Avtaler med noen tjenester.",
               3: "Skriftlige avtaler med alle tjenestene.", 4: "Avtalene er gjennomgått siste 12 måneder."}


def _ind(ind_id: str, short: str, **extra) -> dict:
    return {"id": ind_id, "short": short, "statement": f"Påstand {short}.", "help": "Hjelp.",
            "evidence": ["Dokument."], "references": extra.pop("references", ["IS2826-K3"]),
            "actions": ["Gjør noe."], **extra}


def _scale(legal: bool) -> dict:
    names = ["Ikke på plass", "Påbegynt", "Delvis på plass", "På plass", "På plass og fulgt opp"]
    scale: dict = {"levels": [{"level": i, "name": n, "description": f"Beskrivelse {i}."} for i, n in enumerate(names)],
                   "dont_know": {"label": "Vet ikke", "description": "Vet ikke."},
                   "not_applicable": {"label": "Ikke relevant", "description": "Ikke relevant."}}
    if legal:
        scale |= {"yes": {"label": "Ja", "description": "Ja."}, "no": {"label": "Nei", "description": "Nei."}}
    return scale


def bank_doc(version: str) -> dict:
    """1.0.0: LED-01, LED-02, SAM-01, SAM-04. 2.0.0: a legal minimum, core indicators, a statutory indicator with
    level descriptors, an unconfirmed recommendation, one with no verdict, a local indicator and a migration map."""
    sources = [
        {"id": "IS2826-K3", "kind": "recommendation", "title": "K3 Avtaler", "short": "K3 Avtaler om samarbeid",
         "url": "https://www.helsedirektoratet.no/k3"},
        {"id": "IS2826-A3", "kind": "recommendation", "title": "A3", "short": "A3 Handle på bekymring <b>",
         "url": "https://www.helsedirektoratet.no/a3", "confirmed": False,
         "note": "Tittelen er ikke funnet hos Helsedirektoratet & må sjekkes."},
        {"id": "BVL15", "kind": "law", "title": "Barnevernsloven § 15-1", "short": "Forebyggende plan",
         "url": URL, "citation": "barnevernsloven § 15-1 andre ledd"},
    ]
    if version == "1.0.0":
        return {"id": "testbank", "version": version, "title": "Testbank", "description": "Til tester.",
                "scale": _scale(False), "sources": sources, "domains": [
                    {"id": "LED", "name": "Ledelse", "description": "Ledelse.", "indicators": [
                        _ind("LED-01", "Plan vedtatt", references=["BVL15"]), _ind("LED-02", "Plan kjent")]},
                    {"id": "SAM", "name": "Samarbeid", "description": "Samarbeid.", "indicators": [
                        _ind("SAM-01", "Skriftlige samarbeidsavtaler"), _ind("SAM-04", "Overganger")]}]}
    sources[0]["core"] = ["SAM-01", "SAM-10"]
    sources[1]["core"] = ["LED-03"]
    sources[2]["core"] = ["LED-01", "LM-01"]
    sources.append({"id": "IS2826-A4", "kind": "recommendation", "title": "A4", "short": "A4 (ikke funnet)",
                    "url": "https://www.helsedirektoratet.no/a4", "confirmed": False, "verdict": False,
                    "note": "Den fjerde anbefalingen er ikke funnet i kilden."})
    return {
        "id": "testbank", "version": version, "title": "Testbank", "description": "Til tester.",
        "scale": _scale(True), "sources": sources,
        "legal_minimum": [
            {"id": "LM-01", "short": "Plan vedtatt av kommunestyret", "question": "Har kommunestyret vedtatt planen?",
             "help": "Se vedtaket.", "who": "Politisk sekretariat", "references": ["BVL15"], "actions": ["Sjekk."]},
            {"id": "LM-02", "short": "Planen beskriver samarbeidet", "question": "Beskriver planen samarbeidet?",
             "help": "Les planen.", "who": "Planansvarlig", "references": ["BVL15"], "actions": ["Sjekk."]}],
        "domains": [
            {"id": "LED", "name": "Ledelse", "description": "Ledelse.", "indicators": [
                _ind("LED-01", "Plan vedtatt", references=["BVL15"], statutory=["BVL15"], weight=2.0,
                     levels=DESCRIPTORS),
                _ind("LED-03", "Plan kjent i tjenestene", references=["IS2826-A3"], weight=1.5, levels=DESCRIPTORS)]},
            {"id": "SAM", "name": "Samarbeid", "description": "Samarbeid.", "indicators": [
                _ind("SAM-01", "Skriftlige samarbeidsavtaler", weight=1.5, levels=DESCRIPTORS),
                _ind("SAM-10", "Overgang barnehage–skole", weight=1.5, levels=DESCRIPTORS),
                _ind("SAM-11", "Overgang skole–videregående")]},
            {"id": "OVG", "name": "Unge voksne", "description": "18–24.", "indicators": [
                _ind("OVG-01", "Ettervern"),
                _ind("OVG-02", "Vårt eget tilbud", local=True, local_owner="Vestland")]}],
        "migrations": [{"from": "1.0.0", "steps": [
            {"kind": "same", "old": ["LED-01"], "new": ["LED-01"]},
            {"kind": "reworded", "old": ["LED-02"], "new": ["LED-03"]},
            {"kind": "same", "old": ["SAM-01"], "new": ["SAM-01"]},
            {"kind": "split", "old": ["SAM-04"], "new": ["SAM-10", "SAM-11"]},
            {"kind": "new", "new": ["OVG-01"]}]}],
    }


def _write_bank(folder: Path, version: str) -> Path:
    path = folder / f"testbank-{version}.yaml"
    path.write_text(yaml.safe_dump(bank_doc(version), allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _answer(rnd, code: str, sector: str, answers: dict) -> None:
    pf = rnd.new_participant(code, sector, "fil")
    pf.answers = {k: Answer(level=v) for k, v in answers.items()}
    rnd.save_participant(pf)


@pytest.fixture(scope="module")
def two_banks(tmp_path_factory):
    """Testvik: 2025 on testbank 1.0.0, 2026 on 2.0.0 (three participants each)."""
    base = tmp_path_factory.mktemp("banker")
    ws = Workspace.init(base / "testvik", "Testvik", "9998")
    r25 = ws.new_round(year=2025, bank_path=_write_bank(base, "1.0.0"), opened=date(2025, 3, 1))
    for n, sector in enumerate(["barnehage", "grunnskole", "nav"]):
        _answer(r25, f"A{n}", sector, {"LED-01": 1, "LED-02": 2, "SAM-01": 2, "SAM-04": 3})
    r26 = ws.new_round(year=2026, bank_path=_write_bank(base, "2.0.0"), opened=date(2026, 3, 1))
    # LM-01: the group says «ja» though two answered «nei»; LM-02: no consensus, one «nei»
    for n, (sector, lm01, sam01) in enumerate([("barnehage", "nei", 0), ("grunnskole", "nei", 0), ("nav", "ja", 1)]):
        _answer(r26, f"B{n}", sector, {"LM-01": lm01, "LM-02": "nei" if n == 0 else "ja", "LED-01": 3, "LED-03": 3,
                                        "SAM-01": sam01, "SAM-10": 3, "SAM-11": 3, "OVG-01": 2, "OVG-02": 2})
    r26.save_consensus({"LM-01": ConsensusEntry(level="ja", rationale="Vedtatt i k-sak 12/26 <i>")})
    return ws


@pytest.fixture(scope="module")
def report(two_banks):
    model = build_model(two_banks, "2026", today=date(2026, 11, 20))
    html = render_html(model)
    return {"model": model, "html": html, "page": Page(html)}


def test_legal_minimum_comes_first_with_every_no_shown(report):
    page, model = report["page"], report["model"]
    order = page.section_order
    assert order.index("juridisk-minimum") < order.index("sammendrag") < order.index("omradene")
    assert order.index("juridisk-minimum") < order.index("omrade-for-omrade")
    text = page.section("juridisk-minimum")
    rows = {r["id"]: r for r in model["legal"]["rows"]}
    assert rows["LM-01"]["answer"] == LEGAL_YES and rows["LM-01"]["from_consensus"]
    assert "2 av 3 svarte nei" in text  # the group said «ja», the «nei» still shows
    assert rows["LM-02"]["answer"] == LEGAL_NO and not rows["LM-02"]["from_consensus"]
    for needle in ["LM-01 Plan vedtatt av kommunestyret", "Hvem vet svaret: Politisk sekretariat",
                   "Gruppens svar (konsensus)", "barnevernsloven § 15-1 andre ledd", "1 ja, 2 nei, 0 vet ikke av 3"]:
        assert needle in text, needle
    # answer in words as well as colour, and the citation is a link
    assert "Ja" in text and "Nei" in text
    assert any(a.get("href") == URL for a in page.find("a"))
    assert rows["LM-01"]["explanation"] and rows["LM-01"]["explanation"] in text


def test_every_verdict_has_its_sentence(report):
    page, model = report["page"], report["model"]
    text = page.section("retningslinjen")
    items = model["guideline"]["recommendations"] + model["guideline"]["duties"] + model["guideline"]["laws"]
    assert items
    for item in items:
        if item["verdict"] != VERDICT_NONE:
            assert item["explanation"], item["id"]
            assert item["explanation"] in text
    k3 = next(i for i in model["guideline"]["recommendations"] if i["id"] == "IS2826-K3")
    assert k3["verdict"] == VERDICT_NOT_MET
    assert "SAM-01 Skriftlige samarbeidsavtaler" in k3["explanation"] and "nivå 0" in k3["explanation"]
    assert any(i["decisive"] for i in k3["indicators"])
    law = next(i for i in model["guideline"]["laws"] if i["id"] == "BVL15")
    assert [b["id"] for b in law["indicators"]] == ["LED-01", "LM-01"]  # legal items behind a law show too


def test_unconfirmed_and_no_verdict_badges_everywhere(report, two_banks):
    page = report["page"]
    section = page.section("retningslinjen")
    assert "A3 Handle på bekymring <b> Ikke bekreftet" in section  # next to the name, escaped
    assert "Ikke funnet i retningslinjen – ingen vurdering" in section
    assert "Den fjerde anbefalingen er ikke funnet i kilden." in section
    assert "verdict-ingen_vurdering" in report["html"]  # its own style
    appendix = page.section("metode")
    assert appendix.count("Ikke bekreftet") >= 2  # A3 and A4 in the list of sources
    guide = Page(render_guide(two_banks.round("2026"), today=date(2026, 11, 20)))
    guide_text = " ".join("".join(guide.text.get("anbefalinger", [])).split())
    assert "A3 Handle på bekymring <b> Ikke bekreftet" in guide_text
    assert "Ikke funnet i retningslinjen – ingen vurdering" in guide_text


def test_statutory_local_and_level_descriptor_marks(report):
    led = report["page"].section("omrade-LED")
    assert "Lovpålagt (barnevernsloven § 15-1 andre ledd)" in led
    assert "Nivå 3: Skriftlige avtaler med alle tjenestene." in led  # LED-01 at level 3
    assert "Lokal (Vestland)" in report["page"].section("omrade-OVG")
    sam = report["page"].section("omrade-SAM")
    assert "Nivå 0: Ingen avtaler." in sam  # SAM-01's median is 0


def test_html_is_escaped(report):
    html = report["html"]
    assert "<b>" not in html.replace("<b>Kommune</b>", "")
    assert "Handle på bekymring &lt;b&gt;" in html
    assert "k-sak 12/26 &lt;i&gt;" in html
    assert "Helsedirektoratet &amp; må sjekkes" in html


def test_trend_across_the_bank_change(report):
    hist = report["model"]["history"]
    text = report["page"].section("utvikling")
    assert "Banken ble byttet fra 1.0.0 til 2.0.0 i 2026: tallene før og etter er ikke helt sammenlignbare." in text
    assert [h["break"] for h in hist["heads"]] == [False, True]
    notes = {r["id"]: r["note"] for r in hist["not_comparable"]["rows"]}
    assert notes["SAM-10"] == "Ny påstand i 2.0.0 (delt opp fra SAM-04); ingen trend."
    assert notes["OVG-01"] == "Ny påstand i 2.0.0; ingen trend."
    assert "LED-03" not in notes and "LED-01" not in notes
    changed = {c["id"]: c for c in hist["up"] + hist["down"]}
    assert changed["LED-01"]["before"] == "1,0" and changed["LED-01"]["now"] == "3,0"
    assert changed["LED-03"]["was"] == "før LED-02"  # the old id named
    assert "SAM-10" not in changed and "SAM-11" not in changed
    assert "2 av 3" not in hist["not_comparable"]["line"]
    assert hist["not_comparable"]["line"].startswith("3 av 7 påstander")


def test_no_crash_when_the_earlier_round_is_on_an_unknown_bank(two_banks, tmp_path):
    from samordna.core.migration import comparability
    from samordna.outputs.report_history import _indicator_changes, _not_comparable

    bank = two_banks.round("2026").bank
    results = {r.round: r for r in __import__("samordna.core.results", fromlist=["x"]).workspace_results(two_banks)}
    old, new = results["2025"], results["2026"]
    strange = dataclasses.replace(old, bank_id="en-annen-bank", indicators=[
        dataclasses.replace(i, id="XYZ-" + i.id) for i in old.indicators])
    comp = comparability(bank, strange.bank_id, strange.bank_version, [i.id for i in strange.indicators])
    up, down = _indicator_changes(new, strange, comp)
    assert up == [] and down == []
    info = _not_comparable(new, strange, comp)
    assert info is not None and info["line"].startswith("0 av 7")


def test_score_prints_legal_minimum_first_and_the_sentences(cli, two_banks, monkeypatch):
    monkeypatch.setenv("COLUMNS", "400")  # wide enough that no cell wraps
    monkeypatch.setenv("TERMINAL_WIDTH", "400")
    res = cli(["score", two_banks.root, "--round", "2026"])
    assert res.exit_code == 0, res.output
    out = " ".join(res.stdout.split())
    assert out.index("Juridisk minimum") < out.index("Områder – runde 2026")
    assert "2 av 3 svarte nei" in out
    assert "Ikke funnet i retningslinjen – ingen vurdering" in out
    assert "[Ikke bekreftet]" in out
    assert "Banken ble byttet fra 1.0.0 til 2.0.0 i 2026" in out
    assert "K3 Avtaler om samarbeid er ikke oppfylt fordi SAM-01" in out


def test_score_json_carries_the_sentences(cli, two_banks):
    res = cli(["score", two_banks.root, "--round", "2026", "--json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["format"] == "samordna-resultat/2"
    rnd = doc["rounds"][0]
    assert [lr["id"] for lr in rnd["legal"]] == ["LM-01", "LM-02"]
    assert rnd["legal"][0]["n_no"] == 2 and rnd["legal"][0]["answer"] == "ja"
    assert all(s["explanation"] for s in rnd["recommendations"] + rnd["duties"] + rnd["laws"])
    a4 = next(s for s in rnd["recommendations"] if s["id"] == "IS2826-A4")
    assert a4["verdict"] == VERDICT_NONE


def test_json_format_doc_names_every_field():
    from samordna.core import result_model as m

    doc = (ROOT / "docs" / "json-format.md").read_text(encoding="utf-8")
    assert "samordna-resultat/2" in doc
    for cls in (m.RoundResult, m.LegalResult, m.IndicatorResult, m.DomainResult, m.SourceResult, m.PriorityResult):
        for f in dataclasses.fields(cls):
            assert f"`{f.name}`" in doc or f"`{f.name}[]`" in doc, f"{cls.__name__}.{f.name}"


def test_guide_says_how_to_keep_facilitation_and_supervision_apart(two_banks):
    page = Page(render_guide(two_banks.round("2026"), today=date(2026, 11, 20)))
    roles = " ".join("".join(page.text.get("roller", [])).split())
    for needle in ["tilsyn", "Kommunen eier svarene", "Ikke brukt i tilsyn uten at det er sagt på forhånd",
                   "fasilitator uten tilsynsoppgaver"]:
        assert needle in roles, needle
    legal = " ".join("".join(page.text.get("juridisk-minimum", [])).split())
    assert "Gruppen registrerer ett svar" in legal and "Alle «nei» vises" in legal
    assert "barnevernsloven § 15-1 andre ledd" in legal and "Politisk sekretariat" in legal


def test_a_round_on_bank_1_is_marked(two_banks):
    page = Page(render_html(build_model(two_banks, "2025", today=date(2026, 11, 20))))
    assert "før versjon 2.0" in page.section("forside")
    assert "har ikke et juridisk minimum" in page.section("juridisk-minimum")
    assert "påstanden med vekt 1,5 eller mer" in page.section("metode")
