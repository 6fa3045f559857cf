"""The companion bank (the mirror, ``assessments/speilet-0-24.yaml``) and its nynorsk and English translations:
they load, every statement belongs to an area of the main bank and mirrors statements that are in that area,
every area has at least two statements, the sources exist, and every text passes the plain-language check
(at most 15 words, none of the professional words below, nobody asked about their own case).
``samordna validate`` checks a companion bank the same way."""

from __future__ import annotations

import dataclasses
import re
import shutil
from pathlib import Path

import pytest
import yaml

from conftest import run_cli
from samordna.core.errors import SamordnaError
from samordna.io.bankfile import load_bank
from samordna.io.mirrorfile import check_against_main, load_mirror_bank, mirror_bank_path, shipped_mirror_bank
from samordna.io.resources import data_path

MAX_WORDS = 15

# Words a 13-year-old should not meet in the mirror: matched as whole words or word starts, case-insensitive
# («rutine» also catches «rutinene»). Bokmål and nynorsk forms. Add to the list, never remove to let a text pass.
PROFESSIONAL_WORDS = [
    "samordning", "samordnet", "samordne", "samordna", "samhandling", "tverrfaglig", "tverrfagleg",
    "tverrsektoriell", "tverretatlig", "tverretatleg", "tjenesteyter", "tenesteytar", "instans", "koordinering",
    "koordinator", "koordinerende", "barnekoordinator", "brukermedvirkning", "brukarmedverknad", "medvirkning",
    "medverknad", "kartlegging", "tiltak", "hjelpetiltak", "ansvarsgruppe", "systemnivå", "helhetlig",
    "heilskapleg", "implementer", "prosedyre", "rutine", "taushetsplikt", "teieplikt", "opplysningsplikt",
    "kompetanse", "bekymringsmelding", "lavterskel", "lågterskel", "forebygg", "førebygg", "interkommunal",
    "individuell plan", "vedtak", "saksbehandl", "sakshandsam",
]
_PROFESSIONAL = re.compile(r"(?<!\w)(" + "|".join(re.escape(w) for w in PROFESSIONAL_WORDS) + r")", re.IGNORECASE)

# Nobody is asked about their own case: the statements speak of young people and families in general, never
# of «my child», «our family» or «me».
OWN_CASE_WORDS = ["jeg", "eg", "meg", "min", "mi", "mitt", "mine", "vår", "vårt", "våre"]
_OWN_CASE = re.compile(r"(?<!\w)(" + "|".join(OWN_CASE_WORDS) + r")(?!\w)", re.IGNORECASE)

LANGUAGES = ("nb", "nn", "en")
NORWEGIAN = ("nb", "nn")


def plain_language_problems(text: str, words: bool = True) -> list[str]:
    """What makes ``text`` too hard for a 13-year-old: too many words, professional words (``words``), or words
    that turn it into a question about one's own case. Empty when the text passes."""
    problems = []
    n = len(text.split())
    if n > MAX_WORDS:
        problems.append(f"{n} ord (høyst {MAX_WORDS})")
    if words:
        problems += [f"fagord «{m.group(0)}»" for m in _PROFESSIONAL.finditer(text)]
        problems += [f"egen sak: «{m.group(0)}»" for m in _OWN_CASE.finditer(text)]
    return problems


def main_domains() -> dict[str, list[str]]:
    bank = load_bank(data_path("assessments") / "samordna-0-24.yaml")
    return {d.id: [i.id for i in d.indicators] for d in bank.domains}


def texts(language: str) -> list[tuple[str, str]]:
    bank = shipped_mirror_bank(language)
    return [(f"{st.id}.{role}", text) for st in bank.statements for role, text in (("young", st.young),
                                                                                   ("parent", st.parent))]


# --- loading -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_bank_and_translations_load(language):
    bank = shipped_mirror_bank(language)
    assert bank.language == language
    assert bank.id == "speilet-0-24" and bank.mirrors == "samordna-0-24"
    assert bank.min_group >= 5
    assert len(bank.level_names) == 5 and bank.dont_know
    assert bank.intro["ungdom"] and bank.intro["foreldre"]
    assert 20 <= len(bank.statements) <= 27
    source = load_mirror_bank(mirror_bank_path("nb"))
    again = load_mirror_bank(mirror_bank_path(language), None if language == "nb" else source)
    assert [s.id for s in again.statements] == [s.id for s in bank.statements]


def test_ids_unique_and_named_after_their_area():
    bank = shipped_mirror_bank("nb")
    ids = [st.id for st in bank.statements]
    assert len(ids) == len(set(ids))
    for st in bank.statements:
        assert re.fullmatch(rf"SP-{st.area}-\d\d", st.id), st.id
        assert len(st.mirrors) == len(set(st.mirrors)), st.id


