"""Participant codes that protect people: codes from a fixed generator, a PIN on the person's slip.

Names are never codes; a new participant gets a four-character code; a code with saved answers and a PIN
opens only with the PIN (nothing of the answers shown before); rounds without PINs work as before."""

from __future__ import annotations

import random
import re
import string
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from samordna.core.codes import (
    ALPHABET,
    code_problem,
    generate_codes,
    is_generated_shape,
    normalize_code,
)
from samordna.flows import assess as flow
from samordna.io import pins
from samordna.io.workspace import Workspace
from samordna.outputs.kit import make_kit

R = "2025"  # the sample's round on bank 1.0.0 with D01–D10 (no PINs)


# --- the generator and the policy ----------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32), n=st.integers(0, 40))
def test_every_generated_code_passes_the_policy(seed, n):
    codes = generate_codes(random.Random(seed), n)
    assert len(codes) == len(set(codes)) == n and codes == sorted(codes)
    for code in codes:
        assert len(code) == 4 and set(code) <= set(ALPHABET)
        assert not set(code) & set("OI01")
        assert any(c.isdigit() for c in code) and any(c.isalpha() for c in code)
        assert code_problem(code, new=True) is None
    assert generate_codes(random.Random(seed), n) == codes  # seeded by the caller: deterministic


def test_generator_skips_taken_codes():
    first = generate_codes(random.Random(1), 30)
    again = generate_codes(random.Random(1), 30, taken=set(first))
    assert not set(first) & set(again)


@settings(max_examples=200, deadline=None)
@given(name=st.text(alphabet=string.ascii_letters + "æøåÆØÅ", min_size=1, max_size=20))
def test_a_name_is_never_a_code_for_a_new_participant(name):
    assert code_problem(name, new=True) is not None
    assert code_problem(name, new=True, legacy_ok=True) is not None
    assert not is_generated_shape(name.upper())


@pytest.mark.parametrize("code", ["OlaNordmann", "Kari", "kari", "ANNE", "D01", "D14", "AB10", "K7QO", "1234",
                                  "K7QXZ", "K7Q"])
def test_new_participant_codes_outside_the_policy_are_refused(code):
    problem = code_problem(code, new=True)
    assert problem is not None and "fire tegn" in problem and "navn kan ikke brukes" in problem


def test_old_codes_stay_valid_where_allowed():
    assert code_problem("D01") is None  # a stored code (an existing file) is valid for its round
    assert code_problem("D14", new=True, legacy_ok=True) is None  # a round without PINs: the old style still works
    assert code_problem("OlaNordmann", new=True, legacy_ok=True) is not None
    assert normalize_code(" k7qx ") == "K7QX" and normalize_code("d05") == "d05"


# --- the kit: slips with code and PIN, hashes in the round ----------------------------------


def slips_pins(path: Path) -> dict[str, str]:
    html = path.read_text(encoding="utf-8")
    pairs = re.findall(r"<dt>Deltakerkode</dt><dd>(\w+)</dd>\s*<dt>PIN-kode</dt><dd>(\d+)</dd>", html)
    return dict(pairs)


def kit(ws_dir: Path, out: Path, n: int = 3, seed: int = 7):
    ws = Workspace(ws_dir)
    rnd = ws.round(R)
    codes, forms, papers = make_kit(ws, rnd, n, out, guide=False, rng=random.Random(seed))
    return rnd, codes, forms, papers


