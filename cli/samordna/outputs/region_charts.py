"""Charts for the county view: distributions (box + strip), heat-map, development, and tiny bullet bars.

matplotlib's Figure API (no pyplot), SVG with a fixed hash salt and no date, so
the same data give the same bytes. Every chart is returned as a data URI for an
``<img>`` with alt text; the bullet bars are hand-written SVG (one per row of a
one-pager, far too many for matplotlib when a whole country is reported).
"""

from __future__ import annotations

import base64

from samordna.core.fmt import num
from samordna.outputs.charts import HEAT_CMAP, PALETTE, Chart, new_figure, to_chart, to_data_uri, trends, wrap  # shared style

INK = "#1A1A1A"
TARGET = PALETTE["green"]
HIGHLIGHT = PALETTE["vermillion"]

__all__ = ["Chart", "bullet_svg", "development_chart", "distribution_chart", "heatmap", "to_data_uri"]


def _jitter(i: int, n: int) -> float:
    """A fixed, even spread in [-0.25, 0.25] (no random numbers: the same data, the same chart)."""
    if n <= 1:
        return 0.0
    return ((i * 0.618034) % 1.0 - 0.5) * 0.5


def distribution_chart(rows: list[tuple[str, list[float], float | None]], alt: str, *,
                       xlabel: str = "Nivå 0–4") -> Chart:
    """One horizontal box with every municipality as a dot, per row (label, values, target).

    Rows keep the bank's order: this is a picture of spread, not a ranking."""
    fig = new_figure(7.6, 0.55 * len(rows) + 1.3)
    ax = fig.add_subplot()
    n = len(rows)
    for k, (_label, values, target) in enumerate(rows):
        y = n - 1 - k
        if values:
            ax.boxplot([values], positions=[y], orientation="horizontal", widths=0.5, showfliers=False,
                       patch_artist=True, boxprops={"facecolor": "#D6E6F4", "edgecolor": PALETTE["blue"]},
                       medianprops={"color": INK, "linewidth": 2.2}, whiskerprops={"color": PALETTE["blue"]},
                       capprops={"color": PALETTE["blue"]})
            vals = sorted(values)
            ax.scatter(vals, [y + _jitter(i, len(vals)) for i in range(len(vals))], s=11, color=INK, alpha=0.5,
                       zorder=3, linewidths=0)
        if target is not None:
            ax.plot([target, target], [y - 0.38, y + 0.38], color=TARGET, linewidth=2, linestyle="--", zorder=4)
    ax.set_yticks(range(n))
    ax.set_yticklabels([wrap(r[0], 34) for r in reversed(rows)], fontsize=8.5)
    ax.set_xlim(-0.1, 4.1)
    ax.set_xticks([0, 1, 2, 3, 4])
    ax.set_xlabel(xlabel)
    ax.grid(axis="x", color="#E2E2E2", linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles = [Patch(facecolor="#D6E6F4", edgecolor=PALETTE["blue"], label="Midterste halvdel av kommunene"),
               Line2D([], [], color=INK, linewidth=2.2, label="Median"),
               Line2D([], [], color=INK, marker="o", linestyle="", alpha=0.5, markersize=4, label="Én kommune"),
               Line2D([], [], color=TARGET, linestyle="--", linewidth=2, label="Mål")]
    fig.legend(handles=handles, loc="outside lower center", ncols=4, frameon=False, fontsize=8)
    return to_chart(fig, alt)


def heatmap(row_labels: list[str], col_labels: list[str], matrix: list[list[float | None]], alt: str) -> Chart:
    """Municipality × domain, levels 0–4; the number is written in each cell when there is room."""
    import numpy as np

    n = len(row_labels)
    data = np.array([[np.nan if v is None else v for v in row] for row in matrix], dtype=float)
    fig = new_figure(8.4, 2.2 + (0.26 if n <= 80 else 0.16) * n)
    ax = fig.add_subplot()
    import matplotlib

    cmap = matplotlib.colormaps[HEAT_CMAP].with_extremes(bad="#FFFFFF")
    im = ax.imshow(np.ma.masked_invalid(data), cmap=cmap, vmin=0, vmax=4, aspect="auto", interpolation="none")
    if n <= 80:
        for r in range(n):
            for c in range(len(col_labels)):
                v = data[r, c]
                ax.text(c, r, "–" if np.isnan(v) else num(float(v)), ha="center", va="center", fontsize=7.5,
                        color="white" if (not np.isnan(v) and v < 2.2) else "#111111")
    ax.set_xticks(range(len(col_labels)))
    ax.set_xticklabels([wrap(c, 12) for c in col_labels], fontsize=7.5)
    ax.xaxis.tick_top()
    ax.set_yticks(range(n))
    ax.set_yticklabels(row_labels, fontsize=8 if n <= 80 else 5.5)
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    bar = fig.colorbar(im, ax=ax, orientation="horizontal", fraction=0.5 / (2.0 + 0.26 * min(n, 80)), pad=0.01,
                       aspect=40)
    bar.set_label("Nivå 0–4 (konsensus, ellers median)")
    return to_chart(fig, alt)


def development_chart(years: list[int], panels: list[tuple[str, list[float | None], float | None]], alt: str) -> Chart:
    """The county's median per domain over the years, as points 0–100 (the workshop report's small multiples)."""
    return trends([str(y) for y in years], panels, alt)


def bullet_svg(q1: float | None, median: float | None, q3: float | None, lo: float | None, hi: float | None,
               own: float | None, target: float | None, width: int = 260, height: int = 26) -> str:
    """A small bar 0–4: the county's range (light), middle half (darker), median (line), target (green), own (dot)."""
    def x(v: float) -> float:
        return round(6 + (width - 12) * v / 4, 1)

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
    if own is not None:
        parts.append(f'<circle cx="{x(own)}" cy="{mid}" r="5.5" fill="{HIGHLIGHT}" stroke="white" stroke-width="1.5"/>')
    parts.append("</svg>")
    return "data:image/svg+xml;base64," + base64.b64encode("".join(parts).encode("utf-8")).decode("ascii")
