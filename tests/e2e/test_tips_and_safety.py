"""End to end: /tip and its buttons, /resources, leaders' tips and links, and the safety net with consent."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.devtools.harness import Harness
from bot.services.messages import message
from bot.services.oncall_words import NO_ONE_ON_DUTY_POSTED
from discord_standin.driver import DriverError, buttons
from tests.conftest import FakeClock
from tests.e2e.test_checkin import check_in
from tests.e2e.test_schedules import channel_prompts, member_with_a_dm_prompt

# No leader is on duty in these tests: the member is told so, with the crisis lines again (tests/e2e/test_oncall.py).
SUPPORT_SENT = NO_ONE_ON_DUTY_POSTED
SUPPORT_ALREADY_SENT = message("safety", "en", "support_already_sent")
CRISIS_NOTE = "i dont want to be here anymore, thinking about ending it tonight"


def tip_title(text: str) -> str:
    """The tip's bold title, below the line saying which situation the words were read as."""
    return next(line for line in text.split("\n") if line.startswith("**"))


async def test_tip_and_its_buttons(lantern: Harness) -> None:
    alice = lantern.person("alice")
    reply = await alice.slash("tip", situation="craving")
    assert reply.ephemeral and reply.message is not None
    assert [b["label"] for b in buttons(reply.message)] == ["This helped", "Not for me", "Another one"]
    first = tip_title(reply.content)
    another = await alice.click(reply.message, "Another one")
    assert another.type == 7
    another_content = reply.message.content
    assert tip_title(another_content) != first
    helped = await alice.click(reply.message, "This helped")
    assert "Glad it helped" in reply.message.content and helped.type == 7
    nope = await alice.click(reply.message, "Another one")
    assert nope.type == 7
    rejected_title = tip_title(reply.message.content)
    await alice.click(reply.message, "Not for me")
    assert "won't show you that one again" in reply.message.content
    assert lantern.services is not None
    pool = lantern.services.tips.library.pool("craving")
    shown_before = {first, tip_title(another_content)}
    titles = []
    for _ in range(len(pool) + 3):
        again = await alice.slash("tip", situation="craving")
        titles.append(tip_title(again.content))
    assert rejected_title not in titles
    # No repeat until the pool (less the one set aside) has been shown: the two seen earlier in this
    # pass come back only after every other tip.
    fresh = len(pool) - 1 - len(shown_before)
    assert len(set(titles[:fresh])) == fresh
    assert not shown_before & set(titles[:fresh])


async def test_tip_situations_autocomplete_and_bad_input(lantern: Harness) -> None:
    alice = lantern.person("alice")
    choices = await alice.autocomplete("tip", "situation", "sle")
    assert choices and choices[0]["value"] == "sleep"
    assert len(await alice.autocomplete("tip", "situation", "")) <= 25
    free_text = await alice.slash("tip", situation="can't sleep")
    assert free_text.message is not None and buttons(free_text.message)
    # Words that point nowhere still get a tip (any situation), never a refusal.
    unknown = await alice.slash("tip", situation="xyzzy")
    assert unknown.message is not None and buttons(unknown.message) and unknown.ephemeral
    assert "don't have tips" not in unknown.content
    # Words that name no situation but mean one get that situation's tip.
    indirect = await alice.slash("tip", situation="feel like nobody gets it")
    assert indirect.message is not None and "Loneliness" in indirect.content


async def test_resources_follow_the_community_region(lantern: Harness) -> None:
    community = lantern.community
    assert community is not None
    alice, lee = lantern.person("alice"), lantern.person("lee")
    us = await alice.slash("resources")
    assert us.message is not None and us.ephemeral
    assert "1-800-662-4357" in us.text and "988" in us.text
    assert "Meeting finders" in us.text
    await lee.slash("setup", checkin_channel=community.checkin_channel, prompt_time="9am", region="GB")
    added = await lee.slash("links add", name="Tuesday night meeting", url="https://example.org/tuesday")
    assert added.content.startswith("Added link")
    bad = await lee.slash("links add", name="Bad", url="http://insecure.example")
    assert "should start with https://" in bad.content
    uk = await alice.slash("resources")
    assert "116 123" in uk.text and "Tuesday night meeting" in uk.text
    with pytest.raises(DriverError, match="Discord hides it"):
        await alice.slash("links add", name="x", url="https://example.org")


async def test_a_crisis_note_brings_lines_and_a_consent_button(lantern: Harness) -> None:
    community = lantern.community
    assert community is not None
    await lantern.person("lee").slash(
        "setup", checkin_channel=community.checkin_channel, prompt_time="9am", alert_channel=community.leaders_channel
    )
    alice = lantern.person("alice")
    reply = await check_in(alice, mood="1", cravings="2", note=CRISIS_NOTE)
    assert reply.ephemeral and reply.message is not None
    assert "988" in reply.content
    assert [b["label"] for b in buttons(reply.message)] == ["Let a peer leader know I could use support"]
    leaders = community.leaders_channel.id
    assert lantern.sandbox.world.channel_messages(leaders) == []  # nobody is told without consent
    pressed = await alice.click(reply.message, "Let a peer leader know I could use support")
    await pressed.settled()
    assert pressed.content.startswith(SUPPORT_SENT) and "988" in pressed.content
    alerts = lantern.sandbox.world.channel_messages(leaders)
    assert len(alerts) == 1
    assert f"<@{alice.user.id}>" in alerts[0].content
    assert "ending it" not in alerts[0].content and CRISIS_NOTE not in alerts[0].content
    again = await alice.click(reply.message, "Let a peer leader know I could use support")
    assert again.content == SUPPORT_ALREADY_SENT
    assert len(lantern.sandbox.world.channel_messages(leaders)) == 1


