"""Entry point: ``samordna`` and ``python -m samordna``."""

from __future__ import annotations


def main() -> None:
    from samordna.cli.main import run

    run()


if __name__ == "__main__":
    main()
