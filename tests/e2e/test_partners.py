"""End to end: partner rounds in private threads, follow-ups, rematch and avoid, and leaders' manual pairs."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import UTC, datetime

import pytest

from bot.devtools.harness import Harness
from discord_standin.driver import Actor, DriverError, buttons
from discord_standin.state import PRIVATE_THREAD, Channel
from tests.conftest import FakeClock

EXTRA = ("fay", "gus", "hal", "ivy")


@pytest.fixture
async def partners_channel(lantern_at: Harness, clock: FakeClock) -> Channel:
    clock.now = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
    community = lantern_at.community
    assert community is not None
    channel = lantern_at.sandbox.add_channel(community.guild, "partners")
    for name in EXTRA:
        user = lantern_at.sandbox.add_user(name)
        lantern_at.sandbox.add_member(community.guild, user)
        community.people[name] = Actor(lantern_at.sandbox, user, community.guild, community.checkin_channel)
    await lantern_at.person("lee").slash(
        "setup", checkin_channel=community.checkin_channel, prompt_time="9am", alert_channel=community.leaders_channel
    )
    await lantern_at.restart_bot()  # the new channel arrives with GUILD_CREATE, as for a real server
    reply = await lantern_at.person("lee").slash("partners config", channel=channel, cadence="weekly", enabled=True)
    assert reply.content.startswith("Partner rounds: on"), reply.content
    return channel


def members_of(lantern: Harness) -> list[Actor]:
    return [lantern.person(n) for n in ("alice", "bob", "cara", "dan", "eve", *EXTRA)]


def partner_threads(lantern: Harness, parent: Channel) -> list[Channel]:
    return [c for c in lantern.sandbox.world.channels.values() if c.parent_id == parent.id]


async def test_nine_members_get_three_pairs_and_a_trio_in_private_threads(
    lantern_at: Harness, partners_channel: Channel
) -> None:
    members = members_of(lantern_at)
    for member in members:
        joined = await member.slash("partner join")
        assert joined.content.startswith("You're in.")
    reply = await lantern_at.person("lee").slash("partners pair-now")
    await reply.settled()
    assert reply.content.startswith("Round 1 is under way: 4 groups (1 of three).")
    threads = partner_threads(lantern_at, partners_channel)
    assert len(threads) == 4
    bot_id = lantern_at.sandbox.world.bot_user.id
    seen: list[int] = []
    for thread in threads:
        assert thread.type == PRIVATE_THREAD and not thread.invitable
        people = thread.thread_members - {bot_id}
        seen.extend(people)
        welcome = lantern_at.sandbox.world.channel_messages(thread.id)[0].content
        assert all(f"<@{u}>" in welcome for u in people)
        assert "A few ways to start" in welcome
    assert sorted(seen) == sorted(m.user.id for m in members)
    sizes = sorted(len(t.thread_members - {bot_id}) for t in threads)
    assert sizes == [2, 2, 2, 3]
    status = await members[0].slash("partner status")
    assert status.content.startswith("Round 1: you're with")


async def test_followups_rematch_and_avoid(lantern_at: Harness, clock: FakeClock, partners_channel: Channel) -> None:
    members = members_of(lantern_at)[:4]
    alice, bob, cara, dan = members
    for member in members:
        await member.slash("partner join")
    started = await (await lantern_at.person("lee").slash("partners pair-now")).settled()
    assert started.content.startswith("Round 1 is under way: 2 groups."), started.content
    assert lantern_at.services is not None and lantern_at.community is not None
    guild_id = lantern_at.community.guild.id
    first_round, alice_group = await lantern_at.services.partners.current_group(guild_id, alice.user.id)
    assert alice_group is not None
    alice_partner = next(u for u in alice_group.members if u != alice.user.id)
    # Halfway through, the scheduler asks each group once.
    clock.advance(days=4)
    await lantern_at.services.scheduler.run_due(clock.now)
    thread = lantern_at.sandbox.world.channels[alice_group.thread_id or 0]
    followup = lantern_at.sandbox.world.channel_messages(thread.id)[-1]
    assert "have you connected" in followup.content.lower()
    assert [b["label"] for b in buttons(followup)] == ["Yes", "Not yet"]
    yes = await alice.click(followup, "Yes")
    assert "thanks for letting me know" in yes.content.lower()
    outsider = next(m for m in members if m.user.id not in alice_group.members)
    refused = await outsider.click(followup, "Not yet")
    assert "for the partners in this thread" in refused.content
    # Alice asks for someone new and puts her old partner's partner... on her avoid list, confidentially.
    rematched = await alice.slash("partner rematch")
    assert "Nobody is told why" in rematched.content
    other = next(m for m in members if m.user.id not in (alice.user.id, alice_partner))
    avoided = await alice.slash("partner avoid", member=other.user)
    assert "They won't be told" in avoided.content
    assert not any("avoid" in m.content.lower() for m in other.dms())
    await (await lantern_at.person("lee").slash("partners pair-now")).settled()
    second_round, new_group = await lantern_at.services.partners.current_group(guild_id, alice.user.id)
    assert second_round is not None and first_round is not None and second_round.number == 2
    assert new_group is not None
    assert alice_partner not in new_group.members and other.user.id not in new_group.members
    assert {bob.user.id, cara.user.id, dan.user.id} & set(new_group.members)


async def test_two_silent_rounds_pause_pairing_and_say_how_to_rejoin(
    lantern_at: Harness, clock: FakeClock, partners_channel: Channel
) -> None:
    members = members_of(lantern_at)[:4]
    for member in members:
        await member.slash("partner join")
    assert lantern_at.services is not None
    for _ in range(2):
        await (await lantern_at.person("lee").slash("partners pair-now")).settled()
        clock.advance(days=4)
        await lantern_at.services.scheduler.run_due(clock.now)  # follow-ups, which nobody answers
        clock.advance(days=3)
    await (await lantern_at.person("lee").slash("partners pair-now")).settled()
    told = [m for m in members if any("/partner join" in d.content for d in m.dms())]
    assert told == members
    status = await members[0].slash("partner status")
    assert "paused" in status.content
    back = await members[0].slash("partner join")
    assert back.content.startswith("You're in.")


async def test_leaders_pair_and_unpair_by_hand(lantern_at: Harness, partners_channel: Channel) -> None:
    lee, alice, bob = lantern_at.person("lee"), lantern_at.person("alice"), lantern_at.person("bob")
    await alice.slash("partner join")
    await bob.slash("partner join")
    paired = await lee.slash("partners pair", a=alice.user, b=bob.user)
    await paired.settled()
    assert paired.content.startswith("Paired")
    listed = await lee.slash("partners list")
    assert f"<@{alice.user.id}> · <@{bob.user.id}> (by hand)" in listed.content
    thread = partner_threads(lantern_at, partners_channel)[0]
    assert {alice.user.id, bob.user.id} <= thread.thread_members
    removed = await lee.slash("partners unpair", member=bob.user)
    assert "Took" in removed.content
    assert bob.user.id not in thread.thread_members


async def test_bad_partner_input_is_refused_kindly(lantern_at: Harness, partners_channel: Channel) -> None:
    lee, alice = lantern_at.person("lee"), lantern_at.person("alice")
    self_avoid = await alice.slash("partner avoid", member=alice.user)
    assert "can't avoid yourself" in self_avoid.content
    bot_avoid = await alice.slash("partner avoid", member=lantern_at.sandbox.world.bot_user)
    assert "Bots are never paired" in bot_avoid.content
    same = await lee.slash("partners pair", a=alice.user, b=alice.user)
    await same.settled()
    assert "two different members" in same.content
    with_bot = await lee.slash("partners pair", a=alice.user, b=lantern_at.sandbox.world.bot_user)
    await with_bot.settled()
    assert "Bots can't be partners" in with_bot.content
    await alice.slash("partner join")
    too_few = await (await lee.slash("partners pair-now")).settled()
    assert "at least two members" in too_few.text
    assert lantern_at.services is not None and lantern_at.community is not None
    assert await lantern_at.services.db.partners.rounds(lantern_at.community.guild.id, 5) == []
    rematch = await lantern_at.person("bob").slash("partner rematch")
    assert "not in partner rounds yet" in rematch.content
    with pytest.raises(DriverError):
        await alice.slash("partners pair-now")


async def test_a_confidential_avoid_blocks_a_manual_pair_without_saying_why(
    lantern_at: Harness, partners_channel: Channel
) -> None:
    lee, alice, bob = lantern_at.person("lee"), lantern_at.person("alice"), lantern_at.person("bob")
    await alice.slash("partner join")
    await bob.slash("partner join")
    await alice.slash("partner avoid", member=bob.user)
    refused = await lee.slash("partners pair", a=alice.user, b=bob.user)
    await refused.settled()
    assert refused.content == "I can't pair those two. Please choose someone else for one of them."
    assert "avoid" not in refused.content.lower()


async def test_pair_now_needs_a_channel(lantern_at: Harness, clock: FakeClock) -> None:
    community = lantern_at.community
    assert community is not None
    await lantern_at.person("alice").slash("partner join")
    await lantern_at.person("bob").slash("partner join")
    reply = await (await lantern_at.person("lee").slash("partners pair-now")).settled()
    assert "Choose a partners channel first" in reply.text
    turned_on = await lantern_at.person("lee").slash("partners config", enabled=True)
    assert "Choose a partners channel first" in turned_on.content


async def test_rounds_run_on_the_communitys_cadence(
    lantern_at: Harness, clock: FakeClock, partners_channel: Channel
) -> None:
    for member in members_of(lantern_at)[:5]:
        await member.slash("partner join")
    assert lantern_at.services is not None and lantern_at.community is not None
    rounds = [j for j in lantern_at.services.scheduler.planned.values() if j.kind == "round"]
    assert [j.run_at for j in rounds] == [datetime(2026, 3, 17, 12, 0, tzinfo=UTC)]
    clock.now = datetime(2026, 3, 17, 12, 0, tzinfo=UTC)
    await lantern_at.services.scheduler.run_due(clock.now)
    made = await lantern_at.services.db.partners.rounds(lantern_at.community.guild.id, 5)
    assert [r.number for r in made] == [1]
    groups = await lantern_at.services.db.partners.groups(made[0].id)
    assert sorted(len(g.members) for g in groups) == [2, 3]
    upcoming = sorted(
        j.run_at for j in lantern_at.services.scheduler.planned.values() if j.kind in ("round", "followup")
    )
    assert upcoming == [datetime(2026, 3, 21, 0, 0, tzinfo=UTC), datetime(2026, 3, 24, 12, 0, tzinfo=UTC)]


async def test_share_mood_and_let_my_partner_know(lantern_at: Harness, partners_channel: Channel) -> None:
    from tests.e2e.test_checkin import check_in

    lee, alice, bob = lantern_at.person("lee"), lantern_at.person("alice"), lantern_at.person("bob")
    await alice.slash("partner join")
    await bob.slash("partner join")
    await (await lee.slash("partners pair", a=alice.user, b=bob.user)).settled()
    await check_in(bob, mood="4", note="bob-private-note")
    hidden = await alice.slash("partner status")
    assert "shares their mood" not in hidden.content
    shared = await bob.slash("settings", share_mood=True)
    assert "Share my latest mood with my partner: on" in shared.content
    status = await alice.slash("partner status")
    assert f"<@{bob.user.id}> shares their mood with you: latest 4/5." in status.content
    assert "bob-private-note" not in status.content
    # Strong (not overwhelming) cravings on the lowest mood: support and the partner offer, not the safety question.
    hard = await check_in(alice, mood="1", cravings="3", note="alice-private-note")
    assert hard.message is not None
    assert "Let my partner know" in [b["label"] for b in buttons(hard.message)]
    pinged = await alice.click(hard.message, "Let my partner know")
    assert "I've let your partner know" in pinged.content
    thread = partner_threads(lantern_at, partners_channel)[0]
    last = lantern_at.sandbox.world.channel_messages(thread.id)[-1].content
    assert f"<@{alice.user.id}> is having a hard time" in last and "alice-private-note" not in last
    with pytest.raises(DriverError):  # the offer is in alice's own ephemeral reply
        await lantern_at.person("cara").click(hard.message, "Let my partner know")


async def test_someone_who_cannot_be_added_to_a_thread_is_reported_to_leaders(
    lantern_at: Harness, partners_channel: Channel
) -> None:
    members = members_of(lantern_at)[:4]
    for member in members:
        await member.slash("partner join")
    blocked = members[2]
    lantern_at.sandbox.inject("PUT", f"/channels/*/thread-members/{blocked.user.id}", 403, code=50001)
    await (await lantern_at.person("lee").slash("partners pair-now")).settled()
    assert lantern_at.community is not None
    alerts = [m.content for m in lantern_at.sandbox.world.channel_messages(lantern_at.community.leaders_channel.id)]
    assert any(f"I couldn't add <@{blocked.user.id}> to their partner thread" in a for a in alerts)


async def test_partner_welcomes_outlast_an_incident_and_go_out_once(
    lantern_at: Harness, clock: FakeClock, partners_channel: Channel
) -> None:
    members = members_of(lantern_at)[:4]
    for member in members:
        await member.slash("partner join")
    # Thread welcomes are answered 503 for a while; one of them was stored by Discord all the same.
    lantern_at.sandbox.inject("POST", "/channels/*/messages", 503, delivered=True, times=1)
    lantern_at.sandbox.inject("POST", "/channels/*/messages", 503, times=3)
    started = await (await lantern_at.person("lee").slash("partners pair-now")).settled()
    assert started.content.startswith("Round 1 is under way: 2 groups."), started.content
    threads = partner_threads(lantern_at, partners_channel)
    assert len(threads) == 2
    assert lantern_at.services is not None
    # Past Discord's nonce window, so the one that went out is found, not sent again.
    for _ in range(4):
        clock.advance(minutes=10)
        lantern_at.sandbox.advance_clock(minutes=10)
        await lantern_at.services.scheduler.run_due(clock.now)
    for thread in threads:
        welcomes = [
            m for m in lantern_at.sandbox.world.channel_messages(thread.id) if "A few ways to start" in m.content
        ]
        assert len(welcomes) == 1


async def test_a_round_interrupted_before_its_welcomes_is_finished_after_a_restart(
    lantern_at: Harness, clock: FakeClock, partners_channel: Channel
) -> None:
    members = members_of(lantern_at)[:4]
    for member in members:
        await member.slash("partner join")
    # Adding members to threads hangs; the bot stops while the round is half-done (threads, no welcomes).
    lantern_at.sandbox.inject("PUT", "/channels/*/thread-members/*", 0, delay=30, times=1)
    asked = asyncio.create_task(lantern_at.person("lee").slash("partners pair-now", timeout=10))
    await lantern_at.sandbox.wait_until(lambda: partner_threads(lantern_at, partners_channel), timeout=10)
    await lantern_at.restart_bot()
    lantern_at.sandbox.faults.clear()
    with contextlib.suppress(DriverError):
        await asked  # the leader was left waiting: that bot is gone
    threads = partner_threads(lantern_at, partners_channel)
    assert all(not lantern_at.sandbox.world.channel_messages(t.id) for t in threads)
    assert lantern_at.services is not None
    await lantern_at.services.scheduler.catch_up()
    await lantern_at.services.scheduler.catch_up()  # a second restart finishes nothing twice
    groups = await lantern_at.services.db.partners.groups(
        (await lantern_at.services.db.partners.rounds(partners_channel.guild_id or 0, 1))[0].id
    )
    assert len(groups) == 2
    welcomed = 0
    for thread in partner_threads(lantern_at, partners_channel):
        posted = [m for m in lantern_at.sandbox.world.channel_messages(thread.id) if "A few ways to start" in m.content]
        assert len(posted) <= 1
        welcomed += len(posted)
        if posted:
            assert thread.thread_members - {lantern_at.sandbox.world.bot_user.id}
    assert welcomed == 2
