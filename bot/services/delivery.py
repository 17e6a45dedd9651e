"""Sending scheduled prompts and reminders exactly once, paced, to the right members at the right time."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.services.prompts import Prompt, channel_prompt, delivery_nonce, dm_prompt, reminder, thread_name
from bot.services.schedule_math import (
    firing_instant,
    is_paused,
    occurrence_date,
    occurrence_key,
    occurrences_between,
)
from bot.storage.database import Database
from bot.storage.models import CHANNEL_RECIPIENT, Community, Delivery, Member, Schedule
from bot.storage.scheduling import PlannedDelivery

log = logging.getLogger(__name__)


class SendError(Exception):
    """Discord refused a send: `reason` is unreachable (50007), channel_gone (10003/10008),
    no_permission (50013), or transient (anything else; not retried within this occurrence)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Messenger(Protocol):
    """What delivery needs from Discord; the bot provides the real one, tests may use the sandbox."""

    async def open_dm(self, user_id: int) -> int: ...

    async def send_dm(self, channel_id: int, prompt: Prompt, nonce: str) -> int: ...

    async def post_prompt(self, channel_id: int, prompt: Prompt, nonce: str, thread: str | None) -> int: ...

    async def alert(self, channel_id: int, text: str) -> None: ...

    async def community_name(self, community_id: int) -> str: ...


@dataclass
class Report:
    """What one firing did, for logs, tests and the benchmark (counts only: no member content)."""

    schedule_id: int
    kind: str
    instant: datetime
    sent: int = 0
    unreachable: int = 0
    failed: int = 0
    already_done: int = 0
    recipients: list[int] = field(default_factory=list)


CHANNEL_PROBLEMS = {
    "channel_gone": "the check-in channel no longer exists",
    "no_permission": "I'm missing permission to post there (I need View Channel, Send Messages, "
    "Embed Links and Create Public Threads)",
}


def zone_for(schedule: Schedule, member: Member | None, community: Community) -> str:
    """DM schedules follow each member's own zone; channel schedules follow the community's."""
    if member is not None and schedule.sends_dms and member.timezone:
        return member.timezone
    return community.timezone


def fires_at(schedule: Schedule, zone: str, instant: datetime) -> str | None:
    """The occurrence key when `schedule` fires at `instant` in `zone`, else None."""
    # Not simply the date on the clock: a time lost in a gap that ends at midnight fires the next day.
    day = occurrence_date(instant, schedule.local_time, zone)
    if day.weekday() not in schedule.weekdays:
        return None
    if firing_instant(day, schedule.local_time, ZoneInfo(zone)) != instant:
        return None
    return occurrence_key(day)


