"""samordna live: the room's rules (room/state.py) and what it keeps on disk (room/store.py), without a server."""

from __future__ import annotations

import pytest

from samordna.core.answers import DONT_KNOW
from samordna.core.errors import SamordnaError
from samordna.io import pins
from samordna.io.workspace import Workspace
from samordna.room import state
from samordna.room.state import CLOSED, LOCKED, OPEN, REVEALED, Refusal, Room
from samordna.room.store import RoomStore


def _reason(fn, *args, **kwargs) -> str:
    with pytest.raises(Refusal) as info:
        fn(*args, **kwargs)
    return info.value.reason


# --- state ---------------------------------------------------------------------------------------

def test_phases_in_order_and_votes_only_while_open():
    room = Room("K7QX")
    assert _reason(room.open) == "no_statement"
    room.go_to("A-01")
    assert _reason(room.vote, "t1", "A-01", 2, False, True, 0.0) == "not_open"
    room.open()
    assert room.phase == OPEN
    room.vote("t1", "A-01", 2, False, True, 0.0)
    room.vote("t1", "A-01", 3, False, True, 0.5)  # replaces the first ballot
    room.vote("t2", "A-01", DONT_KNOW, False, True, 0.5)
    assert room.ballots == {"t1": 3, "t2": DONT_KNOW}
    assert room.status("2026", 2)["answered"] == 2
    assert room.lock() == {"t1": 3, "t2": DONT_KNOW}
    assert room.phase == LOCKED
    assert _reason(room.vote, "t1", "A-01", 1, False, True, 1.0) == "locked"
    room.reveal()
    assert room.phase == REVEALED
    assert _reason(room.vote, "t1", "A-01", 1, False, True, 2.0) == "locked"
    assert room.ballots == {"t1": 3, "t2": DONT_KNOW}


def test_public_state_has_no_counts_or_values():
    room = Room("K7QX")
    room.go_to("A-01")
    room.open()
    room.vote("t1", "A-01", 4, False, True, 0.0)
    assert room.public() == {"statement": "A-01", "phase": OPEN, "revote": False}


def test_refusals():
    room = Room("K7QX")
    room.open("A-01")
    assert _reason(room.vote, None, "A-01", 2, False, True, 0.0) == "no_token"
    assert _reason(room.vote, "t1", "A-02", 2, False, True, 0.0) == "stale"
    assert _reason(room.vote, "t1", "A-01", 2, True, True, 0.0) == "stale"  # a re-vote form while the first is open
    assert _reason(room.vote, "t1", "A-01", None, False, True, 0.0) == "bad_value"
    assert _reason(room.vote, "t1", "A-01", 2, False, False, 0.0) == "bad_value"
    assert _reason(room.go_to, "A-02") == "busy"
    assert _reason(room.open, "A-02") == "busy"
    assert _reason(room.reveal) == "phase"
    assert _reason(room.open_revote) == "phase"


def test_rate_limit_per_token():
    room = Room("K7QX")
    room.open("A-01")
    for i in range(state.RATE_VOTES):
        room.vote("t1", "A-01", 2, False, True, 10.0 + i * 0.01)
    with pytest.raises(Refusal) as info:
        room.vote("t1", "A-01", 2, False, True, 10.5)
    assert (info.value.reason, info.value.status) == ("rate", 429)
    room.vote("t2", "A-01", 2, False, True, 10.5)  # another phone is not held back
    room.vote("t1", "A-01", 2, False, True, 11.2)  # a second later it is fine again


def test_revote_after_lock_only_and_restores():
    room = Room("K7QX")
    room.open("A-01")
    room.vote("t1", "A-01", 1, False, True, 0.0)
    room.lock()
    room.open_revote()
    assert (room.phase, room.revote, room.ballots) == (OPEN, True, {})
    assert _reason(room.vote, "t1", "A-01", 3, False, True, 1.0) == "stale"  # the first round's page
    room.vote("t1", "A-01", 3, True, True, 1.0)
    assert room.lock() == {"t1": 3}
    other = Room("K7QX")
    other.restore_revote("A-01", {"t1": 3})
    assert (other.phase, other.revote, other.ballots) == (OPEN, True, {"t1": 3})


def test_version_grows_with_every_change():
    room = Room("K7QX")
    seen = [room.version]
    room.go_to("A-01")
    seen.append(room.version)
    room.open()
    seen.append(room.version)
    room.lock()
    seen.append(room.version)
    assert seen == sorted(set(seen))
    assert room.phase != CLOSED


