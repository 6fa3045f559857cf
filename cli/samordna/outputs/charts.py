"""Report charts: matplotlib through the Figure API (no pyplot state), deterministic SVG.

Every chart is returned as a :class:`Chart`: inline SVG markup with real ``<text>`` (svg.fonttype
"none"), alt text and an optional caption. The template macro ``chart(c)`` in ``templates/_chart.html``
puts it in the page, and ``outputs.html.render`` then gives each chart's ids a prefix of its own
(``c1-``, ``c2-`` … in document order) and embeds the chart font once (``outputs.fonts``), subset to the
characters the charts use. So chart text is text: it can be searched, selected and read aloud, and it
looks the same in Chromium, on a PC without DejaVu and in the PDF. ``Chart.uri`` is the same chart as a
stand-alone SVG data URI (with its own font) for pages that still show charts as ``<img>``.

Style rules, shared with the region view (``new_figure`` / ``to_chart`` / ``PALETTE``):

* Okabe–Ito colours (safe for colour blindness), and each series also differs by
  line style, marker or hatch, so the chart reads in grayscale print.
* DejaVu Sans (bundled with matplotlib) as text, a fixed SVG hash salt and no date or
  software metadata: the same input gives the same bytes.
* Numbers and labels in the document's language (``core.fmt``, ``samordna.i18n``).
"""

from __future__ import annotations

import base64
import functools
import io
import re
import textwrap
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from samordna.core.answers import DONT_KNOW, NOT_APPLICABLE
from samordna.core.fmt import num
from samordna.i18n import N_, _, language, n_

if TYPE_CHECKING:
    from matplotlib.typing import RcKeyType  # the rcParams keys matplotlib knows

# Okabe & Ito (2008), "Color Universal Design".
PALETTE = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "black": "#000000",
    "grey": "#6B6B6B",
    "light": "#E8E8E8",
}
SERIES = [  # colour, line style, marker: distinct in colour AND in grayscale
    (PALETTE["blue"], "-", "o"),
    (PALETTE["black"], "--", "s"),
    (PALETTE["vermillion"], ":", "^"),
    (PALETTE["green"], "-.", "D"),
    (PALETTE["purple"], (0, (5, 1, 1, 1)), "v"),
]
HEAT_CMAP = "cividis"  # perceptually uniform, colour-blind safe, monotone in grayscale
HEAT_LABEL = N_("Gjennomsnittlig nivå (0–4)")  # the heat map's colour bar, unless the caller names it

RC: dict[RcKeyType, Any] = {
    "svg.hashsalt": "samordna",
    "svg.fonttype": "none",  # text as <text>, in the font outputs.fonts embeds
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "axes.edgecolor": "#444444",
    "axes.labelcolor": "#1A1A1A",
    "xtick.color": "#1A1A1A",
    "ytick.color": "#1A1A1A",
    "text.color": "#1A1A1A",
    "figure.dpi": 100,
    "savefig.dpi": 150,
    "path.simplify": True,
}


ID_TOKEN = "samordna-chart-id-"  # before every id in Chart.svg; the page replaces it with c1-, c2- …
SVG_MARK = '<svg class="chart-svg"'  # how every inline chart starts (outputs.html looks for it)
STROKE_CSS = "stroke-linejoin: round; stroke-linecap: butt"  # matplotlib's one style rule, for every shape


@dataclass(frozen=True)
class Chart:
    svg: str  # inline <svg> markup with real text; ids start with ID_TOKEN (outputs.html numbers them)
    alt: str  # what the chart shows, in words (for screen readers)
    caption: str = ""
    width: float = 0.0  # inches, for sizing in HTML (1 in = 96 px)

    @property
    def uri(self) -> str:
        """The chart as a stand-alone SVG data URI, with its own subset font (for an ``<img>``)."""
        from samordna.outputs.fonts import font_face_css

        body = self.svg.replace(ID_TOKEN, "")
        css = f"*{{{STROKE_CSS}}}\n{font_face_css(chart_text(body))}"
        body = body.replace("<title>", f"<style>{css}</style><title>", 1)
        return f"data:image/svg+xml;base64,{base64.b64encode(body.encode('utf-8')).decode('ascii')}"


