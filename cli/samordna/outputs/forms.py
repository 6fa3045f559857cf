"""Write the Excel answer forms: one per participant (pseudonym code) and a blank one to copy.

Layout and metadata come from ``forms_import`` so writing and reading never
disagree. Dropdowns refer to lists on a hidden sheet through defined names (an
inline list over 255 characters is silently dropped by Excel). Only the answer,
comment, sector (and, on the blank form, code) cells are unlocked.

A bank with a legal minimum gets a «Juridisk minimum» block before the statements
(Ja / Nei / Vet ikke); a statutory indicator's dropdown has no «Ikke relevant»; an
indicator's own level descriptors are printed in its «Forklaring» cell, so they can
be read on paper; a local indicator is marked «Lokal».
"""

from __future__ import annotations

import math
import re
from pathlib import Path

from samordna.core.answers import DONT_KNOW, NO, NOT_APPLICABLE, YES
from samordna.core.bank import Bank, Indicator, LegalItem
from samordna.core.models import Answer
from samordna.i18n import LANGUAGES, N_, _, in_language, language, use_language
from samordna.io.atomic import atomic_write_bytes
from samordna.io.form_layout import (
    CODE_CELL,
    COL_ANSWER,
    COL_COMMENT,
    COLUMNS,
    HEADER_ROW,
    LANGUAGE_KEY,
    LANGUAGE_ROW,
    LEGAL_HEADING,
    LEGAL_LIST_NAME,
    LEVEL_LIST_NAME,
    META_KEYS,
    SECTOR_CELL,
    SECTOR_LIST_NAME,
    SHEET_FORM,  # noqa: F401 (imported from here by callers: the answer sheet's bokmål name)
    SHEET_GUIDE,
    SHEET_LISTS,
    SHEET_META,
    STATUTORY_LIST_NAME,
    Row,
    answer_options,
    form_sheet_names,
    form_sheet_title,
    has_statutory,
    layout,
    legal_options,
    level_lines,
    list_name_for,
    metadata,
    statutory_options,
)
from samordna.io.workspace import Round
from samordna.outputs.excel import save_workbook_atomically, set_text

WIDTHS = {"A": 9, "B": 46, "C": 50, "D": 24, "E": 38}
LEGAL_LIST_TITLE = N_("Juridisk minimum")
FONT = "Calibri"
DARK = "1B4965"
LIGHT = "DCE8F2"
INPUT = "FFF8DC"


def form_styles():
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side

    thin = Side(style="thin", color="8899AA")
    return {
        "title": Font(name=FONT, size=15, bold=True, color=DARK),
        "sub": Font(name=FONT, size=10, color="333333"),
        "label": Font(name=FONT, size=10, bold=True),
        "head": Font(name=FONT, size=10, bold=True, color="FFFFFF"),
        "dom": Font(name=FONT, size=11, bold=True, color=DARK),
        "text": Font(name=FONT, size=10),
        "help": Font(name=FONT, size=9, color="444444"),
        "head_fill": PatternFill("solid", fgColor=DARK),
        "dom_fill": PatternFill("solid", fgColor=LIGHT),
        "input_fill": PatternFill("solid", fgColor=INPUT),
        "wrap": Alignment(wrap_text=True, vertical="top"),
        "right": Alignment(horizontal="right", vertical="center", indent=1),
        "border": Border(left=thin, right=thin, top=thin, bottom=thin),
        "unlocked": Protection(locked=False),
    }


def text_lines(text: str, width: float, per_unit: float = 1.05) -> int:
    """Estimated wrapped lines of ``text`` in a column ``width`` units wide (``per_unit`` chars per unit)."""
    per_line = max(8.0, width * per_unit)
    return sum(max(1, math.ceil(len(part) / per_line)) for part in str(text).split("\n"))


def page_setup(ws, landscape: bool, title_rows: str | None, footer: str) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.print_options.horizontalCentered = True
    if title_rows:
        ws.print_title_rows = title_rows
    ws.oddFooter.left.text = footer
    ws.oddFooter.left.size = 8
    ws.oddFooter.right.text = _("Side &P av &N")
    ws.oddFooter.right.size = 8


