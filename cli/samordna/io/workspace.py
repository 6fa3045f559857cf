"""The municipality workspace: plain YAML files a person can read, back up and version.

::

    DIR/
      kommune.yaml                 the municipality (name, kommunenummer)
      sektorer.yaml                (optional) the workspace's own sector list
      runder/<id>/runde.yaml       a round: year, date, bank id and version
      runder/<id>/bank.yaml        the bank as it was when the round opened
      runder/<id>/svar/<KODE>.yaml one participant's answers (pseudonym + sector)
      runder/<id>/konsensus.yaml   the group's agreed levels, rationale, dissent
      runder/<id>/prioriteringer.yaml  the group's priorities

Every write is atomic (see ``io.atomic``) and made under the workspace lock
(``Workspace.lock``, see ``io.lock``): a change re-reads the file it changes under
the lock (``Round.update_participant``, ``Round.update_consensus``), so two writers
never lose each other's update. Several participant files are written all or
nothing (``Round.save_participants``, see ``io.journal``). The records themselves
are ``core.models``.
"""

from __future__ import annotations

import contextlib
import re
import shutil
from collections.abc import Callable
from datetime import date, datetime
from functools import cached_property
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from samordna.core.bank import Bank
from samordna.core.codes import code_problem
from samordna.core.errors import SamordnaError
from samordna.core.models import (
    FORMAT,
    BankInfo,
    ConsensusEntry,
    ConsensusFile,
    MunicipalityFile,
    ParticipantFile,
    PrioritiesFile,
    RoleList,
    RoundFile,
    SectorList,
    slugify,
)
from samordna.core.privacy import screen_text
from samordna.core.problems import pydantic_problems
from samordna.io import journal
from samordna.io import lock as workspace_lock
from samordna.io.atomic import atomic_write_bytes, fsync_dir, write_yaml, yaml_text
from samordna.io.bankfile import load_bank
from samordna.io.resources import data_path, default_bank_path
from samordna.io.yamlio import YamlDoc, load_yaml

__all__ = ["FORMAT", "MUNICIPALITY_FILE", "ROUNDS_DIR", "Round", "Workspace", "check_workspace", "load_roles", "load_sectors"]

MUNICIPALITY_FILE = "kommune.yaml"
ROUNDS_DIR = "runder"

_HEADER = "Skrevet av samordna. Filen kan leses og sikkerhetskopieres; rediger med forsiktighet."


# --- sectors ----------------------------------------------------------------------


def load_sectors(path: Path | None = None) -> SectorList:
    path = path or data_path("assessments") / "sektorer.yaml"
    doc = load_yaml(path)
    try:
        sectors = SectorList.model_validate(doc.data)
    except ValidationError as exc:
        raise SamordnaError(f"Sektorlisten {path} har feil:", path=path, problems=pydantic_problems(doc, exc)) from None
    problems = []
    groups = {g.id for g in sectors.groups}
    seen: set[str] = set()
    for i, s in enumerate(sectors.sectors):
        if s.group not in groups:
            problems.append(f"{doc.where(('sectors', i, 'group'))}: ukjent gruppe «{s.group}»")
        if s.id in seen:
            problems.append(f"{doc.where(('sectors', i, 'id'))}: sektoren «{s.id}» finnes to ganger")
        seen.add(s.id)
    if problems:
        raise SamordnaError(f"Sektorlisten {path} har feil:", path=path, problems=problems)
    return sectors


def load_roles(path: Path | None = None) -> list[str]:
    """Roles that can be responsible for an action (the action plan's dropdown)."""
    path = path or data_path("assessments") / "roller.yaml"
    doc = load_yaml(path)
    return _validate(RoleList, doc, "Rollelisten").roles


# --- files ------------------------------------------------------------------------


_Model = TypeVar("_Model", bound=BaseModel)


def _validate(model: type[_Model], doc: YamlDoc, what: str) -> _Model:
    """``doc`` as ``model``; an empty file or a wrong value is a SamordnaError naming ``what``, file and line."""
    if doc.data is None:
        raise SamordnaError(f"{what} {doc.path} er tom.", path=doc.path)
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        raise SamordnaError(f"{what} {doc.path} har feil:", path=doc.path, problems=pydantic_problems(doc, exc)) from None


# --- rounds -----------------------------------------------------------------------


