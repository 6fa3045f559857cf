"""The plan over the years: every unfinished action is carried into the next year's plan, the municipality's own
included (with all people typed, their own columns too); a new round's plan starts from them before any answers;
the sheet «Handlingsplan» holds the legal minimum, the group's priorities and what was carried, and the other
indicators below target are on «Under mål»; the sheets print legibly on A4."""

from __future__ import annotations

from datetime import date, datetime

from openpyxl import load_workbook

from samordna.io.plan_reader import read_plan
from samordna.io.workspace import Workspace
from samordna.plan.model import COL

PLAN = "handlingsplan-eksempeldal-{}.xlsx"
OWN = dict(domain="Barnehage", indicator="Foreldremøter sammen med helsestasjonen",
           action="Felles foreldremøte med helsestasjonen hver høst", responsible="Styrer i Solsikken barnehage",
           status="Pågår", deadline=datetime(2027, 10, 1), follow_up=datetime(2027, 3, 1),
           comment="Første møte holdt i mars.")


def _rows(sheet, start: int = 2) -> list[tuple]:
    return [r for r in sheet.iter_rows(min_row=start, values_only=True) if r[0]]


def _add_row(path, values: dict, extra: dict[str, object] | None = None) -> None:
    """A row added at the bottom of «Handlingsplan», with values in columns people added (by header)."""
    wb = load_workbook(path)
    sheet = wb["Handlingsplan"]
    r = sheet.max_row + 1
    for key, value in values.items():
        sheet.cell(row=r, column=COL[key]).value = value
    for head, value in (extra or {}).items():
        heads = [c.value for c in sheet[1]]
        col = heads.index(head) + 1 if head in heads else len(heads) + 1
        sheet.cell(row=1, column=col).value = head
        sheet.cell(row=r, column=col).value = value
    wb.save(path)


def _set(path, aid: str, **values) -> None:
    wb = load_workbook(path)
    sheet = wb["Handlingsplan"]
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(row=r, column=1).value == aid)
    heads = [c.value for c in sheet[1]]
    for key, value in values.items():
        sheet.cell(row=row, column=COL[key] if key in COL else heads.index(key) + 1).value = value
    wb.save(path)


def _own_cells(path, aid: str) -> dict[str, object]:
    sheet = load_workbook(path)["Handlingsplan"]
    heads = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == aid)
    return dict(zip(heads, row, strict=False))


def test_own_action_is_carried_over_two_years_with_all_people_typed(cli, sample_ws):
    p26, p27, p28 = (sample_ws / PLAN.format(y) for y in (2026, 2027, 2028))
    assert cli(["plan", sample_ws, "--round", "2026"]).exit_code == 0
    _add_row(p26, OWN, {"Budsjett": 15000})
    _add_row(p26, dict(action="Kurs i samtaler med barn", responsible="PPT-leder", status="Fullført"))  # done: stays
    assert cli(["plan", sample_ws, "--round", "2026"]).exit_code == 0
    own26 = {a.action_id: a for a in read_plan(p26) if a.kind == "eget tiltak"}
    assert set(own26) == {"2026-EGEN-1", "2026-EGEN-2"}

    res = cli(["round", "new", sample_ws, "--year", "2027"])
    assert res.exit_code == 0, res.output
    assert "ett av dem kommunens eget" in res.output
    res = cli(["plan", sample_ws, "--round", "2027"])
    assert res.exit_code == 0, res.output
    a27 = {a.action_id: a for a in read_plan(p27)}
    own = a27["2027-FRA-2026-EGEN-1"]
    assert (own.kind, own.action, own.responsible, own.status, own.comment) == (
        "eget tiltak", OWN["action"], OWN["responsible"], "Pågår", OWN["comment"])
    assert (own.deadline, own.follow_up) == (date(2027, 10, 1), date(2027, 3, 1))
    cells = _own_cells(p27, "2027-FRA-2026-EGEN-1")
    assert (cells["Område"], cells["Indikator"], cells["Budsjett"]) == (OWN["domain"], OWN["indicator"], 15000)
    assert cells["Fra forrige plan"] == "Videreført fra 2026-EGEN-1 (Pågår)"
    assert not [a for a in a27.values() if "EGEN-2" in a.action_id]  # the finished one is not carried

    # the next year: what people changed in 2027 goes on, and the id names where it began (no growing chain)
    _set(p27, "2027-FRA-2026-EGEN-1", comment="Andre møte i september.", status="Utsatt", Budsjett=20000)
    assert cli(["plan", sample_ws, "--round", "2027"]).exit_code == 0
    assert cli(["round", "new", sample_ws, "--year", "2028"]).exit_code == 0
    assert cli(["plan", sample_ws, "--round", "2028"]).exit_code == 0
    own = {a.action_id: a for a in read_plan(p28)}["2028-FRA-2026-EGEN-1"]
    assert (own.kind, own.action, own.responsible, own.status, own.comment) == (
        "eget tiltak", OWN["action"], OWN["responsible"], "Utsatt", "Andre møte i september.")
    cells = _own_cells(p28, "2028-FRA-2026-EGEN-1")
    assert (cells["Område"], cells["Indikator"], cells["Budsjett"]) == (OWN["domain"], OWN["indicator"], 20000)
    assert cells["Fra forrige plan"] == "Videreført fra 2027-FRA-2026-EGEN-1 (Utsatt)"


