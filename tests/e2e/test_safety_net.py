"""End to end: each tier of the safety net, the safety question's buttons, consent, kinds and Spanish."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from bot.devtools.harness import Harness
from bot.services.crisis_detector import Assessment, CrisisDetector, Tier
from bot.services.crisis_model import load_shipped_model
from bot.services.messages import message
from bot.services.oncall_words import NO_ONE_ON_DUTY_POSTED
from discord_standin.driver import buttons
from tests.conftest import FakeClock
from tests.e2e.test_checkin import check_in
from tests.e2e.test_schedules import member_with_a_dm_prompt

SUPPORT = message("safety", "en", "support_button")
ASK = message("safety", "en", "ask_safe")
SAFE, UNSURE, HELP = (message("safety", "en", key) for key in ("button_safe", "button_unsure", "button_help"))

DETECTOR = CrisisDetector(load_shipped_model())


# Heavy notes of different weights. Which of them the detector reads as "worried", or as dark but calm,
# depends on the shipped model; each test picks the first that fits and fails plainly if none does.
HEAVY_NOTES = (
    "feeling really low and empty today",
    "so tired of fighting this every single day",
    "worn out and numb, just want it all to stop for a while",
    "nothing matters anymore",
    "i feel hopeless tonight",
    "everything feels pointless tonight and i dont see how this gets better",
)


def first_note(want: Callable[[Assessment], bool]) -> str:
    found = [note for note in HEAVY_NOTES if want(DETECTOR.assess(note))]
    assert found, "no note in HEAVY_NOTES fits this test with the shipped model: add one that does"
    return found[0]


def labels(reply_message: object) -> list[str]:
    return [b["label"] for b in buttons(reply_message)]  # type: ignore[arg-type]


async def alert_channel_set(lantern: Harness) -> int:
    community = lantern.community
    assert community is not None
    await lantern.person("lee").slash(
        "setup", checkin_channel=community.checkin_channel, prompt_time="9am", alert_channel=community.leaders_channel
    )
    return community.leaders_channel.id


async def test_a_worried_reading_asks_are_you_safe(lantern: Harness) -> None:
    note = first_note(lambda a: a.tier == Tier.WORRIED)
    reply = await check_in(lantern.person("eve"), mood="3", cravings="1", note=note)
    assert reply.message is not None
    assert ASK in reply.content and "988" not in reply.content
    assert labels(reply.message) == [SAFE, UNSURE, HELP]


async def test_the_hardest_check_in_with_a_dark_note_asks_and_each_answer_is_kind(lantern: Harness) -> None:
    # A note that reads as dark but not as a crisis: with mood 1 and overwhelming cravings, Lantern asks.
    note = first_note(lambda a: a.tier is None and a.dark)
    leaders = await alert_channel_set(lantern)
    alice = lantern.person("alice")
    reply = await check_in(alice, mood="1", cravings="4", note=note)
    assert reply.ephemeral and reply.message is not None
    assert ASK in reply.content and "988" not in reply.content
    assert labels(reply.message) == [SAFE, UNSURE, HELP]
    safe = await alice.click(reply.message, SAFE)
    assert safe.ephemeral and safe.content == message("safety", "en", "answer_safe")
    unsure = await alice.click(reply.message, UNSURE)
    assert unsure.ephemeral and unsure.content.startswith(message("safety", "en", "opening_unsure"))
    assert "988" in unsure.content and unsure.message is not None
    assert labels(unsure.message) == [SUPPORT]
    help_now = await alice.click(reply.message, HELP)
    # "I need help now" leads with the emergency number, before the crisis lines.
    assert help_now.content.index("911") < help_now.content.index("988")
    assert lantern.sandbox.world.channel_messages(leaders) == []  # no alert without the member's press
    assert help_now.message is not None
    pressed = await alice.click(help_now.message, SUPPORT)
    await pressed.settled()
    # No leader is on duty here: told so honestly, with the crisis lines again (tests/e2e/test_oncall.py).
    assert pressed.content.startswith(NO_ONE_ON_DUTY_POSTED) and "988" in pressed.content
    alerts = lantern.sandbox.world.channel_messages(leaders)
    assert len(alerts) == 1 and note not in alerts[0].content


async def test_the_same_hard_day_without_a_dark_note_gets_support_not_questions(lantern: Harness) -> None:
    reply = await check_in(lantern.person("bob"), mood="1", cravings="4", note="")
    assert ASK not in reply.content and "Something that might help" in reply.content


async def test_an_overdose_leads_with_the_emergency_number(lantern: Harness) -> None:
    note = "my roommate took a bunch of pills and now he wont wake up properly, hes breathing weird"
    assert DETECTOR.assess(note).kind == "overdose"
    reply = await check_in(lantern.person("cara"), mood="2", cravings="1", note=note)
    assert reply.message is not None
    assert "Call 911 now" in reply.content
    assert reply.content.index("911") < reply.content.index("988")
    assert "pills" not in reply.content  # never repeats what the member said of a method
    assert labels(reply.message) == [SUPPORT]


async def test_danger_from_someone_leads_with_the_emergency_number(lantern: Harness) -> None:
    note = "he's banging on the door saying he'll kill me when he gets in"
    assert DETECTOR.assess(note).kind == "danger"
    reply = await check_in(lantern.person("dan"), mood="1", cravings="0", note=note)
    assert reply.content.index("call 911") < reply.content.index("988")


async def test_the_phrasings_the_issue_found_missed_now_bring_the_lines(lantern: Harness) -> None:
    eve = lantern.person("eve")
    for note in (
        "can't keep myself safe tonight",
        "gave away my guitar and my cat today, they deserve better owners",
        "picked up the prescription, all of it goes down tonight",
        "at the top of the car park looking down, thinking about it",
        "me voy a matar esta noche",
    ):
        reply = await check_in(eve, mood="2", cravings="4", note=note)
        assert "988" in reply.content, note


async def test_asking_lantern_to_delete_things_is_not_read_as_a_crisis_but_saying_goodbye_is(lantern: Harness) -> None:
    eve = lantern.person("eve")
    # The model alone reads each of these requests as a crisis; the member gets an ordinary thanks.
    for note in ("please delete my account", "I want to stop the prompts", "I'll delete this later"):
        reply = await check_in(eve, mood="3", cravings="1", note=note)
        assert reply.content.startswith("Thanks") and "988" not in reply.content, note
        assert ASK not in reply.content, note
    for note in ("delete my account, I won't need it after tonight", "I'll be dead by morning"):
        reply = await check_in(eve, mood="3", cravings="1", note=note)
        assert "988" in reply.content, note


async def test_a_spanish_member_gets_the_crisis_reply_in_spanish(lantern: Harness) -> None:
    leaders = await alert_channel_set(lantern)
    alice = lantern.person("alice")
    alice.locale = "es-ES"
    reply = await check_in(alice, mood="1", cravings="2", note="me voy a matar esta noche")
    assert reply.message is not None
    assert message("safety", "es", "opening_suicide") in reply.content
    assert "988 y oprime el 2" in reply.content and "AYUDA" in reply.content
    spanish_button = message("safety", "es", "support_button")
    assert labels(reply.message) == [spanish_button]
    pressed = await alice.click(reply.message, spanish_button)
    await pressed.settled()
    # No leader is on duty in the demo community: said honestly, in Spanish, with the lines again.
    assert pressed.content.startswith(message("oncall", "es", "no_one_on_duty_posted"))
    alerts = lantern.sandbox.world.channel_messages(leaders)
    assert len(alerts) == 1 and "matar" not in alerts[0].content


async def test_a_spanish_region_shows_its_own_lines(lantern: Harness) -> None:
    community = lantern.community
    assert community is not None
    await lantern.person("lee").slash(
        "setup", checkin_channel=community.checkin_channel, prompt_time="9am", region="ES"
    )
    bob = lantern.person("bob")
    bob.locale = "es-419"
    reply = await bob.slash("tip", situation="quiero quitarme la vida")
    assert "024" in reply.content and "112" in reply.content
    assert "don't have tips" not in reply.content


async def test_a_tip_request_that_signals_an_overdose_gets_the_emergency_reply(lantern: Harness) -> None:
    reply = await lantern.person("cara").slash("tip", situation="i took all my pills an hour ago")
    assert reply.message is not None and "911" in reply.content
    assert labels(reply.message) == [SUPPORT]
    assert "I don't have tips filed under" not in reply.content


async def test_a_spanish_dm_reply_gets_a_spanish_crisis_card(lantern_at: Harness, clock: FakeClock) -> None:
    clock.now = datetime(2026, 3, 10, 7, 0, tzinfo=UTC)
    alice = await member_with_a_dm_prompt(lantern_at, clock)
    before = len(alice.dms())
    await alice.say("ya no quiero seguir viviendo, no aguanto más")
    replies = (await alice.wait_dms(before + 2))[before:]
    card = next(m for m in replies if "988" in m.content)
    assert message("safety", "es", "closing") in card.content
    assert labels(card) == [message("safety", "es", "support_button")]


async def test_old_english_consent_buttons_still_work(lantern: Harness) -> None:
    # A consent button sent before replies carried a language has the custom_id lantern:support:<community>.
    community = lantern.community
    assert community is not None
    alice = lantern.person("alice")
    reply = await check_in(alice, mood="1", cravings="2", note="i want to kill myself")
    assert reply.message is not None
    for row in reply.message.components:
        for component in row.get("components", []):
            component["custom_id"] = f"lantern:support:{community.guild.id}"
    pressed = await alice.click(reply.message, SUPPORT)
    assert "couldn't pass it on" in pressed.content


async def test_a_dm_outside_any_prompt_is_read_too(lantern: Harness) -> None:
    alice = lantern.person("alice")
    await check_in(alice, mood="3", cravings="0")  # alice uses Lantern in this community
    before = len(alice.dms())
    await alice.say("honestly everyone would be better off without me")
    replies = (await alice.wait_dms(before + 2))[before:]
    card = next(m for m in replies if "988" in m.content or ASK in m.content)
    assert labels(card) in ([SUPPORT], [SAFE, UNSURE, HELP])
    # alice belongs to one community: the DM is kept there as part of today's check-in, and she is told.
    assert replies.index(card) == 0
    assert any("added this to today's check-in. Only you can see it." in m.content for m in replies)


async def test_someone_in_no_community_still_gets_the_lines(lantern: Harness) -> None:
    # bob has never used Lantern in the demo community: no community to alert, the lines all the same.
    bob = lantern.person("bob")
    await bob.say("i want to kill myself tonight")
    replies = await bob.wait_dms(2)
    card = next(m for m in replies if "your local emergency number" in m.content)
    assert labels(card) == []
