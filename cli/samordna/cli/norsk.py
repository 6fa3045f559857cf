"""Norwegian chrome for typer's help and usage errors.

Typer (and its vendored Click) prints a few fixed English strings. We replace
them here, in one place, and fall back to English silently if typer changes its
internals (a test checks that the help is Norwegian).
"""

from __future__ import annotations

import re

HELP_OPTION_TEXT = "Vis denne hjelpeteksten og avslutt."

_PANEL_TEXTS = {
    "ARGUMENTS_PANEL_TITLE": "Argumenter",
    "OPTIONS_PANEL_TITLE": "Valg",
    "COMMANDS_PANEL_TITLE": "Kommandoer",
    "ERRORS_PANEL_TITLE": "Feil",
    "ABORTED_TEXT": "Avbrutt.",
    "DEFAULT_STRING": "[standard: {}]",
    "REQUIRED_LONG_STRING": "[påkrevd]",
    "RICH_HELP": "Se [blue]'{command_path} {help_option}'[/] for hjelp.",
}

_ERRORS = [
    (r"^Missing argument '([^']+)'\.?", r"Mangler argumentet \1."),
    (r"^Missing option '([^']+)'\.?", r"Mangler valget \1."),
    (r"^Missing parameter: (.+)", r"Mangler \1."),
    (r"^No such option: (\S+)", r"Ukjent valg: \1"),
    (r"^No such command '([^']+)'\.", r"Ukjent kommando «\1»."),
    (r"^Missing command\.", "Mangler kommando."),
    (r"^Got unexpected extra arguments? \((.+)\)", r"Uventet ekstra argument (\1)"),
    (r"^Invalid value for (.+?): ", r"Ugyldig verdi for \1: "),
    (r"'(.+)' is not a valid integer\.?", r"«\1» er ikke et heltall."),
    (r"'(.+)' is not one of (.+)\.", r"«\1» er ikke en av \2."),
    (r"(\w+) '(.+)' does not exist\.", r"«\2» finnes ikke."),
    (r"Option '([^']+)' requires an argument\.", r"Valget \1 trenger en verdi."),
    (r"Did you mean (.+)\?", r"Mente du \1?"),
]


def translate_error(text: str) -> str:
    for pattern, repl in _ERRORS:
        text = re.sub(pattern, repl, text)
    return text


def install() -> None:
    try:
        from typer import rich_utils
        from typer._click import decorators, formatting
    except Exception:  # pragma: no cover - typer internals moved; stay in English
        return
    for name, text in _PANEL_TEXTS.items():
        if hasattr(rich_utils, name):
            setattr(rich_utils, name, text)
    if hasattr(rich_utils, "OptionHighlighter"):
        rich_utils.OptionHighlighter.highlights = [
            h.replace("Usage: ", "Bruk: ") for h in rich_utils.OptionHighlighter.highlights
        ]

    original_help_option = decorators.help_option
    if not getattr(original_help_option, "_samordna", False):
        def help_option(param_decls):
            decorate = original_help_option(param_decls)

            def apply(cmd):
                result = decorate(cmd)
                cmd.params[-1].help = HELP_OPTION_TEXT
                return result
            return apply
        help_option._samordna = True
        decorators.help_option = help_option

    original_write_usage = formatting.HelpFormatter.write_usage
    if not getattr(original_write_usage, "_samordna", False):
        def write_usage(self, prog, args="", prefix=None):
            return original_write_usage(self, prog, args, "Bruk: " if prefix is None else prefix)
        write_usage._samordna = True
        formatting.HelpFormatter.write_usage = write_usage

    original_format_error = rich_utils.rich_format_error
    if not getattr(original_format_error, "_samordna", False):
        def rich_format_error(self):
            if hasattr(self, "message") and isinstance(self.message, str):
                self.message = translate_error(self.message)
            original = self.format_message
            self.format_message = lambda: translate_error(original())
            return original_format_error(self)
        rich_format_error._samordna = True
        rich_utils.rich_format_error = rich_format_error
