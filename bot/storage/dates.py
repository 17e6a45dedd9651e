"""Hard dates: a member's private ones (label encrypted) and a community's, with the eve's note for members."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Row, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.sharding import EVERYTHING, ShardScope
from bot.storage.crypto import ContentCipher
from bot.storage.engine import writer
from bot.storage.leases import in_scope
from bot.storage.outbox import OutboxMessage, insert_message
from bot.storage.repositories import _ensure_member, ensure_community
from bot.storage.tables import hard_dates


@dataclass(frozen=True, repr=False)
class HardDate:
    """One hard date; `user_id` None for a community's. `label` is decrypted, and never logged."""

    id: int
    community_id: int
    user_id: int | None
    label: str
    kind: str
    month: int
    day: int
    year: int | None
    next_note_at: datetime | None

    def __repr__(self) -> str:
        return f"HardDate(id={self.id}, <label hidden>)"


class DatesRepo:
    """Hard dates, read per member or per community (a handful each)."""

    def __init__(self, engine: AsyncEngine, cipher: ContentCipher, shards: ShardScope = EVERYTHING) -> None:
        self._engine = engine
        self._writer = writer(engine)
        # Notes are timers: each process keeps those of its own shards' communities.
        self._shards = shards
        self._cipher = cipher

    def _date(self, row: Row[Any]) -> HardDate:
        return HardDate(
            id=row.id,
            community_id=row.community_id,
            user_id=row.user_id,
            label=self._cipher.decrypt_text(row.label),
            kind=row.kind,
            month=row.month,
            day=row.day,
            year=row.year,
            next_note_at=row.next_note_at,
        )

    async def of_member(self, community_id: int, user_id: int | None) -> list[HardDate]:
        """A member's dates, or the community's own when `user_id` is None."""
        owner = hard_dates.c.user_id.is_(None) if user_id is None else hard_dates.c.user_id == user_id
        stmt = (
            select(hard_dates)
            .where(hard_dates.c.community_id == community_id, owner)
            .order_by(hard_dates.c.month, hard_dates.c.day, hard_dates.c.id)
        )
        async with self._engine.connect() as conn:
            return [self._date(row) for row in (await conn.execute(stmt)).all()]

    async def add(
        self,
        community_id: int,
        user_id: int | None,
        label: str,
        kind: str,
        month: int,
        day: int,
        year: int | None,
        *,
        next_note_at: datetime | None,
        now: datetime,
    ) -> HardDate:
        values = {
            "community_id": community_id,
            "user_id": user_id,
            "label": self._cipher.encrypt_text(label),
            "kind": kind,
            "month": month,
            "day": day,
            "year": year,
            "created_at": now,
            "next_note_at": next_note_at,
        }
        async with self._writer.begin() as conn:
            if user_id is None:
                await ensure_community(conn, community_id, "UTC", now)
            else:
                await _ensure_member(conn, community_id, user_id, now)
            row = (await conn.execute(hard_dates.insert().values(**values).returning(*hard_dates.c))).one()
        return self._date(row)

    async def remove(self, community_id: int, user_id: int | None, date_id: int) -> bool:
        owner = hard_dates.c.user_id.is_(None) if user_id is None else hard_dates.c.user_id == user_id
        async with self._writer.begin() as conn:
            result = await conn.execute(
                delete(hard_dates).where(hard_dates.c.id == date_id, hard_dates.c.community_id == community_id, owner)
            )
        return bool(result.rowcount)

    async def next_note_at(self) -> datetime | None:
        async with self._engine.connect() as conn:
            stmt = select(func.min(hard_dates.c.next_note_at)).where(in_scope(hard_dates.c.community_id, self._shards))
            value = (await conn.execute(stmt)).scalar_one_or_none()
        return None if value is None else value if value.tzinfo is not None else value.replace(tzinfo=UTC)

    async def due(self, now: datetime, limit: int = 500) -> list[HardDate]:
        stmt = (
            select(hard_dates)
            .where(hard_dates.c.next_note_at <= now, in_scope(hard_dates.c.community_id, self._shards))
            .order_by(hard_dates.c.next_note_at, hard_dates.c.id)
            .limit(limit)
        )
        async with self._engine.connect() as conn:
            return [self._date(row) for row in (await conn.execute(stmt)).all()]

    async def move_on(self, hard_date: HardDate, next_note_at: datetime | None) -> bool:
        async with self._writer.begin() as conn:
            result = await conn.execute(
                update(hard_dates)
                .where(hard_dates.c.id == hard_date.id, hard_dates.c.next_note_at == hard_date.next_note_at)
                .values(next_note_at=next_note_at)
            )
        return bool(result.rowcount)

    async def record_note(
        self,
        hard_date: HardDate,
        *,
        channel_id: int,
        text: str,
        group_id: int | None,
        now: datetime,
        give_up_at: datetime,
        next_note_at: datetime | None,
    ) -> OutboxMessage | None:
        """In one transaction: move the date on to its next eve (only if no one else did) and record the note
        in the outbox (its text encrypted). None when it was recorded already."""
        assert hard_date.user_id is not None
        async with self._writer.begin() as conn:
            moved = await conn.execute(
                update(hard_dates)
                .where(hard_dates.c.id == hard_date.id, hard_dates.c.next_note_at == hard_date.next_note_at)
                .values(next_note_at=next_note_at)
            )
            if not moved.rowcount:
                return None
            return await insert_message(
                conn,
                self._cipher,
                hard_date.community_id,
                "hardday",
                channel_id,
                text,
                now=now,
                give_up_at=give_up_at,
                group_id=group_id,
                member_id=hard_date.user_id,
            )

    async def rotate_all(self) -> int:
        """Re-encrypt every label not under the current key (an operator's key rotation)."""
        async with self._engine.connect() as conn:
            rows = (await conn.execute(select(hard_dates.c.id, hard_dates.c.label))).all()
        stale = [(r.id, r.label) for r in rows if not self._cipher.is_current(r.label)]
        rewritten = 0
        async with self._writer.begin() as conn:
            for row_id, old in stale:
                result = await conn.execute(
                    update(hard_dates)
                    .where(hard_dates.c.id == row_id, hard_dates.c.label == old)
                    .values(label=self._cipher.rotate(old))
                )
                rewritten += result.rowcount
        return rewritten
