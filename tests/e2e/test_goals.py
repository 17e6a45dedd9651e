"""End to end: /goal set|show|clear, the goal question's buttons after the check-in form, and what goes wrong kindly."""

from __future__ import annotations

import asyncio
import json
import logging
from datetime import date
from typing import Any

import pytest

from bot.devtools.harness import Harness
from bot.services.goal_words import say
from bot.ui.replies import SORRY
from discord_standin.driver import Actor, DriverError, Reply, buttons, fetch_attachment
from discord_standin.state import Message
from tests.conftest import FakeClock
from tests.e2e.database import settled_snapshot, snapshot
from tests.e2e.test_checkin import check_in

DAYS_QUESTION = "For your goal: since your last check-in, was there any drinking or using?"


async def goal_question_after(reply: Reply) -> Message:
    """The goal question that follows a check-in's reply, with its buttons."""
    followups = await reply.wait_followups(1)
    question = followups[0]
    assert question.ephemeral and buttons(question), question.content
    return question


async def stored_goal_answers(lantern: Harness, member: Actor) -> dict[date, Any]:
    assert lantern.services is not None and lantern.community is not None
    rows = await lantern.services.db.checkins.recent(lantern.community.guild.id, member.user.id)
    return {r.local_date: r.content.goal for r in rows}


async def press_as(actor: Actor, message: Message, custom_id: str) -> Reply:
    """What a modified client could send: a press on a button of a message that is not the actor's own."""
    data = {"custom_id": custom_id, "component_type": 2}
    interaction = actor._base(3, data, actor.sandbox.world.channels.get(message.channel_id))
    interaction.payload["message"] = message.to_json()
    return await actor._send(interaction, 5.0)


def no_judgement(text: str) -> None:
    assert text != SORRY
    for word in ("failed", "relapse", "broke", "fail", "bad"):
        assert word not in text.lower(), text


def kind(text: str) -> None:
    """An answer a member can read without being judged, that says what to do next."""
    no_judgement(text)
    assert "`/" in text, text


async def test_set_check_in_answer_and_show(lantern_at: Harness, clock: FakeClock) -> None:
    alice = lantern_at.person("alice")
    nothing = await alice.slash("goal show")
    assert nothing.ephemeral and "haven't set a goal yet" in nothing.content
    without_goal = await check_in(alice)
    await asyncio.sleep(0.3)
    assert without_goal.followups == []  # no goal, no question
    reply = await alice.slash("goal set", measure="days", goal="Drink only at weekends", days=2)
    assert reply.ephemeral and reply.content.startswith("Your goal is set:"), reply.content
    assert "“Drink only at weekends”" in reply.content
    assert "no more than 2 drinking or using days a week" in reply.content
    clock.advance(days=1)
    answered = await check_in(alice)
    assert answered.content.startswith("Thanks for checking in.")
    question = await goal_question_after(answered)
    assert question.content == DAYS_QUESTION
    assert [b["label"] for b in buttons(question)] == ["No", "Yes"]
    assert all(b["custom_id"].startswith("lantern:goal:") for b in buttons(question))
    noted = await alice.click(question, "Yes")
    assert "Noted for your goal: Yes." in noted.message.content if noted.message else False
    today = clock.now.date()
    assert (await stored_goal_answers(lantern_at, alice))[today] == ("days", 1)
    # A change of mind is one more tap.
    await alice.click(question, "No")
    assert (await stored_goal_answers(lantern_at, alice))[today] == ("days", 0)
    shown = await alice.slash("goal show")
    assert shown.message is not None and shown.ephemeral
    assert "Your goal: “Drink only at weekends”" in shown.content
    assert "Last 7 days: 0 drinking or using days of the 1 day you answered. Within your aim of 2." in shown.content
    attachment = shown.message.attachments[0]
    assert attachment.filename == "goal.png"
    assert (await fetch_attachment(attachment.url)).startswith(b"\x89PNG\r\n\x1a\n")
    assert attachment.description and "Chart of your goal over 4 weeks" in attachment.description


