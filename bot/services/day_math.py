"""Day counts and milestones: pure date arithmetic for `/days`, in the member's own calendar."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.services.messages import DEFAULT_LANGUAGE, message

# Days first, then every year (a year counted by the calendar, not as 365 days).
MILESTONE_DAYS: tuple[int, ...] = (1, 7, 30, 60, 90, 180)
# When a milestone's note goes out, on the milestone's day, in the member's zone: mid-morning, never at night.
NOTE_TIME = time(9, 0)


def local_today(now: datetime, zone: str) -> date:
    """The member's date at `now` (an aware instant)."""
    return now.astimezone(ZoneInfo(zone)).date()


def days_since(start: date, today: date) -> int:
    """Whole days from the start date to today: 0 on the day itself, never negative."""
    return max(0, (today - start).days)


def add_years(start: date, years: int) -> date:
    """The same month and day `years` later; 29 February falls on 28 February in other years."""
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        return start.replace(year=start.year + years, day=28)


Milestone = tuple[int, int]  # (days, 0) or (0, years)


def milestone_date(start: date, milestone: Milestone) -> date:
    days, years = milestone
    return add_years(start, years) if years else start + timedelta(days=days)


def milestones() -> list[Milestone]:
    """The day milestones; years follow without end (see `next_milestone`)."""
    return [(d, 0) for d in MILESTONE_DAYS]


def next_milestone(start: date, after: date) -> tuple[Milestone, date]:
    """The first milestone falling strictly after the date `after`, and its date."""
    for milestone in milestones():
        when = milestone_date(start, milestone)
        if when > after:
            return milestone, when
    years = max(1, after.year - start.year)
    while add_years(start, years) <= after:
        years += 1
    return (0, years), add_years(start, years)


def reached_on(start: date, today: date) -> Milestone | None:
    """The milestone whose day is today, if any."""
    milestone, when = next_milestone(start, today - timedelta(days=1))
    return milestone if when == today else None


def note_instant(day: date, zone: str, at: time = NOTE_TIME) -> datetime:
    """When a note for `day` goes out: `at` on that day in `zone` (09:00 exists on every day, DST or not)."""
    local = datetime.combine(day, at, tzinfo=ZoneInfo(zone))
    # Normalise through UTC so a wall time in a gap or fold maps to one real instant.
    return datetime.fromtimestamp(local.timestamp(), ZoneInfo("UTC"))


def count_days(days: int, lang: str = DEFAULT_LANGUAGE) -> str:
    """ "1 day", "1,234 days" / "1 día", "1234 días"."""
    if days == 1:
        return message("days", lang, "day_one")
    return message("days", lang, "days", count=f"{days:,}" if lang == DEFAULT_LANGUAGE else str(days))


def describe(milestone: Milestone, lang: str = DEFAULT_LANGUAGE) -> str:
    """ "30 days", "1 year", "3 years" (or "30 días", "1 año", "3 años")."""
    days, years = milestone
    if years:
        return message("days", lang, "year_one") if years == 1 else message("days", lang, "years", count=str(years))
    return count_days(days, lang)


def next_note(start: date, now: datetime, zone: str) -> tuple[Milestone, datetime]:
    """The next milestone whose note is still ahead of `now`, and when that note goes out."""
    after = local_today(now, zone) - timedelta(days=1)
    while True:
        milestone, day = next_milestone(start, after)
        when = note_instant(day, zone)
        if when > now:
            return milestone, when
        after = day


def on_year(month: int, day: int, year: int) -> date:
    """That month and day in `year`; 29 February falls on 28 February in other years."""
    try:
        return date(year, month, day)
    except ValueError:
        return date(year, month, 28)


def next_eve(month: int, day: int, year: int | None, now: datetime, zone: str) -> tuple[date, datetime] | None:
    """The next time of this hard date whose eve note (09:00 the day before, in `zone`) is still ahead of
    `now`: the date and when its note goes out. None for a one-off date whose eve has passed."""
    years = [year] if year is not None else range(local_today(now, zone).year - 1, local_today(now, zone).year + 3)
    for candidate in years:
        when = on_year(month, day, candidate)
        note = note_instant(when - timedelta(days=1), zone)
        if note > now:
            return when, note
    return None


def _month(day: date, lang: str) -> str:
    return message("days", lang, "months").split()[day.month - 1]


def long_date(day: date, lang: str = DEFAULT_LANGUAGE) -> str:
    """ "8 February 2026" / "8 de febrero de 2026" (the same in every process locale)."""
    return message("days", lang, "long_date", day=str(day.day), month=_month(day, lang), year=str(day.year))


def day_month(day: date, lang: str = DEFAULT_LANGUAGE) -> str:
    """ "14 February" / "14 de febrero"."""
    return message("days", lang, "day_month", day=str(day.day), month=_month(day, lang))
