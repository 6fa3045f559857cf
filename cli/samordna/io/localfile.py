"""Read a local additions file (``lokale-tillegg.yaml``); the model, its checks and the merge are ``core.local``."""

from __future__ import annotations

from pathlib import Path

from samordna.core.bank import Bank
from samordna.core.errors import SamordnaError
from samordna.core.local import LocalAdditions, additions_from_doc, merge, validated
from samordna.i18n import _
from samordna.io.yamlio import YamlDoc, load_yaml, parse_yaml

LOCAL_FILE = "lokale-tillegg.yaml"


def read_local(path: Path, raw: bytes | None = None) -> tuple[LocalAdditions, YamlDoc]:
    """The file (or ``raw``, its bytes already read) as a model and its document (for messages with line and
    key); a wrong shape is a SamordnaError."""
    path = Path(path)
    if raw is None:
        doc = load_yaml(path)
    else:
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise SamordnaError(_("Kan ikke lese {path}: filen er ikke lagret som UTF-8 (byte {byte}).").format(
                path=path, byte=exc.start), path=path) from None
        doc = parse_yaml(text, path)
    return additions_from_doc(doc), doc


def load_local(path: Path, bank: Bank, raw: bytes | None = None) -> LocalAdditions:
    """The additions in ``path`` (or ``raw``, its bytes), checked against ``bank``; any problem is a
    SamordnaError naming file, line and key."""
    add, doc = read_local(path, raw)
    return validated(bank, add, doc)


def merged_bank(bank: Bank, path: Path) -> Bank:
    """``bank`` with the local additions in ``path`` (checked first)."""
    return merge(bank, load_local(path, bank))
