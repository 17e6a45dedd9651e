"""The sandbox itself, exercised through the real discord.py client inside a running Lantern."""

from __future__ import annotations

import discord
import pytest

from bot.app import LanternBot
from bot.devtools.harness import Harness
from discord_standin.state import PRIVATE_THREAD


def running_bot(lantern: Harness) -> LanternBot:
    assert lantern.bot is not None
    return lantern.bot


async def test_ready_brings_the_community_and_its_channels(lantern: Harness) -> None:
    bot = running_bot(lantern)
    assert lantern.community is not None
    guild = bot.get_guild(lantern.community.guild.id)
    assert guild is not None
    assert guild.name == "Recovery Circle"
    assert {c.name for c in guild.text_channels} == {"check-ins", "leaders"}
    assert bot.user is not None and bot.user.id == lantern.sandbox.world.bot_user.id


async def test_channel_messages_round_trip(lantern: Harness) -> None:
    bot = running_bot(lantern)
    assert lantern.community is not None
    channel = bot.get_channel(lantern.community.checkin_channel.id)
    assert isinstance(channel, discord.TextChannel)
    sent = await channel.send("Morning, all. How are you arriving today?")
    fetched = await channel.fetch_message(sent.id)
    assert fetched.content == sent.content
    edited = await sent.edit(content="Evening, all.")
    assert edited.content == "Evening, all."
    history = [m async for m in channel.history(limit=10)]
    assert [m.id for m in history] == [sent.id]
    await sent.delete()
    with pytest.raises(discord.NotFound) as missing:
        await channel.fetch_message(sent.id)
    assert missing.value.code == 10008


async def test_attachments_are_stored_and_served(lantern: Harness, tmp_path) -> None:
    bot = running_bot(lantern)
    assert lantern.community is not None
    channel = bot.get_channel(lantern.community.checkin_channel.id)
    assert isinstance(channel, discord.TextChannel)
    blob = b"\x89PNG fake image bytes"
    path = tmp_path / "chart.png"
    path.write_bytes(blob)
    sent = await channel.send("a chart", file=discord.File(path))
    assert sent.attachments[0].filename == "chart.png"
    assert await sent.attachments[0].read() == blob


async def test_dms_and_closed_dms(lantern: Harness) -> None:
    bot = running_bot(lantern)
    alice, bob = lantern.person("alice"), lantern.person("bob")
    user = await bot.fetch_user(alice.user.id)
    await user.send("Hello from Lantern")
    assert [m.content for m in alice.dms()] == ["Hello from Lantern"]
    bob.user.dms_open = False
    closed = await bot.fetch_user(bob.user.id)
    with pytest.raises(discord.Forbidden) as refused:
        await closed.send("Hello?")
    assert refused.value.code == 50007


async def test_a_repeated_nonce_creates_one_message(lantern: Harness) -> None:
    bot = running_bot(lantern)
    cara = lantern.person("cara")
    user = await bot.fetch_user(cara.user.id)
    first = await user.send("Your check-in is open", nonce="occ-1-cara")
    second = await user.send("Your check-in is open", nonce="occ-1-cara")
    assert first.id == second.id
    assert len(cara.dms()) == 1
    body = next(r.body for r in lantern.sandbox.requests if r.path.endswith("/messages") and r.method == "POST")
    assert body["enforce_nonce"] is True


async def test_missing_permission_and_unknown_channel(lantern: Harness) -> None:
    bot = running_bot(lantern)
    assert lantern.community is not None
    sandbox_channel = lantern.community.checkin_channel
    sandbox_channel.bot_can_send = False
    channel = bot.get_channel(sandbox_channel.id)
    assert isinstance(channel, discord.TextChannel)
    with pytest.raises(discord.Forbidden) as refused:
        await channel.send("hello")
    assert refused.value.code == 50013
    with pytest.raises(discord.NotFound) as unknown:
        await bot.http.send_message(123456789, params=discord.http.handle_message_parameters(content="x"))
    assert unknown.value.code == 10003


