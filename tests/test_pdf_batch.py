"""html_to_pdfs: documents with the same head are laid out as one and split into a file each.

Each file must be what rendering that document alone gives (same bytes), a whole PDF of its own (pypdf
reads it, the right number of pages, its own title, only its own text, its fonts embedded), and the
files come back in the order asked for."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from samordna.outputs.pdf import _batch_key, html_to_pdf, html_to_pdfs, pdf_available

pytestmark = pytest.mark.skipif(not pdf_available(), reason="WeasyPrint (med Pango) er ikke installert")

HEAD = """<!DOCTYPE html>
<html lang="nb">
<head>
<meta charset="utf-8">
<title>{title}</title>
<style>
body {{ font-family: "DejaVu Sans", sans-serif; font-size: 11pt; margin: 0; }}
h1 {{ font-size: 16pt; margin: 0 0 4mm; }}
div {{ margin: 3mm; padding: 2mm; border: 1px solid #888; }}
.big {{ height: 200mm; }}
@page {{ size: A4; margin: 15mm; }}
</style>
</head>
<body>
"""


def doc(title: str, body: str) -> str:
    return HEAD.format(title=title) + body + "\n</body>\n</html>\n"


DOCS = [
    doc("Nordvik mot fylket", "<h1>Nordvik</h1><p>Første kommune, én side.</p><div>Boks</div>"),
    doc("Austdal mot fylket", "<h1>Austdal</h1><div class='big'>Lang boks</div><div class='big'>Side to</div>"
                              "<p>Slutten på Austdal.</p>"),
    doc("Sørheim &amp; co", "<h1>Sørheim</h1><p>Tredje kommune: æøå ÆØÅ.</p>"),
]
PAGES = [1, 2, 1]


@pytest.fixture
def alone_renders(monkeypatch):
    """How many documents WeasyPrint laid out one at a time (HTML.write_pdf) rather than in a batch."""
    import weasyprint

    calls: list[int] = []
    real = weasyprint.HTML.write_pdf

    def counting(self, *args, **kwargs):
        calls.append(1)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", counting)
    return calls


def text_of(path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_same_head_is_one_batch_and_links_or_page_numbers_are_not():
    assert len({_batch_key(d) for d in DOCS}) == 1  # the title does not count
    assert _batch_key(doc("x", '<a href="#a">til</a><p id="a">a</p>')) is None
    assert _batch_key(doc("x", "<p>x</p>").replace("@page {", "@page { @bottom-right { content: counter(page) }")) is None
    assert _batch_key("<p>no body tag</p>") is None


def test_batched_files_are_the_same_bytes_as_one_at_a_time(tmp_path, alone_renders):
    pypdf = pytest.importorskip("pypdf", reason="pypdf er ikke installert (pip install pypdf)")
    outs = [tmp_path / f"b{k}.pdf" for k in range(len(DOCS))]
    assert html_to_pdfs(list(zip(DOCS, outs, strict=True))) == outs
    assert alone_renders == []  # laid out as one document
    for k, (html, out) in enumerate(zip(DOCS, outs, strict=True)):
        alone = html_to_pdf(html, tmp_path / f"alone{k}.pdf")
        assert out.read_bytes() == alone.read_bytes(), f"dokument {k} ble ikke likt som alene"
        reader = pypdf.PdfReader(str(out))
        assert len(reader.pages) == PAGES[k]
        assert reader.metadata.title == ["Nordvik mot fylket", "Austdal mot fylket", "Sørheim & co"][k]
    texts = [text_of(o) for o in outs]
    assert "Nordvik" in texts[0] and "Austdal" not in texts[0]
    assert "Austdal" in texts[1] and "Side to" in texts[1] and "Slutten på Austdal" in texts[1]
    assert "Nordvik" not in texts[1] and "Sørheim" not in texts[1]
    assert "æøå ÆØÅ" in texts[2] and "Austdal" not in texts[2]
    assert b"samordna-pdf-doc" not in b"".join(o.read_bytes() for o in outs)  # the marks are not destinations


def test_space_above_body_falls_back_to_one_at_a_time(tmp_path, alone_renders):
    """With the browser's 8 px around <body>, documents after the first would start higher laid out as one."""
    spaced = [d.replace("font-size: 11pt; margin: 0;", "font-size: 11pt;") for d in DOCS]
    assert spaced != DOCS
    outs = html_to_pdfs([(d, tmp_path / f"s{k}.pdf") for k, d in enumerate(spaced)])
    assert len(alone_renders) == len(spaced)
    for k, (html, out) in enumerate(zip(spaced, outs, strict=True)):
        assert out.read_bytes() == html_to_pdf(html, tmp_path / f"alone{k}.pdf").read_bytes()


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="pdffonts (poppler) er ikke installert")
def test_every_file_embeds_its_fonts(tmp_path):
    outs = html_to_pdfs([(d, tmp_path / f"f{k}.pdf") for k, d in enumerate(DOCS)])
    for out in outs:
        rows = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
        assert rows, f"ingen fonter i {out.name}"
        assert all(r.split()[-5] == "yes" for r in rows), rows  # the "emb" column


def test_order_kept_with_documents_rendered_alone_between(tmp_path):
    other = doc("Med lenke", '<p><a href="#x">til x</a></p><p id="x">Lenkemål</p>')
    docs = [(DOCS[0], tmp_path / "a.pdf"), (other, tmp_path / "b.pdf"), (DOCS[2], tmp_path / "c.pdf")]
    assert html_to_pdfs(docs) == [tmp_path / "a.pdf", tmp_path / "b.pdf", tmp_path / "c.pdf"]
    assert "Nordvik" in text_of(tmp_path / "a.pdf")
    assert "Lenkemål" in text_of(tmp_path / "b.pdf")
    assert "Sørheim" in text_of(tmp_path / "c.pdf")


def test_same_input_same_bytes(tmp_path):
    first = html_to_pdfs([(d, tmp_path / f"1-{k}.pdf") for k, d in enumerate(DOCS)])
    second = html_to_pdfs([(d, tmp_path / f"2-{k}.pdf") for k, d in enumerate(DOCS)])
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]


def test_more_documents_than_one_batch(tmp_path, monkeypatch):
    import samordna.outputs.pdf as pdf

    monkeypatch.setattr(pdf, "BATCH", 2)
    outs = html_to_pdfs([(d, tmp_path / f"m{k}.pdf") for k, d in enumerate(DOCS)])
    assert [text_of(o).split()[0] for o in outs] == ["Nordvik", "Austdal", "Sørheim"]


def test_worker_processes_give_the_same_bytes(tmp_path):
    many = [doc(f"Kommune {k}", f"<h1>Kommune {k}</h1><p>{'Tekst. ' * (20 + 40 * (k % 3))}</p>") for k in range(9)]
    one = html_to_pdfs([(d, tmp_path / f"one-{k}.pdf") for k, d in enumerate(many)], workers=1)
    two = html_to_pdfs([(d, tmp_path / f"two-{k}.pdf") for k, d in enumerate(many)], workers=2)
    assert [p.read_bytes() for p in one] == [p.read_bytes() for p in two]
    assert [text_of(p).split("\n")[0] for p in two] == [f"Kommune {k}" for k in range(9)]
