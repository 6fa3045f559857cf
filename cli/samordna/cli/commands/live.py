"""samordna live: the room answers from their phones, on a small web server on this laptop."""

from __future__ import annotations

from typing import Annotated

import typer

from samordna.cli.common import LangOpt, RoundOpt, WorkspaceDir, echo, note_default_round, open_workspace, shell_arg
from samordna.i18n import N_, _

DEFAULT_PORT = 8024  # samordna.room.net.DEFAULT_PORT (not imported here: --help stays fast)
MIRROR_PORT = 8026  # --speil: beside the leaders' room (which may take 8024 and 8025) on the same laptop

EPILOG = N_(
    "Eksempler:\n\n"
    "  samordna live min-kommune --sjekk     (før møtet: virker nettet i rommet?)\n\n"
    "  samordna live min-kommune             (start rommet; Ctrl-C avslutter)\n\n"
    "  samordna live min-kommune --speil     (speilet: ungdom og foreldre svarer, i et eget rom)"
)
HELP = N_("""Start rommet: deltakerne svarer på telefonen, du styrer fra denne maskinen.

Telefonene skanner QR-koden på storskjermen og velger sektor (uten navn). Du åpner og låser avstemningen påstand for påstand; svarene vises først når du viser dem, og lagres som vanlige svar i runden. Etter drøftingen kan rommet stemme på nytt (omstemming), og du fører inn konsensus.

Fasilitatorsiden og storskjermen finnes bare på denne maskinen (127.0.0.1). Rommet bruker vanlig HTTP på det lokale nettet: svarene er anonyme. Virker ikke nettet, bruk papirskjemaene fra samordna kit.""")  # noqa: E501

ADVICE = N_(
    "Slik tester du: koble din egen telefon til samme nett som maskinen, og åpne adressen over (eller skann "
    "QR-koden). Ser du siden «Bli med i rommet», virker det.\n"
    "Virker det ikke: gjestenett stenger ofte trafikk mellom telefoner og maskiner. Bruk en lommeruter eller "
    "delt internett fra en telefon (hotspot), og koble både maskinen og telefonene til den. Eller bruk papir: "
    "samordna kit lager stemmesedler og skjemaer."
)


def live(
    directory: WorkspaceDir,
    round_id: RoundOpt = None,
    host: Annotated[str | None, typer.Option(
        "--host", metavar=_("ADRESSE"),
        help=_("Adressen rommet lytter på. Standard: maskinens adresse på det lokale nettet (aldri alle "
               "grensesnitt, med mindre du skriver 0.0.0.0)."))] = None,
    port: Annotated[int | None, typer.Option(
        "--port", min=1, max=65534,
        help=_("Porten rommet lytter på. Standard: 8024, og 8026 for speilet."))] = None,
    no_browser: Annotated[bool, typer.Option(
        "--no-browser", help=_("Ikke åpne fasilitatorsiden i nettleseren."))] = False,
    check: Annotated[bool, typer.Option(
        "--sjekk", help=_("Vis adressen, QR-koden og nettverkskortene, og hvordan du tester med telefonen; "
                          "start ikke rommet."))] = False,
    mirror: Annotated[bool, typer.Option(
        "--speil", help=_("Start speilet i stedet: ungdom og foreldre svarer på påstandene i speilbanken, i et eget "
                          "rom med egen romkode. Ingen svar vises i rommet."))] = False,
    lang: LangOpt = None,
) -> None:
    """Start the room's voting server for the round (help text: HELP)."""
    from samordna.core.errors import SamordnaError
    from samordna.i18n import language
    from samordna.room import net

    ws = open_workspace(directory)
    note_default_round(ws, round_id)
    rnd = ws.round(round_id)
    port = port or (MIRROR_PORT if mirror else DEFAULT_PORT)
    where = net.listeners(host or net.lan_address(), port)
    if check:
        if mirror:
            from samordna.room.mirror_store import MirrorRoomStore

            code = MirrorRoomStore(rnd).room_code
        else:
            from samordna.room.store import RoomStore

            code = RoomStore(rnd).room_code
        url = where.join_url(code)
        echo((_("Speilets adresse: {url}") if mirror else _("Rommets adresse: {url}")).format(url=url))
        echo(_("Romkode: {code}").format(code=code))
        echo(net.qr_terminal(url))
        echo(_("Nettverkskort på maskinen:"))
        for name, address in net.interfaces():
            echo(f"  {name}: {address}")
        if where.host == net.LOOPBACK:
            echo(_("Merk: 127.0.0.1 er bare denne maskinen; telefonene når den ikke. Er maskinen koblet til et nett?"))
        echo("")
        echo(_(ADVICE))
        return
    from samordna.room.server import serve

    def ready(app: object) -> None:
        from samordna.room.mirror_server import MirrorApp
        from samordna.room.server import LiveApp

        assert isinstance(app, (LiveApp, MirrorApp))
        if mirror:
            echo(_("Speilet (telefonene til ungdom og foreldre): {url}").format(url=where.join_url(app.room.code)))
        else:
            echo(_("Rommet (telefonene): {url}").format(url=where.join_url(app.room.code)))
        echo(_("Romkode: {code}").format(code=app.room.code))
        echo(_("Fasilitator og storskjerm (bare denne maskinen): {url}").format(url=where.facilitator_url()))
        if not where.shared_port:
            echo(_("Rommet lytter på {host}, så fasilitatoren har neste port ({port}).").format(
                host=where.host, port=where.facilitator_port))
        echo(_("Avslutt med Ctrl-C. Alt lagres underveis."))
        if not no_browser:
            import webbrowser

            webbrowser.open(where.facilitator_url())

    try:
        serve(ws, rnd, where, language(), ready=ready, mirror=mirror)
    except OSError as exc:
        raise SamordnaError(_("Kan ikke lytte på {host} port {port}: {problem}. Velg en annen port (--port) eller "
                              "adresse (--host); samordna live --sjekk viser adressene maskinen har.").format(
            host=where.host, port=port, problem=exc.strerror or exc)) from None
    except KeyboardInterrupt:
        pass
    echo(_("Rommet er stengt. Alt er lagret i {folder}.").format(folder=shell_arg(rnd.dir)))


def register(app: typer.Typer) -> None:
    app.command("live", help=_(HELP), epilog=_(EPILOG))(live)
