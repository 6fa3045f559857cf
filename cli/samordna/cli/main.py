"""``main()``: the one place where what happened becomes an exit code.

0 done · 1 a bug in samordna · 2 bad input or usage · 130 interrupted (Ctrl-C).

Typer handles its own usage errors (exit 2, printed in Norwegian by ``cli.norsk``);
everything a command raises reaches this function.
"""

from __future__ import annotations

import errno
import os
import re
import sys
import traceback
from collections.abc import Sequence

from samordna.core.errors import SamordnaError
from samordna.i18n import N_, _

INTERRUPTED = N_("\nAvbrutt. Det som allerede var lagret, er tatt vare på.")
BUG = N_("Uventet feil i samordna. Dette er en programfeil, ikke noe du har gjort galt.\n"
       "  {name}: {exc}\n"
       "Ingenting som allerede var lagret, er tapt. Kjør igjen med SAMORDNA_DEBUG=1 for detaljer, "
       "og meld gjerne fra om feilen.")


_KEPT = N_("Det som allerede var lagret, er uendret.")
_TEMP_NAME = re.compile(r"^\.(?P<name>.+)\.[A-Za-z0-9_]{8}\.tmp$")  # io.atomic's «.NAME.xxxxxxxx.tmp»


def _shown(name: object) -> str | None:
    """A file name from an OSError as the person knows it (an atomic write's temp file as its target)."""
    if name is None or isinstance(name, int):
        return None
    text = os.fsdecode(name) if isinstance(name, bytes) else str(name)
    head, tail = os.path.split(text)
    m = _TEMP_NAME.match(tail)
    return os.path.join(head, m.group("name")) if m else text


def _longest_part(name: str) -> int:
    return max((len(os.fsencode(part)) for part in re.split(r"[\\/]", name)), default=0)


def os_error_message(exc: OSError) -> str | None:
    """A Norwegian sentence for an OSError a person can act on (disk full, read-only, no access, name too
    long, a folder where a file belongs …), naming the file; None for one that means a bug in samordna."""
    code = exc.errno
    file = _shown(exc.filename)
    other = _shown(exc.filename2)
    kept = _(_KEPT)
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EFBIG):
        return (_("Disken er full: kunne ikke lagre {file}. Frigjør plass og prøv igjen.").format(file=file) if file
                else _("Disken er full: kunne ikke lagre. Frigjør plass og prøv igjen.")) + " " + kept
    if code == errno.EROFS:
        return (_("Kan ikke skrive {file}: disken eller mappen er skrivebeskyttet. Bruk en mappe du kan skrive i, "
                  "eller be om skrivetilgang.").format(file=file) if file else
                _("Kan ikke skrive: disken eller mappen er skrivebeskyttet. Bruk en mappe du kan skrive i, "
                  "eller be om skrivetilgang.")) + " " + kept
    if code in (errno.EACCES, errno.EPERM) or isinstance(exc, PermissionError):
        return (_("Ingen tilgang til {file}: du mangler rettigheter til å lese eller skrive der. Be om tilgang, "
                  "eller bruk en annen mappe.").format(file=file) if file else
                _("Ingen tilgang til: du mangler rettigheter til å lese eller skrive der. Be om tilgang, "
                  "eller bruk en annen mappe.")) + " " + kept
    if code == errno.ENAMETOOLONG:
        if file:
            return _("Filnavnet er for langt: {file} (en del av navnet er {size} byte; grensen er vanligvis 255). "
                     "Velg et kortere navn eller en kortere mappe (har kommandoen --out, kan du velge filen der)."
                     ).format(file=file, size=_longest_part(file)) + " " + kept
        return _("Filnavnet er for langt. Velg et kortere navn eller en kortere mappe "
                 "(har kommandoen --out, kan du velge filen der).") + " " + kept
    if code == errno.EISDIR or isinstance(exc, IsADirectoryError):
        return _("{file} er en mappe, ikke en fil.").format(file=file) if file else \
            _("Fant en mappe der det skulle være en fil.")
    if code == errno.ENOTDIR or isinstance(exc, NotADirectoryError):
        return (_("Fant ikke {file}: en del av stien er en fil, ikke en mappe.").format(file=file) if file
                else _("En del av en sti er en fil, ikke en mappe."))
    if code == errno.ENOENT or isinstance(exc, FileNotFoundError):
        return _("Fant ikke {file}.").format(file=file) if file else _("Fant ikke filen.")
    if code in (errno.EEXIST, errno.ENOTEMPTY) or isinstance(exc, FileExistsError):
        target = other or file
        return (_("{file} finnes allerede. Ingenting er overskrevet.").format(file=target) if target
                else _("Filen finnes allerede."))
    if code in (errno.EBUSY, errno.ETXTBSY):
        return (_("Filen {file} er i bruk av et annet program. Lukk den og prøv igjen.").format(file=file) if file
                else _("Filen er i bruk av et annet program. Lukk den og prøv igjen.")) + " " + kept
    if code == errno.ELOOP:
        return (_("Kan ikke åpne {file}: symbolske lenker som peker på hverandre i en ring.").format(file=file) if file
                else _("Kan ikke åpne: symbolske lenker som peker på hverandre i en ring."))
    if code == errno.EIO:
        return (_("Lese- eller skrivefeil på disken ved {file}. Sjekk disken (eller minnepinnen) og prøv igjen.")
                .format(file=file) if file else
                _("Lese- eller skrivefeil på disken ved en fil. Sjekk disken (eller minnepinnen) og prøv igjen."))
    return None