class DeliveryService:
    """Fires occurrences of schedules: the channel prompt, DM prompts and reminders."""

    def __init__(self, db: Database, clock: Clock, *, concurrency: int = 64) -> None:
        self.db = db
        self.clock = clock
        self.concurrency = concurrency
        self.messenger: Messenger | None = None

    def _require_messenger(self) -> Messenger:
        if self.messenger is None:
            raise RuntimeError("delivery has no messenger yet (the bot has not started)")
        return self.messenger

    async def _load(self, schedule_id: int) -> tuple[Schedule, Community] | None:
        schedule = await self.db.schedules.get(schedule_id)
        if schedule is None or schedule.paused:
            return None
        community = await self.db.communities.get(schedule.community_id)
        if community is None:
            return None
        return schedule, community

    # ----- who gets what, when ----------------------------------------------------------------------

    async def _members_at(
        self, schedule: Schedule, community: Community, instant: datetime, wants: Callable[[Member], bool]
    ) -> list[tuple[Member, str]]:
        members = await self.db.members.in_community(community.id)
        chosen = []
        for member in members:
            if not wants(member) or member.unreachable_at is not None or is_paused(member.paused_until, instant):
                continue
            occurrence = fires_at(schedule, zone_for(schedule, member, community), instant)
            if occurrence is not None:
                chosen.append((member, occurrence))
        return chosen

    # ----- firing -----------------------------------------------------------------------------------

    async def fire_channel(self, schedule_id: int, instant: datetime) -> Report:
        report = Report(schedule_id, "channel", instant)
        loaded = await self._load(schedule_id)
        if loaded is None:
            return report
        schedule, community = loaded
        occurrence = fires_at(schedule, community.timezone, instant)
        if not schedule.posts_in_channel or occurrence is None or community.checkin_channel_id is None:
            return report
        nonce = delivery_nonce(schedule.id, CHANNEL_RECIPIENT, occurrence, "channel")
        planned = [PlannedDelivery(CHANNEL_RECIPIENT, nonce, community.checkin_channel_id)]
        todo = await self.db.deliveries.reserve(schedule, occurrence, "channel", instant, planned)
        if not todo:
            report.already_done = 1
            return report
        day = occurrence_date(instant, schedule.local_time, community.timezone)
        thread = thread_name(day) if schedule.daily_thread else None
        try:
            message_id = await self._require_messenger().post_prompt(
                community.checkin_channel_id, channel_prompt(schedule, occurrence), nonce, thread
            )
        except SendError as error:
            await self.db.deliveries.finish([(todo[0].id, "failed", None, None)], self.clock())
            report.failed = 1
            if error.reason in CHANNEL_PROBLEMS:
                await self._pause_for_channel_problem(schedule, community, error.reason)
            return report
        await self.db.deliveries.finish([(todo[0].id, "sent", None, message_id)], self.clock())
        report.sent = 1
        return report

    async def _pause_for_channel_problem(self, schedule: Schedule, community: Community, reason: str) -> None:
        problem = CHANNEL_PROBLEMS[reason]
        await self.db.schedules.update(schedule.id, paused=True, pause_reason=problem)
        log.warning("schedule %s paused: %s", schedule.id, reason)
        if community.alert_channel_id is None:
            return
        channel = f"<#{community.checkin_channel_id}>"
        text = (
            f"I've paused the **{schedule.name}** check-in: I couldn't post it in {channel} "
            f"because {problem}. Fix that (or pick another channel with `/setup`), "
            f"then run `/schedule resume name:{schedule.name}`."
        )
        try:
            await self._require_messenger().alert(community.alert_channel_id, text)
        except SendError as error:
            log.warning("could not alert the leaders of community %s: %s", community.id, error.reason)

    async def fire_dms(self, schedule_id: int, instant: datetime) -> Report:
        report = Report(schedule_id, "prompt", instant)
        loaded = await self._load(schedule_id)
        if loaded is None:
            return report
        schedule, community = loaded
        if not schedule.sends_dms:
            return report
        targets = await self._members_at(schedule, community, instant, lambda m: m.dm_prompts)
        name = await self._require_messenger().community_name(community.id)
        return await self._fan_out(schedule, "prompt", instant, targets, report, lambda o: dm_prompt(schedule, o, name))

    async def fire_reminders(self, schedule_id: int, prompt_instant: datetime) -> Report:
        report = Report(schedule_id, "reminder", prompt_instant)
        loaded = await self._load(schedule_id)
        if loaded is None:
            return report
        schedule, community = loaded
        if schedule.reminder_minutes is None:
            return report
        candidates = await self._members_at(schedule, community, prompt_instant, lambda m: m.reminders)
        # One query per occurrence date (members in far-apart zones may be on different dates), not per member.
        checked_in: dict[str, set[int]] = {}
        for occurrence in {occurrence for _, occurrence in candidates}:
            checked_in[occurrence] = await self.db.checkins.who_checked_in(community.id, date.fromisoformat(occurrence))
        targets = [(m, occurrence) for m, occurrence in candidates if m.user_id not in checked_in[occurrence]]
        name = await self._require_messenger().community_name(community.id)
        return await self._fan_out(
            schedule, "reminder", prompt_instant, targets, report, lambda o: reminder(schedule, o, name)
        )

    async def _fan_out(
        self,
        schedule: Schedule,
        kind: str,
        instant: datetime,
        targets: list[tuple[Member, str]],
        report: Report,
        make: Callable[[str], Prompt],
    ) -> Report:
        by_occurrence: dict[str, list[Member]] = {}
        for member, occurrence in targets:
            by_occurrence.setdefault(occurrence, []).append(member)
        for occurrence, members in by_occurrence.items():
            planned = [
                PlannedDelivery(m.user_id, delivery_nonce(schedule.id, m.user_id, occurrence, kind), m.dm_channel_id)
                for m in members
            ]
            todo = await self.db.deliveries.reserve(schedule, occurrence, kind, instant, planned)
            report.already_done += len(planned) - len(todo)
            cached = {m.user_id: m.dm_channel_id for m in members}
            await self._send_all(todo, cached, make(occurrence), report)
        return report

    async def _send_all(
        self, todo: list[Delivery], dm_channels: dict[int, int | None], prompt: Prompt, report: Report
    ) -> None:
        messenger = self._require_messenger()
        results: list[tuple[int, str, int | None, int | None]] = []
        gate = asyncio.Semaphore(self.concurrency)
        flush_lock = asyncio.Lock()

        async def flush(force: bool = False) -> None:
            async with flush_lock:
                if results and (force or len(results) >= 200):
                    batch = results[:]
                    results.clear()
                    await self.db.deliveries.finish(batch, self.clock())

        async def send_one(delivery: Delivery) -> None:
            async with gate:
                channel_id = delivery.channel_id or dm_channels.get(delivery.user_id)
                try:
                    if channel_id is None:
                        channel_id = await messenger.open_dm(delivery.user_id)
                        await self.db.members.set_dm_channel_everywhere(delivery.user_id, channel_id)
                    message_id = await messenger.send_dm(channel_id, prompt, delivery.nonce)
                except SendError as error:
                    if error.reason == "unreachable":
                        await self.db.members.mark_unreachable_everywhere(delivery.user_id, self.clock())
                        results.append((delivery.id, "unreachable", channel_id, None))
                        report.unreachable += 1
                    else:
                        results.append((delivery.id, "failed", channel_id, None))
                        report.failed += 1
                        log.warning("a %s to one member was refused: %s", prompt.kind, error.reason)
                else:
                    results.append((delivery.id, "sent", channel_id, message_id))
                    report.sent += 1
                    report.recipients.append(delivery.user_id)
            await flush()

        await asyncio.gather(*(send_one(d) for d in todo))
        await flush(force=True)

    # ----- after a restart --------------------------------------------------------------------------

    async def catch_up(self, now: datetime | None = None) -> list[Report]:
        """Send occurrences whose time passed while the bot was down, if still within their grace window."""
        now = now or self.clock()
        reports: list[Report] = []
        for schedule in await self.db.schedules.active():
            community = await self.db.communities.get(schedule.community_id)
            if community is None:
                continue
            for kind, instant in await self.missed(schedule, community, now):
                reports.append(await self.run(kind, schedule.id, instant))
        return reports

    async def missed(self, schedule: Schedule, community: Community, now: datetime) -> list[tuple[str, datetime]]:
        """(kind, instant) firings of this schedule that fell in its grace window before `now`."""
        grace = timedelta(minutes=schedule.grace_minutes)
        zones = {community.timezone}
        if schedule.sends_dms or schedule.reminder_minutes is not None:
            zones |= {zone_for(schedule, m, community) for m in await self.db.members.in_community(community.id)}
        found: list[tuple[str, datetime]] = []
        for zone in sorted(zones):
            for instant in occurrences_between(now - grace, now, schedule.local_time, schedule.weekdays, zone):
                if zone == community.timezone and schedule.posts_in_channel:
                    found.append(("channel", instant))
                if schedule.sends_dms:
                    found.append(("prompt", instant))
            if schedule.reminder_minutes is not None:
                delay = timedelta(minutes=schedule.reminder_minutes)
                window_start = now - grace - delay
                for instant in occurrences_between(
                    window_start, now - delay, schedule.local_time, schedule.weekdays, zone
                ):
                    found.append(("reminder", instant))
        return sorted(set(found), key=lambda item: (item[1], item[0]))

    async def run(self, kind: str, schedule_id: int, instant: datetime) -> Report:
        runner: dict[str, Callable[[int, datetime], Awaitable[Report]]] = {
            "channel": self.fire_channel,
            "prompt": self.fire_dms,
            "reminder": self.fire_reminders,
        }
        return await runner[kind](schedule_id, instant)
