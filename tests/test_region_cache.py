"""The county view's cache: a second ``region`` reads each workspace's levels from the user's cache folder.

What must hold: the outputs are the same bytes; any changed file is computed again; the cache holds no
participant code, comment, rationale or dissent; nothing is ever written in a workspace (even one that cannot be
written); a damaged, foreign or unwritable cache is no error, only no cache.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest
import yaml

from samordna.demo.synthetic import DISSENTS, RATIONALES, Profile, RoundSpec, generate
from samordna.io import region_cache, region_collect
from samordna.io.region_cache import RegionCache, cache_dir, content_key
from samordna.io.region_collect import collect

SECTORS = ["ledelse", "barnehage", "grunnskole", "helsestasjon", "barnevern", "nav"]
DOMAINS = ["LED", "ROL", "SAM", "TID", "TAU", "KOM", "BRU", "OPP"]


def _profile(base: float) -> Profile:
    return Profile(levels={dom: [min(3.8, base + 0.25 * k % 1.5 + 0.2 * y) for y in range(2)]
                           for k, dom in enumerate(DOMAINS)}, comment_rate=0.4)


@pytest.fixture(scope="module")
def county(tmp_path_factory, bank_path) -> Path:
    """Ten small workspaces with comments, rationales and dissent (ten: more than eight, so two workers are used)."""
    root = tmp_path_factory.mktemp("fylke")
    for k in range(10):
        rounds = [RoundSpec(y, SECTORS[: 3 + k % 3], consensus=True, priorities=False) for y in (2025, 2026)]
        generate(root / f"k{k}", bank_path, name=f"Kommune {k}", number=f"{6001 + k}", rounds=rounds,
                 profile=_profile(1.0 + 0.2 * k), seed=k, comments=True)
    return root


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("SAMORDNA_CACHE_DIR", str(folder))
    return folder / "region"


def _snapshot(root: Path) -> dict[str, tuple[int, int, int]]:
    """Every file and folder under ``root``: (size, mtime in ns, mode)."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            p = Path(dirpath) / name
            st = p.lstat()
            out[str(p.relative_to(root))] = (st.st_size if p.is_file() else 0, st.st_mtime_ns, st.st_mode)
    return out


def _levels(c) -> list:
    return [(m.name, m.number, str(m.path), m.code, m.rounds) for m in c.municipalities]


def _outputs(out: Path) -> dict[str, object]:
    """Every file's bytes; a workbook's sheets and cell values (its zip stores the time it was written)."""
    from openpyxl import load_workbook

    files: dict[str, object] = {}
    for p in sorted(out.rglob("*")):
        if p.suffix == ".xlsx":
            wb = load_workbook(p)
            files[str(p.relative_to(out))] = [(ws.title, [[c.value for c in row] for row in ws.iter_rows()])
                                              for ws in wb]
        elif p.is_file():
            files[str(p.relative_to(out))] = p.read_bytes()
    return files


def test_the_cache_folder_is_the_users_or_the_one_named(monkeypatch, tmp_path):
    monkeypatch.delenv("SAMORDNA_CACHE_DIR", raising=False)
    home = Path(os.environ["HOME"])  # the test's own HOME (conftest)
    assert cache_dir().is_relative_to(home) and cache_dir().name == "region"
    monkeypatch.setenv("SAMORDNA_CACHE_DIR", str(tmp_path / "c"))
    assert cache_dir() == tmp_path / "c" / "region"


def test_a_second_run_is_read_from_the_cache_and_writes_the_same_bytes(county, cache, tmp_path, monkeypatch):
    from conftest import run_cli

    before = _snapshot(county)
    first = run_cli(["region", county, "--out", tmp_path / "a"])
    assert first.exit_code == 0, first.output
    entries = sorted(cache.glob("*.json"))
    assert len(entries) == 10

    def no_computing(path):
        raise AssertionError(f"computed {path} again")

    monkeypatch.setattr(region_collect, "_compute", no_computing)
    second = run_cli(["region", county, "--out", tmp_path / "b"])
    assert second.exit_code == 0, second.output
    assert _outputs(tmp_path / "a") == _outputs(tmp_path / "b")
    assert first.stdout.replace(str(tmp_path / "a"), "UT") == second.stdout.replace(str(tmp_path / "b"), "UT")
    assert _snapshot(county) == before  # nothing written in the workspaces, not even a timestamp


