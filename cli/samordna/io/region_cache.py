"""The county view's cache: each workspace's computed levels, so a second ``region`` over the same folders is quick.

One small JSON file per workspace in the user's cache folder (``platformdirs.user_cache_dir("samordna")/region``,
or ``$SAMORDNA_CACHE_DIR/region``), never in a workspace: a county adviser may read other municipalities' folders
from a read-only share, and their folders are theirs. The file is named by a hash of the workspace's folder and
holds:

* the key: a SHA-256 of every file the computation reads (kommune.yaml, sektorer.yaml, everything under
  runder/: round files, bank snapshots, local additions, answers, consensus, priorities, an import's journal),
  with their paths, the samordna version and the shipped sector list. Any change, even one byte, gives another
  key, and the workspace is computed again. The bank's id and version are in its snapshot under runder/.
* only what ``core.region`` uses and the outputs show: the municipality's name and number and each round's
  levels (``RoundLevels``: consensus or median per indicator, the group's legal-minimum answers, verdicts, how
  many took part), and the young people's mirror only as it may be shown (``core.region.mirror_levels``: a group
  under the limit is None, never a number). Never an individual answer, a participant code, a comment, a
  rationale or dissent.

A cache file that is damaged, foreign, from another version or for other content is ignored and written anew;
a cache folder that cannot be written means no cache, never an error. Writes go to a temporary file that is
renamed into place (``io.atomic``), so a reader sees a whole file or none; they are not fsynced (a file lost in a power cut is
computed again).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
import time
from dataclasses import fields
from pathlib import Path
from typing import Any

from samordna import __version__
from samordna.core.errors import SamordnaError
from samordna.core.region import Municipality, RoundLevels, mirror_levels_ok
from samordna.io.atomic import atomic_write_bytes
from samordna.io.resources import data_path

ENV = "SAMORDNA_CACHE_DIR"
FORMAT = "samordna-region-cache"
FORMAT_VERSION = 3  # 2: the municipality's language form; 3: the young people's mirror (as it may be shown)
SUBDIR = "region"
_ROOT_FILES = ("kommune.yaml", "sektorer.yaml")
_ROUNDS = "runder"


def cache_dir() -> Path:
    """Where the county view keeps its cache (not created here)."""
    own = os.environ.get(ENV)
    if own:
        return Path(own) / SUBDIR
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("samordna", appauthor=False)) / SUBDIR


_SALT: bytes | None = None


def _salt() -> bytes:
    """What every key depends on besides the workspace: the format, samordna's version, the shipped sector list."""
    global _SALT
    if _SALT is None:
        h = hashlib.sha256(f"{FORMAT}/{FORMAT_VERSION}/{__version__}\0".encode())
        with contextlib.suppress(OSError):
            h.update((data_path("assessments") / "sektorer.yaml").read_bytes())
        _SALT = h.digest()
    return _SALT


def _files(root: Path) -> list[tuple[str, str]]:
    """(name relative to ``root``, path) of every file the computation can read, in a fixed order."""
    base = os.fspath(root)
    out = [(name, os.path.join(base, name)) for name in _ROOT_FILES]
    stack = [(os.path.join(base, _ROUNDS), _ROUNDS)]
    while stack:
        folder, rel = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue
        for e in entries:
            name = f"{rel}/{e.name}"
            if e.is_dir(follow_symlinks=False):
                stack.append((e.path, name))
            else:
                out.append((name, e.path))
    return out


RACY_NS = 2_000_000_000  # a file changed this close to the moment it was read is hashed again next time


def _stat_line(name: str, st: os.stat_result) -> bytes:
    return f"{name}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ctime_ns}\0{st.st_ino}\0{st.st_dev}\0".encode()


def stat_key(root: Path) -> tuple[str, int]:
    """A SHA-256 (hex) of every file's name, size, times and inode (no content read), and the newest change time
    among them in ns. Equal to an entry's: the files are the ones hashed for it (as git's index decides)."""
    h = hashlib.sha256(_salt())
    newest = 0
    for name, path in _files(root):
        try:
            st = os.stat(path)
        except OSError:
            continue
        newest = max(newest, st.st_mtime_ns, st.st_ctime_ns)
        h.update(_stat_line(name, st))
    return h.hexdigest(), newest


def both_keys(root: Path) -> tuple[str, str, int]:
    """``content_key``, and ``stat_key`` with its newest time, in one pass over the files (each opened once; its
    times read from the open file). What a first run needs, with no entry to compare."""
    content, stats = hashlib.sha256(_salt()), hashlib.sha256(_salt())
    newest = 0
    for name, path in _files(root):
        data, st = _regular_bytes(path, with_stat=True)
        if st is None:
            continue
        newest = max(newest, st.st_mtime_ns, st.st_ctime_ns)
        stats.update(_stat_line(name, st))
        if data is not None:
            content.update(f"{name}\0{len(data)}\0".encode())
            content.update(data)
    return content.hexdigest(), stats.hexdigest(), newest


def content_key(root: Path) -> str:
    """SHA-256 (hex) of every file under ``root`` the county view reads, their names and what the key depends on.

    A file that cannot be read counts as missing (the computation then says what is wrong)."""
    h = hashlib.sha256(_salt())
    for name, path in _files(root):
        data = _regular_bytes(path)
        if data is None:
            continue  # missing (kommune.yaml, sektorer.yaml), a FIFO or unreadable: the loader words it
        h.update(f"{name}\0{len(data)}\0".encode())
        h.update(data)
    return h.hexdigest()


