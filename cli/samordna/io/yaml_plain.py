"""The quickest reader: the plain block mappings samordna itself writes, read line by line without a YAML parser.

Answer files, consensus files and round files are block mappings of block mappings with scalars, one key per
line: ``answers:`` / ``  LM-01:`` / ``    level: nei``. Reading them with libyaml costs about 1.5 ms a file,
most of it building nodes; a county view reads some 45 such files per municipality. ``read_plain`` reads exactly
that shape and nothing more: a line is blank, a comment, or ``key:`` with an optional value that is a plain or
single-quoted scalar on the same line, ``{}`` or ``[]``. Anything else (a list item, a double-quoted or folded
value, a value that goes on to the next line, an anchor, a tag, a tab, a key written twice, a float or a date,
odd indentation) raises ``NotPlain``, and the caller reads the file with the YAML parser, which gives the same
result or the message with file, line and key. Plain values are resolved by PyYAML's own resolver, so «yes»,
«~» and «12» mean what they mean to YAML. ``tests/test_yaml_plain.py`` checks with Hypothesis that whatever this
reader accepts, PyYAML reads to the same data.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

__all__ = ["NotPlain", "read_plain"]

MAX_DEPTH = 64  # as io.yamlio: deeper goes to the careful path, which words it


class NotPlain(Exception):
    """The text is not in the plain shape; read it with the YAML parser."""


# Characters that send the whole text to the parser: tabs, carriage returns, YAML's other line breaks (NEL,
# LS, PS), a byte-order mark inside the text, and what YAML calls non-printable.
_UNUSUAL_TEXT = re.compile("[^\x0a\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
# key: plain (no «:», «#» or tab, not starting with an indicator or a space) or single-quoted; then «:» and either
# the end of the line or one or more spaces and the value.
_KEY_LINE = re.compile(r"([^\s#'\"\-?:,\[\]{}&*!|>%@`][^:#\t]*|'(?:[^']|'')*'):(?: +(.*))?\Z")
_QUOTED = re.compile(r"'((?:[^']|'')*)'\Z")
_VALUE_START = frozenset("-?:,[]{}#&*!|>'\"%@`")  # a plain value starting with one of these: the parser reads it
_KEY_MAX = 1000  # PyYAML refuses a simple key over 1024 characters

_resolver = yaml.resolver.Resolver()
_bool = yaml.constructor.SafeConstructor.bool_values
_STR, _INT, _BOOL, _NULL = (f"tag:yaml.org,2002:{t}" for t in ("str", "int", "bool", "null"))
_tags: dict[str, str] = {}  # plain value -> its tag (a few hundred distinct values recur in every file)
_TAGS_MAX = 50_000


def _plain_tag(value: str) -> str:
    """The tag YAML gives ``value`` written plain (remembered: the same few values recur in every file)."""
    tag = _tags.get(value)
    if tag is None:
        tag = _resolver.resolve(yaml.ScalarNode, value, (True, False))
        if len(value) <= 40 and len(_tags) < _TAGS_MAX:
            _tags[value] = tag
    return tag


def _plain_scalar(value: str) -> Any:
    tag = _plain_tag(value)
    if tag == _STR:
        return value
    if tag == _INT:
        if value.isdigit() and value.isascii() and (value[0] != "0" or len(value) == 1):
            return int(value)
        raise NotPlain  # «017», «0x1f», «-3», «1_000»: the parser's constructor decides
    if tag == _NULL:
        return None
    if tag == _BOOL:
        return _bool[value.lower()]
    raise NotPlain  # floats, dates, timestamps


def _value(rest: str) -> Any:
    first = rest[0]
    if first == "'":
        m = _QUOTED.match(rest)
        if m is None:
            raise NotPlain  # goes on to the next line, or something follows the closing quote
        return m.group(1).replace("''", "'")
    if first in _VALUE_START or rest[-1] == " " or rest[-1] == ":" or ": " in rest or " #" in rest:
        raise NotPlain
    return _plain_scalar(rest)


def _key(raw: str) -> Any:
    if raw[0] == "'":
        return raw[1:-1].replace("''", "'")
    if raw[-1] == " " or len(raw) > _KEY_MAX:
        raise NotPlain
    key = _plain_scalar(raw)
    if type(key) is not str and type(key) is not int:
        raise NotPlain  # a null or boolean key: the parser reads it
    return key


_EMPTY_MAP, _EMPTY_LIST, _NESTED = object(), object(), object()  # {} and [] are made anew for every use
_Line = tuple[int, Any, Any]  # indent, key, value (or one of the three markers above)
_lines: dict[str, _Line] = {}  # a line seen before: «    level: 3» recurs thousands of times in a county
_LINES_MAX = 200_000
_LINE_CACHED_MAX = 80  # longer lines (comments, rationales) are seldom the same twice


def _parse_line(line: str) -> _Line | None:
    """(indent, key, value) of a key line; None for a blank or comment line; NotPlain for anything else."""
    body = line.lstrip(" ")
    if not body or body[0] == "#":
        return None
    indent = len(line) - len(body)
    if not indent and body.startswith(("---", "...")):
        raise NotPlain  # a document marker
    m = _KEY_LINE.match(body)
    if m is None:
        raise NotPlain
    key = _key(m.group(1))
    rest = m.group(2)
    if not rest:
        return indent, key, _NESTED
    if rest == "{}":
        return indent, key, _EMPTY_MAP
    if rest == "[]":
        return indent, key, _EMPTY_LIST
    return indent, key, _value(rest)


def read_plain(text: str) -> Any:
    """The data of ``text`` when it is in the plain shape (a mapping, or None for a file of comments only);
    else NotPlain. The result is exactly what PyYAML's safe loader gives for the same text."""
    if _UNUSUAL_TEXT.search(text):
        raise NotPlain
    root: dict[Any, Any] = {}
    mapping = root  # the mapping the lines now go into, at indentation ``cur``
    cur = 0
    outer: list[tuple[int, dict[Any, Any]]] = []  # the mappings around it
    awaiting = False  # the last line was «key:» with nothing after it (``akey`` in ``mapping``)
    akey: Any = None
    seen = False
    lines = _lines
    for line in text.split("\n"):
        parsed = lines.get(line)
        if parsed is None:
            parsed = _parse_line(line)
            if parsed is None:
                continue
            if len(line) <= _LINE_CACHED_MAX and len(lines) < _LINES_MAX:
                lines[line] = parsed
        indent, key, value = parsed
        if indent != cur:
            if awaiting and indent > cur:  # the value of «akey:» is a mapping, indented deeper
                if len(outer) >= MAX_DEPTH:
                    raise NotPlain
                child: dict[Any, Any] = {}
                mapping[akey] = child
                outer.append((cur, mapping))
                cur, mapping = indent, child
            else:
                while outer and indent < cur:
                    cur, mapping = outer.pop()
                if indent != cur:
                    raise NotPlain  # deeper than its siblings, between two levels, or an indented first line
        seen = True
        awaiting = False
        if key in mapping:
            raise NotPlain  # written twice: the careful path names both lines
        if value is _NESTED:
            mapping[key] = None
            awaiting, akey = True, key
        elif value is _EMPTY_MAP:
            mapping[key] = {}
        elif value is _EMPTY_LIST:
            mapping[key] = []
        else:
            mapping[key] = value
    return root if seen else None


