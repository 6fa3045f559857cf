"""The mirror's files: the companion bank (``assessments/speilet-0-24.yaml`` and its translations) and the
answers of young people and parents in a round (``runder/<id>/speilet/<random>.yaml``).

The model and the view are ``core.mirror``. The answers are kept in a folder of their own so that nothing
that reads the leaders' answers (``svar/``) can ever count them; a response file holds a role, an age band
(young people only), the answers and how they came in: no name, no code, no free text, no sector.
"""

from __future__ import annotations

import re
import secrets
from datetime import datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StrictStr, ValidationError, field_validator

from samordna.core.errors import SamordnaError
from samordna.core.mirror import (
    AGE_BANDS,
    DONT_KNOW,
    MIN_GROUP,
    ROLES,
    SOURCES,
    YOUNG,
    MirrorBank,
    MirrorResponse,
    MirrorSource,
    MirrorStatement,
    MirrorView,
    mirror_view,
)
from samordna.core.privacy import mask_ids
from samordna.core.problems import pydantic_problems
from samordna.i18n import N_, _, use_language
from samordna.i18n import language as current_language
from samordna.io.atomic import write_yaml
from samordna.io.resources import data_path
from samordna.io.yamlio import YamlDoc, load_yaml

MIRROR_BANK = "speilet-0-24"  # the shipped companion bank (assessments/speilet-0-24.yaml, .nn.yaml, .en.yaml)
MIRROR_DIR = "speilet"  # the round's folder for the mirror's answers
FORMAT = 1
ID_RE = r"^[A-Z]{2,4}-[A-Z]{2,4}-\d{2}$"
_FILE_RE = re.compile(r"^S[0-9A-HJ-NP-Z]{7}\.yaml$")
_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Level(_Model):
    level: int = Field(ge=0, le=4)
    name: str = Field(min_length=1)


class _Scale(_Model):
    levels: list[_Level] = Field(min_length=5, max_length=5)
    dont_know: str = Field(min_length=1)

    @field_validator("levels")
    @classmethod
    def _in_order(cls, v: list[_Level]) -> list[_Level]:
        if [lv.level for lv in v] != [0, 1, 2, 3, 4]:
            raise ValueError(_("nivåene må være 0, 1, 2, 3 og 4, i den rekkefølgen"))
        return v


class _Source(_Model):
    id: str = Field(min_length=1)
    title: str = Field(min_length=1)
    url: str | None = None
    note: str | None = None


class _Statement(_Model):
    id: str = Field(pattern=ID_RE)
    area: str = Field(min_length=1)
    mirrors: list[str] = Field(min_length=1)
    young: str = Field(min_length=1)
    parent: str = Field(min_length=1)
    sources: list[str] = Field(min_length=1)


class _Privacy(_Model):
    min_group: int = Field(ge=MIN_GROUP)


class _Intro(_Model):
    young: str = Field(min_length=1)
    parent: str = Field(min_length=1)


class _BankFile(_Model):
    id: str = Field(min_length=1)
    version: str = Field(pattern=r"^\d+\.\d+\.\d+$")
    title: str = Field(min_length=1)
    language: Literal["nb", "nn", "en"]
    mirrors: str = Field(min_length=1)
    description: str = Field(min_length=1)
    privacy: _Privacy
    gap_to_name: float = Field(gt=0, le=4)
    areas: dict[str, str] = Field(default_factory=dict)  # area id -> its name in plain words (the youth page)
    scale: _Scale
    intro: _Intro
    sources: list[_Source] = Field(min_length=1)
    statements: list[_Statement] = Field(min_length=1)


def mirror_bank_path(language: str = "nb", name: str = MIRROR_BANK) -> Path:
    """The shipped companion bank in ``language`` (bokmål is the source; nn and en are translations)."""
    suffix = "" if language == "nb" else f".{language}"
    return data_path("assessments") / f"{name}{suffix}.yaml"


def _problems(doc: YamlDoc, exc: ValidationError) -> SamordnaError:
    return SamordnaError(_("Speilbanken {path} har feil:").format(path=doc.path), path=doc.path,
                         problems=pydantic_problems(doc, exc))


