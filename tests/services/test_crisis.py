"""The crisis detector: the shipped labelled set, each behaviour it promises, and robustness on any text."""

from __future__ import annotations

import time
import tomllib
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.services.crisis import KIND_PRIORITY, RISK_THRESHOLD, CrisisSignal, detect_crisis, normalise, risk_score

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


# --- families the first tuning set did not cover ---------------------------------------------------
# Each family is written as its own examples, with the phrasings next to it that must stay quiet, so a
# rule that only learned one sentence fails here.


@pytest.mark.parametrize(
    "text",
    [
        "every night i pray i don't wake up",
        "honestly hoping i never wake up again",
        "wish i could lie down and not wake up tomorrow",
        "I wish I'd never woken up this morning",
        "i wouldn't mind if i died tonight",
        "id honestly be relieved if i never woke up",
        "kinda hoping a bus runs me over",
        "i'd be fine if i got hit by a train",
        "i just want to be gone",
        "i wish i could just be dead",
        "there's really no reason for me to keep living",
        "i can't see the point of being alive",
        "what's even the point of living",
        "i'd rather be dead than feel like this",
        "i'm just waiting to die",
        "going to bed praying this is it for good",
    ],
)
def test_passive_wishes_to_die_are_a_crisis(text: str) -> None:
    signal = detect_crisis(text)
    assert signal is not None, text
    assert signal.kind == "suicide", (text, signal.kind)


@pytest.mark.parametrize(
    "text",
    [
        "hope i don't wake up late for my interview",
        "took melatonin so i don't wake up at 3am again",
        "i hope i don't wake up with a headache",
        "i wouldn't mind if it snowed all week",
        "i don't see the point in arguing with my brother",
        "there's no reason to keep drinking, i get that now",
        "no reason to keep living in this city, we're moving",
        "i'm ready to be gone for the weekend",
        "i wish i could be gone on holiday already",
        "i could sleep for a whole week",
        "i'd rather die than go to that wedding lol",
        "i'd rather be dead than wear a tie haha",
        "waiting to die of boredom in this meeting",
        "i wish i could die my hair green",
    ],
)
def test_wishes_about_sleep_places_and_plans_are_not_a_crisis(text: str) -> None:
    assert detect_crisis(text) is None, text


@pytest.mark.parametrize(
    "text",
    [
        "I'm ready to be gone forever",
        "i just want everything to end",
        "I want it all to stop. permanently.",
        "this is my final check in. thank you all for everything",
        "found a new home for my cat and wrote letters to my kids. tonight is the night",
        "gave my dog to my neighbour. goodbye everyone",
        "sorry for everything. take care of each other",
        "you won't hear from me again",
        "I've said my goodbyes",
        "I can't do this anymore. It was nice knowing you all",
        "finished my last note",
        "gave away my guitar and my laptop, won't need them where i'm going",
    ],
)
def test_farewells_and_putting_things_in_order_are_a_crisis(text: str) -> None:
    signal = detect_crisis(text)
    assert signal is not None, text
    assert signal.kind == "suicide", (text, signal.kind)


@pytest.mark.parametrize(
    "text",
    [
        "gave my old couch to my sister",
        "gave my dog a bath and she loved it",
        "giving away my old clothes before the move",
        "goodbye for now everyone, see you next week!",
        "off on holiday, goodbye all and thanks for everything",
        "thank you all for everything, six months sober today",
        "love you all, this group keeps me going",
        "said goodbye to my old drinking buddies",
        "goodbye night shift, hello normal sleep!",
        "writing amends letters to everyone i hurt",
        "wrote my note to the landlord about the boiler",
        "tonight's the night, first meeting as a speaker",
        "my last check in was a rough one, today is better",
        "i can't do this commute anymore, asking to work from home",
    ],
)
def test_leaving_for_a_while_thanks_and_decluttering_are_not_a_crisis(text: str) -> None:
    assert detect_crisis(text) is None, text


