"""The results as JSON («samordna-resultat/2», documented in docs/json-format.md).

The document is built by ``core.results.results_document`` from the same ``RoundResult`` objects the
terminal, the report and the plan read, so the verdicts, their explanation sentences, the legal minimum
and the marks (statutory, local, unconfirmed) are the same everywhere. What participants wrote for others
to read (the consensus rationale and dissent) is written without e-mail addresses and phone numbers
(``privacy.mask_contacts``); the answer files keep the text as typed.

Each round also has a ``mirror`` key: the young people's mirror as ``core.mirror.MirrorView`` holds it
(``outputs.mirror_report.mirror_json``: null for a role under the smallest group, nothing for both roles
together, no age bands, no response ids), or null when nobody in the round answered the mirror. The
leaders' numbers are the same with and without it."""

from __future__ import annotations

import json
from typing import Any

from samordna.core.privacy import mask_contacts
from samordna.core.result_model import RESULT_FORMAT, RoundResult
from samordna.core.results import results_document
from samordna.io.workspace import Workspace

FORMAT = RESULT_FORMAT  # «samordna-resultat/2»

# Keys whose text a participant wrote (any key ending in one of these words).
PARTICIPANT_TEXT = ("rationale", "dissent", "comment", "comments")


def _masked(value: Any, key: str = "") -> Any:
    if isinstance(value, dict):
        return {k: _masked(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_masked(v, key) for v in value]
    if isinstance(value, str) and key.lower().endswith(PARTICIPANT_TEXT):
        return mask_contacts(value)
    return value


def results_json(ws: Workspace, results: list[RoundResult]) -> str:
    from samordna.outputs.mirror_report import round_mirror_json

    doc = _masked(results_document(ws, results))
    for data, result in zip(doc["rounds"], results, strict=True):
        data["mirror"] = round_mirror_json(ws, result)
    return json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True)
