"""samordna kit and samordna import: Excel answer forms for the workshop, and reading them back."""

from __future__ import annotations

import random
from pathlib import Path

import typer

from ..errors import SamordnaError
from ._common import DIR_ARG, ROUND_OPT, echo, open_workspace

MAX_PARTICIPANTS = 99


def default_out(ws, rnd) -> Path:
    return ws.root / "skjema" / rnd.id


def make_kit(ws, rnd, n: int, out: Path, pdf: bool = False, guide: bool = True):
    """Write ``n`` personal forms (new codes), a blank form and the guide. Returns (codes, form paths, guide paths)."""
    from ..forms_import import next_codes
    from ..outputs.forms import form_filename, write_form
    from ..outputs.guide import write_guide

    if not 0 <= n <= MAX_PARTICIPANTS:
        raise SamordnaError(f"Antall deltakere må være mellom 0 og {MAX_PARTICIPANTS} (fikk {n}).")
    taken = set(rnd.participant_codes())
    # a code whose form was handed out earlier is taken too: never overwrite a form someone may have filled
    taken |= {c for c in next_codes(set(), MAX_PARTICIPANTS) if (out / form_filename(rnd, c)).exists()}
    codes = next_codes(taken, n)
    if out.exists() and not out.is_dir():
        raise SamordnaError(f"{out} finnes og er ikke en mappe.", path=out)
    forms = [write_form(rnd, code, out) for code in codes]
    forms.append(write_form(rnd, None, out))
    guides = write_guide(rnd, out, codes, pdf=pdf) if guide else []
    return codes, forms, guides


def kit(
    directory: Path = DIR_ARG,
    round_id: str = ROUND_OPT,
    participants: int = typer.Option(10, "--participants", "-n", help="Antall svarskjema med egen deltakerkode (D01, D02, …)."),
    out: Path = typer.Option(None, "--out", "-o", help="Mappen skjemaene og veiledningen skrives til. Standard: DIR/skjema/RUNDE."),
    pdf: bool = typer.Option(True, "--pdf/--no-pdf", help="Lag også veiledningen som PDF der det er mulig (krever WeasyPrint)."),
) -> None:
    """Lag samlingssettet: svarskjema i Excel for hver deltaker, et blankt skjema og en fasilitatorveiledning."""
    ws = open_workspace(directory)
    rnd = ws.round(round_id)
    out = out or default_out(ws, rnd)
    codes, forms, guides = make_kit(ws, rnd, participants, out, pdf=pdf)
    echo(f"Samlingssett for {ws.name}, runde {rnd.id} ({rnd.bank.label}), i {out}:")
    if codes:
        echo(f"  {len(codes)} svarskjema med deltakerkodene {codes[0]}–{codes[-1]}" if len(codes) > 1
             else f"  1 svarskjema med deltakerkoden {codes[0]}")
    echo(f"  Blankt skjema til kopiering: {forms[-1].name}")
    for g in guides:
        echo(f"  Fasilitatorveiledning: {g.name}")
    if pdf and not any(g.suffix == ".pdf" for g in guides):
        echo("  (PDF er ikke laget: WeasyPrint mangler. Skriv ut HTML-filen fra nettleseren.)")
    echo("Del ut kodene tilfeldig og aldri med navn. Les inn utfylte skjema med: "
         f"samordna import {directory} SKJEMA.xlsx …")


def import_forms(
    directory: Path = DIR_ARG,
    files: list[Path] = typer.Argument(..., help="Utfylte svarskjema (.xlsx).", show_default=False),
    round_id: str = ROUND_OPT,
    replace: bool = typer.Option(False, "--replace", help="Erstatt svarene til deltakere som allerede er lest inn."),
) -> None:
    """Les inn utfylte svarskjema. Alt eller ingenting: har ett skjema feil, leses ingen inn."""
    from ..forms_import import apply_import, read_forms
    from ..ui.prompter import is_interactive

    ws = open_workspace(directory)
    rnd = ws.round(round_id)
    plan = read_forms(rnd, list(files))
    for w in plan.warnings:
        echo(f"Merk: {w}", err=True)
    existing = plan.existing
    if existing and not replace:
        if not is_interactive():
            raise SamordnaError(
                f"Ingenting er importert: runde {rnd.id} har allerede svar fra {', '.join(existing)}. "
                "Bruk --replace for å erstatte dem."
            )
        if not typer.confirm(f"Runde {rnd.id} har allerede svar fra {', '.join(existing)}. Erstatte dem?", default=False):
            raise SamordnaError("Ingenting er importert.")
        replace = True
    apply_import(plan, replace=replace)
    for form in plan.forms:
        verb = "erstattet" if form.code in existing else "lest inn"
        echo(f"{form.code} ({ws.sectors.name(form.sector)}): {len(form.answers)} svar, "
             f"{form.n_comments} kommentarer – {verb} fra {form.path.name}")
    echo(f"{len(plan.forms)} skjema lest inn i runde {rnd.id}. Runden har nå {len(rnd.participant_codes())} deltakere.")


# --- demo -------------------------------------------------------------------------

DEMO_SECTORS = [("kultur-fritid", 1.7), ("flyktning", 2.1)]


def _demo_answers(bank, rng: random.Random, mean: float):
    from ..bank import DONT_KNOW, NOT_APPLICABLE
    from ..synthetic import COMMENTS
    from ..workspace import Answer

    answers = {}
    for dom in bank.domains:
        for ind in dom.indicators:
            r = rng.random()
            if r < 0.15:
                level = DONT_KNOW
            elif r < 0.17:
                level = NOT_APPLICABLE
            else:
                level = max(0, min(4, round(mean + rng.gauss(0, 0.8))))
            comment = rng.choice(COMMENTS[dom.id]) if dom.id in COMMENTS and rng.random() < 0.12 else None
            answers[ind.id] = Answer(level=level, comment=comment)
    return answers


def demo_step(ctx) -> None:
    """Forms for two new participants in the newest round, filled and imported; the guide."""
    from ..forms_import import apply_import, read_forms
    from ..outputs.forms import fill_form

    ws = open_workspace(ctx.workspace)
    rnd = ws.round()
    out = Path(ctx.out) / "skjema"
    codes, forms, _ = make_kit(ws, rnd, len(DEMO_SECTORS), out, guide=False)
    rng = random.Random(2026)
    filled = []
    for path, (sector, mean) in zip(forms, DEMO_SECTORS):
        fill_form(path, ws.sectors.name(sector), _demo_answers(rnd.bank, rng, mean))
        filled.append(path)
    apply_import(read_forms(rnd, filled))
    ctx.say(f"Samlingssett for runde {rnd.id}: {len(codes)} skjema fylt ut og lest inn ({', '.join(codes)}).")
    for path in forms:
        ctx.wrote(path, "Svarskjema")
    from ..outputs.guide import write_guide

    for g in write_guide(rnd, Path(ctx.out), codes, pdf=ctx.pdf):
        ctx.wrote(g, "Fasilitatorveiledning" + (" (PDF)" if g.suffix == ".pdf" else ""))


def register(app: typer.Typer) -> None:
    app.command("kit")(kit)
    app.command("import")(import_forms)
