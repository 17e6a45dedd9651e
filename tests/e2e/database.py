"""Reading the bot's SQLite file from a test: every row of every table, to show that nothing changed."""

from __future__ import annotations

import asyncio
import sqlite3
from contextlib import closing
from typing import Any

from bot.storage.engine import sqlite_path


def snapshot(database_url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows, in a stable order; two equal snapshots mean the database did not change."""
    path = sqlite_path(database_url)
    assert path is not None, "these tests read an SQLite file"
    with closing(sqlite3.connect(path)) as conn:
        names = [
            row[0]
            for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        ]
        # Table names come from sqlite_master itself, not from input.
        return {name: sorted(conn.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr) for name in names}


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
    assert path is not None

    def rename() -> None:
        with closing(sqlite3.connect(path, timeout=10)) as conn:
            conn.execute(f'ALTER TABLE "{old}" RENAME TO "{new}"')
            conn.commit()

    await asyncio.to_thread(rename)