# --- links to the main bank ----------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_statement_links_to_an_area_and_its_statements(language):
    bank, domains = shipped_mirror_bank(language), main_domains()
    check_against_main(bank, mirror_bank_path(language), domains)  # raises on a bad link
    for st in bank.statements:
        assert st.area in domains, st.id
        assert st.mirrors and set(st.mirrors) <= set(domains[st.area]), st.id


def test_every_area_of_the_main_bank_has_at_least_two_statements():
    bank, domains = shipped_mirror_bank("nb"), main_domains()
    per_area = {area: [st.id for st in bank.statements if st.area == area] for area in domains}
    assert {area: ids for area, ids in per_area.items() if len(ids) < 2} == {}


def test_the_link_check_catches_a_wrong_area_and_a_wrong_indicator():
    bank, domains = shipped_mirror_bank("nb"), main_domains()
    first, second = bank.statements[0], bank.statements[1]
    other_area = next(a for a in domains if a != first.area)
    wrong_area = dataclasses.replace(first, area="XYZ")
    wrong_indicator = dataclasses.replace(second, mirrors=(domains[other_area][0],))
    broken = dataclasses.replace(bank, statements=(wrong_area, wrong_indicator, *bank.statements[2:]))
    with pytest.raises(SamordnaError) as err:
        check_against_main(broken, mirror_bank_path("nb"), domains)
    text = err.value.render()
    assert "XYZ" in text and first.id in text
    assert domains[other_area][0] in text and second.id in text


# --- sources ---------------------------------------------------------------------------------------------------


def test_sources_exist_are_used_and_say_what_is_checked():
    bank = shipped_mirror_bank("nb")
    ids = [s.id for s in bank.sources]
    assert len(ids) == len(set(ids))
    cited = {s for st in bank.statements for s in st.sources}
    assert cited <= set(ids)
    assert set(ids) <= cited, "a source no statement cites"
    for s in bank.sources:
        assert s.url or s.note, f"{s.id}: neither a link nor a note on what is checked"
        if s.url:
            assert s.url.startswith("https://"), s.id
    titles = " ".join(s.title for s in bank.sources)
    for wanted in ("Barneombudet", "§ 5-12", "artikkel 12", "§ 1-4", "IS-2826"):
        assert wanted in titles


def test_a_statement_citing_an_unknown_source_is_refused(tmp_path):
    data = yaml.safe_load(mirror_bank_path("nb").read_text(encoding="utf-8"))
    data["statements"][3]["sources"] = ["FINNES-IKKE"]
    path = tmp_path / "speilet.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(SamordnaError) as err:
        load_mirror_bank(path)
    assert "FINNES-IKKE" in err.value.render() and "linje" in err.value.render()


# --- plain language --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", NORWEGIAN)
def test_every_text_is_plain_language(language):
    bad = {key: problems for key, text in texts(language) if (problems := plain_language_problems(text))}
    assert bad == {}


def test_english_texts_are_short_too():
    bad = {key: problems for key, text in texts("en") if (problems := plain_language_problems(text, words=False))}
    assert bad == {}


@pytest.mark.parametrize("language", NORWEGIAN)
def test_intro_and_scale_are_plain_too(language):
    bank = shipped_mirror_bank(language)
    for text in (*bank.level_names, bank.dont_know, *bank.intro.values()):
        assert not _PROFESSIONAL.search(text), text


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_every_area_has_a_plain_name_for_the_youth_page(language):
    """The youth council's page names the areas in plain words, not the main bank's professional names."""
    bank = shipped_mirror_bank(language)
    assert set(bank.area_names) == set(bank.areas())
    for area, name in bank.area_names.items():
        assert len(name.split()) <= 8, (area, name)
        if language != "en":
            assert plain_language_problems(name) == [], (area, name)


@pytest.mark.parametrize("text, found", [
    ("Tverrfaglig samordning skjer på systemnivå.", ["tverrfaglig", "samordning", "systemnivå"]),
    ("Kommunen har rutiner for hvem som gjør hva.", ["rutine"]),  # a word start
    ("Unge får en INDIVIDUELL PLAN når de trenger det.", ["individuell plan"]),  # two words, any case
    ("Det forebyggende arbeidet virker.", ["forebygg"]),
    ("Dei som hjelper, har teieplikt og kompetanse.", ["teieplikt", "kompetanse"]),  # nynorsk
    ("Tenesteytarane samordnar hjelpa.", ["tenesteytar", "samordna"]),
    ("Hver instans melder fra om vedtaket.", ["instans", "vedtak"]),
    ("Vi blir spurt før noen bestemmer noe om barnet vårt.", ["vårt"]),  # one's own case
])
def test_the_plain_language_check_catches_a_bad_statement(text, found):
    problems = plain_language_problems(text)
    assert problems, text
    for word in found:
        assert any(word.lower() in p.lower() for p in problems), (word, problems)


