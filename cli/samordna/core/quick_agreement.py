"""A quick agreement in consensus: the group took the suggested level (the median) at once, without discussion.

``ConsensusEntry.rationale`` is required, so a quick agreement stores this standard text as its rationale.
The report and the plan recognise it with ``is_quick_agreement`` and can say «omforent uten drøfting»
instead of quoting it as if someone had written it."""

from __future__ import annotations

from samordna.i18n import N_

# Stored in konsensus.yaml as the rationale: a value in a file, never translated (``is_quick_agreement`` reads it).
QUICK_RATIONALE = "Enige uten drøfting (medianen)."
QUICK_LABEL = N_("omforent uten drøfting")  # shown instead of it: translate where shown (``_(QUICK_LABEL)``)


def is_quick_agreement(rationale: str | None) -> bool:
    """True when a consensus entry's rationale is the standard text of a quick agreement."""
    return (rationale or "").strip() == QUICK_RATIONALE


__all__ = ["QUICK_LABEL", "QUICK_RATIONALE", "is_quick_agreement"]
