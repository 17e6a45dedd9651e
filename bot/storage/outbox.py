"""The outbox: Lantern's messages recorded before they are sent and retried from here, their texts encrypted."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Row, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.sharding import EVERYTHING, ShardScope
from bot.storage.crypto import ContentCipher
from bot.storage.engine import writer
from bot.storage.leases import in_scope
from bot.storage.tables import outbox
from bot.storage.writes import WriteConnection

# Every text is encrypted while it waits: a note names something a member wrote (a day counter, a hard date),
# an alert or a partner welcome names who asked for support or who is paired with whom.
UNSENT = ("pending", "retrying")
# Every Fernet token starts with its version byte 0x80, "gAAAAA" in base64. Rows recorded before texts were
# all encrypted (revision 0013) hold Lantern's own plain words, which never look like that.
_TOKEN_PREFIX = "gAAAAA"  # noqa: S105 (a format, not a secret)
# Unsent messages a /forget cancels keep their row (a partner group's welcome is recorded once) but no text.
FORGOTTEN = "forgotten"


@dataclass(frozen=True)
class OutboxMessage:
    """One message Lantern means to post, and how far it got."""

    id: int
    community_id: int
    kind: str
    channel_id: int
    group_id: int | None
    text: str
    nonce: str
    state: str
    attempts: int
    created_at: datetime
    retry_at: datetime | None
    give_up_at: datetime
    problem: str | None


async def insert_message(
    conn: WriteConnection,
    cipher: ContentCipher,
    community_id: int,
    kind: str,
    channel_id: int,
    text: str,
    *,
    now: datetime,
    give_up_at: datetime,
    group_id: int | None = None,
    member_id: int | None = None,
) -> OutboxMessage:
    """Record a message in the caller's transaction, its text encrypted; `member_id` is the one member it is
    about or addressed to, if any."""
    values = {
        "community_id": community_id,
        "kind": kind,
        "channel_id": channel_id,
        "group_id": group_id,
        "member_id": member_id,
        "text": seal_text(text, cipher),
        # Random, but kept with the row: every try of this message carries the same one.
        "nonce": secrets.token_hex(10),
        "state": "pending",
        "created_at": now,
        "give_up_at": give_up_at,
    }
    row = (await conn.execute(outbox.insert().values(**values).returning(*outbox.c))).one()
    return read_message(row, cipher)


def seal_text(text: str, cipher: ContentCipher) -> str:
    return cipher.encrypt_text(text).decode("ascii") if text else ""


def open_text(stored: str, cipher: ContentCipher) -> str:
    """A stored text, decrypted; an empty one (sent, given up) stays empty, an old plain one is read as it is."""
    if not stored.startswith(_TOKEN_PREFIX):
        return stored
    return cipher.decrypt_text(stored.encode("ascii"))


def read_message(row: Row[Any], cipher: ContentCipher) -> OutboxMessage:
    return _message(row, open_text(row.text, cipher))


def _message(row: Row[Any], text: str) -> OutboxMessage:
    return OutboxMessage(
        id=row.id,
        community_id=row.community_id,
        kind=row.kind,
        channel_id=row.channel_id,
        group_id=row.group_id,
        text=text,
        nonce=row.nonce,
        state=row.state,
        attempts=row.attempts,
        created_at=row.created_at,
        retry_at=row.retry_at,
        give_up_at=row.give_up_at,
        problem=row.problem,
    )


class OutboxRepo:
    """Alerts and partner messages waiting to go out (or retried until their window ends)."""

    def __init__(self, engine: AsyncEngine, cipher: ContentCipher, shards: ShardScope = EVERYTHING) -> None:
        self._engine = engine
        self._writer = writer(engine)
        self._cipher = cipher
        # Retries and recovery see only this process's shards' messages.
        self._shards = shards

    async def add(
        self,
        community_id: int,
        kind: str,
        channel_id: int,
        text: str,
        *,
        now: datetime,
        give_up_at: datetime,
        group_id: int | None = None,
        member_id: int | None = None,
    ) -> OutboxMessage:
        async with self._writer.begin() as conn:
            return await insert_message(
                conn,
                self._cipher,
                community_id,
                kind,
                channel_id,
                text,
                now=now,
                give_up_at=give_up_at,
                group_id=group_id,
                member_id=member_id,
            )

    async def finish(
        self,
        message_id: int,
        state: str,
        *,
        problem: str | None = None,
        retry_at: datetime | None = None,
        sent_as: int | None = None,
        attempted: bool = True,
    ) -> None:
        values: dict[str, Any] = {"state": state, "problem": problem, "retry_at": retry_at, "message_id": sent_as}
        if attempted:
            values["attempts"] = outbox.c.attempts + 1
        if state in ("sent", "failed"):
            values["text"] = ""  # no longer needed: keep no more than the message's fate
        async with self._writer.begin() as conn:
            # Only a message still waiting: one a /forget cancelled meanwhile stays cancelled.
            await conn.execute(
                update(outbox).where(outbox.c.id == message_id, outbox.c.state.in_(UNSENT)).values(**values)
            )

    async def rotate_all(self) -> int:
        """Re-encrypt every waiting text not under the current key, and encrypt any left from before 0013."""
        stmt = select(outbox.c.id, outbox.c.text).where(outbox.c.text != "")
        async with self._engine.connect() as conn:
            rows = (await conn.execute(stmt)).all()
        stale = [(r.id, r.text) for r in rows if not self._current(r.text)]
        rewritten = 0
        async with self._writer.begin() as conn:
            for row_id, old in stale:
                fresh = seal_text(open_text(old, self._cipher), self._cipher)
                result = await conn.execute(
                    update(outbox).where(outbox.c.id == row_id, outbox.c.text == old).values(text=fresh)
                )
                rewritten += result.rowcount
        return rewritten

    def _current(self, stored: str) -> bool:
        return stored.startswith(_TOKEN_PREFIX) and self._cipher.is_current(stored.encode("ascii"))

    async def due(self, now: datetime, limit: int = 200) -> list[OutboxMessage]:
        stmt = (
            select(outbox)
            .where(
                outbox.c.state == "retrying",
                outbox.c.retry_at <= now,
                in_scope(outbox.c.community_id, self._shards),
            )
            .order_by(outbox.c.retry_at, outbox.c.id)
            .limit(limit)
        )
        async with self._engine.connect() as conn:
            return [read_message(row, self._cipher) for row in (await conn.execute(stmt)).all()]

    async def next_retry_at(self) -> datetime | None:
        stmt = select(func.min(outbox.c.retry_at)).where(
            outbox.c.state == "retrying", in_scope(outbox.c.community_id, self._shards)
        )
        async with self._engine.connect() as conn:
            value = (await conn.execute(stmt)).scalar_one_or_none()
        if value is None:
            return None
        return value if value.tzinfo is not None else value.replace(tzinfo=UTC)

    async def recover_pending(self, now: datetime, in_flight: set[int]) -> int:
        """After a restart: messages the last process was sending join the retries, due now."""
        condition = (outbox.c.state == "pending") & in_scope(outbox.c.community_id, self._shards)
        if in_flight:
            condition &= outbox.c.id.not_in(sorted(in_flight))
        async with self._writer.begin() as conn:
            result = await conn.execute(
                update(outbox).where(condition).values(state="retrying", retry_at=now, problem="interrupted")
            )
        return int(result.rowcount or 0)

    async def has_for_group(self, kind: str, group_id: int) -> bool:
        """Whether a message of this kind was ever recorded for this partner group (sent, waiting or not)."""
        stmt = select(outbox.c.id).where(outbox.c.kind == kind, outbox.c.group_id == group_id).limit(1)
        async with self._engine.connect() as conn:
            return (await conn.execute(stmt)).first() is not None


async def forget_member(
    conn: WriteConnection, cipher: ContentCipher, community_id: int, user_id: int, group_ids: list[int]
) -> dict[str, int]:
    """In a /forget's transaction: delete the messages about or to this member (`member_id`), and cancel the
    unsent ones that name them or go to their partner groups (emptied, kept as given up). Counts by label."""
    deleted = await conn.execute(
        delete(outbox).where(outbox.c.community_id == community_id, outbox.c.member_id == user_id)
    )
    waiting = (
        await conn.execute(
            select(outbox.c.id, outbox.c.kind, outbox.c.group_id, outbox.c.text).where(
                outbox.c.community_id == community_id, outbox.c.state.in_(UNSENT)
            )
        )
    ).all()
    mention = f"<@{user_id}>"
    theirs = [
        row.id
        for row in waiting
        if (row.kind in ("welcome", "followup") and row.group_id in group_ids) or mention in open_text(row.text, cipher)
    ]
    cancelled = 0
    if theirs:
        result = await conn.execute(
            update(outbox)
            .where(outbox.c.id.in_(theirs), outbox.c.state.in_(UNSENT))
            .values(state="failed", text="", retry_at=None, problem=FORGOTTEN)
        )
        cancelled = int(result.rowcount or 0)
    return {"outbox": int(deleted.rowcount or 0), "outbox (cancelled)": cancelled}
