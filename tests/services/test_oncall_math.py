"""The on-duty rota's maths: weekly slots on the community's clock, across DST gaps and folds."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.services.oncall_math import HORIZON, MINUTES_PER_DAY, Slot, covering, next_start, occurrence, on_duty_until

ZONES = [
    "UTC",
    "America/New_York",
    "Europe/London",
    "Australia/Sydney",
    "Pacific/Auckland",
    "Australia/Lord_Howe",  # a half-hour change
    "America/Santiago",  # changes at midnight
    "Asia/Kolkata",  # no changes, a half-hour offset
]
WEEK = 7 * MINUTES_PER_DAY


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


minutes_of_day = st.integers(min_value=0, max_value=MINUTES_PER_DAY - 1)
slots = st.builds(
    lambda days, start, end: Slot(frozenset(days), time(start // 60, start % 60), time(end // 60, end % 60)),
    st.sets(st.integers(min_value=0, max_value=6), min_size=1),
    minutes_of_day,
    minutes_of_day,
).filter(lambda slot: slot.start != slot.end)
zones = st.sampled_from(ZONES).map(ZoneInfo)
# Any second of 2026 and 2027, which hold every zone's changes twice over.
instants = st.integers(min_value=0, max_value=2 * 365 * 86400).map(lambda s: utc(2026, 1, 1) + timedelta(seconds=s))
days = st.integers(min_value=0, max_value=2 * 365).map(lambda n: date(2026, 1, 1) + timedelta(days=n))


def offset(instant: datetime, zone: ZoneInfo) -> timedelta:
    value = instant.astimezone(zone).utcoffset()
    assert value is not None
    return value


def far_from_a_change(instant: datetime, zone: ZoneInfo) -> bool:
    """No clock change within three hours either side: the wall time of `instant` is shown once."""
    return offset(instant - timedelta(hours=3), zone) == offset(instant + timedelta(hours=3), zone)


def on_the_wall(slot: Slot, instant: datetime, zone: ZoneInfo) -> bool:
    """What a leader reading the community's clock would say: is the slot on now? (Independent of the code.)"""
    local = instant.astimezone(zone)
    now = local.weekday() * MINUTES_PER_DAY + local.hour * 60 + local.minute
    for day in slot.weekdays:
        start = day * MINUTES_PER_DAY + slot.start.hour * 60 + slot.start.minute
        if any(start <= minute < start + slot.wall_minutes for minute in (now, now + WEEK)):
            return True
    return False


@settings(max_examples=400, deadline=None)
@given(slot=slots, zone=zones, at=instants)
def test_away_from_a_change_the_slot_is_on_exactly_when_the_wall_clock_says(
    slot: Slot, zone: ZoneInfo, at: datetime
) -> None:
    if far_from_a_change(at, zone):
        assert (covering(slot, at, zone) is not None) == on_the_wall(slot, at, zone)


@settings(max_examples=400, deadline=None)
@given(slot=slots, zone=zones, day=days)
def test_an_occurrence_lasts_its_wall_length_less_the_clock_change(slot: Slot, zone: ZoneInfo, day: date) -> None:
    start, end = occurrence(slot, day, zone)
    assert start <= end
    assert start.astimezone(zone).date() == day
    wall = timedelta(minutes=slot.wall_minutes)
    real = end - start
    assert abs(real - wall) <= timedelta(hours=1)
    starts_on_time = start.astimezone(zone).time() == slot.start
    ends_on_time = end.astimezone(zone).time() == slot.end
    if starts_on_time and ends_on_time:
        # The wall clock moved by the real time plus the change of offset in between.
        assert real == wall - (offset(end, zone) - offset(start, zone))
    if not starts_on_time and real:
        # Only a start the clocks skip moves, and then to the first moment after the jump, later that day.
        assert start.astimezone(zone).time() > slot.start
        assert offset(start - timedelta(seconds=1), zone) != offset(start, zone)