def test_the_plain_language_check_counts_words_and_lets_good_text_pass():
    long = "Unge og foreldre får hjelp tidlig og slipper å fortelle det samme om og om igjen."
    assert len(long.split()) == 16
    assert plain_language_problems(long) == ["16 ord (høyst 15)"]
    assert plain_language_problems(" ".join(long.split()[:15])) == []
    # ordinary words that only look like professional ones
    assert plain_language_problems("Unge får tilbake det de har sagt, og minner de voksne på det.") == []


# --- translations ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ("nn", "en"))
def test_translation_matches_the_source(language):
    source, bank = shipped_mirror_bank("nb"), shipped_mirror_bank(language)
    assert (bank.id, bank.version, bank.mirrors, bank.min_group, bank.gap_to_name) == \
           (source.id, source.version, source.mirrors, source.min_group, source.gap_to_name)
    assert [(s.id, s.area, s.mirrors, s.sources) for s in bank.statements] == \
           [(s.id, s.area, s.mirrors, s.sources) for s in source.statements]
    assert [s.id for s in bank.sources] == [s.id for s in source.sources]
    for a, b in zip(bank.statements, source.statements, strict=True):
        assert a.young != b.young and a.parent != b.parent, f"{a.id} is not translated into {language}"
    assert bank.level_names != source.level_names


def test_a_translation_out_of_step_is_refused(tmp_path):
    source = load_mirror_bank(mirror_bank_path("nb"))
    data = yaml.safe_load(mirror_bank_path("nn").read_text(encoding="utf-8"))
    data["statements"][0]["mirrors"] = list(reversed(data["statements"][0]["mirrors"]))
    path = tmp_path / "speilet.nn.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(SamordnaError):
        load_mirror_bank(path, source)
    data = yaml.safe_load(mirror_bank_path("nn").read_text(encoding="utf-8"))
    data["statements"] = data["statements"][1:]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(SamordnaError):
        load_mirror_bank(path, source)


# --- samordna validate -------------------------------------------------------------------------------------------


def _copy_banks(tmp_path: Path) -> Path:
    for language in LANGUAGES:
        shutil.copy(mirror_bank_path(language), tmp_path / mirror_bank_path(language).name)
    return tmp_path / mirror_bank_path("nb").name


@pytest.mark.parametrize("language", ("nn", "en"))
def test_validate_a_companion_bank_and_its_translation(language):
    result = run_cli(["validate", mirror_bank_path("nb"), "--lang", language])
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "speilet-0-24.yaml" in result.stdout
    assert f"speilet-0-24.{language}.yaml" in result.stdout
    assert "samordna-0-24 2.0.0" in result.stdout


def test_validate_a_companion_bank_in_bokmal():
    result = run_cli(["validate", mirror_bank_path("nb")])
    assert result.exit_code == 0, result.stdout + result.stderr
    n = len(shipped_mirror_bank("nb").statements)
    assert f"{n} påstander i 9 områder" in result.stdout


def test_validate_a_translation_given_as_the_file(tmp_path):
    _copy_banks(tmp_path)
    result = run_cli(["validate", tmp_path / "speilet-0-24.nn.yaml"])
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "speilet-0-24.nn.yaml" in result.stdout


def test_validate_names_file_line_and_key_of_a_wrong_link(tmp_path):
    path = _copy_banks(tmp_path)
    text = path.read_text(encoding="utf-8")
    first = shipped_mirror_bank("nb").statements[0]
    text = text.replace(f"    area: {first.area}\n", "    area: XYZ\n", 1)
    path.write_text(text, encoding="utf-8")
    line = text.splitlines().index("    area: XYZ") + 1
    result = run_cli(["validate", path])
    assert result.exit_code == 2
    out = result.stdout + result.stderr
    assert f"speilet-0-24.yaml, linje {line} (statements[0].area)" in out
    assert "XYZ" in out and first.id in out


def test_validate_refuses_a_translation_out_of_step(tmp_path):
    _copy_banks(tmp_path)
    nn = tmp_path / "speilet-0-24.nn.yaml"
    data = yaml.safe_load(nn.read_text(encoding="utf-8"))
    data["statements"] = data["statements"][::-1]
    nn.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = run_cli(["validate", tmp_path / "speilet-0-24.yaml", "--lang", "nn"])
    assert result.exit_code == 2
    assert "speilet-0-24.nn.yaml" in result.stdout + result.stderr


def test_validate_a_companion_bank_against_another_main_bank_is_refused(tmp_path):
    main = yaml.safe_load((data_path("assessments") / "samordna-0-24.yaml").read_text(encoding="utf-8"))
    main["id"] = "en-annen-bank"
    other = tmp_path / "annen.yaml"
    other.write_text(yaml.safe_dump(main, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = run_cli(["validate", mirror_bank_path("nb"), "--bank", other])
    assert result.exit_code == 2
    assert "en-annen-bank" in result.stdout + result.stderr