# --- writing the same shape ------------------------------------------------------------------
#
# The inverse: a mapping of mappings with simple scalars written exactly as ``io.atomic.dump_yaml`` (PyYAML,
# block style, indent 2, width 100, unicode) writes it, about fifty times faster. Anything it is not sure of
# (a float, a list, a multi-line or long string, a string with «:», «#», quotes or other signs YAML treats
# specially) returns None, and the caller uses PyYAML. ``tests/test_yaml_plain.py`` compares the two byte for
# byte with Hypothesis.

_WIDTH = 100  # dump_yaml's width: a longer line may be folded by PyYAML
# Latin letters, digits, and the signs that are plain inside a YAML scalar; no space first or last
_LETTER = "A-Za-z0-9\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u017f"  # Latin letters (Norwegian, Sami, Nordic), digits
_SAFE_TEXT = re.compile(f"[{_LETTER}](?:[{_LETTER}_ .,;()/«»–—+'-]*[{_LETTER}_.)»])?")
_STAMP = re.compile(r"[0-9][0-9 :.T+Z-]*")  # a date or time as text: YAML would read it as a date, so quoted


def _write_scalar(value: Any) -> str | None:
    cls = type(value)
    if cls is str:
        if _SAFE_TEXT.fullmatch(value) and "  " not in value:
            if _plain_tag(value) == _STR:
                return value
            return None if "'" in value else f"'{value}'"  # «2026», «yes», «2026-10-14»: quoted, as PyYAML does
        if _STAMP.fullmatch(value) and "  " not in value and _plain_tag(value) != _STR:
            return f"'{value}'"  # «2026-10-14T12:00:00»
        return None
    if cls is int:
        return str(value)
    if cls is bool:
        return "true" if value else "false"
    if value is None:
        return "null"
    return None




def _write_mapping(mapping: dict[Any, Any], indent: int, out: list[str]) -> bool:
    pad = " " * indent
    for key, value in mapping.items():
        k = _write_scalar(key) if type(key) is str else None
        if k is None or len(k) > 120:
            return False
        if type(value) is dict and value:
            out.append(f"{pad}{k}:\n")
            if indent >= 2 * MAX_DEPTH or not _write_mapping(value, indent + 2, out):
                return False
            continue
        v = "{}" if type(value) is dict else _write_scalar(value)
        if v is None:
            return False
        line = f"{pad}{k}: {v}\n"
        if len(line) > _WIDTH:
            return False
        out.append(line)
    return True


def write_plain(data: Any) -> str | None:
    """``data`` as ``dump_yaml`` writes it, when it is a non-empty mapping of the plain shape; else None."""
    if type(data) is not dict or not data:
        return None
    out: list[str] = []
    return "".join(out) if _write_mapping(data, 0, out) else None
