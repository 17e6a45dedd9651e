"""The /goal show chart: one bar per week, calm colours only (no red), drawn on a bare Agg figure."""

from __future__ import annotations

import io
from collections.abc import Sequence

from bot.services.charts import BACKGROUND, DPI, GRID_COLOUR, TEXT_COLOUR, format_day
from bot.services.goal_progress import DAYS_A_WEEK, WeekProgress
from bot.services.goal_words import say
from bot.services.messages import DEFAULT_LANGUAGE

# Okabe-Ito blue and sky blue, and a neutral grey: nothing that reads as a warning.
TOWARD_COLOUR = "#0072B2"
DAYS_COLOUR = "#56B4E9"
OTHER_COLOUR = "#C8C8C8"
AIM_COLOUR = "#555555"
WIDTH_IN, HEIGHT_IN = 8.0, 3.6


def week_label(week: WeekProgress, language: str = DEFAULT_LANGUAGE) -> str:
    return f"{format_day(week.start, lang=language)}\n– {format_day(week.end, lang=language)}"


def render_goal_chart(
    measure: str, target: int, weeks: Sequence[WeekProgress], language: str = DEFAULT_LANGUAGE
) -> bytes:
    """A PNG: for a "days" goal, the drinking or using days of each week beside a dashed line at the aim; for
    the others, each week's answered days, those that went the goal's way in blue. Depends only on its input."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    figure = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI, facecolor=BACKGROUND)
    canvas = FigureCanvasAgg(figure)
    ax = figure.add_subplot(1, 1, 1)
    figure.subplots_adjust(left=0.08, right=0.98, top=0.82, bottom=0.2)
    positions = list(range(len(weeks)))
    if measure == "days":
        ax.bar(
            positions, [w.other for w in weeks], color=DAYS_COLOUR, width=0.6, label=say("chart_days_bars", language)
        )
        ax.axhline(
            target, color=AIM_COLOUR, linestyle="--", linewidth=1.5, label=say("chart_aim", language, target=target)
        )
        title = say("chart_days_title", language)
    else:
        toward = [w.toward for w in weeks]
        ax.bar(positions, toward, color=TOWARD_COLOUR, width=0.6, label=say("chart_toward", language))
        ax.bar(
            positions,
            [w.other for w in weeks],
            bottom=toward,
            color=OTHER_COLOUR,
            width=0.6,
            label=say("chart_other", language),
        )
        title = say("chart_answered_title", language)
    ax.set_ylim(0, DAYS_A_WEEK + 0.5)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xticks(positions)
    ax.set_xticklabels([week_label(w, language) for w in weeks], fontsize=9, color=TEXT_COLOUR)
    ax.tick_params(colors=TEXT_COLOUR, length=0)
    ax.grid(axis="y", color=GRID_COLOUR, linewidth=0.8)
    ax.set_axisbelow(True)
    ax.set_facecolor("white")
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.legend(loc="upper left", bbox_to_anchor=(0.0, 1.2), ncol=2, frameon=False, fontsize=10)
    figure.suptitle(title, x=0.98, y=0.97, ha="right", fontsize=13, color=TEXT_COLOUR)
    buffer = io.BytesIO()
    canvas.print_png(buffer)
    return buffer.getvalue()
