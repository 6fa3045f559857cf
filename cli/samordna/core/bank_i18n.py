"""The question bank in nynorsk and English: translations kept as data beside the bank.

A translation file ``<bank file stem>.<language>.yaml`` (``samordna-0-24.nn.yaml``) holds every text of the bank
under a key made from where the text stands (``LED-01.statement``, ``LED-01.levels.3``, ``IS2826-K1.title``,
``scale.levels.0.name``, ``verdict_rules.texts.met``), each with the bokmål text it was made from and the
translation::

    texts:
      LED-01.statement:
        nb: I vår kommune beskriver planen …
        nn: I kommunen vår skildrar planen …

The bokmål beside the translation is what makes a stale translation visible: when the bank's text changes, the
translation no longer matches its source and is not used. A text without a usable translation is shown in
bokmål (the fallback), and ``translate_bank`` says which, so the outputs can mark it (``lang="nb"``) and
``samordna validate --lang`` can list it with file, line and key. Pure: the files are read in ``io.bankfile``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

LANGUAGES = ("nb", "nn", "en")
SOURCE = "nb"  # the language the bank is written in; every translation is made from it

_TEXT_FIELDS = frozenset({"title", "description", "short", "question", "help", "who", "note", "statement", "name",
                          "label", "group", "citation"})
_LIST_FIELDS = frozenset({"actions", "evidence", "discussion_questions"})
_NOT_TEXT = frozenset({"id", "url", "kind", "references", "statutory", "core", "weight", "target", "confirmed",
                       "verdict", "version", "language", "level", "replaces", "optional", "local", "local_owner"})

Path_ = tuple[str | int, ...]


def text_places(data: dict[str, Any]) -> dict[str, Path_]:
    """{key: where the text stands in ``data``} for every text of a bank (its raw YAML data), in order."""
    out: dict[str, Path_] = {}
    for key, where, _ in _walk(data, "", ()):
        out[key] = where
    return out


def _walk(node: Any, key: str, where: Path_) -> Iterator[tuple[str, Path_, str]]:
    if isinstance(node, dict):
        base = node.get("id") if isinstance(node.get("id"), str) else key
        for k, v in node.items():
            if k in _NOT_TEXT or k == "migrations" and not key:
                continue
            sub = f"{base}.{k}" if base else str(k)
            if isinstance(v, str) and (k in _TEXT_FIELDS or key.endswith("texts")):
                yield sub, (*where, k), v
            elif k == "levels" and isinstance(v, dict):
                for lv, text in v.items():
                    if isinstance(text, str):
                        yield f"{base}.levels.{lv}", (*where, k, lv), text
            elif k in _LIST_FIELDS and isinstance(v, list):
                for i, text in enumerate(v):
                    if isinstance(text, str):
                        yield f"{sub}.{i}", (*where, k, i), text
            elif k == "texts" and isinstance(v, dict):
                for tk, text in v.items():
                    if isinstance(text, str):
                        yield f"{sub}.{tk}", (*where, k, tk), text
            else:
                yield from _walk(v, sub, (*where, k))
    elif isinstance(node, list):
        for i, item in enumerate(node):
            named = isinstance(item, dict) and isinstance(item.get("id"), str)
            yield from _walk(item, key if named else f"{key}.{i}", (*where, i))
    if not key and isinstance(node, dict):  # the change notes of the migrations
        for i, step_list in enumerate(node.get("migrations") or []):
            if not isinstance(step_list, dict):
                continue
            for j, step in enumerate(step_list.get("steps") or []):
                if isinstance(step, dict) and isinstance(step.get("note"), str):
                    yield (f"migrations.{step_list.get('from')}.{j}.note", ("migrations", i, "steps", j, "note"),
                           step["note"])


@dataclass
class Translated:
    """A bank's data in another language, and which of its texts are in bokmål instead."""

    data: dict[str, Any]
    language: str
    missing: list[str] = field(default_factory=list)  # no translation of this text
    outdated: list[str] = field(default_factory=list)  # translated from another bokmål text than the bank's now
    n_translated: int = 0

    @property
    def fallbacks(self) -> list[str]:
        return self.missing + self.outdated


def list_places(data: dict[str, Any]) -> Iterator[tuple[str, Path_, str]]:
    """The texts of a sector list (``groups.<id>.name``, ``sectors.<id>.name``) or a role list (``roles.<n>``)."""
    for part in ("groups", "sectors"):
        for i, item in enumerate(data.get(part) or []):
            if isinstance(item, dict) and isinstance(item.get("id"), str) and isinstance(item.get("name"), str):
                yield f"{part}.{item['id']}.name", (part, i, "name"), item["name"]
    for i, role in enumerate(data.get("roles") or []):
        if isinstance(role, str):
            yield f"roles.{i}", ("roles", i), role


def translate_bank(data: dict[str, Any], language: str, texts: dict[str, Any] | None) -> Translated:
    """``data`` (a bank's raw YAML data) with every text that has a current translation into ``language``
    replaced; the rest stays in bokmål and is named in ``missing`` or ``outdated``. ``texts`` is the
    translation file's ``texts`` mapping (None when there is no file)."""
    translated = translate_data(data, language, texts, _walk(data, "", ()))
    if translated.data is not data:
        translated.data["language"] = language
    return translated


def translate_data(data: dict[str, Any], language: str, texts: dict[str, Any] | None,
                   places: Iterable[tuple[str, Path_, str]]) -> Translated:
    """``data`` with the texts at ``places`` translated where ``texts`` has a current translation (see
    ``translate_bank``; ``list_places`` gives a sector or role list's places)."""
    import copy

    if language == SOURCE:
        return Translated(data, SOURCE)
    out = copy.deepcopy(data)
    result = Translated(out, language)
    texts = texts or {}
    for key, where, source in places:
        entry = texts.get(key)
        if not isinstance(entry, dict):
            result.missing.append(key)
            continue
        text = entry.get(language)
        if not isinstance(text, str) or not text.strip():
            result.missing.append(key)
            continue
        if entry.get(SOURCE) != source:
            result.outdated.append(key)
            continue
        node: Any = out
        for step in where[:-1]:
            node = node[step]
        node[where[-1]] = text
        result.n_translated += 1
    return result
