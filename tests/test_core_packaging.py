"""Packaging: the wheel carries the data folders; installed in a fresh venv, `samordna demo` works."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    res = subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(ROOT)],
                         capture_output=True, text=True)
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-3000:]
    wheels = list(out.glob("samordna-*.whl"))
    assert len(wheels) == 1
    return wheels[0]


@pytest.mark.slow
def test_wheel_contents(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert "samordna/__init__.py" in names and "samordna/cli/app.py" in names
    assert "samordna/_data/assessments/samordna-0-24.yaml" in names
    assert "samordna/_data/assessments/sektorer.yaml" in names
    assert any(n.startswith("samordna/_data/templates/") for n in names)
    assert "samordna/_data/sample_municipality/kommune.yaml" in names
    assert "samordna/_data/docs/metode.md" in names  # samordna metode
    assert {"samordna/_data/docs/metode.nn.md", "samordna/_data/docs/metode.en.md"} <= set(names)
    # the compiled catalogs (the build hook compiles them from locale/*.po); no .po needed at run time
    for lang in ("nn", "en"):
        mo = f"samordna/_data/locale/{lang}/LC_MESSAGES/samordna.mo"
        assert mo in names
        import gettext
        import io

        catalog = gettext.GNUTranslations(io.BytesIO(zipfile.ZipFile(wheel).read(mo)))
        assert catalog.gettext("Valg") != "Valg"
    assert not any(n.startswith("cli/") for n in names)  # no top-level package named «cli»
    assert not any("tests/" in n for n in names)


@pytest.mark.slow
def test_wheel_installs_and_runs_demo_in_fresh_venv(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True, clear=True).create(env_dir)
    bindir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    py = bindir / "python"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    res = subprocess.run([str(py), "-m", "pip", "install", "-q", str(wheel)], capture_output=True, text=True, env=env)
    assert res.returncode == 0, res.stderr[-3000:]
    work = tmp_path / "et-annet-sted"
    work.mkdir()
    res = subprocess.run([str(bindir / "samordna"), "demo", "--out", "demo-ut", "--no-pdf"],
                         capture_output=True, text=True, env=env, cwd=work, timeout=600)
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-3000:]
    assert (work / "demo-ut" / "resultater.json").exists()
    # the data came from the installed package, not from this checkout
    res = subprocess.run([str(py), "-c", "from samordna.io.resources import data_path; print(data_path('assessments'))"],
                         capture_output=True, text=True, env=env, cwd=work)
    assert "site-packages" in res.stdout, res.stdout
    res = subprocess.run([str(py), "-m", "samordna", "--help"], capture_output=True, text=True, env=env, cwd=work)
    assert res.returncode == 0 and "Kommandoer" in res.stdout
    res = subprocess.run([str(py), "-m", "samordna", "--help"], capture_output=True, text=True,
                         env={**env, "SAMORDNA_LANG": "nn"}, cwd=work)
    assert res.returncode == 0 and "Kommandoar" in res.stdout, res.stdout[-2000:]
    # the method text is in the installed package, and samordna metode shows it and where it is
    res = subprocess.run([str(bindir / "samordna"), "metode"], capture_output=True, text=True, env=env, cwd=work)
    assert res.returncode == 0 and "Slik regner samordna" in res.stdout, res.stdout[-2000:] + res.stderr[-2000:]
    assert "site-packages" in res.stdout.splitlines()[-1]
