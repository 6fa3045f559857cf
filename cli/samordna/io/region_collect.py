"""Find and collect many municipality workspaces for the county view (the comparison itself is ``core.region``).

``find_workspaces`` searches the folders given for workspaces (a folder with kommune.yaml), at most
``DEFAULT_DEPTH`` levels down, never into a workspace itself (its rounds and backups are its own), hidden folders or
links back up; it returns what it found (municipality and folder), what it passed by and why, and the folders
that cannot be read (a damaged kommune.yaml, named with the file and the problem).

Only the levels a municipality has agreed on (consensus) or the median of its
answers leave a workspace: no individual answer, comment, rationale or dissent.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from samordna.core.errors import SamordnaError
from samordna.core.models import FORMAT
from samordna.core.region import Collection, Municipality, Problem, RoundLevels, Skipped, assign_codes, mirror_levels
from samordna.core.scoring import score_workspace_items, score_workspace_round
from samordna.i18n import _, n_
from samordna.io.bankfile import bank_in_language, load_bank
from samordna.io.region_cache import RegionCache
from samordna.io.workspace import MUNICIPALITY_FILE, ROUNDS_DIR, Workspace

DEFAULT_DEPTH = 4  # how many folder levels under each folder given the search goes


@dataclass
class Found:
    """A workspace the search found: its folder (as reached from the folder given) and who it is."""

    path: Path
    name: str
    number: str


@dataclass
class Discovery:
    found: list[Found] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # given folders and workspaces that cannot be read
    skipped: list[Skipped] = field(default_factory=list)  # folders passed by, with the reason
    depth: int = DEFAULT_DEPTH

    @property
    def paths(self) -> list[Path]:
        return [f.path for f in self.found]


def _is_workspace(path: Path) -> bool:
    return (path / MUNICIPALITY_FILE).is_file()


def _subfolders(folder: Path) -> list[Path]:
    """Visible sub-folders, in the alphabet's order (raises OSError when the folder cannot be read)."""
    return sorted((c for c in folder.iterdir() if not c.name.startswith(".") and c.is_dir()),
                  key=lambda c: (c.name.casefold(), c.name))


class _Search:
    """Walk the folders given for workspaces: never into a workspace (its runder/ and backups are its own),
    never into hidden folders, never twice into the same folder (symbolic links), at most ``depth`` levels down.
    A workspace one level deeper than the limit is named as skipped, with the option that would take it."""

    def __init__(self, depth: int):
        self.depth = depth
        self.result = Discovery(depth=depth)
        self.workspaces: dict[Path, Path] = {}  # resolved -> as found
        self.folders: dict[Path, Path] = {}  # resolved -> as first searched

    def add(self, path: Path) -> None:
        key = path.resolve()
        if key in self.workspaces:
            if self.workspaces[key] != path:
                self.result.skipped.append(Skipped(path, _("samme arbeidsområde som {path}").format(
                    path=self.workspaces[key])))
            return
        self.workspaces[key] = path
        try:
            ws = Workspace(path)
            _check_format(ws, path)
        except SamordnaError as exc:
            self.result.problems.append(Problem(path, exc.render()))
            return
        self.result.found.append(Found(path, ws.name, ws.number))

    def given(self, path: Path) -> None:
        if _is_workspace(path):
            self.add(path)
        elif not path.exists():
            self.result.problems.append(Problem(path, _("Fant ikke {path}.").format(path=path)))
        elif not path.is_dir():
            self.result.problems.append(Problem(path, _("{path} er ikke en mappe.").format(path=path)))
        else:
            key = path.resolve()
            self.folders.setdefault(key, path)
            has, cut = self.walk(path, path, 0, frozenset({key, *key.parents}))  # links up never followed
            if not has:
                self.result.problems.append(Problem(path, (
                    _("{path} er ikke et arbeidsområde, og det er ingen arbeidsområder i mappene under den (fant "
                      "ingen {file} de første {levels} ned).") if cut else
                    _("{path} er ikke et arbeidsområde, og det er ingen arbeidsområder i mappene under den (fant "
                      "ingen {file}).")).format(path=path, file=MUNICIPALITY_FILE, levels=_levels(self.depth))))

    def walk(self, root: Path, folder: Path, level: int, above: frozenset[Path]) -> tuple[bool, bool]:
        """(found anything under ``folder``, left some folder unsearched for the depth limit)."""
        try:
            children = _subfolders(folder)
        except OSError as exc:
            self.result.skipped.append(Skipped(folder, _("kunne ikke åpnes ({problem})").format(
                problem=exc.strerror or exc)))
            return False, False
        has = cut = False
        empty: list[tuple[Path, bool]] = []
        for child in children:
            down = level + 1
            key = child.resolve()
            if key in above:
                self.result.skipped.append(Skipped(child, _("lenker tilbake til en mappe over seg; ikke fulgt")))
                continue
            if _is_workspace(child):
                has = True
                if down > self.depth:
                    self.result.skipped.append(Skipped(child, _(
                        "for dypt: ligger {levels} under {root}, og søket går {limit} ned. "
                        "Bruk --depth {depth} for å ta den med, eller gi mappen direkte.").format(
                        levels=_levels(down), root=root, limit=_levels(self.depth), depth=down)))
                else:
                    self.add(child)
                continue
            if down > self.depth:
                cut = True
                continue
            if key in self.folders:
                if child.is_symlink():
                    self.result.skipped.append(Skipped(child, _("samme mappe som {path}; ikke søkt to ganger").format(
                        path=self.folders[key])))
                continue
            self.folders[key] = child
            sub_has, sub_cut = self.walk(root, child, down, above | {key})
            has, cut = has or sub_has, cut or sub_cut
            if not sub_has:
                empty.append((child, sub_cut))
        if has:  # a folder with nothing in it is named once, at the top, not with every folder under it
            cut_text = _("ikke et arbeidsområde (ingen {file} her eller i mappene under, så langt søket går)")
            none_text = _("ikke et arbeidsområde (ingen {file} her eller i mappene under)")
            self.result.skipped.extend(Skipped(p, (cut_text if c else none_text).format(file=MUNICIPALITY_FILE))
                                       for p, c in empty)
        return has, cut


