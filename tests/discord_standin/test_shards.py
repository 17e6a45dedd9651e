"""The stand-in shards as Discord does: each session gets its shard's servers and events, DMs go to shard 0."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

import aiohttp
import discord
import pytest

from bot.endpoints import point_discord_at
from discord_standin.gateway import shard_of
from discord_standin.server import Sandbox
from discord_standin.state import Guild, Message, User

INTENTS = discord.Intents(guilds=True, members=True, dm_messages=True, guild_messages=True)


@pytest.fixture
async def sandbox() -> AsyncIterator[Sandbox]:
    stand_in = Sandbox(validate_spec=False)
    await stand_in.start()
    point_discord_at(stand_in.api_base, stand_in.gateway_url)
    try:
        yield stand_in
    finally:
        await stand_in.stop()
        point_discord_at(None, None)


def servers_on_both_shards(sandbox: Sandbox, each: int = 2) -> dict[int, list[Guild]]:
    """Servers until each of two shards has `each` (ids carry the time, so a new millisecond may be needed)."""
    owner = sandbox.add_user("owner")
    by_shard: dict[int, list[Guild]] = {0: [], 1: []}
    while min(len(g) for g in by_shard.values()) < each:
        guild = sandbox.add_guild(f"Server {len(sandbox.world.guilds) + 1}", owner=owner)
        sandbox.add_channel(guild, "general")
        by_shard[shard_of(guild.id, 2)].append(guild)
        time.sleep(0.002)
    return by_shard


class Recorder(discord.AutoShardedClient):
    def __init__(self, shard_id: int) -> None:
        super().__init__(intents=INTENTS, shard_ids=[shard_id], shard_count=2)
        self.messages: list[discord.Message] = []
        self.got_message = asyncio.Event()

    async def on_message(self, message: discord.Message) -> None:
        self.messages.append(message)
        self.got_message.set()


async def say(sandbox: Sandbox, channel_id: int, author: User, text: str) -> None:
    await sandbox.post_message(Message(id=sandbox.world.ids.next(), channel_id=channel_id, author=author, content=text))


async def start(client: Recorder, sandbox: Sandbox) -> asyncio.Task[None]:
    task = asyncio.create_task(client.start(sandbox.token))
    for _ in range(500):
        if client.is_ready():
            return task
        await asyncio.sleep(0.01)
    raise TimeoutError("the client never became ready")


async def test_each_shard_gets_its_servers_and_their_events_and_dms_go_to_shard_zero(sandbox: Sandbox) -> None:
    by_shard = servers_on_both_shards(sandbox)
    clients = [Recorder(0), Recorder(1)]
    tasks = [await start(client, sandbox) for client in clients]
    try:
        for shard, client in enumerate(clients):
            assert {g.id for g in client.guilds} == {g.id for g in by_shard[shard]}
        assert sandbox.gateway.live_shards() == [(0, 2), (1, 2)]

        person = sandbox.add_user("alice")
        guild = by_shard[1][0]
        sandbox.add_member(guild, person)
        channel = next(iter(guild.channels.values()))
        await sandbox.post_message(
            Message(id=sandbox.world.ids.next(), channel_id=channel.id, author=person, content="hi")
        )
        await asyncio.wait_for(clients[1].got_message.wait(), 5)
        assert [m.content for m in clients[1].messages] == ["hi"] and clients[0].messages == []

        dm = sandbox.dm_channel(person)
        await sandbox.post_message(
            Message(id=sandbox.world.ids.next(), channel_id=dm.id, author=person, content="a dm")
        )
        await asyncio.wait_for(clients[0].got_message.wait(), 5)
        assert [m.content for m in clients[0].messages] == ["a dm"]
        assert [m.content for m in clients[1].messages] == ["hi"]
    finally:
        for client in clients:
            await client.close()
        await asyncio.gather(*tasks, return_exceptions=True)


async def test_gateway_bot_recommends_a_shard_per_thousand_servers(sandbox: Sandbox) -> None:
    owner = sandbox.add_user("owner")
    for n in range(1001):
        sandbox.add_guild(f"Server {n}", owner=owner)
    async with aiohttp.ClientSession() as http:
        headers = {"Authorization": f"Bot {sandbox.token}"}
        async with http.get(f"{sandbox.api_base}/gateway/bot", headers=headers) as response:
            assert (await response.json())["shards"] == 2


async def test_an_impossible_shard_is_refused_with_4010(sandbox: Sandbox) -> None:
    async with aiohttp.ClientSession() as http, http.ws_connect(sandbox.gateway_url) as ws:
        hello = await ws.receive_json()
        assert hello["op"] == 10
        identify = {"token": f"Bot {sandbox.token}", "intents": 1, "properties": {}, "shard": [2, 2]}
        await ws.send_json({"op": 2, "d": identify})
        closed = await ws.receive()
        assert closed.type == aiohttp.WSMsgType.CLOSE and closed.data == 4010


class GuildWatcher(Recorder):
    def __init__(self, shard_id: int) -> None:
        super().__init__(shard_id)
        self.updates: list[tuple[int, str, str]] = []
        self.got_update = asyncio.Event()

    async def on_guild_update(self, before: discord.Guild, after: discord.Guild) -> None:
        self.updates.append((after.id, str(before.preferred_locale), str(after.preferred_locale)))
        self.got_update.set()


async def test_a_servers_new_language_reaches_its_own_shard_as_guild_update(sandbox: Sandbox) -> None:
    by_shard = servers_on_both_shards(sandbox)
    spanish = by_shard[1][0]
    spanish.preferred_locale = "es-419"  # set before connecting: it arrives in GUILD_CREATE
    clients = [GuildWatcher(0), GuildWatcher(1)]
    tasks = [await start(client, sandbox) for client in clients]
    try:
        cached = clients[1].get_guild(spanish.id)
        assert cached is not None and cached.preferred_locale is discord.Locale.latin_american_spanish
        changed = by_shard[1][1]
        await sandbox.set_preferred_locale(changed, "es-ES")
        await asyncio.wait_for(clients[1].got_update.wait(), 5)
        assert clients[1].updates == [(changed.id, "en-US", "es-ES")]
        now = clients[1].get_guild(changed.id)
        assert now is not None and now.preferred_locale is discord.Locale.spain_spanish
        assert now.name == changed.name and len(now.roles) == len(changed.roles)  # the rest of the guild kept
        assert clients[0].updates == []  # another shard's server is none of shard 0's business
    finally:
        for client in clients:
            await client.close()
        await asyncio.gather(*tasks, return_exceptions=True)