def _say(text: str) -> None:
    """Print to stderr, cleaned as every message is: file names and exception texts quote what people typed
    (identity numbers masked, bidi overrides and other invisible characters removed)."""
    from samordna.core.privacy import mask_ids, strip_invisible

    print(mask_ids(strip_invisible(text)), file=sys.stderr, flush=True)


def _from_ctrl_c(exc: BaseException) -> bool:
    """True when a KeyboardInterrupt lies behind ``exc`` (typer turns Ctrl-C into exit code 130)."""
    seen: BaseException | None = exc
    for _step in range(5):
        if seen is None:
            return False
        if isinstance(seen, KeyboardInterrupt):
            return True
        seen = seen.__cause__ or (None if seen.__suppress_context__ else seen.__context__)
    return False


def main(argv: Sequence[str] | None = None) -> int:
    """Run samordna with ``argv`` (default: the command line) and return the exit code."""
    args = list(sys.argv[1:] if argv is None else argv)
    from samordna.i18n import env_language, start

    start(args)  # --lang or SAMORDNA_LANG, before the commands' help texts are made
    unknown = os.environ.get("SAMORDNA_LANG", "").strip()
    if unknown and env_language() is None:
        _say(_("Merk: SAMORDNA_LANG={value} er ikke et språk samordna har (nb, nn eller en); bruker bokmål.")
             .format(value=unknown))
    try:
        from samordna.cli.app import help_only, in_language  # inside the try: a broken install is a bug (exit 1)
        from samordna.cli.common import forget_notices

        forget_notices()
        app = in_language()
        runs = help_only(app) if args in ([], ["--help"], ["-h"]) else app  # the root page: no command's options needed
        runs(args=args, prog_name="samordna", standalone_mode=True)
    except SystemExit as exc:  # typer ends every run this way, usage errors included
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        if code == 130 and _from_ctrl_c(exc):
            _say(_(INTERRUPTED))  # a command that handled Ctrl-C itself has already said what was kept
        return code
    except SamordnaError as exc:
        _say(_("Feil: {message}").format(message=exc.render()))
        return exc.exit_code
    except KeyboardInterrupt:
        _say(_(INTERRUPTED))
        return 130
    except OSError as exc:  # disk full, read-only, no access, a name too long …: the person can act on these
        message = os_error_message(exc)
        if message is None:
            return _bug(exc)
        _say(_("Feil: {message}").format(message=message))
        return 2
    except Exception as exc:
        return _bug(exc)
    return 0


def _bug(exc: Exception) -> int:
    """A bug in samordna: exit 1 with a short note. Called inside ``except``, so ``raise`` re-raises ``exc``."""
    if os.environ.get("SAMORDNA_DEBUG"):
        raise  # called while ``exc`` is being handled: re-raises it
    _say(_(BUG).format(name=type(exc).__name__, exc=exc))
    if os.environ.get("SAMORDNA_TRACEBACK"):
        traceback.print_exc()
    return 1


def run() -> None:
    """The console script: exit with ``main()``'s code."""
    sys.exit(main())