def test_cached_levels_equal_computed_ones_with_two_workers(county, cache):
    fresh = collect([county], cache=False, workers=2)
    first = collect([county], workers=2)
    assert len(list(cache.glob("*.json"))) == 10
    store = RegionCache()
    again = collect([county], cache=store)
    assert store.hits == 10 and store.misses == 0
    assert _levels(fresh) == _levels(first) == _levels(again)
    assert [b.label for b in again.banks.values()] == [b.label for b in fresh.banks.values()]


def test_a_changed_answer_is_computed_again(county, cache, tmp_path):
    ws = tmp_path / "k0"
    shutil.copytree(county / "k0", ws)
    before = collect([ws]).municipalities[0].rounds
    answer = sorted((ws / "runder" / "2026" / "svar").glob("*.yaml"))[0]
    (ws / "runder" / "2026" / "konsensus.yaml").unlink()  # the median of the answers, so one answer shows
    text = answer.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    changed = next(k for k, a in data["answers"].items() if isinstance(a["level"], int) and a["level"] < 4)
    data["answers"][changed]["level"] = 4
    answer.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    store = RegionCache()
    after = collect([ws], cache=store).municipalities[0].rounds
    assert store.misses == 1 and store.hits == 0
    assert after == collect([ws], cache=False).municipalities[0].rounds
    assert after[-1] != before[-1] and after[0] == before[0]


def test_any_byte_and_the_version_change_the_key(county, tmp_path, monkeypatch):
    ws = tmp_path / "k1"
    shutil.copytree(county / "k1", ws)
    key = content_key(ws)
    assert content_key(ws) == key
    bank = ws / "runder" / "2025" / "bank.yaml"
    bank.write_bytes(bank.read_bytes() + b"\n")
    assert content_key(ws) != key
    key = content_key(ws)
    (ws / "runder" / "2025" / "svar" / "ekstra.txt").write_text("x")
    assert content_key(ws) != key
    key = content_key(ws)
    monkeypatch.setattr(region_cache, "__version__", "99.0")
    monkeypatch.setattr(region_cache, "_SALT", None)
    assert content_key(ws) != key


def test_the_cache_holds_no_code_comment_rationale_or_dissent(county, cache):
    collect([county])
    text = "\n".join(p.read_text(encoding="utf-8") for p in cache.glob("*.json"))
    codes, comments = set(), set()
    for p in county.glob("*/runder/*/svar/*.yaml"):
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
        codes.add(data["participant"])
        comments |= {a.get("comment") for a in data["answers"].values()} - {None}
    rationales = set()
    for p in county.glob("*/runder/*/konsensus.yaml"):
        for e in yaml.safe_load(p.read_text(encoding="utf-8"))["entries"].values():
            rationales |= {e.get("rationale"), e.get("dissent")} - {None}
    assert codes and comments and rationales  # the fixture has them, so the check means something
    for secret in sorted(codes | comments | rationales | set(RATIONALES) | set(DISSENTS)):
        assert f'"{secret}"' not in text and (len(secret) < 8 or secret not in text), secret
    doc = json.loads(next(cache.glob("*.json")).read_text(encoding="utf-8"))
    assert set(doc) == {"format", "version", "samordna", "key", "stats", "name", "number", "language", "rounds", "banks"}
    assert str(county) not in text  # no folder names either: the file is named by a hash


def test_read_only_workspaces_are_read_and_left_as_they_were(county, cache, tmp_path):
    ro = tmp_path / "ro"
    shutil.copytree(county, ro)
    for dirpath, _dirnames, filenames in os.walk(ro):
        for name in filenames:
            os.chmod(Path(dirpath) / name, 0o444)
        os.chmod(dirpath, 0o555)
    try:
        before = _snapshot(ro)
        first = collect([ro])
        second = collect([ro])
        assert not first.problems and _levels(first) == _levels(second)
        assert _snapshot(ro) == before
    finally:
        for dirpath, _, _ in os.walk(ro):
            os.chmod(dirpath, 0o755)


