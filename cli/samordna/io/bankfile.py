"""Read a question bank from its YAML file (the model and its checks are ``core.bank``)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

from samordna.core.bank import Bank, bank_from_doc, check_migration_against
from samordna.core.bank_i18n import SOURCE, Translated, translate_bank
from samordna.core.errors import SamordnaError
from samordna.i18n import N_, _
from samordna.io.resources import data_path
from samordna.io.yamlio import YamlDoc, load_yaml, parse_yaml, read_limited

_CACHE: dict[tuple[str, str], Bank] = {}
_TRANSLATED: dict[tuple[str, str, str], tuple[Bank, list[str]]] = {}  # -> (bank, its texts shown in bokmål)


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
            candidates.setdefault(mig.from_version, []).append(
                (load_bank(archived), _("arkivet ({file})").format(file=archived.name)))
    lines: list[str] = []
    no_map: set[str] = set()  # the versions already named as having no map
    for old, where in older:
        if old.id != bank.id or old.version == bank.version:
            continue
        if bank.migration_from(old.version) is not None:
            candidates.setdefault(old.version, []).append((old, where))
        elif old.version not in no_map:
            no_map.add(old.version)
            lines.append(_("Merk: {bank_id} {version} har ikke noe kart fra {old_version} ({where}); "
                           "rundene kan ikke sammenlignes.").format(bank_id=bank.id, version=bank.version,
                                                                    old_version=old.version, where=where))
    problems: list[str] = []
    doc = load_yaml(path) if candidates else None
    for mig in bank.migrations:
        found = candidates.get(mig.from_version, [])
        if not found:
            lines.append(_("Merk: fant ikke {bank_id} {version}; kartet fra {version} er bare sjekket mot banken "
                           "selv.").format(bank_id=bank.id, version=mig.from_version))
            continue
        seen: set[tuple[str, ...]] = set()
        for old, _where in found:
            key = tuple(ind.id for ind in old.indicators)
            if key in seen:
                continue  # the same indicators as one already checked
            seen.add(key)
            assert doc is not None
            problems += [p for p in check_migration_against(bank, old, doc) if p not in problems]
        lines.append(_("Kartet fra {old_version} til {version} er sjekket mot {where}.").format(
            old_version=mig.from_version, version=bank.version, where=", ".join(w for _b, w in found)))
    if problems:
        raise SamordnaError(_("Migreringskartet i {path} har feil:").format(path=path), path=path, problems=problems)
    return lines


# --- the bank in nynorsk and English (``core.bank_i18n``) ---------------------------------------------

LANGUAGE_NAMES = {"nb": N_("bokmål"), "nn": N_("nynorsk"), "en": N_("engelsk")}  # shown with _(…)


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
        raise SamordnaError(_("{path}: er ikke en oversettelse av en spørsmålsbank (mangler «texts»).").format(path=path),
                            path=path)
    return doc


def load_bank_in(path: Path, language: str) -> tuple[Bank, Translated]:
    """The bank in ``path`` with its texts in ``language`` where the translation beside it has them, and which
    texts are shown in bokmål instead (missing or made from another bokmål text)."""
    if language not in LANGUAGE_NAMES:
        raise SamordnaError(_("Ukjent språk «{language}»: bruk nb, nn eller en.").format(language=language))
    path = Path(path)
    doc = load_yaml(path)
    translation = load_translation(path, language) if language != SOURCE else None
    return _translated(doc, translation, language, translation_path(path, language))


def _translated(doc: YamlDoc, translation: YamlDoc | None, language: str, where: Path) -> tuple[Bank, Translated]:
    """The bank in ``doc`` with the texts of ``translation`` (a translation file's document, or None), and which
    texts stay in bokmål. A translated text that breaks a rule of the bank is refused naming ``where``."""
    data = doc.data if isinstance(doc.data, dict) else {}
    texts = translation.data.get("texts") if translation is not None and isinstance(translation.data, dict) else None
    translated = translate_bank(data, language, texts if isinstance(texts, dict) else None)
    if translated.data is data:
        return bank_from_doc(doc), translated
    try:
        return bank_from_doc(YamlDoc(path=doc.path, data=translated.data, text=doc.text)), translated
    except SamordnaError as exc:  # a translated text breaks a rule of the bank (a short name too long …)
        raise SamordnaError(_("Oversettelsen {path} gir feil i banken (stedene er i banken; nøkkelen i "
                              "oversettelsen er id og felt, for eksempel LED-01.short):").format(path=where), path=where,
                            problems=exc.problems or [exc.message]) from None


def shipped_translation(bank: Bank, language: str) -> YamlDoc | None:
    """The translation shipped with samordna for this bank's id and version into ``language``, if there is one
    (``assessments/<id>.<language>.yaml`` whose header names the same bank and version), read once."""
    path = data_path("assessments") / f"{bank.id}.{language}.yaml"
    if not path.is_file():
        return None
    doc = load_yaml(path)
    header = doc.data.get("translation") if isinstance(doc.data, dict) else None
    if isinstance(header, dict) and header.get("bank") == bank.id and str(header.get("version")) == bank.version:
        return doc
    return None


def shipped_in_language(bank: Bank, language: str) -> Bank:
    """``bank`` (one samordna ships, now or archived) in ``language``: the county view's pages for a municipality
    whose language form differs from the adviser's. A bank samordna does not ship stays as it is."""
    current = data_path("assessments") / f"{bank.id}.yaml"
    for path in (current, archived_bank_path(bank.id, bank.version)):
        if path is not None and path.is_file():
            shipped = load_bank(path)
            if (shipped.id, shipped.version) == (bank.id, bank.version):
                return bank_in_language(shipped, path, language)
    return bank


def bank_in_language(bank: Bank, path: Path, language: str) -> Bank:
    """The bank in ``path`` (``bank``, read in bokmål) with its texts in ``language``: from a translation beside the
    file (``bank.nn.yaml`` in a round folder), else the one samordna ships for the same bank and version. A text
    without a translation stays in bokmål and is noted as such (an HTML page marks it ``lang="nb"``); a bank with
    no translation at all (an older version) is bokmål throughout. Made once per file content and language."""
    from samordna.i18n import mark_text_language

    if language == SOURCE:
        return bank
    path = Path(path)
    raw = read_limited(path)
    key = (hashlib.sha1(raw).hexdigest(), language, str(path.name))
    if key in _TRANSLATED:
        result, in_bokmal = _TRANSLATED[key]
        for text in in_bokmal:  # noted again (a test, or a long process, may have forgotten them)
            mark_text_language(text, SOURCE)
        return result
    beside = translation_path(path, language)
    translation = load_yaml(beside) if beside.is_file() else shipped_translation(bank, language)
    doc = load_yaml(path)
    translated_bank, translated = _translated(doc, translation, language,
                                              translation.path if translation is not None else beside)
    result = bank if translated.data is doc.data else translated_bank
    in_bokmal = _fallback_texts(doc.data if isinstance(doc.data, dict) else {}, translated)
    original = {src.id: src for src in bank.sources}
    for src in result.sources:  # a title or citation kept as published (no official translation): bokmål
        before = original.get(src.id)
        if before is not None:
            in_bokmal += [t for t, was in ((src.title, before.title), (src.citation, before.citation)) if t and t == was]
    for text in in_bokmal:
        mark_text_language(text, SOURCE)
    _TRANSLATED[key] = (result, in_bokmal)
    return result


def _fallback_texts(data: dict, translated: Translated) -> list[str]:
    """The bokmål texts shown for want of a translation."""
    from samordna.core.bank_i18n import text_places

    if not translated.fallbacks:
        return []
    places = text_places(data)
    out = []
    for key in translated.fallbacks:
        node: object = data
        for step in places.get(key, ()):
            node = node[step] if isinstance(node, (dict, list)) else None  # type: ignore[index]
        if isinstance(node, str):
            out.append(node)
    return out
