"""Damaged YAML in a participant file: `samordna validate` ends with 0 or 2, never 1, never hangs.

Hypothesis damages a real participant file (truncates it, inserts random bytes, duplicates or drops
lines, nests it deep, adds aliases) and runs the CLI in-process. With SAMORDNA_DEBUG=1 (conftest) an
unexpected exception would surface here with its traceback instead of exit code 1.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT, run_cli_within

SECONDS = 20  # per example; a normal run takes well under a second


@pytest.fixture(scope="module")
def ws(tmp_path_factory) -> Path:
    """A small workspace: the sample's round 2025 with two participants (validate then takes ~0.1 s)."""
    root = tmp_path_factory.mktemp("skadet") / "ws"
    shutil.copytree(ROOT / "sample_municipality", root, ignore=shutil.ignore_patterns("*.xlsx"))
    for rnd in ("2024", "2026"):
        shutil.rmtree(root / "runder" / rnd)
    for p in (root / "runder" / "2025" / "svar").glob("*.yaml"):
        if p.stem not in ("D01", "D02"):
            p.unlink()
    return root


ORIGINAL = (ROOT / "sample_municipality" / "runder" / "2025" / "svar" / "D01.yaml").read_bytes()


def _truncate(data: bytes, draw) -> bytes:
    return data[: draw(st.integers(0, len(data)))]


def _insert(data: bytes, draw) -> bytes:
    at = draw(st.integers(0, len(data)))
    junk = draw(st.one_of(
        st.binary(min_size=1, max_size=40),
        st.sampled_from([b"\x00", b"\xff\xfe", b"\t", b"\r", b"\xe2\x80\xa8", b": :", b"- ", b"? ", b"&a ", b"*a",
                         b"!!python/object:os.system ", b"<<: *a\n", b"{", b"[", b"'", b'"', b"|\n", b"%YAML 9\n",
                         b"---\n", b"...\n", b"true", b"0x_", b"2024-02-30", b"1e999", b"9" * 5000]),
    ))
    return data[:at] + junk + data[at:]


def _lines(data: bytes, draw) -> bytes:
    lines = data.splitlines(keepends=True)
    if not lines:
        return data
    i = draw(st.integers(0, len(lines) - 1))
    how = draw(st.sampled_from(["dup", "drop", "move", "indent"]))
    if how == "dup":
        j = draw(st.integers(0, len(lines)))
        lines.insert(j, lines[i])
    elif how == "drop":
        del lines[i]
    elif how == "move":
        lines.insert(draw(st.integers(0, len(lines) - 1)), lines.pop(i))
    else:
        lines[i] = b" " * draw(st.integers(1, 9)) + lines[i]
    return b"".join(lines)


def _deep(data: bytes, draw) -> bytes:
    n = draw(st.sampled_from([10, 63, 64, 65, 200, 5000, 50_000]))
    kind = draw(st.sampled_from(["flow", "block", "seq"]))
    if kind == "flow":
        nest = b"[" * n + b"]" * n
    elif kind == "block":
        nest = b"".join(b" " * i + b"k:\n" for i in range(min(n, 3000))) + b" " * min(n, 3000) + b"v\n"
    else:
        nest = b"- " * n + b"x\n"
    return data.replace(b"source: demo\n", b"source:\n  " + nest.replace(b"\n", b"\n  ") + b"\n") if kind == "block" \
        else data.replace(b"source: demo", b"source: " + nest.rstrip(b"\n"))


def _alias(data: bytes, draw) -> bytes:
    trick = draw(st.sampled_from([
        b"x: &a [*a]\n", b"x: &a {k: *a}\n", b"x: *nowhere\n",
        b"a: &a [1,1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
        b"d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e,*e,*e,*e]\n",
    ]))
    return trick + data


DAMAGE = [_truncate, _insert, _lines, _deep, _alias]


@st.composite
def damaged(draw) -> bytes:
    data = ORIGINAL
    for _ in range(draw(st.integers(1, 3))):
        data = draw(st.sampled_from(DAMAGE))(data, draw)
    return data


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=damaged())
def test_damaged_participant_file_gives_0_or_2(ws, data):
    target = ws / "runder" / "2025" / "svar" / "D01.yaml"
    target.write_bytes(data)
    res = run_cli_within(SECONDS, ["validate", ws])
    assert res.exit_code in (0, 2), res.output
    assert "Traceback" not in res.output
    if res.exit_code == 2:
        assert "D01.yaml" in res.output, res.output  # the message names the damaged file
