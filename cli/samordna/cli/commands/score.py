"""samordna score: the results in the terminal, or as JSON."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from samordna.cli.common import RoundOpt, WorkspaceDir, console, open_workspace
from samordna.core import fmt

if TYPE_CHECKING:
    from rich.table import Table

    from samordna.core.bank import Bank
    from samordna.core.scoring import RoundResult


def _domain_table(result: RoundResult) -> Table:
    from rich import box
    from rich.table import Table

    t = Table(title=f"Områder – runde {result.round}", box=box.SIMPLE_HEAD, title_justify="left")
    t.add_column("Område")
    t.add_column("Nivå 0–4", justify="right")
    t.add_column("Poeng", justify="right")
    t.add_column("Mål", justify="right")
    t.add_column("Uenighet", justify="right")
    t.add_column("Vet ikke", justify="right")
    for d in result.domains:
        t.add_row(d.name, fmt.num(d.level), fmt.num(d.score, 0), fmt.num(d.target_score, 0),
                  str(d.n_disagreements), fmt.pct(d.share_dont_know))
    t.add_section()
    t.add_row("Samlet", fmt.num(result.overall_level), fmt.num(result.overall_score, 0), "", "", "")
    return t


def _recommendation_table(result: RoundResult) -> Table:
    from rich import box
    from rich.table import Table

    from samordna.core.scoring import VERDICT_LABELS

    r = Table(title="Retningslinjen IS-2826 – anbefalingene", box=box.SIMPLE_HEAD, title_justify="left")
    r.add_column("Anbefaling")
    r.add_column("Status")
    r.add_column("Nivå / mål", justify="right")
    r.add_column("Under mål")
    for s in result.recommendations:
        mark = "" if s.confirmed else " (*)"
        r.add_row(s.short + mark, VERDICT_LABELS[s.verdict], f"{fmt.num(s.level)} / {fmt.num(s.target)}",
                  ", ".join(s.below_target) or "–")
    return r


def _priority_table(result: RoundResult, bank: Bank) -> Table:
    from rich import box
    from rich.table import Table

    ind_short = {i.id: i.short for i in bank.indicators}
    p = Table(title="Forslag til prioriteringer (gap × vekt)", box=box.SIMPLE_HEAD, title_justify="left")
    p.add_column("#", justify="right")
    p.add_column("Påstand")
    p.add_column("Nivå", justify="right")
    p.add_column("Mål", justify="right")
    p.add_column("Merk")
    for pr in result.priorities[:8]:
        notes = []
        if pr.chosen:
            notes.append("valgt")
        if pr.disagreement:
            notes.append("uenighet")
        if pr.share_dont_know >= 0.3:
            notes.append(f"vet ikke {fmt.pct(pr.share_dont_know)}")
        p.add_row(str(pr.rank), f"{pr.id} {ind_short[pr.id]}", fmt.num(pr.level), str(pr.target), ", ".join(notes))
    return p


def _history_table(result: RoundResult, history: list[RoundResult]) -> Table:
    from rich import box
    from rich.table import Table

    h = Table(title="Utvikling (poeng 0–100)", box=box.SIMPLE_HEAD, title_justify="left")
    h.add_column("Område")
    for hr in history:
        h.add_column(hr.round, justify="right")
    names = {d.id: d.name for d in result.domains}
    for dom_id, name in names.items():
        row = []
        for hr in history:
            d = next((x for x in hr.domains if x.id == dom_id), None)
            row.append(fmt.num(d.score, 0) if d else "–")
        h.add_row(name, *row)
    return h


def _tables(result: RoundResult, bank: Bank, history: list[RoundResult]) -> list[Table]:
    tables = [_domain_table(result), _recommendation_table(result), _priority_table(result, bank)]
    if len(history) > 1:
        tables.append(_history_table(result, history))
    return tables


def score(
    directory: WorkspaceDir,
    round_id: RoundOpt = None,
    as_json: Annotated[bool, typer.Option(
        "--json", help="Skriv resultatene som JSON (formatet står i docs/json-format.md). Uten --round: alle runder.")] = False,
) -> None:
    """Vis resultatene: nivå per område og per anbefaling i retningslinjen, og forslag til prioriteringer."""
    from samordna.core.results import workspace_results
    from samordna.outputs.results_json import results_json

    ws = open_workspace(directory)
    if as_json:
        typer.echo(results_json(ws, workspace_results(ws, round_id)))
        return
    history = workspace_results(ws)
    rnd = ws.round(round_id)
    result = next(r for r in history if r.round == rnd.id)
    shown_history = [h for h in history if h.year <= result.year]
    out = console()
    out.print(f"[bold]{ws.name}[/bold] ({ws.number}) – runde {result.round}, bank {result.bank_id} {result.bank_version}")
    n_ind = len(result.indicators)
    if result.uses_consensus == n_ind:
        source = "Alle påstandene bruker gruppens konsensus."
    elif result.uses_consensus:
        source = (f"{result.uses_consensus} av {n_ind} påstander bruker gruppens konsensus; "
                  "resten medianen av de individuelle svarene.")
    else:
        source = "Ingen konsensus registrert ennå: nivåene er medianen av de individuelle svarene."
    out.print(f"{result.n_participants} deltakere. Samlet nivå {fmt.num(result.overall_level)} av 4 "
              f"({result.overall_level_name or '–'}), {fmt.num(result.overall_score, 0)} poeng.")
    out.print(source)
    for table in _tables(result, rnd.bank, shown_history):
        out.print(table)
    if any(not s.confirmed for s in result.recommendations):
        out.print("(*) Innholdet i anbefalingen er ikke bekreftet mot kilden; se banken.")
    out.print("Metoden er forklart i docs/metode.md.")


def register(app: typer.Typer) -> None:
    app.command("score")(score)