def test_kit_prints_code_and_pin_on_slips_and_stores_only_hashes(sample_ws, tmp_path):
    rnd, codes, forms, papers = kit(sample_ws, tmp_path / "kit")
    assert len(codes) == 3 and all(code_problem(c, new=True) is None for c in codes)
    slips = papers[0]
    assert slips.name == f"deltakerlapper-eksempeldal-{R}.html"
    issued = slips_pins(slips)
    assert sorted(issued) == codes and all(re.fullmatch(r"\d{4}", p) for p in issued.values())
    # the form file names carry the public code only
    assert [f.name for f in forms] == [f"svarskjema-eksempeldal-{R}-{c}.xlsx" for c in codes] + [
        f"svarskjema-eksempeldal-{R}-blankt.xlsx"]
    # the round keeps a salted hash per code, never the PIN
    stored = pins.pin_path(rnd)
    text = stored.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert sorted(data["pins"]) == codes
    for code, pin in issued.items():
        entry = data["pins"][code]
        assert pin not in entry.values() and f": {pin}\n" not in text and f"'{pin}'" not in text
        assert entry["hash"] == pins.hash_pin(pin, bytes.fromhex(entry["salt"]))
        assert pins.check_pin(rnd, code, pin) and not pins.check_pin(rnd, code, f"{(int(pin) + 1) % 10000:04d}")
    salts = [e["salt"] for e in data["pins"].values()]
    assert len(set(salts)) == len(salts)


def test_a_second_kit_gives_new_codes_and_keeps_the_first_slips(sample_ws, tmp_path):
    out = tmp_path / "kit"
    rnd, first, _, papers1 = kit(sample_ws, out, seed=7)
    before = papers1[0].read_text(encoding="utf-8")
    _, second, _, papers2 = kit(sample_ws, out, seed=7)  # the same seed: the codes taken are skipped
    assert not set(first) & set(second)
    assert papers2[0] != papers1[0] and papers1[0].read_text(encoding="utf-8") == before
    assert sorted(pins.load_pins(rnd)) == sorted(first + second)


# --- assess: the PIN guards saved answers --------------------------------------------------



def answers_file(tmp_path: Path, code: str, comment: str = "Rutinen er kjent i skolen") -> Path:
    f = tmp_path / f"{code}.yaml"
    f.write_text(f"participant: {code}\nsector: nav\nanswers:\n  LED-01:\n    level: 2\n    comment: {comment}\n",
                 encoding="utf-8")
    return f


def wrong(pin: str) -> str:
    return f"{(int(pin) + 5) % 10000:04d}"


@pytest.fixture
def pinned(cli, sample_ws, tmp_path):
    """A kit in round 2025 and one participant (the kit's first code) with a saved answer."""
    _, codes, _, papers = kit(sample_ws, tmp_path / "kit")
    code = codes[0]
    pin = slips_pins(papers[0])[code]
    # the first answers under an issued code need no PIN (nothing is saved yet: the facilitator types in paper)
    r = cli(["assess", sample_ws, "--round", R, "--answers", answers_file(tmp_path, code)])
    assert r.exit_code == 0, r.output
    return code, pin


def test_wrong_pin_is_refused_without_showing_answers(cli, sample_ws, scripted, pinned):
    code, pin = pinned
    path = sample_ws / "runder" / R / "svar" / f"{code}.yaml"
    before = path.read_bytes()
    p = scripted([])
    r = cli(["assess", sample_ws, "--round", R, "-p", code, "--review", "--pin", wrong(pin)])
    assert r.exit_code == 2 and "PIN-koden for" in r.stderr and "Traceback" not in r.output
    assert p.transcript == [] and p.said == []
    # typed at the prompt: three tries, then refused; nothing of the answers was said
    p = scripted([wrong(pin), wrong(wrong(pin)), wrong(wrong(wrong(pin)))])
    r = cli(["assess", sample_ws, "--round", R, "-p", code, "--review"])
    assert r.exit_code == 2 and "PIN-koden for" in r.stderr
    assert [k for k, _ in p.transcript] == ["text"] * 3 and all("PIN-kode" in m for _, m in p.transcript)
    shown = "\n".join(p.said) + r.output
    assert "skolen" not in shown and "Gjennomgang" not in shown and "Velkommen" not in shown and "nav" not in shown
    # the interactive path with the code asked: the PIN is asked before anything is shown; the fifth wrong PIN
    # in a row (1 + 3 above, 1 here) closes the code for a while
    p = scripted([True, code, wrong(pin)])
    r = cli(["assess", sample_ws, "--round", R])
    assert r.exit_code == 2 and f"Koden {code} er stengt til kl." in r.stderr and "5 feil PIN-koder" in r.stderr
    assert "Koden" not in "\n".join(p.said) and p.answers == []
    # --answers into saved answers under a PIN: only with --pin
    r = cli(["assess", sample_ws, "--round", R, "--answers", answers_file(sample_ws.parent, code, "Endret")])
    assert r.exit_code == 2 and "--pin" in r.stderr
    assert path.read_bytes() == before


