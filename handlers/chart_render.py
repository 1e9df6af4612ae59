"""Charts as PNG files: matplotlib on the headless Agg backend, Swedish numbers on the axes.

`render(spec)` draws one figure, writes it to the chart folder and closes it. It returns the
values it actually plotted (read back from the drawn bars and lines), so a test can check the
picture against the store without looking at pixels.

The folder is BOARDBOT_CHART_DIR, else `<tmp>/boardbot-charts`; files older than a day are
removed when a new chart is written (a chat platform has its copy by then).

Charts are saved as palette PNGs: a Teams card carries its image inline and holds little
(bot/teams/cards.py), and a quantised chart of flat colours is a fraction of the RGBA size.
"""

from __future__ import annotations

import logging
import tempfile
import threading
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # headless: no display on a server, and no GUI toolkit to import

import matplotlib.pyplot as plt  # after use(): the backend must be chosen first
import numpy as np
from babel.numbers import format_decimal
from matplotlib.axes import Axes
from matplotlib.container import BarContainer
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter
from PIL import Image

from storage.settings import get_settings

log = logging.getLogger(__name__)

DPI = 100
WIDTH_PX = 900
VERTICAL_HEIGHT_PX = 500
MIN_HEIGHT_PX = 320
MAX_HEIGHT_PX = 2400
MAX_LABEL_CHARS = 34
MAX_VALUE_LABELS = 36
PALETTE_COLOURS = 32
KEEP_SECONDS = 24 * 3600
# Colour-blind-safe (Okabe–Ito), in the order series are given.
COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00")
CEILING_COLOUR = "#D55E00"
# pyplot keeps global state; charts may be drawn from several worker threads at once.
_LOCK = threading.Lock()


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[int | None, ...]  # kronor, one per category; None where the store has none
    style: str = "bar"  # bar, or line (e.g. a ceiling over the years)


@dataclass(frozen=True)
class ChartSpec:
    title: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    # horizontal bars suit long line names; vertical suits years along the bottom
    orientation: str = "horizontal"
    file_stem: str = "chart"


@dataclass
class RenderedChart:
    path: Path
    width: int
    height: int
    # What was plotted, per series and category: read back from the figure's artists.
    drawn: dict[str, list[float | None]] = field(default_factory=dict)


def chart_dir() -> Path:
    configured = get_settings().chart_dir
    folder = Path(configured) if configured else Path(tempfile.gettempdir()) / "boardbot-charts"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def expected_size(spec: ChartSpec) -> tuple[int, int]:
    """The PNG's size in pixels: fixed width; horizontal charts grow with their rows."""
    if spec.orientation == "vertical":
        return WIDTH_PX, VERTICAL_HEIGHT_PX
    bars = max(1, sum(1 for s in spec.series if s.style == "bar"))
    height = 130 + len(spec.categories) * (13 * bars + 14)
    return WIDTH_PX, max(MIN_HEIGHT_PX, min(MAX_HEIGHT_PX, height))


def sv_amount(value: float) -> str:
    """1250000 -> "1 250 000" as Swedish readers write it (a plain hyphen for minus)."""
    return format_decimal(round(value), format="#,##0", locale="sv_SE").replace("\u2212", "-")


def sv_axis_amount(value: float, span: float) -> str:
    """An axis tick: "1,3 mkr" once the scale reaches millions, else whole kronor."""
    if span >= 1_000_000:
        text = format_decimal(value / 1_000_000, format="#,##0.#", locale="sv_SE")
        return f"{text} mkr".replace("\u2212", "-")
    return sv_amount(value)


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL_CHARS else label[:MAX_LABEL_CHARS - 1].rstrip() + "…"


def render(spec: ChartSpec, folder: Path | None = None) -> RenderedChart:
    if not spec.categories or not spec.series:
        raise ValueError("a chart needs at least one category and one series")
    width, height = expected_size(spec)
    target = (folder or chart_dir()) / f"{spec.file_stem}-{uuid.uuid4().hex[:10]}.png"
    with _LOCK:
        fig = plt.figure(figsize=(width / DPI, height / DPI), dpi=DPI)
        try:
            ax = fig.add_subplot(1, 1, 1)
            drawn = _draw(fig, ax, spec)
            fig.savefig(target, dpi=DPI, format="png")
        finally:
            plt.close(fig)
    _quantise(target)
    _sweep(target.parent)
    return RenderedChart(path=target, width=width, height=height, drawn=drawn)


