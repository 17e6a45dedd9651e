"""Schedule firing instants: wall-clock times across DST gaps and folds, weekdays, groups, pauses, grace."""

from __future__ import annotations

import time as stopwatch
import zoneinfo
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.services.schedule_math import (
    firing_instant,
    group_by_instant,
    is_paused,
    local_date_of,
    next_occurrence,
    occurrence_date,
    occurrence_key,
    occurrences_between,
    within_grace,
)

DAILY = frozenset(range(7))
WEEKDAYS = frozenset(range(5))
MON_WED_FRI = frozenset({0, 2, 4})
NINE = time(9, 0)
HOUR = timedelta(hours=1)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def wall(instant: datetime, tz: str) -> datetime:
    """The wall clock in `tz` at `instant`, without its zone, to compare with plain datetimes."""
    return instant.astimezone(ZoneInfo(tz)).replace(tzinfo=None)


def offset_at(instant: datetime, tz: str) -> timedelta:
    offset = instant.astimezone(ZoneInfo(tz)).utcoffset()
    assert offset is not None
    return offset


def local_midnight(day: date, tz: str) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=ZoneInfo(tz)).astimezone(UTC)


# (zone, the day the clocks change, UTC offset the day before, UTC offset on the day)
DST_CHANGES = [
    pytest.param("America/New_York", date(2026, 3, 8), -5, -4, id="new-york-spring-forward"),
    pytest.param("America/New_York", date(2026, 11, 1), -4, -5, id="new-york-fall-back"),
    pytest.param("Europe/London", date(2026, 3, 29), 0, 1, id="london-spring-forward"),
    pytest.param("Europe/London", date(2026, 10, 25), 1, 0, id="london-fall-back"),
    pytest.param("Australia/Sydney", date(2026, 10, 4), 10, 11, id="sydney-spring-forward"),
    pytest.param("Australia/Sydney", date(2026, 4, 5), 11, 10, id="sydney-fall-back"),
    pytest.param("Pacific/Auckland", date(2026, 9, 27), 12, 13, id="auckland-spring-forward"),
    pytest.param("Pacific/Auckland", date(2026, 4, 5), 13, 12, id="auckland-fall-back"),
]


@pytest.mark.parametrize(("tz", "change_day", "hours_before", "hours_after"), DST_CHANGES)
def test_nine_oclock_stays_nine_oclock_across_the_change(
    tz: str, change_day: date, hours_before: int, hours_after: int
) -> None:
    day_before = change_day - timedelta(days=1)
    first = next_occurrence(local_midnight(day_before, tz), NINE, DAILY, tz)
    second = next_occurrence(first, NINE, DAILY, tz)
    third = next_occurrence(second, NINE, DAILY, tz)

    assert wall(first, tz) == datetime.combine(day_before, NINE)
    assert wall(second, tz) == datetime.combine(change_day, NINE)
    assert wall(third, tz) == datetime.combine(change_day + timedelta(days=1), NINE)
    assert offset_at(first, tz) == timedelta(hours=hours_before)
    assert offset_at(second, tz) == timedelta(hours=hours_after)
    assert first.tzinfo is UTC
    # The UTC gap between the two firings absorbs the clock change.
    assert second - first == timedelta(hours=24 - (hours_after - hours_before))
    assert third - second == timedelta(hours=24)


def test_nine_oclock_new_york_exact_utc_instants() -> None:
    tz = "America/New_York"
    assert next_occurrence(utc(2026, 3, 7), NINE, DAILY, tz) == utc(2026, 3, 7, 14)
    assert next_occurrence(utc(2026, 3, 7, 14), NINE, DAILY, tz) == utc(2026, 3, 8, 13)
    assert next_occurrence(utc(2026, 10, 31), NINE, DAILY, tz) == utc(2026, 10, 31, 13)
    assert next_occurrence(utc(2026, 10, 31, 13), NINE, DAILY, tz) == utc(2026, 11, 1, 14)


