"""Norwegian chrome for typer's help and usage errors.

Typer (and the Click it vendors since 0.26) prints a few fixed English strings.
We replace them here, in one place; the words are in ``samordna.i18n``. This
touches typer's internals, so pyproject.toml pins typer to the versions CI tests
(the lowest allowed and the newest); a test checks that the help is Norwegian.
"""

from __future__ import annotations

from typing import Any

from samordna.i18n import _, help_option_text, panel_texts, translate_error


def install() -> None:
    try:
        from typer import rich_utils
        from typer._click import decorators, formatting
    except Exception:  # pragma: no cover - typer internals moved; stay in English
        return
    for name, text in panel_texts().items():
        if hasattr(rich_utils, name):
            setattr(rich_utils, name, text)
    _hide_python_type_names()
    _plain_mode_words()
    if hasattr(rich_utils, "OptionHighlighter"):
        rich_utils.OptionHighlighter.highlights = [
            h.replace("Usage: ", _("Bruk: ")) for h in rich_utils.OptionHighlighter.highlights
        ]

    original_help_option = decorators.help_option
    if not getattr(original_help_option, "_samordna", False):
        def help_option(param_decls):
            decorate = original_help_option(param_decls)

            def apply(cmd):
                result = decorate(cmd)
                cmd.params[-1].help = help_option_text()
                return result
            return apply
        help_option.__dict__["_samordna"] = True
        decorators.help_option = help_option

    original_write_usage = formatting.HelpFormatter.write_usage
    if not getattr(original_write_usage, "_samordna", False):
        def write_usage(self, prog, args="", prefix=None):
            return original_write_usage(self, prog, args, _("Bruk: ") if prefix is None else prefix)
        write_usage.__dict__["_samordna"] = True
        formatter: Any = formatting.HelpFormatter  # patching a method: no type to keep
        formatter.write_usage = write_usage

    original_format_error = rich_utils.rich_format_error
    if not getattr(original_format_error, "_samordna", False):
        def rich_format_error(self):
            if hasattr(self, "message") and isinstance(self.message, str):
                self.message = translate_error(self.message)
            original = self.format_message
            self.format_message = lambda: translate_error(original())
            return original_format_error(self)
        rich_format_error.__dict__["_samordna"] = True
        rich_utils.rich_format_error = rich_format_error


def _hide_python_type_names() -> None:
    """Typer's help has a column with the parameter's Python type («<bool>», «<path>», «<list[Path]>»).
    Those words mean nothing to our users, and every value-taking parameter has a Norwegian metavar,
    so the column shows only a metavar. Does nothing if typer changes this method."""
    from typer import core

    for cls in (getattr(core, "TyperArgument", None), getattr(core, "TyperOption", None)):
        original = getattr(cls, "display_type_rich", None)
        if cls is None or original is None or getattr(original, "_samordna", False):
            continue

        def display_type_rich(self: Any, ctx: Any, _original: Any = original) -> str | None:
            shown = _original(self, ctx)
            return None if isinstance(shown, str) and shown.startswith("<") else shown

        display_type_rich._samordna = True  # type: ignore[attr-defined]
        cls.display_type_rich = display_type_rich


PLAIN_HEADINGS = {"Options": "Valg", "Commands": "Kommandoer", "Arguments": "Argumenter"}  # translated where used


def _plain_words(text: str) -> str:
    """A usage error as the plain (non-rich) formatter prints it, in Norwegian."""
    import re

    text = re.sub(r"Try '([^']+)' for help\.", lambda m: _("Se '{command}' for hjelp.").format(command=m.group(1)), text)
    if text.startswith("Error: "):
        text = _("Feil: ") + translate_error(text[len("Error: "):])
    return text


def _plain_mode_words() -> None:
    """Without rich (TYPER_USE_RICH=0, or rich not installed) typer falls back to Click's plain formatter,
    which has its own English headings («Options:») and error lines («Error: …», «Try … for help.»)."""
    try:
        from typer._click import exceptions, formatting
    except Exception:  # pragma: no cover - typer internals moved; stay in English
        return
    original_heading = formatting.HelpFormatter.write_heading
    if not getattr(original_heading, "_samordna", False):
        def write_heading(self, heading):
            return original_heading(self, _(PLAIN_HEADINGS[heading]) if heading in PLAIN_HEADINGS else heading)
        write_heading.__dict__["_samordna"] = True
        formatter: Any = formatting.HelpFormatter
        formatter.write_heading = write_heading
    original_echo = getattr(exceptions, "echo", None)
    if original_echo is not None and not getattr(original_echo, "_samordna", False):
        def echo(message=None, *args, **kwargs):
            if isinstance(message, str):
                message = _plain_words(message)
            return original_echo(message, *args, **kwargs)
        echo.__dict__["_samordna"] = True
        module: Any = exceptions
        module.echo = echo