@pytest.mark.parametrize(
    "text",
    [
        "bought a rope this afternoon and i know what it's for",
        "i've got my uncle's pistol and i keep thinking about using it on myself",
        "got hold of some razor blades. i know what i need to do",
        "spent the night googling the lethal dose of my sertraline",
        "how much insulin would it take to die",
        "how many of these codeine would it take",
        "been stockpiling my tramadol for weeks",
        "wrote my note",
        "i'm going to drive my car into a wall tonight",
        "thinking about stepping in front of a lorry",
        "i've got the noose ready",
    ],
)
def test_plans_and_means_are_a_crisis(text: str) -> None:
    assert detect_crisis(text) is not None, text


@pytest.mark.parametrize(
    "text",
    [
        "bought a rope for the climbing wall",
        "got my pills from the pharmacy, finally",
        "my dad keeps a gun for hunting",
        "she has a knife collection from her travels",
        "how many days does it take to feel normal after detox",
        "how much ibuprofen can i take for a toothache",
        "tied the rope to the dock and went swimming",
        "drove my car into the car wash",
        "what's the most painless way to quit caffeine",
        "saving my xanax for flying next month",
    ],
)
def test_tools_and_questions_with_an_ordinary_purpose_are_not_a_crisis(text: str) -> None:
    assert detect_crisis(text) is None, text


@pytest.mark.parametrize(
    "text",
    [
        "going to keep drinking until i don't wake up",
        "mixing my benzos with gin so i never wake up",
        "took all my lithium on purpose",
        "drank a bottle of rum with my sleeping pills on purpose",
        "swallowed a whole box of paracetamol deliberately",
        "gonna shoot up everything at once",
        "i'm going to drink myself to death tonight",
        "downed a bottle of wine and then took my mum's oxy",
    ],
)
def test_an_overdose_taken_on_purpose_is_detected_as_overdose(text: str) -> None:
    signal = detect_crisis(text)
    assert signal is not None, text
    assert signal.kind == "overdose", (text, signal.kind)


@pytest.mark.parametrize(
    "text",
    [
        "took my meds on purpose at night so i sleep better",
        "drank a whole bottle of water after my run",
        "i was drinking myself to death before rehab, not anymore",
        "skipped my pills on purpose, my doctor knows",
    ],
)
def test_ordinary_medication_and_drinking_talk_is_not_an_overdose(text: str) -> None:
    assert detect_crisis(text) is None, text


@pytest.mark.parametrize(
    "text",
    [
        "my stepdad is outside my window screaming he'll kill me",
        "a man is trying to break into my flat and i'm hiding in the bathroom",
        "my partner is strangling my sister",
        "my uncle is drunk and beating my aunt what do i do",
        "he's got his hands around my throat",
        "someone is banging on my door and i'm terrified",
        "she said if i call anyone she'll kill me",
        "he's kicking the front door in",
        "my boyfriend pushed me down the stairs",
        "there's a guy in my garden with a knife",
    ],
)
def test_danger_from_another_person_now_is_danger(text: str) -> None:
    signal = detect_crisis(text)
    assert signal is not None, text
    assert signal.kind == "danger", (text, signal.kind)


@pytest.mark.parametrize(
    "text",
    [
        "my mum will kill me if i'm late again",
        "my brother said he'll kill me if i spoil the finale",
        "my sister keeps beating me at scrabble",
        "my cousin keeps hitting my dad up for cash",
        "my friend is outside my door with takeaway",
        "my dad is drunk again, what do i do",
        "someone is in my garden fixing the fence",
        "hid in my room from the noisy party lol",
        "my husband won't let me leave the dishes till morning",
    ],
)
def test_figurative_threats_and_ordinary_visitors_are_not_danger(text: str) -> None:
    assert detect_crisis(text) is None, text


@pytest.mark.parametrize(
    "text",
    [
        "honestly i wnat to die",
        "i wnt to die tonight",
        "wnana die",
        "i want to dei",
        "going to kll myself",
        "gonna klil myself",
        "i want to kill mysefl",
        "suiicidal again",
    ],
)
def test_slips_of_the_finger_on_key_words_are_detected(text: str) -> None:
    assert detect_crisis(text) is not None, text


