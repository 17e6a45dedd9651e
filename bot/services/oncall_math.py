"""Rota maths for leaders on duty: weekly slots read on the community's own clock, through DST changes.

A slot "Monday 22:00 to 06:00" starts the first moment the community's clock shows Monday 22:00 and ends
the first moment it shows Tuesday 06:00, the rules of schedule_math.firing_instant: a wall time the clocks
skip (spring forward) is the first instant after the jump; a wall time they show twice (fall back) is the
first of the two. So a night slot across a change lasts an hour more or less than it says, as the clock on
the wall does, and never flickers off and on again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.services.schedule_math import firing_instant

MINUTES_PER_DAY = 24 * 60
# A leader's chain of back-to-back slots is followed this far at most: a rota that covers every hour is
# "on for at least a week", not an endless loop.
HORIZON = timedelta(days=7)


@dataclass(frozen=True)
class Slot:
    """A weekly slot: starts on each of `weekdays` (Monday = 0) at `start`, ends at `end` (the next day when
    `end` is at or before `start`)."""

    weekdays: frozenset[int]
    start: time
    end: time

    @property
    def overnight(self) -> bool:
        return self.end <= self.start

    @property
    def wall_minutes(self) -> int:
        """How long it lasts on the wall clock (a DST change makes the real length differ by the shift)."""
        minutes = (_minute(self.end) - _minute(self.start)) % MINUTES_PER_DAY
        return minutes or MINUTES_PER_DAY


def _minute(value: time) -> int:
    return value.hour * 60 + value.minute


def time_of_minute(minute: int) -> time:
    return time(minute // 60 % 24, minute % 60)


def occurrence(slot: Slot, day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The UTC instants the slot starting on local date `day` begins and ends (empty when the clocks skip
    all of it)."""
    start = firing_instant(day, slot.start, zone)
    end = firing_instant(day + timedelta(days=1) if slot.overnight else day, slot.end, zone)
    return start, max(start, end)


def _occurrences_near(slot: Slot, at: datetime, zone: ZoneInfo, days_after: int) -> list[tuple[datetime, datetime]]:
    today = at.astimezone(zone).date()
    found = []
    for offset in range(-2, days_after + 1):
        day = today + timedelta(days=offset)
        if day.weekday() in slot.weekdays:
            found.append(occurrence(slot, day, zone))
    return found


def covering(slot: Slot, at: datetime, zone: ZoneInfo) -> tuple[datetime, datetime] | None:
    """The occurrence of `slot` that `at` falls in (start included, end excluded), if any."""
    for start, end in _occurrences_near(slot, at, zone, 0):
        if start <= at < end:
            return start, end
    return None


def on_duty_until(slots: Iterable[Slot], at: datetime, zone: ZoneInfo) -> datetime | None:
    """When a leader with these slots goes off duty, if one of them covers `at`; back-to-back or
    overlapping slots count as one stretch, followed up to a week ahead."""
    slots = list(slots)
    ends = [span[1] for span in (covering(slot, at, zone) for slot in slots) if span is not None]
    if not ends:
        return None
    until = max(ends)
    while until < at + HORIZON:
        later = [span[1] for span in (covering(slot, until, zone) for slot in slots) if span is not None]
        if not later or max(later) <= until:
            break
        until = max(later)
    return until


def next_start(slots: Iterable[Slot], at: datetime, zone: ZoneInfo) -> datetime | None:
    """The first instant strictly after `at` when one of these slots begins (None for no slots)."""
    starts = [
        start for slot in slots for start, end in _occurrences_near(slot, at, zone, 8) if start > at and end > start
    ]
    return min(starts, default=None)
