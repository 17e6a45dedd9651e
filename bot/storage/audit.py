"""The audit log: what leaders changed or viewed, with who and when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage.engine import writer
from bot.storage.tables import (
    audit_log,
)


@dataclass(frozen=True)
class AuditEntry:
    actor_id: int | None
    action: str
    target_id: int | None
    detail: str | None
    at: datetime


class AuditRepo:
    """What leaders changed or viewed."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._writer = writer(engine)

    async def add(
        self,
        community_id: int,
        actor_id: int | None,
        action: str,
        at: datetime,
        *,
        target_id: int | None = None,
        detail: str | None = None,
    ) -> None:
        async with self._writer.begin() as conn:
            await conn.execute(
                audit_log.insert().values(
                    community_id=community_id,
                    actor_id=actor_id,
                    action=action[:60],
                    target_id=target_id,
                    detail=detail[:200] if detail else None,
                    at=at,
                )
            )

    async def since(self, community_id: int, since: datetime, limit: int = 200) -> list[AuditEntry]:
        stmt = (
            select(audit_log)
            .where(audit_log.c.community_id == community_id, audit_log.c.at >= since)
            .order_by(audit_log.c.at.desc(), audit_log.c.id.desc())
            .limit(limit)
        )
        async with self._engine.connect() as conn:
            rows = (await conn.execute(stmt)).all()
        return [AuditEntry(r.actor_id, r.action, r.target_id, r.detail, r.at) for r in rows]