def protect_sheet(ws) -> None:
    ws.protection.sheet = True
    ws.protection.formatRows = False  # people may make a row taller for a long comment
    ws.protection.formatColumns = False
    ws.protection.selectLockedCells = False
    ws.protection.selectUnlockedCells = False


def _lists_sheet(wb, rnd: Round) -> None:
    from openpyxl.workbook.defined_name import DefinedName

    ws = wb.create_sheet(SHEET_LISTS)
    ws["A1"] = _("Svaralternativer")
    ws["B1"] = _("Sektorer")
    options = [label for _v, label in answer_options(rnd.bank)]
    for i, label in enumerate(options, start=2):
        ws[f"A{i}"] = label
    sectors = [s.name for s in rnd.workspace.sectors.sectors]
    for i, name in enumerate(sectors, start=2):
        ws[f"B{i}"] = name
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 45
    wb.defined_names[LEVEL_LIST_NAME] = DefinedName(
        LEVEL_LIST_NAME, attr_text=f"'{SHEET_LISTS}'!$A$2:$A${len(options) + 1}")
    wb.defined_names[SECTOR_LIST_NAME] = DefinedName(
        SECTOR_LIST_NAME, attr_text=f"'{SHEET_LISTS}'!$B$2:$B${len(sectors) + 1}")
    # only where the bank needs them: a 1.0 bank's form keeps the lists it always had
    extra = []
    if has_statutory(rnd.bank):
        extra.append(("C", _("Lovpålagte påstander"), STATUTORY_LIST_NAME, statutory_options(rnd.bank)))
    if rnd.bank.legal_minimum:
        extra.append(("D", _(LEGAL_LIST_TITLE), LEGAL_LIST_NAME, legal_options(rnd.bank)))
    for col, title, name, opts in extra:
        ws[f"{col}1"] = title
        for i, (_v, label) in enumerate(opts, start=2):
            ws[f"{col}{i}"] = label
        ws.column_dimensions[col].width = 30
        wb.defined_names[name] = DefinedName(name, attr_text=f"'{SHEET_LISTS}'!${col}$2:${col}${len(opts) + 1}")
    protect_sheet(ws)
    ws.sheet_state = "hidden"


def _meta_sheet(wb, meta: dict[str, str]) -> None:
    ws = wb.create_sheet(SHEET_META)
    for r, key in enumerate(META_KEYS, start=1):
        ws[f"A{r}"] = key
        set_text(ws[f"B{r}"], meta[key])
    ws[f"A{LANGUAGE_ROW}"] = LANGUAGE_KEY  # after the keys forms always had: an older reader reads on
    set_text(ws[f"B{LANGUAGE_ROW}"], meta[LANGUAGE_KEY])
    ws["D1"] = _("Dette arket brukes av samordna for å lese skjemaet. Ikke endre det.")
    protect_sheet(ws)
    ws.sheet_state = "hidden"


