"""The sheets of the action plan that show the round's results: Juridisk minimum (first: what the law requires,
answered ja / nei / uavklart), Resultater (heat-map and every verdict with why), Oversikt (a native Excel chart),
Retningslinjen (the recommendations, duties and laws) and Om (who, when, how)."""

from __future__ import annotations

from samordna import __version__
from samordna.core.bank import Bank
from samordna.core.fmt import num, numeric_day
from samordna.core.result_model import LEGAL_LABELS, LEGAL_NO, LEGAL_UNKNOWN, LEGAL_YES, RoundResult, SourceResult
from samordna.core.suppression import count_text
from samordna.i18n import N_, _, n_
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
from samordna.plan.merge import indicator_mark
from samordna.plan.model import (
    ABOUT_SHEET,
    GUIDELINE_SHEET,
    LEGAL_SHEET,
    OVERVIEW_SHEET,
    PLAN_SHEET,
    RESULTS_SHEET,
)

# bokmål, written as ``_(text)``
UNCONFIRMED = N_("Ikke bekreftet")
LEGAL_FILLS = {LEGAL_LABELS[LEGAL_YES]: "C6EFCE", LEGAL_LABELS[LEGAL_NO]: "FFC7CE", LEGAL_LABELS[LEGAL_UNKNOWN]: "D9D9D9"}
ANSWER_SOURCE = {"konsensus": N_("Gruppens konsensus"), "svar": N_("De individuelle svarene"),
                 None: N_("Ingen svar ennå")}
KIND_NAMES = {"recommendation": N_("Anbefaling"), "duty": N_("Samarbeidsplikt"), "law": N_("Lov")}


def _bold_heading(sheet, row: int, text: str) -> None:
    from openpyxl.styles import Font

    set_text(sheet.cell(row=row, column=1), text)
    sheet.cell(row=row, column=1).font = Font(name="Calibri", bold=True, size=12, color=HEADER_FILL)


def _source_name(s: SourceResult) -> str:
    """A source's short name, marked where its content is not confirmed at the source."""
    return s.short + ("" if s.confirmed else f" ({_(UNCONFIRMED).lower()})")


def _citation(bank: Bank, source_id: str, citation: str | None) -> str:
    src = bank.source_by_id.get(source_id)
    text = citation or (src.citation if src else None) or (src.short if src else source_id)
    return text + (f" ({_(UNCONFIRMED).lower()})" if src is not None and not src.confirmed else "")


# --- Juridisk minimum ---------------------------------------------------------------


def legal_sheet(wb, build: PlanBuild) -> None:
    """What the law requires, each item answered ja / nei / uavklart with its citation and why; the plan's actions
    for «nei» and «uavklart» are named. Drawn only for banks with a legal minimum (2.0 and later)."""
    from openpyxl.styles import Alignment

    res, bank = build.result, build.rnd.bank
    if not res.legal:
        return
    sheet = wb.create_sheet(_(LEGAL_SHEET))
    n_no = sum(1 for lr in res.legal if lr.answer == LEGAL_NO)
    n_unknown = sum(1 for lr in res.legal if lr.answer == LEGAL_UNKNOWN)
    if n_no + n_unknown:
        sub = n_("Det loven krever, hvert punkt besvart ja, nei eller vet ikke. {n} punkt er besvart «nei» og "
                 "{unknown} er uavklart; tiltakene for dem står først i arket «{plan}».",
                 "Det loven krever, hvert punkt besvart ja, nei eller vet ikke. {n} punkter er besvart «nei» og "
                 "{unknown} er uavklart; tiltakene for dem står først i arket «{plan}».", n_no)
    else:
        sub = n_("Det loven krever, hvert punkt besvart ja, nei eller vet ikke. {n} punkt er besvart «nei» og "
                 "{unknown} er uavklart.",
                 "Det loven krever, hvert punkt besvart ja, nei eller vet ikke. {n} punkter er besvart «nei» og "
                 "{unknown} er uavklart.", n_no)
    add_title(sheet, _("Juridisk minimum – {municipality}, runde {round}").format(municipality=build.ws.name,
                                                                                round=res.round),
              sub.format(n=n_no, unknown=n_unknown, plan=_(PLAN_SHEET)))
    actions: dict[str, list[str]] = {}
    for row in build.rows:
        actions.setdefault(row.action.indicator_id, []).append(row.action.action_id)
    rows = []
    for lr in res.legal:
        main = lr.references[0] if lr.references else ""
        source = ANSWER_SOURCE.get(lr.answer_source)
        rows.append([lr.id, lr.short, lr.question, lr.answer_label, _(source) if source else "",
                     lr.n_yes, lr.n_no, lr.n_dont_know, _citation(bank, main, lr.citation), lr.url or None,
                     lr.explanation, lr.who, ", ".join(actions.get(lr.id, []))])
    first, last = write_table(sheet, "JuridiskMinimum", 4, [
        _("Punkt"), _("Krav"), _("Spørsmål"), _("Svar"), _("Svaret bygger på"), _("Ja"), _("Nei"), _("Vet ikke"),
        _("Hjemmel"), _("Lenke"), _("Forklaring"), _("Hvem vet svaret"), _("Tiltak i planen")], rows,
        [8, 24, 46, 10, 16, 6, 6, 8, 28, 30, 46, 22, 18])
    fit_header(sheet, 4)
    for r in range(first, last + 1):
        link = sheet.cell(row=r, column=10)
        if isinstance(link.value, str) and link.value.startswith(("https://", "http://")):
            link.hyperlink = link.value
            link.style = "Hyperlink"
            link.alignment = Alignment(vertical="top", wrap_text=True)
    for label, color in LEGAL_FILLS.items():  # the answer as the cells hold it (``answer_label``)
        add_fill_when(sheet, f"D{first}:D{last}", f'$D{first}="{_(label)}"', color, bold=True)
    notes = [lr for lr in res.legal if (item := bank.legal_by_id.get(lr.id)) is not None and item.note]
    r = last + 2
    for lr in notes:
        set_text(sheet.cell(row=r, column=1), f"{lr.id}: {bank.legal_by_id[lr.id].note}")
        r += 1
    sheet.freeze_panes = "C5"
    add_print_setup(sheet, _("Juridisk minimum – {municipality} {year}").format(municipality=build.ws.name,
                                                                                 year=res.year), title_rows="4:4")


