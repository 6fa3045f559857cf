"""Problems in Norwegian, naming the place: key paths and pydantic errors.

Pure: a *document* is anything with ``where(loc) -> str`` (the YAML reader in
``io.yamlio`` gives one that adds the file name and the line).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Protocol

from pydantic import ValidationError

from samordna.i18n import PYDANTIC_MESSAGES, _

Loc = tuple  # a key path: ("domains", 0, "indicators", 2, "weight")


class Located(Protocol):
    def where(self, loc: Iterable[Any]) -> str: ...


def format_loc(loc: Iterable) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


# --- pydantic errors in Norwegian -------------------------------------------------


def pydantic_problem(err: Mapping[str, Any]) -> str:
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    value = repr(err.get("input"))
    lower, upper = ctx.get("ge", ctx.get("gt")), ctx.get("le", ctx.get("lt"))
    if kind == "greater_than_equal":
        return _("må være minst {limit} (er {value})").format(limit=lower, value=value)
    if kind == "greater_than":
        return _("må være større enn {limit} (er {value})").format(limit=lower, value=value)
    if kind == "less_than_equal":
        return _("må være høyst {limit} (er {value})").format(limit=upper, value=value)
    if kind == "less_than":
        return _("må være mindre enn {limit} (er {value})").format(limit=upper, value=value)
    if kind == "string_pattern_mismatch":
        return _("har feil form ({value})").format(value=value)
    if kind in ("literal_error", "enum"):
        allowed = str(ctx.get("expected", "")).replace(" or ", _(" eller "))  # pydantic writes «'a', 'b' or 'c'»
        return _("har ugyldig verdi {value} (tillatt: {allowed})").format(value=value, allowed=allowed)
    if kind == "value_error":
        msg = str(ctx.get("error", err.get("msg", "")))
        return msg
    if kind in ("too_short", "too_long"):
        return _("{problem} ({length}; skal være {limit})").format(
            problem=_(PYDANTIC_MESSAGES[kind]), length=ctx.get("actual_length"),
            limit=ctx.get("min_length", ctx.get("max_length")))
    if kind in PYDANTIC_MESSAGES:
        return _(PYDANTIC_MESSAGES[kind])
    return err.get("msg", kind)


def pydantic_problems(doc: Located, exc: ValidationError, prefix: Loc = ()) -> list[str]:
    """Turn a pydantic ValidationError into Norwegian lines naming line and key."""
    problems = []
    for err in exc.errors(include_url=False):
        loc = prefix + tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        problems.append(f"{doc.where(loc)}: {pydantic_problem(err)}")
    return problems
