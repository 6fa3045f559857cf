"""The chart font, embedded once in a document: DejaVu Sans (bundled with matplotlib), subset to the
characters the charts use, as WOFF2 in a base64 ``@font-face`` under a family name of our own.

The charts are inline SVG with real text (``svg.fonttype = "none"``). With the font in the document the
text looks the same on a municipal Windows PC without DejaVu, in Chromium and in the PDF (WeasyPrint),
and it can be searched, selected and read by a screen reader. The same characters give the same bytes:
the subsetter's options are pinned and the font's timestamps are fixed.
"""

from __future__ import annotations

import base64
import io
from functools import lru_cache
from pathlib import Path

FAMILY = "samordna-chart"  # our own name, so a system DejaVu is never needed (nor picked up by mistake)
CSS_FAMILY = f"'{FAMILY}', 'DejaVu Sans', sans-serif"
_FILES = {400: "DejaVuSans.ttf", 700: "DejaVuSans-Bold.ttf"}
_FIXED_TIME = 0xE57B6980  # 2026-01-01 00:00 in seconds since 1904 (the font's epoch): never "now"


def _font_path(weight: int) -> Path:
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf" / _FILES[weight]


@lru_cache(maxsize=32)
def subset_woff2(chars: str, weight: int = 400) -> bytes:
    """DejaVu Sans (``weight`` 400 or 700) with exactly the glyphs for ``chars`` (sorted, no duplicates), as WOFF2."""
    from fontTools import subset  # type: ignore[import-untyped]
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    options = subset.Options()
    options.flavor = "woff2"
    options.hinting = False  # screens and PDF scale the outlines; hints only add bytes
    options.desubroutinize = True
    options.name_IDs = [1, 2]  # family and style only
    options.name_languages = [0x409]
    options.notdef_outline = True
    options.drop_tables = [*options.drop_tables, "FFTM"]  # FontForge's timestamps: not needed, and not subsettable
    options.recalc_timestamp = False
    options.recalc_bounds = True
    font = TTFont(str(_font_path(weight)), recalcTimestamp=False)  # lazy: only the glyphs kept are parsed
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted({ord(c) for c in chars}))
    subsetter.subset(font)
    font["head"].created = font["head"].modified = _FIXED_TIME
    buf = io.BytesIO()
    font.flavor = "woff2"
    font.save(buf, reorderTables=True)
    return buf.getvalue()


def font_face_css(chars: str, weights: tuple[int, ...] = (400,)) -> str:
    """One ``@font-face`` per weight for ``chars``: the subset font as a base64 WOFF2 data URI."""
    text = "".join(sorted(set(chars) - {"\n", "\r", "\t"}))
    rules = []
    for weight in weights:
        data = base64.b64encode(subset_woff2(text, weight)).decode("ascii")
        rules.append(f"@font-face {{ font-family: '{FAMILY}'; font-style: normal; font-weight: {weight}; "
                     f"src: url(data:font/woff2;base64,{data}) format('woff2'); }}")
    return "\n".join(rules)
