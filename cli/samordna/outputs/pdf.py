"""HTML to PDF through WeasyPrint (an optional extra: pip install 'samordna[pdf]').

Without WeasyPrint (or without the Pango library it needs) the HTML is still made: the commands
check ``pdf_available()`` first and tell the user, in ``how_to_get_pdf()``'s words, how to get a PDF.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from samordna.core.errors import SamordnaError
from samordna.i18n import _
from samordna.io.atomic import atomic_write_bytes


def pdf_available() -> bool:
    try:
        import weasyprint  # noqa: F401
    except Exception:  # ImportError, or OSError when Pango is missing
        return False
    return True


def how_to_get_pdf(html: Path | None = None) -> str:
    """In plain words (the current language): no PDF was made, and the two ways to get one (no Python words)."""
    pip = 'py -m pip install "samordna[pdf]"' if sys.platform == "win32" else "python -m pip install 'samordna[pdf]'"
    if html is not None:
        return _("PDF ble ikke laget: programmet som lager PDF (WeasyPrint) er ikke installert på denne maskinen. "
                 "Slik får du PDF: åpne HTML-filen ({file}) i nettleseren og velg Skriv ut → Lagre som PDF "
                 "(A4). Eller installer PDF-støtten med «{pip}» og kjør kommandoen igjen.").format(file=html.name,
                                                                                                  pip=pip)
    return _("PDF ble ikke laget: programmet som lager PDF (WeasyPrint) er ikke installert på denne maskinen. "
             "Slik får du PDF: åpne HTML-filen i nettleseren og velg Skriv ut → Lagre som PDF "
             "(A4). Eller installer PDF-støtten med «{pip}» og kjør kommandoen igjen.").format(pip=pip)


def _weasyprint() -> Any:
    """The weasyprint module, quiet; the user's message when it cannot be loaded."""
    try:
        import weasyprint
    except Exception:
        raise SamordnaError(how_to_get_pdf()) from None
    import logging

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    return weasyprint


def html_to_pdf(html: str, out: Path, base_url: str | None = None) -> Path:
    """Render ``html`` to ``out`` atomically. A clear message if WeasyPrint is missing."""
    return html_to_pdfs([(html, out)], base_url=base_url)[0]


# A document is split as head (up to and with <body ...>), body content, and the closing tags.
_PARTS = re.compile(r"\A(?P<head>.*?<body\b[^>]*>)(?P<body>.*)(?P<tail></body>\s*</html>\s*)\Z", re.S | re.I)
_TITLE = re.compile(r"<title>.*?</title>", re.S | re.I)
# What does not survive rendering several documents as one: page numbers (they would run on), named strings
# and running elements (they would carry over from one document to the next), and links inside a document
# (the same id in two documents).
_NOT_BATCHABLE = re.compile(r"counter\(\s*pages?\s*\)|string-set|running\(|href=\"#", re.I)
_MARK = "samordna-pdf-doc-"
BATCH = 16  # documents rendered together: the layout of all their pages is in memory at once
PARALLEL_FROM = 8  # fewer documents than this are rendered in this process (a worker costs more than it saves)


def _batch_key(html: str) -> str | None:
    """Documents with the same key can be rendered as one; None when this one must be rendered alone."""
    m = _PARTS.match(html)
    if m is None or _NOT_BATCHABLE.search(html):
        return None
    return _TITLE.sub("", m["head"], count=1)


