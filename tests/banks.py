"""Banks for tests: the archived 1.0.0 bank, and the YAML pieces hand-built banks share."""

from __future__ import annotations

from pathlib import Path

import pytest

BANK_1_0 = Path(__file__).resolve().parents[1] / "assessments" / "arkiv" / "samordna-0-24-1.0.0.yaml"

# The answer scale of a small hand-built bank (indent it under «scale:» with SCALE).
SCALE = """
scale:
  levels:
    - {level: 0, name: Ikke på plass, description: a}
    - {level: 1, name: Påbegynt, description: b}
    - {level: 2, name: Delvis på plass, description: c}
    - {level: 3, name: På plass, description: d}
    - {level: 4, name: På plass og fulgt opp, description: e}
  dont_know: {label: Vet ikke, description: f}
  not_applicable: {label: Ikke relevant, description: g}
"""
# The ja / nei answers of the legal minimum (bank 2.0), to follow SCALE.
YES_NO = """  yes: {label: Ja, description: j}
  no: {label: Nei, description: n}
"""
# Level descriptors for an indicator that needs them (statutory, or weight 1.5 or more).
LEVELS = "levels: {0: a, 1: b, 2: c, 3: d, 4: e}"


def pinned_to_bank_1_0():
    """Fixtures ``bank_path`` and ``bank`` for a test module that was written for bank 1.0.0 (and so also shows
    that rounds on it keep working): ``bank_path, bank = pinned_to_bank_1_0()``."""

    @pytest.fixture(scope="module", name="bank_path")
    def _bank_path() -> Path:
        return BANK_1_0

    @pytest.fixture(scope="module", name="bank")
    def _bank(bank_path):
        from samordna.io.bankfile import load_bank

        return load_bank(bank_path)

    return _bank_path, _bank