def test_requests_host_and_origin():
    hosts = frozenset({"127.0.0.2:8024"})
    origins = frozenset({"http://127.0.0.2:8024"})
    assert state.request_refusal("127.0.0.2:8024", None, hosts, origins) is None
    assert state.request_refusal("127.0.0.2:8024", "http://127.0.0.2:8024", hosts, origins) is None
    assert state.request_refusal("evil.example:8024", None, hosts, origins).reason == "host"
    assert state.request_refusal(None, None, hosts, origins).reason == "host"
    assert state.request_refusal("127.0.0.2:8024", "http://evil.example", hosts, origins).reason == "origin"
    assert state.request_refusal("127.0.0.2:8024", "null", hosts, origins).reason == "origin"


def test_parse_value_and_counts():
    assert [state.parse_value(x) for x in ("0", "4", "5", "vet_ikke", "ikke_relevant", "ja", "nei", "", None, "x")] == \
        [0, 4, None, "vet_ikke", "ikke_relevant", "ja", "nei", None, None, None]
    assert state.counts([3, 3, "vet_ikke", 0]) == {0: 1, 3: 2, "vet_ikke": 1}


def test_cap_on_devices():
    state.may_join(state.MAX_TOKENS - 1)
    assert _reason(state.may_join, state.MAX_TOKENS) == "full"


def test_token_is_kept_as_hash():
    h = state.token_hash("secret")
    assert len(h) == 64 and "secret" not in h


# --- store ---------------------------------------------------------------------------------------

@pytest.fixture
def store(sample_ws):
    return RoomStore(Workspace(sample_ws).round("2026"))


def test_join_by_sector_gives_code_and_pin_and_survives_a_restart(store, sample_ws):
    code, pin = store.join_sector("h1", "barnevern")
    assert len(code) == 4 and len(pin) == 4
    assert pins.check_pin(store.rnd, code, pin)
    again = RoomStore(Workspace(sample_ws).round("2026"))
    assert again.devices["h1"].code == code
    assert again.room_code == store.room_code
    assert "h1" in (store.rnd.dir / "rom-enheter.yaml").read_text(encoding="utf-8")


def test_join_by_code_needs_the_pin(store):
    code, pin = store.join_sector("h1", "barnevern")
    with pytest.raises(SamordnaError):
        store.join_code("h2", code.lower(), "0000" if pin != "0000" else "1111")
    assert store.join_code("h2", code.lower(), pin) == code
    assert store.participants() == 1
    with pytest.raises(SamordnaError):
        store.join_code("h3", "D01", "")  # a code without a PIN cannot be taken over from a phone


def test_unknown_sector_refused(store):
    with pytest.raises(SamordnaError):
        store.join_sector("h1", "finnes-ikke")


def test_answers_are_ordinary_answers(store):
    code, _pin = store.join_sector("h1", "barnevern")
    item = store.rnd.bank.indicators[0].id
    before = store.first_counts(item)
    store.save_answer("h1", item, 2)
    store.save_answer("h1", item, 3)
    pf = store.rnd.load_participant(code)
    assert pf.source == "live" and pf.sector == "barnevern" and pf.answers[item].level == 3
    after = store.first_counts(item)
    assert sum(after.values()) == sum(before.values()) + 1


def test_revote_pending_then_counts(store):
    item = store.rnd.bank.indicators[0].id
    store.save_pending(item, {"h1": 2, "h2": DONT_KNOW})
    assert store.pending() == (item, {"h1": 2, "h2": DONT_KNOW})
    store.store_revote(item, state.counts([2, DONT_KNOW]), tally=False)
    assert store.pending() is None
    saved = store.revotes()[item]
    assert saved.counts == {2: 1, DONT_KNOW: 1} and not saved.tally
    text = store.revote_path.read_text(encoding="utf-8")
    assert "h1" not in text and "h2" not in text
    store.store_revote(item, {3: 5, 4: 2}, tally=True)
    assert store.revotes()[item].counts == {3: 5, 4: 2} and store.revotes()[item].tally


def test_consensus_saved(store):
    item = store.rnd.bank.indicators[0].id
    with pytest.raises(SamordnaError):
        store.save_consensus(item, 2, "  ", "")
    store.save_consensus(item, 2, "Vi er enige.", "")
    entry = store.rnd.consensus()[item]
    assert entry.level == 2 and entry.rationale == "Vi er enige." and entry.dissent is None


def test_join_with_a_new_code_from_a_slip_asks_for_the_sector(store):
    pins.add_pins(store.rnd, {"K7QX": "4821"})
    assert store.join_code("h1", "k7qx", "4821") == "K7QX"
    assert store.devices["h1"].sector == ""  # the phone asks for it before the first answer
    with pytest.raises(SamordnaError):
        store.set_sector("h1", "finnes-ikke")
    store.set_sector("h1", "barnevern")
    store.set_sector("h1", "nav")  # a known sector is never changed
    assert store.devices["h1"].sector == "barnevern"
    item = store.rnd.bank.indicators[0].id
    store.save_answer("h1", item, 1)
    assert store.rnd.load_participant("K7QX").sector == "barnevern"
