"""Two processes' schedulers on one database: each plans only its shards' servers, a change made in the other
process reaches the owner, and the daily sweep runs in one of them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, time

import pytest
from cryptography.fernet import Fernet

from bot.app import create_services
from bot.config import Settings
from bot.runtime import Services
from bot.services.scheduler import MAINTENANCE, MAINTENANCE_LEASE, MAINTENANCE_LEASE_TIME, PlannedJob
from tests.storage.test_leases import community_on

NOW = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)


def clock() -> datetime:
    return NOW


@pytest.fixture
async def two_processes(database_url: str) -> AsyncIterator[list[Services]]:
    key = Fernet.generate_key().decode()
    processes = []
    for shard in (0, 1):
        settings = Settings(
            DATABASE_URL=database_url,
            LANTERN_SECRET_KEY=key,
            LANTERN_SHARDS=str(shard),
            LANTERN_SHARD_COUNT=2,
            _env_file=None,  # type: ignore[call-arg]
        )
        processes.append(await create_services(settings, keys=[key], clock=clock, run_timers=False))
    try:
        yield processes
    finally:
        for services in processes:
            await services.db.close()


async def daily(services: Services, community_id: int) -> None:
    await services.db.schedules.add(
        community_id,
        name="daily",
        weekdays=frozenset(range(7)),
        local_time=time(9, 0),
        destination="channel",
        reminder_minutes=None,
        daily_thread=False,
        question=None,
    )
    await services.db.communities.configure(community_id, timezone="UTC", setup_at=NOW, checkin_channel_id=5)


def planned_for(services: Services, community_id: int) -> list[PlannedJob]:
    return [
        job
        for job in services.scheduler.planned.values()
        if services.scheduler._community_of.get(job.schedule_id) == community_id and job.kind == "channel"
    ]


async def test_each_scheduler_plans_its_shards_and_a_change_elsewhere_reaches_the_owner(
    two_processes: list[Services],
) -> None:
    first, second = two_processes
    on_zero, on_one = community_on(0), community_on(1)
    await daily(first, on_zero)
    await daily(first, on_one)
    for services in two_processes:
        await services.scheduler.start(run_timers=False)
    assert len(planned_for(first, on_zero)) == 1 and planned_for(first, on_one) == []
    assert len(planned_for(second, on_one)) == 1 and planned_for(second, on_zero) == []

    # A member's settings changed in process 0 (a DM button) for a server on shard 1: planned there, not here.
    schedule = (await first.db.schedules.in_community(on_one))[0]
    await first.db.schedules.update(schedule.id, local_time=time(10, 30))
    await first.scheduler.rebuild_community(on_one)
    assert planned_for(first, on_one) == []
    assert [j.instant.time() for j in planned_for(second, on_one)] == [time(9, 0)]
    assert await second.scheduler.take_replans() == 1
    assert [j.instant.time() for j in planned_for(second, on_one)] == [time(10, 30)]
    assert await second.scheduler.take_replans() == 0
    assert await first.scheduler.take_replans() == 0


async def test_the_daily_sweep_runs_in_one_process_only(two_processes: list[Services]) -> None:
    first, second = two_processes
    job = PlannedJob(NOW, 0, MAINTENANCE, NOW)
    await first.scheduler.execute(job)
    await second.scheduler.execute(job)
    assert await second.db.leases.holder(MAINTENANCE_LEASE, NOW) == first.scheduler.holder
    # The same process may run it again (its lease is its own); the other still may not.
    assert await first.db.leases.acquire(MAINTENANCE_LEASE, first.scheduler.holder, NOW, MAINTENANCE_LEASE_TIME)
    assert not await second.db.leases.acquire(MAINTENANCE_LEASE, "other", NOW, MAINTENANCE_LEASE_TIME)
