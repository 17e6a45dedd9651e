"""Repositories: every SQL statement the bot runs, each scoped to one community."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Insert, Row, Table, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.storage.crypto import ContentCipher
from bot.storage.engine import reader, writer
from bot.storage.models import CheckinContent, CheckinWrite, Community, DayCheckin, Member, SaveResult, StoredCheckin
from bot.storage.tables import bot_meta, checkins, communities, members
from bot.storage.writes import WriteConnection

_CHECKIN_DAY_KEY = [checkins.c.community_id, checkins.c.user_id, checkins.c.local_date]

# A member deleted (e.g. /forget) between our insert and update can make a save miss its row;
# retrying is then correct, but never forever.
_SAVE_ATTEMPTS = 5


def dialect_insert(conn: WriteConnection | Connection, table: Table) -> Any:
    """The dialect's INSERT, which (unlike the generic one) knows ON CONFLICT."""
    name = conn.dialect.name
    if name == "sqlite":
        return sqlite.insert(table)
    if name == "postgresql":
        return postgresql.insert(table)
    raise NotImplementedError(f"unsupported database dialect {name!r}")


def insert_ignore(conn: WriteConnection | Connection, table: Table, values: dict[str, Any]) -> Insert:
    stmt: Insert = dialect_insert(conn, table).values(**values).on_conflict_do_nothing()
    return stmt


def _now() -> datetime:
    return datetime.now(UTC)


def _community(row: Row[Any]) -> Community:
    return Community(
        id=row.id,
        timezone=row.timezone,
        created_at=row.created_at,
        checkin_channel_id=row.checkin_channel_id,
        alert_channel_id=row.alert_channel_id,
        leader_role_id=row.leader_role_id,
        region=row.region,
        setup_at=row.setup_at,
        retention_days=row.retention_days,
    )


def _member(row: Row[Any]) -> Member:
    return Member(
        community_id=row.community_id,
        user_id=row.user_id,
        timezone=row.timezone,
        privacy_notice_seen=row.privacy_notice_seen_at is not None,
        created_at=row.created_at,
        dm_prompts=bool(row.dm_prompts),
        reminders=bool(row.reminders),
        paused_until=row.paused_until,
        dm_channel_id=row.dm_channel_id,
        unreachable_at=row.unreachable_at,
        quiet_days=row.quiet_days,
        left_at=row.left_at,
        share_mood=bool(row.share_mood),
        language=row.language,
    )


COMMUNITY_SETTINGS = (
    "timezone",
    "checkin_channel_id",
    "alert_channel_id",
    "leader_role_id",
    "region",
    "setup_at",
    "retention_days",
)
MEMBER_SETTINGS = (
    "timezone",
    "dm_prompts",
    "reminders",
    "paused_until",
    "dm_channel_id",
    "unreachable_at",
    "quiet_days",
    "left_at",
    "share_mood",
)


async def ensure_community(conn: WriteConnection, community_id: int, timezone: str, now: datetime) -> None:
    await conn.execute(insert_ignore(conn, communities, {"id": community_id, "timezone": timezone, "created_at": now}))


async def _ensure_member(conn: WriteConnection, community_id: int, user_id: int, now: datetime) -> None:
    await ensure_community(conn, community_id, "UTC", now)
    await conn.execute(
        insert_ignore(conn, members, {"community_id": community_id, "user_id": user_id, "created_at": now})
    )


