"""The fast YAML path gives exactly what the careful path gives: the same data, or the same message.

``parse_yaml`` builds plain documents itself from libyaml's nodes and sends anything unusual (aliases, tags,
merge keys, a key written twice, a value Python cannot hold, any error) to the careful path. Hypothesis damages
real files and writes odd scalars; for every text the result must equal ``_careful``'s, value for value and type
for type (``1`` is not ``True``, ``017`` is octal in YAML 1.1).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT
from samordna.core.errors import SamordnaError
from samordna.io import yamlio
from samordna.io.yamlio import _careful, _fast, _Unusual, parse_yaml

SAMPLES = [
    ROOT / "sample_municipality" / "runder" / "2025" / "svar" / "D01.yaml",
    ROOT / "sample_municipality" / "runder" / "2025" / "konsensus.yaml",
    ROOT / "sample_municipality" / "runder" / "2025" / "runde.yaml",
    ROOT / "sample_municipality" / "kommune.yaml",
]
PATH = Path("fil.yaml")


def _outcome(fn, text: str):
    try:
        return "ok", _typed(fn(text, PATH).data)
    except SamordnaError as exc:
        return "error", exc.message


def _typed(value):
    """The value with every type spelled out, so 1 and True, 1 and 1.0, "1" and 1 differ."""
    if isinstance(value, dict):
        return ("dict", [(_typed(k), _typed(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("list", [_typed(v) for v in value])
    if isinstance(value, float) and value != value:
        return ("float", "nan")
    return (type(value).__name__, value)


def _same(text: str) -> None:
    assert _outcome(parse_yaml, text) == _outcome(_careful, text)


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_real_files_take_the_fast_path_and_read_the_same(path):
    text = path.read_text(encoding="utf-8")
    if not any(c in text for c in "*&!") and "<<" not in text:
        assert _fast(text) == _careful(text, PATH).data  # no fallback for the files samordna writes
    _same(text)


SCALARS = ["0", "4", "017", "0o17", "0x1F", "-3", "+3", "1_000", "1.5", "1e3", ".inf", "-.inf", ".nan", "~", "null",
           "Null", "", "yes", "no", "on", "off", "true", "False", "2024-10-14", "2024-02-30", "2024-10-14 12:00:00",
           "2024-10-14T12:00:00Z", "'2024-10-14'", '"017"', "vet_ikke", "ikke_relevant", "LM-01", "١٢", "9" * 400,
           "0.", "1:20", "190:20:30", "=", "<<", "- a", "[1, 2]", "{a: 1}", "|\n  tekst\n  linje", ">\n  foldet",
           "'enkle ''fnutter'''", '"\\u00e6\\x41"', "æøå", "1__0", "0b101", "+.inf", "12e03", "0.0"]


@given(st.lists(st.tuples(st.sampled_from(["a", "b", "1", "2", "True", "null", "017", "LM-01", "2024-01-01"]),
                          st.sampled_from(SCALARS)), max_size=6))
@settings(max_examples=300, deadline=None)
def test_odd_scalars_and_keys_read_the_same(pairs):
    text = "".join(f"{k}: {v}\n" if not v.startswith(("|", ">")) else f"{k}: {v}\n" for k, v in pairs)
    _same(text)
    _same("".join(f"- {v}\n" for _, v in pairs))


def test_a_key_written_twice_is_refused_with_both_lines():
    with pytest.raises(SamordnaError, match=r"linje 3: nøkkelen «a» står to ganger \(linje 1 og 3\)"):
        parse_yaml("a: 1\nb: 2\na: 3\n", PATH)
    with pytest.raises(SamordnaError, match="står to ganger"):
        parse_yaml("1: x\ntrue: y\n", PATH)  # 1 and True are the same key to Python, as in the careful path


def test_unusual_documents_take_the_careful_path():
    for text in ["a: &x 1\nb: *x\n", "a: !!str 1\n", "base: &b {x: 1}\nc:\n  <<: *b\n", "a: 2024-02-30\n",
                 "? [1, 2]\n: x\n", "--- 1\n--- 2\n", "a: [1\n"]:
        with pytest.raises(_Unusual):
            _fast(text)
        _same(text)


def test_values_have_the_types_yaml_gives():
    data = parse_yaml("a: 017\nb: 17\nc: 0\nd: 2024-10-14\ne: '3'\nf: yes\ng: 1.5\nh: ~\n", PATH).data
    assert data == {"a": 15, "b": 17, "c": 0, "d": dt.date(2024, 10, 14), "e": "3", "f": True, "g": 1.5, "h": None}
    assert type(data["f"]) is bool and type(data["b"]) is int


def test_the_remembered_tags_stay_bounded(monkeypatch):
    monkeypatch.setattr(yamlio, "_RESOLVED_MAX", 10)
    monkeypatch.setattr(yamlio._FastLoader, "_resolved", {})
    parse_yaml("".join(f"k{i}: v{i}\n" for i in range(100)), PATH)
    assert len(yamlio._FastLoader._resolved) <= 10
    assert parse_yaml("a: 017\n", PATH).data == {"a": 15}  # and a value not remembered still resolves


def _damage(data: str, draw) -> str:
    how = draw(st.sampled_from(["truncate", "insert", "dup", "drop", "indent"]))
    lines = data.splitlines(keepends=True)
    if how == "truncate":
        return data[: draw(st.integers(0, len(data)))]
    if how == "insert":
        at = draw(st.integers(0, len(data)))
        junk = draw(st.one_of(st.text(min_size=1, max_size=12),
                              st.sampled_from(SCALARS + [": :", "- ", "? ", "&a ", "*a", "!!binary ", "{", "[", "'",
                                                         '"', "\t", "---\n", "%YAML 1.1\n", "#", "\n  "])))
        return data[:at] + junk + data[at:]
    if not lines:
        return data
    i = draw(st.integers(0, len(lines) - 1))
    if how == "dup":
        return "".join(lines[: i + 1] + lines[i:])
    if how == "drop":
        return "".join(lines[:i] + lines[i + 1:])
    return "".join(lines[:i] + ["  " + lines[i]] + lines[i + 1:])


@given(st.sampled_from(SAMPLES), st.data())
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_damaged_files_read_the_same_or_fail_the_same(path, data):
    text = path.read_text(encoding="utf-8")
    for _ in range(data.draw(st.integers(1, 3))):
        text = _damage(text, data.draw)
    _same(text)


def test_yaml_written_by_samordna_reads_back_on_the_fast_path():
    from samordna.io.atomic import dump_yaml

    data = {"participant": "D01", "answers": {"LM-01": {"level": 3, "comment": "Vi har en plan: «ja»\nmen ikke mer"},
                                              "LM-02": {"level": "vet_ikke"}}, "updated": "2024-10-14T12:00:00",
            "n": [0, 1, 2, 10, 2024], "x": None, "t": True, "f": 1.25}
    assert _fast(dump_yaml(data)) == data
    assert yaml.safe_load(dump_yaml(data)) == data


@given(st.text(alphabet=" \t?:-\n\r\x85\u2028[{a#", max_size=200))
@settings(max_examples=2000, deadline=None)
def test_the_quick_depth_check_is_the_bound(text):
    assert yamlio._shallow(text) == (yamlio._depth_bound(text) <= yamlio.MAX_DEPTH)
