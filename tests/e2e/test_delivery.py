"""End to end: prompts outlast Discord's bad moments (5xx incidents, 429 storms, answers lost after delivery),
each reaching each member exactly once; what cannot be delivered is counted for leaders."""

from __future__ import annotations

import asyncio
import signal
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.devtools.harness import Harness, build_demo_community, seed_dm_schedule_due_now
from bot.metrics import REGISTRY
from discord_standin.driver import Actor
from discord_standin.server import RecordedRequest, Sandbox
from tests.conftest import FakeClock
from tests.e2e.test_crash_safety import prompts as crash_prompts
from tests.e2e.test_crash_safety import start_bot
from tests.e2e.test_schedules import prompts_to, set_up

START = datetime(2026, 3, 10, 7, 0, tzinfo=UTC)
NINE = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


@pytest.fixture
def early_clock(clock: FakeClock) -> FakeClock:
    clock.now = START
    return clock


async def dm_only(lantern: Harness, **changes: object) -> None:
    """/setup, then the daily schedule sends DMs only (no channel prompt to share the faults)."""
    await set_up(lantern)
    edited = await lantern.person("lee").slash("schedule edit", name="daily", where="dm", **changes)
    assert "daily" in edited.content


async def with_members(lantern: Harness, count: int) -> list[Actor]:
    """`count` more members in the demo community, each with DM prompts on (as /settings would set)."""
    community = lantern.community
    assert community is not None and lantern.services is not None
    actors = []
    for index in range(count):
        user = lantern.sandbox.add_user(f"member{index:02d}")
        lantern.sandbox.add_member(community.guild, user)
        actor = Actor(lantern.sandbox, user, community.guild, community.checkin_channel)
        community.people[user.username] = actor
        await lantern.services.db.members.update(community.guild.id, user.id, dm_prompts=True)
        actors.append(actor)
    await lantern.services.scheduler.rebuild_community(community.guild.id)
    return actors


def dm_posts(lantern: Harness) -> list[RecordedRequest]:
    """Create-message requests to DM channels (channel prompts go to the check-in channel)."""
    assert lantern.community is not None
    checkin = f"/channels/{lantern.community.checkin_channel.id}/messages"
    return [
        r for r in lantern.sandbox.requests if r.method == "POST" and r.path.endswith("/messages") and r.path != checkin
    ]


async def advance(lantern: Harness, clock: FakeClock, **delta: float) -> None:
    """Move Lantern's clock (and Discord's with it) on, and run whatever timers came due."""
    assert lantern.services is not None
    clock.advance(**delta)
    lantern.sandbox.advance_clock(**delta)
    await lantern.services.scheduler.run_due(clock.now)


async def test_an_api_incident_mid_fanout_is_outlasted_and_each_member_gets_one_prompt(
    lantern_at: Harness, early_clock: FakeClock
) -> None:
    await dm_only(lantern_at)
    members = await with_members(lantern_at, 30)
    assert lantern_at.services is not None
    early_clock.now = NINE
    fan_out = asyncio.create_task(lantern_at.services.scheduler.run_due(NINE))
    await lantern_at.sandbox.wait_until(lambda: sum(1 for m in members if prompts_to(m)) >= 3, timeout=30)
    # From here every REST call is answered 503 (Discord's API is down), and the gateway session is lost.
    incident = lantern_at.sandbox.inject("*", "*", 503, for_seconds=3600)
    await lantern_at.sandbox.gateway.invalidate_session(resumable=False)
    await fan_out
    during = sum(1 for m in members if prompts_to(m))
    assert during < len(members), "the incident should have started mid fan-out"
    # Retries while the incident lasts (25 seconds of Lantern's time) deliver nothing, and give up on nobody.
    for _ in range(5):
        await advance(lantern_at, early_clock, seconds=5)
    assert incident.hits > len(members) - during
    assert sum(1 for m in members if prompts_to(m)) == during
    lantern_at.sandbox.faults.clear()
    for _ in range(12):
        await advance(lantern_at, early_clock, seconds=30)
    assert [len(prompts_to(m)) for m in members] == [1] * len(members)
    # Every try for one member carried that member's one nonce, with enforce_nonce.
    by_channel: dict[str, set[str]] = {}
    for request in dm_posts(lantern_at):
        assert request.body.get("enforce_nonce") is True
        by_channel.setdefault(request.path, set()).add(request.body["nonce"])
    assert all(len(nonces) == 1 for nonces in by_channel.values())


