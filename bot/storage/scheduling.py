"""Repositories for check-in schedules and the delivery ledger that makes each prompt go out once."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time
from typing import Any

from sqlalchemy import Row, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.sharding import EVERYTHING, ShardScope
from bot.storage.engine import reader, writer
from bot.storage.leases import in_scope
from bot.storage.models import ANSWER_KINDS, DESTINATIONS, VISIBILITIES, Delivery, Schedule
from bot.storage.repositories import dialect_insert, ensure_community
from bot.storage.tables import deliveries, schedules

SCHEDULE_FIELDS = (
    "name",
    "weekdays",
    "local_time",
    "destination",
    "reminder_minutes",
    "daily_thread",
    "question",
    "paused",
    "pause_reason",
    "grace_minutes",
    "answer_kind",
    "visibility",
)


def _weekdays_text(days: Iterable[int]) -> str:
    return ",".join(str(d) for d in sorted(set(days)))


def _schedule(row: Row[Any]) -> Schedule:
    hours, minutes = (int(part) for part in row.local_time.split(":"))
    return Schedule(
        id=row.id,
        community_id=row.community_id,
        name=row.name,
        weekdays=frozenset(int(d) for d in row.weekdays.split(",") if d),
        local_time=time(hours, minutes),
        destination=row.destination,
        reminder_minutes=row.reminder_minutes,
        daily_thread=bool(row.daily_thread),
        question=row.question,
        paused=bool(row.paused),
        pause_reason=row.pause_reason,
        grace_minutes=row.grace_minutes,
        answer_kind=row.answer_kind,
        visibility=row.visibility,
    )


def _stored_values(values: dict[str, Any]) -> dict[str, Any]:
    unknown = set(values) - set(SCHEDULE_FIELDS)
    if unknown:
        raise ValueError(f"unknown schedule fields: {sorted(unknown)}")
    stored = dict(values)
    if "weekdays" in stored:
        stored["weekdays"] = _weekdays_text(stored["weekdays"])
    if "local_time" in stored:
        stored["local_time"] = f"{stored['local_time']:%H:%M}"
    if "destination" in stored and stored["destination"] not in DESTINATIONS:
        raise ValueError(f"destination must be one of {DESTINATIONS}")
    if "answer_kind" in stored and stored["answer_kind"] not in ANSWER_KINDS:
        raise ValueError(f"answer_kind must be one of {ANSWER_KINDS}")
    if "visibility" in stored and stored["visibility"] not in VISIBILITIES:
        raise ValueError(f"visibility must be one of {VISIBILITIES}")
    return stored


class ScheduleRepo:
    """A community's check-in schedules."""

    def __init__(self, engine: AsyncEngine, shards: ShardScope = EVERYTHING) -> None:
        self._engine = engine
        self._writer = writer(engine)
        self._shards = shards

    async def add(self, community_id: int, **values: Any) -> Schedule:
        stored = _stored_values(values)
        now = datetime.now(UTC)
        async with self._writer.begin() as conn:
            await ensure_community(conn, community_id, "UTC", now)
            stmt = dialect_insert(conn, schedules).values(community_id=community_id, created_at=now, **stored)
            row = (await conn.execute(stmt.returning(*schedules.c))).one()
        return _schedule(row)

    async def update(self, schedule_id: int, **values: Any) -> Schedule:
        stored = _stored_values(values)
        async with self._writer.begin() as conn:
            stmt = update(schedules).where(schedules.c.id == schedule_id).values(**stored)
            row = (await conn.execute(stmt.returning(*schedules.c))).one()
        return _schedule(row)

    async def get(self, schedule_id: int) -> Schedule | None:
        statement = select(schedules).where(schedules.c.id == schedule_id)
        row = await reader(self._engine).run(lambda conn: conn.execute(statement).one_or_none())
        return None if row is None else _schedule(row)

    async def by_name(self, community_id: int, name: str) -> Schedule | None:
        stmt = select(schedules).where(schedules.c.community_id == community_id, schedules.c.name == name)
        async with self._engine.connect() as conn:
            row = (await conn.execute(stmt)).one_or_none()
        return None if row is None else _schedule(row)

    async def in_community(self, community_id: int) -> list[Schedule]:
        stmt = select(schedules).where(schedules.c.community_id == community_id).order_by(schedules.c.name)
        rows = await reader(self._engine).run(lambda conn: list(conn.execute(stmt).all()))
        return [_schedule(row) for row in rows]

    async def active(self) -> list[Schedule]:
        """Every unpaused schedule of every community on this process's shards (the scheduler's source of truth)."""
        owned = in_scope(schedules.c.community_id, self._shards)
        stmt = select(schedules).where(schedules.c.paused.is_(False), owned).order_by(schedules.c.id)
        async with self._engine.connect() as conn:
            rows = (await conn.execute(stmt)).all()
        return [_schedule(row) for row in rows]

    async def remove(self, schedule_id: int) -> None:
        async with self._writer.begin() as conn:
            await conn.execute(delete(schedules).where(schedules.c.id == schedule_id))


