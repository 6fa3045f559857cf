"""Reading a round's re-votes (``omstemming.yaml``, written by ``samordna live``) for the report.

The file holds, per statement, how many answered each value after the discussion (``counts``) and whether the
counts were typed in from a paper tally (``tally: true``); never who voted what. A file that cannot be read, has
an unknown format, a statement the round's bank does not have, or a value that does not fit the statement is a
SamordnaError naming the file, the line and the key. The room (``room.store``) writes the file; this module only
reads it, so the report does not depend on the room.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from samordna.core.answers import DONT_KNOW, LEVELS, NO, NOT_APPLICABLE, YES
from samordna.core.bank import Bank
from samordna.core.errors import SamordnaError
from samordna.core.problems import pydantic_problems
from samordna.i18n import _
from samordna.io.yamlio import YamlDoc, load_yaml

REVOTE_FILE = "omstemming.yaml"
FORMAT = 1

LEVEL_VALUES: tuple[int | str, ...] = (*LEVELS, DONT_KNOW, NOT_APPLICABLE)  # what an indicator's re-vote may count
LEGAL_VALUES: tuple[int | str, ...] = (YES, NO, DONT_KNOW)  # what a legal item's re-vote may count
_ALL = (*LEVEL_VALUES, YES, NO)


def _value(key: object) -> int | str | None:
    """A key of ``counts`` as a ballot value («2» and 2 are the same level); None if it is none."""
    if isinstance(key, bool):
        return None
    if isinstance(key, int):
        return key if key in LEVELS else None
    text = str(key).strip()
    if len(text) == 1 and text.isdigit():
        return int(text) if int(text) in LEVELS else None
    return text if text in _ALL else None


class _Entry(BaseModel):
    model_config = ConfigDict(extra="ignore")

    counts: dict[str | int, int] = Field(default_factory=dict)
    tally: bool = False  # the room also writes «recorded» (when); the report does not need it

    @field_validator("counts", mode="before")
    @classmethod
    def _none_is_empty(cls, raw: object) -> object:
        return {} if raw is None else raw


def _count_problems(doc: YamlDoc) -> list[str]:
    """What pydantic would let through or word vaguely in the counts, each at its own key: an answer that is none,
    a yes/no where a number belongs (YAML reads «true» as a boolean, pydantic would take it as 1), a negative count."""
    revotes = doc.data.get("revotes") if isinstance(doc.data, dict) else None
    problems: list[str] = []
    for statement, entry in (revotes.items() if isinstance(revotes, dict) else ()):
        counts = entry.get("counts") if isinstance(entry, dict) else None
        seen: set[int | str] = set()
        for key, n in (counts.items() if isinstance(counts, dict) else ()):
            where = doc.where(("revotes", str(statement), "counts", str(key)))
            value = _value(key)
            if value in seen:
                problems.append(f"{where}: " + _("«{value}» står to ganger").format(value=value))
            elif value is not None:
                seen.add(value)
            if value is None:
                problems.append(f"{where}: " + _("ukjent svar «{value}» (tillatt: 0–4, {values})").format(
                    value=key, values=", ".join(str(v) for v in _ALL[len(LEVELS):])))
            elif isinstance(n, bool):
                problems.append(f"{where}: " + _("må være et tall, ikke en ja/nei-verdi («{value}»)").format(
                    value=str(n).lower()))
            elif isinstance(n, int) and n < 0:
                problems.append(f"{where}: " + _("kan ikke være negativt ({n})").format(n=n))
    return problems


class _File(BaseModel):
    model_config = ConfigDict(extra="ignore")

    format: int = FORMAT
    revotes: dict[str, _Entry] = Field(default_factory=dict)

    @field_validator("revotes", mode="before")
    @classmethod
    def _none_is_empty(cls, raw: object) -> object:
        return {} if raw is None else raw


@dataclass(frozen=True)
class Revote:
    """One statement's re-vote: the count per value (in the order of ``LEVEL_VALUES`` or ``LEGAL_VALUES``)."""

    statement: str
    counts: dict[int | str, int]
    tally: bool

    @property
    def n(self) -> int:
        return sum(self.counts.values())


def revote_path(round_dir: Path) -> Path:
    return round_dir / REVOTE_FILE


def _problem(doc: YamlDoc, loc: tuple, text: str) -> SamordnaError:
    return SamordnaError(_("Omstemmingsfilen {path} har feil:").format(path=doc.path), path=doc.path,
                         problems=[f"{doc.where(loc)}: {text}"])


def load_revotes(round_dir: Path, bank: Bank | None = None) -> list[Revote]:
    """The re-votes of the round in ``round_dir``, in the bank's order when ``bank`` is given (file order
    otherwise); an empty list when there is no file or it has no entries. With ``bank``, every statement must be
    one of its items and every value fit the item (ja/nei/vet ikke for a legal item, 0–4, vet ikke or ikke
    relevant for an indicator)."""
    path = revote_path(round_dir)
    if not path.exists():
        return []
    doc = load_yaml(path)
    if doc.data is None:
        return []
    if not isinstance(doc.data, dict):
        raise _problem(doc, (), _("skal være en oversikt med «revotes»"))
    if isinstance(doc.data.get("format"), int) and not isinstance(doc.data["format"], bool) \
            and doc.data["format"] > FORMAT:
        raise SamordnaError(_("Omstemmingsfilen {path} er skrevet av en nyere samordna (format {format}). "
                              "Oppdater samordna for å lese den.").format(path=path, format=doc.data["format"]),
                            path=path)
    problems = _count_problems(doc)
    try:
        parsed = _File.model_validate(doc.data)
    except ValidationError as exc:
        problems += pydantic_problems(doc, exc)
    if problems:
        raise SamordnaError(_("Omstemmingsfilen {path} har feil:").format(path=path), path=path,
                            problems=sorted(set(problems), key=problems.index)) from None
    out: list[Revote] = []
    for statement, entry in parsed.revotes.items():
        counts: dict[int | str, int] = {}
        for key, n in entry.counts.items():
            value = _value(key)
            if value is not None:
                counts[value] = n
        if bank is not None:
            if statement not in bank.item_ids:
                raise _problem(doc, ("revotes", statement),
                               _("{id} er ikke en påstand eller et lovkrav i rundens spørsmålsbank ({bank})").format(
                                   id=statement, bank=bank.label))
            allowed = LEGAL_VALUES if bank.is_legal(statement) else LEVEL_VALUES
            wrong = [v for v in counts if v not in allowed]
            if wrong:
                raw_key = next(k for k in entry.counts if _value(k) == wrong[0])
                raise _problem(doc, ("revotes", statement, "counts", str(raw_key)),
                               _("«{value}» passer ikke til {id} (tillatt: {allowed})").format(
                                   value=wrong[0], id=statement, allowed=", ".join(str(v) for v in allowed)))
        order = LEGAL_VALUES if bank is not None and bank.is_legal(statement) else (*LEVEL_VALUES, YES, NO)
        out.append(Revote(statement, {v: counts[v] for v in order if v in counts}, entry.tally))
    if bank is not None:
        position = {item: i for i, item in enumerate(bank.item_ids)}
        out.sort(key=lambda r: position[r.statement])
    return out
