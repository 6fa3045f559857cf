"""All or nothing for changes that touch several files (``import`` of many forms).

The new files are first written into a staging folder beside their target
folder (``runder/<id>/.import-<token>/``). When all are written, a small journal
(``journal.json``, written atomically) lists them: that is the moment the change
is made. Then each file is renamed into place, and the staging folder removed.

A crash before the journal exists leaves only the staging folder: the change
never happened, and the next writer removes it. A crash after it leaves a
complete journal: the change happened; readers see the staged files through
``pending`` and the next writer finishes the renames. The next writer also
removes a half-built round (``runder/.<id>.ny/``) and temp files from writes
that were cut off.

Everything here except ``pending`` must run while the workspace lock is held.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import uuid
from collections.abc import Callable
from pathlib import Path

from samordna.i18n import _, n_
from samordna.io.atomic import atomic_write_bytes, atomic_write_text, fsync_dir

STAGING_PREFIX = ".import-"
JOURNAL = "journal.json"
NEW_ROUND_SUFFIX = ".ny"

__all__ = ["commit_files", "pending", "recover"]


def _journal(staging: Path) -> list[str] | None:
    """The file names a complete journal lists; None when there is no (readable) journal."""
    try:
        data = json.loads((staging / JOURNAL).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != 1 or not isinstance(data.get("files"), list):
        return None
    files: list[object] = data["files"]
    return [f for f in files if isinstance(f, str) and _plain_name(f)]


def _plain_name(name: str) -> bool:
    return bool(name) and name == Path(name).name and name not in (".", "..") and not name.startswith(".")


def _target(staging: Path) -> Path | None:
    try:
        data = json.loads((staging / JOURNAL).read_text(encoding="utf-8"))
        target = data["target"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return staging.parent / target if isinstance(target, str) and _plain_name(target) else None


def commit_files(parent: Path, target: str, files: dict[str, bytes]) -> list[Path]:
    """Write ``files`` (name -> bytes) into ``parent/target``, all of them or none.

    Call with the workspace lock held. Returns the paths written.
    """
    staging = parent / f"{STAGING_PREFIX}{uuid.uuid4().hex[:12]}"
    staging.mkdir(parents=True)
    try:
        for name, data in files.items():
            atomic_write_bytes(staging / name, data)
        journal = {"format": 1, "target": target, "files": list(files)}
        atomic_write_text(staging / JOURNAL, json.dumps(journal, ensure_ascii=False) + "\n")  # the change is made
    except BaseException:
        with contextlib.suppress(OSError):
            shutil.rmtree(staging)
        raise
    _roll_forward(staging)
    return [parent / target / name for name in files]


def _roll_forward(staging: Path) -> int:
    """Move a committed staging folder's files into place; return how many were still to move."""
    names = _journal(staging) or []
    target = _target(staging)
    moved = 0
    if target is not None:
        target.mkdir(parents=True, exist_ok=True)
        for name in names:
            src = staging / name
            if src.exists():
                os.replace(src, target / name)
                moved += 1
        fsync_dir(target)
    (staging / JOURNAL).unlink(missing_ok=True)  # from here on the folder is only leftovers
    shutil.rmtree(staging, ignore_errors=True)
    return moved


def pending(parent: Path, target: str) -> dict[str, Path]:
    """Files committed into ``parent/target`` whose rename is not done yet: name -> where it is now.

    Readers use this (without the lock) so a change cut off halfway is seen whole.
    """
    out: dict[str, Path] = {}
    try:
        stagings = sorted(parent.glob(f"{STAGING_PREFIX}*"))
    except OSError:
        return out
    for staging in stagings:
        if _target(staging) != parent / target:
            continue
        for name in _journal(staging) or []:
            if (staging / name).exists():
                out[name] = staging / name
    return out


def _remove_temp_files(folder: Path, patterns: tuple[str, ...]) -> None:
    for pattern in patterns:
        for tmp in folder.glob(pattern):
            with contextlib.suppress(OSError):
                if tmp.is_file():
                    tmp.unlink()


def recover(root: Path, rounds_dir: str, notify: Callable[[str], None]) -> None:
    """Finish or undo what a crashed writer left. Call right after taking the workspace lock."""
    _remove_temp_files(root, (".handlingsplan-*.xlsx.*.tmp", ".*.yaml.*.tmp"))
    rounds = root / rounds_dir
    try:
        entries = sorted(rounds.iterdir()) if rounds.is_dir() else []
    except OSError:
        return
    for entry in entries:
        if not entry.is_dir():
            continue
        if entry.name.startswith(".") and entry.name.endswith(NEW_ROUND_SUFFIX):
            shutil.rmtree(entry, ignore_errors=True)
            notify(_("Fjernet en runde som ble avbrutt før den var ferdig ({folder}).").format(
                folder=f"{rounds_dir}/{entry.name}"))
            continue
        for staging in sorted(entry.glob(f"{STAGING_PREFIX}*")):
            if not staging.is_dir():
                continue
            if _journal(staging) is not None and _target(staging) is not None:
                n = _roll_forward(staging)
                if n:
                    notify(n_("Fullførte en import i runde {round} som ble avbrutt: {n} svarfil(er) er flyttet på plass.",
                              "Fullførte en import i runde {round} som ble avbrutt: {n} svarfil(er) er flyttet på plass.",
                              n).format(round=entry.name, n=n))
            else:
                emptied = not any(staging.rglob("*.yaml"))  # killed after the files were moved: the import is whole
                shutil.rmtree(staging, ignore_errors=True)
                if not emptied:
                    notify(_("Fjernet rester av en import i runde {round} som ble avbrutt før den var ferdig; "
                             "ingenting av den er lest inn.").format(round=entry.name))
        _remove_temp_files(entry, (".*.yaml.*.tmp",))
        _remove_temp_files(entry / "svar", (".*.yaml.*.tmp",))
