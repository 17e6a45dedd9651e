"""Leaders' reports: participation counts and averages over enough members, never anyone's answers."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage.crypto import ContentCipher
from bot.storage.models import CheckinContent
from bot.storage.tables import (
    checkins,
    support_requests,
)


class ReportRepo:
    """Counts and decrypted values for leaders' aggregates; the service decides what may be shown."""

    def __init__(self, engine: AsyncEngine, cipher: ContentCipher) -> None:
        self._engine = engine
        self._cipher = cipher

    async def checkins_since(self, community_id: int, since: date) -> list[tuple[int, date, CheckinContent]]:
        stmt = select(checkins.c.user_id, checkins.c.local_date, checkins.c.content).where(
            checkins.c.community_id == community_id, checkins.c.local_date >= since
        )
        async with self._engine.connect() as conn:
            rows = (await conn.execute(stmt)).all()
        return [(r.user_id, r.local_date, self._cipher.decrypt(r.content)) for r in rows]

    async def last_checkin_days(self, community_id: int) -> dict[int, date]:
        stmt = (
            select(checkins.c.user_id, func.max(checkins.c.local_date).label("last"))
            .where(checkins.c.community_id == community_id)
            .group_by(checkins.c.user_id)
        )
        async with self._engine.connect() as conn:
            return {r.user_id: r.last for r in (await conn.execute(stmt)).all()}

    async def support_since(self, community_id: int, since: datetime) -> list[tuple[int, datetime]]:
        stmt = select(support_requests.c.user_id, support_requests.c.at).where(
            support_requests.c.community_id == community_id, support_requests.c.at >= since
        )
        async with self._engine.connect() as conn:
            return [(r.user_id, r.at) for r in (await conn.execute(stmt)).all()]