# (zone, spring-forward day, a wall time inside the gap, the wall time the clocks jump to, its UTC instant)
SPRING_GAPS = [
    pytest.param("America/New_York", date(2026, 3, 8), time(2, 30), time(3, 0), utc(2026, 3, 8, 7), id="new-york"),
    pytest.param("Europe/London", date(2026, 3, 29), time(1, 30), time(2, 0), utc(2026, 3, 29, 1), id="london"),
    pytest.param("Australia/Sydney", date(2026, 10, 4), time(2, 30), time(3, 0), utc(2026, 10, 3, 16), id="sydney"),
    pytest.param("Pacific/Auckland", date(2026, 9, 27), time(2, 30), time(3, 0), utc(2026, 9, 26, 14), id="auckland"),
]


@pytest.mark.parametrize(("tz", "change_day", "in_gap", "jump_to", "expected"), SPRING_GAPS)
def test_a_time_in_the_spring_gap_fires_once_when_the_clocks_jump(
    tz: str, change_day: date, in_gap: time, jump_to: time, expected: datetime
) -> None:
    start = local_midnight(change_day - timedelta(days=1), tz)
    end = local_midnight(change_day + timedelta(days=2), tz)
    fired = occurrences_between(start, end, in_gap, DAILY, tz)

    assert [local_date_of(instant, tz) for instant in fired] == [
        change_day - timedelta(days=1),
        change_day,
        change_day + timedelta(days=1),
    ]
    assert fired[1] == expected
    assert wall(fired[1], tz) == datetime.combine(change_day, jump_to)
    assert wall(fired[0], tz).time() == in_gap
    assert wall(fired[2], tz).time() == in_gap


def test_a_gap_time_with_seconds_still_fires_at_the_jump() -> None:
    fired = firing_instant(date(2026, 3, 8), time(2, 59, 59, 999_999), ZoneInfo("America/New_York"))
    assert fired == utc(2026, 3, 8, 7)


def test_a_gap_that_ends_at_midnight_keeps_the_occurrence_on_its_own_date() -> None:
    # Nuuk's clocks jump from Saturday 23:00 to Sunday 00:00: Saturday's 23:30 fires at Sunday 00:00.
    tz = "America/Nuuk"
    start = local_midnight(date(2026, 3, 27), tz)
    fired = occurrences_between(start, start + timedelta(days=3), time(23, 30), DAILY, tz)
    assert [wall(instant, tz) for instant in fired] == [
        datetime(2026, 3, 27, 23, 30),
        datetime(2026, 3, 29, 0, 0),
        datetime(2026, 3, 29, 23, 30),
    ]
    assert [occurrence_key(occurrence_date(instant, time(23, 30), tz)) for instant in fired] == [
        "2026-03-27",
        "2026-03-28",
        "2026-03-29",
    ]
    assert [local_date_of(instant, tz) for instant in fired][1:] == [date(2026, 3, 29)] * 2


def test_occurrence_date_is_the_local_date_when_the_time_exists() -> None:
    instant = next_occurrence(utc(2026, 3, 7), time(2, 30), DAILY, "America/New_York")
    assert occurrence_date(instant, time(2, 30), "America/New_York") == date(2026, 3, 7)
    jumped = next_occurrence(instant, time(2, 30), DAILY, "America/New_York")
    assert occurrence_date(jumped, time(2, 30), "America/New_York") == date(2026, 3, 8)


# (zone, fall-back day, a wall time inside the fold, the first (summer-time) UTC instant of it)
AUTUMN_FOLDS = [
    pytest.param("America/New_York", date(2026, 11, 1), time(1, 30), utc(2026, 11, 1, 5, 30), id="new-york"),
    pytest.param("Europe/London", date(2026, 10, 25), time(1, 30), utc(2026, 10, 25, 0, 30), id="london"),
    pytest.param("Australia/Sydney", date(2026, 4, 5), time(2, 30), utc(2026, 4, 4, 15, 30), id="sydney"),
    pytest.param("Pacific/Auckland", date(2026, 4, 5), time(2, 30), utc(2026, 4, 4, 13, 30), id="auckland"),
]


