"""One assessment round in a workspace: its bank, the participants' answers, consensus and priorities.

Every change re-reads the file it changes under the workspace lock (``update_participant``,
``update_consensus``), so two writers never lose each other's update; several participant files
are written all or nothing (``save_participants``, see ``io.journal``). The round knows its
workspace through ``WorkspaceLike``; the workspace itself is ``io.workspace``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Protocol, TypeVar

from pydantic import BaseModel, ValidationError

from samordna.core.answers import DONT_KNOW, NO, NOT_APPLICABLE, YES
from samordna.core.bank import Bank
from samordna.core.codes import code_problem
from samordna.core.errors import SamordnaError
from samordna.core.models import (
    ConsensusEntry,
    ConsensusFile,
    ParticipantFile,
    PrioritiesFile,
    RoundFile,
    SectorList,
)
from samordna.core.privacy import screen_text
from samordna.core.problems import pydantic_problems
from samordna.i18n import N_, SOURCE, _, mark_text_language
from samordna.io import journal
from samordna.io.atomic import atomic_write_bytes, write_yaml, yaml_text
from samordna.io.bankfile import bank_in_language, load_bank
from samordna.io.localfile import LOCAL_FILE, merged_bank
from samordna.io.yamlio import YamlDoc, load_yaml

HEADER = N_("Skrevet av samordna. Filen kan leses og sikkerhetskopieres; rediger med forsiktighet.")


class WorkspaceLike(Protocol):
    """What a round needs of its workspace."""

    root: Path

    @property
    def name(self) -> str: ...

    @property
    def number(self) -> str: ...

    @property
    def slug(self) -> str: ...

    @property
    def language(self) -> str | None: ...

    @property
    def sectors(self) -> SectorList: ...

    def lock(self, command: str | None = None) -> contextlib.AbstractContextManager[None]: ...

    def previous_round(self, rnd: Round) -> Round | None: ...


_Model = TypeVar("_Model", bound=BaseModel)


def validate_doc(model: type[_Model], doc: YamlDoc, what: str) -> _Model:
    """``doc`` as ``model``; an empty file or a wrong value is a SamordnaError naming ``what``, file and line.

    ``what`` is the kind of file, marked with ``N_`` (translated here)."""
    if doc.data is None:
        raise SamordnaError(_("{what} {path} er tom.").format(what=_(what), path=doc.path), path=doc.path)
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        raise SamordnaError(_("{what} {path} har feil:").format(what=_(what), path=doc.path), path=doc.path,
                            problems=pydantic_problems(doc, exc)) from None



def now() -> datetime:
    return datetime.now().replace(microsecond=0)


def answer_problem(bank: Bank, item_id: str, value: int | str, consensus: bool = False) -> tuple[str | None, str | None]:
    """(error, warning) for ``value`` as an answer to ``item_id`` in ``bank``; both None when it is fine.

    An answer of the wrong kind (ja/nei on an indicator, a level on a legal item) is an error. «Ikke
    relevant» on a statutory indicator is only a warning: scoring ignores it, and a hand-edited file still
    loads. In consensus, «vet ikke» is allowed on legal items only (the group agrees on a level)."""
    shown = f"«{value}»"
    if bank.is_legal(item_id):
        if bank.allows(item_id, value):
            return None, None
        return _("{id} er et lovkrav og besvares med {yes}, {no} eller {dont_know} (ikke {shown})").format(
            id=item_id, yes=YES, no=NO, dont_know=DONT_KNOW, shown=shown), None
    ind = bank.indicator_by_id[item_id]
    if value in (YES, NO):
        allowed = _("0–4 eller vet_ikke") if ind.is_statutory else _("0–4, vet_ikke eller ikke_relevant")
        return (_("{shown} er et svar på lovkravene (det juridiske minimumet); {id} er en påstand og "
                  "besvares med {allowed}").format(shown=shown, id=item_id, allowed=allowed)), None
    if consensus and value == DONT_KNOW:
        return (_("«{dont_know}» kan bare stå i konsensus på lovkravene; for {id} registrerer gruppen et "
                  "nivå 0–4 (eller ingenting)").format(dont_know=DONT_KNOW, id=item_id)), None
    if value == NOT_APPLICABLE and ind.is_statutory:
        return None, (_("{id} er lovpålagt og kan ikke besvares «{not_applicable}»; svaret telles ikke med "
                        "(rett det i filen, eller svar på nytt)").format(id=item_id, not_applicable=NOT_APPLICABLE))
    return None, None



class Round:
    """One assessment round (usually one a year) in a workspace."""

    def __init__(self, workspace: WorkspaceLike, directory: Path):
        self.workspace = workspace
        self.dir = directory
        self.warnings: list[str] = []  # what screening of hand-edited files warns about (file and line named)
        self._fine: set[tuple[str, int | str, bool]] = set()  # answers known to be fine here (item, value, consensus)
        doc = load_yaml(directory / "runde.yaml")
        self.info: RoundFile = validate_doc(RoundFile, doc, N_("Rundefilen"))
        if self.info.id != directory.name:
            raise SamordnaError(
                _("{place}: runden heter «{id}», men mappen heter «{folder}».").format(
                    place=doc.where(("id",)), id=self.info.id, folder=directory.name),
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

    @property
    def local_path(self) -> Path:
        """The local additions the round was opened with (a copy of the workspace's file), if any."""
        return self.dir / LOCAL_FILE

    @property
    def official_bank(self) -> Bank:
        """The official bank of the round, without local additions, its texts in the current language where the
        bank has a translation (read once per language)."""
        from samordna.i18n import SOURCE, language

        lang = language()
        cache = self.__dict__.setdefault("_official_banks", {})
        if lang not in cache:
            source = cache[SOURCE] if SOURCE in cache else self._source_bank()
            cache[SOURCE] = source
            if lang != SOURCE:
                cache[lang] = bank_in_language(source, self.bank_path, lang)
        return cache[lang]

    def _source_bank(self) -> Bank:
        bank = load_bank(self.bank_path)
        if not self.info.bank.ref().matches(bank):
            raise SamordnaError(
                _("{file}: runden er åpnet med banken {ref}, men {bank_file} er {bank}.").format(
                    file=self.dir / "runde.yaml", ref=self.info.bank.ref(), bank_file=self.bank_path, bank=bank.label),
                path=self.bank_path,
            )
        return bank

    @property
    def bank(self) -> Bank:
        """The bank the round is answered with: the official bank, with the round's local additions when it has them
        (in the current language: the official texts translated, the municipality's own as they wrote them)."""
        from samordna.i18n import language

        cache = self.__dict__.setdefault("_banks", {})
        lang = language()
        if lang not in cache:
            cache[lang] = self._bank_with_local()
        return cache[lang]

    def _bank_with_local(self) -> Bank:
        bank = self.official_bank
        if self.local_path.exists():
            merged = merged_bank(bank, self.local_path)
            written_in = self.workspace.language or SOURCE
            official = {src.id for src in bank.sources}
            for src in merged.sources:
                if src.id not in official:  # a source the municipality added, in its own words
                    for text in (src.title, src.short, src.note, src.citation):
                        mark_text_language(text, written_in)
            for ind in merged.indicators:
                if ind.local:  # the municipality's own statements, in its own words
                    for text in (ind.short, ind.statement, ind.help, *ind.evidence, *ind.actions,
                                 *(ind.levels or {}).values()):
                        mark_text_language(text, written_in)
            return merged
        if self.info.local_additions:
            raise SamordnaError(
                _("{file}: runden er åpnet med lokale tillegg fra {owner}, men {local} mangler. Legg filen tilbake "
                  "(en kopi av {name} fra da runden ble åpnet).").format(
                    file=self.dir / "runde.yaml", owner=self.info.local_additions, local=self.local_path,
                    name=LOCAL_FILE),
                path=self.local_path,
            )
        return bank

    # participants ---------------------------------------------------------------
    def participant_path(self, code: str) -> Path:
        return self.answers_dir / f"{code}.yaml"

    def _pending(self) -> dict[str, Path]:
        """Participant files an import has committed but not yet moved into svar/ (after a crash)."""
        return journal.pending(self.dir, self.answers_dir.name)

    def participant_codes(self) -> list[str]:
        for _attempt in range(5):  # an import may be moving files right now: the pending list must not change meanwhile
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
        pf: ParticipantFile = validate_doc(ParticipantFile, doc, N_("Svarfilen"))
        self._check_participant(pf, doc)
        written_in = self.workspace.language or SOURCE
        for answer in pf.answers.values():
            mark_text_language(answer.comment, written_in)  # people's own words, for HTML's lang attribute
        return pf

    def _check_participant(self, pf: ParticipantFile, doc: YamlDoc) -> None:
        problems = []
        if doc.path.stem != pf.participant:
            problems.append(_("{place}: koden «{code}» stemmer ikke med filnavnet").format(
                place=doc.where(("participant",)), code=pf.participant))
        if pf.bank.ref() != self.info.bank.ref():
            problems.append(
                _("{place}: svarene er gitt med banken {bank}, men runden bruker {round_bank}").format(
                    place=doc.where(("bank",)), bank=pf.bank.ref(), round_bank=self.info.bank.ref())
            )
        if pf.sector not in self.workspace.sectors.by_id:
            problems.append(_("{place}: ukjent sektor «{sector}» (se sektorlisten)").format(
                place=doc.where(("sector",)), sector=pf.sector))
        fine = self._fine
        for ind_id, answer in pf.answers.items():
            if (ind_id, answer.level, False) not in fine:  # checked in another file of this round already
                problems += self._item_problems(doc, "answers", ind_id, answer.level)
            if answer.comment is not None:
                # a comment edited into the file by hand is screened like one typed in the terminal
                problems += self._screened(doc, ("answers", ind_id, "comment"), answer.comment)
        if problems:
            raise SamordnaError(_("Svarfilen {path} har feil:").format(path=doc.path), path=doc.path, problems=problems)

    def participants(self) -> list[ParticipantFile]:
        codes = self.participant_codes()
        pending = self._pending()  # after the codes: a file listed as pending is there, or already moved into svar/
        return [self.load_participant(code, pending) for code in codes]

    def new_participant(self, code: str, sector: str, source: str) -> ParticipantFile:
        return ParticipantFile(
            participant=code, sector=sector, bank=self.info.bank, source=source, updated=now(), answers={}
        )

    def _participant_text(self, pf: ParticipantFile, stamp: datetime | None) -> str:
        problem = code_problem(pf.participant)
        if problem:
            raise SamordnaError(problem[0].upper() + problem[1:] + ".")
        if pf.sector not in self.workspace.sectors.by_id:
            raise SamordnaError(_("Ukjent sektor «{sector}».").format(sector=pf.sector))
        bank = self.bank
        wrong = [f"{i}: {err}" for i, a in pf.answers.items()
                 if (i in bank.indicator_by_id or bank.is_legal(i)) and (err := answer_problem(bank, i, a.level)[0])]
        if wrong:
            raise SamordnaError(_("Svarene fra {code} kan ikke lagres:").format(code=pf.participant), problems=wrong)
        pf.updated = stamp or now()
        data = pf.model_dump(mode="json", exclude_none=True)
        data["answers"] = {k: {kk: vv for kk, vv in v.items() if vv is not None} for k, v in data["answers"].items()}
        header = _("Svar fra deltaker {code} i runde {round}.").format(code=pf.participant, round=self.id)
        return yaml_text(data, header + " " + _(HEADER))

    def save_participant(self, pf: ParticipantFile, stamp: datetime | None = None) -> Path:
        """Write one participant's file as it is. To change answers, use ``update_participant`` (no lost update)."""
        text = self._participant_text(pf, stamp)
        path = self.participant_path(pf.participant)
        with self.workspace.lock():
            self._still_here()
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
            self._still_here()
            current = self.load_participant(code) if self.participant_path(code).exists() else None
            pf = change(current)
            self.save_participant(pf)
            return pf

    def save_participants(self, pfs: list[ParticipantFile], command: str | None = None) -> list[Path]:
        """Write several participants' files all or nothing (a crash leaves none of them or all; see ``io.journal``)."""
        texts = {f"{pf.participant}.yaml": self._participant_text(pf, None).encode("utf-8") for pf in pfs}
        with self.workspace.lock(command):
            self._still_here()
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
        cf: ConsensusFile = validate_doc(ConsensusFile, doc, N_("Konsensusfilen"))
        problems = []
        if cf.bank.ref() != self.info.bank.ref():
            problems.append(_("{place}: laget med banken {bank}, runden bruker {round_bank}").format(
                place=doc.where(("bank",)), bank=cf.bank.ref(), round_bank=self.info.bank.ref()))
        for ind_id, entry in cf.entries.items():
            problems += self._item_problems(doc, "entries", ind_id, entry.level, consensus=True)
        for ind_id, entry in cf.entries.items():  # a rationale or dissent edited by hand is screened too
            for key in ("rationale", "dissent"):
                problems += self._screened(doc, ("entries", ind_id, key), getattr(entry, key))
        if problems:
            raise SamordnaError(_("Konsensusfilen {path} har feil:").format(path=doc.path), path=doc.path,
                                problems=problems)
        written_in = self.workspace.language or SOURCE
        for entry in cf.entries.values():
            mark_text_language(entry.rationale, written_in)
            mark_text_language(entry.dissent, written_in)
        return cf.entries

    def save_consensus(self, entries: dict[str, ConsensusEntry]) -> None:
        bank = self.bank
        unknown = [i for i in entries if i not in bank.indicator_by_id and not bank.is_legal(i)]
        if unknown:
            raise SamordnaError(_("Ukjente indikatorer i konsensus: {ids}.").format(ids=", ".join(unknown)))
        wrong = [f"{i}: {err}" for i, e in entries.items() if (err := answer_problem(bank, i, e.level, consensus=True)[0])]
        if wrong:
            raise SamordnaError(_("Konsensus kan ikke lagres:"), problems=wrong)
        order = {item_id: i for i, item_id in enumerate(bank.item_ids)}
        ordered = dict(sorted(entries.items(), key=lambda kv: order.get(kv[0], 10**6)))
        cf = ConsensusFile(bank=self.info.bank, entries=ordered)
        with self.workspace.lock():
            self._still_here()
            write_yaml(self.consensus_path, cf.model_dump(mode="json", exclude_none=True),
                       header=_("Gruppens omforente nivåer i runde {round}.").format(round=self.id) + " " + _(HEADER))

    def update_consensus(self, change: Callable[[dict[str, ConsensusEntry]], dict[str, ConsensusEntry]],
                         command: str | None = None) -> dict[str, ConsensusEntry]:
        """Read the consensus afresh under the workspace lock, let ``change`` make the new entries, save them."""
        with self.workspace.lock(command):
            self._still_here()
            entries = change(dict(self.consensus()))
            self.save_consensus(entries)
            return entries

    @property
    def priorities_path(self) -> Path:
        return self.dir / "prioriteringer.yaml"

    def priorities(self) -> list[str]:
        return self._priorities_file().priorities

    def mirror_priorities(self) -> dict[str, str]:
        """The priorities that came from the young people's mirror: indicator id -> «ungdom» or «foreldre»."""
        return dict(self._priorities_file().from_mirror or {})

    def _priorities_file(self) -> PrioritiesFile:
        if not self.priorities_path.exists():
            return PrioritiesFile(bank=self.info.bank)
        doc = load_yaml(self.priorities_path)
        pf: PrioritiesFile = validate_doc(PrioritiesFile, doc, N_("Prioriteringsfilen"))
        bad = [f"{doc.where(('priorities', i))}: {self._unknown(p)}"
               for i, p in enumerate(pf.priorities) if p not in self.bank.indicator_by_id]
        first: dict[str, int] = {}
        for i, p in enumerate(pf.priorities):
            if p in first:
                bad.append(_("{place}: «{id}» står to ganger (også på linje {line})").format(
                    place=doc.where(("priorities", i)), id=p, line=doc.line(("priorities", first[p]))))
            first.setdefault(p, i)
        bad += [_("{place}: «{id}» står ikke blant prioriteringene (priorities)").format(
                    place=doc.where(("from_mirror", p)), id=p)
                for p in (pf.from_mirror or {}) if p not in first]
        if pf.bank.ref() != self.info.bank.ref():
            bad.append(_("{place}: laget med banken {bank}, runden bruker {round_bank}").format(
                place=doc.where(("bank",)), bank=pf.bank.ref(), round_bank=self.info.bank.ref()))
        if bad:
            raise SamordnaError(_("Prioriteringsfilen {path} har feil:").format(path=doc.path), path=doc.path,
                                problems=bad)
        return pf

    def save_priorities(self, ids: list[str], chosen: date | None = None,
                        from_mirror: dict[str, str] | None = None) -> None:
        """Save the group's priorities; ``from_mirror``: those that came from the mirror (id -> role)."""
        unknown = [i for i in ids if i not in self.bank.indicator_by_id]
        if unknown:
            raise SamordnaError(_("Ukjente indikatorer i prioriteringene: {ids}.").format(ids=", ".join(unknown)))
        mirrored = {i: role for i, role in (from_mirror or {}).items() if i in ids}
        pf = PrioritiesFile(bank=self.info.bank, chosen=chosen or date.today(), priorities=list(ids),
                            from_mirror=mirrored or None)  # roles checked by the model
        with self.workspace.lock():
            self._still_here()
            write_yaml(self.priorities_path, pf.model_dump(mode="json", exclude_none=True),
                       header=_("Gruppens prioriteringer i runde {round}.").format(round=self.id) + " " + _(HEADER))

    def _still_here(self) -> None:
        """Refuse to write into a round that was deleted (``round delete``) since it was opened: the write would
        fail on a missing folder, or make a half round under runder/. Call under the workspace lock."""
        if not (self.dir / "runde.yaml").is_file():
            raise SamordnaError(
                _("Runde {round} er slettet eller flyttet mens du arbeidet ({folder} finnes ikke lenger), så dette "
                  "er ikke lagret. Legg runden tilbake med: samordna round restore {root} {round} "
                  "og prøv igjen.").format(round=self.id, folder=self.dir, root=self.workspace.root), path=self.dir)

    def _item_problems(self, doc: YamlDoc, key: str, item_id: str, level: int | str,
                       consensus: bool = False) -> list[str]:
        """Problems with one answer or consensus entry in a hand-editable file (an unknown id, an answer the
        item does not take); warnings (e.g. «ikke relevant» on a legal duty) go to ``Round.warnings``."""
        fine = (item_id, level, consensus)
        if fine in self._fine:  # the same answer to the same item was checked in another file of this round
            return []
        bank = self.bank
        if item_id not in bank.indicator_by_id and not bank.is_legal(item_id):
            problem = self._unknown(item_id)
            if not consensus:
                problem = _("{problem} i banken {bank}").format(problem=problem, bank=bank.label)
            return [f"{doc.where((key, item_id))}: {problem}"]
        error, warning = answer_problem(bank, item_id, level, consensus=consensus)
        if not (error or warning):  # the common case: no place to name (finding a line means parsing again)
            self._fine.add(fine)
            return []
        where = doc.where((key, item_id, "level"))
        self._warn([f"{where}: {warning}"] if warning else [])
        return [f"{where}: {error}"] if error else []

    def _screened(self, doc: YamlDoc, loc: tuple[str, ...], text: object) -> list[str]:
        """Free text in a hand-editable file screened for identity numbers and contacts: the problems (the
        warnings go to ``Round.warnings``), each naming file, line and key."""
        if text is None:
            return []
        screening = screen_text(text)
        if not (screening.blocked or screening.warnings):
            return []
        where = doc.where(loc)
        self._warn([f"{where}: {reason}" for reason in screening.warnings])
        return [f"{where}: {reason}" for reason in screening.blocked]

    def _unknown(self, item_id: str) -> str:
        if item_id in self.official_bank.indicator_by_id:
            return _("«{id}» er skjult i de lokale tilleggene for runden ({file})").format(id=item_id, file=LOCAL_FILE)
        return _("ukjent indikator «{id}»").format(id=item_id)

    def _warn(self, lines: list[str]) -> None:
        self.warnings += [line for line in lines if line not in self.warnings]
