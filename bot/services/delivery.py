"""Sending scheduled prompts and reminders exactly once, paced, to the right members at the right time."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.logs import describe_error
from bot.services.community_language import CommunityLanguages
from bot.services.delivery_errors import SendError
from bot.services.messages import DEFAULT_LANGUAGE, message
from bot.services.outbox import Outbox
from bot.services.prompts import Prompt, channel_prompt, delivery_nonce, dm_prompt, reminder, thread_name
from bot.services.retry_policy import backoff, grace_end, nonce_still_trusted
from bot.services.schedule_math import (
    firing_instant,
    is_paused,
    occurrence_date,
    occurrence_key,
    occurrences_between,
)
from bot.storage.database import Database
from bot.storage.models import CHANNEL_RECIPIENT, Community, Delivery, Member, Schedule
from bot.storage.scheduling import Outcome, PlannedDelivery

__all__ = ["DeliveryService", "Messenger", "Report", "SendError"]

log = logging.getLogger(__name__)


class Messenger(Protocol):
    """What delivery needs from Discord; the bot provides the real one, tests may use the sandbox."""

    async def open_dm(self, user_id: int) -> int: ...

    async def send_dm(self, channel_id: int, prompt: Prompt, nonce: str) -> int: ...

    async def post_prompt(self, channel_id: int, prompt: Prompt, nonce: str, thread: str | None) -> int: ...

    async def find_prompt(self, channel_id: int, prompt: Prompt) -> int | None:
        """The id of this prompt (same occurrence, same kind) among the channel's recent messages, if there."""
        ...

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
    retrying: int = 0
    already_done: int = 0
    found_sent: int = 0
    recipients: list[int] = field(default_factory=list)