def _guide_rows(rnd: Round, code: str | None) -> list[tuple[str, str, str]]:
    """The guide sheet as (kind, column A, column B) rows: how to answer, the scale, privacy, the form."""
    bank = rnd.bank
    who = (_("Deltakerkode: {code}").format(code=code) if code
           else _("Blankt skjema: skriv deltakerkoden du har fått i arket «Svar»."))
    rows: list[tuple[str, str, str]] = [
        ("title", _("Svarskjema: samordnet innsats for utsatte barn og unge 0–24"), ""),
        ("sub", _("{municipality} kommune · runde {round} · {bank} ({label})").format(
            municipality=rnd.workspace.name, round=rnd.id, bank=bank.title, label=bank.label), ""),
        ("label", who, ""),
        ("gap", "", ""),
        ("head", _("Slik svarer du"), ""),
        ("para", "1.", _("Gå til arket «Svar». Velg sektoren din i den gule cellen øverst.")),
        ("para", "2.", _("Les hver påstand og forklaringen ved siden av. Velg det nivået som best beskriver "
                         "hvordan det er i kommunen i dag, i den gule svarcellen (kolonnen «Ditt svar»).")),
        ("para", "3.", _("Svar ut fra det du selv kjenner til. Velg «Vet ikke» hvis du ikke vet nok, og "
                         "«Ikke relevant» hvis påstanden ikke passer for kommunen. Begge er gode svar.")),
        ("para", "4.", _("Skriv gjerne en kort kommentar: et eksempel, en rutine, noe som mangler.")),
        ("para", "5.", _("Lagre filen og lever den til den som leder arbeidet. På papir: skriv tallet (0–4), "
                         "VI (vet ikke) eller IR (ikke relevant) i svarkolonnen.")),
    ]
    if bank.legal_minimum:
        rows += [
            ("gap", "", ""),
            ("head", _(LEGAL_HEADING), ""),
            ("para", "", _("Først i arket «Svar» står {n} spørsmål om det loven krever av "
                           "kommunen. Svar «Ja», «Nei» eller «Vet ikke» (på papir: J, N eller VI). Forklaringen sier "
                           "hvem i kommunen som vet svaret, og hvilken lov kravet står i. Vet du ikke, er «Vet ikke» "
                           "det riktige svaret: gruppen finner ut av det sammen.").format(n=len(bank.legal_minimum))),
        ]
    if has_statutory(bank):
        rows.append(("para", "", _("Påstander merket «Lovpålagt» gjelder en plikt i loven. De kan ikke svares "
                                   "«Ikke relevant»: plikten gjelder alle kommuner.")))
    if any(ind.levels for ind in bank.indicators):
        rows.append(("para", "", _("Der påstanden har egne nivåbeskrivelser, står de i kolonnen «Forklaring». "
                                   "Bruk dem heller enn den generelle skalaen under.")))
    if any(ind.local for ind in bank.indicators):
        rows.append(("para", "", _("Påstander merket «Lokal» er lagt til av kommunen eller fylket selv, "
                                   "i tillegg til den nasjonale spørsmålsbanken.")))
    rows += [
        ("gap", "", ""),
        ("head", _("Skalaen"), ""),
    ]
    for lv in bank.scale.levels:
        rows.append(("scale", f"{lv.level} – {lv.name}", lv.description))
    for special in (bank.scale.yes, bank.scale.no) if bank.legal_minimum else ():
        if special is not None:
            rows.append(("scale", special.label, special.description))
    rows.append(("scale", bank.scale.dont_know.label, bank.scale.dont_know.description))
    rows.append(("scale", bank.scale.not_applicable.label, bank.scale.not_applicable.description))
    rows += [
        ("gap", "", ""),
        ("head", _("Personvern og taushetsplikt"), ""),
        ("para", "", _("Skriv aldri navn, fødselsnummer eller noe annet som kan peke på et barn, en familie "
                       "eller en kollega. Kommentarer med fødselsnummer blir avvist når skjemaet leses inn.")),
        ("para", "", _("Svarene dine vises bare samlet, uten deltakerkode. Grupper med færre enn tre personer "
                       "vises ikke for seg.")),
        ("gap", "", ""),
        ("head", _("Om skjemaet"), ""),
        ("para", "", _("Bare de gule cellene kan endres. Ikke flytt, sett inn eller slett rader: da kan "
                       "skjemaet ikke leses inn. Trenger du mer plass til en kommentar, kan raden gjøres høyere.")),
    ]
    return rows


