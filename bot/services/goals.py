"""Personal goals (/goal): set in the member's own words with a measure, answered after check-ins, shown kindly."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta
from enum import Enum

from bot.clock import Clock
from bot.errors import UserFacingError
from bot.services.charts import format_day
from bot.services.command_names import command_catalogue
from bot.services.goal_progress import DAYS_A_WEEK, WeekProgress, weekly_progress, within_aim
from bot.services.goal_words import measure, say
from bot.services.messages import DEFAULT_LANGUAGE, LANGUAGES
from bot.services.streaks import local_day
from bot.services.timeparse import format_time_of_day, parse_time_of_day
from bot.storage.database import Database
from bot.storage.models import GOAL_ANSWERS, Goal, StoredGoal

WORDS_MAX = 200
DAYS_MIN, DAYS_MAX = 0, 6
LEVELS = range(1, 5)  # cravings below Mild ... below Overwhelming (0 = none is never "below")


class Recorded(Enum):
    """What became of a tap on the goal question's buttons."""

    NOTED = "noted"
    GOAL_CHANGED = "goal_changed"  # no goal now, or one with another measure
    DAY_GONE = "day_gone"  # that day's check-in is no longer here


@dataclass(frozen=True)
class GoalProgress:
    """What /goal show needs: the goal, its weeks (oldest first), and whether today's question is still open."""

    stored: StoredGoal
    weeks: list[WeekProgress]
    today: date
    ask_today: bool


def days_word(count: int, language: str = DEFAULT_LANGUAGE) -> str:
    return say("day" if count == 1 else "days", language)


def level_name(level: int, language: str = DEFAULT_LANGUAGE) -> str:
    return measure("cravings", language).answers[level].lower()


def describe_goal(goal: Goal, language: str = DEFAULT_LANGUAGE) -> str:
    """How a goal's measure reads in a sentence: "no more than 2 drinking or using days a week"."""
    template = measure(goal.measure, language).describe
    if goal.measure == "days":
        return template.format(number=goal.target, days=days_word(goal.target, language))
    if goal.measure == "before":
        return template.format(time=_time_text(goal.target))
    return template.format(level=level_name(goal.target, language))


def question_text(goal: Goal, language: str = DEFAULT_LANGUAGE) -> str:
    template = measure(goal.measure, language).question
    return template.format(time=_time_text(goal.target)) if goal.measure == "before" else template


def answer_labels(goal: Goal, language: str = DEFAULT_LANGUAGE) -> tuple[str, ...]:
    return measure(goal.measure, language).answers


def _refuse(key: str, **values: object) -> UserFacingError:
    """A refusal in every language: the one error path tells the member theirs."""
    texts = {language: say(key, language, **values) for language in LANGUAGES}
    return UserFacingError(texts[DEFAULT_LANGUAGE], translations=texts)