@pytest.mark.parametrize(("tz", "change_day", "in_fold", "first_instant"), AUTUMN_FOLDS)
def test_a_time_in_the_autumn_fold_fires_exactly_once(
    tz: str, change_day: date, in_fold: time, first_instant: datetime
) -> None:
    start = local_midnight(change_day - timedelta(days=1), tz)
    end = local_midnight(change_day + timedelta(days=2), tz)
    fired = occurrences_between(start, end, in_fold, DAILY, tz)

    on_the_day = [instant for instant in fired if local_date_of(instant, tz) == change_day]
    assert on_the_day == [first_instant]
    assert len(fired) == 3
    # Asked again between the first reading and the repeat an hour later, it waits for the next day.
    repeat = first_instant + HOUR
    assert wall(repeat, tz) == wall(first_instant, tz)
    for after in (first_instant, first_instant + timedelta(minutes=30), repeat):
        following = next_occurrence(after, in_fold, DAILY, tz)
        assert local_date_of(following, tz) == change_day + timedelta(days=1)


def test_weekdays_skip_the_days_not_chosen() -> None:
    friday_after_nine = utc(2026, 3, 13, 10)
    assert friday_after_nine.weekday() == 4
    assert next_occurrence(friday_after_nine, NINE, MON_WED_FRI, "UTC") == utc(2026, 3, 16, 9)
    assert next_occurrence(utc(2026, 3, 16, 9), NINE, MON_WED_FRI, "UTC") == utc(2026, 3, 18, 9)
    assert next_occurrence(utc(2026, 3, 13, 8, 59), NINE, MON_WED_FRI, "UTC") == utc(2026, 3, 13, 9)
    assert next_occurrence(utc(2026, 3, 14), NINE, WEEKDAYS, "UTC") == utc(2026, 3, 16, 9)
    sunday_only = frozenset({6})
    assert next_occurrence(utc(2026, 3, 15, 9), NINE, sunday_only, "UTC") == utc(2026, 3, 22, 9)


def test_the_weekday_is_the_local_one_not_utcs() -> None:
    # Monday 08:00 in Auckland (winter, UTC+12) is still Sunday in UTC.
    instant = next_occurrence(utc(2026, 6, 14), time(8, 0), frozenset({0}), "Pacific/Auckland")
    assert instant == utc(2026, 6, 14, 20)
    assert instant.weekday() == 6
    assert local_date_of(instant, "Pacific/Auckland") == date(2026, 6, 15)
    # Friday 21:00 in Los Angeles (summer, UTC-7) is already Saturday in UTC.
    instant = next_occurrence(utc(2026, 7, 1), time(21, 0), frozenset({4}), "America/Los_Angeles")
    assert instant == utc(2026, 7, 4, 4)


def test_next_occurrence_is_strictly_after() -> None:
    exactly = utc(2026, 3, 16, 9)
    assert next_occurrence(exactly, NINE, DAILY, "UTC") == utc(2026, 3, 17, 9)
    assert next_occurrence(exactly - timedelta(microseconds=1), NINE, DAILY, "UTC") == exactly


def test_after_may_be_given_in_any_zone() -> None:
    after = datetime(2026, 3, 16, 5, 0, tzinfo=ZoneInfo("America/New_York"))
    assert after == utc(2026, 3, 16, 9)
    assert next_occurrence(after, NINE, DAILY, "Europe/London") == utc(2026, 3, 17, 9)


def test_occurrences_between_excludes_start_and_includes_end() -> None:
    fired = occurrences_between(utc(2026, 3, 16, 9), utc(2026, 3, 20, 9), NINE, DAILY, "UTC")
    assert fired == [utc(2026, 3, 17, 9), utc(2026, 3, 18, 9), utc(2026, 3, 19, 9), utc(2026, 3, 20, 9)]
    assert occurrences_between(utc(2026, 3, 16, 9), utc(2026, 3, 16, 9), NINE, DAILY, "UTC") == []
    assert occurrences_between(utc(2026, 3, 20), utc(2026, 3, 16), NINE, DAILY, "UTC") == []