async def test_a_5xx_after_delivery_is_not_sent_twice_within_the_nonce_window(
    lantern_at: Harness, early_clock: FakeClock
) -> None:
    await dm_only(lantern_at)
    alice = lantern_at.person("alice")
    await alice.slash("settings", dm_prompts=True)
    # Discord stores the prompt, then answers 503: Lantern can't know it went out.
    lied = lantern_at.sandbox.inject("POST", "/channels/*/messages", 503, delivered=True)
    await advance(lantern_at, early_clock, hours=2)
    assert lied.hits == 1 and len(prompts_to(alice)) == 1
    await advance(lantern_at, early_clock, seconds=10)
    posts = dm_posts(lantern_at)
    assert len(posts) == 2 and posts[0].body["nonce"] == posts[1].body["nonce"]
    # Within the window the nonce is enough: Discord returned the stored message, nothing new.
    assert len(prompts_to(alice)) == 1
    assert not [r for r in lantern_at.sandbox.requests if r.method == "GET" and r.path.endswith("/messages")]
    await advance(lantern_at, early_clock, days=1)
    assert len(prompts_to(alice)) == 2  # the next day's, once


async def test_a_5xx_after_delivery_is_not_sent_twice_after_the_nonce_window(
    lantern_at: Harness, early_clock: FakeClock
) -> None:
    await dm_only(lantern_at)
    alice = lantern_at.person("alice")
    await alice.slash("settings", dm_prompts=True)
    lantern_at.sandbox.inject("POST", "/channels/*/messages", 503, delivered=True)
    await advance(lantern_at, early_clock, hours=2)
    assert len(prompts_to(alice)) == 1
    # Both clocks move past Discord's five-minute nonce window before the retry runs: a resend now would be a
    # second prompt, so Lantern looks in the DM first and finds it.
    await advance(lantern_at, early_clock, minutes=10)
    assert len(prompts_to(alice)) == 1
    lookups = [r for r in lantern_at.sandbox.requests if r.method == "GET" and r.path.endswith("/messages")]
    assert len(lookups) == 1
    assert len(dm_posts(lantern_at)) == 1
    assert lantern_at.services is not None
    rows = await lantern_at.services.db.deliveries.for_occurrence(1, "2026-03-10", "prompt")
    assert [(r.state, r.message_id) for r in rows] == [("sent", prompts_to(alice)[0].id)]
    # Nothing is left to retry.
    await advance(lantern_at, early_clock, minutes=30)
    assert len(prompts_to(alice)) == 1


async def test_a_5xx_that_did_not_deliver_is_sent_after_the_nonce_window(
    lantern_at: Harness, early_clock: FakeClock
) -> None:
    await dm_only(lantern_at)
    alice = lantern_at.person("alice")
    await alice.slash("settings", dm_prompts=True)
    retried_before = retried_total()
    lantern_at.sandbox.inject("POST", "/channels/*/messages", 503)
    await advance(lantern_at, early_clock, hours=2)
    assert prompts_to(alice) == []
    await advance(lantern_at, early_clock, minutes=10)
    assert len(prompts_to(alice)) == 1
    # Operators see the retry in /metrics.
    assert retried_total() > retried_before


def retried_total() -> float:
    return sum(
        sample.value
        for family in REGISTRY.collect()
        for sample in family.samples
        if sample.name == "lantern_prompts_retried_total"
    )


