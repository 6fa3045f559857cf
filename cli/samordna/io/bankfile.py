"""Read a question bank from its YAML file (the model and its checks are ``core.bank``)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from samordna.core.bank import Bank, bank_from_doc
from samordna.io.yamlio import load_yaml, parse_yaml, read_limited

_CACHE: dict[tuple[str, str], Bank] = {}


def load_bank(path: Path) -> Bank:
    """Load and validate a bank. Identical files are parsed once per process (banks are immutable)."""
    path = Path(path)
    raw = read_limited(path)  # a regular file of sensible size, or a Norwegian message (never blocks on a FIFO)
    key = (path.name, hashlib.sha1(raw).hexdigest())
    if key not in _CACHE:
        _CACHE[key] = bank_from_doc(load_yaml(path))
    return _CACHE[key]


def parse_bank(text: str, path: Path) -> Bank:
    return bank_from_doc(parse_yaml(text, path))
