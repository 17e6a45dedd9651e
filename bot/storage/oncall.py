"""Repositories for leaders on duty: settings, by-hand duty, the weekly rota, and routed support requests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Row, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.sharding import EVERYTHING, ShardScope
from bot.storage.engine import writer
from bot.storage.leases import in_scope
from bot.storage.repositories import dialect_insert
from bot.storage.tables import oncall_duty, oncall_pages, oncall_requests, oncall_rota, oncall_settings

DEFAULT_MINUTES = 15


@dataclass(frozen=True)
class Duty:
    """A leader's own word: on duty (until `until`, or until they say off), or off until `until`."""

    community_id: int
    user_id: int
    on_duty: bool
    until: datetime | None


@dataclass(frozen=True)
class RotaRow:
    """One weekly rota slot as stored: local wall-clock minutes, days it starts on."""

    id: int
    community_id: int
    user_id: int
    weekdays: frozenset[int]
    start_minute: int
    end_minute: int


@dataclass(frozen=True)
class SupportCall:
    """A member's request for support, routed to the leaders on duty (who asked and when, never why)."""

    id: int
    community_id: int
    member_id: int
    created_at: datetime
    deadline_at: datetime
    state: str  # waiting | taken | unanswered
    taken_by: int | None


def _call(row: Row[Any]) -> SupportCall:
    return SupportCall(
        row.id, row.community_id, row.member_id, row.created_at, row.deadline_at, row.state, row.taken_by
    )


def _rota(row: Row[Any]) -> RotaRow:
    days = frozenset(int(day) for day in row.weekdays.split(",") if day)
    return RotaRow(row.id, row.community_id, row.user_id, days, row.start_minute, row.end_minute)


