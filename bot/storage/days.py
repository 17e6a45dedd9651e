"""Day counters and their milestones: names encrypted, each milestone's note recorded with its outbox row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Row, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.sharding import EVERYTHING, ShardScope
from bot.storage.crypto import ContentCipher
from bot.storage.engine import writer
from bot.storage.leases import in_scope
from bot.storage.outbox import OutboxMessage, insert_message
from bot.storage.repositories import _ensure_member, insert_ignore
from bot.storage.tables import day_counters, day_milestones


@dataclass(frozen=True, repr=False)
class DayCounter:
    """One of a member's counters; `name` is what they called it (decrypted), never logged."""

    id: int
    community_id: int
    user_id: int
    name: str
    start_date: date
    hidden: bool
    next_note_at: datetime | None
    next_milestone: str | None

    def __repr__(self) -> str:
        return f"DayCounter(id={self.id}, <name hidden>)"


@dataclass(frozen=True)
class Milestone:
    """A milestone whose note was recorded; its share button names `id`."""

    id: int
    counter_id: int
    community_id: int
    user_id: int
    milestone: str
    shared_at: datetime | None


@dataclass(frozen=True)
class NoteToSend:
    """A milestone's note, recorded: what to send and the milestone its button shares."""

    counter: DayCounter
    milestone_id: int
    message: OutboxMessage


