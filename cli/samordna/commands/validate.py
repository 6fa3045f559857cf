"""samordna validate: check a question bank, a sector list or a whole workspace."""

from __future__ import annotations

from pathlib import Path

import typer

from ..errors import SamordnaError
from ._common import echo


def validate_workspace(path: Path) -> list[str]:
    """Load everything in a workspace; raise on the first broken file; return a summary."""
    from ..workspace import Workspace

    ws = Workspace(path)
    lines = [f"Arbeidsområdet for {ws.name} ({ws.number}) er i orden."]
    _ = ws.sectors
    for rnd in ws.rounds():
        bank = rnd.bank
        parts = rnd.participants()
        cons = rnd.consensus()
        prios = rnd.priorities()
        lines.append(
            f"  Runde {rnd.id}: bank {bank.label}, {len(parts)} deltakere, "
            f"{len(cons)} konsensusnivåer, {len(prios)} prioriteringer."
        )
    return lines


def validate(
    path: Path = typer.Argument(..., help="En spørsmålsbank (.yaml), en sektorliste eller et arbeidsområde (mappe).", show_default=False),
) -> None:
    """Sjekk en spørsmålsbank eller et arbeidsområde. Feil vises med fil, linje og nøkkel."""
    from ..bank import REQUIRED_COVERAGE, coverage, load_bank
    from ..workspace import MUNICIPALITY_FILE, load_roles, load_sectors
    from ..yamlio import load_yaml

    if path.is_dir():
        if not (path / MUNICIPALITY_FILE).exists():
            raise SamordnaError(f"{path} er en mappe, men ikke et arbeidsområde (fant ikke {MUNICIPALITY_FILE}).", path=path)
        for line in validate_workspace(path):
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
