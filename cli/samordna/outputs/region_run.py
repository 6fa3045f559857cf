"""The county view from start to end: collect the workspaces, compare them, write the outputs."""

from __future__ import annotations

import os
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path

from samordna.core.errors import SamordnaError
from samordna.core.region import Region, build_region
from samordna.io.region_collect import collect, find_workspaces
from samordna.outputs.region_report import RegionFiles, write_region

Tick = Callable[..., None]
Progress = Callable[[int, str], AbstractContextManager[Tick]]


def no_progress(total: int, what: str) -> AbstractContextManager[Tick]:
    return nullcontext(lambda *_: None)


def _ignore(text: str) -> None:
    pass


def _short(message: str) -> str:
    return message.splitlines()[0]


def run_region(dirs: list[Path], out: Path, *, year: int | None = None, anonymize: bool = False, pdf: bool = False,
               skip_invalid: bool = False, workers: int | None = None, quiet: bool = False,
               progress: Progress = no_progress, warn: Callable[[str], None] = _ignore) -> tuple[Region, RegionFiles]:
    """Collect, check, build and write. Nothing is written if a workspace is broken (unless skip_invalid)."""
    if out.exists() and not out.is_dir():
        raise SamordnaError(f"{out} er en fil, ikke en mappe. Fylkesbildet skrives til en mappe med flere filer: "
                            "velg et annet navn med --out. Ingenting er skrevet.", path=out)
    found, _, _ = find_workspaces(dirs)
    workers = workers or (min(2, os.cpu_count() or 1) if len(found) > 40 else 1)
    with progress(len(found), "Leser arbeidsområdene") as tick:
        collection = collect(dirs, workers=workers, progress=tick)
    if collection.problems and not skip_invalid:
        raise SamordnaError(
            f"{len(collection.problems)} av arbeidsområdene kan ikke leses. Ingenting er skrevet. "
            "Rett feilene, eller kjør med --skip-invalid for å hoppe over dem:",
            problems=[f"{p.path}: {_short(p.message)}" for p in collection.problems])
    for p in collection.problems:
        warn(f"Hoppet over {p.path}: {_short(p.message)}")
    if not quiet and collection.ignored:
        warn(f"Merk: {len(collection.ignored)} undermapper uten kommune.yaml er ikke tatt med "
             f"({', '.join(p.name for p in collection.ignored[:5])}{' …' if len(collection.ignored) > 5 else ''}).")
    region = build_region(collection, year)
    skipped = [] if anonymize else [p.path.name for p in collection.problems]
    if anonymize and collection.problems:
        skipped = [f"{len(collection.problems)} arbeidsområder (navn holdt tilbake)"]
    with progress(len(region.entries), "Skriver rapporten") as tick:
        files = write_region(region, out, anonymize=anonymize, pdf=pdf, skipped=skipped, progress=tick)
    return region, files