async def test_closed_dms_are_not_retried_and_leaders_see_the_count(
    lantern_at: Harness, early_clock: FakeClock
) -> None:
    await dm_only(lantern_at)
    eve, dan = lantern_at.person("eve"), lantern_at.person("dan")
    for member in (eve, dan):
        await member.slash("settings", dm_prompts=True)
        member.user.dms_open = False
    await advance(lantern_at, early_clock, hours=2)
    refused = [r for r in lantern_at.sandbox.requests if r.status == 403]
    assert len(refused) == 2
    await advance(lantern_at, early_clock, minutes=30)
    await advance(lantern_at, early_clock, hours=3)
    assert len([r for r in lantern_at.sandbox.requests if r.status == 403]) == 2
    report = await lantern_at.person("lee").slash("report", days=7)
    assert "2 members couldn't get a DM prompt: their DMs are closed to me" in report.content
    assert "<@" + str(eve.user.id) not in report.content


async def test_a_send_given_up_at_the_end_of_its_window_is_counted_for_leaders(
    lantern_at: Harness, early_clock: FakeClock
) -> None:
    await dm_only(lantern_at, reminder_minutes=30)
    lee = lantern_at.person("lee")
    alice = lantern_at.person("alice")
    await alice.slash("settings", dm_prompts=True)
    assert lantern_at.community is not None
    dm = lantern_at.sandbox.dm_channel(alice.user)
    # 503: discord.py does not retry it itself (it does 500 and 502), so each of Lantern's tries is one request.
    outage = lantern_at.sandbox.inject("POST", f"/channels/{dm.id}/messages", 503, for_seconds=3600)
    await advance(lantern_at, early_clock, hours=2)
    for _ in range(8):
        await advance(lantern_at, early_clock, minutes=5)
    assert outage.hits >= 3 and prompts_to(alice) == []
    lantern_at.sandbox.faults.clear()
    await advance(lantern_at, early_clock, minutes=5)
    assert prompts_to(alice) == []  # the reminder's time had come: the prompt's window closed
    report = await lee.slash("report", days=7)
    assert "1 DM prompt couldn't get through in time: Discord was having trouble" in report.content


async def test_a_retry_after_a_restart_comes_from_the_database(lantern_at: Harness, early_clock: FakeClock) -> None:
    await dm_only(lantern_at)
    alice, bob = lantern_at.person("alice"), lantern_at.person("bob")
    for member in (alice, bob):
        await member.slash("settings", dm_prompts=True)
    lantern_at.sandbox.inject("POST", "/channels/*/messages", 503, times=2)
    await advance(lantern_at, early_clock, hours=2)
    assert prompts_to(alice) == [] and prompts_to(bob) == []
    await lantern_at.restart_bot()
    assert lantern_at.services is not None
    # A new process, no timers in memory: the retry is planned from the rows it left.
    assert not any(j.kind == "retry" for j in lantern_at.services.scheduler.planned.values())
    await lantern_at.services.scheduler.catch_up()
    assert any(j.kind == "retry" for j in lantern_at.services.scheduler.planned.values())
    await advance(lantern_at, early_clock, minutes=1)
    assert len(prompts_to(alice)) == 1 and len(prompts_to(bob)) == 1


async def test_a_rate_limit_storm_is_outlasted(lantern_at: Harness, early_clock: FakeClock) -> None:
    await dm_only(lantern_at)
    members = await with_members(lantern_at, 12)
    # Discord answers every message create with a global 429 for a while; discord.py retries each a few
    # times, then gives up, and Lantern's own retries take over with Discord's Retry-After.
    storm = lantern_at.sandbox.inject("POST", "/channels/*/messages", 429, is_global=True, retry_after=0.05, times=40)
    await advance(lantern_at, early_clock, hours=2)
    assert storm.hits > 0
    for _ in range(20):
        if all(prompts_to(m) for m in members):
            break
        await advance(lantern_at, early_clock, seconds=30)
    assert [len(prompts_to(m)) for m in members] == [1] * len(members)
    assert lantern_at.bot is not None and lantern_at.bot.pacer.slowdowns > 0
    assert lantern_at.services is not None
    rows = await lantern_at.services.db.deliveries.for_occurrence(1, "2026-03-10", "prompt")
    # Some sends outlasted discord.py's own tries: Lantern tried them again itself.
    assert {r.state for r in rows} == {"sent"} and max(r.attempts for r in rows) > 1


