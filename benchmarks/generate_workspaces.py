"""Generate synthetic municipality workspaces for the county view (tests and benchmarks).

    python benchmarks/generate_workspaces.py OUT --municipalities 357 --rounds 3 --participants 12

Every workspace is seeded from its index, so the same call writes the same files.
Names are invented («Nordvik», «Austdal» …) and unique. Numbers are valid four-digit kommunenummer in fictional
counties: county 60 holds 6001–6099, county 61 holds 6101–6199 … up to 9999 (no real county uses 60–99), so
3,960 workspaces fit.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "cli") not in sys.path:
    sys.path.insert(0, str(ROOT / "cli"))

from samordna.demo.synthetic import Profile, RoundSpec, generate  # noqa: E402
from samordna.io.resources import default_bank_path  # noqa: E402

DOMAINS = ["LED", "ROL", "SAM", "TID", "TAU", "KOM", "BRU", "OPP"]
SECTORS = ["ledelse", "barnehage", "grunnskole", "vgs", "helsestasjon", "psykisk-helse-rus",
           "barnevern", "nav", "ppt", "kultur-fritid", "bruker", "tannhelse", "fastlege-helse", "politi-slt"]
PREFIX = ["Nord", "Sør", "Aust", "Vest", "Lille", "Store", "Øvre", "Nedre", "Midt", "Ytre", "Indre", "Ny",
          "Gamle", "Berg", "Fjell", "Skog", "Elve", "Sjø", "Li", "Å"]
SUFFIX = ["vik", "dal", "fjord", "heim", "nes", "berg", "øy", "stad", "land", "vang", "bø", "sund",
          "eid", "voll", "haug", "moen", "strand", "li"]


FIRST_COUNTY = 60  # fictional county numbers 60–99: no real county has used them
PER_COUNTY = 99    # municipality 01–99 in each county
MAX_MUNICIPALITIES = (100 - FIRST_COUNTY) * PER_COUNTY


def municipality_number(i: int) -> str:
    """A valid, unique four-digit kommunenummer for index i (0-based): 6001, 6002 … 6099, 6101 … 9999."""
    if not 0 <= i < MAX_MUNICIPALITIES:
        raise ValueError(f"index {i} is outside 0..{MAX_MUNICIPALITIES - 1}: only {MAX_MUNICIPALITIES} numbers")
    county, k = divmod(i, PER_COUNTY)
    return f"{FIRST_COUNTY + county:02d}{k + 1:02d}"


def municipality_name(i: int) -> str:
    """An invented, unique name for index i (0-based); 360 before a number is added."""
    base = PREFIX[i % len(PREFIX)] + SUFFIX[(i // len(PREFIX)) % len(SUFFIX)]
    cycle = i // (len(PREFIX) * len(SUFFIX))
    return base if cycle == 0 else f"{base} {cycle + 1}"


def profile_for(i: int, n_rounds: int, seed: int = 0) -> Profile:
    """Latent levels per domain: a municipality-wide base, a per-domain offset and a yearly trend."""
    rng = random.Random(seed * 100_003 + i)
    base = rng.uniform(1.0, 3.0)
    levels = {}
    for dom in DOMAINS:
        start = min(3.8, max(0.3, base + rng.gauss(0, 0.6)))
        trend = rng.gauss(0.2, 0.3)
        levels[dom] = [round(min(3.9, max(0.1, start + trend * k)), 2) for k in range(n_rounds)]
    return Profile(levels=levels, comment_rate=0.0)


def generate_one(root: Path, i: int, *, rounds: int = 3, participants: int = 12, first_year: int = 2024,
                 seed: int = 0, bank_path: Path | None = None, consensus: bool = True) -> Path:
    rng = random.Random(seed * 7919 + i)
    specs = []
    for k in range(rounds):
        sectors = [SECTORS[(i + k + p) % len(SECTORS)] for p in range(participants)]
        rng.shuffle(sectors)
        specs.append(RoundSpec(first_year + k, sectors, consensus=consensus, priorities=False))
    name, number = municipality_name(i), municipality_number(i)
    folder = root / f"{number}-{name.lower().replace(' ', '-')}"
    generate(folder, bank_path or default_bank_path(), name=name, number=number, rounds=specs,
             profile=profile_for(i, rounds, seed), seed=seed * 104_729 + i, comments=False)
    return folder


@contextlib.contextmanager
def _without_fsync():
    """Generated benchmark data need not survive a power cut: skipping fsync makes generation about twice as fast.
    Only for the generator's own writes (restored afterwards)."""
    saved = os.fsync
    os.fsync = lambda fd: None
    try:
        yield
    finally:
        os.fsync = saved


def _job(args):
    root, i, kw = args
    with _without_fsync():
        return generate_one(root, i, **kw)


def generate_region(root: Path, n: int, *, workers: int = 1, start: int = 0, **kw) -> list[Path]:
    """Write ``n`` workspaces under ``root`` (indices start … start+n-1)."""
    root = Path(root)
    if start + n > MAX_MUNICIPALITIES:
        raise ValueError(f"at most {MAX_MUNICIPALITIES} workspaces (numbers 6001–9999), asked for {start + n}")
    root.mkdir(parents=True, exist_ok=True)
    jobs = [(root, i, kw) for i in range(start, start + n)]
    if workers > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            return list(pool.map(_job, jobs, chunksize=4))
    return [_job(j) for j in jobs]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Lag syntetiske arbeidsområder for fylkesbildet (samordna region).")
    ap.add_argument("out", type=Path, help="Mappen arbeidsområdene skrives til (må være tom eller ny).")
    ap.add_argument("--municipalities", "-n", type=int, default=36, help="Antall kommuner (standard 36).")
    ap.add_argument("--rounds", type=int, default=3, help="Runder per kommune (standard 3, fra 2024).")
    ap.add_argument("--participants", type=int, default=12, help="Deltakere per runde (standard 12).")
    ap.add_argument("--seed", type=int, default=0, help="Frø for tilfeldige tall (standard 0).")
    ap.add_argument("--workers", type=int, default=2, help="Prosesser (standard 2).")
    args = ap.parse_args(argv)
    if not 1 <= args.municipalities <= MAX_MUNICIPALITIES:
        print(f"Antall kommuner må være mellom 1 og {MAX_MUNICIPALITIES} (kommunenummer 6001–9999).", file=sys.stderr)
        return 2
    if args.out.exists() and any(args.out.iterdir()):
        print(f"{args.out} finnes og er ikke tom.", file=sys.stderr)
        return 2
    t = time.perf_counter()
    generate_region(args.out, args.municipalities, workers=args.workers, rounds=args.rounds,
                    participants=args.participants, seed=args.seed)
    print(f"{args.municipalities} arbeidsområder skrevet til {args.out} på {time.perf_counter() - t:.1f} s.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
