"""The /history chart and its summary: valid PNGs, gaps left as gaps, stable bytes, kind words."""

from __future__ import annotations

import io
import math
import os
import re
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.figure import Figure
from matplotlib.image import imread

from bot.services.charts import (
    MOOD_COLOUR,
    NO_CHECKINS_MESSAGE,
    NO_VALUES_MESSAGE,
    PLOT_LEFT,
    PLOT_RIGHT,
    DayPoint,
    chart_title,
    daily_series,
    render_history_chart,
    summary_text,
)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
ROOT = Path(__file__).resolve().parents[2]
START = date(2026, 3, 12)
END = date(2026, 6, 9)


def _days(first: date, count: int) -> list[date]:
    return [first + timedelta(days=n) for n in range(count)]


def _decode(png: bytes) -> np.ndarray:
    return imread(io.BytesIO(png), format="png")


def test_chart_is_a_png_of_discord_preview_size() -> None:
    points = [DayPoint(day, 1 + n % 5, n % 5) for n, day in enumerate(_days(START, 90))]
    png = render_history_chart(points, START, END)
    assert png.startswith(PNG_SIGNATURE)
    image = _decode(png)
    assert image.shape[:2] == (400, 800)


def test_same_input_gives_identical_bytes() -> None:
    points = [DayPoint(day, 3, 1) for day in _days(START, 40) if day.day % 4]
    assert render_history_chart(points, START, END) == render_history_chart(list(points), START, END)


def test_png_carries_no_software_version() -> None:
    png = render_history_chart([DayPoint(START, 3, 1)], START, END)
    assert b"matplotlib" not in png.lower()


def test_three_years_of_daily_points_render() -> None:
    end = START + timedelta(days=1099)
    points = [DayPoint(day, 1 + n % 5, n % 5) for n, day in enumerate(_days(START, 1100))]
    image = _decode(render_history_chart(points, START, end))
    assert image.shape[:2] == (400, 800)


@pytest.mark.parametrize(
    ("length", "with_values"), [(1, True), (14, True), (93, True), (400, True), (1095, True), (30, False)]
)
def test_a_chart_drawn_on_the_kept_background_is_a_full_draw(length: int, with_values: bool) -> None:
    # Only the lines, spines, dates and title are drawn on the kept pixels of the rest; a full draw of the
    # same figure must give exactly the same image (order and clipping kept), for short and long periods.
    from PIL import Image

    from bot.services.charts import _ChartFigure

    chart = _ChartFigure()
    end = START + timedelta(days=length - 1)
    points = [
        DayPoint(day, 1 + n % 5 if with_values else None, n % 5 if with_values else None)
        for n, day in enumerate(_days(START, length))
        if n % 7 != 3
    ]
    png = chart.render(points, START, end)
    chart.canvas.draw()
    full = np.asarray(chart.canvas.buffer_rgba())[..., :3]
    assert np.array_equal(np.asarray(Image.open(io.BytesIO(png)).convert("RGB")), full)


def _figure_texts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    texts: list[str] = []
    original = Figure.text

    def spy(self: Figure, x: float, y: float, s: str, *args: Any, **kwargs: Any) -> Any:
        texts.append(s)
        return original(self, x, y, s, *args, **kwargs)

    monkeypatch.setattr(Figure, "text", spy)
    return texts


