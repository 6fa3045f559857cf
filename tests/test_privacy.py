"""The shared comment screen: fødselsnummer and D-number are refused, e-mail and phone warned about."""

from __future__ import annotations

import pytest

from samordna.core.privacy import is_national_id, screen_text

K1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
K2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def _control(digits: str, weights) -> int | None:
    k = 11 - sum(int(d) * w for d, w in zip(digits, weights)) % 11
    if k == 11:
        return 0
    return None if k == 10 else k


def make_id(birth: str, start: int = 100) -> str:
    """A valid 11-digit number for the date DDMMYY (D-number: day + 40), by the official check-digit rule."""
    for individual in range(start, 1000):
        base = birth + f"{individual:03d}"
        k1 = _control(base, K1)
        if k1 is None:
            continue
        k2 = _control(base + str(k1), K2)
        if k2 is None:
            continue
        return base + str(k1) + str(k2)
    raise AssertionError("no valid number for " + birth)


def broken(number: str) -> str:
    """The same number with the last check digit wrong."""
    return number[:10] + str((int(number[10]) + 1) % 10)


FNR = make_id("150590")
FNR2 = make_id("311299", 500)
DNR = make_id("550590")  # D-number: day 15 + 40


def test_generated_numbers_have_valid_check_digits():
    assert len({FNR, FNR2, DNR}) == 3
    for n in (FNR, FNR2, DNR):
        assert len(n) == 11 and is_national_id(n), n


@pytest.mark.parametrize("number", [FNR, FNR2, DNR])
def test_invalid_check_digits_are_not_national_ids(number):
    assert not is_national_id(broken(number))
    # first check digit wrong too
    assert not is_national_id(number[:9] + str((int(number[9]) + 1) % 10) + number[10])


def test_impossible_dates_are_not_national_ids():
    # valid check digits but month 13: not a person
    assert not is_national_id(make_id("011390"))
    assert not is_national_id("00000000000")


@pytest.mark.parametrize("text", [
    f"Gjelder barnet med fnr {FNR}.",
    f"{FNR}",
    f"Se {FNR[:6]} {FNR[6:]} i saken",
    f"Se {FNR[:6]}-{FNR[6:]} i saken",
    f"D-nummer {DNR} hos NAV",
    f"født {FNR[0:2]}.{FNR[2:4]}.{FNR[4:6]} {FNR[6:]}",   # written as a date plus the personal number
    f"{FNR[0:2]} {FNR[2:4]} {FNR[4:6]}-{FNR[6:]}",
    f"11 22 {FNR}",                                       # digits before it must not hide it
    f"flere tall: 12, {FNR2}.",
])
def test_national_ids_block_the_comment(text):
    s = screen_text(text)
    assert not s.ok
    assert "taushetsplikt" in s.blocked[0]
    assert "fødselsnummer" in s.blocked[0]


@pytest.mark.parametrize("text", [
    f"Saksnummer {broken(FNR)}",        # wrong check digit: just a number
    f"Telefon og konto: 1{FNR}",       # 12 digits: not an 11-digit id
    "Vedtatt i sak 2023/1456 den 12.03.2023",
    "Rundt 40 prosent av ansatte har fått opplæring",
    "",
    None,
])
def test_ordinary_text_passes(text):
    s = screen_text(text)
    assert s.ok
    assert not s.blocked


def test_email_and_phone_warn_but_are_allowed():
    s = screen_text("Spør kari.nordmann@kommune.no eller ring 912 34 567")
    assert s.ok
    assert any("e-post" in w for w in s.warnings)
    assert any("telefon" in w for w in s.warnings)


@pytest.mark.parametrize("text", ["ring +47 91234567", "tlf 22334455", "0047 91 23 45 67"])
def test_phone_numbers_warn(text):
    s = screen_text(text)
    assert s.ok and any("telefon" in w for w in s.warnings), text


def test_national_id_blocks_even_next_to_an_email():
    s = screen_text(f"{FNR} ola@example.no")
    assert not s.ok and s.warnings
