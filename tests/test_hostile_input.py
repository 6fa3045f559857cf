"""Hostile and damaged input, operating-system errors and stray folders (issue #11).

Every case ends the same way: exit code 2, one Norwegian message naming the file and the place
(line, key) or the cause, no traceback, and nothing written (the workspace's bytes are compared
before and after). CRLF and BOM files keep working.
"""

from __future__ import annotations

import errno
import os
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import run_cli_within

ROOT = Path(__file__).resolve().parents[1]
R = "2025"  # the sample's round with consensus and priorities


# --- helpers -------------------------------------------------------------------------


def snapshot(root: Path) -> dict[str, bytes | None]:
    """Every file's bytes (folders as None), by path relative to ``root``."""
    out: dict[str, bytes | None] = {}
    for p in sorted(root.rglob("*")):
        rel = str(p.relative_to(root))
        if p.is_symlink() or p.is_fifo():
            out[rel] = b"<special>"
        elif p.is_dir():
            out[rel] = None
        else:
            out[rel] = p.read_bytes()
    return out


def refused(res, *needles: str) -> None:
    """Exit 2, no traceback, every needle in what was printed."""
    assert res.exit_code == 2, res.output
    assert "Traceback" not in res.output
    assert "programfeil" not in res.output
    for needle in needles:
        assert needle in res.output, (needle, res.output)


def subprocess_cli(args, *, timeout: float = 60, memory: int | None = None) -> subprocess.CompletedProcess:
    """The real console entry in a child process (for cases that would crash or flood a process if broken)."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "cli") + os.pathsep + env.get("PYTHONPATH", "")
    env.pop("SAMORDNA_DEBUG", None)

    def limit() -> None:
        if memory:
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    return subprocess.run([sys.executable, "-m", "samordna", *map(str, args)], capture_output=True, text=True,
                          env=env, timeout=timeout, preexec_fn=limit)


def participant(ws: Path, code: str = "D01", rnd: str = R) -> Path:
    return ws / "runder" / rnd / "svar" / f"{code}.yaml"


# --- YAML limits -----------------------------------------------------------------------


def test_too_large_yaml_is_refused_naming_the_limit(cli, sample_ws):
    path = participant(sample_ws)
    path.write_text(path.read_text(encoding="utf-8") + "# " + "x" * (5 * 1024 * 1024) + "\n", encoding="utf-8")
    before = snapshot(sample_ws)
    res = cli(["validate", sample_ws])
    refused(res, "D01.yaml", "for stor", "grensen er 5 MB")
    assert snapshot(sample_ws) == before


def test_twenty_thousand_nested_brackets(cli, sample_ws):
    path = participant(sample_ws)
    path.write_text(path.read_text(encoding="utf-8").replace("source: demo", "source: " + "[" * 20_000 + "]" * 20_000),
                    encoding="utf-8")
    before = snapshot(sample_ws)
    res = cli(["validate", sample_ws])
    refused(res, "D01.yaml", "linje 8", "nøstet for dypt", "64")
    assert snapshot(sample_ws) == before


def test_two_million_brackets_do_not_crash_the_parser(tmp_path):
    """libyaml's composer recurses in C and dies (SIGSEGV) somewhere past 100 000 levels: depth is measured first."""
    bad = tmp_path / "dyp.yaml"
    bad.write_text("[" * 2_000_000 + "]" * 2_000_000, encoding="utf-8")
    res = subprocess_cli(["validate", bad])
    assert res.returncode == 2, (res.returncode, res.stderr[-500:])
    assert "dyp.yaml, linje 1: strukturen er nøstet for dypt" in res.stderr
    assert "Traceback" not in res.stderr


def test_deep_block_indentation(cli, sample_ws):
    text = "".join(" " * i + f"k{i}:\n" for i in range(200)) + " " * 200 + "v\n"
    participant(sample_ws).write_text(text, encoding="utf-8")
    refused(cli(["validate", sample_ws]), "D01.yaml", "nøstet for dypt")


LAUGHS = "".join(
    ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n']
    + [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(9)])


def test_billion_laughs_bank_is_refused_fast(cli, tmp_path):
    bank = tmp_path / "bank.yaml"
    bank.write_text(LAUGHS, encoding="utf-8")
    start = time.perf_counter()
    res = run_cli_within(30, ["validate", bank])
    assert time.perf_counter() - start < 5
    refused(res, "bank.yaml", "aliasene (*navn) gir mer enn 100 000 verdier")


