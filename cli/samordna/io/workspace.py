"""The municipality workspace: plain YAML files a person can read, back up and version.

::

    DIR/
      kommune.yaml                 the municipality (name, kommunenummer)
      sektorer.yaml                (optional) the workspace's own sector list
      runder/<id>/runde.yaml       a round: year, date, bank id and version
      lokale-tillegg.yaml          (optional) local indicators and hidden optional ones (``core.local``)
      runder/<id>/bank.yaml        the bank as it was when the round opened
      runder/<id>/lokale-tillegg.yaml  the local additions as they were when the round opened
      runder/<id>/svar/<KODE>.yaml one participant's answers (pseudonym + sector)
      runder/<id>/konsensus.yaml   the group's agreed levels, rationale, dissent
      runder/<id>/prioriteringer.yaml  the group's priorities
      slettede-runder/<id>_slettet_<when>/  a round removed with ``round delete`` (whole, as it was);
                                   ``round restore`` moves it back. Outside runder/, so it is no round:
                                   not scored, not listed as one, not collected by the county view.

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
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from pydantic import ValidationError

from samordna.core.errors import SamordnaError
from samordna.core.local import describe
from samordna.core.models import (
    FORMAT,
    BankInfo,
    MunicipalityFile,
    RoleList,
    RoundFile,
    SectorList,
    slugify,
)
from samordna.core.privacy import screen_text
from samordna.core.problems import pydantic_problems
from samordna.i18n import N_, _, n_
from samordna.io import journal
from samordna.io import lock as workspace_lock
from samordna.io.atomic import atomic_write_bytes, fsync_dir, write_yaml
from samordna.io.bankfile import check_migrations, load_bank
from samordna.io.localfile import LOCAL_FILE, load_local
from samordna.io.resources import data_path, default_bank_path
from samordna.io.round import HEADER, Round, validate_doc
from samordna.io.yamlio import YamlDoc, load_yaml, read_limited

__all__ = ["DELETED_DIR", "FORMAT", "MUNICIPALITY_FILE", "ROUNDS_DIR", "DeletedRound", "Round", "RoundExistsError",
           "Workspace", "check_workspace", "load_roles", "load_sectors"]

MUNICIPALITY_FILE = "kommune.yaml"
ROUNDS_DIR = "runder"
DELETED_DIR = "slettede-runder"  # beside runder/, never inside it: a deleted round is no round


class RoundExistsError(SamordnaError):
    """``new_round`` for a year that already has a round, without ``extra``. Nothing is written.

    ``existing``: the year's rounds, oldest first, as (id, number of participants); ``next_id``: the id an
    extra round would get. The CLI turns this into advice with commands to paste."""

    def __init__(self, year: int, existing: list[tuple[str, int]], next_id: str):
        self.year, self.existing, self.next_id = year, existing, next_id
        listed = ", ".join(f"{rid} ({_participants(n)})" for rid, n in existing)
        super().__init__(_("{year} har allerede en runde: {listed}. Ingenting er endret.").format(year=year, listed=listed))


@dataclass(frozen=True)
class DeletedRound:
    """A round moved to slettede-runder/ by ``Workspace.delete_round``."""

    path: Path
    id: str
    year: int
    opened: date
    n_participants: int
    deleted: datetime | None  # from the folder's name; None if someone renamed it


def _participants(n: int) -> str:
    return n_("{n} deltaker", "{n} deltakere", n).format(n=n)

# --- sectors ----------------------------------------------------------------------


def _in_language(doc: YamlDoc, language: str) -> YamlDoc:
    """A sector or role list's document with its names in ``language`` where the translation beside the file
    (``sektorer.nn.yaml``) has them; the rest (and any list without a translation) stays in bokmål."""
    from samordna.core.bank_i18n import SOURCE, list_places, translate_data
    from samordna.io.bankfile import load_translation

    if language == SOURCE or not isinstance(doc.data, dict):
        return doc
    translation = load_translation(doc.path, language)
    texts = translation.data["texts"] if translation is not None else None
    translated = translate_data(doc.data, language, texts, list_places(doc.data))
    return YamlDoc(path=doc.path, data=translated.data, text=doc.text)


def load_sectors(path: Path | None = None, language: str = "nb") -> SectorList:
    """The sector list (the shipped one by default), its names in ``language`` where it has a translation."""
    path = path or data_path("assessments") / "sektorer.yaml"
    doc = _in_language(load_yaml(path), language)
    try:
        sectors = SectorList.model_validate(doc.data)
    except ValidationError as exc:
        raise SamordnaError(_("Sektorlisten {path} har feil:").format(path=path), path=path,
                            problems=pydantic_problems(doc, exc)) from None
    problems = []
    groups = {g.id for g in sectors.groups}
    seen: set[str] = set()
    for i, s in enumerate(sectors.sectors):
        if s.group not in groups:
            problems.append(_("{place}: ukjent gruppe «{group}»").format(place=doc.where(("sectors", i, "group")),
                                                                          group=s.group))
        if s.id in seen:
            problems.append(_("{place}: sektoren «{id}» finnes to ganger").format(place=doc.where(("sectors", i, "id")),
                                                                                   id=s.id))
        seen.add(s.id)
    if problems:
        raise SamordnaError(_("Sektorlisten {path} har feil:").format(path=path), path=path, problems=problems)
    return sectors


def load_roles(path: Path | None = None, language: str = "nb") -> list[str]:
    """Roles that can be responsible for an action (the action plan's dropdown), in ``language`` where the
    list has a translation."""
    path = path or data_path("assessments") / "roller.yaml"
    doc = _in_language(load_yaml(path), language)
    return validate_doc(RoleList, doc, N_("Rollelisten")).roles


# --- workspace --------------------------------------------------------------------


class Workspace:
    def __init__(self, root: Path):
        self.root = Path(root)
        path = self.root / MUNICIPALITY_FILE
        if not path.exists():
            if not self.root.exists():
                raise SamordnaError(_("Fant ikke mappen {folder}.").format(folder=self.root), path=self.root)
            raise SamordnaError(
                _("{root} er ikke et samordna-arbeidsområde (fant ikke {file}). "
                  "Lag et med: samordna init {root} --kommune NAVN --kommunenummer NNNN").format(
                    root=self.root, file=MUNICIPALITY_FILE),
                path=path,
            )
        doc = load_yaml(path)
        self.municipality: MunicipalityFile = validate_doc(MunicipalityFile, doc, N_("Kommunefilen"))

    @classmethod
    def init(cls, root: Path, name: str, number: str, county: str | None = None,
             language: str | None = None) -> Workspace:
        root = Path(root)
        name = name.strip()
        if not name:
            raise SamordnaError(_("Kommunenavnet kan ikke være tomt (--kommune)."))
        if len(name) > 80 or not screen_text(name).ok:
            raise SamordnaError(_("Kommunenavnet (--kommune) må være et navn på høyst 80 tegn, uten fødselsnummer "
                                  "eller andre personopplysninger. Ingenting er laget."))
        if not re.fullmatch(r"\d{4}", number or ""):
            raise SamordnaError(_("Kommunenummeret må være fire sifre, for eksempel 5001 (fikk «{number}»).")
                                .format(number=number))
        if (root / MUNICIPALITY_FILE).exists():
            raise SamordnaError(_("{root} er allerede et arbeidsområde ({file} finnes). Ingenting er endret.").format(
                root=root, file=MUNICIPALITY_FILE), path=root)
        if root.exists() and not root.is_dir():
            raise SamordnaError(_("{root} finnes og er ikke en mappe.").format(root=root), path=root)
        mf = MunicipalityFile(name=name, number=number, created=date.today(), county=county,
                              language=language)
        (root / ROUNDS_DIR).mkdir(parents=True, exist_ok=True)
        write_yaml(root / MUNICIPALITY_FILE, mf.model_dump(mode="json", exclude_none=True),
                   header=_("Arbeidsområde for {name} i samordna.").format(name=name) + " " + _(HEADER))
        return cls(root)

    @property
    def name(self) -> str:
        return self.municipality.name

    @property
    def language(self) -> str | None:
        """The municipality's language form (kommune.yaml ``language:``), None when not set (bokmål)."""
        return self.municipality.language

    @property
    def mirror_min_group(self) -> int | None:
        """kommune.yaml ``mirror_min_group``: the smallest group the mirror shows, if raised above 5."""
        return self.municipality.mirror_min_group

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

    @property
    def local_path(self) -> Path:
        """The workspace's local additions (``lokale-tillegg.yaml`` beside kommune.yaml); a new round copies it."""
        return self.root / LOCAL_FILE

    @property
    def sectors(self) -> SectorList:
        """The sector list (the workspace's own sektorer.yaml, else the shipped one), its names in the current
        language (read once per language)."""
        from samordna.i18n import language

        lang = language()
        cache = self.__dict__.setdefault("_sectors", {})
        if lang not in cache:
            own = self.root / "sektorer.yaml"
            cache[lang] = load_sectors(own if own.exists() else None, language=lang)
        return cache[lang]

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
                stray.append((p.name, _("ikke en runde (en runde-mappe heter som runden, for eksempel 2026 eller 2026-2)")))
            elif not (p / "runde.yaml").is_file():
                stray.append((p.name, _("ikke en runde (mangler runde.yaml)")))
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
        """The round ``round_id``, or by default the newest: the highest year, and within a year the highest
        number (2026-2 after 2026). A round that is deleted (``delete_round``) is never the default; an
        empty newest round is, and ``default_round_note`` says when an older one has the answers."""
        ids, stray = self._round_folders()
        if round_id is not None and round_id in dict(stray):
            text = (_("{path} er {why}. Rett eller flytt mappen, eller velg en annen runde: {ids}.") if ids else
                    _("{path} er {why}. Rett eller flytt mappen, eller velg en annen runde."))
            raise SamordnaError(text.format(path=self.rounds_dir / round_id, why=dict(stray)[round_id], ids=", ".join(ids)),
                                path=self.rounds_dir / round_id)
        if not ids:
            raise SamordnaError(
                _("{root} har ingen runder ennå. Åpne en med: samordna round new {root}").format(root=self.root),
                path=self.root
            )
        if round_id is None:
            return Round(self, self.rounds_dir / ids[-1])
        if round_id not in ids:
            raise SamordnaError(
                _("Fant ikke runden «{round}» i {root}. Rundene er: {ids}.").format(round=round_id, root=self.root,
                                                                                    ids=", ".join(ids)),
                path=self.root
            )
        return Round(self, self.rounds_dir / round_id)

    def previous_round(self, rnd: Round) -> Round | None:
        ids = self.round_ids()
        i = ids.index(rnd.id)
        return Round(self, self.rounds_dir / ids[i - 1]) if i > 0 else None

    def rounds_of_year(self, year: int) -> list[str]:
        """The ids of the rounds for ``year``, oldest first (2026, 2026-2, …)."""
        return [rid for rid in self.round_ids() if _round_sort_key(rid)[0] == year]

    def default_round_note(self) -> str | None:
        """A sentence for the commands that use the newest round by default, when that round has no answers yet
        but an older one has (after ``round new``, or a second round opened by mistake); else None."""
        ids = self.round_ids()
        if len(ids) < 2:
            return None
        newest = self.rounds_dir / ids[-1]
        if _count_answers(newest):
            return None
        for rid in reversed(ids[:-1]):
            n = _count_answers(self.rounds_dir / rid)
            if n:
                return n_("Runde {newest} er den nyeste og brukes når du ikke velger runde, men den har ingen svar "
                          "ennå. Runde {round} har {n} deltaker: velg den med --round {round}.",
                          "Runde {newest} er den nyeste og brukes når du ikke velger runde, men den har ingen svar "
                          "ennå. Runde {round} har {n} deltakere: velg den med --round {round}.",
                          n).format(newest=ids[-1], round=rid, n=n)
        return None

    def new_round(self, year: int | None = None, bank_path: Path | None = None, opened: date | None = None,
                  extra: bool = False) -> Round:
        """Open a round for ``year`` (standard: this year). A year that already has a round gets another one
        (2026-2) only with ``extra``; without it, RoundExistsError and nothing is written."""
        year = year or date.today().year
        if not 2000 <= year <= 2100:
            raise SamordnaError(_("Året må være mellom 2000 og 2100 (fikk {year}).").format(year=year))
        bank_path = Path(bank_path) if bank_path else default_bank_path()
        bank = load_bank(bank_path)  # validate before anything is written
        bank_bytes = bank_path.read_bytes()
        local_bytes, owner = None, None
        if self.local_path.exists():  # checked against the round's bank before anything is written
            local_bytes = read_limited(self.local_path)
            try:
                owner = load_local(self.local_path, bank, local_bytes).owner
            except SamordnaError as exc:
                raise SamordnaError(_("Runden er ikke åpnet. {message}").format(message=exc.message), path=exc.path,
                                    problems=exc.problems) from None
        with self.lock("samordna round new"):  # checked under the lock: two at once open one round, not two
            this_year = self.rounds_of_year(year)
            existing = set(self.round_ids())
            rid = str(year)
            n = 1
            while rid in existing or (self.rounds_dir / rid).exists():  # a stray folder «2026» is left alone
                n += 1
                rid = f"{year}-{n}"
            if this_year and not extra:
                raise RoundExistsError(year, [(r, _count_answers(self.rounds_dir / r)) for r in this_year], rid)
            rdir = self.rounds_dir / rid
            tmp = self.rounds_dir / f".{rid}{journal.NEW_ROUND_SUFFIX}"  # leftovers: removed by the next writer
            if tmp.exists():
                shutil.rmtree(tmp)
            (tmp / "svar").mkdir(parents=True)
            atomic_write_bytes(tmp / "bank.yaml", bank_bytes)
            if local_bytes is not None:
                atomic_write_bytes(tmp / LOCAL_FILE, local_bytes)
            rf = RoundFile(id=rid, year=year, opened=opened or date.today(),
                           bank=BankInfo(id=bank.id, version=bank.version), local_additions=owner)
            write_yaml(tmp / "runde.yaml", rf.model_dump(mode="json", exclude_none=True),
                       header=_("Runde {round} for {name}.").format(round=rid, name=self.name) + " " + _(HEADER))
            tmp.rename(rdir)  # the round appears whole or not at all
            fsync_dir(self.rounds_dir)
        return Round(self, rdir)


    # deleting and restoring rounds -----------------------------------------------------
    @property
    def deleted_dir(self) -> Path:
        return self.root / DELETED_DIR

    def deleted_rounds(self) -> list[DeletedRound]:
        """The rounds in slettede-runder/, oldest deletion first. A folder there that is not a round is left out."""
        if not self.deleted_dir.is_dir():
            return []
        found = []
        for p in self.deleted_dir.iterdir():
            if p.name.startswith(".") or not p.is_dir() or not (p / "runde.yaml").is_file():
                continue
            try:
                info: RoundFile = validate_doc(RoundFile, load_yaml(p / "runde.yaml"), N_("Rundefilen"))
            except SamordnaError:
                continue
            m = _DELETED_NAME.fullmatch(p.name)
            when = datetime.strptime(m.group("when"), _STAMP) if m else None
            found.append(DeletedRound(p, info.id, info.year, info.opened, _count_answers(p), when))
        return sorted(found, key=lambda d: (d.deleted or datetime.min, d.path.name))

    def delete_round(self, round_id: str) -> Path:
        """Move the round's whole folder to slettede-runder/<id>_slettet_<when>/ (one rename, under the lock) and
        return where it went. Nothing is removed; ``restore_round`` moves it back."""
        self.round(round_id)  # a clear message for an unknown id or a folder that is no round
        with self.lock("samordna round delete"):
            src = self.rounds_dir / round_id
            if round_id not in self.round_ids():  # deleted by someone else meanwhile
                raise SamordnaError(_("Runden «{round}» finnes ikke lenger i {folder}. Ingenting er endret.").format(
                    round=round_id, folder=self.rounds_dir), path=src)
            self.deleted_dir.mkdir(exist_ok=True)
            stamp = datetime.now().strftime(_STAMP)
            target = self.deleted_dir / f"{round_id}_slettet_{stamp}"
            n = 1
            while target.exists():
                n += 1
                target = self.deleted_dir / f"{round_id}_slettet_{stamp}-{n}"
            src.rename(target)  # the round leaves runder/ whole or not at all
            fsync_dir(self.rounds_dir)
            fsync_dir(self.deleted_dir)
        return target

    def find_deleted(self, which: str | Path) -> DeletedRound:
        """The deleted round ``which`` names: its folder (a path or the name in slettede-runder/) or its round id
        when only one deleted round has it."""
        deleted = self.deleted_rounds()
        listed = ", ".join(d.path.name for d in deleted) or _("ingen")
        path = Path(which)
        for d in deleted:
            if d.path.name == path.name and (path.name == str(which) or _same(path, d.path)):
                return d
        if path.is_dir() and not _same(path.parent, self.deleted_dir):
            raise SamordnaError(_("{path} ligger ikke i {folder}. Bare slettede runder derfra kan legges "
                                  "tilbake; flytt mappen dit først.").format(path=path, folder=self.deleted_dir), path=path)
        same_id = [d for d in deleted if d.id == str(which)]
        if len(same_id) == 1:
            return same_id[0]
        if same_id:
            raise SamordnaError(n_("Runde {round} er slettet {n} gang. Velg en av mappene: {folders}.",
                                   "Runde {round} er slettet {n} ganger. Velg en av mappene: {folders}.",
                                   len(same_id)).format(round=which, n=len(same_id),
                                                        folders=", ".join(d.path.name for d in same_id)),
                                path=self.deleted_dir)
        raise SamordnaError(_("Fant ingen slettet runde «{which}» i {folder}. Slettede runder: {listed}.").format(
            which=which, folder=self.deleted_dir, listed=listed), path=self.deleted_dir)

    def restore_round(self, which: str | Path) -> Round:
        """Move a deleted round back into runder/ under its id (one rename, under the lock). Refused, with
        nothing moved, when a round or folder with that id is there."""
        with self.lock("samordna round restore"):
            d = self.find_deleted(which)
            target = self.rounds_dir / d.id
            if target.exists() or target.is_symlink():
                text = (_("Runde {id} finnes allerede i {folder}, så {name} er ikke lagt tilbake. "
                          "Slett eller flytt den som er der først (samordna round delete {root} --round {id}), "
                          "og prøv igjen. Ingenting er endret.") if d.id in self.round_ids() else
                        _("Mappen {id} finnes allerede i {folder}, så {name} er ikke lagt tilbake. "
                          "Slett eller flytt den som er der først (samordna round delete {root} --round {id}), "
                          "og prøv igjen. Ingenting er endret."))
                raise SamordnaError(text.format(id=d.id, folder=self.rounds_dir, name=d.path.name, root=self.root),
                                    path=target)
            self.rounds_dir.mkdir(exist_ok=True)
            d.path.rename(target)
            fsync_dir(self.deleted_dir)
            fsync_dir(self.rounds_dir)
        return Round(self, target)


_ROUND_ID = re.compile(r"\d{4}(-\d+)?", re.ASCII)  # as RoundFile.id
_STAMP = "%Y-%m-%d_%H%M%S"
_DELETED_NAME = re.compile(r"(?P<id>\d{4}(-\d+)?)_slettet_(?P<when>\d{4}-\d\d-\d\d_\d{6})(-\d+)?", re.ASCII)


def _count_answers(round_dir: Path) -> int:
    """How many participants have answered in a round folder (their files in svar/), without reading them."""
    answers = round_dir / "svar"
    return sum(1 for p in answers.glob("*.yaml") if not p.name.startswith(".")) if answers.is_dir() else 0


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


def _round_sort_key(rid: str) -> tuple[int, int]:
    """2025 < 2026 < 2026-2 < 2026-10; only called with names that match _ROUND_ID."""
    year, _dash, n = rid.partition("-")
    return (int(year), int(n or 1))


def check_workspace(path: Path, bank_path: Path | None = None, local_path: Path | None = None) -> list[str]:
    """Load everything in a workspace; raise on the first broken file; return a summary.

    Beyond the rounds: the workspace's local additions (or ``local_path``) are checked against the bank a new
    round would be opened with (``bank_path``, standard: the shipped bank), and that bank's migration maps
    against the banks the rounds were answered with."""
    ws = Workspace(path)
    lines = [_("Arbeidsområdet for {name} ({number}) er i orden.").format(name=ws.name, number=ws.number)]
    _sectors = ws.sectors  # loaded (and checked)
    rounds = ws.rounds()
    for rnd in rounds:
        bank = rnd.bank
        parts = rnd.participants()
        cons = rnd.consensus()
        prios = rnd.priorities()
        from samordna.io.mirrorfile import MirrorStore, shipped_mirror_bank

        MirrorStore(rnd.dir).responses(shipped_mirror_bank())  # the mirror's files are read and checked too
        lines.append("  " + _("Runde {round}: bank {bank}, {participants} deltakere, {levels} konsensusnivåer, "
                              "{priorities} prioriteringer.").format(round=rnd.id, bank=bank.label,
                                                                    participants=len(parts), levels=len(cons),
                                                                    priorities=len(prios)))
        lines += ["  " + _("Merk: {warning}").format(warning=warning) for warning in rnd.warnings]
    snapshots = [(rnd.official_bank, _("runde {round}").format(round=rnd.id)) for rnd in rounds]
    next_bank_path = Path(bank_path) if bank_path else default_bank_path()
    next_bank = load_bank(next_bank_path)
    lines += [f"  {line}" for line in check_migrations(next_bank_path, snapshots)]
    checked = {(next_bank.id, next_bank.version)}
    for i, rnd in enumerate(rounds):  # a round opened on a newer version than the one before it
        key = (rnd.official_bank.id, rnd.official_bank.version)
        if key not in checked and rnd.official_bank.migrations:
            checked.add(key)
            lines += [f"  {line}" for line in check_migrations(rnd.bank_path, snapshots[:i])]
    local = Path(local_path) if local_path else ws.local_path if ws.local_path.exists() else None
    if local is not None:
        add = load_local(local, next_bank)
        lines.append("  " + _("Lokale tillegg fra {owner} ({file}) passer til {bank_id} {version}: {description}.")
                     .format(owner=add.owner, file=local.name, bank_id=next_bank.id, version=next_bank.version,
                             description=describe(add)))
    deleted = ws.deleted_rounds()
    if deleted:
        lines.append("  " + _("Slettet (i {folder}/, ikke med i noe): {ids}. Legg en tilbake med samordna round "
                              "restore.").format(folder=DELETED_DIR, ids=", ".join(d.id for d in deleted)))
    return lines