def test_right_pin_resumes_and_reviews(cli, sample_ws, scripted, pinned, tmp_path):
    code, pin = pinned
    p = scripted([wrong(pin), pin, flow.PAUSE])  # one wrong try, then the right PIN; then a pause
    r = cli(["assess", sample_ws, "--round", R, "-p", code.lower()])
    assert r.exit_code == 0, r.output
    said = "\n".join(p.said)
    assert "Feil PIN-kode. Prøv igjen." in said and f"Velkommen tilbake, {code}" in said
    assert f"--participant {code}" in r.stdout and pin not in r.stdout  # the hint never carries the PIN

    p = scripted([flow.DONE, flow.DONE])
    r = cli(["assess", sample_ws, "--round", R, "-p", code, "--review", "--pin", pin])
    assert r.exit_code == 0, r.output
    assert f"Gjennomgang av svarene for {code}" in "\n".join(p.said)

    (tmp_path / "ny").mkdir()
    changed = answers_file(tmp_path / "ny", code, "Endret i år")
    r = cli(["assess", sample_ws, "--round", R, "--pin", pin, "--overwrite", "--answers", changed])
    assert r.exit_code == 0, r.output
    saved = yaml.safe_load((sample_ws / "runder" / R / "svar" / f"{code}.yaml").read_text(encoding="utf-8"))
    assert saved["answers"]["LED-01"]["comment"] == "Endret i år"


def test_a_round_with_pins_takes_new_participants_only_with_an_issued_code(cli, sample_ws, scripted, pinned, tmp_path):
    code, _ = pinned
    for bad, words in (("D12", "fire tegn"), ("OlaNordmann", "navn kan ikke brukes"), ("Z9Z9", "ikke delt ut")):
        r = cli(["assess", sample_ws, "--round", R, "-p", bad, "-s", "nav"])
        assert r.exit_code == 2 and words in r.stderr and "Traceback" not in r.output, (bad, r.output)
    assert not (sample_ws / "runder" / R / "svar" / "D12.yaml").exists()
    # an old participant of the round (D05, saved before the round had PINs) opens as before, without a PIN
    p = scripted([flow.DONE, flow.DONE])
    r = cli(["assess", sample_ws, "--round", R, "-p", "D05", "--review"])
    assert r.exit_code == 0, r.output
    assert not any("PIN" in m for _, m in p.transcript)


def test_a_round_without_pins_works_as_before(cli, sample_ws, scripted, tmp_path):
    rnd = Workspace(sample_ws).round(R)
    assert not pins.has_pins(rnd)
    p = scripted([flow.DONE, flow.DONE])
    r = cli(["assess", sample_ws, "--round", R, "-p", "D05", "--review"])
    assert r.exit_code == 0, r.output
    assert not any("PIN" in m for _, m in p.transcript)
    # a new old-style code is still accepted in such a round (its printed list keeps working); a name is not
    r = cli(["assess", sample_ws, "--round", R, "--answers", answers_file(tmp_path, "D14")])
    assert r.exit_code == 0, r.output
    r = cli(["assess", sample_ws, "--round", R, "-p", "OlaNordmann", "-s", "nav"])
    assert r.exit_code == 2 and "navn kan ikke brukes" in r.stderr
    assert not pins.pin_path(rnd).exists()


