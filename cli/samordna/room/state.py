"""The room's rules, in one place and pure (no I/O, no web framework): the server asks here before it does anything.

One statement at a time goes through the phases closed → open → locked → revealed. Votes are taken only while
it is open; a new ballot from the same device token replaces the old one until the lock. After the lock the
facilitator may reveal the distribution, open a re-vote of the same statement (open again, ``revote`` true), or
go to another statement. Or the facilitator switches the room to each person's own pace (``own_pace``): then the
phones answer any statement of the round (first answers only, never a re-vote), and nothing can be opened until
the room follows the facilitator again; an own-pace ballot sent after that is refused. Nothing about the values
is shown before the reveal: the state the phones and the big screen get (``public``) has no counts at all, and
the facilitator sees only how many have answered.

Requests are refused here too (``request_refusal``): a ``Host`` outside the allow-list, an ``Origin`` other
than the listener's own. A refusal is a ``Refusal`` with a reason from ``REASONS`` (its text for people).
Device tokens are known only by their sha256 hash (``token_hash``).

The mirror's room (``samordna live --speil``) has no phases: ``MirrorRoom`` checks an answer's token, statement,
value and rate; ``parse_mirror_group`` reads the join form's one choice (young person and age band, or parent).
"""

from __future__ import annotations

import hashlib
from collections import deque
from dataclasses import dataclass, field

from samordna.core.answers import DONT_KNOW, NO, NOT_APPLICABLE, YES
from samordna.i18n import N_

CLOSED, OPEN, LOCKED, REVEALED = "closed", "open", "locked", "revealed"
PHASES = (CLOSED, OPEN, LOCKED, REVEALED)

MAX_TOKENS = 200  # devices per room
RATE_VOTES = 10  # ballots per token …
RATE_SECONDS = 1.0  # … per this many seconds; more is refused (429)

# The values a ballot may carry, as the form sends them (the bank decides which of them an item takes).
VALUES: tuple[int | str, ...] = (0, 1, 2, 3, 4, DONT_KNOW, NOT_APPLICABLE, YES, NO)

REASONS = {
    "host": N_("Adressen er ikke rommets adresse. Bruk adressen eller QR-koden på storskjermen."),
    "origin": N_("Skjemaet kom fra en annen nettside, så svaret er ikke tatt imot."),
    "no_token": N_("Telefonen er ikke med i rommet ennå (eller har mistet informasjonskapselen). Bli med på nytt: "
                   "velg sektor, eller bruk koden og PIN-koden du fikk."),
    "no_sector": N_("Velg sektoren din før du svarer."),
    "not_open": N_("Avstemningen er ikke åpen. Vent til fasilitatoren åpner den."),
    "locked": N_("Avstemningen er låst. Svaret er ikke endret."),
    "stale": N_("Fasilitatoren har gått videre til en annen påstand. Siden er oppdatert."),
    "bad_value": N_("Det svaret passer ikke til denne påstanden."),
    "rate": N_("For mange svar på kort tid. Vent litt og prøv igjen."),
    "full": N_("Rommet er fullt ({n} telefoner). Svar på papir, eller be fasilitatoren om hjelp."),
    "room_code": N_("Feil romkode. Se romkoden på storskjermen."),
    "busy": N_("Lås avstemningen før du går til en annen påstand."),
    "phase": N_("Det går ikke an nå (avstemningen er {phase})."),
    "no_statement": N_("Velg en påstand først."),
    "unknown_statement": N_("Ukjent påstand. Velg en påstand i listen."),
    "own_pace": N_("Rommet svarer i eget tempo. Gå tilbake til felles tempo før du åpner en påstand."),
    "busy_pace": N_("Lås avstemningen før rommet svarer i eget tempo."),
    "follow": N_("Fasilitatoren har gått tilbake til felles tempo, så svaret er ikke tatt imot. Siden er oppdatert."),
    # the mirror's room (``samordna live --speil``)
    "mirror_no_token": N_("Telefonen er ikke med ennå (eller har glemt deg). Bli med på nytt."),
    "mirror_group": N_("Velg om du er ungdom (og hvor gammel du er) eller forelder."),
    "mirror_statement": N_("Den påstanden finnes ikke. Gå tilbake og velg en påstand i listen."),
}

PHASE_NAMES = {CLOSED: N_("ikke åpnet"), OPEN: N_("åpen"), LOCKED: N_("låst"), REVEALED: N_("låst, og fordelingen er vist")}


