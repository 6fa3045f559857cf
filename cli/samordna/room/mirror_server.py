"""The mirror's room (``samordna live --speil``): young people and parents answer the companion bank on their phones.

Its own process, its own room code (``speilet/rom.yaml``), apart from the leaders' room; the same listeners,
Host/Origin checks, security headers, cookie, rate limit and token cap (``room.server.RoomApp``, ``room.state``).

- Phone: join (room code from the QR code, and one choice: young person 13–15, 16–18 or 19–24, or parent) →
  the statements at their own pace, one plain form each (no JavaScript), skipping allowed → «Ferdig». Each
  answer is saved at once (``room.mirror_store``). No name, no code, no PIN, no sector, no comment field.
- Facilitator (127.0.0.1 only) and big screen: the QR code, the address and room code, and how many phones have
  joined and finished. Nothing about the answers is ever shown in the room: the report shows them, and only
  for groups of at least ``min_group``. ``room.js`` keeps the counts up to date there (server-sent events);
  the phones' pages have no script at all.
"""

from __future__ import annotations

import secrets
import time
from typing import Any
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from samordna.core.errors import SamordnaError
from samordna.core.mirror import DONT_KNOW, LEVELS, MIN_GROUP, ROLES, MirrorBank
from samordna.i18n import _, use_language
from samordna.io.mirrorfile import shipped_mirror_bank
from samordna.io.round import Round
from samordna.io.workspace import Workspace
from samordna.room import state
from samordna.room.mirror_store import MirrorRoomStore
from samordna.room.net import Listeners
from samordna.room.server import COOKIE_SECONDS, NOT_SAVED, RoomApp, read_form
from samordna.room.state import MIRROR_GROUPS, MirrorRoom, Refusal

# The device token (HttpOnly, SameSite=Strict). Not the leaders' room's cookie name: cookies do not tell ports
# apart, and a facilitator trying both rooms on one phone must not lose the other room.
COOKIE = "samordna_speil"


