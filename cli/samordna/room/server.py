"""The web server of ``samordna live``: one Starlette app, one uvicorn server, two listening sockets.

The room (the phones) is served on HOST:PORT, the facilitator's pages and the big screen on 127.0.0.1 (same port,
or the next when the room itself is on 127.0.0.1). The app tells them apart by the local address that accepted
the connection (``scope["server"]``): the facilitator's routes through the room's address answer 404.

Every decision is ``room.state``'s; every write is ``room.store``'s, run on one worker thread in the order the
room decided them (a ballot is answered 303 only after it is on disk). Pages are plain HTML forms; ``room.js``
adds live updates (server-sent events) and a re-fetch when a sleeping phone wakes up.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import threading
import time
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from typing import Any, TypeVar
from urllib.parse import quote

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response, StreamingResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from samordna.core.answers import DONT_KNOW, NO, NOT_APPLICABLE, YES
from samordna.core.errors import SamordnaError
from samordna.i18n import LANGUAGE_NAMES, LANGUAGES, N_, _, check_language, use_language
from samordna.io.resources import templates_path
from samordna.io.round import Round
from samordna.io.workspace import Workspace
from samordna.room import state
from samordna.room.net import LOOPBACK, Listeners
from samordna.room.state import CLOSED, LOCKED, OPEN, PHASE_NAMES, REVEALED, Refusal, Room
from samordna.room.store import KEEP, RoomStore
from samordna.room.store import comment_problem as store_comment_problem

COOKIE = "samordna_enhet"  # the device token (HttpOnly, SameSite=Strict)
LANG_COOKIE = "samordna_sprak"  # the phone's language
COOKIE_SECONDS = 12 * 3600
KEEPALIVE_SECONDS = 15.0
HEADERS = {
    "content-security-policy": "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'",
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",  # no-referrer would make browsers send «Origin: null» with our own forms
    "cache-control": "no-store",
}
NOT_SAVED = N_("Svaret ble ikke lagret: {problem} Prøv igjen.")

T = TypeVar("T")


@dataclass
class Bar:
    label: str
    count: int


def bars(counts: dict[int | str, int], values: list[int | str], label: Callable[[int | str], str]) -> list[Bar]:
    """One bar per value (in ``values``' order): its label and how many chose it."""
    return [Bar(label(v), counts.get(v, 0)) for v in values]


class RoomApp:
    """What the leaders' room (``LiveApp``) and the mirror's room (``room.mirror_server.MirrorApp``) share: the two
    listeners, the one writer thread, the phone's language, pages and event streams. ``app`` is the ASGI
    application (``guarded``: the same Host/Origin checks, listener split and security headers for both)."""

    REFUSED_PAGE = "refused.html"

    def __init__(self, ws: Workspace, rnd: Round, listeners: Listeners, screen_language: str):
        self.ws, self.rnd, self.net = ws, rnd, listeners
        self.screen_language = screen_language
        self.phone_default = ws.language or "nb"
        self.stopping = False
        self._wake: asyncio.Event | None = None
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="samordna-live-skriver")
        self.app: ASGIApp

    def guarded(self, routes: list[Route]) -> ASGIApp:
        """The app of ``routes`` (and the static files), behind ``_Guard``."""
        static = templates_path() / "room" / "static"
        return _Guard(Starlette(routes=[*routes, Mount("/static", app=StaticFiles(directory=static),
                                                                name="static")]), self)

    # --- plumbing ------------------------------------------------------------------------------------
    def is_facilitator(self, scope: Scope) -> bool:
        server = scope.get("server") or ("", 0)
        return (server[0], server[1]) == (LOOPBACK, self.net.facilitator_port)

    async def write(self, fn: Callable[..., T], *args: Any) -> T:
        """Run a store write on the one writer thread (in the order they were decided)."""
        return await asyncio.get_running_loop().run_in_executor(self._writer, partial(fn, *args))

    async def off_loop(self, fn: Callable[..., T], *args: Any) -> T:
        """Run something that reads files (a page with counts) off the event loop."""
        return await asyncio.get_running_loop().run_in_executor(None, partial(fn, *args))

    def changed(self) -> None:
        """Wake every event stream (they send only what changed for them)."""
        if self._wake is not None:
            self._wake.set()
        self._wake = asyncio.Event()

    def stop(self) -> None:
        """The server is stopping: event streams end."""
        self.stopping = True
        self.changed()

    def close(self) -> None:
        self._writer.shutdown(wait=True)

    def phone_language(self, request: Request) -> str:
        for raw in (request.query_params.get("lang"), request.cookies.get(LANG_COOKIE)):
            if raw:
                try:
                    return check_language(raw)
                except ValueError:
                    continue
        return self.phone_default

    def page(self, name: str, language: str, http_status: int = 200, **context: Any) -> HTMLResponse:
        from samordna.outputs.html import render

        with use_language(language):
            text = render(f"room/{name}", **self.common(language), **context)
        return HTMLResponse(text, status_code=http_status)

    def common(self, language: str) -> dict[str, Any]:
        return {"languages": [(code, LANGUAGE_NAMES[code]) for code in LANGUAGES], "current": language,
                "round_id": self.rnd.id, "municipality": self.ws.name}

    def phone_page(self, request: Request, name: str, http_status: int = 200, **context: Any) -> HTMLResponse:
        language = self.phone_language(request)
        response = self.page(name, language, http_status, **context)
        if request.query_params.get("lang") == language:
            response.set_cookie(LANG_COOKIE, language, max_age=COOKIE_SECONDS, path="/", samesite="lax",
                                httponly=True)
        return response

    def refused(self, request: Request, refusal: Refusal) -> HTMLResponse:
        with use_language(self.phone_language(request)):
            message = refusal.message()
        return self.phone_page(request, self.REFUSED_PAGE, refusal.status, message=message)

    # --- server-sent events --------------------------------------------------------------------------
    def events(self, make: Callable[[], dict[str, object]]) -> Response:
        async def stream() -> AsyncIterator[str]:
            last = None
            yield "retry: 2000\n\n"
            while not self.stopping:
                data = make()
                if data != last:
                    last = data
                    yield f"event: state\ndata: {json.dumps(data)}\n\n"
                if self._wake is None:
                    self._wake = asyncio.Event()
                try:
                    await asyncio.wait_for(self._wake.wait(), KEEPALIVE_SECONDS)
                except asyncio.TimeoutError:
                    yield ": –\n\n"

        return StreamingResponse(stream(), media_type="text/event-stream",
                                 headers={"cache-control": "no-store", "x-accel-buffering": "no"})


