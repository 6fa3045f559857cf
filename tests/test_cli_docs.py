"""Docs that cannot drift: docs/kommandoer.md is the commands' own --help, and the README names every command."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
STALE = "docs/kommandoer.md er utdatert: kjør  python tools/make_cli_docs.py  og sjekk inn resultatet."


@pytest.fixture(scope="module")
def make_cli_docs():
    spec = importlib.util.spec_from_file_location("make_cli_docs", ROOT / "tools" / "make_cli_docs.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _sections(text: str) -> dict[str, str]:
    """``samordna round new`` -> the help text in its section."""
    found = re.findall(r"^## `([^`]+)`\n\n```text\n(.*?)\n```$", text, flags=re.M | re.S)
    return dict(found)


def _plain(text: str) -> str:
    """Help text without the boxes and the wrapping, so it reads the same at any width and version."""
    text = re.sub(r"[│╭╮╰╯─]", " ", text).replace("\\[", "[")
    return " ".join(text.split())


def test_kommandoer_md_is_current(make_cli_docs):
    doc = ROOT / "docs" / "kommandoer.md"
    assert doc.exists(), STALE
    current = doc.read_text(encoding="utf-8")
    if make_cli_docs.versions() in current:
        # same typer and rich as the file was made with: it must be exactly what they print
        assert current == make_cli_docs.render(), STALE
        return
    # other versions draw the boxes a little differently; the words must still be the same
    sections = _sections(current)
    for path in [[], *make_cli_docs.command_paths()]:
        title = " ".join(["samordna", *path])
        assert title in sections, f"{title} mangler. {STALE}"
        assert _plain(make_cli_docs.help_text(path)) == _plain(sections[title]), f"{title}: {STALE}"


def test_kommandoer_md_has_every_command(make_cli_docs):
    sections = _sections((ROOT / "docs" / "kommandoer.md").read_text(encoding="utf-8"))
    paths = [" ".join(p) for p in make_cli_docs.command_paths()]
    assert {"round new", "round list", "init", "demo"} <= set(paths)
    assert sorted(sections) == sorted(["samordna", *(f"samordna {p}" for p in paths)])
    for title, help_text in sections.items():
        assert f"Bruk: {title} [VALG]" in help_text, title
        assert not [line for line in help_text.splitlines() if line != line.rstrip()], f"{title}: trailing spaces"


def _readme_table() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"^## Kommandoene\n(.*?)(?=^## )", text, flags=re.M | re.S)
    assert match, "README.md mangler avsnittet «## Kommandoene»"
    return match.group(1)


def test_readme_table_names_every_command(make_cli_docs):
    section = _readme_table()
    rows = [line for line in section.splitlines() if line.startswith("| `")]
    commands = {code.split(" --")[0] for row in rows for code in re.findall(r"`([^`]+)`", row.split(" | ")[0])}
    named = {" ".join(w for w in c.split() if w.islower() and w.isalpha()) for c in commands}
    paths = [" ".join(p) for p in make_cli_docs.command_paths()]
    leaves = [p for p in paths if not any(q.startswith(p + " ") for q in paths)]  # «round» through its commands
    missing = [p for p in leaves if p not in named]
    assert not missing, f"README.md, «## Kommandoene»: tabellen mangler {', '.join(missing)}"
    assert "docs/kommandoer.md" in section, "README.md, «## Kommandoene»: lenk til docs/kommandoer.md"


@pytest.mark.parametrize("args", [["--help"], ["-h"], []], ids=["--help", "-h", "nothing"])
@pytest.mark.parametrize("width", [60, 100, 160])
def test_the_quick_root_page_is_the_full_apps_page(args, width, monkeypatch):
    """``samordna --help`` is made from ``help_only`` (commands without their options): the same page, the same
    exit code, at any width, as the full app gives."""
    from typer.testing import CliRunner

    from samordna.cli import main as cli_main
    from samordna.cli.app import app, help_only

    full = CliRunner().invoke(app, args, prog_name="samordna", terminal_width=width)
    quick = CliRunner().invoke(help_only(), args, prog_name="samordna", terminal_width=width)
    assert (quick.output, quick.exit_code) == (full.output, full.exit_code)
    assert "assess" in full.output and "round" in full.output
    used = []
    monkeypatch.setattr("samordna.cli.app.help_only", lambda *a: used.append(1) or help_only(*a))
    cli_main.main(args)
    assert used  # and the command line uses it
    used.clear()
    cli_main.main(["round", "--help"])
    assert used == []  # a command's own page needs its options: the full app