class DaysRepo:
    """A member's day counters (at most a few each), read whole and compared by name after decryption."""

    def __init__(self, engine: AsyncEngine, cipher: ContentCipher, shards: ShardScope = EVERYTHING) -> None:
        self._engine = engine
        self._writer = writer(engine)
        # Notes are timers: each process keeps those of its own shards' communities.
        self._shards = shards
        self._cipher = cipher

    def _counter(self, row: Row[Any]) -> DayCounter:
        return DayCounter(
            id=row.id,
            community_id=row.community_id,
            user_id=row.user_id,
            name=self._cipher.decrypt_text(row.name),
            start_date=row.start_date,
            hidden=row.hidden,
            next_note_at=row.next_note_at,
            next_milestone=row.next_milestone,
        )

    async def counters(self, community_id: int, user_id: int) -> list[DayCounter]:
        stmt = (
            select(day_counters)
            .where(day_counters.c.community_id == community_id, day_counters.c.user_id == user_id)
            .order_by(day_counters.c.id)
        )
        async with self._engine.connect() as conn:
            return [self._counter(row) for row in (await conn.execute(stmt)).all()]

    async def get(self, counter_id: int) -> DayCounter | None:
        async with self._engine.connect() as conn:
            row = (await conn.execute(select(day_counters).where(day_counters.c.id == counter_id))).first()
        return self._counter(row) if row is not None else None

    async def add(
        self,
        community_id: int,
        user_id: int,
        name: str,
        start: date,
        *,
        next_note_at: datetime | None,
        next_milestone: str | None,
        now: datetime,
    ) -> DayCounter:
        values = {
            "community_id": community_id,
            "user_id": user_id,
            "name": self._cipher.encrypt_text(name),
            "start_date": start,
            "created_at": now,
            "next_note_at": next_note_at,
            "next_milestone": next_milestone,
        }
        async with self._writer.begin() as conn:
            await _ensure_member(conn, community_id, user_id, now)
            row = (await conn.execute(day_counters.insert().values(**values).returning(*day_counters.c))).one()
        return self._counter(row)

    async def restart(
        self, counter_id: int, start: date, *, next_note_at: datetime | None, next_milestone: str | None
    ) -> None:
        """A new start date: the old milestones (and their share buttons) go, the counter shows again."""
        async with self._writer.begin() as conn:
            await conn.execute(delete(day_milestones).where(day_milestones.c.counter_id == counter_id))
            await conn.execute(
                update(day_counters)
                .where(day_counters.c.id == counter_id)
                .values(start_date=start, hidden=False, next_note_at=next_note_at, next_milestone=next_milestone)
            )

    async def set_hidden(
        self, counter_id: int, hidden: bool, *, next_note_at: datetime | None, next_milestone: str | None
    ) -> None:
        async with self._writer.begin() as conn:
            await conn.execute(
                update(day_counters)
                .where(day_counters.c.id == counter_id)
                .values(hidden=hidden, next_note_at=next_note_at, next_milestone=next_milestone)
            )

    async def next_note_at(self) -> datetime | None:
        stmt = select(func.min(day_counters.c.next_note_at)).where(in_scope(day_counters.c.community_id, self._shards))
        async with self._engine.connect() as conn:
            value = (await conn.execute(stmt)).scalar_one_or_none()
        return None if value is None else value if value.tzinfo is not None else value.replace(tzinfo=UTC)

    async def due(self, now: datetime, limit: int = 500) -> list[DayCounter]:
        stmt = (
            select(day_counters)
            .where(day_counters.c.next_note_at <= now, in_scope(day_counters.c.community_id, self._shards))
            .order_by(day_counters.c.next_note_at, day_counters.c.id)
            .limit(limit)
        )
        async with self._engine.connect() as conn:
            return [self._counter(row) for row in (await conn.execute(stmt)).all()]

    async def record_note(
        self,
        counter: DayCounter,
        *,
        channel_id: int,
        text: str,
        now: datetime,
        give_up_at: datetime,
        next_note_at: datetime | None,
        next_milestone: str | None,
    ) -> NoteToSend | None:
        """In one transaction: move the counter on to its next milestone (only if no one else did), record
        this milestone, and record its note in the outbox. None when it was recorded already."""
        assert counter.next_milestone is not None
        async with self._writer.begin() as conn:
            moved = await conn.execute(
                update(day_counters)
                .where(
                    day_counters.c.id == counter.id,
                    day_counters.c.next_note_at == counter.next_note_at,
                    day_counters.c.start_date == counter.start_date,
                )
                .values(next_note_at=next_note_at, next_milestone=next_milestone)
            )
            if not moved.rowcount:
                return None
            milestone_values = {
                "counter_id": counter.id,
                "community_id": counter.community_id,
                "user_id": counter.user_id,
                "milestone": counter.next_milestone,
                "noted_at": now,
            }
            await conn.execute(insert_ignore(conn, day_milestones, milestone_values))
            milestone_id = await conn.scalar(
                select(day_milestones.c.id).where(
                    day_milestones.c.counter_id == counter.id, day_milestones.c.milestone == counter.next_milestone
                )
            )
            message = await insert_message(
                conn,
                self._cipher,
                counter.community_id,
                "milestone",
                channel_id,
                text,
                now=now,
                give_up_at=give_up_at,
                group_id=milestone_id,
                member_id=counter.user_id,
            )
        return NoteToSend(counter, int(milestone_id), message)

    async def milestone(self, milestone_id: int) -> Milestone | None:
        async with self._engine.connect() as conn:
            row = (await conn.execute(select(day_milestones).where(day_milestones.c.id == milestone_id))).first()
        if row is None:
            return None
        return Milestone(row.id, row.counter_id, row.community_id, row.user_id, row.milestone, row.shared_at)

    async def mark_shared(self, milestone_id: int, now: datetime) -> bool:
        """True for the first share only: a second press never posts twice."""
        async with self._writer.begin() as conn:
            result = await conn.execute(
                update(day_milestones)
                .where(day_milestones.c.id == milestone_id, day_milestones.c.shared_at.is_(None))
                .values(shared_at=now)
            )
        return bool(result.rowcount)

    async def unmark_shared(self, milestone_id: int) -> None:
        """The share could not be posted: the button may be pressed again."""
        async with self._writer.begin() as conn:
            await conn.execute(update(day_milestones).where(day_milestones.c.id == milestone_id).values(shared_at=None))

    async def rotate_all(self) -> int:
        """Re-encrypt every counter name not under the current key (an operator's key rotation)."""
        async with self._engine.connect() as conn:
            rows = (await conn.execute(select(day_counters.c.id, day_counters.c.name))).all()
        stale = [(r.id, r.name) for r in rows if not self._cipher.is_current(r.name)]
        rewritten = 0
        async with self._writer.begin() as conn:
            for row_id, old in stale:
                result = await conn.execute(
                    update(day_counters)
                    .where(day_counters.c.id == row_id, day_counters.c.name == old)
                    .values(name=self._cipher.rotate(old))
                )
                rewritten += result.rowcount
        return rewritten
