"""The results as JSON («samordna-resultat/2», documented in docs/json-format.md).

The document is built by ``core.results.results_document`` from the same ``RoundResult`` objects the
terminal, the report and the plan read, so the verdicts, their explanation sentences, the legal minimum
and the marks (statutory, local, unconfirmed) are the same everywhere."""

from __future__ import annotations

import json

from samordna.core.result_model import RESULT_FORMAT, RoundResult
from samordna.core.results import results_document
from samordna.io.workspace import Workspace

FORMAT = RESULT_FORMAT  # «samordna-resultat/2»


def results_json(ws: Workspace, results: list[RoundResult]) -> str:
    return json.dumps(results_document(ws, results), ensure_ascii=False, indent=2, sort_keys=True)