@settings(max_examples=300, deadline=None)
@given(chosen=st.lists(slots, min_size=1, max_size=3), zone=zones, at=instants)
def test_on_duty_until_is_the_end_of_the_stretch(chosen: list[Slot], zone: ZoneInfo, at: datetime) -> None:
    until = on_duty_until(chosen, at, zone)
    on_now = any(covering(slot, at, zone) is not None for slot in chosen)
    assert (until is not None) == on_now
    if until is None:
        return
    assert until > at
    second = timedelta(seconds=1)
    assert any(covering(slot, until - second, zone) is not None for slot in chosen)
    # Off at that moment, unless the slots cover every hour (followed a week ahead, no further).
    assert all(covering(slot, until, zone) is None for slot in chosen) or until >= at + HORIZON


@settings(max_examples=300, deadline=None)
@given(chosen=st.lists(slots, min_size=1, max_size=3), zone=zones, at=instants)
def test_next_start_is_the_first_start_after_now(chosen: list[Slot], zone: ZoneInfo, at: datetime) -> None:
    first = next_start(chosen, at, zone)
    assert first is not None  # every slot starts at least weekly (and no slot here is skipped whole every week)
    assert at < first <= at + timedelta(days=7, hours=1)
    assert any(covering(slot, first, zone) is not None for slot in chosen)
    # No slot begins in between: step through the gap a minute at a time near its ends, an hour elsewhere.
    step = at
    while step < first - timedelta(minutes=1):
        for slot in chosen:
            span = covering(slot, step, zone)
            assert span is None or span[0] <= at, (slot, step)
        step += (
            timedelta(minutes=1)
            if (step - at < timedelta(hours=2) or first - step < timedelta(hours=2))
            else (timedelta(hours=1))
        )


NEW_YORK = ZoneInfo("America/New_York")


@pytest.mark.parametrize(
    ("slot", "day", "start", "end"),
    [
        # Saturday night into the Sunday clocks spring forward: 22:00 EST to 06:00 EDT is seven hours.
        pytest.param(
            Slot(frozenset({5}), time(22), time(6)), date(2026, 3, 7), utc(2026, 3, 8, 3), utc(2026, 3, 8, 10)
        ),
        # Into the Sunday they fall back: 22:00 EDT to 06:00 EST is nine hours.
        pytest.param(
            Slot(frozenset({5}), time(22), time(6)), date(2026, 10, 31), utc(2026, 11, 1, 2), utc(2026, 11, 1, 11)
        ),
        # A slot starting at 02:30, a time the clocks skip, starts when they jump (03:00 EDT).
        pytest.param(
            Slot(frozenset({6}), time(2, 30), time(4)), date(2026, 3, 8), utc(2026, 3, 8, 7), utc(2026, 3, 8, 8)
        ),
        # A slot ending at 01:30, a time shown twice, ends the first time it is shown.
        pytest.param(
            Slot(frozenset({6}), time(0), time(1, 30)), date(2026, 11, 1), utc(2026, 11, 1, 4), utc(2026, 11, 1, 5, 30)
        ),
        # A slot wholly inside the skipped hour does not happen that night.
        pytest.param(
            Slot(frozenset({6}), time(2, 10), time(2, 50)), date(2026, 3, 8), utc(2026, 3, 8, 7), utc(2026, 3, 8, 7)
        ),
    ],
)
def test_new_york_changes(slot: Slot, day: date, start: datetime, end: datetime) -> None:
    assert occurrence(slot, day, NEW_YORK) == (start, end)


def test_a_slot_the_clocks_skip_is_not_on_and_the_next_week_is_next() -> None:
    skipped = Slot(frozenset({6}), time(2, 10), time(2, 50))
    at = utc(2026, 3, 8, 6, 59)
    assert covering(skipped, utc(2026, 3, 8, 7), NEW_YORK) is None
    assert next_start([skipped], at, NEW_YORK) == utc(2026, 3, 15, 6, 10)  # 02:10 EDT a week later


def test_back_to_back_slots_are_one_stretch() -> None:
    evening = Slot(frozenset({0}), time(18), time(0))
    night = Slot(frozenset({1}), time(0), time(6))
    monday_evening = utc(2026, 3, 9, 23)  # 19:00 in New York
    assert on_duty_until([evening, night], monday_evening, NEW_YORK) == utc(2026, 3, 10, 10)  # Tuesday 06:00
    assert on_duty_until([evening], monday_evening, NEW_YORK) == utc(2026, 3, 10, 4)  # midnight
