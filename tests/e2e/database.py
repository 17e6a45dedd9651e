"""Reading the bot's database behind its back (SQLite's file, or PostgreSQL): every row of every table."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from collections.abc import Awaitable, Callable
from contextlib import closing
from typing import Any, TypeVar

from bot.storage.engine import sqlite_path

T = TypeVar("T")


def snapshot(database_url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows, in a stable order; two equal snapshots mean the database did not change."""
    path = sqlite_path(database_url)
    if path is None:
        return _on_postgres(database_url, _postgres_snapshot)
    with closing(sqlite3.connect(path)) as conn:
        names = [
            row[0]
            for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        ]
        # Table names come from sqlite_master itself, not from input.
        return {name: sorted(conn.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr) for name in names}


async def _postgres_snapshot(conn: Any) -> dict[str, list[tuple[Any, ...]]]:
    names = [row[0] for row in await conn.fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
    # Table names come from pg_tables itself, not from input.
    return {
        name: sorted((tuple(r.values()) for r in await conn.fetch(f'SELECT * FROM "{name}"')), key=repr)
        for name in names
    }


def _on_postgres(database_url: str, work: Callable[[Any], Awaitable[T]]) -> T:
    """Run `work(connection)` on the test's PostgreSQL database, from a thread with a loop of its own (the
    test's loop is busy in this thread)."""
    import asyncpg

    results: list[T] = []

    async def run() -> None:
        conn = await asyncpg.connect(database_url)
        try:
            results.append(await work(conn))
        finally:
            await conn.close()

    worker = threading.Thread(target=lambda: asyncio.run(run()))
    worker.start()
    worker.join()
    assert results, "the PostgreSQL read did not finish"
    return results[0]


async def settled_snapshot(database_url: str, timeout: float = 3.0) -> dict[str, list[tuple[Any, ...]]]:
    """A snapshot once the bot has finished writing: what a command records after answering (its audit
    entry, the privacy notice) lands a moment after the answer."""
    previous = snapshot(database_url)
    for _ in range(int(timeout / 0.1)):
        await asyncio.sleep(0.1)
        current = snapshot(database_url)
        if current == previous:
            return current
        previous = current
    return previous


async def rename_table(database_url: str, old: str, new: str) -> None:
    """Take a table away (or give it back) behind the bot's back: storage then fails as it would for real.
    In a thread, so the bot (on this event loop) can finish a write that holds the lock meanwhile."""
    path = sqlite_path(database_url)
    statement = f'ALTER TABLE "{old}" RENAME TO "{new}"'

    def rename() -> None:
        if path is None:

            async def alter(conn: Any) -> None:
                await conn.execute(statement)

            _on_postgres(database_url, alter)
            return
        with closing(sqlite3.connect(path, timeout=10)) as conn:
            conn.execute(statement)
            conn.commit()

    await asyncio.to_thread(rename)
