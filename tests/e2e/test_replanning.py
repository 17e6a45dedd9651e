"""Re-planning: a member's own change re-plans only their community's timers, which stay shared per instant."""

from __future__ import annotations

from datetime import time

from bot.devtools.harness import Harness
from bot.storage.models import Schedule

OTHER_COMMUNITY = 4_242_424_242


async def _dm_schedule(lantern: Harness, community_id: int, name: str) -> Schedule:
    assert lantern.services is not None
    return await lantern.services.db.schedules.add(
        community_id,
        name=name,
        weekdays=frozenset(range(7)),
        local_time=time(9, 0),
        destination="dm",
        reminder_minutes=60,
        daily_thread=False,
        question=None,
    )


async def test_pause_replans_only_the_members_own_community(lantern_at: Harness) -> None:
    assert lantern_at.services is not None and lantern_at.community is not None
    services = lantern_at.services
    db, scheduler = services.db, services.scheduler
    home = lantern_at.community.guild.id
    ours = await _dm_schedule(lantern_at, home, "morning")
    theirs = await _dm_schedule(lantern_at, OTHER_COMMUNITY, "elsewhere")
    for name in ("alice", "bob", "cara"):
        await db.members.update(home, lantern_at.person(name).user.id, dm_prompts=True, reminders=True)
    await db.members.update(OTHER_COMMUNITY, 77, dm_prompts=True, reminders=True)
    await scheduler.rebuild()
    scheduler.replanned.clear()

    paused = await lantern_at.person("alice").slash("pause", days=3)
    assert "No prompts or reminders until" in paused.text

    assert scheduler.replanned[ours.id] == 1
    assert scheduler.replanned[theirs.id] == 0, "another community's schedule was re-planned"
    assert set(scheduler.replanned) == {ours.id}
    # Members in the same zone share one timer per instant: one prompt and one reminder for the schedule,
    # not one per member, and the other community keeps its own.
    kinds = sorted(job.kind for job in scheduler.planned.values() if job.schedule_id == ours.id)
    assert kinds == ["prompt", "reminder"]
    assert sorted(job.kind for job in scheduler.planned.values() if job.schedule_id == theirs.id) == [
        "prompt",
        "reminder",
    ]


async def test_removed_schedule_loses_its_timers_without_touching_other_communities(lantern_at: Harness) -> None:
    assert lantern_at.services is not None and lantern_at.community is not None
    services = lantern_at.services
    scheduler = services.scheduler
    home = lantern_at.community.guild.id
    ours = await _dm_schedule(lantern_at, home, "morning")
    theirs = await _dm_schedule(lantern_at, OTHER_COMMUNITY, "elsewhere")
    await services.db.members.update(home, lantern_at.person("bob").user.id, dm_prompts=True)
    await services.db.members.update(OTHER_COMMUNITY, 77, dm_prompts=True)
    await scheduler.rebuild()
    assert any(job.schedule_id == ours.id for job in scheduler.planned.values())
    scheduler.replanned.clear()

    await services.db.schedules.remove(ours.id)
    await scheduler.rebuild_community(home)

    assert not any(job.schedule_id == ours.id for job in scheduler.planned.values())
    assert any(job.schedule_id == theirs.id for job in scheduler.planned.values())
    assert scheduler.replanned[theirs.id] == 0
