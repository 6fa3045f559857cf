"""Scoring: hand-computed examples and properties (hypothesis)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from banks import SCALE
from samordna.core.scoring import Consensus, Response, is_disagreement, named_level, rank_priorities, score_round
from samordna.core.suppression import sector_groups
from samordna.io.bankfile import parse_bank

TINY = """
id: mini
version: "1.0"
title: Mini
description: En liten bank for tester.
""" + SCALE.lstrip("\n") + """sources:
  - {id: R1, kind: recommendation, title: Anbefaling 1, short: R1, url: "https://example.org/r1"}
  - {id: R2, kind: recommendation, title: Anbefaling 2, short: R2, url: "https://example.org/r2"}
  - {id: D1, kind: duty, title: Plikt, short: D1, url: "https://example.org/d1"}
domains:
  - id: AA
    name: Område A
    description: a
    indicators:
      - {id: AA-01, short: a1, statement: I vår kommune a1, help: h,
         evidence: [e], references: [R1], weight: 2, target: 3, actions: [x]}
      - {id: AA-02, short: a2, statement: I vår kommune a2, help: h,
         evidence: [e], references: [R1, D1], weight: 1, target: 3, actions: [x]}
  - id: BB
    name: Område B
    description: b
    indicators:
      - {id: BB-01, short: b1, statement: I vår kommune b1, help: h,
         evidence: [e], references: [R2], weight: 1, target: 4, actions: [x]}
      - {id: BB-02, short: b2, statement: I vår kommune b2, help: h,
         evidence: [e], references: [R2], weight: 1, target: 2, actions: [x]}