def _regular_bytes(path: str, *, with_stat: bool = False) -> Any:
    """The bytes of a regular file; None for anything else (opened without blocking, so a FIFO never hangs).
    ``with_stat``: (bytes or None, the file's stat or None when it is not there), the stat as ``os.stat`` gives it."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError:
        if not with_stat:
            return None
        try:
            return None, os.stat(path)  # there, but not readable: counted by its times, not its content
        except OSError:
            return None, None
    with os.fdopen(fd, "rb") as fh:
        try:
            st = os.fstat(fd)
            data = fh.read() if stat.S_ISREG(st.st_mode) else None
        except OSError:
            return (None, os.stat(path)) if with_stat else None
        return (data, st) if with_stat else data


def _entry_path(folder: Path, root: Path) -> Path:
    where = str(Path(os.path.abspath(root)))
    return folder / f"{hashlib.sha256(where.encode('utf-8', 'surrogatepass')).hexdigest()[:32]}.json"


def _inside(path: Path, root: Path) -> bool:
    try:
        return Path(os.path.realpath(path)).is_relative_to(os.path.realpath(root))
    except OSError:
        return True


def _to_json(m: Municipality, banks: dict[str, str], key: str, stats: str | None = None) -> bytes:
    rounds = [{f: getattr(r, f) for f in _FIELD_ORDER} for r in m.rounds]  # all plain values: no deep copy
    doc = {"format": FORMAT, "version": FORMAT_VERSION, "samordna": __version__, "key": key, "stats": stats,
           "name": m.name, "number": m.number, "language": m.language, "rounds": rounds, "banks": banks}
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode("utf-8")


_FIELD_ORDER = [f.name for f in fields(RoundLevels)]
_FIELDS = set(_FIELD_ORDER)  # a field added later makes older entries foreign
_TYPES: list[tuple[str, type | tuple[type, ...]]] = [
    ("round", str), ("year", int), ("bank_label", str), ("n_participants", int), ("n_consensus", int),
    ("indicators", dict), ("local", list), ("legal", dict), ("verdicts", dict), ("mirror", (dict, type(None)))]


def _from_json(raw: bytes, key: str | None, root: Path, stats: str | None = None
               ) -> tuple[Municipality, dict[str, str]] | None:
    """The cached municipality and {bank label: round id}, or None unless the file is whole, ours and for ``key``
    (or, without a key, for the files' ``stats``)."""
    try:
        doc: Any = json.loads(raw)
        if not (isinstance(doc, dict) and doc.get("format") == FORMAT and doc.get("version") == FORMAT_VERSION
                and doc.get("samordna") == __version__):
            return None
        if not (doc.get("key") == key if key is not None else stats is not None and doc.get("stats") == stats):
            return None
        rounds = []
        for r in doc["rounds"]:
            if not (isinstance(r, dict) and set(r) == _FIELDS and all(isinstance(r[k], t) for k, t in _TYPES)
                    and mirror_levels_ok(r["mirror"])):
                return None
            rounds.append(RoundLevels(**r))
        banks = doc["banks"]
        if not (isinstance(doc["name"], str) and isinstance(doc["number"], str) and isinstance(banks, dict)
                and all(isinstance(v, str) for v in banks.values()) and doc["language"] in (None, "nb", "nn", "en")):
            return None
        return Municipality(doc["name"], doc["number"], root, rounds, language=doc["language"]), banks
    except (ValueError, TypeError, KeyError, AttributeError):
        return None


class RegionCache:
    """Read and write the cache entries of one ``region`` run (``enabled=False``: neither)."""

    def __init__(self, folder: Path | None = None, *, enabled: bool = True):
        self.folder = folder if folder is not None else cache_dir()
        self.enabled = enabled
        self.hits = self.misses = 0

    def _entry(self, root: Path) -> bytes | None:
        try:
            return _entry_path(self.folder, root).read_bytes()
        except OSError:
            return None

    def lookup(self, root: Path) -> tuple[tuple[Municipality, dict[str, str]] | None, str, str | None]:
        """(the cached result or None, the content key, the stat key to store with a new entry).

        When every file's name, size, times and inode are as when the entry was written, and none had changed
        within two seconds of being read then, the files are the ones hashed for it: the entry is used without
        reading them. Otherwise their content is hashed and compared with the entry's key."""
        read_at = time.time_ns()
        raw = self._entry(root)
        if raw is None:  # nothing to compare with: both keys for the new entry, in one pass over the files
            key, stats, newest = both_keys(root)
            self.misses += 1
            return None, key, stats if newest < read_at - RACY_NS else None
        stats, newest = stat_key(root)
        trusted = stats if newest < read_at - RACY_NS else None  # a file changed just now: hash it next time too
        if trusted is not None:
            found = _from_json(raw, None, Path(root), trusted)
            if found is not None:
                self.hits += 1
                return found, "", trusted
        key = content_key(root)
        found = _from_json(raw, key, Path(root))
        if found is None:
            self.misses += 1
        else:
            self.hits += 1
            if trusted is not None:  # the same content, other times (copied, touched): next time by the times
                self.put(root, key, *found, stats=trusted)
        return found, key, trusted

    def put(self, root: Path, key: str, m: Municipality, banks: dict[str, str], *, stats: str | None = None) -> None:
        """Keep the result; silently nothing when the folder cannot be written or lies inside the workspace."""
        if not self.enabled or _inside(self.folder, root):
            return
        with contextlib.suppress(OSError, ValueError, SamordnaError):  # read-only, full or locked: no cache this time
            atomic_write_bytes(_entry_path(self.folder, root), _to_json(m, banks, key, stats), durable=False)
