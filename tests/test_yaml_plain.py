"""The line reader for samordna's own files accepts only what PyYAML reads to the very same data.

``read_plain`` reads block mappings of scalars line by line; anything else raises ``NotPlain`` and goes to the
YAML parser. Hypothesis builds texts line by line from YAML's awkward corners (indicators, quotes, odd scalars,
odd indentation, comments, keys written twice) and random data written by samordna's own writer: whenever the
line reader gives a result, the careful parser must give the same data, type for type, and must not refuse the
text.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT
from samordna.core.errors import SamordnaError
from samordna.io import yaml_plain
from samordna.io.atomic import dump_yaml
from samordna.io.yaml_plain import NotPlain, read_plain
from samordna.io.yamlio import _careful
from test_yaml_fast import SAMPLES, SCALARS, _typed

PATH = Path("fil.yaml")


def _agrees(text: str) -> bool:
    """True when the line reader took the text (and then it read what the parser reads); False when it passed."""
    try:
        mine = read_plain(text)
    except NotPlain:
        return False
    try:
        theirs = _careful(text, PATH).data
    except SamordnaError as exc:  # pragma: no cover - the failure this test exists to find
        pytest.fail(f"the line reader read {text!r} as {mine!r}; the parser refuses it: {exc.message}")
    assert _typed(mine) == _typed(theirs), text
    return True


@pytest.mark.parametrize("path", [*SAMPLES, ROOT / "sample_municipality" / "runder" / "2024" / "konsensus.yaml"],
                         ids=lambda p: f"{p.parent.name}/{p.name}")
def test_the_files_samordna_writes_are_read_by_lines(path):
    assert _agrees(path.read_text(encoding="utf-8"))


KEYS = ["a", "b", "LM-01", "answers", "level", "1", "2026", "017", "true", "null", "~", "'a'", "'a''b'", "a b",
        "a:b", "a#b", "-a", "?a", "a ", "'x", "<<", "ø", "1.5", "2024-01-01", "x" * 1100, ".a", "..."]
VALUES = [*SCALARS, "", "{}", "[]", "a # c", "a: b", "a:", "'x' y", "'x", "it's", "tekst, med komma", "#c", "a #",
          "a#b", "æ ø", "x  ", "'  '", "\u00a0", "\ufeff", "a\x85b", "a\u2028b", "\x07", "'a''b'", "1 2", "- a"]
_USUAL_KEYS = st.sampled_from(["a", "b", "c", "d", "e", "f", "LM-01", "LED-02", "level", "comment", "2026"])
_USUAL_VALUES = st.sampled_from(["1", "3", "nei", "vet_ikke", "'2026-10-14T12:00:00'", "Rutinen finnes.", "{}"])
# mostly the usual, so that many texts are taken; now and then one of YAML's corners
_KEY = st.one_of(_USUAL_KEYS, _USUAL_KEYS, _USUAL_KEYS, _USUAL_KEYS, _USUAL_KEYS, st.sampled_from(KEYS))
_VALUE = st.one_of(_USUAL_VALUES, _USUAL_VALUES, _USUAL_VALUES, _USUAL_VALUES, _USUAL_VALUES, st.sampled_from(VALUES))
_ODD_LINES = ["", "# kommentar", "   # innrykket", "  ", "- x", "  y", "---", "...", " x: 1", "   x: 1", "x: 1"]
PREFIX = ["", "", "", " ", "  ", "    ", "\t", "   "]


@st.composite
def _lines(draw):
    lines = []
    for _ in range(draw(st.integers(0, 8))):
        kind = draw(st.sampled_from(["pair", "pair", "pair", "open", "comment", "blank", "item", "marker", "raw"]))
        indent = draw(st.sampled_from(PREFIX))
        if kind == "pair":
            lines.append(f"{indent}{draw(st.sampled_from(KEYS))}:{draw(st.sampled_from(['', ' ', '  ']))}"
                         f"{draw(st.sampled_from(VALUES))}")
        elif kind == "open":
            lines.append(f"{indent}{draw(st.sampled_from(KEYS))}:")
        elif kind == "comment":
            lines.append(f"{indent}# {draw(st.sampled_from(VALUES))}")
        elif kind == "blank":
            lines.append(indent)
        elif kind == "item":
            lines.append(f"{indent}- {draw(st.sampled_from(VALUES))}")
        elif kind == "marker":
            lines.append(draw(st.sampled_from(["---", "...", "%YAML 1.1", "--- a: 1"])))
        else:
            lines.append(indent + draw(st.text(alphabet="ab: #'\"-{}[]\t\r", max_size=10)))
    return "\n".join(lines) + draw(st.sampled_from(["", "\n", "\r\n", "\n\n"]))


_TREE = st.recursive(_USUAL_VALUES, lambda inner: st.dictionaries(_USUAL_KEYS, inner, min_size=1, max_size=4),
                     max_leaves=12)


def _render(tree, indent: int, step: int) -> list[str]:
    lines = []
    for key, value in tree.items():
        if isinstance(value, dict):
            lines += [f"{' ' * indent}{key}:", *_render(value, indent + step, step)]
        else:
            lines.append(f"{' ' * indent}{key}: {value}")
    return lines


@st.composite
def _block(draw):
    """A block mapping as samordna writes it, then one or two odd things: a key or value from YAML's corners, or
    an odd line (a list item, a document marker, a key between two levels, a comment) somewhere."""
    tree = draw(st.dictionaries(_USUAL_KEYS, _TREE, min_size=1, max_size=4))
    lines = _render(tree, 0, draw(st.sampled_from([2, 4, 1])))
    for _ in range(draw(st.integers(0, 2))):
        i = draw(st.integers(0, len(lines) - 1))
        head, sep, value = lines[i].partition(": ")
        how = draw(st.sampled_from(["value", "key", "line"]))
        if how == "value" and sep:
            lines[i] = f"{head}:{draw(st.sampled_from([' ', '  ', '']))}{draw(st.sampled_from(VALUES))}"
        elif how == "key":
            pad = head[: len(head) - len(head.lstrip(' '))]
            rest = f"{sep}{value}" if sep else ":"
            lines[i] = f"{pad}{draw(st.sampled_from(KEYS))}{rest}"
        else:
            lines.insert(i, " " * draw(st.integers(0, 6)) + draw(st.sampled_from(_ODD_LINES)))
    return lines


@given(_block())
@settings(max_examples=3000, deadline=None)
def test_whatever_the_line_reader_takes_the_parser_reads_the_same(lines):
    _agrees("\n".join(lines) + "\n")


@given(_lines())
@settings(max_examples=1000, deadline=None)
def test_odd_lines_the_line_reader_takes_read_the_same(text):
    _agrees(text)


def test_the_generated_texts_mostly_take_the_line_reader():
    """The property above means something only if many texts are taken; count them on a fixed sample."""
    taken = []

    @given(_block())
    @settings(max_examples=300, deadline=None, database=None, derandomize=True)
    def count(lines):
        taken.append(_agrees("\n".join(lines) + "\n"))

    count()
    assert sum(taken) >= len(taken) // 5, f"{sum(taken)} of {len(taken)}"


_scalar = st.one_of(st.none(), st.booleans(), st.integers(-5, 3000),
                    st.floats(allow_nan=False, allow_infinity=True, width=32),
                    st.text(max_size=30), st.sampled_from(["vet_ikke", "ja", "nei", "yes", "017", "1.0", "~", "",
                                                           "a: b", "a #b", "'", "x" * 120]))
_key = st.one_of(st.text(min_size=1, max_size=12), st.integers(0, 3000), st.sampled_from(["LM-01", "level", "2026"]))
_data = st.recursive(_scalar, lambda inner: st.dictionaries(_key, inner, max_size=5), max_leaves=25)


@given(st.dictionaries(_key, _data, max_size=6))
@settings(max_examples=1000, deadline=None)
def test_anything_samordna_writes_reads_back_the_same_by_either_path(data):
    text = dump_yaml(data)
    if _agrees(text):
        assert read_plain(text) == data


def test_an_answer_file_is_read_by_lines():
    data = {"participant": "D01", "sector": "grunnskole", "bank": {"id": "samordna-0-24", "version": "2.0.0"},
            "updated": "2026-10-14T12:00:00", "answers": {"LM-01": {"level": "nei"}, "LED-01": {"level": 3,
                                                                                               "comment": "Vi har en plan."}}}
    assert read_plain("# Svar fra D01\n" + dump_yaml(data)) == data
    assert read_plain("# bare en kommentar\n\n") is None


@pytest.mark.parametrize("text", [
    "a: 1\na: 2\n",          # a key written twice: the careful path names both lines
    "a:\n  b: 1\n c: 2\n",   # between two levels
    "a: 1\n  b: 2\n",        # a value that goes on
    "a: >\n  x\n",           # folded
    "a:\n- 1\n",             # a list
    "a: 'x\n  y'\n",         # a quoted value over two lines
    "a: \"x\"\n",            # double quotes
    "a: 1.5\n",              # a float
    "a: 2024-10-14\n",       # a date
    "a: 017\n",              # octal in YAML 1.1
    "a:\tb\n",               # a tab
    "a: 1\r\nb: 2\r\n",      # carriage returns
    "  a: 1\n",              # an indented top level
    "- a\n",                 # a list at the top
    "a\n",                   # a scalar at the top
    "a: b: c\n",             # a value with «: » in it (YAML refuses it)
    "a: b:\n",               # a value ending in «:»
    "a: b # c\n",            # a comment after the value
    "a : 1\n",               # a space before the colon
])
def test_other_shapes_go_to_the_parser(text):
    with pytest.raises(NotPlain):
        read_plain(text)


def test_the_remembered_lines_and_values_stay_bounded(monkeypatch):
    monkeypatch.setattr(yaml_plain, "_LINES_MAX", 10)
    monkeypatch.setattr(yaml_plain, "_TAGS_MAX", 10)
    monkeypatch.setattr(yaml_plain, "_lines", {})
    monkeypatch.setattr(yaml_plain, "_tags", {})
    text = "".join(f"k{i}: v{i}\n" for i in range(100))
    assert read_plain(text) == {f"k{i}": f"v{i}" for i in range(100)}
    assert len(yaml_plain._lines) <= 10 and len(yaml_plain._tags) <= 10
    assert read_plain(text) == {f"k{i}": f"v{i}" for i in range(100)}  # and the same again, partly remembered


# --- writing -----------------------------------------------------------------------------------

_WORDS = st.sampled_from(["nei", "ja", "vet_ikke", "yes", "no", "on", "null", "~", "2026", "017", "1.5", "1e3",
                          "2026-10-14", "2026-10-14T12:00:00", "2026-10-14 12:00:00", "12:30", "D01", "LM-01",
                          "Rutinen finnes.", "Sak 86/25; protokollen er lagt ved.", "«sitat»", "a: b", "a #b",
                          "sak#3", "it's", "x" * 95, "- a", "?a", "!a", "&a", "*a", "@a", "%a", "`a", "'a'",
                          '"a"', "a'", " a", "a ", "a  b", "", "æøå", "Ærlig", "2.0.0", "0x1F", ".inf", "=1+2"])
_texts = st.one_of(_WORDS, st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30),
                   st.text(alphabet="ab :#'-.,«»0129TZ\n\t", max_size=15))
_scalars = st.one_of(_texts, st.integers(-3, 3000), st.booleans(), st.none(), st.floats(width=16))
_keys = st.one_of(st.sampled_from(["answers", "LM-01", "level", "comment", "2026", "yes", "a b", "a:b"]), _texts)
_trees = st.recursive(_scalars, lambda inner: st.dictionaries(_keys, inner, max_size=4), max_leaves=20)


@given(st.dictionaries(_keys, _trees, min_size=1, max_size=5))
@settings(max_examples=3000, deadline=None)
def test_what_the_writer_takes_is_written_byte_for_byte_as_pyyaml_writes_it(data):
    from samordna.io.atomic import _pyyaml_dump
    from samordna.io.yaml_plain import write_plain

    text = write_plain(data)
    if text is not None:
        assert text == _pyyaml_dump(data)
        assert _careful(text, PATH).data == data


def test_the_files_samordna_writes_most_go_through_the_writer():
    import yaml

    from samordna.io.atomic import _pyyaml_dump
    from samordna.io.yaml_plain import write_plain

    for path in [SAMPLES[0], SAMPLES[2], SAMPLES[3]]:  # answers (comments taken out), a round, a municipality
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data.get("answers", {}).update({k: {"level": v["level"]} for k, v in data.get("answers", {}).items()})
        text = write_plain(data)
        assert text is not None and text == _pyyaml_dump(data), path
