"""The /history chart of a member's mood and cravings, and its one-line summary for screen readers."""

from __future__ import annotations

import asyncio
import math
import multiprocessing
import os
import struct
import threading
import time
import zlib
from collections import OrderedDict
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from bot.services.messages import DEFAULT_LANGUAGE, message

if TYPE_CHECKING:
    import numpy as np
    from matplotlib.axes import Axes

    from bot.services.goal_progress import WeekProgress

# matplotlib and numpy are imported where a chart is drawn, not here: the bot's own process only hands charts
# to its worker processes, and importing them there would cost it memory for nothing (numpy alone is 10 MB).

MOOD_MIN, MOOD_MAX = 1, 5
CRAVINGS_MIN, CRAVINGS_MAX = 0, 4

# Okabe-Ito colours stay distinct for the common colour-vision deficiencies; the line styles and
# markers differ too, so the chart still reads when printed or viewed in greyscale.
MOOD_COLOUR = "#0072B2"
CRAVINGS_COLOUR = "#D55E00"
BACKGROUND = "#FAFAF7"
TEXT_COLOUR = "#222222"
GRID_COLOUR = "#DDDDDD"

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
WIDTH_IN, HEIGHT_IN, DPI = 8.0, 4.0, 100  # 800x400 px: Discord's preview shows it without scaling down
# Fixed margins as fractions of the figure; the left one leaves room for "really struggling".
PLOT_LEFT, PLOT_RIGHT, PLOT_TOP, PLOT_BOTTOM = 0.19, 0.975, 0.85, 0.1
NO_CHECKINS_MESSAGE = message("history", DEFAULT_LANGUAGE, "chart_no_checkins")
NO_VALUES_MESSAGE = message("history", DEFAULT_LANGUAGE, "chart_no_values")
# Past this many days a marker per point turns the line into a smear and costs render time.
MARKER_DAY_LIMIT = 92
# Past this many days a day is under two pixels wide: thick or dashed lines then merge into a solid
# block, so long periods get a thinner solid line that still shows the ups and downs.
DENSE_DAY_LIMIT = 366
TREND_WINDOW_DAYS = 14
# A change in average mood smaller than this is noise from one or two days, not a trend.
TREND_THRESHOLD = 0.3

# Fixed English month names, so the output never depends on the process's locale.


@dataclass(frozen=True)
class DayPoint:
    """One day's check-in as the chart needs it; None means the member did not give that value."""

    day: date
    mood: int | None
    cravings: int | None

    def __post_init__(self) -> None:
        _check_scale("mood", self.mood, MOOD_MIN, MOOD_MAX)
        _check_scale("cravings", self.cravings, CRAVINGS_MIN, CRAVINGS_MAX)


def _check_scale(name: str, value: int | None, low: int, high: int) -> None:
    # bool is an int subclass; True here is a bug upstream, not a value of 1.
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"{name} must be a whole number from {low} to {high}, or None")


def _check_range(start: date, end: date) -> None:
    if end < start:
        raise ValueError(f"the period ends ({end}) before it starts ({start})")


def _by_day(points: Sequence[DayPoint], start: date, end: date) -> dict[date, DayPoint]:
    # One check-in per local day is the rule; should duplicates slip through, the later one wins,
    # as a second check-in on a day replaces the first.
    return {p.day: p for p in points if start <= p.day <= end}


def daily_series(points: Sequence[DayPoint], start: date, end: date) -> tuple[list[date], list[float], list[float]]:
    """Every day from start to end inclusive, with mood and cravings; NaN where nothing was given.

    NaN rather than skipping the day is what makes the plotted line break at a missing day instead
    of drawing a straight line across it, which would invent check-ins the member never made.
    """
    _check_range(start, end)
    by_day = _by_day(points, start, end)
    days = [start + timedelta(days=offset) for offset in range((end - start).days + 1)]
    moods: list[float] = []
    cravings: list[float] = []
    for day in days:
        point = by_day.get(day)
        moods.append(math.nan if point is None or point.mood is None else float(point.mood))
        cravings.append(math.nan if point is None or point.cravings is None else float(point.cravings))
    return days, moods, cravings


