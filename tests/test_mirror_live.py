"""`samordna live --speil` end to end (issue 17): the mirror's room for young people and parents, as a real uvicorn
process driven over HTTP by phones (httpx, one cookie jar each) and, at the end, in Chromium.

The room listens on 127.0.0.2:P and the facilitator on 127.0.0.1:P, as in tests/test_live_server.py (whose
LiveServer and form helpers are reused). Statement ids are read from the shipped companion bank, never written
here. Every check of what was stored reads the round's files: ``speilet/S???????.yaml`` (the answers) and
``speilet/rom.yaml`` (device token hash → response id); ``svar/`` (the leaders' answers) must not change.
"""

from __future__ import annotations

import hashlib
import random
import re
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from samordna.io.mirrorfile import shipped_mirror_bank
from test_live_server import (
    FAC_HOST,
    ROOM_HOST,
    LiveServer,
    _live_available,
    filled,
    forms_of,
    free_port,
    load,
    sample_copy,
)

httpx = pytest.importorskip("httpx", reason="httpx is needed for the live-server tests (pip install httpx)")

COOKIE = "samordna_speil"  # the mirror's device cookie (the leaders' room has its own)
GROUPS = ("ungdom:13-15", "ungdom:16-18", "ungdom:19-24", "foreldre")
ALLOWED_FIELDS = {"rom", "hvem", "pastand", "svar"}  # every field a phone ever sends: no name, code, PIN, sector, text

# what the facilitator's status says while every role is below the limit: no number at all
ALL_BELOW = {"mirror": True, "joined_ungdom": None, "finished_ungdom": None, "joined_foreldre": None,
             "finished_foreldre": None}


@pytest.fixture
def mirror(tmp_path) -> Iterator[LiveServer]:
    """``samordna live --speil`` on a private copy of the sample municipality; stopped at the end."""
    why = _live_available()
    if why:
        pytest.skip(why)
    ws_dir = sample_copy(tmp_path)
    for folder in ws_dir.glob("runder/*/speilet"):  # the sample's own youth council: these tests count every file
        shutil.rmtree(folder)
    server = LiveServer(ws_dir, extra=["--speil"])
    try:
        yield server.start()
    finally:
        server.stop()
        print(f"--- samordna live --speil printed ---\n{server.output()[-6000:]}")


def statement_ids() -> list[str]:
    return [s.id for s in shipped_mirror_bank().statements]


class MirrorPhone:
    """One phone in the mirror's room, using the pages' own forms as a browser without JavaScript would."""

    def __init__(self, server: LiveServer, name: str = "phone"):
        self.server, self.name = server, name
        self.http = httpx.Client(base_url=server.room, follow_redirects=False, timeout=10)
        self.chosen: dict[str, str] = {}

    def close(self) -> None:
        self.http.close()

    @property
    def token(self) -> str | None:
        return next((c.value for c in self.http.cookies.jar if c.name == COOKIE), None)

    def join(self, group: str) -> httpx.Response:
        page = self.http.get(f"/?rom={self.server.room_code()}")
        assert page.status_code == 200, page.text[:500]
        form = next(f for f in forms_of(page.text) if f["action"] == "/bli-med")
        assert {c["name"] for c in form["controls"] if c["name"]} <= ALLOWED_FIELDS, form
        assert group in [c["value"] for c in form["controls"] if c["type"] == "radio"]
        r = self.http.post("/bli-med", data=filled(form, {"hvem": group}))
        assert r.status_code == 303 and r.headers["location"].endswith("/svar"), (r.status_code, r.text[:500])
        assert self.token
        return r

    def answer_form(self, statement: str) -> dict[str, Any]:
        page = self.http.get(f"/svar?pastand={statement}")
        assert page.status_code == 200, page.text[:500]
        form = next(f for f in forms_of(page.text) if f["action"] == "/svar")
        assert {c["name"] for c in form["controls"] if c["name"]} <= ALLOWED_FIELDS, form
        assert not any(c["type"] in ("textarea", "text") for c in form["controls"]), "a free-text field"
        return form

    def answer(self, statement: str, value: str, expect: int = 303) -> httpx.Response:
        form = self.answer_form(statement)
        assert value in [c["value"] for c in form["controls"] if c["type"] == "radio"], value
        r = self.http.post("/svar", data=filled(form, {"svar": value}))
        assert r.status_code == expect, (self.name, statement, value, r.status_code, r.text[:500])
        if expect == 303:
            self.chosen[statement] = value
        return r


