"""Build hook: compile the message catalogs (locale/*/LC_MESSAGES/samordna.po) into .mo files for the wheel.

Runs for every wheel, the editable one included: the .mo files are written beside the .po files (git
ignores them), so a checkout finds them too, and the wheel gets them under ``samordna/_data/locale``.
Babel compiles; it is listed as this hook's build dependency in pyproject.toml.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CatalogBuildHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        locale = Path(self.root) / "locale"
        for po in sorted(locale.glob("*/LC_MESSAGES/samordna.po")):
            with open(po, "rb") as f:
                catalog = read_po(f, domain="samordna")
            buf = io.BytesIO()
            write_mo(buf, catalog, use_fuzzy=False)
            mo = po.with_suffix(".mo")
            if not mo.exists() or mo.read_bytes() != buf.getvalue():
                mo.write_bytes(buf.getvalue())
            if version != "editable":
                rel = mo.relative_to(locale).as_posix()
                build_data["force_include"][str(mo)] = f"samordna/_data/locale/{rel}"
