"""The demo's first start: a community set up as a leader would, and alice with weeks of check-ins, once."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import date, time
from zoneinfo import ZoneInfo

import pytest

from bot.devtools.demo_clock import DemoClock
from bot.devtools.demo_seed import HISTORY, local_zone_name, seed_demo
from bot.devtools.harness import Community, Harness
from discord_standin.server import Sandbox
from tests.conftest import running
from tests.devtools.test_demo_clock import START

SEEDED_DAYS = sum(day is not None for day in HISTORY)


@pytest.fixture
async def lantern_demo(
    database_url: str, secret_key: str, spec_check: Callable[[Sandbox], None]
) -> AsyncIterator[Harness]:
    async for harness in running(Harness(database_url, [secret_key], clock=DemoClock(lambda: START)), spec_check):
        yield harness


def parts(harness: Harness) -> tuple[Community, int]:
    assert harness.community is not None and harness.services is not None
    return harness.community, harness.person("alice").user.id


async def test_the_first_start_sets_the_community_up_and_gives_alice_history(lantern_demo: Harness) -> None:
    community, alice = parts(lantern_demo)
    assert lantern_demo.services is not None
    db = lantern_demo.services.db
    assert await seed_demo(lantern_demo.services, community, START, zone="Europe/London")
    stored = await db.communities.get(community.guild.id)
    assert stored is not None and stored.setup_at is not None
    assert (stored.checkin_channel_id, stored.alert_channel_id, stored.leader_role_id, stored.timezone) == (
        community.checkin_channel.id,
        community.leaders_channel.id,
        community.leader_role.id,
        "Europe/London",
    )
    [schedule] = await db.schedules.in_community(community.guild.id)
    assert schedule.local_time == time(9, 0)
    days = await db.checkins.days(community.guild.id, alice)
    assert len(days) == SEEDED_DAYS
    # Three to four weeks, with gaps, ending yesterday (START is 10 March).
    assert days[-1] == date(2026, 3, 9)
    assert days[0] == date(2026, 2, 12)
    assert (days[-1] - days[0]).days + 1 > len(days)
    moods = {c.content.mood for c in await db.checkins.recent(community.guild.id, alice)}
    assert moods == {1, 2, 3, 4, 5}


async def test_a_second_start_on_the_same_database_adds_nothing(lantern_demo: Harness) -> None:
    community, alice = parts(lantern_demo)
    assert lantern_demo.services is not None
    assert await seed_demo(lantern_demo.services, community, START)
    await lantern_demo.restart_bot()
    assert lantern_demo.services is not None
    assert not await seed_demo(lantern_demo.services, community, START)
    assert await lantern_demo.services.db.checkins.count(community.guild.id, alice) == SEEDED_DAYS
    assert len(await lantern_demo.services.db.schedules.in_community(community.guild.id)) == 1


async def test_a_community_a_leader_set_up_keeps_its_settings(lantern_demo: Harness) -> None:
    community, alice = parts(lantern_demo)
    await lantern_demo.person("lee").slash(
        "setup", checkin_channel=community.checkin_channel, timezone="Asia/Tokyo", prompt_time="7am"
    )
    assert lantern_demo.services is not None
    assert await seed_demo(lantern_demo.services, community, START, zone="Europe/London")
    stored = await lantern_demo.services.db.communities.get(community.guild.id)
    assert stored is not None and stored.timezone == "Asia/Tokyo" and stored.alert_channel_id is None
    days = await lantern_demo.services.db.checkins.days(community.guild.id, alice)
    assert days[-1] == date(2026, 3, 9)  # 10 March 16:00 in Tokyo: yesterday there is the 9th too


async def test_history_draws_a_real_chart_and_today_continues_the_streak(lantern_demo: Harness) -> None:
    community, _ = parts(lantern_demo)
    assert lantern_demo.services is not None
    await seed_demo(lantern_demo.services, community, START, zone="Europe/London")
    history = await lantern_demo.person("alice").slash("history", days=30)
    assert f"{SEEDED_DAYS} check-ins in all" in history.content
    assert "You've checked in 10 days in a row." in history.content
    [chart] = history.message.attachments if history.message else []
    assert chart.filename == "history.png" and chart.data.startswith(b"\x89PNG")


def test_the_local_zone_is_an_iana_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    assert local_zone_name() == "Asia/Tokyo"
    monkeypatch.setenv("TZ", "Nowhere/Special")
    ZoneInfo(local_zone_name())  # whatever the machine says, Lantern can use it