def test_a_cache_folder_inside_a_workspace_is_never_written(county, tmp_path, monkeypatch):
    ws = tmp_path / "k2"
    shutil.copytree(county / "k2", ws)
    monkeypatch.setenv("SAMORDNA_CACHE_DIR", str(ws / "runder"))
    before = _snapshot(ws)
    collect([ws])
    assert _snapshot(ws) == before


def test_a_damaged_or_foreign_entry_is_computed_again_and_rewritten(county, cache):
    good = collect([county], cache=False)
    collect([county])
    entries = sorted(cache.glob("*.json"))
    damage = [b"", b"\x00\xff garbage", b"{", b"[]", b'{"format": "samordna-region-cache"}', b"null"]
    for k, p in enumerate(entries):
        if k < len(damage):
            p.write_bytes(damage[k])
        elif k == len(damage):  # whole and valid, but from another samordna version
            doc = json.loads(p.read_bytes())
            doc["samordna"] = "0.0.1"
            p.write_text(json.dumps(doc))
        elif k == len(damage) + 1:  # right key, wrong shape
            doc = json.loads(p.read_bytes())
            doc["rounds"][0]["extra"] = 1
            p.write_text(json.dumps(doc))
        elif k == len(damage) + 2:  # right key, a value of the wrong kind
            doc = json.loads(p.read_bytes())
            doc["rounds"][0]["indicators"] = ["LED-01"]
            p.write_text(json.dumps(doc))
    store = RegionCache()
    again = collect([county], cache=store)
    assert not again.problems and _levels(again) == _levels(good)
    assert store.misses == len(damage) + 3 and store.hits == 10 - store.misses
    store = RegionCache()
    collect([county], cache=store)
    assert store.hits == 10  # rewritten whole


def test_an_unwritable_cache_folder_is_no_error(county, tmp_path, monkeypatch):
    blocker = tmp_path / "fil"
    blocker.write_text("ikke en mappe")
    monkeypatch.setenv("SAMORDNA_CACHE_DIR", str(blocker))  # the cache folder would be under a file
    store = RegionCache()
    c = collect([county], cache=store)
    assert not c.problems and len(c.municipalities) == 10 and store.hits == 0
    assert _levels(c) == _levels(collect([county], cache=False))


def test_without_cache_nothing_is_read_or_written(county, cache, monkeypatch):
    collect([county], cache=False)
    assert not cache.exists()


def test_a_broken_workspace_is_not_cached(county, cache, tmp_path):
    ws = tmp_path / "k3"
    shutil.copytree(county / "k3", ws)
    answer = sorted((ws / "runder" / "2026" / "svar").glob("*.yaml"))[0]
    answer.write_text(answer.read_text(encoding="utf-8") + "participant: X\n", encoding="utf-8")
    c = collect([ws])
    assert c.problems and "to ganger" in c.problems[0].message
    assert not list(cache.glob("*.json"))


def test_no_cache_option_reads_afresh_and_writes_no_cache(cli, county, cache, tmp_path):
    res = cli(["region", county, "--out", tmp_path / "a", "--no-cache"])
    assert res.exit_code == 0, res.output
    assert not cache.exists() or not any(cache.iterdir())
    res = cli(["region", county, "--out", tmp_path / "b"])
    assert res.exit_code == 0, res.output
    assert len(list(cache.iterdir())) == 10  # one entry per workspace, in the cache folder only


def test_the_county_view_keeps_exactly_what_the_full_scoring_gives(county):
    """The county view scores only indicators, legal items and verdicts (``score_items``); every level, answer,
    verdict and count it keeps equals the full ``score_workspace_round`` of the same round."""
    from samordna.core.scoring import score_workspace_round
    from samordna.io.workspace import Workspace

    roots = [*sorted(p for p in county.iterdir() if p.is_dir()), Path(__file__).parents[1] / "sample_municipality"]
    compared = 0
    for root in roots:
        m, _ = region_collect.load_municipality(root)
        ws = Workspace(root)
        for kept, rnd in zip(m.rounds, ws.rounds(), strict=True):
            full = score_workspace_round(ws, rnd)
            local = set(full.local_indicators) | {r.id for r in full.indicators if r.local}
            assert kept.indicators == {r.id: r.level for r in full.indicators if r.id not in local}
            assert kept.local == sorted(local)
            assert kept.legal == {r.id: r.answer for r in full.legal}
            assert kept.verdicts == {s.id: s.verdict for s in [*full.recommendations, *full.duties, *full.laws]}
            assert (kept.n_participants, kept.n_consensus) == (full.n_participants, full.uses_consensus)
            compared += 1
    assert compared >= 23 and any(r.local for r in m.rounds)  # the sample has local additions


