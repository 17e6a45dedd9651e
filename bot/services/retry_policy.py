"""When a send that Discord refused for a passing reason is tried again, and when Lantern stops trying.

Grace windows (how long a send is worth retrying, from the moment it was due):
- a channel prompt or a DM prompt: until its reminder is due when the schedule has one (the reminder takes
  over then), otherwise until the end of that day where the member lives, and never less than an hour;
- a reminder: two hours, but not past the end of that day, and never less than thirty minutes;
- a partner-round message or a leaders' alert: a day.
A send whose window ends undelivered is counted and shown to leaders (counts only).

Discord drops a repeated create-message with the same `nonce` (and `enforce_nonce`) for a few minutes;
Lantern trusts that for one minute only. A retry later than that, of a send that may have reached Discord,
first looks for it in the channel.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

FIRST_DELAY = timedelta(seconds=2)
LONGEST_DELAY = timedelta(minutes=5)
NONCE_TRUSTED_FOR = timedelta(minutes=1)
PROMPT_AT_LEAST = timedelta(hours=1)
REMINDER_WINDOW = timedelta(hours=2)
REMINDER_AT_LEAST = timedelta(minutes=30)
MESSAGE_WINDOW = timedelta(days=1)


def spread(seed: int) -> float:
    """A factor in [0.5, 1.0], fixed per send: retries of one fan-out spread out instead of arriving together."""
    digest = hashlib.blake2b(str(seed).encode(), digest_size=2).digest()
    return 0.5 + int.from_bytes(digest, "big") / 0xFFFF / 2


def backoff(attempts: int, retry_after: float | None, seed: int = 0) -> timedelta:
    """How long to wait after `attempts` refused tries: doubling from two seconds up to five minutes, spread
    per send, and never sooner than Discord's Retry-After."""
    doubled = FIRST_DELAY * (2 ** min(max(attempts - 1, 0), 16))
    delay = min(doubled, LONGEST_DELAY) * spread(seed)
    if retry_after is not None and retry_after > 0:
        delay = max(delay, timedelta(seconds=retry_after))
    return delay


def end_of_day(instant: datetime, zone: str) -> datetime:
    """The next local midnight after `instant` in `zone`, as an aware datetime in the instant's zone."""
    local = instant.astimezone(ZoneInfo(zone))
    midnight = datetime.combine(local.date() + timedelta(days=1), datetime.min.time(), ZoneInfo(zone))
    return midnight.astimezone(instant.tzinfo)


def grace_end(kind: str, due: datetime, zone: str, reminder_minutes: int | None = None) -> datetime:
    """When Lantern stops retrying a send of `kind` that was due at `due` (see the module's docstring).

    For a reminder, `due` is when the reminder itself was due."""
    if kind in ("prompt", "channel"):
        if reminder_minutes is not None:
            return due + max(timedelta(minutes=reminder_minutes), timedelta(minutes=1))
        return max(end_of_day(due, zone), due + PROMPT_AT_LEAST)
    if kind == "reminder":
        return max(min(due + REMINDER_WINDOW, end_of_day(due, zone)), due + REMINDER_AT_LEAST)
    return due + MESSAGE_WINDOW


def nonce_still_trusted(first_recorded: datetime | None, now: datetime) -> bool:
    """Whether Discord's nonce check still covers every earlier attempt of a send recorded at `first_recorded`
    (no earlier attempt can have reached Discord before it was recorded)."""
    return first_recorded is not None and now - first_recorded < NONCE_TRUSTED_FOR
