"""samordna validate: check a question bank and its migration maps, local additions, a sector list or a workspace."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from samordna.cli.common import echo, open_workspace
from samordna.core.errors import SamordnaError
from samordna.i18n import N_, _, n_

if TYPE_CHECKING:
    from samordna.core.bank_i18n import Translated
    from samordna.io.yamlio import YamlDoc

EXAMPLE = N_("""Eksempler:

  samordna validate fjordvik

  samordna validate fjordvik/lokale-tillegg.yaml

  samordna validate min-bank.yaml

  samordna validate assessments/samordna-0-24.yaml --lang nn""")
HELP = N_("Sjekk en spørsmålsbank med migreringskart, lokale tillegg eller et arbeidsområde. Feil vises med fil, linje "
          "og nøkkel.")


def validate(
    path: Annotated[Path, typer.Argument(help=_("En spørsmålsbank (.yaml), en fil med lokale tillegg, en sektorliste, "
                                                "en rolleliste eller et arbeidsområde (mappe)."),
                                         metavar=_("FIL/MAPPE"), show_default=False)],
    bank: Annotated[Path | None, typer.Option(
        "--bank", help=_("Banken de lokale tilleggene og arbeidsområdet sjekkes mot (den neste runden åpnes med). "
                         "Standard: banken som følger med."), metavar=_("FIL"))] = None,
    lokalt: Annotated[Path | None, typer.Option(
        "--lokalt", help=_("En fil med lokale tillegg som sjekkes mot banken. Standard: lokale-tillegg.yaml i "
                           "arbeidsområdet."), metavar=_("FIL"))] = None,
    lang: Annotated[str | None, typer.Option(
        "--lang", help=_("Sjekk også oversettelsen av banken til nn (nynorsk) eller en (engelsk): hver tekst som "
                         "mangler eller er oversatt fra en eldre bokmålstekst, med linje og nøkkel."),
        metavar=_("SPRÅK"))] = None,
) -> None:
    """Check a question bank, local additions, a sector or role list, a translation or a workspace."""
    from samordna.io.workspace import MUNICIPALITY_FILE, check_workspace
    from samordna.io.yamlio import load_yaml

    if path.is_dir():
        if not (path / MUNICIPALITY_FILE).exists():
            raise SamordnaError(_("{folder} er en mappe, men ikke et arbeidsområde (fant ikke {file}).")
                               .format(folder=path, file=MUNICIPALITY_FILE), path=path)
        open_workspace(path)  # names the folders under runder/ that are skipped
        for line in check_workspace(path, bank, lokalt):
            echo(line)
        return
    doc = load_yaml(path)
    data = doc.data if isinstance(doc.data, dict) else {}
    if "domains" not in data and "translation" in data and "texts" in data:  # a bank's translation file
        _no_option(bank, "--bank", _("en oversettelse (den sjekkes mot banken ved siden av)"))
        _no_option(lokalt, "--lokalt", _("en oversettelse"))
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
        _no_option(lokalt, "--lokalt", _("en fil med lokale tillegg"))
        _local(path, bank)
        return
    if "domains" not in data and ("sectors" in data or "roles" in data):
        what = _("en sektorliste") if "sectors" in data else _("en rolleliste")
        _no_option(bank, "--bank", what)
        _no_option(lokalt, "--lokalt", what)
        _list(path, data)
        if lang is not None:
            _list_translation(path, lang)
        return
    _no_option(bank, "--bank", _("en spørsmålsbank (den sjekkes selv)"))
    _bank(path, lokalt)
    if lang is not None:
        _translation(path, lang)


def _no_option(value: Path | None, option: str, what: str) -> None:
    if value is not None:
        raise SamordnaError(_("{option} kan ikke brukes når det som sjekkes er {what}.").format(option=option, what=what))


def _list(path: Path, data: dict) -> None:
    from samordna.io.workspace import load_roles, load_sectors

    if "sectors" in data:
        sectors = load_sectors(path)
        n_sectors, n_groups = len(sectors.sectors), len(sectors.groups)
        echo(_("Sektorlisten {file} er i orden: {sectors} i {groups}.").format(
            file=path, sectors=n_("{n} sektor", "{n} sektorer", n_sectors).format(n=n_sectors),
            groups=n_("{n} gruppe", "{n} grupper", n_groups).format(n=n_groups)))
    else:
        roles = load_roles(path)
        echo(n_("Rollelisten {file} er i orden: {n} rolle.", "Rollelisten {file} er i orden: {n} roller.",
                len(roles)).format(file=path, n=len(roles)))


def _bank(path: Path, lokalt: Path | None) -> None:
    from samordna.core.bank import REQUIRED_COVERAGE, coverage
    from samordna.io.bankfile import check_migrations, load_bank

    bank = load_bank(path)
    counts = {
        "domains": n_("{n} område", "{n} områder", len(bank.domains)).format(n=len(bank.domains)),
        "statements": n_("{n} påstand", "{n} påstander", len(bank.indicators)).format(n=len(bank.indicators)),
        "sources": n_("{n} kilde", "{n} kilder", len(bank.sources)).format(n=len(bank.sources)),
    }
    if bank.legal_minimum:
        n_legal = len(bank.legal_minimum)
        echo(_("Spørsmålsbanken {bank} («{title}») er i orden: {domains}, {statements}, {sources}, {legal}.").format(
            bank=bank.label, title=bank.title, legal=n_("{n} lovkrav", "{n} lovkrav", n_legal).format(n=n_legal),
            **counts))
    else:
        echo(_("Spørsmålsbanken {bank} («{title}») er i orden: {domains}, {statements}, {sources}.").format(
            bank=bank.label, title=bank.title, **counts))
    for line in check_migrations(path):
        echo(line)
    missing = [sid for sid, inds in coverage(bank, REQUIRED_COVERAGE).items()
               if not inds and sid in bank.source_by_id and bank.source_by_id[sid].verdict]  # no verdict: on purpose
    if missing:
        echo(_("Merk: ingen påstand viser til {sources}.").format(sources=", ".join(missing)))
    unconfirmed = [s.id for s in bank.sources if not s.confirmed]
    if unconfirmed:
        echo(_("Merk: innholdet i {sources} er ikke bekreftet mot kilden (se note i banken).")
             .format(sources=", ".join(unconfirmed)))
    if lokalt is not None:
        _local(lokalt, path)


def _translation(bank_path: Path, language: str) -> None:
    """The bank's translation into ``language``: complete, or every text shown in bokmål with line and key."""
    from samordna.core.bank_i18n import text_places
    from samordna.io.bankfile import load_bank_in
    from samordna.io.yamlio import load_yaml

    if _bokmal(language, N_("Banken er skrevet på bokmål; det er ingen oversettelse å sjekke for nb.")):
        return
    _, translated = load_bank_in(bank_path, language)
    doc = load_yaml(bank_path)
    _gaps(bank_path, language, translated, doc, text_places(doc.data), names=False)


