"""Several processes, one database: leases held by one at a time; each process reads only its shards' rows."""

from __future__ import annotations

import asyncio
import time as wall
from datetime import UTC, datetime, time, timedelta

from bot.sharding import ShardScope, shard_of
from bot.storage import Database
from bot.storage.scheduling import Outcome, PlannedDelivery

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


def community_on(shard: int, count: int = 2, start: int = 1) -> int:
    """A server id on `shard` (ids carry their creation time in the bits above 22, as Discord's do)."""
    moment = start
    while shard_of(moment << 22, count) != shard:
        moment += 1
    return moment << 22 | 7


async def test_a_lease_is_held_by_one_holder_until_it_expires_or_is_released(db_url: str, key_a: str) -> None:
    first, second = await Database.open(db_url, [key_a]), await Database.open(db_url, [key_a])
    try:
        assert await first.leases.acquire("retention", "a", NOW, HOUR)
        assert not await second.leases.acquire("retention", "b", NOW + timedelta(minutes=59), HOUR)
        assert await first.leases.acquire("retention", "a", NOW + timedelta(minutes=30), HOUR)  # its holder renews
        assert await second.leases.holder("retention", NOW) == "a"
        # Expired: the holder died or moved on; another takes it over.
        assert await second.leases.acquire("retention", "b", NOW + timedelta(minutes=91), HOUR)
        assert not await first.leases.acquire("retention", "a", NOW + timedelta(minutes=92), HOUR)
        await first.leases.release("retention", "a")  # not its lease any more: nothing changes
        assert await first.leases.holder("retention", NOW + timedelta(minutes=92)) == "b"
        await second.leases.release("retention", "b")
        assert await first.leases.acquire("retention", "a", NOW + timedelta(minutes=93), HOUR)
        assert await first.leases.acquire("rotate-key", "b", NOW, HOUR)  # another name, another lease
    finally:
        await first.close()
        await second.close()


async def test_of_processes_racing_for_a_lease_exactly_one_gets_it(db_url: str, key_a: str) -> None:
    processes = [await Database.open(db_url, [key_a]) for _ in range(5)]
    try:
        for round_number in range(3):
            at = NOW + round_number * 2 * HOUR  # each round after the last lease expired
            won = await asyncio.gather(
                *(db.leases.acquire("retention", f"p{i}", at, HOUR) for i, db in enumerate(processes))
            )
            assert sum(won) == 1, won
    finally:
        for db in processes:
            await db.close()


async def test_each_process_reads_only_its_shards_schedules_retries_outbox_and_partners(
    db_url: str, key_a: str
) -> None:
    ours, theirs = community_on(0), community_on(1)
    everything = await Database.open(db_url, [key_a])
    shard0 = await Database.open(db_url, [key_a], shards=ShardScope(frozenset({0}), 2))
    shard1 = await Database.open(db_url, [key_a], shards=ShardScope(frozenset({1}), 2))
    try:
        for community in (ours, theirs):
            schedule = await everything.schedules.add(
                community,
                name="daily",
                weekdays=frozenset(range(7)),
                local_time=time(9, 0),
                destination="dm",
                reminder_minutes=None,
                daily_thread=False,
                question=None,
            )
            await everything.members.update(community, 42, dm_prompts=True)
            rows = await everything.deliveries.reserve(
                schedule, "2026-03-10", "prompt", NOW, [PlannedDelivery(42, f"n{community}")], give_up_at=NOW + HOUR
            )
            assert len(rows) == 1
            await everything.outbox.add(community, "alert", 99, "hello", now=NOW, give_up_at=NOW + HOUR)
            await everything.partners.configure(community, NOW, enabled=True, channel_id=5)

        assert {s.community_id for s in await everything.schedules.active()} == {ours, theirs}
        assert {s.community_id for s in await shard0.schedules.active()} == {ours}
        assert {s.community_id for s in await shard1.schedules.active()} == {theirs}
        assert {p.community_id for p in await shard0.partners.enabled_communities()} == {ours}
        assert {p.community_id for p in await shard1.partners.enabled_communities()} == {theirs}

        # A restart of shard 0's process leaves shard 1's sends (which may be under way there) alone.
        assert await shard0.deliveries.recover_pending(NOW) == 1
        assert await shard0.outbox.recover_pending(NOW, set()) == 1
        assert [d.community_id for d in await shard0.deliveries.due_retries(NOW)] == [ours]
        assert await shard1.deliveries.due_retries(NOW) == []
        assert await shard1.deliveries.next_retry_at() is None
        assert await shard0.deliveries.next_retry_at() == NOW
        assert [m.community_id for m in await shard0.outbox.due(NOW)] == [ours]
        assert await shard1.outbox.due(NOW) == [] and await shard1.outbox.next_retry_at() is None
        assert await shard1.deliveries.recover_pending(NOW) == 1
        assert [d.community_id for d in await shard1.deliveries.due_retries(NOW)] == [theirs]
        assert len(await everything.deliveries.due_retries(NOW)) == 2
        row = (await shard1.deliveries.due_retries(NOW))[0]
        await shard1.deliveries.finish([Outcome(row.id, "sent", message_id=1)], NOW)
        assert await shard1.deliveries.due_retries(NOW) == []
    finally:
        for db in (everything, shard0, shard1):
            await db.close()


async def test_replanning_asked_of_another_process_reaches_only_the_owner_once(db_url: str, key_a: str) -> None:
    ours, theirs = community_on(0), community_on(1, start=int(wall.time()))
    shard0 = await Database.open(db_url, [key_a], shards=ShardScope(frozenset({0}), 2))
    shard1 = await Database.open(db_url, [key_a], shards=ShardScope(frozenset({1}), 2))
    try:
        await shard0.replans.request(theirs, ("prompt", "reminder"), NOW)
        await shard0.replans.request(theirs, ("channel",), NOW)
        await shard1.replans.request(ours, ("prompt",), NOW)
        assert await shard0.replans.take() == {ours: ("prompt",)}
        assert await shard1.replans.take() == {theirs: ("channel", "prompt", "reminder")}
        assert await shard1.replans.take() == {}
        assert await shard0.replans.take() == {}
    finally:
        await shard0.close()
        await shard1.close()


async def test_each_process_keeps_only_its_shards_deadlines_milestone_notes_and_date_notes(
    db_url: str, key_a: str
) -> None:
    ours, theirs = community_on(0), community_on(1)
    everything = await Database.open(db_url, [key_a])
    shard0 = await Database.open(db_url, [key_a], shards=ShardScope(frozenset({0}), 2))
    try:
        for community in (ours, theirs):
            await everything.members.update(community, 42, dm_prompts=False)
            await everything.oncall.open_call(community, 42, [7], NOW, NOW + HOUR)
            await everything.days.add(
                community, 42, "alcohol", NOW.date(), next_note_at=NOW + HOUR, next_milestone="1d", now=NOW
            )
            await everything.dates.add(community, 42, "payday", "payday", 3, 11, None, next_note_at=NOW + HOUR, now=NOW)
        later = NOW + 2 * HOUR
        assert len(await everything.days.due(later)) == 2 and len(await everything.dates.due(later)) == 2
        assert [c.community_id for c in await shard0.days.due(later)] == [ours]
        assert [d.community_id for d in await shard0.dates.due(later)] == [ours]
        assert await shard0.oncall.next_deadline() == NOW + HOUR
        assert [c.community_id for c in await shard0.oncall.expire_due(later)] == [ours]
        # The other shard's request is still waiting for its own process.
        assert [c.community_id for c in await everything.oncall.expire_due(later)] == [theirs]
    finally:
        await everything.close()
        await shard0.close()
