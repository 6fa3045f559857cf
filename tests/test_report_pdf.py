"""samordna report --pdf: WeasyPrint renders the same HTML to an A4 PDF with page numbers."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from samordna.outputs.pdf import pdf_available

pytestmark = pytest.mark.skipif(not pdf_available(), reason="WeasyPrint (med Pango) er ikke installert")


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
    # 52 statements in 9 domains, the legal minimum and the laws: a long workshop report (a one-page summary is
    # issue 13); the bound catches a layout that runs away (a table split into a page per row)
    assert 12 <= pages <= 56, pages
    box = reader.pages[0].mediabox
    assert abs(float(box.width) - 595.3) < 2 and abs(float(box.height) - 841.9) < 2  # A4 in points
    first = reader.pages[0].extract_text()
    assert "Eksempeldal" in first and "runde 2026" in first
    text = "\n".join(p.extract_text() for p in reader.pages)
    for needle in ["Sammendrag", "Tre svakeste områder", "Område for område", "Retningslinjen IS-2826",
                   "Spørsmål til drøfting", "Vedlegg: metode og spørsmålsbank"]:
        assert needle in text, needle
    assert f"Side 2 av {pages}" in reader.pages[1].extract_text()
    assert "Side 1 av" not in first  # the cover has no page number
    if shutil.which("pdftotext"):
        plain = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert "Sektorene: mange ser litt, men ingen ser alt" in plain
        assert plain.count("\f") >= pages - 1


def test_pdf_message_when_weasyprint_is_missing(cli, sample_ws, tmp_path, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_weasyprint(name, *args, **kwargs):
        if name == "weasyprint":
            raise ImportError("no weasyprint")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_weasyprint)
    out = tmp_path / "rapport.html"
    res = cli(["report", sample_ws, "--round", "2024", "--out", out, "--pdf"])
    assert res.exit_code == 2
    assert "WeasyPrint" in res.output and "pip install" in res.output
    assert not out.exists()  # nothing half-written
