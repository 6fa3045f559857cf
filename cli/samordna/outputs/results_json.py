"""The results as JSON («samordna-resultat/1», documented in docs/json-format.md)."""

from __future__ import annotations

import json

from samordna.core.results import results_document
from samordna.core.scoring import RoundResult
from samordna.io.workspace import Workspace


def results_json(ws: Workspace, results: list[RoundResult]) -> str:
    return json.dumps(results_document(ws, results), ensure_ascii=False, indent=2, sort_keys=True)
