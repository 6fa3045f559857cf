"""`samordna live` in a real browser (issue 16): Debian's Chromium through Playwright, several browser
contexts acting as phones (360 px wide), one as the facilitator on 127.0.0.1 and one as the big screen.

Join, answer, hidden until reveal, change before lock, refused after lock (a phone without JavaScript that
still shows the form), re-vote, consensus recorded from the facilitator page; the workspace files afterwards
equal what the phones chose. axe-core (axe_playwright_python) finds no serious or critical issue on any page.

Set LIVE_SCREENSHOTS=/some/folder to keep the screenshots (phone at 360 px, big screen before and after
reveal) for the note.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from test_live_server import (
    FAC_HOST,
    INDICATOR,
    LEGAL,
    ROOM_HOST,
    SECTOR,
    Facilitator,
    LiveServer,
    answer_files,
    code_of,
    load,
    revote_counts,
    same_value,
    stored_answer,
)

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None  # type: ignore[assignment]
try:
    from axe_playwright_python.sync_playwright import Axe
except ImportError:  # pragma: no cover
    Axe = None  # type: ignore[assignment,misc]

if sync_playwright is None:
    pytest.skip("playwright is not installed (pip install playwright): the browser tests did not run",
                allow_module_level=True)
if CHROMIUM is None:
    pytest.skip("no chromium on PATH (apt install chromium): the browser tests did not run", allow_module_level=True)

PHONE = {"width": 360, "height": 740}
SHOTS = os.environ.get("LIVE_SCREENSHOTS")


class FakeCookie:
    """A phone's token as ``code_of`` wants it (``.token``)."""

    def __init__(self, token: str, name: str):
        self.token, self.name = token, name


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture
def fac(live) -> Iterator[Facilitator]:
    f = Facilitator(live)
    yield f
    f.close()


def axe_check(page: Any, what: str, found: dict[str, list[str]]) -> None:
    """Run axe-core on the page; remember serious and critical violations under ``what``."""
    assert Axe is not None, "axe-playwright-python is not installed"
    results = Axe().run(page)
    bad = [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
           for v in results.response["violations"] if v.get("impact") in ("serious", "critical")]
    found[what] = bad


def shot(page: Any, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def phone_context(browser: Any, lang: str | None = None, js: bool = True) -> Any:
    ctx = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, java_script_enabled=js,
                              locale={"nn": "nn-NO", "en": "en-GB"}.get(lang or "", "nb-NO"))
    ctx.set_default_timeout(10_000)
    return ctx


def nav(page: Any, url: str) -> None:
    """Go to ``url``; the page's own script may reload it at the same moment (an event from the server)."""
    for attempt in range(5):
        try:
            page.goto(url)
            page.wait_for_load_state()
            return
        except Exception as exc:  # playwright's Error: "interrupted by another navigation"
            if "interrupted" not in str(exc) or attempt == 4:
                raise
            page.wait_for_timeout(200)


def join(page: Any, live: LiveServer, sector: str = SECTOR) -> None:
    nav(page, f"{live.room}/?rom={live.room_code()}")
    sel = page.locator("select[name=sektor]")
    if sel.count():
        sel.select_option(sector)
    else:
        page.locator(f"input[name=sektor][value='{sector}']").check()
    page.locator("form:has([name=sektor]) [type=submit]").first.click()
    page.wait_for_url(re.compile(r"/stem$"))


def token_of(page: Any) -> str:
    for c in page.context.cookies():
        if c["name"] == "samordna_enhet":
            assert c["httpOnly"] and c["sameSite"] == "Strict", c
            return c["value"]
    raise AssertionError("no samordna_enhet cookie in the phone's browser")


def vote(page: Any, value: str, reload: bool = True) -> None:
    if reload:
        nav(page, page.url.split("?")[0])
    page.locator(f"input[type=radio][value='{value}']").check()
    button = page.locator("form:has(input[type=radio]) [type=submit]")
    if button.count():
        button.first.click()
    page.wait_for_load_state()


def visible_text(page: Any) -> str:
    return page.locator("body").inner_text()