class CommunityRepo:
    """Communities (Discord servers) and their settings."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._writer = writer(engine)

    async def ensure(self, community_id: int, *, timezone: str = "UTC", now: datetime | None = None) -> Community:
        """Return the community, creating it if missing; an existing one keeps its timezone."""
        async with self._writer.begin() as conn:
            # Insert-or-ignore then read: two callers racing both end up with the same row.
            await ensure_community(conn, community_id, timezone, now or _now())
            row = (await conn.execute(select(communities).where(communities.c.id == community_id))).one()
        return _community(row)

    async def get(self, community_id: int) -> Community | None:
        async with self._engine.connect() as conn:
            row = (await conn.execute(select(communities).where(communities.c.id == community_id))).one_or_none()
        return None if row is None else _community(row)

    async def set_timezone(self, community_id: int, timezone: str) -> Community:
        """Set the community's timezone (an IANA name the caller has validated), creating it if missing."""
        async with self._writer.begin() as conn:
            await ensure_community(conn, community_id, timezone, _now())
            row = (
                await conn.execute(
                    update(communities)
                    .where(communities.c.id == community_id)
                    .values(timezone=timezone)
                    .returning(*communities.c)
                )
            ).one()
        return _community(row)

    async def configure(self, community_id: int, **settings: Any) -> Community:
        """Change some of the community's `/setup` settings (names in COMMUNITY_SETTINGS)."""
        unknown = set(settings) - set(COMMUNITY_SETTINGS)
        if unknown:
            raise ValueError(f"unknown community settings: {sorted(unknown)}")
        if not settings:
            # Re-running /setup with only a new prompt time changes the schedule, not the community;
            # an UPDATE with nothing to set is not SQL.
            return await self.ensure(community_id)
        async with self._writer.begin() as conn:
            await ensure_community(conn, community_id, "UTC", _now())
            stmt = update(communities).where(communities.c.id == community_id)
            row = (await conn.execute(stmt.values(**settings).returning(*communities.c))).one()
        return _community(row)

    async def all(self) -> list[Community]:
        async with self._engine.connect() as conn:
            rows = (await conn.execute(select(communities).order_by(communities.c.id))).all()
        return [_community(row) for row in rows]