_TEXT = re.compile(r"<text\b[^>]*>([^<]*)</text>")
_LONG_NUMBER = re.compile(r"(?<![\w#.])(-?\d+\.\d{3,})(?![\w.])")  # 518.4 stays; 95.897835 is drawn as 95.9


def _round(m: re.Match[str]) -> str:
    """A coordinate to 1/100 pt (far below a pixel at any zoom): a tenth fewer bytes in the charts."""
    text = f"{float(m.group(1)):.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def chart_text(svg: str) -> str:
    """Every character drawn as text in ``svg`` (one or more charts), sorted, once each."""
    import html

    return "".join(sorted({c for m in _TEXT.finditer(svg) for c in html.unescape(m.group(1))}))


def _inline(raw: str, alt: str, width: float) -> str:
    """matplotlib's SVG document made into markup for an HTML page: no XML prolog or metadata, the ids
    that are referred to behind ID_TOKEN (the others dropped), the font family once on the root, and
    role="img" with the alt text as its name (aria-label and <title>)."""
    from markupsafe import escape

    from samordna.outputs.fonts import CSS_FAMILY

    svg = raw[raw.index("<svg"):]
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, count=1, flags=re.S)
    svg = re.sub(r'\s*<defs>\s*<style type="text/css">[^<]*</style>\s*</defs>', "", svg, count=1)
    svg = re.sub(r"\n[ \t]+", "\n", svg)  # matplotlib's indentation
    svg = re.sub(r'="([^"]*)"', lambda m: f'="{_LONG_NUMBER.sub(_round, m.group(1))}"', svg)  # in attributes only
    used = {a or b for a, b in re.findall(r'url\(#([^)"]+)\)|href="#([^"]+)"', svg)}

    def _id(m: re.Match[str]) -> str:
        return f' id="{ID_TOKEN}{m.group(1)}"' if m.group(1) in used else ""

    svg = re.sub(r' id="([^"]+)"', _id, svg)
    svg = re.sub(r'url\(#([^)"]+)\)', lambda m: f"url(#{ID_TOKEN}{m.group(1)})", svg)
    svg = re.sub(r'href="#([^"]+)"', lambda m: f'href="#{ID_TOKEN}{m.group(1)}"', svg)
    svg = svg.replace("font-family: 'DejaVu Sans'; ", "")  # the root's family applies (the embedded subset)
    head = re.match(r"<svg[^>]*>", svg)
    assert head is not None
    size = dict(re.findall(r' (width|height|viewBox)="([^"]*)"', head.group(0)))
    label = escape(alt)
    root = (f'{SVG_MARK} role="img" aria-label="{label}" width="{size["width"]}" height="{size["height"]}" '
            f'viewBox="{size["viewBox"]}" font-family="{escape(CSS_FAMILY)}" '
            f'style="max-width: {round(width * 120)}px" '
            'xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
            f"<title>{label}</title>")
    return root + svg[head.end():].strip() + "\n"


def _style() -> None:
    import matplotlib

    matplotlib.rcParams.update(RC)


def new_figure(width: float = 7.0, height: float = 4.0):
    """A matplotlib Figure (not pyplot) with the report style applied."""
    _style()
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def to_data_uri(fig, fmt: str = "svg") -> str:
    """Render ``fig`` to a deterministic data URI (SVG by default, PNG with fmt='png')."""
    _style()
    buf = io.BytesIO()
    if fmt == "svg":
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
        mime = "image/svg+xml"
    elif fmt == "png":
        fig.savefig(buf, format="png", metadata={"Software": None})
        mime = "image/png"
    else:  # pragma: no cover - programming error
        raise ValueError(fmt)
    return f"data:{mime};base64,{base64.b64encode(buf.getvalue()).decode('ascii')}"


def to_svg(fig) -> str:
    """``fig`` as a deterministic SVG document (text as text)."""
    _style()
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    return buf.getvalue()


