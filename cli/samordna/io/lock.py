"""One writer at a time: a small lock file in the workspace root.

Every command that changes the workspace holds the lock only around its
read-modify-write (a few milliseconds to a few seconds), never for a whole
interactive session; reading never takes it. A second writer waits briefly and
then stops with a clear message (exit 2).

The lock file (``.samordna.lock``) is created with O_CREAT|O_EXCL and holds, as
a line of JSON, who holds it: host, process id, command and time. A lock left by
a process that no longer runs on this machine is taken over at once; a lock from
another machine (a shared network folder) only when it is older than two hours.
Either way the user is told.

The lock is re-entrant within one process and thread, so a function that takes
it can call another that takes it too.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import socket
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from samordna.core.errors import SamordnaError
from samordna.i18n import _

LOCK_NAME = ".samordna.lock"
GUARD_NAME = ".samordna.lock.overtak"  # held for a moment while a stale lock is removed
WAIT_SECONDS = 10.0  # how long a second writer waits (SAMORDNA_LOCK_WAIT overrides, in seconds)
POLL_SECONDS = 0.05
OTHER_HOST_STALE_SECONDS = 2 * 3600
UNREADABLE_GRACE_SECONDS = 5.0  # a lock file is written right after it is created; empty for longer means a crash
GUARD_STALE_SECONDS = 10.0

__all__ = ["LOCK_NAME", "LockInfo", "WorkspaceBusyError", "default_command", "read_lock", "workspace_lock"]


class WorkspaceBusyError(SamordnaError):
    """Another process holds the workspace lock for longer than we wait."""


def _notice(text: str) -> None:
    print(_("Merk: {warning}").format(warning=text), file=sys.stderr, flush=True)


notify: Callable[[str], None] = _notice  # what to do with «the lock was taken over» (replaceable in tests)


@dataclass(frozen=True)
class LockInfo:
    host: str
    pid: int
    command: str
    since: str  # local time, ISO, for people
    epoch: float  # the same, for comparisons
    token: str
    raw: bytes  # the file as read (to check nobody replaced it meanwhile)

    def describe(self) -> str:
        return _("{command} (prosess {pid} på {host}, siden {when})").format(command=self.command, pid=self.pid,
                                                                            host=self.host, when=_when(self.epoch))


def _when(epoch: float) -> str:
    t = datetime.fromtimestamp(epoch)
    return t.strftime("%H:%M:%S") if t.date() == datetime.now().date() else t.strftime("%Y-%m-%d %H:%M")


def default_command() -> str:
    """«samordna <command>» when run as the samordna program, else «samordna»."""
    argv = sys.argv or [""]
    prog = Path(argv[0]).name.lower()
    if prog in ("samordna", "samordna.exe", "__main__.py"):
        words = [a for a in argv[1:] if not a.startswith("-")][:1]
        return " ".join(["samordna", *words])
    return "samordna"


# --- reading a lock file ---------------------------------------------------------------


def read_lock(path: Path) -> LockInfo | None:
    """The lock's holder; None if there is no lock file. A file that cannot be parsed gives pid 0."""
    try:
        raw = Path(path).read_bytes()
        mtime = Path(path).stat().st_mtime
    except FileNotFoundError:
        return None
    except OSError:
        raw, mtime = b"", time.time()
    try:
        data = json.loads(raw.decode("utf-8"))
        return LockInfo(host=str(data["host"]), pid=int(data["pid"]), command=str(data["command"]),
                        since=str(data["since"]), epoch=float(data["epoch"]), token=str(data["token"]), raw=raw)
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        return LockInfo(host="", pid=0, command="samordna", since="", epoch=mtime, token="", raw=raw)


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if os.name == "nt":  # pragma: no cover - Windows: os.kill(pid, 0) would end the process
        import ctypes

        kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
        handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not handle:
            return bool(kernel32.GetLastError() == 5)  # access denied: it exists
        code = ctypes.c_ulong()
        ok = kernel32.GetExitCodeProcess(handle, ctypes.byref(code))
        kernel32.CloseHandle(handle)
        return bool(ok) and code.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists but belongs to someone else
    return not _linux_not_the_holder(pid)


