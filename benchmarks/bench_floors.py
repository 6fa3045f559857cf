"""Each figure of issue 14 side by side with its floor, in one run: how far from the least it could cost.

    python benchmarks/bench_floors.py                       # help, demo, report, kit, import
    python benchmarks/bench_floors.py --runs 5 --only demo report
    python benchmarks/bench_floors.py --only region --region 357    # slow: generates the workspaces once
    python benchmarks/bench_floors.py --demo-pdf            # also «samordna demo --pdf»

Every figure is a whole process (a new Python each time), timed as the user waits for it (and its CPU
time, which a shared machine disturbs less), median of --runs, run interleaved (samordna, floor,
samordna, floor …) so that a busy machine hurts both alike. What a run needs (a fresh copy of a
workspace, filled forms) is made before the clock starts. The floors:

- demo: ``import samordna``, as many matplotlib figures saved as SVG as the demo saves, and WeasyPrint on
  trivial HTML with as many documents and pages as the PDFs the demo makes (none by default);
- report --pdf: WeasyPrint on trivial HTML with the page counts of the report's PDFs (report and summary);
- region: ``json.loads`` of the same workspaces' files, converted to JSON beforehand;
- kit: openpyxl saving as many trivial workbooks; import: openpyxl loading as many trivial workbooks;
- --help: a minimal typer + rich app with the same commands and the same one-line help.

Prints a Markdown table (benchmarks/README.md has the latest one).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "cli"))

FIGURES = ["help", "demo", "report", "kit", "import"]  # region only when asked: it is slow


@dataclass
class Side:
    """One side of a figure: what is run, and what must be made fresh before each run (not timed)."""
    label: str
    argv: Callable[[int], list[str]]  # run number -> the command
    times: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)  # user + system seconds of the process and its children


@dataclass
class Figure:
    name: str
    ours: Side
    floor: Side
    note: str = ""


def samordna_argv() -> list[str]:
    exe = Path(sys.executable).with_name("samordna")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "samordna"]


def py(code: str, *args: str) -> list[str]:
    return [sys.executable, "-c", textwrap.dedent(code), *args]


CACHE: dict[str, Path | None] = {"warm": None}  # --warm: one cache folder for every run; else a new one each run


def run(argv: list[str], cwd: Path) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system, with the command's own worker processes).

    The user's cache folder is a folder of this run's own (XDG_CACHE_HOME): new and empty for each run
    unless --warm, so that a figure is what a first run costs, and the real cache is never touched."""
    cache = CACHE["warm"] or Path(tempfile.mkdtemp(prefix="cache-", dir=cwd))
    # as installed: Python reads the compiled modules (compiled once by ``compile_package``), as pip leaves them
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | {"XDG_CACHE_HOME": str(cache)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(argv, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(argv[:6])} … stoppet med kode {proc.returncode}:\n{proc.stdout[-2000:]}")
    return seconds, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def compile_package() -> None:
    """Compile samordna's modules to __pycache__ once, as ``pip install`` does: a machine that sets
    PYTHONDONTWRITEBYTECODE (as some containers do) would otherwise compile them again in every run measured,
    which no installed copy does (the libraries the floors use are compiled at install)."""
    import compileall

    import samordna

    compileall.compile_dir(str(Path(samordna.__file__).parent), quiet=1)


def pdf_pages(folder: Path) -> list[int]:
    """Pages of every PDF under ``folder`` (sorted by path)."""
    from pypdf import PdfReader

    return [len(PdfReader(str(p)).pages) for p in sorted(folder.rglob("*.pdf"))]


FLOOR_PDF = """
import logging, sys, json
import weasyprint
logging.getLogger("weasyprint").setLevel(logging.ERROR)
for n in json.loads(sys.argv[1]):
    html = "<p>side 1</p>" + "".join(f'<p style="break-before: page">side {k}</p>' for k in range(2, n + 1))
    weasyprint.HTML(string=html).write_pdf()
"""

FLOOR_FIGURES = """
import io, sys
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
for k in range(int(sys.argv[1])):
    fig, ax = plt.subplots(figsize=(6, 3))
    ax.bar(["a", "b", "c"], [1, 2, 3])
    fig.savefig(io.BytesIO(), format="svg")
    plt.close(fig)
"""

COUNT_FIGURES = """
import atexit, runpy, sys
import matplotlib.figure as F
n = [0]
real = F.Figure.savefig
def counting(self, *a, **k):
    n[0] += 1
    return real(self, *a, **k)
F.Figure.savefig = counting
out = sys.argv[1]
atexit.register(lambda: open(out, "w").write(str(n[0])))
sys.argv = ["samordna", *sys.argv[2:]]
runpy.run_module("samordna", run_name="__main__")
"""


def demo_figure(tmp: Path, pdf: bool) -> Figure:
    """The demo with its default outputs (or with --pdf): calibrated by one run that counts figures and pages."""
    extra = ["--pdf"] if pdf else []
    count = tmp / "figures.txt"
    out = tmp / "demo-count"
    run(py(COUNT_FIGURES, str(count), "demo", "--out", str(out), *extra), tmp)
    figures = int(count.read_text())
    pages = pdf_pages(out)
    floor_code = "import samordna\n" + FLOOR_FIGURES + ("\n" + FLOOR_PDF.replace("sys.argv[1]", "sys.argv[2]")
                                                       if pages else "")
    floor_args = [str(figures)] + ([json.dumps(pages)] if pages else [])
    name = "samordna demo" + (" --pdf" if pdf else "")
    return Figure(
        name,
        Side(name, lambda r: [*samordna_argv(), "demo", "--out", str(tmp / f"demo-{r}"), *extra]),
        Side(f"import samordna + {figures} figurer (matplotlib, SVG)"
             + (f" + WeasyPrint, {len(pages)} trivielle PDF, {sum(pages)} sider" if pages else ""),
             lambda r: py(floor_code, *floor_args)),
        f"{figures} figurer, {len(pages)} PDF ({sum(pages)} sider)")


def fresh_sample(tmp: Path, name: str) -> Path:
    from samordna.io.resources import sample_path

    ws = tmp / name
    if ws.exists():
        shutil.rmtree(ws)
    shutil.copytree(sample_path(), ws, ignore=shutil.ignore_patterns(".*", "__pycache__"))
    return ws


def report_figure(tmp: Path) -> Figure:
    ws = fresh_sample(tmp, "report-ws")
    run([*samordna_argv(), "report", str(ws), "--out", str(tmp / "report-count" / "r.html"), "--pdf"], tmp)
    pages = pdf_pages(tmp / "report-count")
    return Figure(
        "samordna report --pdf",
        Side("samordna report --pdf",
             lambda r: [*samordna_argv(), "report", str(ws), "--out", str(tmp / f"report-{r}" / "r.html"), "--pdf"]),
        Side(f"WeasyPrint, triviell HTML, {len(pages)} PDF", lambda r: py(FLOOR_PDF, json.dumps(pages))),
        "sider: " + " + ".join(map(str, sorted(pages, reverse=True))))


def kit_figure(tmp: Path, forms: int) -> Figure:
    n = min(forms, _max_participants())

    def ours(r: int) -> list[str]:
        ws = fresh_sample(tmp, "kit-ws")
        return [*samordna_argv(), "kit", str(ws), "-n", str(n), "--no-pdf", "--out", str(tmp / f"kit-{r}")]

    floor = f"""
    import sys
    from pathlib import Path
    from openpyxl import Workbook
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    for k in range({n}):
        wb = Workbook()
        wb.active["A1"] = k
        wb.save(out / f"{{k}}.xlsx")
    """
    return Figure(f"samordna kit -n {n} --no-pdf", Side("kit", ours),
                  Side(f"openpyxl lagrer {n} trivielle", lambda r: py(floor, str(tmp / f"kit-floor-{r}"))),
                  f"{n} skjema" + (f" (høyst {n} per kit)" if n < forms else ""))


def _max_participants() -> int:
    from samordna.outputs.kit import MAX_PARTICIPANTS

    return MAX_PARTICIPANTS


def import_figure(tmp: Path, forms: int) -> Figure:
    """A workspace with ``forms`` filled forms (in kits of at most MAX_PARTICIPANTS), copied fresh for each run."""
    from samordna.demo.synthetic import random_answers
    from samordna.io.workspace import Workspace
    from samordna.outputs.forms import fill_form
    from samordna.outputs.kit import make_kit

    prepared = fresh_sample(tmp, "import-ready")
    ws = Workspace(prepared)
    rnd = ws.round()
    rng = random.Random(14)
    paths: list[Path] = []
    left = forms
    while left > 0:
        n = min(left, _max_participants())
        _, made, _ = make_kit(ws, rnd, n, prepared / "skjema-inn", guide=False, rng=rng)
        paths += made[:-1]  # the blank form is last
        left -= n
    sectors = ["barnehage", "grunnskole", "helsestasjon", "barnevern", "nav"]
    for k, p in enumerate(paths):
        sector = sectors[k % len(sectors)]
        fill_form(p, ws.sectors.name(sector), random_answers(rnd.bank, rng, 1.5 + (k % 5) * 0.4, sector))
    rel = [p.relative_to(prepared) for p in paths]

    def ours(r: int) -> list[str]:
        ws_r = tmp / "import-ws"
        if ws_r.exists():
            shutil.rmtree(ws_r)
        shutil.copytree(prepared, ws_r)
        return [*samordna_argv(), "import", str(ws_r), *[str(ws_r / p) for p in rel], "--godta-delvise"]

    trivial = tmp / "import-floor"
    trivial.mkdir(exist_ok=True)
    from openpyxl import Workbook

    for k in range(len(paths)):
        wb = Workbook()
        wb.active["A1"] = k
        wb.save(trivial / f"{k}.xlsx")
    floor = """
    import sys
    from pathlib import Path
    from openpyxl import load_workbook
    for p in sorted(Path(sys.argv[1]).glob("*.xlsx")):
        load_workbook(p)["Sheet"]["A1"].value
    """
    return Figure(f"samordna import ({len(paths)} skjema)", Side("import", ours),
                  Side(f"openpyxl leser {len(paths)} trivielle", lambda r: py(floor, str(trivial))),
                  f"{len(paths)} utfylte skjema")


def help_figure(tmp: Path) -> Figure:
    """A minimal typer + rich app with the same commands, groups and one-line help as samordna."""
    from typer.main import get_command

    from samordna.cli.app import app

    lines = ["import typer", "app = typer.Typer(rich_markup_mode='rich', no_args_is_help=True)"]

    def walk(group, var: str, depth: int) -> None:
        for k, (name, cmd) in enumerate(group.commands.items()):
            if cmd.hidden:
                continue
            short = (cmd.help or "").strip().split("\n")[0]
            if hasattr(cmd, "commands"):
                sub = f"g{depth}_{k}"
                lines.append(f"{sub} = typer.Typer(help={short!r})")
                lines.append(f"{var}.add_typer({sub}, name={name!r})")
                walk(cmd, sub, depth + 1)
            else:
                lines.append(f"@{var}.command({name!r}, help={short!r})")
                lines.append(f"def c{depth}_{k}() -> None:\n    pass")

    walk(get_command(app), "app", 0)
    lines.append("app()")
    script = tmp / "minimal_app.py"
    script.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return Figure("samordna --help", Side("samordna --help", lambda r: [*samordna_argv(), "--help"]),
                  Side("minimal typer + rich", lambda r: [sys.executable, str(script), "--help"]),
                  "samme kommandonavn og hjelpelinjer")


REGION_FLOOR = """
import json, sys
from pathlib import Path
n = 0
for p in sorted(Path(sys.argv[1]).rglob("*.json")):
    json.loads(p.read_text(encoding="utf-8"))
    n += 1
"""


def region_figure(tmp: Path, n: int, data: Path | None) -> Figure:
    """``region`` over ``n`` generated workspaces (kept in --data between runs of this script)."""
    import yaml

    from generate_workspaces import generate_region  # helper module of benchmarks/ (not changed here)

    data = data or tmp / "region-data"
    have = sorted(p for p in data.glob("*") if (p / "kommune.yaml").exists()) if data.exists() else []
    if len(have) < n:
        t = time.perf_counter()
        generate_region(data, n - len(have), start=len(have), workers=2)
        print(f"Genererte {n - len(have)} arbeidsområder i {data} på {time.perf_counter() - t:.0f} s.", file=sys.stderr)
        have = sorted(p for p in data.glob("*") if (p / "kommune.yaml").exists())
    chosen = have[:n]
    mirror = tmp / "region-json"
    files = 0
    for ws in chosen:
        for p in ws.rglob("*.yaml"):
            target = mirror / p.relative_to(data).with_suffix(".json")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(json.dumps(yaml.safe_load(p.read_text(encoding="utf-8")), default=str,
                                         ensure_ascii=False), encoding="utf-8")
            files += 1
    return Figure(f"samordna region ({n} arbeidsområder)",
                  Side("region", lambda r: [*samordna_argv(), "region", *map(str, chosen), "--out",
                                            str(tmp / f"region-{r}"), "--depth", "0"]),
                  Side("json.loads av de samme dataene", lambda r: py(REGION_FLOOR, str(mirror))),
                  f"{files} filer")


def fmt(seconds: float) -> str:
    """Norwegian numbers: a decimal comma."""
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s".replace(".", ",")


def ratio(a: float, b: float) -> str:
    return f"{a / b:.1f}×".replace(".", ",")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="kjøringer per side (median); standard 3")
    parser.add_argument("--only", nargs="+", choices=[*FIGURES, "region", "demo-pdf"], help="bare disse tallene")
    parser.add_argument("--forms", type=int, default=100, help="skjema for kit og import; standard 100")
    parser.add_argument("--region", type=int, default=0, metavar="N",
                        help="ta med region over N genererte arbeidsområder (tregt); standard: bare med --only region (357)")
    parser.add_argument("--data", type=Path, help="mappe der region-arbeidsområdene lages og gjenbrukes")
    parser.add_argument("--demo-pdf", action="store_true", help="ta også med «samordna demo --pdf»")
    parser.add_argument("--warm", action="store_true",
                        help="samme hurtigbuffer (cache) for alle kjøringer; standard: tom for hver kjøring")
    args = parser.parse_args(argv)
    compile_package()
    wanted = args.only or [*FIGURES, *(["region"] if args.region else []), *(["demo-pdf"] if args.demo_pdf else [])]
    with tempfile.TemporaryDirectory(prefix="samordna-floors-") as t:
        tmp = Path(t)
        if args.warm:
            CACHE["warm"] = tmp / "cache"
        makers: dict[str, Callable[[], Figure]] = {
            "help": lambda: help_figure(tmp),
            "demo": lambda: demo_figure(tmp, pdf=False),
            "demo-pdf": lambda: demo_figure(tmp, pdf=True),
            "report": lambda: report_figure(tmp),
            "kit": lambda: kit_figure(tmp, args.forms),
            "import": lambda: import_figure(tmp, args.forms),
            "region": lambda: region_figure(tmp, args.region or 357, args.data),
        }
        figures = [makers[name]() for name in [*FIGURES, "demo-pdf", "region"] if name in wanted]
        for f in figures:  # once each, untimed: the file cache, compiled bytecode
            run(f.ours.argv(-1), tmp)
            run(f.floor.argv(-1), tmp)
        for r in range(args.runs):
            for f in figures:
                for side in (f.ours, f.floor):
                    wall, cpu = run(side.argv(r), tmp)
                    side.times.append(wall)
                    side.cpu.append(cpu)
                    print(f"  {side.label}: {fmt(wall)} (CPU {fmt(cpu)})", file=sys.stderr)
    print(f"Median av {args.runs} kjøringer, annenhver gang samordna og gulvet, hele prosesser. CPU er bruker- og "
          "systemtid (med prosessens egne arbeidsprosesser): den rører seg mindre enn veggklokka når maskinen "
          "er delt.\n")
    print("| tall | samordna | gulv | forhold | CPU samordna | CPU gulv | forhold CPU | gulvet er | hva |")
    print("|---|---:|---:|---:|---:|---:|---:|---|---|")
    for f in figures:
        a, b = statistics.median(f.ours.times), statistics.median(f.floor.times)
        ca, cb = statistics.median(f.ours.cpu), statistics.median(f.floor.cpu)
        print(f"| `{f.name}` | {fmt(a)} | {fmt(b)} | {ratio(a, b)} | {fmt(ca)} | {fmt(cb)} | {ratio(ca, cb)} "
              f"| {f.floor.label} | {f.note} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
