"""Repository for accountability partners: settings, who opted in, avoid lists, rounds and groups."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Row, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.sharding import EVERYTHING, ShardScope
from bot.storage.engine import writer
from bot.storage.leases import in_scope
from bot.storage.repositories import dialect_insert, ensure_community
from bot.storage.tables import (
    partner_avoid,
    partner_group_members,
    partner_groups,
    partner_members,
    partner_rounds,
    partner_settings,
)

CADENCES = ("weekly", "biweekly")


@dataclass(frozen=True)
class PartnerSettings:
    community_id: int
    channel_id: int | None
    cadence: str
    enabled: bool
    next_round_at: datetime | None


@dataclass(frozen=True)
class PartnerMember:
    community_id: int
    user_id: int
    opted_in: bool
    cadence: str
    paused_from_pairing: bool
    missed_followups: int
    rematch: bool


@dataclass(frozen=True)
class Round:
    id: int
    community_id: int
    number: int
    started_at: datetime
    followup_at: datetime
    followup_sent: bool


@dataclass(frozen=True)
class Group:
    id: int
    round_id: int
    community_id: int
    thread_id: int | None
    manual: bool
    members: tuple[int, ...]
    answers: dict[int, str | None]


def _settings(row: Row[Any]) -> PartnerSettings:
    return PartnerSettings(row.community_id, row.channel_id, row.cadence, bool(row.enabled), row.next_round_at)


def _member(row: Row[Any]) -> PartnerMember:
    return PartnerMember(
        row.community_id,
        row.user_id,
        bool(row.opted_in),
        row.cadence,
        bool(row.paused_from_pairing),
        row.missed_followups,
        bool(row.rematch),
    )


def _round(row: Row[Any]) -> Round:
    return Round(row.id, row.community_id, row.number, row.started_at, row.followup_at, bool(row.followup_sent))


class PartnerRepo:
    """Everything about partner rounds, scoped to one community."""

    def __init__(self, engine: AsyncEngine, shards: ShardScope = EVERYTHING) -> None:
        self._engine = engine
        self._writer = writer(engine)
        self._shards = shards

    # ----- settings ---------------------------------------------------------------------------------

    async def settings(self, community_id: int) -> PartnerSettings:
        stmt = select(partner_settings).where(partner_settings.c.community_id == community_id)
        async with self._engine.connect() as conn:
            row = (await conn.execute(stmt)).one_or_none()
        if row is None:
            return PartnerSettings(community_id, None, "weekly", False, None)
        return _settings(row)

    async def configure(self, community_id: int, at: datetime, **values: Any) -> PartnerSettings:
        async with self._writer.begin() as conn:
            await ensure_community(conn, community_id, "UTC", at)
            stmt = dialect_insert(conn, partner_settings).values(community_id=community_id, **values)
            await conn.execute(
                stmt.on_conflict_do_update(index_elements=[partner_settings.c.community_id], set_=values)
                if values
                else stmt.on_conflict_do_nothing()
            )
        return await self.settings(community_id)

    async def enabled_communities(self) -> list[PartnerSettings]:
        """Communities with partner rounds on, of this process's shards (the timers' source)."""
        owned = in_scope(partner_settings.c.community_id, self._shards)
        stmt = select(partner_settings).where(partner_settings.c.enabled.is_(True), owned)
        async with self._engine.connect() as conn:
            return [_settings(row) for row in (await conn.execute(stmt)).all()]

    # ----- members ----------------------------------------------------------------------------------

    async def member(self, community_id: int, user_id: int) -> PartnerMember | None:
        stmt = select(partner_members).where(
            partner_members.c.community_id == community_id, partner_members.c.user_id == user_id
        )
        async with self._engine.connect() as conn:
            row = (await conn.execute(stmt)).one_or_none()
        return None if row is None else _member(row)

    async def set_member(self, community_id: int, user_id: int, at: datetime, **values: Any) -> PartnerMember:
        async with self._writer.begin() as conn:
            base = {"opted_in": False, "cadence": "weekly", "joined_at": at}
            stmt = dialect_insert(conn, partner_members).values(
                community_id=community_id, user_id=user_id, **{**base, **values}
            )
            await conn.execute(
                stmt.on_conflict_do_update(
                    index_elements=[partner_members.c.community_id, partner_members.c.user_id], set_=values
                )
            )
        member = await self.member(community_id, user_id)
        assert member is not None
        return member

    async def opted_in(self, community_id: int) -> list[PartnerMember]:
        stmt = select(partner_members).where(
            partner_members.c.community_id == community_id,
            partner_members.c.opted_in.is_(True),
            partner_members.c.paused_from_pairing.is_(False),
        )
        async with self._engine.connect() as conn:
            return [_member(row) for row in (await conn.execute(stmt.order_by(partner_members.c.user_id))).all()]

    # ----- avoid lists (confidential) ---------------------------------------------------------------

    async def avoid(self, community_id: int, user_id: int, avoided: int, at: datetime) -> None:
        async with self._writer.begin() as conn:
            stmt = dialect_insert(conn, partner_avoid).values(
                community_id=community_id, user_id=user_id, avoided_user_id=avoided, at=at
            )
            await conn.execute(stmt.on_conflict_do_nothing())

    async def avoid_pairs(self, community_id: int) -> set[frozenset[int]]:
        stmt = select(partner_avoid.c.user_id, partner_avoid.c.avoided_user_id).where(
            partner_avoid.c.community_id == community_id
        )
        async with self._engine.connect() as conn:
            return {frozenset((r.user_id, r.avoided_user_id)) for r in (await conn.execute(stmt)).all()}

    # ----- rounds and groups -------------------------------------------------------------------------

    async def new_round(self, community_id: int, started_at: datetime, followup_at: datetime) -> Round:
        async with self._writer.begin() as conn:
            await ensure_community(conn, community_id, "UTC", started_at)
            last = await conn.scalar(
                select(func.max(partner_rounds.c.number)).where(partner_rounds.c.community_id == community_id)
            )
            stmt = partner_rounds.insert().values(
                community_id=community_id, number=(last or 0) + 1, started_at=started_at, followup_at=followup_at
            )
            row = (await conn.execute(stmt.returning(*partner_rounds.c))).one()
        return _round(row)

    async def rounds(self, community_id: int, limit: int) -> list[Round]:
        """The most recent rounds, newest first."""
        stmt = (
            select(partner_rounds)
            .where(partner_rounds.c.community_id == community_id)
            .order_by(partner_rounds.c.number.desc())
            .limit(limit)
        )
        async with self._engine.connect() as conn:
            return [_round(row) for row in (await conn.execute(stmt)).all()]

    async def mark_followup_sent(self, round_id: int) -> bool:
        async with self._writer.begin() as conn:
            result = await conn.execute(
                update(partner_rounds)
                .where(partner_rounds.c.id == round_id, partner_rounds.c.followup_sent.is_(False))
                .values(followup_sent=True)
            )
        return result.rowcount == 1

    async def add_group(
        self, round_id: int, community_id: int, members: Sequence[int], *, manual: bool = False
    ) -> Group:
        async with self._writer.begin() as conn:
            stmt = partner_groups.insert().values(round_id=round_id, community_id=community_id, manual=manual)
            group_id = (await conn.execute(stmt.returning(partner_groups.c.id))).scalar_one()
            await conn.execute(
                partner_group_members.insert(),
                [{"group_id": group_id, "community_id": community_id, "user_id": m} for m in members],
            )
        return Group(group_id, round_id, community_id, None, manual, tuple(members), dict.fromkeys(members))

    async def set_thread(self, group_id: int, thread_id: int) -> None:
        async with self._writer.begin() as conn:
            await conn.execute(
                update(partner_groups).where(partner_groups.c.id == group_id).values(thread_id=thread_id)
            )

    async def groups(self, round_id: int) -> list[Group]:
        async with self._engine.connect() as conn:
            groups = (await conn.execute(select(partner_groups).where(partner_groups.c.round_id == round_id))).all()
            members = (
                await conn.execute(
                    select(partner_group_members).where(
                        partner_group_members.c.group_id.in_([g.id for g in groups] or [0])
                    )
                )
            ).all()
        by_group: dict[int, list[Row[Any]]] = {}
        for row in members:
            by_group.setdefault(row.group_id, []).append(row)
        return [
            Group(
                g.id,
                g.round_id,
                g.community_id,
                g.thread_id,
                bool(g.manual),
                tuple(sorted(r.user_id for r in by_group.get(g.id, []))),
                {r.user_id: r.answer for r in by_group.get(g.id, [])},
            )
            for g in sorted(groups, key=lambda g: g.id)
        ]

    async def group(self, group_id: int) -> Group | None:
        async with self._engine.connect() as conn:
            row = (await conn.execute(select(partner_groups).where(partner_groups.c.id == group_id))).one_or_none()
        if row is None:
            return None
        return next((g for g in await self.groups(row.round_id) if g.id == group_id), None)

    async def answer(self, group_id: int, user_id: int, answer: str) -> bool:
        async with self._writer.begin() as conn:
            result = await conn.execute(
                update(partner_group_members)
                .where(partner_group_members.c.group_id == group_id, partner_group_members.c.user_id == user_id)
                .values(answer=answer)
            )
        return result.rowcount == 1

    async def remove_from_group(self, group_id: int, user_id: int) -> None:
        async with self._writer.begin() as conn:
            await conn.execute(
                delete(partner_group_members).where(
                    partner_group_members.c.group_id == group_id, partner_group_members.c.user_id == user_id
                )
            )
