"""The young people's mirror (``core.mirror``) in the report, on the youth council's page and in the JSON.

Everything here is built from ``MirrorView``, which holds only what may be shown: a role with fewer than
``min_group`` responses has no number anywhere (its cells read «færre enn 5», with the real smallest group),
nothing is given for both roles together (one role could be found by subtracting the other), no age band
is shown and no response id. The report's section (``mirror_section``), the page the leaders take back to
the youth council (``youth_page`` / ``render_youth_page``, ``templates/mirror_youth.html``; ``outputs.report``
writes it beside the report) and the JSON's
``mirror`` key (``mirror_json``) read the same view.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from samordna.core import fmt
from samordna.core.mirror import GROUP_NAMES, LEVELS, PARENT, ROLES, YOUNG, Gap, MirrorBank, MirrorView
from samordna.core.result_model import RoundResult
from samordna.i18n import _, n_
from samordna.io.mirrorfile import round_mirror
from samordna.outputs import charts

YOUTH_PAGE = "speilet-til-ungdomsradet.html"  # written beside the report


def few_text(min_group: int) -> str:
    """What a suppressed role's cell says: never its number."""
    return _("færre enn {n}").format(n=min_group)


def too_few_text() -> str:
    """What a shown role's cell says when too few of it gave the area's statements a level."""
    return _("for få svar")


def group_name(role: str) -> str:
    """«ungdommene», «foreldrene»."""
    return _(GROUP_NAMES[role])


def _who(view: MirrorView) -> list[str]:
    """Who answered, one line per role: the number only for a role that may be shown."""
    lines = []
    for role in ROLES:
        n = view.groups.get(role)
        if n is None:
            lines.append(_("Svarene fra {group} vises ikke: de er færre enn {n}.").format(
                group=group_name(role), n=view.min_group))
        elif role == YOUNG:
            lines.append(n_("{n} ungdom har svart.", "{n} ungdommer har svart.", n).format(n=n))
        else:
            lines.append(n_("{n} forelder har svart.", "{n} foreldre har svart.", n).format(n=n))
    return lines


def gap_sentence(g: Gap) -> str:
    """«Lederne mener Medvirkning og likeverd er på nivå 3,0; ungdommene opplever 1,4.»"""
    return _("Lederne mener {area} er på nivå {leaders}; {group} opplever {value}.").format(
        area=g.name, leaders=fmt.num(g.leaders), group=group_name(g.role), value=fmt.num(g.value))


def _cell(view: MirrorView, role: str, value: float | None) -> str:
    if view.groups.get(role) is None:
        return few_text(view.min_group)
    return too_few_text() if value is None else fmt.num(value)


def area_rows(view: MirrorView) -> list[dict]:
    """Per area: its name, the leaders' level and a cell per role (a number, «for få svar» or «færre enn 5»)."""
    return [{"id": a.area, "name": a.name, "leaders": fmt.num(a.leaders),
             "cells": [_cell(view, r, a.values[r]) for r in ROLES]} for a in view.areas]


def role_heads() -> list[str]:
    return [group_name(r).capitalize() for r in ROLES]


def _chart(view: MirrorView) -> charts.Chart:
    shown = view.shown_roles
    series: list[tuple[str, list[float | None]]] = [(_("Lederne"), [a.leaders for a in view.areas])]
    series += [(group_name(r).capitalize(), [a.values[r] for a in view.areas]) for r in shown]
    names = [name for name, _v in series]

    def point(a) -> str:
        parts = [f"{names[0].lower()} {fmt.num(a.leaders)}"]
        parts += [f"{group_name(r)} {fmt.num(a.values[r])}" for r in shown]
        return f"{a.name}: " + ", ".join(parts)

    alt = (_("Liggende stolper per område: nivået (0–4) lederne har satt, og hvordan {groups} opplever det.").format(
        groups=(" " + _("og") + " ").join(group_name(r) for r in shown) or _("ingen"))
           + " " + "; ".join(point(a) for a in view.areas) + ".")
    hidden = [r for r in ROLES if r not in shown]
    caption = " ".join(_("{group} er ikke med i diagrammet: de er færre enn {n}.").format(
        group=group_name(r).capitalize(), n=view.min_group) for r in hidden)
    return charts.mirror_chart([a.name for a in view.areas], series, alt, caption, missing=too_few_text())


def _statements(view: MirrorView, role: str) -> list[dict]:
    rows = []
    names = {a.area: a.name for a in view.areas}
    for s in view.statements:
        if s.role != role:
            continue
        rows.append({"id": s.id, "area": names.get(s.area, s.area), "text": s.text, "shown": s.shown,
                     "mean": fmt.num(s.mean) if s.shown else too_few_text(),
                     "counts": list(s.counts) if s.shown and s.counts is not None else []})
    return rows


