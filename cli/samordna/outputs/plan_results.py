"""The sheets of the action plan that show the round's results: Resultater (heat-map), Oversikt
(a native Excel chart), Retningslinjen (the seven recommendations) and Om (who, when, how)."""

from __future__ import annotations

from samordna import __version__
from samordna.core.fmt import num
from samordna.core.suppression import count_text
from samordna.outputs.excel import set_text
from samordna.outputs.plan_build import PlanBuild
from samordna.outputs.sheet_style import (
    HEADER_FILL,
    VERDICT_FILLS,
    add_fill_when,
    add_level_scale,
    add_print_setup,
    add_title,
    write_table,
)

# --- Resultater --------------------------------------------------------------------


def results_sheet(wb, build: PlanBuild) -> None:
    res, bank = build.result, build.rnd.bank
    sheet = wb.create_sheet("Resultater")
    src = ("Nivået er gruppens konsensus der den er registrert, ellers medianen av de individuelle svarene."
           if res.uses_consensus else "Ingen konsensus er registrert: nivået er medianen av de individuelle svarene.")
    add_title(sheet, f"Resultater – {build.ws.name}, runde {res.round}",
           f"{res.n_participants} deltakere. Samlet nivå {num(res.overall_level)} av 4 ({res.overall_level_name or '–'}). {src}")
    dom_rows = [[d.name, d.level, d.score, d.target_score,
                 None if d.score is None else round(max(0.0, d.target_score - d.score), 1),
                 d.n_disagreements, d.share_dont_know] for d in res.domains]
    first, last = write_table(sheet, "Omraader", 4, ["Område", "Nivå (0–4)", "Poeng (0–100)", "Mål (poeng)",
                                                "Under mål (poeng)", "Påstander med uenighet", "Vet ikke (andel)"], dom_rows,
                         [24, 26, 32, 9, 11, 7, 7, 9, 8, 8, 10, 10, 10, 11, 7, 10])
    for r in range(first, last + 1):
        sheet.cell(row=r, column=2).number_format = "0.00"
        sheet.cell(row=r, column=7).number_format = "0 %"
    add_level_scale(sheet, f"B{first}:B{last}")
    add_level_scale(sheet, f"C{first}:C{last}", top=100)

    chosen = set(res.chosen_priorities)
    ind_rows = []
    for ind in res.indicators:
        spread = None if ind.min is None or ind.max is None else ind.max - ind.min
        ind_rows.append([ind.id, bank.domain_of[ind.id].name, ind.short, ind.level, ind.level_source or "", ind.target,
                         ind.gap, ind.median, ind.min, ind.max, spread, "Ja" if ind.disagreement else "",
                         ind.share_dont_know, ind.share_not_applicable, ind.n_responses, "Ja" if ind.id in chosen else ""])
    head = last + 3
    set_text(sheet.cell(row=head - 1, column=1), "Påstandene")
    from openpyxl.styles import Font

    sheet.cell(row=head - 1, column=1).font = Font(name="Calibri", bold=True, size=12, color=HEADER_FILL)
    first, last = write_table(sheet, "Indikatorer", head, [
        "Indikator", "Område", "Påstand", "Nivå", "Kilde", "Mål", "Gap", "Median", "Lavest", "Høyest",
        "Spredning", "Uenighet", "Vet ikke (andel)", "Ikke relevant (andel)", "Svar", "Prioritert"], ind_rows)
    for r in range(first, last + 1):
        for c in (4, 7, 8):
            sheet.cell(row=r, column=c).number_format = "0.0"
        for c in (13, 14):
            sheet.cell(row=r, column=c).number_format = "0 %"
    add_level_scale(sheet, f"D{first}:D{last}")
    add_level_scale(sheet, f"H{first}:H{last}")
    from openpyxl.formatting.rule import ColorScaleRule

    sheet.conditional_formatting.add(f"K{first}:K{last}", ColorScaleRule(
        start_type="num", start_value=0, start_color="FFFFFF", end_type="num", end_value=4, end_color="F4B183"))
    sheet.conditional_formatting.add(f"M{first}:M{last}", ColorScaleRule(
        start_type="num", start_value=0, start_color="FFFFFF", end_type="num", end_value=0.5, end_color="B4A7D6"))
    sheet.conditional_formatting.add(f"G{first}:G{last}", ColorScaleRule(
        start_type="num", start_value=0, start_color="FFFFFF", end_type="num", end_value=4, end_color="F8696B"))
    sheet.freeze_panes = "B5"
    add_print_setup(sheet, f"Resultater – {build.ws.name} {res.year}", title_rows=f"{head}:{head}")


