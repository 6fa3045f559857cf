"""samordna plan never loses what people typed: edits carried over by action id, rows kept and
marked, formulas stored as text, locked and broken files refused with a clear message."""

from __future__ import annotations

import zipfile
from datetime import date, datetime

import pytest
from openpyxl import Workbook, load_workbook

from samordna.io.plan_reader import read_plan
from samordna.io.workspace import Workspace
from samordna.plan.merge import carries
from samordna.plan.model import COL


@pytest.fixture
def ws25(cli, sample_ws):
    """The sample with a freshly generated (empty) 2025 plan for five priorities."""
    plan = sample_ws / "handlingsplan-eksempeldal-2025.xlsx"
    plan.unlink()
    Workspace(sample_ws).round("2025").save_priorities(["OPP-01", "BRU-01", "ROL-02", "ROL-03", "SAM-01"])
    res = cli(["plan", sample_ws, "--round", "2025"])
    assert res.exit_code == 0, res.output
    return sample_ws, plan


def _edit(path, edits: dict[str, dict], extra_rows: list[dict] = ()):
    """Change cells the way a person in Excel would (openpyxl stores a leading = as a formula)."""
    wb = load_workbook(path)
    sheet = wb["Handlingsplan"]
    rows = {sheet.cell(row=r, column=1).value: r for r in range(2, sheet.max_row + 1)}
    for aid, values in edits.items():
        for key, value in values.items():
            sheet.cell(row=rows[aid], column=COL[key]).value = value
    r = sheet.max_row
    for values in extra_rows:
        r += 1
        for key, value in values.items():
            sheet.cell(row=r, column=COL[key]).value = value
    wb.save(path)


def _by_id(path):
    return {a.action_id: a for a in read_plan(path)}


def test_edits_survive_regeneration(cli, ws25):
    ws_dir, plan = ws25
    edits = {
        "2025-OPP-01-1": dict(responsible="Kvalitetsrådgiver / internkontroll", status="Fullført",
                              deadline=datetime(2026, 3, 31), comment="Ferdig i februar."),
        "2025-BRU-01-2": dict(responsible="Ungdomsrådet og helsesykepleier", status="Pågår",
                              follow_up=datetime(2026, 1, 10), action="Vår egen tekst: spør barnet før møtet."),
        "2025-SAM-01-1": dict(responsible="Kommunalsjef oppvekst", status="Utsatt", comment="Venter på ny avtale."),
    }
    _edit(plan, edits)
    res = cli(["plan", ws_dir, "--round", "2025"])
    assert res.exit_code == 0, res.output
    assert "sikkerhetskopi" in res.output
    backups = list(ws_dir.glob("handlingsplan-eksempeldal-2025.sikkerhetskopi-*.xlsx"))
    assert len(backups) == 1
    after = _by_id(plan)
    for aid, values in edits.items():
        for key, value in values.items():
            got = getattr(after[aid], key)
            assert got == (value.date() if isinstance(value, datetime) else value), (aid, key)
    # the backup is the file as it was before, edits included
    assert _by_id(backups[0])["2025-OPP-01-1"].status == "Fullført"
    # a second regeneration changes nothing people wrote
    assert cli(["plan", ws_dir, "--round", "2025"]).exit_code == 0
    assert _by_id(plan) == after


def test_rows_no_longer_relevant_are_kept_and_marked(cli, ws25):
    ws_dir, plan = ws25
    _edit(plan, {"2025-ROL-03-2": dict(responsible="Barnevernleder", status="Pågår", comment="Startet.")})
    ws = Workspace(ws_dir)
    rnd = ws.round("2025")
    rnd.save_priorities(["OPP-01", "BRU-01", "ROL-02"])  # ROL-03 is no longer a priority
    assert cli(["plan", ws_dir, "--round", "2025"]).exit_code == 0
    after = _by_id(plan)
    stale = after["2025-ROL-03-2"]  # edited: it stays where people put it, marked
    assert stale.kind == "ikke lenger aktuell"
    assert (stale.responsible, stale.status, stale.comment) == ("Barnevernleder", "Pågår", "Startet.")
    assert "2025-ROL-03-1" not in after  # untouched: ROL-03's first action is suggested on «Under mål» instead
    below = [r[0] for r in load_workbook(plan)["Under mål"].iter_rows(min_row=5, values_only=True)]
    assert "2025-ROL-03-1" in below


