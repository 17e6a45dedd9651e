"""Lantern as child processes against a stand-in: one per range of shards, on one database (tests and bench.shards)."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from bot.devtools.harness import Community, build_demo_community
from bot.sharding import shard_of
from discord_standin.driver import Actor
from discord_standin.server import Sandbox

ROOT = Path(__file__).resolve().parents[1]


class LanternProcess:
    """`python -m bot run --shards IDS --shard-count N` as a child process; killed, stopped or restarted."""

    def __init__(
        self,
        sandbox: Sandbox,
        database_url: str,
        keys: list[str],
        log: Path,
        *,
        shards: str,
        shard_count: int,
        rate_limit: float,
        log_level: str = "INFO",
        extra_env: dict[str, str] | None = None,
    ) -> None:
        self.sandbox = sandbox
        self.database_url = database_url
        self.keys = keys
        self.log = log
        self.shards = shards
        self.shard_count = shard_count
        self.rate_limit = rate_limit
        self.log_level = log_level
        self.extra_env = extra_env or {}
        self.process: subprocess.Popen[bytes] | None = None

    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "DISCORD_TOKEN": self.sandbox.token,
            "DISCORD_API_BASE": self.sandbox.api_base,
            "DISCORD_GATEWAY_URL": self.sandbox.gateway_url,
            "DATABASE_URL": self.database_url,
            "LANTERN_SECRET_KEY": ",".join(self.keys),
            "LANTERN_RATE_LIMIT": str(self.rate_limit),
            "LOG_LEVEL": self.log_level,
            **self.extra_env,
        }

    def start(self) -> None:
        command = [sys.executable, "-m", "bot", "run", "--shards", self.shards, "--shard-count", str(self.shard_count)]
        with self.log.open("ab") as out:
            # Our own interpreter and module, arguments from this code: no shell, nothing from outside.
            self.process = subprocess.Popen(command, cwd=ROOT, env=self.env(), stdout=out, stderr=out)

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    async def kill(self) -> None:
        """SIGKILL: no clean-up of any kind, as a crash or an OOM kill."""
        await self._signal(signal.SIGKILL)

    async def stop(self) -> None:
        await self._signal(signal.SIGTERM)

    async def _signal(self, which: signal.Signals) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(which)
            await asyncio.to_thread(self.process.wait)
        self.process = None


def communities_on_shards(
    sandbox: Sandbox, shard_count: int, per_shard: int, members: int, prefix: str = "m"
) -> dict[int, list[Community]]:
    """`per_shard` demo communities on each shard, each with `members` members. Server ids carry their creation
    time, so servers are added until each shard has enough; the extra ones keep only their leader."""
    by_shard: dict[int, list[Community]] = {shard: [] for shard in range(shard_count)}
    while min(len(found) for found in by_shard.values()) < per_shard:
        number = sum(len(found) for found in by_shard.values())
        community = build_demo_community(sandbox, f"Circle {number + 1}", members=())
        found = by_shard[shard_of(community.guild.id, shard_count)]
        if len(found) >= per_shard:
            time.sleep(0.002)  # a later millisecond gives an id on another shard
            continue
        for i in range(members):
            user = sandbox.add_user(f"{prefix}{number}-{i:05d}")
            sandbox.add_member(community.guild, user)
            community.people[user.username] = Actor(sandbox, user, community.guild, community.checkin_channel)
        found.append(community)
    return by_shard