def test_phones_in_a_browser_end_to_end(browser, live, fac):
    axe: dict[str, list[str]] = {}
    before = answer_files(live)

    # the join page, in every language, at 360 px (and no sideways scrolling at 320 px)
    ctxs = [phone_context(browser) for _ in range(3)]
    pages = [c.new_page() for c in ctxs]
    nav(pages[0], f"{live.room}/?rom={live.room_code()}")
    axe_check(pages[0], "join (nb)", axe)
    shot(pages[0], "phone-join-360")
    for lang in ("nn", "en"):
        nav(pages[0], f"{live.room}/?rom={live.room_code()}&lang={lang}")
        assert pages[0].locator("html").get_attribute("lang") == lang
        axe_check(pages[0], f"join ({lang})", axe)
    nav(pages[0], f"{live.room}/?rom={live.room_code()}&lang=nb")
    pages[0].set_viewport_size({"width": 320, "height": 640})
    assert pages[0].evaluate("document.documentElement.scrollWidth <= 320"), "the join page scrolls sideways at 320 px"
    pages[0].set_viewport_size(PHONE)

    for page in pages:
        join(page, live)
    axe_check(pages[0], "waiting page", axe)
    tokens = [token_of(p) for p in pages]
    codes = [code_of(live, FakeCookie(t, f"phone{i}")) for i, t in enumerate(tokens)]  # type: ignore[arg-type]
    assert len(set(codes)) == 3

    # the big screen and the facilitator page in their own (desktop) contexts
    screen_ctx = browser.new_context(viewport={"width": 1280, "height": 800})
    screen = screen_ctx.new_page()
    nav(screen, f"{live.fac}/fasilitator/skjerm")
    assert live.room_code() in visible_text(screen), "the room code is not on the big screen"
    assert screen.locator("svg, img").count(), "no QR code on the big screen"
    fac_ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    fac_page = fac_ctx.new_page()
    nav(fac_page, f"{live.fac}/fasilitator/")
    axe_check(fac_page, "facilitator page", axe)

    fac.open(INDICATOR)
    for page in pages:
        nav(page, f"{live.room}/stem")
        assert page.locator("input[type=radio]").count() >= 6
    # every control is labelled, touch targets are large
    labels = pages[0].evaluate("""() => [...document.querySelectorAll('input[type=radio]')].map(
        r => (r.labels && r.labels.length ? r.labels[0].getBoundingClientRect().height : 0))""")
    assert all(h >= 24 for h in labels), f"radio labels too small for a finger: {labels}"
    axe_check(pages[0], "voting page (indicator)", axe)
    shot(pages[0], "phone-stem-360")
    pages[0].set_viewport_size({"width": 320, "height": 640})
    assert pages[0].evaluate("document.documentElement.scrollWidth <= 320"), "the voting page scrolls at 320 px"
    pages[0].set_viewport_size(PHONE)

    # a phone without JavaScript shows the plain form; it will try to vote after lock
    nojs_ctx = phone_context(browser, js=False)
    nojs = nojs_ctx.new_page()
    join(nojs, live)
    nav(nojs, f"{live.room}/stem")
    code_nojs = code_of(live, FakeCookie(token_of(nojs), "nojs"))  # type: ignore[arg-type]

    nav(screen, f"{live.fac}/fasilitator/skjerm")
    screen_before = visible_text(screen)
    shot(screen, "screen-before-reveal")
    axe_check(screen, "big screen before reveal", axe)

    chosen = ["1", "3", "3"]
    for page, v in zip(pages, chosen, strict=True):
        vote(page, v)
    vote(nojs, "2", reload=False)  # plain HTML form, no JavaScript
    assert fac.status()["answered"] == 4
    vote(pages[0], "4")  # change before lock
    chosen[0] = "4"
    assert fac.status()["answered"] == 4

    # hidden until reveal: the big screen and the phones show no values
    nav(screen, f"{live.fac}/fasilitator/skjerm")
    assert visible_text(screen) == screen_before, "the big screen changed before reveal"
    for page in pages:
        nav(page, f"{live.room}/stem")
        text = visible_text(page)
        assert not re.search(r"\b\d+\s*(svar|stemmer|answers|votes)\b", text, re.I), text

    nav(nojs, f"{live.room}/stem")  # the form, shown while open …
    fac.act("lock", INDICATOR)
    nojs.locator("input[type=radio][value='0']").check()
    hidden = nojs.locator("form:has(input[type=radio]) input[type=hidden]")
    fields = {hidden.nth(i).get_attribute("name"): hidden.nth(i).get_attribute("value") for i in range(hidden.count())}
    fields[nojs.locator("input[type=radio]").first.get_attribute("name")] = "0"
    response_codes: list[int] = []
    nojs.on("response", lambda r: response_codes.append(r.status) if r.request.method == "POST" else None)
    nojs.locator("form:has(input[type=radio]) [type=submit]").first.click()
    nojs.wait_for_load_state()
    assert 409 in response_codes, f"a vote after lock was not refused with 409: {response_codes}"
    # the same refusal in a phone with JavaScript, for axe-core (which cannot run where scripts are off)
    nav(pages[2], f"{live.room}/stem")
    pages[2].evaluate("""fields => { const f = document.createElement('form'); f.method = 'post'; f.action = '/stem';
        for (const [k, v] of Object.entries(fields)) { const i = document.createElement('input'); i.type = 'hidden';
            i.name = k; i.value = v; f.appendChild(i); }
        const b = document.createElement('button'); b.type = 'submit'; b.id = 'test-replay'; b.textContent = 'x';
        f.appendChild(b); document.body.appendChild(f); }""", fields)
    with pages[2].expect_response(lambda r: r.request.method == "POST") as posted:
        pages[2].locator("#test-replay").click()
    assert posted.value.status == 409, posted.value.status
    pages[2].wait_for_load_state()
    assert "/stem" in pages[2].url
    axe_check(pages[2], "refusal page (409)", axe)
    assert same_value(stored_answer(live, code_nojs, INDICATOR), "2")

    fac.act("reveal", INDICATOR)
    nav(screen, f"{live.fac}/fasilitator/skjerm")
    assert visible_text(screen) != screen_before, "the big screen shows no distribution after reveal"
    shot(screen, "screen-after-reveal")
    axe_check(screen, "big screen after reveal", axe)
    nav(fac_page, f"{live.fac}/fasilitator/")
    axe_check(fac_page, "facilitator page after reveal", axe)

    # re-vote: phones vote again, stored as counts beside the first answers
    first_files = answer_files(live)
    fac.act("revote", INDICATOR)
    if fac.status()["phase"] != "open":
        fac.act("open", INDICATOR)
    for page, v in zip(pages, ("3", "3", "3"), strict=True):
        vote(page, v)
    vote(nojs, "2")
    assert fac.wait_for("answered", 4)
    fac.act("lock", INDICATOR)
    assert answer_files(live) == first_files
    assert {k: v for k, v in revote_counts(live, INDICATOR).items() if v} == {"3": 3, "2": 1}
    fac.act("reveal", INDICATOR)
    nav(screen, f"{live.fac}/fasilitator/skjerm")
    shot(screen, "screen-after-revote")
    axe_check(screen, "big screen before/after re-vote", axe)

    # consensus with the keyboard on the facilitator page
    nav(fac_page, f"{live.fac}/fasilitator/")
    form = fac_page.locator("form:has(textarea)").filter(has=fac_page.locator("[name*=rationale], [name*=begrunn]"))
    assert form.count(), "no consensus form on the facilitator page"
    form = form.first
    level = form.locator("[name*=level], [name*=niv]").first
    if level.evaluate("e => e.tagName") == "SELECT":
        level.select_option("3")
    else:
        form.locator("input[type=radio][value='3']").first.check()
    form.locator("[name*=rationale], [name*=begrunn]").first.fill("Planen er kjent i tjenestene.")
    dissent = form.locator("[name*=dissent], [name*=dissens]")
    if dissent.count():
        dissent.first.fill("Skolen mener nivå 2.")
    form.locator("[name*=rationale], [name*=begrunn]").first.press("Tab")
    form.locator("[type=submit]").first.click()
    fac_page.wait_for_load_state()
    entry = (load(live.round_dir / "konsensus.yaml") or {}).get("entries", {}).get(INDICATOR)
    assert entry and entry["level"] == 3 and entry["rationale"] == "Planen er kjent i tjenestene.", entry

    # a legal item too, answered on the phones
    fac.open(LEGAL)
    for page, v in zip(pages, ("ja", "nei", "vet_ikke"), strict=True):
        vote(page, v)
    axe_check(pages[0], "voting page (legal item)", axe)
    fac.act("lock", LEGAL)

    # the workspace files equal what the phones chose
    after = answer_files(live)
    assert {k: v for k, v in after.items() if k in before} == before
    for code, v, legal in zip(codes, chosen, ("ja", "nei", "vet_ikke"), strict=True):
        assert same_value(stored_answer(live, code, INDICATOR), v), (code, v)
        assert same_value(stored_answer(live, code, LEGAL), legal), (code, legal)

    for lang in ("nn", "en"):  # the phone pages in the other languages
        nav(pages[1], f"{live.room}/stem?lang={lang}")
        assert pages[1].locator("html").get_attribute("lang") == lang
        axe_check(pages[1], f"phone page ({lang})", axe)

    for c in (*ctxs, nojs_ctx, screen_ctx, fac_ctx):
        c.close()
    serious = {k: v for k, v in axe.items() if v}
    print("\naxe-core serious/critical per page:", {k: len(v) for k, v in axe.items()})
    assert not serious, "axe-core found serious or critical issues:\n" + "\n".join(
        f"{k}: {v}" for k, v in serious.items())


