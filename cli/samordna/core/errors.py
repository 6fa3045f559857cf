"""Errors the user can act on. The CLI prints the message and exits with code 2."""

from __future__ import annotations

from pathlib import Path

from samordna.i18n import _


class SamordnaError(Exception):
    """Bad input or usage: a clear Norwegian message naming the file and the place."""

    exit_code = 2

    def __init__(self, message: str, *, path: Path | str | None = None, problems: list[str] | None = None):
        self.message = message
        self.path = Path(path) if path is not None else None
        self.problems = list(problems or [])
        super().__init__(self.render())

    def render(self) -> str:
        """The message and its problems, as printed. Messages quote what people typed, so bidi overrides and
        other invisible characters are removed and identity numbers masked."""
        from samordna.core.privacy import mask_ids, strip_invisible

        text = self.message
        if self.problems:
            shown = self.problems[:25]
            text += "\n" + "\n".join(f"  - {p}" for p in shown)
            if len(self.problems) > len(shown):
                text += "\n  " + _("… og {n} til.").format(n=len(self.problems) - len(shown))
        return mask_ids(strip_invisible(text))


class FileLockedError(SamordnaError):
    """A file another program holds open (e.g. a workbook open in Excel)."""
