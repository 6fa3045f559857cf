"""Answers from a file (``samordna assess --answers FILE``): YAML or CSV, validated before anything is written.

YAML (the same shape as a saved answer file, so one can be used as the other)::

    participant: D05          # optional; --participant wins only if they agree
    sector: barnehage         # optional; id or name from the sector list
    bank: {id: samordna-0-24, version: "1.0.0"}   # optional; must match the round
    answers:
      LED-01: 3
      LED-02: vet ikke
      LED-03: {level: 2, comment: "Gjelder bare skolene."}
      LM-01: ja               # the legal minimum (bank 2.0): ja, nei or vet ikke

CSV (comma, semicolon or tab; a header row)::

    id;svar;kommentar
    LED-01;3;
    LED-02;vet ikke;

Every problem names the file and the place (line and key, or row and column).
A comment with a fødselsnummer or D-number is refused (taushetsplikt).
"""

from __future__ import annotations

import csv
import difflib
import io
from dataclasses import dataclass, field
from pathlib import Path

from samordna.core.answers import NOT_APPLICABLE, normalize_answer
from samordna.core.bank import Bank
from samordna.core.codes import code_problem
from samordna.core.errors import SamordnaError
from samordna.core.models import Answer, ParticipantFile, SectorList
from samordna.core.privacy import screen_text
from samordna.i18n import N_, _, n_
from samordna.io.yamlio import YamlDoc, load_yaml, read_limited

BAD_LEVEL = N_("ugyldig svar {value}: bruk 0, 1, 2, 3, 4, «vet ikke» eller «ikke relevant»")
BAD_STATUTORY = N_("ugyldig svar {value}: bruk 0, 1, 2, 3, 4 eller «vet ikke»")
BAD_LEGAL = N_("ugyldig svar {value} på {id} i det juridiske minimumet: bruk «ja», «nei» eller «vet ikke»")
NOT_APPLICABLE_STATUTORY = N_("«ikke relevant» kan ikke brukes på {id}: det er en lovpålagt plikt{duty}, som gjelder "
                            "alle kommuner. Bruk 0, 1, 2, 3, 4 eller «vet ikke»")

_TOP_KEYS = {
    "participant": "participant", "deltaker": "participant", "deltakar": "participant",  # nynorsk too
    "sector": "sector", "sektor": "sector",
    "bank": "bank",
    "answers": "answers", "svar": "answers",
    "updated": None, "source": None, "oppdatert": None, "kilde": None,  # written by samordna; ignored
}
_ANSWER_KEYS = {"level": "level", "nivå": "level", "nivaa": "level", "svar": "level",
                "comment": "comment", "kommentar": "comment"}
_CSV_COLUMNS = {
    "id": "id", "indikator": "id", "indicator": "id", "påstand-id": "id",
    "svar": "level", "nivå": "level", "nivaa": "level", "level": "level",
    "kommentar": "comment", "comment": "comment",
}
# descriptive columns people keep when they export a list of statements; not read
_CSV_IGNORED = {"påstand", "statement", "kort", "short", "område", "domain", "omrade", "tittel", "title"}


@dataclass
class AnswerFileData:
    path: Path
    participant: str | None = None
    sector: str | None = None  # a sector id
    answers: dict[str, Answer] = field(default_factory=dict)  # in bank order
    warnings: list[str] = field(default_factory=list)


