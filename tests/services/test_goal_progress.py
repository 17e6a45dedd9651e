"""Goal progress: weeks of seven days ending today, answers counted once, and aims read the same way every time."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.services.goal_progress import DAYS_A_WEEK, MAX_WEEKS, toward_goal, weekly_progress, within_aim
from bot.storage.models import GOAL_ANSWERS, Goal

TODAY = date(2026, 3, 20)


@st.composite
def goals(draw: st.DrawFn) -> Goal:
    measure = draw(st.sampled_from(sorted(GOAL_ANSWERS)))
    limits = {"days": (0, 6), "before": (0, 24 * 60 - 1), "cravings": (1, 4)}[measure]
    return Goal(words="my goal", measure=measure, target=draw(st.integers(*limits)))


@st.composite
def goal_and_answers(draw: st.DrawFn) -> tuple[Goal, dict[date, int], date, int]:
    goal = draw(goals())
    today = draw(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)))
    weeks = draw(st.integers(1, MAX_WEEKS))
    offsets = st.integers(-DAYS_A_WEEK * (MAX_WEEKS + 2), 10)
    answers = draw(
        st.dictionaries(
            offsets.map(lambda days: today - timedelta(days=days)),
            st.integers(0, GOAL_ANSWERS[goal.measure] - 1),
            max_size=120,
        )
    )
    return goal, answers, today, weeks


@given(goal_and_answers())
def test_weeks_are_seven_days_back_to_back_ending_today(case: tuple[Goal, dict[date, int], date, int]) -> None:
    goal, answers, today, weeks = case
    result = weekly_progress(goal, answers, today, weeks)
    assert len(result) == weeks
    assert result[-1].end == today
    for week in result:
        assert (week.end - week.start).days == DAYS_A_WEEK - 1
    for earlier, later in itertools.pairwise(result):
        assert later.start == earlier.end + timedelta(days=1)


@given(goal_and_answers())
def test_every_answer_in_the_period_is_counted_once_and_others_not_at_all(
    case: tuple[Goal, dict[date, int], date, int],
) -> None:
    goal, answers, today, weeks = case
    result = weekly_progress(goal, answers, today, weeks)
    first = result[0].start
    inside = {day: answer for day, answer in answers.items() if first <= day <= today}
    assert sum(w.answered for w in result) == len(inside)
    assert sum(w.toward for w in result) == sum(toward_goal(goal, a) for a in inside.values())
    for week in result:
        assert 0 <= week.toward <= week.answered <= DAYS_A_WEEK


@given(goal_and_answers())
def test_within_aim_is_none_only_without_answers_and_matches_the_counts(
    case: tuple[Goal, dict[date, int], date, int],
) -> None:
    goal, answers, today, weeks = case
    for week in weekly_progress(goal, answers, today, weeks):
        verdict = within_aim(goal, week)
        assert (verdict is None) == (week.answered == 0)
        if verdict is None:
            continue
        if goal.measure == "days":
            assert verdict == (week.other <= goal.target)
        else:
            assert verdict == (week.toward > week.answered / 2)


@given(goals(), st.data())
def test_more_days_toward_the_goal_never_reads_as_further_from_it(goal: Goal, data: st.DataObject) -> None:
    """Turning one answered day the goal's way can only keep or improve how the week reads."""
    days = data.draw(st.lists(st.integers(0, GOAL_ANSWERS[goal.measure] - 1), min_size=1, max_size=7))
    answers = {TODAY - timedelta(days=i): a for i, a in enumerate(days)}
    week = weekly_progress(goal, answers, TODAY, 1)[0]
    away = [day for day, a in answers.items() if not toward_goal(goal, a)]
    if not away:
        return
    better_answer = next(a for a in range(GOAL_ANSWERS[goal.measure]) if toward_goal(goal, a))
    better = weekly_progress(goal, {**answers, away[0]: better_answer}, TODAY, 1)[0]
    assert better.toward == week.toward + 1 and better.answered == week.answered
    assert within_aim(goal, better) or not within_aim(goal, week)


def test_each_measure_reads_its_answers_as_the_buttons_say() -> None:
    days = Goal("fewer days", "days", 2)
    assert toward_goal(days, 0) and not toward_goal(days, 1)  # "No" / "Yes"
    before = Goal("not before six", "before", 18 * 60)
    assert toward_goal(before, 0) and not toward_goal(before, 1)  # "Yes, I kept to it" / "Not this time"
    cravings = Goal("calmer", "cravings", 3)  # below Strong
    assert [toward_goal(cravings, level) for level in range(5)] == [True, True, True, False, False]
    with pytest.raises(ValueError):
        toward_goal(days, 2)


def test_a_days_goal_of_two_with_exactly_two_is_within_and_three_is_not() -> None:
    goal = Goal("two at most", "days", 2)
    two = {TODAY: 1, TODAY - timedelta(days=1): 1, TODAY - timedelta(days=2): 0}
    assert within_aim(goal, weekly_progress(goal, two, TODAY, 1)[0]) is True
    three = {**two, TODAY - timedelta(days=2): 1}
    assert within_aim(goal, weekly_progress(goal, three, TODAY, 1)[0]) is False


@pytest.mark.parametrize("weeks", [0, MAX_WEEKS + 1, -1])
def test_weeks_outside_the_range_are_refused(weeks: int) -> None:
    with pytest.raises(ValueError):
        weekly_progress(Goal("x", "days", 1), {}, TODAY, weeks)


@given(goals())
def test_a_goal_round_trips_and_never_shows_its_words(goal: Goal) -> None:
    assert Goal.from_json(goal.to_json()) == goal
    assert "my goal" not in repr(goal)


@pytest.mark.parametrize(
    ("measure", "target"), [("days", 7), ("days", -1), ("before", 1440), ("cravings", 0), ("cravings", 5), ("x", 1)]
)
def test_a_goal_outside_its_measure_is_refused(measure: str, target: int) -> None:
    with pytest.raises(ValueError):
        Goal("words", measure, target)