def test_interactive_code_prompt_refuses_a_name(cli, empty_ws, scripted):
    p = scripted([True, "OlaNordmann", "K7QX", "barnehage", flow.PAUSE])
    r = cli(["assess", empty_ws])
    assert r.exit_code == 0, r.output
    assert any("Aldri navn" in s for s in p.said)
    assert not (empty_ws / "runder" / "2026" / "svar" / "OlaNordmann.yaml").exists()


def test_a_damaged_pin_file_is_named_and_nothing_is_opened(cli, sample_ws, pinned):
    code, pin = pinned
    path = sample_ws / "runder" / R / pins.PIN_FILE
    path.write_text("format: 1\npins:\n  " + code + ": 1234\n", encoding="utf-8")
    r = cli(["assess", sample_ws, "--round", R, "-p", code, "--review", "--pin", pin])
    assert r.exit_code == 2 and pins.PIN_FILE in r.stderr and "skadet" in r.stderr and "Traceback" not in r.output


def test_wrong_pins_in_a_row_close_the_code_for_a_while(cli, sample_ws, scripted, pinned):
    code, pin = pinned
    rnd = Workspace(sample_ws).round(R)
    for k in range(pins.MAX_TRIES - 1):
        r = cli(["assess", sample_ws, "--round", R, "-p", code, "--review", "--pin", wrong(pin)])
        assert r.exit_code == 2 and "stemmer ikke" in r.stderr, k
    # a right PIN before the limit resets the count
    scripted([flow.DONE, flow.DONE])
    assert cli(["assess", sample_ws, "--round", R, "-p", code, "--review", "--pin", pin]).exit_code == 0
    assert "failed" not in pins.load_pins(rnd)[code]
    for _ in range(pins.MAX_TRIES):
        assert cli(["assess", sample_ws, "--round", R, "-p", code, "--review", "--pin", wrong(pin)]).exit_code == 2
    # closed: not even the right PIN opens it now
    r = cli(["assess", sample_ws, "--round", R, "-p", code, "--review", "--pin", pin])
    assert r.exit_code == 2 and "er stengt til kl." in r.stderr
    # after the pause the right PIN opens it again, and the count starts over
    stored = pins.load_pins(rnd)
    stored[code]["last_failed"] = (pins.now() - pins.PAUSE - timedelta(minutes=1)).isoformat()
    pins._save(rnd, stored)
    scripted([flow.DONE, flow.DONE])
    r = cli(["assess", sample_ws, "--round", R, "-p", code, "--review", "--pin", pin])
    assert r.exit_code == 0, r.output
    assert "failed" not in pins.load_pins(rnd)[code] and "last_failed" not in pins.load_pins(rnd)[code]


def test_a_lost_slip_gets_a_new_pin_and_the_old_one_stops_working(cli, sample_ws, scripted, pinned, tmp_path):
    code, pin = pinned
    res = cli(["round", "pin", sample_ws, "--round", R, "--code", code.lower()])
    assert res.exit_code == 0, res.output
    new = res.stdout.split(f"Ny PIN-kode for {code} i runde {R}: ")[1][:4]
    assert new.isdigit() and new not in (sample_ws / "runder" / R / "pinkoder.yaml").read_text(encoding="utf-8")
    (tmp_path / "b").mkdir()
    answers = answers_file(tmp_path / "b", code, "Endret")
    if new != pin:  # the old PIN no longer opens the answers
        r = cli(["assess", sample_ws, "--round", R, "--answers", answers, "--overwrite", "--pin", pin])
        assert r.exit_code == 2 and "PIN-koden for" in r.stderr
    r = cli(["assess", sample_ws, "--round", R, "--answers", answers, "--overwrite", "--pin", new])
    assert r.exit_code == 0, r.output
    # a code without a PIN: a clear refusal, nothing written
    res = cli(["round", "pin", sample_ws, "--round", R, "--code", "D01"])
    assert res.exit_code == 2 and "har ingen PIN-kode" in res.stderr