def test_plan_right_after_round_new_starts_from_the_unfinished_actions(cli, sample_ws):
    p26 = sample_ws / PLAN.format(2026)
    assert cli(["plan", sample_ws, "--round", "2026"]).exit_code == 0
    _add_row(p26, dict(action="Eget tiltak uten påstand", responsible="Kommunalsjef", status="Ikke startet",
                       comment="Avtalt på møtet"))
    assert cli(["plan", sample_ws, "--round", "2026"]).exit_code == 0
    before = read_plan(p26)
    unfinished = {a.action_id for a in before if a.status not in ("Fullført", "Avbrutt")}
    res = cli(["round", "new", sample_ws, "--year", "2027"])
    assert res.exit_code == 0, res.output
    assert f"starter fra de {len(unfinished)} uferdige tiltakene" in res.output
    res = cli(["plan", sample_ws])  # the new round is the default: no answers yet
    assert res.exit_code == 0, res.output
    after = read_plan(sample_ws / PLAN.format(2027))
    assert len(after) == len(unfinished) > 10  # not an empty plan
    sheet = load_workbook(sample_ws / PLAN.format(2027))["Handlingsplan"]
    came = {str(r[COL["previous"] - 1]).removeprefix("Videreført fra ").split(" (")[0] for r in _rows(sheet)}
    assert came == unfinished
    assert f"{len(unfinished)} uferdige tiltak ført videre fra forrige plan" in res.output
    assert "Ingen svar er registrert ennå" in res.output
    about = [r[0] for r in load_workbook(sample_ws / PLAN.format(2027))["Om"].iter_rows(values_only=True) if r[0]]
    assert "Hva arket «Handlingsplan» inneholder" in about
    assert any("Ingen svar er registrert ennå" in line for line in about)


def _five_priorities(cli, ws_dir) -> tuple[Workspace, list[str]]:
    ws = Workspace(ws_dir)
    rnd = ws.round("2026")
    from samordna.core.scoring import score_workspace_round

    below = [p.id for p in score_workspace_round(ws, rnd).priorities]
    chosen = below[:5]
    rnd.save_priorities(chosen)
    return ws, chosen


def test_before_the_group_has_chosen_the_plan_says_what_it_holds(cli, sample_ws):
    res = cli(["plan", sample_ws, "--round", "2026"])  # answers, no priorities yet
    assert res.exit_code == 0, res.output
    assert "Gruppen har ikke valgt prioriteringer ennå (samordna prioritize)" in res.output
    wb = load_workbook(sample_ws / PLAN.format(2026))
    kinds = {r[COL["kind"] - 1] for r in _rows(wb["Handlingsplan"])}
    assert "Prioritert" not in kinds and "Under mål" not in kinds and "Juridisk minimum" in kinds
    about = [r[0] for r in wb["Om"].iter_rows(values_only=True) if r[0]]
    assert any("ikke valgt prioriteringer ennå" in line for line in about)


def test_main_sheet_holds_legal_priorities_and_carried_only(cli, sample_ws):
    ws, chosen = _five_priorities(cli, sample_ws)
    res = cli(["plan", sample_ws, "--round", "2026"])
    assert res.exit_code == 0, res.output
    assert "Gruppens 5 prioriteringer med bankens forslag til tiltak." in res.output
    path = sample_ws / PLAN.format(2026)
    wb = load_workbook(path)
    assert wb.sheetnames[:3] == ["Juridisk minimum", "Handlingsplan", "Under mål"]
    rows = _rows(wb["Handlingsplan"])
    kinds = [r[COL["kind"] - 1] for r in rows]
    assert set(kinds) <= {"Juridisk minimum", "Prioritert", "Videreført", "Endret påstand", "Påstand tatt ut"}
    n_legal = kinds.count("Juridisk minimum")
    assert n_legal and kinds[:n_legal] == ["Juridisk minimum"] * n_legal  # the legal minimum first
    bank = ws.round("2026").bank
    prio = [r for r in rows if r[COL["kind"] - 1] == "Prioritert"]
    assert {r[COL["indicator"] - 1].split()[0] for r in prio} == set(chosen)
    ids = [r[0] for r in rows]
    assert all(f"2026-{i}-{k}" in ids for i in chosen for k in range(1, len(bank.indicator_by_id[i].actions) + 1))
    for r in rows:  # everything else was carried from the 2025 plan
        if r[COL["kind"] - 1] not in ("Juridisk minimum", "Prioritert"):
            assert str(r[COL["previous"] - 1]).startswith("Videreført fra 2025-"), r
    under = _rows(wb["Under mål"], 5)
    result_below = {r[0].split("-", 1)[1].rsplit("-", 1)[0] for r in under}
    assert not result_below & set(chosen) and len(under) >= 20
    assert not {r[0] for r in under} & {r[0] for r in rows}  # a row is in one place only
    assert "«Under mål», ikke i planen" in res.output


