"""The /history chart of a member's mood and cravings, and its one-line summary for screen readers."""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import AutoDateLocator, date2num, num2date
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, FuncFormatter

MOOD_MIN, MOOD_MAX = 1, 5
CRAVINGS_MIN, CRAVINGS_MAX = 0, 4

# Okabe-Ito colours stay distinct for the common colour-vision deficiencies; the line styles and
# markers differ too, so the chart still reads when printed or viewed in greyscale.
MOOD_COLOUR = "#0072B2"
CRAVINGS_COLOUR = "#D55E00"
BACKGROUND = "#FAFAF7"
TEXT_COLOUR = "#222222"
GRID_COLOUR = "#DDDDDD"

WIDTH_IN, HEIGHT_IN, DPI = 8.0, 4.0, 100  # 800x400 px: Discord's preview shows it without scaling down
# Fixed margins as fractions of the figure; the left one leaves room for "really struggling".
PLOT_LEFT, PLOT_RIGHT, PLOT_TOP, PLOT_BOTTOM = 0.19, 0.975, 0.85, 0.1
NO_CHECKINS_MESSAGE = "No check-ins in this period yet.\nYour chart will fill in as you check in."
NO_VALUES_MESSAGE = "No mood or cravings given in this period yet.\nYour chart will fill in as you add them."
# Past this many days a marker per point turns the line into a smear and costs render time.
MARKER_DAY_LIMIT = 92
# Past this many days a day is under two pixels wide: thick or dashed lines then merge into a solid
# block, so long periods get a thinner solid line that still shows the ups and downs.
DENSE_DAY_LIMIT = 366
TREND_WINDOW_DAYS = 14
# A change in average mood smaller than this is noise from one or two days, not a trend.
TREND_THRESHOLD = 0.3

# Fixed English month names, so the output never depends on the process's locale.
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


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


def format_day(day: date, with_year: bool = False) -> str:
    text = f"{day.day} {MONTHS[day.month - 1]}"
    return f"{text} {day.year}" if with_year else text


def chart_title(start: date, end: date) -> str:
    with_year = start.year != end.year
    if start == end:
        return f"Your check-ins, {format_day(start, with_year)}"
    return f"Your check-ins, {format_day(start, with_year)} – {format_day(end, with_year)}"


def _isolated(values: np.ndarray) -> np.ndarray:
    """Values with a gap on both sides; a line segment needs two points, so these need a marker."""
    present = ~np.isnan(values)
    before = np.concatenate(([False], present[:-1]))
    after = np.concatenate((present[1:], [False]))
    return np.where(present & ~before & ~after, values, np.nan)


def _draw_series(ax: Axes, x: np.ndarray, values: np.ndarray, colour: str, linestyle: str, marker: str) -> None:
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
    ax.set_title(title, loc="left", fontsize=12, fontweight="bold", color=colour, pad=4)


