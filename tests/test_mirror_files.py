"""The mirror's answer files (io.mirrorfile): strict values, read by every command that reads the round (validate
too), and what a broken file says; the view's rounding (core.mirror)."""

from __future__ import annotations

import shutil

import pytest

from conftest import add_mirror_answers, run_cli
from samordna.core.errors import SamordnaError
from samordna.core.mirror import MirrorResponse, mirror_view
from samordna.io.mirrorfile import MirrorStore, shipped_mirror_bank
from samordna.io.workspace import Workspace


def _one_file(ws_dir):
    rnd = Workspace(ws_dir).round()
    path = sorted((rnd.dir / "speilet").glob("S*.yaml"))[0]
    return rnd, path


@pytest.mark.parametrize("value", ["true", "2.0", "'3'", "5", "-1", "kanskje"])
def test_an_answer_must_be_a_whole_level_or_vet_ikke(mirror_ws, value):
    rnd, path = _one_file(mirror_ws)
    first = shipped_mirror_bank().statements[0].id
    text = path.read_text(encoding="utf-8")
    head, answers = text.split("answers:\n")
    path.write_text(f"{head}answers:\n  {first}: {value}\n", encoding="utf-8")
    with pytest.raises(SamordnaError) as err:
        MirrorStore(rnd.dir).responses(shipped_mirror_bank())
    assert path.name in str(err.value) or str(path) in str(err.value)


def test_validate_reads_the_mirror_files_too(mirror_ws):
    assert run_cli(["validate", str(mirror_ws)]).exit_code == 0
    _rnd, path = _one_file(mirror_ws)
    path.write_text(path.read_text(encoding="utf-8") + "kommentar: Ola Nordmann\n", encoding="utf-8")
    res = run_cli(["validate", str(mirror_ws)])
    assert res.exit_code == 2 and path.name in res.output and "kommentar" in res.output
    assert "Traceback" not in res.output


def test_shown_values_are_rounded_half_up_once():
    """Four answers of 1 and four of 2 (and one more of each to pass the limit): a mean of 1,5 is 1,5 everywhere;
    1,25 would be «1,3» in a spreadsheet, so the view itself says 1,3."""
    bank = shipped_mirror_bank()
    st = bank.statements[0]
    levels = [1, 1, 1, 2] * 2  # mean 1.25
    responses = [MirrorResponse(f"S{i:07d}", "ungdom", "13-15", {st.id: v}, "skjema") for i, v in enumerate(levels)]
    view = mirror_view(bank, responses, {st.area: 2.0}, {st.area: "x"})
    shown = next(s for s in view.statements if s.id == st.id and s.role == "ungdom")
    assert shown.mean == 1.3
    area = next(a for a in view.areas if a.area == st.area)
    assert area.values["ungdom"] == 1.3


def test_a_group_exactly_at_the_limit_is_shown_one_below_is_not(sample_ws):
    for folder in sample_ws.glob("runder/*/speilet"):
        shutil.rmtree(folder)
    add_mirror_answers(sample_ws, young=5, parents=4)
    bank = shipped_mirror_bank()
    rnd = Workspace(sample_ws).round()
    view = mirror_view(bank, MirrorStore(rnd.dir).responses(bank), {}, {})
    assert view.groups == {"ungdom": 5, "foreldre": None}
    assert all(not s.shown for s in view.statements if s.role == "foreldre")
    assert all(a.values["foreldre"] is None for a in view.areas)
