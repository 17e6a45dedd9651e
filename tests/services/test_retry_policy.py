"""Retry maths: backoff honours Retry-After and stays within bounds; grace windows per kind; the nonce's trust."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from bot.services.retry_policy import (
    FIRST_DELAY,
    LONGEST_DELAY,
    NONCE_TRUSTED_FOR,
    backoff,
    end_of_day,
    grace_end,
    nonce_still_trusted,
    spread,
)

NINE = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


def test_backoff_doubles_from_two_seconds_and_stops_at_five_minutes() -> None:
    for seed in range(50):
        factor = spread(seed)
        assert 0.5 <= factor <= 1.0
        delays = [backoff(attempt, None, seed) for attempt in range(1, 20)]
        assert delays[0] == FIRST_DELAY * factor
        assert delays[1] == FIRST_DELAY * 2 * factor
        assert all(later >= earlier for earlier, later in itertools.pairwise(delays))
        assert max(delays) == LONGEST_DELAY * factor


def test_backoff_spreads_a_fan_out() -> None:
    assert len({backoff(1, None, seed) for seed in range(100)}) > 50


def test_backoff_never_retries_before_retry_after() -> None:
    assert backoff(1, 30.0, 7) == timedelta(seconds=30)
    assert backoff(20, 900.0, 7) == timedelta(seconds=900)
    assert backoff(3, 0.01, 7) == backoff(3, None, 7)


def test_a_prompt_is_retried_until_its_reminder() -> None:
    assert grace_end("prompt", NINE, "Europe/London", reminder_minutes=90) == NINE + timedelta(minutes=90)
    assert grace_end("channel", NINE, "Europe/London", reminder_minutes=30) == NINE + timedelta(minutes=30)


def test_without_a_reminder_a_prompt_is_retried_until_the_day_ends_where_the_member_lives() -> None:
    assert grace_end("prompt", NINE, "UTC") == datetime(2026, 3, 11, 0, 0, tzinfo=UTC)
    # 09:00 UTC is 01:00 in Los Angeles: that day ends at 08:00 UTC the next day.
    assert grace_end("prompt", NINE, "America/Los_Angeles") == datetime(2026, 3, 11, 7, 0, tzinfo=UTC)
    late = datetime(2026, 3, 10, 23, 30, tzinfo=UTC)
    assert grace_end("prompt", late, "UTC") == late + timedelta(hours=1)


def test_a_reminder_is_retried_two_hours_within_its_day() -> None:
    assert grace_end("reminder", NINE, "UTC") == NINE + timedelta(hours=2)
    evening = datetime(2026, 3, 10, 23, 0, tzinfo=UTC)
    assert grace_end("reminder", evening, "UTC") == evening + timedelta(minutes=60)
    very_late = datetime(2026, 3, 10, 23, 50, tzinfo=UTC)
    assert grace_end("reminder", very_late, "UTC") == very_late + timedelta(minutes=30)


def test_alerts_and_partner_messages_are_retried_for_a_day() -> None:
    for kind in ("alert", "welcome", "followup"):
        assert grace_end(kind, NINE, "UTC") == NINE + timedelta(days=1)


def test_end_of_day_across_a_clock_change() -> None:
    # London springs forward on 29 March 2026: that day has 23 hours.
    morning = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)
    assert end_of_day(morning, "Europe/London") == datetime(2026, 3, 29, 23, 0, tzinfo=UTC)


def test_the_nonce_is_trusted_for_one_minute_from_the_first_record() -> None:
    assert nonce_still_trusted(NINE, NINE + NONCE_TRUSTED_FOR - timedelta(seconds=1))
    assert not nonce_still_trusted(NINE, NINE + NONCE_TRUSTED_FOR)
    assert not nonce_still_trusted(None, NINE)
