"""Verdicts that cannot flatter (issue 12): each case the review found, built by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from banks import SCALE, YES_NO
from samordna.core.errors import SamordnaError
from samordna.core.scoring import Consensus, Response, score_round
from samordna.io.bankfile import parse_bank

BANK = """
id: mini2
version: "2.0.0"
title: Mini 2
description: En liten bank i 2.0-form for tester.
""" + SCALE.lstrip("\n") + YES_NO + """sources:
  - {id: K3, kind: recommendation, title: Avtaler, short: K3, url: "https://example.org/k3",
     core: [SAM-01, SAM-02, SAM-07]}
  - {id: A4, kind: recommendation, title: Antatt, short: A4, url: "https://example.org/a4",
     core: [TAU-03, TAU-04]}
  - {id: A9, kind: recommendation, title: Ikke funnet, short: A9, url: "https://example.org/a9",
     confirmed: false, verdict: false, note: Ikke funnet i retningslinjen.}
  - {id: BK, kind: duty, title: Barnekoordinator, short: Barnekoordinator, url: "https://example.org/bk",
     core: [ROL-03]}
  - {id: BVL15, kind: law, title: Plan, short: "bvl. § 15-1", citation: "barnevernsloven § 15-1",
     url: "https://lovdata.no/lov/2021-06-18-97/§15-1", core: [LM-01, LED-01]}
legal_minimum:
  - {id: LM-01, short: Plan vedtatt, question: Har kommunestyret vedtatt planen?, help: h,
     who: Kommunedirektøren, references: [BVL15], actions: [Legg planen fram]}
domains:
  - id: LED
    name: Ledelse
    description: a
    indicators:
      - {id: LED-01, short: Plan, statement: I vår kommune plan, help: h, evidence: [e], references: [BVL15],
         statutory: [BVL15], weight: 2, actions: [x], levels: {0: a, 1: b, 2: c, 3: d, 4: e}}
      - {id: LED-02, short: Led2, statement: I vår kommune l2, help: h, evidence: [e], references: [K3],
         actions: [x]}
      - {id: LED-03, short: Led3, statement: I vår kommune l3, help: h, evidence: [e], references: [K3],
         actions: [x]}
  - id: SAM
    name: Samarbeid
    description: b
    indicators:
      - {id: SAM-01, short: Skriftlige samarbeidsavtaler, statement: I vår kommune s1, help: h, evidence: [e],
         references: [K3], weight: 1.5, actions: [x], levels: {0: a, 1: b, 2: c, 3: d, 4: e}}
      - {id: SAM-02, short: Møteplasser, statement: I vår kommune s2, help: h, evidence: [e],
         references: [K3], weight: 1.5, actions: [x], levels: {0: a, 1: b, 2: c, 3: d, 4: e}}
      - {id: SAM-07, short: Gjennomgått, statement: I vår kommune s7, help: h, evidence: [e],
         references: [K3], weight: 1.5, actions: [x], levels: {0: a, 1: b, 2: c, 3: d, 4: e}}
  - id: TAU
    name: Taushetsplikt
    description: c
    indicators:
      - {id: TAU-03, short: Rutine for melding, statement: I vår kommune t3, help: h, evidence: [e],
         references: [A4], weight: 1.5, actions: [x], levels: {0: a, 1: b, 2: c, 3: d, 4: e}}
      - {id: TAU-04, short: Vold, statement: I vår kommune t4, help: h, evidence: [e],
         references: [A4], weight: 1.5, actions: [x], levels: {0: a, 1: b, 2: c, 3: d, 4: e}}
  - id: ROL
    name: Roller
    description: d
    indicators:
      - {id: ROL-03, short: Barnekoordinator, statement: I vår kommune r3, help: h, evidence: [e],
         references: [BK], statutory: [BK], weight: 2, actions: [x], levels: {0: a, 1: b, 2: c, 3: d, 4: e}}