def test_phone_reconnects_when_visible_again(browser, live, fac):
    """A phone that slept (its event stream dead) re-fetches the state when it becomes visible again."""
    ctx = phone_context(browser)
    page = ctx.new_page()
    join(page, live)
    nav(page, f"{live.room}/stem")
    assert page.locator("input[type=radio]").count() == 0  # nothing open yet: waiting page
    fac.open(INDICATOR)
    page.wait_for_selector("input[type=radio]", timeout=8000)  # the event stream brought the open statement
    page.route("**/hendelser*", lambda route: route.abort())  # asleep: no events reach the phone
    nav(page, f"{live.room}/stem")
    assert page.locator("input[type=radio]").count() > 0
    fac.act("lock", INDICATOR)
    page.wait_for_timeout(1000)
    assert page.locator("input[type=radio]").count() > 0, "the page changed without events (test set-up)"
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(r.url))
    with contextlib.suppress(Exception):  # the page may reload itself at once (the state changed while hidden)
        page.evaluate("""() => {
            Object.defineProperty(document, 'visibilityState', {value: 'hidden', configurable: true});
            Object.defineProperty(document, 'hidden', {value: true, configurable: true});
            document.dispatchEvent(new Event('visibilitychange'));
            Object.defineProperty(document, 'visibilityState', {value: 'visible', configurable: true});
            Object.defineProperty(document, 'hidden', {value: false, configurable: true});
            document.dispatchEvent(new Event('visibilitychange'));
        }""")
    page.wait_for_selector("input[type=radio]", state="detached", timeout=5000)  # the waiting page now
    assert any("/tilstand" in u for u in fetched), f"no /tilstand fetched when visible again: {fetched}"
    ctx.close()


def test_facilitator_pages_not_reachable_from_a_phone(browser, live):
    ctx = phone_context(browser)
    for path in ("/fasilitator/", "/fasilitator/skjerm", "/fasilitator/status"):
        r = ctx.request.get(f"http://{ROOM_HOST}:{live.port}{path}", max_redirects=0)  # the phone's cookies
        assert r.status in (403, 404), (path, r.status)
        assert "answered" not in r.text()
    ctx.close()
    assert FAC_HOST == "127.0.0.1"
