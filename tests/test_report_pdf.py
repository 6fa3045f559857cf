"""samordna report --pdf: WeasyPrint renders the same HTML to an A4 PDF with page numbers."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from samordna.outputs.pdf import pdf_available

needs_pdf = pytest.mark.skipif(not pdf_available(), reason="WeasyPrint (med Pango) er ikke installert")
ROOT = Path(__file__).resolve().parents[1]


@needs_pdf
@pytest.mark.slow  # WeasyPrint renders and pdftoppm rasterises: ~20 s
def test_pdf_pages_and_text(cli, sample_ws, tmp_path):
    pypdf = pytest.importorskip("pypdf", reason="pypdf er ikke installert (pip install pypdf)")
    out = tmp_path / "rapport.html"
    res = cli(["report", sample_ws, "--out", out, "--pdf"])
    assert res.exit_code == 0, res.output
    pdf = out.with_suffix(".pdf")
    assert pdf.exists() and out.exists()
    reader = pypdf.PdfReader(str(pdf))
    pages = len(reader.pages)
    # 52 statements in 9 domains, the legal minimum and the laws: a long workshop report after its one-page
    # summary; the bound catches a layout that runs away (a table split into a page per row)
    assert 12 <= pages <= 57, pages
    box = reader.pages[0].mediabox
    assert abs(float(box.width) - 595.3) < 2 and abs(float(box.height) - 841.9) < 2  # A4 in points
    first = reader.pages[0].extract_text()
    assert "Eksempeldal" in first and "runde 2026" in first
    assert "KORT FORTALT" in first.upper() and "Juridisk minimum" in first  # the one-page summary is the first page
    assert "rapport fra runde 2026" in " ".join(reader.pages[1].extract_text().split())  # the cover follows it
    text = "\n".join(p.extract_text() for p in reader.pages)
    for needle in ["Sammendrag", "Tre svakeste områder", "Område for område", "Retningslinjen IS-2826",
                   "Spørsmål til drøfting", "Vedlegg: metode og spørsmålsbank"]:
        assert needle in text, needle
    assert f"Side 2 av {pages}" in reader.pages[1].extract_text()
    assert "Side 1 av" not in first  # the first page has no page number
    if shutil.which("pdftotext"):
        plain = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert "Sektorene: mange ser litt, men ingen ser alt" in plain
        assert plain.count("\f") >= pages - 1


# A Python that cannot import WeasyPrint, as on a machine without the [pdf] extra: a meta-path finder
# refuses the module before anything else is imported, then the console script's main() runs.
BLOCK_WEASYPRINT = """
import sys
from importlib.abc import MetaPathFinder

class NoWeasyPrint(MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "weasyprint" or name.startswith("weasyprint."):
            raise ImportError("No module named 'weasyprint'")
        return None

sys.meta_path.insert(0, NoWeasyPrint())
from samordna.cli.main import main
sys.exit(main(sys.argv[1:]))
"""


def run_without_weasyprint(*args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", BLOCK_WEASYPRINT, *map(str, args)], capture_output=True,
                          text=True, timeout=300, cwd=ROOT)


def test_report_pdf_without_weasyprint_writes_html_and_says_how(sample_ws):
    res = run_without_weasyprint("report", sample_ws, "--pdf")
    out = res.stdout + res.stderr
    assert res.returncode == 0, out
    html = sample_ws / "rapport-eksempeldal-2026.html"
    summary = sample_ws / "sammendrag-eksempeldal-2026.html"
    assert html.exists() and summary.exists()  # everything else is made
    assert not html.with_suffix(".pdf").exists() and not summary.with_suffix(".pdf").exists()
    assert "PDF ble ikke laget" in out
    assert "Skriv ut" in out and "Lagre som PDF" in out  # print to PDF from the browser
    assert "pip install" in out and "samordna[pdf]" in out  # or install the extra
    assert html.name in out
    for python_word in ("ImportError", "ModuleNotFoundError", "OSError", "Traceback", "Exception"):
        assert python_word not in out, python_word


def test_report_without_pdf_does_not_mention_pdf(cli, sample_ws):
    res = cli(["report", sample_ws, "--round", "2024"])
    assert res.exit_code == 0, res.output
    assert "PDF ble ikke laget" not in res.output