@pytest.mark.parametrize(
    "text",
    ["i'll be there soon", "i wan to go home", "we watched a film about an ant colony", "my dad made dinner"],
)
def test_real_words_one_slip_away_from_a_key_word_are_left_alone(text: str) -> None:
    assert detect_crisis(text) is None, text


@pytest.mark.parametrize(
    "text",
    [
        "i'm not hoping i don't wake up anymore, the new meds help",
        "years ago i prayed i wouldn't wake up, now i'm glad i did",
        "i would never give away my dog, she's my reason to stay sober",
        "back when i was using i bought a rope, i'm safe now",
        "used to want to drink myself to death",
    ],
)
def test_new_families_respect_negation_and_the_past(text: str) -> None:
    assert detect_crisis(text) is None, text


@pytest.mark.parametrize(
    "filler",
    [
        "hope i " * 800,
        "wish i could just " * 300,
        "and not wake up " * 400,
        "how many of my " * 400,
        "gave away my " * 400,
        "my dad is " * 600,
        "said he " * 700,
        "took the whole bottle of " * 250,
        "a," * 2500,
    ],
)
def test_the_new_rules_stay_fast_on_5000_characters_of_their_own_words(filler: str) -> None:
    # The looser rules allow a few words between their parts; bounded gaps keep them linear, and this
    # catches one that backtracks on a long run of its own words.
    text = filler[:5000]
    started = time.perf_counter()
    detect_crisis(text)
    assert time.perf_counter() - started < 2.0


# --- mechanisms behind the misses on the fresh set --------------------------------------------------
# Written from scratch for each mechanism, with the nearby sentences that must stay quiet; none of these
# sentences is in any labelled set.


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("any tips for not hurting myself tonight?", "self_harm"),
        ("how do i keep myself from cutting, it's bad right now", "self_harm"),
        ("trying not to kill myself, it's so hard tonight", "suicide"),
        ("help me not kill myself please", "suicide"),
    ],
)
def test_a_not_inside_a_request_for_help_names_the_urge(text: str, kind: str) -> None:
    signal = detect_crisis(text)
    assert signal is not None, text
    assert signal.kind == kind, (text, signal.kind)


@pytest.mark.parametrize(
    "text",
    [
        "i'm not going to hurt myself, just venting",
        "i stopped myself from cutting last week and i'm proud",
        "tips for not drinking at the work party?",
        "never going to kill myself, my daughter needs me",
    ],
)
def test_a_plain_denial_is_still_a_denial(text: str) -> None:
    assert detect_crisis(text) is None, text


@pytest.mark.parametrize(
    "text",
    [
        "after 90 days sober im going to kill myself anyway",
        "two years clean and i still want to kill myself tonight",
    ],
)
def test_a_past_milestone_does_not_hide_an_act_said_in_the_present(text: str) -> None:
    signal = detect_crisis(text)
    assert signal is not None, text
    assert signal.kind == "suicide", (text, signal.kind)


@pytest.mark.parametrize(
    "text",
    [
        "two years ago i was going to kill myself",
        "90 days sober, i used to want to kill myself",
        "when i was using i tried to kill myself",
    ],
)
def test_the_past_keeps_its_own_verbs(text: str) -> None:
    assert detect_crisis(text) is None, text


@pytest.mark.parametrize(
    "text",
    [
        "got the urge to cut this morning, rode it out and it passed",
        "had thoughts of hurting myself earlier but i went for a walk and feel ok now",
    ],
)
def test_an_urge_that_has_passed_is_not_a_crisis_now(text: str) -> None:
    assert detect_crisis(text) is None, text


