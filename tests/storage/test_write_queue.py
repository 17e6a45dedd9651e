"""The one writer: concurrent check-ins end with the right rows, and a kill mid-batch loses no acknowledged one."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import textwrap
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.storage.database import Database
from bot.storage.models import CheckinContent, StoredCheckin
from bot.storage.tables import checkins

ROOT = Path(__file__).resolve().parents[2]
COMMUNITY = 1_000
DAY = date(2026, 3, 10)
NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


def content(mood: int, note: str = "") -> CheckinContent:
    return CheckinContent(mood=mood, cravings=1, halt=frozenset(), note=note)


def keep(new: CheckinContent):  # type: ignore[no-untyped-def]
    def merge(_existing: StoredCheckin | None) -> CheckinContent:
        return new

    return merge


async def test_500_concurrent_checkins_and_repeats_end_with_the_right_rows(database_url: str, secret_key: str) -> None:
    db = await Database.open(database_url, [secret_key])
    try:
        members = range(1, 501)
        repeats = [content(m, f"take {m}") for m in (1, 2, 3, 4, 5)]

        async def one(user_id: int) -> None:
            written = await db.checkins.check_in(
                COMMUNITY, user_id, NOW, lambda _zone: DAY, keep(content(3)), mark_notice_seen=True
            )
            assert written.saved.created and written.first_use and written.days == [DAY]

        async def again(take: CheckinContent, delay: float) -> bool:
            await asyncio.sleep(delay)
            written = await db.checkins.check_in(
                COMMUNITY, 9_999, NOW, lambda _zone: DAY, keep(take), mark_notice_seen=True
            )
            return written.saved.created

        # Several writes of other shapes in between: async write blocks share the same writer.
        settings = [db.members.update(COMMUNITY, user_id, reminders=True) for user_id in range(1, 21)]
        results = await asyncio.gather(
            *(one(m) for m in members),
            *(again(take, n * 0.001) for n, take in enumerate(repeats)),
            *settings,
        )
        created = list(results[500 : 500 + len(repeats)])
        assert created.count(True) == 1, "exactly one of one member's same-day saves creates the day"

        async with db.engine.connect() as conn:
            total = await conn.scalar(select(func.count()).select_from(checkins))
            per_member = (
                await conn.execute(
                    select(checkins.c.user_id, func.count()).group_by(checkins.c.user_id).having(func.count() > 1)
                )
            ).all()
        assert total == 501
        assert per_member == []
        for user_id in (1, 250, 500):
            (row,) = await db.checkins.recent(COMMUNITY, user_id)
            assert row.content.mood == 3
        (last,) = await db.checkins.recent(COMMUNITY, 9_999)
        assert last.content.note in {f"take {m}" for m in (1, 2, 3, 4, 5)}
        # The last save to commit is the one kept: later saves replaced earlier ones, none was lost.
        assert last.content.note == "take 5"
        for user_id in range(1, 21):
            member = await db.members.get(COMMUNITY, user_id)
            assert member is not None and member.reminders
    finally:
        await db.close()


async def test_a_failing_write_undoes_only_itself(database_url: str, secret_key: str) -> None:
    db = await Database.open(database_url, [secret_key])
    try:

        def broken(_existing: StoredCheckin | None) -> CheckinContent:
            raise ValueError("no content")

        async def fails() -> None:
            await db.checkins.check_in(COMMUNITY, 2, NOW, lambda _zone: DAY, broken, mark_notice_seen=True)

        good = db.checkins.check_in(COMMUNITY, 1, NOW, lambda _zone: DAY, keep(content(4)), mark_notice_seen=True)
        outcome = await asyncio.gather(good, fails(), return_exceptions=True)
        assert isinstance(outcome[1], ValueError)
        assert len(await db.checkins.recent(COMMUNITY, 1)) == 1
        assert await db.checkins.recent(COMMUNITY, 2) == []
        # The failed write's member row went with it (its savepoint), the other's stayed.
        assert await db.members.get(COMMUNITY, 2) is None
        assert await db.members.get(COMMUNITY, 1) is not None
    finally:
        await db.close()


WRITER = textwrap.dedent(
    """
    import asyncio, sys
    from datetime import UTC, date, datetime
    from bot.storage.database import Database
    from bot.storage.models import CheckinContent

    async def main(url, key):
        db = await Database.open(url, [key])
        print("ready", flush=True)

        async def one(user_id):
            new = CheckinContent(mood=3, cravings=0, halt=frozenset())
            await db.checkins.check_in(
                1, user_id, datetime.now(UTC), lambda _z: date(2026, 3, 10), lambda _e: new, mark_notice_seen=False
            )
            # Acknowledged only now, after the batch holding it committed.
            print(f"ack {user_id}", flush=True)

        users = iter(range(1, 1_000_000))
        while True:
            await asyncio.gather(*(one(next(users)) for _ in range(50)))

    asyncio.run(main(sys.argv[1], sys.argv[2]))
    """
)


@pytest.mark.parametrize("kill_after", [30, 400])
async def test_sigkill_mid_batch_loses_no_acknowledged_checkin(
    database_url: str, secret_key: str, kill_after: int, tmp_path: Path
) -> None:
    await (await Database.open(database_url, [secret_key])).close()  # migrated before the writer starts
    process = await asyncio.to_thread(
        subprocess.Popen,
        [sys.executable, "-c", WRITER, database_url, secret_key],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    acknowledged: list[int] = []
    try:
        assert (await asyncio.to_thread(process.stdout.readline)).strip() == "ready"
        while len(acknowledged) < kill_after:
            line = await asyncio.to_thread(process.stdout.readline)
            assert line, "the writer stopped early"
            acknowledged.append(int(line.split()[1]))
    finally:
        # Killed while further batches are under way: some written, some not yet committed.
        process.send_signal(signal.SIGKILL)
        await asyncio.to_thread(process.wait)
    # Lines already printed before the kill are acknowledgements too.
    acknowledged += [int(line.split()[1]) for line in process.stdout.read().splitlines() if line.startswith("ack")]
    db = await Database.open(database_url, [secret_key])
    try:
        async with db.engine.connect() as conn:
            stored = set(await conn.scalars(select(checkins.c.user_id)))
        missing = set(acknowledged) - stored
        assert not missing, f"{len(missing)} acknowledged check-ins were lost"
        assert len(stored) >= len(acknowledged)
    finally:
        await db.close()


async def test_a_write_function_inside_a_write_block_joins_it(database_url: str, secret_key: str) -> None:
    db = await Database.open(database_url, [secret_key])
    try:
        queue = db.checkins._writer
        async with queue.begin():
            # Queued, this would wait for the block that holds the writer: it runs inside it instead.
            member = await asyncio.wait_for(db.members.ensure(COMMUNITY, 5), timeout=5)
        assert member.user_id == 5
        assert await db.members.get(COMMUNITY, 5) is not None
    finally:
        await db.close()
