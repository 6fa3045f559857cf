"""The action plan's model: its columns, statuses and kinds of rows, and one action as people see it.

Pure: the workbook is written by ``outputs.plan`` and read back by ``io.plan_reader``;
``plan.merge`` combines what samordna suggests with what people typed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from samordna.i18n import LANGUAGES, N_, SOURCE, in_language

FORMAT = "samordna-handlingsplan/1"
# the statuses as samordna keeps them (bokmål); the workbook shows them in its language (``_(status)``), and
# ``status_of`` reads them back in any of the languages
STATUSES = [N_("Ikke startet"), N_("Pågår"), N_("Fullført"), N_("Utsatt"), N_("Avbrutt")]
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
# the kinds' labels in bokmål (shown as ``_(KIND_LABELS[kind])``; ``kind_of`` reads them back in any language)
KIND_LABELS = {KIND_LEGAL: N_("Juridisk minimum"), KIND_PRIORITY: N_("Prioritert"), KIND_CARRIED: N_("Videreført"),
               KIND_BELOW: N_("Under mål"), KIND_STALE: N_("Ikke lenger aktuell"), KIND_CHANGED: N_("Endret påstand"),
               KIND_RETIRED: N_("Påstand tatt ut"), KIND_OWN: N_("Eget tiltak")}

# the sheets by their bokmål names; a workbook has them in its own language (``sheet_name``), which a plan keeps
PLAN_SHEET = N_("Handlingsplan")
LIST_SHEET = N_("Lister")
PREVIOUS_SHEET = N_("Forrige plan")
LEGAL_SHEET = N_("Juridisk minimum")
RESULTS_SHEET = N_("Resultater")
OVERVIEW_SHEET = N_("Oversikt")
GUIDELINE_SHEET = N_("Retningslinjen")
ABOUT_SHEET = N_("Om")
# indicators below target that the group did not prioritise: their suggested actions, outside the plan itself.
# Generated only when «Lister» says samordna wrote it (BELOW_MARK), so a sheet people named so themselves is kept.
BELOW_SHEET = N_("Under mål")
BELOW_MARK = ("ark", BELOW_SHEET)
# in «Lister», below BELOW_MARK: the language the plan was made in (a regenerated plan keeps it)
LANGUAGE_KEY = "språk"
# the young people's mirror (core.mirror) beside the leaders' levels: drawn when the round has mirror answers
MIRROR_SHEET = N_("Speilet")
# the sheets samordna draws anew each time; any other sheet is the municipality's own and is carried over
GENERATED_SHEETS = (LEGAL_SHEET, PLAN_SHEET, PREVIOUS_SHEET, RESULTS_SHEET, OVERVIEW_SHEET, GUIDELINE_SHEET,
                    ABOUT_SHEET, LIST_SHEET, MIRROR_SHEET)
# hidden keys: each generated column's header cell carries a defined name «samordna_kol_<key>», which Excel and
# LibreOffice move along when columns are moved or inserted (headers may be reworded or translated)
COLUMN_NAME_PREFIX = "samordna_kol_"
# in «Lister»: the actions samordna wrote last time (id, text) and those people deleted (they stay deleted)
LIST_WRITTEN_COL = 7
LIST_REMOVED_COL = 10

# key, header (bokmål; written as ``_(header)``), width; the order is the order of the columns in «Handlingsplan».
COLUMNS = [
    ("id", N_("Tiltak-ID"), 15),
    ("kind", N_("Type"), 12),
    ("domain", N_("Område"), 17),
    ("indicator", N_("Indikator"), 26),
    ("level", N_("Nivå nå"), 8),
    ("target", N_("Mål"), 6),
    ("gap", N_("Avstand til mål"), 9),
    ("action", N_("Tiltak"), 46),
    ("responsible", N_("Ansvarlig"), 22),
    ("deadline", N_("Frist"), 11),
    ("status", N_("Status"), 12),
    ("follow_up", N_("Neste oppfølging"), 12),
    ("comment", N_("Kommentar"), 34),
    ("basis", N_("Forankring"), 26),
    ("previous", N_("Fra forrige plan"), 22),
]
COL = {key: i + 1 for i, (key, _h, _w) in enumerate(COLUMNS)}
HEADER_KEY = {header.lower(): key for key, header, _w in COLUMNS} | {"gap": "gap"}  # «Gap»: plans before 2027
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
    carried: bool = False  # an unfinished action carried over from the previous plan («Videreført fra …»)


def status_counts(actions: list[PlanAction]) -> dict[str, int]:
    return {s: sum(1 for a in actions if a.status == s) for s in STATUSES}


# --- the workbook's language: what people may find in a plan made in nb, nn or en ----------------------------


def spellings(message: str) -> set[str]:
    """A bokmål text as it is written in each of the languages."""
    return {in_language(code, message) for code in LANGUAGES}


def header_keys() -> dict[str, str]:
    """Each generated column's header in any of the languages (lower case) -> its key."""
    out = dict(HEADER_KEY)
    for code in LANGUAGES:
        for key, header, _w in COLUMNS:
            out.setdefault(in_language(code, header).lower(), key)
    return out


def status_of(text: str) -> str | None:
    """The status (as samordna keeps it) a cell's text names in any of the languages; None if it names none."""
    t = text.strip().lower()
    for code in LANGUAGES:
        for s in STATUSES:
            if t == in_language(code, s).lower():
                return s
    return None


def kind_of(text: str) -> str | None:
    """The kind of row a cell's text names (its label in any of the languages, or the kind's own key)."""
    t = text.strip().lower()
    if t in KIND_LABELS:
        return t
    for code in LANGUAGES:
        for key, label in KIND_LABELS.items():
            if t == in_language(code, label).lower():
                return key
    return None


def sheet_in(sheetnames: list[str], sheet: str, lang: str | None = None) -> str | None:
    """The name a generated sheet has in a workbook: in ``lang`` if given and present, else in any language."""
    names = [in_language(lang, sheet)] if lang else []
    names += [in_language(code, sheet) for code in LANGUAGES]
    return next((n for n in names if n in sheetnames), None)


def workbook_language(sheetnames: list[str], marker: str | None = None) -> str:
    """The language a plan workbook was made in: the marker samordna wrote in «Lister», else the language whose
    sheet names it has most of (bokmål on a tie, and for plans made before the marker)."""
    if marker and marker.strip().lower() in LANGUAGES:
        return marker.strip().lower()
    present = set(sheetnames)

    def score(code: str) -> int:
        return sum(1 for s in GENERATED_SHEETS if in_language(code, s) in present)

    return max((SOURCE, *[c for c in LANGUAGES if c != SOURCE]), key=score)
