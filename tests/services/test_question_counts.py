"""Leaders' count of a community question's answers: only answers given under that promise, the spread only
over at least five members, and never an answer's words."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from bot.services.reports import MIN_GROUP, question_answers, question_line
from bot.storage.models import CheckinContent

Q = "Meeting today?"
DAY = date(2026, 3, 10)


def row(user: int, answer: str | None, shared: str | None = "leaders") -> tuple[int, date, CheckinContent]:
    answers = {Q: answer} if answer is not None else {}
    seen = {Q: shared} if answer is not None and shared is not None else {}
    return user, DAY, CheckinContent(mood=3, cravings=0, halt=frozenset(), answers=answers, shared=seen)


def test_only_answers_given_for_leaders_are_counted() -> None:
    rows = [row(1, "Yes"), row(2, "No", shared=None), row(3, "Yes", shared="partner"), row(4, None)]
    assert question_answers(Q, rows) == [(1, "Yes")]


def test_the_spread_needs_five_members_not_five_answers() -> None:
    four_members = [row(user, "Yes") for user in (1, 2, 3, 4)] + [row(1, "No")]
    line = question_line(Q, "yesno", question_answers(Q, four_members))
    assert "5 answers from 4 members" in line and "Yes:" not in line and "at least 5 members" in line
    five = [*four_members, row(5, "No")]
    assert question_line(Q, "yesno", question_answers(Q, five)).endswith("; Yes: 4 · No: 2")


@given(st.lists(st.tuples(st.integers(1, 12), st.text(min_size=1, max_size=20)), max_size=30))
def test_words_are_never_shown(given_answers: list[tuple[int, str]]) -> None:
    answers = [(user, "canary-" + text) for user, text in given_answers]
    line = question_line(Q, "text", answers)
    assert "canary" not in line
    assert f"{len(answers)} answer" in line


@given(st.lists(st.tuples(st.integers(1, 9), st.sampled_from(["1", "2", "3", "4", "5"])), max_size=40))
def test_a_scale_spread_adds_up_and_shows_only_with_enough_members(answers: list[tuple[int, str]]) -> None:
    line = question_line(Q, "scale", answers)
    members = len({user for user, _ in answers})
    if members >= MIN_GROUP:
        counts = [int(part.split(": ")[1]) for part in line.split("; ", 1)[1].split(" · ")]
        assert len(counts) == 5 and sum(counts) == len(answers)
    else:
        assert "1:" not in line
