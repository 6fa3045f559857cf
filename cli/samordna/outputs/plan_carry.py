"""Carrying what people added to an existing plan into the regenerated workbook: their columns, rows such as a
sum, sheets and names, with references moved to where their rows and columns now stand (``Carry``)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from samordna.core.privacy import screen_text
from samordna.i18n import _
from samordna.io.plan_extras import THREADS
from samordna.io.plan_reader import PlanFile
from samordna.plan.model import COLUMNS, PLAN_SHEET, PlanRow

# the tables samordna draws; a table people made with one of these names is renamed
GENERATED_TABLES = {"Handlingsplan", "ForrigePlan", "Omraader", "Indikatorer", "Oversikt", "Anbefalinger", "Plikter",
                    "UnderMaal", "Vurderinger", "Lover", "JuridiskMinimum"}


@dataclass
class Carry:
    """What people added to an existing plan, and where it goes in the new workbook."""

    source: PlanFile | None = None
    layout: list[str] = field(default_factory=lambda: [k for k, _, _ in COLUMNS])  # keys; "+<n>": added column n
    headers: dict[str, str] = field(default_factory=dict)  # "+<n>" -> its header
    extra_of: dict[str, str] = field(default_factory=dict)  # a new plan: "+<n>" -> its header in last year's plan
    widths: dict[str, tuple[float | None, bool]] = field(default_factory=dict)  # key -> (width, hidden) people set
    lines: list[PlanRow | int] = field(default_factory=list)  # the table's rows: actions and (old) loose rows
    trailing: dict[int, int] = field(default_factory=dict)  # loose rows below the table: old row -> new row
    row_map: dict[int, int] = field(default_factory=dict)  # «Handlingsplan»: old row -> new row
    col_map: dict[int, int] = field(default_factory=dict)  # «Handlingsplan»: old column -> new column
    formulas: dict[tuple[str, int, int], str] = field(default_factory=dict)  # (sheet, row, col) -> moved formula
    validations: list[tuple[Any, str]] = field(default_factory=list)  # (data validation, new ranges), added columns
    formats: list[tuple[str, list[Any]]] = field(default_factory=list)  # (new ranges, rules), added columns
    names: list[tuple[str | None, str, str]] = field(default_factory=list)  # (sheet or None, name, moved text)
    tables: dict[str, str] = field(default_factory=dict)  # a table people made -> its name in the new workbook
    notes: list[str] = field(default_factory=list)  # what was dropped or changed, for the output lines
    cols_restored: list[str] = field(default_factory=list)  # generated columns people had deleted (they come back)

    def col(self, key: str) -> int:
        return self.layout.index(key) + 1


def carry_over(src: PlanFile, rows: list[PlanRow], problems: list[str]) -> Carry:
    """What people added to ``src`` and where it goes in the new workbook; what cannot go is added to ``problems``."""
    from openpyxl.utils import get_column_letter

    sheet = src.workbook[src.plan_sheet]
    carry = Carry(source=src)
    carry.layout, carry.cols_restored = _layout(src)
    for key in carry.layout:
        old = int(key[1:]) if key.startswith("+") else src.cols.get(key)
        if old is not None:
            carry.col_map[old] = carry.col(key)
            carry.widths[key] = _width(sheet, old)
    carry.headers = _headers(src, carry)
    moves = _place_rows(src, rows, carry)
    _check_cells(src, carry, moves, problems)
    _user_rules(src, carry, moves)
    _merged_and_unkept(src, carry, problems)
    _names(src, carry, moves, problems)
    _simplified_and_tables(src, carry)
    if carry.cols_restored:
        header = {k: h for k, h, _w in COLUMNS}
        letters = ", ".join(f"«{_(header[k])}» ({get_column_letter(carry.col(k))})" for k in carry.cols_restored)
        carry.notes.append(_("Kolonnene samordna lager, manglet og er lagt inn igjen: {columns}.").format(columns=letters))
    return carry


def _place_rows(src: PlanFile, rows: list[PlanRow], carry: Carry) -> _Moves:
    """Actions in the merged order; loose rows (a sum, a note) after the action they followed, and rows
    below the table kept below it. Fills the row maps and returns how references move."""
    last_action = max(src.row_of.values(), default=1)
    after: dict[str | None, list[int]] = {}
    anchor: str | None = None
    trailing_old: list[int] = []
    ids_at = {r: aid for aid, r in src.row_of.items()}
    for r in sorted([*src.row_of.values(), *src.loose_rows]):
        if r in ids_at:
            anchor = ids_at[r]
        elif r > last_action:
            trailing_old.append(r)
        else:
            after.setdefault(anchor, []).append(r)
    carry.lines = list(after.get(None, []))
    for row in rows:
        carry.lines.append(row)
        carry.lines.extend(after.get(row.action.action_id, []))
    table_end = 1 + max(1, len(carry.lines))
    carry.trailing = {r: table_end + r - last_action for r in trailing_old}
    carry.row_map = {1: 1}
    new_rows: set[int] = set()
    for i, line in enumerate(carry.lines, start=2):
        old_row = line if isinstance(line, int) else src.row_of.get(line.action.action_id)
        if old_row is None:
            new_rows.add(i)
        else:
            carry.row_map[old_row] = i
    carry.row_map.update(carry.trailing)
    return _Moves(carry.row_map, new_rows, carry.col_map, src.plan_sheet)


def _merged_and_unkept(src: PlanFile, carry: Carry, problems: list[str]) -> None:
    for rng in src.workbook[src.plan_sheet].merged_cells.ranges:
        carry.notes.append(_("De sammenslåtte cellene {cells} i arket «{sheet}» er delt opp igjen (en tabell i Excel "
                             "kan ikke ha sammenslåtte celler); innholdet står i den første cellen.")
                           .format(cells=rng.coord, sheet=src.plan_sheet))
    for name, what in src.cannot_keep.items():
        problems.append(_("Arket «{sheet}» har {what}. samordna kan ikke flytte slikt over i en ny handlingsplan. "
                          "Flytt det til en egen fil eller slett det, og kjør samordna plan igjen. Ingenting er endret.")
                        .format(sheet=name, what=_and(what)))


def _simplified_and_tables(src: PlanFile, carry: Carry) -> None:
    for name, items in src.simplified.items():
        for thing, where in items:
            if name == src.plan_sheet and not _touches(where, set(carry.col_map) - set(src.cols.values())):
                continue  # on samordna's own columns: drawn anew
            if thing == _(THREADS):  # ``cannot_keep`` words it in the language of the moment
                carry.notes.append(_("Arket «{sheet}»: {what}.").format(sheet=name, what=thing))
            elif where:
                carry.notes.append(_("Arket «{sheet}»: {what} på {cells} (lagret i et format fra nyere Excel-versjoner) "
                                     "er ikke tatt med.").format(sheet=name, what=thing, cells=where))
            else:
                carry.notes.append(_("Arket «{sheet}»: {what} (lagret i et format fra nyere Excel-versjoner) er ikke "
                                     "tatt med.").format(sheet=name, what=thing))
    for title in src.user_sheets:
        for table in getattr(src.workbook[title], "tables", {}).values():
            if table.displayName in GENERATED_TABLES:
                carry.tables[table.displayName] = new = f"{table.displayName}_egen"
                carry.notes.append(_("Tabellen «{table}» i arket «{sheet}» heter nå «{new}», fordi samordna bruker "
                                     "navnet selv.").format(table=table.displayName, sheet=title, new=new))


def _touches(cells: str, cols: set[int]) -> bool:
    """Whether cell ranges written as «P2:P40 R2» touch any of these columns."""
    from openpyxl.utils import column_index_from_string

    for part in cells.split():
        letters = re.findall(r"([A-Z]{1,3})\$?\d*", part.replace("$", ""))
        idx = [column_index_from_string(x) for x in letters]
        if idx and any(min(idx) <= c <= max(idx) for c in cols):
            return True
    return False


def _and(items: list[str]) -> str:
    if len(items) == 1:
        return items[0]
    return _("{items} og {last}").format(items=", ".join(items[:-1]), last=items[-1])


def _layout(src: PlanFile) -> tuple[list[str], list[str]]:
    """The columns left to right as people left them; a generated column they deleted comes back in its place."""
    present = sorted([(c, k) for k, c in src.cols.items()] + [(c, f"+{c}") for c in src.user_cols])
    layout = [k for _, k in present]
    restored = []
    for i, (key, _h, _w) in enumerate(COLUMNS):
        if key not in layout:
            before = [k for k, _h2, _w2 in COLUMNS[:i] if k in layout]
            layout.insert(layout.index(before[-1]) + 1 if before else 0, key)
            restored.append(key)
    return layout, restored


def _width(sheet: Any, col: int) -> tuple[float | None, bool]:
    """The width and hidden state people left on a column (openpyxl groups columns into ranges)."""
    for dim in sheet.column_dimensions.values():
        lo, hi = dim.min or 0, dim.max or 0
        if lo <= col <= hi:
            return (dim.width or None), bool(dim.hidden)
    return None, False


def _headers(src: PlanFile, carry: Carry) -> dict[str, str]:
    """Each added column's header; a missing or repeated header gets one (a table needs unique headers)."""
    from openpyxl.utils import get_column_letter

    sheet = src.workbook[src.plan_sheet]
    used = {_(h).lower() for k, h, _w in COLUMNS if k in carry.layout}
    out = {}
    for key in carry.layout:
        if not key.startswith("+"):
            continue
        value = sheet.cell(row=1, column=int(key[1:])).value
        text = str(value).strip() if value is not None else ""
        letter = get_column_letter(carry.col(key))
        base = text or _("Kolonne {letter}").format(letter=letter)
        name = base
        n = 1
        while name.lower() in used:
            n += 1
            name = f"{base} ({n})"
        if not text:
            carry.notes.append(_("Kolonne {letter} i arket «{sheet}» hadde ingen overskrift; den heter nå «{name}».")
                               .format(letter=letter, sheet=src.plan_sheet, name=name))
        elif name != text:
            carry.notes.append(_("Kolonnen «{text}» ({letter}) i arket «{sheet}» heter nå «{name}», fordi en annen "
                                 "kolonne har samme overskrift.").format(text=text, letter=letter, sheet=src.plan_sheet,
                                                                        name=name))
        used.add(name.lower())
        out[key] = name
    return out


