"""The action plan (handlingsplan): an Excel workbook the municipality keeps editing.

``write_plan`` builds the plan for a round (``outputs.plan_build``, merging with
``plan.merge``) and draws its sheets (``outputs.plan_sheets``); an existing file
is backed up first.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from samordna.i18n import _, use_language
from samordna.io.atomic import backup_file
from samordna.io.plan_reader import check_not_open, plan_language
from samordna.io.workspace import Round, Workspace
from samordna.outputs.excel import save_workbook_atomically
from samordna.outputs.plan_build import build_plan
from samordna.outputs.plan_sheets import render_workbook


def write_plan(ws: Workspace, rnd: Round, out: Path | None = None, *, today: date | None = None,
               say: Callable[[str], None] | None = None, tell: Callable[[str], None] | None = None) -> Path:
    """Write (or regenerate) the round's action plan; an existing file is backed up first (the last five kept).
    What people added that could not be kept as it was (merged cells, some colour rules) is told through ``say``;
    what the plan holds (priorities, carried over, «Under mål») through ``tell``.

    A new plan is written in the language of the moment; an existing one keeps the language it was made in
    (sheet names, headers, statuses and dropdown lists), and so do the lines told about it."""
    out = Path(out) if out else rnd.plan_path
    with ws.lock("samordna plan"):  # read the existing plan, merge, write: one writer at a time
        check_not_open(out)
        lang = plan_language(out) if out.exists() else None
        with use_language(lang):
            build = build_plan(ws, rnd, out, today)
            wb = render_workbook(build)
            if out.exists():
                backup_file(out)
            path = save_workbook_atomically(wb, out)
            notes, contents = list(build.carry.notes), build.contents()
    for note in notes:
        (say or (lambda _line: None))(_("Merk: {note}").format(note=note))
    for line in contents:
        (tell or (lambda _line: None))(line)
    return path
