"""HTML to PDF through WeasyPrint (an optional extra: pip install 'samordna[pdf]').

Without WeasyPrint (or without the Pango library it needs) the HTML is still made: the commands
check ``pdf_available()`` first and tell the user, in ``how_to_get_pdf()``'s words, how to get a PDF.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from samordna.core.errors import SamordnaError
from samordna.io.atomic import atomic_write_bytes


def pdf_available() -> bool:
    try:
        import weasyprint  # noqa: F401
    except Exception:  # ImportError, or OSError when Pango is missing
        return False
    return True


def how_to_get_pdf(html: Path | None = None) -> str:
    """Plain Norwegian: no PDF was made, and the two ways to get one (no Python words)."""
    pip = 'py -m pip install "samordna[pdf]"' if sys.platform == "win32" else "python -m pip install 'samordna[pdf]'"
    where = f" ({html.name})" if html is not None else ""
    return ("PDF ble ikke laget: programmet som lager PDF (WeasyPrint) er ikke installert på denne maskinen. "
            f"Slik får du PDF: åpne HTML-filen{where} i nettleseren og velg Skriv ut → Lagre som PDF "
            f"(A4). Eller installer PDF-støtten med «{pip}» og kjør kommandoen igjen.")


def html_to_pdf(html: str, out: Path, base_url: str | None = None) -> Path:
    """Render ``html`` to ``out`` atomically. A clear message if WeasyPrint is missing."""
    try:
        import weasyprint
    except Exception:
        raise SamordnaError(how_to_get_pdf()) from None
    import logging

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    data = weasyprint.HTML(string=html, base_url=base_url).write_pdf()
    atomic_write_bytes(out, data)
    return out


def html_to_pdfs(docs: Sequence[tuple[str, Path]], base_url: str | None = None) -> list[Path]:
    """Render each ``(html, out)`` pair to its own PDF file, atomically; the paths in the same order.

    One call for many documents (the county's one-pagers, the report and its summary) so that the work they
    share is done once. A clear message if WeasyPrint is missing."""
    return [html_to_pdf(html, Path(out), base_url=base_url) for html, out in docs]


def pdf_beside(html: str, html_path: Path, pdf: bool) -> list[Path]:
    """The PDF of ``html`` next to ``html_path`` (same name, .pdf) when asked and WeasyPrint is there; else nothing."""
    if not pdf or not pdf_available():
        return []
    return [html_to_pdf(html, Path(html_path).with_suffix(".pdf"), base_url=str(Path(html_path).parent))]
