"""A member's own settings: timezone, DM prompts, reminders, and taking a break."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.clock import Clock
from bot.services.messages import DEFAULT_LANGUAGE, message, refusal
from bot.services.replanning import Replan
from bot.services.schedule_math import is_paused
from bot.services.timeparse import parse_pause_days
from bot.services.timezone_names import read_timezone
from bot.storage.database import Database
from bot.storage.models import Community, Member

QUIET_MAX = 60


def check_quiet_days(days: int) -> int:
    """How many quiet days before a peer leader is told: 1 to QUIET_MAX, or 0 for never."""
    if not 0 <= days <= QUIET_MAX:
        raise refusal("settings", "quiet_range", high=QUIET_MAX)
    return days


def settings_text(language: str, key: str, **values: object) -> str:
    """One text of `/settings`, `/pause` or `/resume`, in the member's language."""
    return message("settings", language, key, **{name: str(value) for name, value in values.items()})


def on_off(value: bool, language: str = DEFAULT_LANGUAGE) -> str:
    return settings_text(language, "on" if value else "off")


def discord_date(moment: datetime) -> str:
    """A date Discord shows in each reader's own language and calendar."""
    return f"<t:{int(moment.timestamp())}:D>"


class MemberSettingsService:
    """Reads and changes a member's own settings; changes re-plan the community's timers."""

    def __init__(self, db: Database, clock: Clock, replan: Replan) -> None:
        self.db = db
        self.clock = clock
        self.replan = replan
        # The language each member's Discord last spoke, as recorded: written only when it changes.
        self._languages: dict[int, str] = {}

    async def remember_language(self, user_id: int, language: str) -> None:
        """So that DMs and prompts, which come with no locale of their own, speak the member's language."""
        if self._languages.get(user_id) == language:
            return
        # Kept in memory only once a community knows the member: a first-ever interaction comes before
        # their row exists, and the next one records it.
        if await self.db.members.remember_language_everywhere(user_id, language):
            self._languages[user_id] = language

    async def current(self, community_id: int, user_id: int) -> tuple[Member, Community]:
        member = await self.db.members.ensure(community_id, user_id)
        community = await self.db.communities.ensure(community_id)
        return member, community

    async def change(
        self,
        community_id: int,
        user_id: int,
        *,
        timezone: str | None = None,
        dm_prompts: bool | None = None,
        reminders: bool | None = None,
        quiet_days: int | None = None,
        share_mood: bool | None = None,
    ) -> tuple[Member, Community]:
        changes: dict[str, object] = {}
        if share_mood is not None:
            changes["share_mood"] = share_mood
        if quiet_days is not None:
            changes["quiet_days"] = check_quiet_days(quiet_days) or None
        if timezone is not None:
            changes["timezone"] = read_timezone(timezone).zone
        if dm_prompts is not None:
            changes["dm_prompts"] = dm_prompts
            if dm_prompts:
                # Turning prompts back on is how a member tells us their DMs are open again.
                changes["unreachable_at"] = None
        if reminders is not None:
            changes["reminders"] = reminders
        if changes:
            await self.db.members.update(community_id, user_id, **changes)
            await self.replan(community_id)
        return await self.current(community_id, user_id)

    async def pause(self, community_id: int, user_id: int, days: int) -> Member:
        length = parse_pause_days(days)
        until = self.clock() + timedelta(days=length)
        member = await self.db.members.update(community_id, user_id, paused_until=until)
        await self.replan(community_id)
        return member

    async def resume(self, community_id: int, user_id: int) -> bool:
        """End a break; False when the member was not on one."""
        member = await self.db.members.ensure(community_id, user_id)
        if not is_paused(member.paused_until, self.clock()):
            return False
        await self.db.members.update(community_id, user_id, paused_until=None)
        await self.replan(community_id)
        return True

    async def unreachable_notice(self, community_id: int, user_id: int, language: str = DEFAULT_LANGUAGE) -> str | None:
        """Once, after DMs were found closed: why prompts stopped and how to fix it (then we try again)."""
        member = await self.db.members.get(community_id, user_id)
        if member is None or member.unreachable_at is None:
            return None
        await self.db.members.update(community_id, user_id, unreachable_at=None)
        await self.replan(community_id)
        return settings_text(language, "unreachable")


def describe_settings(member: Member, community: Community, now_paused: bool, language: str = DEFAULT_LANGUAGE) -> str:
    def text(key: str, **values: object) -> str:
        return settings_text(language, key, **values)

    zone = member.timezone or text("community_zone", zone=community.timezone)
    quiet = text("quiet_after", count=member.quiet_days) if member.quiet_days else text("off")
    lines = [
        text("heading"),
        text("timezone", zone=zone),
        text("dm_prompts", state=on_off(member.dm_prompts, language)),
        text("reminders", state=on_off(member.reminders, language)),
        text("quiet", state=quiet),
        text("share_mood", state=on_off(member.share_mood, language)),
    ]
    if now_paused and member.paused_until is not None:
        lines.append(text("on_break", until=discord_date(member.paused_until)))
    lines.append(text("change_hint"))
    return "\n".join(lines)
