"""When a check-in schedule fires: wall-clock times in a timezone turned into UTC instants (pure functions).

Schedules follow the wall clock. A 09:00 schedule fires when clocks in its zone read 09:00, on both
sides of a daylight-saving change, so its UTC instant moves by the size of the change.

Two days a year the wall clock misbehaves, and the rules are:

- **Gap** (spring forward: in America/New_York on the March change day, 02:00-02:59 never happens).
  A schedule whose time falls in the gap fires once, at the first instant after the gap: 02:30 fires at
  03:00 local, the moment the clocks jump to. Members still get that day's prompt, as early as possible.
- **Fold** (fall back: 01:00-01:59 happens twice on the November change day). A schedule whose time
  falls in the fold fires once, at the first of the two instants (``fold=0``, still on summer time),
  and never again at the repeat.

An occurrence is identified by the local date it was scheduled for, in the zone it fires in (see
`occurrence_date` and `occurrence_key`). That is nearly always the date the clocks read when it fires,
except when a gap ends at or after midnight: in America/Nuuk the clocks jump from Saturday 23:00 to
Sunday 00:00 each March, so a Saturday 23:30 schedule fires at Sunday 00:00, and is still Saturday's.
The one case left ambiguous is historical: when a zone skipped a whole calendar day (Pacific/Apia on
2011-12-30), a 00:00 schedule for the skipped day fires at the next midnight and counts as the next day's.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

# A week plus the day before `after` (whose firing may still lie ahead in zones ahead of UTC) and spare
# days for a calendar day that a zone skipped entirely (Pacific/Apia on 2011-12-30).
_DAYS_TO_SEARCH = 10
_ONE_SECOND = timedelta(seconds=1)


def next_occurrence(after: datetime, local_time: time, weekdays: frozenset[int], tz: str) -> datetime:
    """The first instant strictly after `after` when the wall clock in `tz` reads `local_time` on one of
    `weekdays` (0 = Monday .. 6 = Sunday), as an aware UTC datetime.

    Gaps and folds follow the module's rules. `local_time`'s own tzinfo and fold are ignored.
    """
    _require_aware(after, "after")
    _require_weekdays(weekdays)
    zone = ZoneInfo(tz)
    after_utc = after.astimezone(UTC)
    first_day = after_utc.astimezone(zone).date() - timedelta(days=1)
    for offset in range(_DAYS_TO_SEARCH):
        day = first_day + timedelta(days=offset)
        if day.weekday() not in weekdays:
            continue
        instant = firing_instant(day, local_time, zone)
        if instant > after_utc:
            return instant
    raise RuntimeError(f"no occurrence within {_DAYS_TO_SEARCH} days of {after_utc} in {tz}")


def firing_instant(day: date, local_time: time, zone: ZoneInfo) -> datetime:
    """The UTC instant a schedule for `local_time` fires on local date `day` in `zone`."""
    wall = datetime.combine(day, local_time.replace(tzinfo=None, fold=0))
    # fold=0 is the first of two instants in a fold; in a gap it reads the wall time with the offset from
    # before the change, which lands after the gap.
    earlier_reading = wall.replace(tzinfo=zone, fold=0).astimezone(UTC)
    if earlier_reading.astimezone(zone).replace(tzinfo=None) == wall:
        return earlier_reading
    # With the offset from after the change, the same wall time lands before the gap; the change itself,
    # the first instant after the gap, lies between the two readings.
    later_reading = wall.replace(tzinfo=zone, fold=1).astimezone(UTC)
    return _first_instant_after_gap(zone, before_gap=later_reading, after_gap=earlier_reading)


def _first_instant_after_gap(zone: ZoneInfo, before_gap: datetime, after_gap: datetime) -> datetime:
    """The instant the clocks jump, found by bisection: zoneinfo does not expose its transitions."""
    offset_before = before_gap.astimezone(zone).utcoffset()
    base = before_gap.replace(microsecond=0)
    # Transitions fall on whole seconds, so bisecting over whole seconds from `base` finds the exact one:
    # `low` seconds in is always before the jump and `high` seconds in always at or after it.
    low, high = 0, -((base - after_gap) // _ONE_SECOND)
    while high - low > 1:
        middle = (low + high) // 2
        if (base + middle * _ONE_SECOND).astimezone(zone).utcoffset() == offset_before:
            low = middle
        else:
            high = middle
    return base + high * _ONE_SECOND


def occurrences_between(
    start: datetime, end: datetime, local_time: time, weekdays: frozenset[int], tz: str
) -> list[datetime]:
    """Every firing instant in (start, end], in order, as aware UTC datetimes."""
    _require_aware(end, "end")
    instants: list[datetime] = []
    instant = next_occurrence(start, local_time, weekdays, tz)
    while instant <= end:
        instants.append(instant)
        instant = next_occurrence(instant, local_time, weekdays, tz)
    return instants


def local_date_of(instant: datetime, tz: str) -> date:
    """The calendar date in `tz` at `instant` (for an occurrence's own date, see `occurrence_date`)."""
    _require_aware(instant, "instant")
    return instant.astimezone(ZoneInfo(tz)).date()


def occurrence_date(instant: datetime, local_time: time, tz: str) -> date:
    """The local date in `tz` that the occurrence firing at `instant` was scheduled for.

    `instant` must be a firing instant of a schedule for `local_time` in `tz` (from `next_occurrence`).
    It is the local date at `instant`, except for a time that fell in a gap ending at or after midnight:
    the clocks then read an earlier time of day than `local_time`, and the occurrence is the day before's.
    """
    _require_aware(instant, "instant")
    local = instant.astimezone(ZoneInfo(tz))
    if local.time() < local_time.replace(tzinfo=None, fold=0):
        return local.date() - timedelta(days=1)
    return local.date()


def occurrence_key(local_date: date) -> str:
    """The stable id of one occurrence of a schedule: the local date it was scheduled for, "2026-03-08".

    Use the date in the zone the occurrence fires in (for a DM prompt, the member's zone), from
    `occurrence_date`. A schedule fires once per scheduled date, so the key is unique per (schedule,
    member), even where one instant is two different dates in two members' zones.
    """
    return local_date.isoformat()


def group_by_instant(
    members: Iterable[tuple[int, str]], local_time: time, weekdays: frozenset[int], after: datetime
) -> dict[datetime, list[int]]:
    """Members, given as (user_id, timezone), grouped by their next firing instant after `after`.

    A community's DM prompts then cost one job per distinct instant rather than one per member. Members
    in zones that read the same wall time at the same instant (UTC and Europe/London in winter) share a
    group; their occurrence dates may still differ (Pacific/Kiritimati and Pacific/Honolulu read the same
    wall time a day apart), so take each member's from `occurrence_date` with their own zone.
    Instants come in ascending order and members keep their given order within a group.
    Timezones must be valid IANA names (see `timeparse.parse_timezone`); resolve a member without one to
    the community's zone before calling.
    """
    _require_aware(after, "after")
    _require_weekdays(weekdays)

    @functools.cache
    def instant_for(tz: str) -> datetime:
        return next_occurrence(after, local_time, weekdays, tz)

    groups: dict[datetime, list[int]] = {}
    for user_id, tz in members:
        groups.setdefault(instant_for(tz), []).append(user_id)
    return dict(sorted(groups.items()))


def is_paused(paused_until: datetime | None, at: datetime) -> bool:
    """Whether a pause that lasts until `paused_until` (None: no pause) still holds at `at`."""
    _require_aware(at, "at")
    if paused_until is None:
        return False
    _require_aware(paused_until, "paused_until")
    return at < paused_until


def within_grace(scheduled: datetime, now: datetime, grace: timedelta) -> bool:
    """Whether an occurrence scheduled at `scheduled` may still be sent at `now`: now in [scheduled,
    scheduled + grace], both ends included.
    """
    _require_aware(scheduled, "scheduled")
    _require_aware(now, "now")
    return scheduled <= now <= scheduled + grace


def _require_aware(value: datetime, name: str) -> None:
    # A naive datetime would be read in the host's zone, silently shifting every schedule.
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime, got {value!r}")


def _require_weekdays(weekdays: frozenset[int]) -> None:
    if not weekdays:
        raise ValueError("a schedule needs at least one weekday")
    if not weekdays <= frozenset(range(7)):
        raise ValueError(f"weekday numbers run from 0 (Monday) to 6 (Sunday), got {sorted(weekdays)}")
