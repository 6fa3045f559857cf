"""The one Jinja environment behind every HTML output (report, facilitator's guide, region report, one-pagers).

Autoescape is on for every template: all user-written text (names, comments, rationales, sector names)
reaches the page escaped, and without bidi overrides or other invisible control characters (``_finalize``,
one place for every template). A missing variable is an error, not empty text (StrictUndefined).
jinja2 is imported on first use so that ``samordna --help`` stays fast.

Charts are inline SVG (the ``chart(c)`` macro in ``_chart.html``). After rendering, :func:`finish_charts`
gives every chart's ids a prefix of its own (``c1-``, ``c2-`` … in document order, so the same page
gives the same bytes and no two charts share an id) and puts the chart font in the page once, subset
to the characters the charts draw.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from samordna.core.privacy import strip_invisible
from samordna.i18n import language, text_language, text_languages_version, texts_not_in
from samordna.io.resources import templates_path

if TYPE_CHECKING:
    from jinja2 import Environment


def _finalize(value: Any) -> Any:
    """Every ``{{ … }}`` passes here before it is escaped: bidi overrides and other invisible control
    characters are removed from text (also from markup that is already safe, which stays safe). Text in another
    language than the page's (what people wrote, a bank text without a translation: ``i18n.mark_text_language``)
    is put in ``<span lang="…">``, so that screen readers read it right (WCAG 3.1.2, language of parts)."""
    if isinstance(value, str):
        cleaned = strip_invisible(value)
        other = text_language(cleaned)
        if other is not None and other != language():
            from markupsafe import Markup

            if not isinstance(value, Markup):
                return Markup('<span lang="{}">{}</span>').format(other, cleaned)  # format() escapes the text
        if cleaned != value:
            from markupsafe import Markup

            return Markup(cleaned) if isinstance(value, Markup) else cleaned
    return value


@lru_cache(maxsize=4)
def _environment(folder: str) -> Environment:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    from samordna.i18n import _, n_, p_

    env = Environment(loader=FileSystemLoader(folder), autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, finalize=_finalize,
                      extensions=["jinja2.ext.i18n"])
    # The templates' words come from the catalogs in the language of the moment (samordna.i18n), so one
    # environment serves every language. ``{% trans %}`` blocks are trimmed (whitespace inside a block
    # is one space), and newstyle gettext escapes what it fills in (``{{ _("… %(name)s", name=x) }}``).
    env.policies["ext.i18n.trimmed"] = True
    env.install_gettext_callables(gettext=_, ngettext=n_, newstyle=True, pgettext=p_)  # type: ignore[attr-defined]
    env.globals["lang"] = _language
    return env


def _language() -> str:
    """The document's language for ``<html lang>`` (``{{ lang() }}`` in a template)."""
    from samordna.i18n import language

    return language()


def environment() -> Environment:
    """The shared environment for the current templates folder (built once per folder)."""
    return _environment(str(templates_path()))


def finish_charts(page: str) -> str:
    """Number the inline charts' ids and embed their font once (a page without charts is unchanged)."""
    from samordna.outputs.charts import ID_TOKEN, STROKE_CSS, SVG_MARK, chart_text
    from samordna.outputs.fonts import font_face_css

    if SVG_MARK not in page:
        return page
    parts: list[str] = []
    drawn: list[str] = []
    pos = 0
    n = 0
    while (start := page.find(SVG_MARK, pos)) >= 0:
        end = page.index("</svg>", start) + len("</svg>")
        n += 1
        block = page[start:end].replace(ID_TOKEN, f"c{n}-")
        parts += [page[pos:start], block]
        drawn.append(block)
        pos = end
    parts.append(page[pos:])
    body = "".join(parts)
    weights = (400, 700) if "font-weight: 700" in "".join(drawn) else (400,)
    style = (f"<style>\n{font_face_css(chart_text(''.join(drawn)), weights)}\n"
             f"svg.chart-svg * {{ {STROKE_CSS}; }}\n</style>\n")
    head = body.find("</head>")
    if head < 0:  # a fragment: the style goes before the first chart
        head = body.index(SVG_MARK)
    return body[:head] + style + body[head:]


def render(template_name: str, **context: Any) -> str:
    """Render ``template_name`` from the templates folder with ``context`` (charts finished, other languages
    marked, see above)."""
    return mark_other_languages(finish_charts(environment().get_template(template_name).render(**context)))


_TAG = re.compile(r"(<[^>]*>)")
_patterns: dict[str, tuple[int, re.Pattern[str] | None, dict[str, str]]] = {}
_kept_terms: list[str] = []  # read once from assessments/norske-termer.yaml


def _note_kept_terms() -> None:
    """The Norwegian terms English text keeps (assessments/norske-termer.yaml), noted as bokmål."""
    from samordna.i18n import mark_text_language

    if not _kept_terms:
        from samordna.io.resources import data_path
        from samordna.io.yamlio import load_yaml

        path = data_path("assessments") / "norske-termer.yaml"
        data = load_yaml(path).data if path.is_file() else None
        terms = data.get("terms") if isinstance(data, dict) else None
        _kept_terms.extend(t for t in (terms or []) if isinstance(t, str))
    for term in _kept_terms:
        mark_text_language(term, "nb")


def _pattern(lang: str) -> tuple[re.Pattern[str] | None, dict[str, str]]:
    """A pattern finding the noted texts in another language than ``lang`` as they stand escaped in a page."""
    version = text_languages_version()
    cached = _patterns.get(lang)
    if cached is not None and cached[0] == version:
        return cached[1], cached[2]
    from markupsafe import escape

    _version, texts = texts_not_in(lang)
    escaped = {str(escape(t)): other for t, other in texts.items()}
    pattern = re.compile("|".join(re.escape(t) for t in sorted(escaped, key=len, reverse=True))) if escaped else None
    _patterns[lang] = (version, pattern, escaped)
    return pattern, escaped


def mark_other_languages(page: str) -> str:
    """Put what people wrote and bank texts shown for want of a translation in ``<span lang="…">`` where they
    stand inside a sentence of the page's own (``_finalize`` does it where such a text is a whole value): a
    rationale in bokmål quoted in a nynorsk report, an older bank's statement named in an English note."""
    if language() == "en":
        _note_kept_terms()
    pattern, langs = _pattern(language())
    if pattern is None:
        return page
    parts = _TAG.split(page)
    skip = False  # inside <style>, <script> or a span that has its language already
    for i in range(len(parts)):
        part = parts[i]
        if i % 2:  # a tag
            low = part[:8].lower()
            if low.startswith(("<style", "<script")) or (low.startswith("<span") and ' lang="' in part):
                skip = True
            elif low.startswith(("</style", "</script", "</span")):
                skip = False
            continue
        if skip or not part.strip():
            continue
        parts[i] = pattern.sub(lambda m: f'<span lang="{langs[m.group(0)]}">{m.group(0)}</span>', part)
    return "".join(parts)