def _aged(src: Path, dst: Path) -> Path:
    """A copy of a workspace whose files last changed a minute ago (older than the racy window)."""
    shutil.copytree(src, dst)
    old = time.time() - 60
    for p in dst.rglob("*"):
        os.utime(p, (old, old))
    return dst


def test_unchanged_files_are_known_by_their_times_without_reading_them(county, cache, tmp_path, monkeypatch):
    ws = _aged(next(p for p in sorted(county.iterdir()) if p.is_dir()), tmp_path / "ws")
    time.sleep(0.01)  # the ctime of the copy is now; the entry trusts times only two seconds after a change
    monkeypatch.setattr(region_cache, "RACY_NS", 0)
    first = collect([ws])
    assert json.loads(next(cache.glob("*.json")).read_text(encoding="utf-8"))["stats"]
    monkeypatch.setattr(region_cache, "content_key", lambda root: pytest.fail("read the files again"))
    store = RegionCache()
    second = collect([ws], cache=store)
    assert store.hits == 1 and _levels(second) == _levels(first)


def test_a_file_changed_in_place_with_the_same_size_is_hashed_and_computed_again(county, cache, tmp_path, monkeypatch):
    ws = _aged(next(p for p in sorted(county.iterdir()) if p.is_dir()), tmp_path / "ws")
    monkeypatch.setattr(region_cache, "RACY_NS", 0)
    collect([ws])
    answer = next(ws.glob("runder/*/svar/*.yaml"))
    text = answer.read_text(encoding="utf-8")
    changed = text.replace("level: 1", "level: 2", 1) if "level: 1" in text else text.replace("level: 2", "level: 1", 1)
    assert changed != text and len(changed) == len(text)
    st = answer.stat()
    answer.write_text(changed, encoding="utf-8")
    os.utime(answer, ns=(st.st_atime_ns, st.st_mtime_ns))  # even with the old modification time put back
    store = RegionCache()
    collect([ws], cache=store)
    assert store.misses == 1 and store.hits == 0


def test_files_changed_just_before_they_were_read_are_hashed_next_time(county, cache, tmp_path, monkeypatch):
    ws = tmp_path / "ws"
    shutil.copytree(next(p for p in sorted(county.iterdir()) if p.is_dir()), ws)  # changed now: within the window
    collect([ws])
    assert json.loads(next(cache.glob("*.json")).read_text(encoding="utf-8"))["stats"] is None
    calls = []
    real = region_cache.content_key
    monkeypatch.setattr(region_cache, "content_key", lambda root: calls.append(root) or real(root))
    store = RegionCache()
    collect([ws], cache=store)
    assert calls and store.hits == 1


def test_both_keys_in_one_pass_are_the_two_keys(county, tmp_path):
    """A first run reads each file once for both keys (``both_keys``); they are the keys the two separate
    passes give, also with a FIFO and a file that is not there."""
    from samordna.io.region_cache import both_keys, stat_key

    ws = tmp_path / "ws"
    shutil.copytree(next(p for p in sorted(county.iterdir()) if p.is_dir()), ws)
    assert both_keys(ws)[:2] == (content_key(ws), stat_key(ws)[0])
    assert both_keys(ws)[2] == stat_key(ws)[1]
    os.mkfifo(next(ws.glob("runder/*")) / "svar" / "ror.yaml")
    (ws / "sektorer.yaml").unlink(missing_ok=True)
    assert both_keys(ws)[:2] == (content_key(ws), stat_key(ws)[0])
