"""Chaos run: community life against a misbehaving Discord, with the bot SIGKILLed and restarted throughout.

`python -m bench.chaos --minutes N` runs Lantern as a real process (`python -m bot run`) against the stand-in
served from this process, on one database. Members get a DM prompt every minute (one schedule per minute),
check in, join partner rounds and use /forget; between restarts the encryption key is sometimes rotated.
Meanwhile the stand-in injects 429 storms (global and per route, and a tight global limit), 5xx (some after
the message went out), slow answers, gateway op 7 and op 9 and closed sockets, and the bot is killed at
random points. At the end, with faults off, the bot is given time to settle; then the table is printed:
faults by kind, kills, prompts lost and doubled, check-ins lost, half-done deletions.

Times are real (the bot runs on the wall clock): a run of N minutes takes about N + 2 minutes.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import signal
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet
from sqlalchemy import BigInteger, select

from bot.devtools.harness import build_demo_community
from discord_standin.driver import Actor, DriverError, buttons
from discord_standin.server import Sandbox
from discord_standin.state import Channel

ROOT = Path(__file__).resolve().parents[1]
MOOD = "How are you arriving today?"
CRAVINGS = "Any cravings right now?"
NOTE = "A private note (optional)"
FORGETTERS = 2
PARTNER_WELCOME = "A few ways to start"


@dataclass
class Tally:
    """What the run did and what it found; printed as the closing table."""

    faults: Counter[str] = field(default_factory=Counter)
    fault_hits: dict[str, int] = field(default_factory=dict)
    kills: int = 0
    key_rotations: int = 0
    prompts_expected: int = 0
    prompts_lost: int = 0
    prompts_doubled: int = 0
    checkins_acknowledged: int = 0
    checkins_lost: int = 0
    forgets_acknowledged: int = 0
    half_done_deletions: int = 0
    partner_rounds: int = 0
    partner_welcomes_doubled: int = 0
    partner_welcomes_missing: int = 0
    partner_groups_replaced: int = 0
    empty_threads_left: int = 0
    unanswered_interactions: int = 0

    def table(self) -> str:
        rows: list[tuple[str, object]] = [(f"faults: {kind}", n) for kind, n in sorted(self.faults.items())]
        rows += [(f"requests answered by a fault: {kind}", n) for kind, n in sorted(self.fault_hits.items())]
        rows += [
            ("faults: total", sum(self.faults.values())),
            ("SIGKILLs of the bot", self.kills),
            ("key rotations", self.key_rotations),
            ("prompts expected", self.prompts_expected),
            ("prompts lost", self.prompts_lost),
            ("prompts doubled", self.prompts_doubled),
            ("check-ins acknowledged", self.checkins_acknowledged),
            ("check-ins lost", self.checkins_lost),
            ("/forget acknowledged", self.forgets_acknowledged),
            ("half-done deletions", self.half_done_deletions),
            ("partner rounds started", self.partner_rounds),
            ("partner welcomes doubled", self.partner_welcomes_doubled),
            ("partner welcomes missing", self.partner_welcomes_missing),
            ("partner groups cut short, then replaced by a newer round", self.partner_groups_replaced),
            ("empty partner threads left (only the bot in them)", self.empty_threads_left),
            ("interactions unanswered (bot down)", self.unanswered_interactions),
        ]
        width = max(len(name) for name, _ in rows)
        return "\n".join(f"{name:<{width}}  {value:>6}" for name, value in rows)

    @property
    def clean(self) -> bool:
        return not (self.prompts_lost or self.prompts_doubled or self.checkins_lost or self.half_done_deletions)


@dataclass
class Checkin:
    """One submitted check-in: its note (a random token) and whether Lantern thanked the member for it."""

    user_id: int
    note: str
    acknowledged: bool


class BotProcess:
    """Lantern as a child process against the stand-in; killed with SIGKILL, restarted on the same database."""

    def __init__(self, sandbox: Sandbox, database_url: str, keys: list[str], log: Path) -> None:
        self.sandbox = sandbox
        self.database_url = database_url
        self.keys = keys
        self.log = log
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
            "LANTERN_RATE_LIMIT": "20",
            "LOG_LEVEL": "INFO",
        }

    def start(self) -> None:
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "bot", "run"], cwd=ROOT, env=self.env(), stdout=out, stderr=out
            )

    async def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            await asyncio.to_thread(self.process.wait)
        self.process = None

    async def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(asyncio.to_thread(self.process.wait), 20)
            except TimeoutError:
                await self.kill()
        self.process = None

    async def rotate_key(self) -> None:
        """A new key first; `rotate-key` re-encrypts every check-in under it (old keys still read)."""
        self.keys.insert(0, Fernet.generate_key().decode())
        env = self.env()
        with self.log.open("ab") as out:
            done = await asyncio.to_thread(
                subprocess.run, [sys.executable, "-m", "bot", "rotate-key"], cwd=ROOT, env=env, stdout=out, stderr=out
            )
        if done.returncode != 0:
            raise RuntimeError("rotate-key failed; see the bot log")


class Chaos:
    """One chaos run: the world, the bot process, the members' activity, the faults and the kills."""

    def __init__(self, minutes: float, members: int, seed: int, workdir: Path, *, kill_every: float) -> None:
        self.minutes = minutes
        self.rng = random.Random(seed)
        self.workdir = workdir
        self.kill_every = kill_every
        self.sandbox = Sandbox()
        self.member_count = members
        self.tally = Tally()
        self.checkins: list[Checkin] = []
        self.forgotten: list[int] = []
        self.schedules: dict[int, datetime] = {}
        self.database_url = f"sqlite:///{workdir / 'chaos.sqlite3'}"
        self.keys = [Fernet.generate_key().decode()]
        self.bot = BotProcess(self.sandbox, self.database_url, self.keys, workdir / "bot.log")
        self.partners_channel: Channel | None = None
        self.stop_faults = asyncio.Event()

    # ----- the world ------------------------------------------------------------------------------

    async def build(self) -> None:
        await self.sandbox.start()
        names = tuple(f"member{i:02d}" for i in range(self.member_count))
        self.community = build_demo_community(self.sandbox, members=names)
        self.partners_channel = self.sandbox.add_channel(self.community.guild, "partners")
        self.people = [self.community.people[n] for n in names]
        self.forgetters = self.people[:FORGETTERS]
        self.prompted = self.people[FORGETTERS:]
        await self.seed()

    async def seed(self) -> None:
        """The community, one DM schedule per minute of the run, and members who want DM prompts."""
        from bot.storage.database import Database

        db = await Database.open(self.database_url, self.keys)
        guild = self.community.guild.id
        now = datetime.now(UTC)
        first = (now + timedelta(minutes=1)).replace(second=0, microsecond=0)
        try:
            await db.communities.configure(
                guild,
                timezone="UTC",
                setup_at=now,
                checkin_channel_id=self.community.checkin_channel.id,
                alert_channel_id=self.community.leaders_channel.id,
            )
            for index in range(int(self.minutes) + 1):
                at = first + timedelta(minutes=index)
                schedule = await db.schedules.add(
                    guild,
                    name=f"chaos-{index:02d}",
                    weekdays=frozenset(range(7)),
                    local_time=time(at.hour, at.minute),
                    destination="dm",
                    reminder_minutes=None,
                    daily_thread=False,
                    question=None,
                )
                self.schedules[schedule.id] = at
            for member in self.prompted:
                await db.members.update(guild, member.user.id, dm_prompts=True)
        finally:
            await db.close()

    # ----- members ----------------------------------------------------------------------------------

    async def interact(self, action: Any) -> Any:
        try:
            return await action
        except (DriverError, TimeoutError):
            self.tally.unanswered_interactions += 1
            return None

    async def check_in(self, member: Actor) -> None:
        note = f"chaos-{self.rng.randrange(16**8):08x}"
        prompts = [m for m in member.dms() if any(b.get("label") == "Check in" for b in buttons(m))]
        if prompts and self.rng.random() < 0.5:
            opened = await self.interact(member.click(prompts[-1], "Check in", timeout=8))
        else:
            opened = await self.interact(member.slash("checkin", timeout=8))
        if opened is None or opened.modal is None:
            return
        record = Checkin(member.user.id, note, acknowledged=False)
        self.checkins.append(record)
        values = {MOOD: str(self.rng.randint(1, 5)), CRAVINGS: str(self.rng.randint(0, 4)), NOTE: note}
        reply = await self.interact(member.submit(opened.modal, values, timeout=8))
        if reply is not None and reply.content.startswith("Thanks for checking in."):
            record.acknowledged = True
            self.tally.checkins_acknowledged += 1

    async def forget(self, member: Actor) -> None:
        asked = await self.interact(member.slash("forget", timeout=8))
        if asked is None or asked.message is None:
            return
        done = await self.interact(member.click(asked.message, "Yes, delete everything", timeout=15))
        if done is not None and "I deleted" in done.content:
            self.forgotten.append(member.user.id)
            self.tally.forgets_acknowledged += 1

    async def partner_round(self) -> None:
        lee = self.community.people["lee"]
        reply = await self.interact(lee.slash("partners pair-now", timeout=10))
        if reply is not None:
            with contextlib.suppress(DriverError, TimeoutError):
                await reply.settled(timeout=10)

    async def community_life(self, until: float) -> None:
        loop = asyncio.get_running_loop()
        lee = self.community.people["lee"]
        # Partner rounds need a channel and members who joined; retried until the bot answers.
        while loop.time() < until:
            configured = await self.interact(
                lee.slash("partners config", channel=self.partners_channel, cadence="weekly", enabled=True, timeout=8)
            )
            if configured is not None and configured.content.startswith("Partner rounds: on"):
                break
            await asyncio.sleep(1)
        for member in self.prompted[:8]:
            await self.interact(member.slash("partner join", timeout=8))
        forget_at = {
            m.user.id: loop.time() + self.rng.uniform(20, max(30, until - loop.time() - 30)) for m in self.forgetters
        }
        rounds_at = [loop.time() + (until - loop.time()) * share for share in (0.3, 0.7)]
        # A member who asked to be forgotten does nothing else: what remains of them afterwards is half-done.
        asked_to_forget: set[int] = set()
        while loop.time() < until:
            if rounds_at and loop.time() >= rounds_at[0]:
                rounds_at.pop(0)
                await self.partner_round()
            for member in self.forgetters:
                if member.user.id not in self.forgotten and loop.time() >= forget_at[member.user.id]:
                    await self.forget(member)
                    # Unanswered (the bot was down): ask again a little later, as a member would.
                    forget_at[member.user.id] = loop.time() + 10
                    asked_to_forget.add(member.user.id)
            active = [m for m in self.people if m.user.id not in asked_to_forget]
            if active:
                await self.check_in(self.rng.choice(active))
            await asyncio.sleep(self.rng.uniform(0.5, 2.0))

    # ----- faults and kills --------------------------------------------------------------------------

    async def inject_faults(self, until: float) -> None:
        loop = asyncio.get_running_loop()
        sandbox = self.sandbox
        while loop.time() < until:
            await asyncio.sleep(self.rng.uniform(2, 5))
            kind = self.rng.choice(
                ["429 global", "429 route", "tight limit", "5xx", "5xx delivered", "slow", "op 7", "op 9", "socket"]
            )
            self.tally.faults[kind] += 1
            if kind == "429 global":
                sandbox.inject(
                    "*",
                    "/channels/*",
                    429,
                    is_global=True,
                    retry_after=self.rng.uniform(0.3, 2),
                    for_seconds=self.rng.uniform(2, 6),
                )
            elif kind == "429 route":
                sandbox.inject("POST", "/channels/*/messages", 429, retry_after=1.0, for_seconds=self.rng.uniform(2, 6))
            elif kind == "tight limit":
                sandbox.limiter.set_global(5)
                loop.call_later(self.rng.uniform(5, 10), sandbox.limiter.set_global, 50)
            elif kind == "5xx":
                status = self.rng.choice([500, 502, 503, 504])
                sandbox.inject("POST", "/channels/*/messages", status, times=self.rng.randint(1, 6))
            elif kind == "5xx delivered":
                sandbox.inject("POST", "/channels/*/messages", 503, delivered=True, times=self.rng.randint(1, 3))
            elif kind == "slow":
                sandbox.inject("*", "/channels/*", 0, delay=self.rng.uniform(1, 4), for_seconds=self.rng.uniform(2, 5))
            else:
                with contextlib.suppress(Exception):
                    if kind == "op 7":
                        await sandbox.gateway.request_reconnect()
                    elif kind == "op 9":
                        await sandbox.gateway.invalidate_session(resumable=self.rng.random() < 0.5)
                    else:
                        await sandbox.gateway.drop_connection()

    async def kill_and_restart(self, until: float) -> None:
        loop = asyncio.get_running_loop()
        while loop.time() < until:
            await asyncio.sleep(self.rng.uniform(0.5, 1.5) * self.kill_every)
            if loop.time() >= until:
                break
            await self.bot.kill()
            self.tally.kills += 1
            if self.rng.random() < 0.2:
                await self.bot.rotate_key()
                self.tally.key_rotations += 1
            self.bot.start()

    # ----- the run -------------------------------------------------------------------------------------

    async def run(self, settle_seconds: float = 150.0) -> Tally:
        await self.build()
        loop = asyncio.get_running_loop()
        self.bot.start()
        try:
            await self.sandbox.wait_until(lambda: self.sandbox.gateway.identify_count > 0, timeout=60)
            until = loop.time() + self.minutes * 60
            await asyncio.gather(self.community_life(until), self.inject_faults(until), self.kill_and_restart(until))
            self.tally.fault_hits = self.sandbox.faults.counts()
            self.sandbox.faults.clear()
            self.sandbox.limiter.set_global(50)
            if self.bot.process is None or self.bot.process.poll() is not None:
                self.bot.start()
            # Faults off: every schedule's minute comes while the bot runs, every prompt arrives, then nothing
            # more. Waiting for all of them (not only those due so far) keeps a minute that turns during the
            # bot's shutdown from counting as lost.
            with contextlib.suppress(TimeoutError):
                await self.sandbox.wait_until(
                    lambda: len(self.due_schedules()) == len(self.schedules) and self.missing_prompts() == 0,
                    timeout=settle_seconds,
                )
            await asyncio.sleep(10)
        finally:
            await self.bot.stop()
        await self.count()
        await self.sandbox.stop()
        return self.tally

    # ----- counting ------------------------------------------------------------------------------------

    def due_schedules(self) -> dict[int, datetime]:
        now = datetime.now(UTC)
        return {sid: at for sid, at in self.schedules.items() if at <= now}

    def prompt_counts(self, member: Actor) -> Counter[int]:
        """Prompts a member got per schedule, read from the button's custom_id (it names the occurrence)."""
        guild = self.community.guild.id
        counts: Counter[int] = Counter()
        for message in member.dms():
            for button in buttons(message):
                parts = str(button.get("custom_id", "")).split(":")
                if parts[:3] == ["lantern", "open", str(guild)] and len(parts) == 6 and parts[5] == "p":
                    counts[int(parts[3])] += 1
        return counts

    def missing_prompts(self) -> int:
        due = self.due_schedules()
        return sum(1 for m in self.prompted for sid in due if self.prompt_counts(m)[sid] == 0)

    async def count(self) -> None:
        from bot.storage.database import Database
        from bot.storage.tables import metadata

        due = self.due_schedules()
        for member in self.prompted:
            counts = self.prompt_counts(member)
            self.tally.prompts_expected += len(due)
            self.tally.prompts_lost += sum(1 for sid in due if counts[sid] == 0)
            self.tally.prompts_doubled += sum(n - 1 for n in counts.values() if n > 1)
        assert self.partners_channel is not None
        threads = [c for c in self.sandbox.world.channels.values() if c.parent_id == self.partners_channel.id]
        bot_id = self.sandbox.world.bot_user.id
        db = await Database.open(self.database_url, self.keys)
        try:
            guild = self.community.guild.id
            rounds = await db.partners.rounds(guild, 1000)
            self.tally.partner_rounds = len(rounds)
            # Each group of each round: its thread (the one Lantern recorded) has exactly one welcome. A restart
            # finishes only the latest round's groups: a group cut short and then replaced by a newer round (a
            # leader's pair-now before the bot was back) is counted apart, not as missing.
            recorded: set[int] = set()
            for index, this_round in enumerate(rounds):
                for group in await db.partners.groups(this_round.id):
                    if len(group.members) < 2:
                        continue
                    posted = self.sandbox.world.channel_messages(group.thread_id) if group.thread_id else []
                    welcomes = [m for m in posted if PARTNER_WELCOME in m.content]
                    self.tally.partner_welcomes_doubled += max(0, len(welcomes) - 1)
                    if not welcomes and index > 0:
                        self.tally.partner_groups_replaced += 1
                    else:
                        self.tally.partner_welcomes_missing += not welcomes
                    recorded.add(group.thread_id or 0)
            # A thread Discord made just before a kill, never recorded: a new one was opened for its group.
            self.tally.empty_threads_left = sum(
                1 for t in threads if t.id not in recorded and not (t.thread_members - {bot_id})
            )
            for user_id in {c.user_id for c in self.checkins}:
                if user_id in self.forgotten:
                    continue
                stored = {r.content.note for r in await db.checkins.recent(guild, user_id, limit=1000)}
                mine = [c for c in self.checkins if c.user_id == user_id]
                acknowledged = [i for i, c in enumerate(mine) if c.acknowledged]
                if not acknowledged:
                    continue
                # One check-in per day: a later one replaces it. The last thanked one must be there, unless
                # a later one (thanked or not: the bot may have died before answering) replaced it.
                allowed = {c.note for c in mine[acknowledged[-1] :]}
                if not stored & allowed:
                    self.tally.checkins_lost += 1
            async with db.engine.connect() as conn:
                for user_id in self.forgotten:
                    for table in metadata.sorted_tables:
                        if table.name == "audit_log":
                            continue
                        for column in table.columns:
                            if isinstance(column.type, BigInteger) and column.name not in ("community_id",):
                                rows = (await conn.execute(select(table).where(column == user_id))).all()
                                self.tally.half_done_deletions += len(rows)
        finally:
            await db.close()


async def run_chaos(
    minutes: float, *, members: int = 16, seed: int = 11, kill_every: float = 12.0, workdir: Path | None = None
) -> Tally:
    """One chaos run; returns the tally (the test asserts on it, the command prints it)."""
    if workdir is not None:
        return await Chaos(minutes, members, seed, workdir, kill_every=kill_every).run()
    with tempfile.TemporaryDirectory(prefix="lantern-chaos-") as tmp:
        return await Chaos(minutes, members, seed, Path(tmp), kill_every=kill_every).run()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=5.0, help="how long faults and kills go on (default 5)")
    parser.add_argument("--members", type=int, default=16)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--kill-every", type=float, default=12.0, help="mean seconds between SIGKILLs")
    parser.add_argument("--keep", type=Path, default=None, help="keep the database and bot log in this folder")
    args = parser.parse_args(argv)
    if args.keep is not None:
        args.keep.mkdir(parents=True, exist_ok=True)
    tally = asyncio.run(
        run_chaos(args.minutes, members=args.members, seed=args.seed, kill_every=args.kill_every, workdir=args.keep)
    )
    print(tally.table())
    return 0 if tally.clean else 1


if __name__ == "__main__":
    raise SystemExit(main())