def to_chart(fig, alt: str, caption: str = "") -> Chart:
    """``fig`` as a :class:`Chart` for the page (inline SVG with real text)."""
    width = float(fig.get_figwidth())
    return Chart(svg=_inline(to_svg(fig), alt, width), alt=alt, caption=caption, width=width)



# The same chart asked for again in one process (the demo, the county view's one-pagers, a room that shows the
# same distribution on two pages, the tests) is drawn once: a chart is a pure function of its arguments and the
# language, and drawing is the slow part. At most _REMEMBER charts are kept, the least recently used go first.
_REMEMBER = 256
_DRAWN: OrderedDict[tuple[str, str, str, str], Chart] = OrderedDict()


def _remembered(draw: Callable[..., Chart]) -> Callable[..., Chart]:
    @functools.wraps(draw)
    def chart(*args: Any, **kwargs: Any) -> Chart:
        key = (draw.__name__, language(), repr(args), repr(sorted(kwargs.items())))
        if key in _DRAWN:
            _DRAWN.move_to_end(key)
            return _DRAWN[key]
        drawn = _DRAWN[key] = draw(*args, **kwargs)
        if len(_DRAWN) > _REMEMBER:
            _DRAWN.popitem(last=False)
        return drawn
    return chart


def _luminance(rgb) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(float(c)) for c in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def text_colour_on(rgb) -> str:
    """Near-black or white, whichever contrasts more with ``rgb`` (WCAG relative luminance)."""
    lum = _luminance(rgb)
    on_dark = (1.05) / (lum + 0.05)
    on_light = (lum + 0.05) / (_luminance((0.067, 0.067, 0.067)) + 0.05)
    return "white" if on_dark > on_light else "#111111"


def wrap(text: str, width: int = 18) -> str:
    return "\n".join(textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)) or text


# --- the charts --------------------------------------------------------------------


@_remembered
def radar(labels: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]], alt: str) -> Chart:
    """Domains around a circle, levels 0–4. ``series``: (name, values); the first is filled."""
    import math

    fig = new_figure(7.2, 6.2)
    ax = fig.add_subplot(projection="polar")
    ax.set_theta_offset(math.pi / 2)
    ax.set_theta_direction(-1)
    n = len(labels)
    angles = [2 * math.pi * i / n for i in range(n)]  # clockwise from the top (offset/direction below)
    closed = angles + angles[:1]
    for i, (name, values) in enumerate(series):
        colour, style, marker = SERIES[i % len(SERIES)]
        # the first series is filled (a missing level drawn at 0); in the others a missing value leaves a gap
        # (a domain the previous round did not have is never drawn as 0)
        vals = [(0.0 if i == 0 else math.nan) if v is None else float(v) for v in values]
        ax.plot(closed, vals + vals[:1], color=colour, linestyle=style, linewidth=2.2 if i == 0 else 1.6,
                marker=marker, markersize=6, label=name, zorder=3 + (len(series) - i))
        if i == 0:
            ax.fill(closed, vals + vals[:1], color=colour, alpha=0.15, zorder=2)
    ax.set_ylim(0, 4)
    ax.set_yticks([1, 2, 3, 4])
    ax.set_yticklabels(["1", "2", "3", "4"], color=PALETTE["grey"], fontsize=8)
    ax.set_rlabel_position(360 / n / 2)
    ax.set_xticks(angles)
    ax.set_xticklabels([wrap(lb, 16) for lb in labels], fontsize=9)
    ax.tick_params(axis="x", pad=18)
    ax.grid(color="#BBBBBB", linewidth=0.6)
    ax.spines["polar"].set_color("#999999")
    fig.legend(loc="outside lower center", ncols=len(series), frameon=False)
    return to_chart(fig, alt)


@dataclass(frozen=True)
class IndicatorRow:
    label: str
    level: float | None  # consensus or median; None = no level
    target: int
    answers: Sequence[int]  # every individual level 0–4, anonymous
    note: str = ""  # e.g. "vet ikke 2 · ikke rel. 1"


