"""HTML to PDF through WeasyPrint (an optional extra: pip install 'samordna[pdf]')."""

from __future__ import annotations

from pathlib import Path

from samordna.core.errors import SamordnaError
from samordna.io.atomic import atomic_write_bytes


def pdf_available() -> bool:
    try:
        import weasyprint  # noqa: F401
    except Exception:  # ImportError, or OSError when Pango is missing
        return False
    return True


def html_to_pdf(html: str, out: Path, base_url: str | None = None) -> Path:
    """Render ``html`` to ``out`` atomically. A clear message if WeasyPrint is missing."""
    try:
        import weasyprint
    except Exception as exc:
        raise SamordnaError(
            "PDF krever WeasyPrint, som ikke er installert (eller mangler Pango). "
            "Installer med: pip install 'samordna[pdf]'. HTML-filen kan også skrives ut til PDF fra nettleseren. "
            f"({type(exc).__name__})"
        ) from None
    import logging

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    data = weasyprint.HTML(string=html, base_url=base_url).write_pdf()
    atomic_write_bytes(out, data)
    return out
