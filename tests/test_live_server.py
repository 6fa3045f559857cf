"""`samordna live` end to end (issue 16): a real uvicorn process, driven over HTTP as phones and facilitator.

The room listens on 127.0.0.2:P and the facilitator on 127.0.0.1:P (two loopback addresses, so the two
listeners can be told apart). Every test starts its own server on a copy of the sample municipality and
kills it at the end. Phones are httpx clients with their own cookie jar; they read the voting form from
``GET /stem`` (the field names are the server's) and send it back as a browser would without JavaScript.

The facilitator is driven by the spec's plain forms (``POST /fasilitator/handling`` with action and
statement) and read through ``GET /fasilitator/status``. Security tests assert both the refusal and that
nothing was stored (the answer files, the status count, the re-vote files are unchanged).
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import html as html_lib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from samordna.io.workspace import Workspace

httpx = pytest.importorskip("httpx", reason="httpx is needed for the live-server tests (pip install httpx)")

ROOT = Path(__file__).resolve().parents[1]
ROOM_HOST = "127.0.0.2"
FAC_HOST = "127.0.0.1"
ROUND = "2026"
COOKIE = "samordna_enhet"
START_TIMEOUT = 30.0
INDICATOR = "LED-03"  # an indicator of round 2026 that is not statutory («ikke relevant» allowed)
SECOND = "SAM-02"  # another one, for the kill -9 and restart test
LEGAL = "LM-02"  # a legal item (ja/nei/vet ikke)
SECTOR = "barnehage"  # three or more phones per sector, so no group is suppressed after reveal
REFUSED = (403, 404, 409)


# --- the server process ---------------------------------------------------------------------


def free_port() -> int:
    """A port that is free on both 127.0.0.1 and 127.0.0.2 (the two listeners share it)."""
    for _ in range(50):
        with socket.socket() as s:
            s.bind((ROOM_HOST, 0))
            port = s.getsockname()[1]
        ok = True
        for host in (FAC_HOST, ROOM_HOST):
            with socket.socket() as s:
                s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                try:
                    s.bind((host, port))
                except OSError:
                    ok = False
        if ok:
            return port
    raise RuntimeError("no free port on 127.0.0.1 and 127.0.0.2")


def port_answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def _die_with_parent() -> None:
    """In the child, Linux only: SIGKILL when the test process goes (a run killed by a timeout leaves no server)."""
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


class LiveServer:
    """``python -m samordna live DIR --host 127.0.0.2 --port P --no-browser`` as a subprocess."""

    def __init__(self, workspace: Path, port: int | None = None, extra: list[str] | None = None):
        self.ws = workspace
        self.port = port or free_port()
        self.extra = extra or []
        self.proc: subprocess.Popen | None = None
        self.log = workspace.parent / f"live-{self.port}.log"
        self.starts = 0

    @property
    def room(self) -> str:
        return f"http://{ROOM_HOST}:{self.port}"

    @property
    def fac(self) -> str:
        return f"http://{FAC_HOST}:{self.port}"

    @property
    def round_dir(self) -> Path:
        return self.ws / "runder" / ROUND

    def output(self) -> str:
        return self.log.read_text("utf-8", "replace") if self.log.exists() else ""

    def start(self) -> LiveServer:
        self.starts += 1
        env = dict(os.environ, PYTHONUNBUFFERED="1", SAMORDNA_DEBUG="1", NO_COLOR="1", COLUMNS="120")
        env["PYTHONPATH"] = str(ROOT / "cli") + os.pathsep + env.get("PYTHONPATH", "")
        out = self.log.open("a", encoding="utf-8")
        out.write(f"\n===== start {self.starts} =====\n")
        out.flush()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "samordna", "live", str(self.ws), "--host", ROOM_HOST, "--port", str(self.port),
             "--no-browser", *self.extra],
            stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env, cwd=str(self.ws.parent),
            start_new_session=True, preexec_fn=_die_with_parent)
        out.close()
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"samordna live ended with {self.proc.returncode}:\n{self.output()[-3000:]}")
            if port_answers(ROOM_HOST, self.port) and port_answers(FAC_HOST, self.port):
                return self
            time.sleep(0.1)
        self.stop()
        raise AssertionError(f"samordna live did not answer on both listeners in {START_TIMEOUT} s:\n"
                             f"{self.output()[-3000:]}")

    def kill9(self) -> None:
        assert self.proc is not None
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            self.proc.send_signal(signal.SIGINT)  # Ctrl-C: stops cleanly
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)

    # --- what the server printed and shows ---
    def room_code(self) -> str:
        """The room code: from ``?rom=CODE`` in what the command printed, else from the big screen."""
        texts = [self.output()]
        with contextlib.suppress(Exception):
            texts.append(httpx.get(self.fac + "/fasilitator/skjerm", timeout=5).text)
        for text in texts:
            m = re.search(r"[?&]rom=([A-Za-z0-9_-]+)", text)
            if m:
                return m.group(1)
        raise AssertionError("no room code (?rom=CODE) in the command's output or on the big screen:\n"
                             + self.output()[-2000:])


def sample_copy(tmp_path: Path) -> Path:
    target = tmp_path / "eksempeldal"
    shutil.copytree(ROOT / "sample_municipality", target)
    return target


def _live_available() -> str | None:
    for part in ("room/server.py", "cli/commands/live.py"):
        if not (ROOT / "cli" / "samordna" / part).exists():
            return f"samordna live is not built yet (cli/samordna/{part} is missing)"
    for mod in ("starlette", "uvicorn"):
        try:
            __import__(mod)
        except ImportError:
            return f"{mod} is not installed"
    return None


# --- HTML forms -----------------------------------------------------------------------------


class Forms(HTMLParser):
    """The forms of a page: method, action and their controls (name, type, value, checked)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict[str, Any]] = []
        self._form: dict[str, Any] | None = None
        self._textarea: dict[str, Any] | None = None
        self._select: dict[str, Any] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self._form = {"method": a.get("method", "get").lower(), "action": a.get("action", ""), "controls": []}
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input":
            self._form["controls"].append({"tag": "input", "name": a.get("name", ""), "type": a.get("type", "text"),
                                           "value": a.get("value", ""), "checked": "checked" in a})
        elif tag == "button":
            self._form["controls"].append({"tag": "button", "name": a.get("name", ""), "type": a.get("type", "submit"),
                                           "value": a.get("value", ""), "checked": False})
        elif tag == "textarea":
            self._textarea = {"tag": "textarea", "name": a.get("name", ""), "type": "textarea", "value": "",
                              "checked": False}
            self._form["controls"].append(self._textarea)
        elif tag == "select":
            self._select = {"tag": "select", "name": a.get("name", ""), "type": "select", "value": "",
                            "options": [], "checked": False}
            self._form["controls"].append(self._select)
        elif tag == "option" and self._select is not None:
            self._select["options"].append(a.get("value", ""))
            if "selected" in a or not self._select["value"]:
                self._select["value"] = a.get("value", "")

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea["value"] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


def forms_of(html: str) -> list[dict[str, Any]]:
    p = Forms()
    p.feed(html)
    return p.forms