def test_occurrence_key_is_the_local_date() -> None:
    assert occurrence_key(date(2026, 3, 8)) == "2026-03-08"
    late_evening_in_new_york = utc(2026, 3, 9, 2)
    assert occurrence_key(local_date_of(late_evening_in_new_york, "America/New_York")) == "2026-03-08"
    assert occurrence_key(local_date_of(late_evening_in_new_york, "UTC")) == "2026-03-09"


def test_naive_datetimes_and_empty_weekdays_are_refused() -> None:
    with pytest.raises(ValueError):
        next_occurrence(datetime(2026, 3, 8, 9), NINE, DAILY, "UTC")
    with pytest.raises(ValueError):
        next_occurrence(utc(2026, 3, 8), NINE, frozenset(), "UTC")
    with pytest.raises(ValueError):
        next_occurrence(utc(2026, 3, 8), NINE, frozenset({7}), "UTC")
    with pytest.raises(ValueError):
        local_date_of(datetime(2026, 3, 8, 9), "UTC")
    with pytest.raises(ValueError):
        within_grace(datetime(2026, 3, 8, 9), utc(2026, 3, 8, 9), HOUR)


# --- grouping members by instant ----------------------------------------------------------------


def test_members_in_many_zones_are_grouped_by_instant() -> None:
    members = [
        (1, "Europe/London"),
        (2, "America/New_York"),
        (3, "UTC"),
        (4, "America/Toronto"),
        (5, "Asia/Tokyo"),
        (6, "Europe/London"),
        (7, "Europe/Lisbon"),
        (8, "Asia/Kolkata"),
    ]
    # Winter in the north: London, Lisbon and UTC read 09:00 together. At noon UTC, New York's 09:00
    # is still ahead today; everyone else's is tomorrow.
    groups = group_by_instant(members, NINE, DAILY, utc(2026, 1, 10, 12))
    assert groups == {
        utc(2026, 1, 11, 0): [5],
        utc(2026, 1, 11, 3, 30): [8],
        utc(2026, 1, 11, 9): [1, 3, 6, 7],
        utc(2026, 1, 10, 14): [2, 4],
    }
    assert list(groups) == sorted(groups)


def test_grouping_follows_summer_time_per_zone() -> None:
    members = [(1, "Europe/London"), (2, "UTC"), (3, "America/New_York")]
    groups = group_by_instant(members, NINE, DAILY, utc(2026, 7, 1, 12))
    assert groups == {utc(2026, 7, 1, 13): [3], utc(2026, 7, 2, 8): [1], utc(2026, 7, 2, 9): [2]}


def test_one_instant_can_be_two_local_dates() -> None:
    # Kiritimati (UTC+14) and Honolulu (UTC-10) read the same wall time a whole day apart, at once.
    groups = group_by_instant([(1, "Pacific/Kiritimati"), (2, "Pacific/Honolulu")], NINE, DAILY, utc(2026, 5, 1))
    ((instant, members),) = groups.items()
    assert members == [1, 2]
    assert local_date_of(instant, "Pacific/Kiritimati") == local_date_of(instant, "Pacific/Honolulu") + timedelta(
        days=1
    )


def test_grouping_respects_local_weekdays() -> None:
    # Friday 23:00 UTC: Tokyo is already into Saturday, so its next weekday prompt is Monday.
    groups = group_by_instant([(1, "Asia/Tokyo"), (2, "UTC")], NINE, WEEKDAYS, utc(2026, 3, 13, 23))
    assert groups == {utc(2026, 3, 16, 0): [1], utc(2026, 3, 16, 9): [2]}


def test_no_members_no_groups() -> None:
    assert group_by_instant([], NINE, DAILY, utc(2026, 1, 1)) == {}


