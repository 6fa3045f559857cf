"""Collect many municipality workspaces for the county view (the comparison itself is ``core.region``).

Only the levels a municipality has agreed on (consensus) or the median of its
answers leave a workspace: no individual answer, comment, rationale or dissent.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from samordna.core.errors import SamordnaError
from samordna.core.models import FORMAT
from samordna.core.region import Collection, Municipality, Problem, RoundLevels, assign_codes
from samordna.core.scoring import score_workspace_round
from samordna.io.bankfile import load_bank
from samordna.io.workspace import MUNICIPALITY_FILE, Workspace


def find_workspaces(paths: Iterable[Path]) -> tuple[list[Path], list[Problem], list[Path]]:
    """Workspace folders from the arguments: a workspace, or a folder holding workspaces.

    Returns (workspaces, problems, ignored sub-folders without kommune.yaml)."""
    found: list[Path] = []
    problems: list[Problem] = []
    ignored: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if (path / MUNICIPALITY_FILE).exists():
            found.append(path)
        elif not path.exists():
            problems.append(Problem(path, f"Fant ikke {path}."))
        elif not path.is_dir():
            problems.append(Problem(path, f"{path} er ikke en mappe."))
        else:
            subs = sorted(p for p in path.iterdir() if p.is_dir() and not p.name.startswith("."))
            inside = [p for p in subs if (p / MUNICIPALITY_FILE).exists()]
            if not inside:
                problems.append(Problem(path, f"{path} er ikke et arbeidsområde og har ingen arbeidsområder i seg "
                                              f"(fant ikke {MUNICIPALITY_FILE})."))
            found.extend(inside)
            ignored.extend(p for p in subs if p not in inside)
    seen: dict[Path, Path] = {}
    unique = []
    for p in found:
        key = p.resolve()
        if key not in seen:
            seen[key] = p
            unique.append(p)
    return unique, problems, ignored


def load_municipality(path: Path) -> tuple[Municipality, dict[str, Path]]:
    """Score every round of one workspace and keep only the levels.

    Returns the municipality and {bank label: bank file} for the banks it used.
    Raises SamordnaError for a broken or foreign workspace."""
    ws = Workspace(path)
    if ws.municipality.format != FORMAT:
        raise SamordnaError(
            f"{path / MUNICIPALITY_FILE}: formatet «{ws.municipality.format}» er ikke et samordna-arbeidsområde "
            f"(forventet «{FORMAT}»).", path=path / MUNICIPALITY_FILE)
    rounds = []
    banks: dict[str, Path] = {}
    for rnd in ws.rounds():
        result = score_workspace_round(ws, rnd)
        label = rnd.official_bank.label  # local additions differ by municipality: compared on the official bank
        banks.setdefault(label, rnd.bank_path)
        local = set(result.local_indicators) | {r.id for r in result.indicators if r.local}
        rounds.append(RoundLevels(
            round=rnd.id, year=rnd.year, bank_label=label,
            n_participants=result.n_participants, n_consensus=result.uses_consensus,
            indicators={r.id: r.level for r in result.indicators if r.id not in local},
            local=sorted(local),
            legal={r.id: r.answer for r in result.legal},
            verdicts={s.id: s.verdict for s in [*result.recommendations, *result.duties, *result.laws]},
        ))
    return Municipality(ws.name, ws.number, path, rounds), banks


_Loaded = tuple[Municipality, dict[str, Path]] | Problem


def _load_one(path: Path) -> _Loaded:
    try:
        return load_municipality(path)
    except SamordnaError as exc:
        return Problem(path, exc.render())


def collect(paths: Iterable[Path], *, workers: int = 1,
            progress: Callable[[Path], None] | None = None) -> Collection:
    """Load every workspace. Problems are returned, never raised: the caller decides."""
    found, problems, ignored = find_workspaces(paths)
    loaded: list[_Loaded] = []  # one item per workspace found, in the same order
    if workers > 1 and len(found) > 8:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=workers) as pool:
            for path, item in zip(found, pool.map(_load_one, found, chunksize=8), strict=True):
                loaded.append(item)
                if progress:
                    progress(path)
    else:
        for path in found:
            loaded.append(_load_one(path))
            if progress:
                progress(path)
    municipalities: list[Municipality] = []
    bank_files: dict[str, Path] = {}
    by_number: dict[str, Municipality] = {}
    for path, item in zip(found, loaded, strict=True):
        if isinstance(item, Problem):
            problems.append(item)
            continue
        m, banks = item
        if m.number in by_number:
            problems.append(Problem(path, f"{path}: kommunenummeret {m.number} ({m.name}) finnes også i "
                                          f"{by_number[m.number].path}. Ta med bare ett arbeidsområde per kommune."))
            continue
        by_number[m.number] = m
        municipalities.append(m)
        for label, bpath in banks.items():
            bank_files.setdefault(label, bpath)
    municipalities.sort(key=lambda m: (m.name.casefold(), m.number))
    assign_codes(municipalities)
    return Collection(municipalities, {label: load_bank(p) for label, p in sorted(bank_files.items())},
                      problems, ignored)
