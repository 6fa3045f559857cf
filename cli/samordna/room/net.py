"""The laptop on the network: the address the room listens on, the facilitator's address, interfaces and QR codes.

segno is imported inside the functions that draw (``samordna --help`` never loads it).
"""

from __future__ import annotations

import io
import socket
import subprocess
from dataclasses import dataclass

LOOPBACK = "127.0.0.1"
DEFAULT_PORT = 8024


def lan_address() -> str:
    """The address this laptop would use to reach the local network (a UDP «connect» to a documentation address
    sends nothing); 127.0.0.1 when there is no network. Never 0.0.0.0."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("192.0.2.1", 9))
            address = s.getsockname()[0]
    except OSError:
        return LOOPBACK
    return address if address and address != "0.0.0.0" else LOOPBACK


@dataclass(frozen=True)
class Listeners:
    """Where the room (the phones) and the facilitator (this laptop only) are served."""

    host: str
    port: int
    facilitator_port: int
    shown_host: str = ""  # the address phones use (the LAN address when the room listens on every interface)

    @property
    def shared_port(self) -> bool:
        """False when the room itself is on 127.0.0.1, so that the facilitator took the next port."""
        return self.port == self.facilitator_port

    def room_url(self, path: str = "/") -> str:
        return f"http://{_in_url(self.shown_host or self.host)}:{self.port}{path}"

    def facilitator_url(self, path: str = "/fasilitator/") -> str:
        return f"http://{LOOPBACK}:{self.facilitator_port}{path}"

    def join_url(self, room_code: str) -> str:
        return self.room_url(f"/?rom={room_code}")

    @property
    def room_hosts(self) -> frozenset[str]:
        return frozenset({f"{_in_url(self.shown_host or self.host)}:{self.port}".lower()})

    @property
    def facilitator_hosts(self) -> frozenset[str]:
        return frozenset({f"{LOOPBACK}:{self.facilitator_port}", f"localhost:{self.facilitator_port}"})


EVERY_INTERFACE = ("0.0.0.0", "::")


def listeners(host: str, port: int) -> Listeners:
    """The room on ``host``:``port``; the facilitator on 127.0.0.1 at the same port, or the next one when the room
    itself is on 127.0.0.1 (or on every interface, which includes 127.0.0.1)."""
    shared = host != LOOPBACK and host not in EVERY_INTERFACE
    return Listeners(host, port, port if shared else port + 1, lan_address() if host in EVERY_INTERFACE else host)


def _in_url(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host``:``port`` (OSError when the port is taken or the address is not this
    machine's)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
        sock.set_inheritable(True)
    except OSError:
        sock.close()
        raise
    return sock


def interfaces() -> list[tuple[str, str]]:
    """(interface, IPv4 address) for the network interfaces this laptop has (best effort, never raises)."""
    found: list[tuple[str, str]] = []
    try:
        out = subprocess.run(["ip", "-o", "-4", "addr", "show"], capture_output=True, text=True, timeout=3,
                             check=False).stdout
        for line in out.splitlines():
            parts = line.split()
            if len(parts) >= 4 and parts[2] == "inet":
                found.append((parts[1], parts[3].split("/")[0]))
    except (OSError, subprocess.SubprocessError):
        pass
    if not found:
        try:
            for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
                address = str(info[4][0])
                if ("?", address) not in found:
                    found.append(("?", address))
        except OSError:
            pass
        lan = lan_address()
        if all(a != lan for _n, a in found):
            found.append(("?", lan))
    return found


def qr_terminal(url: str) -> str:
    """The QR code of ``url`` as text for a terminal."""
    import segno

    out = io.StringIO()
    segno.make(url, error="m").terminal(out=out, compact=True, border=2)
    return out.getvalue()


def qr_svg(url: str) -> str:
    """The QR code of ``url`` as inline SVG (dark on light, scaled by the page's CSS)."""
    import segno

    return str(segno.make(url, error="m").svg_inline(scale=8, border=2, dark="#000", light="#fff",
                                                   omitsize=True, title=url))
