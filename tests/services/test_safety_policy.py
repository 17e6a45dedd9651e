"""The one safety policy: which reply each reading and check-in gets, wherever the member wrote."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.services.crisis_detector import CALM, Assessment, Tier
from bot.services.safety import Step, decide

NOW = Assessment(tier=Tier.NOW, kind="suicide", dark=True)
WORRIED = Assessment(tier=Tier.WORRIED, kind="suicide", dark=True)
DARK = Assessment(tier=None, kind=None, dark=True)


def test_a_crisis_now_always_brings_the_lines() -> None:
    assert decide(NOW) == Step.CRISIS
    assert decide(NOW, mood=5, cravings=0) == Step.CRISIS


def test_a_worry_asks_first() -> None:
    assert decide(WORRIED) == Step.ASK
    assert decide(WORRIED, mood=4, cravings=0) == Step.ASK


def test_the_lowest_mood_with_overwhelming_cravings_and_a_dark_note_asks() -> None:
    assert decide(DARK, mood=1, cravings=4) == Step.ASK
    # The same numbers without a dark note: a supportive reply, a craving tip and the partner offer.
    assert decide(CALM, mood=1, cravings=4) == Step.SUPPORT
    # A dark note on a middling day is left to the member.
    assert decide(DARK, mood=3, cravings=1) == Step.CARRY_ON


def test_hard_days_get_support_and_ordinary_days_carry_on() -> None:
    assert decide(CALM, mood=2, cravings=3) == Step.SUPPORT
    assert decide(CALM, mood=2, cravings=2) == Step.CARRY_ON
    assert decide(CALM) == Step.CARRY_ON


@given(st.integers(1, 5), st.integers(0, 4), st.booleans())
def test_only_the_readings_or_the_hardest_check_ins_ever_ask_or_alarm(mood: int, cravings: int, dark: bool) -> None:
    step = decide(Assessment(tier=None, kind=None, dark=dark), mood=mood, cravings=cravings)
    assert step != Step.CRISIS
    assert (step == Step.ASK) == (mood == 1 and cravings == 4 and dark)


def test_a_dm_is_answered_in_the_language_it_is_written_in() -> None:
    from bot.services.crisis_detector import guess_language

    assert guess_language("ya no quiero seguir viviendo, no aguanto más") == "es"
    assert guess_language("honestly i want to die") == "en"
    assert guess_language("") == "en"
