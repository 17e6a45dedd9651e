"""The privacy notice a member sees the first time they use Lantern in a community."""

from __future__ import annotations

from bot.clock import Clock
from bot.storage.database import Database

PRIVACY_NOTICE = (
    "**A quick word about privacy** (you'll only see this once)\n"
    "• Your check-ins, moods, notes, day counters and dates are yours. "
    "They're stored encrypted, and only you can see them.\n"
    "• Peer leaders see how many people check in, never what anyone wrote.\n"
    "• If the community's own question is shared with your partner or counted for leaders, the form says so "
    "under it, before you answer.\n"
    "• `/history` shows your own check-ins. `/export` gives you a copy of everything. "
    "`/forget` deletes everything I hold about you here."
)


class PrivacyService:
    """Remembers who has seen the privacy notice, per community."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    async def first_use(self, community_id: int, user_id: int) -> bool:
        """True exactly once per member and community: the first time they use Lantern there."""
        # Marking creates the member if needed: one write, not two.
        return await self.db.members.mark_privacy_notice_seen(community_id, user_id, self.clock())