async def test_progress_over_weeks_reads_without_judgement(lantern_at: Harness, clock: FakeClock) -> None:
    bob = lantern_at.person("bob")
    await bob.slash("goal set", measure="days", goal="Cut down", days=1)
    for day in range(10):
        question = await goal_question_after(await check_in(bob))
        await bob.click(question, "Yes" if day % 2 == 0 else "No")
        clock.advance(days=1)
    shown = await bob.slash("goal show", weeks=2)
    text = shown.content
    # Today is day 10 (not checked in yet): the last seven days are days 4 to 10, answered on 4 to 9, with
    # drinking or using on days 4, 6 and 8; the seven before hold days 0 to 3, with days 0 and 2.
    assert "Last 7 days: 3 drinking or using days of the 6 days you answered." in text, text
    assert "More than your aim of 1 this time; each week starts fresh." in text
    assert "7 Mar to 13 Mar: 2 drinking or using days of the 4 days you answered." in text
    no_judgement(text)
    # Another measure: kept to it or not, and cravings below a level.
    await bob.slash("goal set", measure="before", goal="Nothing before dinner", time="6pm")
    question = await goal_question_after(await check_in(bob))
    assert question.content == "For your goal: since your last check-in, did you keep to nothing before 18:00?"
    await bob.click(question, "Yes, I kept to it")
    shown = await bob.slash("goal show")
    assert "Last 7 days: you kept to it on 1 of the 1 day you answered." in shown.content
    replaced = await bob.slash("goal set", measure="cravings", goal="Calmer evenings", cravings=3)
    assert replaced.content.startswith("Your goal is updated")
    question = await goal_question_after(await check_in(bob))
    assert [b["label"] for b in buttons(question)] == ["None", "Mild", "Moderate", "Strong", "Overwhelming"]
    await bob.click(question, "Moderate")
    shown = await bob.slash("goal show")
    assert "cravings below strong on 1 of the 1 day you answered." in shown.content


async def test_goal_show_asks_todays_question_when_it_is_still_open(lantern_at: Harness) -> None:
    cara = lantern_at.person("cara")
    await check_in(cara)
    await cara.slash("goal set", measure="days", goal="Dry weekdays", days=2)
    shown = await cara.slash("goal show")
    assert "Today's question is below" in shown.content
    question = (await shown.wait_followups(1))[0]
    assert question.content == DAYS_QUESTION
    await cara.click(question, "No")
    again = await cara.slash("goal show")
    await asyncio.sleep(0.3)
    assert again.followups == [] and "Today's question" not in again.content


async def test_updating_todays_check_in_keeps_the_goal_answer(lantern_at: Harness, clock: FakeClock) -> None:
    dan = lantern_at.person("dan")
    await dan.slash("goal set", measure="days", goal="Two days a week at most", days=2)
    await dan.click(await goal_question_after(await check_in(dan, mood="2")), "Yes")
    updated = await check_in(dan, mood="4", note="better now")
    assert updated.content.startswith("Thanks, I've updated today's check-in.")
    assert (await stored_goal_answers(lantern_at, dan))[clock.now.date()] == ("days", 1)


async def test_clear_and_clear_again(lantern_at: Harness) -> None:
    eve = lantern_at.person("eve")
    await eve.slash("goal set", measure="days", goal="Fewer days", days=3)
    cleared = await eve.slash("goal clear")
    assert cleared.content == say("cleared")
    assert lantern_at.services is not None and lantern_at.community is not None
    assert await lantern_at.services.goals.get(lantern_at.community.guild.id, eve.user.id) is None
    before = await settled_snapshot(lantern_at.database_url)
    again = await eve.slash("goal clear")
    assert again.content == say("nothing_to_clear") and again.ephemeral
    assert snapshot(lantern_at.database_url) == before
    await asyncio.sleep(0.3)
    assert (await check_in(eve)).followups == []


BAD_SETS: list[tuple[dict[str, Any], str]] = [
    ({"measure": "days", "goal": "Fewer days"}, say("needs_days")),
    ({"measure": "before", "goal": "Not before dinner"}, say("needs_time")),
    ({"measure": "cravings", "goal": "Calmer"}, say("needs_level")),
    ({"measure": "before", "goal": "Not before dinner", "time": "25:99"}, 'I couldn\'t read "25:99" as a time.'),
    ({"measure": "days", "goal": "Fewer days", "days": 2, "time": "6pm"}, "`time:` goes with another measure"),
    ({"measure": "cravings", "goal": "Calmer", "cravings": 2, "days": 1}, "`days:` goes with another measure"),
    ({"measure": "days", "goal": "   ", "days": 2}, say("words_empty")),
]


