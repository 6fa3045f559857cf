"""What the room keeps on disk, in the round's folder, through the same files and writes as the rest of samordna.

- First answers: ordinary answer files in ``svar/`` (``Round.update_participant``, source «live»), so score,
  consensus, plan and report work unchanged. The workspace lock is taken per write only. A comment from the
  phone is screened as every text that enters (``core.privacy``): one with an identity number is never stored.
- Devices: ``rom-enheter.yaml`` maps each device token's sha256 hash to its participant code and sector (and
  keeps the room code), so phones keep working after a restart. A phone joining by sector gets a new code by
  the rules of ``core.codes`` and a PIN (``io.pins``, as ``kit`` gives one), shown once on the phone: with them
  it can join again after losing its cookie. Joining with a code needs that code's PIN.
- Re-votes: ``omstemming.yaml`` holds counts per value and statement (never who voted what; a tally typed in
  from paper is marked ``tally: true``); while a re-vote is open its ballots are kept by token hash in
  ``.omstemming-pågår.yaml``, written atomically per ballot, so killing the server loses no confirmed vote.

Every method writes through ``io.atomic`` and is meant to be called from one thread at a time (the server
runs them on one worker thread, in the order the room decided them).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from samordna.core.codes import generate_codes, normalize_code
from samordna.core.errors import SamordnaError
from samordna.core.models import Answer, ConsensusEntry, ParticipantFile
from samordna.core.privacy import screen_text, strip_invisible
from samordna.i18n import N_, _
from samordna.io import pins
from samordna.io.atomic import write_yaml
from samordna.io.round import Round, now
from samordna.io.yamlio import load_yaml
from samordna.room.state import VALUES, parse_value

DEVICES_FILE = "rom-enheter.yaml"
REVOTE_FILE = "omstemming.yaml"
PENDING_FILE = ".omstemming-pågår.yaml"
SOURCE = "live"
COMMAND = "samordna live"

KEEP = object()  # save_answer: keep the comment that is there
COMMENT_REFUSED = N_("Kommentaren kan ikke lagres. {reason}")  # the words of ``assess``
MAX_COMMENT = 2000


def comment_problem(text: str | None) -> str | None:
    """Why a comment from a phone may not be stored (an identity number, as everywhere: ``core.privacy``), in the
    language of the moment; None when it may."""
    if not text:
        return None
    blocked = screen_text(text).blocked
    return _(COMMENT_REFUSED).format(reason=blocked[0]) if blocked else None


def clean_comment(raw: str | None) -> str | None:
    """A comment as the form sent it, as it is kept: no invisible characters, trimmed, at most MAX_COMMENT
    characters; None when empty."""
    text = strip_invisible(raw or "").strip()[:MAX_COMMENT].strip()
    return text or None


DEVICES_HEADER = N_("Telefonene i rommet (samordna live): hash av hver telefons nøkkel → deltakerkode. "
                    "Skrevet av samordna; ikke rediger.")
REVOTE_HEADER = N_("Omstemminger i runde {round}: antall per svar for hver påstand (aldri hvem som svarte hva). "
                   "tally: true er telt opp fra papir. Skrevet av samordna.")
PENDING_HEADER = N_("En omstemming som pågår (samordna live). Blir til antall i omstemming.yaml når den låses.")


@dataclass(frozen=True)
class Device:
    code: str
    sector: str


@dataclass(frozen=True)
class Revote:
    counts: dict[int | str, int]
    tally: bool
    recorded: str | None = None


def _values(raw: Any) -> dict[str, int | str]:
    """{key: value} from a file, keeping only values a ballot may carry."""
    out: dict[str, int | str] = {}
    if isinstance(raw, dict):
        for key, value in raw.items():
            parsed = parse_value(str(value))
            if parsed is not None:
                out[str(key)] = parsed
    return out


class RoomStore:
    """The room's files in one round (see the module docstring)."""

    def __init__(self, rnd: Round):
        self.rnd = rnd
        self.devices: dict[str, Device] = {}
        self.room_code = ""
        self._load_devices()

    # --- devices ---------------------------------------------------------------------------------
    @property
    def devices_path(self) -> Path:
        return self.rnd.dir / DEVICES_FILE

    def _load_devices(self) -> None:
        data = load_yaml(self.devices_path).data if self.devices_path.exists() else None
        data = data if isinstance(data, dict) else {}
        self.room_code = str(data.get("room") or "")
        for key, entry in (data.get("devices") or {}).items():
            if isinstance(entry, dict) and entry.get("code"):
                self.devices[str(key)] = Device(str(entry["code"]), str(entry.get("sector") or ""))
        if not self.room_code:
            self.room_code = generate_codes(secrets.SystemRandom(), 1)[0]
            self._save_devices()

    def _save_devices(self) -> None:
        devices = {k: {"code": d.code, "sector": d.sector} for k, d in self.devices.items()}
        write_yaml(self.devices_path, {"format": 1, "room": self.room_code, "devices": devices}, _(DEVICES_HEADER))

    def participants(self) -> int:
        """How many people have joined (devices that rejoined with the same code count once)."""
        return len({d.code for d in self.devices.values()})

    def _taken(self) -> set[str]:
        return set(self.rnd.participant_codes()) | {d.code for d in self.devices.values()} | set(pins.load_pins(self.rnd))

    def join_sector(self, token: str, sector: str) -> tuple[str, str]:
        """A new participant in ``sector`` on the device ``token`` (a hash): (its new code, its PIN)."""
        if sector not in self.rnd.workspace.sectors.by_id:
            raise SamordnaError(_("Velg sektoren din i listen."))
        with self.rnd.workspace.lock(COMMAND):
            code = generate_codes(secrets.SystemRandom(), 1, self._taken())[0]
            pin = pins.make_pin()
            pins.add_pins(self.rnd, {code: pin})
            self.devices[token] = Device(code, sector)
            self._save_devices()
        return code, pin

    def join_code(self, token: str, typed_code: str, pin: str, sector: str | None = None) -> str:
        """The device ``token`` (a hash) answers as the participant with ``typed_code`` and its PIN."""
        code = normalize_code(typed_code)
        problem = pins.participant_code_problem(self.rnd, code)
        if problem:
            raise SamordnaError(problem[0].upper() + problem[1:] + ".")
        if not pins.has_pin(self.rnd, code):
            raise SamordnaError(_("Koden {code} har ingen PIN-kode, så den kan ikke brukes på telefonen. "
                                  "Bli med ved å velge sektor.").format(code=code))
        verdict = pins.verify_pin(self.rnd, code, pin)
        if not verdict.ok:
            if verdict.closed_until is not None:
                raise SamordnaError(_("For mange feil PIN-koder. Koden er stengt til {time}.").format(
                    time=verdict.closed_until.strftime("%H:%M")))
            raise SamordnaError(_("Feil PIN-kode. Du har {n} forsøk igjen.").format(n=verdict.tries_left))
        known = self._sector_of(code) or sector or ""
        if known and known not in self.rnd.workspace.sectors.by_id:
            raise SamordnaError(_("Velg sektoren din i listen."))
        self.devices[token] = Device(code, known)  # no sector yet (a new code from a slip): the phone asks first
        with self.rnd.workspace.lock(COMMAND):
            self._save_devices()
        return code

    def set_sector(self, token: str, sector: str) -> None:
        """The sector of a device that joined with a new code (from a slip); a known sector is never changed."""
        device = self.devices[token]
        if device.sector:
            return
        if sector not in self.rnd.workspace.sectors.by_id:
            raise SamordnaError(_("Velg sektoren din i listen."))
        with self.rnd.workspace.lock(COMMAND):
            for key, other in list(self.devices.items()):
                if other.code == device.code and not other.sector:
                    self.devices[key] = Device(device.code, sector)
            self._save_devices()

    def _sector_of(self, code: str) -> str | None:
        if self.rnd.participant_path(code).exists():
            return self.rnd.load_participant(code).sector
        return next((d.sector for d in self.devices.values() if d.code == code), None)

    # --- first answers ---------------------------------------------------------------------------
    def save_answer(self, token: str, statement: str, value: int | str, comment: object = KEEP) -> None:
        """The device's answer to ``statement``, saved as an ordinary answer (under the workspace lock), with
        ``comment`` (a str or None: none; KEEP: the one there is kept). A comment that may not be stored is
        refused (SamordnaError) and nothing is written."""
        device = self.devices[token]
        keep = comment is KEEP
        new_comment = None if keep else clean_comment(comment if isinstance(comment, str) else None)
        problem = comment_problem(new_comment)
        if problem:
            raise SamordnaError(problem)

        def change(current: ParticipantFile | None) -> ParticipantFile:
            pf = current or self.rnd.new_participant(device.code, device.sector, SOURCE)
            old = pf.answers.get(statement)
            kept = old.comment if old else None
            pf.answers[statement] = Answer(level=value, comment=kept if keep else new_comment)
            return pf

        self.rnd.update_participant(device.code, change, command=COMMAND)

    def own_answers(self, token: str) -> dict[str, Answer]:
        """The answers on file of the device's participant (none yet: empty)."""
        code = self.devices[token].code
        if not self.rnd.participant_path(code).exists():
            return {}
        return dict(self.rnd.load_participant(code).answers)

    def first_counts(self, statement: str) -> dict[int | str, int]:
        """The round's answers to ``statement`` (from every source), counted per value."""
        values = [a.level for pf in self.rnd.participants() if (a := pf.answers.get(statement)) is not None]
        return {v: n for v in VALUES if (n := values.count(v))}

    # --- re-votes --------------------------------------------------------------------------------
    @property
    def revote_path(self) -> Path:
        return self.rnd.dir / REVOTE_FILE

    @property
    def pending_path(self) -> Path:
        return self.rnd.dir / PENDING_FILE

    def save_pending(self, statement: str, ballots: dict[str, int | str]) -> None:
        """The open re-vote's ballots (by token hash), written whole after every ballot."""
        write_yaml(self.pending_path, {"statement": statement, "ballots": {k: str(v) for k, v in ballots.items()}},
                   _(PENDING_HEADER))

    def pending(self) -> tuple[str, dict[str, int | str]] | None:
        """The re-vote that was open when the server stopped, if any: (statement, ballots)."""
        if not self.pending_path.exists():
            return None
        data = load_yaml(self.pending_path).data
        if not isinstance(data, dict) or not data.get("statement"):
            return None
        return str(data["statement"]), _values(data.get("ballots"))

    def revotes(self) -> dict[str, Revote]:
        if not self.revote_path.exists():
            return {}
        data = load_yaml(self.revote_path).data
        out: dict[str, Revote] = {}
        for statement, entry in ((data or {}).get("revotes") or {}).items() if isinstance(data, dict) else []:
            if isinstance(entry, dict):
                raw = entry.get("counts") or {}
                found = {parse_value(str(k)): n for k, n in raw.items() if isinstance(n, int) and n >= 0}
                counted = {v: found[v] for v in VALUES if v in found}
                out[str(statement)] = Revote(counted, bool(entry.get("tally")), entry.get("recorded"))
        return out

    def store_revote(self, statement: str, counted: dict[int | str, int], tally: bool) -> None:
        """A re-vote's result as counts (replacing an earlier re-vote of the statement); the pending ballots go."""
        with self.rnd.workspace.lock(COMMAND):
            data = self.revotes()
            data[statement] = Revote({v: n for v, n in counted.items() if n}, tally, now().isoformat())
            out = {k: {"counts": {str(v): n for v, n in r.counts.items()}, "tally": r.tally, "recorded": r.recorded}
                   for k, r in data.items()}
            write_yaml(self.revote_path, {"format": 1, "bank": self.rnd.info.bank.model_dump(), "revotes": out},
                       _(REVOTE_HEADER).format(round=self.rnd.id))
            self.pending_path.unlink(missing_ok=True)

    # --- consensus -------------------------------------------------------------------------------
    def save_consensus(self, statement: str, level: int | str | None, rationale: str, dissent: str) -> None:
        """The group's agreed level, rationale and dissent (``Round.update_consensus``)."""
        rationale, dissent = rationale.strip(), dissent.strip()
        if level is None:
            raise SamordnaError(_("Velg gruppens nivå."))
        if not rationale:
            raise SamordnaError(_("Skriv en kort begrunnelse."))
        for text in (rationale, dissent):
            blocked = screen_text(text).blocked
            if blocked:
                raise SamordnaError(blocked[0])
        entry = ConsensusEntry(level=level, rationale=rationale, dissent=dissent or None, recorded=now())
        self.rnd.update_consensus(lambda entries: {**entries, statement: entry}, command=COMMAND)