def test_ten_thousand_members_are_grouped_quickly_and_correctly() -> None:
    zones = sorted(zoneinfo.available_timezones() - {"localtime", "Factory"})
    members = [(user_id, zones[user_id % len(zones)]) for user_id in range(10_000)]
    after = utc(2026, 3, 8, 5)

    started = stopwatch.perf_counter()
    groups = group_by_instant(members, time(21, 0), WEEKDAYS, after)
    elapsed = stopwatch.perf_counter() - started

    assert elapsed < 1.0
    assert sum(len(group) for group in groups.values()) == len(members)
    assert len(groups) < len(zones)
    instant_of = {user_id: instant for instant, group in groups.items() for user_id in group}
    for user_id, tz in members[: len(zones)]:
        assert instant_of[user_id] == next_occurrence(after, time(21, 0), WEEKDAYS, tz)


# --- pauses and grace ---------------------------------------------------------------------------


def test_pause_holds_until_its_end() -> None:
    until = utc(2026, 3, 20, 12)
    assert is_paused(until, until - timedelta(microseconds=1))
    assert is_paused(until, utc(2026, 3, 10))
    assert not is_paused(until, until)
    assert not is_paused(until, until + timedelta(days=1))
    assert not is_paused(None, utc(2026, 3, 10))


def test_pause_compares_instants_not_wall_clocks() -> None:
    until = datetime(2026, 3, 20, 9, tzinfo=ZoneInfo("America/New_York"))
    assert is_paused(until, utc(2026, 3, 20, 12, 59))
    assert not is_paused(until, utc(2026, 3, 20, 13))


def test_grace_window_includes_both_edges() -> None:
    scheduled = utc(2026, 3, 8, 9)
    grace = timedelta(hours=2)
    assert within_grace(scheduled, scheduled, grace)
    assert within_grace(scheduled, scheduled + grace, grace)
    assert within_grace(scheduled, scheduled + HOUR, grace)
    assert not within_grace(scheduled, scheduled - timedelta(microseconds=1), grace)
    assert not within_grace(scheduled, scheduled + grace + timedelta(microseconds=1), grace)
    assert within_grace(scheduled, scheduled, timedelta(0))


# --- properties ---------------------------------------------------------------------------------

ALL_ZONES = sorted(zoneinfo.available_timezones() - {"localtime", "Factory"})
# Zones on both hemispheres whose clocks change by one hour, as they do for almost every member.
EVERYDAY_ZONES = [
    "UTC",
    "America/New_York",
    "America/Chicago",
    "America/Los_Angeles",
    "America/Sao_Paulo",
    "America/Santiago",
    "Europe/London",
    "Europe/Berlin",
    "Europe/Dublin",
    "Asia/Kolkata",
    "Asia/Tokyo",
    "Australia/Sydney",
    "Australia/Adelaide",
    "Pacific/Auckland",
    "Africa/Cairo",
]

# From 2012: the zones that skipped a whole calendar day (Kwajalein 1993, Kiritimati 1994, Apia 2011) leave
# a 00:00 schedule for the missing day ambiguous, as schedule_math documents.
instants = st.datetimes(min_value=datetime(2012, 1, 1), max_value=datetime(2060, 12, 31), timezones=st.just(UTC))
local_times = st.times()
weekday_sets = st.frozensets(st.integers(0, 6), min_size=1)


def _exists(day: date, local_time: time, tz: str) -> bool:
    """Whether the wall clock in `tz` reads `local_time` at some instant on `day`."""
    wall_time = datetime.combine(day, local_time)
    reading = wall_time.replace(tzinfo=ZoneInfo(tz)).astimezone(UTC)
    return wall(reading, tz) == wall_time