@pytest.fixture
def phones(mirror) -> Iterator[Any]:
    made: list[MirrorPhone] = []

    def make(groups: list[str]) -> list[MirrorPhone]:
        new = [MirrorPhone(mirror, f"phone{len(made) + i + 1}") for i in range(len(groups))]
        for p, g in zip(new, groups, strict=True):
            p.join(g)
        made.extend(new)
        return new

    yield make
    for p in made:
        p.close()


def status(server: LiveServer) -> dict[str, Any]:
    r = httpx.get(server.fac + "/fasilitator/status", timeout=5)
    assert r.status_code == 200
    return r.json()


def mirror_dir(server: LiveServer) -> Path:
    return server.round_dir / "speilet"


def response_of(server: LiveServer, phone: MirrorPhone) -> dict[str, Any] | None:
    """The phone's response file, found through rom.yaml (token hash → response id)."""
    devices = (load(mirror_dir(server) / "rom.yaml") or {}).get("devices") or {}
    entry = devices.get(hashlib.sha256((phone.token or "").encode()).hexdigest())
    assert entry, f"{phone.name}: its token hash is not in rom.yaml"
    assert re.fullmatch(r"S[0-9A-Z]{7}", entry["id"]), entry
    return load(mirror_dir(server) / f"{entry['id']}.yaml")


def tree(path: Path) -> dict[str, bytes]:
    return {str(p.relative_to(path)): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}


def same(stored: Any, chosen: str) -> bool:
    return str(stored) == chosen


# --- the phones --------------------------------------------------------------------------------


def test_young_people_and_parents_answer_change_and_files_equal_what_they_chose(mirror, phones):
    ids = statement_ids()
    svar_before = tree(mirror.round_dir / "svar")
    leaders_before = _leaders_levels(mirror.ws)
    groups = ["ungdom:13-15", "ungdom:16-18", "ungdom:19-24", "ungdom:13-15", "foreldre", "foreldre"]
    ps = phones(groups)
    # per role, and below the limit only «fewer than 5»: 4 young people and 2 parents show no number at all
    assert status(mirror) == ALL_BELOW
    rng = random.Random(17)
    for p in ps:
        for st in rng.sample(ids, 6):  # each answers some statements, skipping the others
            p.answer(st, rng.choice(["0", "1", "2", "3", "4", "vet_ikke"]))
    # a change replaces the earlier answer (one file per person, never a second one)
    first = next(iter(ps[0].chosen))
    new = "4" if ps[0].chosen[first] != "4" else "0"
    ps[0].answer(first, new)
    assert ps[0].chosen[first] == new

    files = sorted(p.name for p in mirror_dir(mirror).iterdir())
    assert len([f for f in files if re.fullmatch(r"S[0-9A-Z]{7}\.yaml", f)]) == 6, files
    assert set(files) - {f for f in files if re.fullmatch(r"S[0-9A-Z]{7}\.yaml", f)} == {"rom.yaml"}, files
    for p, group in zip(ps, groups, strict=True):
        data = response_of(mirror, p)
        assert data is not None
        role, _, band = group.partition(":")
        assert data["role"] == role and data.get("age_band") == (band or None), data
        assert data["source"] == "live"
        assert {k: str(v) for k, v in data["answers"].items()} == p.chosen, (p.name, data["answers"], p.chosen)
        assert set(data) <= {"format", "bank", "role", "age_band", "source", "language", "saved", "answers"}, data
    # the shipped reader takes them, and nothing went to the leaders' answers nor into their scores
    from samordna.io.mirrorfile import MirrorStore

    responses = MirrorStore(mirror.round_dir).responses(shipped_mirror_bank())
    assert sorted(r.role for r in responses) == ["foreldre"] * 2 + ["ungdom"] * 4
    assert tree(mirror.round_dir / "svar") == svar_before
    assert _leaders_levels(mirror.ws) == leaders_before


