"""Rounds that cannot be opened twice by accident, and can be deleted (moved aside) and restored."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from samordna.core.errors import SamordnaError
from samordna.io.lock import read_lock
from samordna.io.workspace import DELETED_DIR, RoundExistsError, Workspace
from samordna.ui.prompter import INTERRUPT

ROOT = Path(__file__).resolve().parents[1]


def tree(root: Path) -> dict[str, bytes | None]:
    """Every file and folder under ``root`` with its content (folders: None), to prove nothing changed."""
    return {p.relative_to(root).as_posix(): (p.read_bytes() if p.is_file() else None)
            for p in sorted(root.rglob("*")) if p.name != ".samordna.lock"}



# --- a second round the same year ----------------------------------------------------------------


def test_round_new_for_a_year_with_a_round_is_refused_and_writes_nothing(cli, sample_ws):
    before = tree(sample_ws)
    res = cli(["round", "new", sample_ws, "--year", "2026"])
    assert res.exit_code == 2, res.output
    assert tree(sample_ws) == before
    assert Workspace(sample_ws).round_ids() == ["2024", "2025", "2026"]
    err = res.stderr
    assert "Runde 2026 finnes allerede for Eksempeldal (11 deltakere). Ingenting er endret." in err
    # what the user most likely wants, as commands to paste, with the folder (2026 is the default: no --round)
    assert f"samordna assess {sample_ws} " in err and f"samordna kit {sample_ws} " in err
    assert "--round" not in err.split("Bare hvis")[0]
    # a second round only on purpose
    assert f"åpne runde 2026-2 med:\n  samordna round new {sample_ws} --year 2026 --ekstra" in err
    assert "Traceback" not in res.output


def test_an_older_year_is_continued_with_round_named(cli, sample_ws):
    res = cli(["round", "new", sample_ws, "--year", "2025"])
    assert res.exit_code == 2
    assert "Runde 2025 finnes allerede for Eksempeldal (10 deltakere)." in res.stderr
    assert f"samordna assess {sample_ws} --round 2025 " in res.stderr


def test_an_empty_round_of_the_year_offers_delete_and_one_participant_is_singular(cli, empty_ws, tmp_path):
    res = cli(["round", "new", empty_ws, "--year", "2026"])
    assert res.exit_code == 2
    assert "Runde 2026 finnes allerede for Testvik (0 deltakere)." in res.stderr
    assert f"samordna round delete {empty_ws} --round 2026" in res.stderr
    (empty_ws / "runder" / "2026" / "svar" / "D01.yaml").write_text("x", encoding="utf-8")  # only counted
    res = cli(["round", "new", empty_ws, "--year", "2026"])
    assert "(1 deltaker)." in res.stderr and "round delete" not in res.stderr


def test_a_folder_with_a_space_is_quoted_in_the_commands_to_paste(cli, tmp_path, bank_path):
    ws = Workspace.init(tmp_path / "Mitt arbeid", "Testvik", "9998")
    ws.new_round(year=2026, bank_path=bank_path)
    res = cli(["round", "new", ws.root, "--year", "2026", "--bank", bank_path])
    assert f'samordna assess "{ws.root}"' in res.stderr


def test_ekstra_opens_a_second_round_that_year(cli, sample_ws):
    res = cli(["round", "new", sample_ws, "--year", "2026", "--ekstra"])
    assert res.exit_code == 0, res.output
    assert "Åpnet runde 2026-2" in res.stdout
    assert f"samordna assess {sample_ws}" in res.stdout  # next steps can be pasted
    ws = Workspace(sample_ws)
    assert ws.round_ids() == ["2024", "2025", "2026", "2026-2"]
    assert ws.rounds_of_year(2026) == ["2026", "2026-2"]
    # and a third year-round names both in its refusal
    res = cli(["round", "new", sample_ws, "--year", "2026"])
    assert "2026 har allerede 2 runder for Eksempeldal: 2026 (11 deltakere), 2026-2 (0 deltakere)." in res.stderr
    assert "åpne runde 2026-3 med" in res.stderr


def test_the_python_api_refuses_too(empty_ws, bank_path):
    ws = Workspace(empty_ws)
    with pytest.raises(RoundExistsError) as err:
        ws.new_round(year=2026, bank_path=bank_path)
    assert err.value.existing == [("2026", 0)] and err.value.next_id == "2026-2"
    assert ws.round_ids() == ["2026"]
    assert not any((empty_ws / "runder").glob(".*"))  # not even a half-built round
    assert ws.new_round(year=2026, bank_path=bank_path, extra=True).id == "2026-2"
    assert ws.new_round(year=2027, bank_path=bank_path).id == "2027"  # a new year needs no option


# --- the default round ---------------------------------------------------------------------------


def test_the_default_round_is_the_newest_and_the_note_says_when_it_is_empty(sample_ws, bank_path):
    ws = Workspace(sample_ws)
    assert ws.round().id == "2026"
    assert ws.default_round_note() is None  # the newest has answers
    ws.new_round(year=2026, bank_path=bank_path, extra=True)
    assert ws.round().id == "2026-2"  # newest: the highest year, then the highest number
    assert ws.default_round_note() == (
        "Runde 2026-2 er den nyeste og brukes når du ikke velger runde, men den har ingen svar ennå. "
        "Runde 2026 har 11 deltakere: velg den med --round 2026.")
    ws.new_round(year=2027, bank_path=bank_path)
    assert ws.round().id == "2027"
    assert "Runde 2027 er den nyeste" in (ws.default_round_note() or "")
    assert "Runde 2026 har 11 deltakere" in (ws.default_round_note() or "")  # the newest older one with answers


def test_no_note_for_a_single_empty_round(empty_ws):
    assert Workspace(empty_ws).default_round_note() is None


def test_round_list_names_the_default_and_the_note(cli, sample_ws):
    assert cli(["round", "new", sample_ws, "--year", "2026", "--ekstra"]).exit_code == 0
    res = cli(["round", "list", sample_ws])
    assert "2026-2: åpnet" in res.stdout and "0 deltakere" in res.stdout
    assert "ingen konsensus ennå (standard når --round ikke er valgt)" in res.stdout.splitlines()[3]
    assert "(standard" not in "".join(res.stdout.splitlines()[:3])
    assert "Merk: Runde 2026-2 er den nyeste" in res.stdout


# --- delete and restore --------------------------------------------------------------------------


def test_delete_asks_moves_lists_and_restores(cli, sample_ws, scripted):
    assert cli(["round", "new", sample_ws, "--year", "2026", "--ekstra"]).exit_code == 0
    before = tree(sample_ws / "runder" / "2026-2")

    p = scripted([False])  # «no»: nothing moved
    res = cli(["round", "delete", sample_ws, "--round", "2026-2"])
    assert res.exit_code == 0 and "Ingenting er slettet." in res.stdout
    assert p.transcript[0][0] == "confirm" and "Slette runde 2026-2 for Eksempeldal (0 deltakere)?" in p.transcript[0][1]
    assert Workspace(sample_ws).round_ids()[-1] == "2026-2" and not (sample_ws / DELETED_DIR).exists()

    scripted([True])
    res = cli(["round", "delete", sample_ws, "--round", "2026-2"])
    assert res.exit_code == 0, res.output
    ws = Workspace(sample_ws)
    assert ws.round_ids() == ["2024", "2025", "2026"]
    [d] = ws.deleted_rounds()
    assert d.id == "2026-2" and d.path.parent == sample_ws / DELETED_DIR and d.path.name.startswith("2026-2_slettet_")
    assert tree(d.path) == before  # the whole round, as it was
    assert f"flyttet til {d.path}" in res.stdout
    assert f"samordna round restore {sample_ws} 2026-2" in res.stdout
    assert "Nå bruker kommandoene runde 2026" in res.stdout

    listed = cli(["round", "list", sample_ws])
    assert listed.exit_code == 0 and "hopper over" not in listed.stderr  # the backup is no stray round folder
    active, _, deleted = listed.stdout.partition("Slettet")
    assert "2026-2" not in active
    assert "2026-2: slettet" in deleted and "0 deltakere" in deleted

    res = cli(["round", "restore", sample_ws, "2026-2"])
    assert res.exit_code == 0, res.output
    assert "Runde 2026-2 er lagt tilbake (0 deltakere)." in res.stdout
    assert Workspace(sample_ws).round_ids()[-1] == "2026-2"
    assert tree(sample_ws / "runder" / "2026-2") == before
    assert Workspace(sample_ws).deleted_rounds() == []


def test_delete_with_ja_asks_nothing_and_round_with_answers_is_described(cli, sample_ws, scripted):
    p = scripted([])
    res = cli(["round", "delete", sample_ws, "--round", "2025", "--ja"])
    assert res.exit_code == 0 and p.transcript == []
    assert "Handlingsplanen for 2025 (handlingsplan-eksempeldal-2025.xlsx) er ikke rørt." in res.stdout
    assert (sample_ws / "handlingsplan-eksempeldal-2025.xlsx").exists()
    [d] = Workspace(sample_ws).deleted_rounds()
    assert d.n_participants == 10 and (d.path / "konsensus.yaml").exists()
    asked = scripted([False])
    res = cli(["round", "delete", sample_ws, "--round", "2024"])
    assert res.exit_code == 0 and "Slette runde 2024 for Eksempeldal (9 deltakere, konsensus" in asked.transcript[0][1]


def test_delete_without_a_terminal_and_without_ja_is_refused(cli, sample_ws):
    before = tree(sample_ws)
    res = cli(["round", "delete", sample_ws, "--round", "2026"])  # the test runner has no terminal
    assert res.exit_code == 2 and "--ja" in res.stderr
    assert tree(sample_ws) == before


def test_ctrl_c_at_the_confirmation_writes_nothing(cli, sample_ws, scripted):
    before = tree(sample_ws)
    scripted([INTERRUPT])
    res = cli(["round", "delete", sample_ws, "--round", "2026"])
    assert res.exit_code == 130
    assert tree(sample_ws) == before


def test_unknown_round_is_refused_before_asking(cli, sample_ws, scripted):
    p = scripted([True])
    res = cli(["round", "delete", sample_ws, "--round", "2031"])
    assert res.exit_code == 2 and "Fant ikke runden «2031»" in res.stderr and p.transcript == []
    res = cli(["round", "delete", sample_ws])
    assert res.exit_code == 2 and "--round" in res.stderr


def test_the_move_is_made_under_the_workspace_lock(sample_ws, monkeypatch):
    ws = Workspace(sample_ws)
    seen = []
    real = Path.rename

    def rename(self, target):
        lock = read_lock(sample_ws / ".samordna.lock")
        seen.append((self.name, lock.command if lock else None, lock.pid if lock else None))
        return real(self, target)

    monkeypatch.setattr(Path, "rename", rename)
    target = ws.delete_round("2026")
    ws.restore_round(target.name)
    assert seen == [("2026", "samordna round delete", os.getpid()),
                    (target.name, "samordna round restore", os.getpid())]


def test_delete_waits_for_another_writer_and_moves_nothing(cli, sample_ws, monkeypatch):
    code = (f"import time; from samordna.io.workspace import Workspace\n"
            f"with Workspace({str(sample_ws)!r}).lock('samordna test'):\n"
            f"    print('holding', flush=True); time.sleep(30)\n")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT / "cli"), os.environ.get("PYTHONPATH", "")]))
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        monkeypatch.setenv("SAMORDNA_LOCK_WAIT", "0.5")
        res = cli(["round", "delete", sample_ws, "--round", "2026", "--ja"])
        res2 = cli(["round", "restore", sample_ws, "2026"])
    finally:
        holder.kill()
        holder.wait()
    assert res.exit_code == 2 and "i bruk av samordna test" in res.stderr
    assert Workspace(sample_ws).round_ids() == ["2024", "2025", "2026"]
    assert not (sample_ws / DELETED_DIR).exists() or not any((sample_ws / DELETED_DIR).iterdir())
    assert res2.exit_code == 2


def test_restore_refuses_when_the_round_is_there_again(cli, empty_ws, bank_path):
    ws = Workspace(empty_ws)
    first = ws.delete_round("2026")
    ws.new_round(year=2026, bank_path=bank_path)
    before = tree(empty_ws)
    res = cli(["round", "restore", empty_ws, first.name])
    assert res.exit_code == 2
    assert f"Runde 2026 finnes allerede i {empty_ws / 'runder'}, så {first.name} er ikke lagt tilbake." in res.stderr
    assert tree(empty_ws) == before
    # deleted twice: the id alone is ambiguous, the folder name is not
    second = ws.delete_round("2026")
    res = cli(["round", "restore", empty_ws, "2026"])
    assert res.exit_code == 2 and "slettet 2 ganger" in res.stderr and first.name in res.stderr
    res = cli(["round", "restore", empty_ws, str(second)])  # a full path works too
    assert res.exit_code == 0, res.output
    assert [d.path for d in Workspace(empty_ws).deleted_rounds()] == [first]
    res = cli(["round", "restore", empty_ws, "2019"])
    assert res.exit_code == 2 and f"Slettede runder: {first.name}." in res.stderr


def test_restore_only_from_the_backup_folder(cli, empty_ws, tmp_path):
    elsewhere = tmp_path / "2026_slettet_2026-01-01_000000"
    Workspace(empty_ws).delete_round("2026").rename(elsewhere)
    res = cli(["round", "restore", empty_ws, str(elsewhere)])
    assert res.exit_code == 2 and f"ligger ikke i {empty_ws / DELETED_DIR}" in res.stderr
    assert elsewhere.exists() and Workspace(empty_ws).round_ids() == []


def test_deleting_the_only_round_says_how_to_start_again(cli, empty_ws):
    res = cli(["round", "delete", empty_ws, "--round", "2026", "--ja"])
    assert res.exit_code == 0
    assert f"Testvik har ingen runder nå. Åpne en med: samordna round new {empty_ws}" in res.stdout
    listed = cli(["round", "list", empty_ws])
    assert "ingen runder ennå" in listed.stdout and "2026: slettet" in listed.stdout


# --- a deleted round counts nowhere --------------------------------------------------------------


def test_a_deleted_round_is_not_scored(cli, sample_ws):
    assert cli(["round", "delete", sample_ws, "--round", "2026", "--ja"]).exit_code == 0
    res = cli(["score", sample_ws])
    assert res.exit_code == 0, res.output
    assert "runde 2025" in res.stdout and "runde 2026" not in res.stdout
    assert "hopper over" not in res.stderr
    res = cli(["score", sample_ws, "--round", "2026"])
    assert res.exit_code == 2 and "Fant ikke runden «2026»" in res.stderr
    res = cli(["validate", sample_ws])
    assert res.exit_code == 0 and "Runde 2026:" not in res.stdout
    assert f"Slettet (i {DELETED_DIR}/, ikke med i noe): 2026." in res.stdout


def test_a_deleted_round_is_not_collected_by_region(sample_ws):
    from samordna.io.region_collect import collect

    Workspace(sample_ws).delete_round("2026")
    collection = collect([sample_ws.parent])
    [m] = collection.municipalities
    assert [r.round for r in m.rounds] == ["2024", "2025"]
    assert not collection.problems
    others = [*getattr(collection, "skipped", []), *getattr(collection, "ignored", [])]
    assert not [s for s in others if DELETED_DIR in str(getattr(s, "path", s))]


def test_writing_into_a_round_deleted_meanwhile_is_refused(sample_ws):
    ws = Workspace(sample_ws)
    rnd = ws.round("2026")
    _ = rnd.bank  # a session that has been running (assess, consensus) has read its bank
    ws.delete_round("2026")
    with pytest.raises(SamordnaError) as err:
        rnd.save_priorities(["LED-01"])
    assert "Runde 2026 er slettet eller flyttet mens du arbeidet" in err.value.message
    assert f"samordna round restore {sample_ws} 2026" in err.value.message
    assert not (sample_ws / "runder" / "2026").exists()  # no half round made by the write
    with pytest.raises(SamordnaError):
        rnd.update_participant("D01", lambda current: current)  # type: ignore[arg-type,return-value]


def test_help_pages_have_examples(cli):
    for sub in ("new", "list", "delete", "restore"):
        res = cli(["round", sub, "--help"])
        assert res.exit_code == 0 and "Eksempel: samordna round " + sub in res.stdout, sub


def test_two_round_new_at_once_open_one_round(empty_ws, bank_path):
    """The check is made under the lock: of two processes opening 2027 at the same moment, one opens it and the
    other is told it exists (before, they opened 2027 and 2027-2)."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT / "cli"), os.environ.get("PYTHONPATH", "")]))
    env.pop("SAMORDNA_DEBUG", None)
    args = [sys.executable, "-m", "samordna", "round", "new", str(empty_ws), "--year", "2027", "--bank", str(bank_path)]
    procs = [subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    results = [(p.wait(timeout=120), p.stdout.read() if p.stdout else "", p.stderr.read() if p.stderr else "")
               for p in procs]
    assert sorted(code for code, _, _ in results) == [0, 2], results
    [(_, _, err)] = [r for r in results if r[0] == 2]
    assert "Runde 2027 finnes allerede for Testvik (0 deltakere)." in err
    assert Workspace(empty_ws).round_ids() == ["2026", "2027"]


def test_commands_say_when_the_default_round_has_no_answers(cli, sample_ws):
    assert cli(["round", "new", sample_ws, "--year", "2027"]).exit_code == 0
    for args in (["score", sample_ws], ["plan", sample_ws]):
        res = cli(args)
        assert res.exit_code == 0, res.output
        assert "Merk:" in res.stderr and "--round 2026" in res.stderr, (args, res.stderr)
    res = cli(["score", sample_ws, "--round", "2026"])  # a chosen round needs no note
    assert res.exit_code == 0 and "Merk:" not in res.stderr


def test_plan_open_never_fails(cli, sample_ws, monkeypatch):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    res = cli(["plan", sample_ws, "--round", "2025", "--open"])
    assert res.exit_code == 0, res.output
    assert "handlingsplan-eksempeldal-2025.xlsx" in res.stdout.splitlines()[-1]
