"""The workshop kit: a personal answer form per participant code, a blank form and the facilitator's guide."""

from __future__ import annotations

from pathlib import Path

from samordna.core.codes import next_codes
from samordna.core.errors import SamordnaError
from samordna.io.workspace import Round, Workspace
from samordna.outputs.forms import form_filename, write_form
from samordna.outputs.guide import write_guide

MAX_PARTICIPANTS = 99


def default_out(ws: Workspace, rnd: Round) -> Path:
    return ws.root / "skjema" / rnd.id


def make_kit(ws: Workspace, rnd: Round, n: int, out: Path, pdf: bool = False,
             guide: bool = True) -> tuple[list[str], list[Path], list[Path]]:
    """Write ``n`` personal forms (new codes), a blank form and the guide. Returns (codes, form paths, guide paths)."""
    if not 0 <= n <= MAX_PARTICIPANTS:
        raise SamordnaError(f"Antall deltakere må være mellom 0 og {MAX_PARTICIPANTS} (fikk {n}).")
    if out.exists() and not out.is_dir():
        raise SamordnaError(f"{out} finnes og er ikke en mappe.", path=out)
    with ws.lock("kit"):  # two kits at once never hand out the same codes
        taken = set(rnd.participant_codes())
        # a code whose form was handed out earlier is taken too: never overwrite a form someone may have filled
        taken |= {c for c in next_codes(set(), MAX_PARTICIPANTS) if (out / form_filename(rnd, c)).exists()}
        codes = next_codes(taken, n)
        forms = [write_form(rnd, code, out) for code in codes]
        forms.append(write_form(rnd, None, out))
    guides = write_guide(rnd, out, codes, pdf=pdf) if guide else []
    return codes, forms, guides