# --- Resultater --------------------------------------------------------------------


# the widths of «Resultater»'s columns, shared by its three tables (areas, verdicts, statements)
RESULT_WIDTHS = [24, 26, 42, 10, 14, 13, 11, 9, 8, 8, 10, 10, 10, 11, 7, 11, 24]


def fit_header(sheet, row: int) -> None:
    """A header row tall enough for its wrapped words in bold (LibreOffice and print do not fit rows themselves):
    whole words per line, about one character per unit of width."""
    from openpyxl.utils import get_column_letter

    lines = 1
    for cell in sheet[row]:
        if not isinstance(cell.value, str):
            continue
        width = sheet.column_dimensions[get_column_letter(cell.column)].width or 9
        n, used = 1, 0
        for word in cell.value.split():
            if used and used + 1 + len(word) > width - 1:
                n, used = n + 1, len(word)
            else:
                used += len(word) + (1 if used else 0)
        lines = max(lines, n)
    sheet.row_dimensions[row].height = max(sheet.row_dimensions[row].height or 0, round(lines * 15 + 4, 1))


def results_sheet(wb, build: PlanBuild) -> None:
    res, bank = build.result, build.rnd.bank
    sheet = wb.create_sheet(_(RESULTS_SHEET))
    src = (_("Nivået er gruppens konsensus der den er registrert, ellers medianen av de individuelle svarene.")
           if res.uses_consensus else _("Ingen konsensus er registrert: nivået er medianen av de individuelle svarene."))
    n = res.n_participants
    add_title(sheet, _("Resultater – {municipality}, runde {round}").format(municipality=build.ws.name,
                                                                           round=res.round),
              n_("{n} deltaker. Samlet nivå {level} av 4 ({name}). {source}",
                 "{n} deltakere. Samlet nivå {level} av 4 ({name}). {source}", n)
              .format(n=n, level=num(res.overall_level), name=res.overall_level_name or "–", source=src))
    # the three tables share the columns: long text in C, short headers over narrow columns (no word broken in print)
    dom_rows = [[d.name, d.level, d.explanation or "", d.score, d.target_score,
                 None if d.score is None else round(max(0.0, d.target_score - d.score), 1),
                 d.n_disagreements, d.share_dont_know] for d in res.domains]
    first, last = write_table(sheet, "Omraader", 4, [_("Område"), _("Nivå (0–4)"), _("Forklaring"), _("Poeng (0–100)"),
                                                     _("Mål (poeng)"), _("Under mål (poeng)"),
                                                     _("Påstander med uenighet"), _("Vet ikke (andel)")],
                              dom_rows, RESULT_WIDTHS)
    for r in range(first, last + 1):
        sheet.cell(row=r, column=2).number_format = "0.00"
        sheet.cell(row=r, column=8).number_format = "0 %"
    fit_header(sheet, 4)
    add_level_scale(sheet, f"B{first}:B{last}")
    add_level_scale(sheet, f"D{first}:D{last}", top=100)

    last = _verdicts_table(sheet, res, last + 3)
    chosen = set(res.chosen_priorities)
    ind_rows = []
    for ind in res.indicators:
        spread = None if ind.min is None or ind.max is None else ind.max - ind.min
        ind_rows.append([ind.id, bank.domain_of[ind.id].name, ind.short, ind.level, ind.level_source or "", ind.target,
                         ind.gap, ind.median, ind.min, ind.max, spread, _("Ja") if ind.disagreement else "",
                         ind.share_dont_know, ind.share_not_applicable, ind.n_responses,
                         _("Ja") if ind.id in chosen else "",
                         _indicator_note(bank, ind.id, ind.unclear)])
    head = last + 3
    set_text(sheet.cell(row=head - 1, column=1), _("Påstandene"))
    from openpyxl.styles import Font

    sheet.cell(row=head - 1, column=1).font = Font(name="Calibri", bold=True, size=12, color=HEADER_FILL)
    first, last = write_table(sheet, "Indikatorer", head, [
        _("Indikator"), _("Område"), _("Påstand"), _("Nivå"), _("Kilde"), _("Mål"), _("Avstand til mål"), _("Median"),
        _("Lavest"), _("Høyest"), _("Spredning"), _("Uenighet"), _("Vet ikke (andel)"), _("Ikke relevant (andel)"),
        _("Svar"), _("Prioritert"), _("Merknad")],
        ind_rows)
    fit_header(sheet, head)
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
    add_print_setup(sheet, _("Resultater – {municipality} {year}").format(municipality=build.ws.name, year=res.year),
                    title_rows=f"{head}:{head}")


