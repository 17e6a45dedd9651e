"""Community setup and check-in schedules: validated changes, each followed by re-planned timers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from bot.clock import Clock
from bot.errors import UserFacingError
from bot.services.command_names import command_catalogue
from bot.services.messages import DEFAULT_LANGUAGE, message, refusal
from bot.services.question_words import words
from bot.services.replanning import Replan
from bot.services.schedule_math import next_occurrence
from bot.services.timeparse import (
    format_time_of_day,
    format_weekdays,
    parse_time_of_day,
    parse_weekdays,
)
from bot.services.timezone_names import read_timezone
from bot.storage.database import Database
from bot.storage.models import ANSWER_KINDS, DESTINATIONS, VISIBILITIES, Community, Schedule

NAME_PATTERN = re.compile(r"[\w][\w \-]{0,29}")
QUESTION_MAX = 45  # Discord's limit on a form field's label
REMINDER_MIN, REMINDER_MAX = 5, 720
MAX_SCHEDULES = 10
DEFAULT_SCHEDULE = "daily"
REGIONS = {
    "US": "United States",
    "CA": "Canada",
    "GB": "United Kingdom",
    "IE": "Ireland",
    "AU": "Australia",
    "NZ": "New Zealand",
    "ES": "Spain (España)",
    "MX": "Mexico (México)",
    "INTL": "Somewhere else",
}
WHERE_KEYS = {"channel": "where_channel", "dm": "where_dm", "both": "where_both"}


def is_leader(permissions_manage_guild: bool, role_ids: set[int], community: Community | None) -> bool:
    """Leaders are people with Manage Server, or with the community's leader role."""
    if permissions_manage_guild:
        return True
    return community is not None and community.leader_role_id is not None and community.leader_role_id in role_ids


@dataclass(frozen=True)
class ScheduleChange:
    """Options a leader gave to `/schedule add` or `/schedule edit`; None means unchanged."""

    days: str | None = None
    time: str | None = None
    where: str | None = None
    reminder_minutes: int | None = None
    daily_thread: bool | None = None
    question: str | None = None
    answer_kind: str | None = None
    visibility: str | None = None


@dataclass(frozen=True)
class Question:
    """A community's own question as a form asks it: its words, its kind of answer, and who sees an answer."""

    text: str
    answer_kind: str = "text"
    visibility: str = "me"

    @classmethod
    def of(cls, schedule: Schedule) -> Question | None:
        return None if not schedule.question else cls(schedule.question, schedule.answer_kind, schedule.visibility)


def schedule_name(text: str) -> str:
    """A schedule's name as stored: trimmed, lowercase, up to 30 letters, numbers, spaces or dashes."""
    name = text.strip().lower()
    if not NAME_PATTERN.fullmatch(name):
        raise refusal("schedule", "bad_name")
    return name


def checked_change(change: ScheduleChange) -> dict[str, object]:
    """The columns a change sets, read and checked without the database (days, time, where, reminder,
    thread, question). Raises UserFacingError, kindly, for the first thing that cannot be used."""
    values: dict[str, object] = {}
    if change.days is not None:
        values["weekdays"] = parse_weekdays(change.days)
    if change.time is not None:
        values["local_time"] = parse_time_of_day(change.time)
    if change.where is not None:
        if change.where not in DESTINATIONS:
            raise refusal("schedule", "bad_where")
        values["destination"] = change.where
    if change.reminder_minutes is not None:
        if change.reminder_minutes == 0:
            values["reminder_minutes"] = None
        elif not REMINDER_MIN <= change.reminder_minutes <= REMINDER_MAX:
            raise refusal("schedule", "reminder_range", least=REMINDER_MIN, most=REMINDER_MAX)
        else:
            values["reminder_minutes"] = change.reminder_minutes
    if change.daily_thread is not None:
        values["daily_thread"] = change.daily_thread
    if change.question is not None:
        question = change.question.strip()
        if len(question) > QUESTION_MAX:
            raise refusal("schedule", "question_too_long", length=len(question), most=QUESTION_MAX)
        values["question"] = question or None
    if change.answer_kind is not None:
        if change.answer_kind not in ANSWER_KINDS:
            raise UserFacingError("How should members answer? Pick one from the list.")
        values["answer_kind"] = change.answer_kind
    if change.visibility is not None:
        if change.visibility not in VISIBILITIES:
            raise UserFacingError("Who should see an answer? Pick one from the list.")
        values["visibility"] = change.visibility
    return values


