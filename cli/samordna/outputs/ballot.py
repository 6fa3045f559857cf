"""The paper ballot: one printable A4 form (HTML, and PDF when WeasyPrint is available) for those who answer on paper.

It asks what the Excel form asks, in the same order: the legal minimum (Ja / Nei / Vet ikke) and every
statement with a box for each of 0–4, «Vet ikke» and «Ikke relevant» (no «Ikke relevant» on a statutory
one). The participant writes the public code on it, never a name. The facilitator types the answers in
afterwards, per code, with ``samordna assess MAPPE -p KODE`` (the guided entry, in the same order).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from samordna.core import fmt
from samordna.core.answers import DONT_KNOW, NO, NOT_APPLICABLE, YES
from samordna.core.bank import Bank
from samordna.i18n import _
from samordna.io.atomic import atomic_write_text
from samordna.io.form_layout import DONT_KNOW_SHORT, NO_TEXT, NOT_APPLICABLE_SHORT, YES_TEXT
from samordna.io.workspace import Round
from samordna.outputs.html import render

TEMPLATE = "ballot.html"


@dataclass(frozen=True)
class Box:
    short: str  # what is printed in the box's header: «0» … «4», «VI», «IR», «Ja», «Nei»
    label: str  # the whole answer, for the key above the table


@dataclass(frozen=True)
class BallotItem:
    id: str
    short: str
    text: str
    boxes: list[Box | None]  # one per column; None where the answer is not allowed (a blank cell)
    statutory: bool = False


@dataclass(frozen=True)
class BallotDomain:
    id: str
    name: str
    items: list[BallotItem]


def _level_boxes(bank: Bank) -> list[Box]:
    return [Box(str(lv), bank.scale.label(lv)) for lv in range(5)]


def ballot_context(rnd: Round, today: date | None = None) -> dict:
    bank = rnd.bank
    ws = rnd.workspace
    levels = _level_boxes(bank)
    dont_know = Box(_(DONT_KNOW_SHORT), bank.scale.label(DONT_KNOW))
    not_applicable = Box(_(NOT_APPLICABLE_SHORT), bank.scale.label(NOT_APPLICABLE))
    legal = []
    if bank.legal_minimum:
        yes, no = Box(_(YES_TEXT), bank.scale.label(YES)), Box(_(NO_TEXT), bank.scale.label(NO))
        legal = [BallotItem(item.id, item.short, item.question, [yes, no, dont_know]) for item in bank.legal_minimum]
    domains = []
    for dom in bank.domains:
        items = [BallotItem(ind.id, ind.short, ind.statement,
                            [*levels, dont_know, None if ind.is_statutory else not_applicable],
                            statutory=ind.is_statutory)
                 for ind in dom.indicators]
        domains.append(BallotDomain(dom.id, dom.name, items))
    n_items = len(legal) + sum(len(d.items) for d in domains)
    return {
        "municipality": ws.name,
        "municipality_number": ws.number,
        "round_id": rnd.id,
        "bank_label": bank.label,
        "levels": levels,
        "dont_know": dont_know,
        "not_applicable": not_applicable,
        "legal": legal,
        "domains": domains,
        "n_items": n_items,
        "any_statutory": any(i.statutory for d in domains for i in d.items),
        "workspace_dir": ws.root.name,
        "made": fmt.numeric_day(today or date.today()),
    }


def render_ballot(rnd: Round, today: date | None = None) -> str:
    return render(TEMPLATE, **ballot_context(rnd, today))


def ballot_filename(rnd: Round, suffix: str = "html") -> str:
    return f"papirskjema-{rnd.workspace.slug}-{rnd.id}.{suffix}"


def write_ballot(rnd: Round, out_dir: Path, pdf: bool = False) -> list[Path]:
    """Write the paper ballot as HTML, and as PDF when asked and possible. Returns the files written."""
    html = render_ballot(rnd)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    html_path = out_dir / ballot_filename(rnd)
    atomic_write_text(html_path, html)
    from samordna.outputs.pdf import pdf_beside

    return [html_path, *pdf_beside(html, html_path, pdf)]