@pytest.mark.parametrize(
    "text",
    [
        # The urge is still there: the "passed" is denied.
        "had the urge to cut this morning and it hasn't passed",
        # An overdose taken earlier can still be working, so feeling fine does not let it go.
        "took a handful of pills this morning, feeling fine now",
    ],
)
def test_only_an_urge_that_really_passed_is_let_go(text: str) -> None:
    assert detect_crisis(text) is not None, text


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("my sister is grey and barely breathing", "overdose"),
        ("my roommate won't wake up and his lips look blue", "overdose"),
        ("bf choked me again and took my keys", "danger"),
        ("the guy next door said he's going to come kill me", "danger"),
        ("someone broke into my flat and i can hear them downstairs, i'm under the bed", "danger"),
    ],
)
def test_an_emergency_with_someone_else_in_the_room_is_detected(text: str, kind: str) -> None:
    signal = detect_crisis(text)
    assert signal is not None, text
    assert signal.kind == kind, (text, signal.kind)


@pytest.mark.parametrize(
    "text",
    [
        "my brother is feeling blue about his exam",
        "my son was blue with cold after sledging haha",
        "someone broke into my car last month, finally got the window fixed",
        "mum will come kill me if i'm late for dinner lol",
    ],
)
def test_other_people_in_ordinary_trouble_are_not_an_emergency(text: str) -> None:
    assert detect_crisis(text) is None, text


@pytest.mark.parametrize(
    "text",
    [
        "going to jump off the old railway bridge tonight",
        "i want to open my wrists",
        "thinking of swerving into the median on the motorway",
        "left the engine idling in the garage with the door shut",
    ],
)
def test_places_and_methods_are_read_with_their_names_and_variants(text: str) -> None:
    assert detect_crisis(text) is not None, text


@pytest.mark.parametrize(
    "text",
    [
        "jumped off the diving board at the pool today",
        "drove my car into the garage after work",
        "opened my wrist brace, feels better",
        "sitting on the edge of my bed trying to get up the energy for work",
    ],
)
def test_places_and_methods_in_everyday_use_are_not_a_crisis(text: str) -> None:
    assert detect_crisis(text) is None, text


# --- the second tier: weighted signs ---------------------------------------------------------------


def _score(text: str) -> int:
    return max(risk_score(clauses, text)[0] for clauses in normalise(text))


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # means + finality
        ("the shotgun is loaded and on the bed. tell mum i'm sorry", "suicide"),
        ("wrote notes for my sisters and picked a date", "suicide"),
        # an act under way, with its symptoms
        ("did way too much dope, chest is tight and i can barely breathe", "overdose"),
        ("i've got a bottle of my dad's oxy and some gin. nobody is home", "overdose"),
        ("sliced my thigh and the blood won't stop", "self_harm"),
        # danger: someone getting in, and hiding
        ("there's someone trying to get in my back door and i'm locked in the laundry room", "danger"),
    ],
)
def test_signs_from_two_families_add_up_to_a_crisis(text: str, kind: str) -> None:
    signal = detect_crisis(text)
    assert signal is not None, text
    assert signal.kind == kind, (text, signal.kind)


@pytest.mark.parametrize(
    "text",
    [
        # one family alone, however many of its words
        "bought a hunting rifle with my uncle, season opens saturday",
        "bought a new knife for the kitchen, cooking is my new hobby",
        "wrote thank you notes for my sisters' birthday gifts",
        "the bridge at sunset was beautiful, 100 days sober",
        "my plan for the weekend: meeting saturday, hike sunday",
        "sorry everyone, goodbye for now, see you next week",
        "said goodbye to my old drinking buddies for good",
        "took all my meds today like my doctor said",
    ],
)
def test_one_family_of_signs_alone_stays_below_the_threshold(text: str) -> None:
    assert detect_crisis(text) is None, text
    assert _score(text) < RISK_THRESHOLD, text


