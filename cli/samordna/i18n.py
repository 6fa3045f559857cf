"""The program's own words in bokmål, nynorsk or English: gettext catalogs, one current language.

The messages are written in bokmål in the code (bokmål is the source language: a msgid is the bokmål
text). ``locale/<nn|en>/LC_MESSAGES/samordna.po`` hold the nynorsk and English texts; the build compiles
them to ``.mo`` files (``hatch_build.py``), which the standard library's :mod:`gettext` reads here. In a
checkout whose ``.po`` is newer than its ``.mo`` (or has none), the ``.po`` is compiled in memory with
Babel, so an edited translation shows at once.

How to mark a text:

* ``_("Fant ikke {file}.").format(file=name)`` – translated when called, in the current language.
  Placeholders are named (a translation may put them in another order); never an f-string inside ``_()``.
* ``n_("{n} deltaker", "{n} deltakere", n).format(n=n)`` – the plural form comes from the catalog
  (bokmål and nynorsk: one for exactly 1, the other for everything else).
* ``p_("context", "Nivå")`` – the same bokmål word that needs different translations in two places.
* ``N_("…")`` at module level – marks a text for the catalog without translating it; the code calls
  ``_(CONSTANT)`` where the text is used, so the text follows the language of the moment.

The current language lives in a :class:`~contextvars.ContextVar`: :func:`set_language` for the whole
process (the screen), :func:`use_language` for a block (a document in a municipality's language form,
one region one-pager in each). Only the standard library sits under this module, so every layer may use it
(the layer contract in pyproject.toml checks that); ``samordna --help`` reads at most one ``.mo`` file.
"""

from __future__ import annotations

import gettext as _gettext
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from functools import cache
from pathlib import Path

LANGUAGES = ("nb", "nn", "en")
SOURCE = "nb"
DOMAIN = "samordna"
LANGUAGE_NAMES = {"nb": "bokmål", "nn": "nynorsk", "en": "English"}
ENV_VAR = "SAMORDNA_LANG"

_current: ContextVar[str] = ContextVar("samordna_language", default=SOURCE)
# The person at the keyboard chose the screen's language (--lang, SAMORDNA_LANG): a workspace's language form
# does not change it. And --lang on a command: the documents the command writes are in it, whatever the
# workspace's language form is.
_screen_chosen: ContextVar[bool] = ContextVar("samordna_screen_chosen", default=False)
_documents: ContextVar[str | None] = ContextVar("samordna_documents", default=None)


class UnknownLanguage(ValueError):
    """A language code samordna does not have (the message names the ones it has)."""


def check_language(code: str) -> str:
    """``code`` as one of LANGUAGES (case and surrounding space ignored; «nob»/«nno»/«eng» and «no» too)."""
    norm = code.strip().lower().replace("_", "-")
    norm = {"nob": "nb", "no": "nb", "nno": "nn", "eng": "en"}.get(norm, norm)
    norm = norm.split("-")[0] if norm.startswith(("nb-", "nn-", "en-")) else norm
    if norm not in LANGUAGES:
        raise UnknownLanguage(_("Ukjent språk «{code}». Velg nb (bokmål), nn (nynorsk) eller en (English).")
                              .format(code=code))
    return norm


def language() -> str:
    """The language of the moment (nb unless set)."""
    return _current.get()


def set_language(code: str) -> str:
    """Set the language for the rest of this context (the process, in the command line)."""
    code = check_language(code)
    _current.set(code)
    return code


@contextmanager
def use_language(code: str | None) -> Iterator[str]:
    """Within the block the texts are in ``code`` (None: unchanged); afterwards as before."""
    if code is None:
        yield language()
        return
    token = _current.set(check_language(code))
    try:
        yield _current.get()
    finally:
        _current.reset(token)


def env_language() -> str | None:
    """SAMORDNA_LANG, if it names a language samordna has (anything else is ignored here; main() says so on stderr)."""
    value = os.environ.get(ENV_VAR, "").strip()
    if not value:
        return None
    try:
        return check_language(value)
    except UnknownLanguage:
        return None


def start(args: list[str] | None = None) -> str:
    """The language at the start of a command: ``--lang X`` among ``args`` (so that help and usage errors
    are in it too), else SAMORDNA_LANG, else bokmål until a workspace's language form says otherwise."""
    chosen = lang_in_args(args or []) or env_language()
    _current.set(chosen or SOURCE)
    _screen_chosen.set(chosen is not None)
    _documents.set(None)
    return _current.get()