def _draw(fig: Figure, ax: Axes, spec: ChartSpec) -> dict[str, list[float | None]]:
    n = len(spec.categories)
    bars = [s for s in spec.series if s.style == "bar"]
    lines = [s for s in spec.series if s.style == "line"]
    slot = 0.8 / max(1, len(bars))
    horizontal = spec.orientation != "vertical"
    drawn: dict[str, list[float | None]] = {}
    values = [abs(v) for s in spec.series for v in s.values if v is not None]
    span = max(values, default=0)
    label_bars = n * len(bars) <= MAX_VALUE_LABELS
    for i, series in enumerate(bars):
        positions = [c - 0.4 + slot * (i + 0.5) for c in range(n)]
        present = [(p, v) for p, v in zip(positions, series.values, strict=True) if v is not None]
        colour = COLOURS[i % len(COLOURS)]
        if not present:
            drawn[series.name] = [None] * n
            continue
        where, amounts = zip(*present, strict=True)
        if horizontal:
            container = ax.barh(where, amounts, height=slot * 0.92, color=colour, label=series.name)
        else:
            container = ax.bar(where, amounts, width=slot * 0.92, color=colour, label=series.name)
        drawn[series.name] = _read_back(container, series.values, horizontal)
        if label_bars:
            ax.bar_label(container, labels=[sv_amount(v) for v in amounts], padding=2, fontsize=7)
    for series in lines:
        points = [(c, v) for c, v in enumerate(series.values) if v is not None]
        if not points:
            drawn[series.name] = [None] * n
            continue
        xs, ys = zip(*points, strict=True)
        # A wide dash per category reads as a ceiling over the bar; drawn above the bars.
        (artist,) = ax.plot(xs, ys, color=CEILING_COLOUR, linestyle="--", linewidth=1.4, marker="_",
                            markersize=60 if not horizontal else 20, markeredgewidth=3, zorder=3,
                            label=series.name)
        plotted = dict(zip(np.asarray(artist.get_xdata(), dtype=float).tolist(),
                           np.asarray(artist.get_ydata(), dtype=float).tolist(), strict=True))
        drawn[series.name] = [plotted.get(float(c)) for c in range(n)]
    formatter = FuncFormatter(lambda value, _pos: sv_axis_amount(value, span))
    labels = [_short(c) for c in spec.categories]
    if horizontal:
        ax.set_yticks(range(n), labels, fontsize=8)
        ax.invert_yaxis()  # the first line of the table on top, as in the document
        ax.xaxis.set_major_formatter(formatter)
        ax.axvline(0, color="#444444", linewidth=0.8)
        ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    else:
        ax.set_xticks(range(n), labels, fontsize=8)
        ax.yaxis.set_major_formatter(formatter)
        ax.axhline(0, color="#444444", linewidth=0.8)
        ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.tick_params(labelsize=8)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.set_title(spec.title, fontsize=11, loc="left")
    ax.legend(fontsize=8, loc="best", frameon=False)
    fig.tight_layout()
    return drawn


def _read_back(container: BarContainer, values: Sequence[int | None], horizontal: bool) -> list[float | None]:
    """The drawn bar lengths, in the series' category order (None where nothing was drawn)."""
    lengths = [float(p.get_width() if horizontal else p.get_height()) for p in container.patches]
    out: list[float | None] = []
    it = iter(lengths)
    for value in values:
        out.append(None if value is None else next(it))
    return out


def _quantise(path: Path) -> None:
    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=PALETTE_COLOURS, method=Image.Quantize.MEDIANCUT)
    small.save(path, format="PNG", optimize=True)


def _sweep(folder: Path) -> None:
    cutoff = time.time() - KEEP_SECONDS
    try:
        for old in folder.glob("*.png"):
            if old.stat().st_mtime < cutoff:
                old.unlink(missing_ok=True)
    except OSError as exc:  # another process may sweep the same folder
        log.debug("chart sweep: %s", exc)
