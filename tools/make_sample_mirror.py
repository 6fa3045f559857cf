"""Add the young people's mirror (issue 17) to sample_municipality/ (deterministic): a fictional youth council
and parents' group answered the companion bank in 2025 and 2026. Rewrites only the rounds' speilet/ folders.

    python tools/make_sample_mirror.py
"""

from __future__ import annotations

import random
import shutil
import sys
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "cli"))

from samordna.demo.synthetic import write_mirror  # noqa: E402
from samordna.io.mirrorfile import MIRROR_DIR, MirrorStore, shipped_mirror_bank  # noqa: E402
from samordna.io.workspace import Workspace  # noqa: E402

# round: (young people, parents, how much lower than in 2026, when they answered)
ROUNDS = {"2025": (8, 5, -0.35, datetime(2025, 10, 1, 18, 0)), "2026": (11, 6, 0.0, datetime(2026, 10, 28, 18, 0))}

ws = Workspace(ROOT / "sample_municipality")
bank = shipped_mirror_bank("nb")
for round_id, (young, parents, shift, saved) in ROUNDS.items():
    rnd = ws.round(round_id)
    shutil.rmtree(rnd.dir / MIRROR_DIR, ignore_errors=True)
    n = write_mirror(MirrorStore(rnd.dir), bank, random.Random(f"speilet-{round_id}"), young, parents, shift, saved)
    print(f"runde {round_id}: {n} svar i speilet ({young} ungdom, {parents} foreldre)")
