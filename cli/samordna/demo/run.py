"""``samordna demo`` from start to end: copy the sample municipality, run every step, write the results."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from pathlib import Path

from samordna.core import fmt
from samordna.core.errors import SamordnaError
from samordna.core.migration import comparability
from samordna.core.result_model import LEGAL_NO, LEGAL_UNKNOWN, LEGAL_YES, RoundResult
from samordna.core.results import workspace_results
from samordna.demo.steps import STEPS, DemoContext
from samordna.i18n import N_, _, document_language, n_, use_language
from samordna.io.atomic import atomic_write_text
from samordna.io.resources import sample_path
from samordna.io.workspace import Workspace, check_workspace
from samordna.outputs.pdf import how_to_get_pdf, pdf_available
from samordna.outputs.results_json import results_json

MARKER = ".samordna-demo"


def _prepare_out(out: Path) -> None:
    if out.exists():
        if not out.is_dir():
            raise SamordnaError(_("{path} finnes og er ikke en mappe.").format(path=out), path=out)
        if any(out.iterdir()) and not (out / MARKER).exists():
            raise SamordnaError(
                _("Mappen {path} finnes og er ikke en tidligere demo. Velg en annen mappe med --out.").format(path=out),
                path=out)
        shutil.rmtree(out)
    out.mkdir(parents=True)
    (out / MARKER).write_text(_("Denne mappen er laget av «samordna demo» og kan skrives over av den.") + "\n",
                              encoding="utf-8")


def _highlights(ws: Workspace, results: list[RoundResult]) -> list[str]:
    """What is new in bank 2.0, in the newest round: the legal minimum, a verdict explained, the trend across
    the bank change and the municipality's own indicator."""
    newest = results[-1]
    lines: list[str] = []
    if newest.legal:
        count = {a: sum(r.answer == a for r in newest.legal) for a in (LEGAL_YES, LEGAL_NO, LEGAL_UNKNOWN)}
        lines.append(_("Juridisk minimum: {yes} ja, {no} nei, {unknown} uavklart.").format(
            yes=count[LEGAL_YES], no=count[LEGAL_NO], unknown=count[LEGAL_UNKNOWN]))
        lines += ["  " + _("Nei: {id} {short} ({citation})").format(id=r.id, short=r.short, citation=r.citation)
                  for r in newest.legal if r.answer == LEGAL_NO]
    failed = [s for s in [*newest.recommendations, *newest.duties, *newest.laws] if s.verdict == "ikke_oppfylt"]
    if failed:
        lines.append(_("Ikke oppfylt: {n} anbefalinger, plikter og lover. For eksempel: {example}").format(
            n=len(failed), example=failed[0].explanation))
    if len(results) > 1:
        prev = results[-2]
        bank = ws.round(newest.round).bank
        comp = comparability(bank, prev.bank_id, prev.bank_version, [r.id for r in prev.indicators])
        same = sum(c.comparable for c in comp.values())
        if prev.bank_version != newest.bank_version:
            lines.append(_("Banken ble byttet fra {old} til {new}: {same} av {total} påstander kan sammenlignes med "
                           "{previous}; rapporten viser trend for dem og sier hvorfor de andre ikke har det.").format(
                old=prev.bank_version, new=newest.bank_version, same=same, total=len(comp), previous=prev.round))
    for ind_id in newest.local_indicators:
        r = newest.indicator(ind_id)
        lines.append(_("Lokal påstand fra {owner}: {id} {short}, nivå {level}.").format(
            owner=newest.local_owner, id=r.id, short=r.short, level=fmt.short(r.level)))
    return lines


# What ``--pdf`` adds, in the words the demo uses when it was not asked for.
PDF_ON_REQUEST = N_("rapporten, sammendraget, fasilitatorveiledningen, lappene med kode og PIN, fylkesbildet "
                  "og én side per kommune")


def pdf_note(pdf: bool, can_pdf: bool) -> str | None:
    """What the demo says at the end about PDF: how to get the PDFs it did not make (None when it made them)."""
    if not pdf:
        return _("PDF er ikke laget, så demoen går raskt. Vil du også ha PDF av {what}, kjør «samordna demo --pdf».").format(
            what=_(PDF_ON_REQUEST))
    if not can_pdf:
        return how_to_get_pdf()
    return None


def run_demo(out: Path, *, pdf: bool = False, say: Callable[[str], None], language: str | None = None) -> DemoContext:
    """Everything on the fictional sample municipality, written to ``out``; PDF only when ``pdf`` is asked.

    The sample municipality writes bokmål (its answers and comments are bokmål); its documents are in
    ``language`` when given (``demo --lang nn``). Two of the generated neighbours in the county view have
    nynorsk as their language form, so the county view mixes language forms as a real county does."""
    started = time.perf_counter()
    sample = sample_path()
    if not (sample / "kommune.yaml").exists():
        raise SamordnaError(_("Fant ikke eksempelkommunen i {path}. Er samordna installert riktig?").format(path=sample),
                            path=sample)
    _prepare_out(out)
    ws_dir = out / "arbeidsomrade"
    shutil.copytree(sample, ws_dir, ignore=shutil.ignore_patterns(".*", "__pycache__"))
    ws = Workspace(ws_dir)
    say(_("Eksempelkommunen {name} ({number}) er kopiert til {folder}.").format(name=ws.name, number=ws.number,
                                                                              folder=ws_dir))
    for line in check_workspace(ws_dir):
        say(line)

    can_pdf = pdf and pdf_available()
    ctx = DemoContext(workspace=ws_dir, out=out, say=say, pdf=can_pdf)
    with use_language(language or document_language(ws.language)):
        for step in STEPS:
            step(ctx)
        results = workspace_results(ws)
        json_path = out / "resultater.json"
        atomic_write_text(json_path, results_json(ws, results) + "\n")
    ctx.wrote(json_path, _("Resultater (JSON)"))
    newest = results[-1]
    say("")
    say(_("Runde {round}: samlet nivå {level} av 4 ({name}).").format(
        round=newest.round, level=fmt.num(newest.overall_level), name=newest.overall_level_name))
    for d in newest.domains:
        score = fmt.num(d.score, 0)
        say(f"  {d.name:<40} {score:>5} " + n_("poeng", "poeng", int(d.score or 0)))
    for line in _highlights(ws, results):
        say(line)
    note = pdf_note(pdf, can_pdf)
    if note:
        say("")
        say(note)
    say(_("Ferdig på {seconds} s. Se {folder}.").format(seconds=fmt.num(time.perf_counter() - started), folder=out))
    return ctx
