"""Read a question bank from its YAML file (the model and its checks are ``core.bank``)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from samordna.core.bank import Bank, bank_from_doc, check_migration_against
from samordna.core.bank_i18n import SOURCE, Translated, translate_bank
from samordna.core.errors import SamordnaError
from samordna.io.resources import data_path
from samordna.io.yamlio import YamlDoc, load_yaml, parse_yaml, read_limited

_CACHE: dict[tuple[str, str], Bank] = {}


def load_bank(path: Path) -> Bank:
    """Load and validate a bank. Identical files are parsed once per process (banks are immutable)."""
    path = Path(path)
    raw = read_limited(path)  # a regular file of sensible size, or a Norwegian message (never blocks on a FIFO)
    key = (path.name, hashlib.sha1(raw).hexdigest())
    if key not in _CACHE:
        _CACHE[key] = bank_from_doc(load_yaml(path))
    return _CACHE[key]


def parse_bank(text: str, path: Path) -> Bank:
    return bank_from_doc(parse_yaml(text, path))


# --- earlier versions and migration maps -------------------------------------------

ARCHIVE_DIR = "arkiv"  # assessments/arkiv/<id>-<version>.yaml: earlier versions of the shipped banks


def archived_bank_path(bank_id: str, version: str) -> Path | None:
    """The archived earlier version ``bank_id`` ``version`` shipped with samordna, if there is one."""
    path = data_path("assessments") / ARCHIVE_DIR / f"{bank_id}-{version}.yaml"
    return path if path.is_file() else None


def check_migrations(path: Path, older: Iterable[tuple[Bank, str]] = ()) -> list[str]:
    """Check the migration maps of the bank in ``path`` against the earlier versions that can be found.

    For each ``migrations[].from`` version the archived bank (``assessments/arkiv``) and the banks in
    ``older`` (bank, where it is: «runde 2025») with the same id and version are used. Problems are a
    SamordnaError naming the bank file, line and key; the return value is what to tell the user (what was
    checked against what, and maps that could not be checked)."""
    path = Path(path)
    bank = load_bank(path)
    candidates: dict[str, list[tuple[Bank, str]]] = {}
    for mig in bank.migrations:
        archived = archived_bank_path(bank.id, mig.from_version)
        if archived is not None and archived.resolve() != path.resolve():
            candidates.setdefault(mig.from_version, []).append((load_bank(archived), f"arkivet ({archived.name})"))
    lines: list[str] = []
    for old, where in older:
        if old.id != bank.id or old.version == bank.version:
            continue
        if bank.migration_from(old.version) is not None:
            candidates.setdefault(old.version, []).append((old, where))
        elif not any(f"fra {old.version} " in line for line in lines):
            lines.append(f"Merk: {bank.id} {bank.version} har ikke noe kart fra {old.version} ({where}); "
                         "rundene kan ikke sammenlignes.")
    problems: list[str] = []
    doc = load_yaml(path) if candidates else None
    for mig in bank.migrations:
        found = candidates.get(mig.from_version, [])
        if not found:
            lines.append(f"Merk: fant ikke {bank.id} {mig.from_version}; kartet fra {mig.from_version} er bare "
                         "sjekket mot banken selv.")
            continue
        seen: set[tuple[str, ...]] = set()
        for old, _where in found:
            key = tuple(ind.id for ind in old.indicators)
            if key in seen:
                continue  # the same indicators as one already checked
            seen.add(key)
            assert doc is not None
            problems += [p for p in check_migration_against(bank, old, doc) if p not in problems]
        lines.append(f"Kartet fra {mig.from_version} til {bank.version} er sjekket mot {', '.join(w for _, w in found)}.")
    if problems:
        raise SamordnaError(f"Migreringskartet i {path} har feil:", path=path, problems=problems)
    return lines


# --- the bank in nynorsk and English (``core.bank_i18n``) ---------------------------------------------

LANGUAGE_NAMES = {"nb": "bokmål", "nn": "nynorsk", "en": "engelsk"}


def translation_path(bank_path: Path, language: str) -> Path:
    """Where the translation of the bank in ``bank_path`` into ``language`` is kept (beside it)."""
    return Path(bank_path).with_name(f"{Path(bank_path).stem}.{language}.yaml")


def load_translation(bank_path: Path, language: str) -> YamlDoc | None:
    """The translation file of ``bank_path`` into ``language``, or None when there is none."""
    path = translation_path(bank_path, language)
    if not path.is_file():
        return None
    doc = load_yaml(path)
    data = doc.data
    if not (isinstance(data, dict) and isinstance(data.get("texts"), dict)):
        raise SamordnaError(f"{path}: er ikke en oversettelse av en spørsmålsbank (mangler «texts»).", path=path)
    return doc


def load_bank_in(path: Path, language: str) -> tuple[Bank, Translated]:
    """The bank in ``path`` with its texts in ``language`` where the translation beside it has them, and which
    texts are shown in bokmål instead (missing or made from another bokmål text)."""
    if language not in LANGUAGE_NAMES:
        raise SamordnaError(f"Ukjent språk «{language}»: bruk nb, nn eller en.")
    path = Path(path)
    doc = load_yaml(path)
    translation = load_translation(path, language) if language != SOURCE else None
    texts = translation.data["texts"] if translation is not None else None
    data = doc.data if isinstance(doc.data, dict) else {}
    translated = translate_bank(data, language, texts)
    if translated.data is data:
        return bank_from_doc(doc), translated
    try:
        return bank_from_doc(YamlDoc(path=path, data=translated.data, text=doc.text)), translated
    except SamordnaError as exc:  # a translated text breaks a rule of the bank (a short name too long …)
        where = translation_path(path, language)
        raise SamordnaError(f"Oversettelsen {where} gir feil i banken (stedene er i banken; nøkkelen i "
                            f"oversettelsen er id og felt, for eksempel LED-01.short):", path=where,
                            problems=exc.problems or [exc.message]) from None