class MemberRepo:
    """Members of a community and their own settings."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._writer = writer(engine)

    def _where(self, community_id: int, user_id: int) -> Any:
        return (members.c.community_id == community_id) & (members.c.user_id == user_id)

    async def ensure(self, community_id: int, user_id: int, *, now: datetime | None = None) -> Member:
        """Return the member, creating them (and their community) if missing."""
        at = now or _now()

        # A write function (one trip to the writer), as it comes with nearly every command.
        def write(conn: Connection) -> Member:
            conn.execute(insert_ignore(conn, communities, {"id": community_id, "timezone": "UTC", "created_at": at}))
            conn.execute(
                insert_ignore(conn, members, {"community_id": community_id, "user_id": user_id, "created_at": at})
            )
            return _member(conn.execute(select(members).where(self._where(community_id, user_id))).one())

        return await self._writer.run(write)

    async def get(self, community_id: int, user_id: int) -> Member | None:
        statement = select(members).where(self._where(community_id, user_id))
        row = await reader(self._engine).run(lambda conn: conn.execute(statement).one_or_none())
        return None if row is None else _member(row)

    async def mark_privacy_notice_seen(self, community_id: int, user_id: int, at: datetime) -> bool:
        """Record that the member saw the privacy notice; True only for the call that recorded it."""

        def write(conn: Connection) -> bool:
            conn.execute(insert_ignore(conn, communities, {"id": community_id, "timezone": "UTC", "created_at": at}))
            conn.execute(
                insert_ignore(conn, members, {"community_id": community_id, "user_id": user_id, "created_at": at})
            )
            # The IS NULL guard makes this a test-and-set: of two racing calls, exactly one wins.
            result = conn.execute(
                update(members)
                .where(self._where(community_id, user_id))
                .where(members.c.privacy_notice_seen_at.is_(None))
                .values(privacy_notice_seen_at=at)
            )
            return result.rowcount == 1

        return await self._writer.run(write)

    async def set_timezone(self, community_id: int, user_id: int, timezone: str | None) -> Member:
        """Set the member's own timezone; None falls back to the community's."""
        async with self._writer.begin() as conn:
            await _ensure_member(conn, community_id, user_id, _now())
            row = (
                await conn.execute(
                    update(members)
                    .where(self._where(community_id, user_id))
                    .values(timezone=timezone)
                    .returning(*members.c)
                )
            ).one()
        return _member(row)

    async def update(self, community_id: int, user_id: int, **settings: Any) -> Member:
        """Change some of the member's own settings (names in MEMBER_SETTINGS)."""
        unknown = set(settings) - set(MEMBER_SETTINGS)
        if unknown:
            raise ValueError(f"unknown member settings: {sorted(unknown)}")
        async with self._writer.begin() as conn:
            await _ensure_member(conn, community_id, user_id, _now())
            stmt = update(members).where(self._where(community_id, user_id)).values(**settings)
            row = (await conn.execute(stmt.returning(*members.c))).one()
        return _member(row)

    async def communities_of(self, user_id: int) -> list[int]:
        """The communities where this person uses Lantern and has not left, the most recent first."""
        stmt = (
            select(members.c.community_id)
            .where(members.c.user_id == user_id, members.c.left_at.is_(None))
            .order_by(members.c.created_at.desc(), members.c.community_id)
        )
        async with self._engine.connect() as conn:
            return [row.community_id for row in (await conn.execute(stmt)).all()]

    async def in_community(self, community_id: int) -> list[Member]:
        async with self._engine.connect() as conn:
            rows = (
                await conn.execute(
                    select(members).where(members.c.community_id == community_id).order_by(members.c.user_id)
                )
            ).all()
        return [_member(row) for row in rows]

    async def dm_recipients(self, community_id: int, at: datetime) -> list[Member]:
        """Members who asked for DM prompts and are neither paused at `at` nor known unreachable."""
        stmt = select(members).where(
            members.c.community_id == community_id,
            members.c.dm_prompts.is_(True),
            members.c.unreachable_at.is_(None),
            (members.c.paused_until.is_(None)) | (members.c.paused_until <= at),
        )
        async with self._engine.connect() as conn:
            rows = (await conn.execute(stmt.order_by(members.c.user_id))).all()
        return [_member(row) for row in rows]

    async def set_dm_channel_everywhere(self, user_id: int, channel_id: int) -> None:
        """A member's DM channel with the bot is the same in every community: cache it for all."""
        async with self._writer.begin() as conn:
            await conn.execute(update(members).where(members.c.user_id == user_id).values(dm_channel_id=channel_id))

    async def language_of_dm_channel(self, channel_id: int) -> str | None:
        """The language last seen from whoever Lantern talks to in this DM channel (for a note's buttons)."""
        stmt = select(members.c.language).where(members.c.dm_channel_id == channel_id, members.c.language.is_not(None))
        async with self._engine.connect() as conn:
            row = (await conn.execute(stmt.limit(1))).first()
        return str(row[0]) if row is not None else None

    async def remember_language_everywhere(self, user_id: int, language: str) -> int:
        """The language of a member's Discord is theirs, not a community's: kept for all their communities.
        Returns how many communities know them (0: none yet, so nothing was kept)."""
        async with self._writer.begin() as conn:
            result = await conn.execute(update(members).where(members.c.user_id == user_id).values(language=language))
        return int(result.rowcount or 0)

    async def mark_unreachable_everywhere(self, user_id: int, at: datetime) -> None:
        """Discord said this member's DMs are closed (50007): stop trying until they come back."""
        async with self._writer.begin() as conn:
            await conn.execute(
                update(members)
                .where(members.c.user_id == user_id, members.c.unreachable_at.is_(None))
                .values(unreachable_at=at)
            )