def _words(lang: str, key: str, **values: object) -> str:
    return message("history", lang, key, **{name: str(value) for name, value in values.items()})


def format_day(day: date, with_year: bool = False, lang: str = DEFAULT_LANGUAGE) -> str:
    """ "12 Mar" / "12 mar", with the year when a range crosses one; never the process's locale."""
    text = f"{day.day} {_words(lang, 'months').split()[day.month - 1]}"
    return f"{text} {day.year}" if with_year else text


def chart_title(start: date, end: date, lang: str = DEFAULT_LANGUAGE) -> str:
    with_year = start.year != end.year
    if start == end:
        return _words(lang, "chart_title_one", day=format_day(start, with_year, lang))
    first, last = format_day(start, with_year, lang), format_day(end, with_year, lang)
    return _words(lang, "chart_title_range", start=first, end=last)


def _isolated(values: np.ndarray) -> np.ndarray:
    """Values with a gap on both sides; a line segment needs two points, so these need a marker."""
    import numpy as np

    present = ~np.isnan(values)
    before = np.concatenate(([False], present[:-1]))
    after = np.concatenate((present[1:], [False]))
    return np.where(present & ~before & ~after, values, np.nan)


def _draw_series(ax: Axes, x: np.ndarray, values: np.ndarray, colour: str, linestyle: str, marker: str) -> None:
    import numpy as np

    markers = len(values) <= MARKER_DAY_LIMIT
    dense = len(values) > DENSE_DAY_LIMIT
    # Whole arrays, one artist per series: per-point artists would make three years of data slow.
    ax.plot(
        x,
        values,
        color=colour,
        linewidth=1.5 if dense else 2.5,
        linestyle="-" if dense else linestyle,
        marker=marker if markers else "",
        markersize=6,
        solid_capstyle="round",
        dash_capstyle="round",
    )
    if not markers:
        lonely = _isolated(values)
        if not np.all(np.isnan(lonely)):
            ax.plot(x, lonely, color=colour, linestyle="", marker=marker, markersize=5)


def _style_panel(ax: Axes, title: str, colour: str, low: int, high: int, labels: dict[int, str]) -> None:
    from matplotlib.ticker import FixedLocator

    ax.set_facecolor("white")
    ax.set_ylim(low - 0.4, high + 0.4)
    ticks = list(range(low, high + 1))
    ax.yaxis.set_major_locator(FixedLocator(ticks))
    ax.set_yticklabels([labels.get(tick, str(tick)) for tick in ticks])
    ax.tick_params(labelsize=11, colors=TEXT_COLOUR, length=0)
    ax.grid(axis="y", color=GRID_COLOUR, linewidth=0.8)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color("#999999")
    # An explicit y: matplotlib would otherwise measure every tick label on every render to place the title
    # (a sixth of a render), and it never moves in this layout.
    ax.set_title(title, loc="left", fontsize=12, fontweight="bold", color=colour, pad=4, y=1.0)


