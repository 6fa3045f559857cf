"""``samordna live``: the room answers from their phones, on a small web server on the facilitator's laptop.

- ``state.py`` the room's rules (pure: which vote is taken, which request is refused, which phase follows);
- ``store.py`` what is kept on disk (answers through ``io.round``, devices, re-votes);
- ``server.py`` the Starlette app and uvicorn with two listeners (the room, and the facilitator on 127.0.0.1);
- ``net.py`` the laptop's address, its network interfaces and the QR code;
- ``mirror_store.py`` and ``mirror_server.py`` the mirror's room (``samordna live --speil``): young people and
  parents answer the companion bank at their own pace, in a room of its own; nothing about the answers is shown.

Nothing here imports typer or questionary; starlette, uvicorn and segno are imported only by ``server.py``,
``mirror_server.py`` and inside ``net.py``'s functions, so ``samordna --help`` stays fast.
"""