def _indicator_note(bank: Bank, ind_id: str, unclear: bool) -> str:
    ind = bank.indicator_by_id.get(ind_id)
    marks = [indicator_mark(bank, ind)] if ind is not None else []
    if unclear:
        marks.append(_("Uavklart (mange «vet ikke»)"))
    return "; ".join(m for m in marks if m)


def all_verdicts(res: RoundResult) -> list[SourceResult]:
    return [*res.recommendations, *res.duties, *res.laws]


def _verdicts_table(sheet, res: RoundResult, head: int) -> int:
    """Every recommendation, duty and law with its verdict and the sentence that says why; returns the last row."""
    _bold_heading(sheet, head - 1, _("Vurderingene, og hvorfor"))
    rows = [[_source_name(s), _(KIND_NAMES[s.kind]) if s.kind in KIND_NAMES else s.kind, s.explanation or "",
             s.verdict_label, s.citation or "", ", ".join(s.core or s.indicators), "" if s.confirmed else _(UNCONFIRMED)]
            for s in all_verdicts(res)]
    first, last = write_table(sheet, "Vurderinger", head, [_("Kilde"), _("Type"), _("Hvorfor"), _("Vurdering"),
                                                           _("Hjemmel"), _("Bygger på"), _("Merknad")], rows,
                              RESULT_WIDTHS)
    fit_header(sheet, head)
    for label, color in VERDICT_FILLS.items():  # the verdict as the cells hold it (``verdict_label``)
        add_fill_when(sheet, f"D{first}:D{last}", f'$D{first}="{_(label)}"', color)
    return last


# --- Oversikt: a native chart drawn by Excel from the cells ---------------------------


def overview_sheet(wb, build: PlanBuild) -> None:
    from openpyxl.chart import BarChart, Reference
    from openpyxl.chart.shapes import GraphicalProperties

    res = build.result
    prev = build.history[-1] if build.history else None
    sheet = wb.create_sheet(_(OVERVIEW_SHEET))
    add_title(sheet, _("Oversikt – {municipality}, runde {round}").format(municipality=build.ws.name, round=res.round),
              _("Poeng per område (0–100) mot målet, og forrige runde ({round}).").format(round=prev.round) if prev
              else _("Poeng per område (0–100) mot målet."))
    headers = ([_("Område")] + ([_("Runde {round}").format(round=prev.round)] if prev else [])
               + [_("Runde {round}").format(round=res.round), _("Mål")])
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
    chart.title = _("Poeng per område")
    chart.y_axis.title = _("Poeng (0–100)")
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
    add_print_setup(sheet, _("Oversikt – {municipality} {year}").format(municipality=build.ws.name, year=res.year),
                    landscape=False)


