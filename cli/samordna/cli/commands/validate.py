"""samordna validate: check a question bank and its migration maps, local additions, a sector list or a workspace."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from samordna.cli.common import echo, open_workspace
from samordna.core.errors import SamordnaError
from samordna.i18n import plural

if TYPE_CHECKING:
    from samordna.core.bank_i18n import Translated
    from samordna.io.yamlio import YamlDoc

EXAMPLE = """Eksempler:

  samordna validate fjordvik

  samordna validate fjordvik/lokale-tillegg.yaml

  samordna validate min-bank.yaml

  samordna validate assessments/samordna-0-24.yaml --lang nn"""


def validate(
    path: Annotated[Path, typer.Argument(help="En spørsmålsbank (.yaml), en fil med lokale tillegg, en sektorliste, "
                                              "en rolleliste eller et arbeidsområde (mappe).",
                                         metavar="FIL/MAPPE", show_default=False)],
    bank: Annotated[Path | None, typer.Option(
        "--bank", help="Banken de lokale tilleggene og arbeidsområdet sjekkes mot (den neste runden åpnes med). "
                       "Standard: banken som følger med.", metavar="FIL")] = None,
    lokalt: Annotated[Path | None, typer.Option(
        "--lokalt", help="En fil med lokale tillegg som sjekkes mot banken. Standard: lokale-tillegg.yaml i "
                         "arbeidsområdet.", metavar="FIL")] = None,
    lang: Annotated[str | None, typer.Option(
        "--lang", help="Sjekk også oversettelsen av banken til nn (nynorsk) eller en (engelsk): hver tekst som "
                       "mangler eller er oversatt fra en eldre bokmålstekst, med linje og nøkkel.",
        metavar="SPRÅK")] = None,
) -> None:
    """Sjekk en spørsmålsbank med migreringskart, lokale tillegg eller et arbeidsområde. Feil vises med fil, linje og nøkkel."""
    from samordna.io.workspace import MUNICIPALITY_FILE, check_workspace
    from samordna.io.yamlio import load_yaml

    if path.is_dir():
        if not (path / MUNICIPALITY_FILE).exists():
            raise SamordnaError(f"{path} er en mappe, men ikke et arbeidsområde (fant ikke {MUNICIPALITY_FILE}).", path=path)
        open_workspace(path)  # names the folders under runder/ that are skipped
        for line in check_workspace(path, bank, lokalt):
            echo(line)
        return
    doc = load_yaml(path)
    data = doc.data if isinstance(doc.data, dict) else {}
    if "domains" not in data and "translation" in data and "texts" in data:  # a bank's translation file
        _no_option(bank, "--bank", "en oversettelse (den sjekkes mot banken ved siden av)")
        _no_option(lokalt, "--lokalt", "en oversettelse")
        info = data.get("translation")
        language = str(info.get("language", "")) if isinstance(info, dict) else ""
        language = language or path.stem.rsplit(".", 1)[-1]
        source = path.with_name(path.name.removesuffix(f".{language}.yaml") + ".yaml")
        if isinstance(info, dict) and "list" in info:
            _list_translation(source, language)
        else:
            _translation(source, language)
        return
    if "domains" not in data and ("format" in data or "owner" in data or "hide" in data or "indicators" in data):
        _no_option(lokalt, "--lokalt", "en fil med lokale tillegg")
        _local(path, bank)
        return
    if "domains" not in data and ("sectors" in data or "roles" in data):
        what = "en sektorliste" if "sectors" in data else "en rolleliste"
        _no_option(bank, "--bank", what)
        _no_option(lokalt, "--lokalt", what)
        _list(path, data)
        if lang is not None:
            _list_translation(path, lang)
        return
    _no_option(bank, "--bank", "en spørsmålsbank (den sjekkes selv)")
    _bank(path, lokalt)
    if lang is not None:
        _translation(path, lang)


def _no_option(value: Path | None, option: str, what: str) -> None:
    if value is not None:
        raise SamordnaError(f"{option} kan ikke brukes når det som sjekkes er {what}.")


def _list(path: Path, data: dict) -> None:
    from samordna.io.workspace import load_roles, load_sectors

    if "sectors" in data:
        sectors = load_sectors(path)
        echo(f"Sektorlisten {path} er i orden: {plural(len(sectors.sectors), 'sektor', 'sektorer')} i "
             f"{plural(len(sectors.groups), 'gruppe', 'grupper')}.")
    else:
        roles = load_roles(path)
        echo(f"Rollelisten {path} er i orden: {plural(len(roles), 'rolle', 'roller')}.")


def _bank(path: Path, lokalt: Path | None) -> None:
    from samordna.core.bank import REQUIRED_COVERAGE, coverage
    from samordna.io.bankfile import check_migrations, load_bank

    bank = load_bank(path)
    echo(f"Spørsmålsbanken {bank.label} («{bank.title}») er i orden: "
         f"{plural(len(bank.domains), 'område', 'områder')}, {plural(len(bank.indicators), 'påstand', 'påstander')}, "
         f"{plural(len(bank.sources), 'kilde', 'kilder')}"
         + (f", {len(bank.legal_minimum)} lovkrav." if bank.legal_minimum else "."))
    for line in check_migrations(path):
        echo(line)
    missing = [sid for sid, inds in coverage(bank, REQUIRED_COVERAGE).items()
               if not inds and sid in bank.source_by_id and bank.source_by_id[sid].verdict]  # no verdict: on purpose
    if missing:
        echo(f"Merk: ingen påstand viser til {', '.join(missing)}.")
    unconfirmed = [s.id for s in bank.sources if not s.confirmed]
    if unconfirmed:
        echo(f"Merk: innholdet i {', '.join(unconfirmed)} er ikke bekreftet mot kilden (se note i banken).")
    if lokalt is not None:
        _local(lokalt, path)


def _translation(bank_path: Path, language: str) -> None:
    """The bank's translation into ``language``: complete, or every text shown in bokmål with line and key."""
    from samordna.core.bank_i18n import text_places
    from samordna.io.bankfile import load_bank_in
    from samordna.io.yamlio import load_yaml

    if _bokmal(language, "Banken"):
        return
    _, translated = load_bank_in(bank_path, language)
    doc = load_yaml(bank_path)
    _gaps(bank_path, language, translated, doc, text_places(doc.data), ("tekst", "tekster"), "den")


