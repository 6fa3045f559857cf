"""The question bank in nynorsk and English (issue 15, first part): translations as data beside the bank.

The shipped translations are complete and current (every text of the bank, made from the bank's bokmål text as
it is now), keep every placeholder the verdict sentences fill in, and make a bank that passes every rule of the
bank (a short name at most 60 characters, …). A changed bokmål text makes its translation unused (shown in
bokmål and named by ``validate --lang``), and a missing one falls back to bokmål, never to nothing.
"""

from __future__ import annotations

import re
import shutil

import pytest
import yaml

from conftest import ROOT, run_cli
from samordna.core.bank_i18n import text_places, translate_bank
from samordna.io.bankfile import load_bank_in, translation_path

BANK = ROOT / "assessments" / "samordna-0-24.yaml"


def _texts(language: str) -> dict:
    return yaml.safe_load(translation_path(BANK, language).read_text(encoding="utf-8"))["texts"]


@pytest.mark.parametrize("language", ["nn", "en"])
def test_the_shipped_translations_are_complete_and_current(language):
    bank, translated = load_bank_in(BANK, language)
    assert translated.fallbacks == [], translated.fallbacks[:10]
    assert translated.n_translated == len(text_places(yaml.safe_load(BANK.read_text(encoding="utf-8"))))
    assert bank.language == language
    assert set(_texts(language)) == set(text_places(yaml.safe_load(BANK.read_text(encoding="utf-8"))))


@pytest.mark.parametrize("language", ["nn", "en"])
def test_every_placeholder_and_id_is_kept(language):
    for key, entry in _texts(language).items():
        source, text = entry["nb"], entry[language]
        assert sorted(re.findall(r"\{[a-z_]+\}", source)) == sorted(re.findall(r"\{[a-z_]+\}", text)), key
        for ident in re.findall(r"\b[A-Z]{2,4}-\d{2}\b", source):
            assert ident in text, (key, ident)


def test_the_three_banks_have_the_same_structure_and_numbers():
    nb, _ = load_bank_in(BANK, "nb")
    for language in ("nn", "en"):
        other, _ = load_bank_in(BANK, language)
        assert [i.id for i in other.indicators] == [i.id for i in nb.indicators]
        assert [(i.weight, i.target, i.references, i.statutory) for i in other.indicators] == \
               [(i.weight, i.target, i.references, i.statutory) for i in nb.indicators]
        assert other.verdict_rules.model_dump(exclude={"texts"}) == nb.verdict_rules.model_dump(exclude={"texts"})
        assert [i.statement for i in other.indicators] != [i.statement for i in nb.indicators]


_TELLTALE = {"nn": re.compile(r"\b(ikke|hvordan|hvilke|ansatte|virksomhet)\b"),
             "en": re.compile(r"\b(ikke|og|som|kommunen|tjenestene)\b")}


@pytest.mark.parametrize("language", ["nn", "en"])
def test_the_translations_hold_no_telltale_bokmal_words(language):
    """A few words that belong to bokmål only; Norwegian names kept on purpose sit in parentheses or quotes."""
    found = []
    for key, entry in _texts(language).items():
        if language == "en" and key.endswith(".citation"):
            continue  # legal citations stay Norwegian in English (an English page marks them lang="nb")
        text = re.sub(r"\([^)]*\)|«[^»]*»|“[^”]*”|\"[^\"]*\"", "", entry[language])  # glosses and quoted titles
        if _TELLTALE[language].search(text):
            found.append((key, text[:80]))
    assert len(found) <= 5, found  # a handful of names of documents written in bokmål


def test_a_changed_bokmal_text_is_not_translated_until_updated(tmp_path):
    data = yaml.safe_load(BANK.read_text(encoding="utf-8"))
    texts = _texts("nn")
    data["domains"][0]["indicators"][0]["statement"] = "Ny tekst på bokmål."
    translated = translate_bank(data, "nn", texts)
    assert translated.outdated == ["LED-01.statement"] and translated.missing == []
    assert translated.data["domains"][0]["indicators"][0]["statement"] == "Ny tekst på bokmål."  # bokmål shown
    assert translated.data["domains"][0]["indicators"][0]["short"] == texts["LED-01.short"]["nn"]
    del texts["LED-01.short"]
    again = translate_bank(yaml.safe_load(BANK.read_text(encoding="utf-8")), "nn", texts)
    assert again.missing == ["LED-01.short"]
    assert again.data["domains"][0]["indicators"][0]["short"] == data["domains"][0]["indicators"][0]["short"]
    assert translate_bank(data, "nb", texts).data is data  # bokmål: the bank itself