def render_history_chart(points: Sequence[DayPoint], start: date, end: date) -> bytes:
    """A PNG of mood (top) and cravings (bottom) from start to end, one gap per day without a check-in.

    Built on a bare Figure and the Agg canvas rather than pyplot, so it keeps no global state and
    can run in a worker thread while the event loop carries on.
    """
    days, moods, cravings = daily_series(points, start, end)
    mood_values = np.asarray(moods, dtype=float)
    cravings_values = np.asarray(cravings, dtype=float)
    x = date2num(start) + np.arange(len(days), dtype=float)

    figure = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI, facecolor=BACKGROUND)
    FigureCanvasAgg(figure)
    # Fixed margins rather than tight_layout, which would measure every text on every render and
    # move the plot area around with the labels.
    figure.subplots_adjust(left=PLOT_LEFT, right=PLOT_RIGHT, top=PLOT_TOP, bottom=PLOT_BOTTOM, hspace=0.32)
    mood_ax, cravings_ax = figure.subplots(2, 1, sharex=True)
    figure.suptitle(chart_title(start, end), x=0.02, y=0.975, ha="left", fontsize=14, color=TEXT_COLOUR)

    _style_panel(mood_ax, "Mood", MOOD_COLOUR, MOOD_MIN, MOOD_MAX, {1: "really struggling", 5: "doing well"})
    _style_panel(cravings_ax, "Cravings", CRAVINGS_COLOUR, CRAVINGS_MIN, CRAVINGS_MAX, {0: "none", 4: "overwhelming"})

    if np.all(np.isnan(mood_values)) and np.all(np.isnan(cravings_values)):
        figure.text(
            0.58,
            0.47,
            NO_VALUES_MESSAGE if any(start <= p.day <= end for p in points) else NO_CHECKINS_MESSAGE,
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
    locator = AutoDateLocator(minticks=3, maxticks=7)
    cravings_ax.xaxis.set_major_locator(locator)
    with_year = start.year != end.year
    cravings_ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _: format_day(num2date(value).date(), with_year)))

    buffer = io.BytesIO()
    # No Software entry: the PNG then depends only on the input, not on the matplotlib version.
    # zlib level 3 instead of the default 6 saves about 6 ms a render for a file some 10% larger.
    figure.savefig(
        buffer,
        format="png",
        dpi=DPI,
        facecolor=BACKGROUND,
        metadata={"Software": None},
        pil_kwargs={"compress_level": 3},
    )
    return buffer.getvalue()


def _number(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _mean(values: Sequence[int]) -> float:
    return sum(values) / len(values)


def _mood_trend(by_day: dict[date, DayPoint], end: date) -> str:
    recent_start = end - timedelta(days=TREND_WINDOW_DAYS - 1)
    earlier_start = recent_start - timedelta(days=TREND_WINDOW_DAYS)
    recent = [p.mood for d, p in by_day.items() if d >= recent_start and p.mood is not None]
    earlier = [p.mood for d, p in by_day.items() if earlier_start <= d < recent_start and p.mood is not None]
    # A couple of days either side is too little to call a trend, and saying one would mislead.
    if len(recent) < 3 or len(earlier) < 3:
        return ""
    change = _mean(recent) - _mean(earlier)
    if change >= TREND_THRESHOLD:
        return "Your mood was higher in the last two weeks than the two before."
    if change <= -TREND_THRESHOLD:
        return (
            "Your mood has been lower in the last two weeks than the two before; it counts that you kept checking in."
        )
    return "Your mood was steady across the last four weeks."


def summary_text(points: Sequence[DayPoint], start: date, end: date) -> str:
    """One plain-language line describing the chart, for screen readers and anyone who prefers words."""
    _check_range(start, end)
    by_day = _by_day(points, start, end)
    length = (end - start).days + 1
    span = f"{length} day" if length == 1 else f"{length} days"
    period = f"{span}, {format_day(start)} to {format_day(end)}"
    if start.year != end.year:
        period = f"{span}, {format_day(start, True)} to {format_day(end, True)}"
    if not by_day:
        return f"No check-ins in this period yet ({period})."

    count = len(by_day)
    parts = [f"{count} check-in{'' if count == 1 else 's'} in {period}."]
    moods = [p.mood for p in by_day.values() if p.mood is not None]
    cravings = [p.cravings for p in by_day.values() if p.cravings is not None]
    if moods:
        mood = f"Mood averaged {_number(_mean(moods))} out of 5 (lowest {min(moods)}, highest {max(moods)})"
    else:
        mood = "No mood given yet"
    if cravings:
        parts.append(f"{mood}; cravings averaged {_number(_mean(cravings))} out of 4.")
    else:
        parts.append(f"{mood}; no cravings given yet.")
    trend = _mood_trend(by_day, end) if length >= 2 * TREND_WINDOW_DAYS else ""
    if trend:
        parts.append(trend)
    return " ".join(parts)