class OncallRepo:
    """Who is on duty in each community, and the support requests sent to them."""

    def __init__(self, engine: AsyncEngine, shards: ShardScope = EVERYTHING) -> None:
        self._engine = engine
        self._writer = writer(engine)
        # Deadlines are timers: each process keeps those of its own shards' communities.
        self._shards = shards

    # ----- settings ---------------------------------------------------------------------------------

    async def minutes(self, community_id: int) -> int:
        stmt = select(oncall_settings.c.minutes).where(oncall_settings.c.community_id == community_id)
        async with self._engine.connect() as conn:
            value = await conn.scalar(stmt)
        return DEFAULT_MINUTES if value is None else int(value)

    async def set_minutes(self, community_id: int, minutes: int) -> None:
        async with self._writer.begin() as conn:
            stmt = dialect_insert(conn, oncall_settings).values(community_id=community_id, minutes=minutes)
            await conn.execute(
                stmt.on_conflict_do_update(index_elements=[oncall_settings.c.community_id], set_={"minutes": minutes})
            )

    # ----- duty by hand -------------------------------------------------------------------------------

    async def set_duty(
        self, community_id: int, user_id: int, *, on_duty: bool, until: datetime | None, at: datetime
    ) -> None:
        values = {"on_duty": on_duty, "until": until, "at": at}
        async with self._writer.begin() as conn:
            stmt = dialect_insert(conn, oncall_duty).values(community_id=community_id, user_id=user_id, **values)
            await conn.execute(
                stmt.on_conflict_do_update(
                    index_elements=[oncall_duty.c.community_id, oncall_duty.c.user_id], set_=values
                )
            )

    async def clear_duty(self, community_id: int, user_id: int) -> None:
        async with self._writer.begin() as conn:
            await conn.execute(
                delete(oncall_duty).where(oncall_duty.c.community_id == community_id, oncall_duty.c.user_id == user_id)
            )

    async def duties(self, community_id: int) -> list[Duty]:
        stmt = select(oncall_duty).where(oncall_duty.c.community_id == community_id)
        async with self._engine.connect() as conn:
            rows = (await conn.execute(stmt)).all()
        return [Duty(r.community_id, r.user_id, bool(r.on_duty), r.until) for r in rows]

    # ----- the rota -----------------------------------------------------------------------------------

    async def add_slot(
        self, community_id: int, user_id: int, weekdays: frozenset[int], start: int, end: int, at: datetime
    ) -> RotaRow:
        values = {
            "community_id": community_id,
            "user_id": user_id,
            "weekdays": ",".join(str(day) for day in sorted(weekdays)),
            "start_minute": start,
            "end_minute": end,
            "created_at": at,
        }
        async with self._writer.begin() as conn:
            row = (await conn.execute(oncall_rota.insert().values(**values).returning(*oncall_rota.c))).one()
        return _rota(row)

    async def slots(self, community_id: int) -> list[RotaRow]:
        stmt = select(oncall_rota).where(oncall_rota.c.community_id == community_id).order_by(oncall_rota.c.id)
        async with self._engine.connect() as conn:
            return [_rota(row) for row in (await conn.execute(stmt)).all()]

    async def remove_slot(self, community_id: int, slot_id: int) -> bool:
        async with self._writer.begin() as conn:
            result = await conn.execute(
                delete(oncall_rota).where(oncall_rota.c.community_id == community_id, oncall_rota.c.id == slot_id)
            )
        return result.rowcount == 1

    # ----- support requests ---------------------------------------------------------------------------

    async def open_call(
        self, community_id: int, member_id: int, leaders: list[int], at: datetime, deadline: datetime
    ) -> SupportCall:
        """Record the request and the leaders it goes to, in one transaction, before anyone is messaged."""
        async with self._writer.begin() as conn:
            row = (
                await conn.execute(
                    oncall_requests.insert()
                    .values(
                        community_id=community_id,
                        member_id=member_id,
                        created_at=at,
                        deadline_at=deadline,
                        state="waiting",
                    )
                    .returning(*oncall_requests.c)
                )
            ).one()
            for leader_id in sorted(set(leaders)):
                await conn.execute(
                    oncall_pages.insert().values(request_id=row.id, community_id=community_id, leader_id=leader_id)
                )
        return _call(row)

    async def call(self, call_id: int) -> SupportCall | None:
        async with self._engine.connect() as conn:
            row = (await conn.execute(select(oncall_requests).where(oncall_requests.c.id == call_id))).first()
        return None if row is None else _call(row)

    async def paged(self, call_id: int) -> set[int]:
        stmt = select(oncall_pages.c.leader_id).where(oncall_pages.c.request_id == call_id)
        async with self._engine.connect() as conn:
            return set(await conn.scalars(stmt))

    async def take(self, call_id: int, leader_id: int, at: datetime) -> bool:
        """Whether this press took the request: only the first press of a paged leader does."""
        async with self._writer.begin() as conn:
            result = await conn.execute(
                update(oncall_requests)
                .where(oncall_requests.c.id == call_id, oncall_requests.c.taken_by.is_(None))
                .values(state="taken", taken_by=leader_id, taken_at=at)
            )
        return result.rowcount == 1

    async def give_up(self, call_id: int) -> None:
        """No leader could be messaged: the request is unanswered from the start (no timer waits for it)."""
        async with self._writer.begin() as conn:
            await conn.execute(
                update(oncall_requests)
                .where(oncall_requests.c.id == call_id, oncall_requests.c.state == "waiting")
                .values(state="unanswered")
            )

    async def expire_due(self, now: datetime) -> list[SupportCall]:
        """Requests whose minutes ran out untaken, each marked unanswered exactly once (even if two
        processes look at the same moment)."""
        stmt = select(oncall_requests).where(
            oncall_requests.c.state == "waiting",
            oncall_requests.c.deadline_at <= now,
            in_scope(oncall_requests.c.community_id, self._shards),
        )
        expired: list[SupportCall] = []
        async with self._writer.begin() as conn:
            for row in (await conn.execute(stmt.order_by(oncall_requests.c.deadline_at))).all():
                result = await conn.execute(
                    update(oncall_requests)
                    .where(oncall_requests.c.id == row.id, oncall_requests.c.state == "waiting")
                    .values(state="unanswered")
                )
                if result.rowcount == 1:
                    expired.append(_call(row))
        return expired

    async def next_deadline(self) -> datetime | None:
        stmt = select(func.min(oncall_requests.c.deadline_at)).where(
            oncall_requests.c.state == "waiting", in_scope(oncall_requests.c.community_id, self._shards)
        )
        async with self._engine.connect() as conn:
            value = await conn.scalar(stmt)
        if value is None:
            return None
        return value if value.tzinfo is not None else value.replace(tzinfo=UTC)
