"""The content of the shipped bank 2.0: citations, core indicators, levels, weights and the migration map.

The table of expected citations is written by hand from the laws as Lovdata shows them (see
docs/bank-2.0-endringer.md). A change to a source's citation or URL in the bank must be made here too.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from samordna.core.bank import Bank, check_migration_against
from samordna.io.bankfile import load_bank
from samordna.io.yamlio import load_yaml

ROOT = Path(__file__).resolve().parents[1]
BANK = ROOT / "assessments" / "samordna-0-24.yaml"
ARCHIVED_1_0 = ROOT / "assessments" / "arkiv" / "samordna-0-24-1.0.0.yaml"

LOVDATA = "https://lovdata.no/"
HDIR_GUIDELINE = "https://www.helsedirektoratet.no/retningslinjer/tidlig-oppdagelse-av-utsatte-barn-og-unge/"

# source id -> (texts the citation must contain, how the URL must start)
EXPECTED_CITATIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "BVL15": (("barnevernsloven § 15-1 andre ledd",), LOVDATA + "lov/2021-06-18-97/§15-1"),
    "BVL15-3": (("barnevernsloven § 15-3 femte ledd",), LOVDATA + "lov/2021-06-18-97/§15-3"),
    "OP": (("barnevernsloven § 13-2", "helsepersonelloven § 33", "opplæringslova § 24-3", "barnehageloven § 46"),
           LOVDATA + "lov/2021-06-18-97/§13-2"),
    "BVL13-3": (("barnevernsloven § 13-3",), LOVDATA + "lov/2021-06-18-97/§13-3"),
    "ETTERVERN": (("barnevernsloven § 3-6",), LOVDATA + "lov/2021-06-18-97/§3-6"),
    "SAMORD": (("barnevernsloven § 15-8 andre ledd", "helse- og omsorgstjenesteloven § 3-4 andre ledd",
                "opplæringslova § 24-1 andre ledd", "barnehageloven § 2 b andre ledd"),
               LOVDATA + "lov/2021-06-18-97/§15-8"),
    "IND": (("helse- og omsorgstjenesteloven § 3-4 første ledd", "NAV-loven § 15 a første ledd"), LOVDATA),
    "SYS": (("helse- og omsorgstjenesteloven § 3-4 tredje ledd", "NAV-loven § 15 a andre ledd"),
            "https://www.helsedirektoratet.no/veiledere/samarbeid-om-tjenester-til-barn-unge-og-deres-familier/"),
    "BK": (("helse- og omsorgstjenesteloven § 7-2 a", "pasient- og brukerrettighetsloven § 2-5 c"),
           LOVDATA + "lov/2011-06-24-30/§7-2a"),
    "IP": (("helse- og omsorgstjenesteloven § 7-1", "forskrift 22. juni 2022 nr. 1110"),
           LOVDATA + "forskrift/2022-06-22-1110"),
    "KE": (("helse- og omsorgstjenesteloven § 7-3", "forskrift 16. desember 2011 nr. 1256"),
           LOVDATA + "lov/2011-06-24-30/§7-3"),
    "HOL62": (("helse- og omsorgstjenesteloven § 6-2",), LOVDATA + "lov/2011-06-24-30/§6-2"),
    "BSP": (("helsepersonelloven § 10 a",), LOVDATA + "lov/1999-07-02-64/§10a"),
    "AP": (("straffeloven § 196",), LOVDATA + "lov/2005-05-20-28/§196"),
    "OVERGANG": (("opplæringslova §§ 4-7 og 9-5", "barnehageloven § 2 a"), LOVDATA + "lov/2023-06-09-30/§4-7"),
    "OT": (("opplæringslova § 9-4",), LOVDATA + "lov/2023-06-09-30/§9-4"),
    "FHL5": (("folkehelseloven § 5",), LOVDATA + "lov/2011-06-24-29/§5"),
    "KL512": (("kommuneloven § 5-12",), LOVDATA + "lov/2018-06-22-83/§5-12"),
    "KL25": (("kommuneloven § 25-1", "barnevernsloven § 15-2 fjerde ledd"), LOVDATA + "lov/2018-06-22-83/§25-1"),
    "TOLK": (("tolkeloven",), LOVDATA + "lov/2021-06-11-79"),
    "TP": (("forvaltningsloven", "13 c"), LOVDATA + "lov/1967-02-10/"),
    "OR": (("forvaltningsloven", "13 b"), LOVDATA + "lov/1967-02-10/"),
    "CRC12": (("barnevernsloven § 1-4",), LOVDATA + "lov/2021-06-18-97/§1-4"),
}

# The recommendations' real titles (Helsedirektoratet's pages), as far as they are confirmed.
EXPECTED_TITLES = {
    "IS2826-A1": "bør ha kompetanse i å snakke med barn og unge de har bekymringer for",
    "IS2826-A3": "bør handle på bakgrunn av bekymring for barn og unge",
    "IS2826-K3": "etablerte avtaler om samarbeid",
}


@pytest.fixture(scope="module")
def bank2() -> Bank:
    return load_bank(BANK)


@pytest.fixture(scope="module")
def bank1() -> Bank:
    return load_bank(ARCHIVED_1_0)


def _judged(bank: Bank):
    return [s for s in bank.sources if s.kind in ("recommendation", "duty", "law")]


def test_version_and_archive(bank2, bank1):
    assert bank2.version == "2.0.0"
    assert bank1.version == "1.0.0" and len(bank1.indicators) == 42


@pytest.mark.parametrize("source_id", sorted(EXPECTED_CITATIONS))
def test_expected_citations(bank2, source_id):
    parts, url_start = EXPECTED_CITATIONS[source_id]
    src = bank2.source_by_id[source_id]
    assert src.citation, f"{source_id} mangler citation"
    for part in parts:
        assert part in src.citation, f"{source_id}: «{part}» står ikke i «{src.citation}»"
    assert src.url.startswith(url_start), f"{source_id}: {src.url}"


def test_recommendation_titles_and_urls(bank2):
    for rec in bank2.recommendations:
        assert rec.url.startswith(HDIR_GUIDELINE), rec.id
    for sid, text in EXPECTED_TITLES.items():
        assert text in bank2.source_by_id[sid].title, sid
    assert bank2.source_by_id["IS2826-A3"].confirmed
    assert "Omskrevet" not in bank2.source_by_id["IS2826-A3"].title


def test_a4_not_found_has_no_verdict(bank2):
    a4 = bank2.source_by_id["IS2826-A4"]
    if not a4.confirmed:
        assert a4.verdict is False and a4.core == []
        assert "Ikke funnet i retningslinjen" in (a4.note or "")
        assert bank2.core_for(a4) == []


def test_every_judged_source_has_url_and_law_citation(bank2):
    for src in _judged(bank2):
        assert src.url.startswith("https://"), src.id
        if src.kind in ("law", "duty"):
            assert src.citation and "§" in src.citation, f"{src.id} mangler paragraf i citation"


def test_every_source_with_a_verdict_rests_on_one_to_four_core_items(bank2):
    few = []
    for src in _judged(bank2):
        if not src.verdict:
            assert not src.core, src.id
            continue
        assert 1 <= len(src.core) <= 4, f"{src.id}: {src.core}"
        assert bank2.core_for(src) == list(src.core), f"{src.id}: ukjent kjernepåstand"
        if len(src.core) < 2:
            few.append(src.id)
    # Only laws measured by a single statement may rest on one item.
    assert set(few) <= {"BVL13-3", "BSP", "HOL62"}, few


def test_k3_rests_on_written_agreements(bank2):
    assert "SAM-01" in bank2.source_by_id["IS2826-K3"].core


def test_statutory_items_have_levels_and_cannot_be_not_applicable(bank2):
    for ind in bank2.indicators:
        if ind.is_statutory:
            assert ind.levels and sorted(ind.levels) == [0, 1, 2, 3, 4], ind.id
            assert not bank2.allows(ind.id, "ikke_relevant"), ind.id
            for law in ind.statutory:
                assert bank2.source_by_id[law].kind in ("law", "duty"), (ind.id, law)
        if ind.weight >= 1.5:
            assert ind.levels, ind.id
        assert ind.statement.startswith("I vår kommune"), ind.id
        assert ind.help and ind.evidence and ind.actions, ind.id


def test_weights_follow_the_rule(bank2):
    rules = bank2.verdict_rules.weights
    core = bank2.core_indicator_ids()
    for ind in bank2.indicators:
        want = rules.statutory if ind.is_statutory else rules.core if ind.id in core else rules.other
        assert ind.weight == want, f"{ind.id}: {ind.weight} != {want}"
    assert (rules.statutory, rules.core, rules.other) == (2.0, 1.5, 1.0)


def test_legal_minimum(bank2):
    ids = [item.id for item in bank2.legal_minimum]
    assert 10 <= len(ids) <= 13
    assert ids == [f"LM-{n:02d}" for n in range(1, len(ids) + 1)]
    assert bank2.scale.yes and bank2.scale.yes.label == "Ja"
    assert bank2.scale.no and bank2.scale.no.label == "Nei"
    for item in bank2.legal_minimum:
        for ref in item.references:
            src = bank2.source_by_id[ref]
            assert src.kind in ("law", "duty") and src.citation and "§" in src.citation, (item.id, ref)
    # The legal minimum names what the issue asks for.
    refs = {ref for item in bank2.legal_minimum for ref in item.references}
    assert {"BVL15", "BVL15-3", "BK", "IP", "OP", "KE"} <= refs


def test_size_and_optional(bank2):
    assert 45 <= len(bank2.indicators) <= 52
    optional = [ind for ind in bank2.indicators if ind.optional]
    assert 1 <= len(optional) <= 5
    assert not any(ind.is_statutory for ind in optional)


def test_coverage_gaps_are_closed(bank2):
    refs = {r for ind in bank2.indicators for r in ind.references} | {r for i in bank2.legal_minimum for r in i.references}
    for sid in ("KE", "FHL5", "UNGDATA", "ETTERVERN", "OT", "BSP", "TOLK", "SLT", "HOL62", "OVERGANG"):
        assert sid in refs, sid
    assert "SAM-04" not in bank2.indicator_by_id  # the triple-barrelled transition item is split
    assert {"OVG-01", "OVG-02", "OVG-03"} <= set(bank2.indicator_by_id)


def test_verdict_rules_written_out(bank2):
    data = load_yaml(BANK).data
    rules = data["verdict_rules"]
    assert set(rules) == {"not_met_at_or_below", "unclear_dont_know_share", "domain_cap_above_lowest", "weights", "texts"}
    assert set(rules["texts"]) == set(type(bank2.verdict_rules.texts).model_fields)


def test_migration_map_checks_clean_against_archived_1_0(bank2, bank1):
    doc = load_yaml(BANK)
    assert check_migration_against(bank2, bank1, doc) == []
    mig = bank2.migration_from("1.0.0")
    assert mig is not None
    new_ids = {i for step in mig.steps for i in step.new}
    assert new_ids == set(bank2.indicator_by_id)
    old_ids = {i for step in mig.steps for i in step.old}
    assert old_ids == set(bank1.indicator_by_id)
    # An id kept from 1.0 with a split or replaced meaning shows no trend.
    comparable = mig.comparable()
    assert "SAM-01" not in comparable and "BRU-04" not in comparable
    assert comparable["TID-03"] == "TID-03"
