"""The message catalogs: extract the bokmål texts, update the nynorsk and English catalogs, compile, check.

    python tools/catalogs.py extract   # locale/samordna.pot from cli/samordna and templates/
    python tools/catalogs.py update    # merge the .pot into locale/{nn,en}/LC_MESSAGES/samordna.po
    python tools/catalogs.py compile   # .po -> .mo (the build does this too: hatch_build.py)
    python tools/catalogs.py check     # exit 1 on a missing or broken translation, or a stale .pot
    python tools/catalogs.py todo FILE...    # the texts of some files as JSON, for a translator to fill in
    python tools/catalogs.py merge JSON...   # put filled-in JSON lists into the .po files

Babel does the work (extraction from Python and Jinja2, reading and writing .po, compiling .mo).
The .pot and .po are written without line numbers and without dates, so a change that moves code
does not rewrite the catalogs, and the same source gives the same bytes.
tests/test_catalogs.py runs ``check``'s parts.
"""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "locale"
POT = LOCALE / "samordna.pot"
TRANSLATED = ("nn", "en")
DOMAIN = "samordna"
FIXED_DATE = datetime(2026, 1, 1, tzinfo=timezone.utc)  # no date churn in the catalogs

KEYWORDS = {
    **DEFAULT_KEYWORDS,
    "_": None,
    "N_": None,
    "n_": (1, 2),
    "p_": ((1, "c"), 2),
}
JINJA_OPTIONS = {
    "extensions": "jinja2.ext.i18n",
    "trimmed": "true",
    "trim_blocks": "true",
    "lstrip_blocks": "true",
    "newstyle_gettext": "true",
}
SOURCES = [
    (ROOT / "cli" / "samordna", [("**.py", "python")], {}),
    (ROOT / "templates", [("**.html", "jinja2.ext:babel_extract")], {"**.html": JINJA_OPTIONS}),
]

PLACEHOLDER = re.compile(r"\{[A-Za-z_0-9]*(?:![rsa])?(?::[^{}]*)?\}|%\([A-Za-z_0-9]+\)[sdfr]|%[sd]")
MARKUP = re.compile(r"</?[a-z][a-z0-9]*\b|\[/?(?:bold|dim|italic|red|green|yellow|blue|link)[^\]]*\]")


def po_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / f"{DOMAIN}.mo"


def _new_catalog(locale: str | None) -> Catalog:
    return Catalog(locale=locale, domain=DOMAIN, project="samordna", version="",
                   copyright_holder="samordna-bidragsytere", msgid_bugs_address="",
                   creation_date=FIXED_DATE, revision_date=FIXED_DATE, fuzzy=False,
                   language_team="", last_translator="")


def extract() -> Catalog:
    """Every marked text in the code and templates, as a template catalog (file names, no line numbers)."""
    catalog = _new_catalog(None)
    for folder, method_map, options_map in SOURCES:
        for filename, _lineno, message, comments, context in extract_from_dir(
                str(folder), method_map, options_map, keywords=KEYWORDS, comment_tags=("Translators:",),
                strip_comment_tags=True):
            rel = (folder.relative_to(ROOT) / filename).as_posix()
            msgid = message if isinstance(message, str) else tuple(message)
            catalog.add(msgid, None, [(rel, None)], auto_comments=comments, context=context)
    return catalog


def _write(catalog: Catalog, path: Path) -> bytes:
    buf = io.BytesIO()
    write_po(buf, catalog, width=100, include_lineno=False, sort_by_file=False, omit_header=False)
    data = buf.getvalue()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return data


def pot_bytes() -> bytes:
    buf = io.BytesIO()
    write_po(buf, extract(), width=100, include_lineno=False, sort_by_file=False, omit_header=False)
    return buf.getvalue()


def read(path: Path, locale: str | None = None) -> Catalog:
    with open(path, "rb") as f:
        return read_po(f, locale=locale, domain=DOMAIN)


def update() -> None:
    template = extract()
    _write(template, POT)
    for lang in TRANSLATED:
        path = po_path(lang)
        catalog = read(path, lang) if path.exists() else _new_catalog(lang)
        catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
        catalog.revision_date = FIXED_DATE
        _write(catalog, path)