def _guide_sheet(wb, rnd: Round, code: str | None, st) -> None:
    ws = wb.create_sheet(_(SHEET_GUIDE), 0)
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 78
    ws.sheet_view.showGridLines = False
    for r, (kind, a, b) in enumerate(_guide_rows(rnd, code), start=1):
        ca, cb = ws[f"A{r}"], ws[f"B{r}"]
        set_text(ca, a)
        set_text(cb, b)
        ca.alignment = cb.alignment = st["wrap"]
        if kind in ("title", "sub", "label", "head"):
            ws.merge_cells(f"A{r}:B{r}")
            ca.font = st[kind if kind != "head" else "dom"]
            ws.row_dimensions[r].height = 24 if kind in ("title", "head") else 16
            if kind == "head":
                ca.fill = st["dom_fill"]
        elif kind in ("para", "scale"):
            ca.font = st["label"] if kind == "scale" else st["text"]
            cb.font = st["text"]
            ws.row_dimensions[r].height = 14 * text_lines(b, 78) + 3
    page_setup(ws, landscape=False, title_rows=None,
          footer=_("{municipality} · runde {round}").format(municipality=rnd.workspace.name, round=rnd.id))
    protect_sheet(ws)


def _form_header(ws, rnd: Round, code: str | None, st) -> None:
    """Title, municipality and round, the code and sector cells, the short instruction and the column headings."""
    bank = rnd.bank
    for col, width in WIDTHS.items():
        ws.column_dimensions[col].width = width
    ws.merge_cells("A1:E1")
    set_text(ws["A1"], _("Svarskjema: {title}").format(title=bank.title))
    ws["A1"].font = st["title"]
    ws.row_dimensions[1].height = 24
    ws.merge_cells("A2:E2")
    set_text(ws["A2"], _("{municipality} kommune ({number}) · runde {round} · bank {bank}").format(
        municipality=rnd.workspace.name, number=rnd.workspace.number, round=rnd.id, bank=bank.label))
    ws["A2"].font = st["sub"]
    for cell, label in (("B3", _("Deltakerkode (aldri navn)")), ("B4", _("Sektor (velg fra listen)"))):
        set_text(ws[cell], label)
        ws[cell].font = st["label"]
        ws[cell].alignment = st["right"]
    set_text(ws[CODE_CELL], code or "")
    for cell in (CODE_CELL, SECTOR_CELL):
        ws[cell].font = st["label"]
        ws[cell].border = st["border"]
        if cell == SECTOR_CELL or not code:
            ws[cell].fill = st["input_fill"]
            ws[cell].protection = st["unlocked"]
    ws.merge_cells("A5:E5")
    scale = " · ".join(label for _v, label in answer_options(bank))
    no_names = _("Ikke skriv navn eller opplysninger som kan peke på en person.")
    if bank.legal_minimum:
        legal = " · ".join(label for _v, label in legal_options(bank))
        text = _("Svar i den gule kolonnen «Ditt svar». Skala: {scale}. Juridisk minimum (først): {legal}. "
                 "{no_names}").format(scale=scale, legal=legal, no_names=no_names)
    else:
        text = _("Svar i den gule kolonnen «Ditt svar». Skala: {scale}. {no_names}").format(
            scale=scale, no_names=no_names)
    set_text(ws["A5"], text)
    ws["A5"].font = st["help"]
    ws["A5"].alignment = st["wrap"]
    ws.row_dimensions[5].height = 26

    for i, title in enumerate(COLUMNS):
        c = ws.cell(row=HEADER_ROW, column=i + 1, value=_(title))
        c.font, c.fill, c.alignment, c.border = st["head"], st["head_fill"], st["wrap"], st["border"]
    ws.row_dimensions[HEADER_ROW].height = 18


def _band(ws, r: int, ident: str, title: str, st) -> None:
    """A heading band across the form: a domain, or the legal minimum."""
    set_text(ws[f"A{r}"], ident)
    ws.merge_cells(f"B{r}:E{r}")
    set_text(ws[f"B{r}"], title)
    for col in "ABCDE":
        ws[f"{col}{r}"].fill = st["dom_fill"]
        ws[f"{col}{r}"].font = st["dom"]
    ws.row_dimensions[r].height = 20


def citation(bank: Bank, item: LegalItem) -> str:
    """The legal item's main citation («barnevernsloven § 15-1»), or its first source's short name."""
    src = bank.source_by_id.get(item.references[0])
    if src is None:
        return item.references[0]
    return src.citation or src.short