def _time_text(minutes: int) -> str:
    return format_time_of_day(time(minutes // 60, minutes % 60))


def read_goal(measure_key: str, words: str, days: int | None, at: str | None, cravings: int | None) -> Goal:
    """The goal `/goal set` was given, checked whole before anything is kept. Raises UserFacingError kindly."""
    if measure_key not in GOAL_ANSWERS:
        raise _refuse("measure_unknown")
    text = " ".join(words.split())
    if not text:
        raise _refuse("words_empty")
    if len(text) > WORDS_MAX:
        raise _refuse("words_too_long", length=len(text), limit=WORDS_MAX)
    given = {"days": days, "time": at, "cravings": cravings}
    needed = {"days": "days", "before": "time", "cravings": "cravings"}[measure_key]
    for option, value in given.items():
        if option != needed and value is not None:
            texts = {lang: say("option_not_for_measure", lang, option=option_name(option, lang)) for lang in LANGUAGES}
            raise UserFacingError(texts[DEFAULT_LANGUAGE], translations=texts)
    if measure_key == "days":
        if days is None:
            raise _refuse("needs_days")
        if not DAYS_MIN <= days <= DAYS_MAX:
            raise _refuse("days_range")
        target = days
    elif measure_key == "before":
        if at is None:
            raise _refuse("needs_time")
        parsed = parse_time_of_day(at)
        target = parsed.hour * 60 + parsed.minute
    else:
        if cravings is None:
            raise _refuse("needs_level")
        if cravings not in LEVELS:
            raise _refuse("level_unknown")
        target = cravings
    return Goal(words=text, measure=measure_key, target=target)


def _day_text(day: date, language: str = DEFAULT_LANGUAGE) -> str:
    return format_day(day, lang=language)


def _span(week: WeekProgress, language: str = DEFAULT_LANGUAGE) -> str:
    return f"{_day_text(week.start, language)}–{_day_text(week.end, language)}"


def option_name(option: str, language: str) -> str:
    """A /goal set option as the member's Discord shows it."""
    if language == DEFAULT_LANGUAGE:
        return option
    named = command_catalogue(language).option("goal set", option)
    return named[0] if named else option


def week_line(goal: Goal, week: WeekProgress, latest: bool, language: str = DEFAULT_LANGUAGE) -> str:
    """One week, in words that describe and never judge."""
    if latest:
        period = say("week_current", language)
    else:
        start, end = _day_text(week.start, language), _day_text(week.end, language)
        period = say("week_earlier", language, start=start, end=end)
    if week.answered == 0:
        return say("week_none", language, period=period)
    common = {"period": period, "answered": week.answered, "answered_days": days_word(week.answered, language)}
    if goal.measure == "days":
        key = "aim_within" if within_aim(goal, week) else "aim_above"
        aim = say(key, language, number=goal.target)
        other = days_word(week.other, language)
        return say("week_days", language, count=week.other, days=other, aim=aim, **common)
    if goal.measure == "before":
        return say("week_kept", language, count=week.toward, **common)
    return say("week_under", language, count=week.toward, level=level_name(goal.target, language), **common)


def progress_text(progress: GoalProgress, language: str = DEFAULT_LANGUAGE) -> str:
    goal = progress.stored.goal
    lines = [say("show_header", language, words=goal.words, measure=describe_goal(goal, language)), ""]
    if all(week.answered == 0 for week in progress.weeks):
        lines.append(say("no_answers_yet", language))
    else:
        newest_first = list(reversed(progress.weeks))
        lines += [week_line(goal, week, index == 0, language) for index, week in enumerate(newest_first)]
    if progress.ask_today:
        lines += ["", say("show_today", language)]
    return "\n".join(lines)


def chart_summary(progress: GoalProgress, language: str = DEFAULT_LANGUAGE) -> str:
    """The chart in one line, for screen readers and anyone who prefers words."""
    goal = progress.stored.goal
    if goal.measure == "days":
        parts = [
            say("summary_days", language, span=_span(w, language), other=w.other, answered=w.answered)
            for w in progress.weeks
        ]
    else:
        parts = [
            say("summary_toward", language, span=_span(w, language), toward=w.toward, answered=w.answered)
            for w in progress.weeks
        ]
    return say("chart_summary", language, weeks=len(progress.weeks), summary="; ".join(parts) + ".")


class GoalService:
    """A member's goal: kept encrypted, answered one tap at a time after check-ins, read back as weeks."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    async def get(self, community_id: int, user_id: int) -> StoredGoal | None:
        return await self.db.goals.get(community_id, user_id)

    async def set(self, community_id: int, user_id: int, goal: Goal) -> bool:
        """Keep the goal; True when it replaced an earlier one."""
        return await self.db.goals.set(community_id, user_id, goal, self.clock())

    async def clear(self, community_id: int, user_id: int) -> bool:
        return await self.db.goals.clear(community_id, user_id)

    async def _today(self, community_id: int, user_id: int) -> date:
        # Read only: looking at a goal changes nothing.
        member = await self.db.members.get(community_id, user_id)
        zone = member.timezone if member is not None else None
        if not zone:
            community = await self.db.communities.get(community_id)
            zone = community.timezone if community is not None else "UTC"
        return local_day(self.clock(), zone)

    async def progress(self, community_id: int, user_id: int, weeks: int) -> GoalProgress | None:
        stored = await self.db.goals.get(community_id, user_id)
        if stored is None:
            return None
        today = await self._today(community_id, user_id)
        since = today - timedelta(days=DAYS_A_WEEK * weeks - 1)
        checkins = await self.db.checkins.recent(community_id, user_id, since=since)
        goal = stored.goal
        answers = {
            c.local_date: c.content.goal[1]
            for c in checkins
            if c.content.goal is not None and c.content.goal[0] == goal.measure
        }
        todays = next((c for c in checkins if c.local_date == today), None)
        ask_today = todays is not None and today not in answers
        return GoalProgress(stored, weekly_progress(goal, answers, today, weeks), today, ask_today)

    async def record(self, community_id: int, user_id: int, day: date, measure_key: str, answer: int) -> Recorded:
        """Keep one tap on the goal question in that day's check-in (encrypted with it); nothing else changes."""
        result = await self.db.goals.answer_for_day(community_id, user_id, day, measure_key, answer, self.clock())
        return Recorded(result)
