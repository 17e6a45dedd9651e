"""The crisis detector: the shipped labelled set, each behaviour it promises, and robustness on any text."""

from __future__ import annotations

import tomllib
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.services.crisis import KIND_PRIORITY, CrisisSignal, detect_crisis

CASES_PATH = Path(__file__).with_name("crisis_cases.toml")
MIN_RECALL = 0.95
MAX_FALSE_POSITIVE_RATE = 0.05


def _load_cases() -> list[dict[str, Any]]:
    with CASES_PATH.open("rb") as handle:
        cases: list[dict[str, Any]] = tomllib.load(handle)["case"]
    return cases


CASES = _load_cases()


# --- the shipped labelled set ----------------------------------------------------------------------


def test_labelled_set_is_well_formed() -> None:
    assert len(CASES) >= 200
    for case in CASES:
        assert set(case) <= {"text", "crisis", "kind"}, case
        # Empty and one-character texts are deliberate: members send them.
        assert isinstance(case["text"], str), case
        assert isinstance(case["crisis"], bool), case
        if case["crisis"]:
            assert case.get("kind") in KIND_PRIORITY, case
        else:
            assert "kind" not in case, case
    texts = [case["text"] for case in CASES]
    assert len(texts) == len(set(texts)), "duplicate texts in the labelled set"


def test_recall_and_false_positive_rate_on_the_labelled_set() -> None:
    crisis = [case for case in CASES if case["crisis"]]
    calm = [case for case in CASES if not case["crisis"]]
    missed = [case["text"] for case in crisis if detect_crisis(case["text"]) is None]
    flagged = [(case["text"], signal.kind) for case in calm if (signal := detect_crisis(case["text"])) is not None]
    wrong_kind = [
        (case["text"], case["kind"], signal.kind)
        for case in crisis
        if (signal := detect_crisis(case["text"])) is not None and signal.kind != case["kind"]
    ]
    recall = 1 - len(missed) / len(crisis)
    false_positive_rate = len(flagged) / len(calm)
    kind_agreement = 1 - (len(wrong_kind) + len(missed)) / len(crisis)

    summary = (
        f"crisis detector on {len(CASES)} labelled texts ({len(crisis)} crisis, {len(calm)} not): "
        f"recall {recall:.3f} (need >= {MIN_RECALL}), "
        f"false positive rate {false_positive_rate:.3f} (need <= {MAX_FALSE_POSITIVE_RATE}), "
        f"kind agrees with the label on {kind_agreement:.3f} of crisis texts"
    )
    print("\n" + summary)
    for text, label, found in wrong_kind:
        print(f"  kind differs: labelled {label}, detected {found}: {text!r}")
    details = "\n".join(
        [
            summary,
            "missed (labelled crisis):",
            *(f"  {text!r}" for text in missed),
            "flagged (labelled not crisis):",
            *(f"  {text!r} -> {kind}" for text, kind in flagged),
        ]
    )
    assert recall >= MIN_RECALL, details
    assert false_positive_rate <= MAX_FALSE_POSITIVE_RATE, details


# --- behaviours, one group at a time ---------------------------------------------------------------
# These are written independently of the labelled set, so they also catch a detector that only learned
# the set's exact wording.


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("i want to die", "suicide"),
        ("I'm going to kill myself tonight", "suicide"),
        ("thinking about ending it all", "suicide"),
        ("been having thoughts of suicide since friday", "suicide"),
        ("my kids would be better off without me", "suicide"),
        ("i keep cutting myself when it gets bad", "self_harm"),
        ("the urge to self harm is really strong right now", "self_harm"),
        ("I want to hurt myself", "self_harm"),
        ("i took too many pills", "overdose"),
        ("i think i'm od'ing", "overdose"),
        ("just took a bunch of pills with vodka", "overdose"),
        ("my friend is overdosing and he's not breathing", "overdose"),
        ("planning to take all my pills tonight", "overdose"),
        ("he is hurting me right now", "danger"),
        ("my boyfriend is choking me", "danger"),
        ("I have the pills in front of me", "danger"),
        ("i'm standing on the bridge", "danger"),
    ],
)
def test_crisis_now_is_detected_with_its_kind(text: str, kind: str) -> None:
    signal = detect_crisis(text)
    assert signal is not None, text
    assert signal.kind == kind, (text, signal.kind)


@pytest.mark.parametrize(
    "text",
    [
        "kms",
        "gonna unalive myself",
        "i just want to end it all",
        "dont want to be here anymore",
        "i want to disappear forever",
        "sewer slide is on my mind again",
        "feeling suicidial",
        "wanna die",
        "cant go on",
        "everyone is better off without me",
        "gonna od tonight",
        "took a bunch of pills",
        "i want to diiiie",
        "I'm going to kiiiill myself",
        "i want to k1ll myself",
        "I\u2019m going to kill myself",  # a curly apostrophe from a phone keyboard
        "i CANT GO ON",
    ],
)
def test_slang_typos_and_spelling_variants_are_detected(text: str) -> None:
    assert detect_crisis(text) is not None, text


@pytest.mark.parametrize(
    "text",
    [
        "I'm not going to hurt myself",
        "I don't want to die",
        "no thoughts of suicide today",
        "never would kill myself",
        "I would never, ever kill myself",
        "i'm not suicidal, just tired",
        "I won't hurt myself tonight, promise",
        "i have no urge to self harm",
    ],
)
def test_negated_statements_are_not_a_crisis(text: str) -> None:
    assert detect_crisis(text) is None, text


