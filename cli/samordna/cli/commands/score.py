"""samordna score: the results in the terminal, or as JSON.

The legal minimum comes first; every verdict is printed with the sentence that explains it (the same
sentences the report and the JSON carry), and a source not confirmed at its origin is marked «Ikke bekreftet»."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from samordna.cli.common import LangOpt, RoundOpt, WorkspaceDir, console, documents, note_default_round, open_workspace
from samordna.core import fmt
from samordna.i18n import N_, _, n_

if TYPE_CHECKING:
    from rich.table import Table

    from samordna.core.bank import Bank
    from samordna.core.result_model import RoundResult, SourceResult


def escape(text: str) -> str:
    """Bank and user text printed as it is (never read as rich markup)."""
    from rich.markup import escape as rich_escape

    return rich_escape(text)


def _legal_table(result: RoundResult) -> Table:
    """The legal minimum, first: the answer in words, the counts (every «nei» shown), who knows, the citation."""
    from rich import box
    from rich.table import Table

    from samordna.outputs.report import legal_counts, legal_no_warning, legal_source_text

    t = Table(title=_("Juridisk minimum – det loven krever"), box=box.SIMPLE_HEAD, title_justify="left",
              caption=_("Hvem som vet svaret, står i rapporten og veiledningen."), caption_justify="left")
    t.add_column(_("Lovkrav"), ratio=3)
    t.add_column(_("Svar"), ratio=2)
    t.add_column(_("Svarene"), ratio=2)
    t.add_column(_("Hjemmel"), ratio=3)
    for lr in result.legal:
        counts = legal_counts(lr)
        if warn := legal_no_warning(lr):
            counts += f"\n[bold]{warn}[/bold]"
        cite = escape(lr.citation or ", ".join(lr.references))
        if lr.url:
            cite = f"[link={lr.url}]{cite}[/link]"
        t.add_row(escape(f"{lr.id} {lr.short}"), f"[bold]{escape(lr.answer_label)}[/bold]\n{escape(legal_source_text(lr))}",
                  counts, cite)
    return t


def _domain_table(result: RoundResult) -> Table:
    from rich import box
    from rich.table import Table

    t = Table(title=_("Områder – runde {round}").format(round=result.round), box=box.SIMPLE_HEAD, title_justify="left")
    t.add_column(_("Område"))
    t.add_column(_("Nivå 0–4"), justify="right")
    t.add_column(_("Poeng"), justify="right")
    t.add_column(_("Mål"), justify="right")
    t.add_column(_("Uenighet"), justify="right")
    t.add_column(_("Vet ikke"), justify="right")
    for d in result.domains:
        t.add_row(escape(d.name) + (" " + _("(begrenset)") if d.explanation else ""), fmt.num(d.level), fmt.num(d.score, 0),
                  fmt.num(d.target_score, 0), str(d.n_disagreements), fmt.pct(d.share_dont_know))
    t.add_section()
    t.add_row(_("Samlet"), fmt.num(result.overall_level), fmt.num(result.overall_score, 0), "", "", "")
    return t


def verdict_lines(bank: Bank, result: RoundResult, sources: list[SourceResult]) -> list[tuple[str, str, str]]:
    """(name with «Ikke bekreftet», verdict label, why) for each source, as ``score`` prints them."""
    from samordna.core.result_model import VERDICT_NONE
    from samordna.outputs.report import UNCONFIRMED, no_verdict_label, source_flags

    out = []
    for s in sources:
        flags = source_flags(bank, s.id)
        name = s.short + (f" [{_(UNCONFIRMED)}]" if not s.confirmed or flags["unconfirmed"] else "")
        no_verdict = s.verdict == VERDICT_NONE or flags["no_verdict"]
        label = no_verdict_label(s.kind) if no_verdict else s.verdict_label
        why = s.explanation
        if no_verdict and flags["note"] and flags["note"] not in why:
            why = (why + " " if why else "") + flags["note"]
        out.append((name, label, why or "–"))
    return out


def _verdict_table(bank: Bank, result: RoundResult, title: str, head: str, sources: list[SourceResult]) -> Table:
    from rich import box
    from rich.table import Table

    r = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left")
    r.add_column(head, ratio=2)
    r.add_column(_("Vurdering"), ratio=2)
    r.add_column(_("Hvorfor"), ratio=5)
    for name, label, why in verdict_lines(bank, result, sources):
        r.add_row(escape(name), f"[bold]{escape(label)}[/bold]", escape(why))
    return r


def _priority_table(result: RoundResult, bank: Bank) -> Table:
    from rich import box
    from rich.table import Table

    ind_short = {i.id: i.short for i in bank.indicators}
    p = Table(title=_("Forslag til prioriteringer (gap × vekt)"), box=box.SIMPLE_HEAD, title_justify="left")
    p.add_column("#", justify="right")
    p.add_column(_("Påstand"))
    p.add_column(_("Nivå"), justify="right")
    p.add_column(_("Mål"), justify="right")
    p.add_column(_("Merk"))
    for pr in result.priorities[:8]:
        notes = []
        if pr.chosen:
            notes.append(_("valgt"))
        if pr.disagreement:
            notes.append(_("uenighet"))
        if pr.share_dont_know >= 0.3:
            notes.append(_("vet ikke {share}").format(share=fmt.pct(pr.share_dont_know)))
        p.add_row(str(pr.rank), escape(f"{pr.id} {ind_short.get(pr.id, pr.short)}"), fmt.num(pr.level), str(pr.target),
                  ", ".join(notes))
    return p


def _history_table(result: RoundResult, history: list[RoundResult]) -> Table:
    from rich import box
    from rich.table import Table

    h = Table(title=_("Utvikling (poeng 0–100)"), box=box.SIMPLE_HEAD, title_justify="left")
    h.add_column(_("Område"))
    prev = None
    for hr in history:
        changed = prev is not None and (prev.bank_id, prev.bank_version) != (hr.bank_id, hr.bank_version)
        h.add_column(hr.round + (" " + _("(bank {version})").format(version=hr.bank_version) if changed else ""),
                     justify="right")
        prev = hr
    names = {d.id: d.name for d in result.domains}
    for dom_id, name in names.items():
        row = []
        for hr in history:
            d = next((x for x in hr.domains if x.id == dom_id), None)
            row.append(fmt.num(d.score, 0) if d else "–")
        h.add_row(escape(name), *row)
    return h


def _mirror_table(ws, rnd, result: RoundResult) -> tuple[Table, list[str]] | None:
    """The young people's mirror beside the leaders' levels, as the report shows it (a group under the smallest
    size is «færre enn 5», never a number), and the largest gaps in words. None without mirror answers."""
    from rich import box
    from rich.table import Table

    from samordna.io.mirrorfile import round_mirror
    from samordna.outputs.mirror_report import area_rows, gap_sentence, role_heads

    found = round_mirror(ws, rnd, result)
    if found is None:
        return None
    bank, view = found
    t = Table(title=_("Speilet: slik opplever ungdommene og foreldrene det (0–4)"), box=box.SIMPLE_HEAD,
              title_justify="left")
    t.add_column(_("Område"))
    t.add_column(_("Lederne"), justify="right")
    for head in role_heads():
        t.add_column(escape(head), justify="right")
    for row in area_rows(view):
        t.add_row(escape(row["name"]), row["leaders"], *(escape(c) for c in row["cells"]))
    return t, [gap_sentence(g) for g in view.named_gaps(bank.gap_to_name)]


def _tables(result: RoundResult, bank: Bank, history: list[RoundResult]) -> list[Table]:
    tables = []
    if result.legal:
        tables.append(_legal_table(result))
    tables += [_domain_table(result),
               _verdict_table(bank, result, _("Retningslinjen IS-2826 – anbefalingene"), _("Anbefaling"),
                              result.recommendations)]
    if result.duties:
        tables.append(_verdict_table(bank, result, _("Samarbeidspliktene"), _("Plikt"), result.duties))
    if result.laws:
        tables.append(_verdict_table(bank, result, _("Lovene"), _("Lov"), result.laws))
    tables.append(_priority_table(result, bank))
    if len(history) > 1:
        tables.append(_history_table(result, history))
    return tables


def _explanations(result: RoundResult) -> list[str]:
    """The sentences printed after the tables: why a domain's named level is capped, and the overall one."""
    lines = [f"{d.name}: {d.explanation}" for d in result.domains if d.explanation]
    if result.overall_capped_by:
        d = next((x for x in result.domains if x.id == result.overall_capped_by), None)
        if d is not None:
            lines.append(_("Det samlede nivånavnet er begrenset av området {domain}.").format(domain=d.name))
    return lines