def test_validate_lang_names_every_gap_with_line_and_key(tmp_path):
    shutil.copy(BANK, tmp_path / "bank.yaml")
    texts_doc = yaml.safe_load(translation_path(BANK, "nn").read_text(encoding="utf-8"))
    del texts_doc["texts"]["LED-01.short"]
    texts_doc["texts"]["LED-01.statement"]["nb"] = "En eldre tekst."
    (tmp_path / "bank.nn.yaml").write_text(yaml.safe_dump(texts_doc, allow_unicode=True), encoding="utf-8")
    result = run_cli(["validate", tmp_path / "bank.yaml", "--lang", "nn"])
    assert result.exit_code == 0, result.output
    # --lang nn: the translation checked is the nynorsk one, and validate speaks nynorsk too
    assert re.search(r"2 tekstar av 859 blir viste? på bokmål i nynorsk", result.output), result.output
    assert re.search(r"bank\.yaml, linje \d+ \(domains\[0\]\.indicators\[0\]\.short\): manglar omsetjing "
                     r"\(LED-01\.short\)", result.output)
    assert "er endra på bokmål etter at teksten vart omsett (LED-01.statement)" in result.output
    whole = run_cli(["validate", translation_path(BANK, "en")])
    assert whole.exit_code == 0 and "komplett: 859 av 859 tekster" in whole.output


def test_a_translation_that_breaks_a_rule_of_the_bank_is_refused_with_the_file(tmp_path):
    shutil.copy(BANK, tmp_path / "bank.yaml")
    texts_doc = yaml.safe_load(translation_path(BANK, "en").read_text(encoding="utf-8"))
    texts_doc["texts"]["LED-01.short"]["en"] = "x" * 61
    (tmp_path / "bank.en.yaml").write_text(yaml.safe_dump(texts_doc, allow_unicode=True), encoding="utf-8")
    result = run_cli(["validate", tmp_path / "bank.yaml", "--lang", "en"])
    assert result.exit_code == 2
    assert "bank.en.yaml" in result.output and "short" in result.output


@pytest.mark.parametrize("language", ["nn", "en"])
def test_the_sector_and_role_lists_are_translated_completely(language, tmp_path):
    from samordna.io.workspace import load_roles, load_sectors

    sectors, nb_sectors = load_sectors(language=language), load_sectors()
    assert [s.id for s in sectors.sectors] == [s.id for s in nb_sectors.sectors]  # ids never change
    assert [s.group for s in sectors.sectors] == [s.group for s in nb_sectors.sectors]
    assert sum(a.name != b.name for a, b in zip(sectors.sectors, nb_sectors.sectors, strict=True)) >= 10
    roles, nb_roles = load_roles(language=language), load_roles()
    assert len(roles) == len(nb_roles) and roles != nb_roles and all(len(r) <= 40 for r in roles)
    for name in ("sektorer", "roller"):
        result = run_cli(["validate", ROOT / "assessments" / f"{name}.yaml", "--lang", language])
        assert result.exit_code == 0 and ("er komplett" if language == "nn" else "is complete") in result.output, \
            result.output
    own = tmp_path / "sektorer.yaml"  # a municipality's own list, without a translation: bokmål, no error
    shutil.copy(ROOT / "assessments" / "sektorer.yaml", own)
    assert load_sectors(own, language=language) == nb_sectors
    gaps = run_cli(["validate", own, "--lang", language])
    assert gaps.exit_code == 0 and ("26 namn av 26 blir viste på bokmål" if language == "nn"
                                    else "26 names of 26 are shown in bokmål") in gaps.output, gaps.output
