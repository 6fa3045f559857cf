"""`samordna live` under a room's load: 40 simulated phones answer every statement of the round (issue 16).

    python benchmarks/bench_live.py                        # 40 phones, every statement of the sample's 2026 round
    python benchmarks/bench_live.py --phones 40 --statements 10 --time-limit 120

Not a test: it starts `python -m samordna live` on a copy of the sample municipality in a temporary folder,
with the room on 127.0.0.2 and the facilitator on 127.0.0.1 (loopback only), and stops by itself (after the
last statement or the time limit), then removes the folder.

Per statement the facilitator opens voting (`POST /fasilitator/handling`, goto + open); every phone (its own
httpx client and cookie) reads `/stem` and sends its answer, as a browser without JavaScript does, after a
random pause of up to --spread seconds (people do not all press at once); then the facilitator locks and
reveals, and the big screen and the facilitator's page are fetched (each draws the distribution chart).
Meanwhile the facilitator's count is watched twice: `GET /fasilitator/status` every --poll seconds
and the `/fasilitator/hendelser` stream. The count latency of the k-th confirmed vote (303) of a statement is
the time from its confirmation until the facilitator first sees `answered >= k` (0 if it saw it before the
phone had its answer). The server's memory is its resident set (VmRSS) sampled every 0.1 s, and its VmHWM.

At the end every phone's answers are read back from the workspace (svar/<code>.yaml, the code found through
the sha256 of its token in rom-enheter.yaml) and compared with what the phone chose.
Targets (the issue): every vote recorded, count latency p95 under 1 s, server memory under 150 MB.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import hashlib
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import httpx
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "cli"))
ROOM_HOST, FAC_HOST = "127.0.0.2", "127.0.0.1"
COOKIE = "samordna_enhet"
SECTORS = ["barnehage", "grunnskole", "helsestasjon", "barnevern", "nav"]


def free_port() -> int:
    for _ in range(50):
        with socket.socket() as s:
            s.bind((ROOM_HOST, 0))
            port = s.getsockname()[1]
        try:
            with socket.socket() as s:
                s.bind((FAC_HOST, port))
            return port
        except OSError:
            continue
    raise RuntimeError("no free port")


def answers_port(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.3):
            return True
    except OSError:
        return False


class VoteForm(HTMLParser):
    """The POST form with radio buttons on /stem: its action, hidden fields and the radio name and values."""

    def __init__(self) -> None:
        super().__init__()
        self.in_form = False
        self.action = "/stem"
        self.hidden: dict[str, str] = {}
        self.radio_name = ""
        self.values: list[str] = []
        self._cur: dict[str, Any] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag == "form" and a.get("method", "").lower() == "post":
            self.in_form = True
            self._cur = {"action": a.get("action") or "/stem", "hidden": {}, "radio": "", "values": []}
        elif tag == "input" and self.in_form:
            if a.get("type") == "radio":
                self._cur["radio"] = a.get("name", "")
                self._cur["values"].append(a.get("value", ""))
            elif a.get("type") == "hidden" and a.get("name"):
                self._cur["hidden"][a["name"]] = a.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self.in_form:
            self.in_form = False
            if self._cur["values"] and not self.values:
                self.action, self.hidden = self._cur["action"], self._cur["hidden"]
                self.radio_name, self.values = self._cur["radio"], self._cur["values"]


def percentile(xs: list[float], p: float) -> float:
    if not xs:
        return float("nan")
    xs = sorted(xs)
    k = max(0, min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1)))))
    return xs[k]


class Memory(threading.Thread):
    """VmRSS of the server process (and any children), every 0.1 s."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_kb = 0
        self.samples: list[int] = []
        self.stop = threading.Event()

    @staticmethod
    def rss_kb(pid: int) -> int:
        total = 0
        pids = [pid]
        with contextlib.suppress(OSError):
            for child in Path(f"/proc/{pid}/task").iterdir():
                kids = Path(f"/proc/{pid}/task/{child.name}/children").read_text().split()
                pids += [int(k) for k in kids]
        for p in pids:
            with contextlib.suppress(OSError):
                for line in Path(f"/proc/{p}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        return total

    def hwm_kb(self) -> int:
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
        return 0

    def run(self) -> None:
        while not self.stop.is_set():
            kb = self.rss_kb(self.pid)
            if kb:
                self.samples.append(kb)
                self.peak_kb = max(self.peak_kb, kb)
            time.sleep(0.1)


class Watch:
    """What the facilitator saw: (time, statement, answered) from polling and from the event stream."""

    def __init__(self) -> None:
        self.polled: list[tuple[float, str | None, int]] = []
        self.streamed: list[tuple[float, str | None, int]] = []


async def poll_status(fac: httpx.AsyncClient, watch: Watch, every: float, stop: asyncio.Event) -> None:
    while not stop.is_set():
        with contextlib.suppress(httpx.HTTPError):
            st = (await fac.get("/fasilitator/status")).json()
            watch.polled.append((time.monotonic(), st.get("statement"), int(st.get("answered", 0))))
        await asyncio.sleep(every)


async def stream_status(base: str, watch: Watch, stop: asyncio.Event) -> None:
    with contextlib.suppress(Exception):
        async with httpx.AsyncClient(base_url=base, timeout=httpx.Timeout(10, read=None)) as c, \
                c.stream("GET", "/fasilitator/hendelser") as r:
            async for line in r.aiter_lines():
                if stop.is_set():
                    return
                if line.startswith("data:"):
                    with contextlib.suppress(ValueError, TypeError):
                        st = json.loads(line[5:])
                        if isinstance(st, dict) and "answered" in st:
                            watch.streamed.append((time.monotonic(), st.get("statement"), int(st["answered"])))


def count_latencies(done: list[float], seen: list[tuple[float, str | None, int]], statement: str) -> list[float]:
    """For the k-th confirmed vote: the time until the facilitator first saw answered >= k (0 if before)."""
    obs = [(t, n) for t, s, n in seen if s == statement]
    out = []
    for k, t_done in enumerate(sorted(done), start=1):
        first = next((t for t, n in obs if n >= k), None)
        out.append(float("inf") if first is None else max(0.0, first - t_done))
    return out


async def run(args: argparse.Namespace) -> int:
    from samordna.io.workspace import Workspace

    tmp = Path(tempfile.mkdtemp(prefix="bench-live-"))
    ws = tmp / "eksempeldal"
    shutil.copytree(ROOT / "sample_municipality", ws)
    rnd = list(Workspace(ws).rounds())[-1]
    statements = list(rnd.bank.item_ids)
    if args.statements:
        statements = statements[: args.statements]
    round_dir = rnd.dir
    port = free_port()
    log = tmp / "live.log"
    env = dict(os.environ, PYTHONUNBUFFERED="1", PYTHONPATH=str(ROOT / "cli"), HOME=str(tmp), NO_COLOR="1")
    t_start = time.monotonic()
    deadline = t_start + args.time_limit
    with log.open("w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "samordna", "live", str(ws), "--host", ROOM_HOST,
                                 "--port", str(port), "--no-browser"], stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, env=env, start_new_session=True)
    mem = Memory(proc.pid)
    result = 1
    try:
        while not (answers_port(ROOM_HOST, port) and answers_port(FAC_HOST, port)):
            if proc.poll() is not None or time.monotonic() > t_start + 30:
                print(log.read_text()[-3000:])
                raise SystemExit("samordna live did not start")
            await asyncio.sleep(0.1)
        started = time.monotonic() - t_start
        mem.start()
        rss_idle = Memory.rss_kb(proc.pid)
        m = re.search(r"[?&]rom=([A-Za-z0-9_-]+)", log.read_text())
        room_code = m.group(1) if m else ""
        room, facb = f"http://{ROOM_HOST}:{port}", f"http://{FAC_HOST}:{port}"
        limits = httpx.Limits(max_connections=4, max_keepalive_connections=2)
        phones = [httpx.AsyncClient(base_url=room, timeout=30, limits=limits) for _ in range(args.phones)]
        fac = httpx.AsyncClient(base_url=facb, timeout=30)
        if not room_code:
            m = re.search(r"[?&]rom=([A-Za-z0-9_-]+)", (await fac.get("/fasilitator/skjerm")).text)
            room_code = m.group(1) if m else ""
        rng = random.Random(args.seed)

        async def join(i: int, c: httpx.AsyncClient) -> None:
            r = await c.post("/bli-med", data={"rom": room_code, "sektor": SECTORS[i % len(SECTORS)]})
            if r.status_code != 303:
                raise SystemExit(f"phone {i} could not join: {r.status_code} {r.text[:300]}")

        t0 = time.monotonic()
        await asyncio.gather(*(join(i, c) for i, c in enumerate(phones)))
        join_time = time.monotonic() - t0

        watch = Watch()
        stop = asyncio.Event()
        poller = asyncio.create_task(poll_status(fac, watch, args.poll, stop))
        streamer = asyncio.create_task(stream_status(facb, watch, stop))
        chosen: list[dict[str, str]] = [{} for _ in phones]
        post_times: list[float] = []
        poll_lat: list[float] = []
        sse_lat: list[float] = []
        reveal_pages: list[float] = []  # the big screen and the facilitator's page after each reveal (with the chart)
        sent = ok = refused = 0
        others: dict[int, int] = {}
        finished = 0

        retries = 0

        async def request(c: httpx.AsyncClient, method: str, url: str, **kw: Any) -> httpx.Response:
            """As a browser does: a request on a kept-alive connection the server closed meanwhile is sent again
            (the server never read it); counted as a retry."""
            nonlocal retries
            try:
                return await c.request(method, url, **kw)
            except httpx.RemoteProtocolError:
                retries += 1
                return await c.request(method, url, **kw)

        async def vote(i: int, c: httpx.AsyncClient, statement: str, done: list[float]) -> None:
            nonlocal sent, ok, refused
            await asyncio.sleep(rng.random() * args.spread)
            page = await request(c, "GET", "/stem")
            form = VoteForm()
            form.feed(page.text)
            if not form.values:
                others[page.status_code] = others.get(page.status_code, 0) + 1
                return
            value = rng.choice(form.values)
            data = dict(form.hidden)
            data[form.radio_name] = value
            sent += 1
            t = time.monotonic()
            r = await request(c, "POST", form.action, data=data)
            t_done = time.monotonic()
            post_times.append(t_done - t)
            if r.status_code == 303:
                ok += 1
                chosen[i][statement] = value
                done.append(t_done)
            elif r.status_code in (409, 429):
                refused += 1
            else:
                others[r.status_code] = others.get(r.status_code, 0) + 1

        for statement in statements:
            if time.monotonic() > deadline:
                print(f"time limit reached after {finished} statements")
                break
            await fac.post("/fasilitator/handling", data={"action": "goto", "statement": statement})
            r = await fac.post("/fasilitator/handling", data={"action": "open", "statement": statement})
            st = (await fac.get("/fasilitator/status")).json()
            if (st.get("statement"), st.get("phase")) != (statement, "open"):
                print(f"could not open {statement}: {r.status_code} {st}")
                continue
            done: list[float] = []
            await asyncio.gather(*(vote(i, c, statement, done) for i, c in enumerate(phones)))
            settle = time.monotonic() + 3
            while time.monotonic() < settle:
                if watch.polled and watch.polled[-1][2] >= len(done) and watch.polled[-1][1] == statement:
                    break
                await asyncio.sleep(args.poll)
            await asyncio.sleep(args.poll * 2)
            poll_lat += count_latencies(done, watch.polled, statement)
            if watch.streamed:
                sse_lat += count_latencies(done, watch.streamed, statement)
            await fac.post("/fasilitator/handling", data={"action": "lock", "statement": statement})
            await fac.post("/fasilitator/handling", data={"action": "reveal", "statement": statement})
            for page in ("/fasilitator/skjerm", "/fasilitator/"):  # the big screen and the facilitator draw the chart
                t_page = time.monotonic()
                await fac.get(page)
                reveal_pages.append(time.monotonic() - t_page)
            finished += 1
        stop.set()
        poller.cancel()
        streamer.cancel()
        with contextlib.suppress(BaseException):
            await asyncio.gather(poller, streamer)
        busy = time.monotonic() - t0

        # read back: every confirmed vote in the workspace
        devices = yaml.safe_load((round_dir / "rom-enheter.yaml").read_text("utf-8")) or {}
        flat = json.dumps(devices, default=str)
        lost = wrong = 0
        unmapped = 0
        for c, picks in zip(phones, chosen, strict=True):
            token = c.cookies.get(COOKIE) or ""
            digest = hashlib.sha256(token.encode()).hexdigest()
            code = _code_for(devices, digest)
            if code is None:
                unmapped += 1
                lost += len(picks)
                continue
            path = round_dir / "svar" / f"{code}.yaml"
            answers = ((yaml.safe_load(path.read_text("utf-8")) or {}).get("answers") or {}) if path.exists() else {}
            for statement, value in picks.items():
                got = (answers.get(statement) or {}).get("level")
                if got is None:
                    lost += 1
                elif str(got) != value:
                    wrong += 1
        del flat
        for c in [*phones, fac]:
            await c.aclose()

        mem.stop.set()
        mem.join(1)
        hwm = mem.hwm_kb()
        p95 = percentile(poll_lat, 95)
        p95_sse = percentile(sse_lat, 95) if sse_lat else float("nan")
        rss_mb = max(mem.peak_kb, hwm) / 1024
        print(f"samordna live, {args.phones} phones x {finished} statements (round {rnd.id}), loopback, "
              f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
        print(f"  start until both listeners answer   {started:6.2f} s")
        print(f"  {args.phones} phones joined in{' ' * (19 - len(str(args.phones)))}{join_time:6.2f} s")
        print(f"  voting (open..reveal, all)          {busy:6.1f} s")
        print(f"  votes sent / confirmed (303)        {sent} / {ok}   refused {refused}   other {others or 0}")
        print(f"  confirmed votes in the workspace    {ok - lost - wrong} of {ok}   lost {lost}   wrong {wrong}"
              f"   phones without a code {unmapped}")
        print(f"  requests sent again                 {retries}   (the server had closed the kept-alive connection)")
        print(f"  vote POST round trip                p50 {percentile(post_times, 50) * 1000:6.1f} ms   "
              f"p95 {percentile(post_times, 95) * 1000:6.1f} ms   max {max(post_times or [0]) * 1000:6.1f} ms")
        print(f"  facilitator count (poll {args.poll * 1000:.0f} ms)     p50 {percentile(poll_lat, 50) * 1000:6.1f} ms   "
              f"p95 {p95 * 1000:6.1f} ms   max {max(poll_lat or [0]) * 1000:6.1f} ms")
        if sse_lat:
            print(f"  facilitator count (event stream)    p50 {percentile(sse_lat, 50) * 1000:6.1f} ms   "
                  f"p95 {p95_sse * 1000:6.1f} ms   max {max(sse_lat) * 1000:6.1f} ms")
        else:
            print("  facilitator count (event stream)    no status events with 'answered' seen")
        if reveal_pages:
            print(f"  page after reveal (with the chart)  p50 {percentile(reveal_pages, 50) * 1000:6.1f} ms   "
                  f"p95 {percentile(reveal_pages, 95) * 1000:6.1f} ms   max {max(reveal_pages) * 1000:6.1f} ms")
        print(f"  server memory                       idle {rss_idle / 1024:6.1f} MB   peak RSS {mem.peak_kb / 1024:6.1f} MB"
              f"   VmHWM {hwm / 1024:6.1f} MB")
        checks = {
            "every vote recorded": lost == 0 and wrong == 0 and ok == sent and ok == args.phones * finished,
            "count p95 < 1 s": p95 < 1.0,
            "memory < 150 MB": rss_mb < 150,
            "all statements": finished == len(statements),
        }
        for name, good in checks.items():
            print(f"  {'ok  ' if good else 'FAIL'} {name}")
        result = 0 if all(checks.values()) else 1
    finally:
        mem.stop.set()
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(5)
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return result


def _code_for(node: Any, digest: str) -> str | None:
    if isinstance(node, dict):
        if digest in node:
            v = node[digest]
            if isinstance(v, str):
                return v
            if isinstance(v, dict):
                for k in ("code", "kode", "participant", "deltaker"):
                    if k in v:
                        return str(v[k])
        if digest in node.values():
            for k in ("code", "kode", "participant", "deltaker"):
                if k in node:
                    return str(node[k])
        for v in node.values():
            found = _code_for(v, digest)
            if found:
                return found
    elif isinstance(node, list):
        for v in node:
            found = _code_for(v, digest)
            if found:
                return found
    return None


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--phones", type=int, default=40)
    ap.add_argument("--statements", type=int, default=0, help="only the first N statements (0: all)")
    ap.add_argument("--spread", type=float, default=2.0, help="phones answer within this many seconds")
    ap.add_argument("--poll", type=float, default=0.05, help="the facilitator's status poll interval")
    ap.add_argument("--time-limit", type=float, default=600, help="stop after this many seconds")
    ap.add_argument("--seed", type=int, default=16)
    ap.add_argument("--keep", action="store_true", help="keep the temporary workspace")
    args = ap.parse_args()
    return asyncio.run(run(args))


if __name__ == "__main__":
    raise SystemExit(main())