def describe(
    schedule: Schedule, community: Community, dm_members: int | None = None, language: str = DEFAULT_LANGUAGE
) -> str:
    """One readable line about a schedule, for `/schedule list` and confirmations, in the leader's language.
    With `dm_members` (how many members have DM prompts on) a DM schedule says who it reaches today, not who
    it might. A pause reason is shown as it was recorded."""

    days = format_weekdays(schedule.weekdays, language)
    parts = [
        message(
            "schedule",
            language,
            "when",
            schedule=schedule.name,
            days=days,
            time=format_time_of_day(schedule.local_time),
        ),
        message("schedule", language, WHERE_KEYS[schedule.destination])
        if dm_members is None
        else where_now(schedule, dm_members, language),
    ]
    if schedule.sends_dms:
        parts.append(message("schedule", language, "zone_dm", zone=community.timezone))
    else:
        parts.append(message("schedule", language, "zone", zone=community.timezone))
    if schedule.reminder_minutes:
        parts.append(message("schedule", language, "reminder_after", minutes=str(schedule.reminder_minutes)))
    if schedule.daily_thread:
        parts.append(message("schedule", language, "daily_thread"))
    if schedule.question:
        seen = words(
            "text",
            "describe",
            language,
            kind=words("answer_kind", schedule.answer_kind, language),
            visibility=words("visibility", schedule.visibility, language),
        )
        parts.append(message("schedule", language, "asks", question=schedule.question, seen=seen))
    if schedule.paused:
        parts.append(
            message("schedule", language, "paused_because", reason=schedule.pause_reason)
            if schedule.pause_reason
            else message("schedule", language, "paused")
        )
    return " ".join(parts)


def where_now(schedule: Schedule, dm_members: int, language: str = DEFAULT_LANGUAGE) -> str:
    if schedule.destination == "channel":
        return message("schedule", language, "where_channel")
    if dm_members == 0:
        reach = message("schedule", language, "dm_reach_nobody")
    else:
        key = "dm_reach_one" if dm_members == 1 else "dm_reach_many"
        reach = message("schedule", language, key, count=str(dm_members))
    return message("schedule", language, "channel_and", reach=reach) if schedule.destination == "both" else reach


def region_name(code: str, language: str = DEFAULT_LANGUAGE) -> str:
    """A region as the `/setup` choice shows it in `language` (the code itself when it is not one of REGIONS)."""
    english = REGIONS.get(code, code)
    if language == DEFAULT_LANGUAGE:
        return english
    return command_catalogue(language).choice(english) or english