class Refusal(Exception):
    """The room says no: ``reason`` is a key of REASONS; ``status`` the HTTP status the server answers with."""

    def __init__(self, reason: str, status: int = 409, **fields: object):
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.fields = fields

    def message(self) -> str:
        from samordna.i18n import _

        fields = dict(self.fields)
        if fields.get("phase") in PHASE_NAMES:
            fields["phase"] = _(PHASE_NAMES[str(fields["phase"])])
        return _(REASONS[self.reason]).format(**fields)


def token_hash(token: str) -> str:
    """How a device token is kept: its sha256, never the token itself."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def parse_value(text: str | None) -> int | str | None:
    """A ballot's value as the form sends it («0»–«4», «vet_ikke», «ikke_relevant», «ja», «nei»); None if none."""
    text = (text or "").strip()
    if text.isdigit() and len(text) == 1:
        return int(text) if int(text) in VALUES else None
    return text if text in VALUES else None


def request_refusal(host: str | None, origin: str | None, allowed_hosts: frozenset[str] | set[str],
                    own_origins: frozenset[str] | set[str]) -> Refusal | None:
    """A request with a ``Host`` outside ``allowed_hosts`` or an ``Origin`` (when sent) not among the
    listener's own is refused (a page on another site posting to the room; DNS rebinding)."""
    if (host or "").lower() not in allowed_hosts:
        return Refusal("host", 400)
    if origin is not None and origin.lower() not in own_origins:
        return Refusal("origin", 403)
    return None


@dataclass
class Room:
    """What the room is doing now: one statement, its phase, and the ballots of this opening (token hash → value)."""

    code: str
    statement: str | None = None
    phase: str = CLOSED
    revote: bool = False
    own_pace: bool = False  # each person at their own pace: any statement, first answers only
    ballots: dict[str, int | str] = field(default_factory=dict)
    version: int = 0  # grows with every change the phones or screens should see
    _recent: dict[str, deque[float]] = field(default_factory=dict, repr=False)

    # --- what others see ------------------------------------------------------------------------
    def public(self) -> dict[str, object]:
        """What the phones and the big screen get (no counts, no values); ``own_pace`` only while it is on."""
        out: dict[str, object] = {"statement": self.statement, "phase": self.phase, "revote": self.revote}
        if self.own_pace:
            out["own_pace"] = True
        return out

    def status(self, round_id: str, participants: int) -> dict[str, object]:
        """What the facilitator gets: the public state, how many have answered (not what) and how many joined."""
        return {"round": round_id, **self.public(), "own_pace": self.own_pace, "answered": len(self.ballots),
                "participants": participants}

    # --- the facilitator ------------------------------------------------------------------------
    def _changed(self) -> None:
        self.version += 1

    def go_to(self, statement: str) -> None:
        """Another statement (closed, not re-voted). Not while voting is open."""
        if self.phase == OPEN:
            raise Refusal("busy")
        self.statement, self.phase, self.revote = statement, CLOSED, False
        self.ballots = {}
        self._changed()

    def set_own_pace(self, on: bool) -> None:
        """Each person at their own pace (``on``), or everybody following the facilitator again. Not while voting
        on a statement is open."""
        if on and self.phase == OPEN:
            raise Refusal("busy_pace")
        if on != self.own_pace:
            self.own_pace = on
            self._changed()

    def open(self, statement: str | None = None) -> None:
        """Open voting on ``statement`` (default: the current one) for the first answers."""
        if self.own_pace:
            raise Refusal("own_pace")
        statement = statement or self.statement
        if statement is None:
            raise Refusal("no_statement")
        if self.phase == OPEN:
            raise Refusal("busy" if statement != self.statement else "phase", phase=self.phase)
        self.statement, self.phase, self.revote = statement, OPEN, False
        self.ballots = {}
        self._changed()

    def open_revote(self) -> None:
        """A re-vote of the current statement, after its first voting was locked."""
        if self.own_pace:
            raise Refusal("own_pace")
        if self.statement is None:
            raise Refusal("no_statement")
        if self.phase not in (LOCKED, REVEALED):
            raise Refusal("phase", phase=self.phase)
        self.phase, self.revote = OPEN, True
        self.ballots = {}
        self._changed()

    def lock(self) -> dict[str, int | str]:
        """Lock voting; returns the ballots of this opening (a re-vote's become counts)."""
        if self.phase != OPEN:
            raise Refusal("phase", phase=self.phase)
        self.phase = LOCKED
        self._changed()
        return dict(self.ballots)

    def reveal(self) -> None:
        if self.phase != LOCKED:
            raise Refusal("phase", phase=self.phase)
        self.phase = REVEALED
        self._changed()

    def restore_revote(self, statement: str, ballots: dict[str, int | str]) -> None:
        """After a restart: the re-vote that was open when the server stopped is open again, its ballots kept."""
        self.statement, self.phase, self.revote = statement, OPEN, True
        self.ballots = dict(ballots)
        self._changed()

    # --- the phones -----------------------------------------------------------------------------
    def check_vote(self, known_token: str | None, statement: str | None, value: int | str | None, revote: bool,
                   allowed: bool, now: float, own_pace: bool = False) -> None:
        """Refuse a ballot unless it may be taken now: ``known_token`` is the hash of a joined device (None: no
        or unknown token); ``allowed`` is the bank's word on ``value`` for ``statement`` (``Bank.allows``);
        ``own_pace`` says the ballot came from an own-pace page (taken only while the room is at its own pace)."""
        if known_token is None:
            raise Refusal("no_token")
        if own_pace:
            if not self.own_pace:
                raise Refusal("follow")
            if revote:
                raise Refusal("stale")
            if value is None or not allowed:
                raise Refusal("bad_value", 400)
            self._rate(known_token, now)
            return
        if self.phase in (LOCKED, REVEALED) and statement == self.statement:
            raise Refusal("locked")
        if self.phase != OPEN:
            raise Refusal("not_open")
        if statement != self.statement or revote != self.revote:
            raise Refusal("stale")
        if value is None or not allowed:
            raise Refusal("bad_value", 400)
        self._rate(known_token, now)

    def _rate(self, known_token: str, now: float) -> None:
        take_rate(self._recent, known_token, now)

    def vote(self, known_token: str | None, statement: str | None, value: int | str | None, revote: bool,
             allowed: bool, now: float, own_pace: bool = False) -> None:
        """Take a ballot (replacing this device's earlier one in this opening), or raise Refusal. An own-pace
        ballot is only checked here: it is not a ballot of the facilitator's opening (the answer file keeps it)."""
        self.check_vote(known_token, statement, value, revote, allowed, now, own_pace)
        assert known_token is not None and value is not None
        if not own_pace:
            self.ballots[known_token] = value