def _check_cells(src: PlanFile, carry: Carry, moves: _Moves, problems: list[str]) -> None:
    """Formulas in what is carried over, moved to their new rows (or a problem when that cannot be done), and
    personal data screened in every piece of text that goes along."""
    plan = src.plan_sheet
    sheet = src.workbook[plan]
    added = [int(k[1:]) for k in carry.layout if k.startswith("+")]
    loose = set(src.loose_rows)
    cells = [(plan, sheet.cell(row=r, column=c)) for r in carry.row_map if r > 1
             for c in (carry.col_map if r in loose else added)]
    cells += [(plan, sheet.cell(row=1, column=c)) for c in added]
    for title in src.user_sheets:
        ws = src.workbook[title]
        if hasattr(ws, "iter_rows"):
            cells += [(title, c) for row in ws.iter_rows() for c in row]
    for title, cell in cells:
        value = cell.value
        if cell.data_type == "f" and isinstance(value, str):
            moved = moves.formula(value, title)
            if moved is None:
                problems.append(_formula_problem(title, cell.coordinate, value, plan))
            elif moved != value or title == plan:
                carry.formulas[(title, cell.row, cell.column)] = moved
        elif hasattr(value, "text") and title == plan and moves.moved:  # an array formula in a moving row
            problems.append(_formula_problem(title, cell.coordinate, str(getattr(value, "text", "")), plan))
        elif value is not None and not isinstance(value, bool) and not screen_text(value).ok:  # numbers too
            problems.append(_("Arket «{sheet}», celle {cell}: teksten ser ut til å inneholde et fødselsnummer eller "
                              "D-nummer. Fjern det i Excel og prøv igjen.").format(sheet=title, cell=cell.coordinate))
        if cell.comment is not None and not screen_text(cell.comment.text).ok:
            problems.append(_("Arket «{sheet}», merknaden i celle {cell}: teksten ser ut til å inneholde et "
                              "fødselsnummer eller D-nummer. Fjern det i Excel og prøv igjen.")
                            .format(sheet=title, cell=cell.coordinate))