def _dot_cluster(answers: Sequence[int], y: float, per_col: int = 4, dx: float = 0.085, dy: float = 0.17):
    """Positions for one dot per answer: the answers at a level are packed in a small grid centred on
    the level (columns of ``per_col``), so every dot stays visibly next to its level."""
    counts: dict[int, int] = {}
    for a in answers:
        counts[a] = counts.get(a, 0) + 1
    xs: list[float] = []
    ys: list[float] = []
    for level, k in sorted(counts.items()):
        ncols = (k + per_col - 1) // per_col
        for j in range(k):
            col, rowi = divmod(j, per_col)
            in_col = min(per_col, k - col * per_col)
            xs.append(level + (col - (ncols - 1) / 2) * dx)
            ys.append(y + (rowi - (in_col - 1) / 2) * dy)
    return xs, ys


@_remembered
def indicator_chart(rows: Sequence[IndicatorRow], alt: str) -> Chart:
    """One row per indicator: a bar to the level used, a target mark, and a dot per individual answer."""
    n = len(rows)
    fig = new_figure(7.4, 0.62 * n + 1.15)
    ax = fig.add_subplot()
    ys = list(range(n))[::-1]
    for y, row in zip(ys, rows, strict=True):
        if row.level is not None:
            ax.barh(y, row.level, height=0.62, color=PALETTE["sky"], edgecolor=PALETTE["blue"], linewidth=0.8,
                    alpha=0.55, zorder=1)
            ax.plot([row.level, row.level], [y - 0.31, y + 0.31], color=PALETTE["blue"], linewidth=2.6, zorder=2,
                    solid_capstyle="butt")  # the level itself, visible even at 0
        ax.plot([row.target, row.target], [y - 0.44, y + 0.44], color=PALETTE["black"], linewidth=2.0,
                linestyle=(0, (2, 1)), zorder=3, solid_capstyle="butt")
        xs, yy = _dot_cluster(row.answers, y)
        if xs:
            ax.scatter(xs, yy, s=24, facecolor=PALETTE["vermillion"], edgecolor="white", linewidth=0.6, zorder=5)
        if row.note:
            ax.text(4.55, y, row.note, va="center", ha="left", fontsize=8, color=PALETTE["grey"])
    ax.set_yticks(ys)
    ax.set_yticklabels([wrap(r.label, 30) for r in rows], fontsize=8.5)
    ax.set_xlim(-0.4, 4.5)
    ax.set_ylim(-0.7, n - 0.3)
    ax.set_xticks([0, 1, 2, 3, 4])
    ax.set_xlabel(_("Nivå 0–4"))
    ax.grid(axis="x", color="#DDDDDD", linewidth=0.6, zorder=0)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles = [
        Patch(facecolor=PALETTE["sky"], edgecolor=PALETTE["blue"], alpha=0.55, label=_("Nivå (konsensus eller median)")),
        Line2D([], [], color=PALETTE["black"], linewidth=2.4, linestyle=(0, (2, 1)), label=_("Mål")),
        Line2D([], [], marker="o", linestyle="", markerfacecolor=PALETTE["vermillion"], markeredgecolor="white",
               markersize=6, label=_("Ett svar")),
    ]
    fig.legend(handles=handles, loc="outside lower center", ncols=3, frameon=False, fontsize=8.5)
    return to_chart(fig, alt)


