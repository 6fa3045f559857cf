"""Read YAML files with a map from key paths to line numbers.

Every validation message can then name the file, the line and the key, e.g.
``samordna-0-24.yaml, linje 41 (domains[0].indicators[2].weight): må være et tall``.

Hostile or damaged files are refused with one Norwegian message before the work is done:
only regular files are opened (a FIFO or a device would block or never end), at most
``MAX_BYTES`` are read, nesting deeper than ``MAX_DEPTH`` is refused before the document is
composed (libyaml's composer recurses in C), and after composing, aliases that expand to more
than ``MAX_NODES`` nodes (a «billion laughs») or refer to themselves are refused. A key written
twice in one mapping is refused with both lines instead of keeping the last value.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from samordna.core.errors import SamordnaError
from samordna.core.problems import Loc, format_loc
from samordna.i18n import _
from samordna.io.yaml_plain import NotPlain, read_plain

MAX_BYTES = 5 * 1024 * 1024  # no file samordna reads is near this; a bank is about 65 kB
MAX_DEPTH = 64               # a bank nests about 6 deep
MAX_NODES = 100_000          # values after aliases are expanded; a bank has about 5 000

_MERGE_TAG = "tag:yaml.org,2002:merge"
# libyaml is much faster; fall back to the pure-Python loader
_Base: type[yaml.CSafeLoader | yaml.SafeLoader] = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader


class _DuplicateKey(yaml.MarkedYAMLError):
    """A key written twice in one mapping (raised while constructing, so it carries both places)."""

    def __init__(self, key: object, first: yaml.Mark, second: yaml.Mark):
        super().__init__(problem=f"duplicate key {key!r}", problem_mark=second)
        self.key, self.first, self.second = key, first, second


class _Loader(_Base):  # type: ignore[valid-type,misc]
    """The fast safe loader, refusing a key written twice in one mapping."""

    def construct_mapping(self, node: yaml.Node, deep: bool = False) -> dict:
        if isinstance(node, yaml.MappingNode):
            seen: dict[object, int] = {}
            for i, (key_node, _value) in enumerate(node.value):
                if key_node.tag == _MERGE_TAG:
                    continue  # «<<: *base» may be overridden by the mapping's own keys, as YAML says
                key = self.construct_object(key_node, deep=deep)  # memoised: built once
                try:
                    first = seen.setdefault(key, i)
                except TypeError:
                    continue  # an unhashable key; the base class words that
                if first != i:
                    raise _DuplicateKey(key, node.value[first][0].start_mark, key_node.start_mark)
        return super().construct_mapping(node, deep=deep)

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        """A value that matches YAML's pattern but not Python's («2024-02-30», «0x_») is a YAML error with its place."""
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, OverflowError):
            shown = str(node.value)[:40] if isinstance(node, yaml.ScalarNode) else type(node).__name__
            raise yaml.constructor.ConstructorError(
                None, None, _("verdien «{value}» kan ikke leses").format(value=shown), node.start_mark) from None


# --- reading a file ----------------------------------------------------------------


def _megabytes(n: int) -> str:
    from samordna.core import fmt

    return _("{size} MB").format(size=fmt.num(n / (1024 * 1024), 1))


def _kind(path: Path, mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return _("et navngitt rør (FIFO)")
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        real = os.path.realpath(path)
        return _("en enhet ({device})").format(device=real) if real != os.path.abspath(path) else _("en enhet")
    if stat.S_ISSOCK(mode):
        return _("en socket")
    return _("ikke en vanlig fil")


def _not_regular(path: Path, mode: int) -> SamordnaError:
    if stat.S_ISDIR(mode):
        return SamordnaError(_("{path} er en mappe, ikke en fil.").format(path=path), path=path)
    return SamordnaError(_("Kan ikke lese {path}: det er {kind}, ikke en vanlig fil. "
                           "samordna leser bare vanlige filer.").format(path=path, kind=_kind(path, mode)), path=path)


def _too_large(path: Path, size: int, limit: int) -> SamordnaError:
    from samordna.core import fmt

    return SamordnaError(_("Kan ikke lese {path}: filen er for stor ({size}; grensen er {limit}). Er det riktig fil?")
                         .format(path=path, size=_megabytes(size),
                                 limit=_("{size} MB").format(size=fmt.short(round(limit / (1024 * 1024), 1)))),
                         path=path)


def _os_error(path: Path, exc: OSError) -> SamordnaError:
    if isinstance(exc, FileNotFoundError):
        return SamordnaError(_("Fant ikke filen {path}.").format(path=path), path=path)
    if isinstance(exc, IsADirectoryError):
        return SamordnaError(_("{path} er en mappe, ikke en fil.").format(path=path), path=path)
    if isinstance(exc, NotADirectoryError):
        return SamordnaError(_("Fant ikke filen {path}: en del av stien er en fil, ikke en mappe.").format(path=path),
                             path=path)
    if isinstance(exc, PermissionError):
        return SamordnaError(_("Kan ikke lese {path}: du har ikke tilgang til filen.").format(path=path), path=path)
    return SamordnaError(_("Kan ikke lese {path}: {reason}.").format(path=path, reason=exc.strerror or exc), path=path)


def check_regular_file(path: Path) -> os.stat_result:
    """``path``'s status when it is a regular file (links followed); otherwise a SamordnaError.

    Never opens the file, so a FIFO, a device or a socket cannot block or flood the reader."""
    path = path if isinstance(path, Path) else Path(path)
    try:
        st = os.stat(path)
    except OSError as exc:
        raise _os_error(path, exc) from None
    if not stat.S_ISREG(st.st_mode):
        raise _not_regular(path, st.st_mode)
    return st


def read_limited(path: Path, limit: int = MAX_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; anything else is a SamordnaError.

    Checked with stat before opening, opened non-blocking and checked again on the open file
    (it may have been swapped), then at most ``limit + 1`` bytes are read."""
    path = path if isinstance(path, Path) else Path(path)
    st = check_regular_file(path)
    if st.st_size > limit:
        raise _too_large(path, st.st_size, limit)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise _os_error(path, exc) from None
    with os.fdopen(fd, "rb") as fh:
        mode = os.fstat(fh.fileno()).st_mode
        if not stat.S_ISREG(mode):
            raise _not_regular(path, mode)
        try:
            raw = fh.read(limit + 1)
        except OSError as exc:
            raise _os_error(path, exc) from None
    if len(raw) > limit:
        raise _too_large(path, len(raw), limit)
    return raw