def _leaders_levels(ws: Path) -> list[tuple[str, Any, Any]]:
    from samordna.core.results import workspace_results
    from samordna.io.workspace import Workspace

    result = workspace_results(Workspace(ws), "2026")[-1]
    return [(d.id, d.level, d.score) for d in result.domains]


def test_statement_text_follows_the_role_and_the_language(mirror, phones):
    bank, bank_en = shipped_mirror_bank(), shipped_mirror_bank("en")
    st = bank.statements[0]
    young, parent = phones(["ungdom:16-18", "foreldre"])
    assert st.young in _text(young.http.get(f"/svar?pastand={st.id}").text)
    assert st.parent in _text(parent.http.get(f"/svar?pastand={st.id}").text)
    assert st.parent not in _text(young.http.get(f"/svar?pastand={st.id}").text)
    en = _text(young.http.get(f"/svar?pastand={st.id}&lang=en").text)
    assert bank_en.statement_by_id[st.id].young in en
    young.answer(st.id, "2")  # the English page's form saves the same statement
    assert response_of(mirror, young)["answers"] == {st.id: 2}  # type: ignore[index]


def _text(page: str) -> str:
    import html

    return html.unescape(re.sub(r"\s+", " ", page))


def test_skip_next_unanswered_and_finish(mirror, phones):
    ids = statement_ids()
    p = phones(["ungdom:19-24"])[0]
    first = p.http.get("/svar")
    assert f'value="{ids[0]}"' in first.text  # the first statement first
    assert '/svar?etter=' in first.text  # «Hopp over»
    skipped = p.http.get(f"/svar?etter={ids[0]}")
    assert f'value="{ids[1]}"' in skipped.text
    p.answer(ids[1], "3")
    r = p.http.post("/ferdig")
    assert r.status_code == 303 and r.headers["location"].endswith("/ferdig")
    done = p.http.get("/ferdig")
    assert done.status_code == 200 and "1" in _text(done.text)
    assert status(mirror) == ALL_BELOW
    assert response_of(mirror, p)["answers"] == {ids[1]: 3}  # type: ignore[index]


def test_join_needs_the_room_code_and_one_of_the_groups(mirror):
    code = mirror.room_code()
    with httpx.Client(base_url=mirror.room, timeout=5) as c:
        for data in ({"rom": "XXXX", "hvem": "foreldre"}, {"rom": code, "hvem": ""},
                     {"rom": code, "hvem": "ungdom"}, {"rom": code, "hvem": "ungdom:10-12"},
                     {"rom": code, "hvem": "leder"}):
            r = c.post("/bli-med", data=data)
            assert r.status_code in (400, 409), (data, r.status_code)
            assert COOKIE not in r.headers.get("set-cookie", "")
        page = c.get("/", params={"rom": '"><b>x</b>'})  # what the address carries is escaped
        assert page.status_code == 200 and '"><b>x' not in page.text and "&#34;&gt;&lt;b&gt;x" in page.text
    assert status(mirror) == ALL_BELOW


def test_own_room_code_and_cookie_httponly_strict(mirror, phones):
    leaders = load(mirror.round_dir / "rom-enheter.yaml")
    p = phones(["foreldre"])[0]
    own = load(mirror_dir(mirror) / "rom.yaml")["room"]
    assert own == mirror.room_code()
    assert not leaders or leaders.get("room") != own
    r = httpx.post(mirror.room + "/bli-med", data={"rom": own, "hvem": "foreldre"}, timeout=5)
    cookie = r.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    # the token is kept only as its hash
    assert (p.token or "") not in (mirror_dir(mirror) / "rom.yaml").read_text("utf-8")


