"""samordna validate: check a question bank, a sector list or a whole workspace."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from samordna.cli.common import echo, open_workspace
from samordna.core.errors import SamordnaError


def validate(
    path: Annotated[Path, typer.Argument(help="En spørsmålsbank (.yaml), en sektorliste eller et arbeidsområde (mappe).",
                                         metavar="FIL/MAPPE", show_default=False)],
) -> None:
    """Sjekk en spørsmålsbank eller et arbeidsområde. Feil vises med fil, linje og nøkkel."""
    from samordna.core.bank import REQUIRED_COVERAGE, coverage
    from samordna.io.bankfile import load_bank
    from samordna.io.workspace import MUNICIPALITY_FILE, check_workspace, load_roles, load_sectors
    from samordna.io.yamlio import load_yaml

    if path.is_dir():
        if not (path / MUNICIPALITY_FILE).exists():
            raise SamordnaError(f"{path} er en mappe, men ikke et arbeidsområde (fant ikke {MUNICIPALITY_FILE}).", path=path)
        open_workspace(path)  # names the folders under runder/ that are skipped
        for line in check_workspace(path):
            echo(line)
        return
    doc = load_yaml(path)
    if isinstance(doc.data, dict) and "sectors" in doc.data and "domains" not in doc.data:
        sectors = load_sectors(path)
        echo(f"Sektorlisten {path} er i orden: {len(sectors.sectors)} sektorer i {len(sectors.groups)} grupper.")
        return
    if isinstance(doc.data, dict) and "roles" in doc.data and "domains" not in doc.data:
        roles = load_roles(path)
        echo(f"Rollelisten {path} er i orden: {len(roles)} roller.")
        return
    bank = load_bank(path)
    echo(f"Spørsmålsbanken {bank.label} («{bank.title}») er i orden: "
         f"{len(bank.domains)} områder, {len(bank.indicators)} påstander, {len(bank.sources)} kilder.")
    missing = [sid for sid, inds in coverage(bank, REQUIRED_COVERAGE).items() if not inds and sid in bank.source_by_id]
    if missing:
        echo(f"Merk: ingen påstand viser til {', '.join(missing)}.")
    unconfirmed = [s.id for s in bank.sources if not s.confirmed]
    if unconfirmed:
        echo(f"Merk: innholdet i {', '.join(unconfirmed)} er ikke bekreftet mot kilden (se note i banken).")


def register(app: typer.Typer) -> None:
    app.command("validate")(validate)