@settings(max_examples=400)
@given(instants, local_times, weekday_sets, st.sampled_from(ALL_ZONES))
def test_next_occurrence_properties(after: datetime, local_time: time, weekdays: frozenset[int], tz: str) -> None:
    fired = next_occurrence(after, local_time, weekdays, tz)
    assert fired > after
    assert fired.tzinfo is UTC
    scheduled_day = occurrence_date(fired, local_time, tz)
    assert scheduled_day.weekday() in weekdays
    local = wall(fired, tz)
    if local.time() != local_time:
        # Only a time the clocks skipped fires at another reading: the instant they jump.
        assert not _exists(scheduled_day, local_time, tz)
        assert offset_at(fired - timedelta(seconds=1), tz) != offset_at(fired, tz)
    # No chosen day fires in between.
    day = local_date_of(after, tz) - timedelta(days=1)
    while day <= scheduled_day:
        if day.weekday() in weekdays:
            instant = firing_instant(day, local_time, ZoneInfo(tz))
            assert instant <= after or instant >= fired
        day += timedelta(days=1)


@given(instants, local_times, weekday_sets, st.sampled_from(ALL_ZONES))
def test_consecutive_occurrences_move_forward(
    after: datetime, local_time: time, weekdays: frozenset[int], tz: str
) -> None:
    first = next_occurrence(after, local_time, weekdays, tz)
    second = next_occurrence(first, local_time, weekdays, tz)
    assert second > first


@given(instants, local_times, st.sampled_from(EVERYDAY_ZONES))
def test_daily_occurrences_are_about_a_day_apart(after: datetime, local_time: time, tz: str) -> None:
    first = next_occurrence(after, local_time, DAILY, tz)
    second = next_occurrence(first, local_time, DAILY, tz)
    assert timedelta(hours=23) <= second - first <= timedelta(hours=25)
    assert local_date_of(second, tz) == local_date_of(first, tz) + timedelta(days=1)


@given(instants, local_times, weekday_sets, st.sampled_from(ALL_ZONES))
def test_never_twice_for_one_scheduled_date(
    start: datetime, local_time: time, weekdays: frozenset[int], tz: str
) -> None:
    fired = occurrences_between(start, start + timedelta(days=21), local_time, weekdays, tz)
    scheduled_days = [occurrence_date(instant, local_time, tz) for instant in fired]
    assert len(set(scheduled_days)) == len(scheduled_days)
    assert scheduled_days == sorted(scheduled_days)
    # Three weeks hold each chosen weekday at least twice.
    assert len(fired) >= 2 * len(weekdays)


@given(
    instants,
    local_times,
    weekday_sets,
    st.lists(
        st.tuples(st.integers(0, 10**18), st.sampled_from(EVERYDAY_ZONES + ALL_ZONES[:40])),
        max_size=60,
        unique_by=lambda member: member[0],
    ),
)
def test_groups_hold_each_member_once_at_their_own_next_instant(
    after: datetime, local_time: time, weekdays: frozenset[int], members: list[tuple[int, str]]
) -> None:
    groups = group_by_instant(members, local_time, weekdays, after)
    instant_of = {user_id: instant for instant, group in groups.items() for user_id in group}
    assert sum(len(group) for group in groups.values()) == len(members) == len(instant_of)
    for user_id, tz in members:
        assert instant_of[user_id] == next_occurrence(after, local_time, weekdays, tz)


def test_delivery_places_a_gap_firing_on_its_scheduled_day() -> None:
    """Nuuk jumps from Saturday 23:00 to Sunday 00:00: a Saturday 23:30 prompt belongs to Saturday."""
    from datetime import UTC, datetime, time

    from bot.services.delivery import fires_at
    from bot.storage.models import Schedule

    saturday_only = Schedule(
        id=1,
        community_id=1,
        name="late",
        weekdays=frozenset({5}),
        local_time=time(23, 30),
        destination="dm",
        reminder_minutes=None,
        daily_thread=False,
        question=None,
        paused=False,
        pause_reason=None,
        grace_minutes=120,
    )
    instant = next_occurrence(datetime(2026, 3, 27, tzinfo=UTC), time(23, 30), frozenset({5}), "America/Nuuk")
    assert fires_at(saturday_only, "America/Nuuk", instant) == "2026-03-28"