class MirrorApp(RoomApp):
    """The mirror's room of one round. ``app`` is the ASGI application."""

    REFUSED_PAGE = "mirror_refused.html"

    def __init__(self, ws: Workspace, rnd: Round, listeners: Listeners, screen_language: str):
        super().__init__(ws, rnd, listeners, screen_language)
        shipped_mirror_bank(self.phone_default)  # a broken companion bank stops the start, with its message
        self.store = MirrorRoomStore(rnd)
        self.room = MirrorRoom(self.store.room_code)
        self.min_group = max(MIN_GROUP, ws.mirror_min_group or MIN_GROUP)
        self.app = self.guarded([
            Route("/", self.join_page, methods=["GET"]),
            Route("/bli-med", self.join, methods=["POST"]),
            Route("/svar", self.answer_page, methods=["GET"]),
            Route("/svar", self.answer, methods=["POST"]),
            Route("/ferdig", self.done_page, methods=["GET"]),
            Route("/ferdig", self.finish, methods=["POST"]),
            Route("/fasilitator/", self.control_page, methods=["GET"]),
            Route("/fasilitator/status", self.status, methods=["GET"]),
            Route("/fasilitator/skjerm", self.screen_page, methods=["GET"]),
            Route("/fasilitator/hendelser", self.facilitator_events, methods=["GET"]),
        ])

    def common(self, language: str) -> dict[str, Any]:
        return {**super().common(language), "room_code": self.room.code, "min_group": self.min_group}

    def device(self, request: Request) -> str | None:
        """The hash of the request's device token when it is a joined phone, else None."""
        token = request.cookies.get(COOKIE)
        h = state.token_hash(token) if token else None
        return h if h in self.store.devices else None

    def bank(self, request: Request) -> MirrorBank:
        return shipped_mirror_bank(self.phone_language(request))

    # --- the phones ----------------------------------------------------------------------------------
    async def join_page(self, request: Request) -> Response:
        return self.join_form(request, 200, None, request.query_params.get("rom", ""), "")

    def join_form(self, request: Request, status: int, problem: str | None, room: str, chosen: str) -> HTMLResponse:
        with use_language(self.phone_language(request)):
            groups = [(key, group_label(key)) for key in MIRROR_GROUPS]
        return self.phone_page(request, "mirror_join.html", status, problem=problem, room=room, groups=groups,
                               chosen=chosen)

    async def join(self, request: Request) -> Response:
        form = await read_form(request)
        room, chosen = str(form.get("rom") or "").strip(), str(form.get("hvem") or "").strip()
        try:
            if room.upper() != self.room.code:
                raise Refusal("room_code")
            role, band = state.parse_mirror_group(chosen)
            state.may_join(len(self.store.devices))
        except Refusal as refusal:
            with use_language(self.phone_language(request)):
                message = refusal.message()
            return self.join_form(request, refusal.status, message, room, chosen)
        token = secrets.token_urlsafe(32)
        try:
            with use_language(self.phone_language(request)):
                await self.write(self.store.join, state.token_hash(token), role, band)
        except (SamordnaError, OSError) as exc:
            return self.join_form(request, 409, str(exc), room, chosen)
        self.changed()
        response = RedirectResponse("/svar", status_code=303)
        response.set_cookie(COOKIE, token, max_age=COOKIE_SECONDS, path="/", httponly=True, samesite="strict")
        return response

    def answer_context(self, request: Request, h: str) -> dict[str, Any]:
        """The statement asked for (``?pastand=``), else the next unanswered one after ``?etter=`` (skipped or
        just answered), else the first unanswered one; with every statement and the phone's answer, as links."""
        bank = self.bank(request)
        device = self.store.devices[h]
        answers = self.store.own_answers(h)
        order = [s.id for s in bank.statements]
        asked, after = request.query_params.get("pastand"), request.query_params.get("etter")
        if asked in order:
            current: str | None = asked
        else:
            start = order.index(after) + 1 if after in order else 0
            current = next((i for i in order[start:] if i not in answers), None)
        choices = [(str(v), bank.level_names[v]) for v in LEVELS] + [(DONT_KNOW, bank.dont_know)]
        names = dict(choices)
        listing = [{"id": s.id, "text": s.text(device.role), "current": s.id == current,
                    "answer": names.get(str(answers[s.id])) if s.id in answers else None} for s in bank.statements]
        mine = answers.get(current) if current else None
        return {"item": {"id": current, "text": bank.statement_by_id[current].text(device.role)} if current else None,
                "choices": choices, "mine": None if mine is None else str(mine), "listing": listing,
                "position": order.index(current) + 1 if current else None, "total": len(order),
                "unanswered": sum(1 for i in order if i not in answers), "answered": len(answers),
                "intro": bank.intro[device.role] if not answers else None, "title": bank.title,
                "finished": device.finished}

    async def answer_page(self, request: Request) -> Response:
        h = self.device(request)
        if h is None:
            return RedirectResponse("/", status_code=303)
        context = await self.off_loop(self.answer_context, request, h)  # the bank's words, in the phone's language
        return self.phone_page(request, "mirror_answer.html", saved=request.query_params.get("lagret") == "1",
                               **context)

    async def answer(self, request: Request) -> Response:
        form = await read_form(request)
        h = self.device(request)
        bank = self.bank(request)
        statement = str(form.get("pastand") or "")
        value = state.parse_mirror_value(str(form.get("svar") or ""))
        try:
            self.room.check_answer(h, statement in bank.statement_by_id, value, time.monotonic())
        except Refusal as refusal:
            return self.refused(request, refusal)
        assert h is not None and value is not None
        language = self.phone_language(request)
        try:
            with use_language(language):
                await self.write(self.store.save_answer, h, bank, statement, value, language)
        except (SamordnaError, OSError) as exc:
            with use_language(language):
                message = _(NOT_SAVED).format(problem=str(exc))
            return self.phone_page(request, self.REFUSED_PAGE, 503, message=message)
        return RedirectResponse(f"/svar?etter={quote(statement)}&lagret=1", status_code=303)

    async def finish(self, request: Request) -> Response:
        h = self.device(request)
        if h is None:
            return self.refused(request, Refusal("mirror_no_token"))
        try:
            await self.write(self.store.finish, h)
        except (SamordnaError, OSError) as exc:
            with use_language(self.phone_language(request)):
                message = _(NOT_SAVED).format(problem=str(exc))
            return self.phone_page(request, self.REFUSED_PAGE, 503, message=message)
        self.changed()
        return RedirectResponse("/ferdig", status_code=303)

    async def done_page(self, request: Request) -> Response:
        h = self.device(request)
        if h is None:
            return RedirectResponse("/", status_code=303)
        answers = await self.off_loop(self.store.own_answers, h)
        return self.phone_page(request, "mirror_done.html", answered=len(answers),
                               total=len(self.bank(request).statements))

    # --- the facilitator and the big screen (127.0.0.1 only) ----------------------------------------
    def status_data(self) -> dict[str, object]:
        """How many phones have joined and how many pressed «Ferdig», per role: people, never answers. A number
        below the limit is None («færre enn 5»), and there is no total of both roles, so that a small group can
        neither be seen nor worked out (as everywhere else in the mirror)."""
        def shown(n: int) -> int | None:
            return n if n >= self.min_group else None

        data: dict[str, object] = {"mirror": True}
        for role in ROLES:
            data[f"joined_{role}"] = shown(self.store.joined(role))
            data[f"finished_{role}"] = shown(self.store.finished(role))
        return data

    async def status(self, request: Request) -> Response:
        return JSONResponse(self.status_data())

    async def facilitator_events(self, request: Request) -> Response:
        return self.events(self.status_data)

    def screen_context(self) -> dict[str, Any]:
        from markupsafe import Markup

        from samordna.room.net import qr_svg

        url = self.net.join_url(self.room.code)
        return {"qr": Markup(qr_svg(url)), "short_url": self.net.room_url("/"), "room_url": url,
                "status": self.status_data()}

    async def control_page(self, request: Request) -> Response:
        context = await self.off_loop(self.screen_context)
        return self.page("mirror_facilitator.html", self.screen_language, **context)

    async def screen_page(self, request: Request) -> Response:
        context = await self.off_loop(self.screen_context)
        return self.page("mirror_screen.html", self.screen_language, **context)


def group_label(key: str) -> str:
    """The join form's words for a choice of ``state.MIRROR_GROUPS`` (in the language of the moment)."""
    role, band = MIRROR_GROUPS[key]
    if band is None:
        return _("Forelder")
    return _("Ungdom, {band} år").format(band=band.replace("-", "–"))
