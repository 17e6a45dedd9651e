"""Timers for check-ins: APScheduler jobs rebuilt from the database, one per schedule and firing instant."""

from __future__ import annotations

import asyncio
import logging
import os
import secrets
import socket
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.date import DateTrigger

from bot.clock import Clock
from bot.logs import describe_error
from bot.metrics import count_delivery, count_retried
from bot.services.data_rights import DataRightsService
from bot.services.dates import DatesService
from bot.services.days import DaysService
from bot.services.delivery import DeliveryService, Report, zone_for
from bot.services.oncall import OncallService
from bot.services.partners import PartnerService
from bot.services.schedule_math import group_by_instant, is_paused, next_occurrence
from bot.storage.database import Database
from bot.storage.models import Schedule

log = logging.getLogger(__name__)

KINDS = ("channel", "prompt", "reminder")
PARTNER_KINDS = ("round", "followup")
MAINTENANCE = "retention"
RETRY = "retry"  # one timer for the earliest send waiting to be tried again (the rows live in the database)
DAYS = "days"  # one timer for the earliest milestone note due (the counters live in the database)
ONCALL = "oncall"  # one timer for the earliest support request a leader on duty has not picked up yet
MAINTENANCE_TIME = time(3, 30)  # UTC, daily
# The daily sweep belongs to no server: with several processes, the one that takes this lease runs it. An hour
# is far longer than a sweep and far shorter than a day, so a holder that dies never blocks the next one.
MAINTENANCE_LEASE = "retention"
MAINTENANCE_LEASE_TIME = timedelta(hours=1)
# How often a process with some of the shards looks for re-planning another process asked of it.
REPLAN_POLL_SECONDS = 5.0


def process_name() -> str:
    """Who holds a lease: this host and process (for the operator reading the leases table), and a few random
    characters, so two schedulers are never taken for one."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


@dataclass(frozen=True, order=True)
class PlannedJob:
    """One timer: fire `kind` of a schedule for the occurrence at `instant`, at `run_at`. For partner
    rounds ("round", "followup") `schedule_id` holds the community's id."""

    run_at: datetime
    schedule_id: int
    kind: str  # channel | prompt | reminder
    instant: datetime

    @property
    def id(self) -> str:
        return f"lantern:{self.schedule_id}:{self.kind}:{self.instant.isoformat()}"