def _list_translation(list_path: Path, language: str) -> None:
    """A sector or role list's translation into ``language``: complete, or every name shown in bokmål."""
    from samordna.core.bank_i18n import list_places, translate_data
    from samordna.io.bankfile import load_translation
    from samordna.io.yamlio import load_yaml

    if _bokmal(language, N_("Listen er skrevet på bokmål; det er ingen oversettelse å sjekke for nb.")):
        return
    doc = load_yaml(list_path)
    data = doc.data if isinstance(doc.data, dict) else {}
    translation = load_translation(list_path, language)
    translated = translate_data(data, language, translation.data["texts"] if translation else None,
                                list_places(data))
    _gaps(list_path, language, translated, doc, {key: loc for key, loc, _text in list_places(data)}, names=True)


def _bokmal(language: str, nothing_to_check: str) -> bool:
    """True (and said) for bokmål, which has nothing to check; an unknown language is refused."""
    from samordna.io.bankfile import LANGUAGE_NAMES

    if language not in LANGUAGE_NAMES:
        raise SamordnaError(_("Ukjent språk «{language}»: bruk nb, nn eller en.").format(language=language))
    if language == "nb":
        echo(_(nothing_to_check))
    return language == "nb"


def _gaps(path: Path, language: str, translated: Translated, doc: YamlDoc, places: dict, names: bool) -> None:
    """Say that the translation of ``path`` is complete, or name every text shown in bokmål with line and key.

    ``names``: the texts are a list's names (else a bank's texts)."""
    from samordna.io.bankfile import LANGUAGE_NAMES, translation_path

    name, where = _(LANGUAGE_NAMES[language]), translation_path(path, language)
    total = len(translated.fallbacks) + translated.n_translated
    n = len(translated.fallbacks)
    if names:
        complete = _("Oversettelsen til {language} ({file}) er komplett: {total} av {total} navn.")
        note = n_("Merk: {n} navn av {total} vises på bokmål i {language} ({file}):",
                  "Merk: {n} navn av {total} vises på bokmål i {language} ({file}):", n)
        changed = _("{place}: er endret på bokmål etter at det ble oversatt ({key})")
    else:
        complete = _("Oversettelsen til {language} ({file}) er komplett: {total} av {total} tekster.")
        note = n_("Merk: {n} tekst av {total} vises på bokmål i {language} ({file}):",
                  "Merk: {n} tekster av {total} vises på bokmål i {language} ({file}):", n)
        changed = _("{place}: er endret på bokmål etter at den ble oversatt ({key})")
    if not translated.fallbacks:
        echo(complete.format(language=name, file=where, total=total))
        return
    echo(note.format(n=n, total=total, language=name, file=where))
    for key in translated.missing:
        echo("  " + _("{place}: mangler oversettelse ({key})").format(place=doc.where(places[key]), key=key))
    for key in translated.outdated:
        echo("  " + changed.format(place=doc.where(places[key]), key=key))


def _local(path: Path, bank_path: Path | None) -> None:
    from samordna.core.local import describe
    from samordna.io.bankfile import load_bank
    from samordna.io.localfile import load_local
    from samordna.io.resources import default_bank_path

    bank = load_bank(bank_path or default_bank_path())
    add = load_local(path, bank)
    echo(_("De lokale tilleggene i {file} fra {owner} passer til {bank} {version}: {summary}.").format(
        file=path, owner=add.owner, bank=bank.id, version=bank.version, summary=describe(add)))


def register(app: typer.Typer) -> None:
    app.command("validate", help=_(HELP), epilog=_(EXAMPLE))(validate)