class Round:
    """One assessment round (usually one a year) in a workspace."""

    def __init__(self, workspace: Workspace, directory: Path):
        self.workspace = workspace
        self.dir = directory
        doc = load_yaml(directory / "runde.yaml")
        self.info: RoundFile = _validate(RoundFile, doc, "Rundefilen")
        if self.info.id != directory.name:
            raise SamordnaError(
                f"{doc.where(('id',))}: runden heter «{self.info.id}», men mappen heter «{directory.name}».",
                path=doc.path,
            )

    @property
    def id(self) -> str:
        return self.info.id

    @property
    def year(self) -> int:
        return self.info.year

    @property
    def answers_dir(self) -> Path:
        return self.dir / "svar"

    @property
    def bank_path(self) -> Path:
        return self.dir / "bank.yaml"

    @cached_property
    def bank(self) -> Bank:
        bank = load_bank(self.bank_path)
        if not self.info.bank.ref().matches(bank):
            raise SamordnaError(
                f"{self.dir / 'runde.yaml'}: runden er åpnet med banken {self.info.bank.ref()}, "
                f"men {self.bank_path} er {bank.label}.",
                path=self.bank_path,
            )
        return bank

    # participants ---------------------------------------------------------------
    def participant_path(self, code: str) -> Path:
        return self.answers_dir / f"{code}.yaml"

    def _pending(self) -> dict[str, Path]:
        """Participant files an import has committed but not yet moved into svar/ (after a crash)."""
        return journal.pending(self.dir, self.answers_dir.name)

    def participant_codes(self) -> list[str]:
        for _ in range(5):  # an import may be moving files right now: the pending list must not change meanwhile
            before = self._pending()
            found = ({p.stem for p in self.answers_dir.glob("*.yaml") if not p.name.startswith(".")}
                     if self.answers_dir.is_dir() else set())
            after = self._pending()
            if before.keys() == after.keys():
                break
        return sorted(found | {Path(name).stem for name in after})

    def load_participant(self, code: str, pending: dict[str, Path] | None = None) -> ParticipantFile:
        pending = self._pending() if pending is None else pending
        path = pending.get(f"{code}.yaml", self.participant_path(code))
        try:
            doc = load_yaml(path)
        except SamordnaError:
            if path == self.participant_path(code) or path.exists():
                raise
            doc = load_yaml(self.participant_path(code))  # moved into place meanwhile
        pf: ParticipantFile = _validate(ParticipantFile, doc, "Svarfilen")
        self._check_participant(pf, doc)
        return pf

    def _check_participant(self, pf: ParticipantFile, doc: YamlDoc) -> None:
        problems = []
        if doc.path.stem != pf.participant:
            problems.append(f"{doc.where(('participant',))}: koden «{pf.participant}» stemmer ikke med filnavnet")
        if pf.bank.ref() != self.info.bank.ref():
            problems.append(
                f"{doc.where(('bank',))}: svarene er gitt med banken {pf.bank.ref()}, men runden bruker {self.info.bank.ref()}"
            )
        if pf.sector not in self.workspace.sectors.by_id:
            problems.append(f"{doc.where(('sector',))}: ukjent sektor «{pf.sector}» (se sektorlisten)")
        known = self.bank.indicator_by_id
        for ind_id in pf.answers:
            if ind_id not in known:
                problems.append(f"{doc.where(('answers', ind_id))}: ukjent indikator «{ind_id}» i banken {self.bank.label}")
        if problems:
            raise SamordnaError(f"Svarfilen {doc.path} har feil:", path=doc.path, problems=problems)

    def participants(self) -> list[ParticipantFile]:
        codes = self.participant_codes()
        pending = self._pending()  # after the codes: a file listed as pending is there, or already moved into svar/
        return [self.load_participant(code, pending) for code in codes]

    def new_participant(self, code: str, sector: str, source: str) -> ParticipantFile:
        return ParticipantFile(
            participant=code, sector=sector, bank=self.info.bank, source=source, updated=_now(), answers={}
        )

    def _participant_text(self, pf: ParticipantFile, stamp: datetime | None) -> str:
        problem = code_problem(pf.participant)
        if problem:
            raise SamordnaError(problem[0].upper() + problem[1:] + ".")
        if pf.sector not in self.workspace.sectors.by_id:
            raise SamordnaError(f"Ukjent sektor «{pf.sector}».")
        pf.updated = stamp or _now()
        data = pf.model_dump(mode="json", exclude_none=True)
        data["answers"] = {k: {kk: vv for kk, vv in v.items() if vv is not None} for k, v in data["answers"].items()}
        return yaml_text(data, f"Svar fra deltaker {pf.participant} i runde {self.id}. " + _HEADER)

    def save_participant(self, pf: ParticipantFile, stamp: datetime | None = None) -> Path:
        """Write one participant's file as it is. To change answers, use ``update_participant`` (no lost update)."""
        text = self._participant_text(pf, stamp)
        path = self.participant_path(pf.participant)
        with self.workspace.lock():
            atomic_write_bytes(path, text.encode("utf-8"))
        return path

    def update_participant(self, code: str, change: Callable[[ParticipantFile | None], ParticipantFile],
                           command: str | None = None) -> ParticipantFile:
        """Read ``code``'s file afresh under the workspace lock, let ``change`` make the new one, save it.

        ``change`` gets what is on disk now (None if the participant has no file) and returns the
        participant to save; it may raise SamordnaError to refuse (then nothing is written).
        Two processes changing the same participant never lose each other's answers.
        """
        with self.workspace.lock(command):
            current = self.load_participant(code) if self.participant_path(code).exists() else None
            pf = change(current)
            self.save_participant(pf)
            return pf

    def save_participants(self, pfs: list[ParticipantFile], command: str | None = None) -> list[Path]:
        """Write several participants' files all or nothing (a crash leaves none of them or all; see ``io.journal``)."""
        texts = {f"{pf.participant}.yaml": self._participant_text(pf, None).encode("utf-8") for pf in pfs}
        with self.workspace.lock(command):
            return journal.commit_files(self.dir, self.answers_dir.name, texts)

    @property
    def plan_path(self) -> Path:
        """Where the round's action plan lives by default (at the top of the workspace)."""
        return self.workspace.root / f"handlingsplan-{self.workspace.slug}-{self.year}.xlsx"

    # consensus and priorities ----------------------------------------------------
    @property
    def consensus_path(self) -> Path:
        return self.dir / "konsensus.yaml"

    def consensus(self) -> dict[str, ConsensusEntry]:
        if not self.consensus_path.exists():
            return {}
        doc = load_yaml(self.consensus_path)
        cf: ConsensusFile = _validate(ConsensusFile, doc, "Konsensusfilen")
        problems = []
        if cf.bank.ref() != self.info.bank.ref():
            problems.append(f"{doc.where(('bank',))}: laget med banken {cf.bank.ref()}, runden bruker {self.info.bank.ref()}")
        for ind_id in cf.entries:
            if ind_id not in self.bank.indicator_by_id:
                problems.append(f"{doc.where(('entries', ind_id))}: ukjent indikator «{ind_id}»")
        for ind_id, entry in cf.entries.items():  # a rationale or dissent edited by hand is screened too
            for key in ("rationale", "dissent"):
                problems += [f"{doc.where(('entries', ind_id, key))}: {reason}"
                             for reason in screen_text(getattr(entry, key)).blocked]
        if problems:
            raise SamordnaError(f"Konsensusfilen {doc.path} har feil:", path=doc.path, problems=problems)
        return cf.entries

    def save_consensus(self, entries: dict[str, ConsensusEntry]) -> None:
        unknown = [i for i in entries if i not in self.bank.indicator_by_id]
        if unknown:
            raise SamordnaError(f"Ukjente indikatorer i konsensus: {', '.join(unknown)}.")
        order = {ind.id: i for i, ind in enumerate(self.bank.indicators)}
        ordered = dict(sorted(entries.items(), key=lambda kv: order.get(kv[0], 10**6)))
        cf = ConsensusFile(bank=self.info.bank, entries=ordered)
        with self.workspace.lock():
            write_yaml(self.consensus_path, cf.model_dump(mode="json", exclude_none=True),
                       header=f"Gruppens omforente nivåer i runde {self.id}. " + _HEADER)

    def update_consensus(self, change: Callable[[dict[str, ConsensusEntry]], dict[str, ConsensusEntry]],
                         command: str | None = None) -> dict[str, ConsensusEntry]:
        """Read the consensus afresh under the workspace lock, let ``change`` make the new entries, save them."""
        with self.workspace.lock(command):
            entries = change(dict(self.consensus()))
            self.save_consensus(entries)
            return entries

    @property
    def priorities_path(self) -> Path:
        return self.dir / "prioriteringer.yaml"

    def priorities(self) -> list[str]:
        if not self.priorities_path.exists():
            return []
        doc = load_yaml(self.priorities_path)
        pf: PrioritiesFile = _validate(PrioritiesFile, doc, "Prioriteringsfilen")
        bad = [f"{doc.where(('priorities', i))}: ukjent indikator «{p}»"
               for i, p in enumerate(pf.priorities) if p not in self.bank.indicator_by_id]
        first: dict[str, int] = {}
        for i, p in enumerate(pf.priorities):
            if p in first:
                bad.append(f"{doc.where(('priorities', i))}: «{p}» står to ganger "
                           f"(også på linje {doc.line(('priorities', first[p]))})")
            first.setdefault(p, i)
        if pf.bank.ref() != self.info.bank.ref():
            bad.append(f"{doc.where(('bank',))}: laget med banken {pf.bank.ref()}, runden bruker {self.info.bank.ref()}")
        if bad:
            raise SamordnaError(f"Prioriteringsfilen {doc.path} har feil:", path=doc.path, problems=bad)
        return pf.priorities

    def save_priorities(self, ids: list[str], chosen: date | None = None) -> None:
        unknown = [i for i in ids if i not in self.bank.indicator_by_id]
        if unknown:
            raise SamordnaError(f"Ukjente indikatorer i prioriteringene: {', '.join(unknown)}.")
        pf = PrioritiesFile(bank=self.info.bank, chosen=chosen or date.today(), priorities=list(ids))
        with self.workspace.lock():
            write_yaml(self.priorities_path, pf.model_dump(mode="json", exclude_none=True),
                       header=f"Gruppens prioriteringer i runde {self.id}. " + _HEADER)