def _list_translation(list_path: Path, language: str) -> None:
    """A sector or role list's translation into ``language``: complete, or every name shown in bokmål."""
    from samordna.core.bank_i18n import list_places, translate_data
    from samordna.io.bankfile import load_translation
    from samordna.io.yamlio import load_yaml

    if _bokmal(language, "Listen"):
        return
    doc = load_yaml(list_path)
    data = doc.data if isinstance(doc.data, dict) else {}
    translation = load_translation(list_path, language)
    translated = translate_data(data, language, translation.data["texts"] if translation else None,
                                list_places(data))
    _gaps(list_path, language, translated, doc, {key: loc for key, loc, _ in list_places(data)}, ("navn", "navn"),
          "det")


def _bokmal(language: str, what: str) -> bool:
    """True (and said) for bokmål, which has nothing to check; an unknown language is refused."""
    from samordna.io.bankfile import LANGUAGE_NAMES

    if language not in LANGUAGE_NAMES:
        raise SamordnaError(f"Ukjent språk «{language}»: bruk nb, nn eller en.")
    if language == "nb":
        echo(f"{what} er skrevet på bokmål; det er ingen oversettelse å sjekke for nb.")
    return language == "nb"


def _gaps(path: Path, language: str, translated: Translated, doc: YamlDoc, places: dict,
          noun: tuple[str, str], pronoun: str) -> None:
    """Say that the translation of ``path`` is complete, or name every text shown in bokmål with line and key."""
    from samordna.io.bankfile import LANGUAGE_NAMES, translation_path

    name, where = LANGUAGE_NAMES[language], translation_path(path, language)
    total = len(translated.fallbacks) + translated.n_translated
    if not translated.fallbacks:
        echo(f"Oversettelsen til {name} ({where}) er komplett: {total} av {total} {noun[1]}.")
        return
    echo(f"Merk: {plural(len(translated.fallbacks), *noun)} av {total} vises på bokmål i {name} ({where}):")
    for key in translated.missing:
        echo(f"  {doc.where(places[key])}: mangler oversettelse ({key})")
    for key in translated.outdated:
        echo(f"  {doc.where(places[key])}: er endret på bokmål etter at {pronoun} ble oversatt ({key})")


def _local(path: Path, bank_path: Path | None) -> None:
    from samordna.core.local import describe
    from samordna.io.bankfile import load_bank
    from samordna.io.localfile import load_local
    from samordna.io.resources import default_bank_path

    bank = load_bank(bank_path or default_bank_path())
    add = load_local(path, bank)
    echo(f"De lokale tilleggene i {path} fra {add.owner} passer til {bank.id} {bank.version}: {describe(add)}.")


def register(app: typer.Typer) -> None:
    app.command("validate", epilog=EXAMPLE)(validate)