def read_answers_file(path: Path, bank: Bank, sectors: SectorList) -> AnswerFileData:
    """Parse and validate ``path`` against the round's bank; raise SamordnaError listing every problem."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".yaml", ".yml", ".csv"):
        raise SamordnaError(
            _("{path}: ukjent filtype «{suffix}». Bruk en YAML-fil (.yaml) eller en CSV-fil (.csv).").format(
                path=path, suffix=path.suffix or _("(ingen)")),
            path=path,
        )
    if suffix == ".csv":
        data, problems = _parse_csv(_read_csv(path), path, bank)
    else:
        data, problems = _parse_yaml(load_yaml(path), bank, sectors)
    if not problems and not data.answers:
        problems.append(_("{file}: filen inneholder ingen svar").format(file=path.name))
    if problems:
        raise SamordnaError(_("Svarfilen {path} har feil. Ingenting er lagret:").format(path=path), path=path, problems=problems)
    order = {item_id: i for i, item_id in enumerate(bank.item_ids)}
    data.answers = dict(sorted(data.answers.items(), key=lambda kv: order[kv[0]]))
    return data


def merge_answers(pf: ParticipantFile, data: AnswerFileData, bank: Bank, overwrite: bool = False) -> list[str]:
    """Put ``data``'s answers into ``pf``. Returns the ids that changed an earlier answer.

    Without ``overwrite`` an answer that differs from one already given is refused
    (nothing is changed), so a script never silently replaces what a person chose.
    """
    changed = [i for i, a in data.answers.items() if i in pf.answers and pf.answers[i] != a]
    if changed and not overwrite:
        lines = [f"{i}: {_label(pf.answers[i])} -> {_label(data.answers[i])}" for i in changed]
        raise SamordnaError(
            n_("Deltaker {code} har allerede svart annerledes på {n} påstand(er). "
               "Ingenting er endret. Bruk --overwrite for å erstatte svarene med dem i filen:",
               "Deltaker {code} har allerede svart annerledes på {n} påstand(er). "
               "Ingenting er endret. Bruk --overwrite for å erstatte svarene med dem i filen:",
               len(changed)).format(code=pf.participant, n=len(changed)),
            path=data.path, problems=lines,
        )
    merged = {**pf.answers, **data.answers}
    pf.answers = {i: merged[i] for i in bank.item_ids if i in merged}
    return changed


def _label(a: Answer) -> str:
    text = str(a.level).replace("_", " ")
    return _("{answer} (med kommentar)").format(answer=text) if a.comment else text


def _read_csv(path: Path) -> str:
    raw = read_limited(path)  # a regular file of sane size, or a SamordnaError naming it (never blocks on a FIFO)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:  # Excel on Windows saves «CSV (semikolondelt)» as Windows-1252
        return raw.decode("cp1252", errors="replace")


@dataclass
class _Places:
    id: str
    level: str
    comment: str


def _answer(ind_id: str, raw_level: object, raw_comment: object, at: _Places,
            bank: Bank, data: AnswerFileData, problems: list[str]) -> None:
    """Check one answer and its comment; a good one goes into ``data``, a bad one into ``problems``."""
    if ind_id not in bank.indicator_by_id and not bank.is_legal(ind_id):
        close = difflib.get_close_matches(ind_id.upper(), bank.item_ids, n=1)
        hint = (_("mente du {id}?").format(id=close[0]) if close else
                _("id-ene i banken {bank} ser ut som {example}").format(bank=bank.label, example=bank.indicators[0].id))
        problems.append(_("{place}: ukjent indikator «{id}» ({hint})").format(place=at.id, id=ind_id, hint=hint))
        return
    level = normalize_answer(raw_level)
    if level is None or not bank.allows(ind_id, level):
        shown = _("(tomt)") if raw_level in (None, "") else f"«{raw_level}»"
        problems.append(f"{at.level}: {_refusal(bank, ind_id, shown, level)}")
        return
    comment = None if raw_comment is None else (str(raw_comment).strip() or None)
    screening = screen_text(comment)
    problems.extend(f"{at.comment}: {msg}" for msg in screening.blocked)
    data.warnings.extend(f"{at.comment}: {msg}" for msg in screening.warnings)
    if screening.ok:
        data.answers[ind_id] = Answer(level=level, comment=comment)


def _refusal(bank: Bank, item_id: str, shown: str, level: int | str | None) -> str:
    """Why ``shown`` is not an answer to ``item_id`` (one rule: ``Bank.allows``)."""
    if bank.is_legal(item_id):
        return _(BAD_LEGAL).format(value=shown, id=item_id)
    ind = bank.indicator_by_id[item_id]
    if ind.is_statutory and level == NOT_APPLICABLE:
        laws = [bank.source_by_id[s].citation or bank.source_by_id[s].short
                for s in ind.statutory if s in bank.source_by_id]
        return _(NOT_APPLICABLE_STATUTORY).format(id=item_id, duty=f" ({'; '.join(laws)})" if laws else "")
    return _(BAD_STATUTORY if ind.is_statutory else BAD_LEVEL).format(value=shown)


# --- YAML -------------------------------------------------------------------------

_Top = dict[str, tuple[object, object]]  # canonical key -> (the key as written, its value)


def _parse_yaml(doc: YamlDoc, bank: Bank, sectors: SectorList) -> tuple[AnswerFileData, list[str]]:
    data = AnswerFileData(path=doc.path)
    if not isinstance(doc.data, dict):
        return data, [_("{file}: forventet nøklene participant, sector og answers (se samordna assess --help)")
                      .format(file=doc.path.name)]
    problems: list[str] = []
    top = _yaml_top(doc, doc.data, problems)
    _yaml_who(doc, top, sectors, data, problems)
    _yaml_bank(doc, top, bank, problems)
    if "answers" not in top:
        problems.append(_("{file}: mangler nøkkelen answers (svarene, for eksempel «LED-01: 3»)").format(file=doc.path.name))
        return data, problems
    key, answers = top["answers"]
    if not isinstance(answers, dict):
        problems.append(_("{place}: answers må være en oppslagstabell (indikator: svar)").format(place=doc.where((key,))))
        return data, problems
    for ind_id, value in answers.items():
        _yaml_answer(doc, (key, ind_id), value, bank, data, problems)
    return data, problems


def _yaml_top(doc: YamlDoc, mapping: dict, problems: list[str]) -> _Top:
    """The top-level keys we read, by canonical name; unknown keys are problems."""
    top: _Top = {}
    for key, value in mapping.items():
        canon = _TOP_KEYS.get(str(key).strip().lower(), "?")
        if canon == "?":
            problems.append(_("{place}: ukjent nøkkel «{key}» (tillatt: participant, sector, bank, answers)")
                            .format(place=doc.where((key,)), key=key))
        elif canon in top:  # «deltaker» and «participant» both: which one was meant?
            problems.append(_("{place}: «{key}» betyr det samme som «{other}» over; bruk bare én av dem")
                            .format(place=doc.where((key,)), key=key, other=top[canon][0]))
        elif canon:
            top[canon] = (key, value)
    return top


def _yaml_who(doc: YamlDoc, top: _Top, sectors: SectorList, data: AnswerFileData, problems: list[str]) -> None:
    """The participant code and the sector, when the file gives them."""
    if "participant" in top:
        key, value = top["participant"]
        code = str(value).strip() if value is not None else ""
        problem = code_problem(code)
        if problem:
            problems.append(f"{doc.where((key,))}: {problem}")
        else:
            data.participant = code
    if "sector" in top:
        key, text = top["sector"]
        sid = sectors.resolve(str(text)) if text is not None else None
        if sid is None:
            problems.append(_("{place}: ukjent sektor «{sector}» (bruk en av: {allowed})")
                            .format(place=doc.where((key,)), sector=text, allowed=", ".join(sectors.by_id)))
        data.sector = sid


def _yaml_bank(doc: YamlDoc, top: _Top, bank: Bank, problems: list[str]) -> None:
    """The bank the answers were made for, when the file says: it must be the round's."""
    if "bank" not in top:
        return
    key, b = top["bank"]
    if not isinstance(b, dict) or "id" not in b or "version" not in b:
        problems.append(_("{place}: bank må ha id og version, for eksempel {{id: {id}, version: \"{version}\"}}")
                        .format(place=doc.where((key,)), id=bank.id, version=bank.version))
    elif (str(b["id"]), str(b["version"])) != (bank.id, bank.version):
        problems.append(
            _("{place}: svarene er laget for banken {id} {version}, men runden bruker {bank}")
            .format(place=doc.where((key,)), id=b["id"], version=b["version"], bank=bank.label)
        )


