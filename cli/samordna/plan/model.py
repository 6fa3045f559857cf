"""The action plan's model: its columns, statuses and kinds of rows, and one action as people see it.

Pure: the workbook is written by ``outputs.plan`` and read back by ``io.plan_reader``;
``plan.merge`` combines what samordna suggests with what people typed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

FORMAT = "samordna-handlingsplan/1"
STATUSES = ["Ikke startet", "Pågår", "Fullført", "Utsatt", "Avbrutt"]
DONE = ("Fullført", "Avbrutt")

KIND_PRIORITY = "prioritert"
KIND_BELOW = "under mål"
KIND_STALE = "ikke lenger aktuell"
KIND_OWN = "eget tiltak"  # a row someone added by hand (no action id from samordna)
KIND_CARRIED = "videreført"  # an unfinished action from the previous plan on an indicator that is not a priority now
KIND_LEGAL = "juridisk minimum"  # an item of the legal minimum answered «nei» or «uavklart»
# unfinished actions from the previous plan on an indicator the new bank version split, merged or replaced,
# or took out: kept as people wrote them, with a note naming the new indicators
KIND_CHANGED = "endret påstand"
KIND_RETIRED = "påstand tatt ut"
KIND_LABELS = {KIND_LEGAL: "Juridisk minimum", KIND_PRIORITY: "Prioritert", KIND_CARRIED: "Videreført",
               KIND_BELOW: "Under mål", KIND_STALE: "Ikke lenger aktuell", KIND_CHANGED: "Endret påstand",
               KIND_RETIRED: "Påstand tatt ut", KIND_OWN: "Eget tiltak"}

PLAN_SHEET = "Handlingsplan"
LIST_SHEET = "Lister"
PREVIOUS_SHEET = "Forrige plan"
LEGAL_SHEET = "Juridisk minimum"
# indicators below target that the group did not prioritise: their suggested actions, outside the plan itself.
# Generated only when «Lister» says samordna wrote it (BELOW_MARK), so a sheet people named so themselves is kept.
BELOW_SHEET = "Under mål"
BELOW_MARK = ("ark", BELOW_SHEET)
# the sheets samordna draws anew each time; any other sheet is the municipality's own and is carried over
GENERATED_SHEETS = (LEGAL_SHEET, PLAN_SHEET, PREVIOUS_SHEET, "Resultater", "Oversikt", "Retningslinjen", "Om",
                    LIST_SHEET)
# hidden keys: each generated column's header cell carries a defined name «samordna_kol_<key>», which Excel and
# LibreOffice move along when columns are moved or inserted (headers may be reworded or translated)
COLUMN_NAME_PREFIX = "samordna_kol_"
# in «Lister»: the actions samordna wrote last time (id, text) and those people deleted (they stay deleted)
LIST_WRITTEN_COL = 7
LIST_REMOVED_COL = 10

# key, header, width; the order is the order of the columns in «Handlingsplan».
COLUMNS = [
    ("id", "Tiltak-ID", 15),
    ("kind", "Type", 12),
    ("domain", "Område", 17),
    ("indicator", "Indikator", 26),
    ("level", "Nivå nå", 8),
    ("target", "Mål", 6),
    ("gap", "Avstand til mål", 9),
    ("action", "Tiltak", 46),
    ("responsible", "Ansvarlig", 22),
    ("deadline", "Frist", 11),
    ("status", "Status", 12),
    ("follow_up", "Neste oppfølging", 12),
    ("comment", "Kommentar", 34),
    ("basis", "Forankring", 26),
    ("previous", "Fra forrige plan", 22),
]
COL = {key: i + 1 for i, (key, _, _) in enumerate(COLUMNS)}
HEADER_KEY = {header.lower(): key for key, header, _ in COLUMNS} | {"gap": "gap"}  # «Gap»: plans before 2027
IND_RE = re.compile(r"^([A-ZÆØÅ][A-ZÆØÅ0-9]*(?:-[A-ZÆØÅ0-9]+)+)\b")


@dataclass
class PlanAction:
    action_id: str
    indicator_id: str
    domain_id: str
    action: str
    responsible: str | None
    deadline: date | None
    status: str
    follow_up: date | None
    comment: str | None
    kind: str  # one of KIND_LABELS («eget tiltak» for rows added by hand)
    # what people typed in columns they added, by header (carried into next year's plan with the action)
    extra: dict[str, object] = field(default_factory=dict, compare=False)
    # what people typed in «Område» and «Indikator» (kept for their own actions, which samordna cannot fill in)
    domain_text: str | None = field(default=None, compare=False)
    indicator_text: str | None = field(default=None, compare=False)


@dataclass
class PlanRow:
    """One line of the plan as written: the action plus what samordna computes around it."""

    action: PlanAction
    domain_name: str = ""
    indicator_text: str = ""
    level: float | None = None
    target: int | None = None
    gap: float | None = None
    basis: str = ""
    previous: str = ""


def status_counts(actions: list[PlanAction]) -> dict[str, int]:
    return {s: sum(1 for a in actions if a.status == s) for s in STATUSES}