def may_join(devices: int) -> None:
    """A new device may join while the room has fewer than MAX_TOKENS."""
    if devices >= MAX_TOKENS:
        raise Refusal("full", n=MAX_TOKENS)


def counts(values: list[int | str]) -> dict[int | str, int]:
    """Ballots as counts per value, in the order of VALUES (values nobody chose are left out)."""
    return {v: n for v in VALUES if (n := sum(1 for x in values if x == v))}


def take_rate(recent_by_token: dict[str, deque[float]], known_token: str, now: float) -> None:
    """One more ballot from ``known_token`` at ``now`` (monotonic seconds), or Refusal «rate» (429) when it has sent
    RATE_VOTES in the last RATE_SECONDS."""
    recent = recent_by_token.setdefault(known_token, deque())
    while recent and now - recent[0] >= RATE_SECONDS:
        recent.popleft()
    if len(recent) >= RATE_VOTES:
        raise Refusal("rate", 429)
    recent.append(now)


# --- the mirror's room (``samordna live --speil``) ------------------------------------------------
# Young people and parents answer the companion bank at their own pace; there are no phases, no reveal and
# nothing shown in the room about the answers (the report shows them, with groups under min_group suppressed).

MIRROR_GROUPS = {"ungdom:13-15": ("ungdom", "13-15"), "ungdom:16-18": ("ungdom", "16-18"),
                 "ungdom:19-24": ("ungdom", "19-24"), "foreldre": ("foreldre", None)}  # the join form's choices


def parse_mirror_group(text: str | None) -> tuple[str, str | None]:
    """(role, age band) from the join form's one choice; Refusal «mirror_group» when it is none of them."""
    found = MIRROR_GROUPS.get((text or "").strip())
    if found is None:
        raise Refusal("mirror_group")
    return found


def parse_mirror_value(text: str | None) -> int | str | None:
    """A mirror answer as the form sends it: «0»–«4» or «vet_ikke»; None otherwise."""
    text = (text or "").strip()
    if text in ("0", "1", "2", "3", "4"):
        return int(text)
    return DONT_KNOW if text == DONT_KNOW else None


@dataclass
class MirrorRoom:
    """The mirror's room: its code and each device's recent answers (for the rate limit). No phases."""

    code: str
    _recent: dict[str, deque[float]] = field(default_factory=dict, repr=False)

    def check_answer(self, known_token: str | None, statement_known: bool, value: int | str | None,
                     now: float) -> None:
        """Refuse an answer unless ``known_token`` is a joined device's hash, the statement is the companion
        bank's and the value one of its answers; and not more than RATE_VOTES a second."""
        if known_token is None:
            raise Refusal("mirror_no_token")
        if not statement_known:
            raise Refusal("mirror_statement", 400)
        if value is None:
            raise Refusal("bad_value", 400)
        take_rate(self._recent, known_token, now)
