"""samordna consensus / prioritize, and the whole workshop path from forms to score."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from samordna.core.answers import NOT_APPLICABLE
from samordna.flows.consensus import SKIP, STOP, consensus_order, histogram, individual_results, run_consensus
from samordna.flows.prioritize import priority_choices, run_prioritize
from samordna.io.workspace import Workspace
from samordna.outputs.forms import fill_form
from samordna.ui.prompter import INTERRUPT, ScriptedPrompter
from test_kit import BANK_1_0, SECTORS, make_kit, random_answers


# These tests were written for bank 1.0.0; they now also show that a round on it keeps working unchanged.
# Bank 2.0 (legal minimum, statutory indicators, level descriptors) is tested in test_legal_minimum_inputs.py.
@pytest.fixture(scope="module")
def bank_path() -> Path:
    return BANK_1_0


@pytest.fixture(scope="module")
def bank(bank_path):
    from samordna.io.bankfile import load_bank

    return load_bank(bank_path)



def _round(ws_dir, rid="2026"):
    return Workspace(ws_dir).round(rid)


@pytest.fixture
def scripted(monkeypatch):
    """Make the CLI's prompter answer from a list: scripted(["..."]) before cli([...])."""
    holder = {}

    def use(answers):
        holder["p"] = ScriptedPrompter(answers)
        monkeypatch.setattr("samordna.ui.prompter.terminal_prompter", lambda why: holder["p"])
        return holder["p"]

    return use


def script_for(rnd, levels=None, skip=()):
    """level, rationale, dissent for each indicator in the order the flow asks."""
    out, order = [], []
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


def test_histogram_shows_counts_never_codes(sample_ws):
    rnd = _round(sample_ws)
    r = individual_results(rnd)[0]
    lines = histogram(r, rnd.bank, plain=True)
    assert len(lines) == 7
    assert lines[0].split("│")[0].strip() == "0 Ikke på plass"
    for lv in range(5):
        assert lines[lv].rstrip().endswith(str(r.counts[lv]))
        assert lines[lv].count("#") >= r.counts[lv]
    assert lines[5].rstrip().endswith(str(r.n_dont_know))
    p = ScriptedPrompter([STOP])
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
    p = ScriptedPrompter([3, "Rutinen finnes, men følges ikke opp.", "", SKIP, STOP])
    summary = run_consensus(rnd, p)
    assert summary.recorded == [first] and summary.skipped == [second] and summary.stopped
    saved = rnd.consensus()
    assert set(saved) == {first} and saved[first].level == 3 and saved[first].dissent is None
    # resume: the agreed one is not asked again; the skipped one comes back
    p = ScriptedPrompter([NOT_APPLICABLE, "Passer ikke for oss.", "Barnevernet er uenig.", STOP])
    run_consensus(rnd, p)
    saved = rnd.consensus()
    assert saved[second].level == NOT_APPLICABLE and saved[second].dissent == "Barnevernet er uenig."
    assert third not in saved
    # individual answers are never touched
    assert {p.name: p.read_bytes() for p in rnd.answers_dir.glob("*.yaml")} == answers_before


def test_rationale_is_required_and_screened(sample_ws):
    from test_kit import _fnr

    rnd = _round(sample_ws)
    p = ScriptedPrompter([2, "", f"Saken til {_fnr()} viser det.", "Rutinen er kjent i skolen, ikke i barnehagen.",
                          "Ring 912 34 567", STOP])
    run_consensus(rnd, p)
    entry = next(iter(rnd.consensus().values()))
    assert entry.rationale == "Rutinen er kjent i skolen, ikke i barnehagen."
    assert any("Skriv én setning" in s for s in p.said) and any("fødselsnummer" in s for s in p.said)
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
    scripted([1, "Arbeidet er påbegynt.", "", INTERRUPT])
    res = cli(["consensus", sample_ws])
    assert res.exit_code == 130
    assert "Konsensus for 1 av 42" in res.stderr and "samordna consensus" in res.stderr
    assert len(_round(sample_ws).consensus()) == 1


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
    assert rnd.participant_codes() == [f"D{i:02d}" for i in range(1, 11)]

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
    assert "konsensus" in text.stdout.lower() and "D01" not in text.stdout