def test_an_edited_row_below_target_stays_where_people_put_it(cli, sample_ws):
    ws, chosen = _five_priorities(cli, sample_ws)
    path = sample_ws / PLAN.format(2026)
    assert cli(["plan", sample_ws, "--round", "2026"]).exit_code == 0
    # two priorities dropped: the edited action of one stays, the untouched ones go to «Under mål»
    edited_id, untouched_id = f"2026-{chosen[3]}-1", f"2026-{chosen[4]}-1"
    _set(path, edited_id, responsible="Helsesykepleier", comment="Vi tar denne likevel")
    order = [r[0] for r in _rows(load_workbook(path)["Handlingsplan"])]
    ws.round("2026").save_priorities(chosen[:3])
    assert cli(["plan", sample_ws, "--round", "2026"]).exit_code == 0
    wb = load_workbook(path)
    ids = [r[0] for r in _rows(wb["Handlingsplan"])]
    kept = {a.action_id: a for a in read_plan(path)}[edited_id]
    assert (kept.kind, kept.responsible, kept.comment) == ("under mål", "Helsesykepleier", "Vi tar denne likevel")
    assert ids.index(edited_id) == order.index(edited_id)  # not moved: the rows before it are all still there
    assert untouched_id not in ids
    assert untouched_id in [r[0] for r in _rows(wb["Under mål"], 5)]
    # a suggestion people take from «Under mål» by typing its id stays in the plan too
    taken = _rows(wb["Under mål"], 5)[-1][0]
    _add_row(path, dict(id=taken))
    assert cli(["plan", sample_ws, "--round", "2026"]).exit_code == 0
    wb = load_workbook(path)
    assert [r[0] for r in _rows(wb["Handlingsplan"])][-1] == taken
    assert taken not in [r[0] for r in _rows(wb["Under mål"], 5)]


def test_page_setup_and_headers_print_on_a4(cli, sample_ws):
    _five_priorities(cli, sample_ws)
    assert cli(["plan", sample_ws, "--round", "2026"]).exit_code == 0
    wb = load_workbook(sample_ws / PLAN.format(2026))
    for title, header_row in (("Handlingsplan", 1), ("Under mål", 4), ("Juridisk minimum", 4)):
        sheet = wb[title]
        assert sheet.page_setup.orientation == "landscape", title
        assert int(sheet.page_setup.paperSize) == 9  # A4
        assert sheet.sheet_properties.pageSetUpPr.fitToPage and sheet.page_setup.fitToWidth == 1, title
        assert sheet.page_setup.fitToHeight == 0, title  # as many pages down as needed
        assert sheet.print_title_rows == f"${header_row}:${header_row}", title
    plan = wb["Handlingsplan"]
    heads = [c.value for c in plan[1]]
    assert "Avstand til mål" in heads and "Gap" not in heads
    results = wb["Resultater"]
    all_heads = [c for row in results.iter_rows() for c in row
                 if c.font is not None and c.font.b and isinstance(c.value, str) and c.fill.fgColor.rgb != "00000000"]
    assert any(c.value == "Påstander med uenighet" for c in all_heads)
    for sheet in (plan, results, wb["Under mål"]):
        for row in sheet.iter_rows():
            for c in row:
                if c.font is not None and c.font.b and c.font.color is not None and c.font.color.rgb == "00FFFFFF":
                    width = sheet.column_dimensions[c.column_letter].width
                    longest = max(len(w) for w in str(c.value).split())
                    assert c.alignment.wrap_text, (sheet.title, c.coordinate)
                    assert width >= longest + 1, (sheet.title, c.value, width)  # no word broken in two
                    if len(str(c.value)) > width - 1:  # wraps: the row is tall enough for two lines at least
                        assert (sheet.row_dimensions[c.row].height or 15) >= 30, (sheet.title, c.value)
    words = " ".join(str(c.value) for row in results.iter_rows() for c in row if isinstance(c.value, str))
    assert " Gap" not in words and "gap ×" not in words