"""


@pytest.fixture(scope="module")
def tiny():
    return parse_bank(TINY, Path("mini.yaml"))


def R(sector="barnevern", **answers):
    return Response(sector, {k.replace("_", "-"): v for k, v in answers.items()})


def test_hand_computed_example(tiny):
    responses = [
        R(AA_01=1, AA_02=2, BB_01=3, BB_02="vet_ikke"),
        R(AA_01=2, AA_02=2, BB_01=4, BB_02=2),
        R(AA_01=2, AA_02="ikke_relevant", BB_01=2, BB_02=3),
        R(AA_01=4, AA_02=3, BB_01="vet_ikke", BB_02=2),
    ]
    res = score_round(tiny, responses, {"BB-01": Consensus(3, "Enige om 3")})
    a1 = res.indicator("AA-01")
    assert (a1.median, a1.mean, a1.min, a1.max) == (2.0, 2.25, 1, 4)
    assert a1.counts == {0: 0, 1: 1, 2: 2, 3: 0, 4: 1}
    assert a1.level == 2.0 and a1.level_source == "median" and a1.gap == 1.0
    assert a1.disagreement is False  # only one answer (4) lies more than one level from 2
    a2 = res.indicator("AA-02")
    assert a2.n_not_applicable == 1 and a2.share_not_applicable == 0.25 and a2.level == 2.0
    b1 = res.indicator("BB-01")
    assert b1.median == 3.0 and b1.consensus == 3 and b1.level == 3.0 and b1.level_source == "konsensus"
    assert b1.share_dont_know == 0.25 and b1.n_dont_know == 1
    b2 = res.indicator("BB-02")
    assert b2.level == 2.0 and b2.gap == 0.0 and not b2.below_target
    # domain A: weighted mean (2*2 + 2*1) / 3 = 2.0 -> 50 points, level 2
    dom_a = res.domain("AA")
    assert dom_a.level == 2.0 and dom_a.score == 50.0 and dom_a.named_level == 2
    assert dom_a.level_name == "Delvis på plass"
    # domain B: (3 + 2) / 2 = 2.5 -> 62.5 points, named level rounds half down to 2
    dom_b = res.domain("BB")
    assert dom_b.level == 2.5 and dom_b.score == 62.5 and dom_b.named_level == 2
    assert res.overall_level == 2.25 and res.overall_score == 56.2
    # R1: AA-01 (2, target 3), AA-02 (2, target 3): weighted mean 2 >= 3-1 -> partly
    r1 = next(r for r in res.recommendations if r.id == "R1")
    assert r1.verdict == "delvis" and r1.below_target == ["AA-01", "AA-02"]
    # R2: BB-01 3 < 4 -> not all met; mean level 2.5 vs mean target 3 -> partly
    r2 = next(r for r in res.recommendations if r.id == "R2")
    assert r2.verdict == "delvis" and r2.below_target == ["BB-01"]
    assert [d.id for d in res.duties] == ["D1"]
    # priorities: gap*weight: AA-01 1*2=2, AA-02 1*1=1, BB-01 1*1=1; the tie goes to the one
    # with more «vet ikke» (BB-01, 25 %) since unclear knowledge is itself worth working on
    assert [(p.id, p.score) for p in res.priorities] == [("AA-01", 2.0), ("BB-01", 1.0), ("AA-02", 1.0)]
    assert res.uses_consensus == 1


def test_verdicts(tiny):
    met = score_round(tiny, [R(AA_01=3, AA_02=4, BB_01=4, BB_02=2)])
    assert {r.id: r.verdict for r in met.recommendations} == {"R1": "oppfylt", "R2": "oppfylt"}
    low = score_round(tiny, [R(AA_01=0, AA_02=1, BB_01=1, BB_02=0)])
    assert {r.id: r.verdict for r in low.recommendations} == {"R1": "ikke_oppfylt", "R2": "ikke_oppfylt"}
    unknown = score_round(tiny, [R(AA_01="vet_ikke", AA_02="vet_ikke", BB_01=2, BB_02=2)])
    assert {r.id: r.verdict for r in unknown.recommendations}["R1"] == "uavklart"
    assert "AA-01" in unknown.unclear


def test_not_applicable_majority_and_consensus(tiny):
    res = score_round(tiny, [R(AA_01="ikke_relevant", AA_02=1), R(AA_01="ikke_relevant", AA_02=1), R(AA_01=0, AA_02=1)])
    assert res.indicator("AA-01").not_applicable and res.indicator("AA-01").level is None
    assert res.domain("AA").level == 1.0  # AA-01 left out, not counted as 0
    res2 = score_round(tiny, [R(AA_01=0, AA_02=1)], {"AA-01": Consensus("ikke_relevant", "Gjelder ikke oss")})
    assert res2.indicator("AA-01").not_applicable


def test_disagreement_rule():
    assert is_disagreement([0, 0, 4, 4]) is True
    assert is_disagreement([2, 2, 2, 3, 1]) is False
    assert is_disagreement([0, 4]) is True
    assert is_disagreement([3]) is False
    assert is_disagreement([2, 2, 2, 2, 2, 2, 2, 0, 4]) is False  # 2 of 9 outside: under a quarter
    assert is_disagreement([2, 2, 2, 2, 2, 0, 4, 4]) is True      # 3 of 8 outside


# docs/metode.md, section 2: «minst to svar, og minst en firedel av svarene, ligger mer enn ett nivå fra
# medianen. Bare svarene 0–4 telles her.» Each case below is worked by hand from that sentence.
@pytest.mark.parametrize(("levels", "expected"), [
    # exactly one outlier: median 2, only the 4 is more than one level away -> one answer, not «minst to svar»
    ([2, 2, 4], False),
    ([2, 2, 2], False),        # everyone agrees: nobody is away from the median
    ([1, 3], False),           # median 2; both are exactly one level away, not «mer enn ett nivå»
    ([2, 4, 4], False),        # median 4; only the 2 is away (one answer)
    ([0, 2, 4], True),         # median 2; 0 and 4 are two levels away: 2 answers, 2 of 3 >= a quarter
    ([0, 1, 3, 4], True),      # median 2; 0 and 4 away: 2 of 4
    ([1, 2, 3, 4], True),      # median 2.5; 1 and 4 are 1.5 levels away (> 1): 2 of 4
    ([2, 2, 2, 2, 2, 2, 0, 4], True),     # 2 of 8 is exactly a quarter: «minst en firedel»
    ([2, 2, 2, 2, 2, 2, 2, 2, 0, 4], False),  # 2 of 10 is under a quarter
])
def test_disagreement_follows_the_method_text(levels, expected):
    assert is_disagreement(levels) is expected


def test_named_level_rounds_half_down():
    assert [named_level(x) for x in (0, 0.5, 0.51, 1.49, 2.5, 3.5, 3.51, 4)] == [0, 0, 1, 1, 2, 3, 4, 4]
    assert named_level(None) is None


def test_sector_groups_suppress_small_groups(bank):
    from samordna.io.workspace import load_sectors

    sectors = load_sectors()
    responses = [Response("barnehage", {"LED-01": 2}), Response("grunnskole", {"LED-01": 3}),
                 Response("ppt", {"LED-01": 4}), Response("barnevern", {"LED-01": 0}), Response("nav", {"LED-01": 0}),
                 Response("helsestasjon", {"LED-01": 1})]  # 2 + 1 hidden: 3, so nothing else needs hiding
    groups = {g.id: g for g in sector_groups(bank, responses, sectors)}
    assert groups["oppvekst"].n == 3 and groups["oppvekst"].domains["LED"] == 3.0
    assert groups["velferd"].suppressed and groups["velferd"].n is None and groups["velferd"].domains == {}
    assert groups["helse"].suppressed
    # without the third group, the two hidden people could be subtracted out: oppvekst is hidden too
    both = {g.id: g for g in sector_groups(bank, responses[:5], sectors)}
    assert both["oppvekst"].suppressed and both["velferd"].suppressed


answer = st.one_of(st.integers(0, 4), st.sampled_from(["vet_ikke", "ikke_relevant"]))


@st.composite
def responses(draw, ids):
    n = draw(st.integers(1, 12))
    return [Response("barnevern", {i: draw(answer) for i in ids if draw(st.booleans()) or True}) for _ in range(n)]


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_properties(tiny, data):
    ids = [i.id for i in tiny.indicators]
    resp = data.draw(responses(ids))
    res = score_round(tiny, resp)
    for ind in res.indicators:
        assert ind.n_responses == ind.n_scored + ind.n_dont_know + ind.n_not_applicable
        assert sum(ind.counts.values()) == ind.n_scored
        if ind.n_scored:
            assert ind.min <= ind.median <= ind.max and ind.min <= ind.mean <= ind.max
        assert 0 <= ind.share_dont_know <= 1 and 0 <= ind.share_not_applicable <= 1
        if ind.level is not None:
            assert 0 <= ind.level <= 4 and ind.gap == max(0.0, ind.target - ind.level)
    for dom in res.domains:
        if dom.score is not None:
            assert 0 <= dom.score <= 100
    # «vet ikke» never changes a level: replacing them with nothing gives the same levels
    stripped = [Response(r.sector, {k: v for k, v in r.answers.items() if v != "vet_ikke"}) for r in resp]
    res2 = score_round(tiny, stripped)
    assert [i.level for i in res.indicators] == [i.level for i in res2.indicators]
    # the order of participants does not matter
    res3 = score_round(tiny, list(reversed(resp)))
    assert [d.score for d in res.domains] == [d.score for d in res3.domains]
    # priorities are exactly the indicators below target, sorted by gap*weight
    pri = rank_priorities(tiny, res.indicators)
    assert {p.id for p in pri} == {i.id for i in res.indicators if i.below_target}
    assert [p.score for p in pri] == sorted((p.score for p in pri), reverse=True)


@settings(max_examples=40, deadline=None)
@given(levels=st.lists(st.integers(0, 4), min_size=1, max_size=12), bump=st.integers(0, 4))
def test_raising_an_answer_never_lowers_the_domain(tiny, levels, bump):
    base = [R(AA_01=lv, AA_02=lv) for lv in levels]
    higher = list(base)
    higher[0] = R(AA_01=max(levels[0], bump), AA_02=max(levels[0], bump))
    assert score_round(tiny, higher).domain("AA").level >= score_round(tiny, base).domain("AA").level


def test_score_json_covers_every_round(cli, repo_root):
    res = cli(["score", repo_root / "sample_municipality", "--json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["format"] == "samordna-resultat/2"
    assert doc["municipality"] == {"name": "Eksempeldal", "number": "9999"}
    assert [r["round"] for r in doc["rounds"]] == ["2024", "2025", "2026"]
    for rnd in doc["rounds"]:
        # 2024 and 2025 on bank 1.0.0 (8 domains), 2026 on 2.0.0 (9 domains and a legal minimum)
        assert len(rnd["domains"]) == (9 if rnd["bank_version"] == "2.0.0" else 8)
        assert all(d["score"] is not None for d in rnd["domains"])
        assert len(rnd["recommendations"]) == 7
        assert {r["verdict"] for r in rnd["recommendations"]} <= {"oppfylt", "delvis", "ikke_oppfylt", "uavklart",
                                                                   "ingen_vurdering"}
        assert all(r["explanation"] for r in rnd["recommendations"] + rnd["duties"] + rnd["laws"])
        assert len(rnd["legal"]) == (12 if rnd["bank_version"] == "2.0.0" else 0)
        assert rnd["priorities"] and rnd["priorities"][0]["rank"] == 1
        for ind in rnd["indicators"]:
            assert set(ind["counts"]) == {"0", "1", "2", "3", "4"}
    # no participant code ever appears in the results
    assert '"D01"' not in res.stdout and "D01" not in res.stdout
    # consensus rounds say so
    assert doc["rounds"][0]["uses_consensus"] == 42 and doc["rounds"][2]["uses_consensus"] == 0
    # sample story: progress in leadership, decline in joint training
    led = [next(d["score"] for d in r["domains"] if d["id"] == "LED") for r in doc["rounds"]]
    kom = [next(d["score"] for d in r["domains"] if d["id"] == "KOM") for r in doc["rounds"]]
    assert led[0] < led[1] < led[2] and kom[0] > kom[1] > kom[2]


def test_score_table(cli, repo_root):
    res = cli(["score", repo_root / "sample_municipality", "--round", "2025"])
    assert res.exit_code == 0, res.output
    for text in ("Eksempeldal", "runde 2025", "Ledelsesforankring", "Retningslinjen IS-2826", "Forslag til prioriteringer",
                 "Alle påstandene bruker gruppens konsensus", "Utvikling"):
        assert text in res.stdout, text
    assert "2026" not in res.stdout.split("Utvikling")[1]  # history stops at the round shown
