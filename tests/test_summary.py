"""The one-page summary («Kort fortalt»): the report's first page and a file of its own; contact details masked."""

from __future__ import annotations

import json
import re

import pytest
import yaml

from samordna.core.privacy import CONTACT_MASK
from samordna.outputs.pdf import pdf_available


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_report_writes_the_summary_file_with_what_a_council_needs(cli, sample_ws):
    res = cli(["report", sample_ws])
    assert res.exit_code == 0, res.output
    summary = sample_ws / "sammendrag-eksempeldal-2026.html"
    assert summary.exists() and str(summary) in res.output
    text = _text(summary.read_text(encoding="utf-8"))
    assert "Kort fortalt" in text and "Eksempeldal" in text and "runde 2026" in text
    # the legal minimum: every item, and how many «nei»
    assert "Juridisk minimum" in text and "4 er besvart «nei»" in text
    assert "Forebyggende plan vedtatt av kommunestyret" in text and "Internkontroll omfatter barnevernet" in text
    assert "Tre sterkeste områder" in text and "Tre svakeste områder" in text
    assert "Samarbeid på systemnivå og møteplasser: 75 poeng" in text  # strongest of 2026
    assert "Felles kompetanse: 37 poeng" in text  # weakest
    assert "Forslag til prioriteringer" in text  # the sample's 2026 group has not chosen yet
    # last year's plan (handlingsplan-eksempeldal-2025.xlsx): counts by status
    assert "Handlingsplanen fra runde 2025" in text and "41 tiltak" in text
    assert re.search(r"Ikke startet 24 Pågår 6 Fullført 9 Utsatt 1 Avbrutt 1 I alt 41", text), text
    assert "11 deltakere" in text
    # the report's first page is the same summary
    report = (sample_ws / "rapport-eksempeldal-2026.html").read_text(encoding="utf-8")
    assert report.index('id="kort-fortalt"') < report.index('id="forside"')
    assert "rapport-eksempeldal-2026.html" in text  # where the whole report is


def test_summary_of_a_first_round_and_of_chosen_priorities(cli, sample_ws):
    res = cli(["report", sample_ws, "--round", "2024"])
    assert res.exit_code == 0, res.output
    text = _text((sample_ws / "sammendrag-eksempeldal-2024.html").read_text(encoding="utf-8"))
    assert "første runden" in text  # no plan from a previous round
    assert "har ikke et juridisk minimum" in text  # bank 1.0.0


def test_summary_beside_a_report_written_elsewhere(cli, sample_ws, tmp_path):
    out = tmp_path / "ut" / "min-rapport.html"
    out.parent.mkdir()
    res = cli(["report", sample_ws, "--out", out])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "ut" / "min-rapport-sammendrag.html").exists()


def _plant_contacts(ws) -> None:
    """A rationale and a dissent with a phone number and an e-mail address in the sample's 2025 consensus."""
    path = ws / "runder" / "2025" / "konsensus.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    items = data["entries"]
    key = next(iter(items))
    items[key]["rationale"] = "Ring Kari på 912 34 567 om dette."
    items[key]["dissent"] = "Skriv til ola.nordmann@kommune.no for mer."
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_contacts_masked_in_the_report_and_the_json(cli, sample_ws):
    _plant_contacts(sample_ws)
    res = cli(["report", sample_ws, "--round", "2025"])
    assert res.exit_code == 0, res.output
    html = (sample_ws / "rapport-eksempeldal-2025.html").read_text(encoding="utf-8")
    assert "912 34 567" not in html and "ola.nordmann@kommune.no" not in html
    assert CONTACT_MASK in html
    res = cli(["score", sample_ws, "--json"])
    assert res.exit_code == 0, res.output
    doc = res.stdout
    assert "912 34 567" not in doc and "ola.nordmann@kommune.no" not in doc
    assert CONTACT_MASK in json.dumps(json.loads(doc), ensure_ascii=False)
    # the stored text is kept as typed
    assert "912 34 567" in (sample_ws / "runder" / "2025" / "konsensus.yaml").read_text(encoding="utf-8")


@pytest.mark.skipif(not pdf_available(), reason="WeasyPrint (med Pango) er ikke installert")
@pytest.mark.slow  # two PDFs: ~20 s
def test_summary_pdf_is_one_a4_page(cli, sample_ws):
    pypdf = pytest.importorskip("pypdf")
    res = cli(["report", sample_ws, "--pdf"])
    assert res.exit_code == 0, res.output
    reader = pypdf.PdfReader(str(sample_ws / "sammendrag-eksempeldal-2026.pdf"))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert abs(float(box.width) - 595.3) < 2 and abs(float(box.height) - 841.9) < 2
    text = reader.pages[0].extract_text()
    assert "KORT FORTALT" in text.upper() and "Juridisk minimum" in text
    assert "Handlingsplanen fra runde 2025" in text
