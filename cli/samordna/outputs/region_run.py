"""The county view from start to end: collect the workspaces, compare them, write the outputs."""

from __future__ import annotations

import os
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path

from samordna.core.errors import SamordnaError
from samordna.core.fmt import integer
from samordna.core.region import Problem, Region, build_region
from samordna.i18n import _, n_
from samordna.io.region_collect import DEFAULT_DEPTH, Discovery, collect, find_workspaces
from samordna.outputs.region_report import RegionFiles, write_region

Tick = Callable[..., None]
Progress = Callable[[int, str], AbstractContextManager[Tick]]


def no_progress(total: int, what: str) -> AbstractContextManager[Tick]:
    return nullcontext(lambda *_: None)


def _ignore(text: str) -> None:
    pass


def short(message: str) -> str:
    """A problem's message on one line: the first line and (up to three of) the problems under it."""
    lines = [x.strip() for x in message.splitlines() if x.strip()]
    if len(lines) <= 1:
        return lines[0] if lines else message
    rest = [x.removeprefix("- ") for x in lines[1:4]]
    more = " …" if len(lines) > 4 else ""
    return f"{lines[0].rstrip(':')}: {'; '.join(rest)}{more}"  # punctuation only: the same in every language


def _named(p: Problem) -> str:
    """A problem with its folder first, unless the message names it already."""
    text = short(p.message)
    return text if str(p.path) in text else f"{p.path}: {text}"


MAX_SKIPPED_SHOWN = 30


def discovery_lines(d: Discovery) -> list[str]:
    """What the search found (municipality and folder) and what it passed by, and why: for the terminal.
    Folders that cannot be read are not here: the run stops on them, or warns with --skip-invalid."""
    lines = []
    if d.found:
        lines.append(n_("Fant {n} arbeidsområde:", "Fant {n} arbeidsområder:", len(d.found)).format(
            n=integer(len(d.found))))
        who = [f"{f.name} ({f.number})" for f in d.found]
        width = max(len(w) for w in who)
        lines += [f"  {w:<{width}}  {f.path}" for w, f in zip(who, d.found, strict=True)]
    else:
        lines.append(_("Fant ingen arbeidsområder."))
    if d.skipped:
        lines.append(n_("Hoppet over {n} mappe:", "Hoppet over {n} mapper:", len(d.skipped)).format(
            n=integer(len(d.skipped))))
        lines += [f"  {s.path}: {s.reason}" for s in d.skipped[:MAX_SKIPPED_SHOWN]]
        if len(d.skipped) > MAX_SKIPPED_SHOWN:
            lines.append("  " + _("… og {n} til.").format(n=integer(len(d.skipped) - MAX_SKIPPED_SHOWN)))
    return lines


def run_region(dirs: list[Path], out: Path, *, year: int | None = None, anonymize: bool = False, pdf: bool = False,
               skip_invalid: bool = False, workers: int | None = None, quiet: bool = False,
               depth: int = DEFAULT_DEPTH, key: Path | None = None, cache: bool = True,
               progress: Progress = no_progress, warn: Callable[[str], None] = _ignore,
               say: Callable[[str], None] = _ignore) -> tuple[Region, RegionFiles]:
    """Find, collect, check, build and write. Nothing is written if a workspace is broken (unless skip_invalid).

    ``say`` gets the list of what the search found and passed by (not with ``quiet``)."""
    if out.exists() and not out.is_dir():
        raise SamordnaError(_("{path} er en fil, ikke en mappe. Fylkesbildet skrives til en mappe med flere filer: "
                              "velg et annet navn med --out. Ingenting er skrevet.").format(path=out), path=out)
    if key is not None and not anonymize:
        raise SamordnaError(_("--key hører sammen med --anonymize: uten den står kommunenes navn i rapporten, og "
                              "det trengs ingen nøkkel. Ingenting er skrevet."))
    if key is not None:
        from samordna.outputs.region_key import check_key_path

        check_key_path(key, out)
    discovery = find_workspaces(dirs, depth=depth)
    if not quiet:
        for line in discovery_lines(discovery):
            say(line)
    found = discovery.found
    workers = workers or (min(2, os.cpu_count() or 1) if len(found) > 40 else 1)
    with progress(len(found), _("Leser arbeidsområdene")) as tick:
        collection = collect(discovery, workers=workers, progress=tick, cache=cache)
    if collection.problems and not skip_invalid:
        n = len(collection.problems)
        raise SamordnaError(
            n_("{n} mappe kan ikke leses. Ingenting er skrevet. Rett feilene, eller kjør med --skip-invalid for å "
               "hoppe over dem:",
               "{n} mapper kan ikke leses. Ingenting er skrevet. Rett feilene, eller kjør med --skip-invalid for å "
               "hoppe over dem:", n).format(n=integer(n)),
            problems=[_named(p) for p in collection.problems])
    for p in collection.problems:
        warn(_("Hoppet over {path}: {problem}").format(path=p.path, problem=short(p.message)))
    region = build_region(collection, year)
    skipped = [] if anonymize else [p.path.name for p in collection.problems]
    if anonymize and collection.problems:
        n = len(collection.problems)
        skipped = [n_("{n} arbeidsområde (navn holdt tilbake)", "{n} arbeidsområder (navn holdt tilbake)", n).format(
            n=integer(n))]
    with progress(len(region.entries), _("Skriver rapporten")) as tick:
        files = write_region(region, out, anonymize=anonymize, pdf=pdf, skipped=skipped, progress=tick, key=key)
    return region, files