def legal_help(bank: Bank, item: LegalItem) -> str:
    """What the «Forklaring» cell of a legal-minimum row says: the help, who knows, the law."""
    return _("{help}\n\nHvem vet svaret: {who}\nLovkrav: {law}").format(
        help=item.help, who=item.who, law=citation(bank, item))


def indicator_help(bank: Bank, ind: Indicator) -> str:
    """The «Forklaring» cell of an indicator: marks (Lokal, Lovpålagt), the help, the level descriptors."""
    marks = []
    if ind.local:
        marks.append(_("Lokal påstand ({owner}).").format(owner=ind.local_owner) if ind.local_owner
                     else _("Lokal påstand."))
    if ind.is_statutory:
        laws = [bank.source_by_id[s].citation or bank.source_by_id[s].short
                for s in ind.statutory if s in bank.source_by_id]
        marks.append(_("Lovpålagt ({laws}): kan ikke svares «Ikke relevant».").format(laws="; ".join(laws)) if laws
                     else _("Lovpålagt: kan ikke svares «Ikke relevant»."))
    parts = [" ".join(marks)] if marks else []
    parts.append(ind.help)
    lines = level_lines(bank, ind)
    if lines:
        parts.append(_("Nivåene her:") + "\n" + "\n".join(lines))
    return "\n\n".join(parts)


def _form_rows(ws, bank: Bank, rows: list[Row], st) -> None:
    """A band for the legal minimum and each domain, then a row per item with its answer and comment cells unlocked."""
    for row in rows:
        r = row.row
        if row.kind == "legal_heading":
            _band(ws, r, row.id, _(LEGAL_HEADING), st)
            continue
        if row.kind == "domain":
            dom = next(d for d in bank.domains if d.id == row.id)
            _band(ws, r, dom.id, dom.name, st)
            continue
        if row.kind == "legal":
            item = bank.legal_by_id[row.id]
            statement, help_text = item.question, legal_help(bank, item)
        else:
            ind = bank.indicator_by_id[row.id]
            statement, help_text = ind.statement, indicator_help(bank, ind)
        ws[f"A{r}"] = row.id
        set_text(ws[f"B{r}"], statement)
        set_text(ws[f"C{r}"], help_text)
        for col in "ABCDE":
            cell = ws[f"{col}{r}"]
            cell.alignment, cell.border = st["wrap"], st["border"]
            cell.font = st["help"] if col == "C" else st["text"]
        ws[f"A{r}"].font = st["label"]
        ws[f"{COL_ANSWER}{r}"].font = st["label"]
        for col in (COL_ANSWER, COL_COMMENT):
            ws[f"{col}{r}"].fill = st["input_fill"]
            ws[f"{col}{r}"].protection = st["unlocked"]
        lines = max(text_lines(statement, WIDTHS["B"], 1.08), text_lines(help_text, WIDTHS["C"], 1.25) * 0.9, 3)
        ws.row_dimensions[r].height = min(409, round(13 * lines + 6))  # Excel's highest row


VALIDATION_TEXTS = {
    LEVEL_LIST_NAME: (N_("Velg et svar fra listen: 0–4, Vet ikke eller Ikke relevant."), N_("Velg nivå fra listen.")),
    STATUTORY_LIST_NAME: (N_("Velg et svar fra listen: 0–4 eller Vet ikke. Dette er en lovpålagt plikt, "
                             "så «Ikke relevant» kan ikke brukes."), N_("Velg nivå fra listen (lovpålagt).")),
    LEGAL_LIST_NAME: (N_("Velg Ja, Nei eller Vet ikke."), N_("Ja, Nei eller Vet ikke.")),
}