@pytest.mark.parametrize(
    "text",
    [
        # A clear statement of safety answers the question the card would ask.
        "kept thinking about the bridge today but im safe now, called my sponsor",
        # Getting rid of the means is recovery.
        "threw out the razor blades i was saving, sponsor watching",
        # Preparing to help someone else.
        "how do you use naloxone on someone who stopped breathing? want a kit in my car just in case",
        # A laugh after it.
        "bought a rope and a plan for the camping trip lol",
        # Recovery homework.
        "step 1 homework: wrote a goodbye note to vodka",
    ],
)
def test_safety_recovery_preparation_and_jokes_hold_the_score_back(text: str) -> None:
    assert detect_crisis(text) is None, text


def test_the_same_signs_without_the_damper_do_fire() -> None:
    # The pair to the test above: the damper, not a missing sign, is what keeps those quiet.
    assert detect_crisis("kept thinking about the bridge today, i keep going back to it") is not None
    assert detect_crisis("bought a rope and i have a plan") is not None


def test_signs_in_a_past_or_negated_clause_do_not_count() -> None:
    assert detect_crisis("years ago i had a gun and a note ready. today i got my 5 year chip") is None
    assert detect_crisis("i don't have a gun and i'm not at the bridge, just sad") is None


def test_the_weighted_tier_reports_the_kind_its_signs_point_to() -> None:
    score, kind, words = next(
        result
        for clauses in normalise("friend snorted something and now he's foaming at the mouth")
        if (result := risk_score(clauses, "friend snorted something and now he's foaming at the mouth"))[0]
    )
    assert score >= RISK_THRESHOLD
    assert kind == "overdose"
    assert words


@pytest.mark.parametrize("name", ["crisis_cases", "crisis_holdout", "crisis_fresh", "crisis_unseen"])
def test_false_positive_rate_stays_under_five_percent_on_every_labelled_set(name: str) -> None:
    with Path(__file__).with_name(f"{name}.toml").open("rb") as handle:
        cases: list[dict[str, Any]] = tomllib.load(handle)["case"]
    calm = [case["text"] for case in cases if not case["crisis"]]
    flagged = [text for text in calm if detect_crisis(text) is not None]
    assert len(flagged) / len(calm) <= MAX_FALSE_POSITIVE_RATE, flagged


def test_recall_on_the_fresh_set() -> None:
    # The fresh set was written apart from the detector, but the second tier was built while looking at it,
    # so this guards against losing ground rather than measuring how well new wordings are caught.
    with Path(__file__).with_name("crisis_fresh.toml").open("rb") as handle:
        cases: list[dict[str, Any]] = tomllib.load(handle)["case"]
    crisis = [case["text"] for case in cases if case["crisis"]]
    missed = [text for text in crisis if detect_crisis(text) is None]
    assert 1 - len(missed) / len(crisis) >= 0.9, missed


@pytest.mark.parametrize(
    "filler",
    [
        "sorry goodbye the bridge my spot ",
        "my friend is not ",
        "vodka and my xanax and ",
        "better off if i just ",
        "tied it to the ",
        "if i dont ",
        "a | ",
        "ab, ",
    ],
)
def test_the_second_tier_stays_fast_on_5000_characters_of_its_own_words(filler: str) -> None:
    text = (filler * 5000)[:5000]
    started = time.perf_counter()
    detect_crisis(text)
    assert time.perf_counter() - started < 1.0