@_remembered
def heatmap(rows: Sequence[str], cols: Sequence[str], values: Sequence[Sequence[float | None]], alt: str,
            label: str | None = None) -> Chart:
    """A grid of levels 0–4 (e.g. domain × sector group), every cell labelled with its number."""
    import numpy as np

    data = np.array([[np.nan if v is None else v for v in r] for r in values], dtype=float)
    fig = new_figure(min(7.6, 2.6 + 1.25 * len(cols)), 0.5 * len(rows) + 1.9)
    ax = fig.add_subplot()
    im = ax.imshow(data, cmap=HEAT_CMAP, vmin=0, vmax=4, aspect="auto")
    for i in range(len(rows)):
        for j in range(len(cols)):
            v = data[i, j]
            text = "–" if np.isnan(v) else num(float(v))
            colour = "#111111" if np.isnan(v) else text_colour_on(im.cmap(im.norm(v)))
            ax.text(j, i, text, ha="center", va="center", fontsize=9.5, color=colour)
    ax.set_xticks(range(len(cols)))
    ax.set_xticklabels([wrap(c, 16) for c in cols], fontsize=8.5)
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([wrap(r, 30) for r in rows], fontsize=8.5)
    ax.tick_params(length=0)
    ax.xaxis.tick_top()
    ax.set_xticks([x + 0.5 for x in range(len(cols) - 1)], minor=True)
    ax.set_yticks([y + 0.5 for y in range(len(rows) - 1)], minor=True)
    ax.grid(which="minor", color="white", linewidth=2)
    ax.tick_params(which="minor", length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    cbar = fig.colorbar(im, ax=ax, orientation="horizontal", fraction=0.05, pad=0.03, aspect=30)
    cbar.set_ticks([0, 1, 2, 3, 4])
    cbar.set_label(_(HEAT_LABEL) if label is None else label, fontsize=8.5)
    cbar.ax.tick_params(labelsize=8)
    return to_chart(fig, alt)


@_remembered
def unknown_bars(labels: Sequence[str], dont_know: Sequence[float], not_applicable: Sequence[float], alt: str) -> Chart:
    """Share of «vet ikke» and «ikke relevant» per domain, as side-by-side bars with hatching."""
    n = len(labels)
    fig = new_figure(7.2, 0.45 * n + 1.2)
    ax = fig.add_subplot()
    ys = list(range(n))[::-1]
    h = 0.38
    dk = [v * 100 for v in dont_know]
    na = [v * 100 for v in not_applicable]
    ax.barh([y + h / 2 for y in ys], dk, height=h, color=PALETTE["orange"], edgecolor="#333333", linewidth=0.6,
            label=_("Vet ikke"))
    ax.barh([y - h / 2 for y in ys], na, height=h, color="white", edgecolor="#333333", linewidth=0.6,
            hatch="///", label=_("Ikke relevant"))
    for y, a, b in zip(ys, dk, na, strict=True):
        ax.text(a + 0.4, y + h / 2, _("{value} %").format(value=f"{a:.0f}"), va="center", fontsize=7.5)
        ax.text(b + 0.4, y - h / 2, _("{value} %").format(value=f"{b:.0f}"), va="center", fontsize=7.5)
    ax.set_yticks(ys)
    ax.set_yticklabels([wrap(lb, 30) for lb in labels], fontsize=8.5)
    top = max([*dk, *na, 10.0])
    ax.set_xlim(0, top * 1.18)
    ax.set_xlabel(_("Andel av svarene (%)"))
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.legend(loc="outside lower center", ncols=2, frameon=False, fontsize=8.5)
    return to_chart(fig, alt)


def _segments(xs: Sequence[int], values: Sequence[float | None], breaks: Sequence[int]) -> list[list[tuple[int, float]]]:
    """The points of one line, split where the bank changed (``breaks``: the first position on the new bank)."""
    segments: list[list[tuple[int, float]]] = [[]]
    for x, v in zip(xs, values, strict=True):
        if x in breaks and segments[-1]:
            segments.append([])
        if v is not None:
            segments[-1].append((x, v))
    return [seg for seg in segments if seg]



def _panel(ax, title: str, rounds: Sequence[str], ylim: tuple[float, float], yticks: Sequence[float], pad: float) -> None:
    """One panel of small multiples over the rounds: title, axes, a light grid, no top or right spine."""
    ax.set_title(title, fontsize=8.5)
    ax.set_ylim(*ylim)
    ax.set_yticks(list(yticks))
    ax.set_xticks(list(range(len(rounds))))
    ax.set_xticklabels(rounds, fontsize=8)
    ax.set_xlim(-pad, len(rounds) - 1 + pad)
    ax.grid(axis="y", color="#E2E2E2", linewidth=0.6)
    ax.tick_params(labelsize=8)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


@_remembered
def trends(rounds: Sequence[str], panels: Sequence[tuple[str, Sequence[float | None], float | None]], alt: str,
           breaks: Sequence[int] = ()) -> Chart:
    """Small multiples: one panel per domain, score 0–100 per round, target as a dashed line.

    ``breaks``: positions in ``rounds`` where the question bank changed since the round before; the lines
    are not drawn across a break, which is marked with a vertical dotted line (in the legend too)."""
    cols = 4
    nrows = (len(panels) + cols - 1) // cols
    fig = new_figure(7.6, 1.95 * nrows + 0.5)
    axes = fig.subplots(nrows, cols, sharex=True, sharey=True, squeeze=False)
    xs = list(range(len(rounds)))
    for k, ax in enumerate(axes.flat):
        if k >= len(panels):
            ax.set_visible(False)
            continue
        name, values, target = panels[k]
        segments = _segments(xs, values, breaks)
        if target is not None:
            ax.axhline(target, color=PALETTE["black"], linestyle="--", linewidth=1.0)
        for k in breaks:
            ax.axvline(k - 0.5, color=PALETTE["vermillion"], linestyle=":", linewidth=1.6)
        for seg in segments:
            ax.plot([p[0] for p in seg], [p[1] for p in seg], color=PALETTE["blue"], marker="o", linewidth=2)
        if segments:
            last = segments[-1][-1]
            below = target is not None and last[1] < target
            ax.annotate(f"{last[1]:.0f}", last, textcoords="offset points", xytext=(0, -12 if below else 7),
                        ha="center", fontsize=8)
        _panel(ax, wrap(name, 22), rounds, (0, 105), [0, 25, 50, 75, 100], pad=0.3)
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], color=PALETTE["blue"], marker="o", linewidth=2, label=_("Poeng (0–100)")),
               Line2D([], [], color=PALETTE["black"], linestyle="--", linewidth=1, label=_("Mål"))]
    if breaks:
        handles.append(Line2D([], [], color=PALETTE["vermillion"], linestyle=":", linewidth=1.6,
                              label=_("Ny versjon av spørsmålsbanken (ikke helt sammenlignbart)")))
    fig.legend(handles=handles, loc="outside lower center", ncols=len(handles), frameon=False, fontsize=8.5)
    return to_chart(fig, alt)


