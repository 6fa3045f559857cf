"""samordna validate: check a question bank and its migration maps, local additions, a sector list or a workspace."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from samordna.cli.common import echo, open_workspace
from samordna.core.errors import SamordnaError
from samordna.i18n import plural

EXAMPLE = """Eksempler:

  samordna validate fjordvik

  samordna validate fjordvik/lokale-tillegg.yaml

  samordna validate min-bank.yaml"""


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
    if "domains" not in data and ("format" in data or "owner" in data or "hide" in data or "indicators" in data):
        _no_option(lokalt, "--lokalt", "en fil med lokale tillegg")
        _local(path, bank)
        return
    if "domains" not in data and ("sectors" in data or "roles" in data):
        what = "en sektorliste" if "sectors" in data else "en rolleliste"
        _no_option(bank, "--bank", what)
        _no_option(lokalt, "--lokalt", what)
        _list(path, data)
        return
    _no_option(bank, "--bank", "en spørsmålsbank (den sjekkes selv)")
    _bank(path, lokalt)


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