def _form_validations(ws, bank: Bank, rows: list[Row]) -> None:
    """Answers from their list (levels, statutory, legal), the sector from the sector list (defined names)."""
    from openpyxl.worksheet.datavalidation import DataValidation

    for name, (error, prompt) in VALIDATION_TEXTS.items():
        runs = _answer_runs(rows, lambda row, name=name: list_name_for(bank, row.id) == name)
        if not runs:
            continue
        dv = DataValidation(type="list", formula1=name, allow_blank=True, showErrorMessage=True,
                            errorTitle=_("Ugyldig svar"), error=_(error),
                            showInputMessage=True, promptTitle=_("Ditt svar"), prompt=_(prompt))
        for start, end in runs:
            dv.add(f"{COL_ANSWER}{start}:{COL_ANSWER}{end}")
        ws.add_data_validation(dv)
    sv = DataValidation(type="list", formula1=SECTOR_LIST_NAME, allow_blank=True, showErrorMessage=True,
                        errorTitle=_("Ukjent sektor"), error=_("Velg sektoren din fra listen."))
    sv.add(SECTOR_CELL)
    ws.add_data_validation(sv)


def _form_sheet(wb, rnd: Round, code: str | None, st) -> None:
    ws = wb.create_sheet(form_sheet_title(), 1)
    _form_header(ws, rnd, code, st)
    rows = layout(rnd.bank)
    _form_rows(ws, rnd.bank, rows, st)
    _form_validations(ws, rnd.bank, rows)
    first, last = rows[0].row, rows[-1].row
    ws.freeze_panes = f"A{first}"
    ws.print_area = f"A1:E{last}"
    page_setup(ws, landscape=True, title_rows=f"{HEADER_ROW}:{HEADER_ROW}",
          footer=_("{municipality} · runde {round} · {code}").format(
              municipality=rnd.workspace.name, round=rnd.id, code=code or _("deltakerkode: . . . . . . . . . .")))
    protect_sheet(ws)


def _answer_runs(rows: list[Row], wanted=None) -> list[tuple[int, int]]:
    """Contiguous row ranges of answered rows (``wanted`` picks which)."""
    runs: list[tuple[int, int]] = []
    for row in rows:
        if not row.answered or (wanted is not None and not wanted(row)):
            continue
        if runs and runs[-1][1] == row.row - 1:
            runs[-1] = (runs[-1][0], row.row)
        else:
            runs.append((row.row, row.row))
    return runs


def build_form(rnd: Round, code: str | None):
    """The workbook for one participant (``code``) or a blank form (``None``)."""
    from openpyxl import Workbook
    from openpyxl.workbook.protection import WorkbookProtection

    wb = Workbook()
    wb.remove(wb.active)
    st = form_styles()
    _guide_sheet(wb, rnd, code, st)
    _form_sheet(wb, rnd, code, st)
    _lists_sheet(wb, rnd)
    _meta_sheet(wb, metadata(rnd.bank, rnd, code))
    wb.active = 0
    wb.security = WorkbookProtection(lockStructure=True)
    wb.properties.creator = "samordna"
    wb.properties.title = _("Svarskjema {municipality} runde {round}").format(
        municipality=rnd.workspace.name, round=rnd.id)
    return wb


def form_filename(rnd: Round, code: str | None) -> str:
    return f"svarskjema-{rnd.workspace.slug}-{rnd.id}-{code or 'blankt'}.xlsx"


def write_form(rnd: Round, code: str | None, out_dir: Path) -> Path:
    return save_workbook_atomically(build_form(rnd, code), Path(out_dir) / form_filename(rnd, code))


# A kit's personal forms differ only in the participant code: the same styled workbook is built and
# serialised once with a placeholder code, and each form is that file with the placeholder replaced.
PLACEHOLDER = "SAMORDNAKODEPLASSHOLDER"
_PRESSABLE = re.compile(r"[A-Za-z0-9]{1,16}")
_SHARED_STRING = re.compile(rb"<t(?: [^>]*)?>([^<]*)</t>")