# --- Retningslinjen ----------------------------------------------------------------


def guideline_sheet(wb, build: PlanBuild) -> None:
    res = build.result
    sheet = wb.create_sheet(_(GUIDELINE_SHEET))
    add_title(sheet, _("Retningslinjen IS-2826, pliktene og lovene"),
              _("Vurderingen for hver anbefaling, plikt og lov, og hvorfor den er som den er (kolonnen «Hvorfor»). "
                "Kilder som ikke er bekreftet mot selve kilden, er merket «Ikke bekreftet»."))
    headers = [_("Kilde"), _("Gruppe"), _("Ordlyd"), _("Vurdering"), _("Hvorfor"), _("Nivå"), _("Mål"),
               _("Påstander under mål"), _("Merknad")]

    def row(s: SourceResult, group: str) -> list:
        return [_source_name(s), group, s.title, s.verdict_label, s.explanation or "", s.level, s.target,
                ", ".join(s.below_target), "" if s.confirmed else _(UNCONFIRMED)]

    # the tables' names are identifiers (not shown as text): they stay as they are
    tables = [("Anbefalinger", _("Anbefalingene i retningslinjen"),
               [row(s, s.group or "") for s in res.recommendations]),
              ("Plikter", _("Pliktene til samarbeid og samordning (fra 2022)"),
               [row(s, _("Samarbeidsplikt")) for s in res.duties])]
    if res.laws:
        tables.append(("Lover", _("Lovene"), [row(s, s.citation or _("Lov")) for s in res.laws]))
    head = 4
    last = 0
    for name, heading, rows in tables:
        if head > 4:
            _bold_heading(sheet, head - 1, heading)
        first, last = write_table(sheet, name, head, headers, rows, [30, 22, 50, 15, 50, 8, 8, 24, 14])
        for r in range(first, last + 1):
            for c in (6, 7):
                sheet.cell(row=r, column=c).number_format = "0.0"
        for label, color in VERDICT_FILLS.items():
            add_fill_when(sheet, f"D{first}:D{last}", f'$D{first}="{_(label)}"', color)
        head = last + 3
    if any(not s.confirmed for s in all_verdicts(res)):
        set_text(sheet.cell(row=last + 2, column=1), _("«Ikke bekreftet»: innholdet er ikke bekreftet mot kilden; "
                                                       "se spørsmålsbanken."))
    add_print_setup(sheet, _("Retningslinjen IS-2826"))


# --- Om ------------------------------------------------------------------------------


METHOD = [
    N_("Hver deltaker svarer på påstandene på en skala fra 0 (ikke på plass) til 4 (på plass og fulgt opp), "
       "eller «vet ikke» / «ikke relevant». «Vet ikke» telles og vises, men gir ikke poeng."),
    N_("Nivået for en påstand er gruppens konsensus der den er registrert, ellers medianen av svarene."),
    N_("Uenighet: minst to svar, og minst en firedel av svarene, ligger mer enn ett nivå fra medianen."),
    N_("Et område er det vektede snittet av påstandene, vist som poeng fra 0 til 100."),
    N_("Forslag til prioriteringer: påstander under målet, ordnet etter avstand til målet × vekt."),
]
USE = [
    N_("Fyll inn ansvarlig, frist, status, neste oppfølging og kommentar i arket «Handlingsplan». "
       "Tiltaksteksten kan også endres."),
    N_("Når planen lages på nytt (samordna plan), tas alt dere har skrevet med videre etter tiltak-ID. "
       "Nye tiltak legges til, tiltak som ikke lenger er aktuelle beholdes og merkes, og den gamle filen tas vare på "
       "som sikkerhetskopi (de fem siste beholdes)."),
    N_("Rekkefølgen dere gir radene, beholdes. Egne kolonner (for eksempel «Budsjett») og egne ark blir også med. "
       "Arkene samordna lager (Juridisk minimum, Under mål, Resultater, Oversikt, Retningslinjen, Om), lages på nytt "
       "hver gang; "
       "skriv egne notater i et eget ark."),
    N_("Vil dere fjerne et tiltak, sett status «Avbrutt» eller slett raden. En slettet rad kommer ikke tilbake når "
       "planen lages på nytt; den står under «Fjernet av dere» nedenfor. Skriv tiltak-ID-en i en ny rad for å få den "
       "tilbake."),
    N_("Egne tiltak kan legges til nederst i tabellen; de får en ID neste gang planen lages. Egne tiltak som ikke er "
       "fullført eller avbrutt, føres videre til neste års plan med det dere har skrevet, også i egne kolonner."),
    N_("Påstander under målet som gruppen ikke har prioritert, står i arket «Under mål». Skriv tiltak-ID-en derfra i en "
       "ny rad i «Handlingsplan» for å ta tiltaket med; raden blir stående der."),
    N_("Ikke endre kolonnen «Tiltak-ID» eller overskriftene i første rad."),
]


