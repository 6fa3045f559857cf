"""samordna consensus / prioritize, and the whole workshop path from forms to score."""

from __future__ import annotations

import json
import random
import re

import pytest

from banks import pinned_to_bank_1_0
from samordna.core.answers import NOT_APPLICABLE, YES
from samordna.core.models import ConsensusEntry
from samordna.core.quick_agreement import QUICK_RATIONALE, is_quick_agreement
from samordna.demo.synthetic import legal_consensus_script
from samordna.flows.consensus import (
    SELECTIONS,
    SKIP,
    STOP,
    consensus_order,
    histogram,
    individual_results,
    legal_counts,
    run_consensus,
    suggested_level,
)
from samordna.flows.prioritize import priority_choices, run_prioritize
from samordna.io.workspace import Workspace
from samordna.outputs.forms import fill_form
from samordna.ui.prompter import INTERRUPT, ScriptedPrompter
from test_kit import SECTORS, make_kit, random_answers

# These tests were written for bank 1.0.0; they now also show that a round on it keeps working unchanged
# (``empty_ws`` opens on it). The sample's newest round (2026) is on bank 2.0: there the room agrees on the legal
# minimum first, and the scripts answer it (``legal_consensus_script``) before the statements.
# Bank 2.0 in detail (legal minimum, statutory indicators, level descriptors) is in test_legal_minimum_inputs.py.
bank_path, bank = pinned_to_bank_1_0()



def _round(ws_dir, rid="2026"):
    return Workspace(ws_dir).round(rid)



def legal_script(rnd, seed=1):
    """What the group answers on the legal minimum (asked first on a 2.0 round; nothing on a 1.0 round)."""
    return legal_consensus_script(rnd, random.Random(seed))


def legal_asked(rnd):
    """The legal-minimum items the flow asks, in its order: those someone answered and the group has not."""
    done = rnd.consensus()
    return [c.id for c in legal_counts(rnd).values() if c.n_responses and c.id not in done]


def script_for(rnd, levels=None, skip=()):
    """The legal minimum first (if the bank has one), then level, rationale, dissent for each indicator in the
    order the flow asks; ``order`` holds the indicators only."""
    out, order = legal_script(rnd), []
    for r in consensus_order(rnd.bank, individual_results(rnd)):
        if not r.n_responses:
            continue
        order.append(r.id)
        if r.id in skip:
            out.append(SKIP)
            continue
        level = (levels or {}).get(r.id, 2)
        out += [level, f"Gruppen landet på {level} for {r.id}.", "Skolen er uenig." if r.disagreement else ""]
    return out, order


# --- what the room sees ---------------------------------------------------------------


def test_order_puts_disagreement_then_largest_gap_first(sample_ws):
    rnd = _round(sample_ws)
    ordered = consensus_order(rnd.bank, individual_results(rnd))
    flags = [r.disagreement for r in ordered]
    assert flags == sorted(flags, reverse=True) and any(flags)
    agreeing = [r for r in ordered if not r.disagreement]
    gaps = [(r.gap or 0) * r.weight for r in agreeing]
    assert gaps == sorted(gaps, reverse=True)


BAR = re.compile(r"^  (?P<label>.+?) +│ (?P<bar>#*) ?(?P<n>\d+)(?: +(?P<words>\S.*))?$")


def _bar_rows(lines: list[str]) -> list[tuple[str, str, int, str]]:
    """(label, bar, count, descriptor) per answer option; a descriptor's wrapped lines (no «│») joined to it."""
    rows: list[tuple[str, str, int, str]] = []
    for line in lines:
        if "│" not in line:
            assert rows and line.startswith(" " * 20) and line.strip(), line
            label, bar, n, words = rows[-1]
            rows[-1] = (label, bar, n, f"{words} {line.strip()}")
            continue
        m = BAR.match(line)
        assert m, line
        rows.append((m["label"].strip(), m["bar"], int(m["n"]), m["words"] or ""))
    return rows


