"""Progress toward a personal goal, week by week, from the day's answers to its question (pure, no I/O)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from bot.storage.models import GOAL_ANSWERS, Goal

DAYS_A_WEEK = 7
MIN_WEEKS, MAX_WEEKS, DEFAULT_WEEKS = 1, 12, 4


@dataclass(frozen=True)
class WeekProgress:
    """Seven local days ending on `end`: how many the member answered, and how many went their goal's way.

    For "days" goals `toward` counts the days without drinking or using and `other` the days with; for
    "before" the days kept to it and the days not; for "cravings" the days below the level and the rest.
    """

    start: date
    end: date
    toward: int
    other: int

    @property
    def answered(self) -> int:
        return self.toward + self.other


def toward_goal(goal: Goal, answer: int) -> bool:
    """Whether one day's answer went the goal's way (answers are positions in the question's buttons)."""
    if not 0 <= answer < GOAL_ANSWERS[goal.measure]:
        raise ValueError("not an answer to this goal's question")
    if goal.measure == "cravings":
        return answer < goal.target
    # days: "No" (0) is a day without; before: "Yes, I kept to it" (0).
    return answer == 0


def weekly_progress(goal: Goal, answers: Mapping[date, int], today: date, weeks: int) -> list[WeekProgress]:
    """The last `weeks` runs of seven days ending today, oldest first. Answers outside them are ignored."""
    if not MIN_WEEKS <= weeks <= MAX_WEEKS:
        raise ValueError(f"weeks must be {MIN_WEEKS} to {MAX_WEEKS}")
    result: list[WeekProgress] = []
    for back in range(weeks - 1, -1, -1):
        end = today - timedelta(days=DAYS_A_WEEK * back)
        start = end - timedelta(days=DAYS_A_WEEK - 1)
        toward = other = 0
        for day, answer in answers.items():
            if start <= day <= end:
                if toward_goal(goal, answer):
                    toward += 1
                else:
                    other += 1
        result.append(WeekProgress(start, end, toward, other))
    return result


def within_aim(goal: Goal, week: WeekProgress) -> bool | None:
    """For a "days" goal, whether the week's drinking or using days stayed at or under the aim; for the others,
    whether most answered days went the goal's way. None for a week without answers."""
    if week.answered == 0:
        return None
    if goal.measure == "days":
        return week.other <= goal.target
    return week.toward * 2 > week.answered
