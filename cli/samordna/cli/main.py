"""``main()``: the one place where what happened becomes an exit code.

0 done · 1 a bug in samordna · 2 bad input or usage · 130 interrupted (Ctrl-C).

Typer handles its own usage errors (exit 2, printed in Norwegian by ``cli.norsk``);
everything a command raises reaches this function.
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Sequence

from samordna.core.errors import SamordnaError

INTERRUPTED = ("\nAvbrutt. Det som allerede var lagret, er tatt vare på.")
BUG = ("Uventet feil i samordna. Dette er en programfeil, ikke noe du har gjort galt.\n"
       "  {name}: {exc}\n"
       "Ingenting som allerede var lagret, er tapt. Kjør igjen med SAMORDNA_DEBUG=1 for detaljer, "
       "og meld gjerne fra om feilen.")


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def _from_ctrl_c(exc: BaseException) -> bool:
    """True when a KeyboardInterrupt lies behind ``exc`` (typer turns Ctrl-C into exit code 130)."""
    seen: BaseException | None = exc
    for _ in range(5):
        if seen is None:
            return False
        if isinstance(seen, KeyboardInterrupt):
            return True
        seen = seen.__cause__ or (None if seen.__suppress_context__ else seen.__context__)
    return False


def main(argv: Sequence[str] | None = None) -> int:
    """Run samordna with ``argv`` (default: the command line) and return the exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        from samordna.cli.app import app  # inside the try: a broken install is a bug (exit 1), not a traceback

        app(args=args, prog_name="samordna", standalone_mode=True)
    except SystemExit as exc:  # typer ends every run this way, usage errors included
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        if code == 130 and _from_ctrl_c(exc):
            _say(INTERRUPTED)  # a command that handled Ctrl-C itself has already said what was kept
        return code
    except SamordnaError as exc:
        _say(f"Feil: {exc.render()}")
        return exc.exit_code
    except KeyboardInterrupt:
        _say(INTERRUPTED)
        return 130
    except Exception as exc:
        if os.environ.get("SAMORDNA_DEBUG"):
            raise
        _say(BUG.format(name=type(exc).__name__, exc=exc))
        if os.environ.get("SAMORDNA_TRACEBACK"):
            traceback.print_exc()
        return 1
    return 0


def run() -> None:
    """The console script: exit with ``main()``'s code."""
    sys.exit(main())
