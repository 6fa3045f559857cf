"""The words samordna shows that are not in a module's own messages: typer's chrome and pydantic's errors.

Only the standard library sits under this module, so every layer may use it
(the layer contract in pyproject.toml checks that). The language issue will
turn these tables into gettext catalogs.
"""

from __future__ import annotations

import re

HELP_OPTION_TEXT = "Vis denne hjelpeteksten og avslutt."


def plural(n: int, one: str, many: str) -> str:
    """«1 deltaker», «2 deltakere», «0 deltakere»: the count and the word in the right number.

    Bokmål uses the singular for exactly one (also «-1»), the plural for everything else, zero included."""
    return f"{n} {one if abs(n) == 1 else many}"


PANEL_TEXTS = {
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
    """A click/typer usage error in Norwegian (phrases it does not know are left as they are)."""
    for pattern, repl in _ERRORS:
        text = re.sub(pattern, repl, text)
    return text


# --- pydantic errors in Norwegian (used by core.problems) ---------------------------

PYDANTIC_MESSAGES = {
    "missing": "mangler",
    "extra_forbidden": "ukjent nøkkel (skrivefeil?)",
    "int_parsing": "må være et heltall",
    "int_type": "må være et heltall",
    "int_from_float": "må være et heltall",
    "float_parsing": "må være et tall",
    "float_type": "må være et tall",
    "bool_parsing": "må være true eller false",
    "bool_type": "må være true eller false",
    "string_type": "må være tekst",
    "string_too_short": "kan ikke være tom",
    "string_too_long": "er for lang",
    "list_type": "må være en liste",
    "dict_type": "må være en oppslagstabell (nøkkel: verdi)",
    "model_type": "må være en oppslagstabell (nøkkel: verdi)",
    "model_attributes_type": "må være en oppslagstabell (nøkkel: verdi)",
    "too_short": "har for få elementer",
    "too_long": "har for mange elementer",
    "date_parsing": "må være en dato (ÅÅÅÅ-MM-DD)",
    "date_from_datetime_parsing": "må være en dato (ÅÅÅÅ-MM-DD)",
    "date_type": "må være en dato (ÅÅÅÅ-MM-DD)",
    "datetime_parsing": "må være et tidspunkt (ÅÅÅÅ-MM-DDTtt:mm)",
    "datetime_type": "må være et tidspunkt (ÅÅÅÅ-MM-DDTtt:mm)",
    "url_parsing": "må være en nettadresse",
}