@pytest.mark.parametrize(("options", "expected"), BAD_SETS, ids=[e for _, e in BAD_SETS])
async def test_bad_goal_set_is_refused_kindly_and_changes_nothing(
    lantern: Harness, caplog: pytest.LogCaptureFixture, options: dict[str, Any], expected: str
) -> None:
    caplog.set_level(logging.INFO)
    eve = lantern.person("eve")
    await eve.slash("goal set", measure="days", goal="The goal I keep", days=2)
    before = await settled_snapshot(lantern.database_url)
    reply = await eve.slash("goal set", **options)
    assert reply.ephemeral and expected in reply.content, reply.content
    assert reply.content != SORRY and "failed" not in reply.content.lower()
    assert snapshot(lantern.database_url) == before
    assert "The goal I keep" in (await eve.slash("goal show")).content
    assert all(record.levelno < logging.ERROR for record in caplog.records)


async def test_numbers_outside_the_declared_range_are_refused_at_the_edge(lantern: Harness) -> None:
    dan = lantern.person("dan")
    await dan.slash("goal show")  # past the first use (which records the privacy notice as seen)
    before = await settled_snapshot(lantern.database_url)
    for options in ({"days": 7}, {"days": -1}, {"cravings": 0}, {"cravings": 5}):
        with pytest.raises(DriverError):  # Discord's own client keeps to the declared range
            await dan.slash("goal set", measure="days", goal="Fewer", **options)
        reply = await dan.raw_slash("goal set", {"measure": "days", "goal": "Fewer", **options})
        assert reply.ephemeral and reply.content != SORRY
    for weeks in (0, 13):
        reply = await dan.raw_slash("goal show", {"weeks": weeks})
        assert reply.ephemeral and reply.content != SORRY
    assert snapshot(lantern.database_url) == before


async def test_stale_and_foreign_goal_buttons_change_nothing(lantern_at: Harness, clock: FakeClock) -> None:
    alice, bob = lantern_at.person("alice"), lantern_at.person("bob")
    await alice.slash("goal set", measure="days", goal="Weekends only", days=2)
    question = await goal_question_after(await check_in(alice))
    yes = next(b["custom_id"] for b in buttons(question) if b["label"] == "Yes")
    # Someone else's buttons: a modified client pressing alice's answer as bob.
    await bob.slash("goal set", measure="days", goal="Bob's own", days=1)
    await check_in(bob)
    before = await settled_snapshot(lantern_at.database_url)
    foreign = await press_as(bob, question, yes)
    assert foreign.content == say("not_yours") and foreign.ephemeral
    assert snapshot(lantern_at.database_url) == before
    # The goal's measure changed since the question was asked.
    await alice.slash("goal set", measure="before", goal="Not before six", time="6pm")
    before = await settled_snapshot(lantern_at.database_url)
    changed = await alice.click(question, "Yes")
    assert changed.content == say("goal_changed")
    kind(changed.content)
    assert snapshot(lantern_at.database_url) == before
    # No goal at all now.
    await alice.slash("goal clear")
    before = await settled_snapshot(lantern_at.database_url)
    assert (await alice.click(question, "No")).content == say("goal_changed")
    assert snapshot(lantern_at.database_url) == before
    # That day's check-in is gone (/forget removes everything, the goal too).
    await alice.slash("goal set", measure="days", goal="Weekends only", days=2)
    question = await goal_question_after(await check_in(alice))
    forget = await alice.slash("forget")
    assert forget.message is not None
    await alice.click(forget.message, "Yes, delete everything")
    assert await lantern_at.services.goals.get(lantern_at.community.guild.id, alice.user.id) is None  # type: ignore[union-attr]
    await alice.slash("goal set", measure="days", goal="Starting again", days=2)
    before = await settled_snapshot(lantern_at.database_url)
    gone = await alice.click(question, "No")
    assert gone.content == say("day_gone")
    kind(gone.content)
    assert snapshot(lantern_at.database_url) == before


async def test_tampered_goal_button_ids_are_answered_as_stale(lantern: Harness) -> None:
    alice = lantern.person("alice")
    await alice.slash("goal set", measure="days", goal="Weekends only", days=2)
    question = await goal_question_after(await check_in(alice))
    no = next(b["custom_id"] for b in buttons(question) if b["label"] == "No")
    prefix = no.rsplit(":", 3)[0]
    before = await settled_snapshot(lantern.database_url)
    for custom_id in (
        no[:-1] + "4",  # an answer the days question does not offer
        prefix + ":2026-13-45:d:0",  # no such date
        "lantern:goal:0:1:2026-03-10:d:0",  # no such server
        "lantern:goal:garbage",
    ):
        reply = await press_as(alice, question, custom_id)
        assert reply.ephemeral and reply.content != SORRY
        assert "`/goal show`" in reply.content or "`/checkin`" in reply.content, reply.content
    assert snapshot(lantern.database_url) == before


