"""Two Lantern processes, two shards, one PostgreSQL database: each prompt goes out once, and a SIGKILL of one
process touches nothing of the other's servers; its own prompts complete once when it comes back."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from bench.processes import LanternProcess, communities_on_shards
from bot.devtools.harness import Community, seed_dm_schedule_due_now
from discord_standin.driver import Actor
from discord_standin.server import Sandbox
from tests.conftest import POSTGRES_URL_VARIABLE, postgres_server

MEMBERS = 12  # per server; four servers, two on each shard
KILL_AT = 6  # of process 0's 24 prompts


@pytest.fixture(autouse=True)
def _on_postgres_only() -> None:
    if postgres_server() is None:
        pytest.skip(f"several processes share one PostgreSQL database: set {POSTGRES_URL_VARIABLE} to run this")


def prompts(member: Actor) -> int:
    return sum(1 for m in member.dms() if "How are you arriving" in m.content)


def members_of(communities: list[Community]) -> list[Actor]:
    return [actor for c in communities for name, actor in c.people.items() if name != "lee"]


def delivered(members: list[Actor]) -> int:
    return sum(1 for m in members if prompts(m) >= 1)


def sends_to(sandbox: Sandbox, members: list[Actor], since: float = 0.0, until: float = float("inf")) -> int:
    """Message POSTs to these members' DM channels between two moments, as the stand-in received them: a
    process sending to another's servers shows here even when the nonce keeps the member's DMs clean."""
    channels = {sandbox.world.dm_channel_by_user.get(m.user.id) for m in members} - {None}
    paths = {f"/channels/{c}/messages" for c in channels}
    return sum(1 for r in sandbox.requests if r.method == "POST" and r.path in paths and since <= r.at < until)


async def test_two_processes_send_each_prompt_once_and_a_killed_one_finishes_its_own_on_restart(
    tmp_path: Path, database_url: str, secret_key: str, spec_check: Callable[[Sandbox], None]
) -> None:
    sandbox = Sandbox()
    # A little above the two processes' pace together (10/s, 5/s each), so the fan-outs take seconds.
    sandbox.limiter.set_global(12)
    await sandbox.start()
    try:
        by_shard = communities_on_shards(sandbox, shard_count=2, per_shard=2, members=MEMBERS)
        for communities in by_shard.values():
            for community in communities:
                users = {m.user.id: None for m in members_of([community])}
                await seed_dm_schedule_due_now(database_url, [secret_key], community.guild.id, users)
        ours, theirs = members_of(by_shard[0]), members_of(by_shard[1])
        processes = [
            LanternProcess(
                sandbox,
                database_url,
                [secret_key],
                tmp_path / f"shard{shard}.log",
                shards=str(shard),
                shard_count=2,
                rate_limit=10,
            )
            for shard in (0, 1)
        ]
        try:
            for process in processes:
                process.start()
            await sandbox.wait_until(lambda: delivered(ours) >= KILL_AT, timeout=60)
            await processes[0].kill()
            # What the killed process had already written to its sockets may still be read by the stand-in.
            await asyncio.sleep(0.5)
            killed_at = time.monotonic()
            assert sandbox.gateway.live_shards() in ([(1, 2)], [(0, 2), (1, 2)])
            assert delivered(ours) < len(ours), "process 0's fan-out should still have been under way when killed"
            # Process 1 finishes its own servers, once each, and leaves process 0's alone.
            await sandbox.wait_until(lambda: delivered(theirs) == len(theirs), timeout=60)
            frozen = [prompts(m) for m in ours]
            await asyncio.sleep(3.0)  # long enough for a retry or a catch-up of someone else's servers to show
            assert [prompts(m) for m in ours] == frozen
            assert sandbox.gateway.live_shards() == [(1, 2)]

            restarted_at = time.monotonic()
            processes[0].start()
            await sandbox.wait_until(lambda: delivered(ours) == len(ours), timeout=90)
            await sandbox.wait_until(lambda: sandbox.gateway.live_shards() == [(0, 2), (1, 2)], timeout=10)
            await asyncio.sleep(2.0)  # time for any duplicate to show up
        finally:
            for process in processes:
                await process.stop()
        logs = "\n".join(p.log.read_text(errors="replace")[-2000:] for p in processes)
        assert [prompts(m) for m in ours + theirs] == [1] * len(ours + theirs), logs
        # Each process sent only to its own servers: process 1 never sent to process 0's (not even while it was
        # down) and sent each of its own once; process 0, back, sent each of its own at most once more (what
        # its kill left unrecorded goes again with the same nonce, and Discord keeps one message).
        assert sends_to(sandbox, theirs) == len(theirs), logs
        assert sends_to(sandbox, ours, since=killed_at, until=restarted_at) == 0, logs
        assert sends_to(sandbox, ours, since=restarted_at) <= len(ours), logs
        # Every send carried a nonce of its own; those retried after the kill carried the same one again.
        posts = [r for r in sandbox.requests if r.method == "POST" and r.path.endswith("/messages") and r.body]
        assert len({r.body.get("nonce") for r in posts}) == len(ours + theirs)
        # The two pacers together stayed under the limit the stand-in enforces: no 429 at all.
        assert [r.path for r in sandbox.requests if r.status == 429] == [], logs
        spec_check(sandbox)
    finally:
        await sandbox.stop()
