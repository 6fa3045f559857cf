"""Benchmark: the county view over many municipalities (× 3 rounds × 12 participants), first and second run.

    python benchmarks/bench_region.py                          # 357 and 3,570 municipalities
    python benchmarks/bench_region.py --sizes 36 357 --repeat 3 --data /tmp/samordna-bench
    python benchmarks/bench_region.py --cli /tmp/old/cli       # the same with another checkout's code

The workspaces are generated once into --data (reused when already there; numbers 6001–9999, see
generate_workspaces.py). Each run is a fresh Python process that calls ``run_region`` (reading, the overview,
the workbook and the HTML one-pagers; no PDF) and reports its wall time and peak memory (ru_maxrss of the process
and of its largest worker). The first run of each size starts with an empty cache folder (SAMORDNA_CACHE_DIR);
the second reads the same folders again with that cache. With --repeat the median is shown.

Goals (issue 14): 3,570 within 60 s and 1 GB; 3,570 over 357 at most 11× (linear); the second run at most 25 % of
the first. The CPU column (user + system time of the process and its workers) moves less than the wall time when
the host is busy; on two cores, half of it is the least the wall time can be.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "cli"))

from generate_workspaces import generate_region  # noqa: E402

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[3])
from samordna.outputs.region_run import run_region
paths = [Path(p) for p in json.loads(Path(sys.argv[1]).read_text())]
t = time.perf_counter()
region, files = run_region(paths, Path(sys.argv[2]), workers=int(sys.argv[4]), quiet=True,
                           anonymize=sys.argv[5] == "1")
seconds = time.perf_counter() - t
self_use, kids_use = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
me, kids = self_use.ru_maxrss / 1024, kids_use.ru_maxrss / 1024
cpu = self_use.ru_utime + self_use.ru_stime + kids_use.ru_utime + kids_use.ru_stime
print(json.dumps({"seconds": seconds, "cpu": cpu, "rss_mb": me, "worker_rss_mb": kids, "n": len(region.entries),
                  "html_mb": files.html.stat().st_size / 1e6, "onepagers": len(files.onepagers)}))
"""


def ensure_data(data: Path, n: int, rounds: int, participants: int, workers: int) -> list[Path]:
    have = sorted(p for p in data.glob("*") if (p / "kommune.yaml").exists()) if data.exists() else []
    if len(have) < n:
        t = time.perf_counter()
        generate_region(data, n - len(have), start=len(have), workers=workers, rounds=rounds,
                        participants=participants)
        print(f"Genererte {n - len(have)} arbeidsområder i {data} på {time.perf_counter() - t:.0f} s.")
        have = sorted(p for p in data.glob("*") if (p / "kommune.yaml").exists())
    return have[:n]


def run_once(paths: list[Path], cache: Path, *, cli: Path, workers: int, anonymize: bool) -> dict:
    env = {**os.environ, "SAMORDNA_CACHE_DIR": str(cache)}
    with tempfile.TemporaryDirectory() as tmp:
        listing = Path(tmp) / "paths.json"
        listing.write_text(json.dumps([str(p) for p in paths]))
        proc = subprocess.run([sys.executable, "-c", CHILD, str(listing), str(Path(tmp) / "ut"), str(cli),
                               str(workers), "1" if anonymize else "0"],
                              capture_output=True, text=True, env=env)
    if proc.returncode:
        raise SystemExit(f"Kjøringen feilet:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def measure(paths: list[Path], *, cli: Path, workers: int, anonymize: bool, repeat: int) -> dict[str, list[dict]]:
    """{"first": [...], "second": [...]}: each first run with an empty cache, each second run right after it."""
    runs: dict[str, list[dict]] = {"first": [], "second": []}
    for _ in range(repeat):
        cache = Path(tempfile.mkdtemp(prefix="samordna-bench-cache-"))
        try:
            runs["first"].append(run_once(paths, cache, cli=cli, workers=workers, anonymize=anonymize))
            runs["second"].append(run_once(paths, cache, cli=cli, workers=workers, anonymize=anonymize))
        finally:
            shutil.rmtree(cache, ignore_errors=True)
    return runs


def _median(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Mål tid og minne for «samordna region», første og andre kjøring.")
    ap.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "samordna-bench-region")
    ap.add_argument("--sizes", type=int, nargs="+", default=[357, 3570])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--participants", type=int, default=12)
    ap.add_argument("--workers", type=int, default=2, help="Prosesser for å lese arbeidsområdene (standard 2).")
    ap.add_argument("--repeat", type=int, default=1, help="Kjøringer per størrelse; medianen vises (standard 1).")
    ap.add_argument("--anonymize", action="store_true")
    ap.add_argument("--cli", type=Path, default=HERE.parent / "cli",
                    help="Mappen med samordna-pakken som måles (standard: denne utsjekkingen).")
    args = ap.parse_args(argv)
    paths = ensure_data(args.data, max(args.sizes), args.rounds, args.participants, args.workers)
    results = {}
    print(f"{'kommuner':>8} {'kjøring':>8} {'tid (s)':>8} {'CPU (s)':>8} {'minne (MB)':>10} {'arbeider (MB)':>13} "
          f"{'rapport (MB)':>12} {'én-sider':>8}")
    for n in args.sizes:
        runs = measure(paths[:n], cli=args.cli, workers=args.workers, anonymize=args.anonymize, repeat=args.repeat)
        results[n] = runs
        for which, label in (("first", "første"), ("second", "andre")):
            rs = runs[which]
            each = ", ".join(f"{r['seconds']:.1f}" for r in rs)
            print(f"{n:8d} {label:>8} {_median(rs, 'seconds'):8.1f} {_median(rs, 'cpu'):8.1f} {_median(rs, 'rss_mb'):10.0f} "
                  f"{_median(rs, 'worker_rss_mb'):13.0f} {_median(rs, 'html_mb'):12.1f} {rs[0]['onepagers']:8d}"
                  + (f"   (alle: {each} s)" if len(rs) > 1 else ""))
    for n, runs in results.items():
        first, second = _median(runs["first"], "seconds"), _median(runs["second"], "seconds")
        print(f"Andre kjøring / første, {n} kommuner: {second / first:.0%} (mål: høyst 25 %)")
    if len(args.sizes) >= 2:
        a, b = min(args.sizes), max(args.sizes)
        ratio = _median(results[b]["first"], "seconds") / _median(results[a]["first"], "seconds")
        print(f"Tid {b}/{a} (første kjøring): {ratio:.1f}× (lineært: {b / a:.1f}×; mål: høyst 11×)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