def _verdict_rules(build: PlanBuild) -> list[str]:
    """The verdict rules as the bank states them (banks 2.0 and later), in plain words."""
    bank = build.rnd.bank
    if not bank.has_core and not bank.legal_minimum:
        return [_("En anbefaling er oppfylt når alle påstandene bak den er på målet, og delvis oppfylt når de i snitt "
                  "er høyst ett nivå under.")]
    rules = bank.verdict_rules
    share = f"{rules.unclear_dont_know_share * 100:.0f}"  # a whole percentage: «40» (the % sign is in the text)
    lines = [
        _("Juridisk minimum: hvert punkt besvares ja, nei eller vet ikke. «Nei» og «uavklart» gir tiltak først i "
          "handlingsplanen."),
        _("En anbefaling, plikt eller lov er «Ikke oppfylt» når en av kjernepåstandene er på nivå {level} eller "
          "lavere (eller et punkt i juridisk minimum er besvart «nei»), og «Uavklart» når minst {share} % av svarene "
          "på en kjernepåstand er «vet ikke». «Ikke oppfylt» går foran.").format(
            level=rules.not_met_at_or_below, share=share),
        n_("Et område får høyst {n} nivå over den laveste lovpålagte påstanden eller kjernepåstanden i området.",
           "Et område får høyst {n} nivå over den laveste lovpålagte påstanden eller kjernepåstanden i området.",
           rules.domain_cap_above_lowest).format(n=rules.domain_cap_above_lowest),
        _("Lovpålagte påstander kan ikke besvares «ikke relevant». Lokale påstander er merket «Lokal»."),
    ]
    return lines


def about_sheet(wb, build: PlanBuild) -> None:
    from openpyxl.styles import Alignment, Font

    res, ws, rnd = build.result, build.ws, build.rnd
    sheet = wb.create_sheet(_(ABOUT_SHEET))
    add_title(sheet, _("Om handlingsplanen"))
    pairs = [(_("Kommune"), ws.name), (_("Kommunenummer"), ws.number), (_("Runde"), rnd.id), (_("År"), str(rnd.year)),
             (_("Laget"), numeric_day(build.today)), (_("Spørsmålsbank"), res.bank_id),
             (_("Versjon av banken"), res.bank_version), (_("Deltakere"), str(res.n_participants))]
    sectors = ws.sectors
    for sid, n in sorted(res.participants_by_sector.items(), key=lambda kv: sectors.name(kv[0])):
        pairs.append((f"  {sectors.name(sid)}", count_text(n)))  # «under 3» when suppressed
    if build.previous:
        pairs.append((_("Forrige plan"), _("{file} (runde {round})").format(file=build.previous[0].name,
                                                                              round=build.previous[1])))
    pairs.append((_("samordna-versjon"), __version__))
    r = 3
    for k, v in pairs:
        set_text(sheet.cell(row=r, column=1), k)
        set_text(sheet.cell(row=r, column=2), v)
        sheet.cell(row=r, column=1).font = Font(name="Calibri", bold=not k.startswith("  "))
        sheet.cell(row=r, column=2).alignment = Alignment(horizontal="left")
        r += 1
    sections = [(_("Hva arket «{sheet}» inneholder").format(sheet=_(PLAN_SHEET)), build.contents()),
                (_("Metoden i korte trekk"), [_(line) for line in METHOD] + _verdict_rules(build)),
                (_("Slik bruker dere planen"), [_(line) for line in USE])]
    if build.migration:
        sections.append((_("Ny versjon av spørsmålsbanken"), build.migration))
    if build.removed:
        sections.append((_("Fjernet av dere"), [f"{aid}: {text}" if text else aid for aid, text in build.removed]))
    if build.carry.notes:
        sections.append((_("Merknader fra sist planen ble laget"), build.carry.notes))
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
    add_print_setup(sheet, _("Handlingsplan – {municipality} {year}").format(municipality=ws.name, year=rnd.year),
                    landscape=False)
