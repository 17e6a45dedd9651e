"""Streaks and local days: consecutive days, gaps, and timezones around midnight."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from bot.services.streaks import days_since_previous, local_day, streak

TODAY = date(2026, 3, 10)


def test_streak_counts_consecutive_days_ending_today() -> None:
    days = [TODAY - timedelta(days=n) for n in range(4)]
    assert streak(days, TODAY) == 4


def test_streak_still_counts_when_today_is_not_done_yet() -> None:
    days = [TODAY - timedelta(days=n) for n in range(1, 3)]
    assert streak(days, TODAY) == 2


def test_gap_restarts_the_count() -> None:
    days = [TODAY, TODAY - timedelta(days=1), TODAY - timedelta(days=3)]
    assert streak(days, TODAY) == 2
    assert streak([TODAY - timedelta(days=2)], TODAY) == 0


def test_days_since_previous_ignores_today() -> None:
    assert days_since_previous([TODAY], TODAY) is None
    assert days_since_previous([TODAY, TODAY - timedelta(days=5)], TODAY) == 5


def test_local_day_follows_the_members_timezone() -> None:
    instant = datetime(2026, 3, 10, 3, 30, tzinfo=UTC)
    assert local_day(instant, "UTC") == date(2026, 3, 10)
    assert local_day(instant, "America/New_York") == date(2026, 3, 9)
    assert local_day(instant, "Pacific/Auckland") == date(2026, 3, 10)


@given(st.sets(st.integers(min_value=0, max_value=60)))
def test_streak_matches_a_direct_count(offsets: set[int]) -> None:
    days = [TODAY - timedelta(days=n) for n in offsets]
    start = 0 if 0 in offsets else 1
    expected = 0
    while start + expected in offsets:
        expected += 1
    assert streak(days, TODAY) == expected
