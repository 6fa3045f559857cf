"""PINs for participant codes: only a salted hash is stored, in the round folder (``pinkoder.yaml``).

``kit`` gives each new code a PIN that is printed only on the person's cut-out slip. To resume or
review answers already saved under a code that has a PIN, ``assess`` asks for it. The file holds
a random salt and a PBKDF2 hash per code, never the PIN itself. A four-digit PIN keeps someone at a
shared laptop from opening another person's answers by typing their code; it is not meant to stop
someone who can read the round folder (the answer files are there in plain text).

Rounds without the file (earlier rounds, the sample) work as before: no code there has a PIN.
"""

from __future__ import annotations

import hashlib
import hmac
import random
import secrets
from pathlib import Path
from typing import Protocol

from samordna.core.codes import code_problem
from samordna.core.errors import SamordnaError
from samordna.io.atomic import write_yaml
from samordna.io.yamlio import load_yaml

PIN_FILE = "pinkoder.yaml"
PIN_DIGITS = 4
ITERATIONS = 20_000  # a kit of 99 codes hashes in about a second
HEADER = ("PIN-kodene til deltakerkodene i runden, lagret som hash (PIN-kodene selv står bare på deltakerlappene). "
          "Skrevet av samordna; ikke rediger.")


class RoundPins(Protocol):
    dir: Path

    @property
    def id(self) -> str: ...

    def participant_path(self, code: str) -> Path: ...


def pin_path(rnd: RoundPins) -> Path:
    return rnd.dir / PIN_FILE


def make_pin(rng: random.Random | None = None) -> str:
    rng = rng or secrets.SystemRandom()
    return "".join(rng.choice("0123456789") for _ in range(PIN_DIGITS))


def hash_pin(pin: str, salt: bytes) -> str:
    return hashlib.pbkdf2_hmac("sha256", pin.strip().encode("utf-8"), salt, ITERATIONS).hex()


def load_pins(rnd: RoundPins) -> dict[str, dict[str, str]]:
    """{code: {salt, hash}}; empty when the round has no PINs."""
    path = pin_path(rnd)
    if not path.exists():
        return {}
    doc = load_yaml(path)
    data = doc.data or {}
    pins = data.get("pins") if isinstance(data, dict) else None
    if not isinstance(pins, dict):
        raise SamordnaError(f"{path}: filen med PIN-koder er skadet (mangler «pins»). Legg tilbake en "
                            "sikkerhetskopi, eller slett filen: da har ingen kode i runden PIN-kode.", path=path)
    out: dict[str, dict[str, str]] = {}
    for code, entry in pins.items():
        if not (isinstance(entry, dict) and isinstance(entry.get("salt"), str) and isinstance(entry.get("hash"), str)):
            raise SamordnaError(f"{doc.where(('pins', code))}: PIN-koden for {code} er skadet. Legg tilbake en "
                                "sikkerhetskopi, eller slett filen: da har ingen kode i runden PIN-kode.", path=path)
        out[str(code)] = {"salt": entry["salt"], "hash": entry["hash"]}
    return out


def has_pins(rnd: RoundPins) -> bool:
    """True if kit has handed out codes with PINs in this round."""
    return bool(load_pins(rnd))


def has_pin(rnd: RoundPins, code: str) -> bool:
    return code in load_pins(rnd)


def check_pin(rnd: RoundPins, code: str, pin: str | None) -> bool:
    """True if ``pin`` is ``code``'s PIN (also True when the code has no PIN)."""
    entry = load_pins(rnd).get(code)
    if entry is None:
        return True
    if not pin:
        return False
    try:
        salt = bytes.fromhex(entry["salt"])
    except ValueError:
        return False
    return hmac.compare_digest(hash_pin(pin, salt), entry["hash"])


def add_pins(rnd: RoundPins, pins: dict[str, str]) -> None:
    """Store hashes of ``pins`` ({code: PIN}) beside the round's other PINs. Call under the workspace lock.

    A code that already has a PIN keeps it: giving it a new one would lock its owner out."""
    stored = load_pins(rnd)
    clash = sorted(set(pins) & set(stored))
    if clash:
        raise SamordnaError(f"{pin_path(rnd)}: kodene {', '.join(clash)} har allerede PIN-kode. Ingenting er endret.",
                            path=pin_path(rnd))
    for code, pin in pins.items():
        salt = secrets.token_bytes(16)
        stored[code] = {"salt": salt.hex(), "hash": hash_pin(pin, salt)}
    write_yaml(pin_path(rnd), {"format": 1, "pins": dict(sorted(stored.items()))}, HEADER)


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
        return (f"koden {code} er ikke delt ut i runde {rnd.id}: sjekk koden på lappen din "
                "(den har fire tegn, for eksempel K7QX)")
    return problem