class LiveApp(RoomApp):
    """The room of one round: its state, its files, its pages. ``app`` is the ASGI application."""

    def __init__(self, ws: Workspace, rnd: Round, listeners: Listeners, screen_language: str):
        super().__init__(ws, rnd, listeners, screen_language)
        self.store = RoomStore(rnd)
        self.room = Room(self.store.room_code)
        pending = self.store.pending()
        if pending is not None:
            self.room.restore_revote(*pending)
        self.fresh: dict[str, tuple[str, str]] = {}  # token hash -> (code, PIN), shown once on the phone
        self.counted = 0  # grows with every ballot (the facilitator's count), besides room.version
        self._charts: dict[tuple, tuple[str, str, list[str]]] = {}  # drawn charts (uri, alt, headings) by what they show
        self._chart_lock = threading.Lock()  # matplotlib draws one chart at a time
        self.app = self.guarded([
            Route("/", self.join_page, methods=["GET"]),
            Route("/bli-med", self.join, methods=["POST"]),
            Route("/sektor", self.choose_sector, methods=["POST"]),
            Route("/stem", self.ballot_page, methods=["GET"]),
            Route("/stem", self.vote, methods=["POST"]),
            Route("/hendelser", self.phone_events, methods=["GET"]),
            Route("/tilstand", self.phone_state, methods=["GET"]),
            Route("/fasilitator/", self.control_page, methods=["GET"]),
            Route("/fasilitator/handling", self.action, methods=["POST"]),
            Route("/fasilitator/status", self.status, methods=["GET"]),
            Route("/fasilitator/skjerm", self.screen_page, methods=["GET"]),
            Route("/fasilitator/hendelser", self.facilitator_events, methods=["GET"]),
        ])

    def device(self, request: Request) -> str | None:
        """The hash of the request's device token when it is a joined device, else None."""
        token = request.cookies.get(COOKIE)
        h = state.token_hash(token) if token else None
        return h if h in self.store.devices else None

    def common(self, language: str) -> dict[str, Any]:
        return {**super().common(language), "public": self.room.public(), "room_code": self.room.code}

    def item_text(self, item_id: str) -> dict[str, Any]:
        """A statement as the pages show it (in the language of the moment)."""
        bank = self.rnd.bank
        if bank.is_legal(item_id):
            item = bank.legal_by_id[item_id]
            return {"id": item_id, "short": item.short, "text": item.question, "legal": True}
        ind = bank.indicator_by_id[item_id]
        return {"id": item_id, "short": ind.short, "text": ind.statement, "legal": False}

    def choices(self, item_id: str) -> list[tuple[str, str]]:
        """(value, label) of every answer ``item_id`` takes (``Bank.allows``), as the radio buttons show them."""
        bank = self.rnd.bank
        scale = bank.scale
        values: list[int | str] = [YES, NO, DONT_KNOW] if bank.is_legal(item_id) else \
            [0, 1, 2, 3, 4, DONT_KNOW, NOT_APPLICABLE]
        return [(str(v), scale.label(v)) for v in values if bank.allows(item_id, v)]

    # --- the phones ----------------------------------------------------------------------------------
    async def join_page(self, request: Request) -> Response:
        return self.join_form(request, 200, None)

    def join_form(self, request: Request, status: int, problem: str | None, **kept: str) -> HTMLResponse:
        groups = self.sector_groups(request)
        room = kept.get("rom") or request.query_params.get("rom", "")
        return self.phone_page(request, "join.html", status, groups=groups, room=room, problem=problem,
                               chosen=kept.get("sektor", ""), code=kept.get("kode", ""))

    async def join(self, request: Request) -> Response:
        form = await read_form(request)
        kept = {k: str(form.get(k) or "").strip() for k in ("rom", "sektor", "kode")}
        pin = str(form.get("pin") or "").strip()
        if kept["rom"].upper() != self.room.code:
            return self.refused_join(request, Refusal("room_code"), kept)
        token = secrets.token_urlsafe(32)
        h = state.token_hash(token)
        try:
            state.may_join(len(self.store.devices))
            language = self.phone_language(request)
            with use_language(language):
                if kept["kode"]:
                    await self.write(self.store.join_code, h, kept["kode"], pin, kept["sektor"] or None)
                else:
                    self.fresh[h] = await self.write(self.store.join_sector, h, kept["sektor"])
        except Refusal as refusal:
            return self.refused_join(request, refusal, kept)
        except SamordnaError as exc:
            return self.join_form(request, 409, str(exc), **kept)
        self.counted += 1
        self.changed()
        response = RedirectResponse("/stem", status_code=303)
        response.set_cookie(COOKIE, token, max_age=COOKIE_SECONDS, path="/", httponly=True, samesite="strict")
        return response

    def refused_join(self, request: Request, refusal: Refusal, kept: dict[str, str]) -> HTMLResponse:
        with use_language(self.phone_language(request)):
            message = refusal.message()
        return self.join_form(request, refusal.status, message, **kept)

    async def ballot_page(self, request: Request) -> Response:
        h = self.device(request)
        if h is None:
            return RedirectResponse("/", status_code=303)
        if not self.store.devices[h].sector:
            return self.sector_form(request, 200, None)
        language = self.phone_language(request)
        room = self.room
        answers = await self.off_loop(self.store.own_answers, h)
        if room.own_pace:
            with use_language(language):
                context = self.own_pace_context(request, answers)
            return self.phone_page(request, "vote.html", code=self.store.devices[h].code,
                                   fresh=self.fresh.pop(h, None), saved=request.query_params.get("lagret") == "1",
                                   **context)
        with use_language(language):
            item = self.item_text(room.statement) if room.statement and room.phase == OPEN else None
            choices = self.choices(room.statement) if item and room.statement else []
        mine = room.ballots.get(person_key(self.store.devices[h].code))
        on_file = answers.get(room.statement) if room.statement and not room.revote else None  # its comment stays
        return self.phone_page(request, "vote.html", item=item, choices=choices,
                               mine=None if mine is None else str(mine), revote=room.revote,
                               comment=on_file.comment if on_file else None, own_pace=False,
                               code=self.store.devices[h].code, fresh=self.fresh.pop(h, None),
                               saved=request.query_params.get("lagret") == "1")

    def own_pace_context(self, request: Request, answers: dict[str, Any]) -> dict[str, Any]:
        """The own-pace page: the statement asked for (``?pastand=``), else the next unanswered one after
        ``?etter=`` (skipped or just answered), else the first unanswered one; with every statement and the
        phone's answer, as links back."""
        bank = self.rnd.bank
        order = bank.item_ids  # the legal minimum first, then the indicators in the bank's order
        asked = request.query_params.get("pastand")
        after = request.query_params.get("etter")
        if asked in order:
            current: str | None = asked
        else:
            start = order.index(after) + 1 if after in order else 0
            current = next((i for i in order[start:] if i not in answers), None)
        listing = []
        for item_id in order:
            answer = answers.get(item_id)
            listing.append({**self.item_text(item_id),
                            "answer": bank.scale.label(answer.level) if answer is not None else None,
                            "current": item_id == current})
        answer = answers.get(current) if current else None
        return {"item": self.item_text(current) if current else None,
                "choices": self.choices(current) if current else [],
                "mine": str(answer.level) if answer is not None else None,
                "comment": answer.comment if answer is not None else None,
                "revote": False, "own_pace": True, "listing": listing,
                "position": order.index(current) + 1 if current else None, "total": len(order),
                "unanswered": sum(1 for i in order if i not in answers)}

    def sector_groups(self, request: Request) -> list[tuple[str, list[tuple[str, str]]]]:
        with use_language(self.phone_language(request)):
            sectors = self.ws.sectors
            return [(g.name, [(s.id, s.name) for s in sectors.sectors if s.group == g.id]) for g in sectors.groups]

    def sector_form(self, request: Request, status: int, problem: str | None) -> HTMLResponse:
        """A phone that joined with a new code (from a slip) chooses its sector before it answers."""
        return self.phone_page(request, "sector.html", status, groups=self.sector_groups(request), problem=problem)

    async def choose_sector(self, request: Request) -> Response:
        form = await read_form(request)
        h = self.device(request)
        if h is None:
            return self.refused(request, Refusal("no_token"))
        try:
            with use_language(self.phone_language(request)):
                await self.write(self.store.set_sector, h, form.get("sektor", ""))
        except SamordnaError as exc:
            return self.sector_form(request, 409, str(exc))
        return RedirectResponse("/stem", status_code=303)

    async def vote(self, request: Request) -> Response:
        form = await read_form(request)
        h = self.device(request)
        statement = str(form.get("pastand") or "") or None
        value = state.parse_value(str(form.get("svar") or ""))
        revote = form.get("omstemming") == "1"
        own_pace = form.get("eget_tempo") == "1"
        comment = form.get("kommentar")  # absent (an older page, a re-vote): the comment on file is kept
        bank = self.rnd.bank
        allowed = value is not None and statement is not None and statement in bank.item_ids and \
            bank.allows(statement, value)
        room = self.room
        # one ballot per person: two phones joined with the same code (one lost its cookie) count once
        key = person_key(self.store.devices[h].code) if h is not None else None
        before = room.ballots.get(key) if key else None
        if comment is not None and not revote:  # screened before anything is taken: never stored
            with use_language(self.phone_language(request)):
                problem = store_comment_problem(comment)
            if problem:
                return self.phone_page(request, "refused.html", 409, message=problem)
        try:
            if h is not None and not self.store.devices[h].sector:
                raise Refusal("no_sector")
            room.vote(key, statement, value, revote, allowed, time.monotonic(), own_pace)
        except Refusal as refusal:
            return self.refused(request, refusal)
        assert h is not None and statement is not None and value is not None
        try:
            if revote:
                await self.write(self.store.save_pending, statement, dict(room.ballots))
            else:
                with use_language(self.phone_language(request)):
                    await self.write(self.store.save_answer, h, statement, value,
                                     KEEP if comment is None else comment)
        except (SamordnaError, OSError) as exc:
            if not own_pace and room.statement == statement and room.phase == OPEN and key is not None:
                if before is None:
                    room.ballots.pop(key, None)
                else:
                    room.ballots[key] = before
            with use_language(self.phone_language(request)):
                message = _(NOT_SAVED).format(problem=str(exc))
            return self.phone_page(request, "refused.html", 503, message=message)
        self.counted += 1
        self.changed()
        if own_pace:
            return RedirectResponse(f"/stem?etter={quote(statement)}&lagret=1", status_code=303)
        return RedirectResponse("/stem?lagret=1", status_code=303)

    async def phone_state(self, request: Request) -> Response:
        return JSONResponse(self.room.public())

    async def phone_events(self, request: Request) -> Response:
        return self.events(self.room.public)

    # --- the facilitator -----------------------------------------------------------------------------
    def status_data(self) -> dict[str, object]:
        return self.room.status(self.rnd.id, self.store.participants())

    async def status(self, request: Request) -> Response:
        return JSONResponse(self.status_data())

    async def facilitator_events(self, request: Request) -> Response:
        return self.events(self.status_data)

    def order(self) -> list[dict[str, Any]]:
        """The statements in the order the group takes them: the legal minimum, then disagreement and the largest
        gap below target first (``flows.consensus.consensus_order``)."""
        from samordna.flows.consensus import consensus_order, individual_results

        bank = self.rnd.bank
        agreed = self.rnd.consensus()
        out = [{**self.item_text(item.id), "note": "", "agreed": item.id in agreed} for item in bank.legal_minimum]
        for r in consensus_order(bank, individual_results(self.rnd)):
            notes = [_("uenighet")] if r.disagreement else []
            notes += [_("under mål")] if r.below_target else []
            out.append({**self.item_text(r.id), "note": ", ".join(notes), "agreed": r.id in agreed})
        return out

    def distribution(self, item_id: str) -> dict[str, Any]:
        """The first answers and the latest re-vote of ``item_id``: counts for the tables, and the chart drawn as the
        report draws it (``outputs.charts.answer_distribution``) as a data URI: the pages' policy allows images from
        data:, and an image's own styles are its own."""
        bank = self.rnd.bank
        values: list[int | str] = [YES, NO, DONT_KNOW] if bank.is_legal(item_id) else \
            [0, 1, 2, 3, 4, DONT_KNOW, NOT_APPLICABLE]
        first = self.store.first_counts(item_id)
        if not bank.is_legal(item_id) and bank.indicator_by_id[item_id].is_statutory and not first.get(NOT_APPLICABLE):
            values.remove(NOT_APPLICABLE)
        revote = self.store.revotes().get(item_id)
        after = revote.counts if revote else None
        key = (item_id, repr(first), repr(after), bool(revote and revote.tally), self.screen_language)
        if key not in self._charts:
            from samordna.outputs.charts import answer_distribution

            with self._chart_lock:
                chart, heads = answer_distribution(values, bank.scale.label, first, after, bool(revote and revote.tally))
                self._charts[key] = (chart.uri, chart.alt, heads)
        uri, alt, heads = self._charts[key]
        return {"before": bars(first, values, bank.scale.label), "n_before": sum(first.values()),
                "after": bars(after, values, bank.scale.label) if after is not None else None,
                "n_after": sum(after.values()) if after is not None else 0, "tally": bool(revote and revote.tally),
                "values": [(str(v), bank.scale.label(v)) for v in values], "chart": uri, "alt": alt, "heads": heads}

    def control_context(self, message: str | None) -> dict[str, Any]:
        with use_language(self.screen_language):
            room = self.room
            current = self.item_text(room.statement) if room.statement else None
            shown = room.statement is not None and room.phase == REVEALED
            agreed = self.rnd.consensus().get(room.statement) if room.statement else None
            consensus = {"level": self.rnd.bank.scale.label(agreed.level), "rationale": agreed.rationale,
                         "dissent": agreed.dissent, "value": str(agreed.level)} if agreed else None
            levels = []
            if room.statement:
                values: list[int | str] = [YES, NO, DONT_KNOW] if self.rnd.bank.is_legal(room.statement) else \
                    [0, 1, 2, 3, 4, NOT_APPLICABLE]
                levels = [(str(v), self.rnd.bank.scale.label(v)) for v in values
                          if self.rnd.bank.allows(room.statement, v)]
            return {"order": self.order(), "item": current, "status": self.status_data(),
                    "phase_name": _(PHASE_NAMES[room.phase]), "message": message,
                    "dist": self.distribution(room.statement) if shown and room.statement else None,
                    "tally_values": self.distribution(room.statement)["values"] if room.statement else [],
                    "consensus": consensus, "levels": levels, "room_url": self.net.join_url(room.code),
                    "can": {"open": bool(room.statement) and room.phase != OPEN and not room.own_pace,
                            "lock": room.phase == OPEN, "reveal": room.phase == LOCKED,
                            "revote": bool(room.statement) and room.phase in (LOCKED, REVEALED) and not room.own_pace,
                            "own_pace": not room.own_pace and room.phase != OPEN},
                    "own_pace": room.own_pace}

    async def control_page(self, request: Request) -> Response:
        context = await self.off_loop(self.control_context, request.query_params.get("melding"))
        return self.page("facilitator.html", self.screen_language, **context)

    async def action(self, request: Request) -> Response:
        form = await read_form(request)
        action = str(form.get("action") or "")
        statement = str(form.get("statement") or "") or None
        room = self.room
        message = None
        try:
            if statement is not None and statement not in self.rnd.bank.item_ids:
                raise Refusal("unknown_statement")
            if action == "open":
                room.open(statement)
            elif action == "lock":
                ballots = room.lock()
                if room.revote and room.statement:
                    await self.write(self.store.store_revote, room.statement, state.counts(list(ballots.values())),
                                     False)
            elif action == "reveal":
                room.reveal()
            elif action == "revote":
                room.open_revote()
            elif action == "own_pace":
                room.set_own_pace(True)
            elif action == "follow":
                room.set_own_pace(False)
            elif action == "next":
                room.go_to(self.next_statement())
            elif action == "goto" and statement:
                room.go_to(statement)
            elif action == "consensus" and room.statement:
                with use_language(self.screen_language):
                    await self.write(self.store.save_consensus, room.statement,
                                     state.parse_value(str(form.get("level") or "")),
                                     str(form.get("rationale") or ""), str(form.get("dissent") or ""))
            elif action == "tally" and room.statement:
                if room.phase == OPEN:
                    raise Refusal("busy")
                counted = {v: n for v in state.VALUES if (n := _count(form.get(f"n_{v}")))}
                await self.write(self.store.store_revote, room.statement, counted, True)
            else:
                raise Refusal("no_statement")
        except Refusal as refusal:
            with use_language(self.screen_language):
                message = refusal.message()
        except SamordnaError as exc:
            message = str(exc)
        self.changed()
        if message is not None:
            context = await self.off_loop(self.control_context, message)
            return self.page("facilitator.html", self.screen_language, 409, **context)
        return RedirectResponse("/fasilitator/", status_code=303)

    def next_statement(self) -> str:
        order = [entry["id"] for entry in self.order()]
        if self.room.statement in order:
            i = order.index(self.room.statement)
            return order[(i + 1) % len(order)]
        return order[0]

    def screen_context(self) -> dict[str, Any]:
        from markupsafe import Markup

        from samordna.room.net import qr_svg

        with use_language(self.screen_language):
            room = self.room
            url = self.net.join_url(room.code)
            return {"qr": Markup(qr_svg(url)), "short_url": self.net.room_url("/"), "item":
                    self.item_text(room.statement) if room.statement else None,
                    "phase_name": _(PHASE_NAMES[room.phase]),
                    "dist": self.distribution(room.statement) if room.statement and room.phase == REVEALED else None}

    async def screen_page(self, request: Request) -> Response:
        context = await self.off_loop(self.screen_context)
        return self.page("screen.html", self.screen_language, **context)