def lang_in_args(args: list[str]) -> str | None:
    """The valid value of the last ``--lang X`` / ``--lang=X`` before a lone ``--`` (an invalid one is
    left to the command's own option, which refuses it with a usage error)."""
    found = None
    for i, arg in enumerate(args):
        if arg == "--":
            break
        value = args[i + 1] if arg == "--lang" and i + 1 < len(args) else (
            arg.split("=", 1)[1] if arg.startswith("--lang=") else None)
        if value is not None:
            with suppress(UnknownLanguage):
                found = check_language(value)
    return found


def choose(code: str) -> str:
    """``--lang`` on a command: the screen and the documents that command writes are in ``code``."""
    code = set_language(code)
    _screen_chosen.set(True)
    _documents.set(code)
    return code


def workspace_opened(form: str | None) -> None:
    """A workspace with the language form ``form`` was opened: the screen follows it unless chosen."""
    if form and not _screen_chosen.get():
        _current.set(check_language(form))


def document_language(form: str | None) -> str:
    """The language of a document made for a municipality whose language form is ``form``."""
    return _documents.get() or (check_language(form) if form else SOURCE)


# --- the catalogs ------------------------------------------------------------------------------------

def locale_dir() -> Path:
    """The folder of the catalogs: ``samordna/_data/locale`` in a wheel, ``locale/`` in a checkout."""
    override = os.environ.get("SAMORDNA_LOCALE")
    if override:
        return Path(override)
    here = Path(__file__).resolve().parent
    packaged = here / "_data" / "locale"
    if packaged.is_dir():
        return packaged
    return here.parents[1] / "locale"


def catalog_files(code: str) -> tuple[Path, Path]:
    """(``.po``, ``.mo``) of a language (either may be missing)."""
    base = locale_dir() / code / "LC_MESSAGES" / DOMAIN
    return base.with_suffix(".po"), base.with_suffix(".mo")


class _Catalog(_gettext.GNUTranslations):
    """A compiled catalog; an empty translation counts as missing (the bokmål text is shown)."""


@cache
def _translations(code: str) -> _gettext.NullTranslations:
    if code == SOURCE:
        return _gettext.NullTranslations()
    po, mo = catalog_files(code)
    try:
        mo_time = mo.stat().st_mtime
    except OSError:
        mo_time = None
    try:
        po_time: float | None = po.stat().st_mtime
    except OSError:
        po_time = None
    if mo_time is not None and (po_time is None or po_time <= mo_time):
        with open(mo, "rb") as f:
            return _Catalog(f)
    if po_time is not None:
        return _compile_in_memory(po)
    return _gettext.NullTranslations()  # no catalog at all: bokmål (the completeness test keeps this from shipping)


def _compile_in_memory(po: Path) -> _gettext.NullTranslations:
    """A checkout where the ``.po`` is newer than its ``.mo``: compile it now (Babel is a dependency)."""
    import io

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with open(po, "rb") as f:
        catalog = read_po(f, domain=DOMAIN)
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    buf.seek(0)
    return _Catalog(buf)



# --- marking and translating ---------------------------------------------------------------------------

def _(message: str) -> str:
    """``message`` (bokmål) in the current language."""
    code = _current.get()
    if code == SOURCE:
        return message
    return _translations(code).gettext(message)


def n_(singular: str, plural: str, n: int) -> str:
    """The form of a counted text for ``n`` in the current language (format ``{n}`` afterwards)."""
    code = _current.get()
    if code == SOURCE:
        return singular if abs(n) == 1 else plural
    return _translations(code).ngettext(singular, plural, n)


def p_(context: str, message: str) -> str:
    """``message`` in the current language, where the same bokmål text needs a ``context`` to tell uses apart."""
    code = _current.get()
    if code == SOURCE:
        return message
    return _translations(code).pgettext(context, message)


def N_(message: str) -> str:
    """Mark ``message`` for the catalog; it is translated later, where it is used (``_(CONSTANT)``)."""
    return message


def in_language(code: str, message: str) -> str:
    """``message`` in a given language, whatever the current one is (import reads forms in all three)."""
    if code == SOURCE:
        return message
    return _translations(check_language(code)).gettext(message)



# --- typer's chrome and pydantic's errors ---------------------------------------------------------------

def help_option_text() -> str:
    return _("Vis denne hjelpeteksten og avslutt.")


def panel_texts() -> dict[str, str]:
    """typer.rich_utils' fixed texts, in the current language."""
    return {
        "ARGUMENTS_PANEL_TITLE": _("Argumenter"),
        "OPTIONS_PANEL_TITLE": _("Valg"),
        "COMMANDS_PANEL_TITLE": _("Kommandoer"),
        "ERRORS_PANEL_TITLE": _("Feil"),
        "ABORTED_TEXT": _("Avbrutt."),
        "DEFAULT_STRING": _("[standard: {}]"),
        "REQUIRED_LONG_STRING": _("[påkrevd]"),
        "RICH_HELP": _("Se [blue]'{command_path} {help_option}'[/] for hjelp."),
    }