def _bank(doc: YamlDoc) -> tuple[MirrorBank, _BankFile]:
    if doc.data is None:
        raise SamordnaError(_("Speilbanken {path} er tom.").format(path=doc.path), path=doc.path)
    try:
        f = _BankFile.model_validate(doc.data)
    except ValidationError as exc:
        raise _problems(doc, exc) from None
    problems: list[str] = []
    source_ids = {s.id for s in f.sources}
    seen: dict[str, int] = {}
    for i, st in enumerate(f.statements):
        if st.id in seen:
            problems.append(_("{place}: «{id}» står to ganger").format(place=doc.where(("statements", i, "id")),
                                                                        id=st.id))
        seen.setdefault(st.id, i)
        for j, s in enumerate(st.sources):
            if s not in source_ids:
                problems.append(_("{place}: kilden «{id}» står ikke under sources").format(
                    place=doc.where(("statements", i, "sources", j)), id=s))
    used = {st.area for st in f.statements}
    for area in f.areas:
        if area not in used:
            problems.append(_("{place}: ingen påstand hører til området «{area}»").format(
                place=doc.where(("areas", area)), area=area))
    if problems:
        raise SamordnaError(_("Speilbanken {path} har feil:").format(path=doc.path), path=doc.path, problems=problems)
    bank = MirrorBank(
        id=f.id, version=f.version, title=f.title, language=f.language, mirrors=f.mirrors,
        description=" ".join(f.description.split()), min_group=f.privacy.min_group, gap_to_name=f.gap_to_name,
        area_names=dict(f.areas),
        level_names=tuple(lv.name for lv in f.scale.levels), dont_know=f.scale.dont_know,
        intro={YOUNG: " ".join(f.intro.young.split()), "foreldre": " ".join(f.intro.parent.split())},
        statements=tuple(MirrorStatement(s.id, s.area, tuple(s.mirrors), s.young, s.parent, tuple(s.sources))
                         for s in f.statements),
        sources=tuple(MirrorSource(s.id, s.title, s.url, s.note) for s in f.sources))
    return bank, f


def check_against_main(bank: MirrorBank, doc_path: Path, domains: dict[str, list[str]]) -> None:
    """Every statement's area is a domain of the main bank and every mirrored indicator is in that area
    (``domains``: domain id -> its indicator ids). Problems name the file and the statement."""
    problems: list[str] = []
    for st in bank.statements:
        if st.area not in domains:
            problems.append(_("{id}: området «{area}» finnes ikke i hovedbanken").format(id=st.id, area=st.area))
            continue
        for ind in st.mirrors:
            if ind not in domains[st.area]:
                problems.append(_("{id}: «{indicator}» er ikke en påstand i området {area} i hovedbanken").format(
                    id=st.id, indicator=ind, area=st.area))
    if problems:
        raise SamordnaError(_("Speilbanken {path} passer ikke til hovedbanken:").format(path=doc_path), path=doc_path,
                            problems=problems)


_CACHE: dict[tuple[str, str], MirrorBank] = {}


def load_mirror_bank(path: Path, source: MirrorBank | None = None) -> MirrorBank:
    """Read and check a companion bank. A translation (``source`` given) must have the source's statements,
    areas, mirrored indicators and sources, in the same order; only the words differ."""
    doc = load_yaml(path)
    bank, f = _bank(doc)
    if source is not None:
        problems: list[str] = []
        if (bank.id, bank.version, bank.mirrors) != (source.id, source.version, source.mirrors):
            problems.append(_("{place}: id, versjon og hovedbank må være de samme som i {source}").format(
                place=doc.where(("id",)), source=f"{source.id} {source.version}"))
        if set(bank.area_names) != set(source.area_names):
            problems.append(_("{place}: områdene må være de samme som i kildeteksten").format(place=doc.where(("areas",))))
        if [s.id for s in bank.statements] != [s.id for s in source.statements]:
            problems.append(_("{place}: påstandene må være de samme og i samme rekkefølge som i kildeteksten").format(
                place=doc.where(("statements",))))
        else:
            for i, (a, b) in enumerate(zip(bank.statements, source.statements, strict=True)):
                if (a.area, a.mirrors, a.sources) != (b.area, b.mirrors, b.sources):
                    problems.append(_("{place}: område, speilede påstander og kilder må være som i kildeteksten").format(
                        place=doc.where(("statements", i))))
        if problems:
            raise SamordnaError(_("Speilbanken {path} har feil:").format(path=doc.path), path=doc.path,
                                problems=problems)
    return bank


def shipped_mirror_bank(language: str = "nb") -> MirrorBank:
    """The shipped companion bank in ``language`` (bokmål when there is no translation)."""
    language = language if language in ("nb", "nn", "en") else "nb"
    key = (MIRROR_BANK, language)
    if key not in _CACHE:
        source = _CACHE.get((MIRROR_BANK, "nb")) or load_mirror_bank(mirror_bank_path("nb"))
        _CACHE[(MIRROR_BANK, "nb")] = source
        path = mirror_bank_path(language)
        _CACHE[key] = source if language == "nb" or not path.is_file() else load_mirror_bank(path, source)
    return _CACHE[key]


# --- the answers -------------------------------------------------------------------------------


class _BankRef(_Model):
    id: str
    version: str


class ResponseFile(_Model):
    format: int = FORMAT
    bank: _BankRef
    role: Literal["ungdom", "foreldre"]
    age_band: Literal["13-15", "16-18", "19-24"] | None = None
    source: Literal["skjema", "papir", "live"]
    language: Literal["nb", "nn", "en"] = "nb"
    saved: datetime | None = None
    answers: dict[str, StrictInt | StrictStr] = Field(default_factory=dict)  # no true for 1, no 2.0 for 2

    @field_validator("answers")
    @classmethod
    def _values(cls, v: dict[str, StrictInt | StrictStr]) -> dict[str, StrictInt | StrictStr]:
        for key, value in v.items():
            if isinstance(value, bool) or (isinstance(value, int) and not 0 <= value <= 4) or \
                    (isinstance(value, str) and value != DONT_KNOW):
                raise ValueError(_("svaret på {id} må være 0–4 eller vet_ikke").format(id=key))
        return v


