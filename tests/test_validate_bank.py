"""samordna validate on a bank's migration maps (against the archived old version and the rounds' banks)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from samordna.io.workspace import Workspace
from test_local_additions import BANK, SCALE, write_bank

ROOT = Path(__file__).resolve().parents[1]

OLD = f"""
id: mini
version: "1.0.0"
title: Mini
description: Den gamle versjonen.
{SCALE}
sources:
  - {{id: K1, kind: recommendation, title: Avtaler, short: K1, url: "https://example.org/k1"}}
  - {{id: BVL, kind: law, title: Plan, short: "bvl. § 15-1", url: "https://lovdata.no/lov/2021-06-18-97/§15-1"}}
domains:
  - id: LED
    name: Ledelse
    description: a
    indicators:
      - {{id: LED-01, short: Plan, statement: I vår kommune plan, help: h, evidence: [e], references: [BVL],
         actions: [x]}}
      - {{id: LED-09, short: Gammel, statement: I vår kommune gammel, help: h, evidence: [e], references: [K1],
         actions: [x]}}
  - id: SAM
    name: Samarbeid
    description: b
    indicators:
      - {{id: SAM-01, short: Avtaler, statement: I vår kommune s1, help: h, evidence: [e], references: [K1],
         actions: [x]}}
"""

MAP = """
migrations:
  - from: "1.0.0"
    steps:
      - {kind: same, old: [LED-01], new: [LED-01]}
      - {kind: split, old: [LED-09], new: [LED-02, SAM-02]}
      - {kind: reworded, old: [SAM-01], new: [SAM-01]}
"""
NEW = BANK + MAP


@pytest.fixture
def assessments(tmp_path, monkeypatch) -> Path:
    """An assessments folder of our own, with the old version archived."""
    folder = tmp_path / "assessments"
    (folder / "arkiv").mkdir(parents=True)
    for name in ("sektorer.yaml", "roller.yaml"):
        shutil.copy(ROOT / "assessments" / name, folder / name)
    (folder / "arkiv" / "mini-1.0.0.yaml").write_text(OLD, encoding="utf-8")
    monkeypatch.setenv("SAMORDNA_ASSESSMENTS", str(folder))
    return folder


def test_map_checked_against_the_archived_version(cli, tmp_path, assessments):
    res = cli(["validate", write_bank(tmp_path, NEW)])
    assert res.exit_code == 0, res.output
    assert "Kartet fra 1.0.0 til 2.0.0 er sjekket mot arkivet (mini-1.0.0.yaml)." in res.stdout


@pytest.mark.parametrize(
    "new_map, key, expected",
    [
        (MAP.replace("old: [LED-09]", "old: [LED-77]"), "migrations[0].steps[1].old[0]", "«LED-77» finnes ikke i mini 1.0.0"),
        (MAP.replace("old: [LED-09]", "old: [LED-01]"), "migrations[0].steps", "kartet sier ikke hva som skjedde med LED-09"),
    ],
    ids=["old-id-not-in-old-bank", "old-indicator-left-out"],
)
def test_broken_map_names_line_and_key(cli, tmp_path, assessments, new_map, key, expected):
    res = cli(["validate", write_bank(tmp_path, BANK + new_map)])
    assert res.exit_code == 2, res.output
    assert "Migreringskartet i" in res.stderr
    assert re.search(r"mini\.yaml, linje \d+ \(" + re.escape(key) + r"\): ", res.stderr), res.stderr
    assert expected in res.stderr, res.stderr
    assert "Traceback" not in res.output


def test_map_without_the_old_bank_is_said_plainly(cli, tmp_path, assessments):
    (assessments / "arkiv" / "mini-1.0.0.yaml").unlink()
    res = cli(["validate", write_bank(tmp_path, NEW)])
    assert res.exit_code == 0, res.output
    assert "Merk: fant ikke mini 1.0.0; kartet fra 1.0.0 er bare sjekket mot banken selv." in res.stdout


def test_workspace_checks_the_new_bank_against_its_rounds(cli, tmp_path, assessments):
    (assessments / "arkiv" / "mini-1.0.0.yaml").unlink()  # only the round's own copy of 1.0.0 is left
    ws = Workspace.init(tmp_path / "testvik", "Testvik", "9998")
    ws.new_round(year=2025, bank_path=write_bank(tmp_path, OLD, "mini-1.yaml"))
    good = cli(["validate", ws.root, "--bank", write_bank(tmp_path, NEW)])
    assert good.exit_code == 0, good.output
    assert "Kartet fra 1.0.0 til 2.0.0 er sjekket mot runde 2025." in good.stdout
    bad = write_bank(tmp_path, BANK + MAP.replace("old: [SAM-01]", "old: [SAM-05]"), "mini-ny.yaml")
    res = cli(["validate", ws.root, "--bank", bad])
    assert res.exit_code == 2, res.output
    assert re.search(r"mini-ny\.yaml, linje \d+ \(migrations\[0\]\.steps\[2\]\.old\[0\]\): «SAM-05» finnes ikke i "
                     r"mini 1\.0\.0", res.stderr), res.stderr
    no_map = cli(["validate", ws.root, "--bank", write_bank(tmp_path, BANK, "uten-kart.yaml")])
    assert no_map.exit_code == 0, no_map.output
    assert "Merk: mini 2.0.0 har ikke noe kart fra 1.0.0 (runde 2025)" in no_map.stdout


def test_options_that_do_not_fit_are_refused(cli, tmp_path, assessments):
    bank = write_bank(tmp_path, NEW)
    res = cli(["validate", bank, "--bank", bank])
    assert res.exit_code == 2
    assert "--bank kan ikke brukes når det som sjekkes er en spørsmålsbank" in res.stderr
    res = cli(["validate", assessments / "sektorer.yaml", "--lokalt", bank])
    assert res.exit_code == 2
    assert "--lokalt kan ikke brukes" in res.stderr


def test_shipped_bank_map_is_checked_against_the_archive(cli, bank_path, bank):
    res = cli(["validate", bank_path])
    assert res.exit_code == 0, res.output
    for mig in bank.migrations:
        if (ROOT / "assessments" / "arkiv" / f"{bank.id}-{mig.from_version}.yaml").exists():
            assert f"Kartet fra {mig.from_version} til {bank.version} er sjekket mot arkivet" in res.stdout
