"""Placeholder: this command group is being built."""


def register(app) -> None:
    pass