class SchedulerService:
    """Plans every active schedule's next firings and runs them; the database stays the source of truth.

    Members whose zones give the same instant share one job, so a community costs one job per distinct
    instant rather than one per member. A failing job is logged and never stops the scheduler.
    """

    def __init__(
        self,
        db: Database,
        delivery: DeliveryService,
        partners: PartnerService,
        data_rights: DataRightsService,
        clock: Clock,
        days: DaysService | None = None,
        dates: DatesService | None = None,
        *,
        oncall: OncallService | None = None,
    ) -> None:
        self.db = db
        self.oncall = oncall
        self.delivery = delivery
        self.partners = partners
        self.data_rights = data_rights
        self.clock = clock
        self.days = days
        self.dates = dates
        self.holder = process_name()
        self.planned: dict[str, PlannedJob] = {}
        self.started = False
        # How often each schedule was planned again after a change (what a change touched, for tests and logs).
        self.replanned: Counter[int] = Counter()
        self._scheduler: AsyncIOScheduler | None = None
        self._replan_poll: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()
        # The community of every schedule that has timers, so a community's can be found without the others.
        self._community_of: dict[int, int] = {}
        # One lock per community: a member's /pause in one community never waits for another's re-planning.
        self._community_locks: defaultdict[int, asyncio.Lock] = defaultdict(asyncio.Lock)
        # A message a command sent (a partner round started by hand) may need a retry timer too.
        delivery.outbox.on_retry(self._plan_retries_safely)
        for notes in (days, dates):
            if notes is not None:
                notes.on_change(self._plan_days_safely)
        # A support request sent to a leader on duty has a deadline: its timer is planned from the database.
        if oncall is not None:
            oncall.on_deadline(self._plan_oncall_safely)

    # ----- lifecycle ----------------------------------------------------------------------------------

    async def start(self, *, run_timers: bool = True) -> None:
        """Plan every schedule; with `run_timers` off (tests driving the clock) nothing fires by itself."""
        if run_timers:
            self._scheduler = AsyncIOScheduler(timezone="UTC")
            self._scheduler.start()
            if self.db.shards.partial:
                # A loop of its own rather than an APScheduler job, which would log each run every 5 seconds.
                self._replan_poll = asyncio.create_task(self._poll_replans(), name="lantern-replan-poll")
        await self.rebuild()
        self.started = True

    async def shutdown(self) -> None:
        self.started = False
        if self._replan_poll is not None:
            self._replan_poll.cancel()
            self._replan_poll = None
        if self._scheduler is not None and self._scheduler.running:
            self._scheduler.shutdown(wait=False)
        self._scheduler = None

    @property
    def running(self) -> bool:
        """Started, and its timers alive when it has them (tests driving the clock have none)."""
        return self.started and (self._scheduler is None or bool(self._scheduler.running))

    # ----- planning ---------------------------------------------------------------------------------

    async def rebuild(
        self, schedule_ids: list[int] | None = None, *, kinds: tuple[str, ...] = KINDS, after: datetime | None = None
    ) -> None:
        """Re-plan the given schedules (all when None) from the database: their next firing of each kind
        strictly after `after` (default: now)."""
        async with self._lock:
            schedules = await self.db.schedules.active()
            wanted = {s.id for s in schedules} if schedule_ids is None else set(schedule_ids)
            for job_id in [j for j, job in self.planned.items() if job.schedule_id in wanted and job.kind in kinds]:
                self._unplan(job_id)
            for schedule in schedules:
                if schedule.id in wanted:
                    self._community_of[schedule.id] = schedule.community_id
                    for job in await self.plan(schedule, after, kinds=kinds):
                        self._add(job)
        if schedule_ids is None:
            await self.rebuild_partners()
            self._plan_maintenance()
            await self.plan_days()
            await self._plan_oncall_safely()

    def _plan_maintenance(self) -> None:
        at = next_occurrence(self.clock(), MAINTENANCE_TIME, frozenset(range(7)), "UTC")
        for job_id in [j for j, job in self.planned.items() if job.kind == MAINTENANCE]:
            self._unplan(job_id)
        self._add(PlannedJob(at, 0, MAINTENANCE, at))

    async def plan_retries(self, *, not_before: datetime | None = None) -> None:
        """One timer at the earliest retry the database holds (none when nothing waits). Planned after the
        bot is ready (catch-up) and after each delivery job, never before: a prompt names its community."""
        when = await self.delivery.next_retry_at()
        if when is not None and not_before is not None:
            when = max(when, not_before)
        for job_id in [j for j, job in self.planned.items() if job.kind == RETRY]:
            self._unplan(job_id)
        if when is not None:
            self._add(PlannedJob(when, 0, RETRY, when))

    async def plan_days(self, *, not_before: datetime | None = None) -> None:
        """One timer at the earliest private note the database holds (a milestone, a hard date's eve)."""
        found = [await n.next_note_at() for n in (self.days, self.dates) if n is not None]
        when = min((w for w in found if w is not None), default=None)
        if when is not None and not_before is not None:
            when = max(when, not_before)
        for job_id in [j for j, job in self.planned.items() if job.kind == DAYS]:
            self._unplan(job_id)
        if when is not None:
            self._add(PlannedJob(when, 0, DAYS, when))

    async def _plan_days_safely(self, *, not_before: datetime | None = None) -> None:
        try:
            await self.plan_days(not_before=not_before)
        except Exception as error:
            log.error("planning milestone notes raised %s", type(error).__name__)

    async def plan_oncall(self, *, not_before: datetime | None = None) -> None:
        """One timer at the earliest deadline of a support request no leader has picked up (none when none
        waits): rebuilt from the database at start, so a restart loses no deadline."""
        if self.oncall is None:
            return
        when = await self.oncall.next_deadline()
        if when is not None:
            # A deadline that passed while the bot was down fires now: a timer in the past could be dropped
            # as a misfire, leaving the request waiting for good.
            when = max(when, not_before or self.clock(), self.clock())
        for job_id in [j for j, job in self.planned.items() if job.kind == ONCALL]:
            self._unplan(job_id)
        if when is not None:
            self._add(PlannedJob(when, 0, ONCALL, when))

    async def _plan_oncall_safely(self, *, not_before: datetime | None = None) -> None:
        try:
            await self.plan_oncall(not_before=not_before)
        except Exception as error:
            log.error("planning support-request deadlines raised %s", type(error).__name__)

    async def _run_oncall(self) -> None:
        not_before = None
        if self.oncall is not None:
            try:
                expired = await self.oncall.expire_due(self.clock())
                if expired:
                    log.info("%d support requests were not picked up in time; the leaders' channel was told", expired)
            except Exception as error:
                log.error("support-request deadlines raised %s", describe_error(error))
                # Not again at once: a minute later, rather than a busy loop on the same failure.
                not_before = self.clock() + timedelta(minutes=1)
        await self._plan_oncall_safely(not_before=not_before)

    async def rebuild_partners(self) -> None:
        """Partner rounds and their follow-ups, one timer each per community, from the database."""
        async with self._lock:
            for job_id in [j for j, job in self.planned.items() if job.kind in PARTNER_KINDS]:
                self._unplan(job_id)
            for kind, community_id, when in await self.partners.due(self.clock()):
                self._add(PlannedJob(when, community_id, kind, when))

    async def rebuild_community(self, community_id: int, *, kinds: tuple[str, ...] = KINDS) -> None:
        """Re-plan this community's schedules (one of them, or a member's settings, changed) and no other's.

        Timers stay shared per instant: a schedule's members in the same zone still have one job. A community on
        another process's shard (a member changed a setting in a DM, which arrives on shard 0) is left to that
        process: the request goes through the database.
        """
        if not self.db.shards.owns(community_id):
            await self.db.replans.request(community_id, kinds, self.clock())
            return
        async with self._community_locks[community_id]:
            current = await self.db.schedules.in_community(community_id)
            # Removed or paused schedules must lose their timers too: those known to be this community's.
            ids = {s.id for s in current} | {sid for sid, cid in self._community_of.items() if cid == community_id}
            for job_id in [j for j, job in self.planned.items() if job.schedule_id in ids and job.kind in kinds]:
                self._unplan(job_id)
            for schedule in current:
                if schedule.paused:
                    continue
                self._community_of[schedule.id] = community_id
                for job in await self.plan(schedule, kinds=kinds):
                    self._add(job)
                self.replanned[schedule.id] += 1

    async def _poll_replans(self) -> None:
        while True:
            await asyncio.sleep(REPLAN_POLL_SECONDS)
            await self.take_replans()

    async def take_replans(self) -> int:
        """Re-plan the communities other processes asked this one to (its shards'). Returns how many.

        The retry timer is planned again too: a message another process recorded for one of this process's
        servers (an alert after a DM button) and could not send is this process's to retry."""
        try:
            requests = await self.db.replans.take()
            for community_id, kinds in requests.items():
                await self.rebuild_community(community_id, kinds=tuple(k for k in KINDS if k in kinds))
        except Exception as error:
            log.error("re-planning asked by another process raised %s", describe_error(error))
            return 0
        planned = [job.run_at for job in self.planned.values() if job.kind == RETRY]
        waiting = await self.delivery.next_retry_at()
        if waiting is not None and (not planned or waiting < min(planned)):
            await self._plan_retries_safely()
        return len(requests)

    async def rebuild_for_member(self, community_id: int) -> None:
        """A member's own settings changed (pause, DMs, reminders, timezone): only the timers that depend
        on members (DM prompts and reminders) of their community are planned again."""
        await self.rebuild_community(community_id, kinds=("prompt", "reminder"))

    async def plan(
        self, schedule: Schedule, after: datetime | None = None, *, kinds: tuple[str, ...] = KINDS
    ) -> list[PlannedJob]:
        """The next firing of each kind of this schedule after `after`, grouped by instant.

        For reminders `after` is a prompt instant: a reminder belongs to the prompt before it. When
        re-planning from "now", reminders whose prompt already went out may still be ahead.
        """
        explicit = after is not None
        after = after or self.clock()
        community = await self.db.communities.get(schedule.community_id)
        if community is None or schedule.paused:
            return []
        jobs: list[PlannedJob] = []
        if "channel" in kinds and schedule.posts_in_channel and community.checkin_channel_id is not None:
            instant = next_occurrence(after, schedule.local_time, schedule.weekdays, community.timezone)
            jobs.append(PlannedJob(instant, schedule.id, "channel", instant))
        members = [
            m
            for m in await self.db.members.in_community(community.id)
            if m.unreachable_at is None and (m.dm_prompts or m.reminders)
        ]
        if "prompt" in kinds and schedule.sends_dms:
            prompted = [(m.user_id, zone_for(schedule, m, community)) for m in members if m.dm_prompts]
            for instant in group_by_instant(prompted, schedule.local_time, schedule.weekdays, after):
                jobs.append(PlannedJob(instant, schedule.id, "prompt", instant))
        if "reminder" in kinds and schedule.reminder_minutes is not None:
            delay = timedelta(minutes=schedule.reminder_minutes)
            since = after if explicit else after - delay
            reminded = [
                (m.user_id, zone_for(schedule, m, community))
                for m in members
                if m.reminders and not is_paused(m.paused_until, after)
            ]
            for instant in group_by_instant(reminded, schedule.local_time, schedule.weekdays, since):
                jobs.append(PlannedJob(instant + delay, schedule.id, "reminder", instant))
        return sorted(jobs)

    def _add(self, job: PlannedJob) -> None:
        self.planned[job.id] = job
        if self._scheduler is not None:
            grace = 2 * 60 * 60
            self._scheduler.add_job(
                self._fire,
                trigger=DateTrigger(run_date=job.run_at),
                args=[job.id],
                id=job.id,
                replace_existing=True,
                misfire_grace_time=grace,
                coalesce=True,
            )

    def _unplan(self, job_id: str) -> None:
        self.planned.pop(job_id, None)
        if self._scheduler is not None and self._scheduler.get_job(job_id) is not None:
            self._scheduler.remove_job(job_id)

    # ----- running ------------------------------------------------------------------------------------

    async def _fire(self, job_id: str) -> None:
        job = self.planned.get(job_id)
        if job is None:
            return
        await self.execute(job)

    async def execute(self, job: PlannedJob) -> Report | None:
        """Run one job, record its report, and plan that schedule's next firing. Never raises."""
        self.planned.pop(job.id, None)
        if job.kind == MAINTENANCE:
            try:
                if await self.db.leases.acquire(MAINTENANCE_LEASE, self.holder, self.clock(), MAINTENANCE_LEASE_TIME):
                    await self.data_rights.sweep()
                else:
                    log.info("the daily retention sweep is another process's today")
            except Exception as error:
                log.error("the daily retention sweep raised %s", describe_error(error))
            self._plan_maintenance()
            return None
        if job.kind in PARTNER_KINDS:
            await self._run_partner_job(job)
            return None
        if job.kind == RETRY:
            await self._run_retries()
            return None
        if job.kind == DAYS:
            await self._run_days()
            return None
        if job.kind == ONCALL:
            await self._run_oncall()
            return None
        report: Report | None = None
        try:
            report = await self.delivery.run(job.kind, job.schedule_id, job.instant)
            count_delivery(report.kind, report.sent, report.unreachable, report.failed)
            log.info(
                "schedule %s %s at %s: %d sent, %d unreachable, %d undelivered, %d to retry, %d already done",
                job.schedule_id,
                job.kind,
                job.instant.isoformat(),
                report.sent,
                report.unreachable,
                report.failed,
                report.retrying,
                report.already_done,
            )
        except Exception as error:
            log.error("schedule %s %s job raised %s", job.schedule_id, job.kind, describe_error(error))
        await self._plan_retries_safely()
        try:
            # Only this kind moves on: other jobs at the same instant (a channel prompt and DM prompts
            # both at 09:00) must still run.
            await self.rebuild([job.schedule_id], kinds=(job.kind,), after=job.instant)
        except Exception as error:
            log.error("re-planning schedule %s raised %s", job.schedule_id, type(error).__name__)
        return report

    async def _run_retries(self) -> None:
        try:
            for report in await self.delivery.retry_due(self.clock()):
                count_delivery(report.kind, report.sent, report.unreachable, report.failed)
                count_retried(report.kind, report.sent + report.unreachable + report.failed + report.retrying)
                log.info(
                    "retried schedule %s %s: %d sent, %d found already sent, %d undelivered, %d to retry",
                    report.schedule_id,
                    report.kind,
                    report.sent,
                    report.found_sent,
                    report.failed,
                    report.retrying,
                )
        except Exception as error:
            log.error("retrying sends raised %s", describe_error(error))
        # Not again at once, even if a row is still due (being sent by another task): no busy loop.
        await self._plan_retries_safely(not_before=self.clock() + timedelta(seconds=1))

    async def _run_days(self) -> None:
        try:
            for notes in (self.days, self.dates):
                if notes is not None:
                    sent = await notes.send_due()
                    log.info("%s: %d private notes sent or queued", type(notes).__name__, sent)
        except Exception as error:
            log.error("sending milestone notes raised %s", describe_error(error))
        await self._plan_days_safely(not_before=self.clock() + timedelta(seconds=1))

    async def _plan_retries_safely(self, *, not_before: datetime | None = None) -> None:
        try:
            await self.plan_retries(not_before=not_before)
        except Exception as error:
            log.error("planning retries raised %s", type(error).__name__)

    async def _run_partner_job(self, job: PlannedJob) -> None:
        try:
            if job.kind == "round":
                await self.partners.run_round(job.schedule_id)
            else:
                await self.partners.send_followups(job.schedule_id)
        except Exception as error:
            log.error("partner %s for community %s raised %s", job.kind, job.schedule_id, describe_error(error))
            if job.kind == "round":
                # Try again in an hour rather than at once, over and over.
                await self.partners.retry_later(job.schedule_id, timedelta(hours=1))
        try:
            await self.rebuild_partners()
        except Exception as error:
            log.error("re-planning partner rounds raised %s", type(error).__name__)

    async def run_due(self, now: datetime | None = None) -> list[Report]:
        """Run every planned job whose time has come (how tests drive the clock), in time order."""
        now = now or self.clock()
        reports: list[Report] = []
        done: set[str] = set()
        while True:
            due = sorted(job for job in self.planned.values() if job.run_at <= now and job.id not in done)
            if not due:
                return reports
            done.add(due[0].id)
            report = await self.execute(due[0])
            if report is not None:
                reports.append(report)

    async def catch_up(self) -> list[Report]:
        """After a restart: sends left mid-way join the retries, then what was missed within each schedule's
        grace window goes out, never twice."""
        try:
            recovered = await self.delivery.recover(self.clock())
            if recovered:
                log.info("%d sends were interrupted by the last stop; trying them again", recovered)
            reports = await self.delivery.catch_up(self.clock())
            finished = await self.partners.finish_interrupted_rounds()
            if finished:
                log.info("%d partner groups left half-done by the last stop were finished", finished)
        except Exception as error:
            log.error("catching up after a restart raised %s", type(error).__name__)
            return []
        await self._plan_retries_safely()
        return reports