# --- Oversikt: a native chart drawn by Excel from the cells ---------------------------


def overview_sheet(wb, build: PlanBuild) -> None:
    from openpyxl.chart import BarChart, Reference
    from openpyxl.chart.shapes import GraphicalProperties

    res = build.result
    prev = build.history[-1] if build.history else None
    sheet = wb.create_sheet("Oversikt")
    add_title(sheet, f"Oversikt – {build.ws.name}, runde {res.round}",
           "Poeng per område (0–100) mot målet" + (f", og forrige runde ({prev.round})." if prev else "."))
    headers = ["Område"] + ([f"Runde {prev.round}"] if prev else []) + [f"Runde {res.round}", "Mål"]
    rows = []
    for d in res.domains:
        p = next((x for x in prev.domains if x.id == d.id), None) if prev else None
        rows.append([d.name] + ([p.score if p else None] if prev else []) + [d.score, d.target_score])
    first, last = write_table(sheet, "Oversikt", 4, headers, rows, [36, 13, 13, 10])
    for r in range(first, last + 1):
        for c in range(2, len(headers) + 1):
            sheet.cell(row=r, column=c).number_format = "0"
    chart = BarChart()
    chart.type = "bar"
    chart.grouping = "clustered"
    chart.title = "Poeng per område"
    chart.y_axis.title = "Poeng (0–100)"
    chart.y_axis.scaling.min, chart.y_axis.scaling.max = 0, 100
    chart.y_axis.majorUnit = 25
    chart.x_axis.scaling.orientation = "maxMin"  # the first area at the top, as in the table
    chart.x_axis.delete = chart.y_axis.delete = False
    chart.legend.position = "b"
    chart.add_data(Reference(sheet, min_col=2, max_col=len(headers), min_row=4, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=1, min_row=first, max_row=last))
    colors = (["A6A6A6"] if prev else []) + ["2E75B6", "70AD47"]
    for series, color in zip(chart.series, colors, strict=True):
        series.graphicalProperties = GraphicalProperties(solidFill=color)
        series.graphicalProperties.line.solidFill = color
    chart.gapWidth = 60
    chart.height, chart.width = 13, 22
    sheet.add_chart(chart, f"A{last + 3}")
    add_print_setup(sheet, f"Oversikt – {build.ws.name} {res.year}", landscape=False)


# --- Retningslinjen ----------------------------------------------------------------


def guideline_sheet(wb, build: PlanBuild) -> None:
    res = build.result
    sheet = wb.create_sheet("Retningslinjen")
    add_title(sheet, "Retningslinjen IS-2826: de sju anbefalingene",
           "Oppfylt: alle påstandene bak anbefalingen er på målet. Delvis oppfylt: i snitt høyst ett nivå under målet.")
    rows = [[s.short + ("" if s.confirmed else " (*)"), s.group or "", s.title, s.verdict_label, s.level, s.target,
             ", ".join(s.below_target)] for s in res.recommendations]
    first, last = write_table(sheet, "Anbefalinger", 4, ["Anbefaling", "Gruppe", "Ordlyd", "Vurdering", "Nivå", "Mål",
                                                     "Påstander under mål"], rows, [30, 22, 60, 15, 8, 8, 28])
    rows_d = [[s.short + ("" if s.confirmed else " (*)"), "Samarbeidsplikt", s.title, s.verdict_label, s.level,
               s.target, ", ".join(s.below_target)] for s in res.duties]
    head = last + 3
    set_text(sheet.cell(row=head - 1, column=1), "Pliktene til samarbeid og samordning (fra 2022)")
    from openpyxl.styles import Font

    sheet.cell(row=head - 1, column=1).font = Font(name="Calibri", bold=True, size=12, color=HEADER_FILL)
    first_d, last_d = write_table(sheet, "Plikter", head, ["Plikt", "Gruppe", "Innhold", "Vurdering", "Nivå", "Mål",
                                                     "Påstander under mål"], rows_d)
    for r0, r1, vcol, lcols in ((first, last, "D", (5, 6)), (first_d, last_d, "D", (5, 6))):
        for r in range(r0, r1 + 1):
            for c in lcols:
                sheet.cell(row=r, column=c).number_format = "0.0"
        for label, color in VERDICT_FILLS.items():
            add_fill_when(sheet, f"{vcol}{r0}:{vcol}{r1}", f'${vcol}{r0}="{label}"', color)
    if any(not s.confirmed for s in res.recommendations + res.duties):
        set_text(sheet.cell(row=last_d + 2, column=1), "(*) Innholdet er ikke bekreftet mot kilden; se spørsmålsbanken.")
    add_print_setup(sheet, "Retningslinjen IS-2826")