MAX_FORM_BYTES = 64 * 1024


async def read_form(request: Request) -> dict[str, str]:
    """A posted form (application/x-www-form-urlencoded, the plain HTML form's), the first value of each field;
    a body over MAX_FORM_BYTES is cut off (nothing here needs more)."""
    from urllib.parse import parse_qsl

    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM_BYTES:
            break
    fields: dict[str, str] = {}
    for key, value in parse_qsl(body[:MAX_FORM_BYTES].decode("utf-8", "replace"), keep_blank_values=True):
        fields.setdefault(key, value)
    return fields


def _count(raw: object) -> int:
    try:
        return max(0, min(10_000, int(str(raw or "0").strip() or "0")))
    except ValueError:
        return 0


class _Guard:
    """Around the app: the listener decides which routes exist; Host and Origin are checked (``state``); every
    answer gets the security headers (no HSTS: this is plain HTTP on a local network)."""

    def __init__(self, app: ASGIApp, live: RoomApp):
        self.app, self.live = app, live

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        live = self.live
        facilitator = live.is_facilitator(scope)
        path: str = scope.get("path", "")
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        net = live.net
        hosts = net.facilitator_hosts if facilitator else net.room_hosts
        origins = frozenset(f"http://{h}" for h in hosts)

        async def secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"],
                                      *((k.encode("latin-1"), v.encode("latin-1")) for k, v in HEADERS.items()
                                        if k != "cache-control" or not path.startswith("/static/"))]
            await send(message)

        refusal = state.request_refusal(headers.get("host"), headers.get("origin"), hosts, origins)
        wrong_side = path.startswith("/fasilitator") != facilitator and not path.startswith("/static/")
        if facilitator and path == "/":
            response: Response = RedirectResponse("/fasilitator/", status_code=303)
        elif wrong_side and refusal is None:
            response = Response(status_code=404)
        elif refusal is not None:
            with use_language(live.screen_language if facilitator else live.phone_default):
                text = refusal.message()
            status = 409 if scope.get("method") == "POST" else refusal.status
            response = HTMLResponse(f"<!doctype html><title>{status}</title><p>{_escape(text)}</p>", status)
        else:
            await self.app(scope, receive, secured)
            return
        await response(scope, receive, secured)


