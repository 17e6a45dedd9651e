"""Milestone arithmetic for `/days` across timezones, DST and leap days (hypothesis), and reading dates."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bot.services.day_math import (
    NOTE_TIME,
    add_years,
    count_days,
    day_month,
    days_since,
    describe,
    long_date,
    milestone_date,
    next_eve,
    next_milestone,
    next_note,
    note_instant,
    on_year,
    reached_on,
)
from bot.services.days import clean_name, milestone_code, milestone_from_code
from bot.services.timeparse import DateParseError, parse_date

# Zones with DST both ways, a half-hour zone, a zone whose offset is 13 hours, and one near the date line.
ZONES = [
    "UTC",
    "America/New_York",
    "Europe/London",
    "Australia/Sydney",
    "Asia/Kolkata",
    "Pacific/Apia",
    "America/St_Johns",
    "Pacific/Kiritimati",
    "Europe/Dublin",
    "America/Santiago",
]

dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31))
zones = st.sampled_from(ZONES)
instants = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2090, 1, 1), timezones=st.just(UTC))


def exists(day: date, zone: str) -> bool:
    """Whether the day happened on the clocks of `zone` (Kiribati skipped 31 December 1994, Samoa 30 December
    2011): a note planned for a day that never was comes at 09:00 on the day after."""
    noon = datetime.combine(day, datetime.min.time().replace(hour=12), tzinfo=ZoneInfo(zone))
    return datetime.fromtimestamp(noon.timestamp(), ZoneInfo(zone)).date() == day


def expected_milestones(start: date, up_to: date) -> list[date]:
    """Every milestone day of a start date up to a day, listed the long way round."""
    found = [start + timedelta(days=d) for d in (1, 7, 30, 60, 90, 180)]
    found += [add_years(start, y) for y in range(1, up_to.year - start.year + 2)]
    return sorted(d for d in found if d <= up_to)


@given(start=dates, offset=st.integers(min_value=0, max_value=4000))
def test_next_milestone_is_the_first_listed_one_after(start: date, offset: int) -> None:
    after = start + timedelta(days=offset)
    milestone, when = next_milestone(start, after)
    assert when > after
    assert milestone_date(start, milestone) == when
    every = expected_milestones(start, when)
    assert every[-1] == when
    assert all(d <= after for d in every[:-1])


@given(start=dates, offset=st.integers(min_value=0, max_value=4000))
def test_a_day_is_a_milestone_exactly_when_it_is_listed(start: date, offset: int) -> None:
    today = start + timedelta(days=offset)
    reached = reached_on(start, today)
    assert (reached is not None) == (today in expected_milestones(start, today))
    if reached is not None:
        assert milestone_date(start, reached) == today


@given(day=st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31)), zone=zones)
def test_the_note_is_at_nine_on_that_local_day_whatever_the_dst(day: date, zone: str) -> None:
    assume(exists(day, zone))
    when = note_instant(day, zone)
    assert when.tzinfo is not None and when.utcoffset() == timedelta(0)
    local = when.astimezone(ZoneInfo(zone))
    assert local.date() == day and local.time() == NOTE_TIME


@settings(max_examples=300)
@given(start=dates, now=instants, zone=zones)
def test_next_note_is_ahead_and_no_milestone_is_skipped(start: date, now: datetime, zone: str) -> None:
    milestone, when = next_note(start, now, zone)
    assert when > now
    day = milestone_date(start, milestone)
    assume(exists(day, zone))
    assert note_instant(day, zone) == when
    # Every earlier milestone's note was already due (nothing between now and this one is missed).
    earlier = [d for d in expected_milestones(start, day) if d < day]
    assert all(note_instant(d, zone) <= now for d in earlier)


@given(start=dates, now=instants, zone=zones)
def test_notes_in_turn_never_repeat_and_never_go_back(start: date, now: datetime, zone: str) -> None:
    seen = []
    moment = now
    for _ in range(8):
        _, when = next_note(start, moment, zone)
        seen.append(when)
        moment = when  # what the service does after sending: plan from the note's own instant
    assert seen == sorted(set(seen))


def test_a_leap_day_start_counts_years_on_28_february() -> None:
    start = date(2024, 2, 29)
    assert add_years(start, 1) == date(2025, 2, 28)
    assert add_years(start, 4) == date(2028, 2, 29)
    assert next_milestone(start, date(2025, 1, 1)) == ((0, 1), date(2025, 2, 28))


def test_a_day_that_never_was_gets_its_note_the_morning_after() -> None:
    assert not exists(date(1994, 12, 31), "Pacific/Kiritimati")
    note = note_instant(date(1994, 12, 31), "Pacific/Kiritimati")
    assert note.astimezone(ZoneInfo("Pacific/Kiritimati")) == datetime(
        1995, 1, 1, 9, 0, tzinfo=ZoneInfo("Pacific/Kiritimati")
    )
    assert next_eve(1, 1, None, datetime(1994, 6, 1, tzinfo=UTC), "Pacific/Kiritimati") == (date(1995, 1, 1), note)


def test_across_the_spring_change_in_new_york() -> None:
    # 8 March 2026: clocks go forward. A 7-day milestone on 8 March is at 09:00 EDT, 13:00 UTC.
    assert note_instant(date(2026, 3, 8), "America/New_York") == datetime(2026, 3, 8, 13, 0, tzinfo=UTC)
    assert note_instant(date(2026, 3, 7), "America/New_York") == datetime(2026, 3, 7, 14, 0, tzinfo=UTC)
    # The same UTC instant is a different local day east and west of the date line.
    now = datetime(2026, 3, 10, 20, 0, tzinfo=UTC)
    assert next_note(date(2026, 3, 10), now, "Pacific/Kiritimati")[0] == (7, 0)  # 11 March there: day 1 was today
    assert next_note(date(2026, 3, 10), now, "America/New_York")[0] == (1, 0)


def test_counts_and_words() -> None:
    assert days_since(date(2026, 3, 10), date(2026, 3, 10)) == 0
    assert days_since(date(2026, 3, 11), date(2026, 3, 10)) == 0
    assert [describe(m) for m in ((1, 0), (30, 0), (0, 1), (0, 3))] == ["1 day", "30 days", "1 year", "3 years"]
    for milestone in ((1, 0), (180, 0), (0, 1), (0, 42)):
        assert milestone_from_code(milestone_code(milestone)) == milestone


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("today", date(2026, 3, 10)),
        ("Yesterday", date(2026, 3, 9)),
        ("2024-02-29", date(2024, 2, 29)),
        ("2024/3/1", date(2024, 3, 1)),
        ("1 March 2024", date(2024, 3, 1)),
        ("March 1, 2024", date(2024, 3, 1)),
        ("1st of March", date(2026, 3, 1)),
        ("dec 25", date(2025, 12, 25)),  # without a year: the last one, not one still ahead
        ("3 days ago", date(2026, 3, 7)),
        ("2 weeks ago", date(2026, 2, 24)),
        ("1 month ago", date(2026, 2, 10)),
        ("1 year ago", date(2025, 3, 10)),
    ],
)
def test_dates_as_people_type_them(text: str, expected: date) -> None:
    assert parse_date(text, date(2026, 3, 10)) == expected


def test_a_date_without_a_year_looking_ahead() -> None:
    assert parse_date("dec 25", date(2026, 3, 10), future=True) == date(2026, 12, 25)
    assert parse_date("29 feb", date(2026, 3, 10), future=True) == date(2028, 2, 29)


@pytest.mark.parametrize(
    "text",
    [
        "3/1/2024",
        "",
        "someday",
        "31 February 2024",
        "1 Smarch 2024",
        "1 March 1850",
        "9999 years ago",
        "x" * 41,
        "2024-13-01",
    ],
)
def test_dates_refused_with_an_example(text: str) -> None:
    with pytest.raises(DateParseError) as refused:
        parse_date(text, date(2026, 3, 10))
    assert "Try" in refused.value.message or "Pick" in refused.value.message


@given(st.text(max_size=50))
def test_any_text_is_a_date_or_a_kind_refusal(text: str) -> None:
    try:
        parse_date(text, date(2026, 3, 10))
    except DateParseError as error:
        assert error.message


@pytest.mark.parametrize("text", ["", "   ", "a\nb", "zero\u200bwidth", "x" * 41])
def test_counter_names_refused(text: str) -> None:
    with pytest.raises(Exception) as refused:
        clean_name(text)
    assert getattr(refused.value, "message", "")


def test_counter_names_tidied() -> None:
    assert clean_name("  online   gambling ") == "online gambling"


@settings(max_examples=300)
@given(
    month=st.integers(min_value=1, max_value=12),
    day=st.integers(min_value=1, max_value=31),
    year=st.none() | st.integers(min_value=2000, max_value=2080),
    now=instants,
    zone=zones,
)
def test_a_hard_dates_note_is_on_its_eve_at_nine_and_ahead(
    month: int, day: int, year: int | None, now: datetime, zone: str
) -> None:
    if (day > 29 and month == 2) or (day == 31 and month in (4, 6, 9, 11)):
        return
    found = next_eve(month, day, year, now, zone)
    if found is None:
        assert year is not None  # only a one-off date runs out
        assert note_instant(on_year(month, day, year) - timedelta(days=1), zone) <= now
        return
    when, note = found
    assert note > now
    assume(exists(when - timedelta(days=1), zone))
    local = note.astimezone(ZoneInfo(zone))
    assert local.date() == when - timedelta(days=1) and local.time() == NOTE_TIME
    assert (when.month, when.day) == (month, day) or (month, day, when.day) == (2, 29, 28)
    # No occurrence between now and this one was skipped.
    if year is None:
        earlier = on_year(month, day, when.year - 1)
        assert note_instant(earlier - timedelta(days=1), zone) <= now


@pytest.mark.parametrize(
    ("milestone", "english", "spanish"),
    [
        ((1, 0), "1 day", "1 día"),
        ((30, 0), "30 days", "30 días"),
        ((0, 1), "1 year", "1 año"),
        ((0, 3), "3 years", "3 años"),
    ],
)
def test_milestones_are_worded_in_each_language(milestone: tuple[int, int], english: str, spanish: str) -> None:
    assert describe(milestone) == english
    assert describe(milestone, "es") == spanish


def test_dates_are_worded_in_each_language_whatever_the_process_locale() -> None:
    assert long_date(date(2026, 2, 8)) == "8 February 2026"
    assert long_date(date(2026, 2, 8), "es") == "8 de febrero de 2026"
    assert day_month(date(2024, 12, 14), "es") == "14 de diciembre"
    assert count_days(1234) == "1,234 days" and count_days(1234, "es") == "1234 días"