# --- mechanisms behind the misses on the unseen set -------------------------------------------------
# Each mechanism gets sentences written for it, none taken from a labelled set, with the nearby sentences
# that must stay quiet beside them.


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # an understated farewell with thanks
        ("probably won't be around much longer, thanks to all of you for everything", "suicide"),
        ("i may not be here much longer. thank you all for everything you did", "suicide"),
        # affairs put in order, with calm or "easier this way"
        ("rehomed my cat with my aunt, closed my bank account and paid off my debts", "suicide"),
        ("cancelled my phone contract, my dog is with my brother now, it's easier this way", "suicide"),
        ("bills are paid, notes are done. feel strangely calm tonight", "suicide"),
        # the means in hand, and staying with it
        ("i've got the pills. just staring at them", "suicide"),
        ("i have the gun here. sitting with it", "suicide"),
        # a form-like plan with a method or a place
        ("method: pills. when: tonight", "suicide"),
        ("plan: the bridge. mood: ready to go", "suicide"),
        # the easiest way to go, with the finding of the body thought through
        ("what's the quickest way to go without anyone having to find my body", "suicide"),
        # an exit planned, the how worked out
        ("been planning my exit. worked out the how and the where", "suicide"),
        ("need to work up the courage. figured out the when", "suicide"),
        # walking into water, with the phone put away
        ("turning off my phone and wading into the river", "suicide"),
        # locked in the bath with a blade
        ("i'm sitting in the bath with a blade and i'm never getting out", "suicide"),
    ],
)
def test_farewells_plans_and_means_in_new_words_are_a_crisis(text: str, kind: str) -> None:
    signal = detect_crisis(text)
    assert signal is not None, text
    assert signal.kind == kind, (text, signal.kind)


@pytest.mark.parametrize(
    "text",
    [
        "won't be around much longer at this job, thanks for everything guys",
        "might not be around much longer in this server, moving to a new city next month. thanks for everything",
        "gave my dog to my sister while i'm on holiday and cancelled my phone plan",
        "cancelled my netflix and paid my bills, feeling adult",
        "my cat is with my neighbour this weekend, bills paid, off to the coast",
        "everything's sorted for the wedding, bills paid",
        "feeling weirdly calm after my first meeting",
        "i have the pills my doctor prescribed, taking them at 8",
        "i have the rope for the tent, we leave at dawn",
        "feeling sad today, just sitting with it",
        "plan: the lake with the kids. when: after my shift",
        "plan: the gym. when: after work. mood: ready to go",
        "when: saturday. where: the community center. plan: bake sale",
        "what's the easiest way to go to the airport from here",
        "planning my exit from this toxic job",
        "figured out the how and the why of my cravings",
        "need to work up the nerve to ask her out",
        "walking into the ocean for a swim, so cold",
        "shaving my legs in the tub with a razor",
        "i'm not coming out tonight, too tired for the party",
        "getting off my phone for the night, gn all",
        "i want someone to find me a good therapist",
    ],
)
def test_errands_outings_and_sitting_with_a_feeling_are_not_a_crisis(text: str) -> None:
    assert detect_crisis(text) is None, text


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # a big count of a sedative, and reaching for more
        ("already swallowed 7 of my xanax and reaching for more", "overdose"),
        ("took like six oxy and im taking more", "overdose"),
        # someone else's whole supply, by the verbs and containers members use
        ("swallowed the whole strip of my mum's warfarin", "overdose"),
        ("chewed a whole bottle of my grandad's heart pills", "overdose"),
        # hoping the drugs are strong enough to kill
        ("hoping the bag is laced this time", "overdose"),
        ("praying this dope is hot enough", "overdose"),
        # waiting for pills to work, asking that nobody be called
        ("please don't tell anyone, i'm just waiting for the pills to kick in", "overdose"),
        ("don't call an ambulance. waiting for them to work", "overdose"),
    ],
)
def test_overdoses_in_new_words_are_detected_as_overdose(text: str, kind: str) -> None:
    signal = detect_crisis(text)
    assert signal is not None, text
    assert signal.kind == kind, (text, signal.kind)