# --- refusals ------------------------------------------------------------------------------------


def test_answers_without_token_with_forged_token_or_bad_values_are_refused(mirror, phones):
    ids = statement_ids()
    p = phones(["ungdom:13-15"])[0]
    p.answer(ids[0], "1")
    before = tree(mirror_dir(mirror))
    data = {"pastand": ids[0], "svar": "4"}
    for cookies in ({}, {COOKIE: secrets.token_urlsafe(32)},
                    {COOKIE: hashlib.sha256((p.token or "").encode()).hexdigest()}):  # the stored hash as a token
        with httpx.Client(base_url=mirror.room, timeout=5, cookies=cookies) as c:
            assert c.post("/svar", data=data).status_code == 409, cookies
    for bad in ({"pastand": ids[0], "svar": "5"}, {"pastand": ids[0], "svar": "ikke_relevant"},
                {"pastand": ids[0], "svar": ""}, {"pastand": "LED-03", "svar": "2"},
                {"pastand": "../../svar/X", "svar": "2"}):
        assert p.http.post("/svar", data=bad).status_code == 400, bad
    assert tree(mirror_dir(mirror)) == before


def test_foreign_origin_and_host_are_refused(mirror, phones):
    ids = statement_ids()
    p = phones(["foreldre"])[0]
    p.answer(ids[0], "1")
    before = tree(mirror_dir(mirror))
    for headers in ({"Origin": "http://evil.example"}, {"Origin": f"http://{FAC_HOST}:{mirror.port}"},
                    {"Origin": "null"}, {"Host": "evil.example"}, {"Host": f"{ROOM_HOST}:{mirror.port + 1}"}):
        r = p.http.post("/svar", data={"pastand": ids[0], "svar": "3"}, headers=headers)
        assert r.status_code == 409, (headers, r.status_code)
        assert p.http.post("/ferdig", headers=headers).status_code == 409
    assert tree(mirror_dir(mirror)) == before
    r = httpx.post(mirror.room + "/bli-med", data={"rom": mirror.room_code(), "hvem": "foreldre"},
                   headers={"Origin": "http://evil.example"}, timeout=5)
    assert r.status_code != 303 and COOKIE not in r.headers.get("set-cookie", "")
    p.http.post("/svar", data={"pastand": ids[0], "svar": "3"}, headers={"Origin": mirror.room})
    assert response_of(mirror, p)["answers"] == {ids[0]: 3}  # type: ignore[index]


def test_facilitator_routes_are_404_through_the_room_address(mirror):
    for path in ("/fasilitator/", "/fasilitator/status", "/fasilitator/skjerm"):
        r = httpx.get(mirror.room + path, timeout=5)
        assert r.status_code == 404, (path, r.status_code)
        assert "joined" not in r.text
    r = httpx.get(mirror.room + "/fasilitator/status", headers={"Host": f"{FAC_HOST}:{mirror.port}"}, timeout=5)
    assert r.status_code in (400, 404), r.status_code
    # and the facilitator's listener takes no foreign Host (DNS rebinding)
    r = httpx.get(mirror.fac + "/fasilitator/status", headers={"Host": f"{ROOM_HOST}:{mirror.port}"}, timeout=5)
    assert r.status_code in (400, 404)


def test_security_headers_on_every_page(mirror, phones):
    p = phones(["ungdom:13-15"])[0]
    for r in (p.http.get("/"), p.http.get("/svar"), p.http.get("/ferdig"),
              httpx.get(mirror.fac + "/fasilitator/skjerm", timeout=5)):
        assert "default-src 'self'" in r.headers["content-security-policy"]
        assert r.headers["x-frame-options"] == "DENY" and "strict-transport-security" not in r.headers
        if r.url.host == ROOM_HOST:
            assert "<script" not in r.text  # the phone's pages: plain forms, no JavaScript


