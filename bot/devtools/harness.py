"""A sandbox with a demo community and a running Lantern bot: shared by the tests, benchmarks and the demo."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bot.app import LanternBot, create_bot, create_services
from bot.clock import Clock, utc_now
from bot.config import Settings
from bot.runtime import Services
from discord_standin.driver import Actor
from discord_standin.server import Sandbox
from discord_standin.state import PERM_MANAGE_GUILD, Channel, Guild, Role

log = logging.getLogger(__name__)

DEMO_MEMBERS = ("alice", "bob", "cara", "dan", "eve")
DEMO_LEADER = "lee"


@dataclass
class Community:
    """The demo community: one leader, a few members, a check-in channel and a leaders' channel."""

    guild: Guild
    checkin_channel: Channel
    leaders_channel: Channel
    leader_role: Role
    people: dict[str, Actor] = field(default_factory=dict)


def build_demo_community(
    sandbox: Sandbox, name: str = "Recovery Circle", members: tuple[str, ...] = DEMO_MEMBERS
) -> Community:
    leader_user = sandbox.add_user(DEMO_LEADER)
    guild = sandbox.add_guild(name, owner=leader_user)
    leader_role = sandbox.add_role(guild, "Peer leader", PERM_MANAGE_GUILD)
    guild.members[leader_user.id].roles.append(leader_role.id)
    checkins = sandbox.add_channel(guild, "check-ins")
    leaders = sandbox.add_channel(guild, "leaders")
    sandbox.make_private(leaders, [leader_role])
    community = Community(guild, checkins, leaders, leader_role)
    community.people[DEMO_LEADER] = Actor(sandbox, leader_user, guild, checkins)
    for member_name in members:
        user = sandbox.add_user(member_name)
        sandbox.add_member(guild, user)
        community.people[member_name] = Actor(sandbox, user, guild, checkins)
    return community


class Harness:
    """Runs Lantern in this process against a sandbox, and can restart it like a crash would."""

    def __init__(
        self,
        database_url: str,
        keys: list[str],
        *,
        clock: Clock = utc_now,
        sandbox: Sandbox | None = None,
        log_level: str = "INFO",
        force_first_sync: bool = False,
        run_timers: bool | None = None,
        rate_limit: float = 50.0,
        ops_port: int | None = None,
    ) -> None:
        self.sandbox = sandbox or Sandbox()
        self.database_url = database_url
        self.keys = keys
        self.clock = clock
        self.log_level = log_level
        self.rate_limit = rate_limit
        self.ops_port = ops_port
        # A test that moves its own clock drives the scheduler itself (scheduler.run_due).
        self.run_timers = clock is utc_now if run_timers is None else run_timers
        self.bot: LanternBot | None = None
        self.services: Services | None = None
        self._task: asyncio.Task[None] | None = None
        self.community: Community | None = None
        # A new sandbox knows no commands, but a reused database remembers syncing them.
        self._force_sync = force_first_sync

    def settings(self) -> Settings:
        return Settings(
            DISCORD_TOKEN=self.sandbox.token,
            DATABASE_URL=self.database_url,
            LANTERN_SECRET_KEY=",".join(self.keys),
            LOG_LEVEL=self.log_level,
            DISCORD_API_BASE=self.sandbox.api_base,
            DISCORD_GATEWAY_URL=self.sandbox.gateway_url,
            LANTERN_RATE_LIMIT=self.rate_limit,
            LANTERN_OPS_PORT=self.ops_port,
            _env_file=None,  # type: ignore[call-arg]
        )

    async def start(self, *, with_demo: bool = True) -> Harness:
        if not self.sandbox.port:
            await self.sandbox.start()
        if with_demo and self.community is None:
            self.community = build_demo_community(self.sandbox)
        await self.start_bot()
        return self

    async def start_bot(self) -> LanternBot:
        self.services = await create_services(
            self.settings(), keys=self.keys, clock=self.clock, run_timers=self.run_timers
        )
        self.bot = create_bot(self.services, force_sync=self._force_sync, guild_ready_timeout=0.1)
        self._force_sync = False
        self.sandbox.gateway.ready.clear()
        self._task = asyncio.create_task(self.bot.start(self.sandbox.token), name="lantern-bot")
        await self._wait_ready()
        return self.bot

    async def _wait_ready(self, timeout: float = 15.0) -> None:
        assert self.bot is not None
        assert self._task is not None
        deadline = asyncio.get_running_loop().time() + timeout
        while not self.bot.is_ready():
            if self._task.done():
                self._task.result()
                raise RuntimeError("the bot stopped before it was ready")
            if asyncio.get_running_loop().time() > deadline:
                raise TimeoutError("the bot did not become ready")
            await asyncio.sleep(0.02)

    async def stop_bot(self) -> None:
        if self.bot is not None:
            await self.bot.drain()
            await self.bot.close()
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._task
        if self.services is not None:
            await self.services.db.close()
        self.bot, self._task, self.services = None, None, None

    async def restart_bot(self) -> LanternBot:
        await self.stop_bot()
        return await self.start_bot()

    async def stop(self) -> None:
        await self.stop_bot()
        await self.sandbox.stop()

    def person(self, name: str) -> Actor:
        assert self.community is not None
        return self.community.people[name]


def default_sandbox_paths(data_dir: Path) -> tuple[str, Path]:
    """Where `python -m bot sandbox` keeps its database and key when none is configured (both created
    on first use)."""
    return f"sqlite:///{data_dir / 'sandbox.sqlite3'}", data_dir / "sandbox.key"


async def seed_dm_schedule_due_now(
    database_url: str, keys: list[str], guild_id: int, members: dict[int, int | None]
) -> None:
    """A daily DM schedule due this very minute, and members (user id -> cached DM channel or None) who
    turned DM prompts on: Lantern sends it as soon as it starts, as it would after a restart."""
    from datetime import time

    from bot.storage.database import Database

    now = datetime.now(UTC)
    db = await Database.open(database_url, keys)
    try:
        await db.communities.configure(guild_id, timezone="UTC", setup_at=now)
        await db.schedules.add(
            guild_id,
            name="daily",
            weekdays=frozenset(range(7)),
            local_time=time(now.hour, now.minute),
            destination="dm",
            reminder_minutes=None,
            daily_thread=False,
            question=None,
        )
        for user_id, dm_channel in members.items():
            await db.members.update(guild_id, user_id, dm_prompts=True, dm_channel_id=dm_channel)
    finally:
        await db.close()