@_remembered
def answer_bars(labels: Sequence[str], before: Sequence[int], after: Sequence[int] | None, alt: str,
                before_label: str, after_label: str = "", apart: int = 0, caption: str = "") -> Chart:
    """How many gave each answer to one statement: one bar per answer (``labels``), before and (when
    ``after`` is given) after the discussion side by side, each bar with its count on top. The last
    ``apart`` answers («vet ikke», «ikke relevant») stand apart after a dotted line, as answers of their
    own and not a level. Before is a sky-blue bar, after a vermillion bar with hatching: they differ in
    grayscale as well as in colour. The room's reveal and the report's re-vote section both draw this."""
    n = len(labels)
    fig = new_figure(min(7.4, max(6.0, 1.6 + 0.95 * n)), 3.1)
    ax = fig.add_subplot()
    xs = list(range(n))
    width = 0.4 if after is not None else 0.62
    shift = width / 2 if after is not None else 0.0
    series = [(before, before_label, PALETTE["sky"], PALETTE["blue"], "", -shift)]
    if after is not None:
        series.append((after, after_label, PALETTE["vermillion"], "#8A3C00", "///", shift))
    for counts, label, face, edge, hatch, dx in series:
        bars = ax.bar([x + dx for x in xs], counts, width=width, color=face, edgecolor=edge, linewidth=0.8,
                      hatch=hatch or None, label=label, zorder=2)
        for bar, c in zip(bars, counts, strict=True):
            ax.text(bar.get_x() + bar.get_width() / 2, bar.get_height(), str(c), ha="center", va="bottom",
                    fontsize=9, color="#1A1A1A")
    if apart:
        ax.axvline(n - apart - 0.5, color=PALETTE["grey"], linestyle=":", linewidth=1.2)
    top = max([*before, *(after or []), 1])
    ax.set_ylim(0, top * 1.2 + 0.3)
    ax.set_xticks(xs)
    ax.set_xticklabels([wrap(lb, 13) for lb in labels], fontsize=8.5)
    ax.set_ylabel(_("Antall svar"))
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.grid(axis="y", color="#E2E2E2", linewidth=0.6, zorder=0)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if after is not None:
        fig.legend(loc="outside lower center", ncols=2, frameon=False, fontsize=8.5)
    return to_chart(fig, alt, caption)