def test_rate_limit_per_token(mirror, phones):
    ids = statement_ids()
    p = phones(["ungdom:13-15"])[0]
    form = filled(p.answer_form(ids[0]), {"svar": "2"})
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(10) as pool:
        codes = list(pool.map(lambda _: p.http.post("/svar", data=form).status_code, range(30)))
    assert 429 in codes and set(codes) <= {303, 429}, codes


@pytest.mark.slow
def test_token_cap_per_room(mirror):
    code = mirror.room_code()
    with httpx.Client(base_url=mirror.room, timeout=10) as c:
        statuses = []
        for _ in range(201):
            c.cookies.clear()
            statuses.append(c.post("/bli-med", data={"rom": code, "hvem": "foreldre"}).status_code)
    assert statuses[:200] == [303] * 200 and statuses[200] == 409, statuses[195:]
    assert status(mirror)["joined_foreldre"] == 200 and status(mirror)["joined_ungdom"] is None
    assert not list(mirror_dir(mirror).glob("S*.yaml"))  # joining alone makes no response (no empty group members)


def test_big_screen_and_facilitator_show_counts_of_people_never_answers(mirror, phones):
    ids = statement_ids()
    bank = shipped_mirror_bank()
    ps = phones(["ungdom:13-15"] * 5 + ["foreldre"] * 4)
    for p in ps:
        p.answer(ids[0], "0")
        p.http.post("/ferdig")
    # 5 young people are counted; the 4 parents are «fewer than 5», and no total of 9 lets them be worked out
    assert status(mirror) == {"mirror": True, "joined_ungdom": 5, "finished_ungdom": 5, "joined_foreldre": None,
                              "finished_foreldre": None}
    for path in ("/fasilitator/", "/fasilitator/skjerm"):
        page = _text(httpx.get(mirror.fac + path, timeout=5).text)
        assert mirror.room_code() in page and "<svg" in page  # QR code, address and room code
        for st in bank.statements:  # no statement, no answer, no group's size
            assert st.young not in page and st.parent not in page
        assert bank.level_names[0] not in page
        words = re.sub(r"<[^>]+>", " ", re.sub(r"<svg.*?</svg>|<head>.*?</head>", "", page))
        # the 5 young people may be counted; the 4 parents and the 9 in all never are
        assert not re.search(r"\b[49]\b", re.sub(r"http://\S+", "", words)), "the parents' size or a total on " + path
        assert "færre enn 5" in words
    screen = _text(httpx.get(mirror.fac + "/fasilitator/skjerm", timeout=5).text)
    assert "Ingen svar vises her" in screen


# --- both rooms at once ------------------------------------------------------------------------------


def test_leaders_room_and_mirror_run_at_the_same_time(tmp_path):
    why = _live_available()
    if why:
        pytest.skip(why)
    ws = sample_copy(tmp_path)
    port = free_port()
    leaders = LiveServer(ws, port=port)
    mirror = LiveServer(ws, port=free_port(), extra=["--speil"])
    mirror.log = ws.parent / f"mirror-{mirror.port}.log"
    try:
        leaders.start()
        mirror.start()
        assert leaders.room_code() != mirror.room_code()
        assert status(mirror)["mirror"] is True
        assert "mirror" not in httpx.get(leaders.fac + "/fasilitator/status", timeout=5).json()
        p = MirrorPhone(mirror)
        p.join("foreldre")
        p.answer(statement_ids()[0], "2")
        # the mirror's room code does not open the leaders' room, nor the other way round
        r = httpx.post(leaders.room + "/bli-med", data={"rom": mirror.room_code(), "sektor": "barnehage"}, timeout=5)
        assert r.status_code != 303
        r = httpx.post(mirror.room + "/bli-med", data={"rom": leaders.room_code(), "hvem": "foreldre"}, timeout=5)
        assert r.status_code != 303
        p.close()
        # one phone in both rooms (a facilitator trying them out): neither room forgets it
        with httpx.Client(timeout=5) as both:
            r = both.post(leaders.room + "/bli-med", data={"rom": leaders.room_code(), "sektor": "barnehage"})
            assert r.status_code == 303, r.text[:300]
            r = both.post(mirror.room + "/bli-med", data={"rom": mirror.room_code(), "hvem": "ungdom:16-18"})
            assert r.status_code == 303, r.text[:300]
            assert both.get(leaders.room + "/stem").status_code == 200
            assert both.get(mirror.room + "/svar").status_code == 200
        assert status(mirror)["joined_ungdom"] is None  # one phone: below the limit
    finally:
        mirror.stop()
        leaders.stop()