def html_to_pdfs(docs: Sequence[tuple[str, Path]], base_url: str | None = None,
                 workers: int | None = None) -> list[Path]:
    """Render each ``(html, out)`` pair to its own PDF file, atomically; the paths in the same order.

    Documents with the same head and stylesheet (the county's one-pagers) are laid out as one multi-page
    document, up to ``BATCH`` at a time, and split into one file each afterwards: the stylesheets are parsed
    and the fonts loaded once per batch instead of once per document. Each file is a whole PDF of its own,
    with its own title and only the fonts its pages use, and the same bytes as when rendered alone. From
    ``PARALLEL_FROM`` documents the batches are rendered in ``workers`` processes (default: one per core, at
    most 4). A clear message if WeasyPrint is missing."""
    _weasyprint()
    if workers is None:
        workers = min(os.cpu_count() or 1, 4) if len(docs) >= PARALLEL_FROM else 1
    groups: dict[str, list[int]] = {}
    alone: list[int] = []
    for i, (html, _out) in enumerate(docs):
        key = _batch_key(html)
        if key is None:
            alone.append(i)
        else:
            groups.setdefault(key, []).append(i)
    batches = [[i] for i in alone]
    for members in groups.values():
        size = min(BATCH, max(2, -(-len(members) // max(workers, 1))))  # enough batches to keep every worker busy
        batches += [members[k:k + size] for k in range(0, len(members), size)]
    batches.sort()
    jobs = [([docs[i][0] for i in batch], base_url) for batch in batches]
    if workers > 1 and len(jobs) > 1:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        method = "fork" if sys.platform == "linux" else "spawn"  # fork: the workers need not import WeasyPrint again
        with ProcessPoolExecutor(max_workers=min(workers, len(jobs)),
                                 mp_context=multiprocessing.get_context(method)) as pool:
            rendered = list(pool.map(_render_job, jobs))
    else:
        from weasyprint.text.fonts import FontConfiguration

        font_config = FontConfiguration()
        rendered = [_render(htmls, url, font_config) for htmls, url in jobs]
    for batch, datas in zip(batches, rendered, strict=True):
        for i, data in zip(batch, datas, strict=True):
            atomic_write_bytes(Path(docs[i][1]), data)
    return [Path(out) for _html, out in docs]


def _render_job(job: tuple[list[str], str | None]) -> list[bytes]:
    """One batch in a worker process."""
    from weasyprint.text.fonts import FontConfiguration

    _weasyprint()
    return _render(job[0], job[1], FontConfiguration())


def _render(htmls: list[str], base_url: str | None, font_config: Any) -> list[bytes]:
    """The PDF bytes of each document: alone, or laid out together (same head) and split."""
    import weasyprint

    if len(htmls) == 1:
        return [weasyprint.HTML(string=htmls[0], base_url=base_url).write_pdf(font_config=font_config)]
    return _render_batch(htmls, base_url, font_config)


def _flush_body(page: Any) -> bool:
    """True when <html> and <body> have no margin, border or padding at the top or bottom (their computed
    style, found on ``page``'s boxes)."""
    sides = ("margin_top", "margin_bottom", "padding_top", "padding_bottom", "border_top_width", "border_bottom_width")
    seen = 0
    stack = list(getattr(page._page_box, "children", []))
    while stack and seen < 2:
        box = stack.pop(0)
        if box.element_tag in ("html", "body"):
            seen += 1
            if any(box.style[side] != "auto" and getattr(box.style[side], "value", box.style[side]) != 0
                   for side in sides):
                return False
            stack = list(getattr(box, "children", []))
    return seen == 2


def _render_batch(htmls: list[str], base_url: str | None, font_config: object) -> list[bytes]:
    """Lay out ``htmls`` (same head) as one document, then write each one's pages as a PDF of its own."""
    import copy

    import weasyprint
    from weasyprint.html import get_html_metadata

    parts = [_PARTS.match(h) for h in htmls]
    assert all(parts)
    # An empty block before each document's content: it starts a new page and marks where the document starts.
    mark = ('<div id="{}{}" style="break-before:page;display:block;margin:0;padding:0;border:0;height:0">'
            "</div>")
    body = "".join(mark.format(_MARK, k) + m["body"] for k, m in enumerate(parts) if m)
    first = parts[0]
    assert first is not None
    whole = weasyprint.HTML(string=first["head"] + body + first["tail"], base_url=base_url)
    document = whole.render(font_config=font_config)
    starts: dict[int, int] = {}
    for n, page in enumerate(document.pages):
        for anchor in [a for a in page.anchors if a.startswith(_MARK)]:
            starts.setdefault(int(anchor.removeprefix(_MARK)), n)
            del page.anchors[anchor]  # not a destination in the files written
    if sorted(starts) != list(range(len(htmls))) or not _flush_body(document.pages[0]):
        # Laid out as one, the documents after the first would start without the space above <body> (and end
        # without the space below it): render them one at a time instead, so that each looks as it would alone.
        return [weasyprint.HTML(string=h, base_url=base_url).write_pdf(font_config=font_config) for h in htmls]
    bounds = [starts[k] for k in range(len(htmls))] + [len(document.pages)]
    result = []
    for k, m in enumerate(parts):
        assert m is not None
        part = document.copy(document.pages[bounds[k]:bounds[k + 1]])
        part.metadata = copy.copy(document.metadata)
        own = get_html_metadata(weasyprint.HTML(string=m["head"] + "</body></html>", base_url=base_url))
        part.metadata.title = own.get("title")
        result.append(part.write_pdf())
    return result


def pdf_beside(html: str, html_path: Path, pdf: bool) -> list[Path]:
    """The PDF of ``html`` next to ``html_path`` (same name, .pdf) when asked and WeasyPrint is there; else nothing."""
    if not pdf or not pdf_available():
        return []
    return [html_to_pdf(html, Path(html_path).with_suffix(".pdf"), base_url=str(Path(html_path).parent))]
