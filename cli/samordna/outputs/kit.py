"""The workshop kit: a personal answer form per participant code, cut-out slips with code and PIN,
a blank form and the facilitator's guide.

The codes come from the generator in ``core.codes`` (four characters, never sequential, never a name);
each gets a PIN that is printed only on the slips (``deltakerlapper-….html``). The round keeps a salted
hash of each PIN (``io.pins``), so ``assess`` can ask for it before anyone resumes or reviews saved answers.
Form file names carry the public code only.
"""

from __future__ import annotations

import random
import secrets
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

from samordna.core import fmt
from samordna.core.codes import generate_codes
from samordna.core.errors import SamordnaError
from samordna.i18n import _
from samordna.io.atomic import atomic_write_text
from samordna.io.pins import add_pins, hash_pins, load_pins, make_pin
from samordna.io.workspace import Round, Workspace
from samordna.io.xlsx import import_openpyxl
from samordna.outputs.forms import FormPress, form_filename, write_form, write_forms
from samordna.outputs.guide import write_guide
from samordna.outputs.pdf import pdf_beside

MAX_PARTICIPANTS = 200  # a county's seminar for several municipalities; the codes have room for far more
SLIPS_PREFIX = "deltakerlapper"


def default_out(ws: Workspace, rnd: Round) -> Path:
    return ws.root / "skjema" / rnd.id


def slips_filename(rnd: Round, suffix: str = "html") -> str:
    return f"{SLIPS_PREFIX}-{rnd.workspace.slug}-{rnd.id}.{suffix}"


def render_slips(rnd: Round, pins: dict[str, str], path: Path, today: date | None = None) -> str:
    from samordna.outputs.html import render

    return render("slips.html", municipality=rnd.workspace.name, round_id=rnd.id, file_name=path.name,
                  slips=[{"code": c, "pin": pins[c]} for c in sorted(pins)],
                  made=fmt.numeric_day(today or date.today()))


def _free_slips_path(out: Path, rnd: Round) -> Path:
    """The slips file; a second kit for the round never overwrites the first one's slips (their PINs are nowhere else)."""
    path = out / slips_filename(rnd)
    k = 2
    while path.exists() or path.with_suffix(".pdf").exists():
        path = out / f"{SLIPS_PREFIX}-{rnd.workspace.slug}-{rnd.id}-{k}.html"
        k += 1
    return path


def make_kit(ws: Workspace, rnd: Round, n: int, out: Path, pdf: bool = False, guide: bool = True,
             rng: random.Random | None = None) -> tuple[list[str], list[Path], list[Path]]:
    """Write ``n`` personal forms (new codes, each with a PIN), the slips, a blank form and the guide.

    Returns (codes, form paths with the blank form last, the facilitator's papers: the slips first
    (``deltakerlapper-….html``, and .pdf), then the guide). ``rng`` makes codes and PINs (a seeded one
    in tests and the demo; by default the system's secure random source)."""
    if not 0 <= n <= MAX_PARTICIPANTS:
        raise SamordnaError(_("Antall deltakere må være mellom 0 og {max} (fikk {n}).").format(max=MAX_PARTICIPANTS, n=n))
    import_openpyxl()
    if out.exists() and not out.is_dir():
        raise SamordnaError(_("{path} finnes og er ikke en mappe.").format(path=out), path=out)
    rng = rng or secrets.SystemRandom()
    papers: list[Path] = []
    with ws.lock("kit"):  # two kits at once never hand out the same codes
        taken = set(rnd.participant_codes()) | set(load_pins(rnd))
        codes: list[str] = []
        while len(codes) < n:  # never a code whose form was handed out earlier: someone may have filled it
            codes = sorted({*codes, *(c for c in generate_codes(rng, n - len(codes), taken | set(codes))
                                     if not (out / form_filename(rnd, c)).exists())})
        pins = {code: make_pin(rng) for code in codes}
        with ThreadPoolExecutor(max_workers=1) as background:
            # the PINs are hashed (on the other cores) while the slips are written and the form is built
            hashed = background.submit(hash_pins, pins) if codes else None
            press = FormPress(rnd) if codes else None
            if codes:
                slips = _free_slips_path(out, rnd)
                html = render_slips(rnd, pins, slips)
                out.mkdir(parents=True, exist_ok=True)
                atomic_write_text(slips, html)  # the slips first: a PIN stored but printed nowhere would lock a code
                papers.append(slips)
                papers += pdf_beside(html, slips, pdf)
                add_pins(rnd, pins, hashed.result() if hashed else None)
        forms = write_forms(rnd, codes, out, press)
        forms.append(write_form(rnd, None, out))
    if guide:
        papers += write_guide(rnd, out, codes, pdf=pdf)
    return codes, forms, papers
