"""The facilitator's guide: a printable HTML page (and PDF when WeasyPrint is available).

Besides the agenda and the method it says plainly that an adviser from Statsforvalteren who facilitates
also has a supervisory role, how the legal minimum is answered and combined, and marks every
recommendation whose content is not confirmed (or not found) at the source where it appears."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from samordna.core import fmt
from samordna.core.bank import Bank
from samordna.i18n import N_, _
from samordna.io.atomic import atomic_write_text
from samordna.io.workspace import Round
from samordna.outputs.html import render

TEMPLATE = "guide.html"


@dataclass(frozen=True)
class AgendaItem:
    start: str
    minutes: int
    title: str
    detail: str


def _agenda(items: list[tuple[int, str, str]]) -> list[AgendaItem]:
    out, t = [], 0
    for minutes, title, detail in items:
        out.append(AgendaItem(f"{t // 60}:{t % 60:02d}", minutes, title, detail))
        t += minutes
    return out


AGENDA_FULL = _agenda([
    (15, N_("Velkommen, formål og rammer"),
     N_("Hvorfor vi er her, hva som skjer med resultatene, og at svarene bare vises samlet.")),
    (15, N_("Felles språk"),
     N_("Samordning, samarbeid og samhandling. Gå gjennom skalaen 0–4 og hva «Vet ikke» betyr.")),
    (15, N_("Resultatene samlet"),
     N_("Vis områdene og spredningen («samordna score»). Hvor er vi enige, hvor spriker det?")),
    (45, N_("Drøfting og konsensus, del 1"),
     N_("Det juridiske minimumet først, så påstandene med størst uenighet og størst avstand til målet "
        "(«samordna consensus MAPPE --utvalg alle»).")),
    (15, N_("Pause"), ""),
    (35, N_("Drøfting og konsensus, del 2"),
     N_("Fortsett på lista. Er dere enige i medianen med en gang, trykker referenten Enter på begrunnelsen "
        "(«enige uten drøfting»). Påstander dere ikke rekker, kan ledergruppen ta senere.")),
    (25, N_("Prioritering"),
     N_("Velg 3–5 påstander å arbeide med først, med forslagslista som utgangspunkt («samordna prioritize»).")),
    (10, N_("Handlingsplan og ansvar"),
     N_("Hvem eier hver prioritering? Når ser vi på den igjen? («samordna plan»).")),
    (5, N_("Avslutning"), N_("Oppsummer beslutningene og avtal neste møte.")),
])

AGENDA_SHORT = _agenda([
    (10, N_("Velkommen og formål"), N_("Rammer, personvern og begrepene i korte trekk.")),
    (10, N_("Resultatene og spredningen"), N_("Områdene og påstandene med uenighet («samordna score»).")),
    (5, N_("Juridisk minimum"),
     N_("Ja, nei eller vet ikke på det loven krever, med saksnummer eller lenke. Tas alltid først i "
        "«samordna consensus».")),
    (35, N_("Konsensus på det viktigste"),
     N_("Bare påstandene med uenighet eller under målet: «samordna consensus MAPPE --utvalg begge». "
        "Uenighet først. Er dere enige i medianen med en gang, trykker referenten Enter to ganger "
        "(«enige uten drøfting», uten begrunnelse). Resten står som medianen til dere tar dem senere.")),
    (20, N_("Prioritering"), N_("Velg 3–5 prioriteringer («samordna prioritize»).")),
    (10, N_("Neste steg"), N_("Ansvarlig for handlingsplanen og dato for oppfølging («samordna plan»).")),
])


def _translated(items: list[AgendaItem]) -> list[AgendaItem]:
    """The agenda in the language of the moment (the constants hold the bokmål texts)."""
    return [replace(item, title=_(item.title), detail=_(item.detail) if item.detail else "") for item in items]


def _recommendations(bank: Bank) -> list[dict]:
    """The recommendations, each marked where its content is not confirmed or not found at the source."""
    return [{"short": s.short, "group": s.group or "", "unconfirmed": not s.confirmed, "no_verdict": not s.verdict,
             "note": s.note or "" if (not s.confirmed or not s.verdict) else "", "url": s.url}
            for s in bank.recommendations]


def _legal(bank: Bank) -> list[dict]:
    """The legal minimum as the facilitator reads it out: question, who knows, the main citation."""
    out = []
    for item in bank.legal_minimum:
        main = bank.source_by_id.get(item.references[0]) if item.references else None
        out.append({"id": item.id, "short": item.short, "question": item.question, "who": item.who,
                    "citation": (main.citation or main.short) if main else "", "url": main.url if main else "",
                    "unconfirmed": bool(main and not main.confirmed), "note": item.note or ""})
    return out


def _mirror(rnd: Round) -> dict:
    """What the guide's section on the mirror needs: the smallest group shown, the companion bank, the folder."""
    from samordna.core.mirror import MIN_GROUP
    from samordna.i18n import language
    from samordna.io.mirrorfile import shipped_mirror_bank

    ws = rnd.workspace
    bank = shipped_mirror_bank(language())
    return {"min_group": max(MIN_GROUP, bank.min_group, getattr(ws, "mirror_min_group", None) or MIN_GROUP), "title": bank.title,
            "n_statements": len(bank.statements), "folder": ws.root.name}


def guide_context(rnd: Round, codes: list[str] | None = None, today: date | None = None,
                  mirror: bool = False) -> dict:
    bank = rnd.bank
    ws = rnd.workspace
    return {
        "mirror": _mirror(rnd) if mirror else None,
        "municipality": ws.name,
        "municipality_number": ws.number,
        "round_id": rnd.id,
        "year": rnd.year,
        "bank": bank,
        "domains": bank.domains,
        "recommendations": _recommendations(bank),
        "legal": _legal(bank),
        "n_indicators": len(bank.indicators),
        "agenda_full": _translated(AGENDA_FULL),
        "agenda_short": _translated(AGENDA_SHORT),
        "codes": list(codes or []),
        "made": fmt.numeric_day(today or date.today()),
    }


def render_guide(rnd: Round, codes: list[str] | None = None, today: date | None = None, mirror: bool = False) -> str:
    """The guide; with ``mirror`` also its section on the young people's mirror (``samordna kit --speil``)."""
    return render(TEMPLATE, **guide_context(rnd, codes, today, mirror))


def guide_filename(rnd: Round, suffix: str = "html") -> str:
    return f"fasilitatorveiledning-{rnd.workspace.slug}-{rnd.id}.{suffix}"


def write_guide(rnd: Round, out_dir: Path, codes: list[str] | None = None, pdf: bool = False,
                mirror: bool = False) -> list[Path]:
    """Write the guide as HTML, and as PDF when asked and possible. Returns the files written."""
    html = render_guide(rnd, codes, mirror=mirror)
    out_dir = Path(out_dir)
    html_path = out_dir / guide_filename(rnd)
    atomic_write_text(html_path, html)
    from samordna.outputs.pdf import pdf_beside

    return [html_path, *pdf_beside(html, html_path, pdf)]