def test_billion_laughs_in_a_participant_file(cli, sample_ws):
    path = participant(sample_ws)
    path.write_text(LAUGHS + path.read_text(encoding="utf-8"), encoding="utf-8")
    refused(run_cli_within(30, ["validate", sample_ws]), "D01.yaml", "aliasene")


@pytest.mark.parametrize("alias", ["&a [*a]", "&a {x: *a}", "&a [[[*a]]]"])
def test_alias_that_refers_to_itself(cli, sample_ws, alias):
    path = participant(sample_ws)
    path.write_text(path.read_text(encoding="utf-8").replace("source: demo", f"source: {alias}"), encoding="utf-8")
    before = snapshot(sample_ws)
    refused(cli(["validate", sample_ws]), "D01.yaml", "linje 8", "viser til seg selv")
    refused(cli(["score", sample_ws, "--round", R]), "D01.yaml", "viser til seg selv")
    assert snapshot(sample_ws) == before


def test_ordinary_aliases_and_merge_keys_still_work(tmp_path):
    from samordna.io.yamlio import parse_yaml

    doc = parse_yaml("base: &b {level: 2, comment: x}\nLED-01: *b\nLED-02:\n  <<: *b\n  level: 3\n", tmp_path / "a.yaml")
    assert doc.data["LED-01"] == {"level": 2, "comment": "x"}
    assert doc.data["LED-02"] == {"level": 3, "comment": "x"}  # a merged key may be overridden


# --- duplicate keys ---------------------------------------------------------------


def test_duplicate_top_key_in_a_participant_file(cli, sample_ws):
    path = participant(sample_ws)
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines[2].startswith("sector:")
    lines.insert(6, "sector: skole\n")  # line 7
    path.write_text("".join(lines), encoding="utf-8")
    before = snapshot(sample_ws)
    res = cli(["validate", sample_ws])
    refused(res, "D01.yaml, linje 7: nøkkelen «sector» står to ganger (linje 3 og 7)")
    assert snapshot(sample_ws) == before


def test_duplicate_indicator_in_an_answer_file(cli, empty_ws, tmp_path):
    answers = tmp_path / "svar.yaml"
    answers.write_text("answers:\n  LED-01: 3\n  LED-03: 2\n  LED-01: 1\n", encoding="utf-8")
    before = snapshot(empty_ws)
    res = cli(["assess", empty_ws, "--participant", "D05", "--sector", "barnehage", "--answers", answers])
    refused(res, "svar.yaml, linje 4: nøkkelen «LED-01» står to ganger (linje 2 og 4)")
    assert snapshot(empty_ws) == before


@pytest.mark.parametrize(("text", "needle"), [
    ("participant: D05\ndeltaker: D06\nanswers:\n  LED-01: 3\n", "«deltaker» betyr det samme som «participant»"),
    ("answers:\n  LED-01: {level: 3, nivå: 1}\n", "«nivå» betyr det samme som «level»"),
])
def test_two_spellings_of_one_key_in_an_answer_file(cli, empty_ws, tmp_path, text, needle):
    answers = tmp_path / "svar.yaml"
    answers.write_text(text, encoding="utf-8")
    before = snapshot(empty_ws)
    res = cli(["assess", empty_ws, "--participant", "D05", "--sector", "barnehage", "--answers", answers])
    refused(res, "svar.yaml, linje", needle)
    assert snapshot(empty_ws) == before


def test_duplicate_consensus_entry(cli, sample_ws):
    path = sample_ws / "runder" / R / "konsensus.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "  LED-01:\n    level: 4\n    rationale: Igjen.\n",
                    encoding="utf-8")
    n = path.read_text(encoding="utf-8").count("\n")
    refused(cli(["validate", sample_ws]), f"konsensus.yaml, linje {n - 2}: nøkkelen «LED-01» står to ganger (linje 6 og")


def test_same_priority_twice(cli, sample_ws):
    path = sample_ws / "runder" / R / "prioriteringer.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "- BRU-01\n", encoding="utf-8")
    before = snapshot(sample_ws)
    res = cli(["validate", sample_ws])
    refused(res, "prioriteringer.yaml, linje 11 (priorities[4]): «BRU-01» står to ganger (også på linje 8)")
    assert snapshot(sample_ws) == before


