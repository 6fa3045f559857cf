"""samordna consensus and samordna prioritize: the facilitator's steps in the room."""

from __future__ import annotations

import random
from pathlib import Path

import typer

from ..errors import SamordnaError
from ._common import DIR_ARG, ROUND_OPT, echo, open_workspace


def get_prompter():
    """The terminal prompter; tests replace this function with a scripted one."""
    from ..ui.prompter import QuestionaryPrompter, is_interactive

    if not is_interactive():
        raise SamordnaError("Denne kommandoen spør underveis og må kjøres i en terminal (ikke med omdirigert inn-/utdata).")
    return QuestionaryPrompter()


def consensus(
    directory: Path = DIR_ARG,
    round_id: str = ROUND_OPT,
    redo: bool = typer.Option(False, "--all", help="Gå gjennom alle påstander, også de som allerede har konsensus."),
) -> None:
    """Før inn gruppens omforente nivå, en kort begrunnelse og eventuell dissens, påstand for påstand.

    Påstandene med størst uenighet og størst avstand til målet kommer først. Fordelingen av svarene vises
    uten navn eller koder. Alt lagres etter hver påstand: du kan hoppe over, avbryte og fortsette senere.
    """
    from ..consensus_flow import run_consensus

    ws = open_workspace(directory)
    rnd = ws.round(round_id)
    prompter = get_prompter()
    try:
        summary = run_consensus(rnd, prompter, redo=redo)
    except KeyboardInterrupt:
        n = len(rnd.consensus())
        echo(f"\nAvbrutt. Konsensus for {n} av {len(rnd.bank.indicators)} påstander er lagret. "
             f"Fortsett med: samordna consensus {directory}", err=True)
        raise typer.Exit(130) from None
    echo(f"Konsensus for runde {rnd.id}: {len(summary.recorded)} ført inn nå, {len(summary.skipped)} hoppet over. "
         f"{summary.agreed} av {summary.total} påstander har konsensus.")
    if summary.agreed < summary.total:
        echo(f"Resten bruker medianen av de individuelle svarene. Fortsett med: samordna consensus {directory}")
    echo(f"Neste steg: samordna prioritize {directory}")


def prioritize(
    directory: Path = DIR_ARG,
    round_id: str = ROUND_OPT,
    min_n: int = typer.Option(3, "--min", help="Minste antall prioriteringer."),
    max_n: int = typer.Option(5, "--max", help="Største antall prioriteringer."),
) -> None:
    """Velg gruppens prioriteringer blant påstandene under målet, med forslagslista som utgangspunkt."""
    from ..consensus_flow import run_prioritize

    if not 1 <= min_n <= max_n:
        raise SamordnaError(f"--min og --max må oppfylle 1 ≤ min ≤ max (fikk {min_n} og {max_n}).")
    ws = open_workspace(directory)
    rnd = ws.round(round_id)
    prompter = get_prompter()
    try:
        chosen = run_prioritize(ws, rnd, prompter, min_n=min_n, max_n=max_n)
    except KeyboardInterrupt:
        echo("\nAvbrutt. Prioriteringene er ikke endret.", err=True)
        raise typer.Exit(130) from None
    if chosen:
        echo(f"{len(chosen)} prioriteringer er lagret i runde {rnd.id}: {', '.join(chosen)}.")
        echo(f"Neste steg: samordna plan {directory}")


# --- demo -------------------------------------------------------------------------

DEMO_RATIONALES = {
    0: ["Gruppen fant ingen felles plan eller rutine for dette ennå.",
        "Ingen av tjenestene kjente til at dette finnes hos oss."],
    1: ["Arbeidet er startet, men er ikke tatt i bruk i tjenestene.",
        "Det finnes et utkast, men det er ikke vedtatt eller kjent."],
    2: ["Det finnes rutiner, men de er ikke kjent eller brukt i alle tjenestene.",
        "Gode eksempler i noen tjenester, men det avhenger av enkeltpersoner."],
    3: ["Dette er på plass og brukes, men oppfølgingen er ikke systematisk.",
        "Rutinen er kjent og brukt; ledergruppen har ikke fulgt den opp i år."],
    4: ["Gruppen var enig om at dette er på plass og blir fulgt opp i ledermøtet.",
        "På plass, evaluert i år og justert etter innspill fra tjenestene."],
}
DEMO_DISSENTS = [
    "Skolen mener nivået er lavere sett fra klasserommet.",
    "Barnevernet opplever dette som bedre enn gruppen samlet.",
    "Kultur og fritid kjenner ikke rutinen og ville satt et lavere nivå.",
]


def demo_step(ctx) -> None:
    """Consensus for every indicator of the newest round, then four priorities, through the real flow."""
    from ..consensus_flow import consensus_order, individual_results, priority_choices, run_consensus, run_prioritize
    from ..bank import NOT_APPLICABLE
    from ..scoring import named_level
    from ..ui.prompter import ScriptedPrompter

    ws = open_workspace(ctx.workspace)
    rnd = ws.round()
    rng = random.Random(4242)
    done = rnd.consensus()
    script = []
    for r in consensus_order(rnd.bank, individual_results(rnd)):
        if not r.n_responses or r.id in done:
            continue
        if r.median is None:  # nobody gave a level
            if r.n_not_applicable > r.n_dont_know:
                script += [NOT_APPLICABLE, "Gruppen mente påstanden ikke passer for kommunen i dag.", ""]
            else:
                script += [1, "Ingen visste nok; gruppen satte nivå 1 til dette er undersøkt.", ""]
            continue
        level = max(0, min(4, named_level(r.median) + (rng.choice([-1, 0, 0, 0]) if r.disagreement else 0)))
        script += [level, rng.choice(DEMO_RATIONALES[level]), rng.choice(DEMO_DISSENTS) if r.disagreement else ""]
    summary = run_consensus(rnd, ScriptedPrompter(script))
    ranked = priority_choices(ws, rnd)
    chosen = [p.id for p in ranked[:4]]
    run_prioritize(ws, rnd, ScriptedPrompter([chosen, True]))
    ctx.say(f"Konsensus for runde {rnd.id}: {summary.agreed} av {summary.total} påstander; "
            f"prioriteringer: {', '.join(chosen)}.")
    ctx.wrote(rnd.consensus_path, "Konsensus")
    ctx.wrote(rnd.priorities_path, "Prioriteringer")


def register(app: typer.Typer) -> None:
    app.command("consensus")(consensus)
    app.command("prioritize")(prioritize)