# The mirror (core.mirror): the leaders' level and how young people and parents experience the same area.
MIRROR_STYLE = [  # face colour, edge colour, hatch: distinct in colour AND in grayscale
    (PALETTE["blue"], "#003B5C", ""),
    (PALETTE["orange"], "#6B4A00", "///"),
    (PALETTE["sky"], "#1F4E6B", "..."),
]



def answer_distribution(values: Sequence[int | str], label: Callable[[int | str], str], before: dict[int | str, int],
                        after: dict[int | str, int] | None, tally: bool = False, title: str = "") -> tuple[Chart, list[str]]:
    """One statement's answers as the room reveals them and the report shows a re-vote: ``answer_bars`` with its
    headings («Før: de første svarene (15 svar)», «Etter drøftingen (4 svar)», or «Svarene (15 svar)» without a
    re-vote) and an alt text that names every count. Returns the chart and the headings."""
    labels = [label(v) for v in values]
    series = [[before.get(v, 0) for v in values], *([[after.get(v, 0) for v in values]] if after is not None else [])]
    texts = ([_("Før: de første svarene"), _("Etter drøftingen (talt på papir)") if tally else _("Etter drøftingen")]
             if after is not None else [_("Svarene")])
    heads = [f"{t} ({n_('{n} svar', '{n} svar', sum(c)).format(n=sum(c))})" for t, c in zip(texts, series, strict=True)]
    alt = (f"{title}. " if title else "") + ". ".join(
        f"{h}: " + ", ".join(f"{lb} {c}" for lb, c in zip(labels, cs, strict=True))
        for h, cs in zip(heads, series, strict=True)) + "."
    apart = sum(1 for v in values if v in (DONT_KNOW, NOT_APPLICABLE))
    chart = answer_bars(labels, series[0], series[1] if after is not None else None, alt, heads[0],
                        heads[1] if after is not None else "", apart=apart, caption=title)
    return chart, heads

@_remembered
def mirror_chart(labels: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]], alt: str,
                 caption: str = "", missing: str = "–") -> Chart:
    """One group of horizontal bars per area (``labels``, top to bottom), one bar per series (``series``:
    name and a level 0–4 per area; the leaders first, then the roles that may be shown). Every series has
    its own colour and hatch and every bar its value printed at its end; a missing value is written as
    ``missing`` where its bar would be, never drawn as 0."""
    n = len(labels)
    k = max(1, len(series))
    fig = new_figure(7.4, max(2.4, (0.24 * k + 0.36) * n + 1.3))
    ax = fig.add_subplot()
    group = 0.8
    h = group / k
    ys = list(range(n))[::-1]
    for i, (name, values) in enumerate(series):
        face, edge, hatch = MIRROR_STYLE[i % len(MIRROR_STYLE)]
        offset = group / 2 - h * (i + 0.5)
        pos = [y + offset for y in ys]
        drawn = [0.0 if v is None else float(v) for v in values]
        bars = ax.barh(pos, drawn, height=h * 0.92, color=face, edgecolor=edge, linewidth=0.8, hatch=hatch or None,
                       label=name, zorder=2)
        for bar, v in zip(bars, values, strict=True):
            if v is None:
                bar.set_visible(False)
            y = bar.get_y() + bar.get_height() / 2
            ax.text((0.0 if v is None else float(v)) + 0.05, y, missing if v is None else num(float(v)),
                    va="center", ha="left", fontsize=8, color="#1A1A1A", zorder=3)
    ax.set_yticks(ys)
    ax.set_yticklabels([wrap(lb, 24) for lb in labels], fontsize=8.5)
    ax.set_xlim(0, 4.45)
    ax.set_ylim(-0.55, n - 0.45)
    ax.set_xticks([0, 1, 2, 3, 4])
    ax.set_xlabel(_("Nivå 0–4"))
    ax.grid(axis="x", color="#DDDDDD", linewidth=0.6, zorder=0)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if series:
        fig.legend(loc="outside lower center", ncols=len(series), frameon=False, fontsize=8.5)
    return to_chart(fig, alt, caption)