def test_phone_keeps_its_response_after_a_restart(mirror, phones):
    ids = statement_ids()
    p = phones(["ungdom:16-18"])[0]
    p.answer(ids[0], "1")
    mirror.kill9()
    mirror.start()
    p.answer(ids[1], "vet_ikke")
    assert response_of(mirror, p)["answers"] == {ids[0]: 1, ids[1]: "vet_ikke"}  # type: ignore[index]
    assert len(list(mirror_dir(mirror).glob("S*.yaml"))) == 1


def test_sjekk_prints_the_mirrors_address_and_room_code(tmp_path):
    from conftest import run_cli

    ws = sample_copy(tmp_path)
    res = run_cli(["live", ws, "--speil", "--sjekk", "--host", "127.0.0.2"])
    assert res.exit_code == 0, res.output
    code = load(ws / "runder" / "2026" / "speilet" / "rom.yaml")["room"]
    assert f"http://127.0.0.2:8026/?rom={code}" in res.output


# --- in a browser: axe-core and the 360 px screenshot --------------------------------------------------


@pytest.mark.slow
def test_phone_pages_in_chromium_pass_axe_core(mirror):
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright
    axe_mod = pytest.importorskip("axe_playwright_python.sync_playwright")
    if not Path(chromium).exists():
        pytest.skip("no chromium")
    found: dict[str, list[str]] = {}

    def check(page: Any, what: str) -> None:
        results = axe_mod.Axe().run(page)
        found[what] = [f"{v['id']} ({v['impact']}): {v['help']}" for v in results.response["violations"]
                       if v.get("impact") in ("serious", "critical")]

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        ctx = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
        page = ctx.new_page()
        page.goto(f"{mirror.room}/?rom={mirror.room_code()}")
        check(page, "join")
        page.locator("input[name=hvem][value='ungdom:13-15']").check()
        page.locator("form[action='/bli-med'] [type=submit]").click()
        page.wait_for_url(re.compile(r"/svar$"))
        check(page, "answer (first, with the intro)")
        shot = Path("/tmp/work/b17")
        if shot.is_dir():
            page.screenshot(path=str(shot / "mirror-phone-360.png"), full_page=True)
        page.locator("input[name=svar][value='3']").check()
        page.locator("form[action='/svar'] [type=submit]").click()
        page.wait_for_url(re.compile(r"lagret=1"))
        check(page, "answer (saved)")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        small = browser.new_context(viewport={"width": 320, "height": 640})
        narrow = small.new_page()
        narrow.context.add_cookies(ctx.cookies())
        narrow.goto(f"{mirror.room}/svar")
        assert narrow.evaluate("document.documentElement.scrollWidth") <= 320, "sideways scrolling at 320 px"
        page.goto(f"{mirror.room}/svar?lang=nn")
        check(page, "answer (nn)")
        page.locator("form[action='/ferdig'] [type=submit]").click()
        page.wait_for_url(re.compile(r"/ferdig$"))
        check(page, "done")
        page.goto(f"{mirror.room}/svar?pastand=nothing&lang=en")
        check(page, "answer (en)")
        fac = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
        fac.goto(f"{mirror.fac}/fasilitator/")
        check(fac, "facilitator")
        fac.goto(f"{mirror.fac}/fasilitator/skjerm")
        check(fac, "big screen")
        if shot.is_dir():
            fac.screenshot(path=str(shot / "mirror-screen.png"))
        browser.close()
    print("\naxe-core serious/critical per page:", {k: len(v) for k, v in found.items()})
    assert not any(found.values()), found
