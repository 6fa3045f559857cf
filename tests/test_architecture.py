"""The layers are checked by import-linter, which sees every import, also those inside functions.

The contracts are in pyproject.toml ([tool.importlinter]). These tests run them
on the package as it is, and on a copy with a layer broken on purpose, so a
contract that stopped checking would be noticed.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = shutil.which("lint-imports", path=str(Path(sys.executable).parent)) or shutil.which("lint-imports")


def _lint(package_parent: Path, config: Path) -> subprocess.CompletedProcess:
    assert LINT_IMPORTS, "import-linter (lint-imports) er ikke installert; det er en testavhengighet"
    return subprocess.run([LINT_IMPORTS, "--config", str(config), "--no-cache"], capture_output=True, text=True,
                          cwd=package_parent, env={"PYTHONPATH": str(package_parent), "PATH": "/usr/bin:/bin"})


def test_layer_contracts_hold():
    res = _lint(ROOT / "cli", ROOT / "pyproject.toml")
    assert res.returncode == 0, res.stdout + res.stderr
    assert "0 broken" in res.stdout


@pytest.mark.parametrize(("module", "line", "contract"), [
    ("core/scoring.py", "    import typer  # a UI library in the core", "pure"),
    ("core/bank.py", "    from samordna.outputs import charts  # an upper layer", "Layers"),
    ("io/workspace.py", "    from samordna.flows import assess  # io reaching up", "Layers"),
    ("plan/merge.py", "    import openpyxl  # a file format in the plan's model", "pure"),
])
def test_breaking_a_layer_inside_a_function_fails(tmp_path, module, line, contract):
    copy = tmp_path / "cli"
    shutil.copytree(ROOT / "cli" / "samordna", copy / "samordna", ignore=shutil.ignore_patterns("__pycache__"))
    target = copy / "samordna" / module
    target.write_text(target.read_text() + f"\n\ndef _sneaky() -> None:\n{line}\n", encoding="utf-8")
    res = _lint(copy, ROOT / "pyproject.toml")
    assert res.returncode != 0, res.stdout
    broken = res.stdout.split("Broken contracts")[-1]
    assert contract in broken, res.stdout


def test_no_import_cycles_between_layers():
    """grimp (under import-linter) finds no cycle between the layer packages; a cycle breaks the layers contract,
    and inside a package, the modules named in the old review no longer import each other in a circle."""
    import grimp

    graph = grimp.build_graph("samordna")
    pairs = [("samordna.outputs.plan", "samordna.outputs.plan_sheets"),
             ("samordna.outputs.plan_sheets", "samordna.outputs.plan_results"),
             ("samordna.io.forms_reader", "samordna.outputs.forms")]
    for a, b in pairs:
        both = graph.direct_import_exists(importer=a, imported=b) and graph.direct_import_exists(importer=b, imported=a)
        assert not both, f"{a} og {b} importerer hverandre"
    assert not graph.find_shortest_chain(importer="samordna.io.forms_reader", imported="samordna.outputs.forms")
