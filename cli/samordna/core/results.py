"""Results for a whole workspace: every round scored, plus the JSON format.

The JSON format («samordna-resultat/2») is documented in docs/json-format.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from typing import Any, Protocol

from samordna import __version__
from samordna.core.result_model import RESULT_FORMAT, RoundResult
from samordna.core.scoring import MunicipalityLike, RoundLike, score_workspace_round


class WorkspaceLike(MunicipalityLike, Protocol):
    """What the results read from a workspace (``io.workspace.Workspace``)."""

    def round(self, round_id: str | None = None) -> RoundLike: ...
    def rounds(self) -> Sequence[RoundLike]: ...


def workspace_results(ws: WorkspaceLike, round_id: str | None = None) -> list[RoundResult]:
    """Every round scored (or just ``round_id``), oldest first."""
    rounds = [ws.round(round_id)] if round_id else ws.rounds()
    return [score_workspace_round(ws, rnd) for rnd in rounds]


def result_to_dict(result: RoundResult) -> dict[str, Any]:
    """One round as it is written to JSON (the counts' keys become strings)."""
    data = asdict(result)
    for ind in data["indicators"]:
        ind["counts"] = {str(k): v for k, v in ind["counts"].items()}
    return data


def results_document(ws: MunicipalityLike, results: list[RoundResult]) -> dict[str, Any]:
    return {
        "format": RESULT_FORMAT,
        "samordna_version": __version__,
        "municipality": {"name": ws.name, "number": ws.number},
        "rounds": [result_to_dict(r) for r in results],
    }