def _formula_problem(title: str, coord: str, formula: str, plan: str = PLAN_SHEET) -> str:
    # the table keeps its name «Handlingsplan» in every language (a name, not a word)
    return _("Arket «{sheet}», celle {cell}: formelen {formula} viser til rader i «{plan}» som flytter seg når planen "
             "lages på nytt, så den ville regnet med feil rader. Vis til kolonnen i tabellen i stedet, for eksempel "
             "=SUMMER({table}[Budsjett]), og kjør samordna plan igjen. Ingenting er endret.").format(
        sheet=title, cell=coord, formula=formula, plan=plan, table="Handlingsplan")


def _user_rules(src: PlanFile, carry: Carry, moves: _Moves) -> None:
    """Data validations and conditional formats people put on their own columns, moved with the rows;
    those that also cover samordna's columns are samordna's own (drawn anew) or, when mixed, dropped."""
    from openpyxl.worksheet.cell_range import CellRange

    sheet = src.workbook[src.plan_sheet]
    added = {int(k[1:]) for k in carry.layout if k.startswith("+")}

    def split(ranges: Any) -> tuple[list[CellRange], bool]:
        rngs = [CellRange(str(r)) for r in ranges]
        cols = {c for r in rngs for c in range(r.min_col, r.max_col + 1)}
        return rngs, bool(cols & added) and not cols - added

    for dv in sheet.data_validations.dataValidation:
        rngs, own = split(dv.sqref.ranges)
        if own:
            carry.validations.append((dv, moves.ranges(rngs)))
        elif any(c in added for r in rngs for c in range(r.min_col, r.max_col + 1)):
            carry.notes.append(_("Datavalideringen på {cells} i arket «{sheet}» gjaldt også samordnas kolonner og "
                                 "er ikke tatt med.").format(cells=dv.sqref, sheet=src.plan_sheet))
    for cf in sheet.conditional_formatting:
        rngs, own = split(cf.sqref.ranges)
        if not own:
            if any(c in added for r in rngs for c in range(r.min_col, r.max_col + 1)) and not _ours(cf):
                carry.notes.append(_("Den betingede formateringen på {cells} i arket «{sheet}» gjaldt også "
                                     "samordnas kolonner og er ikke tatt med.").format(cells=cf.sqref,
                                                                                       sheet=src.plan_sheet))
            continue
        new = moves.ranges(rngs)
        first = CellRange(new.split()[0]) if new else None
        corner = (moves.at(rngs[0].min_row), moves.col_map.get(rngs[0].min_col))
        if first is None or (any(rule.formula for rule in cf.rules) and (first.min_row, first.min_col) != corner):
            carry.notes.append(_("Den betingede formateringen på {cells} i arket «{sheet}» er ikke tatt med "
                                 "(radene den gjaldt, er flyttet).").format(cells=cf.sqref, sheet=src.plan_sheet))
            continue
        carry.formats.append((new, list(cf.rules)))