EXAMPLE = N_("""Eksempler:

  samordna score fjordvik

  samordna score fjordvik --round 2025

  samordna score fjordvik --json > resultater.json""")
HELP = N_("Vis resultatene: nivå per område og per anbefaling i retningslinjen, og forslag til prioriteringer.")


def score(
    directory: WorkspaceDir,
    round_id: RoundOpt = None,
    as_json: Annotated[bool, typer.Option(
        "--json", help=_("Skriv resultatene som JSON (formatet står i docs/json-format.md). Uten --round: alle "
                         "runder."))] = False,
    lang: LangOpt = None,
) -> None:
    """Print the results (levels, verdicts, priorities) in the terminal, or all of them as JSON."""
    from samordna.core.results import workspace_results
    from samordna.outputs.results_json import results_json

    ws = open_workspace(directory)
    if as_json:
        with documents(ws):  # the JSON's sentences and labels in the municipality's language form (or --lang)
            typer.echo(results_json(ws, workspace_results(ws, round_id)))
        return
    history = workspace_results(ws)
    note_default_round(ws, round_id)
    rnd = ws.round(round_id)
    result = next(r for r in history if r.round == rnd.id)
    shown_history = [h for h in history if h.year <= result.year]
    out = console()
    out.print(_("[bold]{municipality}[/bold] ({number}) – runde {round}, bank {bank} {version}").format(
        municipality=ws.name, number=ws.number, round=result.round, bank=result.bank_id, version=result.bank_version))
    n_ind = len(result.indicators)
    if result.uses_consensus == n_ind:
        source = _("Alle påstandene bruker gruppens konsensus.")
    elif result.uses_consensus:
        source = _("{n_consensus} av {n} påstander bruker gruppens konsensus; "
                   "resten medianen av de individuelle svarene.").format(n_consensus=result.uses_consensus, n=n_ind)
    else:
        source = _("Ingen konsensus registrert ennå: nivåene er medianen av de individuelle svarene.")
    out.print(n_("{n} deltaker. Samlet nivå {level} av 4 ({level_name}), {score} poeng.",
                 "{n} deltakere. Samlet nivå {level} av 4 ({level_name}), {score} poeng.",
                 result.n_participants).format(
        n=result.n_participants, level=fmt.num(result.overall_level), level_name=result.overall_level_name or "–",
        score=fmt.num(result.overall_score, 0)))
    out.print(source)
    for table in _tables(result, rnd.bank, shown_history):
        out.print(table)
    for line in _explanations(result):
        out.print(escape(line))
    mirror = _mirror_table(ws, rnd, result)
    if mirror is not None:
        out.print(mirror[0])
        for line in mirror[1]:
            out.print(escape(line))
    from samordna.outputs.report import UNCONFIRMED

    unconfirmed = f"[{_(UNCONFIRMED)}]"
    if any(unconfirmed in name for src in (result.recommendations, result.duties, result.laws)
           for name, _label, _why in verdict_lines(rnd.bank, result, src)):
        out.print(_("[Ikke bekreftet]: innholdet er ikke bekreftet mot kilden; merknaden står i banken og i rapporten."),
                  markup=False)
    if len(shown_history) > 1:
        from samordna.outputs.report_history import break_notes

        for line in break_notes(shown_history):
            out.print(escape(line))
    out.print(_("Metoden er forklart i «samordna metode»."))


def register(app: typer.Typer) -> None:
    app.command("score", help=_(HELP), epilog=_(EXAMPLE))(score)
