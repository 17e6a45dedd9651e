"""The demo's clock: Lantern's injected clock, moved forward by the demo's actions, running what falls due."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta

import pytest

from bot.devtools.demo_clock import DemoClock, DemoTime, demo_time_for, offer_demo_actions
from bot.devtools.harness import Harness
from discord_standin.driver import buttons
from discord_standin.server import Sandbox
from discord_standin.state import PRIVATE_THREAD, Message
from tests.conftest import running

# Tuesday 10 March 2026, 07:00 UTC (London is on GMT until 29 March).
START = datetime(2026, 3, 10, 7, 0, tzinfo=UTC)


@pytest.fixture
def demo_clock() -> DemoClock:
    """The demo's clock on a machine whose own time stands still at START, so every figure is exact."""
    return DemoClock(lambda: START)


@pytest.fixture
async def lantern_demo(
    database_url: str, secret_key: str, demo_clock: DemoClock, spec_check: Callable[[Sandbox], None]
) -> AsyncIterator[Harness]:
    async for harness in running(Harness(database_url, [secret_key], clock=demo_clock, run_timers=False), spec_check):
        yield harness


@pytest.fixture
def demo_time(lantern_demo: Harness, demo_clock: DemoClock) -> DemoTime:
    return demo_time_for(lantern_demo, demo_clock)


def channel_prompts(harness: Harness) -> list[Message]:
    assert harness.community is not None
    messages = harness.sandbox.world.channel_messages(harness.community.checkin_channel.id)
    return [m for m in messages if m.author.bot and buttons(m) and not m.ephemeral]


async def set_up(harness: Harness, zone: str = "Europe/London") -> None:
    community = harness.community
    assert community is not None
    reply = await harness.person("lee").slash(
        "setup", checkin_channel=community.checkin_channel, timezone=zone, prompt_time="9am"
    )
    assert reply.content.startswith("You're all set."), reply.content


def test_the_clock_never_goes_backwards(demo_clock: DemoClock) -> None:
    demo_clock.jump_to(START - timedelta(days=1))
    assert demo_clock() == START
    demo_clock.jump_to(START + timedelta(hours=5))
    assert demo_clock() == START + timedelta(hours=5)
    demo_clock.jump_to(START + timedelta(hours=1))
    assert demo_clock() == START + timedelta(hours=5)


async def test_with_nothing_planned_the_actions_say_so_kindly(demo_time: DemoTime, demo_clock: DemoClock) -> None:
    assert await demo_time.next_prompt() == (
        "No check-in prompt is planned yet: a peer leader sets one up with /setup or /schedule add."
    )
    assert await demo_time.partner_round() == (
        "Partner rounds are off: a peer leader turns them on with /partners config."
    )
    assert demo_clock() == START
    assert await demo_time.status() == "Demo time: Tuesday 10 March, 07:00 (UTC), the same as real time."


async def test_next_prompt_posts_the_prompt_in_the_checkin_channel(
    lantern_demo: Harness, demo_time: DemoTime, demo_clock: DemoClock
) -> None:
    await set_up(lantern_demo)
    assert channel_prompts(lantern_demo) == []
    said = await demo_time.next_prompt()
    assert said == "It is now Tuesday 10 March, 09:00: the next check-in prompt went out."
    prompts = channel_prompts(lantern_demo)
    assert len(prompts) == 1
    assert prompts[0].content.startswith("Morning, all.")
    assert demo_clock() == datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
    assert await demo_time.status() == (
        "Demo time: Tuesday 10 March, 09:00 (Europe/London), 2 hours ahead of real time."
    )


async def test_a_dm_schedule_reaches_a_member_with_dm_prompts_on(
    lantern_demo: Harness, demo_time: DemoTime, demo_clock: DemoClock
) -> None:
    added = await lantern_demo.person("lee").slash("schedule add", name="evening", days="daily", time="8pm", where="dm")
    assert added.content.startswith("Added."), added.content
    alice, bob = lantern_demo.person("alice"), lantern_demo.person("bob")
    await alice.slash("settings", dm_prompts=True)
    said = await demo_time.next_prompt()
    assert said == "It is now Tuesday 10 March, 20:00: the next check-in prompt went out."
    assert [m.content.splitlines()[0] for m in alice.dms()] == ["Evening. How are you arriving today?"]
    assert bob.dms() == []


async def test_tomorrow_morning_is_nine_local_time_the_next_day(
    lantern_demo: Harness, demo_time: DemoTime, demo_clock: DemoClock
) -> None:
    await set_up(lantern_demo, zone="America/New_York")
    said = await demo_time.tomorrow_morning()
    # 9:00 on Wednesday in New York (EDT since 8 March) is 13:00 UTC; today's 9:00 prompt ran on the way.
    assert demo_clock() == datetime(2026, 3, 11, 13, 0, tzinfo=UTC)
    assert said.startswith("It is now Wednesday 11 March, 09:00 (")
    assert len(channel_prompts(lantern_demo)) == 2


async def test_the_partner_round_pairs_members_into_private_threads(
    lantern_demo: Harness, demo_time: DemoTime, demo_clock: DemoClock
) -> None:
    community = lantern_demo.community
    assert community is not None
    configured = await lantern_demo.person("lee").slash(
        "partners config", channel=community.checkin_channel, cadence="weekly", enabled=True
    )
    assert configured.content.startswith("Partner rounds: on"), configured.content
    joined = [lantern_demo.person(name) for name in ("alice", "bob", "cara", "dan")]
    for member in joined:
        await member.slash("partner join")
    said = await demo_time.partner_round()
    assert said.endswith(": the partner round ran.")
    assert demo_clock() == START + timedelta(days=7)
    world = lantern_demo.sandbox.world
    threads = [c for c in world.channels.values() if c.parent_id == community.checkin_channel.id]
    assert len(threads) == 2
    assert all(t.type == PRIVATE_THREAD for t in threads)
    paired = set().union(*(t.thread_members for t in threads)) - {world.bot_user.id}
    assert paired == {m.user.id for m in joined}


async def test_the_actions_are_offered_on_the_stand_ins_hook(lantern_demo: Harness, demo_time: DemoTime) -> None:
    offer_demo_actions(lantern_demo.sandbox, demo_time)
    labels = {name: action.label for name, action in lantern_demo.sandbox.demo_actions.items()}
    assert labels == {
        "next_prompt": "Send the next prompt now",
        "tomorrow_morning": "Jump to tomorrow 9:00",
        "partner_round": "Run the partner round now",
    }
    await set_up(lantern_demo)
    said = await lantern_demo.sandbox.run_demo_action("next_prompt")
    assert said.endswith("the next check-in prompt went out.")
    assert len(channel_prompts(lantern_demo)) == 1