# --- booleans where numbers belong ----------------------------------------------------


def test_level_true_in_a_participant_file(cli, sample_ws):
    path = participant(sample_ws)
    text, n = re.subn(r"  LED-01:\n    level: \d\n", "  LED-01:\n    level: true\n", path.read_text(encoding="utf-8"))
    assert n == 1
    path.write_text(text, encoding="utf-8")
    refused(cli(["validate", sample_ws]), "D01.yaml, linje 11 (answers.LED-01.level)", "ikke en ja/nei-verdi («true»)")
    refused(cli(["score", sample_ws, "--round", R]), "D01.yaml, linje 11")


def test_level_true_in_consensus(cli, sample_ws):
    path = sample_ws / "runder" / R / "konsensus.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  LED-01:\n    level: 2\n", "  LED-01:\n    level: yes\n", 1), encoding="utf-8")
    refused(cli(["validate", sample_ws]), "konsensus.yaml, linje 7 (entries.LED-01.level)", "ja/nei-verdi")


def test_level_true_in_an_answer_file(cli, empty_ws, tmp_path):
    answers = tmp_path / "svar.yaml"
    answers.write_text("answers:\n  LED-01: 3\n  LED-03: true\n", encoding="utf-8")
    before = snapshot(empty_ws)
    res = cli(["assess", empty_ws, "--participant", "D05", "--sector", "barnehage", "--answers", answers])
    refused(res, "svar.yaml, linje 3 (answers.LED-03): ugyldig svar «True»")
    assert snapshot(empty_ws) == before


def test_year_true_in_a_round_file(cli, sample_ws):
    path = sample_ws / "runder" / R / "runde.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("year: 2025", "year: true"), encoding="utf-8")
    refused(cli(["validate", sample_ws]), "runde.yaml, linje 3 (year)", "ja/nei-verdi")


# --- files that are not regular files ------------------------------------------------


def test_fifo_participant_file_does_not_block(cli, sample_ws):
    fifo = participant(sample_ws, "D99")
    os.mkfifo(fifo)
    res = run_cli_within(30, ["validate", sample_ws])
    refused(res, "D99.yaml", "navngitt rør (FIFO)")
    res = run_cli_within(30, ["score", sample_ws, "--round", R])
    refused(res, "D99.yaml", "ikke en vanlig fil")


def test_fifo_answer_files_and_forms_do_not_block(cli, empty_ws, tmp_path):
    for name in ("svar.yaml", "svar.csv", "skjema.xlsx"):
        os.mkfifo(tmp_path / name)
    before = snapshot(empty_ws)
    for name in ("svar.yaml", "svar.csv"):
        res = run_cli_within(30, ["assess", empty_ws, "--participant", "D05", "--sector", "barnehage",
                              "--answers", tmp_path / name])
        refused(res, name, "ikke en vanlig fil")
    refused(run_cli_within(30, ["import", empty_ws, tmp_path / "skjema.xlsx"]), "skjema.xlsx", "ikke en vanlig fil")
    assert snapshot(empty_ws) == before


def test_link_to_dev_zero_is_refused_before_reading(sample_ws, tmp_path):
    """In a child process with 1 GB of memory, so a reader that followed /dev/zero could not take the machine."""
    os.symlink("/dev/zero", participant(sample_ws, "D99"))
    os.symlink("/dev/zero", tmp_path / "bank.yaml")
    for target in (sample_ws, tmp_path / "bank.yaml"):
        res = subprocess_cli(["validate", target], memory=1 << 30)
        assert res.returncode == 2, (res.returncode, res.stderr[-500:])
        assert "en enhet (/dev/zero), ikke en vanlig fil" in res.stderr
        assert "Traceback" not in res.stderr


def test_a_folder_where_a_file_belongs(cli, empty_ws, tmp_path):
    (tmp_path / "svar.yaml").mkdir()
    res = cli(["assess", empty_ws, "--participant", "D05", "--sector", "barnehage", "--answers", tmp_path / "svar.yaml"])
    refused(res, "svar.yaml er en mappe, ikke en fil")


# --- operating-system errors ---------------------------------------------------------


