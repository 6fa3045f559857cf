"""PINs for participant codes: only a salted hash is stored, in the round folder (``pinkoder.yaml``).

``kit`` gives each new code a PIN that is printed only on the person's cut-out slip. To resume or
review answers already saved under a code that has a PIN, ``assess`` asks for it. The file holds
a random salt and a PBKDF2 hash per code, never the PIN itself. A four-digit PIN keeps someone at a
shared laptop from opening another person's answers by typing their code; it is not meant to stop
someone who can read the round folder (the answer files are there in plain text).

Rounds without the file (earlier rounds, the sample) work as before: no code there has a PIN.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import random
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from samordna.core.codes import code_problem
from samordna.core.errors import SamordnaError
from samordna.i18n import N_, _
from samordna.io.atomic import write_yaml
from samordna.io.yamlio import load_yaml

PIN_FILE = "pinkoder.yaml"
PIN_DIGITS = 4
ITERATIONS = 20_000  # one core hashes a kit of 99 codes in about a second (``hash_pins`` uses them all)
MAX_TRIES = 5  # wrong PINs in a row before the code is closed for a while
PAUSE = timedelta(minutes=15)  # how long; then MAX_TRIES more (guessing one of 10 000 PINs takes weeks)
HEADER = N_("PIN-kodene til deltakerkodene i runden, lagret som hash (PIN-kodene selv står bare på deltakerlappene). "
            "Skrevet av samordna; ikke rediger.")


class _Lockable(Protocol):
    def lock(self, command: str | None = None) -> contextlib.AbstractContextManager[None]: ...


class RoundPins(Protocol):
    dir: Path

    @property
    def workspace(self) -> _Lockable: ...

    @property
    def id(self) -> str: ...

    def participant_path(self, code: str) -> Path: ...


def pin_path(rnd: RoundPins) -> Path:
    return rnd.dir / PIN_FILE


def make_pin(rng: random.Random | None = None) -> str:
    rng = rng or secrets.SystemRandom()
    return "".join(rng.choice("0123456789") for _digit in range(PIN_DIGITS))


def hash_pin(pin: str, salt: bytes) -> str:
    return hashlib.pbkdf2_hmac("sha256", pin.strip().encode("utf-8"), salt, ITERATIONS).hex()


def load_pins(rnd: RoundPins) -> dict[str, dict[str, Any]]:
    """{code: {salt, hash[, failed, last_failed]}}; empty when the round has no PINs."""
    path = pin_path(rnd)
    if not path.exists():
        return {}
    doc = load_yaml(path)
    data = doc.data or {}
    pins = data.get("pins") if isinstance(data, dict) else None
    if not isinstance(pins, dict):
        raise SamordnaError(_("{path}: filen med PIN-koder er skadet (mangler «pins»). Legg tilbake en "
                              "sikkerhetskopi, eller slett filen: da har ingen kode i runden PIN-kode.").format(path=path),
                            path=path)
    out: dict[str, dict[str, Any]] = {}
    for code, entry in pins.items():
        if not (isinstance(entry, dict) and isinstance(entry.get("salt"), str) and isinstance(entry.get("hash"), str)
                and isinstance(entry.get("failed", 0), int) and isinstance(entry.get("last_failed", ""), str)):
            raise SamordnaError(_("{place}: PIN-koden for {code} er skadet. Legg tilbake en sikkerhetskopi, eller "
                                  "slett filen: da har ingen kode i runden PIN-kode.").format(
                place=doc.where(("pins", code)), code=code), path=path)
        out[str(code)] = {k: entry[k] for k in ("salt", "hash", "failed", "last_failed") if k in entry}
    return out


def _save(rnd: RoundPins, stored: dict[str, dict[str, Any]]) -> None:
    write_yaml(pin_path(rnd), {"format": 1, "pins": dict(sorted(stored.items()))}, _(HEADER))


def has_pins(rnd: RoundPins) -> bool:
    """True if kit has handed out codes with PINs in this round."""
    return bool(load_pins(rnd))


def has_pin(rnd: RoundPins, code: str) -> bool:
    return code in load_pins(rnd)


def _matches(entry: dict[str, Any], pin: str | None) -> bool:
    if not pin:
        return False
    try:
        salt = bytes.fromhex(entry["salt"])
    except ValueError:
        return False
    return hmac.compare_digest(hash_pin(pin, salt), entry["hash"])


def check_pin(rnd: RoundPins, code: str, pin: str | None) -> bool:
    """True if ``pin`` is ``code``'s PIN (also True when the code has no PIN). Counts nothing: see ``verify_pin``."""
    entry = load_pins(rnd).get(code)
    return entry is None or _matches(entry, pin)


@dataclass
class Verdict:
    ok: bool
    closed_until: datetime | None = None  # the code is closed after MAX_TRIES wrong PINs in a row
    tries_left: int = MAX_TRIES


def now() -> datetime:
    return datetime.now().replace(microsecond=0)


