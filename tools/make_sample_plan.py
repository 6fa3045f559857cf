"""Write the sample municipality's 2025 action plan, filled in as a municipality would over a year.

    python tools/make_sample_plan.py

The plan is generated with ``samordna plan``, then filled in (responsible, deadline, status,
follow-up, comments, one edited action text, one row added by hand) the way people would in
Excel, then regenerated once so the workbook goes through the same merge as a real one.
The result is sample_municipality/handlingsplan-eksempeldal-2025.xlsx.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "cli"))

from samordna.io.plan_reader import last_backup  # noqa: E402
from samordna.io.workspace import Workspace  # noqa: E402
from samordna.io.xlsx import load_workbook_safely  # noqa: E402
from samordna.outputs.excel import save_workbook_atomically, set_text  # noqa: E402
from samordna.outputs.plan import write_plan  # noqa: E402
from samordna.plan.model import COLUMNS  # noqa: E402

MADE = date(2025, 10, 20)  # the plan was made a week after the 2025 workshop
D = date

# action id -> responsible, deadline, status, next follow-up, comment (and optionally an edited action text)
FOLLOW_UP: dict[str, dict] = {
    "2025-OPP-01-1": dict(responsible="Kvalitetsrådgiver / internkontroll", deadline=D(2026, 3, 31), status="Fullført",
                          comment="Rutinene for bekymring, samarbeid og melding ligger i kvalitetssystemet fra februar 2026."),
    "2025-OPP-01-2": dict(responsible="Kommunedirektør", deadline=D(2026, 6, 30), status="Pågår", follow_up=D(2026, 11, 10),
                          comment="Første gjennomgang i ledermøtet 12. mai. Neste gjennomgang i november."),
    "2025-BRU-01-1": dict(responsible="0–24-koordinator / koordinerende enhet", deadline=D(2026, 2, 28), status="Fullført",
                          comment="Malene for stafettlogg og samarbeidsmøte har nå et fast punkt «Barnets mening»."),
    "2025-BRU-01-2": dict(responsible="Tverrfaglig team / koordineringsgruppe", deadline=D(2026, 4, 30), status="Pågår",
                          follow_up=D(2026, 11, 3), comment="Prøves ut ved Elvebakken og Nordli skole. Evalueres før jul."),
    "2025-ROL-02-1": dict(responsible="0–24-koordinator / koordinerende enhet", deadline=D(2026, 1, 31), status="Fullført",
                          comment="Oversikten ligger på intranettet under «Barn og unge 0–24»."),
    "2025-ROL-02-2": dict(responsible="Kommunalsjef oppvekst", deadline=D(2026, 9, 30), status="Utsatt", follow_up=D(2027, 1, 15),
                          comment="Utsatt til våren 2027 på grunn av omorganiseringen i helse og omsorg."),
    "2025-ROL-03-1": dict(responsible="Leder helsestasjon og skolehelsetjeneste", deadline=D(2026, 3, 31), status="Fullført",
                          comment="Rutinen ble vedtatt i koordineringsgruppen 4. mars."),
    "2025-ROL-03-2": dict(responsible="Leder helsestasjon og skolehelsetjeneste", deadline=D(2026, 5, 31), status="Pågår",
                          follow_up=D(2026, 12, 1), comment="Sendt til barnehagene. Skolene gjenstår."),
    "2025-SAM-01-1": dict(responsible="Kommunalsjef oppvekst", deadline=D(2026, 4, 30), status="Pågår", follow_up=D(2026, 11, 17),
                          comment="Sju av ni avtaler er funnet. Avtalen med BUP mangler."),
    "2025-BRU-05-1": dict(responsible="Ungdomsrådet", deadline=D(2026, 10, 1), status="Ikke startet"),
    "2025-OPP-04-1": dict(responsible="Kvalitetsrådgiver / internkontroll", deadline=D(2026, 1, 15), status="Fullført",
                          comment="Lagt inn i årshjulet: revisjon hver januar."),
    "2025-LED-01-1": dict(responsible="Kommunedirektør", deadline=D(2026, 12, 31), status="Pågår", follow_up=D(2026, 11, 24),
                          action="Sett ned en tverrfaglig arbeidsgruppe med brukerrepresentant som lager utkast til "
                                 "plan for det forebyggende arbeidet innen 1. desember 2026.",
                          comment="Arbeidsgruppen er satt ned. Ungdomsrådet har én plass."),
    "2025-TID-03-1": dict(responsible="Rektor(er)", deadline=D(2026, 6, 15), status="Fullført",
                          comment="Alle skoler og barnehager har rutinen. Ligger i handlingsveilederen."),
    "2025-TAU-01-1": dict(responsible="Personalsjef / HR (opplæring)", deadline=D(2026, 5, 1), status="Avbrutt",
                          comment="Erstattet av e-læringen fra KS, som alle nyansatte tar."),
    "2025-KOM-02-1": dict(responsible="PPT-leder", deadline=D(2026, 3, 1), status="Pågår", follow_up=D(2026, 10, 28)),
    "2025-TAU-02-1": dict(responsible="Barnevernleder", deadline=D(2026, 2, 1), status="Fullført",
                          comment="Samme skjema i barnehage, skole og helsestasjon fra 1. februar."),
    "2025-LED-02-1": dict(responsible="Kommunedirektør", deadline=D(2025, 12, 1), status="Fullført",
                          comment="Fast punkt på ledermøtet første tirsdag i måneden."),
}
OWN_ROW = dict(indicator="KOM-05", action="Felles fagdag om vold i nære relasjoner for alle tjenestene, med SLT og politiet.",
               responsible="SLT-koordinator", deadline=D(2026, 3, 12), status="Fullført",
               comment="Gjennomført 12. mars med 140 deltakere. Ønske om ny fagdag neste år.")


def fill(path: Path) -> None:
    wb = load_workbook_safely(path, data_only=False)
    sheet = wb["Handlingsplan"]
    col = {key: i + 1 for i, (key, _, _) in enumerate(COLUMNS)}
    seen = set()
    for r in range(2, sheet.max_row + 1):
        aid = sheet.cell(row=r, column=col["id"]).value
        edits = FOLLOW_UP.get(aid)
        if not edits:
            continue
        seen.add(aid)
        _write(sheet, r, col, edits)
    missing = set(FOLLOW_UP) - seen
    if missing:
        raise SystemExit(f"actions not in the generated plan: {sorted(missing)}")
    r = sheet.max_row + 1  # a row added by hand at the bottom of the table, as Excel would extend it
    _write(sheet, r, col, OWN_ROW)
    table = sheet.tables["Handlingsplan"]
    table.ref = f"A1:{table.ref.split(':')[1][0]}{r}"
    save_workbook_atomically(wb, path)


def _write(sheet, r: int, col: dict, edits: dict) -> None:
    for key, value in edits.items():
        cell = sheet.cell(row=r, column=col[key])
        if isinstance(value, date):
            cell.value = value
            cell.number_format = "dd.mm.yyyy"
        else:
            set_text(cell, value)


def main() -> None:
    ws = Workspace(ROOT / "sample_municipality")
    rnd = ws.round("2025")
    path = rnd.plan_path
    if path.exists():
        path.unlink()  # this tool owns the sample plan; start clean
    write_plan(ws, rnd, today=MADE)
    fill(path)
    write_plan(ws, rnd, today=MADE)  # regenerate once: the edits go through the same merge as a real plan
    backup = last_backup(path)
    if backup:
        backup.unlink()
    print(f"Wrote {path}")


if __name__ == "__main__":
    main()