def _answers(tmp_path: Path) -> Path:
    path = tmp_path / "svar.yaml"
    path.write_text("answers:\n  LED-01: 3\n", encoding="utf-8")
    return path


def _assess(ws: Path, answers: Path) -> list:
    return ["assess", ws, "--participant", "D05", "--sector", "barnehage", "--answers", answers]


def test_read_only_disk(cli, empty_ws, tmp_path, monkeypatch):
    def read_only(src, dst, *a, **k):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(src))

    before = snapshot(empty_ws)
    monkeypatch.setattr(os, "replace", read_only)
    res = cli(_assess(empty_ws, _answers(tmp_path)))
    monkeypatch.undo()
    refused(res, "skrivebeskyttet")
    assert "D05.yaml" in res.output and ".tmp" not in res.output  # the file as the person knows it
    assert snapshot(empty_ws) == before


def test_no_permission(cli, empty_ws, tmp_path, monkeypatch):
    import tempfile

    def denied(*a, dir=None, **k):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(dir))

    before = snapshot(empty_ws)
    monkeypatch.setattr(tempfile, "mkstemp", denied)
    res = cli(_assess(empty_ws, _answers(tmp_path)))
    monkeypatch.undo()
    refused(res, "Ingen tilgang til", str(empty_ws / "runder" / "2026" / "svar"))
    assert snapshot(empty_ws) == before


def test_disk_full(cli, empty_ws, tmp_path, monkeypatch):
    def full(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    before = snapshot(empty_ws)
    monkeypatch.setattr(os, "fsync", full)
    res = cli(_assess(empty_ws, _answers(tmp_path)))
    monkeypatch.undo()
    refused(res, "Disken er full", "Frigjør plass")
    assert snapshot(empty_ws) == before


def test_name_too_long_in_plan(cli, tmp_path, bank_path):
    res = cli(["init", tmp_path / "lang", "--kommune", "Lang" * 75, "--kommunenummer", "1234"])
    refused(res, "høyst 80 tegn")  # init refuses it before anything is made
    assert not (tmp_path / "lang").exists()
    # a kommune.yaml edited by hand (or made by an older version) still gets a clear message from plan
    assert cli(["init", tmp_path / "lang", "--kommune", "Lang", "--kommunenummer", "1234"]).exit_code == 0
    kommune = tmp_path / "lang" / "kommune.yaml"
    kommune.write_text(kommune.read_text(encoding="utf-8").replace("name: Lang", "name: " + "Lang" * 75),
                       encoding="utf-8")
    assert cli(["round", "new", tmp_path / "lang", "--year", "2026", "--bank", bank_path]).exit_code == 0
    before = snapshot(tmp_path / "lang")
    res = cli(["plan", tmp_path / "lang"])
    refused(res, "Filnavnet er for langt", "handlingsplan-langlang", "--out")
    assert snapshot(tmp_path / "lang") == before


def test_region_out_is_an_existing_file(cli, sample_ws, tmp_path):
    out = tmp_path / "fylkesbilde"
    out.write_bytes(b"mine")
    res = cli(["region", sample_ws, "--out", out])
    refused(res, f"{out} er en fil, ikke en mappe")
    assert out.read_bytes() == b"mine"


def test_plan_out_in_a_missing_folder(cli, sample_ws, tmp_path):
    target = tmp_path / "finnes" / "ikke" / "plan.xlsx"
    before = snapshot(sample_ws)
    res = cli(["plan", sample_ws, "--out", target])
    refused(res, f"Mappen {target.parent} finnes ikke")
    assert not (tmp_path / "finnes").exists()
    assert snapshot(sample_ws) == before


def test_an_unknown_os_error_is_still_a_bug(cli, sample_ws, monkeypatch):
    def broken(*a, **k):
        raise OSError(errno.EBADF, os.strerror(errno.EBADF))

    monkeypatch.setattr("samordna.core.results.workspace_results", broken)
    monkeypatch.delenv("SAMORDNA_DEBUG")
    res = cli(["score", sample_ws])
    assert res.exit_code == 1
    assert "programfeil" in res.stderr


def test_os_error_messages():
    from samordna.cli.main import os_error_message

    msg = os_error_message(OSError(errno.EROFS, "Read-only", "/ws/svar/.D05.yaml.abcd_123.tmp"))
    assert msg is not None and "/ws/svar/D05.yaml" in msg and ".tmp" not in msg
    msg = os_error_message(OSError(errno.ENAMETOOLONG, "too long", "/ws/" + "a" * 300 + ".xlsx"))
    assert msg is not None and "305 byte" in msg
    assert "finnes allerede" in (os_error_message(OSError(errno.ENOTEMPTY, "x", "/a/.2026.ny", "/a/2026")) or "")
    assert os_error_message(OSError(errno.EBADF, "Bad file descriptor")) is None


# --- stray folders under runder/ ------------------------------------------------------


def _strays(ws: Path) -> None:
    rounds = ws / "runder"
    (rounds / ".2026.ny" / "svar").mkdir(parents=True)  # a crash leftover of «round new»
    (rounds / "abc").mkdir()
    for name in ("2026 - Kopi", "2026-x"):
        (rounds / name).mkdir()
        (rounds / name / "runde.yaml").write_bytes((rounds / "2026" / "runde.yaml").read_bytes())
    (rounds / "2027").mkdir()  # a round's name, but no runde.yaml


def test_stray_folders_are_skipped_with_one_warning_each(cli, sample_ws):
    _strays(sample_ws)
    before = snapshot(sample_ws)
    res = cli(["score", sample_ws])
    assert res.exit_code == 0, res.output
    assert "Runde 2026" in res.stdout or "2026" in res.stdout
    for name in ("abc", "2026 - Kopi", "2026-x", "2027"):
        assert res.stderr.count(f"Merk: hopper over runder/{name}: ikke en runde") == 1, res.stderr
    assert "mangler runde.yaml" in res.stderr
    assert ".2026.ny" not in res.output
    res = cli(["round", "list", sample_ws])
    assert res.exit_code == 0, res.output
    assert [line.split(":")[0] for line in res.stdout.splitlines()] == ["2024", "2025", "2026"]
    assert "Merk: hopper over runder/abc" in res.stderr  # again in a new run
    assert snapshot(sample_ws) == before


@pytest.mark.parametrize("name", ["abc", "2026-x", "2027"])
def test_addressing_a_stray_folder_is_an_error(cli, sample_ws, name):
    _strays(sample_ws)
    res = cli(["score", sample_ws, "--round", name])
    refused(res, f"runder/{name} er ikke en runde")


def test_stray_folders_do_not_stop_validate_or_round_new(cli, sample_ws, bank_path):
    _strays(sample_ws)
    assert cli(["validate", sample_ws]).exit_code == 0
    res = cli(["round", "new", sample_ws, "--year", "2028", "--bank", bank_path])
    assert res.exit_code == 0, res.output
    assert (sample_ws / "runder" / "2028" / "runde.yaml").is_file()


# --- CRLF and BOM ------------------------------------------------------------------------


def _crlf_bom(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))