class _ChartFigure:
    """The chart's figure, styled once and drawn again for each member: building and styling the panels
    was about a third of a render (profile of bench.history), and none of it depends on the data."""

    def __init__(self, lang: str = DEFAULT_LANGUAGE) -> None:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        self.figure = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI, facecolor=BACKGROUND)
        self.canvas = FigureCanvasAgg(self.figure)
        # Fixed margins rather than tight_layout, which would measure every text on every render and
        # move the plot area around with the labels.
        self.figure.subplots_adjust(left=PLOT_LEFT, right=PLOT_RIGHT, top=PLOT_TOP, bottom=PLOT_BOTTOM, hspace=0.32)
        self.mood_ax, self.cravings_ax = self.figure.subplots(2, 1, sharex=True)
        self.lang = lang
        mood_ends = {1: _words(lang, "chart_mood_low"), 5: _words(lang, "chart_mood_high")}
        cravings_ends = {0: _words(lang, "chart_cravings_low"), 4: _words(lang, "chart_cravings_high")}
        _style_panel(self.mood_ax, _words(lang, "chart_mood"), MOOD_COLOUR, MOOD_MIN, MOOD_MAX, mood_ends)
        _style_panel(
            self.cravings_ax, _words(lang, "chart_cravings"), CRAVINGS_COLOUR, CRAVINGS_MIN, CRAVINGS_MAX, cravings_ends
        )
        for ax in (self.mood_ax, self.cravings_ax):
            # The axes have no labels, but left to place them matplotlib measures every tick label of both
            # panels on every render (a sixth of a three-year render in cProfile); a fixed place skips that.
            ax.xaxis.set_label_coords(0.5, 0.0)
            ax.yaxis.set_label_coords(0.0, 0.5)
        self.background = self._draw_background()

    def _draw_background(self) -> object:
        """Draw what every chart shares (panels, grid, y labels, panel titles) once and keep its pixels.

        Text is the dearest thing matplotlib draws (glyph layout and rendering were a third of a render in
        cProfile), and twelve of a chart's nineteen texts never change; a render starts from these pixels
        and draws only the lines, the spines over them, the dates and the title, in the order a full draw
        would, so the image is the same.
        """
        axes = (self.mood_ax, self.cravings_ax)
        spines = [spine for ax in axes for spine in ax.spines.values() if spine.get_visible()]
        hidden = [ax.xaxis for ax in axes] + spines
        for artist in hidden:
            artist.set_visible(False)
        self.canvas.draw()
        for artist in hidden:
            artist.set_visible(True)
        return self.canvas.copy_from_bbox(self.figure.bbox)

    def _clear(self) -> None:
        for ax in (self.mood_ax, self.cravings_ax):
            for line in list(ax.lines):
                line.remove()
        for text in list(self.figure.texts):
            text.remove()
        # The title is made afresh below (matplotlib keeps a reference to the last one).
        self.figure._suptitle = None  # type: ignore[attr-defined]

    def render(self, points: Sequence[DayPoint], start: date, end: date) -> bytes:
        import numpy as np
        from matplotlib.dates import AutoDateLocator, date2num, num2date
        from matplotlib.ticker import FixedFormatter, FixedLocator

        days, moods, cravings = daily_series(points, start, end)
        mood_values = np.asarray(moods, dtype=float)
        cravings_values = np.asarray(cravings, dtype=float)
        x = date2num(start) + np.arange(len(days), dtype=float)
        self._clear()
        figure, mood_ax, cravings_ax = self.figure, self.mood_ax, self.cravings_ax
        lang = self.lang
        figure.suptitle(chart_title(start, end, lang), x=0.02, y=0.975, ha="left", fontsize=14, color=TEXT_COLOUR)
        if np.all(np.isnan(mood_values)) and np.all(np.isnan(cravings_values)):
            figure.text(
                0.58,
                0.47,
                _words(lang, "chart_no_values" if any(start <= p.day <= end for p in points) else "chart_no_checkins"),
                ha="center",
                va="center",
                fontsize=13,
                color=TEXT_COLOUR,
                bbox={"boxstyle": "round,pad=0.6", "facecolor": "white", "edgecolor": GRID_COLOUR},
            )
        else:
            _draw_series(mood_ax, x, mood_values, MOOD_COLOUR, "-", "o")
            _draw_series(cravings_ax, x, cravings_values, CRAVINGS_COLOUR, "--", "s")

        # Half a day of margin either side keeps the first and last markers whole.
        cravings_ax.set_xlim(x[0] - 0.5, x[-1] + 0.5)
        # The date ticks are worked out once and pinned: matplotlib would otherwise ask the locator (dateutil
        # rrules) and the formatter again each time it lays out either panel, some 6 ms of a render.
        cravings_ax.xaxis.set_major_locator(AutoDateLocator(minticks=3, maxticks=7))
        ticks = cravings_ax.xaxis.get_major_locator()()
        with_year = start.year != end.year
        cravings_ax.xaxis.set_major_locator(FixedLocator(ticks))
        cravings_ax.xaxis.set_major_formatter(
            FixedFormatter([format_day(num2date(tick).date(), with_year, lang) for tick in ticks])
        )

        # Encoded straight from the canvas as RGB: the chart is opaque, so the alpha channel savefig would
        # keep is a quarter of the bytes to compress for nothing.
        canvas = self.canvas
        canvas.restore_region(self.background)
        for ax in (mood_ax, cravings_ax):
            # Lines are clipped to their panel; the spines go over them, as in a full draw.
            for line in ax.lines:
                ax.draw_artist(line)
            for spine in ax.spines.values():
                if spine.get_visible():
                    ax.draw_artist(spine)
        # Only the lower panel shows dates (the panels share them); the upper one's ticks have no length.
        cravings_ax.draw_artist(cravings_ax.xaxis)
        for text in figure.texts:
            figure.draw_artist(text)
        return png_bytes(np.asarray(canvas.buffer_rgba()))


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bytes(rgba: np.ndarray) -> bytes:
    """An RGB PNG of an opaque RGBA image: the alpha channel dropped, rows unfiltered, zlib level 3.

    PIL's encoder tries every PNG row filter on every row and was a third of a three-year render (cProfile
    of bench.history); with none, a chart of flat colours and thin lines compresses about as well (a few
    KB more) in half the time. Nothing but the pixels goes in: the same chart gives the same bytes.
    """
    import numpy as np

    height, width, _ = rgba.shape
    rows = np.empty((height, 1 + 3 * width), dtype=np.uint8)
    rows[:, 0] = 0  # filter type None
    rows[:, 1:] = rgba[:, :, :3].reshape(height, 3 * width)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB, no interlace
    pixels = zlib.compress(rows.tobytes(), 3)
    return PNG_SIGNATURE + _chunk(b"IHDR", header) + _chunk(b"IDAT", pixels) + _chunk(b"IEND", b"")


