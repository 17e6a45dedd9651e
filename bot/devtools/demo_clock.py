"""The demo's clock: Lantern's injected clock, moved by demo actions so tomorrow's prompt is seen in minutes."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.devtools.harness import Harness
from bot.logs import describe_error
from bot.services.scheduler import PARTNER_KINDS, PlannedJob, SchedulerService
from discord_standin.server import Sandbox

log = logging.getLogger(__name__)

PROMPT_KINDS = ("channel", "prompt")
TICK_SECONDS = 1.0


class DemoClock:
    """The machine's time plus an offset that only moves forward, as a day passing would."""

    def __init__(self, now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self._now = now
        self.offset = timedelta(0)

    def __call__(self) -> datetime:
        return self._now() + self.offset

    def jump_to(self, moment: datetime) -> None:
        """Move the clock to `moment` (never backwards: what already happened stays in the past)."""
        self.offset = max(self.offset, self.offset + (moment - self()))


def next_job(scheduler: SchedulerService, kinds: tuple[str, ...]) -> PlannedJob | None:
    """The earliest planned timer of these kinds, if any."""
    jobs = [job for job in scheduler.planned.values() if job.kind in kinds]
    return min(jobs, default=None)


def tomorrow_at(now: datetime, zone: str, at: time) -> datetime:
    """Tomorrow at `at`, local time in `zone`, as a UTC instant."""
    local = now.astimezone(ZoneInfo(zone))
    moment = datetime.combine(local.date() + timedelta(days=1), at, tzinfo=ZoneInfo(zone))
    return moment.astimezone(UTC)


def span(delta: timedelta) -> str:
    """A forward jump in words: "1 day 3 hours", "20 minutes"."""
    minutes = int(delta.total_seconds() // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = [(days, "day"), (hours, "hour"), (minutes, "minute")]
    words = [f"{n} {unit}{'' if n == 1 else 's'}" for n, unit in parts if n]
    return " ".join(words[:2]) or "less than a minute"


class DemoTime:
    """Moves the demo's clock and runs whatever became due; a ticker runs due timers as real time passes.

    The demo runs Lantern with its own timers off (as the tests do) and calls the scheduler's `run_due`
    itself, so a jump of the clock fires the prompts, reminders and partner rounds it passes over, in order.
    """

    def __init__(
        self,
        clock: DemoClock,
        scheduler: Callable[[], SchedulerService | None],
        zone: Callable[[], Awaitable[str]],
    ) -> None:
        self.clock = clock
        self._scheduler = scheduler
        # Read afresh each time: a leader's /setup may change the community's timezone mid-demo.
        self._zone = zone
        self._ticker: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()

    async def now_text(self) -> str:
        local = self.clock().astimezone(ZoneInfo(await self._zone()))
        return f"{local:%A} {local.day} {local:%B}, {local:%H:%M}"

    async def status(self) -> str:
        """What the `clock` command shows: the demo's time, its zone, and how far ahead of real time it is."""
        ahead = "the same as real time" if not self.clock.offset else f"{span(self.clock.offset)} ahead of real time"
        return f"Demo time: {await self.now_text()} ({await self._zone()}), {ahead}."

    async def run_due(self) -> int:
        """Run every timer due by the demo's clock; returns how many ran."""
        scheduler = self._scheduler()
        if scheduler is None:
            return 0
        async with self._lock:
            before = {job.id for job in scheduler.planned.values()}
            await scheduler.run_due(self.clock())
            return len(before - {job.id for job in scheduler.planned.values()})

    async def jump_to(self, moment: datetime) -> int:
        self.clock.jump_to(moment)
        return await self.run_due()

    async def next_prompt(self) -> str:
        scheduler = self._scheduler()
        job = None if scheduler is None else next_job(scheduler, PROMPT_KINDS)
        if job is None:
            return "No check-in prompt is planned yet: a peer leader sets one up with /setup or /schedule add."
        await self.jump_to(job.run_at)
        return f"It is now {await self.now_text()}: the next check-in prompt went out."

    async def tomorrow_morning(self) -> str:
        ran = await self.jump_to(tomorrow_at(self.clock(), await self._zone(), time(9, 0)))
        return f"It is now {await self.now_text()} ({ran} planned {'step' if ran == 1 else 'steps'} ran on the way)."

    async def partner_round(self) -> str:
        scheduler = self._scheduler()
        job = None if scheduler is None else next_job(scheduler, (PARTNER_KINDS[0],))
        if job is None:
            return "Partner rounds are off: a peer leader turns them on with /partners config."
        await self.jump_to(job.run_at)
        return f"It is now {await self.now_text()}: the partner round ran."

    def start(self) -> None:
        if self._ticker is None:
            self._ticker = asyncio.create_task(self._tick(), name="demo-clock")

    async def stop(self) -> None:
        if self._ticker is not None:
            self._ticker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._ticker
            self._ticker = None

    async def _tick(self) -> None:
        while True:
            await asyncio.sleep(TICK_SECONDS)
            try:
                await self.run_due()
            except Exception as error:  # a demo timer that raises must not stop the demo's clock
                log.error("demo clock: running due timers raised %s", describe_error(error))


def community_timezone(harness: Harness) -> Callable[[], Awaitable[str]]:
    """The demo community's timezone as Lantern stores it ("UTC" until it has one)."""

    async def zone() -> str:
        if harness.services is None or harness.community is None:
            return "UTC"
        community = await harness.services.db.communities.get(harness.community.guild.id)
        return community.timezone if community is not None else "UTC"

    return zone


def demo_time_for(harness: Harness, clock: DemoClock) -> DemoTime:
    """Demo time for a harness built with `clock` and its own timers off; the scheduler of whichever bot runs."""
    return DemoTime(
        clock,
        lambda: harness.services.scheduler if harness.services is not None else None,
        community_timezone(harness),
    )


DEMO_ACTIONS = (
    ("next_prompt", "Send the next prompt now"),
    ("tomorrow_morning", "Jump to tomorrow 9:00"),
    ("partner_round", "Run the partner round now"),
)


def offer_demo_actions(sandbox: Sandbox, demo_time: DemoTime) -> None:
    """Give the stand-in's page and terminal the clock's buttons."""
    for name, label in DEMO_ACTIONS:
        sandbox.add_demo_action(name, label, getattr(demo_time, name))