class FormPress:
    """Personal forms for many codes of one round, each the bytes ``build_form`` would give for that code.

    Where the code occurs (the «Svar» code cell and footer, the guide's «Deltakerkode» line, the hidden
    sheet) the placeholder is replaced in the saved XML; nothing else depends on the code. A code that
    is not plain letters and digits, or that equals another text in the form (Excel would store the two
    as one shared string), is built on its own with ``build_form``."""

    def __init__(self, rnd: Round) -> None:
        import io
        import zipfile

        self.rnd = rnd
        self.language = language()  # every form of the press is in the language it was made in
        buf = io.BytesIO()
        build_form(rnd, PLACEHOLDER).save(buf)
        with zipfile.ZipFile(buf) as z:
            self.members = [(info, z.read(info)) for info in z.infolist()]
        self._placeholder = PLACEHOLDER.encode("ascii")
        others: set[bytes] = set()
        for info, data in self.members:
            if info.filename == "xl/sharedStrings.xml":
                others = {m.group(1) for m in _SHARED_STRING.finditer(data)}
        self.texts = others  # every shared string; a code equal to one of them is built on its own

    def pressable(self, code: str) -> bool:
        if _PRESSABLE.fullmatch(code) is None or code == PLACEHOLDER:
            return False
        with use_language(self.language):
            label = _("Deltakerkode: {code}").format(code=code)
        return not {code.encode("ascii"), label.encode("utf-8")} & self.texts

    def form_bytes(self, code: str) -> bytes:
        """The xlsx file of ``code``'s form."""
        import io
        import zipfile

        if not self.pressable(code):
            buf = io.BytesIO()
            with use_language(self.language):
                build_form(self.rnd, code).save(buf)
            return buf.getvalue()
        new = code.encode("ascii")
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as z:
            for info, data in self.members:  # the quickest compression: a form is some 40 kB either way
                z.writestr(info, data.replace(self._placeholder, new) if self._placeholder in data else data,
                           compresslevel=1)
        return buf.getvalue()

    def write(self, code: str, out_dir: Path) -> Path:
        path = Path(out_dir) / form_filename(self.rnd, code)
        atomic_write_bytes(path, self.form_bytes(code))
        return path


def write_forms(rnd: Round, codes: list[str], out_dir: Path, press: FormPress | None = None) -> list[Path]:
    """A personal form for each of ``codes`` (see ``FormPress``), each written atomically. The files are
    written (and flushed to disk) by a few threads while the next forms are made."""
    if not codes:
        return []
    from concurrent.futures import ThreadPoolExecutor

    press = press or FormPress(rnd)
    paths = [Path(out_dir) / form_filename(rnd, code) for code in codes]
    with ThreadPoolExecutor(max_workers=4) as writers:
        pending = [writers.submit(atomic_write_bytes, path, press.form_bytes(code))
                   for code, path in zip(codes, paths, strict=True)]
        for done in pending:
            done.result()  # the first failure (a full disk, a locked file) is raised, with its file
    return paths


def fill_form(path: Path, sector_name: str, answers: dict[str, Answer], code: str | None = None) -> Path:
    """Fill a form programmatically (the demo, tests): sector, answers as dropdown labels, comments."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    ws = wb[next(name for name in wb.sheetnames if name in form_sheet_names())]  # in the form's language
    lists = wb[SHEET_LISTS]
    labels = [c.value for c in lists["A"][1:] if c.value]  # 0..4, vet ikke, ikke relevant
    legal = ([c.value for c in lists["D"][1:] if c.value]  # ja, nei, vet ikke
             if lists["D1"].value in {in_language(code, LEGAL_LIST_TITLE) for code in LANGUAGES} else [])
    by_value: dict[int | str, str] = {lv: labels[lv] for lv in range(5)}
    by_value.update({DONT_KNOW: labels[5], NOT_APPLICABLE: labels[6]})
    if legal:
        by_value.update({YES: legal[0], NO: legal[1]})
    if code is not None:
        set_text(ws[CODE_CELL], code)
    set_text(ws[SECTOR_CELL], sector_name)
    rows = {ws[f"A{r}"].value: r for r in range(HEADER_ROW + 1, ws.max_row + 1)}
    for ind_id, answer in answers.items():
        r = rows[ind_id]
        ws[f"{COL_ANSWER}{r}"] = by_value[answer.level]
        set_text(ws[f"{COL_COMMENT}{r}"], answer.comment)
    return save_workbook_atomically(wb, path)