def test_histogram_shows_counts_never_codes(sample_ws):
    rnd = _round(sample_ws)  # 2026, bank 2.0: the indicator's own level descriptors stand next to the bars
    bank = rnd.bank
    scale = bank.scale
    results = individual_results(rnd)
    assert any(bank.indicator_by_id[r.id].levels for r in results)
    assert {bank.indicator_by_id[r.id].is_statutory for r in results} == {True, False}
    for r in results:
        ind = bank.indicator_by_id[r.id]
        rows = _bar_rows(histogram(r, bank, plain=True))
        expected = [(f"{lv.level} {lv.name}", r.counts.get(lv.level, 0),
                     " ".join(ind.levels[lv.level].split()) if ind.levels else "") for lv in scale.levels]
        expected.append((scale.dont_know.label, r.n_dont_know, ""))
        if not ind.is_statutory or r.n_not_applicable:  # a legal duty is never «ikke relevant»
            expected.append((scale.not_applicable.label, r.n_not_applicable, ""))
        assert [(label, n, words) for label, _, n, words in rows] == expected, r.id
        for _, bar, n, _ in rows:
            assert len(bar) >= n and (n == 0) == (bar == "")
    assert _bar_rows(histogram(results[0], bank, plain=True))[0][0] == "0 Ikke på plass"
    # a round on bank 1.0 (no descriptors) still shows one line per answer option, nothing more
    old = _round(sample_ws, "2025")
    r = individual_results(old)[0]
    lines = histogram(r, old.bank, plain=True)
    assert len(lines) == 7 and all(words == "" for *_, words in _bar_rows(lines))
    assert [n for _, _, n, _ in _bar_rows(lines)] == [*(r.counts[lv] for lv in range(5)), r.n_dont_know,
                                                       r.n_not_applicable]
    p = ScriptedPrompter([*legal_script(rnd), STOP])  # the legal minimum, then the first statement is shown
    run_consensus(rnd, p)
    shown = "\n".join(p.said)
    assert "UENIGHET" in shown or "median" in shown
    for code in rnd.participant_codes():
        assert code not in shown


# --- consensus ---------------------------------------------------------------------------


def test_consensus_skip_stop_and_resume(sample_ws):
    rnd = _round(sample_ws)
    answers_before = {p.name: p.read_bytes() for p in rnd.answers_dir.glob("*.yaml")}
    _, order = script_for(rnd)
    first, second, third = order[:3]
    assert rnd.bank.allows(second, NOT_APPLICABLE)  # the sample's second statement is no legal duty
    legal_ids, legal = legal_asked(rnd), legal_script(rnd)
    assert len(legal_ids) >= 3 and len(legal) == 3 * len(legal_ids)
    # the second legal item is skipped too, the rest of the legal minimum agreed
    p = ScriptedPrompter([*legal[:3], SKIP, *legal[6:], 3, "Rutinen finnes, men følges ikke opp.", "", SKIP, STOP])
    summary = run_consensus(rnd, p)
    assert summary.recorded == [legal_ids[0], *legal_ids[2:], first]
    assert summary.skipped == [legal_ids[1], second] and summary.stopped
    saved = rnd.consensus()
    assert set(saved) == {legal_ids[0], *legal_ids[2:], first}
    assert saved[first].level == 3 and saved[first].dissent is None
    # resume: the agreed ones are not asked again; the skipped ones come back, the legal item first
    assert legal_asked(rnd) == [legal_ids[1]]
    p = ScriptedPrompter([*legal_script(rnd, seed=2), NOT_APPLICABLE, "Passer ikke for oss.",
                          "Barnevernet er uenig.", STOP])
    run_consensus(rnd, p)
    assert [m for kind, m in p.transcript if kind == "select"] == [
        f"Gruppens svar på {legal_ids[1]}", f"Gruppens nivå for {second}", f"Gruppens nivå for {third}"]
    saved = rnd.consensus()
    assert legal_ids[1] in saved
    assert saved[second].level == NOT_APPLICABLE and saved[second].dissent == "Barnevernet er uenig."
    assert third not in saved
    # individual answers are never touched
    assert {p.name: p.read_bytes() for p in rnd.answers_dir.glob("*.yaml")} == answers_before


def test_rationale_is_required_and_screened(sample_ws):
    from test_kit import _fnr

    rnd = _round(sample_ws)
    _, order = script_for(rnd)
    first_legal = legal_asked(rnd)[0]
    # the legal minimum needs its documentation (asked first on this 2.0 round); then the statement's rationale
    legal = [YES, "", f"Vedtak om {_fnr()}.", "Sak 2026/14, vedtatt i kommunestyret.", "", *legal_script(rnd)[3:]]
    p = ScriptedPrompter([*legal, 2, "", f"Saken til {_fnr()} viser det.", "Rutinen er kjent i skolen, ikke i barnehagen.",
                          "Ring 912 34 567", STOP])
    run_consensus(rnd, p)
    saved = rnd.consensus()
    assert saved[first_legal].level == YES and saved[first_legal].rationale == "Sak 2026/14, vedtatt i kommunestyret."
    assert any("Skriv hva svaret bygger på" in s for s in p.said)
    entry = saved[order[0]]
    assert entry.rationale == "Rutinen er kjent i skolen, ikke i barnehagen."
    assert any("Skriv én setning" in s for s in p.said) and sum("fødselsnummer" in s for s in p.said) == 2
    assert any("telefonnummer" in s for s in p.said)  # dissent kept, with a warning
    assert entry.dissent == "Ring 912 34 567"


