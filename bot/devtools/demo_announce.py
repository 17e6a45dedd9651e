"""While the terminal waits for input, what the bot posts in channels, threads and DMs is printed as it arrives."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from itertools import islice

from bot.devtools.demo_view import View
from discord_standin.state import Message


class Announcer:
    """Watches the stand-in's stored messages, woken by `sandbox.changed`; paused while a command runs.

    Replies to interactions are left out: the terminal prints its own as the answer to what was typed, and
    they belong to whoever typed them. Ephemeral messages are never announced; they are for one person only.
    """

    def __init__(self, view: View, before_printing: Callable[[], Awaitable[None]] | None = None) -> None:
        self.view = view
        self.sandbox = view.sandbox
        # Everything stored before the demo started is history, not news.
        self._cursor = len(self.sandbox.world.messages)
        self._open = False
        self._lock = asyncio.Lock()
        self._task: asyncio.Task[None] | None = None
        self._before_printing = before_printing

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._watch(), name="demo-announcer")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def pause(self) -> None:
        """Stop announcing (waiting for an announcement being printed to finish) while a command runs."""
        async with self._lock:
            self._open = False

    async def resume(self) -> None:
        """Announce what arrived meanwhile, then go on announcing as posts arrive."""
        self._open = True
        await self.flush()

    def news(self, message: Message) -> bool:
        return (
            message.author.id == self.sandbox.world.bot_user.id
            and not message.ephemeral
            and not message.deleted
            and message.interaction_metadata is None
            and message.id not in self.view.printed
        )

    def _arrived(self) -> bool:
        return len(self.sandbox.world.messages) > self._cursor

    async def flush(self) -> None:
        async with self._lock:
            if not self._open or not self._arrived():
                return
            messages = self.sandbox.world.messages
            fresh = list(islice(messages.values(), self._cursor, None))
            self._cursor = len(messages)
            news = [m for m in fresh if self.news(m)]
            if news and self._before_printing is not None:
                await self._before_printing()
            for message in news:
                await self.view.post(message, self.view.where(message))

    async def _watch(self) -> None:
        changed = self.sandbox.changed
        while True:
            # Woken by every change the stand-in records; the predicate is checked under the condition's lock.
            async with changed:
                await changed.wait_for(lambda: self._open and self._arrived())
            await self.flush()