# --- Om ------------------------------------------------------------------------------


METHOD = [
    "Hver deltaker svarer på påstandene på en skala fra 0 (ikke på plass) til 4 (på plass og fulgt opp), "
    "eller «vet ikke» / «ikke relevant». «Vet ikke» telles og vises, men gir ikke poeng.",
    "Nivået for en påstand er gruppens konsensus der den er registrert, ellers medianen av svarene.",
    "Uenighet: minst to svar, og minst en firedel av svarene, ligger mer enn ett nivå fra medianen.",
    "Et område er det vektede snittet av påstandene, vist som poeng fra 0 til 100.",
    "Forslag til prioriteringer: påstander under målet, ordnet etter gap × vekt.",
]
USE = [
    "Fyll inn ansvarlig, frist, status, neste oppfølging og kommentar i arket «Handlingsplan». "
    "Tiltaksteksten kan også endres.",
    "Når planen lages på nytt (samordna plan), tas alt dere har skrevet med videre etter tiltak-ID. "
    "Nye tiltak legges til, tiltak som ikke lenger er aktuelle beholdes og merkes, og den gamle filen tas vare på "
    "som sikkerhetskopi (de fem siste beholdes).",
    "Rekkefølgen dere gir radene, beholdes. Egne kolonner (for eksempel «Budsjett») og egne ark blir også med. "
    "Arkene samordna lager (Resultater, Oversikt, Retningslinjen, Om), lages på nytt hver gang; skriv egne notater "
    "i et eget ark.",
    "Vil dere fjerne et tiltak, sett status «Avbrutt» eller slett raden. En slettet rad kommer ikke tilbake når "
    "planen lages på nytt; den står under «Fjernet av dere» nedenfor. Skriv tiltak-ID-en i en ny rad for å få den "
    "tilbake.",
    "Egne tiltak kan legges til nederst i tabellen; de får en ID neste gang planen lages.",
    "Ikke endre kolonnen «Tiltak-ID» eller overskriftene i første rad.",
]


def about_sheet(wb, build: PlanBuild) -> None:
    from openpyxl.styles import Alignment, Font

    res, ws, rnd = build.result, build.ws, build.rnd
    sheet = wb.create_sheet("Om")
    add_title(sheet, "Om handlingsplanen")
    pairs = [("Kommune", ws.name), ("Kommunenummer", ws.number), ("Runde", rnd.id), ("År", str(rnd.year)),
             ("Laget", build.today.strftime("%d.%m.%Y")), ("Spørsmålsbank", res.bank_id),
             ("Versjon av banken", res.bank_version), ("Deltakere", str(res.n_participants))]
    sectors = ws.sectors
    for sid, n in sorted(res.participants_by_sector.items(), key=lambda kv: sectors.name(kv[0])):
        pairs.append((f"  {sectors.name(sid)}", count_text(n)))  # «under 3» when suppressed
    if build.previous:
        pairs.append(("Forrige plan", f"{build.previous[0].name} (runde {build.previous[1]})"))
    pairs.append(("samordna-versjon", __version__))
    r = 3
    for k, v in pairs:
        set_text(sheet.cell(row=r, column=1), k)
        set_text(sheet.cell(row=r, column=2), v)
        sheet.cell(row=r, column=1).font = Font(name="Calibri", bold=not k.startswith("  "))
        sheet.cell(row=r, column=2).alignment = Alignment(horizontal="left")
        r += 1
    sections = [("Metoden i korte trekk", METHOD), ("Slik bruker dere planen", USE)]
    if build.removed:
        sections.append(("Fjernet av dere", [f"{aid}: {text}" if text else aid for aid, text in build.removed]))
    if build.carry.notes:
        sections.append(("Merknader fra sist planen ble laget", build.carry.notes))
    for heading, lines in sections:
        r += 1
        set_text(sheet.cell(row=r, column=1), heading)
        sheet.cell(row=r, column=1).font = Font(name="Calibri", bold=True, size=12, color=HEADER_FILL)
        r += 1
        for line in lines:
            set_text(sheet.cell(row=r, column=1), "• " + line)
            sheet.merge_cells(start_row=r, start_column=1, end_row=r, end_column=2)
            sheet.cell(row=r, column=1).alignment = Alignment(wrap_text=True, vertical="top")
            sheet.row_dimensions[r].height = 15 * (1 + len(line) // 105)
            r += 1
    sheet.column_dimensions["A"].width = 30
    sheet.column_dimensions["B"].width = 60
    add_print_setup(sheet, f"Handlingsplan – {ws.name} {rnd.year}", landscape=False)
