"""The one Jinja environment behind every HTML output (report, facilitator's guide, region report, one-pagers).

Autoescape is on for every template: all user-written text (names, comments, rationales, sector names)
reaches the page escaped, and without bidi overrides or other invisible control characters (``_finalize``,
one place for every template). A missing variable is an error, not empty text (StrictUndefined).
jinja2 is imported on first use so that ``samordna --help`` stays fast.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

from samordna.core.privacy import strip_invisible
from samordna.io.resources import templates_path

if TYPE_CHECKING:
    from jinja2 import Environment


def _finalize(value: Any) -> Any:
    """Every ``{{ … }}`` passes here before it is escaped: bidi overrides and other invisible control
    characters are removed from text (also from markup that is already safe, which stays safe)."""
    if isinstance(value, str):
        cleaned = strip_invisible(value)
        if cleaned != value:
            from markupsafe import Markup

            return Markup(cleaned) if isinstance(value, Markup) else cleaned
    return value


@lru_cache(maxsize=4)
def _environment(folder: str) -> Environment:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    return Environment(loader=FileSystemLoader(folder), autoescape=True, undefined=StrictUndefined,
                       trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, finalize=_finalize)


def environment() -> Environment:
    """The shared environment for the current templates folder (built once per folder)."""
    return _environment(str(templates_path()))


def render(template_name: str, **context: Any) -> str:
    """Render ``template_name`` from the templates folder with ``context``."""
    return environment().get_template(template_name).render(**context)
