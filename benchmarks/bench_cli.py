"""Time `samordna --help` and `samordna demo` as a user starts them (a new process each time).

    python benchmarks/bench_cli.py [--runs 7] [--demo-runs 3] [--demo-pdf]

The demo makes HTML and Excel by default; --demo-pdf also times `samordna demo --pdf` (every PDF).
bench_floors.py puts these figures beside their floors.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _time(cmd: list[str], runs: int, cwd: Path) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--demo-runs", type=int, default=3)
    parser.add_argument("--demo-pdf", action="store_true", help="time `samordna demo --pdf` too")
    args = parser.parse_args()
    exe = shutil.which("samordna")
    base = [exe] if exe else [sys.executable, "-m", "samordna"]
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        _time(base + ["--help"], 1, tmpdir)  # warm the file cache
        help_times = _time(base + ["--help"], args.runs, tmpdir)
        demo_times = _time(base + ["demo", "--out", str(tmpdir / "demo")], args.demo_runs, tmpdir)
        pdf_times = (_time(base + ["demo", "--out", str(tmpdir / "demo-pdf"), "--pdf"], args.demo_runs, tmpdir)
                     if args.demo_pdf else [])
    print(f"samordna --help: median {statistics.median(help_times) * 1000:.0f} ms "
          f"(min {min(help_times) * 1000:.0f}, max {max(help_times) * 1000:.0f}, n={len(help_times)})")
    print(f"samordna demo:   median {statistics.median(demo_times):.2f} s "
          f"(min {min(demo_times):.2f}, max {max(demo_times):.2f}, n={len(demo_times)})")
    if pdf_times:
        print(f"samordna demo --pdf: median {statistics.median(pdf_times):.2f} s "
              f"(min {min(pdf_times):.2f}, max {max(pdf_times):.2f}, n={len(pdf_times)})")


if __name__ == "__main__":
    main()
