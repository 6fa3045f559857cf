"""samordna demo: HTML and Excel by default (fast), PDF only with --pdf; it lists what it wrote and says how
to get the PDFs it did not make."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import samordna.demo.run as demo_run
from samordna.outputs.pdf import pdf_available


def run_without_steps(monkeypatch, tmp_path, **kwargs) -> tuple[list[str], list[bool]]:
    seen: list[bool] = []

    def step(ctx):
        seen.append(ctx.pdf)

    monkeypatch.setattr(demo_run, "STEPS", [step])
    lines: list[str] = []
    demo_run.run_demo(tmp_path / "d", say=lines.append, **kwargs)
    return lines, seen


def test_no_pdf_by_default_and_it_says_how_to_get_them(monkeypatch, tmp_path):
    lines, seen = run_without_steps(monkeypatch, tmp_path)
    assert seen == [False]
    text = "\n".join(lines)
    assert "PDF er ikke laget" in text and "samordna demo --pdf" in text
    assert "rapporten" in text and "fylkesbildet" in text


def test_pdf_asked_without_weasyprint_says_how_to_install(monkeypatch, tmp_path):
    monkeypatch.setattr(demo_run, "pdf_available", lambda: False)
    lines, seen = run_without_steps(monkeypatch, tmp_path, pdf=True)
    assert seen == [False]  # the steps do not try
    text = "\n".join(lines)
    assert "samordna[pdf]" in text and "Skriv ut" in text
    assert "samordna demo --pdf" not in text


def test_pdf_asked_and_possible_says_nothing_more(monkeypatch, tmp_path):
    monkeypatch.setattr(demo_run, "pdf_available", lambda: True)
    lines, seen = run_without_steps(monkeypatch, tmp_path, pdf=True)
    assert seen == [True]
    assert not any("PDF" in line for line in lines)


def listed(output: str) -> list[Path]:
    """The files and folders the demo says it wrote ("  What: /path")."""
    return [Path(m) for m in re.findall(r"^  [^:\n]+: (/\S+)$", output, re.M)]


@pytest.mark.slow  # the whole demo: ~10 s
def test_default_demo_makes_no_pdf_and_lists_what_it_wrote(cli, tmp_path):
    out = tmp_path / "demo"
    res = cli(["demo", "--out", out])
    assert res.exit_code == 0, res.output
    assert not list(out.rglob("*.pdf"))
    paths = listed(res.output)
    assert paths and all(p.exists() for p in paths)
    names = {p.name for p in paths}
    assert {"report.html", "report-sammendrag.html", "fylkesbilde-2026.html", "fylkesbilde-2026.xlsx",
            "resultater.json", "fasilitatorveiledning-eksempeldal-2026.html",
            "deltakerlapper-eksempeldal-2026.html"} <= names
    assert "samordna demo --pdf" in res.output


@pytest.mark.slow  # the whole demo with every PDF: ~40 s
@pytest.mark.skipif(not pdf_available(), reason="WeasyPrint (med Pango) er ikke installert")
def test_demo_with_pdf_makes_the_pdfs_it_promises(cli, tmp_path):
    pypdf = pytest.importorskip("pypdf", reason="pypdf er ikke installert (pip install pypdf)")
    out = tmp_path / "demo"
    res = cli(["demo", "--out", out, "--pdf"])
    assert res.exit_code == 0, res.output
    pdfs = {p.relative_to(out).as_posix() for p in out.rglob("*.pdf")}
    assert {"report.pdf", "report-sammendrag.pdf", "fasilitatorveiledning-eksempeldal-2026.pdf",
            "skjema/deltakerlapper-eksempeldal-2026.pdf", "region/fylkesbilde-2026.pdf"} <= pdfs
    onepagers = sorted(out.glob("region/kommuner/*.pdf"))
    assert len(onepagers) == len(list(out.glob("region/kommuner/*.html"))) == 6
    for p in out.rglob("*.pdf"):
        assert len(pypdf.PdfReader(str(p)).pages) >= 1
    assert all(p.exists() for p in listed(res.output))
    assert "PDF er ikke laget" not in res.output
