"""``samordna demo`` from start to end: copy the sample municipality, run every step, write the results."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from pathlib import Path

from samordna.core import fmt
from samordna.core.errors import SamordnaError
from samordna.core.migration import comparability
from samordna.core.result_model import RoundResult
from samordna.core.results import workspace_results
from samordna.demo.steps import STEPS, DemoContext
from samordna.io.atomic import atomic_write_text
from samordna.io.resources import sample_path
from samordna.io.workspace import Workspace, check_workspace
from samordna.outputs.pdf import how_to_get_pdf, pdf_available
from samordna.outputs.results_json import results_json

MARKER = ".samordna-demo"


def _prepare_out(out: Path) -> None:
    if out.exists():
        if not out.is_dir():
            raise SamordnaError(f"{out} finnes og er ikke en mappe.", path=out)
        if any(out.iterdir()) and not (out / MARKER).exists():
            raise SamordnaError(
                f"Mappen {out} finnes og er ikke en tidligere demo. Velg en annen mappe med --out.", path=out
            )
        shutil.rmtree(out)
    out.mkdir(parents=True)
    (out / MARKER).write_text("Denne mappen er laget av «samordna demo» og kan skrives over av den.\n", encoding="utf-8")


def _highlights(ws: Workspace, results: list[RoundResult]) -> list[str]:
    """What is new in bank 2.0, in the newest round: the legal minimum, a verdict explained, the trend across
    the bank change and the municipality's own indicator."""
    newest = results[-1]
    lines: list[str] = []
    if newest.legal:
        counts = {label: sum(r.answer_label == label for r in newest.legal) for label in ("Ja", "Nei", "Uavklart")}
        lines.append("Juridisk minimum: " + ", ".join(f"{n} {label.lower()}" for label, n in counts.items()) + ".")
        lines += [f"  Nei: {r.id} {r.short} ({r.citation})" for r in newest.legal if r.answer_label == "Nei"]
    failed = [s for s in [*newest.recommendations, *newest.duties, *newest.laws] if s.verdict == "ikke_oppfylt"]
    if failed:
        lines.append(f"Ikke oppfylt: {len(failed)} anbefalinger, plikter og lover. For eksempel: {failed[0].explanation}")
    if len(results) > 1:
        prev = results[-2]
        bank = ws.round(newest.round).bank
        comp = comparability(bank, prev.bank_id, prev.bank_version, [r.id for r in prev.indicators])
        same = sum(c.comparable for c in comp.values())
        if prev.bank_version != newest.bank_version:
            lines.append(f"Banken ble byttet fra {prev.bank_version} til {newest.bank_version}: {same} av {len(comp)} "
                         f"påstander kan sammenlignes med {prev.round}; rapporten viser trend for dem og sier hvorfor "
                         "de andre ikke har det.")
    for ind_id in newest.local_indicators:
        r = newest.indicator(ind_id)
        lines.append(f"Lokal påstand fra {newest.local_owner}: {r.id} {r.short}, nivå {fmt.short(r.level)}.")
    return lines


# What ``--pdf`` adds, in the words the demo uses when it was not asked for.
PDF_ON_REQUEST = ("rapporten, sammendraget, fasilitatorveiledningen, lappene med kode og PIN, fylkesbildet "
                  "og én side per kommune")


def pdf_note(pdf: bool, can_pdf: bool) -> str | None:
    """What the demo says at the end about PDF: how to get the PDFs it did not make (None when it made them)."""
    if not pdf:
        return ("PDF er ikke laget, så demoen går raskt. Vil du også ha PDF av " + PDF_ON_REQUEST
                + ", kjør «samordna demo --pdf».")
    if not can_pdf:
        return how_to_get_pdf()
    return None


def run_demo(out: Path, *, pdf: bool = False, say: Callable[[str], None]) -> DemoContext:
    """Everything on the fictional sample municipality, written to ``out``; PDF only when ``pdf`` is asked."""
    started = time.perf_counter()
    sample = sample_path()
    if not (sample / "kommune.yaml").exists():
        raise SamordnaError(f"Fant ikke eksempelkommunen i {sample}. Er samordna installert riktig?", path=sample)
    _prepare_out(out)
    ws_dir = out / "arbeidsomrade"
    shutil.copytree(sample, ws_dir, ignore=shutil.ignore_patterns(".*", "__pycache__"))
    ws = Workspace(ws_dir)
    say(f"Eksempelkommunen {ws.name} ({ws.number}) er kopiert til {ws_dir}.")
    for line in check_workspace(ws_dir):
        say(line)

    can_pdf = pdf and pdf_available()
    ctx = DemoContext(workspace=ws_dir, out=out, say=say, pdf=can_pdf)
    for step in STEPS:
        step(ctx)

    results = workspace_results(ws)
    json_path = out / "resultater.json"
    atomic_write_text(json_path, results_json(ws, results) + "\n")
    ctx.wrote(json_path, "Resultater (JSON)")
    newest = results[-1]
    say("")
    say(f"Runde {newest.round}: samlet nivå {fmt.num(newest.overall_level)} av 4 ({newest.overall_level_name}).")
    for d in newest.domains:
        say(f"  {d.name:<40} {fmt.num(d.score, 0):>5} poeng")
    for line in _highlights(ws, results):
        say(line)
    note = pdf_note(pdf, can_pdf)
    if note:
        say("")
        say(note)
    say(f"Ferdig på {time.perf_counter() - started:.1f} s. Se {out}.")
    return ctx