def _ours(cf: Any) -> bool:
    """samordna's own colour rules span its columns from column A (the whole row) or sit on one of them."""
    return str(cf.sqref).startswith("A2:")


def _names(src: PlanFile, carry: Carry, moves: _Moves, problems: list[str]) -> None:
    """Names people defined (other than samordna's hidden keys and Excel's own), moved with the rows."""
    from samordna.plan.model import COLUMN_NAME_PREFIX

    wb = src.workbook
    scoped = [(None, wb.defined_names)] + [(t, wb[t].defined_names) for t in [src.plan_sheet, *src.user_sheets]
                                          if hasattr(wb[t], "defined_names")]
    for title, names in scoped:
        for name, defined in names.items():
            if name.startswith((COLUMN_NAME_PREFIX, "_xlnm.")) or defined.attr_text is None:
                continue
            moved = moves.formula("=" + defined.attr_text, title or "")
            if moved is None:
                problems.append(_("Navnet «{name}» viser til {ref}, rader i «{sheet}» som flytter seg når planen lages "
                                  "på nytt. Vis til kolonnen i tabellen i stedet, eller slett navnet, og kjør samordna "
                                  "plan igjen. Ingenting er endret.").format(name=name, ref=defined.attr_text,
                                                                             sheet=src.plan_sheet))
            else:
                carry.names.append((title, name, moved[1:]))


# --- Moving references ---------------------------------------------------------------------

_SHEET_REF = re.compile(r"^(?:(?P<sheet>'(?:[^']|'')+'|[^'!\[\]]+)!)?(?P<ref>[^!]+)$")
_CELLS = re.compile(r"^(\$?)([A-Z]{1,3})(\$?)(\d+)(?::(\$?)([A-Z]{1,3})(\$?)(\d+))?$")
_COLS = re.compile(r"^(\$?)([A-Z]{1,3}):(\$?)([A-Z]{1,3})$")
_ROWS = re.compile(r"^(\$?)(\d+):(\$?)(\d+)$")


