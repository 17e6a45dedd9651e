"""Repositories for coping tips (views, feedback, communities' own), community links and support requests."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, delete, func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage.engine import writer
from bot.storage.repositories import dialect_insert, ensure_community
from bot.storage.tables import community_links, community_tips, support_requests, tip_feedback, tip_views

VERDICTS = ("helped", "not_for_me")


@dataclass(frozen=True)
class CustomTip:
    """A tip a community's leaders wrote themselves."""

    id: int
    community_id: int
    title: str
    body: str
    situation: str | None


@dataclass(frozen=True)
class CommunityLink:
    id: int
    community_id: int
    name: str
    url: str


class TipRepo:
    """What each member was shown and what they thought of it, per community."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._writer = writer(engine)

    async def record_view(self, community_id: int, user_id: int, situation: str, tip_id: str, at: datetime) -> None:
        stmt = tip_views.insert().values(
            community_id=community_id, user_id=user_id, situation=situation, tip_id=tip_id, shown_at=at
        )
        # One statement: a write function, batched with the check-in burst it is usually part of.
        await self._writer.run(lambda conn: conn.execute(stmt))

    async def pick(
        self,
        community_id: int,
        user_id: int,
        situation: str,
        at: datetime,
        choose: Callable[[list[CustomTip], Callable[[int], list[str]], dict[str, str]], str | None],
    ) -> str | None:
        """Choose a tip and record it as shown, in one write: `choose(custom tips, seen, feedback)` gets the
        community's own tips, the member's last `n` tips seen for `situation` (`seen(n)`, oldest first) and
        their feedback, and returns the chosen tip's id (or None). Three reads and a write were four trips
        per check-in in a burst; this is one, batched with the check-ins. `choose` runs in the writer thread."""

        def write(conn: Connection) -> str | None:
            custom = [
                _custom(row)
                for row in conn.execute(
                    select(community_tips)
                    .where(community_tips.c.community_id == community_id)
                    .order_by(community_tips.c.id)
                )
            ]
            feedback = {
                row.tip_id: row.verdict
                for row in conn.execute(
                    select(tip_feedback.c.tip_id, tip_feedback.c.verdict).where(
                        tip_feedback.c.community_id == community_id, tip_feedback.c.user_id == user_id
                    )
                )
            }

            def seen(limit: int) -> list[str]:
                newest_first = list(conn.scalars(self._seen(community_id, user_id, situation, limit)))
                return newest_first[::-1]

            tip_id = choose(custom, seen, feedback)
            if tip_id is not None:
                conn.execute(
                    tip_views.insert().values(
                        community_id=community_id, user_id=user_id, situation=situation, tip_id=tip_id, shown_at=at
                    )
                )
            return tip_id

        return await self._writer.run(write)

    @staticmethod
    def _seen(community_id: int, user_id: int, situation: str, limit: int) -> Any:
        return (
            select(tip_views.c.tip_id)
            .where(
                tip_views.c.community_id == community_id,
                tip_views.c.user_id == user_id,
                tip_views.c.situation == situation,
            )
            .order_by(tip_views.c.id.desc())
            .limit(limit)
        )

    async def seen(self, community_id: int, user_id: int, situation: str, limit: int) -> list[str]:
        """Tip ids this member was shown for this situation, oldest first (the last `limit`)."""
        stmt = self._seen(community_id, user_id, situation, limit)
        async with self._engine.connect() as conn:
            newest_first = list(await conn.scalars(stmt))
        return newest_first[::-1]

    async def set_feedback(self, community_id: int, user_id: int, tip_id: str, verdict: str, at: datetime) -> None:
        if verdict not in VERDICTS:
            raise ValueError(f"verdict must be one of {VERDICTS}")
        async with self._writer.begin() as conn:
            stmt = dialect_insert(conn, tip_feedback).values(
                community_id=community_id, user_id=user_id, tip_id=tip_id, verdict=verdict, at=at
            )
            await conn.execute(
                stmt.on_conflict_do_update(
                    index_elements=[tip_feedback.c.community_id, tip_feedback.c.user_id, tip_feedback.c.tip_id],
                    set_={"verdict": verdict, "at": at},
                )
            )

    async def feedback(self, community_id: int, user_id: int) -> dict[str, str]:
        """tip id -> verdict, for this member in this community."""
        stmt = select(tip_feedback.c.tip_id, tip_feedback.c.verdict).where(
            tip_feedback.c.community_id == community_id, tip_feedback.c.user_id == user_id
        )
        async with self._engine.connect() as conn:
            return {row.tip_id: row.verdict for row in (await conn.execute(stmt)).all()}

    async def add_custom(
        self, community_id: int, title: str, body: str, situation: str | None, at: datetime
    ) -> CustomTip:
        async with self._writer.begin() as conn:
            await ensure_community(conn, community_id, "UTC", at)
            stmt = community_tips.insert().values(
                community_id=community_id, title=title, body=body, situation=situation, created_at=at
            )
            row = (await conn.execute(stmt.returning(*community_tips.c))).one()
        return _custom(row)

    async def custom(self, community_id: int) -> list[CustomTip]:
        stmt = select(community_tips).where(community_tips.c.community_id == community_id).order_by(community_tips.c.id)
        async with self._engine.connect() as conn:
            return [_custom(row) for row in (await conn.execute(stmt)).all()]

    async def remove_custom(self, community_id: int, tip_id: int) -> bool:
        async with self._writer.begin() as conn:
            result = await conn.execute(
                delete(community_tips).where(
                    community_tips.c.community_id == community_id, community_tips.c.id == tip_id
                )
            )
        return result.rowcount == 1


def _custom(row: Row[Any]) -> CustomTip:
    return CustomTip(row.id, row.community_id, row.title, row.body, row.situation)


class LinkRepo:
    """A community's own links, shown with `/resources`."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._writer = writer(engine)

    async def add(self, community_id: int, name: str, url: str, at: datetime) -> CommunityLink:
        async with self._writer.begin() as conn:
            await ensure_community(conn, community_id, "UTC", at)
            stmt = community_links.insert().values(community_id=community_id, name=name, url=url, created_at=at)
            row = (await conn.execute(stmt.returning(*community_links.c))).one()
        return CommunityLink(row.id, row.community_id, row.name, row.url)

    async def in_community(self, community_id: int) -> list[CommunityLink]:
        stmt = (
            select(community_links).where(community_links.c.community_id == community_id).order_by(community_links.c.id)
        )
        async with self._engine.connect() as conn:
            return [CommunityLink(r.id, r.community_id, r.name, r.url) for r in (await conn.execute(stmt)).all()]

    async def remove(self, community_id: int, link_id: int) -> bool:
        async with self._writer.begin() as conn:
            result = await conn.execute(
                delete(community_links).where(
                    community_links.c.community_id == community_id, community_links.c.id == link_id
                )
            )
        return result.rowcount == 1


class SupportRepo:
    """Members who asked for a peer leader to know they could use support (who and when only)."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._writer = writer(engine)

    async def add(self, community_id: int, user_id: int, at: datetime, *, alerted: bool) -> None:
        async with self._writer.begin() as conn:
            await conn.execute(
                support_requests.insert().values(community_id=community_id, user_id=user_id, at=at, alerted=alerted)
            )

    async def last_alerted(self, community_id: int, user_id: int) -> datetime | None:
        stmt = select(func.max(support_requests.c.at)).where(
            support_requests.c.community_id == community_id,
            support_requests.c.user_id == user_id,
            support_requests.c.alerted.is_(True),
        )
        async with self._engine.connect() as conn:
            value = await conn.scalar(stmt)
        return value