def _yaml_answer(doc: YamlDoc, loc: tuple, value: object, bank: Bank, data: AnswerFileData, problems: list[str]) -> None:
    """One answer: a bare level, or a mapping with level and comment."""
    comment = None
    if isinstance(value, dict):
        fields: dict[str, object] = {}
        for k, v in value.items():
            canon = _ANSWER_KEYS.get(str(k).strip().lower())
            if canon is None:
                problems.append(_("{place}: ukjent nøkkel «{key}» (tillatt: level, comment)")
                                .format(place=doc.where(loc + (k,)), key=k))
            elif canon in fields:  # «level» and «nivå» both
                problems.append(_("{place}: «{key}» betyr det samme som «{other}» over; bruk bare én av dem")
                                .format(place=doc.where(loc + (k,)), key=k, other=_key_for(value, canon)))
            else:
                fields[canon] = v
        level, comment = fields.get("level"), fields.get("comment")
        at = _Places(doc.where(loc), doc.where(loc + (_key_for(value, "level"),)),
                     doc.where(loc + (_key_for(value, "comment"),)))
    else:
        level, at = value, _Places(doc.where(loc), doc.where(loc), doc.where(loc))
    _answer(str(loc[-1]), level, comment, at, bank, data, problems)


def _key_for(mapping: dict, canon: str) -> object:
    """The key the person actually wrote for ``canon`` (level/nivå/svar), for the message."""
    return next((k for k in mapping if _ANSWER_KEYS.get(str(k).strip().lower()) == canon), canon)