class CheckinRepo:
    """Daily check-ins; content is encrypted before it reaches SQL and decrypted on the way out."""

    def __init__(self, engine: AsyncEngine, cipher: ContentCipher) -> None:
        self._engine = engine
        self._writer = writer(engine)
        self._cipher = cipher

    def _where(self, community_id: int, user_id: int) -> Any:
        return (checkins.c.community_id == community_id) & (checkins.c.user_id == user_id)

    def _stored(self, row: Row[Any]) -> StoredCheckin:
        return self._stored_with(row, self._cipher.decrypt(row.content))

    async def save_for_day(
        self,
        community_id: int,
        user_id: int,
        local_date: date,
        content: CheckinContent,
        now: datetime,
    ) -> SaveResult:
        """Store the member's check-in for that local day, replacing the day's earlier one if any."""
        token = self._cipher.encrypt(content)
        key = self._where(community_id, user_id) & (checkins.c.local_date == local_date)
        for _ in range(_SAVE_ATTEMPTS):
            async with self._writer.begin() as conn:
                await _ensure_member(conn, community_id, user_id, now)
                # Not one ON CONFLICT DO UPDATE: its RETURNING looks the same for an insert and an
                # update, and created_at == updated_at misreports a second save at the same instant.
                # A conflict-free insert that returns a row is unambiguously the day's first.
                inserted = (
                    await conn.execute(
                        dialect_insert(conn, checkins)
                        .values(
                            community_id=community_id,
                            user_id=user_id,
                            local_date=local_date,
                            created_at=now,
                            updated_at=now,
                            content=token,
                        )
                        .on_conflict_do_nothing(index_elements=_CHECKIN_DAY_KEY)
                        .returning(*checkins.c)
                    )
                ).one_or_none()
                if inserted is not None:
                    return SaveResult(self._stored_with(inserted, content), created=True)
                updated = (
                    await conn.execute(
                        update(checkins).where(key).values(content=token, updated_at=now).returning(*checkins.c)
                    )
                ).one_or_none()
                if updated is not None:
                    return SaveResult(self._stored_with(updated, content), created=False)
        raise RuntimeError("could not save the check-in: the day's row kept changing underneath")

    async def check_in(
        self,
        community_id: int,
        user_id: int,
        now: datetime,
        day_of: Callable[[str], date],
        merge: Callable[[StoredCheckin | None], CheckinContent],
        *,
        mark_notice_seen: bool,
    ) -> CheckinWrite:
        """Save the member's check-in for their local day (`day_of` their timezone) in one write: the
        member's timezone, the day's earlier check-in (`merge` gives what to store, seeing it), the save,
        their check-in days, and (with `mark_notice_seen`) the privacy notice as seen.

        One trip to the writer instead of six, so a burst of check-ins commits in a few batches.
        `day_of` and `merge` run in the writer thread: pure and quick.
        """

        def write(conn: Connection) -> CheckinWrite:
            conn.execute(insert_ignore(conn, communities, {"id": community_id, "timezone": "UTC", "created_at": now}))
            conn.execute(
                insert_ignore(conn, members, {"community_id": community_id, "user_id": user_id, "created_at": now})
            )
            zones = conn.execute(
                select(members.c.timezone, communities.c.timezone.label("community_timezone"))
                .join(communities, communities.c.id == members.c.community_id)
                .where(members.c.community_id == community_id, members.c.user_id == user_id)
            ).one()
            day = day_of(zones.timezone or zones.community_timezone or "UTC")
            key = self._where(community_id, user_id) & (checkins.c.local_date == day)
            old = conn.execute(select(checkins).where(key)).one_or_none()
            previous = None if old is None else self._stored(old)
            content = merge(previous)
            token = self._cipher.encrypt(content)
            if old is None:
                row = conn.execute(
                    dialect_insert(conn, checkins)
                    .values(
                        community_id=community_id,
                        user_id=user_id,
                        local_date=day,
                        created_at=now,
                        updated_at=now,
                        content=token,
                    )
                    .returning(*checkins.c)
                ).one()
            else:
                row = conn.execute(
                    update(checkins).where(key).values(content=token, updated_at=now).returning(*checkins.c)
                ).one()
            saved = SaveResult(self._stored_with(row, content), created=old is None)
            days = list(
                conn.scalars(
                    select(checkins.c.local_date)
                    .where(self._where(community_id, user_id))
                    .order_by(checkins.c.local_date)
                )
            )
            first_use = False
            if mark_notice_seen:
                marked = conn.execute(
                    update(members)
                    .where(members.c.community_id == community_id, members.c.user_id == user_id)
                    .where(members.c.privacy_notice_seen_at.is_(None))
                    .values(privacy_notice_seen_at=now)
                )
                first_use = marked.rowcount == 1
            return CheckinWrite(saved, previous, days, first_use)

        # The writer is the only one writing, so the day's row cannot change between the read and the save.
        return await self._writer.run(write)

    def _stored_with(self, row: Row[Any], content: CheckinContent) -> StoredCheckin:
        # We just encrypted this content ourselves; decrypting it again would only cost time.
        return StoredCheckin(
            id=row.id,
            community_id=row.community_id,
            user_id=row.user_id,
            local_date=row.local_date,
            created_at=row.created_at,
            updated_at=row.updated_at,
            content=content,
        )

    async def todays(self, community_id: int, user_id: int, day_of: Callable[[str], date]) -> StoredCheckin | None:
        """The member's check-in for their local today (`day_of` their timezone), on one connection and
        writing nothing; None for someone Lantern does not know here yet."""
        zones_of = (
            select(members.c.timezone, communities.c.timezone.label("community_timezone"))
            .join(communities, communities.c.id == members.c.community_id)
            .where(members.c.community_id == community_id, members.c.user_id == user_id)
        )

        def read(conn: Connection) -> Row[Any] | None:
            zones = conn.execute(zones_of).one_or_none()
            if zones is None:
                return None
            day = day_of(zones.timezone or zones.community_timezone or "UTC")
            today = self._where(community_id, user_id) & (checkins.c.local_date == day)
            return conn.execute(select(checkins).where(today)).one_or_none()

        # Every form opening asks this: one hand-over to a read thread (bot/storage/reads.py).
        row = await reader(self._engine).run(read)
        return None if row is None else self._stored(row)

    async def get_for_day(self, community_id: int, user_id: int, local_date: date) -> StoredCheckin | None:
        """The member's check-in for one local day, if any."""
        async with self._engine.connect() as conn:
            row = (
                await conn.execute(
                    select(checkins).where(self._where(community_id, user_id), checkins.c.local_date == local_date)
                )
            ).one_or_none()
        return None if row is None else self._stored(row)

    async def recent(
        self,
        community_id: int,
        user_id: int,
        *,
        since: date | None = None,
        limit: int | None = None,
    ) -> list[StoredCheckin]:
        """The member's check-ins, newest first; `since` is an inclusive local date."""
        stmt = select(checkins).where(self._where(community_id, user_id)).order_by(checkins.c.local_date.desc())
        if since is not None:
            stmt = stmt.where(checkins.c.local_date >= since)
        if limit is not None:
            stmt = stmt.limit(limit)
        async with self._engine.connect() as conn:
            rows = (await conn.execute(stmt)).all()
        return [self._stored(row) for row in rows]

    async def history(
        self, community_id: int, user_id: int, day_of: Callable[[str], date], days: int
    ) -> tuple[date, list[DayCheckin], list[date]]:
        """For /history, on one read connection: the member's local today (`day_of` their timezone, else the
        community's), their check-ins of the last `days` days (newest first) and every day they checked in."""
        async with self._engine.connect() as conn:
            member_zone = await conn.scalar(
                select(members.c.timezone).where(members.c.community_id == community_id, members.c.user_id == user_id)
            )
            if member_zone is None:
                member_zone = await conn.scalar(select(communities.c.timezone).where(communities.c.id == community_id))
            today = day_of(member_zone or "UTC")
            since = today - timedelta(days=days - 1)
            # Only the day and the content: ids and timestamps were half the query's time for three years
            # of check-ins (profile of bench.history), and /history shows neither.
            rows = (
                await conn.execute(
                    select(checkins.c.local_date, checkins.c.content)
                    .where(self._where(community_id, user_id), checkins.c.local_date >= since)
                    .order_by(checkins.c.local_date.desc())
                )
            ).all()
            every_day = list(
                await conn.scalars(
                    select(checkins.c.local_date)
                    .where(self._where(community_id, user_id))
                    .order_by(checkins.c.local_date)
                )
            )
        decrypt = self._cipher.decrypt
        return today, [DayCheckin(day, decrypt(token)) for day, token in rows], every_day

    async def days(self, community_id: int, user_id: int) -> list[date]:
        """Every local date the member checked in, ascending (for streaks; no decryption)."""
        async with self._engine.connect() as conn:
            result = await conn.scalars(
                select(checkins.c.local_date).where(self._where(community_id, user_id)).order_by(checkins.c.local_date)
            )
            return list(result)

    async def who_checked_in(self, community_id: int, local_date: date) -> set[int]:
        """Members of the community with a check-in on that local date (no decryption)."""
        stmt = select(checkins.c.user_id).where(
            checkins.c.community_id == community_id, checkins.c.local_date == local_date
        )
        async with self._engine.connect() as conn:
            return set(await conn.scalars(stmt))

    async def count(self, community_id: int, user_id: int) -> int:
        async with self._engine.connect() as conn:
            total = await conn.scalar(
                select(func.count()).select_from(checkins).where(self._where(community_id, user_id))
            )
        return int(total or 0)

    async def rotate_all(self, batch_size: int = 500) -> int:
        """Re-encrypt every row not under the current key; returns how many rows were rewritten.

        Spans all communities on purpose: key rotation is an operator task over the whole file.
        Each batch commits on its own, so an interrupted run keeps its progress and can be rerun.
        """
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        rewritten = 0
        last_id = 0
        while True:
            async with self._engine.connect() as conn:
                batch = (
                    await conn.execute(
                        select(checkins.c.id, checkins.c.content)
                        .where(checkins.c.id > last_id)
                        .order_by(checkins.c.id)
                        .limit(batch_size)
                    )
                ).all()
            if not batch:
                return rewritten
            last_id = batch[-1].id
            # Re-encrypted before the write transaction, so the write lock is held only for SQL.
            stale = [
                (row.id, row.content, self._cipher.rotate(row.content))
                for row in batch
                if not self._cipher.is_current(row.content)
            ]
            if not stale:
                continue
            async with self._writer.begin() as conn:
                for row_id, old, new in stale:
                    # Matching the old token too means a check-in saved meanwhile is left alone
                    # (it is already under the current key) rather than overwritten with stale content.
                    result = await conn.execute(
                        update(checkins).where(checkins.c.id == row_id, checkins.c.content == old).values(content=new)
                    )
                    rewritten += result.rowcount


class MetaRepo:
    """A small key/value store for the bot's own bookkeeping (e.g. the synced command-tree hash)."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._writer = writer(engine)

    async def ping(self) -> bool:
        """Whether the database answers a trivial query (for /healthz)."""
        try:
            async with self._engine.connect() as conn:
                return await conn.scalar(select(1)) == 1
        except Exception:
            return False

    async def get(self, key: str) -> str | None:
        async with self._engine.connect() as conn:
            value = await conn.scalar(select(bot_meta.c.value).where(bot_meta.c.key == key))
        return None if value is None else str(value)

    async def set(self, key: str, value: str) -> None:
        async with self._writer.begin() as conn:
            stmt = dialect_insert(conn, bot_meta).values(key=key, value=value)
            await conn.execute(stmt.on_conflict_do_update(index_elements=[bot_meta.c.key], set_={"value": value}))
