"""What the mirror's room (``samordna live --speil``) keeps on disk: only in the round's ``speilet/`` folder.

- Answers: one response file per phone (``io.mirrorfile.MirrorStore``, source «live»), ``speilet/S???????.yaml``,
  written whole and atomically under the workspace lock after every answer, so a changed answer replaces the
  earlier one. A file is made at the phone's first answer: a phone that joined and answered nothing is no
  response (it would make a group look larger than it is). Nothing is ever written to ``svar/``: the leaders'
  scores cannot count these answers.
- Devices: ``speilet/rom.yaml`` keeps the room code and maps each device token's sha256 hash to its response id,
  role, age band and whether it pressed «Ferdig», so phones keep working after a restart. No names, no codes
  shown, no PIN, no sector.

Every method is meant to be called from one thread at a time (the server's writer thread).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from pydantic import ValidationError

from samordna.core.codes import generate_codes
from samordna.core.errors import SamordnaError
from samordna.core.mirror import AGE_BANDS, ROLES, YOUNG, MirrorBank
from samordna.i18n import N_, _
from samordna.io.atomic import write_yaml
from samordna.io.mirrorfile import MirrorStore, ResponseFile
from samordna.io.round import Round
from samordna.io.yamlio import load_yaml

ROOM_FILE = "rom.yaml"
LEADERS_ROOM_FILE = "rom-enheter.yaml"  # room.store.DEVICES_FILE: the leaders' room code is never reused
SOURCE = "live"
COMMAND = "samordna live --speil"
ROOM_HEADER = N_("Speilets rom (samordna live --speil): romkoden, og hash av hver telefons nøkkel → svarfilen. "
                 "Ingen navn. Skrevet av samordna; ikke rediger.")


@dataclass(frozen=True)
class MirrorDevice:
    rid: str  # the response file's name (random, never shown)
    role: str
    age_band: str | None
    finished: bool = False


class MirrorRoomStore:
    """The mirror's room in round ``rnd``: its code, its devices and their answers."""

    def __init__(self, rnd: Round):
        self.rnd = rnd
        self.answers = MirrorStore(rnd.dir, lock=partial(rnd.workspace.lock, COMMAND))
        self.devices: dict[str, MirrorDevice] = {}
        self.room_code = ""
        self._load()

    @property
    def path(self) -> Path:
        return self.answers.dir / ROOM_FILE

    def _load(self) -> None:
        data = load_yaml(self.path).data if self.path.exists() else None
        data = data if isinstance(data, dict) else {}
        self.room_code = str(data.get("room") or "")
        for key, entry in (data.get("devices") or {}).items():
            if not isinstance(entry, dict):
                continue
            role, band = entry.get("role"), entry.get("age_band")
            if role in ROLES and str(entry.get("id") or "").startswith("S") and \
                    (band in AGE_BANDS if role == YOUNG else band is None):
                self.devices[str(key)] = MirrorDevice(str(entry["id"]), str(role), band,
                                                      bool(entry.get("finished")))
        if not self.room_code:
            taken = {self._leaders_code()} - {""}
            self.room_code = generate_codes(secrets.SystemRandom(), 1, taken)[0]
            with self.rnd.workspace.lock(COMMAND):
                self._save()

    def _leaders_code(self) -> str:
        path = self.rnd.dir / LEADERS_ROOM_FILE
        data = load_yaml(path).data if path.exists() else None
        return str(data.get("room") or "") if isinstance(data, dict) else ""

    def _save(self) -> None:
        devices = {k: {"id": d.rid, "role": d.role, "age_band": d.age_band, "finished": d.finished}
                   for k, d in self.devices.items()}
        self.answers.dir.mkdir(parents=True, exist_ok=True)
        write_yaml(self.path, {"format": 1, "room": self.room_code, "devices": devices}, _(ROOM_HEADER))

    # --- counts for the facilitator (people, never answers) --------------------------------------
    def joined(self, role: str) -> int:
        """How many phones joined as ``role`` (one role at a time: a total of both would give a small group away)."""
        return sum(1 for d in self.devices.values() if d.role == role)

    def finished(self, role: str) -> int:
        return sum(1 for d in self.devices.values() if d.role == role and d.finished)

    # --- the phones ------------------------------------------------------------------------------
    def join(self, token: str, role: str, age_band: str | None) -> MirrorDevice:
        """A new phone (``token``: its hash) as a young person of ``age_band`` or a parent."""
        if role not in ROLES or (age_band not in AGE_BANDS if role == YOUNG else age_band is not None):
            raise SamordnaError(_("Velg om du er ungdom (og hvor gammel du er) eller forelder."))
        taken = {d.rid for d in self.devices.values()}
        rid = self.answers.new_id()
        while rid in taken:
            rid = self.answers.new_id()
        device = MirrorDevice(rid, role, age_band)
        with self.rnd.workspace.lock(COMMAND):
            self.devices[token] = device
            self._save()
        return device

    def own_answers(self, token: str) -> dict[str, int | str]:
        """The answers on file of the phone's response (none yet: empty)."""
        path = self.answers.dir / f"{self.devices[token].rid}.yaml"
        if not path.exists():
            return {}
        try:
            return dict(ResponseFile.model_validate(load_yaml(path).data).answers)
        except ValidationError:
            raise SamordnaError(_("Svarfilen {path} har feil.").format(path=path), path=path) from None

    def save_answer(self, token: str, bank: MirrorBank, statement: str, value: int | str, language: str) -> None:
        """The phone's answer to ``statement``: its response file written anew with it (replacing an earlier
        answer to the same statement)."""
        device = self.devices[token]
        answers = {**self.own_answers(token), statement: value}
        order = [s.id for s in bank.statements]  # the file lists the answers in the bank's order
        answers = {k: answers[k] for k in sorted(answers, key=lambda k: order.index(k) if k in order else len(order))}
        self.answers.save(bank, device.role, device.age_band, answers, SOURCE, language, rid=device.rid)

    def finish(self, token: str) -> None:
        """The phone pressed «Ferdig» (it may still change its answers)."""
        device = self.devices[token]
        if device.finished:
            return
        with self.rnd.workspace.lock(COMMAND):
            self.devices[token] = MirrorDevice(device.rid, device.role, device.age_band, True)
            self._save()
