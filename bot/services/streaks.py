"""Streak and local-day arithmetic for check-ins (pure functions)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo


def local_day(now: datetime, timezone: str) -> date:
    """The member's calendar day at instant `now` in their IANA timezone."""
    return now.astimezone(ZoneInfo(timezone)).date()


def streak(days: Iterable[date], today: date) -> int:
    """Consecutive days with a check-in, ending today, or yesterday when today has none yet."""
    present = set(days)
    cursor = today if today in present else today - timedelta(days=1)
    count = 0
    while cursor in present:
        count += 1
        cursor -= timedelta(days=1)
    return count


def days_since_previous(days: Iterable[date], today: date) -> int | None:
    """Days between today and the latest check-in before today; None when there is none."""
    earlier = [d for d in days if d < today]
    if not earlier:
        return None
    return (today - max(earlier)).days
