"""samordna validate: check a question bank and its migration maps, local additions, a sector list, a companion
bank (the mirror) or a workspace."""

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

  samordna validate assessments/samordna-0-24.yaml --lang nn

  samordna validate assessments/speilet-0-24.yaml --lang nn""")
HELP = N_("Sjekk en spørsmålsbank med migreringskart, lokale tillegg, en speilbank eller et arbeidsområde. Feil vises "
          "med fil, linje og nøkkel.")


def validate(
    path: Annotated[Path, typer.Argument(help=_("En spørsmålsbank (.yaml), en fil med lokale tillegg, en sektorliste, "
                                                "en rolleliste, en speilbank eller et arbeidsområde (mappe)."),
                                         metavar=_("FIL/MAPPE"), show_default=False)],
    bank: Annotated[Path | None, typer.Option(
        "--bank", help=_("Banken de lokale tilleggene, speilbanken og arbeidsområdet sjekkes mot (den neste runden "
                         "åpnes med). Standard: banken som følger med."), metavar=_("FIL"))] = None,
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
    if "domains" not in data and "mirrors" in data and "statements" in data:  # a companion bank (the mirror)
        _no_option(lokalt, "--lokalt", _("en speilbank"))
        _mirror(path, data, bank, lang)
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


def _mirror(path: Path, data: dict, bank_path: Path | None, lang: str | None) -> None:
    """A companion bank (``assessments/speilet-0-24.yaml`` or a municipality's own): its structure, every statement's
    area and mirrored statements against the main bank, and with ``lang`` its translation beside it. A translation
    given as FILE is checked against the bokmål bank beside it."""
    from samordna.io.bankfile import LANGUAGE_NAMES, load_bank
    from samordna.io.mirrorfile import check_against_main, load_mirror_bank
    from samordna.io.resources import default_bank_path

    language = str(data.get("language") or "nb")
    if language != "nb" and language in LANGUAGE_NAMES and path.name.endswith(f".{language}.yaml"):
        if lang is not None and lang != language:
            raise SamordnaError(_("{file} er oversettelsen til {language}; --lang {lang} passer ikke til den.").format(
                file=path, language=_(LANGUAGE_NAMES[language]), lang=lang), path=path)
        source_path, lang = path.with_name(path.name.removesuffix(f".{language}.yaml") + ".yaml"), language
    else:
        source_path = path
    if not source_path.is_file():
        raise SamordnaError(_("Fant ikke speilbanken på bokmål ({file}) som oversettelsen {translation} hører til.")
                            .format(file=source_path, translation=path), path=path)
    source = load_mirror_bank(source_path)
    main_path = bank_path or default_bank_path()
    main = load_bank(main_path)
    if source.mirrors != main.id:
        raise SamordnaError(_("Speilbanken {file} hører til hovedbanken «{mirrors}», men den sjekkes mot «{bank}» "
                              "({bank_file}). Bruk --bank for å velge hovedbanken.").format(
            file=source_path, mirrors=source.mirrors, bank=main.id, bank_file=main_path), path=source_path)
    domains = {d.id: [i.id for i in d.indicators] for d in main.domains}
    _mirror_places(source_path, domains)
    check_against_main(source, source_path, domains)
    n_st, n_areas, n_src = len(source.statements), len({s.area for s in source.statements}), len(source.sources)
    echo(_("Speilbanken {file} («{title}») er i orden: {statements} i {areas}, {sources}. Den passer til "
           "{bank} {version}.").format(
        file=source_path, title=source.title, bank=main.id, version=main.version,
        statements=n_("{n} påstand", "{n} påstander", n_st).format(n=n_st),
        areas=n_("{n} område", "{n} områder", n_areas).format(n=n_areas),
        sources=n_("{n} kilde", "{n} kilder", n_src).format(n=n_src)))
    if lang is None or _bokmal(lang, N_("Speilbanken er skrevet på bokmål; det er ingen oversettelse å sjekke for "
                                        "nb.")):
        return
    translation_file = source_path.with_name(source_path.name.removesuffix(".yaml") + f".{lang}.yaml")
    if not translation_file.is_file():
        raise SamordnaError(_("Speilbanken har ingen oversettelse til {language}: fant ikke {file}.").format(
            language=_(LANGUAGE_NAMES[lang]), file=translation_file), path=translation_file)
    translated = load_mirror_bank(translation_file, source)
    if translated.language != lang:
        raise SamordnaError(_("{file} sier language: {found}, men skal være {lang}.").format(
            file=translation_file, found=translated.language, lang=lang), path=translation_file)
    echo(n_("Oversettelsen til {language} ({file}) er i orden: den samme {n} påstanden som på bokmål.",
            "Oversettelsen til {language} ({file}) er i orden: de samme {n} påstandene som på bokmål.",
            len(translated.statements)).format(language=_(LANGUAGE_NAMES[lang]), file=translation_file,
                                               n=len(translated.statements)))


def _mirror_places(path: Path, domains: dict[str, list[str]]) -> None:
    """``check_against_main`` with the line and key of each problem: an area that is not a domain of the main
    bank, or a mirrored statement that is not in that area."""
    from samordna.io.yamlio import load_yaml

    doc = load_yaml(path)
    statements = doc.data.get("statements") if isinstance(doc.data, dict) else None
    problems: list[str] = []
    for i, st in enumerate(statements if isinstance(statements, list) else []):
        if not isinstance(st, dict):
            continue
        sid, area, mirrored = st.get("id"), st.get("area"), st.get("mirrors")
        if area not in domains:
            problems.append(doc.where(("statements", i, "area")) + ": " + _(
                "{id}: området «{area}» finnes ikke i hovedbanken").format(id=sid, area=area))
            continue
        for j, ind in enumerate(mirrored if isinstance(mirrored, list) else []):
            if ind not in domains[area]:
                problems.append(doc.where(("statements", i, "mirrors", j)) + ": " + _(
                    "{id}: «{indicator}» er ikke en påstand i området {area} i hovedbanken").format(
                    id=sid, indicator=ind, area=area))
    if problems:
        raise SamordnaError(_("Speilbanken {path} passer ikke til hovedbanken:").format(path=path), path=path,
                            problems=problems)


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
