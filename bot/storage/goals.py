"""Members' personal goals: one per member per community, encrypted before it reaches SQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Row, delete, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage.crypto import ContentCipher
from bot.storage.engine import writer
from bot.storage.models import Goal, StoredGoal
from bot.storage.repositories import dialect_insert, insert_ignore
from bot.storage.tables import checkins, communities, goals, members


class GoalRepo:
    """A member's goal: their words and its measure in one Fernet token."""

    def __init__(self, engine: AsyncEngine, cipher: ContentCipher) -> None:
        self._engine = engine
        self._writer = writer(engine)
        self._cipher = cipher

    def _where(self, community_id: int, user_id: int) -> Any:
        return (goals.c.community_id == community_id) & (goals.c.user_id == user_id)

    def _stored(self, row: Row[Any]) -> StoredGoal:
        goal = Goal.from_json(self._cipher.unseal(row.content))
        return StoredGoal(row.community_id, row.user_id, goal, row.set_at)

    async def get(self, community_id: int, user_id: int) -> StoredGoal | None:
        async with self._engine.connect() as conn:
            row = (await conn.execute(select(goals).where(self._where(community_id, user_id)))).one_or_none()
        return None if row is None else self._stored(row)

    async def set(self, community_id: int, user_id: int, goal: Goal, now: datetime) -> bool:
        """Keep the member's goal, replacing an earlier one; True when there was one before."""
        token = self._cipher.seal(goal.to_json())

        def write(conn: Connection) -> bool:
            conn.execute(insert_ignore(conn, communities, {"id": community_id, "timezone": "UTC", "created_at": now}))
            conn.execute(
                insert_ignore(conn, members, {"community_id": community_id, "user_id": user_id, "created_at": now})
            )
            stmt = dialect_insert(conn, goals).values(
                community_id=community_id, user_id=user_id, content=token, set_at=now
            )
            # RETURNING rather than rowcount: it says the same on every driver.
            inserted = conn.execute(stmt.on_conflict_do_nothing().returning(goals.c.user_id)).first() is not None
            if not inserted:
                conn.execute(update(goals).where(self._where(community_id, user_id)).values(content=token, set_at=now))
            return not inserted

        return await self._writer.run(write)

    async def clear(self, community_id: int, user_id: int) -> bool:
        """Remove the member's goal; False when there was none."""

        def write(conn: Connection) -> bool:
            return conn.execute(delete(goals).where(self._where(community_id, user_id))).rowcount == 1

        return await self._writer.run(write)

    async def answer_for_day(
        self, community_id: int, user_id: int, day: date, measure: str, answer: int, now: datetime
    ) -> str:
        """Keep one answer to the goal's question in that day's check-in, in one write: "noted", or "goal_changed"
        (no goal now, or one of another measure) or "day_gone" (no check-in that day), which change nothing."""

        def write(conn: Connection) -> str:
            row = conn.execute(select(goals.c.content).where(self._where(community_id, user_id))).one_or_none()
            if row is None or Goal.from_json(self._cipher.unseal(row.content)).measure != measure:
                return "goal_changed"
            key = (
                (checkins.c.community_id == community_id)
                & (checkins.c.user_id == user_id)
                & (checkins.c.local_date == day)
            )
            token = conn.execute(select(checkins.c.content).where(key)).scalar_one_or_none()
            if token is None:
                return "day_gone"
            content = self._cipher.decrypt(token)
            if content.goal != (measure, answer):
                new = self._cipher.encrypt(replace(content, goal=(measure, answer)))
                conn.execute(update(checkins).where(key).values(content=new, updated_at=now))
            return "noted"

        return await self._writer.run(write)

    async def rotate_all(self) -> int:
        """Re-encrypt every goal not under the current key (an operator task over the whole file)."""
        async with self._engine.connect() as conn:
            rows = (await conn.execute(select(goals.c.community_id, goals.c.user_id, goals.c.content))).all()
        stale = [
            (row.community_id, row.user_id, row.content, self._cipher.rotate(row.content))
            for row in rows
            if not self._cipher.is_current(row.content)
        ]
        rewritten = 0
        async with self._writer.begin() as conn:
            for community_id, user_id, old, new in stale:
                result = await conn.execute(
                    update(goals).where(self._where(community_id, user_id), goals.c.content == old).values(content=new)
                )
                rewritten += result.rowcount
        return rewritten