_SPOTS = {"above": ((0.0, 6.0), "center"), "below": ((0.0, -12.0), "center"), "right": ((8.0, -3.0), "left")}


def _label_spot(values: Sequence[float], used: set[tuple[int, str]], x: int, v: float) -> tuple[tuple[float, float], str]:
    """Where a point's label goes, clear of the others at the same round: the highest above, the lowest below,
    one in between to the right; of two equal values the second takes the other side."""
    ranked = sorted(values, reverse=True)
    first = "above" if ranked.index(v) == 0 else "below" if ranked.index(v) == len(ranked) - 1 else "right"
    spot = next(s for s in (first, "above", "below", "right") if (x, s) not in used or s == "right")
    used.add((x, spot))
    return _SPOTS[spot]


@_remembered
def mirror_trends(rounds: Sequence[str],
                  panels: Sequence[tuple[str, Sequence[tuple[str, Sequence[float | None], int]]]],
                  alt: str, caption: str = "") -> Chart:
    """Small multiples for the mirror year over year: one panel per area (``panels``: name and its series of
    (name, level 0–4 per round, style: 0 the leaders, 1 the young people, 2 the parents, as in ``mirror_chart``)),
    one line per series with its own colour, line style and marker, every point labelled with its value. A
    missing point (the group too small that year) is left out, never drawn as 0."""
    cols = 3
    nrows = (len(panels) + cols - 1) // cols
    fig = new_figure(7.6, 2.05 * nrows + 0.6)
    axes = fig.subplots(nrows, cols, sharex=True, sharey=True, squeeze=False)
    xs = list(range(len(rounds)))
    names: dict[str, int] = {}
    for k, ax in enumerate(axes.flat):
        if k >= len(panels):
            ax.set_visible(False)
            continue
        title, series = panels[k]
        at: dict[int, list[float]] = {}  # the values at each round, to put each label clear of the others
        for _name, values, _i in series:
            for x, v in zip(xs, values, strict=True):
                if v is not None:
                    at.setdefault(x, []).append(float(v))

        used: set[tuple[int, str]] = set()

        for name, values, i in series:
            face, edge, _hatch = MIRROR_STYLE[i % len(MIRROR_STYLE)]
            _colour, style, marker = SERIES[i % len(SERIES)]
            pts = [(x, float(v)) for x, v in zip(xs, values, strict=True) if v is not None]
            names.setdefault(name, i)
            if not pts:
                continue
            ax.plot([p[0] for p in pts], [p[1] for p in pts], color=face, linestyle=style, marker=marker,
                    markeredgecolor=edge, linewidth=1.8, markersize=5)
            for x, v in pts:
                offset, ha = _label_spot(at[x], used, x, v)
                ax.annotate(num(v), (x, v), textcoords="offset points", xytext=offset, ha=ha, fontsize=7.5)
        _panel(ax, wrap(title, 26), rounds, (0, 4.3), [0, 1, 2, 3, 4], pad=0.4)
    from matplotlib.lines import Line2D

    handles = []
    for name, i in names.items():
        _c, style, marker = SERIES[i % len(SERIES)]
        line: dict[str, Any] = {"color": MIRROR_STYLE[i % len(MIRROR_STYLE)][0], "linestyle": style, "marker": marker,
                                "markeredgecolor": MIRROR_STYLE[i % len(MIRROR_STYLE)][1]}
        handles.append(Line2D([], [], linewidth=1.8, label=name, **line))
    fig.legend(handles=handles, loc="outside lower center", ncols=max(1, len(handles)), frameon=False, fontsize=8.5)
    return to_chart(fig, alt, caption)
