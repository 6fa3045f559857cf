"""The message catalogs: complete, consistent with the code, compiled into the wheel, and in the language
they claim to be (tools/catalogs.py does the work; these tests run its checks)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from i18n_words import telltales

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import catalogs  # noqa: E402

PLACEHOLDERS = re.compile(r"\{[A-Za-z_0-9]*\}|%\([A-Za-z_0-9]+\)s")


def test_the_template_is_up_to_date_with_the_code() -> None:
    assert catalogs.POT.read_bytes() == catalogs.pot_bytes(), "kjør: python tools/catalogs.py update"


@pytest.mark.parametrize("lang", catalogs.TRANSLATED)
def test_every_text_is_translated_with_its_placeholders_and_markup(lang: str) -> None:
    found = catalogs.problems(lang)
    assert not found, "\n".join(found[:40]) + f"\n… {len(found)} i alt"


@pytest.mark.parametrize("lang", catalogs.TRANSLATED)
def test_translations_are_in_their_own_language(lang: str) -> None:
    catalog = catalogs.read(catalogs.po_path(lang), lang)
    bad = []
    for m in catalog:
        if not m.id or not m.string:
            continue
        strings = m.string if isinstance(m.string, (list, tuple)) else [m.string]
        for s in strings:
            text = PLACEHOLDERS.sub(" ", s)
            if words := telltales(text, lang):
                bad.append(f"{words}: {s!r}")
    assert not bad, "\n".join(bad[:40]) + f"\n… {len(bad)} i alt"


def test_the_source_texts_are_bokmal() -> None:
    bad = []
    for m in catalogs.read(catalogs.POT):
        if not m.id:
            continue
        for s in (m.id if isinstance(m.id, (list, tuple)) else [m.id]):
            if words := telltales(PLACEHOLDERS.sub(" ", s), "nb"):
                bad.append(f"{words}: {s!r}")
    assert not bad, "\n".join(bad[:40])


def test_the_placeholder_check_catches_a_lost_placeholder(tmp_path: Path) -> None:
    # The check itself: a translation that drops {file} or a tag is reported.
    assert catalogs.placeholders("Fant ikke {file}.") != catalogs.placeholders("Fann ikkje fila.")
    assert catalogs.markup("[bold]Nei[/bold]") != catalogs.markup("Nei")


def test_compiled_catalogs_translate_and_count() -> None:
    from samordna import i18n

    with i18n.use_language("nn"):
        assert i18n._("Valg") == "Val"
        assert i18n.n_("{n} deltaker", "{n} deltakere", 1).format(n=1) == "1 deltakar"
        assert i18n.n_("{n} deltaker", "{n} deltakere", 2).format(n=2) == "2 deltakarar"
    with i18n.use_language("en"):
        assert i18n._("Valg") == "Options"
        assert i18n.n_("{n} deltaker", "{n} deltakere", 0).format(n=0) == "0 participants"
    assert i18n._("Valg") == "Valg"


def test_help_in_each_language_without_babel_on_the_way() -> None:
    """``samordna --help`` in nynorsk and English: typer's chrome and the texts; Babel is not imported
    (a compiled catalog is read by the standard library)."""
    code = ("import sys; from samordna.cli.main import main; rc = main(['--help']); "
            "print('BABEL' if any(m.startswith('babel') for m in sys.modules) else 'NOBABEL')")
    catalogs.compile_all()
    for lang, words in {"nn": ["Kommandoar", "Val", "Bruk:"], "en": ["Commands", "Options", "Usage:"]}.items():
        env = {"SAMORDNA_LANG": lang, "NO_COLOR": "1", "COLUMNS": "100", "PATH": "/usr/bin:/bin"}
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT, check=True)
        for w in words:
            assert w in out.stdout, (lang, w, out.stdout[:600])
        assert "NOBABEL" in out.stdout
        assert not telltales(out.stdout, lang), out.stdout


def test_every_norwegian_term_kept_in_english_is_listed_for_the_lang_attribute() -> None:
    """An English text that glosses a Norwegian term or title in brackets or quotes: the term is in
    assessments/norske-termer.yaml, so English pages can mark it ``lang="nb"``."""
    import yaml

    listed = set(yaml.safe_load((ROOT / "assessments" / "norske-termer.yaml").read_text(encoding="utf-8"))["terms"])
    texts = []
    for name in ("samordna-0-24", "sektorer", "roller"):
        doc = yaml.safe_load((ROOT / "assessments" / f"{name}.en.yaml").read_text(encoding="utf-8"))
        texts += [v["en"] for v in doc["texts"].values() if v.get("en")]
    for m in catalogs.read(catalogs.po_path("en"), "en"):
        if m.string:
            texts += list(m.string) if isinstance(m.string, (list, tuple)) else [m.string]
    missing = set()
    for t in texts:
        for found in re.finditer(r"\(([^()]{3,})\)|“([^”]{3,})”|«([^»]{3,})»", t):
            seg = next(g for g in found.groups() if g).lstrip("… ")
            if (telltales(seg, "en") or re.search(r"[æøåÆØÅ]", seg)) and seg not in listed \
                    and not any(seg.startswith(term) for term in listed):
                missing.add(seg)
    assert not missing, sorted(missing)


def test_templates_have_no_words_outside_the_catalog() -> None:
    """Every word a template shows is in a ``{% trans %}`` block or a ``_()`` call: what is left after taking away
    those, Jinja's own tags, markup, CSS, comments and command lines (``<code>``) has no words."""
    left = {}
    for path in sorted((ROOT / "templates").glob("*.html")):
        text = path.read_text(encoding="utf-8")
        for pattern in (r"\{%-?\s*trans\b.*?\{%-?\s*endtrans\s*-?%\}", r"\{%-?\s*macro onepage_css.*?endmacro\s*-?%\}",
                        r"\{#.*?#\}", r"\{%.*?%\}", r"\{\{.*?\}\}", r"<style.*?</style>", r"<script.*?</script>",
                        r"<!--.*?-->", r"<code>.*?</code>", r"<[^>]+>"):
            text = re.sub(pattern, " ", text, flags=re.S)
        if words := re.findall(r"[A-Za-zÆØÅæøå]{2,}", text):
            left[path.name] = words[:20]
    assert not left, left


def test_an_unknown_samordna_lang_is_said_and_bokmal_used() -> None:
    from conftest import run_cli

    res = run_cli(["--version"], env={"SAMORDNA_LANG": "de"})
    assert res.exit_code == 0
    assert "SAMORDNA_LANG=de er ikke et språk samordna har" in res.stderr
    nn = run_cli(["--version"], env={"SAMORDNA_LANG": "nn"})
    assert "SAMORDNA_LANG" not in nn.stderr