"""


@pytest.fixture(scope="module")
def bank():
    return parse_bank(BANK, Path("mini2.yaml"))


def everyone(n: int, **answers: int | str) -> list[Response]:
    return [Response("skole", {k.replace("_", "-"): v for k, v in answers.items()}) for _ in range(n)]


def test_a_zero_on_a_core_indicator_is_not_hidden_by_the_others(bank):
    res = score_round(bank, everyone(4, SAM_01=0, SAM_02=3, SAM_07=3))
    k3 = res.source("K3")
    assert k3.verdict == "ikke_oppfylt"
    assert k3.explanation == "K3 er ikke oppfylt fordi SAM-01 Skriftlige samarbeidsavtaler er på nivå 0."
    assert k3.decisive == ["SAM-01"]


def test_a_missing_legal_duty_caps_the_domain_and_fails_the_law(bank):
    res = score_round(bank, everyone(5, LED_01=0, LED_02=4, LED_03=4, LM_01="nei"))
    led = res.domain("LED")
    # The weighted mean is (0*2 + 4 + 4) / 4 = 2.0, «Delvis på plass» on its own; the zero caps it at 1.
    assert led.level == 2.0
    assert led.named_level == 1 and led.level_name == "Påbegynt"
    assert led.capped_by == "LED-01" and "LED-01" in (led.explanation or "")
    law = res.source("BVL15")
    assert law in res.laws and law.verdict == "ikke_oppfylt"
    assert "«nei»" in law.explanation and "LM-01" in law.explanation


def test_a_majority_of_dont_know_makes_the_recommendation_unclear(bank):
    rs = everyone(8, TAU_03="vet_ikke", TAU_04=4) + everyone(2, TAU_03=4, TAU_04=4)
    res = score_round(bank, rs)
    tau = res.indicator("TAU-03")
    assert tau.level == 4.0 and tau.unclear  # the median of the two who answered, but unclear
    a4 = res.source("A4")
    assert a4.verdict == "uavklart"
    assert a4.explanation == "A4 er uavklart fordi 8 av 10 svarte «vet ikke» på TAU-03 Rutine for melding."
    # exactly half is enough; a little under half is not
    assert score_round(bank, everyone(5, TAU_03="vet_ikke") + everyone(5, TAU_03=4)).indicator("TAU-03").unclear
    assert not score_round(bank, everyone(4, TAU_03="vet_ikke") + everyone(5, TAU_03=4)).indicator("TAU-03").unclear


def test_not_met_takes_precedence_over_unclear(bank):
    rs = everyone(6, TAU_03="vet_ikke", TAU_04=1) + everyone(2, TAU_03=4, TAU_04=1)
    assert score_round(bank, rs).source("A4").verdict == "ikke_oppfylt"


def test_a_consensus_clears_the_dont_know(bank):
    rs = everyone(8, TAU_03="vet_ikke", TAU_04=3) + everyone(2, TAU_03=4, TAU_04=3)
    res = score_round(bank, rs, {"TAU-03": Consensus(3, "Sjekket i kvalitetssystemet")})
    assert not res.indicator("TAU-03").unclear
    assert res.source("A4").verdict == "oppfylt"


def test_a_statutory_duty_cannot_be_left_out_as_not_applicable(bank):
    rs = everyone(6, ROL_03="ikke_relevant") + everyone(4, ROL_03=1)
    res = score_round(bank, rs)
    rol = res.indicator("ROL-03")
    assert not rol.not_applicable and rol.level == 1.0 and rol.n_not_applicable_ignored == 6
    assert res.source("BK").verdict == "ikke_oppfylt"
    # nor by a consensus
    res = score_round(bank, rs, {"ROL-03": Consensus("ikke_relevant", "Gjelder ikke oss")})
    assert res.indicator("ROL-03").level_source == "median"
    assert not bank.allows("ROL-03", "ikke_relevant") and bank.allows("SAM-01", "ikke_relevant")


def test_partly_and_met_name_the_reason(bank):
    res = score_round(bank, everyone(3, SAM_01=2, SAM_02=3, SAM_07=4))
    assert res.source("K3").verdict == "delvis"
    assert res.source("K3").explanation == ("K3 er delvis oppfylt fordi SAM-01 Skriftlige samarbeidsavtaler "
                                            "er på nivå 2, under målet.")
    res = score_round(bank, everyone(3, SAM_01=3, SAM_02=3, SAM_07=4))
    assert res.source("K3").verdict == "oppfylt"


def test_no_answers_is_unclear_and_a_source_without_verdict_says_so(bank):
    res = score_round(bank, everyone(3))
    assert res.source("K3").verdict == "uavklart"
    a9 = res.source("A9")
    assert a9.verdict == "ingen_vurdering" and a9.verdict_label == "Ingen vurdering"
    assert "Ikke funnet i retningslinjen" in a9.explanation


def test_the_legal_minimum_any_no_shows(bank):
    rs = everyone(8, LM_01="ja") + everyone(1, LM_01="nei") + everyone(1, LM_01="vet_ikke")
    lm = score_round(bank, rs).legal_item("LM-01")
    assert (lm.answer, lm.n_yes, lm.n_no, lm.n_dont_know) == ("nei", 8, 1, 1)
    assert lm.explanation == "1 av 10 svarte «nei»."
    assert lm.citation == "barnevernsloven § 15-1" and lm.url.startswith("https://lovdata.no/")
    # the group checks the council's decision and records «ja»; the individual «nei» still shows
    lm = score_round(bank, rs, {"LM-01": Consensus("ja", "Sak 12/26 i kommunestyret")}).legal_item("LM-01")
    assert lm.answer == "ja" and lm.answer_source == "konsensus"
    assert "1 av 10 svarte likevel «nei»" in lm.explanation
    # half «vet ikke» and no «nei»: unclear; nobody answered: unclear
    assert score_round(bank, everyone(2, LM_01="vet_ikke") + everyone(2, LM_01="ja")).legal_item("LM-01").answer == "uavklart"
    assert score_round(bank, everyone(2)).legal_item("LM-01").answer == "uavklart"
    assert score_round(bank, everyone(3, LM_01="ja")).legal_item("LM-01").answer == "ja"


def test_the_overall_named_level_is_capped_by_the_weakest_domain(bank):
    rs = everyone(3, LED_01=4, LED_02=4, LED_03=4, SAM_01=4, SAM_02=4, SAM_07=4, TAU_03=4, TAU_04=4, ROL_03=0)
    res = score_round(bank, rs)
    assert res.domain("ROL").named_level == 0
    assert res.overall_level == 3.0 and res.overall_level_name == "Påbegynt" and res.overall_capped_by == "ROL"


def test_weights_must_follow_the_rule_and_statutory_items_need_descriptors():
    bad = BANK.replace("statutory: [BK], weight: 2,", "statutory: [BK], weight: 1,")
    with pytest.raises(SamordnaError) as exc:
        parse_bank(bad, Path("mini2.yaml"))
    text = str(exc.value) + "\n".join(exc.value.problems)
    assert "weight" in text and "regelen gir 2" in text and "linje" in text


def test_an_unknown_placeholder_in_a_verdict_sentence_is_a_bank_error():
    bad = BANK.replace("sources:", "verdict_rules:\n  texts:\n    met: \"{kilde} er oppfylt\"\nsources:", 1)
    with pytest.raises(SamordnaError) as exc:
        parse_bank(bad, Path("mini2.yaml"))
    assert "{kilde}" in "\n".join(exc.value.problems)


def test_the_method_text_and_the_shipped_bank_say_the_same(repo_root):
    """docs/metode.md describes the scale and the rules in words; the bank holds them as data. They must agree."""
    from samordna.io.bankfile import load_bank

    shipped = load_bank(repo_root / "assessments" / "samordna-0-24.yaml")
    method = (repo_root / "docs" / "metode.md").read_text(encoding="utf-8")
    for lv in shipped.scale.levels:
        assert f"| {lv.level} {lv.name} | {lv.description} |" in method, lv.level
    rules = shipped.verdict_rules
    assert (rules.not_met_at_or_below, rules.unclear_dont_know_share, rules.domain_cap_above_lowest) == (1, 0.5, 1)
    assert "**nivå 1 eller lavere**" in method and "minst **halvparten**" in method and "**høyst ett nivå over**" in method
    w = rules.weights
    assert (w.statutory, w.core, w.other) == (2.0, 1.5, 1.0)
    assert "| Lovpålagt (bygger på en lovplikt) | 2,0 |" in method and "| Alle andre | 1,0 |" in method
