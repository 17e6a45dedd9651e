"""End to end: /setup, schedules firing on a driven clock, DM prompts exactly once, replies and reminders."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.devtools.harness import Harness
from discord_standin.driver import Actor, DriverError, buttons
from discord_standin.state import Message
from tests.conftest import FakeClock
from tests.e2e.test_checkin import CRAVINGS, MOOD, NOTE, stored_notes

# 2026-03-10 is a Tuesday; London is on GMT (UTC+0) until 29 March.
START = datetime(2026, 3, 10, 7, 0, tzinfo=UTC)


@pytest.fixture
def early_clock(clock: FakeClock) -> FakeClock:
    clock.now = START
    return clock


async def set_up(lantern: Harness, **options: object) -> str:
    community = lantern.community
    assert community is not None
    lee = lantern.person("lee")
    defaults: dict[str, object] = {
        "checkin_channel": community.checkin_channel,
        "timezone": "Europe/London",
        "prompt_time": "9am",
        "alert_channel": community.leaders_channel,
    }
    reply = await lee.slash("setup", **{**defaults, **options})
    assert reply.ephemeral
    return reply.content


def channel_prompts(lantern: Harness) -> list[Message]:
    assert lantern.community is not None
    return [
        m
        for m in lantern.sandbox.world.channel_messages(lantern.community.checkin_channel.id)
        if buttons(m) and m.author.bot and not m.ephemeral
    ]


def prompts_to(member: Actor) -> list[Message]:
    return [m for m in member.dms() if "How are you arriving" in m.content]


async def run_until(lantern: Harness, clock: FakeClock, when: datetime) -> None:
    assert lantern.services is not None
    clock.now = when
    await lantern.services.scheduler.run_due(when)


async def test_setup_then_the_daily_prompt_fires_and_its_button_survives_a_restart(
    lantern_at: Harness, early_clock: FakeClock
) -> None:
    text = await set_up(lantern_at)
    assert text.startswith("You're all set.")
    assert "every day at 09:00" in text
    assert lantern_at.services is not None
    planned = sorted(j for j in lantern_at.services.scheduler.planned.values() if j.kind != "retention")
    assert [(j.kind, j.run_at) for j in planned] == [("channel", datetime(2026, 3, 10, 9, 0, tzinfo=UTC))]

    await run_until(lantern_at, early_clock, datetime(2026, 3, 10, 9, 0, tzinfo=UTC))
    prompts = channel_prompts(lantern_at)
    assert len(prompts) == 1
    assert [b["label"] for b in buttons(prompts[0])] == ["Check in", "Get a tip"]
    assert prompts[0].content.startswith("Morning, all.")
    # Re-running the same instant sends nothing more: the occurrence is recorded.
    await lantern_at.services.scheduler.run_due(early_clock.now)
    assert len(channel_prompts(lantern_at)) == 1
    # The next day's prompt is planned.
    assert [j.run_at for j in lantern_at.services.scheduler.planned.values() if j.kind == "channel"] == [
        datetime(2026, 3, 11, 9, 0, tzinfo=UTC)
    ]

    await lantern_at.restart_bot()
    alice = lantern_at.person("alice")
    opened = await alice.click(prompts[0], "Check in")
    assert opened.modal is not None
    saved = await alice.submit(opened.modal, {MOOD: "4", CRAVINGS: "0", NOTE: "from the channel button"})
    assert saved.content.startswith("Thanks for checking in.")
    assert await stored_notes(lantern_at, alice) == ["from the channel button"]


async def test_setup_again_with_only_a_new_time_moves_the_prompt(lantern_at: Harness, early_clock: FakeClock) -> None:
    await set_up(lantern_at)
    updated = await lantern_at.person("lee").slash("setup", prompt_time="8am")
    assert updated.content.startswith("Updated. Here's how it runs now:"), updated.content
    assert "every day at 08:00" in updated.content
    assert lantern_at.services is not None
    planned = [j.run_at for j in lantern_at.services.scheduler.planned.values() if j.kind == "channel"]
    assert planned == [datetime(2026, 3, 10, 8, 0, tzinfo=UTC)]


async def test_members_cannot_run_leader_commands(lantern_at: Harness, early_clock: FakeClock) -> None:
    alice = lantern_at.person("alice")
    with pytest.raises(DriverError, match="Discord hides it"):
        await alice.slash("setup", prompt_time="9am")
    community = lantern_at.community
    assert community is not None
    # Even when an admin lets everyone see the commands, the run-time check still refuses members.
    everyone = community.guild.everyone_role
    lantern_at.sandbox.allow_command(community.guild, "schedule", everyone)
    lantern_at.sandbox.allow_command(community.guild, "setup", everyone)
    refused = await alice.slash("schedule list")
    assert "for peer leaders" in refused.content and refused.ephemeral
    refused = await alice.slash("setup", prompt_time="9am")
    assert "for peer leaders" in refused.content
    assert lantern_at.services is not None
    assert await lantern_at.services.db.schedules.in_community(community.guild.id) == []


async def test_the_leader_role_grants_leader_commands(lantern_at: Harness, early_clock: FakeClock) -> None:
    community = lantern_at.community
    assert community is not None
    helpers = await lantern_at.sandbox.create_role(community.guild, "Helpers")
    community.guild.members[lantern_at.person("cara").user.id].roles.append(helpers.id)
    lantern_at.sandbox.allow_command(community.guild, "schedule", helpers)
    await set_up(lantern_at, leader_role=helpers)
    listed = await lantern_at.person("cara").slash("schedule list")
    assert "**daily**" in listed.content


async def test_dm_prompts_reach_exactly_the_opted_in_unpaused_members_once(
    lantern_at: Harness, early_clock: FakeClock
) -> None:
    await set_up(lantern_at)
    alice, bob, cara, dan = (lantern_at.person(n) for n in ("alice", "bob", "cara", "dan"))
    for member in (alice, bob, cara):
        reply = await member.slash("settings", dm_prompts=True)
        assert "Daily prompt by DM: on" in reply.content
    paused = await cara.slash("pause", days=3)
    assert "Take the time you need" in paused.content
    await run_until(lantern_at, early_clock, datetime(2026, 3, 10, 9, 0, tzinfo=UTC))
    assert len(prompts_to(alice)) == 1
    assert len(prompts_to(bob)) == 1
    assert prompts_to(cara) == []
    assert prompts_to(dan) == []
    assert lantern_at.services is not None
    # The same occurrence again (a second job, a restart) never sends twice.
    for kind in ("prompt", "channel"):
        await lantern_at.services.delivery.run(kind, 1, datetime(2026, 3, 10, 9, 0, tzinfo=UTC))
    assert len(prompts_to(alice)) == 1 and len(prompts_to(bob)) == 1
    assert len(channel_prompts(lantern_at)) == 1
    # Once cached, a DM prompt costs one request per member.
    await run_until(lantern_at, early_clock, datetime(2026, 3, 11, 9, 0, tzinfo=UTC))
    opened = [r for r in lantern_at.sandbox.requests if r.path == "/users/@me/channels"]
    assert len(opened) == 2  # alice and bob, on the first day only
    assert len(prompts_to(alice)) == 2


async def test_members_in_other_zones_get_prompts_at_their_own_nine(
    lantern_at: Harness, early_clock: FakeClock
) -> None:
    await set_up(lantern_at)
    alice, bob = lantern_at.person("alice"), lantern_at.person("bob")
    await alice.slash("settings", dm_prompts=True, timezone="America/New_York")
    await bob.slash("settings", dm_prompts=True, timezone="Asia/Tokyo")
    assert lantern_at.services is not None
    prompt_jobs = sorted(j.run_at for j in lantern_at.services.scheduler.planned.values() if j.kind == "prompt")
    # Tokyo's 09:00 on the 11th is 00:00 UTC; London's is 09:00 UTC (nobody there wants DMs); New York's 13:00 UTC.
    assert prompt_jobs == [datetime(2026, 3, 10, 13, 0, tzinfo=UTC), datetime(2026, 3, 11, 0, 0, tzinfo=UTC)]
    await run_until(lantern_at, early_clock, datetime(2026, 3, 10, 13, 0, tzinfo=UTC))
    assert len(prompts_to(alice)) == 1 and prompts_to(bob) == []
    await run_until(lantern_at, early_clock, datetime(2026, 3, 11, 0, 0, tzinfo=UTC))
    assert len(prompts_to(bob)) == 1


async def member_with_a_dm_prompt(lantern: Harness, clock: FakeClock, name: str = "alice") -> Actor:
    """A set-up community where `name` turned DM prompts on and got the 9:00 prompt of 10 March."""
    await set_up(lantern)
    member = lantern.person(name)
    await member.slash("settings", dm_prompts=True)
    await run_until(lantern, clock, datetime(2026, 3, 10, 9, 0, tzinfo=UTC))
    return member


async def test_a_dm_reply_is_kept_as_the_note_and_the_mood_is_one_tap(
    lantern_at: Harness, early_clock: FakeClock
) -> None:
    alice = await member_with_a_dm_prompt(lantern_at, early_clock)
    before = len(alice.dms())
    await alice.say("rough morning but I made it to the meeting")
    answer = (await alice.wait_dms(before + 1))[-1]
    assert "kept that privately as today's note" in answer.content
    assert await stored_notes(lantern_at, alice) == ["rough morning but I made it to the meeting"]
    tapped = await alice.click(answer, "4 · Doing okay")
    assert tapped.type == 7
    assert tapped.message is not None and "Thanks for checking in." in tapped.message.content
    assert lantern_at.services is not None and lantern_at.community is not None
    rows = await lantern_at.services.db.checkins.recent(lantern_at.community.guild.id, alice.user.id)
    assert rows[0].content.mood == 4
    assert rows[0].content.note == "rough morning but I made it to the meeting"


async def test_a_dm_from_someone_in_no_community_is_not_stored(lantern_at: Harness) -> None:
    bob = lantern_at.person("bob")  # bob has never used Lantern in the demo server
    await bob.say("hello?")
    reply = (await bob.wait_dms(1))[-1]
    assert "haven't met you in one yet" in reply.content and "/checkin" in reply.content
    assert await stored_notes(lantern_at, bob) == []


async def test_reminders_go_only_to_those_who_have_not_checked_in(lantern_at: Harness, early_clock: FakeClock) -> None:
    await set_up(lantern_at)
    lee, alice, bob = lantern_at.person("lee"), lantern_at.person("alice"), lantern_at.person("bob")
    edited = await lee.slash("schedule edit", name="daily", reminder_minutes=90)
    assert "reminder after 90 min" in edited.content
    for member in (alice, bob):
        await member.slash("settings", reminders=True)
    await run_until(lantern_at, early_clock, datetime(2026, 3, 10, 9, 0, tzinfo=UTC))
    early_clock.now = datetime(2026, 3, 10, 9, 30, tzinfo=UTC)
    opened = await alice.slash("checkin")
    assert opened.modal is not None
    await alice.submit(opened.modal, {MOOD: "3", CRAVINGS: "1"})
    await run_until(lantern_at, early_clock, datetime(2026, 3, 10, 10, 30, tzinfo=UTC))
    assert [m for m in alice.dms() if "gentle nudge" in m.content] == []
    nudges = [m for m in bob.dms() if "gentle nudge" in m.content]
    assert len(nudges) == 1
    await run_until(lantern_at, early_clock, datetime(2026, 3, 10, 12, 0, tzinfo=UTC))
    assert len([m for m in bob.dms() if "gentle nudge" in m.content]) == 1


async def test_closed_dms_mark_the_member_unreachable_and_they_are_told(
    lantern_at: Harness, early_clock: FakeClock
) -> None:
    await set_up(lantern_at)
    eve = lantern_at.person("eve")
    await eve.slash("settings", dm_prompts=True)
    eve.user.dms_open = False
    await run_until(lantern_at, early_clock, datetime(2026, 3, 10, 9, 0, tzinfo=UTC))
    attempts = [r for r in lantern_at.sandbox.requests if r.status == 403]
    assert len(attempts) == 1
    # Not retried the next day.
    await run_until(lantern_at, early_clock, datetime(2026, 3, 11, 9, 0, tzinfo=UTC))
    assert len([r for r in lantern_at.sandbox.requests if r.status == 403]) == 1
    reply = await eve.slash("history")
    notices = [m.content for m in await reply.wait_followups(1)]
    assert any("DMs seem to be closed" in n or "Direct Messages" in n for n in notices)
    again = await eve.slash("history")
    assert "Direct Messages" not in again.text


@pytest.mark.parametrize(("code", "expected"), [(10003, "no longer exists"), (50013, "missing permission")])
async def test_a_broken_channel_pauses_the_schedule_and_tells_the_leaders(
    lantern_at: Harness, early_clock: FakeClock, code: int, expected: str
) -> None:
    await set_up(lantern_at)
    community = lantern_at.community
    assert community is not None
    status = 404 if code == 10003 else 403
    lantern_at.sandbox.inject("POST", f"/channels/{community.checkin_channel.id}/messages", status, code=code)
    await run_until(lantern_at, early_clock, datetime(2026, 3, 10, 9, 0, tzinfo=UTC))
    alerts = [m.content for m in lantern_at.sandbox.world.channel_messages(community.leaders_channel.id)]
    assert len(alerts) == 1
    assert expected in alerts[0] and "/schedule resume name:daily" in alerts[0]
    listed = await lantern_at.person("lee").slash("schedule list")
    assert "**paused**" in listed.content
    assert lantern_at.services is not None
    assert [j for j in lantern_at.services.scheduler.planned.values() if j.kind != "retention"] == []
    resumed = await lantern_at.person("lee").slash("schedule resume", name="daily")
    assert "running again" in resumed.content


async def test_bad_input_gets_a_kind_error_and_changes_nothing(lantern_at: Harness, early_clock: FakeClock) -> None:
    await set_up(lantern_at)
    lee, alice = lantern_at.person("lee"), lantern_at.person("alice")
    bad_time = await lee.slash("schedule add", name="evening", days="daily", time="25:99")
    assert bad_time.content == 'I couldn\'t read "25:99" as a time. Try something like 21:00 or 9pm.'
    no_days = await lee.slash("schedule add", name="evening", days=",", time="9pm")
    assert "at least one day" in no_days.content
    bad_zone = await alice.slash("settings", timezone="Mars/Olympus")
    assert "I don't know the timezone “Mars/Olympus”" in bad_zone.content
    for days in (0, 400):
        with pytest.raises(DriverError):  # Discord's own client keeps to the declared range
            await alice.slash("pause", days=days)
        bad_pause = await alice.raw_slash("pause", {"days": days})  # a client that does not
        assert "from 1 to 90 days" in bad_pause.content
    duplicate = await lee.slash("schedule add", name="daily", days="daily", time="9pm")
    assert "already a schedule called" in duplicate.content
    with pytest.raises(DriverError):
        await lee.slash("schedule add", name="evening", days="daily", time="9pm", question="x" * 60)
    long_question = await lee.raw_slash(
        "schedule add", {"name": "evening", "days": "daily", "time": "9pm", "question": "x" * 60}
    )
    assert "45" in long_question.content
    missing = await lee.slash("schedule pause", name="nope")
    assert "can't find a schedule" in missing.content
    assert lantern_at.services is not None and lantern_at.community is not None
    names = [s.name for s in await lantern_at.services.db.schedules.in_community(lantern_at.community.guild.id)]
    assert names == ["daily"]
    member = await lantern_at.services.db.members.get(lantern_at.community.guild.id, alice.user.id)
    assert member is None or (member.timezone is None and member.paused_until is None)
    for reply in (bad_time, no_days, bad_zone, duplicate, missing):
        assert reply.ephemeral


async def test_time_forms_people_type(lantern_at: Harness, early_clock: FakeClock) -> None:
    await set_up(lantern_at)
    lee = lantern_at.person("lee")
    for index, typed in enumerate(("21:00", "9pm", "9:30 am")):
        added = await lee.slash("schedule add", name=f"s{index}", days="weekdays", time=typed, where="channel")
        assert added.content.startswith("Added."), added.content
    listed = (await lee.slash("schedule list")).content
    assert "21:00" in listed and "09:30" in listed


async def test_missed_occurrences_are_sent_within_the_grace_window_only(
    lantern_at: Harness, early_clock: FakeClock
) -> None:
    await set_up(lantern_at)
    alice = lantern_at.person("alice")
    await alice.slash("settings", dm_prompts=True)
    assert lantern_at.services is not None
    # The bot was down at 09:00; it comes back at 10:30, inside the two-hour grace window.
    await lantern_at.stop_bot()
    early_clock.now = datetime(2026, 3, 10, 10, 30, tzinfo=UTC)
    await lantern_at.start_bot()
    assert lantern_at.services is not None
    reports = await lantern_at.services.scheduler.catch_up()
    assert sorted(r.kind for r in reports if r.sent) == ["channel", "prompt"]
    assert len(prompts_to(alice)) == 1 and len(channel_prompts(lantern_at)) == 1
    await lantern_at.services.scheduler.catch_up()
    assert len(prompts_to(alice)) == 1 and len(channel_prompts(lantern_at)) == 1
    # Down over the next morning until 11:30: past the window, so that one is skipped.
    await lantern_at.stop_bot()
    early_clock.now = datetime(2026, 3, 11, 11, 30, tzinfo=UTC)
    await lantern_at.start_bot()
    assert lantern_at.services is not None
    await lantern_at.services.scheduler.catch_up()
    assert len(prompts_to(alice)) == 1 and len(channel_prompts(lantern_at)) == 1


async def test_daily_thread_and_preview(lantern_at: Harness, early_clock: FakeClock) -> None:
    await set_up(lantern_at)
    lee = lantern_at.person("lee")
    await lee.slash("schedule edit", name="daily", daily_thread=True, question="One thing you're grateful for?")
    preview = await lee.slash("schedule preview", name="daily")
    assert "In the check-in channel" in preview.content and "One thing you're grateful for?" in preview.content
    assert preview.message is not None
    assert [b["label"] for b in buttons(preview.message)] == ["Check in", "Get a tip"]
    form = await lee.click(preview.message, "Check in")
    assert form.modal is not None
    labels = [row.get("label") for row in form.modal["components"]]
    assert "One thing you're grateful for?" in labels
    await run_until(lantern_at, early_clock, datetime(2026, 3, 10, 9, 0, tzinfo=UTC))
    prompt = channel_prompts(lantern_at)[0]
    assert prompt.thread is not None and prompt.thread["name"] == "Check-in · Tue 10 Mar"
    alice = lantern_at.person("alice")
    opened = await alice.click(prompt, "Check in")
    assert opened.modal is not None
    await alice.submit(opened.modal, {MOOD: "4", CRAVINGS: "0", "One thing you're grateful for?": "my dog"})
    assert lantern_at.services is not None and lantern_at.community is not None
    rows = await lantern_at.services.db.checkins.recent(lantern_at.community.guild.id, alice.user.id)
    assert rows[0].content.answers == {"One thing you're grateful for?": "my dog"}


async def test_resume_and_settings_views(lantern_at: Harness, early_clock: FakeClock) -> None:
    alice = lantern_at.person("alice")
    nothing = await alice.slash("resume")
    assert "not on a break" in nothing.content
    await alice.slash("pause", days=7)
    shown = await alice.slash("settings")
    assert "On a break until" in shown.content
    back = await alice.slash("resume")
    assert back.content.startswith("Welcome back.")


async def test_a_failing_job_is_logged_and_the_schedule_goes_on(
    lantern_at: Harness, early_clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    await set_up(lantern_at)
    assert lantern_at.services is not None
    delivery = lantern_at.services.delivery
    real_run = delivery.run
    calls = 0

    async def fails_once(kind: str, schedule_id: int, instant: datetime) -> object:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise RuntimeError("the database went away for a moment")
        return await real_run(kind, schedule_id, instant)

    delivery.run = fails_once  # type: ignore[method-assign]
    await run_until(lantern_at, early_clock, datetime(2026, 3, 10, 9, 0, tzinfo=UTC))
    assert "channel job raised RuntimeError at scheduler.py" in caplog.text
    assert "database went away" not in caplog.text  # only the error's type is logged
    planned = [j.run_at for j in lantern_at.services.scheduler.planned.values() if j.kind == "channel"]
    assert planned == [datetime(2026, 3, 11, 9, 0, tzinfo=UTC)]
    await run_until(lantern_at, early_clock, datetime(2026, 3, 11, 9, 0, tzinfo=UTC))
    assert len(channel_prompts(lantern_at)) == 1