def vote_form(html: str) -> dict[str, Any] | None:
    """The voting form on a /stem page (a POST form with radio buttons), or None (a waiting page)."""
    for form in forms_of(html):
        if form["method"] == "post" and any(c["type"] == "radio" for c in form["controls"]):
            return form
    return None


def radio_values(form: dict[str, Any]) -> list[str]:
    return [c["value"] for c in form["controls"] if c["type"] == "radio"]


def filled(form: dict[str, Any], choose: dict[str, str]) -> dict[str, str]:
    """The form's data as a browser sends it: hidden and text fields as they are, ``choose`` for the rest."""
    data: dict[str, str] = {}
    for c in form["controls"]:
        name = c["name"]
        if not name or c["tag"] == "button":
            continue
        if c["type"] in ("radio", "checkbox"):
            if c["checked"] and name not in choose:
                data[name] = c["value"]
        elif c["type"] not in ("submit", "reset", "image", "file"):
            data[name] = c["value"]
    data.update(choose)
    return data


# --- phones and the facilitator -------------------------------------------------------------


class Phone:
    """One phone: its own cookie jar, talking to the room listener only."""

    def __init__(self, server: LiveServer, name: str = "phone"):
        self.server = server
        self.name = name
        self.http = httpx.Client(base_url=server.room, follow_redirects=False, timeout=10)
        self.last_post: dict[str, str] | None = None

    def close(self) -> None:
        self.http.close()

    @property
    def token(self) -> str | None:
        for cookie in self.http.cookies.jar:
            if cookie.name == COOKIE:
                return cookie.value
        return None

    def join(self, sector: str = SECTOR, room: str | None = None) -> httpx.Response:
        room = room or self.server.room_code()
        r = self.http.post("/bli-med", data={"rom": room, "sektor": sector})
        assert r.status_code == 303, f"{self.name}: join answered {r.status_code}: {r.text[:500]}"
        assert r.headers["location"].endswith("/stem"), r.headers["location"]
        assert self.token, f"{self.name}: no {COOKIE} cookie after joining: {r.headers.get('set-cookie')}"
        return r

    def page(self) -> httpx.Response:
        return self.http.get("/stem")

    def vote(self, value: str | int, *, revote: bool = False, expect: int | None = 303) -> httpx.Response:
        """Read the form on /stem, choose ``value`` and send it."""
        r = self.page()
        assert r.status_code == 200, f"{self.name}: GET /stem answered {r.status_code}"
        form = vote_form(r.text)
        assert form is not None, f"{self.name}: no voting form on /stem:\n{r.text[:1500]}"
        radios = [c for c in form["controls"] if c["type"] == "radio"]
        assert str(value) in radio_values(form), f"{value!r} not among {radio_values(form)}"
        choose = {radios[0]["name"]: str(value)}
        if revote:
            choose.setdefault("omstemming", "1")
        data = filled(form, choose)
        if revote and data.get("omstemming") != "1":
            data["omstemming"] = "1"
        return self.post_vote(data, action=form["action"] or "/stem", expect=expect)

    def post_vote(self, data: dict[str, str], *, action: str = "/stem", headers: dict[str, str] | None = None,
                  expect: int | None = 303) -> httpx.Response:
        self.last_post = dict(data)
        r = self.http.post(action, data=data, headers=headers or {})
        if expect is not None:
            assert r.status_code == expect, f"{self.name}: vote answered {r.status_code}, not {expect}: {r.text[:600]}"
        return r