def _levels(n: int) -> str:
    return n_("{n} nivå", "{n} nivåer", n).format(n=n)


def find_workspaces(paths: Iterable[Path], *, depth: int = DEFAULT_DEPTH) -> Discovery:
    """The workspaces in the folders given: each is a workspace or a folder with workspaces somewhere under it
    (at most ``depth`` levels down). Problems and skipped folders are returned, never raised."""
    search = _Search(depth)
    for raw in paths:
        search.given(Path(raw))
    return search.result


def _check_format(ws: Workspace, path: Path) -> None:
    if ws.municipality.format != FORMAT:
        raise SamordnaError(
            _("{file}: formatet «{format}» er ikke et samordna-arbeidsområde (forventet «{expected}»).").format(
                file=path / MUNICIPALITY_FILE, format=ws.municipality.format, expected=FORMAT),
            path=path / MUNICIPALITY_FILE)


def load_municipality(path: Path) -> tuple[Municipality, dict[str, Path]]:
    """Score every round of one workspace and keep only the levels.

    Returns the municipality and {bank label: bank file} for the banks it used.
    Raises SamordnaError for a broken or foreign workspace."""
    m, banks = _compute(path)
    return m, {label: path / ROUNDS_DIR / rid / "bank.yaml" for label, rid in banks.items()}


def _compute(path: Path) -> tuple[Municipality, dict[str, str]]:
    """The municipality's levels and {bank label: id of the first round with that bank}."""
    ws = Workspace(path)
    _check_format(ws, path)
    rounds = []
    banks: dict[str, str] = {}
    for rnd in ws.rounds():
        # the same scoring as every other output, without what the county view does not keep (domains,
        # priorities, the sector breakdown): it computes its own domain levels from the shared indicators
        items, n_participants = score_workspace_items(rnd)
        bank = rnd.bank
        label = rnd.official_bank.label  # local additions differ by municipality: compared on the official bank
        banks.setdefault(label, rnd.id)
        local = {i.id for i in bank.indicators if i.local} | {r.id for r in items.indicators if r.local}
        rounds.append(RoundLevels(
            round=rnd.id, year=rnd.year, bank_label=label,
            n_participants=n_participants, n_consensus=sum(r.level_source == "konsensus" for r in items.indicators),
            indicators={r.id: r.level for r in items.indicators if r.id not in local},
            local=sorted(local),
            legal={r.id: r.answer for r in items.legal},
            verdicts={s.id: s.verdict for s in items.sources([*bank.recommendations, *bank.duties, *bank.laws])},
            mirror=_mirror(ws, rnd),
        ))
    return Municipality(ws.name, ws.number, path, rounds, language=ws.language), banks


