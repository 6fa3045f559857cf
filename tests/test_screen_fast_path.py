"""The quick answer for ordinary text (no «@», fewer than six digits, only characters NFKC leaves alone) is the
answer the full screen gives: nothing to report. Checked against the full screen on generated text."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from samordna.core import privacy
from samordna.core.privacy import Screening, screen_text

ALPHABET = st.sampled_from([*"abc æøå ÆØÅ é «»–—‘’“”.,-/+()", *"0123456789", "@", "＠", "\u200b", "½", "①", "١",
                            "\u00a0", "\u2009", "+47 ", "0047"])


def _full(text: str) -> Screening:
    return privacy._screen(text, Screening())


@given(st.lists(ALPHABET, max_size=40).map("".join))
@settings(max_examples=2000, deadline=None)
@example("Ring 12 34 56 78")
@example("fnr 010203 12345")
@example("a@b.no")
@example("Elev ①②③④⑤⑥⑦⑧ ble fulgt opp")
@example("١٢٣٤٥٦٧٨٩٠١")
def test_quick_answer_agrees_with_the_full_screen(text):
    full = _full(text)
    quick = screen_text(text)
    assert (quick.blocked, quick.warnings) == (full.blocked, full.warnings)


def test_the_quick_path_is_taken_for_ordinary_comments():
    assert privacy._nothing_to_find("Rutinen er kjent og brukt i 3 av 4 tjenester – «bra».")
    assert not privacy._nothing_to_find("Ring 12345678")
    assert not privacy._nothing_to_find("post@kommune.no")
    assert not privacy._nothing_to_find("skjult\u200btekst")
    assert not privacy._nothing_to_find("½ 1 2 3 4 5")
