"""Community setup and check-in schedules: validated changes, each followed by re-planned timers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from bot.clock import Clock
from bot.errors import UserFacingError
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
WHERE_WORDS = {
    "channel": "the check-in channel",
    "dm": "members' DMs",
    "both": "the channel and members' DMs",
}


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
        raise UserFacingError(
            "A schedule name can be up to 30 letters, numbers, spaces or dashes, like `morning` or `evening-dm`."
        )
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
            raise UserFacingError("Where should it post? Pick channel, dm or both.")
        values["destination"] = change.where
    if change.reminder_minutes is not None:
        if change.reminder_minutes == 0:
            values["reminder_minutes"] = None
        elif not REMINDER_MIN <= change.reminder_minutes <= REMINDER_MAX:
            raise UserFacingError(
                f"A reminder can come {REMINDER_MIN} to {REMINDER_MAX} minutes after the prompt "
                "(or 0 for no reminder). Try `reminder_minutes:30`."
            )
        else:
            values["reminder_minutes"] = change.reminder_minutes
    if change.daily_thread is not None:
        values["daily_thread"] = change.daily_thread
    if change.question is not None:
        question = change.question.strip()
        if len(question) > QUESTION_MAX:
            raise UserFacingError(
                f"Your question is {len(question)} characters; a form field's label can hold {QUESTION_MAX}. "
                "Could you shorten it?"
            )
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


def describe(schedule: Schedule, community: Community, dm_members: int | None = None) -> str:
    """One readable line about a schedule, for `/schedule list` and confirmations. With `dm_members` (how
    many members have DM prompts on) a DM schedule says who it reaches today, not who it might."""
    parts = [
        f"**{schedule.name}**: {format_weekdays(schedule.weekdays)} at {format_time_of_day(schedule.local_time)}",
        f"in {WHERE_WORDS[schedule.destination]}" if dm_members is None else where_now(schedule, dm_members),
    ]
    if schedule.sends_dms:
        parts.append(f"(each member's own time; {community.timezone} when they haven't set one)")
    else:
        parts.append(f"({community.timezone})")
    if schedule.reminder_minutes:
        parts.append(f"· reminder after {schedule.reminder_minutes} min")
    if schedule.daily_thread:
        parts.append("· daily thread")
    if schedule.question:
        seen = words(
            "text",
            "describe",
            kind=words("answer_kind", schedule.answer_kind),
            visibility=words("visibility", schedule.visibility),
        )
        parts.append(f"· asks “{schedule.question}” ({seen})")
    if schedule.paused:
        parts.append(f"· **paused**{': ' + schedule.pause_reason if schedule.pause_reason else ''}")
    return " ".join(parts)


def where_now(schedule: Schedule, dm_members: int) -> str:
    if schedule.destination == "channel":
        return "in the check-in channel"
    reach = (
        "by DM to members who turn DM prompts on (`/settings dm_prompts:true`; nobody has yet)"
        if dm_members == 0
        else f"by DM to the {dm_members} member{'s' if dm_members != 1 else ''} who turned DM prompts on"
    )
    return f"in the check-in channel and {reach}" if schedule.destination == "both" else reach


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
        community = await self.community(community_id)
        first = community.setup_at is None
        if first and (checkin_channel_id is None or prompt_time is None):
            raise UserFacingError(
                "For the first setup I need at least a check-in channel and a prompt time, "
                "like `/setup checkin_channel:#check-ins prompt_time:9am timezone:Europe/London`."
            )
        # Validate everything before changing anything.
        zone = read_timezone(timezone).zone if timezone is not None else None
        at = parse_time_of_day(prompt_time) if prompt_time is not None else None
        if region is not None and region not in REGIONS:
            raise UserFacingError(f"Pick a region from the list: {', '.join(REGIONS)}.")
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
            hint = (
                f" The ones here are: {', '.join(known)}. Pick one of those."
                if known
                else " There are none yet: try `/schedule add`."
            )
            raise UserFacingError(f"I can't find a schedule called “{name.strip()[:30]}”.{hint}")
        return schedule

    async def _validated(self, community: Community, change: ScheduleChange) -> dict[str, object]:
        values = checked_change(change)
        if change.where is not None and change.where != "dm" and community.checkin_channel_id is None:
            raise UserFacingError("Set the check-in channel first with `/setup`, or post this one by DM only.")
        return values

    async def add(self, community_id: int, name: str, change: ScheduleChange) -> Schedule:
        community = await self.community(community_id)
        clean = schedule_name(name)
        if await self.db.schedules.by_name(community_id, clean) is not None:
            raise UserFacingError(
                f"There's already a schedule called “{clean}”. Pick another name, or change it with `/schedule edit`."
            )
        if len(await self.db.schedules.in_community(community_id)) >= MAX_SCHEDULES:
            raise UserFacingError(f"A community can have up to {MAX_SCHEDULES} schedules. Remove one first.")
        if change.days is None or change.time is None:
            raise UserFacingError("A new schedule needs its days and a time, like `days:weekdays time:9am`.")
        values = await self._validated(community, change)
        values.setdefault("destination", "channel" if community.checkin_channel_id else "dm")
        if values["destination"] != "dm" and community.checkin_channel_id is None:
            raise UserFacingError("Set the check-in channel first with `/setup`, or post this one by DM only.")
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
            raise UserFacingError("Tell me what to change, for example `time:8:30am` or `days:weekdays`.")
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