def _mirror(ws: Workspace, rnd) -> dict[str, Any] | None:
    """The round's young people's mirror as it may be shown (``core.region.mirror_levels``); None when nobody
    answered it. The leaders' levels come from the same scoring as the municipality's own report."""
    from samordna.io.mirrorfile import MirrorStore, round_mirror

    if not MirrorStore(rnd.dir).paths():
        return None
    found = round_mirror(ws, rnd, score_workspace_round(ws, rnd))
    return mirror_levels(found[1]) if found is not None else None


_Loaded = tuple[Municipality, dict[str, Path]] | Problem


def _load_one(path: Path, cache: RegionCache | None = None) -> _Loaded:
    """One workspace, from the cache when its files are as they were; the garbage collector paused meanwhile
    (loading makes many small objects and no cycles worth collecting; it runs again right after)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        hit, key, stats = cache.lookup(path) if cache is not None and cache.enabled else (None, "", None)
        if hit is not None:
            m, rounds = hit
        else:
            m, rounds = _compute(path)
            if cache is not None and cache.enabled:
                cache.put(path, key, m, rounds, stats=stats)
        return m, {label: path / ROUNDS_DIR / rid / "bank.yaml" for label, rid in rounds.items()}
    except SamordnaError as exc:
        return Problem(path, exc.render())
    finally:
        if enabled:
            gc.enable()


def _freeze() -> None:
    """Collect once, then keep what is loaded by now (modules, the banks parsed once per process) out of every
    later collection: it lives as long as the process."""
    gc.collect()
    gc.freeze()


_WORKER_CACHE: RegionCache | None = None
_FROZEN = False


def _init_worker(cache: RegionCache | None) -> None:
    global _WORKER_CACHE
    _WORKER_CACHE = cache


def _load_in_worker(path: Path) -> _Loaded:
    global _FROZEN
    item = _load_one(path, _WORKER_CACHE)
    if not _FROZEN:  # after the first workspace: the bank is parsed
        _freeze()
        _FROZEN = True
    return item


def collect(paths: Iterable[Path] | Discovery, *, depth: int = DEFAULT_DEPTH, workers: int = 1,
            progress: Callable[[Path], None] | None = None, cache: RegionCache | bool = True) -> Collection:
    """Load every workspace found (or the discovery made already). Problems are returned, never raised: the
    caller decides. ``cache``: True for the user's cache folder, False for none, or a RegionCache."""
    discovery = paths if isinstance(paths, Discovery) else find_workspaces(paths, depth=depth)
    found, problems = discovery.paths, list(discovery.problems)
    store = cache if isinstance(cache, RegionCache) else RegionCache(enabled=bool(cache))
    loaded: list[_Loaded] = []  # one item per workspace found, in the same order
    if workers > 1 and len(found) > 8:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(store,)) as pool:
            for path, item in zip(found, pool.map(_load_in_worker, found, chunksize=8), strict=True):
                loaded.append(item)
                if progress:
                    progress(path)
    else:
        try:
            for k, path in enumerate(found):
                loaded.append(_load_one(path, store))
                if k == 0 and len(found) > 8:
                    _freeze()
                if progress:
                    progress(path)
        finally:
            gc.unfreeze()
    municipalities: list[Municipality] = []
    bank_files: dict[str, Path] = {}
    by_number: dict[str, Municipality] = {}
    for path, item in zip(found, loaded, strict=True):
        if isinstance(item, Problem):
            problems.append(item)
            continue
        m, banks = item
        if m.number in by_number:
            problems.append(Problem(path, _("{path}: kommunenummeret {number} ({name}) finnes også i {other}. Ta med "
                                            "bare ett arbeidsområde per kommune.").format(
                path=path, number=m.number, name=m.name, other=by_number[m.number].path)))
            continue
        by_number[m.number] = m
        municipalities.append(m)
        for label, bpath in banks.items():
            bank_files.setdefault(label, bpath)
    municipalities.sort(key=lambda m: (m.name.casefold(), m.number))
    assign_codes(municipalities)
    from samordna.i18n import language

    here = language()  # the report's language (the adviser's): the banks' texts in it where they are translated
    return Collection(municipalities,
                      {label: bank_in_language(load_bank(p), p, here) for label, p in sorted(bank_files.items())},
                      problems, list(discovery.skipped))
