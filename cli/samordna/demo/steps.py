"""The demo's steps, run in order on a copy of the sample municipality.

Each step drives the real code (forms are filled and imported, consensus and
priorities go through the flows with a scripted prompter, the plan, the report
and the county view are written) and says what it wrote through the context.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from samordna.core.answers import NOT_APPLICABLE, YES
from samordna.core.mirror import YOUNG
from samordna.core.scoring import named_level
from samordna.demo.synthetic import Profile, RoundSpec, generate, legal_consensus_script, random_answers
from samordna.flows.consensus import consensus_order, individual_results, run_consensus
from samordna.flows.prioritize import add_mirror_priorities, mirror_choices, priority_choices, run_prioritize
from samordna.i18n import _, use_language
from samordna.io.bankfile import archived_bank_path
from samordna.io.forms_reader import apply_import, read_forms
from samordna.io.resources import default_bank_path
from samordna.io.workspace import Workspace
from samordna.outputs.forms import fill_form
from samordna.outputs.guide import write_guide
from samordna.outputs.kit import make_kit
from samordna.outputs.plan import write_plan
from samordna.outputs.region_run import run_region
from samordna.outputs.report import write_report
from samordna.ui.prompter import ScriptedPrompter


@dataclass
class DemoContext:
    workspace: Path
    out: Path
    say: Callable[[str], None]
    pdf: bool = False  # PDF only when asked (--pdf) and WeasyPrint is there: the demo checks before the steps
    written: list[Path] = field(default_factory=list)

    def wrote(self, path: Path, what: str) -> None:
        self.written.append(path)
        self.say(f"  {what}: {path}")


DEMO_SECTORS = [("kultur-fritid", 1.7), ("flyktning", 2.1)]
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


def kit_step(ctx: DemoContext) -> None:
    """Forms for two new participants in the newest round, filled and imported; the guide."""
    ws = Workspace(ctx.workspace)
    rnd = ws.round()
    out = Path(ctx.out) / "skjema"
    rng = random.Random(2026)
    codes, forms, papers = make_kit(ws, rnd, len(DEMO_SECTORS), out, pdf=ctx.pdf, guide=False,
                                    rng=random.Random(13))
    filled = []
    for path, (sector, mean) in zip(forms, DEMO_SECTORS, strict=False):  # forms[-1] is the blank form
        fill_form(path, ws.sectors.name(sector), random_answers(rnd.bank, rng, mean, sector))
        filled.append(path)
    apply_import(read_forms(rnd, filled))
    ctx.say(_("Samlingssett for runde {round}: {n} skjema fylt ut og lest inn ({codes}).").format(
        round=rnd.id, n=len(codes), codes=", ".join(codes)))
    for path in forms:
        ctx.wrote(path, _("Svarskjema"))
    for path in papers:
        ctx.wrote(path, _("Lapper med kode og PIN") + (" (PDF)" if path.suffix == ".pdf" else ""))

    for g in write_guide(rnd, Path(ctx.out), codes, pdf=ctx.pdf):
        ctx.wrote(g, _("Fasilitatorveiledning") + (" (PDF)" if g.suffix == ".pdf" else ""))

def mirror_step(ctx: DemoContext) -> None:
    """The young people's mirror: the sample's youth council and parents' group have answered (fictional, in
    the sample); the mirror's forms and ballots are written as ``kit --speil`` writes them."""
    from samordna.core.mirror import GROUP_NAMES, ROLES, mirror_view
    from samordna.io.mirrorfile import MirrorStore, shipped_mirror_bank
    from samordna.outputs.mirror_kit import write_mirror_kit

    ws = Workspace(ctx.workspace)
    rnd = ws.round()
    bank = shipped_mirror_bank(ws.language or "nb")
    view = mirror_view(bank, MirrorStore(rnd.dir).responses(bank), {}, {}, ws.mirror_min_group)
    groups = [_("{group}: {n}").format(group=_(GROUP_NAMES[r]), n=view.groups[r]) for r in ROLES
              if view.groups[r] is not None]
    ctx.say(_("Speilet for runde {round}: ungdomsrådet og foreldreutvalget har svart ({groups}).").format(
        round=rnd.id, groups=", ".join(groups)))
    forms, ballots = write_mirror_kit(rnd, Path(ctx.out) / "skjema", pdf=ctx.pdf)
    for path in forms:
        ctx.wrote(path, _("Skjema for speilet"))
    for path in ballots:
        ctx.wrote(path, _("Papirskjema for speilet") + (" (PDF)" if path.suffix == ".pdf" else ""))