# --- the document ------------------------------------------------------------------


@dataclass
class YamlDoc:
    path: Path
    data: Any
    text: str = ""
    _lines: dict[Loc, int] | None = field(default=None, repr=False)

    @property
    def lines(self) -> dict[Loc, int]:
        """Key path -> line number. Built only when a message needs it (a second parse)."""
        if self._lines is None:
            self._lines = {}
            try:  # the text passed the limits in parse_yaml, so this cannot go deep or explode
                node = yaml.compose(self.text, Loader=_Base)
            except yaml.YAMLError:
                node = None
            if node is not None:
                _walk(node, (), self._lines)
        return self._lines

    def line(self, loc: Iterable) -> int | None:
        """The line of ``loc``, or of its nearest parent that has one."""
        key = tuple(loc)
        lines = self.lines
        while key:
            if key in lines:
                return lines[key]
            key = key[:-1]
        return lines.get((), None)

    def where(self, loc: Iterable) -> str:
        key = tuple(loc)
        line = self.line(key)
        place = format_loc(key)
        text = _("{file}, linje {line}").format(file=self.path.name, line=line) if line else self.path.name
        return f"{text} ({place})" if place else text


def _walk(node: yaml.Node, loc: Loc, lines: dict[Loc, int]) -> None:
    lines[loc] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            child = loc + (key,)
            _walk(value_node, child, lines)
            lines[child] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, loc + (i,), lines)


# --- limits ------------------------------------------------------------------------


class _Refused(Exception):
    """A limit the text breaks; ``line`` (1-based) when known."""

    def __init__(self, reason: str, line: int | None = None):
        super().__init__(reason)
        self.reason, self.line = reason, line


# the run of indentation and block indicators («  - - ? key») that starts a line: a block collection
# can only begin at a column inside such a run (or right after it), and each nesting level of block
# collections moves at least one column right every second level
_LINE_START = re.compile(r"(?:^|[\r\x85\u2028\u2029])[ \t?:-]*", re.MULTILINE)


def _depth_bound(text: str) -> int:
    """A cheap upper bound on how deep ``text`` nests (flow brackets plus block columns)."""
    widest = max((len(m.group()) for m in _LINE_START.finditer(text)), default=0)
    return text.count("[") + text.count("{") + 2 * (widest + 3)


_RUNS: dict[int, re.Pattern[str]] = {}