def _linux_not_the_holder(pid: int, since: float | None = None) -> bool:
    """True when /proc shows ``pid`` is a zombie, or (given ``since``) a process started after the lock was taken."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    fields = stat.rsplit(")", 1)[-1].split()
    if fields and fields[0] in ("Z", "X"):
        return True
    if since is None or len(fields) < 20:
        return False
    try:
        boot = next(float(line.split()[1]) for line in Path("/proc/stat").read_text().splitlines()
                    if line.startswith("btime "))
        started = boot + int(fields[19]) / os.sysconf("SC_CLK_TCK")
    except (OSError, StopIteration, ValueError, IndexError):
        return False
    return started > since + 2  # the id was reused by a newer process


def _stale(info: LockInfo, host: str) -> str | None:
    """What to tell the user when ``info`` is a lock nobody holds any more; None if it is live."""
    age = time.time() - info.epoch
    if not info.token:
        if age > UNREADABLE_GRACE_SECONDS:
            return _("En ufullstendig lås etter et avbrudd er fjernet fra arbeidsområdet.")
        return None
    if info.host == host:
        if info.pid == os.getpid():
            held_here = any(h.token == info.token for h in _held.values())
            return None if held_here else _("{holder} holdt fortsatt låsen på arbeidsområdet. Låsen er tatt over.").format(
                holder=info.describe())
        if not _pid_alive(info.pid) or _linux_not_the_holder(info.pid, info.epoch):
            return _("{holder} ble avbrutt og holdt fortsatt låsen på arbeidsområdet. Låsen er tatt over.").format(
                holder=info.describe())
        return None
    if age > OTHER_HOST_STALE_SECONDS:
        return (_("Låsen fra {holder} er mer enn {hours} timer gammel og er tatt over. "
                  "Kjører samordna fortsatt på den maskinen, bør det avsluttes.").format(
                    holder=info.describe(), hours=OTHER_HOST_STALE_SECONDS // 3600))
    return None


# --- taking and releasing ------------------------------------------------------------------


@dataclass
class _Held:
    token: str
    thread: int
    pid: int
    depth: int


_held: dict[str, _Held] = {}
_held_guard = threading.Lock()


def _wait_seconds() -> float:
    try:
        return max(0.0, float(os.environ.get("SAMORDNA_LOCK_WAIT", WAIT_SECONDS)))
    except ValueError:
        return WAIT_SECONDS


def _cannot_write(root: Path, exc: OSError) -> SamordnaError:
    reasons = {errno.EROFS: _("mappen er skrivebeskyttet"), errno.EACCES: _("du har ikke skrivetilgang til mappen"),
               errno.EPERM: _("du har ikke skrivetilgang til mappen"), errno.ENOSPC: _("disken er full"),
               errno.ENOENT: _("mappen finnes ikke")}
    reason = reasons.get(exc.errno or 0, exc.strerror or str(exc))
    return SamordnaError(_("Kan ikke skrive i arbeidsområdet {root}: {reason}. Ingenting er endret.").format(
        root=root, reason=reason), path=root)


def _create(path: Path, command: str, host: str) -> str:
    """Create the lock file (FileExistsError if it exists); return its token."""
    token = uuid.uuid4().hex
    now = time.time()
    data = {"host": host, "pid": os.getpid(), "command": command,
            "since": datetime.fromtimestamp(now).isoformat(timespec="seconds"), "epoch": now, "token": token}
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    try:
        os.write(fd, (json.dumps(data, ensure_ascii=False) + "\n").encode("utf-8"))
    finally:
        os.close(fd)
    return token


def _take_over(path: Path, seen: LockInfo, why: str) -> bool:
    """Remove the stale lock ``seen`` if it is still the one there; only one process at a time does this."""
    guard = path.with_name(GUARD_NAME)
    try:
        fd = os.open(guard, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    except FileExistsError:
        with contextlib.suppress(OSError):
            if time.time() - guard.stat().st_mtime > GUARD_STALE_SECONDS:
                guard.unlink()
        return False
    os.close(fd)
    try:
        now = read_lock(path)
        if now is None or now.raw != seen.raw:
            return False
        path.unlink()
    finally:
        with contextlib.suppress(OSError):
            guard.unlink()
    notify(why)
    return True


def _acquire(root: Path, command: str) -> str:
    path = root / LOCK_NAME
    host = socket.gethostname()
    deadline = time.monotonic() + _wait_seconds()
    while True:
        try:
            return _create(path, command, host)
        except FileExistsError:
            pass
        except OSError as exc:
            raise _cannot_write(root, exc) from None
        info = read_lock(path)
        if info is None:
            continue  # released meanwhile
        why = _stale(info, host)
        if why is not None:
            try:
                if _take_over(path, info, why):
                    continue
            except OSError as exc:
                raise _cannot_write(root, exc) from None
        if time.monotonic() >= deadline:
            raise _busy(path, info, host)
        time.sleep(POLL_SECONDS)


def _busy(path: Path, info: LockInfo, host: str) -> WorkspaceBusyError:
    text = _("Arbeidsområdet er i bruk av {holder}. Prøv igjen om litt.").format(holder=info.describe())
    if not info.token:
        text = _("Arbeidsområdet er i bruk av en annen samordna-prosess akkurat nå. Prøv igjen om litt.")
    elif info.host != host:
        text += " " + _("Låsen er satt fra en annen maskin. Kjører ikke samordna der lenger, kan du slette {path}; "
                        "etter {hours} timer tas den over av seg selv.").format(path=path,
                                                                            hours=OTHER_HOST_STALE_SECONDS // 3600)
    return WorkspaceBusyError(text, path=path)


def _release(root: Path, token: str) -> None:
    path = root / LOCK_NAME
    info = read_lock(path)
    if info is not None and info.token == token:  # never remove a lock someone else took over
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


@contextlib.contextmanager
def workspace_lock(root: Path, command: str | None = None,
                   on_acquire: Callable[[], None] | None = None) -> Iterator[None]:
    """Hold the workspace lock for the ``with`` block; ``on_acquire`` runs once the outermost hold is taken."""
    root = Path(root)
    key = os.path.normcase(os.path.abspath(root))
    me = threading.get_ident()
    with _held_guard:
        held = _held.get(key)
        if held is not None and held.pid != os.getpid():  # inherited through fork: not ours
            del _held[key]
            held = None
        if held is not None and held.thread == me:
            held.depth += 1
        else:
            held = None
    if held is not None:
        try:
            yield
        finally:
            held.depth -= 1
        return
    token = _acquire(root, command or default_command())
    hold = _Held(token, me, os.getpid(), 1)
    with _held_guard:
        _held[key] = hold
    try:
        if on_acquire is not None:
            on_acquire()
        yield
    finally:
        with _held_guard:
            _held.pop(key, None)
        _release(root, token)