def consensus_step(ctx: DemoContext) -> None:
    """Consensus for every indicator of the newest round, then four priorities, through the real flow."""
    ws = Workspace(ctx.workspace)
    rnd = ws.round()
    rng = random.Random(4242)
    done = rnd.consensus()
    with use_language(ws.language or "nb"):  # the group writes in its own language form, whatever the documents' is
        # the legal minimum is asked first; the youth council that answered the mirror was elected by the council
        # (LM-09, kommuneloven § 5-12): the group finds the decision, whatever the answers said
        youth_council = {"LM-09": YES} if "LM-09" in rnd.bank.legal_by_id else {}
        script: list[int | str] = [*legal_consensus_script(rnd, rng, youth_council)]
    for r in consensus_order(rnd.bank, individual_results(rnd)):
        if not r.n_responses or r.id in done:
            continue
        median = r.median
        if median is None:  # nobody gave a level
            if r.n_not_applicable > r.n_dont_know:
                script += [NOT_APPLICABLE, "Gruppen mente påstanden ikke passer for kommunen i dag.", ""]
            else:
                script += [1, "Ingen visste nok; gruppen satte nivå 1 til dette er undersøkt.", ""]
            continue
        level = max(0, min(4, named_level(median) + (rng.choice([-1, 0, 0, 0]) if r.disagreement else 0)))
        script += [level, rng.choice(DEMO_RATIONALES[level]), rng.choice(DEMO_DISSENTS) if r.disagreement else ""]
    summary = run_consensus(rnd, ScriptedPrompter(script))
    ranked = priority_choices(ws, rnd)
    chosen = [p.id for p in ranked[:4]]
    run_prioritize(ws, rnd, ScriptedPrompter([chosen, True]))
    gaps = mirror_choices(ws, rnd)  # the young people's largest gap becomes a priority too, marked as theirs
    if gaps:
        gap = gaps[0].gap
        chosen += add_mirror_priorities(ws, rnd, [gap.area if gap.role == YOUNG else f"{gap.area}:{gap.role}"])
    ctx.say(_("Konsensus for runde {round}: {agreed} av {total} påstander; prioriteringer: {chosen}.").format(
        round=rnd.id, agreed=summary.agreed, total=summary.total, chosen=", ".join(chosen)))
    ctx.wrote(rnd.consensus_path, _("Konsensus"))
    ctx.wrote(rnd.priorities_path, _("Prioriteringer"))

def plan_step(ctx: DemoContext) -> None:
    """The plan for the sample municipality's newest round, starting from the filled-in 2025 plan."""

    ws = Workspace(ctx.workspace)
    rnd = ws.round()
    path = write_plan(ws, rnd)
    ctx.wrote(path, _("Handlingsplan {year} (Excel)").format(year=rnd.year))

def report_step(ctx: DemoContext) -> None:
    """The report for the sample municipality's newest round and its one-page summary (PDF when asked)."""
    ws = Workspace(ctx.workspace)
    files = write_report(ws, None, ctx.out / "report.html", pdf=ctx.pdf)
    ctx.wrote(files.html, _("Rapport (HTML)"))
    if files.pdf:
        ctx.wrote(files.pdf, _("Rapport (PDF)"))
    if files.youth is not None:
        ctx.wrote(files.youth, _("Siden til ungdomsrådet (HTML)"))
    if files.summary is not None:
        ctx.wrote(files.summary.html, _("Sammendrag på én side (HTML)"))
        if files.summary.pdf:
            ctx.wrote(files.summary.pdf, _("Sammendrag på én side (PDF)"))

def region_step(ctx: DemoContext) -> None:
    """A small region: the demo municipality and five generated neighbours (2024-2025 on bank 1.0.0 and
    2026 on the current bank; one neighbour has not changed banks yet, so the county view mixes versions).
    Austdal and Vestfjord have nynorsk as their language form: their one-pagers are in nynorsk."""
    neighbours = [("Nordvik", "9901", 1.9, 0.25, None), ("Austdal", "9902", 2.6, 0.1, "nn"),
                  ("Vestfjord", "9903", 1.4, 0.3, "nn"), ("Sørheim", "9904", 2.2, 0.2, None),
                  ("Lillenes", "9905", 3.0, 0.05, None)]
    domains = ["LED", "ROL", "SAM", "TID", "TAU", "KOM", "BRU", "OPP"]
    sectors = ["ledelse", "barnehage", "grunnskole", "helsestasjon", "barnevern", "nav", "ppt", "psykisk-helse-rus"]
    root = ctx.out / "region-workspaces"
    ctx.say("")
    ctx.say(_("Fylkesbildet: eksempelkommunen og fem oppdiktede nabokommuner."))
    for k, (name, number, base, trend, form) in enumerate(neighbours):
        levels = {d: [round(min(3.8, max(0.3, base + ((k * 3 + j * 5) % 7 - 3) * 0.25 + trend * y)), 2) for y in range(3)]
                  for j, d in enumerate(domains)}
        old = archived_bank_path("samordna-0-24", "1.0.0")
        generate(root / name.lower().replace("ø", "o"), default_bank_path(), name=name, number=number,
                 rounds=[RoundSpec(y, sectors, consensus=True, priorities=False,
                                   bank_path=old if y < 2026 or name == "Lillenes" else None)
                         for y in (2024, 2025, 2026)],
                 profile=Profile(levels=levels), seed=100 + k, comments=False, language=form)
    _region, files = run_region([ctx.workspace, root], ctx.out / "region", pdf=ctx.pdf, quiet=True)
    ctx.wrote(files.html, _("Fylkesbildet (HTML)"))
    ctx.wrote(files.xlsx, _("Fylkesbildet (Excel)"))
    ctx.wrote(files.onepagers[0].parent, _("Én side per kommune"))
    for p in files.pdfs[:1]:
        ctx.wrote(p, _("Fylkesbildet (PDF)"))
    if files.pdfs[1:]:
        ctx.wrote(files.pdfs[1].parent, _("Én side per kommune (PDF)"))


STEPS = [kit_step, mirror_step, consensus_step, plan_step, report_step, region_step]
