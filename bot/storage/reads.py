"""Reads done whole in a thread: one hand-over from the event loop per read, not several per statement."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from sqlalchemy import Connection, Engine

T = TypeVar("T")

# As many as the cores the bot was measured on: SQLite reads run outside the GIL, the rest of a read inside it.
READ_THREADS = 2


class ReadPool:
    """A few synchronous connections, each read function run start to end in one of the pool's threads.

    Through the async driver every statement is several trips between the event loop and its connection's
    thread (cursor, execute, fetch, close). When 500 members open the check-in form at once, those trips were
    most of the event loop's work, and forms missed Discord's three seconds (`bench.burst --members 500`).
    The reads on that path come here; a read function does SQL only: no awaiting, nothing slow.
    """

    def __init__(self, engine: Engine, threads: int = READ_THREADS) -> None:
        self._engine = engine
        self._threads = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="lantern-reader")

    async def run(self, read: Callable[[Connection], T]) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._threads, self._read, read)

    def _read(self, read: Callable[[Connection], T]) -> T:
        with self._engine.connect() as conn:
            return read(conn)

    def close(self) -> None:
        self._threads.shutdown(wait=True)
        self._engine.dispose()