async def test_without_an_alert_channel_the_member_is_told_honestly(lantern: Harness) -> None:
    bob = lantern.person("bob")
    reply = await check_in(bob, note="want to kill myself")
    assert reply.message is not None
    pressed = await bob.click(reply.message, "Let a peer leader know I could use support")
    assert "couldn't pass it on" in pressed.content


async def test_ordinary_hard_days_get_no_crisis_reply(lantern: Harness) -> None:
    cara = lantern.person("cara")
    reply = await check_in(cara, mood="2", cravings="1", note="rough day at work, this commute is killing me")
    assert "988" not in reply.content
    assert reply.message is not None
    assert "Let a peer leader know I could use support" not in [b["label"] for b in buttons(reply.message)]


async def test_strong_cravings_or_halt_offer_a_matching_tip(lantern: Harness) -> None:
    dan, eve = lantern.person("dan"), lantern.person("eve")
    strong = await check_in(dan, mood="1", cravings="4")
    assert "Something that might help" in strong.content
    assert strong.message is not None
    assert [b["label"] for b in buttons(strong.message)] == ["This helped", "Not for me", "Another one"]
    assert lantern.services is not None
    craving_ids = {t.id for t in lantern.services.tips.library.pool("craving")}
    custom_id = buttons(strong.message)[0]["custom_id"]
    assert custom_id.split(":")[-1] in craving_ids
    halt = await check_in(eve, mood="4", cravings="0", halt=["Lonely"])
    assert "Something that might help" in halt.content
    calm = await check_in(lantern.person("alice"), mood="4", cravings="0")
    assert "Something that might help" not in calm.content


async def test_a_tip_request_in_crisis_gets_the_lines(lantern: Harness) -> None:
    reply = await lantern.person("alice").slash("tip", situation="how many pills would it take to not wake up")
    assert "988" in reply.content
    assert reply.message is not None
    assert [b["label"] for b in buttons(reply.message)] == ["Let a peer leader know I could use support"]


async def test_leaders_add_their_own_tips(lantern: Harness) -> None:
    lee, alice = lantern.person("lee"), lantern.person("alice")
    added = await lee.slash(
        "tips add",
        title="Walk to the harbour",
        body="Put your shoes on and walk to the harbour wall and back. Count the boats on the way.",
        situation="boredom",
    )
    assert "Added as `c1`" in added.content
    short = await lee.slash("tips add", title="Hi", body="too short")
    assert "at least 3 characters" in short.content
    listed = await lee.slash("tips list")
    assert "`c1` **Walk to the harbour** (boredom)" in listed.content
    assert lantern.services is not None
    pool = lantern.services.tips.library.pool(
        "boredom",
        extra=await lantern.services.tips.community_tips(lantern.community.guild.id if lantern.community else 0),
    )
    titles = {tip_title((await alice.slash("tip", situation="boredom")).content) for _ in range(len(pool))}
    assert "**Walk to the harbour**" in titles
    removed = await lee.slash("tips remove", tip_id="c1")
    assert removed.content == "Removed `c1`."
    missing = await lee.slash("tips remove", tip_id="c99")
    assert "can't find" in missing.content
    with pytest.raises(DriverError):
        await alice.slash("tips add", title="x", body="y")


async def test_get_a_tip_on_the_channel_prompt_and_a_crisis_dm_reply(lantern_at: Harness, clock: FakeClock) -> None:
    clock.now = datetime(2026, 3, 10, 7, 0, tzinfo=UTC)
    alice = await member_with_a_dm_prompt(lantern_at, clock)
    prompt = channel_prompts(lantern_at)[0]
    got = await alice.click(prompt, "Get a tip")
    assert got.ephemeral and got.message is not None
    assert [b["label"] for b in buttons(got.message)] == ["This helped", "Not for me", "Another one"]
    before = len(alice.dms())
    await alice.say("honestly i want to die")
    replies = (await alice.wait_dms(before + 2))[before:]
    crisis = next(m for m in replies if "988" in m.content)
    pressed = await alice.click(crisis, "Let a peer leader know I could use support")
    await pressed.settled()
    assert pressed.content.startswith(SUPPORT_SENT) and "988" in pressed.content
    assert lantern_at.community is not None
    alerts = lantern_at.sandbox.world.channel_messages(lantern_at.community.leaders_channel.id)
    assert len(alerts) == 1 and "want to die" not in alerts[0].content