@pytest.mark.parametrize(
    "text",
    [
        "took 5 ibuprofen over the whole day for my back",
        "took 6 gabapentin like my doctor said",
        "took all my blood thinners this morning like always",
        "ate the whole box of cookies lol",
        "hope the stuff isn't too strong, i'm scared of fent",
        "hoping this batch of cookies is hot when people arrive",
        "hoping the coffee is strong enough this time",
        "waiting for the ibuprofen to kick in so i can sleep",
        "waiting for my meds to kick in, thanks for everything today guys",
        "don't tell my sponsor but i skipped a meeting",
        "haha i need more",
    ],
)
def test_counts_containers_and_waiting_in_everyday_use_are_not_an_overdose(text: str) -> None:
    assert detect_crisis(text) is None, text


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # an injury made on purpose, and wanting another
        ("burned myself on purpose tonight", "self_harm"),
        ("made a cut on purpose and i want to make another one", "self_harm"),
        ("cut my arm on purpose and i want to do another one", "self_harm"),
        # violence that keeps happening, with its trigger under way or a threat for tonight
        ("he beats me when he's high and he's high right now", "danger"),
        ("she strangles me when she's wasted. she's on her way home", "danger"),
        ("he hits me when he drinks. texted that tonight i'm going to get it", "danger"),
        # the engine left running in the garage
        ("i'm in the garage and the engine is running", "danger"),
    ],
)
def test_injuries_on_purpose_violence_tonight_and_the_garage_are_detected(text: str, kind: str) -> None:
    signal = detect_crisis(text)
    assert signal is not None, text
    assert signal.kind == kind, (text, signal.kind)


@pytest.mark.parametrize(
    "text",
    [
        "cut my hair short on purpose and want to do another one next month",
        "burned the toast on purpose lol",
        "the scar from a cut i did on purpose years ago still itches",
        "my brother always beats me at mario kart, he's drinking now though",
        "he hits me up for money when he's drunk, he's drunk right now",
        "mum said i'm going to get it when she gets home lol",
        "my sponsor said i'm going to get it eventually, i'm scared",
        "she slaps me on the back every time she sees me",
        "in the garage with the engine running to warm it up",
    ],
)
def test_haircuts_games_figures_of_speech_and_chores_are_not_a_crisis(text: str) -> None:
    assert detect_crisis(text) is None, text


@pytest.mark.parametrize(
    "text",
    [
        # intrusive thoughts the member says plainly they will not act on
        "my ocd gives me intrusive thoughts about stabbing myself. i would never act on them",
        "intrusive thoughts about jumping off the bridge today, i know i won't do it",
        "harm ocd is rough, thoughts of pushing my brother. they don't mean i want to",
        # "self harm" as the punchline about hair or ink
        "cutting my own fringe is the only self harm i do lol",
        "getting a tattoo is basically self harm with extra steps haha",
        # getting ready for someone else's overdose
        "what should i do if i ever see someone overdosing at a meeting",
        "how do i know if my friend is overdosing? want to be ready just in case",
    ],
)
def test_reassured_intrusive_thoughts_jokes_and_preparing_to_help_are_not_a_crisis(text: str) -> None:
    assert detect_crisis(text) is None, text


@pytest.mark.parametrize(
    "text",
    [
        # The reassurance is doubted, or the crisis sits outside the intrusive thought.
        "my ocd gives me intrusive thoughts about killing myself and i'm not sure i won't act on them",
        "intrusive thoughts are loud today. i want to die",
        # A laugh without the joke's object does not take back a real act.
        "lol my bangs are ugly. anyway i cut myself again last night",
        # A person found now, with no "if", is an emergency.
        "i just found my brother overdosing what do i do",
        # Someone else named in a condition does not hide the member's own wish.
        "if i see my ex again i want to die",
    ],
)
def test_the_false_alarm_exceptions_stay_narrow(text: str) -> None:
    assert detect_crisis(text) is not None, text


@pytest.mark.parametrize(
    "filler",
    [
        "sitting in the garage with the ",
        "be the ones who find ",
        "hoping this batch is ",
        "plan: the lake. when: ",
        "took like 8 of the ",
        "he chokes me when ",
        "ate the whole sheet of my ",
        "intrusive thoughts i know i wont ",
        "figured out the when and the how and ",
        "everything's sorted. bills paid, cat's with the neighbor, notes written. ",
    ],
)
def test_the_unseen_set_mechanisms_stay_fast_on_5000_characters_of_their_own_words(filler: str) -> None:
    text = (filler * 5000)[:5000]
    started = time.perf_counter()
    detect_crisis(text)
    assert time.perf_counter() - started < 0.3