def compile_all(root: Path = ROOT) -> list[Path]:
    """Write each language's .mo beside its .po (fuzzy and empty entries left out); return the .mo paths."""
    written = []
    for po in sorted((root / "locale").glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        with open(po, "rb") as f:
            catalog = read_po(f, domain=DOMAIN)
        mo = po.with_suffix(".mo")
        buf = io.BytesIO()
        write_mo(buf, catalog, use_fuzzy=False)
        mo.write_bytes(buf.getvalue())
        written.append(mo)
    return written


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def markup(text: str) -> list[str]:
    return sorted(MARKUP.findall(text))


def _forms(message: Message) -> Iterator[tuple[str, str]]:
    """(source, translation) pairs of a message; a plural's every form against the source's plural."""
    if isinstance(message.id, (list, tuple)):
        strings = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
        for i, s in enumerate(strings):
            yield (message.id[0] if i == 0 else message.id[1]), s or ""
    else:
        yield message.id, message.string or ""


def problems(lang: str, template: Catalog | None = None) -> list[str]:
    """Every gap in one language's catalog: missing, fuzzy, placeholders or markup not kept."""
    template = template or read(POT)
    path = po_path(lang)
    if not path.exists():
        return [f"{path.relative_to(ROOT)}: finnes ikke"]
    catalog = read(path, lang)
    out = []
    for tm in template:
        if not tm.id:
            continue
        m = catalog.get(tm.id, context=tm.context)
        where = f"{path.relative_to(ROOT)}: msgid {tm.id if isinstance(tm.id, str) else tm.id[0]!r}"
        if m is None or not all(s for _src, s in _forms(m)):
            out.append(f"{where}: mangler oversettelse")
            continue
        if m.fuzzy:
            out.append(f"{where}: er merket fuzzy")
            continue
        for src, s in _forms(m):
            if placeholders(src) != placeholders(s):
                out.append(f"{where}: plassholderne {placeholders(src)} er ikke de samme i {s!r}")
            if markup(src) != markup(s):
                out.append(f"{where}: markeringen {markup(src)} er ikke den samme i {s!r}")
    return out


def check() -> list[str]:
    out = []
    if not POT.exists() or POT.read_bytes() != pot_bytes():
        out.append("locale/samordna.pot er utdatert: kjør python tools/catalogs.py update")
    template = read(POT) if POT.exists() else extract()
    for lang in TRANSLATED:
        out.extend(problems(lang, template))
    return out


def todo(files: list[str], known: Catalog | None = None) -> list[dict[str, object]]:
    """The marked texts of some files (paths from the repository root), with the translations the
    catalogs already have, as a list a translator fills in (``merge`` reads it back)."""
    wanted = {Path(f).resolve().relative_to(ROOT).as_posix() for f in files}
    catalogs = {lang: read(po_path(lang), lang) for lang in TRANSLATED if po_path(lang).exists()}
    out: list[dict[str, object]] = []
    for m in extract():
        if not m.id or not any(loc in wanted for loc, _n in m.locations):
            continue
        plural = isinstance(m.id, (list, tuple))
        entry: dict[str, object] = {"id": m.id[0] if plural else m.id}
        if plural:
            entry["plural"] = m.id[1]
        if m.context:
            entry["context"] = m.context
        for lang, cat in catalogs.items():
            have = cat.get(m.id, context=m.context)
            value = have.string if have is not None and not have.fuzzy else None
            entry[lang] = (list(value) if isinstance(value, (list, tuple)) else value) or ([] if plural else "")
        out.append(entry)
    return out


def merge(paths: list[str]) -> int:
    """Put the translations of filled-in ``todo`` lists into the .po files (a filled value replaces the old)."""
    import json

    update()
    catalogs = {lang: read(po_path(lang), lang) for lang in TRANSLATED}
    n = 0
    for p in paths:
        for entry in json.loads(Path(p).read_text(encoding="utf-8")):
            key = (entry["id"], entry["plural"]) if entry.get("plural") else entry["id"]
            for lang, cat in catalogs.items():
                value = entry.get(lang)
                m = cat.get(key, context=entry.get("context"))
                if not value or m is None:
                    continue
                m.string = tuple(value) if isinstance(value, list) else value
                m.flags.discard("fuzzy")
                n += 1
    for lang, cat in catalogs.items():
        _write(cat, po_path(lang))
    return n


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "check"
    if command == "todo":
        import json

        print(json.dumps(todo(argv[1:]), ensure_ascii=False, indent=1))
        return 0
    if command == "merge":
        print(f"{merge(argv[1:])} oversettelser satt inn")
        return 0
    if command == "extract":
        _write(extract(), POT)
    elif command == "update":
        update()
    elif command == "compile":
        for mo in compile_all():
            print(mo.relative_to(ROOT))
    elif command == "check":
        found = check()
        for line in found:
            print(line)
        print(f"{len(found)} problem(s)")
        return 1 if found else 0
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