def test_rows_added_by_hand_get_an_id_and_stay(cli, ws25):
    ws_dir, plan = ws25
    _edit(plan, {}, [dict(indicator="KOM-05", action="Fagdag om vold i nære relasjoner", responsible="SLT-koordinator",
                          status="Pågår")])
    assert cli(["plan", ws_dir, "--round", "2025"]).exit_code == 0
    own = [a for a in read_plan(plan) if a.kind == "eget tiltak"]
    assert len(own) == 1 and own[0].action_id == "2025-EGEN-1" and own[0].indicator_id == "KOM-05"
    assert cli(["plan", ws_dir, "--round", "2025"]).exit_code == 0
    assert [a.action_id for a in read_plan(plan) if a.kind == "eget tiltak"] == ["2025-EGEN-1"]


def test_formula_in_comment_is_stored_as_text(cli, ws25):
    ws_dir, plan = ws25
    evil = '=HYPERLINK("http://example.invalid/x","Klikk her")'
    _edit(plan, {"2025-OPP-01-1": dict(comment=evil, responsible="@Kommunedirektør", action="+ Ta rutinene inn")})
    wb = load_workbook(plan)
    row = next(r for r in range(2, 60) if wb["Handlingsplan"].cell(row=r, column=1).value == "2025-OPP-01-1")
    assert wb["Handlingsplan"].cell(row=row, column=COL["comment"]).data_type == "f"  # as Excel would have it
    assert cli(["plan", ws_dir, "--round", "2025"]).exit_code == 0
    sheet = load_workbook(plan)["Handlingsplan"]
    row = next(r for r in range(2, 60) if sheet.cell(row=r, column=1).value == "2025-OPP-01-1")
    for key, text in (("comment", evil), ("responsible", "@Kommunedirektør"), ("action", "+ Ta rutinene inn")):
        cell = sheet.cell(row=row, column=COL[key])
        assert cell.value == text and cell.data_type == "s" and cell.quotePrefix, key
    with zipfile.ZipFile(plan) as z:
        assert "<f>" not in z.read("xl/worksheets/sheet1.xml").decode()


def test_open_file_gives_clear_message(cli, ws25):
    ws_dir, plan = ws25
    before = plan.read_bytes()
    lock = ws_dir / f".~lock.{plan.name}#"
    lock.write_text("x")
    res = cli(["plan", ws_dir, "--round", "2025"])
    assert res.exit_code == 2
    assert "åpen i Excel eller LibreOffice" in res.output
    assert plan.read_bytes() == before
    assert not list(ws_dir.glob("*.sikkerhetskopi-*"))


@pytest.mark.parametrize("key,value,message", [
    ("status", "Ferdig", "ukjent status «Ferdig»"),
    ("deadline", "snart", "«snart» er ikke en dato"),
])
def test_broken_cell_is_named(cli, ws25, key, value, message):
    ws_dir, plan = ws25
    _edit(plan, {"2025-OPP-01-2": {key: value}})
    before = plan.read_bytes()
    res = cli(["plan", ws_dir, "--round", "2025"])
    assert res.exit_code == 2
    assert message in res.output and "Handlingsplan" in res.output
    assert f"celle {'K' if key == 'status' else 'J'}3" in res.output
    assert plan.read_bytes() == before


def test_dates_typed_as_text_are_read(cli, ws25):
    ws_dir, plan = ws25
    _edit(plan, {"2025-OPP-01-2": dict(deadline="01.03.2026", status="pågår")})
    assert cli(["plan", ws_dir, "--round", "2025"]).exit_code == 0
    a = _by_id(plan)["2025-OPP-01-2"]
    assert (a.deadline, a.status) == (date(2026, 3, 1), "Pågår")


def test_not_a_plan_and_wrong_round_are_refused(cli, ws25, tmp_path):
    ws_dir, plan = ws25
    other = tmp_path / "annet.xlsx"
    Workbook().save(other)
    res = cli(["plan", ws_dir, "--round", "2025", "--out", other])
    assert res.exit_code == 2 and "er ikke en handlingsplan" in res.output
    res = cli(["plan", ws_dir, "--round", "2026", "--out", plan])
    assert res.exit_code == 2 and "handlingsplanen for runde 2025" in res.output
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a zip")
    res = cli(["plan", ws_dir, "--round", "2025", "--out", broken])
    assert res.exit_code == 2 and "ikke en gyldig Excel-fil" in res.output


