"""/goal's words: the shipped file has every measure and text it needs, and a broken one says what is wrong."""

from __future__ import annotations

import re
import string

import pytest

from bot.services.goal_words import goal_words, parse_goal_words
from bot.storage.models import GOAL_ANSWERS, CheckinContent


def test_the_shipped_file_has_every_measure_with_its_answers() -> None:
    words = goal_words()
    assert set(words.measures) == set(GOAL_ANSWERS)
    for key, count in GOAL_ANSWERS.items():
        assert len(words.measures[key].answers) == count
        assert all(0 < len(label) <= 80 for label in words.measures[key].answers)  # Discord's button label
        assert len(words.measures[key].choice) <= 100  # Discord's choice name


def test_no_text_judges() -> None:
    words = goal_words()
    every = [*words.text.values()] + [t for m in words.measures.values() for t in (m.question, m.describe)]
    for text in every:
        assert not re.search(r"\b(fail|failed|relapse|broke|bad)\b", text, re.IGNORECASE), text


def test_every_placeholder_is_one_the_code_fills() -> None:
    known = {"words", "measure", "period", "count", "days", "answered", "answered_days", "aim", "number", "level"}
    known |= {"start", "end", "weeks", "summary", "answer", "length", "limit", "option", "time"}
    known |= {"span", "other", "toward", "target"}
    english = goal_words("en")
    for language in ("en", "es"):
        words = goal_words(language)
        assert set(words.text) == set(english.text) and set(words.measures) == set(english.measures)
        for key, text in words.text.items():
            fields = {name for _, name, _, _ in string.Formatter().parse(text) if name}
            assert fields <= known, text
            # The same placeholders in both languages, so filling one in never fails in the other.
            assert fields == {name for _, name, _, _ in string.Formatter().parse(english.text[key]) if name}, key


def test_a_broken_file_lists_every_problem() -> None:
    with pytest.raises(ValueError) as problem:
        parse_goal_words('[measures.days]\nchoice = "x"\nanswers = ["No"]\n[measures.weekly]\nchoice = "y"\n')
    text = str(problem.value)
    assert "[measures.days] needs 2 answers" in text
    assert "[measures.before] is missing" in text and "[measures.cravings] is missing" in text
    assert "[measures.weekly] is not a measure Lantern knows" in text


def test_a_goal_answer_rides_in_the_check_in_and_only_when_given() -> None:
    plain = CheckinContent(mood=3, cravings=1, halt=frozenset(), note="n")
    assert b"goal" not in plain.to_json()  # check-ins without an answer keep the bytes they always had
    answered = CheckinContent(mood=3, cravings=1, halt=frozenset(), note="n", goal=("cravings", 4))
    assert CheckinContent.from_json(answered.to_json()) == answered
    for wrong in (("days", 2), ("cravings", 5), ("weekly", 0), ("days", True)):
        with pytest.raises(ValueError):
            CheckinContent(mood=3, cravings=1, halt=frozenset(), goal=wrong)