def _shallow(text: str) -> bool:
    """``_depth_bound(text) <= MAX_DEPTH``, found with one search for a line start wider than the room left."""
    room = (MAX_DEPTH - text.count("[") - text.count("{")) // 2 - 3  # the widest line start allowed
    if room < 1:
        return room == 0 and _depth_bound(text) <= MAX_DEPTH
    run = _RUNS.get(room)
    if run is None:
        run = _RUNS[room] = re.compile(rf"^[ \t?:-]{{{room + 1},}}|[\r\x85\u2028\u2029][ \t?:-]{{{room},}}",
                                       re.MULTILINE)
    return run.search(text) is None


def _check_depth(text: str) -> None:
    """Refuse nesting deeper than MAX_DEPTH, measured on libyaml's events (iterative, no composing)."""
    if _depth_bound(text) <= MAX_DEPTH:
        return  # the usual case: nothing to scan
    depth = 0
    too_deep = _("strukturen er nøstet for dypt (mer enn {n} nivåer)").format(n=MAX_DEPTH)
    try:
        for event in yaml.parse(text, Loader=_Base):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise _Refused(too_deep, event.start_mark.line + 1 if event.start_mark else None)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.MarkedYAMLError as exc:  # PyYAML 6.0.4 stops at its own nesting limit while reading ahead
        if "nesting depth" not in str(exc.problem or ""):
            raise
        raise _Refused(too_deep, exc.problem_mark.line + 1 if exc.problem_mark else None) from None


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _check_graph(root: yaml.Node) -> None:
    """Refuse aliases that refer to themselves, expand to more than MAX_NODES nodes or nest too deep.

    Iterative, each node visited once: the size and depth of a shared node are remembered."""
    size: dict[int, int] = {}
    depth: dict[int, int] = {}
    open_: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            kids = _children(node)
            size[key] = 1 + sum(size[id(k)] for k in kids)
            depth[key] = 1 + max((depth[id(k)] for k in kids), default=0)
            open_.discard(key)
            if size[key] > MAX_NODES:
                raise _Refused(_("aliasene (*navn) gir mer enn {n} verdier når de foldes ut").format(
                    n=f"{MAX_NODES:,}".replace(",", " ")), node.start_mark.line + 1)
            if depth[key] > MAX_DEPTH:
                raise _Refused(_("strukturen er nøstet for dypt når aliasene (*navn) foldes ut "
                                 "(mer enn {n} nivåer)").format(n=MAX_DEPTH), node.start_mark.line + 1)
            continue
        if key in size:
            continue
        if key in open_:
            raise _Refused(_("et alias (*navn) viser til seg selv"), node.start_mark.line + 1)
        open_.add(key)
        stack.append((node, True))
        for kid in _children(node):
            kid_key = id(kid)
            if kid_key in open_:
                raise _Refused(_("et alias (*navn) viser til seg selv"), kid.start_mark.line + 1)
            if kid_key not in size:
                stack.append((kid, False))


# --- the fast path ------------------------------------------------------------------
#
# Most files samordna reads are small, plain and correct: mappings, lists and scalars, no aliases, no tags. For
# them libyaml composes the nodes and the plain values are built here directly, without PyYAML's general
# constructor (about three times faster). Anything unusual (an alias or anchor, a merge key, an explicit tag, a
# key written twice, a value Python cannot hold, any error) sends the file through the careful path above, which
# gives the message with file, line and key. The result is the same either way.

_STR_TAG = "tag:yaml.org,2002:str"
_INT_TAG = "tag:yaml.org,2002:int"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"
_RESOLVED_MAX = 50_000  # distinct short plain values remembered per process (ids, levels, dates …)


class _Unusual(Exception):
    """Something the fast path does not build: the careful path reads the file."""


class _FastLoader(_Base):  # type: ignore[valid-type,misc]
    """libyaml's composer with the tag of a plain value remembered (the same few values recur in every file)."""

    _resolved: dict[tuple[str, bool, bool], str] = {}

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode:
            key = (value, implicit[0], implicit[1])
            tag = self._resolved.get(key)
            if tag is None:
                tag = super().resolve(kind, value, implicit)
                if len(value) <= 40 and len(self._resolved) < _RESOLVED_MAX:
                    self._resolved[key] = tag
            return tag
        return super().resolve(kind, value, implicit)


