"""The mirror's part of the kit (``samordna kit --speil``): a blank Excel form per role to copy, one copy per
person, and a printable A4 paper ballot per role.

Nothing on them asks for a name or a code: young people give only their age band (13–15, 16–18, 19–24),
parents nothing but their answers. Both are in the workspace's language (the companion bank in that language).
The layout of the Excel form is ``io.mirror_forms``, which also reads it back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from samordna.core import fmt
from samordna.core.mirror import AGE_BANDS, DONT_KNOW, LEVELS, PARENT, ROLE_NAMES, ROLES, YOUNG, MirrorBank
from samordna.i18n import N_, _, language
from samordna.io.atomic import atomic_write_text
from samordna.io.form_layout import SHEET_META, form_sheet_title
from samordna.io.mirror_forms import (
    AGE_CELL,
    AGE_LIST_NAME,
    ANSWER_LIST_NAME,
    COL_ANSWER,
    COL_ID,
    COL_NUMBER,
    COL_STATEMENT,
    COLUMNS,
    DONT_KNOW_TEXT,
    FIRST_ROW,
    HEADER_ROW,
    META_KEYS,
    SHEET_LISTS,
    age_label,
    answer_options,
    metadata,
    mirror_form_filename,
    statement_row,
)
from samordna.io.mirrorfile import shipped_mirror_bank
from samordna.io.workspace import Round
from samordna.io.xlsx import import_openpyxl
from samordna.outputs.excel import save_workbook_atomically, set_text
from samordna.outputs.forms import form_styles, page_setup, protect_sheet, text_lines
from samordna.outputs.html import render

MIRROR_DIR = "speilet"  # the kit's folder for the mirror, beside the leaders' forms
WIDTHS = {"A": 11, "B": 5, "C": 62, "D": 26}
TEMPLATE = "mirror_ballot.html"
FORM_TITLES = {YOUNG: N_("Speilet: hva opplever unge?"), PARENT: N_("Speilet: hva opplever foreldre?")}


def mirror_out(out: Path) -> Path:
    """The folder of the mirror's forms and ballots inside a kit's folder."""
    return Path(out) / MIRROR_DIR


# --- the Excel form ----------------------------------------------------------------------------


def _lists_sheet(wb, bank: MirrorBank) -> None:
    from openpyxl.workbook.defined_name import DefinedName

    ws = wb.create_sheet(SHEET_LISTS)
    ws["A1"] = _("Svaralternativer")
    ws["B1"] = _("Aldersgruppe")
    options = [label for _v, label in answer_options(bank)]
    for i, label in enumerate(options, start=2):
        set_text(ws[f"A{i}"], label)
    for i, band in enumerate(AGE_BANDS, start=2):
        set_text(ws[f"B{i}"], age_label(band))
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 16
    wb.defined_names[ANSWER_LIST_NAME] = DefinedName(
        ANSWER_LIST_NAME, attr_text=f"'{SHEET_LISTS}'!$A$2:$A${len(options) + 1}")
    wb.defined_names[AGE_LIST_NAME] = DefinedName(
        AGE_LIST_NAME, attr_text=f"'{SHEET_LISTS}'!$B$2:$B${len(AGE_BANDS) + 1}")
    protect_sheet(ws)
    ws.sheet_state = "hidden"


def _meta_sheet(wb, meta: dict[str, str]) -> None:
    ws = wb.create_sheet(SHEET_META)
    for r, key in enumerate(META_KEYS, start=1):
        ws[f"A{r}"] = key
        set_text(ws[f"B{r}"], meta[key])
    ws["D1"] = _("Dette arket brukes av samordna for å lese skjemaet. Ikke endre det.")
    protect_sheet(ws)
    ws.sheet_state = "hidden"


def _form_sheet(wb, rnd: Round, bank: MirrorBank, role: str, st) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    ws = wb.create_sheet(form_sheet_title(), 0)
    for col, width in WIDTHS.items():
        ws.column_dimensions[col].width = width
    ws.column_dimensions[COL_ID].hidden = True  # the statement ids: for reading the form back, not for people
    ws.sheet_view.showGridLines = False
    big = {"title": st["title"], "text": st["text"]}
    ws.merge_cells("B1:D1")
    set_text(ws["B1"], _(FORM_TITLES[role]))
    ws["B1"].font = big["title"]
    ws.row_dimensions[1].height = 26
    ws.merge_cells("B2:D2")
    set_text(ws["B2"], _("{municipality} kommune · runde {round}").format(
        municipality=rnd.workspace.name, round=rnd.id))
    ws["B2"].font = st["sub"]
    ws.merge_cells("B3:D3")
    set_text(ws["B3"], bank.intro[role] + " " + _("Ikke skriv navnet ditt noe sted i skjemaet."))
    ws["B3"].font = st["text"]
    ws["B3"].alignment = st["wrap"]
    ws.row_dimensions[3].height = 15 * text_lines(ws["B3"].value, WIDTHS["C"] + WIDTHS["D"]) + 4
    if role == YOUNG:
        set_text(ws["C4"], _("Hvor gammel er du? Velg aldersgruppe fra listen:"))
        ws["C4"].font = st["label"]
        ws["C4"].alignment = st["right"]
        cell = ws[AGE_CELL]
        cell.font, cell.border, cell.fill, cell.protection = st["label"], st["border"], st["input_fill"], st["unlocked"]
        av = DataValidation(type="list", formula1=AGE_LIST_NAME, allow_blank=True, showErrorMessage=True,
                            errorTitle=_("Ugyldig aldersgruppe"), error=_("Velg 13–15, 16–18 eller 19–24 fra listen."))
        av.add(AGE_CELL)
        ws.add_data_validation(av)
        ws.row_dimensions[4].height = 20
    scale = " · ".join(label for _v, label in answer_options(bank))
    ws.merge_cells("B5:D5")
    set_text(ws["B5"], _("Velg et svar i den gule kolonnen «Ditt svar» på hver linje: {scale}. Du kan hoppe over "
                         "det du ikke vil svare på.").format(scale=scale))
    ws["B5"].font = st["help"]
    ws["B5"].alignment = st["wrap"]
    ws.row_dimensions[5].height = 28
    for i, title in enumerate(COLUMNS):
        c = ws.cell(row=HEADER_ROW, column=i + 1, value=_(title))
        c.font, c.fill, c.alignment, c.border = st["head"], st["head_fill"], st["wrap"], st["border"]
    ws.row_dimensions[HEADER_ROW].height = 18
    for i, s in enumerate(bank.statements):
        r = statement_row(i)
        set_text(ws[f"{COL_ID}{r}"], s.id)
        ws[f"{COL_NUMBER}{r}"] = i + 1
        set_text(ws[f"{COL_STATEMENT}{r}"], s.text(role))
        for col in (COL_ID, COL_NUMBER, COL_STATEMENT, COL_ANSWER):
            ws[f"{col}{r}"].alignment, ws[f"{col}{r}"].border = st["wrap"], st["border"]
            ws[f"{col}{r}"].font = big["text"]
        ws[f"{COL_ANSWER}{r}"].fill = st["input_fill"]
        ws[f"{COL_ANSWER}{r}"].protection = st["unlocked"]
        ws.row_dimensions[r].height = 16 * max(text_lines(s.text(role), WIDTHS["C"], 1.1), 2) + 4
    last = statement_row(len(bank.statements) - 1)
    dv = DataValidation(type="list", formula1=ANSWER_LIST_NAME, allow_blank=True, showErrorMessage=True,
                        errorTitle=_("Ugyldig svar"), error=_("Velg et svar fra listen: 0–4 eller Vet ikke."),
                        showInputMessage=True, promptTitle=_("Ditt svar"), prompt=_("Velg fra listen."))
    dv.add(f"{COL_ANSWER}{FIRST_ROW}:{COL_ANSWER}{last}")
    ws.add_data_validation(dv)
    ws.freeze_panes = f"A{FIRST_ROW}"
    ws.print_area = f"B1:D{last}"
    page_setup(ws, landscape=False, title_rows=f"{HEADER_ROW}:{HEADER_ROW}",
          footer=_("{municipality} · runde {round} · ikke skriv navn").format(
              municipality=rnd.workspace.name, round=rnd.id))
    protect_sheet(ws)


def build_mirror_form(rnd: Round, bank: MirrorBank, role: str):
    """The blank mirror form of ``role`` (copied once per person), in the current language."""
    from openpyxl import Workbook
    from openpyxl.workbook.protection import WorkbookProtection

    wb = Workbook()
    wb.remove(wb.active)
    st = form_styles()
    _form_sheet(wb, rnd, bank, role, st)
    _lists_sheet(wb, bank)
    _meta_sheet(wb, metadata(bank, role, rnd.id, rnd.workspace.number, language()))
    wb.active = 0
    wb.security = WorkbookProtection(lockStructure=True)
    wb.properties.creator = "samordna"
    wb.properties.title = _(FORM_TITLES[role])
    return wb


def write_mirror_forms(rnd: Round, out_dir: Path) -> list[Path]:
    """A blank form per role in ``out_dir`` (young people first), in the current language."""
    import_openpyxl()
    bank = shipped_mirror_bank(language())
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    return [save_workbook_atomically(build_mirror_form(rnd, bank, role), out_dir / mirror_form_filename(role))
            for role in ROLES]


# --- the paper ballot --------------------------------------------------------------------------


@dataclass(frozen=True)
class BallotBox:
    short: str  # «0» … «4», or the short «vet ikke»
    label: str  # the level's words


def ballot_context(rnd: Round, bank: MirrorBank, role: str, today: date | None = None) -> dict:
    ws = rnd.workspace
    boxes = [BallotBox(str(lv), bank.level_names[lv]) for lv in LEVELS]
    boxes.append(BallotBox("?", bank.dont_know))
    return {
        "role": role,
        "young": role == YOUNG,
        "title": _(FORM_TITLES[role]),
        "role_name": _(ROLE_NAMES[role]),
        "municipality": ws.name,
        "round_id": rnd.id,
        "intro": bank.intro[role],
        "boxes": boxes,
        "dont_know": DONT_KNOW,
        "age_bands": [age_label(b) for b in AGE_BANDS],
        "statements": [{"n": i + 1, "id": s.id, "text": s.text(role)} for i, s in enumerate(bank.statements)],
        "workspace_dir": ws.root.name,
        "made": fmt.numeric_day(today or date.today()),
        "dont_know_text": _(DONT_KNOW_TEXT),
    }


def render_mirror_ballot(rnd: Round, role: str, bank: MirrorBank | None = None, today: date | None = None) -> str:
    bank = bank or shipped_mirror_bank(language())
    return render(TEMPLATE, **ballot_context(rnd, bank, role, today))


def mirror_ballot_filename(role: str, suffix: str = "html") -> str:
    return f"speilet-{role}.{suffix}"


def write_mirror_ballots(rnd: Round, out_dir: Path, pdf: bool = False) -> list[Path]:
    """The paper ballot per role as HTML (and PDF when asked and possible). Returns the files written."""
    from samordna.outputs.pdf import pdf_beside

    bank = shipped_mirror_bank(language())
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for role in ROLES:
        html = render_mirror_ballot(rnd, role, bank)
        path = out_dir / mirror_ballot_filename(role)
        atomic_write_text(path, html)
        paths += [path, *pdf_beside(html, path, pdf)]
    return paths


def write_mirror_kit(rnd: Round, out: Path, pdf: bool = False) -> tuple[list[Path], list[Path]]:
    """The mirror's forms and ballots in ``mirror_out(out)``: (the Excel forms, the ballots)."""
    folder = mirror_out(out)
    return write_mirror_forms(rnd, folder), write_mirror_ballots(rnd, folder, pdf=pdf)
