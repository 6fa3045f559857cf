"""Read YAML files with a map from key paths to line numbers.

Every validation message can then name the file, the line and the key, e.g.
``samordna-0-24.yaml, linje 41 (domains[0].indicators[2].weight): må være et tall``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import yaml

from .errors import SamordnaError

Loc = tuple  # a key path: ("domains", 0, "indicators", 2, "weight")


try:  # libyaml is much faster; fall back to the pure-Python loader
    from yaml import CSafeLoader as _FastLoader
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _FastLoader


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


def format_loc(loc: Iterable) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


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


# --- pydantic errors in Norwegian -------------------------------------------------

_MESSAGES = {
    "missing": "mangler",
    "extra_forbidden": "ukjent nøkkel (skrivefeil?)",
    "int_parsing": "må være et heltall",
    "int_type": "må være et heltall",
    "int_from_float": "må være et heltall",
    "float_parsing": "må være et tall",
    "float_type": "må være et tall",
    "bool_parsing": "må være true eller false",
    "bool_type": "må være true eller false",
    "string_type": "må være tekst",
    "string_too_short": "kan ikke være tom",
    "string_too_long": "er for lang",
    "list_type": "må være en liste",
    "dict_type": "må være en oppslagstabell (nøkkel: verdi)",
    "model_type": "må være en oppslagstabell (nøkkel: verdi)",
    "model_attributes_type": "må være en oppslagstabell (nøkkel: verdi)",
    "too_short": "har for få elementer",
    "too_long": "har for mange elementer",
    "date_parsing": "må være en dato (ÅÅÅÅ-MM-DD)",
    "date_from_datetime_parsing": "må være en dato (ÅÅÅÅ-MM-DD)",
    "date_type": "må være en dato (ÅÅÅÅ-MM-DD)",
    "datetime_parsing": "må være et tidspunkt (ÅÅÅÅ-MM-DDTtt:mm)",
    "datetime_type": "må være et tidspunkt (ÅÅÅÅ-MM-DDTtt:mm)",
    "url_parsing": "må være en nettadresse",
}


def pydantic_problem(err: dict) -> str:
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    if kind in ("greater_than_equal", "greater_than"):
        sign = "minst" if kind == "greater_than_equal" else "større enn"
        return f"må være {sign} {ctx.get('ge', ctx.get('gt'))} (er {err.get('input')!r})"
    if kind in ("less_than_equal", "less_than"):
        sign = "høyst" if kind == "less_than_equal" else "mindre enn"
        return f"må være {sign} {ctx.get('le', ctx.get('lt'))} (er {err.get('input')!r})"
    if kind == "string_pattern_mismatch":
        return f"har feil form ({err.get('input')!r})"
    if kind in ("literal_error", "enum"):
        return f"har ugyldig verdi {err.get('input')!r} (tillatt: {ctx.get('expected', '')})"
    if kind == "value_error":
        msg = str(ctx.get("error", err.get("msg", "")))
        return msg
    if kind in ("too_short", "too_long"):
        return f"{_MESSAGES[kind]} ({ctx.get('actual_length')}; skal være {ctx.get('min_length', ctx.get('max_length'))})"
    if kind in _MESSAGES:
        return _MESSAGES[kind]
    return err.get("msg", kind)


def pydantic_problems(doc: YamlDoc, exc, prefix: Loc = ()) -> list[str]:
    """Turn a pydantic ValidationError into Norwegian lines naming line and key."""
    problems = []
    for err in exc.errors(include_url=False):
        loc = prefix + tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        problems.append(f"{doc.where(loc)}: {pydantic_problem(err)}")
    return problems