class Facilitator:
    """The facilitator's page on 127.0.0.1, driven by its plain forms."""

    def __init__(self, server: LiveServer):
        self.server = server
        self.http = httpx.Client(base_url=server.fac, follow_redirects=False, timeout=10)

    def close(self) -> None:
        self.http.close()

    def status(self) -> dict[str, Any]:
        r = self.http.get("/fasilitator/status")
        assert r.status_code == 200, r.text[:500]
        return r.json()

    def act(self, action: str, statement: str | None = None, expect: int | None = 303, **extra: str) -> httpx.Response:
        data = {"action": action, **extra}
        if statement:
            data["statement"] = statement
        r = self.http.post("/fasilitator/handling", data=data)
        if expect is not None:
            assert r.status_code == expect, f"{action} {statement}: {r.status_code} {r.text[:500]}"
        return r

    def open(self, statement: str) -> None:
        self.act("goto", statement)
        self.act("open", statement)
        st = self.status()
        assert (st["statement"], st["phase"]) == (statement, "open"), st

    def wait_for(self, key: str, value: Any, timeout: float = 5.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        st = self.status()
        while st.get(key) != value and time.monotonic() < deadline:
            time.sleep(0.05)
            st = self.status()
        assert st.get(key) == value, f"status {key} is {st.get(key)!r}, not {value!r}: {st}"
        return st


@pytest.fixture
def fac(live) -> Iterator[Facilitator]:
    f = Facilitator(live)
    yield f
    f.close()


@pytest.fixture
def phones(live) -> Iterator[Any]:
    made: list[Phone] = []

    def make(n: int, sector: str = SECTOR) -> list[Phone]:
        new = [Phone(live, f"phone{len(made) + i + 1}") for i in range(n)]
        for p in new:
            p.join(sector)
        made.extend(new)
        return new

    yield make
    for p in made:
        p.close()


# --- the workspace files ---------------------------------------------------------------------


def load(path: Path) -> Any:
    import yaml

    return yaml.safe_load(path.read_text("utf-8")) if path.exists() else None


def answer_files(server: LiveServer) -> dict[str, str]:
    """Every participant file of the round: code -> its text."""
    d = server.round_dir / "svar"
    return {p.stem: p.read_text("utf-8") for p in sorted(d.glob("*.yaml")) if not p.name.startswith(".")}


def _walk(node: Any) -> Iterator[tuple[Any, Any]]:
    if isinstance(node, dict):
        for k, v in node.items():
            yield k, v
            yield from _walk(v)
    elif isinstance(node, list):
        for v in node:
            yield None, v
            yield from _walk(v)


def code_of(server: LiveServer, phone: Phone) -> str:
    """The participant code behind a phone, from ``rom-enheter.yaml`` (sha256 of the token -> code)."""
    token = phone.token
    assert token, f"{phone.name} has no token"
    digest = hashlib.sha256(token.encode()).hexdigest()
    path = server.round_dir / "rom-enheter.yaml"
    data = load(path)
    assert data is not None, f"{path} is missing"
    for key, value in _walk(data):
        if key == digest:
            if isinstance(value, str):
                return value
            if isinstance(value, dict):
                for k in ("code", "kode", "participant", "deltaker"):
                    if k in value:
                        return str(value[k])
        if isinstance(value, dict) and digest in value.values():
            for k in ("code", "kode", "participant", "deltaker"):
                if k in value:
                    return str(value[k])
    raise AssertionError(f"the token's sha256 is not in {path}:\n{path.read_text('utf-8')[:1500]}")


def stored_answer(server: LiveServer, code: str, item: str) -> Any:
    data = load(server.round_dir / "svar" / f"{code}.yaml")
    if not data:
        return None
    entry = (data.get("answers") or {}).get(item)
    return None if entry is None else entry.get("level")


def same_value(stored: Any, chosen: str | int) -> bool:
    return str(stored) == str(chosen)


def revote_counts(server: LiveServer, item: str) -> dict[str, int]:
    """The re-vote counts stored for ``item`` in omstemming.yaml (value -> count), whatever the nesting."""
    data = load(server.round_dir / "omstemming.yaml")
    assert data is not None, "omstemming.yaml is missing"
    values = {"0", "1", "2", "3", "4", "vet_ikke", "ikke_relevant", "ja", "nei"}
    node = None
    for key, value in _walk(data):
        if key == item:
            node = value
            break
        if isinstance(value, dict) and value.get("statement", value.get("id")) == item:
            node = value
            break
    assert node is not None, f"{item} is not in omstemming.yaml:\n{json.dumps(data, default=str)[:1500]}"
    found: dict[str, int] = {}
    for key, value in _walk(node):
        if key is not None and str(key) in values and isinstance(value, int) and not isinstance(value, bool):
            found[str(key)] = found.get(str(key), 0) + value
    return found


def snapshot(server: LiveServer) -> dict[str, Any]:
    """What a refused request must leave untouched."""
    files = {}
    for name in ("omstemming.yaml", ".omstemming-pågår.yaml", "konsensus.yaml"):
        p = server.round_dir / name
        files[name] = p.read_text("utf-8") if p.exists() else None
    return {"answers": answer_files(server), "files": files}


# --- the tests: start, listeners, headers ---------------------------------------------------


def test_prints_both_addresses_and_status_shape(live, fac):
    out = live.output()
    assert f"{ROOM_HOST}:{live.port}" in out, out
    assert f"{FAC_HOST}:{live.port}" in out, out
    assert live.room_code()
    st = fac.status()
    assert {"round", "statement", "phase", "revote", "answered", "participants"} <= set(st), st
    assert str(st["round"]) == ROUND
    assert st["phase"] in ("closed", "open", "locked", "revealed")
    assert st["answered"] == 0 and st["participants"] == 0


def test_security_headers_and_no_hsts(live):
    for base, path in ((live.room, "/"), (live.room, "/stem"), (live.fac, "/fasilitator/"),
                       (live.fac, "/fasilitator/skjerm"), (live.room, "/tilstand")):
        r = httpx.get(base + path, timeout=5, follow_redirects=True)
        assert r.status_code == 200, (path, r.status_code)
        assert "strict-transport-security" not in r.headers, path
        assert "default-src 'self'" in r.headers.get("content-security-policy", ""), (path, r.headers)
        assert r.headers.get("x-frame-options", "").upper() == "DENY", (path, r.headers)
        # with «no-referrer» Chromium sends «Origin: null» on the pages' own form posts, which the Origin rule refuses
        assert r.headers.get("referrer-policy", "").lower() != "no-referrer", \
            f"{path}: Referrer-Policy no-referrer makes browsers send Origin: null (every vote refused)"
        assert not re.search(r'(src=|<link[^>]*href=)["\'](https?:)?//', r.text), f"{path} loads from outside"


def test_join_page_prefills_room_code_and_offers_languages(live):
    code = live.room_code()
    r = httpx.get(f"{live.room}/?rom={code}", timeout=5)
    assert r.status_code == 200
    form_values = [c["value"] for f in forms_of(r.text) for c in f["controls"] if c["name"] == "rom"]
    assert code in form_values, "the room code is not prefilled from ?rom="
    for lang in ("nb", "nn", "en"):
        r2 = httpx.get(f"{live.room}/?rom={code}&lang={lang}", timeout=5)
        assert r2.status_code == 200
        assert re.search(rf'<html[^>]*lang="{lang}"', r2.text), f"?lang={lang} does not set the page language"


def test_join_cookie_is_httponly_strict_and_static_files_local(live):
    code = live.room_code()
    r = httpx.post(live.room + "/bli-med", data={"rom": code, "sektor": SECTOR}, timeout=5)
    assert r.status_code == 303
    cookie = r.headers.get("set-cookie", "")
    assert cookie.startswith(COOKIE + "="), cookie
    low = cookie.lower()
    assert "httponly" in low and "samesite=strict" in low and "path=/" in low, cookie
    assert "secure" not in low.replace("samesite", ""), "a Secure cookie would not come back over plain HTTP"
    token = cookie.split(";")[0].split("=", 1)[1]
    assert len(token) >= 16
    # the stored token is a hash, never the token itself
    text = (live.round_dir / "rom-enheter.yaml").read_text("utf-8")
    assert token not in text and hashlib.sha256(token.encode()).hexdigest() in text
    for path in ("/static/room.css", "/static/room.js"):
        assert httpx.get(live.room + path, timeout=5).status_code == 200, path


def test_wrong_room_code_or_unknown_sector_is_refused(live):
    for data in ({"rom": "FEIL" + live.room_code(), "sektor": SECTOR}, {"rom": live.room_code(), "sektor": "ukjent"}):
        r = httpx.post(live.room + "/bli-med", data=data, timeout=5)
        assert r.status_code != 303, data
        assert COOKIE not in r.headers.get("set-cookie", ""), data
    assert not (live.round_dir / "svar").exists() or len(answer_files(live)) == 11


# --- the room's flow: join, answer, hidden until reveal, change, lock, re-vote, consensus ------


def test_one_statement_round_trip(live, fac, phones):
    """Join, answer, hidden until reveal, change before lock, refused after lock; files equal the phones."""
    before = answer_files(live)
    ps = phones(4)
    watcher = phones(1)[0]  # joins but does not vote: what it sees must not depend on the others' votes
    assert fac.status()["participants"] == 5

    watcher.page()  # the first page after joining may greet the new participant once (code, PIN)
    fac.open(INDICATOR)
    empty_phone_page = watcher.page().text
    empty_screen = fac.http.get("/fasilitator/skjerm").text
    empty_state = watcher.http.get("/tilstand").json()

    chosen = {ps[0].name: "1", ps[1].name: "3", ps[2].name: "3", ps[3].name: "vet_ikke"}
    for p in ps:
        p.vote(chosen[p.name])
    st = fac.status()
    assert st["phase"] == "open" and st["answered"] == 4, st

    # change an answer before lock: replaces, is not counted twice
    ps[0].vote("4")
    chosen[ps[0].name] = "4"
    assert fac.status()["answered"] == 4

    # hidden until reveal: nothing a phone or the big screen shows changes with the votes
    assert _normal(watcher.page().text) == _normal(empty_phone_page), "the phone page changed with the votes"
    assert _normal(fac.http.get("/fasilitator/skjerm").text) == _normal(empty_screen), \
        "the big screen changed with the votes before reveal"
    state = watcher.http.get("/tilstand").json()
    assert state == empty_state, (state, empty_state)
    assert set(state) <= {"statement", "phase", "revote"}, f"/tilstand says more than the spec: {state}"
    for p in ps:  # a phone that voted sees no one else's value either
        html = p.page().text
        assert not re.search(r"\b[0-9]+\s*(svar|stemmer|answers|votes)\b", html, re.I), html[:800]

    fac.act("lock", INDICATOR)
    assert fac.wait_for("phase", "locked")["answered"] == 4
    # refused after lock: a new vote and a replay of an earlier one
    locked_snapshot = snapshot(live)
    r = ps[1].post_vote(dict(ps[1].last_post or {}), expect=None)
    assert r.status_code == 409, (r.status_code, r.text[:300])
    for p in ps:
        page = p.page()
        form = vote_form(page.text)
        if form is not None:  # a page that still shows the form: sending it is refused
            data = filled(form, {[c for c in form["controls"] if c["type"] == "radio"][0]["name"]: "0"})
            assert p.post_vote(data, expect=None).status_code == 409
    assert snapshot(live) == locked_snapshot

    fac.act("reveal", INDICATOR)
    assert fac.wait_for("phase", "revealed")
    screen = fac.http.get("/fasilitator/skjerm").text
    assert _normal(screen) != _normal(empty_screen), "the big screen shows nothing new after reveal"
    fac_page = fac.http.get("/fasilitator/").text
    assert "vet ikke" in fac_page.lower() or "vet_ikke" in fac_page.lower()
    # the distribution is drawn as the report draws it: an SVG image (the same answer_bars) whose bars carry the
    # counts the room's answers give, with «vet ikke» and «ikke relevant» as bars of their own
    for page in (screen, fac_page):
        src, alt = re.search(r'<img class="dist-chart" src="data:image/svg\+xml;base64,([^"]+)" alt="([^"]*)"', page).groups()
        drawn = re.findall(r"<text[^>]*>([^<]*)</text>", base64.b64decode(src).decode("utf-8"))
        rnd = next(r for r in Workspace(live.ws).rounds() if r.id == ROUND)
        first = [a.level for pf in rnd.participants() if (a := pf.answers.get(INDICATOR)) is not None]
        for value in (0, 1, 2, 3, 4, "vet_ikke"):
            assert str(first.count(value)) in drawn
        assert "Vet ikke" in drawn and "Ikke relevant" in drawn
        assert f"({len(first)} svar)" in html_lib.unescape(alt)

    # the workspace files afterwards equal what the phones chose (first-round answers, source live)
    after = answer_files(live)
    assert {k: v for k, v in after.items() if k in before} == before, "earlier participants' files changed"
    new_codes = set(after) - set(before)
    assert len(new_codes) == 4, sorted(new_codes)
    for p in ps:
        code = code_of(live, p)
        assert code in new_codes
        assert same_value(stored_answer(live, code, INDICATOR), chosen[p.name]), (code, chosen[p.name])
        data = load(live.round_dir / "svar" / f"{code}.yaml")
        assert data["source"] == "live" and data["sector"] == SECTOR
    assert code_of(live, watcher) not in new_codes or stored_answer(live, code_of(live, watcher), INDICATOR) is None


def _normal(html: str) -> str:
    """A page without what may differ between two renderings of the same state (nonces, times, ids)."""
    html = re.sub(r'nonce="[^"]*"', "", html)
    html = re.sub(r"\b\d{1,2}[:.]\d{2}([:.]\d{2})?\b", "", html)
    return html


def test_legal_item_takes_ja_nei_vet_ikke(live, fac, phones):
    ps = phones(3)
    fac.open(LEGAL)
    form = vote_form(ps[0].page().text)
    assert form is not None
    assert set(radio_values(form)) == {"ja", "nei", "vet_ikke"}, radio_values(form)
    for p, v in zip(ps, ("ja", "nei", "ja"), strict=True):
        p.vote(v)
    # a level on a legal item is refused, and nothing changes
    data = dict(ps[0].last_post or {})
    key = next(k for k, v in data.items() if v == "ja")
    data[key] = "3"
    before = snapshot(live)
    r = ps[0].post_vote(data, expect=None)
    assert r.status_code >= 400 and snapshot(live) == before
    fac.act("lock", LEGAL)
    for p, v in zip(ps, ("ja", "nei", "ja"), strict=True):
        assert stored_answer(live, code_of(live, p), LEGAL) == v


def test_indicator_offers_levels_dont_know_and_not_relevant(live, fac, phones):
    p = phones(1)[0]
    fac.open(INDICATOR)
    values = set(radio_values(vote_form(p.page().text) or {"controls": []}))
    assert values == {"0", "1", "2", "3", "4", "vet_ikke", "ikke_relevant"}, values
    fac.act("lock", INDICATOR)
    fac.open("LED-01")  # statutory: no «ikke relevant»
    values = set(radio_values(vote_form(p.page().text) or {"controls": []}))
    assert values == {"0", "1", "2", "3", "4", "vet_ikke"}, values


def test_revote_stored_as_counts_beside_first_answers(live, fac, phones):
    ps = phones(5)
    fac.open(INDICATOR)
    first = ["1", "1", "2", "3", "vet_ikke"]
    for p, v in zip(ps, first, strict=True):
        p.vote(v)
    fac.act("lock", INDICATOR)
    fac.act("reveal", INDICATOR)
    answers_before = answer_files(live)

    fac.act("revote", INDICATOR)
    st = fac.status()
    assert st["revote"] is True and st["statement"] == INDICATOR, st
    if st["phase"] != "open":
        fac.act("open", INDICATOR)
    st = fac.wait_for("phase", "open")
    assert st["answered"] == 0, f"a re-vote starts from 0 answered: {st}"
    state = ps[0].http.get("/tilstand").json()
    assert state.get("revote") is True, state

    second = ["2", "2", "3", "3", "3"]
    for p, v in zip(ps, second, strict=True):
        p.vote(v, revote=True)
    ps[0].vote("2", revote=True)  # a change during the re-vote replaces, too
    assert fac.status()["answered"] == 5
    # pending ballots are kept by token hash while open, never by code
    pending = live.round_dir / ".omstemming-pågår.yaml"
    assert pending.exists(), "no .omstemming-pågår.yaml while the re-vote is open"
    text = pending.read_text("utf-8")
    for p in ps:
        assert p.token not in text
    fac.act("lock", INDICATOR)
    fac.wait_for("phase", "locked")

    assert answer_files(live) == answers_before, "the re-vote changed the first answers"
    counts = revote_counts(live, INDICATOR)
    assert {k: v for k, v in counts.items() if v} == {"2": 2, "3": 3}, counts
    text = (live.round_dir / "omstemming.yaml").read_text("utf-8")
    for p in ps:  # counts only: never one person's change
        assert code_of(live, p) not in text
        assert hashlib.sha256(p.token.encode()).hexdigest() not in text

    fac.act("reveal", INDICATOR)
    assert fac.wait_for("phase", "revealed")["revote"] is True


def test_paper_tally_for_revote_is_stored_marked_as_tally(live, fac):
    fac.open(INDICATOR)
    fac.act("lock", INDICATOR)
    fac.act("reveal", INDICATOR)
    page = fac.http.get("/fasilitator/").text
    form = _form_with(page, r"tally|opptelling|telling|papir")
    assert form is not None, "no paper tally form on the facilitator page"
    counts = {"0": "0", "1": "2", "2": "4", "3": "1", "4": "0", "vet_ikke": "1", "ikke_relevant": "0"}
    data = filled(form, {})
    for c in form["controls"]:
        for value, n in counts.items():
            if c["name"] and re.search(rf"(^|[\[_.-]){re.escape(value)}(\]|$)", c["name"]):
                data[c["name"]] = n
    r = fac.http.post(form["action"] or "/fasilitator/handling", data=data)
    assert r.status_code == 303, (r.status_code, r.text[:500], data)
    stored = revote_counts(live, INDICATOR)
    assert {k: v for k, v in stored.items() if v} == {"1": 2, "2": 4, "3": 1, "vet_ikke": 1}, stored
    assert "tally: true" in (live.round_dir / "omstemming.yaml").read_text("utf-8")


def _form_with(html: str, pattern: str) -> dict[str, Any] | None:
    for form in forms_of(html):
        names = " ".join([c["name"] for c in form["controls"]] + [c["value"] for c in form["controls"]
                                                                   if c["type"] == "hidden"] + [form["action"]])
        if re.search(pattern, names, re.I) and form["method"] == "post":
            return form
    return None


def test_consensus_recorded_from_facilitator_page(live, fac, phones):
    ps = phones(3)
    fac.open(INDICATOR)
    for p, v in zip(ps, ("1", "2", "3"), strict=True):
        p.vote(v)
    fac.act("lock", INDICATOR)
    fac.act("reveal", INDICATOR)
    page = fac.http.get("/fasilitator/").text
    form = _form_with(page, r"rationale|begrunnelse")
    assert form is not None, "no consensus form (level, rationale, dissent) on the facilitator page"
    data = filled(form, {})
    for c in form["controls"]:
        n = c["name"].lower()
        if re.search(r"level|niv", n):
            data[c["name"]] = "2"
        elif re.search(r"rationale|begrunn", n):
            data[c["name"]] = "Rutinen finnes, men er ikke kjent i alle tjenestene."
        elif re.search(r"dissent|dissens", n):
            data[c["name"]] = "Skolen mener nivå 1."
        elif re.search(r"statement|utsagn|påstand|indikator", n) and not c["value"]:
            data[c["name"]] = INDICATOR
    r = fac.http.post(form["action"] or "/fasilitator/handling", data=data)
    assert r.status_code == 303, (r.status_code, r.text[:500], data)
    entry = (load(live.round_dir / "konsensus.yaml") or {}).get("entries", {}).get(INDICATOR)
    assert entry is not None, "konsensus.yaml has no entry for the statement"
    assert entry["level"] == 2
    assert entry["rationale"].startswith("Rutinen finnes")
    assert entry.get("dissent") == "Skolen mener nivå 1."
    # the earlier consensus-less rounds' file is the one `consensus` reads
    sys.path.insert(0, str(ROOT / "cli"))

    rnd = next(r for r in Workspace(live.ws).rounds() if r.id == ROUND)
    assert rnd.consensus()[INDICATOR].level == 2


def test_facilitator_statements_in_consensus_order_and_next(live, fac):
    page = fac.http.get("/fasilitator/").text
    assert INDICATOR in page and LEGAL in page
    fac.act("next")
    st = fac.status()
    assert st["statement"], st
    first = st["statement"]
    fac.act("next")
    assert fac.status()["statement"] != first


def test_sse_state_events_carry_no_counts(live, fac, phones):
    p = phones(1)[0]
    events: list[str] = []
    stop = threading.Event()

    def listen() -> None:
        with contextlib.suppress(Exception), \
                httpx.stream("GET", live.room + "/hendelser", cookies=p.http.cookies, timeout=httpx.Timeout(10, read=8)) as r:
            assert r.headers["content-type"].startswith("text/event-stream")
            for line in r.iter_lines():
                events.append(line)
                if stop.is_set():
                    return

    t = threading.Thread(target=listen, daemon=True)
    t.start()
    time.sleep(0.5)
    fac.open(INDICATOR)
    p.vote("2")
    fac.act("lock", INDICATOR)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and not any('"locked"' in e for e in events):
        time.sleep(0.1)
    stop.set()
    assert any(e.startswith("event: state") for e in events), events[:20]
    datas = [json.loads(e[5:]) for e in events if e.startswith("data:")]
    assert any(d.get("phase") == "locked" for d in datas), datas
    for d in datas:
        assert set(d) <= {"statement", "phase", "revote"}, d


def test_score_plan_report_run_on_the_workspace(live, fac, phones, tmp_path):
    """While the room is still open (the lock is taken per write) and after it stopped."""
    ps = phones(3)
    for item, values in ((INDICATOR, ("1", "2", "3")), (LEGAL, ("ja", "ja", "nei"))):
        fac.open(item)
        for p, v in zip(ps, values, strict=True):
            p.vote(v)
        fac.act("lock", item)
        fac.act("reveal", item)
    env = dict(os.environ, PYTHONPATH=str(ROOT / "cli"), SAMORDNA_DEBUG="1")

    def run(*args: str) -> subprocess.CompletedProcess:
        res = subprocess.run([sys.executable, "-m", "samordna", *args], capture_output=True, text=True, env=env,
                             timeout=180, stdin=subprocess.DEVNULL)
        assert res.returncode == 0, f"samordna {' '.join(args)}: {res.returncode}\n{res.stdout[-2000:]}{res.stderr[-2000:]}"
        return res

    res = run("score", str(live.ws), "--json")
    assert ROUND in res.stdout
    run("report", str(live.ws), "--out", str(tmp_path / "rapport.html"))
    assert (tmp_path / "rapport.html").stat().st_size > 1000
    live.stop()
    run("plan", str(live.ws))
    run("score", str(live.ws))


# --- security ---------------------------------------------------------------------------------


FAC_ROUTES = ("/fasilitator/", "/fasilitator", "/fasilitator/status", "/fasilitator/skjerm",
              "/fasilitator/hendelser")


def test_facilitator_routes_refused_through_the_room_address(live, fac):
    for path in FAC_ROUTES:
        r = httpx.get(live.room + path, timeout=5)
        assert r.status_code in (403, 404), (path, r.status_code)
        assert '"answered"' not in r.text
    # with the facilitator's Host header too: the listener decides, not the header
    r = httpx.get(live.room + "/fasilitator/status", headers={"Host": f"{FAC_HOST}:{live.port}"}, timeout=5)
    assert r.status_code in (403, 404, 421, 400), r.status_code
    before = fac.status()
    for action in ("goto", "open"):
        r = httpx.post(live.room + "/fasilitator/handling", data={"action": action, "statement": INDICATOR},
                       timeout=5)
        assert r.status_code in (403, 404), (action, r.status_code)
    assert fac.status() == before, "a facilitator action through the room address changed the room"


def test_vote_without_token_forged_token_or_after_lock_is_refused(live, fac, phones):
    ps = phones(3)
    fac.open(INDICATOR)
    ps[0].vote("2")
    template = dict(ps[0].last_post or {})
    base = snapshot(live)
    answered = fac.status()["answered"]

    anon = httpx.Client(base_url=live.room, timeout=5)  # no cookie
    r = anon.post("/stem", data=template)
    assert r.status_code == 409, ("no token", r.status_code)
    forged = httpx.Client(base_url=live.room, timeout=5, cookies={COOKIE: secrets.token_urlsafe(32)})
    r = forged.post("/stem", data=template)
    assert r.status_code == 409, ("forged token", r.status_code)
    hashed = httpx.Client(base_url=live.room, timeout=5,  # the stored hash used as a token
                          cookies={COOKIE: hashlib.sha256((ps[0].token or "").encode()).hexdigest()})
    assert hashed.post("/stem", data=template).status_code == 409
    assert snapshot(live) == base and fac.status()["answered"] == answered

    fac.act("lock", INDICATOR)
    locked = snapshot(live)
    r = ps[0].post_vote(template, expect=None)  # replay of the confirmed vote after lock
    assert r.status_code == 409
    r = ps[1].post_vote(dict(template), expect=None)  # a new vote after lock
    assert r.status_code == 409
    assert anon.post("/stem", data=template).status_code == 409
    fac.act("reveal", INDICATOR)
    assert ps[1].post_vote(dict(template), expect=None).status_code == 409  # nor after reveal
    assert snapshot(live) == locked
    assert stored_answer(live, code_of(live, ps[1]), INDICATOR) is None
    anon.close()
    forged.close()
    hashed.close()


def test_vote_for_another_statement_than_the_open_one_is_refused(live, fac, phones):
    p = phones(1)[0]
    fac.open(INDICATOR)
    p.vote("2")
    data = dict(p.last_post or {})
    for k, v in list(data.items()):
        if v == INDICATOR:
            data[k] = "LED-07"
    before = snapshot(live)
    assert p.post_vote(data, expect=None).status_code in REFUSED
    assert snapshot(live) == before


def test_foreign_origin_and_host_are_refused(live, fac, phones):
    p = phones(1)[0]
    fac.open(INDICATOR)
    p.vote("1")
    template = dict(p.last_post or {})
    template_other = {k: ("3" if v == "1" else v) for k, v in template.items()}
    base = snapshot(live)
    for headers in ({"Origin": "http://evil.example"},
                    {"Origin": f"http://{FAC_HOST}:{live.port}"},  # the facilitator's origin is not the room's
                    {"Origin": "null"},
                    {"Host": "evil.example"},
                    {"Host": f"evil.example:{live.port}"},
                    {"Host": f"{ROOM_HOST}:{live.port + 1}"}):
        r = p.post_vote(template_other, headers=headers, expect=None)
        assert r.status_code == 409, (headers, r.status_code)
    assert snapshot(live) == base
    assert same_value(stored_answer(live, code_of(live, p), INDICATOR), "1")
    # the room's own origin is fine
    p.post_vote(template_other, headers={"Origin": f"http://{ROOM_HOST}:{live.port}"}, expect=303)
    assert same_value(stored_answer(live, code_of(live, p), INDICATOR), "3")

    # joining from a foreign origin makes no participant
    r = httpx.post(live.room + "/bli-med", data={"rom": live.room_code(), "sektor": SECTOR},
                   headers={"Origin": "http://evil.example"}, timeout=5)
    assert r.status_code != 303 and COOKIE not in r.headers.get("set-cookie", "")


def test_facilitator_listener_refuses_foreign_host_and_origin(live, fac):
    before = fac.status()
    for headers in ({"Host": "evil.example"}, {"Host": f"evil.example:{live.port}"},
                    {"Host": f"{ROOM_HOST}:{live.port}"}):  # DNS rebinding onto the loopback listener
        r = fac.http.get("/fasilitator/status", headers=headers)
        assert r.status_code in (400, 403, 404, 409, 421), (headers, r.status_code)
        r = fac.http.post("/fasilitator/handling", data={"action": "open", "statement": INDICATOR}, headers=headers)
        assert r.status_code in (400, 403, 404, 409, 421), (headers, r.status_code)
    for origin in ("http://evil.example", f"http://{ROOM_HOST}:{live.port}"):  # the room's pages cannot drive it
        r = fac.http.post("/fasilitator/handling", data={"action": "goto", "statement": INDICATOR},
                          headers={"Origin": origin})
        assert r.status_code in (403, 409), (origin, r.status_code)
    assert fac.status() == before
    for host in (f"localhost:{live.port}", f"{FAC_HOST}:{live.port}"):
        assert fac.http.get("/fasilitator/status", headers={"Host": host}).status_code == 200, host
    r = fac.http.post("/fasilitator/handling", data={"action": "goto", "statement": INDICATOR},
                      headers={"Origin": f"http://{FAC_HOST}:{live.port}"})
    assert r.status_code == 303


def test_rate_limit_per_token(live, fac, phones):
    p = phones(1)[0]
    fac.open(INDICATOR)
    p.vote("2")
    data = dict(p.last_post or {})
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(10) as pool:  # 30 ballots at once from one token: well over 10 a second
        codes = list(pool.map(lambda _: p.http.post("/stem", data=data).status_code, range(30)))
    assert 429 in codes, codes
    assert set(codes) <= {303, 429}, codes


@pytest.mark.slow
def test_token_cap_per_room(live):
    code = live.room_code()
    with httpx.Client(base_url=live.room, timeout=10) as c:
        statuses = []
        for _ in range(201):
            c.cookies.clear()
            statuses.append(c.post("/bli-med", data={"rom": code, "sektor": SECTOR}).status_code)
        assert statuses[:200] == [303] * 200, statuses[:200]
        assert statuses[200] != 303
        assert COOKIE not in (c.cookies.get(COOKIE) or "")


def test_join_with_code_and_pin(live, fac):
    """A person with a code and PIN from a slip joins as that participant; a wrong PIN is refused."""
    sys.path.insert(0, str(ROOT / "cli"))
    from samordna.io import pins
    from samordna.io.workspace import Workspace

    rnd = next(r for r in Workspace(live.ws).rounds() if r.id == ROUND)
    pins.add_pins(rnd, {"K7QX": "4821"})
    code = live.room_code()
    r = httpx.post(live.room + "/bli-med", data={"rom": code, "kode": "K7QX", "pin": "1111"}, timeout=5)
    assert r.status_code != 303 and COOKIE not in r.headers.get("set-cookie", "")
    p = Phone(live, "slip")
    r = p.http.post("/bli-med", data={"rom": code, "kode": "k7qx", "pin": "4821"})
    assert r.status_code == 303, (r.status_code, r.text[:400])
    assert code_of(live, p) == "K7QX"
    p.close()


# --- kill -9 ------------------------------------------------------------------------------------


@pytest.mark.slow
def test_kill9_after_confirmed_vote_loses_nothing(live, fac, phones):
    ps = phones(3)
    fac.open(INDICATOR)
    for p, v in zip(ps, ("1", "2", "4"), strict=True):
        p.vote(v)  # 303: confirmed
    codes = [code_of(live, p) for p in ps]
    live.kill9()
    for code, v in zip(codes, ("1", "2", "4"), strict=True):
        assert same_value(stored_answer(live, code, INDICATOR), v), code

    live.start()  # same folder, same port: the phones keep their cookies
    fac2 = Facilitator(live)
    try:
        for code, v in zip(codes, ("1", "2", "4"), strict=True):
            assert same_value(stored_answer(live, code, INDICATOR), v)
        fac2.open(SECOND)
        ps[0].vote("3")  # the phone's token survived the restart: the same participant
        assert same_value(stored_answer(live, codes[0], SECOND), "3")
        assert same_value(stored_answer(live, codes[0], INDICATOR), "1")
        assert set(answer_files(live)) >= set(codes)
        assert len([c for c in answer_files(live) if c not in codes]) == 11, "a restart made new participants"
    finally:
        fac2.close()


@pytest.mark.slow
def test_kill9_during_revote_keeps_confirmed_ballots(live, fac, phones):
    ps = phones(3)
    fac.open(INDICATOR)
    for p, v in zip(ps, ("1", "2", "4"), strict=True):
        p.vote(v)
    fac.act("lock", INDICATOR)
    fac.act("reveal", INDICATOR)
    fac.act("revote", INDICATOR)
    if fac.status()["phase"] != "open":
        fac.act("open", INDICATOR)
    for p, v in zip(ps, ("3", "3", "4"), strict=True):
        p.vote(v, revote=True)
    live.kill9()
    pending = live.round_dir / ".omstemming-pågår.yaml"
    assert pending.exists(), "no pending re-vote file after kill -9"
    text = pending.read_text("utf-8")
    import yaml

    kept = yaml.safe_load(text)["ballots"]
    assert sorted(str(v) for v in kept.values()) == ["3", "3", "4"], "a confirmed re-vote ballot was lost"
    for p in ps:  # kept by a hash of the person, never by the device token or the code
        assert p.token not in text and hashlib.sha256(p.token.encode()).hexdigest() not in text
    live.start()
    fac2 = Facilitator(live)
    try:
        st = fac2.status()
        # whatever the phase after a restart, locking the re-vote turns the kept ballots into counts
        if st["statement"] != INDICATOR or st["phase"] != "open" or not st["revote"]:
            fac2.act("goto", INDICATOR)
            st = fac2.status()
            if st["phase"] != "open" or not st["revote"]:
                fac2.act("revote", INDICATOR, expect=None)
                if fac2.status()["phase"] != "open":
                    fac2.act("open", INDICATOR, expect=None)
        assert fac2.status()["answered"] == 3, fac2.status()
        fac2.act("lock", INDICATOR)
        counts = revote_counts(live, INDICATOR)
        assert {k: v for k, v in counts.items() if v} == {"3": 2, "4": 1}, counts
    finally:
        fac2.close()


def test_ctrl_c_stops_cleanly_with_everything_saved(live, fac, phones):
    p = phones(1)[0]
    fac.open(INDICATOR)
    p.vote("2")
    code = code_of(live, p)
    assert live.proc is not None
    live.proc.send_signal(signal.SIGINT)
    assert live.proc.wait(15) in (0, 130), live.output()[-2000:]
    assert same_value(stored_answer(live, code, INDICATOR), "2")
    assert not port_answers(ROOM_HOST, live.port)


def test_phone_that_lost_its_cookie_rejoins_with_code_and_pin(live, fac, phones):
    """The first page after joining shows the new code and PIN once; with them a phone rejoins as the same person."""
    p = phones(1)[0]
    first = p.page().text
    shown = re.findall(r"<strong>\s*([A-Za-z0-9]{4})\s*</strong>", first)
    assert len(shown) >= 2, f"no code and PIN on the first page after joining:\n{first[:1500]}"
    code, pin = shown[0], shown[1]
    assert code == code_of(live, p) and pin.isdigit()
    assert f"<strong>{pin}</strong>" not in p.page().text, "the PIN is shown more than once"
    fac.open(INDICATOR)
    p.vote("1")
    again = Phone(live, "again")
    try:
        r = again.http.post("/bli-med", data={"rom": live.room_code(), "kode": code.lower(), "pin": "0000"
                                              if pin != "0000" else "1111"})
        assert r.status_code != 303 and not again.token, "a wrong PIN let the phone in"
        r = again.http.post("/bli-med", data={"rom": live.room_code(), "kode": code, "pin": pin})
        assert r.status_code == 303, (r.status_code, r.text[:500])
        assert code_of(live, again) == code
        assert fac.status()["participants"] == 1, "a rejoined phone was counted twice"
        again.vote("3")  # replaces the answer given from the first phone (one person, one ballot)
        assert same_value(stored_answer(live, code, INDICATOR), "3")
        assert fac.status()["answered"] == 1 or fac.status()["answered"] == 2
    finally:
        again.close()


def test_sjekk_prints_address_and_exits_without_serving(tmp_path):
    why = _live_available()
    if why:
        pytest.skip(why)
    ws = sample_copy(tmp_path)
    port = free_port()
    env = dict(os.environ, PYTHONPATH=str(ROOT / "cli"), NO_COLOR="1", COLUMNS="120")
    res = subprocess.run([sys.executable, "-m", "samordna", "live", str(ws), "--host", ROOM_HOST, "--port", str(port),
                          "--sjekk"], capture_output=True, text=True, env=env, timeout=60, stdin=subprocess.DEVNULL)
    assert res.returncode == 0, res.stdout + res.stderr
    assert f"{ROOM_HOST}:{port}" in res.stdout, res.stdout
    assert "127.0.0.1" in res.stdout  # the network interfaces are listed (loopback at least)
    assert re.search(r"hotspot|ruter|router|papir", res.stdout, re.I), "no advice for when the phones cannot reach it"
    assert not port_answers(ROOM_HOST, port), "--sjekk must not serve"


def test_one_person_on_two_phones_counts_once_in_a_revote(live, fac, phones):
    p = phones(1)[0]
    code, pin = re.findall(r"<strong>\s*([A-Za-z0-9]{4})\s*</strong>", p.page().text)[:2]
    q = Phone(live, "second phone")
    try:
        assert q.http.post("/bli-med", data={"rom": live.room_code(), "kode": code, "pin": pin}).status_code == 303
        fac.open(INDICATOR)
        p.vote("1")
        q.vote("2")
        fac.act("lock", INDICATOR)
        fac.act("revote", INDICATOR)
        p.vote("4", revote=True)
        q.vote("4", revote=True)
        assert fac.status()["answered"] == 1
        fac.act("lock", INDICATOR)
        assert sum(revote_counts(live, INDICATOR).values()) == 1, revote_counts(live, INDICATOR)
    finally:
        q.close()


# --- each person at their own pace, and comments -------------------------------------------------


def own_pace_item(phone: Phone, path: str = "/stem") -> tuple[str, dict[str, Any], str]:
    """(statement shown, its voting form, the page) of an own-pace page."""
    r = phone.http.get(path)
    assert r.status_code == 200, (path, r.status_code)
    form = vote_form(r.text)
    assert form is not None, f"{phone.name}: no voting form on {path}:\n{r.text[:1500]}"
    shown = next(c["value"] for c in form["controls"] if c["name"] == "pastand")
    return shown, form, r.text


def skip_link(html: str) -> str:
    m = re.search(r'<a[^>]*href="(/stem\?etter=[^"]+)"[^>]*>\s*Hopp over\s*</a>', html)
    assert m, f"no «Hopp over» link:\n{html[:1500]}"
    return m.group(1).replace("&amp;", "&")


def test_own_pace_answers_in_order_skip_and_change(live, fac, phones):
    p = phones(1)[0]
    p.page()  # the greeting (code, PIN) once
    fac.act("own_pace")
    st = fac.status()
    assert st["own_pace"] is True and st["phase"] != "open", st
    assert p.http.get("/tilstand").json().get("own_pace") is True
    page = fac.http.get("/fasilitator/")
    assert page.status_code == 200 and 'value="follow"' in page.text and 'value="own_pace"' not in page.text
    assert 'value="open"' not in page.text, "no «Åpne» while the room is at its own pace"
    assert fac.http.get("/fasilitator/skjerm").status_code == 200

    first, form, html = own_pace_item(p)
    listed = re.findall(r'href="/stem\?pastand=([^"]+)"', html)
    assert listed and listed[0] == first, (first, listed[:5])
    assert first.startswith("LM-"), f"the legal minimum comes first, not {first}"
    assert set(radio_values(form)) == {"ja", "nei", "vet_ikke"}

    # skip the first: the second is shown; answer it (with a comment)
    second, form, html = own_pace_item(p, skip_link(html))
    assert second == listed[1], (second, listed[:3])
    r = p.post_vote(filled(form, {"svar": "ja", "kommentar": "Vi har rutinen, men den er ikke kjent av alle."}))
    assert "etter=" in r.headers["location"] and "lagret=1" in r.headers["location"], r.headers["location"]
    third, form, html = own_pace_item(p, r.headers["location"])
    assert third == listed[2], (third, listed[:4])
    code = code_of(live, p)
    assert stored_answer(live, code, second) == "ja"
    assert stored_answer(live, code, first) is None, "a skipped statement got an answer"
    data = load(live.round_dir / "svar" / f"{code}.yaml")
    assert data["source"] == "live" and "ikke kjent av alle" in data["answers"][second]["comment"]

    # an indicator, far down the list, by its link; then /stem goes back to the skipped first one
    shown, form, html = own_pace_item(p, f"/stem?pastand={INDICATOR}")
    assert shown == INDICATOR and "ikke_relevant" in radio_values(form)
    p.post_vote(filled(form, {"svar": "3"}))
    assert same_value(stored_answer(live, code, INDICATOR), 3)
    again, form, html = own_pace_item(p)
    assert again == first, "the first unanswered statement is the skipped one"
    end = p.http.get(f"/stem?etter={listed[-1]}")  # past the last statement: no form, a way back to the skipped
    assert end.status_code == 200 and vote_form(end.text) is None
    assert 'href="/stem"' in end.text and f'href="/stem?pastand={first}"' in end.text

    # the way back: the list shows the phone's answer; changing it replaces it (and keeps the comment)
    shown, form, html = own_pace_item(p, f"/stem?pastand={second}")
    assert any(c["value"] == "ja" and c["checked"] for c in form["controls"] if c["type"] == "radio")
    p.post_vote(filled(form, {"svar": "nei"}))
    assert stored_answer(live, code, second) == "nei"
    data = load(live.round_dir / "svar" / f"{code}.yaml")
    assert "ikke kjent av alle" in data["answers"][second]["comment"]
    # a re-vote is never taken at one's own pace; nothing was counted as a ballot of an opening
    bad = filled(form, {"svar": "ja"})
    bad["omstemming"] = "1"
    assert p.post_vote(bad, expect=None).status_code in REFUSED
    assert stored_answer(live, code, second) == "nei"
    # the facilitator cannot open a statement while the room is at its own pace
    fac.act("goto", INDICATOR)
    assert fac.act("open", INDICATOR, expect=None).status_code == 409
    assert fac.status()["phase"] != "open"


def test_own_pace_vote_after_switching_back_is_refused(live, fac, phones):
    p = phones(1)[0]
    p.page()
    fac.act("own_pace")
    shown, form, _html = own_pace_item(p, f"/stem?pastand={INDICATOR}")
    stale = filled(form, {"svar": "2"})
    p.post_vote(dict(stale))
    code = code_of(live, p)
    assert same_value(stored_answer(live, code, INDICATOR), 2)

    fac.act("follow")
    assert fac.status()["own_pace"] is False
    assert "own_pace" not in p.http.get("/tilstand").json()
    before = snapshot(live)
    stale["svar"] = "4"
    assert p.post_vote(dict(stale), expect=None).status_code == 409  # the own-pace page's form, sent too late
    other = dict(stale, pastand=SECOND)
    assert p.post_vote(other, expect=None).status_code == 409
    assert vote_form(p.page().text) is None, "following again, the phone waits for the facilitator"
    # even with the same statement open in the facilitator's pace, an own-pace ballot is refused
    fac.open(INDICATOR)
    assert p.post_vote(dict(stale), expect=None).status_code == 409
    assert snapshot(live) == before
    assert same_value(stored_answer(live, code, INDICATOR), 2)
    assert fac.status()["answered"] == 0
    # switching to own pace while a statement is open is refused; after the lock it works
    assert fac.act("own_pace", expect=None).status_code == 409
    fac.act("lock", INDICATOR)
    fac.act("own_pace")
    assert fac.status()["own_pace"] is True


FNR = "01010110102"  # valid check digits (a made-up person, as in tests/test_idnumbers.py)


def test_comment_with_identity_number_is_refused_and_not_stored(live, fac, phones):
    p = phones(1)[0]
    p.page()
    fac.open(INDICATOR)
    r = p.page()
    form = vote_form(r.text)
    assert form is not None and any(c["name"] == "kommentar" for c in form["controls"]), r.text[:1500]
    assert re.search(r'<label for="kommentar">', r.text), "the comment field has no label"
    before = snapshot(live)
    for written in (FNR, "010101 10102", "010101-10102"):
        r = p.post_vote(filled(form, {"svar": "2", "kommentar": f"Gjelder barnet med nr {written} i gruppa."}),
                        expect=None)
        assert r.status_code == 409, (written, r.status_code)
        assert "fødselsnummer" in r.text and "Kommentaren kan ikke lagres" in r.text, r.text[:800]
    assert snapshot(live) == before
    assert fac.status()["answered"] == 0
    assert not any("10102" in text for text in answer_files(live).values())

    # the same at one's own pace; a comment without a number is stored
    fac.act("lock", INDICATOR)
    fac.act("own_pace")
    shown, form, _html = own_pace_item(p, f"/stem?pastand={INDICATOR}")
    r = p.post_vote(filled(form, {"svar": "1", "kommentar": FNR}), expect=None)
    assert r.status_code == 409
    assert snapshot(live) == before
    p.post_vote(filled(form, {"svar": "1", "kommentar": "Mangler en felles rutine."}))
    code = code_of(live, p)
    data = load(live.round_dir / "svar" / f"{code}.yaml")
    assert data["answers"][INDICATOR]["comment"] == "Mangler en felles rutine."
    assert not any("10102" in text for text in answer_files(live).values())