# The reason kept with a paused schedule (shown to leaders in English by /schedule list) and, by its
# catalogue key, in the alert channel's language.
CHANNEL_PROBLEMS = {
    "channel_gone": message("shared", DEFAULT_LANGUAGE, "problem_channel_gone"),
    "no_permission": message("shared", DEFAULT_LANGUAGE, "problem_no_permission"),
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
    """Fires occurrences of schedules: the channel prompt, DM prompts and reminders; and tries again, from the
    database, the sends Discord refused for a passing reason (bot/services/retry_policy.py)."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        outbox: Outbox,
        *,
        concurrency: int = 64,
        send_timeout: float = 60.0,
        languages: CommunityLanguages | None = None,
    ) -> None:
        self.db = db
        # The server's language, for its channel's prompt and the alert channel.
        self.languages = languages or CommunityLanguages()
        self.clock = clock
        self.outbox = outbox
        self.concurrency = concurrency
        # A send that hangs this long is given up on for now and tried again later, like a 5xx.
        self.send_timeout = send_timeout
        self.messenger: Messenger | None = None
        # A community's hard dates: the supportive line for a prompt's occurrence (set by create_services).
        self.day_lines: Callable[[int], Awaitable[Callable[[str, str], str | None]]] | None = None
        # Rows being sent by this process: a restart's recovery and the retry timer leave them alone.
        self._in_flight: set[int] = set()
        self._retry_lock = asyncio.Lock()

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

    @staticmethod
    def give_up_at(schedule: Schedule, kind: str, instant: datetime, zone: str) -> datetime:
        """The end of this send's grace window; `instant` is the prompt's (a reminder is due later)."""
        if kind == "reminder":
            due = instant + timedelta(minutes=schedule.reminder_minutes or 0)
            return grace_end("reminder", due, zone)
        return grace_end(kind, instant, zone, schedule.reminder_minutes)

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
        todo = await self.db.deliveries.reserve(
            schedule,
            occurrence,
            "channel",
            instant,
            planned,
            reserved_at=self.clock(),
            give_up_at=self.give_up_at(schedule, "channel", instant, community.timezone),
        )
        if not todo:
            report.already_done = 1
            return report
        await self._send_channel_prompt(schedule, community, occurrence, todo, report)
        return report

    async def _send_channel_prompt(
        self, schedule: Schedule, community: Community, occurrence: str, todo: list[Delivery], report: Report
    ) -> None:
        day = date.fromisoformat(occurrence)
        # Everyone in the channel reads it: the server's language, as it is now (a retry follows a change).
        language = self.languages(community.id)
        thread = thread_name(day, language) if schedule.daily_thread else None
        line = await self._lines_for(community.id)
        prompt = channel_prompt(schedule, occurrence, line(occurrence, language), language)
        outcomes = await self._send_all(todo, {}, lambda _: prompt, report, thread=thread)
        for outcome in outcomes:
            if outcome.state == "failed" and outcome.problem in CHANNEL_PROBLEMS:
                await self._pause_for_channel_problem(schedule, community, outcome.problem)

    async def _pause_for_channel_problem(self, schedule: Schedule, community: Community, reason: str) -> None:
        await self.db.schedules.update(schedule.id, paused=True, pause_reason=CHANNEL_PROBLEMS[reason])
        log.warning("schedule %s paused: %s", schedule.id, reason)
        if community.alert_channel_id is None:
            return
        language = self.languages(community.id)
        text = message(
            "shared",
            language,
            "schedule_paused",
            schedule=schedule.name,
            channel=f"<#{community.checkin_channel_id}>",
            problem=message("shared", language, f"problem_{reason}"),
        )
        # Through the outbox: if Discord is having a bad moment, the alert goes out when it is over.
        await self.outbox.send(community.id, "alert", community.alert_channel_id, text)

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
        line = await self._lines_for(community.id)
        return await self._fan_out(
            schedule,
            community,
            "prompt",
            instant,
            targets,
            report,
            lambda o, lang: dm_prompt(schedule, o, name, lang, line(o, lang)),
        )

    async def _lines_for(self, community_id: int) -> Callable[[str, str], str | None]:
        if self.day_lines is None:
            return lambda occurrence, lang: None
        try:
            return await self.day_lines(community_id)
        except Exception as error:
            # A prompt without its line is better than no prompt.
            log.error("reading the community's dates raised %s", describe_error(error))
            return lambda occurrence, lang: None

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
            schedule,
            community,
            "reminder",
            prompt_instant,
            targets,
            report,
            lambda o, lang: reminder(schedule, o, name, lang),
        )

    async def _fan_out(
        self,
        schedule: Schedule,
        community: Community,
        kind: str,
        instant: datetime,
        targets: list[tuple[Member, str]],
        report: Report,
        make: Callable[[str, str], Prompt],
    ) -> Report:
        by_occurrence: dict[str, list[Member]] = {}
        for member, occurrence in targets:
            by_occurrence.setdefault(occurrence, []).append(member)
        for occurrence, members in by_occurrence.items():
            planned = [
                PlannedDelivery(m.user_id, delivery_nonce(schedule.id, m.user_id, occurrence, kind), m.dm_channel_id)
                for m in members
            ]
            # Members of one occurrence may live in different zones; the window closes with the latest day.
            zone = max(
                {zone_for(schedule, m, community) for m in members},
                key=lambda z: self.give_up_at(schedule, kind, instant, z),
            )
            todo = await self.db.deliveries.reserve(
                schedule,
                occurrence,
                kind,
                instant,
                planned,
                reserved_at=self.clock(),
                give_up_at=self.give_up_at(schedule, kind, instant, zone),
            )
            report.already_done += len(planned) - len(todo)
            cached = {m.user_id: m.dm_channel_id for m in members}
            await self._send_all(todo, cached, self._in_their_language(members, occurrence, make), report)
        return report

    @staticmethod
    def _in_their_language(
        members: Iterable[Member], occurrence: str, make: Callable[[str, str], Prompt]
    ) -> Callable[[Delivery], Prompt]:
        """Each member's prompt in the language their Discord last spoke (English until Lantern has seen it)."""
        languages = {m.user_id: m.language or DEFAULT_LANGUAGE for m in members}
        prompts = {lang: make(occurrence, lang) for lang in {*languages.values(), DEFAULT_LANGUAGE}}
        return lambda delivery: prompts[languages.get(delivery.user_id, DEFAULT_LANGUAGE)]

    async def _send_all(
        self,
        todo: list[Delivery],
        dm_channels: dict[int, int | None],
        prompt_for: Callable[[Delivery], Prompt],
        report: Report,
        *,
        thread: str | None = None,
    ) -> list[Outcome]:
        results: list[Outcome] = []
        every: list[Outcome] = []
        flush_lock = asyncio.Lock()

        async def flush(force: bool = False) -> None:
            async with flush_lock:
                if results and (force or len(results) >= 200):
                    batch = results[:]
                    results.clear()
                    await self.db.deliveries.finish(batch, self.clock())
                    for outcome in batch:
                        self._in_flight.discard(outcome.delivery_id)

        # A few senders share one iterator, each taking the next delivery when its last is done. One task per
        # delivery behind a semaphore held some 15 MB of waiting tasks for a fan-out to 10,000 (tracemalloc).
        waiting = iter(todo)

        async def sender() -> None:
            for delivery in waiting:
                prompt = prompt_for(delivery)
                outcome = await self._attempt(delivery, dm_channels, prompt, thread)
                self._count(outcome, delivery, prompt, report)
                results.append(outcome)
                every.append(outcome)
                await flush()

        self._in_flight.update(d.id for d in todo)
        try:
            await asyncio.gather(*(sender() for _ in range(min(self.concurrency, len(todo)))))
            await flush(force=True)
        finally:
            self._in_flight.difference_update(d.id for d in todo)
        return every

    async def _attempt(
        self, delivery: Delivery, dm_channels: dict[int, int | None], prompt: Prompt, thread: str | None
    ) -> Outcome:
        """One try at one send; never raises (an unexpected error is a passing problem, tried again later)."""
        messenger = self._require_messenger()
        channel_id = delivery.channel_id or dm_channels.get(delivery.user_id)
        try:
            if channel_id is None:
                channel_id = await messenger.open_dm(delivery.user_id)
                await self.db.members.set_dm_channel_everywhere(delivery.user_id, channel_id)
            if delivery.state == "retrying" and not nonce_still_trusted(delivery.reserved_at, self.clock()):
                # An earlier try may have reached Discord and the nonce no longer covers it: look first.
                found = await asyncio.wait_for(messenger.find_prompt(channel_id, prompt), self.send_timeout)
                if found is not None:
                    return Outcome(delivery.id, "sent", channel_id, found, problem="found", attempted=False)
            if prompt.kind == "channel":
                send = messenger.post_prompt(channel_id, prompt, delivery.nonce, thread)
            else:
                send = messenger.send_dm(channel_id, prompt, delivery.nonce)
            message_id = await asyncio.wait_for(send, self.send_timeout)
        except SendError as error:
            return await self._refused(delivery, channel_id, error)
        except TimeoutError:
            return await self._refused(delivery, channel_id, SendError("transient"))
        except Exception as error:
            log.error("a %s send raised %s", prompt.kind, describe_error(error))
            return await self._refused(delivery, channel_id, SendError("transient"))
        return Outcome(delivery.id, "sent", channel_id, message_id)

    async def _refused(self, delivery: Delivery, channel_id: int | None, error: SendError) -> Outcome:
        now = self.clock()
        if error.reason == "unreachable":
            await self.db.members.mark_unreachable_everywhere(delivery.user_id, now)
            return Outcome(delivery.id, "unreachable", channel_id, problem="unreachable")
        if error.permanent:
            return Outcome(delivery.id, "failed", channel_id, problem=error.reason)
        retry_at = now + backoff(delivery.attempts + 1, error.retry_after, delivery.id)
        if delivery.give_up_at is None or retry_at >= delivery.give_up_at:
            return Outcome(delivery.id, "failed", channel_id, problem="transient")
        return Outcome(delivery.id, "retrying", channel_id, problem="transient", retry_at=retry_at)

    @staticmethod
    def _count(outcome: Outcome, delivery: Delivery, prompt: Prompt, report: Report) -> None:
        if outcome.state == "sent":
            report.sent += 1
            report.recipients.append(delivery.user_id)
            if outcome.problem == "found":
                report.found_sent += 1
        elif outcome.state == "unreachable":
            report.unreachable += 1
        elif outcome.state == "retrying":
            report.retrying += 1
        else:
            report.failed += 1
            log.warning("a %s send could not be delivered: %s", prompt.kind, outcome.problem)

    # ----- retries ------------------------------------------------------------------------------------

    async def recover(self, now: datetime | None = None) -> int:
        """After a restart: sends the last process left mid-way join the retries (due at once)."""
        now = now or self.clock()
        return await self.db.deliveries.recover_pending(now, self._in_flight) + await self.outbox.recover(now)

    async def next_retry_at(self) -> datetime | None:
        times = [t for t in (await self.db.deliveries.next_retry_at(), await self.outbox.next_retry_at()) if t]
        return min(times, default=None)

    async def retry_due(self, now: datetime | None = None) -> list[Report]:
        """Try again every send whose retry time has come, from the database; give up on those whose grace
        window has ended. One at a time, so two timers never send the same row."""
        async with self._retry_lock:
            now = now or self.clock()
            rows = [r for r in await self.db.deliveries.due_retries(now) if r.id not in self._in_flight]
            groups: dict[tuple[int, str, str], list[Delivery]] = {}
            for row in rows:
                groups.setdefault((row.schedule_id, row.occurrence, row.kind), []).append(row)
            reports = []
            for (schedule_id, occurrence, kind), group in groups.items():
                reports.append(await self._retry_group(schedule_id, occurrence, kind, group, now))
        tally = await self.outbox.retry_due(now)
        if tally:
            log.info("retried messages: %s", ", ".join(f"{n} {state}" for state, n in sorted(tally.items())))
        return reports

    async def _retry_group(
        self, schedule_id: int, occurrence: str, kind: str, rows: list[Delivery], now: datetime
    ) -> Report:
        report = Report(schedule_id, kind, rows[0].scheduled_at)
        expired = [r for r in rows if r.give_up_at is None or r.give_up_at <= now]
        live = [r for r in rows if r not in expired]
        closing = [Outcome(r.id, "failed", problem=r.problem or "transient", attempted=False) for r in expired]
        report.failed += len(expired)
        schedule = await self.db.schedules.get(schedule_id)
        community = await self.db.communities.get(schedule.community_id) if schedule is not None else None
        if schedule is None or community is None or schedule.paused:
            closing += [Outcome(r.id, "skipped", attempted=False) for r in live]
            live = []
        if live and schedule is not None and community is not None and kind != "channel":
            still_wanted = await self._still_wanted(schedule, community, occurrence, kind, live)
            closing += [Outcome(r.id, "skipped", attempted=False) for r in live if r.user_id not in still_wanted]
            live = [r for r in live if r.user_id in still_wanted]
        if closing:
            await self.db.deliveries.finish(closing, now)
        if not live or schedule is None or community is None:
            return report
        if kind == "channel":
            await self._send_channel_prompt(schedule, community, occurrence, live, report)
            return report
        name = await self._require_messenger().community_name(community.id)
        line = await self._lines_for(community.id)
        members = await self.db.members.in_community(community.id)

        def make(o: str, lang: str) -> Prompt:
            return (
                dm_prompt(schedule, o, name, lang, line(o, lang))
                if kind == "prompt"
                else reminder(schedule, o, name, lang)
            )

        await self._send_all(live, {}, self._in_their_language(members, occurrence, make), report)
        return report

    async def _still_wanted(
        self, schedule: Schedule, community: Community, occurrence: str, kind: str, rows: list[Delivery]
    ) -> set[int]:
        """Members who still want this send: still here, still opted in, reachable, and (for a reminder)
        not checked in since."""
        members = {m.user_id: m for m in await self.db.members.in_community(community.id)}
        checked_in: set[int] = set()
        if kind == "reminder":
            checked_in = await self.db.checkins.who_checked_in(community.id, date.fromisoformat(occurrence))
        wanted = set()
        for row in rows:
            member = members.get(row.user_id)
            if member is None or member.left_at is not None or member.unreachable_at is not None:
                continue
            if (kind == "prompt" and not member.dm_prompts) or (kind == "reminder" and not member.reminders):
                continue
            if row.user_id in checked_in:
                continue
            wanted.add(row.user_id)
        return wanted

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