class _Moves:
    """Where rows and columns of «Handlingsplan» went, and formulas rewritten to follow them.

    A reference follows its rows when it can be done without changing what it means: a range that covered a
    set of rows covers the same rows in their new places (and rows new this time that land among them, as when
    rows are inserted in Excel), and nothing else. Otherwise the formula cannot be kept (``None``)."""

    def __init__(self, row_map: dict[int, int], new_rows: set[int], col_map: dict[int, int],
                 plan_sheet: str = PLAN_SHEET):
        self.row_map, self.new_rows, self.col_map = row_map, new_rows, col_map
        self.plan_sheet = plan_sheet  # the name of «Handlingsplan» in the old workbook (its language)
        self.content = set(row_map.values()) | new_rows
        self.old_last = max(row_map)
        self.new_last = max(self.content)
        self.cols_same = all(o == n for o, n in col_map.items())
        self.moved = bool(new_rows) or any(o != n for o, n in row_map.items()) or not self.cols_same

    def at(self, r: int) -> int:
        """Where row ``r`` went: a row with content follows it; an empty row below everything shifts as the
        plan grew or shrank; an empty row among the others stays."""
        if r in self.row_map:
            return self.row_map[r]
        return min(max(1, r + self.new_last - self.old_last), 1048576) if r > self.old_last else r

    def rows(self, r1: int, r2: int) -> tuple[int, int] | None:
        """Rows ``r1``..``r2`` moved as one block, if that block holds the same rows (plus rows new this time)."""
        mapped = {n for o, n in self.row_map.items() if r1 <= o <= r2}
        lo, hi = self.at(r1), self.at(r2)
        if mapped:
            lo, hi = min(lo, *mapped), max(hi, *mapped)
        allowed = mapped | self.new_rows
        if all(n in allowed for n in self.content if lo <= n <= hi):
            return lo, hi
        return None

    def col(self, c: int) -> int | None:
        if c in self.col_map:
            return self.col_map[c]
        return c if self.cols_same else None

    def ref(self, text: str) -> str | None:
        """One A1 reference into «Handlingsplan», moved (names and table references are left as they are)."""
        from openpyxl.utils import column_index_from_string as ci
        from openpyxl.utils import get_column_letter as cl

        if m := _CELLS.match(text):
            d1, c1, d2, r1, d3, c2, d4, r2 = m.groups()
            c2, r2, d3, d4 = c2 or c1, r2 or r1, d3 if c2 else d1, d4 if r2 else d2
            rows = self.rows(int(r1), int(r2))
            n1, n2 = self.col(ci(c1)), self.col(ci(c2))
            if rows is None or n1 is None or n2 is None or n2 - n1 != ci(c2) - ci(c1):
                return None
            first = f"{d1}{cl(n1)}{d2}{rows[0]}"
            return first if (m.group(6) is None and rows[0] == rows[1]) else f"{first}:{d3}{cl(n2)}{d4}{rows[1]}"
        if m := _COLS.match(text):
            n1, n2 = self.col(ci(m.group(2))), self.col(ci(m.group(4)))
            if n1 is None or n2 is None or n2 - n1 != ci(m.group(4)) - ci(m.group(2)):
                return None
            return f"{m.group(1)}{cl(n1)}:{m.group(3)}{cl(n2)}"
        if m := _ROWS.match(text):
            rows = self.rows(int(m.group(2)), int(m.group(4)))
            return None if rows is None else f"{m.group(1)}{rows[0]}:{m.group(3)}{rows[1]}"
        return text

    def formula(self, formula: str, here: str) -> str | None:
        """``formula`` (in sheet ``here``) with its references into «Handlingsplan» moved; None if one cannot be."""
        from openpyxl.formula.tokenizer import Token, Tokenizer

        try:
            items = Tokenizer(formula).items
        except Exception:
            return formula if not self.moved else None
        out = []
        for t in items:
            value = t.value
            if t.type == Token.OPERAND and t.subtype == Token.RANGE and (m := _SHEET_REF.match(value)):
                sheet = m.group("sheet")
                name = sheet.strip("'").replace("''", "'") if sheet else here
                if name == self.plan_sheet:
                    moved = self.ref(m.group("ref"))
                    if moved is None:
                        return None
                    value = f"{sheet}!{moved}" if sheet else moved
            out.append(value)
        return "=" + "".join(out)

    def ranges(self, rngs: list[Any]) -> str:
        """Cell ranges (of a validation or a colour rule on an added column) moved with their rows: as a block where
        that keeps its meaning, else cell by cell."""
        from openpyxl.utils import get_column_letter as cl

        out: list[str] = []
        for rng in rngs:
            block = self.rows(rng.min_row, rng.max_row)
            if block is not None:
                spans = [block]
            else:  # cell by cell: runs of consecutive new rows
                spans = []
                for r in sorted(n for o, n in self.row_map.items() if rng.min_row <= o <= rng.max_row and o > 1):
                    if spans and spans[-1][1] == r - 1:
                        spans[-1] = (spans[-1][0], r)
                    else:
                        spans.append((r, r))
            for c in range(rng.min_col, rng.max_col + 1):
                if (n := self.col_map.get(c)) is not None:
                    out += [f"{cl(n)}{a}:{cl(n)}{b}" for a, b in spans]
        return " ".join(out)