@pytest.mark.parametrize(
    "text",
    [
        "i can't promise i won't hurt myself",
        "not sure i want to live anymore",
        "I don't know how much longer I can keep going",
        "nobody would notice if i was gone",
        "i'm not ok. i want to die",
    ],
)
def test_doubt_or_a_negation_elsewhere_does_not_cancel_a_crisis(text: str) -> None:
    assert detect_crisis(text) is not None, text


@pytest.mark.parametrize(
    "text",
    [
        "a year ago I overdosed",
        "two years ago I tried to kill myself",
        "I used to cut",
        "when I overdosed in 2019 everything changed",
        "i was suicidal in my teens",
        "three years free from self harm today",
        "my brother died of an overdose five years ago",
        "our group talked about suicide prevention",
    ],
)
def test_past_events_and_other_people_are_not_a_crisis_now(text: str) -> None:
    assert detect_crisis(text) is None, text


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("I used to cut and I want to again", "self_harm"),
        ("I overdosed last year and I'm thinking about doing it again tonight", "overdose"),
        ("two years ago i tried to kill myself and the thoughts are back", "suicide"),
        ("i used to cut, and i'm scared i'll start again", "self_harm"),
    ],
)
def test_a_past_event_coming_back_now_is_a_crisis(text: str, kind: str) -> None:
    signal = detect_crisis(text)
    assert signal is not None, text
    assert signal.kind == kind, (text, signal.kind)


def test_a_past_event_with_a_firm_no_is_not_a_crisis() -> None:
    assert detect_crisis("i used to cut but i'd never do it again") is None


@pytest.mark.parametrize(
    "text",
    [
        "this traffic is killing me",
        "I'd kill for a coffee",
        "dying to see the new film",
        "my boss is going to kill me",
        "cravings are killing me today",
        "my feet are killing me after that walk",
        "overdosed on chocolate this weekend lol",
        "took a bunch of photos at the meeting",
        "i want to cut back on caffeine",
        "i could sleep forever",
        "I'd rather die than sing karaoke",
        "drowning myself in work this week",
    ],
)
def test_figurative_language_is_not_a_crisis(text: str) -> None:
    assert detect_crisis(text) is None, text


@pytest.mark.parametrize(
    "text",
    [
        "rough day, really wanted a drink",
        "I slipped last night and feel awful",
        "so lonely tonight",
        "cravings at a 9, called my sponsor",
        "angry at my dad, went for a run",
        "can't sleep again",
        "feeling hopeless about my job",
        "withdrawal is brutal, i thought i was going to die",
        "took all my meds today like the doctor said",
        "got the razor out to shave for my interview",
        "i wish i could disappear for a weekend",
        "",
        "   ",
    ],
)
def test_ordinary_hard_days_are_not_a_crisis(text: str) -> None:
    assert detect_crisis(text) is None, text


def test_the_most_urgent_kind_wins() -> None:
    signal = detect_crisis("i want to die and i have the pills in front of me")
    assert signal is not None
    assert signal.kind == "danger"


def test_the_matched_words_stay_out_of_repr() -> None:
    signal = detect_crisis("i want to kill myself")
    assert signal is not None
    assert "kill" in signal.matched
    assert "kill" not in repr(signal)


# --- robustness ------------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=2000))
def test_never_raises_on_arbitrary_text(text: str) -> None:
    signal = detect_crisis(text)
    assert signal is None or (isinstance(signal, CrisisSignal) and signal.kind in KIND_PRIORITY)


_WORDS = st.sampled_from(
    ["i", "not", "want", "to", "die", "kill", "myself", "pills", "again", "used", "ago", "and", "but",
     "never", "cut", "overdose", "he", "is", "hurting", "me", ",", ".", "!!!", "aaaa", "\n", "kms"]
)  # fmt: skip


@settings(max_examples=50, deadline=None)
@given(st.lists(_WORDS, min_size=1, max_size=400))
def test_never_raises_on_crisis_like_word_salad(words: list[str]) -> None:
    signal = detect_crisis(" ".join(words))
    assert signal is None or signal.kind in KIND_PRIORITY


@pytest.mark.parametrize(
    "filler",
    ["a" * 5000, "no " * 1700, "i want to " * 500, "x, " * 1700, "kill " * 1000, "🙂" * 5000],
)
def test_a_5000_character_input_returns(filler: str) -> None:
    text = filler[:5000]
    assert len(text) == 5000
    signal = detect_crisis(text)
    assert signal is None or signal.kind in KIND_PRIORITY


def test_a_crisis_buried_in_a_long_message_is_still_found() -> None:
    calm = "Went to my meeting, talked with my sponsor, made dinner and watched a film. " * 30
    text = calm + "Honestly I want to kill myself. " + calm
    assert len(text) > 4000
    signal = detect_crisis(text)
    assert signal is not None
    assert signal.kind == "suicide"


def test_kinds_seen_on_the_labelled_set_are_all_known() -> None:
    kinds = Counter(signal.kind for case in CASES if (signal := detect_crisis(case["text"])) is not None)
    assert set(kinds) <= set(KIND_PRIORITY)