def test_all_goes_through_agreed_ones_again_with_their_values_as_default(sample_ws):
    rnd = _round(sample_ws, "2025")
    saved = rnd.consensus()
    assert len(saved) == len(rnd.bank.indicators)
    p = ScriptedPrompter([])
    summary = run_consensus(rnd, p)
    assert summary.recorded == [] and p.transcript == [] and any("0 gjenstår" in s for s in p.said)

    class Recording(ScriptedPrompter):
        def __init__(self, answers):
            super().__init__(answers)
            self.defaults = []

        def select(self, message, choices, default=None, instruction=None):
            self.defaults.append(default)
            return super().select(message, choices, default, instruction)

        def text(self, message, default="", validate=None, instruction=None):
            self.defaults.append(default)
            return super().text(message, default, validate, instruction)

    first = consensus_order(rnd.bank, individual_results(rnd))[0].id
    p = Recording([saved[first].level, saved[first].rationale, "", STOP])
    run_consensus(rnd, p, redo=True)
    assert p.defaults[:3] == [saved[first].level, saved[first].rationale, saved[first].dissent or ""]
    assert rnd.consensus()[first].recorded != saved[first].recorded


def test_cli_consensus_ctrl_c_keeps_what_was_saved(cli, sample_ws, scripted):
    rnd = _round(sample_ws)
    n_legal, total = len(legal_asked(rnd)), len(rnd.bank.item_ids)
    assert n_legal and total > len(rnd.bank.indicators)  # the legal minimum counts among the statements
    scripted([*legal_script(rnd), 1, "Arbeidet er påbegynt.", "", INTERRUPT])
    res = cli(["consensus", sample_ws])
    assert res.exit_code == 130
    assert f"Konsensus for {n_legal + 1} av {total} påstander" in res.stderr and "samordna consensus" in res.stderr
    assert len(_round(sample_ws).consensus()) == n_legal + 1


def test_cli_needs_a_terminal_without_a_script(cli, sample_ws):
    res = cli(["consensus", sample_ws])
    assert res.exit_code == 2 and "terminal" in res.stderr
    assert cli(["prioritize", sample_ws, "--min", "4", "--max", "2"]).exit_code == 2


# --- priorities -------------------------------------------------------------------------


def test_prioritize_requires_three_to_five_and_saves_in_rank_order(sample_ws):
    ws = Workspace(sample_ws)
    rnd = ws.round("2026")
    ranked = priority_choices(ws, rnd)
    ids = [r.id for r in ranked]
    assert len(ids) >= 6
    pick = [ids[5], ids[0], ids[2]]
    p = ScriptedPrompter([ids[:1], ids[:6], pick, True])
    chosen = run_prioritize(ws, rnd, p)
    assert chosen == [ids[0], ids[2], ids[5]] == rnd.priorities()
    assert sum("Velg mellom 3 og 5" in s for s in p.said) == 2
    # declining the confirmation changes nothing
    assert run_prioritize(ws, rnd, ScriptedPrompter([ids[:3], False])) == []
    assert rnd.priorities() == [ids[0], ids[2], ids[5]]


def test_cli_prioritize_with_custom_bounds(cli, sample_ws, scripted):
    ws = Workspace(sample_ws)
    ids = [r.id for r in priority_choices(ws, ws.round())]
    p = scripted([ids[:2], True])
    res = cli(["prioritize", sample_ws, "--min", "1", "--max", "2"])
    assert res.exit_code == 0, res.output
    assert "2 prioriteringer er lagret" in res.stdout
    assert p.transcript[0][0] == "checkbox"


# --- the whole path ---------------------------------------------------------------------


