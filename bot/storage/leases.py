"""Several processes, one database: which rows a process's shards own, leases for once-only work, re-plan requests."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import BigInteger, ColumnElement, delete, literal_column, select, true, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.sharding import SHARD_SHIFT, ShardScope
from bot.storage.engine import writer
from bot.storage.repositories import dialect_insert
from bot.storage.tables import leases, replan_requests


def in_scope(community_id: Any, scope: ShardScope) -> ColumnElement[bool]:
    """SQL for "this community is on one of the scope's shards" ((id >> 22) % count), or TRUE for all."""
    if not scope.partial:
        return true()
    # The shift's amount is written into the SQL (a constant): PostgreSQL has `bigint >> integer` only.
    shard = community_id.op(">>", return_type=BigInteger)(literal_column(str(SHARD_SHIFT))) % scope.count
    return shard.in_(scope.owned)


class LeaseRepo:
    """Named leases: `acquire` succeeds for one holder at a time until the lease expires or is released."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._writer = writer(engine)

    async def acquire(self, name: str, holder: str, now: datetime, ttl: timedelta) -> bool:
        """Take the lease (or renew it, when `holder` has it) until now + ttl; False while another holds it."""
        until = now + ttl
        async with self._writer.begin() as conn:
            stmt = dialect_insert(conn, leases).values(name=name, holder=holder, expires_at=until)
            inserted = await conn.execute(stmt.on_conflict_do_nothing())
            if inserted.rowcount == 1:
                return True
            # Taken over only when expired (its holder died or forgot): the WHERE is checked under the row's
            # lock, so of two processes racing for an expired lease one updates it and the other finds it held.
            result = await conn.execute(
                update(leases)
                .where(leases.c.name == name, (leases.c.expires_at <= now) | (leases.c.holder == holder))
                .values(holder=holder, expires_at=until)
            )
            return result.rowcount == 1

    async def release(self, name: str, holder: str) -> None:
        async with self._writer.begin() as conn:
            await conn.execute(delete(leases).where(leases.c.name == name, leases.c.holder == holder))

    async def holder(self, name: str, now: datetime) -> str | None:
        stmt = select(leases.c.holder).where(leases.c.name == name, leases.c.expires_at > now)
        async with self._engine.connect() as conn:
            value = await conn.scalar(stmt)
        return None if value is None else str(value)


class ReplanRepo:
    """Communities whose timers another process must plan again (it runs their shard, this one does not)."""

    def __init__(self, engine: AsyncEngine, scope: ShardScope) -> None:
        self._engine = engine
        self._writer = writer(engine)
        self._scope = scope

    async def request(self, community_id: int, kinds: Iterable[str], at: datetime) -> None:
        wanted = set(kinds)
        async with self._writer.begin() as conn:
            existing = await conn.scalar(
                select(replan_requests.c.kinds).where(replan_requests.c.community_id == community_id)
            )
            if existing is not None:
                wanted |= set(str(existing).split(","))
            text = ",".join(sorted(wanted))
            stmt = dialect_insert(conn, replan_requests).values(community_id=community_id, kinds=text, requested_at=at)
            await conn.execute(
                stmt.on_conflict_do_update(
                    index_elements=[replan_requests.c.community_id], set_={"kinds": text, "requested_at": at}
                )
            )

    async def take(self) -> dict[int, tuple[str, ...]]:
        """The requests for this process's shards, removed as they are read: community id -> kinds."""
        async with self._writer.begin() as conn:
            rows = (
                await conn.execute(
                    select(replan_requests.c.community_id, replan_requests.c.kinds).where(
                        in_scope(replan_requests.c.community_id, self._scope)
                    )
                )
            ).all()
            if rows:
                await conn.execute(
                    delete(replan_requests).where(replan_requests.c.community_id.in_([r[0] for r in rows]))
                )
        return {int(r[0]): tuple(str(r[1]).split(",")) for r in rows}