# --- workspace --------------------------------------------------------------------


class Workspace:
    def __init__(self, root: Path):
        self.root = Path(root)
        path = self.root / MUNICIPALITY_FILE
        if not path.exists():
            if not self.root.exists():
                raise SamordnaError(f"Fant ikke mappen {self.root}.", path=self.root)
            raise SamordnaError(
                f"{self.root} er ikke et samordna-arbeidsområde (fant ikke {MUNICIPALITY_FILE}). "
                f"Lag et med: samordna init {self.root} --kommune NAVN --kommunenummer NNNN",
                path=path,
            )
        doc = load_yaml(path)
        self.municipality: MunicipalityFile = _validate(MunicipalityFile, doc, "Kommunefilen")

    @classmethod
    def init(cls, root: Path, name: str, number: str, county: str | None = None) -> Workspace:
        root = Path(root)
        name = name.strip()
        if not name:
            raise SamordnaError("Kommunenavnet kan ikke være tomt (--kommune).")
        if not re.fullmatch(r"\d{4}", number or ""):
            raise SamordnaError(f"Kommunenummeret må være fire sifre, for eksempel 5001 (fikk «{number}»).")
        if (root / MUNICIPALITY_FILE).exists():
            raise SamordnaError(f"{root} er allerede et arbeidsområde ({MUNICIPALITY_FILE} finnes). Ingenting er endret.",
                                path=root)
        if root.exists() and not root.is_dir():
            raise SamordnaError(f"{root} finnes og er ikke en mappe.", path=root)
        mf = MunicipalityFile(name=name, number=number, created=date.today(), county=county)
        (root / ROUNDS_DIR).mkdir(parents=True, exist_ok=True)
        write_yaml(root / MUNICIPALITY_FILE, mf.model_dump(mode="json", exclude_none=True),
                   header=f"Arbeidsområde for {name} i samordna. " + _HEADER)
        return cls(root)

    @property
    def name(self) -> str:
        return self.municipality.name

    @property
    def number(self) -> str:
        return self.municipality.number

    @property
    def slug(self) -> str:
        return slugify(self.name)

    def lock(self, command: str | None = None) -> contextlib.AbstractContextManager[None]:
        """Hold the workspace lock around one read-modify-write (re-entrant; see ``io.lock``).

        Taking it first finishes or removes what a crashed writer left (``io.journal.recover``).
        """
        return workspace_lock.workspace_lock(self.root, command, on_acquire=self._recover)

    def _recover(self) -> None:
        journal.recover(self.root, ROUNDS_DIR, lambda text: workspace_lock.notify(text))

    @cached_property
    def sectors(self) -> SectorList:
        own = self.root / "sektorer.yaml"
        return load_sectors(own if own.exists() else None)

    @property
    def rounds_dir(self) -> Path:
        return self.root / ROUNDS_DIR

    def _round_folders(self) -> tuple[list[str], list[tuple[str, str]]]:
        """(round ids, oldest first; [(folder, why it is not a round)]) for the folders under runder/.

        Hidden folders (a crash leftover such as ``.2026.ny``) are in neither list."""
        if not self.rounds_dir.is_dir():
            return [], []
        ids: list[str] = []
        stray: list[tuple[str, str]] = []
        for p in sorted(self.rounds_dir.iterdir()):
            if p.name.startswith(".") or not p.is_dir():
                continue
            if not _ROUND_ID.fullmatch(p.name):
                stray.append((p.name, "ikke en runde (en runde-mappe heter som runden, for eksempel 2026 eller 2026-2)"))
            elif not (p / "runde.yaml").is_file():
                stray.append((p.name, "ikke en runde (mangler runde.yaml)"))
            else:
                ids.append(p.name)
        return sorted(ids, key=_round_sort_key), stray

    def round_ids(self) -> list[str]:
        return self._round_folders()[0]

    def stray_folders(self) -> list[tuple[str, str]]:
        """Folders under runder/ that are not rounds and are skipped: [(name, why)]; hidden ones are left out."""
        return self._round_folders()[1]

    def rounds(self) -> list[Round]:
        return [Round(self, self.rounds_dir / rid) for rid in self.round_ids()]

    def round(self, round_id: str | None = None) -> Round:
        ids, stray = self._round_folders()
        if round_id is not None and round_id in dict(stray):
            raise SamordnaError(
                f"{self.rounds_dir / round_id} er {dict(stray)[round_id]}. Rett eller flytt mappen, "
                f"eller velg en annen runde{': ' + ', '.join(ids) if ids else ''}.", path=self.rounds_dir / round_id)
        if not ids:
            raise SamordnaError(
                f"{self.root} har ingen runder ennå. Åpne en med: samordna round new {self.root}", path=self.root
            )
        if round_id is None:
            return Round(self, self.rounds_dir / ids[-1])
        if round_id not in ids:
            raise SamordnaError(
                f"Fant ikke runden «{round_id}» i {self.root}. Rundene er: {', '.join(ids)}.", path=self.root
            )
        return Round(self, self.rounds_dir / round_id)

    def previous_round(self, rnd: Round) -> Round | None:
        ids = self.round_ids()
        i = ids.index(rnd.id)
        return Round(self, self.rounds_dir / ids[i - 1]) if i > 0 else None

    def new_round(self, year: int | None = None, bank_path: Path | None = None, opened: date | None = None) -> Round:
        year = year or date.today().year
        if not 2000 <= year <= 2100:
            raise SamordnaError(f"Året må være mellom 2000 og 2100 (fikk {year}).")
        bank_path = Path(bank_path) if bank_path else default_bank_path()
        bank = load_bank(bank_path)  # validate before anything is written
        bank_bytes = bank_path.read_bytes()
        with self.lock("samordna round new"):  # two at once get two ids
            existing = set(self.round_ids())
            rid = str(year)
            n = 1
            while rid in existing or (self.rounds_dir / rid).exists():  # a stray folder «2026» is left alone
                n += 1
                rid = f"{year}-{n}"
            rdir = self.rounds_dir / rid
            tmp = self.rounds_dir / f".{rid}{journal.NEW_ROUND_SUFFIX}"  # leftovers: removed by the next writer
            if tmp.exists():
                shutil.rmtree(tmp)
            (tmp / "svar").mkdir(parents=True)
            atomic_write_bytes(tmp / "bank.yaml", bank_bytes)
            rf = RoundFile(id=rid, year=year, opened=opened or date.today(),
                           bank=BankInfo(id=bank.id, version=bank.version))
            write_yaml(tmp / "runde.yaml", rf.model_dump(mode="json", exclude_none=True),
                       header=f"Runde {rid} for {self.name}. " + _HEADER)
            tmp.rename(rdir)  # the round appears whole or not at all
            fsync_dir(self.rounds_dir)
        return Round(self, rdir)


_ROUND_ID = re.compile(r"\d{4}(-\d+)?", re.ASCII)  # as RoundFile.id


def _round_sort_key(rid: str) -> tuple[int, int]:
    """2025 < 2026 < 2026-2 < 2026-10; only called with names that match _ROUND_ID."""
    year, _, n = rid.partition("-")
    return (int(year), int(n or 1))


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


def check_workspace(path: Path) -> list[str]:
    """Load everything in a workspace; raise on the first broken file; return a summary."""
    ws = Workspace(path)
    lines = [f"Arbeidsområdet for {ws.name} ({ws.number}) er i orden."]
    _ = ws.sectors
    for rnd in ws.rounds():
        bank = rnd.bank
        parts = rnd.participants()
        cons = rnd.consensus()
        prios = rnd.priorities()
        lines.append(
            f"  Runde {rnd.id}: bank {bank.label}, {len(parts)} deltakere, "
            f"{len(cons)} konsensusnivåer, {len(prios)} prioriteringer."
        )
    return lines