# --- CSV --------------------------------------------------------------------------


@dataclass
class _CsvColumns:
    file: str              # the file's name, for messages
    header: list[str]      # the header row, lower case
    index: dict[str, int]  # id, level, comment -> column

    def cell(self, row: list[str], name: str) -> str:
        col = self.index.get(name)
        return row[col].strip() if col is not None and col < len(row) else ""

    def place(self, line: int, name: str) -> str:
        col = self.index.get(name)
        if col is None:
            return _("{file}, rad {row}").format(file=self.file, row=line)
        return _("{file}, rad {row}, kolonne «{column}»").format(file=self.file, row=line, column=self.header[col])


def _csv_columns(row: list[str], line: int, path: Path, problems: list[str]) -> _CsvColumns:
    """The header row: which column holds id, level and comment; unknown columns are problems."""
    header = [c.strip().lower() for c in row]
    index: dict[str, int] = {}
    for col, name in enumerate(header):
        canon = _CSV_COLUMNS.get(name)
        if canon:
            index[canon] = col
        elif name not in _CSV_IGNORED:
            problems.append(_("{file}, rad {row}, kolonne {number}: ukjent kolonne «{column}» (bruk id, svar og kommentar)")
                            .format(file=path.name, row=line, number=col + 1, column=row[col].strip()))
    return _CsvColumns(path.name, header, index)


def _parse_csv(text: str, path: Path, bank: Bank) -> tuple[AnswerFileData, list[str]]:
    data = AnswerFileData(path=path)
    problems: list[str] = []
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(";,\t", key=first.count) if first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    columns: _CsvColumns | None = None
    seen: dict[str, int] = {}  # indicator id -> the row it was first on
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if columns is None:
                columns = _csv_columns(row, line, path, problems)
                if "id" not in columns.index or "level" not in columns.index:
                    problems.append(_("{file}, rad {row}: første rad må være overskrifter med minst kolonnene "
                                      "«id» og «svar» (og gjerne «kommentar»)").format(file=path.name, row=line))
                    return data, problems
                continue
            _csv_answer(columns, row, line, seen, bank, data, problems)
    except csv.Error as exc:
        problems.append(_("{file}, rad {row}: kan ikke lese CSV ({error})").format(file=path.name, row=reader.line_num,
                                                                                 error=exc))
    if columns is None:
        problems.append(_("{file}: filen er tom").format(file=path.name))
    return data, problems


def _csv_answer(columns: _CsvColumns, row: list[str], line: int, seen: dict[str, int],
                bank: Bank, data: AnswerFileData, problems: list[str]) -> None:
    ind_id, level, comment = columns.cell(row, "id"), columns.cell(row, "level"), columns.cell(row, "comment")
    if not level and not comment:
        return  # a statement left open
    if not ind_id:
        problems.append(_("{place}: mangler indikator-id").format(place=columns.place(line, "id")))
        return
    if ind_id in seen:
        problems.append(_("{file}, rad {row}: «{id}» står også på rad {other}").format(file=columns.file, row=line,
                                                                                     id=ind_id, other=seen[ind_id]))
        return
    seen[ind_id] = line
    places = _Places(columns.place(line, "id"), columns.place(line, "level"), columns.place(line, "comment"))
    _answer(ind_id, level, comment, places, bank, data, problems)