async def test_goal_is_in_export_and_gone_after_forget(lantern: Harness) -> None:
    cara = lantern.person("cara")
    await cara.slash("goal set", measure="cravings", goal="cara-goal-canary words", cravings=2)
    await cara.click(await goal_question_after(await check_in(cara)), "Mild")
    exported = await cara.slash("export")
    assert exported.message is not None
    files = {a.filename: await fetch_attachment(a.url) for a in exported.message.attachments}
    data = json.loads(files["lantern-export.json"])
    assert data["goal"]["words"] == "cara-goal-canary words" and data["goal"]["measure"] == "cravings"
    assert data["checkins"][0]["goal_answer"] == {"measure": "cravings", "answer": 1, "label": "Mild"}
    assert "Mild" in files["lantern-checkins.csv"].decode("utf-8-sig").splitlines()[1]
    other = await lantern.person("bob").slash("export")
    assert other.message is not None
    assert b"cara-goal-canary" not in await fetch_attachment(other.message.attachments[0].url)
    forget = await cara.slash("forget")
    assert forget.message is not None and "your goal" in forget.content
    done = await cara.click(forget.message, "Yes, delete everything")
    assert "I deleted" in done.content
    assert "haven't set a goal yet" in (await cara.slash("goal show")).content


async def test_a_goal_in_words_of_crisis_brings_the_crisis_lines_first(lantern: Harness) -> None:
    alice = lantern.person("alice")
    reply = await alice.slash("goal set", measure="days", goal="stop wanting to kill myself", days=0)
    assert reply.ephemeral and reply.message is not None
    labels = [b.get("label") for b in buttons(reply.message)]
    assert "Let a peer leader know I could use support" in labels, reply.content
    assert "Your goal is set" in reply.content, reply.content
    assert reply.content.index("Your goal is set") > 0  # the lines come first, the goal is still kept
    assert "stop wanting to kill myself" in (await alice.slash("goal show")).content


async def test_a_lost_goal_question_leaves_the_thanks_and_comes_back_in_goal_show(
    lantern: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    alice = lantern.person("alice")
    await check_in(alice)  # past the first use, whose privacy notice is a message of its own
    await alice.slash("goal set", measure="days", goal="Weekends only", days=2)
    await settled_snapshot(lantern.database_url)
    fault = lantern.sandbox.inject("POST", "/webhooks/*", 400, code=50035, message="Invalid Form Body")
    reply = await check_in(alice)
    await asyncio.sleep(0.5)
    assert fault.hits == 1
    assert reply.content.startswith("Thanks, I've updated today's check-in.") and reply.followups == []
    assert any("goal question could not follow" in r.getMessage() for r in caplog.records)
    shown = await alice.slash("goal show")
    question = (await shown.wait_followups(1))[0]
    await alice.click(question, "No")
    assert list((await stored_goal_answers(lantern, alice)).values()) == [("days", 0)]


async def test_the_goal_question_follows_a_form_opened_from_a_dm_prompt(lantern_at: Harness, clock: FakeClock) -> None:
    from datetime import UTC, datetime

    from tests.e2e.test_schedules import prompts_to, run_until, set_up

    clock.now = datetime(2026, 3, 10, 7, 0, tzinfo=UTC)
    await set_up(lantern_at)
    alice = lantern_at.person("alice")
    await alice.slash("settings", dm_prompts=True)
    await alice.slash("goal set", measure="cravings", goal="Calmer evenings", cravings=3)
    await run_until(lantern_at, clock, datetime(2026, 3, 10, 9, 0, tzinfo=UTC))
    prompt = prompts_to(alice)[0]
    in_dm = Actor(lantern_at.sandbox, alice.user, None, None)  # alice, acting in her DMs with Lantern
    opened = await in_dm.click(prompt, "Check in")
    assert opened.modal is not None
    submitted = await in_dm.submit(opened.modal, {"How are you arriving today?": "4", "Any cravings right now?": "1"})
    question = await goal_question_after(submitted)
    assert question.channel_id == prompt.channel_id  # in the DM, like the form's reply
    noted = await in_dm.click(question, "Mild")
    assert noted.message is not None and "Noted for your goal: Mild." in noted.message.content
    assert list((await stored_goal_answers(lantern_at, alice)).values()) == [("cravings", 1)]
