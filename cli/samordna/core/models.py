"""The workspace's records as models: municipality, round, a participant's answers, consensus,
priorities, sectors and roles. Pure: reading and writing the files is ``io.workspace``."""

from __future__ import annotations

import re
from datetime import date, datetime
from functools import cached_property
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from samordna.core.answers import DONT_KNOW, NO, NOT_APPLICABLE, YES
from samordna.core.bank import BankRef
from samordna.core.codes import code_problem
from samordna.i18n import _

FORMAT = "samordna-arbeidsområde/1"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def _no_bool(v: object) -> object:
    """YAML reads «true», «yes» and «on» as booleans, and pydantic would take them as 1: refuse them first."""
    if isinstance(v, bool):
        raise ValueError(_("må være et tall, ikke en ja/nei-verdi («{value}»)").format(value=str(v).lower()))
    return v


# --- sectors and roles -------------------------------------------------------------


class Sector(_Model):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str = Field(min_length=1)
    group: str = Field(min_length=1)


class SectorGroup(_Model):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str = Field(min_length=1)


class SectorList(_Model):
    groups: list[SectorGroup] = Field(min_length=1)
    sectors: list[Sector] = Field(min_length=1)

    @cached_property
    def by_id(self) -> dict[str, Sector]:
        return {s.id: s for s in self.sectors}

    @cached_property
    def group_by_id(self) -> dict[str, SectorGroup]:
        return {g.id: g for g in self.groups}

    def name(self, sector_id: str) -> str:
        s = self.by_id.get(sector_id)
        return s.name if s else sector_id

    def group_of(self, sector_id: str) -> SectorGroup | None:
        s = self.by_id.get(sector_id)
        return self.group_by_id.get(s.group) if s else None

    def resolve(self, text: str) -> str | None:
        """A sector id from an id or a name, case-insensitive; None if unknown."""
        t = text.strip().lower()
        for s in self.sectors:
            if t in (s.id, s.name.lower()):
                return s.id
        return None


class RoleList(_Model):
    roles: list[str] = Field(min_length=1)

    @field_validator("roles")
    @classmethod
    def _roles(cls, roles: list[str]) -> list[str]:
        for role in roles:
            if not role.strip() or len(role) > 60:
                raise ValueError(_("rollen {role} må ha 1–60 tegn").format(role=repr(role)))
        return roles


# --- files ------------------------------------------------------------------------


class BankInfo(_Model):
    id: str
    version: str

    def ref(self) -> BankRef:
        return BankRef(self.id, self.version)


class MunicipalityFile(_Model):
    format: str = FORMAT
    name: str = Field(min_length=1)
    number: str = Field(pattern=r"^\d{4}$")
    created: date
    county: str | None = None
    # The municipality's language form (målform): nb, nn or en. Every document made for it is in this language
    # unless a command is given --lang. None (every workspace made before languages existed): bokmål.
    language: Literal["nb", "nn", "en"] | None = None
    # The smallest group of young people or parents the mirror shows (core.mirror): at least 5, which is
    # also the value when it is not set. A municipality may raise it, never lower it.
    mirror_min_group: int | None = Field(default=None, ge=5, le=100)


class RoundFile(_Model):
    id: str = Field(pattern=r"^\d{4}(-\d+)?$")
    year: int = Field(ge=2000, le=2100)
    opened: date
    bank: BankInfo
    note: str | None = None
    # Who wrote the local additions the round was opened with (lokale-tillegg.yaml in the round folder);
    # None: the official bank alone (and every round written before local additions existed).
    local_additions: str | None = None

    _year_not_bool = field_validator("year", mode="before")(_no_bool)


class Answer(_Model):
    level: int | str
    comment: str | None = None

    _level_not_bool = field_validator("level", mode="before")(_no_bool)

    @field_validator("level")
    @classmethod
    def _valid_level(cls, v: int | str) -> int | str:
        if v in (0, 1, 2, 3, 4, DONT_KNOW, NOT_APPLICABLE, YES, NO) and not isinstance(v, bool):
            return v
        raise ValueError(_("ugyldig svar {value}: bruk 0–4, {dont_know} eller {not_applicable} ({yes}, {no} eller "
                           "{dont_know} på det juridiske minimumet)").format(
            value=repr(v), dont_know=DONT_KNOW, not_applicable=NOT_APPLICABLE, yes=YES, no=NO))


class ParticipantFile(_Model):
    participant: str
    sector: str
    bank: BankInfo
    updated: datetime | None = None
    source: str | None = None  # "assess", "skjema", "fil"
    answers: dict[str, Answer] = Field(default_factory=dict)

    @field_validator("participant")
    @classmethod
    def _code(cls, v: str) -> str:
        problem = code_problem(v)
        if problem:
            raise ValueError(problem)
        return v


class ConsensusEntry(_Model):
    level: int | str
    rationale: str = Field(min_length=1)
    dissent: str | None = None
    recorded: datetime | None = None

    _level_not_bool = field_validator("level", mode="before")(_no_bool)

    @field_validator("level")
    @classmethod
    def _valid_level(cls, v: int | str) -> int | str:
        if v in (0, 1, 2, 3, 4, NOT_APPLICABLE, YES, NO, DONT_KNOW) and not isinstance(v, bool):
            return v
        raise ValueError(_("ugyldig konsensusnivå {value}: bruk 0–4 eller {not_applicable} ({yes}, {no} eller "
                           "{dont_know} på det juridiske minimumet)").format(
            value=repr(v), dont_know=DONT_KNOW, not_applicable=NOT_APPLICABLE, yes=YES, no=NO))


class ConsensusFile(_Model):
    bank: BankInfo
    entries: dict[str, ConsensusEntry] = Field(default_factory=dict)


class PrioritiesFile(_Model):
    bank: BankInfo
    chosen: date | None = None
    priorities: list[str] = Field(default_factory=list)
    # priorities that came from the young people's mirror (core.mirror): indicator id -> the role whose view
    # made it a priority («ungdom» or «foreldre»); every key is one of ``priorities`` (checked by the round)
    from_mirror: dict[str, Literal["ungdom", "foreldre"]] | None = None


def slugify(text: str) -> str:
    table = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "ae", "Ø": "o", "Å": "a"})
    text = text.translate(table).lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "kommune"