class ScheduleService:
    """What leaders change with `/setup` and `/schedule`; every change re-plans that community's timers."""

    def __init__(self, db: Database, clock: Clock, replan: Replan) -> None:
        self.db = db
        self.clock = clock
        self.replan = replan

    async def community(self, community_id: int) -> Community:
        return await self.db.communities.ensure(community_id)

    # ----- /setup -------------------------------------------------------------------------------------

    async def setup(
        self,
        community_id: int,
        *,
        checkin_channel_id: int | None,
        timezone: str | None,
        prompt_time: str | None,
        leader_role_id: int | None,
        alert_channel_id: int | None,
        region: str | None,
        retention_days: int | None = None,
    ) -> tuple[Community, Schedule | None, bool]:
        """Apply `/setup`. Returns the community, its default schedule, and whether this was the first setup."""
        # Refused before the community's row is made: a refusal changes nothing, not even that.
        known = await self.db.communities.get(community_id)
        first = known is None or known.setup_at is None
        if first and (checkin_channel_id is None or prompt_time is None):
            raise refusal("schedule", "setup_needs_first")
        community = await self.community(community_id)
        # Validate everything before changing anything.
        zone = read_timezone(timezone).zone if timezone is not None else None
        at = parse_time_of_day(prompt_time) if prompt_time is not None else None
        if region is not None and region not in REGIONS:
            raise refusal("schedule", "region_unknown", regions=", ".join(REGIONS))
        changes: dict[str, object] = {}
        for key, value in (
            ("checkin_channel_id", checkin_channel_id),
            ("timezone", zone),
            ("leader_role_id", leader_role_id),
            ("alert_channel_id", alert_channel_id),
            ("region", region),
            ("retention_days", retention_days),
        ):
            if value is not None:
                changes[key] = value
        if first:
            changes["setup_at"] = self.clock()
        if changes:
            community = await self.db.communities.configure(community_id, **changes)
        schedule = await self.db.schedules.by_name(community_id, DEFAULT_SCHEDULE)
        if schedule is None and at is not None:
            schedule = await self.db.schedules.add(
                community_id,
                name=DEFAULT_SCHEDULE,
                weekdays=frozenset(range(7)),
                local_time=at,
                destination="both",
                reminder_minutes=None,
                daily_thread=False,
                question=None,
            )
        elif schedule is not None and at is not None:
            schedule = await self.db.schedules.update(schedule.id, local_time=at)
        if changes or at is not None:
            await self.replan(community_id)
        return community, schedule, first

    # ----- /schedule ---------------------------------------------------------------------------------

    async def get(self, community_id: int, name: str) -> Schedule:
        schedule = await self.db.schedules.by_name(community_id, schedule_name(name))
        if schedule is None:
            known = [s.name for s in await self.db.schedules.in_community(community_id)]
            shown = name.strip()[:30]
            if known:
                raise refusal("schedule", "not_found_known", schedule=shown, names=", ".join(known))
            raise refusal("schedule", "not_found_none", schedule=shown)
        return schedule

    async def _validated(self, community: Community, change: ScheduleChange) -> dict[str, object]:
        values = checked_change(change)
        if change.where is not None and change.where != "dm" and community.checkin_channel_id is None:
            raise refusal("schedule", "channel_first")
        return values

    async def add(self, community_id: int, name: str, change: ScheduleChange) -> Schedule:
        community = await self.community(community_id)
        clean = schedule_name(name)
        if await self.db.schedules.by_name(community_id, clean) is not None:
            raise refusal("schedule", "exists", schedule=clean)
        if len(await self.db.schedules.in_community(community_id)) >= MAX_SCHEDULES:
            raise refusal("schedule", "too_many", count=MAX_SCHEDULES)
        if change.days is None or change.time is None:
            raise refusal("schedule", "needs_days_time")
        values = await self._validated(community, change)
        values.setdefault("destination", "channel" if community.checkin_channel_id else "dm")
        if values["destination"] != "dm" and community.checkin_channel_id is None:
            raise refusal("schedule", "channel_first")
        values.setdefault("reminder_minutes", None)
        values.setdefault("daily_thread", False)
        values.setdefault("question", None)
        schedule = await self.db.schedules.add(community_id, name=clean, **values)
        await self.replan(community_id)
        return schedule

    async def edit(self, community_id: int, name: str, change: ScheduleChange) -> Schedule:
        community = await self.community(community_id)
        schedule = await self.get(community_id, name)
        values = await self._validated(community, change)
        if not values:
            raise refusal("schedule", "nothing_to_change")
        schedule = await self.db.schedules.update(schedule.id, **values)
        await self.replan(community_id)
        return schedule

    async def remove(self, community_id: int, name: str) -> Schedule:
        schedule = await self.get(community_id, name)
        await self.db.schedules.remove(schedule.id)
        await self.replan(community_id)
        return schedule

    async def set_paused(self, community_id: int, name: str, paused: bool) -> Schedule:
        schedule = await self.get(community_id, name)
        schedule = await self.db.schedules.update(schedule.id, paused=paused, pause_reason=None)
        await self.replan(community_id)
        return schedule

    async def dm_members(self, community_id: int) -> int:
        """How many members would get a DM prompt now (asked for them, not paused, reachable)."""
        return len(await self.db.members.dm_recipients(community_id, self.clock()))

    async def list(self, community_id: int) -> tuple[Community, list[Schedule]]:
        return await self.community(community_id), await self.db.schedules.in_community(community_id)

    async def next_run(self, schedule: Schedule, community: Community, now: datetime | None = None) -> datetime:
        return next_occurrence(now or self.clock(), schedule.local_time, schedule.weekdays, community.timezone)

    async def question_of(self, community_id: int, schedule_id: int) -> Question | None:
        """The question a form opened for this schedule asks now; None when the schedule or its question is gone."""
        schedule = await self.db.schedules.get(schedule_id)
        if schedule is None or schedule.community_id != community_id:
            return None
        return Question.of(schedule)

    async def question_for(self, community_id: int, schedule_id: int | None) -> tuple[int, Question | None]:
        """The community's own question for a form: the schedule's, or the first schedule that has one."""
        if schedule_id:
            schedule = await self.db.schedules.get(schedule_id)
            if schedule is not None and schedule.community_id == community_id:
                return schedule.id, Question.of(schedule)
        for schedule in await self.db.schedules.in_community(community_id):
            if schedule.question and not schedule.paused:
                return schedule.id, Question.of(schedule)
        return 0, None
