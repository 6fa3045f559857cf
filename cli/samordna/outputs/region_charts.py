"""Charts for the county view: distributions (box + strip), development, the heat map's colours, and tiny
bullet bars.

matplotlib's Figure API (no pyplot), SVG with a fixed hash salt and no date, so
the same data give the same bytes. The heat map (municipality × domain) is an HTML
table, not a picture: each cell has its colour and its number, and it grows one row
per municipality (``heat_colour`` gives the colours). The bullet bars are hand-written
SVG (one per row of a one-pager, far too many for matplotlib when a whole country is
reported).
"""

from __future__ import annotations

import base64
from functools import lru_cache

from samordna.i18n import _
from samordna.outputs.charts import HEAT_CMAP, PALETTE, Chart, new_figure, text_colour_on, to_chart, to_data_uri, trends, wrap

INK = "#1A1A1A"
TARGET = PALETTE["green"]
HIGHLIGHT = PALETTE["vermillion"]

__all__ = ["Chart", "bullet_svg", "development_chart", "distribution_chart", "heat_colour", "heat_legend",
           "to_data_uri"]


def _jitter(i: int, n: int) -> float:
    """A fixed, even spread in [-0.25, 0.25] (no random numbers: the same data, the same chart)."""
    if n <= 1:
        return 0.0
    return ((i * 0.618034) % 1.0 - 0.5) * 0.5


MAX_DOTS = 400  # above this many municipalities in a row, one dot per level instead of one per municipality


