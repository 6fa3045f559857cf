"""The root command. Each command lives in ``commands/<its name>.py`` and registers itself there.

``main()`` in ``cli.main`` turns what happens into exit codes; this module only
builds the typer app (imported lazily, so ``--help`` stays fast).
"""

from __future__ import annotations

import importlib
from typing import Annotated

import typer

from samordna import __version__
from samordna.cli import norsk
from samordna.i18n import _, language

# The order here is the order in ``samordna --help``; the module is the command's name
# (``import_`` because ``import`` is a Python keyword).
COMMAND_MODULES = [
    "init", "round", "validate", "assess", "kit", "import_", "speilet", "consensus", "prioritize", "live",
    "score", "plan", "report", "region", "demo", "metode",
]

norsk.install()

app = typer.Typer(
    name="samordna",
    help=_(
        "Samordna: kommunens selvevaluering av samordnede tjenester for utsatte barn og unge (0–24), "
        "målt mot Helsedirektoratets retningslinje «Tidlig oppdagelse av utsatte barn og unge» (IS-2826) "
        "og samarbeidspliktene fra 2022.\n\n"
        "Start med «samordna demo» for å se alt på en oppdiktet kommune."
    ),
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    options_metavar=_("[VALG]"),
    subcommand_metavar=_("KOMMANDO [ARGUMENTER]..."),
    epilog=_("Eksempler:\n\n  samordna demo\n\n  samordna init fjordvik --kommune Fjordvik --kommunenummer 4601\n\n"
            "  samordna report fjordvik --open\n\n"
            "Hjelp til én kommando: samordna KOMMANDO --help, for eksempel samordna assess --help.\n\n"
            "Språk: --lang nb|nn|en på en kommando, eller miljøvariabelen SAMORDNA_LANG for skjermen."),
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"samordna {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[bool, typer.Option("--version", help=_("Vis versjonen og avslutt."), callback=_version,
                                          is_eager=True)] = False,
) -> None:
    """Samordna: selvevaluering av samordnede tjenester for utsatte barn og unge (0–24)."""


for _name in COMMAND_MODULES:
    importlib.import_module(f"samordna.cli.commands.{_name}").register(app)

BUILT_IN = language()  # the help texts above were made in this language (typer reads them when a command is made)


def in_language() -> typer.Typer:
    """The app, with its help texts in the current language: rebuilt (the command modules imported anew) when
    it was made in another one. In the console script that never happens (the language is chosen before the
    app is imported); in one process running several commands (the tests) it does."""
    import sys

    if language() == BUILT_IN:
        return app
    from samordna.cli import common

    importlib.reload(common)
    for name in COMMAND_MODULES:
        importlib.reload(importlib.import_module(f"samordna.cli.commands.{name}"))
    module = importlib.reload(sys.modules[__name__])
    return module.app


def _no_parameters() -> None:
    """Stands in for a command in ``help_only``."""


def help_only(source: typer.Typer = app) -> typer.Typer:
    """``source`` with every command taking no parameters: ``samordna --help`` (and ``samordna`` alone) show
    the same page, made without working out the options of every command (the root page shows only each
    command's name and first line; typer reads every command's signature to build the full app, a third of
    the time ``--help`` takes). ``tests/test_cli_docs.py`` checks that the two pages are the same."""
    import copy
    import inspect

    out = copy.copy(source)  # every setting as it is; the lists of commands and groups made anew below
    out.registered_commands, out.registered_groups = [], []
    for command in source.registered_commands:
        stub = copy.copy(command)
        stub.help = command.help if command.help is not None else inspect.getdoc(command.callback)
        stub.callback = _no_parameters
        out.registered_commands.append(stub)
    for group in source.registered_groups:
        sub = copy.copy(group)
        sub.typer_instance = help_only(group.typer_instance) if group.typer_instance else group.typer_instance
        out.registered_groups.append(sub)
    return out