def test_whole_workshop_path_kit_import_consensus_priorities_score(cli, empty_ws, tmp_path, bank, scripted):
    forms = make_kit(cli, empty_ws, tmp_path / "kit", n=10)
    assert len(forms) == 10
    for i, form in enumerate(forms):
        fill_form(form, SECTORS[i], random_answers(bank, 100 + i))
    res = cli(["import", empty_ws, *forms])
    assert res.exit_code == 0, res.output
    rnd = _round(empty_ws)
    codes = rnd.participant_codes()
    assert len(codes) == 10  # new rounds get generated public codes (not D01 …)

    levels = {ind.id: (i % 4) for i, ind in enumerate(bank.indicators)}
    script, order = script_for(rnd, levels)
    scripted(script)
    res = cli(["consensus", empty_ws])
    assert res.exit_code == 0, res.output
    assert f"{len(order)} av 42 påstander har konsensus" in res.stdout

    ws = Workspace(empty_ws)
    ids = [r.id for r in priority_choices(ws, rnd)]
    scripted([ids[:4], True])
    assert cli(["prioritize", empty_ws]).exit_code == 0
    assert rnd.priorities() == ids[:4]

    res = cli(["score", empty_ws, "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)["rounds"][0]
    by_id = {i["id"]: i for i in data["indicators"]}
    for ind_id in order:
        assert by_id[ind_id]["level_source"] == "konsensus"
        assert by_id[ind_id]["consensus"] == levels[ind_id] == by_id[ind_id]["level"]
    assert data["uses_consensus"] == len(order)
    assert data["chosen_priorities"] == ids[:4]
    text = cli(["score", empty_ws])
    assert "konsensus" in text.stdout.lower() and not [c for c in codes if re.search(rf"\b{c}\b", text.stdout)]


# --- consensus for the time the group has: selection, quick agreement, masked text ------------------

def _expected_selection(rnd, selection):
    """The statements a selection should give, in the flow's order, from the results' own fields."""
    out = []
    for r in consensus_order(rnd.bank, individual_results(rnd)):
        if not r.n_responses:
            continue
        below = r.median is not None and r.median < rnd.bank.indicator_by_id[r.id].target
        if {"uenighet": r.disagreement, "under-mal": below, "begge": r.disagreement or below, "alle": True}[selection]:
            out.append(r)
    return out


@pytest.mark.parametrize("selection", ["uenighet", "under-mal", "begge", "alle"])
def test_selection_asks_the_legal_minimum_and_only_the_chosen_statements(sample_ws, selection):
    rnd = _round(sample_ws)
    expected = [r.id for r in _expected_selection(rnd, selection)]
    n_all = len(_expected_selection(rnd, "alle"))
    assert 0 < len(expected) <= n_all
    if selection != "alle":
        assert len(expected) < n_all  # the sample has statements outside each narrow selection
    legal_ids = legal_asked(rnd)
    assert legal_ids
    # every statement in the selection is skipped: the script must be exactly as long as what is asked
    p = ScriptedPrompter([*legal_script(rnd), *[SKIP] * len(expected)])
    summary = run_consensus(rnd, p, selection=selection)
    assert summary.recorded == legal_ids  # the legal minimum is always asked, whatever the selection
    assert summary.skipped == expected and not summary.stopped and not p.answers
    said = " ".join(" ".join(p.said).split())  # the intro is wrapped for the screen
    if selection == "alle":
        assert "Utvalg:" not in said
    else:
        words = {"uenighet": "med uenighet", "under-mal": "under mål", "begge": "med uenighet eller under mål"}
        n = len(expected)
        assert (f"Utvalg: {n} {'påstand' if n == 1 else 'påstander'} {words[selection]}; "
                f"{n_all - n} står som medianen. Det juridiske minimumet tas alltid ({len(legal_ids)} igjen).") in said
        assert summary.left_out == n_all - n


def test_without_a_selection_the_short_one_is_suggested_with_its_count(sample_ws):
    rnd = _round(sample_ws)
    n_short = len(_expected_selection(rnd, "begge"))
    p = ScriptedPrompter([*legal_script(rnd), STOP])
    run_consensus(rnd, p)
    assert max(len(s) for s in p.said[:4]) <= 88  # the intro fits the screen
    assert (f"Kort tid? Med --utvalg begge drøfter dere bare {n_short} påstander med uenighet eller under mål "
            "(kortversjonen på 90 minutter).") in " ".join(" ".join(p.said).split())


def test_quick_agreement_stores_the_standard_rationale_without_asking_dissent(sample_ws):
    rnd = _round(sample_ws)
    order = _expected_selection(rnd, "alle")
    agreeing = [r for r in order if not r.disagreement and r.median is not None][:2]
    assert len(agreeing) == 2
    script: list = [*legal_script(rnd)]
    for r in order:  # the statements before them are skipped; each of the two: Enter, Enter
        script += [suggested_level(r), ""] if r in agreeing else [SKIP]
        if r.id == agreeing[-1].id:
            break
    p = ScriptedPrompter([*script, STOP])
    summary = run_consensus(rnd, p)
    saved = rnd.consensus()
    for r in agreeing:
        assert saved[r.id].level == suggested_level(r)
        assert saved[r.id].rationale == QUICK_RATIONALE and is_quick_agreement(saved[r.id].rationale)
        assert saved[r.id].dissent is None
    assert summary.quick == [r.id for r in agreeing]
    texts = [m for kind, m in p.transcript if kind == "text"]
    assert texts.count("Begrunnelse (Enter = enige uten drøfting)") == 2
    assert not any(m.startswith("Dissens") for m in texts[-2:])  # no dissent asked after a quick agreement
    lvl = suggested_level(agreeing[0])
    assert f"  Ført inn: nivå {lvl} ({rnd.bank.scale.name(lvl)}), enige uten drøfting." in p.said
    # a quick agreement from last round is shown as such, not as if someone wrote the words
    from samordna.flows.consensus import _previous_and_comments

    shown = _previous_and_comments(rnd.bank, saved[agreeing[0].id], [])
    assert shown and "enige uten drøfting" in shown[0] and QUICK_RATIONALE not in shown[0]


def test_a_rationale_is_still_required_where_the_level_differs_or_answers_disagree(sample_ws):
    rnd = _round(sample_ws)
    order = _expected_selection(rnd, "alle")
    first = order[0]
    assert first.disagreement  # disagreement comes first
    agreeing = next(r for r in order if not r.disagreement and r.median is not None)
    other = suggested_level(agreeing) + (1 if suggested_level(agreeing) < 4 else -1)
    script: list = [*legal_script(rnd), suggested_level(first), "", "Barnehagen ser det ikke.", ""]
    for r in order[1:]:
        if r.id == agreeing.id:
            script += [other, "", "Gruppen vet om en ny rutine.", ""]
            break
        script.append(SKIP)
    p = ScriptedPrompter([*script, STOP])
    run_consensus(rnd, p)
    saved = rnd.consensus()
    assert saved[first.id].rationale == "Barnehagen ser det ikke."  # the median, but the answers disagreed
    assert saved[agreeing.id].level == other and saved[agreeing.id].rationale == "Gruppen vet om en ny rutine."
    assert "Skriv én setning om hvorfor gruppen landet her (svarene spriket)." in p.said
    assert f"Skriv én setning om hvorfor gruppen landet her (nivået er ikke medianen {suggested_level(agreeing)})." \
        in p.said
    texts = [m for kind, m in p.transcript if kind == "text"]
    assert "Begrunnelse (én setning – svarene spriket)" in texts
    assert f"Begrunnelse (én setning – nivået er ikke medianen {suggested_level(agreeing)})" in texts
    assert not any(is_quick_agreement(e.rationale) for e in saved.values())


def test_phone_and_email_are_masked_on_screen_but_kept_in_the_answer_file(sample_ws):
    rnd = _round(sample_ws)
    first = _expected_selection(rnd, "alle")[0].id
    pf = rnd.participants()[0]
    pf.answers[first].comment = "Ring meg på 912 34 567 eller skriv til ola@kommune.no om dette."
    rnd.save_participant(pf)
    prev = Workspace(sample_ws).round("2025")
    assert first in prev.consensus()
    entry = ConsensusEntry(level=1, rationale="Avklart med rådgiver, tlf. 22 33 44 55.", dissent="Se kari@example.org")
    prev.update_consensus(lambda current: {**current, first: entry}, command="test")

    p = ScriptedPrompter([*legal_script(rnd), STOP])
    run_consensus(rnd, p)
    shown = "\n".join(p.said)
    assert "Ring meg på [kontaktinfo fjernet] eller skriv til [kontaktinfo fjernet] om dette." in shown
    assert "tlf. [kontaktinfo fjernet]" in shown and "Dissens forrige runde: Se [kontaktinfo fjernet]" in shown
    for secret in ("912 34 567", "ola@kommune.no", "22 33 44 55", "kari@example.org"):
        assert secret not in shown
    stored = next(f for f in rnd.answers_dir.glob("*.yaml") if pf.participant in f.name).read_text(encoding="utf-8")
    assert "912 34 567" in stored and "ola@kommune.no" in stored  # the answer file keeps what was typed
    assert prev.consensus()[first].rationale == "Avklart med rådgiver, tlf. 22 33 44 55."


def test_cli_selection_option(cli, sample_ws, scripted):
    rnd = _round(sample_ws)
    expected = [r.id for r in _expected_selection(rnd, "uenighet")]
    p = scripted([*legal_script(rnd), *[SKIP] * len(expected)])
    res = cli(["consensus", sample_ws, "--utvalg", "Uenighet"])
    assert res.exit_code == 0, res.output
    assert [m.split()[-1] for kind, m in p.transcript if m.startswith("Gruppens nivå")] == expected
    assert f"samordna consensus {sample_ws} --utvalg uenighet" in res.stdout  # skipped ones: continue the same way
    p = scripted([STOP])
    assert cli(["consensus", sample_ws, "--utvalg", "under-mål"]).exit_code == 0  # «mål» with å is fine
    before = rnd.consensus_path.read_bytes()
    res = cli(["consensus", sample_ws, "--utvalg", "tull"])
    assert res.exit_code == 2 and "Ukjent utvalg «tull»" in res.stderr and "Traceback" not in res.output
    assert rnd.consensus_path.read_bytes() == before
    assert set(SELECTIONS) == {"uenighet", "under-mal", "begge", "alle"}


# --- the guide's agenda and the tool match ------------------------------------------------------------


def _agenda_tables(html: str) -> list[list[tuple[str, int, str]]]:
    """(start, minutes, text) per row of each agenda table in the rendered guide."""
    tables = re.findall(r'<table class="agenda">(.*?)</table>', html, flags=re.S)
    rows = []
    for table in tables:
        found = re.findall(r'<td class="time">([\d:]+)</td><td class="min">(\d+) min</td>\s*<td>(.*?)</td><td>(.*?)</td>',
                           table, flags=re.S)
        rows.append([(start, int(m), re.sub(r"<[^>]+>", "", f"{title} {detail}")) for start, m, title, detail in found])
    return rows


def test_guide_agenda_names_the_selection_and_quick_agreement_and_adds_up(sample_ws):
    from html import unescape

    from samordna.outputs.guide import render_guide

    html = unescape(render_guide(_round(sample_ws)))
    full, short = _agenda_tables(html)
    for rows, total in ((full, 180), (short, 90)):
        assert sum(m for _, m, _ in rows) == total
        t = 0
        for start, minutes, _ in rows:  # each start is the sum of the minutes before it
            assert start == f"{t // 60}:{t % 60:02d}"
            t += minutes
    short_text = " ".join(text for *_, text in short)
    named = re.findall(r"--utvalg (\S+?)»", short_text)
    assert named == ["begge"] and named[0] in SELECTIONS  # the short agenda's selection is one the tool takes
    assert "uenighet eller under målet" in short_text and "enige uten drøfting" in short_text
    assert "Juridisk minimum" in short_text
    assert "--utvalg alle" in " ".join(text for *_, text in full) and "enige uten drøfting" in html
    for value in SELECTIONS:  # every selection the tool offers is explained in the guide
        assert f"<code>--utvalg {value}</code>" in html


def test_prioritize_speaks_of_one_priority_in_the_singular(cli, sample_ws, scripted):
    ws = Workspace(sample_ws)
    ids = [r.id for r in priority_choices(ws, ws.round())]
    p = scripted([ids[:1], True])
    res = cli(["prioritize", sample_ws, "--min", "1", "--max", "1"])
    assert res.exit_code == 0, res.output
    assert f"1 prioritering er lagret i runde 2026: {ids[0]}." in res.stdout
    assert ("checkbox", "Velg 1 prioritering") in p.transcript
    assert ("confirm", "Lagre denne prioriteringen for runde 2026?") in p.transcript
    assert f"Neste steg: samordna plan {sample_ws}" in res.stdout

    class Offered(ScriptedPrompter):
        def checkbox(self, message, choices, checked=(), instruction=None):
            self.labels = [c.title for c in choices]
            return super().checkbox(message, choices, checked, instruction)

    p = Offered([ids[:3], False])
    run_prioritize(ws, ws.round(), p)
    # the statements are labelled by gap × weight; the mirror's gaps (the sample has a youth council) come last
    statements = [label for label in p.labels if "Speilet:" not in label]
    assert statements == p.labels[:len(statements)]
    assert all("avstand × vekt" in label and "gap" not in label.lower() for label in statements)