# One figure per thread: a matplotlib figure must not be drawn by two threads at once.
_figures = threading.local()


def render_history_chart(points: Sequence[DayPoint], start: date, end: date, lang: str = DEFAULT_LANGUAGE) -> bytes:
    """A PNG of mood (top) and cravings (bottom) from start to end, one gap per day without a check-in.

    Built on a bare Figure and the Agg canvas rather than pyplot, so it keeps no global state and
    can run in a worker thread or process while the event loop carries on.
    """
    _check_range(start, end)
    charts: dict[str, _ChartFigure] = _figures.__dict__.setdefault("charts", {})
    chart = charts.get(lang)
    if chart is None:
        chart = charts[lang] = _ChartFigure(lang)
    return chart.render(points, start, end)


def _end_with_parent(parent: int) -> None:
    """A chart worker's first step: end itself once the bot's process is gone.

    However the bot ended (a SIGTERM it had no handler for, a SIGKILL, a crash), its workers used to stay
    behind, each holding matplotlib (some 75 MB) until the machine restarted: found as dozens of idle
    orphans on the benchmark machine.
    """

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, name="lantern-chart-parent-watch", daemon=True).start()


def _warm() -> bytes:
    """Draw one chart, so that a new worker has loaded matplotlib and its fonts before a member waits."""
    today = date(2026, 1, 1)
    return render_history_chart([DayPoint(today, 3, 1)], today - timedelta(days=13), today)