def verify_pin(rnd: RoundPins, code: str, pin: str | None) -> Verdict:
    """Check ``pin`` for ``code`` and count a wrong one, under the workspace lock.

    After MAX_TRIES wrong PINs in a row the code is closed for PAUSE (not even the right PIN opens it
    meanwhile); the right PIN resets the count. A code without a PIN is always open."""
    with rnd.workspace.lock("samordna assess"):
        stored = load_pins(rnd)
        entry = stored.get(code)
        if entry is None:
            return Verdict(True)
        failed = int(entry.get("failed", 0))
        last = _when(entry.get("last_failed"))
        t = now()
        if failed >= MAX_TRIES and last is not None and t < last + PAUSE:
            return Verdict(False, closed_until=last + PAUSE, tries_left=0)
        if failed >= MAX_TRIES:  # the pause is over: a new set of tries
            failed = 0
        if _matches(entry, pin):
            if "failed" in entry or "last_failed" in entry:
                entry.pop("failed", None)
                entry.pop("last_failed", None)
                _save(rnd, stored)
            return Verdict(True)
        entry["failed"], entry["last_failed"] = failed + 1, t.isoformat()
        _save(rnd, stored)
        left = MAX_TRIES - failed - 1
        return Verdict(False, closed_until=t + PAUSE if left == 0 else None, tries_left=left)


def _when(text: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(text) if isinstance(text, str) else None
    except ValueError:
        return None


def _salted_hash(pin: str) -> dict[str, str]:
    salt = secrets.token_bytes(16)
    return {"salt": salt.hex(), "hash": hash_pin(pin, salt)}


def hash_pins(pins: dict[str, str]) -> dict[str, dict[str, str]]:
    """{code: {salt, hash}} for ``pins`` ({code: PIN}): each with its own salt and the full ITERATIONS.

    The hashes are computed on every core at once (PBKDF2 runs outside Python's interpreter lock), so a
    kit of 99 codes waits for a fraction of the time one core would take; no hash is made any weaker."""
    if len(pins) < 2:
        return {code: _salted_hash(pin) for code, pin in pins.items()}
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=min(len(pins), os.cpu_count() or 1)) as pool:
        return dict(zip(pins, pool.map(_salted_hash, pins.values()), strict=True))


def add_pins(rnd: RoundPins, pins: dict[str, str], hashed: dict[str, dict[str, str]] | None = None) -> None:
    """Store hashes of ``pins`` ({code: PIN}) beside the round's other PINs. Call under the workspace lock.

    ``hashed`` is ``hash_pins(pins)`` when the caller computed it already (``kit`` does, while it builds
    the forms). A code that already has a PIN keeps it: giving it a new one would lock its owner out."""
    stored = load_pins(rnd)
    clash = sorted(set(pins) & set(stored))
    if clash:
        raise SamordnaError(_("{path}: kodene {codes} har allerede PIN-kode. Ingenting er endret.").format(
            path=pin_path(rnd), codes=", ".join(clash)), path=pin_path(rnd))
    if hashed is None or set(hashed) != set(pins):
        hashed = hash_pins(pins)
    for code in pins:
        stored[code] = dict(hashed[code])
    _save(rnd, stored)


def new_pin(rnd: RoundPins, code: str, rng: random.Random | None = None) -> str:
    """A new PIN for ``code`` (a participant who lost their slip); the old one stops working, and the count of
    wrong tries starts again. Returns the PIN, which is stored only as a hash. Takes the workspace lock."""
    with rnd.workspace.lock("samordna round pin"):
        stored = load_pins(rnd)
        if code not in stored:
            raise SamordnaError(_("Koden {code} har ingen PIN-kode i runde {round}. Bare koder fra deltakerlappene "
                                  "(samordna kit) har PIN-kode. Ingenting er endret.").format(code=code, round=rnd.id),
                                path=pin_path(rnd))
        pin = make_pin(rng)
        stored[code] = _salted_hash(pin)
        _save(rnd, stored)
    return pin


def participant_code_problem(rnd: RoundPins, code: str) -> str | None:
    """None if ``code`` may be used in ``rnd``; otherwise why not (one sentence, lower case, no full stop).

    Every way a participant enters a round should ask this. A code already in the round is valid for that
    round (D05 from earlier versions too). A new participant needs a code under the policy in ``core.codes``;
    in a round where ``kit`` has handed out codes with PINs it must be one of those (a mistyped code is
    caught), and in a round without PINs the old style (D14) is still accepted. A name is never a code."""
    if rnd.participant_path(code).exists():
        return code_problem(code)
    issued = load_pins(rnd)
    problem = code_problem(code, new=True, legacy_ok=not issued)
    if problem is None and issued and code not in issued:
        return (_("koden {code} er ikke delt ut i runde {round}: sjekk koden på lappen din "
                  "(den har fire tegn, for eksempel K7QX)").format(code=code, round=rnd.id))
    return problem