@dataclass(frozen=True)
class PlannedDelivery:
    """A send about to be attempted: recorded first, so a crash never sends it twice."""

    user_id: int
    nonce: str
    channel_id: int | None = None


@dataclass(frozen=True)
class Outcome:
    """What one attempt did: the new state, where it went, and for a retry when and why."""

    delivery_id: int
    state: str  # sent | retrying | failed | unreachable | skipped
    channel_id: int | None = None
    message_id: int | None = None
    problem: str | None = None
    retry_at: datetime | None = None
    attempted: bool = True


def _delivery(row: Row[Any]) -> Delivery:
    return Delivery(
        id=row.id,
        schedule_id=row.schedule_id,
        community_id=row.community_id,
        user_id=row.user_id,
        occurrence=row.occurrence,
        kind=row.kind,
        state=row.state,
        nonce=row.nonce,
        scheduled_at=row.scheduled_at,
        sent_at=row.sent_at,
        channel_id=row.channel_id,
        message_id=row.message_id,
        attempts=row.attempts,
        reserved_at=row.reserved_at,
        retry_at=row.retry_at,
        give_up_at=row.give_up_at,
        problem=row.problem,
    )


class DeliveryRepo:
    """The ledger of prompts and reminders: one row per (schedule, member, occurrence, kind)."""

    BATCH = 500

    def __init__(self, engine: AsyncEngine, shards: ShardScope = EVERYTHING) -> None:
        self._engine = engine
        self._writer = writer(engine)
        self._shards = shards

    async def reserve(
        self,
        schedule: Schedule,
        occurrence: str,
        kind: str,
        scheduled_at: datetime,
        planned: Sequence[PlannedDelivery],
        *,
        reserved_at: datetime | None = None,
        give_up_at: datetime | None = None,
    ) -> list[Delivery]:
        """Record these sends as pending (existing rows are kept) and return those not yet done.

        A row already 'sent', 'failed' or 'unreachable' is final, and a 'retrying' one belongs to the retry
        timer; a 'pending' one is returned again so it is sent, with the same nonce, after a crash mid-send.
        """
        for start in range(0, len(planned), self.BATCH):
            chunk = planned[start : start + self.BATCH]
            async with self._writer.begin() as conn:
                stmt = dialect_insert(conn, deliveries).values(
                    [
                        {
                            "schedule_id": schedule.id,
                            "community_id": schedule.community_id,
                            "user_id": p.user_id,
                            "occurrence": occurrence,
                            "kind": kind,
                            "state": "pending",
                            "nonce": p.nonce,
                            "scheduled_at": scheduled_at,
                            "channel_id": p.channel_id,
                            "reserved_at": reserved_at,
                            "give_up_at": give_up_at,
                        }
                        for p in chunk
                    ]
                )
                await conn.execute(stmt.on_conflict_do_nothing())
        wanted = {p.user_id for p in planned}
        rows = await self.for_occurrence(schedule.id, occurrence, kind)
        return [r for r in rows if r.user_id in wanted and r.state == "pending"]

    async def for_occurrence(self, schedule_id: int, occurrence: str, kind: str) -> list[Delivery]:
        stmt = select(deliveries).where(
            deliveries.c.schedule_id == schedule_id,
            deliveries.c.occurrence == occurrence,
            deliveries.c.kind == kind,
        )
        async with self._engine.connect() as conn:
            rows = (await conn.execute(stmt.order_by(deliveries.c.user_id))).all()
        return [_delivery(row) for row in rows]

    async def finish(self, outcomes: Sequence[Outcome], at: datetime) -> None:
        """Record what each attempt did; an attempt counts towards the row's tries."""
        for start in range(0, len(outcomes), self.BATCH):
            async with self._writer.begin() as conn:
                for outcome in outcomes[start : start + self.BATCH]:
                    values: dict[str, Any] = {
                        "state": outcome.state,
                        "message_id": outcome.message_id,
                        "problem": outcome.problem,
                        "retry_at": outcome.retry_at,
                    }
                    if outcome.attempted:
                        values["attempts"] = deliveries.c.attempts + 1
                    if outcome.channel_id is not None:
                        values["channel_id"] = outcome.channel_id
                    if outcome.state == "sent":
                        values["sent_at"] = at
                    stmt = update(deliveries).where(deliveries.c.id == outcome.delivery_id).values(**values)
                    await conn.execute(stmt)

    async def due_retries(self, now: datetime, limit: int = 1000) -> list[Delivery]:
        """Rows of this process's shards waiting for another try whose time has come, oldest first."""
        stmt = (
            select(deliveries)
            .where(
                deliveries.c.state == "retrying",
                deliveries.c.retry_at <= now,
                in_scope(deliveries.c.community_id, self._shards),
            )
            .order_by(deliveries.c.retry_at, deliveries.c.id)
            .limit(limit)
        )
        async with self._engine.connect() as conn:
            rows = (await conn.execute(stmt)).all()
        return [_delivery(row) for row in rows]

    async def next_retry_at(self) -> datetime | None:
        stmt = select(func.min(deliveries.c.retry_at)).where(
            deliveries.c.state == "retrying", in_scope(deliveries.c.community_id, self._shards)
        )
        async with self._engine.connect() as conn:
            value = (await conn.execute(stmt)).scalar_one_or_none()
        if value is None:
            return None
        # A bare aggregate loses the column's type on SQLite: restore the zone as the column does.
        return value if value.tzinfo is not None else value.replace(tzinfo=UTC)

    async def recover_pending(self, now: datetime, in_flight: Iterable[int] = ()) -> int:
        """After a restart: sends recorded but never finished (the process died mid-send) join the retries,
        due now. They may have reached Discord, so a late retry looks in the channel first. Only this process's
        shards' rows: another process may be sending its own right now."""
        busy = list(in_flight)
        condition = (
            (deliveries.c.state == "pending")
            & deliveries.c.give_up_at.is_not(None)
            & in_scope(deliveries.c.community_id, self._shards)
        )
        if busy:
            condition &= deliveries.c.id.not_in(busy)
        async with self._writer.begin() as conn:
            result = await conn.execute(
                update(deliveries).where(condition).values(state="retrying", retry_at=now, problem="interrupted")
            )
        return int(result.rowcount or 0)

    async def undelivered_since(self, community_id: int, since: datetime) -> dict[tuple[str, str], int]:
        """(kind, problem) -> how many sends since `since` could not be delivered (counts only)."""
        stmt = (
            select(deliveries.c.kind, deliveries.c.state, deliveries.c.problem, func.count())
            .where(
                deliveries.c.community_id == community_id,
                deliveries.c.scheduled_at >= since,
                deliveries.c.state.in_(("failed", "unreachable")),
            )
            .group_by(deliveries.c.kind, deliveries.c.state, deliveries.c.problem)
        )
        async with self._engine.connect() as conn:
            rows = (await conn.execute(stmt)).all()
        counts: dict[tuple[str, str], int] = {}
        for kind, state, problem, count in rows:
            key = (kind, "unreachable" if state == "unreachable" else problem or "transient")
            counts[key] = counts.get(key, 0) + int(count)
        return counts

    async def pending(self, since: datetime) -> list[Delivery]:
        """Sends recorded but never finished (the bot stopped mid-send), newest first."""
        stmt = select(deliveries).where(deliveries.c.state == "pending", deliveries.c.scheduled_at >= since)
        async with self._engine.connect() as conn:
            rows = (await conn.execute(stmt.order_by(deliveries.c.scheduled_at.desc()))).all()
        return [_delivery(row) for row in rows]

    async def latest_prompt_to(self, user_id: int, channel_id: int) -> Delivery | None:
        """The last prompt sent to this member in this DM channel (to place a DM reply)."""
        stmt = (
            select(deliveries)
            .where(
                deliveries.c.user_id == user_id,
                deliveries.c.kind.in_(("prompt", "reminder")),
                deliveries.c.state == "sent",
                deliveries.c.channel_id == channel_id,
            )
            .order_by(deliveries.c.scheduled_at.desc(), deliveries.c.id.desc())
            .limit(1)
        )
        async with self._engine.connect() as conn:
            row = (await conn.execute(stmt)).one_or_none()
        return None if row is None else _delivery(row)
