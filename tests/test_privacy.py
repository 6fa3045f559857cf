"""The shared comment screen: fødselsnummer and D-number are refused, e-mail and phone warned about.

The numbers below are FIXED, published test/synthetic numbers (never generated with the code's own weights),
each checked by hand with the official mod-11 rule (Skatteetaten; also fnrinfo.no «Beregning av kontrollsiffer»):

    number  d1 d2 d3 d4 d5 d6 d7 d8 d9 k1 k2   (DDMMYY, individual number d7-d9, two check digits)
    k1 = 11 - (3*d1 + 7*d2 + 6*d3 + 1*d4 + 8*d5 + 9*d6 + 4*d7 + 5*d8 + 2*d9) mod 11
    k2 = 11 - (5*d1 + 4*d2 + 3*d3 + 2*d4 + 7*d5 + 6*d6 + 5*d7 + 4*d8 + 3*d9 + 2*k1) mod 11
    a result of 11 means 0; a result of 10 means the number cannot exist.

Worked example, 151086 95088 (python-stdnum's doctest for stdnum.no.fodselsnummer):
    S1 = 3*1 + 7*5 + 6*1 + 1*0 + 8*8 + 9*6 + 4*9 + 5*5 + 2*0 = 223; 223 mod 11 = 3; k1 = 11 - 3 = 8
    S2 = 5*1 + 4*5 + 3*1 + 2*0 + 7*8 + 6*6 + 5*9 + 4*5 + 3*0 + 2*8 = 201; 201 mod 11 = 3; k2 = 11 - 3 = 8

The hand sums (S1, S2 over the first nine/ten digits) for every valid number are in VALID.
Changing any one digit of a valid number always breaks the second check (its weights, with 1 for k2 itself,
are all non-zero mod 11, and 11 is prime), so the one-digit-changed numbers in INVALID cannot be ids.
"""

from __future__ import annotations

import pytest

from samordna.core.privacy import is_national_id, screen_text

# number: (source, S1, S2) -- S1 mod 11 and S2 mod 11 give k1 and k2 by the rule above
VALID = {
    "15108695088": ("python-stdnum doctest (stdnum/no/fodselsnummer.py)", 223, 201),
    "31129956715": ("fnrinfo.no worked example: 311299567 -> check digits 1 and 5", 241, 215),
    "15507600333": ("NAV Dolly synthetic fnr, month + 40 (navikt FødselsnummerTest)", 184, 140),
    "55507608360": ("NAV Dolly synthetic D-number, day + 40, month + 40", 236, 198),
    "17912099997": ("Skatteetaten Test-Norge/Tenor synthetic fnr, month + 80", 222, 202),
    "29822099635": ("Skatteetaten Test-Norge/Tenor synthetic fnr, month + 80", 228, 193),
    "69822075096": ("Skatteetaten Test-Norge/Tenor synthetic D-number, day + 40, month + 80", 200, 181),
}
FNR, FNR2, DNR = "15108695088", "31129956715", "69822075096"

INVALID = [
    "15108695077",  # python-stdnum doctest: InvalidChecksum
    "15108695089",  # last digit changed
    "15108695188",  # ninth digit changed
    "31129956705",  # first check digit changed
    "17912099897",  # eighth digit changed
    "55507608361",  # last digit changed
    "69822075196",  # ninth digit changed
]


def _check_digit(total: int) -> int | None:
    k = 11 - total % 11
    return 0 if k == 11 else None if k == 10 else k


@pytest.mark.parametrize("number", VALID)
def test_published_numbers_are_national_ids(number):
    _, s1, s2 = VALID[number]
    # the hand sums in the table say the same as the number's own check digits
    assert _check_digit(s1) == int(number[9]) and _check_digit(s2) == int(number[10]), number
    assert is_national_id(number), number


@pytest.mark.parametrize("number", INVALID)
def test_one_digit_changed_is_not_a_national_id(number):
    assert not is_national_id(number)


def test_impossible_dates_are_not_national_ids():
    # 011390 100 74: check digits valid (S1 = 92 -> k1 7, S2 = 95 -> k2 4) but month 13: not a person
    assert not is_national_id("01139010074")
    assert not is_national_id("00000000000")


def _forms(number: str) -> list[str]:
    """Plain, spaced 6+5 and written as a dotted date plus the personal number."""
    return [number, f"{number[:6]} {number[6:]}", f"{number[0:2]}.{number[2:4]}.{number[4:6]} {number[6:]}"]


@pytest.mark.parametrize("number", VALID)
def test_published_numbers_block_in_every_form(number):
    for form in _forms(number):
        s = screen_text(f"Gjelder barnet {form} i saken.")
        assert not s.ok, form
        assert "fødselsnummer" in s.blocked[0]


@pytest.mark.parametrize("number", INVALID)
def test_invalid_numbers_pass_in_every_form(number):
    for form in _forms(number):
        s = screen_text(f"Saksnummer {form} i arkivet.")
        assert s.ok and not s.blocked, form


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
    "Saksnummer 15108695089",          # wrong check digit: just a number
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
