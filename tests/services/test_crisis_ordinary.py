"""Ordinary requests about Lantern or one's data are not read as a crisis; what only looks like one still is."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from bot.services.crisis import read_with_rules
from bot.services.crisis_detector import CrisisDetector, Tier, is_ordinary_request
from bot.services.crisis_model import load_shipped_model

DETECTOR = CrisisDetector(load_shipped_model())
FRESH = tomllib.loads((Path(__file__).parent / "crisis_ordinary_fresh.toml").read_text(encoding="utf-8"))

# Each of these the shipped model alone reads as a crisis (0.97 to 1.00): the reason for the set-aside.
ORDINARY = [
    "I'll delete this later",
    "delete my account",
    "please delete my account",
    "I want to delete everything I wrote",
    "I want to end this subscription",
    "Quiero borrar todo lo que escribí",
    "remove my data please",
    "I want to close my account",
    "stop sending me messages",
    "I want to stop the prompts",
    "Please stop the reminders for a week, thanks!",
    "turn off the DM prompts and delete my notes",
]
# Crises that share words with those requests: none is set aside.
LOOKALIKES = [
    "delete me",
    "I want to delete myself",
    "I want to erase myself from this world",
    "I want to delete everything",
    "wipe it all away",
    "end it",
    "delete my account. I can't do this anymore",
    "I want to close my account and end my life",
    "delete my account, I won't need it after tonight",
    "I'm going to delete my account and then take all my pills",
    "quiero borrar mi cuenta, ya no quiero vivir",
    "please delete me from existence",
]


@pytest.mark.parametrize("text", ORDINARY)
def test_an_ordinary_request_the_model_reads_as_a_crisis_is_set_aside(text: str) -> None:
    assert is_ordinary_request(text)
    assert DETECTOR.model is not None and DETECTOR.model.score(text).probability >= 0.9
    assert DETECTOR.assess(text).tier is None


@pytest.mark.parametrize("text", LOOKALIKES)
def test_a_crisis_that_shares_their_words_is_not_set_aside(text: str) -> None:
    assert not is_ordinary_request(text)
    assert DETECTOR.assess(text).tier == Tier.NOW


def test_a_request_with_anything_dark_beside_it_is_read_whole() -> None:
    # Each clause must be a request: one clause that is not, and the model reads the whole text.
    assert is_ordinary_request("delete my notes and stop the reminders")
    assert not is_ordinary_request("delete my notes and stop the reminders, nothing matters now")
    # A long note is never set aside, whatever it is made of.
    assert not is_ordinary_request(", ".join(["delete my notes"] * 40))
    assert not is_ordinary_request("") and not is_ordinary_request(" ... ")


def test_the_fresh_set_keeps_its_measured_figures() -> None:
    calm = [text for text in FRESH["ordinary"] if DETECTOR.assess(text).tier is None]
    flagged = [text for text in FRESH["lookalikes"] if DETECTOR.assess(text).tier is not None]
    assert len(calm) >= 17, sorted(set(FRESH["ordinary"]) - set(calm))
    assert flagged == FRESH["lookalikes"]


@pytest.mark.parametrize(
    "text",
    [
        "I'll be dead by morning",
        "i will be dead by tomorrow",
        "I won't be alive tomorrow",
        "remove me from this world",
        "erase myself from this earth",
    ],
)
def test_saying_one_will_be_dead_soon_is_a_crisis_to_the_rules(text: str) -> None:
    reading = read_with_rules(text)
    assert reading.signal is not None and reading.signal.kind == "suicide"


@pytest.mark.parametrize(
    "text",
    [
        "I'll be dead tired tomorrow",
        "I'll be dead before I vote for him",
        "I won't be alive to see that movie lol",
        "I was sure I would be dead by now, years ago",
    ],
)
def test_everyday_speech_about_being_dead_is_not(text: str) -> None:
    assert read_with_rules(text).signal is None
