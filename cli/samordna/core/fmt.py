"""Numbers, percentages and dates written the way the current language writes them (Babel's locale data).

bokmål and nynorsk: decimal comma, a no-break space between thousands and before «%» («1 234,5», «50 %»);
English (British conventions, for a Nordic reader): «1,234.5», «50%», «24 November 2026».
The symbols and patterns come from Babel (CLDR) once per language; the formatting itself is Python's own,
because the county view formats hundreds of thousands of numbers (tests/test_fmt.py checks it against
``babel.numbers.format_decimal`` and ``format_percent``).
"""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import NamedTuple

from samordna.i18n import language

BABEL_LOCALE = {"nb": "nb", "nn": "nn", "en": "en_GB"}


class _Symbols(NamedTuple):
    decimal: str
    group: str
    percent_before: str
    percent_after: str


@cache
def _symbols(lang: str) -> _Symbols:
    from babel import Locale
    from babel.numbers import get_decimal_symbol, get_group_symbol

    loc = BABEL_LOCALE[lang]
    pattern = Locale.parse(loc).percent_formats[None].pattern  # «#,##0 %» or «#,##0%»
    before, _, after = pattern.partition("#,##0")
    return _Symbols(get_decimal_symbol(loc), get_group_symbol(loc), before, after)


def babel_locale(lang: str | None = None) -> str:
    """The Babel locale for a samordna language (the current one by default)."""
    return BABEL_LOCALE[lang or language()]


def _grouped(text: str, sym: _Symbols) -> str:
    """Python's «1,234.5» in the language's symbols."""
    if "," not in text:
        return text.replace(".", sym.decimal) if sym.decimal != "." else text
    return text.replace(",", "\0").replace(".", sym.decimal).replace("\0", sym.group)


def num(x: float | None, nd: int = 1, empty: str = "–") -> str:
    """``x`` with ``nd`` decimals (rounded half to even, as Babel does), thousands grouped."""
    if x is None:
        return empty
    text = f"{x:,.{nd}f}"
    if text.startswith("-") and not any(c not in "-0.," for c in text):
        text = text[1:]  # «-0,0» is 0
    return _grouped(text, _symbols(language()))


def integer(n: int) -> str:
    """A count with thousands grouped: «3 570» (bokmål, nynorsk), «3,570» (English)."""
    return _grouped(f"{n:,d}", _symbols(language()))


def pct(share: float | None, empty: str = "–") -> str:
    """A share 0–1 as a whole percentage: «50 %» (with a no-break space) or «50%»."""
    if share is None:
        return empty
    sym = _symbols(language())
    return f"{sym.percent_before}{_grouped(f'{round(share * 100):,d}', sym)}{sym.percent_after}"


def short(x: float | None) -> str:
    """A number as short as it can be written: 2, 2,5, 2,25 (– when missing)."""
    if x is None:
        return "–"
    return _grouped(f"{x:g}", _symbols(language()))


def day(d: date) -> str:
    """A date the long way: «24. november 2026», «24 November 2026»."""
    from babel.dates import format_date

    return format_date(d, "long", locale=babel_locale())


def numeric_day(d: date) -> str:
    """A date in digits: «24.11.2026», «24/11/2026»."""
    from babel.dates import format_date

    return format_date(d, "short" if language() != "en" else "dd/MM/yyyy", locale=babel_locale())
