"""Regenerate sample_municipality/ from the shipped banks (deterministic): 2024 and 2025 on the archived
1.0.0 bank, 2026 on the current bank with the local additions in tools/sample_lokale_tillegg.yaml.

    python tools/make_sample.py
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "cli"))

from samordna.demo.synthetic import write_sample  # noqa: E402
from samordna.io.bankfile import archived_bank_path  # noqa: E402
from samordna.io.resources import default_bank_path  # noqa: E402

# 2024 and 2025 were answered on bank 1.0.0, 2026 on the current bank with Eksempeldal's own indicator
OLD_BANK = archived_bank_path("samordna-0-24", "1.0.0")
LOCAL = ROOT / "tools" / "sample_lokale_tillegg.yaml"

target = ROOT / "sample_municipality"
tmp = ROOT / ".sample_municipality.ny"
if tmp.exists():
    shutil.rmtree(tmp)
ws = write_sample(tmp, default_bank_path(), OLD_BANK, LOCAL)
# keep hand-made top-level files (README.md, filled-in action plans *.xlsx)
kept = {p.name: p.read_bytes() for p in target.glob("*") if p.is_file() and p.suffix in (".md", ".xlsx")}
if target.exists():
    shutil.rmtree(target)
tmp.rename(target)
for name, data in kept.items():
    (target / name).write_bytes(data)
print(f"Wrote {target} ({ws.name}, rounds: {', '.join(ws.round_ids())})")
