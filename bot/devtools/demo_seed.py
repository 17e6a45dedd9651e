"""The demo community's first start: set up as a leader would, and alice with a few weeks of check-ins."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.app import Services
from bot.devtools.harness import Community
from bot.storage.models import CheckinContent

SEEDED_KEY = "demo_seeded:{community_id}"
SEEDED_MEMBER = "alice"
PROMPT_TIME = "9am"
EVENING = time(20, 30)  # when the seeded check-ins say they were made, local time

# alice's last 26 days, oldest first: (mood 1-5, cravings 0-4, HALT boxes, note), None for a day she skipped.
# A hard patch early on, gaps, and a steadier last week that ends yesterday, so today's check-in adds to a streak.
HISTORY: tuple[tuple[int, int, frozenset[str], str] | None, ...] = (
    (2, 3, frozenset({"tired"}), "Rough night. Made it to work anyway."),
    (2, 2, frozenset({"lonely"}), ""),
    (3, 2, frozenset(), "Went to a meeting."),
    None,
    None,
    (1, 4, frozenset({"angry", "tired"}), "Argument at home. Called my sponsor instead of going out."),
    (2, 3, frozenset({"tired"}), ""),
    (3, 2, frozenset(), "Long walk after work helped."),
    (3, 1, frozenset({"hungry"}), ""),
    (4, 1, frozenset(), "Cooked a proper dinner."),
    None,
    (3, 2, frozenset({"lonely"}), "Quiet weekend."),
    (3, 1, frozenset(), ""),
    (4, 1, frozenset(), "Coffee with my sister."),
    (4, 0, frozenset(), ""),
    None,
    (2, 3, frozenset({"tired"}), "Payday. Harder than I expected."),
    (3, 2, frozenset(), "Meeting, then an early night."),
    (3, 1, frozenset(), ""),
    (4, 1, frozenset(), "Good day at work."),
    (4, 0, frozenset(), ""),
    (3, 1, frozenset({"tired"}), ""),
    (4, 1, frozenset(), "Helped set up chairs at the meeting."),
    (5, 0, frozenset(), "Felt like myself today."),
    (4, 0, frozenset(), ""),
    (4, 1, frozenset(), "Steady."),
)


def local_zone_name() -> str:
    """The machine's timezone as an IANA name (from TZ or /etc/localtime), or UTC when it can't be told."""
    candidates = [os.environ.get("TZ", "").removeprefix(":")]
    localtime = Path("/etc/localtime")
    if localtime.is_symlink():
        target = str(localtime.resolve())
        if "zoneinfo/" in target:
            candidates.append(target.split("zoneinfo/", 1)[1])
    for name in candidates:
        if not name or name.startswith("/"):
            continue
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            continue
        return name
    return "UTC"


async def seed_demo(services: Services, community: Community, now: datetime, zone: str | None = None) -> bool:
    """On the community's first start: the setup a leader would make, then alice's history. Returns whether it
    seeded anything; a second start on the same database changes nothing."""
    key = SEEDED_KEY.format(community_id=community.guild.id)
    if await services.db.meta.get(key) is not None:
        return False
    stored = await services.db.communities.get(community.guild.id)
    if stored is None or stored.setup_at is None:
        stored, _, _ = await services.schedules.setup(
            community.guild.id,
            checkin_channel_id=community.checkin_channel.id,
            timezone=zone or local_zone_name(),
            prompt_time=PROMPT_TIME,
            leader_role_id=community.leader_role.id,
            alert_channel_id=community.leaders_channel.id,
            region=None,
        )
    member = community.people[SEEDED_MEMBER].user.id
    await seed_history(services, community.guild.id, member, ZoneInfo(stored.timezone), now)
    await services.db.meta.set(key, now.isoformat())
    return True


async def seed_history(services: Services, community_id: int, user_id: int, zone: ZoneInfo, now: datetime) -> int:
    """HISTORY as check-ins ending yesterday (local time in `zone`), dated by `now`; returns how many were saved."""
    today = now.astimezone(zone).date()
    saved = 0
    for days_ago, day in enumerate(reversed(HISTORY), start=1):
        if day is None:
            continue
        mood, cravings, halt, note = day
        local_date: date = today - timedelta(days=days_ago)
        made_at = datetime.combine(local_date, EVENING, tzinfo=zone).astimezone(UTC)
        content = CheckinContent(mood=mood, cravings=cravings, halt=halt, note=note)
        result = await services.db.checkins.save_for_day(community_id, user_id, local_date, content, made_at)
        saved += result.created
    return saved
