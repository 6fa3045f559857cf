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
from samordna.i18n import _


def _mode_for(path: Path) -> int:
    """Keep an existing file's permissions; a new file gets the usual ones (0666 minus umask)."""
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def fsync_dir(folder: Path) -> None:
    """Make renames in ``folder`` durable (POSIX; a no-op where folders cannot be opened, as on Windows)."""
    if os.name == "nt":  # pragma: no cover
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write_bytes(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Write ``data`` to ``path`` through a temp file and a rename: a reader sees the old file or the new one.
    ``durable=False`` skips the fsyncs, for files that may be lost in a power cut (a cache)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = _mode_for(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, mode)
        with os.fdopen(fd, "wb") as fh:
            try:
                fh.write(data)
                fh.flush()
                if durable:
                    os.fsync(fh.fileno())
            except OSError as exc:  # a full disk names no file: name the one being written
                if exc.filename is None and exc.errno is not None:
                    raise OSError(exc.errno, exc.strerror, str(path)) from exc
                raise
        try:
            os.replace(tmp, path)
        except PermissionError as exc:
            raise FileLockedError(
                _("Kan ikke skrive {path}: filen er låst eller åpen i et annet program. "
                  "Lukk den (for eksempel i Excel) og prøv igjen.").format(path=path),
                path=path,
            ) from exc
        if durable:
            fsync_dir(path.parent)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def atomic_write_text(path: Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


# libyaml's emitter (when PyYAML has it) writes the same bytes as the pure-Python one, six times faster.
_BaseDumper: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class _Dumper(_BaseDumper):  # type: ignore[valid-type,misc]
    """YAML dumper that keeps key order and writes multi-line strings as blocks."""


def _str_representer(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str_representer)


def dump_yaml(data: Any) -> str:
    """``data`` as YAML (block style, keys in order, multi-line text as blocks). The plain shape of the files
    samordna writes most (answers, consensus) is written by ``yaml_plain.write_plain``, byte for byte the same."""
    from samordna.io.yaml_plain import write_plain

    text = write_plain(data)
    return text if text is not None else _pyyaml_dump(data)


def _pyyaml_dump(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)


def yaml_text(data: Any, header: str | None = None) -> str:
    """``data`` as YAML, below ``header`` as comment lines."""
    text = dump_yaml(data)
    if header:
        text = "".join(f"# {line}\n" if line else "#\n" for line in header.splitlines()) + text
    return text


def write_yaml(path: Path, data: Any, header: str | None = None) -> None:
    atomic_write_text(path, yaml_text(data, header))


BACKUPS_KEPT = 5


def backup_file(path: Path, keep: int | None = BACKUPS_KEPT) -> Path | None:
    """Copy ``path`` to a sibling backup named by the time, «<name>.sikkerhetskopi-<ååååmmdd-ttmmss>[-n]<ext>»
    (written whole or not at all); then keep only the newest ``keep`` backups of that file. Return the backup."""
    path = Path(path)
    if not path.exists():
        return None
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    n = max([k[1] for k, _p in _backups(path) if k[0] == stamp], default=0) + 1  # later than any from this second
    backup = path.with_name(f"{path.stem}.sikkerhetskopi-{stamp}{f'-{n}' if n > 1 else ''}{path.suffix}")
    while backup.exists():
        n += 1
        backup = path.with_name(f"{path.stem}.sikkerhetskopi-{stamp}-{n}{path.suffix}")
    fd, tmp = tempfile.mkstemp(prefix=f".{backup.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        shutil.copy2(path, tmp)
        os.replace(tmp, backup)
    except PermissionError as exc:
        raise FileLockedError(_("Kan ikke lese {path} for sikkerhetskopi: filen er låst.").format(path=path),
                              path=path) from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
    if keep is not None:
        for old in backups_of(path)[:-keep]:
            with contextlib.suppress(OSError):
                old.unlink()
    return backup


def backups_of(path: Path) -> list[Path]:
    """The backups ``backup_file`` made of ``path`` (and only of that file), oldest first."""
    return [p for _k, p in _backups(path)]


def _backups(path: Path) -> list[tuple[tuple[str, int], Path]]:
    import glob
    import re

    path = Path(path)
    pattern = re.compile(re.escape(path.stem) + r"\.sikkerhetskopi-(\d{8}-\d{6})(?:-(\d+))?" + re.escape(path.suffix))
    found = []
    for p in path.parent.glob(f"{glob.escape(path.stem)}.sikkerhetskopi-*{glob.escape(path.suffix)}"):
        if m := pattern.fullmatch(p.name):
            found.append(((m.group(1), int(m.group(2) or 1)), p))
    return sorted(found)