def distribution_chart(rows: list[tuple[str, list[float], float | None]], alt: str, *,
                       xlabel: str | None = None) -> Chart:
    """One horizontal box with every municipality as a dot, per row (label, values, target).

    Rows keep the bank's order: this is a picture of spread, not a ranking. With more than ``MAX_DOTS``
    municipalities in a row, each level (to two decimals) is one dot however many share it: thousands of
    dots on top of each other show nothing more, and the chart would grow with every municipality.
    ``xlabel``: «Nivå 0–4» in the language of the moment unless given."""
    fig = new_figure(7.6, 0.55 * len(rows) + 1.3)
    ax = fig.add_subplot()
    n = len(rows)
    merged = any(len(values) > MAX_DOTS for _, values, _ in rows)
    for k, (_label, values, target) in enumerate(rows):
        y = n - 1 - k
        if values:
            ax.boxplot([values], positions=[y], orientation="horizontal", widths=0.5, showfliers=False,
                       patch_artist=True, boxprops={"facecolor": "#D6E6F4", "edgecolor": PALETTE["blue"]},
                       medianprops={"color": INK, "linewidth": 2.2}, whiskerprops={"color": PALETTE["blue"]},
                       capprops={"color": PALETTE["blue"]})
            vals = sorted(set(values) if merged else values)
            ax.scatter(vals, [y + _jitter(i, len(vals)) for i in range(len(vals))], s=11, color=INK, alpha=0.5,
                       zorder=3, linewidths=0)
        if target is not None:
            ax.plot([target, target], [y - 0.38, y + 0.38], color=TARGET, linewidth=2, linestyle="--", zorder=4)
    ax.set_yticks(range(n))
    ax.set_yticklabels([wrap(r[0], 34) for r in reversed(rows)], fontsize=8.5)
    ax.set_xlim(-0.1, 4.1)
    ax.set_xticks([0, 1, 2, 3, 4])
    ax.set_xlabel(_("Nivå 0–4") if xlabel is None else xlabel)
    ax.grid(axis="x", color="#E2E2E2", linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles = [Patch(facecolor="#D6E6F4", edgecolor=PALETTE["blue"], label=_("Midterste halvdel av kommunene")),
               Line2D([], [], color=INK, linewidth=2.2, label=_("Median")),
               Line2D([], [], color=INK, marker="o", linestyle="", alpha=0.5, markersize=4,
                      label=_("Kommuner med samme nivå") if merged else _("Én kommune")),
               Line2D([], [], color=TARGET, linestyle="--", linewidth=2, label=_("Mål"))]
    fig.legend(handles=handles, loc="outside lower center", ncols=4, frameon=False, fontsize=8)
    return to_chart(fig, alt)


HEAT_EMPTY = ("#FFFFFF", "#111111")  # a cell without a level: white, with «–»


@lru_cache(maxsize=64)
def _heat_colour(tenths: int) -> tuple[str, str]:
    import matplotlib
    from matplotlib.colors import to_hex

    rgba = matplotlib.colormaps[HEAT_CMAP](min(40, max(0, tenths)) / 40)
    return to_hex(rgba).upper(), text_colour_on(rgba)


def heat_tenths(level: float) -> int:
    """A level 0–4 as the tenths it is shown with (``num``: 2,3 → 23), so that the same number shown always
    has the same colour. The same rounding as ``fmt.num``, without its language: the colour is the same in every
    language."""
    return round(float(f"{level:.1f}") * 10)


def heat_colour(level: float | None) -> tuple[str, str]:
    """(background, text colour) for a level 0–4 in the heat-map table: the charts' cividis scale at the
    level as shown (one decimal), and near-black or white text, whichever contrasts more."""
    if level is None:
        return HEAT_EMPTY
    return _heat_colour(heat_tenths(level))


def heat_legend() -> list[dict]:
    """The heat map's key: the colour of each whole level 0–4 (the table writes the number in every cell)."""
    return [{"level": str(v), "bg": bg, "fg": fg} for v in range(5) for bg, fg in [heat_colour(v)]]


def development_chart(years: list[int], panels: list[tuple[str, list[float | None], float | None]], alt: str) -> Chart:
    """The county's median per domain over the years, as points 0–100 (the workshop report's small multiples)."""
    return trends([str(y) for y in years], panels, alt)


def bullet_svg(q1: float | None, median: float | None, q3: float | None, lo: float | None, hi: float | None,
               own: float | None, target: float | None, width: int = 260, height: int = 26) -> str:
    """A small bar 0–4: the county's range (light), middle half (darker), median (line), target (green), own (dot).

    Every municipality's row for the same area shares all but the dot: that part is made and encoded once
    (padded to whole base64 groups, so the two encodings join into the encoding of the whole)."""
    dot = ""
    if own is not None:
        dot = (f'<circle cx="{_bullet_x(own, width)}" cy="{height / 2}" r="5.5" fill="{HIGHLIGHT}" stroke="white" '
               'stroke-width="1.5"/>')
    return _bullet_base(q1, median, q3, lo, hi, target, width, height) + base64.b64encode(
        (dot + "</svg>").encode("utf-8")).decode("ascii")


def _bullet_x(v: float, width: int) -> float:
    return round(6 + (width - 12) * v / 4, 1)


@lru_cache(maxsize=1024)
def _bullet_base(q1: float | None, median: float | None, q3: float | None, lo: float | None, hi: float | None,
                 target: float | None, width: int, height: int) -> str:
    """The data URL of everything in a bullet but the dot and the closing tag, its SVG a whole number of
    base64 groups long."""
    def x(v: float) -> float:
        return _bullet_x(v, width)

    mid = height / 2
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
             f'<line x1="{x(0)}" y1="{mid}" x2="{x(4)}" y2="{mid}" stroke="#cbd2d9" stroke-width="1"/>']
    for t in range(5):
        parts.append(f'<line x1="{x(t)}" y1="{mid - 3}" x2="{x(t)}" y2="{mid + 3}" stroke="#cbd2d9" stroke-width="1"/>')
    if lo is not None and hi is not None:
        parts.append(f'<rect x="{x(lo)}" y="{mid - 5}" width="{max(1, x(hi) - x(lo))}" height="10" fill="#e3ecf7"/>')
    if q1 is not None and q3 is not None:
        parts.append(f'<rect x="{x(q1)}" y="{mid - 5}" width="{max(1, x(q3) - x(q1))}" height="10" fill="#9fc3e7"/>')
    if median is not None:
        parts.append(f'<line x1="{x(median)}" y1="{mid - 7}" x2="{x(median)}" y2="{mid + 7}" stroke="{INK}" stroke-width="2"/>')
    if target is not None:
        parts.append(f'<line x1="{x(target)}" y1="{mid - 9}" x2="{x(target)}" y2="{mid + 9}" stroke="{TARGET}" '
                     'stroke-width="2" stroke-dasharray="3 2"/>')
    raw = "".join(parts).encode("utf-8")
    raw += b" " * (-len(raw) % 3)  # whitespace between elements: the SVG is the same
    return "data:image/svg+xml;base64," + base64.b64encode(raw).decode("ascii")
