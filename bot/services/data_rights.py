"""Members' data rights and retention: export everything, forget everything, and delete what is too old."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from bot.clock import Clock
from bot.services.export import checkins_csv, export_json
from bot.services.goal_words import measure
from bot.services.messages import refusal
from bot.storage.database import Database

log = logging.getLogger(__name__)

LEFT_GRACE = timedelta(days=30)
RETENTION_MIN, RETENTION_MAX = 30, 3650


@dataclass(frozen=True)
class ExportFiles:
    json: bytes
    csv: bytes
    checkins: int


class DataRightsService:
    """What `/export` and `/forget` do, and the daily retention sweep."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    async def export(self, community_id: int, user_id: int) -> ExportFiles:
        data = await self.db.rights.export(community_id, user_id)
        for checkin in data["checkins"]:
            goal_answer = checkin.get("goal_answer")
            if goal_answer is not None:
                # The words of the button the member pressed, beside its position.
                goal_answer["label"] = measure(goal_answer["measure"]).answers[goal_answer["answer"]]
        payload = {
            "about": (
                "Everything Lantern holds about you in this community. "
                "Check-ins, day counters, dates and messages still waiting to be sent are decrypted for you."
            ),
            "exported_at": self.clock(),
            "community_id": community_id,
            "user_id": user_id,
            **data,
        }
        return ExportFiles(export_json(payload), checkins_csv(data["checkins"]), len(data["checkins"]))

    async def forget(self, community_id: int, user_id: int) -> int:
        counts = await self.db.rights.forget(community_id, user_id)
        # Audit rows are kept (what a leader did) with the id removed; they are not "records about you".
        return sum(n for table, n in counts.items() if "(id removed)" not in table)

    async def sweep(self) -> tuple[int, int]:
        """Delete check-ins older than each community's retention, and members who left 30+ days ago."""
        now = self.clock()
        deleted = 0
        for community in await self.db.communities.all():
            cutoff = (now - timedelta(days=community.retention_days)).date()
            deleted += await self.db.rights.delete_checkins_before(community.id, cutoff)
        forgotten = 0
        for community_id, user_id in await self.db.rights.left_before(now - LEFT_GRACE):
            await self.db.rights.forget(community_id, user_id)
            forgotten += 1
        log.info("retention: deleted %d old check-ins, forgot %d members who left", deleted, forgotten)
        return deleted, forgotten

    async def member_left(self, community_id: int, user_id: int) -> None:
        if await self.db.members.get(community_id, user_id) is not None:
            await self.db.members.update(community_id, user_id, left_at=self.clock())

    async def member_returned(self, community_id: int, user_id: int) -> None:
        member = await self.db.members.get(community_id, user_id)
        if member is not None and member.left_at is not None:
            await self.db.members.update(community_id, user_id, left_at=None)


def check_retention(days: int) -> int:
    if not RETENTION_MIN <= days <= RETENTION_MAX:
        raise refusal("schedule", "retention_range", least=RETENTION_MIN, most=RETENTION_MAX)
    return days