async def test_without_enforce_nonce_the_stand_in_does_not_deduplicate(lantern: Harness) -> None:
    """The stand-in follows Discord: a nonce alone is echoed back but drops nothing."""
    import aiohttp

    assert lantern.community is not None
    channel = lantern.community.checkin_channel.id
    url = f"{lantern.sandbox.api_base}/channels/{channel}/messages"
    headers = {"Authorization": f"Bot {lantern.sandbox.token}"}
    async with aiohttp.ClientSession(headers=headers) as session:
        ids = []
        for enforce in (False, False, True, True):
            body = {"content": "hello", "nonce": "same-nonce", **({"enforce_nonce": True} if enforce else {})}
            async with session.post(url, json=body) as response:
                assert response.status == 200
                ids.append((await response.json())["id"])
        async with session.get(url, params={"limit": 2}) as response:
            fetched = await response.json()
    assert len(set(ids[:2])) == 2  # no enforce_nonce: two messages
    assert ids[2] in ids[:2] and ids[3] == ids[2]  # enforce_nonce: a recent one comes back
    assert len(fetched) == 2 and all("nonce" not in m for m in fetched)


async def test_leaders_alert_about_a_broken_channel_arrives_through_an_incident(
    lantern_at: Harness, early_clock: FakeClock
) -> None:
    await set_up(lantern_at)
    community = lantern_at.community
    assert community is not None
    lantern_at.sandbox.inject("POST", f"/channels/{community.checkin_channel.id}/messages", 403, code=50013)
    lantern_at.sandbox.inject("POST", f"/channels/{community.leaders_channel.id}/messages", 503, times=2)
    await advance(lantern_at, early_clock, hours=2)
    for _ in range(6):
        await advance(lantern_at, early_clock, seconds=30)
    alerts = [m.content for m in lantern_at.sandbox.world.channel_messages(community.leaders_channel.id)]
    assert len(alerts) == 1 and "missing permission" in alerts[0]


async def test_a_429_storm_under_a_tight_limit_with_a_kill_mid_fanout_sends_each_prompt_once(
    tmp_path: Path, database_url: str, secret_key: str, spec_check: Callable[[Sandbox], None]
) -> None:
    """Lantern as a real process: Discord allows 5 requests a second and storms with global 429s; the bot
    is SIGKILLed mid fan-out and restarted. Every one of 30 members gets exactly one prompt."""
    sandbox = Sandbox()
    sandbox.limiter.set_global(5)
    await sandbox.start()
    community = build_demo_community(sandbox, members=tuple(f"member{i:02d}" for i in range(30)))
    members = [a for name, a in community.people.items() if name != "lee"]
    await seed_dm_schedule_due_now(database_url, [secret_key], community.guild.id, {m.user.id: None for m in members})
    # Long enough that discord.py's five tries run out for some sends and Lantern's own retries take over.
    sandbox.inject("POST", "/channels/*/messages", 429, is_global=True, retry_after=0.2, for_seconds=8)
    log = tmp_path / "bot.log"

    def delivered() -> int:
        return sum(1 for m in members if crash_prompts(sandbox, m) >= 1)

    try:
        process = start_bot(sandbox, database_url, secret_key, log)
        try:
            await sandbox.wait_until(lambda: delivered() >= 5, timeout=90)
        finally:
            process.send_signal(signal.SIGKILL)
            await asyncio.to_thread(process.wait)
        assert delivered() < len(members), "the fan-out should still have been under way when killed"
        process = start_bot(sandbox, database_url, secret_key, log)
        try:
            await sandbox.wait_until(lambda: delivered() == len(members), timeout=180)
            await asyncio.sleep(2)  # time for any duplicate to show up
        finally:
            process.send_signal(signal.SIGTERM)
            await asyncio.to_thread(process.wait)
        assert [crash_prompts(sandbox, m) for m in members] == [1] * len(members), log.read_text()[-3000:]
        assert sandbox.limiter.responses_429 + sum(sandbox.faults.counts().values()) > 0
        spec_check(sandbox)
    finally:
        await sandbox.stop()
