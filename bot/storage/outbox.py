"""The outbox: Lantern's alerts and partner messages, recorded before they are sent and retried from here."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Row, func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.sharding import EVERYTHING, ShardScope
from bot.storage.crypto import ContentCipher
from bot.storage.engine import writer
from bot.storage.leases import in_scope
from bot.storage.tables import outbox

# Messages to one member that name something they wrote (a day counter, a hard date): their text is kept
# encrypted while it waits, like everything else a member wrote.
PRIVATE_KINDS = frozenset({"milestone", "hardday"})


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


def outbox_values(
    community_id: int,
    kind: str,
    channel_id: int,
    text: str,
    *,
    now: datetime,
    give_up_at: datetime,
    group_id: int | None,
    cipher: ContentCipher,
) -> dict[str, Any]:
    """A new outbox row, its text encrypted when the kind is private."""
    return {
        "community_id": community_id,
        "kind": kind,
        "channel_id": channel_id,
        "group_id": group_id,
        "text": cipher.encrypt_text(text).decode("ascii") if kind in PRIVATE_KINDS and text else text,
        # Random, but kept with the row: every try of this message carries the same one.
        "nonce": secrets.token_hex(10),
        "state": "pending",
        "created_at": now,
        "give_up_at": give_up_at,
    }


def read_message(row: Row[Any], cipher: ContentCipher) -> OutboxMessage:
    text = row.text
    if row.kind in PRIVATE_KINDS and text:
        text = cipher.decrypt_text(text.encode("ascii"))
    return _message(row, text)


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
    ) -> OutboxMessage:
        values = outbox_values(
            community_id, kind, channel_id, text, now=now, give_up_at=give_up_at, group_id=group_id, cipher=self._cipher
        )
        async with self._writer.begin() as conn:
            row = (await conn.execute(outbox.insert().values(**values).returning(*outbox.c))).one()
        return read_message(row, self._cipher)

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
            await conn.execute(update(outbox).where(outbox.c.id == message_id).values(**values))

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
