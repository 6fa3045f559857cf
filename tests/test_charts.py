"""Report charts: deterministic SVG data URIs, alt text, the Figure API (never pyplot), the dot layout."""

from __future__ import annotations

import base64
import subprocess
import sys
import xml.etree.ElementTree as ET

from samordna.outputs import charts


def _svg(uri: str) -> bytes:
    assert uri.startswith("data:image/svg+xml;base64,")
    return base64.b64decode(uri.split(",", 1)[1])


def _radar():
    return charts.radar(["Ledelse", "Roller og ansvar", "Samarbeid"],
                        [("Runde 2026", [3.0, 2.0, None]), ("Mål", [3, 3, 3])], alt="Radar med tre områder")


def test_svg_is_deterministic_and_has_no_date():
    a, b = _radar(), _radar()
    assert a.uri == b.uri
    svg = _svg(a.uri)
    ET.fromstring(svg)  # well-formed
    assert b"dc:date" not in svg and b"Matplotlib v" not in svg
    assert a.alt == "Radar med tre områder" and a.width > 0


def test_every_chart_kind_renders():
    rows = [charts.IndicatorRow("LED-01 Plan", 2.0, 3, [0, 2, 2, 3, 4], "vet ikke 1"),
            charts.IndicatorRow("LED-02 Ledelse", None, 3, [])]
    made = [
        charts.indicator_chart(rows, "a"),
        charts.heatmap(["Ledelse", "Samarbeid"], ["Oppvekst (n=4)"], [[2.5], [None]], "b"),
        charts.unknown_bars(["Ledelse", "Samarbeid"], [0.1, 0.0], [0.05, 0.2], "c"),
        charts.trends(["2024", "2025"], [("Ledelse", [40.0, 55.0], 75.0), ("Samarbeid", [None, 30.0], 75.0)], "d"),
    ]
    for chart in made:
        ET.fromstring(_svg(chart.uri))
    png = charts.to_data_uri(charts.new_figure(2, 2), fmt="png")
    assert png.startswith("data:image/png;base64,")


def test_one_dot_per_answer_close_to_its_level():
    answers = [4] * 11 + [0, 2, 2]
    xs, ys = charts._dot_cluster(answers, y=5.0)
    assert len(xs) == len(answers)
    assert sorted(round(x) for x in xs) == sorted(answers)
    assert all(abs(x - round(x)) <= 0.15 for x in xs)
    assert all(abs(y - 5.0) < 0.45 for y in ys)
    assert len(set(zip(xs, ys, strict=True))) == len(answers)  # no dot hides another


def test_palette_is_public_and_pyplot_is_never_imported():
    assert charts.PALETTE["blue"] == "#0072B2" and len(charts.SERIES) >= 3
    code = ("import sys; from samordna.outputs import charts; "
            "charts.radar(['a','b','c'], [('x',[1,2,3])], 'alt'); print('matplotlib.pyplot' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_heat_map_text_contrasts_with_its_cell():
    assert charts.text_colour_on((0.0, 0.13, 0.3)) == "white"  # dark blue (low levels in cividis)
    assert charts.text_colour_on((1.0, 0.91, 0.27)) == "#111111"  # yellow (high levels)


def test_trend_lines_break_at_a_bank_change():
    assert charts._segments([0, 1, 2], [40.0, 50.0, 60.0], breaks=[2]) == [[(0, 40.0), (1, 50.0)], [(2, 60.0)]]
    assert charts._segments([0, 1, 2], [None, 50.0, 60.0], breaks=[1]) == [[(1, 50.0), (2, 60.0)]]
    assert charts._segments([0, 1], [40.0, 50.0], breaks=[]) == [[(0, 40.0), (1, 50.0)]]
    with_break = charts.trends(["2025", "2026"], [("Ledelse", [40.0, 55.0], 75.0)], "d", breaks=[1])
    without = charts.trends(["2025", "2026"], [("Ledelse", [40.0, 55.0], 75.0)], "d")
    ET.fromstring(_svg(with_break.uri))
    assert with_break.uri != without.uri  # the break is drawn (and named in the legend)


def test_radar_leaves_a_gap_for_a_domain_the_previous_round_did_not_have():
    chart = charts.radar(["Ledelse", "Samarbeid", "Unge voksne"],
                         [("Runde 2026", [3.0, 2.0, 2.0]), ("Runde 2025", [2.0, 2.5, None])], alt="r")
    ET.fromstring(_svg(chart.uri))
