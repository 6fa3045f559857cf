"""Read YAML files with a map from key paths to line numbers.

Every validation message can then name the file, the line and the key, e.g.
``samordna-0-24.yaml, linje 41 (domains[0].indicators[2].weight): må være et tall``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from samordna.core.errors import SamordnaError
from samordna.core.problems import Loc, format_loc

# libyaml is much faster; fall back to the pure-Python loader
_FastLoader: type[yaml.CSafeLoader | yaml.SafeLoader] = yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader


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
            try:
                node = yaml.compose(self.text, Loader=yaml.SafeLoader)
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
        parts = [self.path.name]
        if line:
            parts.append(f"linje {line}")
        text = ", ".join(parts)
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


def parse_yaml(text: str, path: Path) -> YamlDoc:
    try:
        data = yaml.load(text, Loader=_FastLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f", linje {mark.line + 1}, kolonne {mark.column + 1}" if mark else ""
        problem = exc.problem or exc.context or "ugyldig YAML"
        raise SamordnaError(
            f"Kan ikke lese {path}{line}: filen er ikke gyldig YAML ({problem}).", path=path
        ) from None
    except yaml.YAMLError as exc:
        raise SamordnaError(f"Kan ikke lese {path}: filen er ikke gyldig YAML ({exc}).", path=path) from None
    return YamlDoc(path=path, data=data, text=text)


def load_yaml(path: Path) -> YamlDoc:
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SamordnaError(f"Fant ikke filen {path}.", path=path) from None
    except IsADirectoryError:
        raise SamordnaError(f"{path} er en mappe, ikke en fil.", path=path) from None
    except OSError as exc:
        raise SamordnaError(f"Kan ikke lese {path}: {exc.strerror}.", path=path) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SamordnaError(
            f"Kan ikke lese {path}: filen er ikke lagret som UTF-8 (byte {exc.start}).", path=path
        ) from None
    return parse_yaml(text, path)
