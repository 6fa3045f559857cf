"""The young people's mirror: the companion bank, the answers of young people and parents, and the view.

The mirror asks those the services are for (a youth council, pupil councils, parent representatives)
how they *experience* the same areas the leaders judge. It is a companion bank (``assessments/speilet-*.yaml``,
read by ``io.mirrorfile``): short statements in plain language, each linked to an area of the main bank
and the indicators it mirrors, answered on a 0–4 scale from «stemmer ikke» to «stemmer helt» or «vet ikke».

Privacy is stricter than the leaders' round, because the people are fewer and younger:

* no names, no codes shown, no free text and no sector: a response holds its role (young person or
  parent), for young people an age band, and the answers (``MirrorResponse``);
* a role with fewer than ``min_group`` responses (at least ``MIN_GROUP``, 5; a municipality may set it
  higher) is never shown, not even its exact number («færre enn 5»), and nothing is shown for both roles
  together, so that one role cannot be found by subtracting the other;
* a statement's mean and counts are shown for a role only when at least ``min_group`` of that role gave
  it a level (0–4); an area's value is the mean of its *shown* statements only, so that a hidden
  statement cannot be worked out from the area and the others;
* age bands are collected but never shown one by one (three small bands of one role would give
  each other away).

The mirror's answers never enter the leaders' scores: they are kept in their own folder of the round
(``io.mirrorfile.MirrorStore``) and read only here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from samordna.i18n import N_

YOUNG = "ungdom"
PARENT = "foreldre"
ROLES = (YOUNG, PARENT)
AGE_BANDS = ("13-15", "16-18", "19-24")
DONT_KNOW = "vet_ikke"
LEVELS = (0, 1, 2, 3, 4)
MIN_GROUP = 5  # the floor: a municipality may raise it (kommune.yaml mirror_min_group), never lower it
SOURCES = ("skjema", "papir", "live")  # how a response came in: an Excel form, a paper ballot typed in, a phone
ROLE_NAMES = {YOUNG: N_("Ungdom"), PARENT: N_("Foreldre")}
GROUP_NAMES = {YOUNG: N_("ungdommene"), PARENT: N_("foreldrene")}


@dataclass(frozen=True)
class MirrorSource:
    id: str
    title: str
    url: str | None = None
    note: str | None = None  # e.g. what is unconfirmed about it


@dataclass(frozen=True)
class MirrorStatement:
    id: str
    area: str  # a domain id of the main bank
    mirrors: tuple[str, ...]  # the main bank's indicators it mirrors
    young: str  # the statement as a young person reads it
    parent: str  # the statement as a parent reads it
    sources: tuple[str, ...]

    def text(self, role: str) -> str:
        return self.young if role == YOUNG else self.parent


@dataclass(frozen=True)
class MirrorBank:
    id: str
    version: str
    title: str
    language: str
    mirrors: str  # the main bank's id
    description: str
    min_group: int
    gap_to_name: float  # a gap of at least this many levels is named in words
    level_names: tuple[str, ...]  # 0–4
    dont_know: str
    intro: dict[str, str]  # role -> the few lines at the top of the ballot
    statements: tuple[MirrorStatement, ...]
    sources: tuple[MirrorSource, ...]
    area_names: dict[str, str] = field(default_factory=dict)  # area id -> plain words (the youth council's page)
    statement_by_id: dict[str, MirrorStatement] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "statement_by_id", {s.id: s for s in self.statements})

    def label(self, value: int | str) -> str:
        return self.dont_know if value == DONT_KNOW else f"{value} – {self.level_names[int(value)]}"

    def areas(self) -> list[str]:
        """The areas the mirror covers, in the order of its statements."""
        return list(dict.fromkeys(s.area for s in self.statements))

    def plain_name(self, area: str, default: str) -> str:
        """The area in plain words for young people, or ``default`` (the main bank's name) when the bank has none."""
        return self.area_names.get(area, default)

    def in_area(self, area: str) -> list[MirrorStatement]:
        return [s for s in self.statements if s.area == area]


@dataclass(frozen=True)
class MirrorResponse:
    """One person's answers: no name, no code shown anywhere, no free text, no sector."""

    id: str  # the file's name in the round (random), never shown
    role: str
    age_band: str | None
    answers: dict[str, int | str]
    source: str
    language: str = "nb"


# --- the view ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class StatementView:
    id: str
    area: str
    text: str
    role: str
    shown: bool  # False: fewer than min_group gave a level, so nothing but «for få svar» is shown
    mean: float | None
    counts: tuple[int, ...] | None  # per level 0–4, then «vet ikke»; None when not shown


@dataclass(frozen=True)
class AreaView:
    area: str
    name: str
    leaders: float | None  # the leaders' level for the area (0–4), from the round's results
    values: dict[str, float | None]  # role -> mean of its shown statements (None: nothing shown)
    n_statements: int


@dataclass(frozen=True)
class Gap:
    area: str
    name: str
    role: str
    leaders: float
    value: float

    @property
    def size(self) -> float:
        """How much better the leaders think it is than the role experiences it (negative: the other way)."""
        return self.leaders - self.value


@dataclass(frozen=True)
class MirrorView:
    bank_id: str
    bank_version: str
    min_group: int
    groups: dict[str, int | None]  # role -> number of responses, None when fewer than min_group (never shown)
    areas: list[AreaView]
    statements: list[StatementView]
    gaps: list[Gap]  # every area and shown role with a leaders' level, largest gap first

    @property
    def shown_roles(self) -> list[str]:
        return [r for r in ROLES if self.groups.get(r) is not None]

    @property
    def any_shown(self) -> bool:
        return bool(self.shown_roles)

    def named_gaps(self, at_least: float, most: int = 3) -> list[Gap]:
        """The largest gaps where the leaders see it better than the role, at least ``at_least`` levels."""
        return [g for g in self.gaps if g.size >= at_least][:most]


def check_min_group(value: int | None, floor: int = MIN_GROUP) -> int:
    """The smallest group the mirror shows: ``value`` if given, never below ``floor``."""
    if value is None:
        return floor
    if value < floor:
        raise ValueError(value)
    return value


def _tenth(x: float) -> float:
    """``x`` to one decimal, halves rounded up, as a spreadsheet shows it: every output (the report's text, the
    workbook's cells, JSON) then gives the same figure (1,25 is 1,3 everywhere, not 1,2 in one and 1,3 in another)."""
    return float(Decimal(repr(x)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def mirror_view(bank: MirrorBank, responses: Iterable[MirrorResponse], leaders: dict[str, float | None],
                area_names: dict[str, str], min_group: int | None = None) -> MirrorView:
    """The mirror as it may be shown: per role and area, and the gaps to the leaders' levels (``leaders``:
    area id -> level 0–4, None when the leaders have none). Everything below ``min_group`` is left out
    (see the module docstring); the result holds nothing that is not allowed out."""
    k = check_min_group(min_group, max(MIN_GROUP, bank.min_group))
    by_role: dict[str, list[MirrorResponse]] = {r: [] for r in ROLES}
    for resp in responses:
        if resp.role in by_role:
            by_role[resp.role].append(resp)
    groups: dict[str, int | None] = {r: (len(rs) if len(rs) >= k else None) for r, rs in by_role.items()}
    statements: list[StatementView] = []
    shown_means: dict[tuple[str, str], list[float]] = {}
    for role in ROLES:
        role_responses = by_role[role] if groups[role] is not None else []
        for st in bank.statements:
            given = [r.answers[st.id] for r in role_responses if st.id in r.answers]
            levels = [v for v in given if isinstance(v, int) and not isinstance(v, bool)]
            shown = groups[role] is not None and len(levels) >= k
            raw = sum(levels) / len(levels) if shown else None
            mean = _tenth(raw) if raw is not None else None
            counts = (*(levels.count(v) for v in LEVELS), sum(1 for v in given if v == DONT_KNOW)) if shown else None
            statements.append(StatementView(st.id, st.area, st.text(role), role, shown, mean, counts))
            if raw is not None:
                shown_means.setdefault((st.area, role), []).append(raw)
    areas: list[AreaView] = []
    gaps: list[Gap] = []
    for area in bank.areas():
        values = {role: _mean_f(shown_means.get((area, role), [])) for role in ROLES}
        name = area_names.get(area, area)
        areas.append(AreaView(area, name, leaders.get(area), values, len(bank.in_area(area))))
        lead = leaders.get(area)
        for role, v in values.items():
            if lead is not None and v is not None:
                gaps.append(Gap(area, name, role, lead, v))
    gaps.sort(key=lambda g: (-g.size, ROLES.index(g.role), g.area))
    return MirrorView(bank.id, bank.version, k, groups, areas, statements, gaps)


def _mean_f(values: Sequence[float]) -> float | None:
    return _tenth(sum(values) / len(values)) if values else None
