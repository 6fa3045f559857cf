"""Locate the data folders (assessments, templates, sample_municipality).

In an installed wheel they live in ``samordna/_data/``; in a checkout (or an
editable install) they are the top-level folders of the repository.
"""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path

DATA_FOLDERS = ("assessments", "templates", "sample_municipality")


def data_path(name: str) -> Path:
    """Return the folder ``name`` (one of DATA_FOLDERS) as a real path."""
    if name not in DATA_FOLDERS:
        raise ValueError(f"unknown data folder: {name}")
    override = os.environ.get(f"SAMORDNA_{name.upper()}")
    if override:
        return Path(override)
    packaged = files("samordna") / "_data" / name
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[3] / name


def default_bank_path() -> Path:
    return data_path("assessments") / "samordna-0-24.yaml"


def templates_path() -> Path:
    return data_path("templates")


def sample_path() -> Path:
    return data_path("sample_municipality")


def method_path(language: str = "nb") -> Path:
    """The method text in ``language`` (docs/metode.md in bokmål, docs/metode.nn.md, docs/metode.en.md),
    shipped in the wheel under ``samordna/_data/docs/``; bokmål where a translation is missing."""
    names = ([f"metode.{language}.md"] if language != "nb" else []) + ["metode.md"]
    for name in names:
        packaged = files("samordna") / "_data" / "docs" / name
        if packaged.is_file():
            return Path(str(packaged))
        here = Path(__file__).resolve().parents[3] / "docs" / name
        if here.is_file():
            return here
    return Path(__file__).resolve().parents[3] / "docs" / "metode.md"