_ERRORS = [
    (r"^Missing argument '([^']+)'\.?", N_("Mangler argumentet {0}.")),
    (r"^Missing option '([^']+)'\.?", N_("Mangler valget {0}.")),
    (r"^Missing parameter: (.+)", N_("Mangler {0}.")),
    (r"^No such option: (\S+)", N_("Ukjent valg: {0}")),
    (r"^No such command '([^']+)'\.", N_("Ukjent kommando «{0}».")),
    (r"^Missing command\.", N_("Mangler kommando.")),
    (r"^Got unexpected extra arguments? \((.+)\)", N_("Uventet ekstra argument ({0})")),
    (r"^Invalid value for (.+?): ", N_("Ugyldig verdi for {0}: ")),
    (r"'(.+)' is not a valid integer\.?", N_("«{0}» er ikke et heltall.")),
    (r"'(.+)' is not one of (.+)\.", N_("«{0}» er ikke en av {1}.")),
    (r"\w+ '(.+)' does not exist\.", N_("«{0}» finnes ikke.")),
    (r"Option '([^']+)' requires an argument\.", N_("Valget {0} trenger en verdi.")),
    (r"Did you mean (.+)\?", N_("Mente du {0}?")),
]


def translate_error(text: str) -> str:
    """A click/typer usage error in the current language (phrases it does not know are left as they are)."""
    for pattern, template in _ERRORS:
        def replace(m: re.Match[str], template: str = template) -> str:
            return _(template).format(*m.groups())

        text = re.sub(pattern, replace, text)
    return text


PYDANTIC_MESSAGES = {
    "missing": N_("mangler"),
    "extra_forbidden": N_("ukjent nøkkel (skrivefeil?)"),
    "int_parsing": N_("må være et heltall"),
    "int_type": N_("må være et heltall"),
    "int_from_float": N_("må være et heltall"),
    "float_parsing": N_("må være et tall"),
    "float_type": N_("må være et tall"),
    "bool_parsing": N_("må være true eller false"),
    "bool_type": N_("må være true eller false"),
    "string_type": N_("må være tekst"),
    "string_too_short": N_("kan ikke være tom"),
    "string_too_long": N_("er for lang"),
    "list_type": N_("må være en liste"),
    "dict_type": N_("må være en oppslagstabell (nøkkel: verdi)"),
    "model_type": N_("må være en oppslagstabell (nøkkel: verdi)"),
    "model_attributes_type": N_("må være en oppslagstabell (nøkkel: verdi)"),
    "too_short": N_("har for få elementer"),
    "too_long": N_("har for mange elementer"),
    "date_parsing": N_("må være en dato (ÅÅÅÅ-MM-DD)"),
    "date_from_datetime_parsing": N_("må være en dato (ÅÅÅÅ-MM-DD)"),
    "date_type": N_("må være en dato (ÅÅÅÅ-MM-DD)"),
    "datetime_parsing": N_("må være et tidspunkt (ÅÅÅÅ-MM-DDTtt:mm)"),
    "datetime_type": N_("må være et tidspunkt (ÅÅÅÅ-MM-DDTtt:mm)"),
    "url_parsing": N_("må være en nettadresse"),
}
"""pydantic's error kinds in bokmål (translated where shown, by ``core.problems``)."""


# --- text that is not the tool's own: its language, for HTML's lang attribute (WCAG 3.1.2) -------------------

_foreign: dict[str, str] = {}
_foreign_version = [0]  # grows with every text noted (a cache of patterns made from them knows when to renew)


def mark_text_language(text: str | None, lang: str) -> None:
    """Note that ``text`` (what a person wrote, or a bank text shown in bokmål for want of a translation) is in
    ``lang``: an HTML page in another language shows it inside ``<span lang="…">``. Very short texts are not
    noted (a lone «Ja» reads the same in every Norwegian)."""
    if text and len(text) >= 12 and _foreign.get(text) != lang:
        _foreign[text] = lang
        _foreign_version[0] += 1


def text_language(text: str) -> str | None:
    """The language noted for ``text`` by :func:`mark_text_language`, if any."""
    return _foreign.get(text)


def texts_not_in(lang: str) -> tuple[int, dict[str, str]]:
    """(version, {text: its language}) of the noted texts in another language than ``lang``."""
    return _foreign_version[0], {t: other for t, other in _foreign.items() if other != lang}


def text_languages_version() -> int:
    return _foreign_version[0]


def forget_text_languages() -> None:
    _foreign.clear()
    _foreign_version[0] += 1
