"""The adviser's key to an anonymised county view: which code is which municipality, and which one-pager goes where.

The key is written outside the report's folder (by default beside it), so that the folder can be shared as it is
and the key cannot go with it by accident. Its first line says it must not be shared. Text goes in through
``excel.set_text`` (never a formula).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from samordna.core.errors import SamordnaError
from samordna.core.fmt import num
from samordna.core.region import Region
from samordna.i18n import N_, _

WARNING = N_("FORTROLIG – IKKE DEL. Denne filen viser hvilken kommune som står bak hver kode i fylkesbildet. Den er "
             "bare for rådgiveren: ikke send den med rapporten, og ikke legg den i mappen som deles.")
KEY_SUFFIX = "-nøkkel-IKKE-DEL.xlsx"


def default_key_path(out: Path) -> Path:
    """Beside the report's folder, named after it: fylkesbilde-2026 → fylkesbilde-2026-nøkkel-IKKE-DEL.xlsx."""
    out = Path(out)
    name = out.name or out.resolve().name or "fylkesbilde"
    return out.parent / f"{name}{KEY_SUFFIX}"


def check_key_path(key: Path, out: Path) -> None:
    """Refuse a key inside the report's folder (it would be shared with it), or one that is not a workbook."""
    if key.suffix.lower() != ".xlsx":
        raise SamordnaError(_("Nøkkelen skrives som et Excel-ark: gi den et navn som slutter på .xlsx (fikk {file}). "
                              "Ingenting er skrevet.").format(file=key), path=key)
    if key.exists() and key.is_dir():
        raise SamordnaError(_("{file} er en mappe. Gi nøkkelen et filnavn som slutter på .xlsx. Ingenting er skrevet.")
                            .format(file=key), path=key)
    if key.resolve().is_relative_to(Path(out).resolve()):
        raise SamordnaError(_("Nøkkelen kan ikke ligge i rapportmappen {folder}: den mappen er ment å deles, og "
                              "nøkkelen viser hvem som står bak kodene. Velg et sted utenfor mappen med --key, eller "
                              "la være, så legges den ved siden av. Ingenting er skrevet.").format(folder=out), path=key)


def key_rows(region: Region, onepagers: dict[str, list[str]]) -> list[list[str]]:
    """[code, municipality, number, one-pager files, workspace folder, note], by code. ``onepagers`` maps a
    municipality number to its files in the report's folder."""
    entries = {e.municipality.number for e in region.entries}
    everyone = [e.municipality for e in region.entries] + [m for m, _ in region.excluded]
    why = {m.number: reason for m, reason in region.excluded}
    rows = []
    send = _("Send én-siden til denne kommunen.")
    left_out = _("Ikke med i fylkesbildet {year}: {reason}")
    for m in sorted(everyone, key=lambda m: m.code):
        files = "\n".join(onepagers.get(m.number, []))
        note = send if m.number in entries else left_out.format(year=region.year, reason=why.get(m.number, ""))
        rows.append([m.code, m.name, m.number, files, str(m.path), note])
    return rows


def partner_rows(region: Region) -> list[list]:
    """[code, municipality, area, own level, partner code, partner, partner's level]: who can put whom in touch."""
    doms = {d.id: d.name for d in region.bank.domains}
    by_number = {e.municipality.number: e.municipality for e in region.entries}
    rows: list[list] = []
    for e in sorted(region.entries, key=lambda e: e.municipality.code):
        m = e.municipality
        for dom, own, partners in region.partners.get(m.number, []):
            for p, level in partners:
                other = by_number[p]
                rows.append([m.code, m.name, doms[dom], num(own), other.code, other.name, num(level)])
    return rows


def build_key(region: Region, out: Path, onepagers: dict[str, list[str]]):
    """The key workbook, in memory: «Nøkkel» (code → municipality → one-pager) and «Læringspartnere» with names."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    from samordna.outputs.excel import set_text

    warning = _(WARNING)

    def sheet(ws, lead: list[str], headers: list[str], rows: list[list], widths: list[float]) -> None:
        set_text(ws.cell(row=1, column=1), warning)
        ws.cell(row=1, column=1).font = Font(bold=True, color="B00000", size=12)
        for r, text in enumerate(lead, start=2):
            set_text(ws.cell(row=r, column=1), text)
        top = len(lead) + 3
        for c, h in enumerate(headers, start=1):
            cell = ws.cell(row=top, column=c)
            set_text(cell, h)
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="DDE6EE")
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for r, row in enumerate(rows, start=top + 1):
            for c, v in enumerate(row, start=1):
                set_text(ws.cell(row=r, column=c), str(v))
                ws.cell(row=r, column=c).alignment = Alignment(wrap_text=True, vertical="top")
            ws.row_dimensions[r].height = 15 * max(str(v).count("\n") + 1 for v in row)
        from openpyxl.utils import get_column_letter

        for c, w in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(c)].width = w
        ws.row_dimensions[top].height = 30
        ws.freeze_panes = f"A{top + 1}"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.print_title_rows = f"{top}:{top}"
        ws.oddHeader.center.text = _("FORTROLIG – IKKE DEL")

    wb = Workbook()
    keys = wb.active
    keys.title = _("Nøkkel")
    sheet(keys, [_("Fylkesbildet {year}, laget {date}. Rapportmappen: {folder}").format(
                     year=region.year, date=date.today().isoformat(), folder=out),
                 _("Én-sidene i mappen «kommuner» er navngitt med koden. Send hver av dem bare til sin egen kommune.")],
          [_("Kode"), _("Kommune"), _("Kommunenr."), _("Én side (i rapportmappen)"), _("Arbeidsområde (mappe)"),
           _("Merknad")],
          key_rows(region, onepagers), [8, 22, 12, 30, 40, 50])
    partners = wb.create_sheet(_("Læringspartnere"))
    sheet(partners, [_("Kommunene får forslag til læringspartnere som koder, og blir bedt om å spørre deg. "
                       "Her står hvem kodene er, så du kan sette dem i kontakt.")],
          [_("Kode"), _("Kommune"), _("Område"), _("Eget nivå"), _("Kan lære av (kode)"), _("Kan lære av"),
           _("Deres nivå")],
          partner_rows(region), [8, 22, 44, 10, 14, 22, 10])
    return wb
