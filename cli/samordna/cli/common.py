"""Small helpers and parameter types shared by the command modules."""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from samordna.i18n import N_, _

if TYPE_CHECKING:
    from rich.console import Console

    from samordna.io.workspace import Workspace

WorkspaceDir = Annotated[
    Path, typer.Argument(help=_("Mappen til kommunens arbeidsområde."), metavar=_("MAPPE"), show_default=False)
]
RoundOpt = Annotated[
    str | None,
    typer.Option("--round", "-r", help=_("Runden (for eksempel 2025). Standard: den nyeste."), metavar=_("RUNDE")),
]
NO_TERMINAL = N_("Denne kommandoen spør underveis og må kjøres i en terminal (ikke med omdirigert inn-/utdata).")


_noticed: set[Path] = set()  # workspaces whose stray round folders were mentioned in this run


def open_workspace(path: Path) -> Workspace:
    """Open a workspace (the core is imported here, not at start-up, to keep --help fast)."""
    from samordna.i18n import workspace_opened
    from samordna.io.workspace import Workspace

    ws = Workspace(path)
    workspace_opened(ws.language)  # the screen in the municipality's language form, unless chosen
    warn_stray_folders(ws)
    return ws


def documents(ws: Workspace) -> AbstractContextManager[str]:
    """Around the writing of a workspace's documents: they are in the municipality's language form (or the
    command's --lang), whatever language the screen is in (SAMORDNA_LANG)."""
    from samordna.i18n import document_language, use_language

    return use_language(document_language(ws.language))


def note_default_round(ws: Workspace, round_id: str | None) -> None:
    """On stderr: when no --round is given and the newest round has no answers but an older one has."""
    if round_id is None and (note := ws.default_round_note()):
        echo(_("Merk: {note}").format(note=note), err=True)


def warn_stray_folders(ws: Workspace) -> None:
    """Name, on stderr and once per run, the folders under runder/ that are skipped because they are not rounds
    (a copy such as «2026 - Kopi», «abc»). Hidden ones (a crash leftover «.2026.ny») are skipped silently."""
    from samordna.io.workspace import ROUNDS_DIR

    key = ws.root.resolve()
    if key in _noticed:
        return
    _noticed.add(key)
    for name, why in ws.stray_folders():
        echo(_("Merk: hopper over {folder}: {why}.").format(folder=f"{ROUNDS_DIR}/{name}", why=why), err=True)


def forget_notices() -> None:
    """A new run (main() is called again, as the tests do) mentions stray folders again."""
    _noticed.clear()


def echo(text: str = "", err: bool = False) -> None:
    typer.echo(text, err=err)


def console() -> Console:
    """A rich console that respects NO_COLOR and fits the terminal."""
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False)


def shell_arg(value: object) -> str:
    """A path or word as it must be typed in a next-step hint so that pasting the hint works:
    quoted when it has spaces or other characters the shell would split or expand (æøå need no quotes)."""
    import re
    import sys

    text = str(value)
    if text and re.fullmatch(r"[\w@%+=:,./\\-]+", text):
        return text
    if sys.platform == "win32":
        return '"' + text.replace('"', '""') + '"'
    import shlex

    return shlex.quote(text)


OpenOpt = Annotated[bool, typer.Option("--open", help=_("Åpne filen i standardprogrammet (nettleseren) når den er laget."))]


def language_value(value: str | None) -> str | None:
    """An option's language code as nb, nn or en (None stays None); anything else is a usage error."""
    if value is None:
        return None
    from samordna.i18n import UnknownLanguage, check_language

    try:
        return check_language(value)
    except UnknownLanguage as exc:
        raise typer.BadParameter(str(exc)) from None


def _choose_language(value: str | None) -> str | None:
    from samordna.i18n import choose

    code = language_value(value)
    return None if code is None else choose(code)


LangOpt = Annotated[
    str | None,
    typer.Option("--lang", help=_("Språket for skjermen og for dokumentene kommandoen lager: nb (bokmål), nn (nynorsk) "
                                  "eller en (English). Standard: arbeidsområdets målform."),
                 metavar="nb|nn|en", callback=_choose_language, show_default=False),
]


def _launch(path: Path) -> bool:
    """Ask the system to open ``path`` in its default program; False if there is no way to (never raises)."""
    import os
    import shutil
    import subprocess
    import sys

    try:
        if sys.platform == "win32":
            os.startfile(str(path))  # type: ignore[attr-defined]
            return True
        if sys.platform == "darwin":
            opener: str | None = "open"
        elif not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
            return False  # no desktop (a server, an SSH session): xdg-open would start a text browser or nothing
        else:
            opener = shutil.which("xdg-open")
        if opener:
            subprocess.Popen([opener, str(path)], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, start_new_session=True)
            return True
        import webbrowser

        return bool(webbrowser.open(path.resolve().as_uri()))
    except Exception:
        return False


def open_in_default_program(path: Path) -> str:
    """Open a file the command just made (``--open``); says what happened. Never fails the command:
    without a desktop (a server, an SSH session) it says where the file is instead."""
    path = Path(path)
    if _launch(path):
        return _("Åpner {file} i standardprogrammet.").format(file=path.name)
    return _("Fant ikke et program som kan åpne filen her (for eksempel på en server uten skjerm). "
             "Åpne den selv: {path}").format(path=path.resolve())