class ChartRenderer:
    """/history charts, drawn in a small pool of worker processes and kept until the member's data changes.

    Processes, not threads: a chart is some 50 ms of Python that would hold the event loop's GIL, and two
    workers use both cores. The cache is keyed by the chart's whole input, so the next check-in (a new
    point) is a new key: a chart is reused exactly until then.
    """

    def __init__(self, workers: int = 2, cache_size: int = 256) -> None:
        self.workers = workers
        self.cache_size = cache_size
        self._cache: OrderedDict[tuple[tuple[DayPoint, ...], date, date, str], bytes] = OrderedDict()
        self._pool: ProcessPoolExecutor | None = None

    def start(self) -> None:
        """Start the workers and have each draw a chart, without waiting for them."""
        pool = self._executor()
        for _ in range(self.workers):
            pool.submit(_warm)

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            # spawn: the bot's process has threads (database, writer), which fork would copy half-held.
            self._pool = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_end_with_parent,
                initargs=(os.getpid(),),
            )
        return self._pool

    async def render(self, points: Sequence[DayPoint], start: date, end: date, lang: str = DEFAULT_LANGUAGE) -> bytes:
        key = (tuple(points), start, end, lang)
        cached = self._cache.get(key)
        if cached is not None:
            self._cache.move_to_end(key)
            return cached
        loop = asyncio.get_running_loop()
        png = await loop.run_in_executor(self._executor(), render_history_chart, list(points), start, end, lang)
        self._cache[key] = png
        while len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)
        return png

    async def render_goal(
        self, measure: str, target: int, weeks: Sequence[WeekProgress], language: str = DEFAULT_LANGUAGE
    ) -> bytes:
        """A /goal show chart, drawn in the same workers (never on the event loop); only the measure, its
        target and the weekly counts go there, never the member's words."""
        from bot.services.goal_chart import render_goal_chart

        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor(), render_goal_chart, measure, target, list(weeks), language)

    def shutdown(self, *, wait: bool = False) -> None:
        """Drop the cache and end the workers; with `wait`, return only once they have ended (a stopping bot)."""
        self._cache.clear()
        if self._pool is not None:
            pool, self._pool = self._pool, None
            pool.shutdown(wait=wait, cancel_futures=True)


def _number(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _mean(values: Sequence[int]) -> float:
    return sum(values) / len(values)


def _mood_trend(by_day: dict[date, DayPoint], end: date) -> str:
    """The history catalogue's key for how mood moved over the last four weeks; "" when too few days."""
    recent_start = end - timedelta(days=TREND_WINDOW_DAYS - 1)
    earlier_start = recent_start - timedelta(days=TREND_WINDOW_DAYS)
    recent = [p.mood for d, p in by_day.items() if d >= recent_start and p.mood is not None]
    earlier = [p.mood for d, p in by_day.items() if earlier_start <= d < recent_start and p.mood is not None]
    # A couple of days either side is too little to call a trend, and saying one would mislead.
    if len(recent) < 3 or len(earlier) < 3:
        return ""
    change = _mean(recent) - _mean(earlier)
    if change >= TREND_THRESHOLD:
        return "trend_up"
    if change <= -TREND_THRESHOLD:
        return "trend_down"
    return "trend_steady"


def summary_text(points: Sequence[DayPoint], start: date, end: date, lang: str = DEFAULT_LANGUAGE) -> str:
    """One plain-language line describing the chart, for screen readers and anyone who prefers words."""
    _check_range(start, end)

    def words(key: str, **values: object) -> str:
        return message("history", lang, key, **{name: str(value) for name, value in values.items()})

    def day(value: date, with_year: bool = False) -> str:
        text = f"{value.day} {words('months').split()[value.month - 1]}"
        return f"{text} {value.year}" if with_year else text

    by_day = _by_day(points, start, end)
    length = (end - start).days + 1
    span = words("span_one") if length == 1 else words("span_many", count=length)
    with_year = start.year != end.year
    period = words("period", span=span, start=day(start, with_year), end=day(end, with_year))
    if not by_day:
        return words("nothing_in_period", period=period)

    count = len(by_day)
    parts = [words("summary_one", period=period) if count == 1 else words("summary_many", count=count, period=period)]
    moods = [p.mood for p in by_day.values() if p.mood is not None]
    cravings = [p.cravings for p in by_day.values() if p.cravings is not None]
    if moods:
        mood = words("mood_average", average=_number(_mean(moods)), low=min(moods), high=max(moods))
    else:
        mood = words("mood_none_yet")
    if cravings:
        parts.append(words("cravings_average", mood=mood, average=_number(_mean(cravings))))
    else:
        parts.append(words("cravings_none_yet", mood=mood))
    trend = _mood_trend(by_day, end) if length >= 2 * TREND_WINDOW_DAYS else ""
    if trend:
        parts.append(words(trend))
    return " ".join(parts)
