"""The privacy notice a member sees the first time they use Lantern in a community."""

from __future__ import annotations

from bot.clock import Clock
from bot.services.messages import DEFAULT_LANGUAGE, message
from bot.storage.database import Database


def privacy_notice(lang: str = DEFAULT_LANGUAGE) -> str:
    """The notice, in the member's language."""
    return message("privacy", lang, "notice")


class PrivacyService:
    """Remembers who has seen the privacy notice, per community."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    async def first_use(self, community_id: int, user_id: int) -> bool:
        """True exactly once per member and community: the first time they use Lantern there."""
        # Marking creates the member if needed: one write, not two.
        return await self.db.members.mark_privacy_notice_seen(community_id, user_id, self.clock())