def test_empty_period_renders_a_friendly_placeholder(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = _figure_texts(monkeypatch)
    png = render_history_chart([DayPoint(END + timedelta(days=1), 3, 1)], START, END)
    assert _decode(png).shape[:2] == (400, 800)
    assert texts == [chart_title(START, END), NO_CHECKINS_MESSAGE]
    assert NO_CHECKINS_MESSAGE.startswith("No check-ins in this period yet.")


def test_check_ins_without_values_get_their_own_placeholder(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = _figure_texts(monkeypatch)
    render_history_chart([DayPoint(START, None, None)], START, END)
    assert texts == [chart_title(START, END), NO_VALUES_MESSAGE]


def test_no_placeholder_when_there_is_data(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = _figure_texts(monkeypatch)
    render_history_chart([DayPoint(START, None, 2)], START, END)
    assert texts == [chart_title(START, END)]


def test_single_day_period_renders() -> None:
    png = render_history_chart([DayPoint(START, 4, 0)], START, START)
    assert _decode(png).shape[:2] == (400, 800)


def _is_mood_blue(pixels: np.ndarray) -> np.ndarray:
    target = np.array([int(MOOD_COLOUR[i : i + 2], 16) / 255 for i in (1, 3, 5)])
    return np.all(np.abs(pixels[..., :3] - target) < 0.08, axis=-1)


def test_missing_day_is_a_gap_in_the_drawn_line() -> None:
    # Five days at the same mood with the middle one missing: an interpolated line would cross the
    # middle day's column; a real gap leaves it free of the mood colour.
    start = date(2026, 5, 1)
    end = start + timedelta(days=4)
    points = [DayPoint(start + timedelta(days=n), 3, None) for n in (0, 1, 3, 4)]
    image = _decode(render_history_chart(points, start, end))
    top_half = image[: image.shape[0] // 2]

    def column(day_offset: float) -> np.ndarray:
        fraction = (day_offset + 0.5) / 5
        x = round(800 * (PLOT_LEFT + (PLOT_RIGHT - PLOT_LEFT) * fraction))
        return top_half[:, x]

    assert _is_mood_blue(column(0.5)).any(), "the line between two check-ins should be drawn"
    assert not _is_mood_blue(column(2)).any(), "the missing day should be left empty"


def test_daily_series_puts_nan_on_missing_days() -> None:
    start = date(2026, 1, 1)
    points = [DayPoint(date(2026, 1, 1), 2, 1), DayPoint(date(2026, 1, 3), 4, 3)]
    days, moods, cravings = daily_series(points, start, date(2026, 1, 3))
    assert days == _days(start, 3)
    assert moods[0] == 2.0 and math.isnan(moods[1]) and moods[2] == 4.0
    assert cravings[0] == 1.0 and math.isnan(cravings[1]) and cravings[2] == 3.0


def test_daily_series_puts_nan_for_values_not_given() -> None:
    day = date(2026, 1, 1)
    _, moods, cravings = daily_series([DayPoint(day, None, 0)], day, day)
    assert math.isnan(moods[0])
    assert cravings == [0.0]


def test_daily_series_ignores_points_outside_the_period() -> None:
    start, end = date(2026, 1, 10), date(2026, 1, 11)
    points = [DayPoint(date(2026, 1, 9), 5, 4), DayPoint(date(2026, 1, 12), 5, 4), DayPoint(end, 3, 2)]
    days, moods, _ = daily_series(points, start, end)
    assert days == [start, end]
    assert math.isnan(moods[0]) and moods[1] == 3.0


def test_daily_series_refuses_a_backwards_period() -> None:
    with pytest.raises(ValueError, match="before it starts"):
        daily_series([], date(2026, 1, 2), date(2026, 1, 1))


@pytest.mark.parametrize(("mood", "cravings"), [(0, 1), (6, 1), (3, -1), (3, 5), (True, 1), (3, False)])
def test_day_point_refuses_values_off_the_scale(mood: Any, cravings: Any) -> None:
    with pytest.raises(ValueError, match="whole number"):
        DayPoint(date(2026, 1, 1), mood, cravings)


def test_title_names_the_period() -> None:
    assert chart_title(START, END) == "Your check-ins, 12 Mar – 9 Jun"
    assert chart_title(date(2025, 12, 1), date(2026, 1, 5)) == "Your check-ins, 1 Dec 2025 – 5 Jan 2026"
    assert chart_title(START, START) == "Your check-ins, 12 Mar"


def test_summary_with_no_check_ins() -> None:
    assert summary_text([], START, END).startswith("No check-ins in this period yet")


def test_summary_counts_and_averages() -> None:
    start = date(2026, 5, 1)
    points = [
        DayPoint(start, 1, 0),
        DayPoint(start + timedelta(days=1), 5, 2),
        DayPoint(start + timedelta(days=2), 3, 1),
    ]
    text = summary_text(points, start, start + timedelta(days=9))
    assert text.startswith("3 check-ins in 10 days, 1 May to 10 May.")
    assert "Mood averaged 3 out of 5 (lowest 1, highest 5)" in text
    assert "cravings averaged 1 out of 4" in text


def test_summary_of_one_check_in_is_singular() -> None:
    assert summary_text([DayPoint(START, 4, 1)], START, START).startswith("1 check-in in 1 day,")


def test_summary_without_moods() -> None:
    points = [DayPoint(START, None, 2), DayPoint(START + timedelta(days=1), None, None)]
    text = summary_text(points, START, END)
    assert text.startswith("2 check-ins")
    assert "No mood given yet; cravings averaged 2 out of 4." in text


def test_summary_without_cravings() -> None:
    text = summary_text([DayPoint(START, 4, None)], START, END)
    assert "Mood averaged 4 out of 5 (lowest 4, highest 4); no cravings given yet." in text


def _four_weeks(earlier_mood: int, recent_mood: int) -> tuple[list[DayPoint], date, date]:
    start = date(2026, 5, 1)
    points = [DayPoint(day, earlier_mood if n < 14 else recent_mood, 1) for n, day in enumerate(_days(start, 28))]
    return points, start, start + timedelta(days=27)


def test_summary_notices_a_rising_mood() -> None:
    text = summary_text(*_four_weeks(2, 4))
    assert "Your mood was higher in the last two weeks than the two before." in text


def test_summary_names_a_lower_mood_gently() -> None:
    text = summary_text(*_four_weeks(4, 2))
    assert "lower in the last two weeks" in text
    assert "kept checking in" in text


def test_summary_calls_a_small_change_steady() -> None:
    assert "steady" in summary_text(*_four_weeks(3, 3))


def test_summary_skips_the_trend_for_short_periods() -> None:
    points = [DayPoint(day, 2 if n < 5 else 5, 1) for n, day in enumerate(_days(START, 10))]
    text = summary_text(points, START, START + timedelta(days=9))
    assert "two weeks" not in text and "steady" not in text


day_points = st.builds(
    DayPoint,
    day=st.dates(min_value=date(2025, 1, 1), max_value=date(2026, 12, 31)),
    mood=st.none() | st.integers(1, 5),
    cravings=st.none() | st.integers(0, 4),
)


@settings(max_examples=300)
@given(
    points=st.lists(day_points, max_size=60),
    start=st.dates(min_value=date(2025, 1, 1), max_value=date(2026, 12, 31)),
    length=st.integers(0, 400),
)
def test_summary_never_raises_and_never_shames(points: list[DayPoint], start: date, length: int) -> None:
    text = summary_text(points, start, start + timedelta(days=length))
    assert text and "\n" not in text
    assert not re.search(r"fail|worse|\bbad\b|miss", text, re.IGNORECASE)


def test_the_chart_speaks_the_members_language() -> None:
    assert chart_title(START, END, "es") == "Tus registros, 12 mar – 9 jun"
    assert chart_title(date(2025, 12, 1), date(2026, 1, 5), "es") == "Tus registros, 1 dic 2025 – 5 ene 2026"
    rising = [DayPoint(END - timedelta(days=n), 2 if n >= 14 else 4, 1) for n in range(28)]
    english = summary_text(rising, END - timedelta(days=27), END)
    spanish = summary_text(rising, END - timedelta(days=27), END, "es")
    assert english.endswith("Your mood was higher in the last two weeks than the two before.")
    assert spanish.startswith("28 registros en 28 días, del 13 may al 9 jun.")
    assert spanish.endswith("Tu ánimo fue más alto en las últimas dos semanas que en las dos anteriores.")
    # A Spanish chart is drawn with its own figure; an English one after it is still English.
    assert render_history_chart(rising, END - timedelta(days=27), END, "es") != render_history_chart(
        rising, END - timedelta(days=27), END
    )


_BOT_WITH_CHART_WORKERS = """
import asyncio, sys
from datetime import date
from bot.services.charts import ChartRenderer, DayPoint

async def main():
    charts = ChartRenderer(workers=1)
    await charts.render([DayPoint(date(2026, 1, 1), 3, 1)], date(2026, 1, 1), date(2026, 1, 7))
    print(*charts._pool._processes, flush=True)
    await asyncio.sleep(120)

if __name__ == "__main__":
    asyncio.run(main())
"""


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/status") as status:
            return not any(line.startswith("State:") and "Z" in line.split()[1] for line in status)
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_chart_workers_end_when_the_bot_process_is_killed(tmp_path: Path) -> None:
    script = tmp_path / "bot_with_charts.py"
    script.write_text(_BOT_WITH_CHART_WORKERS)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    bot = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True, cwd=ROOT, env=env)
    try:
        assert bot.stdout is not None
        workers = [int(pid) for pid in bot.stdout.readline().split()]
        assert workers and all(_running(pid) for pid in workers)
    finally:
        bot.kill()  # SIGKILL: the bot runs no clean-up at all
        bot.wait()
    deadline = time.monotonic() + 30
    while any(_running(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not any(_running(pid) for pid in workers), "a chart worker outlived the bot"