def test_crlf_and_bom_workspace_files_still_work(cli, sample_ws):
    plain = cli(["score", sample_ws, "--round", R, "--json"])
    assert plain.exit_code == 0, plain.output
    for path in [*(sample_ws / "runder" / R).rglob("*.yaml"), sample_ws / "kommune.yaml"]:
        _crlf_bom(path)
    assert participant(sample_ws).read_bytes().startswith(b"\xef\xbb\xbf#")
    assert cli(["validate", sample_ws]).exit_code == 0
    again = cli(["score", sample_ws, "--round", R, "--json"])
    assert again.exit_code == 0, again.output
    assert again.stdout == plain.stdout


@pytest.mark.parametrize(("name", "text"), [
    ("svar.yaml", "answers:\n  LED-01: 3\n  LED-03: {level: 2, comment: Bra}\n"),
    ("svar.csv", "id;svar;kommentar\nLED-01;3;\nLED-03;2;Bra\n"),
])
def test_crlf_and_bom_answer_files_still_work(cli, empty_ws, tmp_path, name, text):
    import yaml

    path = tmp_path / name
    path.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    res = cli(["assess", empty_ws, "--participant", "D05", "--sector", "barnehage", "--answers", path])
    assert res.exit_code == 0, res.output
    saved = yaml.safe_load((empty_ws / "runder" / "2026" / "svar" / "D05.yaml").read_text(encoding="utf-8"))
    assert saved["answers"] == {"LED-01": {"level": 3}, "LED-03": {"level": 2, "comment": "Bra"}}
