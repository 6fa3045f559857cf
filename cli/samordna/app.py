"""The root command. Each command group lives in ``commands/<name>.py`` and registers itself."""

from __future__ import annotations

import importlib
import os
import traceback

import typer
from typer.core import TyperGroup

from . import __version__, _norsk
from .errors import SamordnaError

# The order here is the order in ``samordna --help``.
COMMAND_MODULES = [
    "init", "round", "validate", "assess", "kit", "consensus",
    "score", "plan", "report", "region", "demo",
]


class SamordnaGroup(TyperGroup):
    """Turns expected errors into one Norwegian message and exit code 2; bugs into exit code 1."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except SamordnaError as exc:
            typer.echo(f"Feil: {exc.render()}", err=True)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            typer.echo("\nAvbrutt. Det som allerede var lagret, er tatt vare på.", err=True)
            raise typer.Exit(130) from None
        except (typer.Exit, typer.Abort, EOFError):
            raise
        except Exception as exc:
            if type(exc).__module__.startswith("typer"):
                raise  # usage errors from typer itself
            if os.environ.get("SAMORDNA_DEBUG"):
                raise
            typer.echo(
                "Uventet feil i samordna. Dette er en programfeil, ikke noe du har gjort galt.\n"
                f"  {type(exc).__name__}: {exc}\n"
                "Ingenting som allerede var lagret, er tapt. Kjør igjen med SAMORDNA_DEBUG=1 for detaljer, "
                "og meld gjerne fra om feilen.",
                err=True,
            )
            if os.environ.get("SAMORDNA_TRACEBACK"):
                traceback.print_exc()
            raise typer.Exit(1) from None


_norsk.install()

app = typer.Typer(
    cls=SamordnaGroup,
    name="samordna",
    help=(
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
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"samordna {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: bool = typer.Option(False, "--version", help="Vis versjonen og avslutt.", callback=_version, is_eager=True),
) -> None:
    """Samordna: selvevaluering av samordnede tjenester for utsatte barn og unge (0–24)."""


for _name in COMMAND_MODULES:
    importlib.import_module(f"samordna.commands.{_name}").register(app)