async def test_private_threads_and_their_members(lantern: Harness) -> None:
    bot = running_bot(lantern)
    assert lantern.community is not None
    channel = bot.get_channel(lantern.community.checkin_channel.id)
    assert isinstance(channel, discord.TextChannel)
    thread = await channel.create_thread(name="alice & bob", type=discord.ChannelType.private_thread, invitable=False)
    assert thread.type == discord.ChannelType.private_thread
    alice, bob = lantern.person("alice"), lantern.person("bob")
    await thread.add_user(discord.Object(alice.user.id))
    await thread.add_user(discord.Object(bob.user.id))
    stored = lantern.sandbox.world.channels[thread.id]
    assert stored.type == PRIVATE_THREAD
    assert stored.thread_members == {alice.user.id, bob.user.id, lantern.sandbox.world.bot_user.id}
    await thread.send("Welcome, you two.")
    assert lantern.sandbox.world.channel_messages(thread.id)[0].content == "Welcome, you two."


async def test_public_thread_from_a_message(lantern: Harness) -> None:
    bot = running_bot(lantern)
    assert lantern.community is not None
    channel = bot.get_channel(lantern.community.checkin_channel.id)
    assert isinstance(channel, discord.TextChannel)
    prompt = await channel.send("Today's check-in")
    thread = await prompt.create_thread(name="Talk about today")
    assert thread.id == prompt.id
    assert thread.type == discord.ChannelType.public_thread


async def test_member_chunks_joins_and_leaves(lantern: Harness) -> None:
    bot = running_bot(lantern)
    assert lantern.community is not None
    guild = bot.get_guild(lantern.community.guild.id)
    assert guild is not None
    members = await guild.chunk()
    assert {m.name for m in members} >= {"alice", "bob", "lee"}
    assert lantern.sandbox.gateway.member_requests
    newcomer = lantern.sandbox.add_user("fay")
    await lantern.sandbox.join(lantern.community.guild, newcomer)
    await lantern.sandbox.wait_until(lambda: guild.get_member(newcomer.id) is not None)
    await lantern.sandbox.leave(lantern.community.guild, newcomer)
    await lantern.sandbox.wait_until(lambda: guild.get_member(newcomer.id) is None)


async def test_dm_messages_reach_the_bot(lantern: Harness) -> None:
    bot = running_bot(lantern)
    alice = lantern.person("alice")
    waiter = bot.loop.create_task(bot.wait_for("message", check=lambda m: m.author.id == alice.user.id, timeout=5))
    await alice.say("hello bot")
    message = await waiter
    assert message.content == "hello bot"
    assert isinstance(message.channel, discord.DMChannel)


async def test_the_global_rate_limit_answers_429_with_discords_headers(lantern: Harness) -> None:
    lantern.sandbox.limiter.set_global(2)
    bot = running_bot(lantern)
    assert lantern.community is not None
    channel = bot.get_channel(lantern.community.leaders_channel.id)
    assert isinstance(channel, discord.TextChannel)
    for _ in range(3):
        await bot.http.get_channel(channel.id)  # discord.py waits out the 429 and retries
    limited = [r for r in lantern.sandbox.requests if r.status == 429]
    assert limited, "the third request within a second should have been limited"
    assert lantern.sandbox.limiter.responses_429 >= 1


async def test_requests_breaking_discords_spec_are_refused(lantern: Harness) -> None:
    if lantern.sandbox.validation_off is not None:
        pytest.skip(lantern.sandbox.validation_off)
    bot = running_bot(lantern)
    assert lantern.community is not None
    channel = bot.get_channel(lantern.community.leaders_channel.id)
    assert isinstance(channel, discord.TextChannel)
    with pytest.raises(discord.HTTPException) as refused:
        await channel.send("x" * 2001)
    assert refused.value.code == 50035
    assert any("2000" in v or "maxLength" in v for v in lantern.sandbox.spec_violations)
    lantern.sandbox.spec_violations.clear()  # expected here; the fixture fails on any left over


async def test_heartbeats_are_acknowledged(database_url: str, secret_key: str) -> None:
    from discord_standin.server import Sandbox

    sandbox = Sandbox()
    sandbox.gateway.heartbeat_interval_ms = 100
    harness = Harness(database_url, [secret_key], sandbox=sandbox)
    await harness.start()
    try:
        await sandbox.wait_until(lambda: sandbox.gateway.heartbeats >= 3, timeout=5)
        assert harness.bot is not None
        assert harness.bot.latency < 1.0  # discord.py measured ACKs, so it got them
    finally:
        await harness.stop()