def person_key(code: str) -> str:
    """The key of a person's ballot in the room (a hash, not the code: the pending re-vote file holds no codes)."""
    import hashlib

    return hashlib.sha256(f"samordna-ballot:{code}".encode()).hexdigest()


def _escape(text: str) -> str:
    from markupsafe import escape

    return str(escape(text))


def serve(ws: Workspace, rnd: Round, net: Listeners, screen_language: str,
          ready: Callable[[RoomApp], None] | None = None, mirror: bool = False) -> RoomApp:
    """Serve the room until Ctrl-C (or SIGTERM); returns when everything is saved. OSError when a port is taken.
    ``mirror``: the mirror's room for young people and parents (``room.mirror_server``), not the leaders'."""
    import uvicorn

    from samordna.room.net import bind

    live: RoomApp
    if mirror:
        from samordna.room.mirror_server import MirrorApp

        live = MirrorApp(ws, rnd, net, screen_language)
    else:
        live = LiveApp(ws, rnd, net, screen_language)
    room_sock = bind(net.host, net.port)
    try:
        fac_sock = bind(LOOPBACK, net.facilitator_port)
    except OSError:
        room_sock.close()
        raise

    class Server(uvicorn.Server):
        def handle_exit(self, sig: int, frame: Any) -> None:
            super().handle_exit(sig, frame)
            captured = getattr(self, "_captured_signals", None)
            if isinstance(captured, list):
                captured.clear()  # a signal is how the server is stopped: no KeyboardInterrupt afterwards

    config = uvicorn.Config(live.app, log_level="warning", access_log=False, proxy_headers=False,
                            server_header=False, timeout_graceful_shutdown=2, lifespan="off")
    server = Server(config)

    async def main() -> None:
        async def watch() -> None:
            while not server.should_exit:
                await asyncio.sleep(0.2)
            live.stop()

        watcher = asyncio.create_task(watch())
        if ready is not None:
            ready(live)
        await server.serve(sockets=[room_sock, fac_sock])
        watcher.cancel()

    try:
        asyncio.run(main())
    finally:
        room_sock.close()
        fac_sock.close()
        live.close()
    return live


__all__ = ["COOKIE", "LANG_COOKIE", "LiveApp", "RoomApp", "serve", "CLOSED", "OPEN", "LOCKED", "REVEALED"]
