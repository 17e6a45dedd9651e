"""The read threads: a read function runs whole in one of them, and they close with the database."""

from __future__ import annotations

import threading

from bot.storage import Database
from bot.storage import engine as engines
from bot.storage.engine import reader


async def test_a_read_runs_whole_in_a_read_thread_and_the_threads_close_with_the_database(
    db_url: str, key_a: str
) -> None:
    db = await Database.open(db_url, [key_a])
    await db.communities.ensure(7)

    thread = await reader(db.engine).run(lambda conn: threading.current_thread().name)
    assert thread.startswith("lantern-reader")
    # What the repositories read through it is what the writer committed.
    assert (await db.schedules.in_community(7)) == []
    assert await db.members.get(7, 1) is None
    await db.members.ensure(7, 1)
    member = await db.members.get(7, 1)
    assert member is not None and member.user_id == 1
    await db.close()
    assert db.engine.sync_engine not in engines._read_pools