def response_problem(bank: MirrorBank, role: str, age_band: str | None, answers: dict[str, int | str]) -> str | None:
    """None when a response may be stored; otherwise what is wrong, in words."""
    if role not in ROLES:
        return _("ukjent rolle «{role}»").format(role=role)
    if role == YOUNG and age_band not in AGE_BANDS:
        return _("aldersgruppen må være 13–15, 16–18 eller 19–24")
    if role != YOUNG and age_band is not None:
        return _("aldersgruppe gjelder bare ungdom")
    for key, value in answers.items():
        if key not in bank.statement_by_id:
            return _("«{id}» er ikke en påstand i speilbanken").format(id=key)
        if value != DONT_KNOW and (isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 4):
            return _("svaret på {id} må være 0–4 eller vet ikke").format(id=key)
    return None


class MirrorStore:
    """The mirror's answers in one round: one file per person, in ``<round>/speilet/``."""

    def __init__(self, round_dir: Path, lock=None):
        self.dir = Path(round_dir) / MIRROR_DIR
        self._lock = lock  # the workspace's lock (a context manager factory), taken per write

    def paths(self) -> list[Path]:
        if not self.dir.is_dir():
            return []
        return sorted(p for p in self.dir.iterdir() if _FILE_RE.match(p.name))

    def responses(self, bank: MirrorBank) -> list[MirrorResponse]:
        """Every response, checked; a broken file is one SamordnaError naming the file, line and key."""
        out: list[MirrorResponse] = []
        for path in self.paths():
            doc = load_yaml(path)
            if doc.data is None:
                raise SamordnaError(_("Svarfilen {path} er tom.").format(path=path), path=path)
            try:
                f = ResponseFile.model_validate(doc.data)
            except ValidationError as exc:
                raise SamordnaError(_("Svarfilen {path} har feil:").format(path=path), path=path,  # keys echoed, not ids
                                    problems=[mask_ids(p) for p in pydantic_problems(doc, exc)]) from None
            problem = response_problem(bank, f.role, f.age_band, dict(f.answers))
            if problem:
                raise SamordnaError(_("Svarfilen {path} har feil:").format(path=path), path=path,
                                    problems=[mask_ids(f"{doc.where(('answers',))}: {problem}")])
            out.append(MirrorResponse(path.stem, f.role, f.age_band, dict(f.answers), f.source, f.language))
        return out

    def new_id(self) -> str:
        while True:
            rid = "S" + "".join(secrets.choice(_ALPHABET) for _ in range(7))
            if not (self.dir / f"{rid}.yaml").exists():
                return rid

    def save(self, bank: MirrorBank, role: str, age_band: str | None, answers: dict[str, int | str], source: str,
             language: str = "nb", rid: str | None = None, saved: datetime | None = None) -> MirrorResponse:
        """Write one response atomically (a new file unless ``rid`` names one made earlier by the same phone)."""
        problem = response_problem(bank, role, age_band, answers)
        if problem is None and source not in SOURCES:
            problem = _("ukjent kilde «{source}»").format(source=source)
        if problem:
            raise SamordnaError(_("Svaret ble ikke lagret: {problem}.").format(problem=problem))
        self.dir.mkdir(parents=True, exist_ok=True)
        rid = rid or self.new_id()
        data = ResponseFile(bank=_BankRef(id=bank.id, version=bank.version), role=role,
                            age_band=age_band, source=source, language=language,
                            saved=(saved or datetime.now()).replace(microsecond=0), answers=answers)
        with use_language(language if language in ("nb", "nn", "en") else "nb"):
            header = _(HEADER)
        if self._lock is not None:
            with self._lock():
                write_yaml(self.dir / f"{rid}.yaml", data.model_dump(mode="json", exclude_none=True), header)
        else:
            write_yaml(self.dir / f"{rid}.yaml", data.model_dump(mode="json", exclude_none=True), header)
        return MirrorResponse(rid, role, age_band, dict(answers), source, language)


def round_mirror(ws, rnd, result, language: str | None = None) -> tuple[MirrorBank, MirrorView] | None:
    """The mirror of round ``rnd`` beside the leaders' result (``core.result_model.RoundResult``): the companion
    bank in ``language`` (default: the current one) and the view as it may be shown. None when nobody in the
    round has answered the mirror, and also when no group reached the limit (the two must look the same)."""
    store = MirrorStore(rnd.dir)
    if not store.paths():
        return None
    bank = shipped_mirror_bank(language or current_language())
    view = mirror_view(bank, store.responses(bank), {d.id: d.level for d in result.domains},
                       {d.id: d.name for d in result.domains}, getattr(ws, "mirror_min_group", None))
    # a mirror where no group reached the limit is shown as no mirror at all: otherwise the outputs would tell
    # «between 1 and 4 answered» from «nobody answered»
    return (bank, view) if view.any_shown else None


HEADER = N_("Ett svar i speilet (ungdom eller foreldre). Uten navn, kode og fritekst. Skrevet av samordna.")