def _plain(node: yaml.Node, loader: _FastLoader) -> Any:
    """The value of ``node`` when it is made of plain mappings, lists and scalars; else _Unusual."""
    cls = type(node)
    if cls is yaml.ScalarNode:
        tag = node.tag
        if tag == _STR_TAG:
            return node.value
        value = node.value
        if tag == _INT_TAG and value.isdigit() and value.isascii() and (value[0] != "0" or len(value) == 1):
            return int(value)  # 0-4, years: the usual ints (octal «017», hex, signs, «1_000»: the constructor)
        if tag.startswith("tag:yaml.org,2002:") and tag[18:] in ("int", "float", "bool", "null", "timestamp"):
            try:
                return loader.construct_object(node)
            except (ValueError, OverflowError, yaml.YAMLError):
                raise _Unusual from None
        raise _Unusual
    if cls is yaml.MappingNode and node.tag == _MAP_TAG:
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = _plain(key_node, loader)
            if type(key_node) is not yaml.ScalarNode or key_node.tag == "tag:yaml.org,2002:merge" or key in out:
                raise _Unusual  # a merge key, a key written twice or a collection as key: the careful path words it
            out[key] = _plain(value_node, loader)
        return out
    if cls is yaml.SequenceNode and node.tag == _SEQ_TAG:
        return [_plain(item, loader) for item in node.value]
    raise _Unusual


def _fast(text: str) -> Any:
    """The data of a plain document, or _Unusual (the careful path then reads it and words any problem)."""
    if "*" in text or "&" in text or "!" in text or "<<" in text:
        raise _Unusual  # aliases, anchors, tags and merge keys take the careful path (a «*» in a comment too)
    if not _shallow(text):
        raise _Unusual
    loader = _FastLoader(text)
    try:
        node = loader.get_single_node()
        return None if node is None else _plain(node, loader)
    except yaml.YAMLError:
        raise _Unusual from None
    finally:
        loader.dispose()


def parse_yaml(text: str, path: Path) -> YamlDoc:
    path = path if isinstance(path, Path) else Path(path)
    if len(text) > MAX_BYTES:
        raise _too_large(path, len(text.encode("utf-8")), MAX_BYTES)
    try:
        return YamlDoc(path=path, data=read_plain(text), text=text)
    except NotPlain:
        pass
    try:
        return YamlDoc(path=path, data=_fast(text), text=text)
    except _Unusual:
        return _careful(text, path)


def _careful(text: str, path: Path) -> YamlDoc:
    """Read ``text`` with every check, naming file, line and key for whatever is wrong."""
    loader = _Loader(text)
    try:
        _check_depth(text)
        node = loader.get_single_node()
        if node is not None and ("*" in text or "<<" in text):  # without aliases the graph is a tree
            _check_graph(node)
        data = loader.construct_document(node) if node is not None else None
    except _Refused as exc:
        place = _("{file}, linje {line}").format(file=path, line=exc.line) if exc.line else str(path)
        raise SamordnaError(_("Kan ikke lese {place}: {reason}. Ingenting er lest.").format(place=place, reason=exc.reason),
                            path=path) from None
    except _DuplicateKey as exc:
        first, second = exc.first.line + 1, exc.second.line + 1
        where = (_("linje {first} og {second}").format(first=first, second=second) if first != second
                 else _("linje {line}").format(line=first))
        raise SamordnaError(_("Kan ikke lese {place}: nøkkelen «{key}» står to ganger ({where}). Fjern den ene.").format(
            place=_("{file}, linje {line}").format(file=path, line=second), key=exc.key, where=where),
            path=path) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        place = (_("{file}, linje {line}, kolonne {column}").format(file=path, line=mark.line + 1, column=mark.column + 1)
                 if mark else str(path))
        problem = exc.problem or exc.context or _("ugyldig YAML")
        raise SamordnaError(
            _("Kan ikke lese {place}: filen er ikke gyldig YAML ({problem}).").format(place=place, problem=problem),
            path=path,
        ) from None
    except yaml.YAMLError as exc:
        raise SamordnaError(_("Kan ikke lese {place}: filen er ikke gyldig YAML ({problem}).").format(
            place=path, problem=exc), path=path) from None
    finally:
        loader.dispose()
    return YamlDoc(path=path, data=data, text=text)


def load_yaml(path: Path) -> YamlDoc:
    path = path if isinstance(path, Path) else Path(path)
    raw = read_limited(path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SamordnaError(
            _("Kan ikke lese {path}: filen er ikke lagret som UTF-8 (byte {byte}).").format(path=path, byte=exc.start),
            path=path,
        ) from None
    return parse_yaml(text, path)