def test_national_id_in_comment_is_refused(cli, ws25):
    ws_dir, plan = ws25
    _edit(plan, {"2025-OPP-01-1": dict(comment="Gjelder barn med fnr 01010112345")})
    from samordna.core.privacy import is_national_id

    if not is_national_id("01010112345"):  # pick a number with valid check digits
        number = next(f"010101{n:05d}" for n in range(100000) if is_national_id(f"010101{n:05d}"))
        _edit(plan, {"2025-OPP-01-1": dict(comment=f"Gjelder barn med fnr {number}")})
    res = cli(["plan", ws_dir, "--round", "2025"])
    assert res.exit_code == 2 and "fødselsnummer" in res.output


def test_new_round_starts_from_previous_plan(cli, sample_ws):
    prev = {a.action_id: a for a in read_plan(sample_ws / "handlingsplan-eksempeldal-2025.xlsx")}
    res = cli(["plan", sample_ws, "--round", "2026"])
    assert res.exit_code == 0, res.output
    assert "Handlingsplanen fra forrige runde" in res.output
    new_plan = sample_ws / "handlingsplan-eksempeldal-2026.xlsx"
    new = {a.action_id: a for a in read_plan(new_plan)}
    carried = 0
    sheet = load_workbook(new_plan)["Handlingsplan"]
    notes = {sheet.cell(row=r, column=1).value: sheet.cell(row=r, column=COL["previous"]).value
             for r in range(2, sheet.max_row + 1)}
    # 2025 was answered on bank 1.0.0 and 2026 on 2.0.0: the bank's map says where each action goes
    from samordna.core.migration import new_ids_for_old
    from samordna.io.workspace import Workspace

    bank = Workspace(sample_ws).round("2026").bank
    moved_elsewhere = 0
    for aid, p in prev.items():
        if "EGEN" in aid or (p.status not in ("Fullført", "Avbrutt") and not carries(p)):  # untouched suggestions
            continue  # below target are not carried (they are suggested again on «Under mål»)
        old_ind, k = aid.removeprefix("2025-").rsplit("-", 1)
        targets = new_ids_for_old(bank, "samordna-0-24", "1.0.0", old_ind)
        comparable = bank.migration_from("1.0.0").step_for_old(old_ind).comparable
        new_id = f"2026-{targets[0]}-{k}" if comparable else f"2026-FRA-{aid}"
        if new_id in new and p.status not in ("Fullført", "Avbrutt"):
            a = new[new_id]
            assert (a.responsible, a.status, a.comment, a.action) == (p.responsible, p.status, p.comment, p.action)
            assert notes[new_id].startswith(f"Videreført fra {aid} ({p.status})")  # may add a note on the bank change
            carried += 1
            moved_elsewhere += not comparable
        elif new_id in new and p.status in ("Fullført", "Avbrutt"):
            # a note on the bank change may follow («BRU-01 har ny ordlyd i bank 2.0.0.»)
            assert new[new_id].status == "Ikke startet" and notes[new_id].startswith(f"{aid}: {p.status}")
        elif p.status not in ("Fullført", "Avbrutt") and not comparable:
            raise AssertionError(f"{aid} ({p.status}) on a changed indicator was not kept as {new_id}")
    assert moved_elsewhere >= 1  # at least one action on a split or replaced indicator is kept, not lost
    assert carried >= 4
    wb = load_workbook(new_plan)
    counts = {r[0]: r[1] for r in wb["Forrige plan"].iter_rows(min_row=5, max_row=9, values_only=True)}
    for status in ("Fullført", "Pågår", "Utsatt"):
        assert counts[status] == sum(1 for p in prev.values() if p.status == status)


def test_round_new_shows_what_was_done(cli, sample_ws):
    assert cli(["plan", sample_ws, "--round", "2026"]).exit_code == 0
    res = cli(["round", "new", sample_ws, "--year", "2027"])
    assert res.exit_code == 0, res.output
    assert "Handlingsplanen fra forrige runde (handlingsplan-eksempeldal-2026.xlsx)" in res.output
    assert "Ikke ferdig:" in res.output and "pågår" in res.output
