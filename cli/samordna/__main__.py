"""Entry point: ``samordna`` and ``python -m samordna``."""

from __future__ import annotations


def main() -> None:
    from .app import app

    app(prog_name="samordna")


if __name__ == "__main__":
    main()
