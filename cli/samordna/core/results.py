"""Results for a whole workspace: every round scored, plus the JSON format.

The JSON format («samordna-resultat/1») is documented in docs/json-format.md.
"""

from __future__ import annotations

from samordna import __version__


def workspace_results(ws, round_id: str | None = None) -> list:
    """Every round scored (or just ``round_id``), oldest first."""
    from samordna.core.scoring import score_workspace_round

    rounds = [ws.round(round_id)] if round_id else ws.rounds()
    return [score_workspace_round(ws, rnd) for rnd in rounds]


def results_document(ws, results: list) -> dict:
    from samordna.core.scoring import RESULT_FORMAT, result_to_dict

    return {
        "format": RESULT_FORMAT,
        "samordna_version": __version__,
        "municipality": {"name": ws.name, "number": ws.number},
        "rounds": [result_to_dict(r) for r in results],
    }