def _trend(ws, view: MirrorView, result: RoundResult, earlier: list[RoundResult]) -> dict | None:
    """Per role (shown in at least one round) and area, the value in every round that had the mirror, each
    round with its own suppression. None when only this round has the mirror."""
    points: list[tuple[str, MirrorView]] = []
    for r in earlier:
        found = round_mirror(ws, ws.round(r.round), r)
        if found is not None:
            points.append((r.round, found[1]))
    if not points:
        return None
    points.append((result.round, view))
    tables: list[dict[str, Any]] = []
    roles: list[str] = []
    for role in ROLES:
        if all(v.groups.get(role) is None for _r, v in points):
            continue
        roles.append(role)
        rows = []
        for a in view.areas:
            cells = []
            for _r, v in points:
                match = next((x for x in v.areas if x.area == a.area), None)
                cells.append(_cell(v, role, match.values[role]) if match is not None else "–")
            rows.append({"name": a.name, "cells": cells})
        tables.append({"role": role, "group": group_name(role), "rows": rows,
                       "caption": _("Slik {group} har opplevd områdene (0–4), runde for runde").format(
                           group=group_name(role))})
    if not tables:
        return None
    rounds = [r for r, _v in points]
    return {"rounds": rounds, "tables": tables, "chart": _trend_chart(view, points, roles)}


def _trend_chart(view: MirrorView, points: list[tuple[str, MirrorView]], roles: list[str]) -> charts.Chart:
    """The trend as small multiples: per area the leaders' level and each role's value, round by round."""
    rounds = [r for r, _v in points]
    panels = []
    for a in view.areas:
        matches = [next((x for x in v.areas if x.area == a.area), None) for _r, v in points]
        series: list[tuple[str, list[float | None], int]] = [
            (_("Lederne"), [m.leaders if m is not None else None for m in matches], 0)]
        series += [(group_name(r).capitalize(), [m.values[r] if m is not None else None for m in matches],
                    ROLES.index(r) + 1) for r in roles]
        panels.append((a.name, series))

    def values(vals: list[float | None]) -> str:
        return " → ".join(fmt.num(v) for v in vals)

    alt = (_("Linjediagram per område over nivået (0–4) i rundene {rounds}: lederne og {groups}.").format(
        rounds=", ".join(rounds), groups=(" " + _("og") + " ").join(group_name(r) for r in roles))
           + " " + "; ".join(f"{name}: " + ", ".join(f"{s[0].lower()} {values(s[1])}" for s in series)
                             for name, series in panels) + ".")
    caption = _("Et punkt mangler der gruppen var for liten det året.")
    return charts.mirror_trends(rounds, panels, alt, caption)


def _mark_bank_language(bank: MirrorBank) -> None:
    """The companion bank shown for want of a translation (bokmål in a nynorsk report): its texts are marked
    so that the page puts them in ``<span lang="nb">`` (``outputs.html``)."""
    from samordna.i18n import language, mark_text_language

    if bank.language != language():
        for st in bank.statements:
            mark_text_language(st.young, bank.language)
            mark_text_language(st.parent, bank.language)
        for name in bank.level_names:
            mark_text_language(name, bank.language)


def mirror_section(ws, rnd, result: RoundResult, earlier: list[RoundResult]) -> dict | None:
    """The report's section «Speilet»; None when nobody in the round has answered the mirror."""
    found = round_mirror(ws, rnd, result)
    if found is None:
        return None
    bank, view = found
    _mark_bank_language(bank)
    shown = view.shown_roles
    named = view.named_gaps(bank.gap_to_name)
    if not shown:
        gap_note = _("Ingen av gruppene er store nok til at svarene kan vises.")
    elif not named:
        gap_note = _("Ingen områder har en forskjell på {gap} nivå eller mer der lederne ser det bedre enn {groups}.") \
            .format(gap=fmt.num(bank.gap_to_name), groups=(" " + _("og") + " ").join(group_name(r) for r in shown))
    else:
        gap_note = ""
    return {
        "bank": {"title": bank.title, "version": bank.version},
        "min_group": view.min_group,
        "who": _who(view),
        "shown": [{"role": r, "group": group_name(r)} for r in shown],
        "heads": role_heads(),
        "chart": _chart(view),
        "rows": area_rows(view),
        "gaps": [gap_sentence(g) for g in named],
        "gap_note": gap_note,
        "gap_to_name": fmt.num(bank.gap_to_name),
        "roles": [{"role": r, "group": group_name(r), "statements": _statements(view, r)} for r in shown],
        "count_heads": [str(v) for v in LEVELS] + [bank.dont_know],
        "trend": _trend(ws, view, result, earlier),
        "youth": youth_page(ws, rnd, result, bank, view),
    }


