"""Lantern's alerts and partner messages: recorded first, sent with one nonce, retried through Discord's bad
moments from the database until sent or a day has passed (bot/services/retry_policy.py)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Protocol

from bot.clock import Clock
from bot.logs import describe_error
from bot.services.delivery_errors import SendError
from bot.services.retry_policy import backoff, grace_end, nonce_still_trusted
from bot.storage.database import Database
from bot.storage.outbox import OutboxMessage

log = logging.getLogger(__name__)

OUTBOX_KINDS = ("alert", "welcome", "followup", "milestone", "hardday")


class OutboxDiscord(Protocol):
    """How the outbox posts to Discord and looks for a message that may have gone out after all."""

    async def post_text(
        self, channel_id: int, community_id: int, kind: str, text: str, nonce: str, group_id: int | None
    ) -> int: ...

    async def find_text(self, channel_id: int, text: str) -> int | None: ...

    async def open_dm(self, user_id: int) -> int:
        """The id of Lantern's DM channel with this member (opened if need be)."""
        ...


class Outbox:
    """Sends each recorded message once: now if Discord allows, else later from the database."""

    def __init__(self, db: Database, clock: Clock, *, send_timeout: float = 30.0) -> None:
        self.db = db
        self.clock = clock
        self.send_timeout = send_timeout
        self.discord: OutboxDiscord | None = None
        self._in_flight: set[int] = set()
        self._lock = asyncio.Lock()
        self._on_retry: list[Callable[[], Awaitable[None]]] = []

    def on_retry(self, listener: Callable[[], Awaitable[None]]) -> None:
        """Call `listener` when a message sent outside any timer (from a command) must be tried again, so the
        retry timer is planned for it."""
        self._on_retry.append(listener)

    async def send(
        self,
        community_id: int,
        kind: str,
        channel_id: int,
        text: str,
        *,
        group_id: int | None = None,
        member_id: int | None = None,
    ) -> str:
        """Record and try once; returns 'sent', 'retrying' (it will go out later) or 'failed' (for good).

        `member_id`: the one member the message is about, so that their /forget cancels it."""
        if kind not in OUTBOX_KINDS:
            raise ValueError(f"kind must be one of {OUTBOX_KINDS}")
        now = self.clock()
        message = await self.db.outbox.add(
            community_id,
            kind,
            channel_id,
            text,
            now=now,
            give_up_at=grace_end(kind, now, "UTC"),
            group_id=group_id,
            member_id=member_id,
        )
        return await self.deliver(message)

    async def deliver(self, message: OutboxMessage) -> str:
        """Try a message already recorded (by a service, in the same transaction as what it is about)."""
        state = await self._attempt(message)
        if state == "retrying":
            for listener in self._on_retry:
                await listener()
        return state

    async def open_dm(self, user_id: int) -> int:
        if self.discord is None:
            raise RuntimeError("the outbox has no link to Discord yet (the bot has not started)")
        return await self.discord.open_dm(user_id)

    async def _attempt(self, message: OutboxMessage) -> str:
        if self.discord is None:
            raise RuntimeError("the outbox has no link to Discord yet (the bot has not started)")
        self._in_flight.add(message.id)
        try:
            if message.state == "retrying" and not nonce_still_trusted(message.created_at, self.clock()):
                found = await asyncio.wait_for(
                    self.discord.find_text(message.channel_id, message.text), self.send_timeout
                )
                if found is not None:
                    await self.db.outbox.finish(message.id, "sent", sent_as=found, problem="found", attempted=False)
                    return "sent"
            sent_as = await asyncio.wait_for(
                self.discord.post_text(
                    message.channel_id,
                    message.community_id,
                    message.kind,
                    message.text,
                    message.nonce,
                    message.group_id,
                ),
                self.send_timeout,
            )
        except SendError as error:
            return await self._refused(message, error)
        except TimeoutError:
            return await self._refused(message, SendError("transient"))
        except Exception as error:
            log.error("an outbox %s raised %s", message.kind, describe_error(error))
            return await self._refused(message, SendError("transient"))
        finally:
            self._in_flight.discard(message.id)
        await self.db.outbox.finish(message.id, "sent", sent_as=sent_as)
        return "sent"

    async def _refused(self, message: OutboxMessage, error: SendError) -> str:
        retry_at = self.clock() + backoff(message.attempts + 1, error.retry_after, message.id)
        if error.permanent or retry_at >= message.give_up_at:
            log.warning("a %s could not be delivered: %s", message.kind, error.reason)
            await self.db.outbox.finish(message.id, "failed", problem=error.reason)
            return "failed"
        await self.db.outbox.finish(message.id, "retrying", problem=error.reason, retry_at=retry_at)
        return "retrying"

    async def recover(self, now: datetime) -> int:
        return await self.db.outbox.recover_pending(now, self._in_flight)

    async def next_retry_at(self) -> datetime | None:
        return await self.db.outbox.next_retry_at()

    async def retry_due(self, now: datetime) -> dict[str, int]:
        """Try again what is due; give up on what is past its window. Returns counts by outcome."""
        tally: dict[str, int] = {}
        async with self._lock:
            for message in await self.db.outbox.due(now):
                if message.id in self._in_flight:
                    continue
                if message.give_up_at <= now:
                    await self.db.outbox.finish(message.id, "failed", problem=message.problem, attempted=False)
                    outcome = "failed"
                else:
                    outcome = await self._attempt(message)
                tally[outcome] = tally.get(outcome, 0) + 1
        return tally
