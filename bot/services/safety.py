"""The safety net: crisis lines when a member's words suggest danger, and a leader alert only with consent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from bot.services.checkins import Clock
from bot.services.crisis import detect_crisis
from bot.services.resources import ResourceBook, render_crisis_lines
from bot.storage.database import Database

REPEAT_ALERT_WINDOW = timedelta(minutes=30)

CRISIS_OPENING = (
    "It sounds like things are really heavy right now. You don't have to carry this alone. "
    "These people are there to talk, any time:"
)
CRISIS_CLOSING = (
    "If you'd like, I can let a peer leader here know you could use some support. "
    "I won't share anything you wrote, only that you asked."
)
SUPPORT_SENT = (
    "I've let the peer leaders know you could use some support. I didn't share anything you wrote. "
    "Someone may reach out when they can; if you need someone right now, the lines above are there for you."
)
SUPPORT_ALREADY_SENT = (
    "I let the peer leaders know a little while ago. If you need someone right now, the lines above are "
    "there for you, any time."
)
NO_ALERT_CHANNEL = (
    "This community hasn't set up a place for leader alerts yet, so I couldn't pass it on. Please reach "
    "out to a peer leader directly if you can, or use the lines above."
)


@dataclass(frozen=True)
class CrisisReply:
    """What the member sees when their words suggest they may be in danger."""

    text: str


def leader_alert_text(user_id: int) -> str:
    """The alert in the leaders' channel: who asked, never what they wrote."""
    return (
        f"<@{user_id}> asked for a peer leader to know they could use some support right now. "
        "Please reach out to them gently. (They chose to send this; Lantern doesn't share what anyone wrote.)"
    )


class SafetyService:
    """Checks free text for crisis language and passes on a member's request for support, with consent."""

    def __init__(self, db: Database, resources: ResourceBook, clock: Clock) -> None:
        self.db = db
        self.resources = resources
        self.clock = clock

    async def crisis_reply(self, community_id: int, *texts: str) -> CrisisReply | None:
        """Crisis lines for the community's region when any text suggests a crisis now; otherwise None."""
        if not any(detect_crisis(text) for text in texts if text):
            return None
        return CrisisReply(await self.crisis_lines(community_id))

    async def crisis_lines(self, community_id: int) -> str:
        # A community that hasn't run /setup yet gets the default region (US), like every other default.
        community = await self.db.communities.ensure(community_id)
        region = self.resources.for_region(community.region)
        return f"{CRISIS_OPENING}\n{render_crisis_lines(region)}\n{CRISIS_CLOSING}"

    async def where_to_alert(self, community_id: int, user_id: int) -> tuple[int | None, str | None]:
        """The leaders' channel to alert, or None with what to tell the member instead."""
        community = await self.db.communities.get(community_id)
        last = await self.db.support.last_alerted(community_id, user_id)
        if last is not None and self.clock() - last < REPEAT_ALERT_WINDOW:
            return None, SUPPORT_ALREADY_SENT
        if community is None or community.alert_channel_id is None:
            await self.record(community_id, user_id, alerted=False)
            return None, NO_ALERT_CHANNEL
        return community.alert_channel_id, None

    async def record(self, community_id: int, user_id: int, *, alerted: bool) -> None:
        """Keep who asked and when (for leaders' reports), never why."""
        await self.db.support.add(community_id, user_id, self.clock(), alerted=alerted)