# --- the youth council's page --------------------------------------------------------------


def _from_mirror(rnd) -> dict[str, str]:
    """The priorities chosen from the mirror (indicator id -> role), if the priorities file has them."""
    found = getattr(rnd, "mirror_priorities", None) or getattr(rnd, "from_mirror", None)
    if callable(found):
        found = found()
    if isinstance(found, dict):
        return {str(k): str(v) for k, v in found.items()}
    path = getattr(rnd, "priorities_path", None)
    if path is None or not Path(path).exists():
        return {}
    from samordna.core.models import PrioritiesFile
    from samordna.io.round import validate_doc
    from samordna.io.yamlio import load_yaml

    pf = validate_doc(PrioritiesFile, load_yaml(Path(path)), _("Prioriteringsfilen"))
    mapping = getattr(pf, "from_mirror", None) or {}
    return {str(k): str(v) for k, v in dict(mapping).items()}


def _words(bank: MirrorBank, value: float) -> str:
    """A mean 0–4 in the bank's words, to the nearest level: 1,4 is «Stemmer litt»."""
    return bank.level_names[max(0, min(4, int(value + 0.5)))]


def youth_page(ws, rnd, result: RoundResult, bank: MirrorBank, view: MirrorView) -> dict[str, Any]:
    """What the page for the youth council shows (``templates/mirror_youth.html``): plain words, one A4 page."""
    young_shown = view.groups.get(YOUNG) is not None
    areas = []
    for a in view.areas:
        v = a.values[YOUNG] if young_shown else None
        example = bank.in_area(a.area)
        areas.append({"name": bank.plain_name(a.area, a.name), "example": example[0].young if example else "",
                      "words": _("«{words}»").format(words=_words(bank, v)) if v is not None else too_few_text(),
                      "young": _("{value} av 4").format(value=fmt.num(v)) if v is not None else "",
                      "leaders": _("{value} av 4").format(value=fmt.num(a.leaders)) if a.leaders is not None else "–"})
    gaps = [_("{area}: lederne sier {leaders}, {group} sier {value}.").format(
        area=bank.plain_name(g.area, g.name), leaders=fmt.num(g.leaders), group=group_name(g.role), value=fmt.num(g.value))
        for g in view.named_gaps(bank.gap_to_name)]
    who = []
    for role in view.shown_roles:
        n = view.groups[role]
        assert n is not None
        who.append(n_("{n} ungdom", "{n} ungdommer", n).format(n=n) if role == YOUNG
                   else n_("{n} forelder", "{n} foreldre", n).format(n=n))
    indicators = rnd.bank.indicator_by_id
    actions = []
    for ind_id, role in _from_mirror(rnd).items():
        ind = indicators.get(ind_id)
        if ind is None:
            continue
        actions.append({"short": ind.short, "group": group_name(role) if role in ROLES else group_name(YOUNG),
                        "actions": list(ind.actions)})
    return {
        "municipality": ws.name, "round": result.round, "year": result.year,
        "who": (" " + _("og") + " ").join(who), "young_shown": young_shown, "min_group": view.min_group,
        "parents_shown": view.groups.get(PARENT) is not None,
        "areas": areas, "gaps": gaps, "actions": actions,
    }


def render_youth_page(page: dict[str, Any]) -> str:
    """The youth council's page as one self-contained HTML document (``templates/mirror_youth.html``)."""
    from samordna.outputs.html import render

    return render("mirror_youth.html", p=page)


# --- JSON ---------------------------------------------------------------------------------


def mirror_json(view: MirrorView) -> dict[str, Any]:
    """The mirror of one round for the results JSON: only what ``MirrorView`` holds, the shown statements only."""
    return {
        "bank": {"id": view.bank_id, "version": view.bank_version},
        "min_group": view.min_group,
        "groups": {r: view.groups.get(r) for r in ROLES},
        "areas": [{"area": a.area, "name": a.name, "leaders": a.leaders,
                   "values": {r: a.values[r] for r in ROLES}} for a in view.areas],
        "statements": [{"id": s.id, "area": s.area, "role": s.role, "mean": s.mean,
                        "counts": dict(zip([*(str(v) for v in LEVELS), "vet_ikke"], s.counts or (), strict=True))}
                       for s in view.statements if s.shown],
        "gaps": [{"area": g.area, "role": g.role, "leaders": g.leaders, "value": g.value, "size": g.size}
                 for g in view.gaps],
    }


def round_mirror_json(ws, result: RoundResult) -> dict[str, Any] | None:
    """The ``mirror`` key of one round in the results JSON (None when nobody answered the mirror)."""
    found = round_mirror(ws, ws.round(result.round), result)
    return mirror_json(found[1]) if found is not None else None
