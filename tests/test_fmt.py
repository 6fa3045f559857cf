"""Numbers, percentages and dates per language: the fast formatter gives Babel's own text."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from babel.dates import format_date
from babel.numbers import format_decimal, format_percent
from hypothesis import given
from hypothesis import strategies as st

from samordna.core import fmt
from samordna.i18n import LANGUAGES, use_language

LOCALES = {"nb": "nb", "nn": "nn", "en": "en_GB"}


@pytest.mark.parametrize("lang", LANGUAGES)
@given(x=st.floats(min_value=-1e7, max_value=1e7, allow_nan=False), nd=st.integers(0, 2))
def test_num_is_babels_decimal(lang: str, x: float, nd: int) -> None:
    # Python rounds the float itself (as before this module used Babel's symbols); Babel is given that
    # rounded decimal, so the comparison is of symbols, grouping and sign.
    rounded = Decimal(f"{x:.{nd}f}")
    pattern = "#,##0" + ("." + "0" * nd if nd else "")
    expected = format_decimal(rounded, format=pattern, locale=LOCALES[lang])
    if rounded == 0:
        expected = expected.lstrip("-\u2212")
    with use_language(lang):
        assert fmt.num(x, nd) == expected


@pytest.mark.parametrize("lang", LANGUAGES)
@given(share=st.floats(min_value=0, max_value=100, allow_nan=False))
def test_pct_is_babels_percent(lang: str, share: float) -> None:
    whole = round(share * 100)
    with use_language(lang):
        assert fmt.pct(share) == format_percent(Decimal(whole) / 100, locale=LOCALES[lang])


@pytest.mark.parametrize("lang", LANGUAGES)
@given(n=st.integers(-10**7, 10**7))
def test_integer_is_babels(lang: str, n: int) -> None:
    with use_language(lang):
        assert fmt.integer(n) == format_decimal(n, format="#,##0", locale=LOCALES[lang])


def test_the_forms_users_see() -> None:
    with use_language("nb"):
        assert (fmt.num(2.25), fmt.pct(0.5), fmt.integer(3570)) == ("2,2", "50\u00a0%", "3\u00a0570")
        assert fmt.day(date(2026, 11, 24)) == "24. november 2026"
        assert fmt.numeric_day(date(2026, 11, 24)) == "24.11.2026"
    with use_language("nn"):
        assert fmt.day(date(2026, 11, 24)) == format_date(date(2026, 11, 24), "long", locale="nn")
    with use_language("en"):
        assert (fmt.num(2.25), fmt.pct(0.5), fmt.integer(3570)) == ("2.2", "50%", "3,570")
        assert fmt.day(date(2026, 11, 24)) == "24 November 2026"
        assert fmt.numeric_day(date(2026, 11, 24)) == "24/11/2026"
    assert fmt.num(None) == fmt.pct(None) == fmt.short(None) == "–"
