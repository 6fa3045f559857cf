"""Atomic writes: a temp file in the same folder, flushed and fsynced, then renamed.

A crash, a killed process or Ctrl-C leaves either the old file or the new one,
never half of one.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from samordna.core.errors import FileLockedError


def _mode_for(path: Path) -> int:
    """Keep an existing file's permissions; a new file gets the usual ones (0666 minus umask)."""
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def atomic_write_bytes(path: Path, data: bytes) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = _mode_for(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, mode)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.replace(tmp, path)
        except PermissionError as exc:
            raise FileLockedError(
                f"Kan ikke skrive {path}: filen er låst eller åpen i et annet program. "
                "Lukk den (for eksempel i Excel) og prøv igjen.",
                path=path,
            ) from exc
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


class _Dumper(yaml.SafeDumper):
    """YAML dumper that keeps key order and writes multi-line strings as blocks."""


def _str_representer(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str_representer)


def dump_yaml(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)


def write_yaml(path: Path, data: Any, header: str | None = None) -> None:
    text = dump_yaml(data)
    if header:
        text = "".join(f"# {line}\n" if line else "#\n" for line in header.splitlines()) + text
    atomic_write_text(path, text)


def backup_file(path: Path) -> Path | None:
    """Copy ``path`` to a timestamped sibling backup; return the backup path."""
    path = Path(path)
    if not path.exists():
        return None
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    backup = path.with_name(f"{path.stem}.sikkerhetskopi-{stamp}{path.suffix}")
    n = 1
    while backup.exists():
        n += 1
        backup = path.with_name(f"{path.stem}.sikkerhetskopi-{stamp}-{n}{path.suffix}")
    try:
        shutil.copy2(path, backup)
    except PermissionError as exc:
        raise FileLockedError(f"Kan ikke lese {path} for sikkerhetskopi: filen er låst.", path=path) from exc
    return backup
