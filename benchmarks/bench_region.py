"""Benchmark: the regional report for the whole country (357 municipalities × 3 rounds × 12 participants).

    python benchmarks/bench_region.py                    # 36 and 357 municipalities
    python benchmarks/bench_region.py --sizes 36 100 357 --data /tmp/samordna-bench

The workspaces are generated once into --data (reused when already there). Each
size runs in a fresh Python process, which reports its wall time and peak memory
(ru_maxrss of the process and of its worker processes). Goal: under 60 s and
1 GB on 2 cores for 357, and time growing about linearly.
"""

from __future__ import annotations

import argparse
import json
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
sys.path.insert(0, {cli!r})
from samordna.outputs.region_run import run_region
paths = [Path(p) for p in json.loads(sys.argv[1])]
t = time.perf_counter()
region, files = run_region(paths, Path(sys.argv[2]), workers={workers}, quiet=True, anonymize={anonymize})
seconds = time.perf_counter() - t
me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(json.dumps({{"seconds": seconds, "rss_mb": me, "worker_rss_mb": kids, "n": len(region.entries),
                   "html_mb": files.html.stat().st_size / 1e6, "onepagers": len(files.onepagers)}}))
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


def run_size(paths: list[Path], workers: int, anonymize: bool) -> dict:
    code = CHILD.format(cli=str(HERE.parent / "cli"), workers=workers, anonymize=anonymize)
    with tempfile.TemporaryDirectory() as out:
        proc = subprocess.run([sys.executable, "-c", code, json.dumps([str(p) for p in paths]), out],
                              capture_output=True, text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Mål tid og minne for «samordna region».")
    ap.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "samordna-bench")
    ap.add_argument("--sizes", type=int, nargs="+", default=[36, 357])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--participants", type=int, default=12)
    ap.add_argument("--workers", type=int, default=2, help="Prosesser for å lese arbeidsområdene (standard 2).")
    ap.add_argument("--anonymize", action="store_true")
    args = ap.parse_args(argv)
    paths = ensure_data(args.data, max(args.sizes), args.rounds, args.participants, args.workers)
    results = {}
    for n in args.sizes:
        r = run_size(paths[:n], args.workers, args.anonymize)
        results[n] = r
        print(f"{n:4d} kommuner: {r['seconds']:6.1f} s, minne {r['rss_mb']:.0f} MB (hovedprosess), "
              f"{r['worker_rss_mb']:.0f} MB (største arbeidsprosess), rapport {r['html_mb']:.1f} MB, "
              f"{r['onepagers']} én-sidere")
    if len(args.sizes) >= 2:
        a, b = min(args.sizes), max(args.sizes)
        print(f"Forhold tid {b}/{a}: {results[b]['seconds'] / results[a]['seconds']:.1f} "
              f"(lineært ville vært {b / a:.1f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
