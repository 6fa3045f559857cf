"""samordna speilet: the young people's mirror in a round: its status, and typing in paper ballots (--papir)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from samordna.cli.common import LangOpt, RoundOpt, WorkspaceDir, echo, open_workspace, shell_arg
from samordna.i18n import N_, _, n_

HELP = N_("Speilet: hvordan ungdom og foreldre opplever de samme områdene som lederne vurderer. Viser hvor mange "
          "som har svart (grupper under grensen vises ikke), og med --papir taster du inn papirskjemaene.")
EPILOG = N_("Eksempel: samordna speilet kommunen --papir   (tast inn papirskjemaene fra ungdomsrådet, ett om gangen)")


def speilet(
    directory: WorkspaceDir,
    round_id: RoundOpt = None,
    paper: Annotated[bool, typer.Option(
        "--papir", help=_("Tast inn utfylte papirskjema, ett om gangen. Hvert skjema lagres med en gang."))] = False,
    lang: LangOpt = None,
) -> None:
    """The mirror's status in a round, or typing in its paper ballots."""
    ws = open_workspace(directory)
    rnd = ws.round(round_id)
    if paper:
        _paper(directory, ws, rnd)
    _status(directory, ws, rnd)


def _paper(directory: Path, ws, rnd) -> None:
    from samordna.flows.mirror_entry import PaperEntry
    from samordna.i18n import language
    from samordna.io.mirrorfile import MirrorStore, shipped_mirror_bank
    from samordna.ui import prompter

    entry: PaperEntry | None = None
    try:
        p = prompter.terminal_prompter(
            _("samordna speilet --papir spør i terminalen, men her er det ingen terminal å spørre i. "
              "Kjør kommandoen i et terminalvindu."))
        entry = PaperEntry(p, shipped_mirror_bank(language()), MirrorStore(rnd.dir, ws.lock), language())
        entry.run()
    except (KeyboardInterrupt, EOFError):
        n = len(entry.saved) if entry else 0
        echo("\n" + n_("Avbrutt. {n} ark er lagret; arket du holdt på med, er ikke lagret.",
                       "Avbrutt. {n} ark er lagret; arket du holdt på med, er ikke lagret.", n).format(n=n))
        raise typer.Exit(130) from None
    n = len(entry.saved)
    echo(n_("{n} papirskjema tastet inn i runde {round}.", "{n} papirskjema tastet inn i runde {round}.", n).format(
        n=n, round=rnd.id))


def _status(directory: Path, ws, rnd) -> None:
    from samordna.core.mirror import MIN_GROUP, ROLE_NAMES, ROLES, mirror_view
    from samordna.i18n import language
    from samordna.io.mirrorfile import MirrorStore, shipped_mirror_bank

    bank = shipped_mirror_bank(language())
    store = MirrorStore(rnd.dir)
    folder = shell_arg(directory)
    statements = n_("{n} påstand", "{n} påstander", len(bank.statements)).format(n=len(bank.statements))
    echo(_("Speilet i runde {round} for {name}: {title} ({bank} {version}, {statements}).").format(
        round=rnd.id, name=ws.name, title=bank.title, bank=bank.id, version=bank.version, statements=statements))
    if not store.paths():
        echo("  " + _("Ingen har svart ennå."))
        echo(_("Lag skjema og papirskjema med: {command}").format(command=f"samordna kit {folder} --speil"))
        return
    view = mirror_view(bank, store.responses(bank), {}, {}, ws.mirror_min_group)
    k = view.min_group
    for role in ROLES:
        n = view.groups[role]
        count = (n_("{n} svar", "{n} svar", n).format(n=n) if n is not None
                 else _("færre enn {k} svar (vises ikke)").format(k=k))
        echo("  " + _("{role}: {count}").format(role=_(ROLE_NAMES[role]), count=count))
    echo(_("Grupper med færre enn {k} svar vises ikke noe sted: ikke i rapporten, ikke i Excel, ikke i JSON, "
           "og heller ikke hvor mange de er. Aldersgruppene vises aldri hver for seg.").format(k=k))
    if k > MIN_GROUP:
        echo(_("Kommunen har satt grensen til {k} (mirror_min_group i kommune.yaml).").format(k=k))
    echo(_("Flere svar: {kit} (skjema og papir), {paper} (tast inn papir) eller {live} (på mobilen).").format(
        kit=f"samordna kit {folder} --speil", paper=f"samordna speilet {folder} --papir",
        live=f"samordna live {folder} --speil"))


def register(app: typer.Typer) -> None:
    app.command("speilet", help=_(HELP), epilog=_(EPILOG))(speilet)
