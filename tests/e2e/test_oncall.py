"""End to end: /oncall, and a member's request for support reaching the leader on duty first."""

from __future__ import annotations

import copy
from datetime import UTC, datetime

import pytest

from bot.devtools.harness import Harness
from bot.services import oncall_words as words
from bot.services.messages import message
from discord_standin.driver import Actor, DriverError, buttons
from discord_standin.state import Message
from tests.conftest import FakeClock
from tests.e2e.database import settled_snapshot
from tests.e2e.test_checkin import check_in
from tests.e2e.test_stale_buttons import rewire

SUPPORT = message("safety", "en", "support_button")
CRISIS_NOTE = "i dont want to be here anymore, thinking about ending it tonight"
TAKE = words.TAKE_BUTTON


def community_of(lantern: Harness) -> tuple[int, int]:
    """The demo community's id and its leaders' channel."""
    assert lantern.community is not None
    return lantern.community.guild.id, lantern.community.leaders_channel.id


async def set_up(lantern: Harness, **options: object) -> Actor:
    community = lantern.community
    assert community is not None
    lee = lantern.person("lee")
    reply = await lee.slash(
        "setup",
        checkin_channel=community.checkin_channel,
        prompt_time="9am",
        alert_channel=community.leaders_channel,
        **options,
    )
    assert "Alerts go to" in reply.content
    return lee


def add_leader(lantern: Harness, name: str) -> Actor:
    """A second peer leader, by the community's leader role (not Manage Server)."""
    community = lantern.community
    assert community is not None
    sandbox = lantern.sandbox
    user = sandbox.add_user(name)
    sandbox.add_member(community.guild, user, roles=[community.leader_role])
    actor = Actor(sandbox, user, community.guild, community.checkin_channel)
    community.people[name] = actor
    return actor


async def ask_for_support(member: Actor) -> str:
    """A crisis note, then the member's own press of the consent button: what they are told."""
    reply = await check_in(member, mood="1", cravings="2", note=CRISIS_NOTE)
    assert reply.message is not None
    pressed = await member.click(reply.message, SUPPORT)
    await pressed.settled()
    return pressed.content


def alerts(lantern: Harness) -> list[str]:
    return [m.content for m in lantern.sandbox.world.channel_messages(community_of(lantern)[1])]


def page_of(leader: Actor) -> Message:
    pages = [m for m in leader.dms() if any(b.get("label") == TAKE for b in buttons(m))]
    assert pages, [m.content for m in leader.dms()]
    return pages[-1]


async def test_a_request_reaches_the_leader_on_duty_who_takes_it(lantern_at: Harness, clock: FakeClock) -> None:
    lee = await set_up(lantern_at)
    alice = lantern_at.person("alice")
    on = await lee.slash("oncall on")
    assert on.ephemeral and "You're on duty" in on.content
    told = await ask_for_support(alice)
    assert told == words.REACHED_ON_DUTY
    assert "watching" not in told and "has seen" not in told
    # It goes to the leader on duty first: the channel hears nothing yet.
    assert alerts(lantern_at) == []
    page = page_of(lee)
    assert f"<@{alice.user.id}>" in page.content
    assert "ending it" not in page.content and "mood" not in page.content.lower()  # never what she wrote
    assert buttons(page)[0]["custom_id"].startswith("lantern:oncall:take:")
    before_press = copy.deepcopy(page)

    pressed = await lee.click(page, TAKE)
    assert pressed.type == 7  # the DM itself now says it was taken, without the button
    await lantern_at.sandbox.wait_until(lambda: len(alerts(lantern_at)) == 1)
    assert page.content.startswith("Thank you. You've got this one")
    assert buttons(page) == []
    alert = alerts(lantern_at)[0]
    assert f"<@{lee.user.id}>" in alert and f"<@{alice.user.id}>" in alert and "ending it" not in alert
    dms = await alice.wait_dms(1)
    assert "Lee (a peer leader in Recovery Circle) has seen your request" in dms[-1].content

    # A second press, by the same leader: kind, and nothing changes.
    guild_id, _ = community_of(lantern_at)
    assert lantern_at.services is not None
    before = await settled_snapshot(lantern_at.database_url)
    again = await lee.click(before_press, TAKE)
    assert again.ephemeral and again.content == words.ALREADY_YOURS
    # A press by someone it was not sent to (a member with the button's id): kind, and nothing changes.
    forged = await alice.click(before_press, TAKE)
    assert forged.ephemeral and forged.content == words.NOT_YOURS
    assert await settled_snapshot(lantern_at.database_url) == before
    assert len(alerts(lantern_at)) == 1 and len(alice.dms()) == 1

    # Taken in time: the deadline passing tells no one anything.
    clock.advance(minutes=30)
    await lantern_at.services.scheduler.run_due()
    assert len(alerts(lantern_at)) == 1 and len(alice.dms()) == 1
    assert guild_id


async def test_two_leaders_on_duty_the_first_press_takes_it(lantern_at: Harness, clock: FakeClock) -> None:
    lee = await set_up(lantern_at)
    max_ = add_leader(lantern_at, "max")
    alice = lantern_at.person("alice")
    await lee.slash("oncall on", hours=2)
    # Max is on by the rota: every day, covering now (15:00 UTC, the community's zone).
    added = await lee.slash("oncall rota add", days="every day", start="14:00", end="18:00", leader=max_.user)
    assert added.content.startswith("Added slot #1"), added.content
    who = await lee.slash("oncall who")
    assert f"<@{lee.user.id}>" in who.content and f"<@{max_.user.id}>" in who.content and "(rota)" in who.content
    assert await ask_for_support(alice) == words.REACHED_ON_DUTY
    lee_page, max_page = page_of(lee), page_of(max_)
    assert (await max_.click(max_page, TAKE)).type == 7
    second = await lee.click(lee_page, TAKE)
    assert second.ephemeral and second.content == words.TAKEN_BY_OTHER.format(leader=max_.user.id)
    await lantern_at.sandbox.wait_until(lambda: len(alerts(lantern_at)) == 1)
    assert f"<@{max_.user.id}> has <@{alice.user.id}>" in alerts(lantern_at)[0]


async def test_no_one_on_duty_the_member_is_told_honestly(lantern_at: Harness) -> None:
    lee = await set_up(lantern_at)
    alice = lantern_at.person("alice")
    who = await lee.slash("oncall who")
    assert who.content.startswith(words.WHO_NO_ONE)
    told = await ask_for_support(alice)
    assert told.startswith(words.NO_ONE_ON_DUTY_POSTED)
    assert "988" in told  # the crisis lines again
    assert "watching" not in told
    await lantern_at.sandbox.wait_until(lambda: len(alerts(lantern_at)) == 1)
    assert f"<@{alice.user.id}>" in alerts(lantern_at)[0] and words.NO_ONE_ON_DUTY_ALERT in alerts(lantern_at)[0]
    assert lee.dms() == []  # nobody was paged
    # Off duty after being on is the same as never on.
    await lee.slash("oncall on")
    off = await lee.slash("oncall off")
    assert off.content == words.OFF
    assert (await lee.slash("oncall off")).content == words.OFF_NOT_ON
    bob = lantern_at.person("bob")
    assert (await ask_for_support(bob)).startswith(words.NO_ONE_ON_DUTY_POSTED)
    assert lee.dms() == []


async def test_without_an_alert_channel_or_anyone_on_duty(lantern_at: Harness) -> None:
    told = await ask_for_support(lantern_at.person("bob"))
    assert told.startswith(words.NO_ONE_ON_DUTY_NOWHERE) and "couldn't pass it on" in told and "988" in told


async def test_an_unanswered_request_tells_the_channel_after_the_set_minutes(
    lantern_at: Harness, clock: FakeClock
) -> None:
    lee = await set_up(lantern_at)
    alice = lantern_at.person("alice")
    shown = await lee.slash("oncall config")
    assert "15 minutes" in shown.content
    bad = await lee.raw_slash("oncall config", {"minutes": 0})
    assert bad.ephemeral and "1 to 240" in bad.content
    assert "5 minutes" in (await lee.slash("oncall config", minutes=5)).content
    await lee.slash("oncall on")
    assert await ask_for_support(alice) == words.REACHED_ON_DUTY
    page = page_of(lee)
    # The deadline lives in the database: a restart in between loses nothing.
    await lantern_at.restart_bot()
    assert lantern_at.services is not None
    clock.advance(minutes=4)
    await lantern_at.services.scheduler.run_due()
    assert alerts(lantern_at) == [] and alice.dms() == []
    clock.advance(minutes=2)
    await lantern_at.services.scheduler.run_due()
    await lantern_at.sandbox.wait_until(lambda: len(alerts(lantern_at)) == 1)
    assert alerts(lantern_at)[0].startswith(f"<@{alice.user.id}> asked") and "6 minutes ago" in alerts(lantern_at)[0]
    assert "hasn't picked it up" in alerts(lantern_at)[0]
    dm = (await alice.wait_dms(1))[-1].content
    assert dm.startswith("The peer leader on duty in Recovery Circle hasn't picked up your request yet") and "988" in dm
    # Only once, however often the timer runs.
    clock.advance(minutes=30)
    await lantern_at.services.scheduler.run_due()
    assert len(alerts(lantern_at)) == 1 and len(alice.dms()) == 1
    # A late press still takes it, and says so.
    assert (await lee.click(page, TAKE)).type == 7
    await lantern_at.sandbox.wait_until(lambda: len(alerts(lantern_at)) == 2)
    assert "has picked up" in alerts(lantern_at)[1]
    assert "has seen your request" in (await alice.wait_dms(2))[-1].content


async def test_the_rota_in_the_community_timezone(lantern_at: Harness, clock: FakeClock) -> None:
    # Tuesday 10 March 2026, 15:00 UTC is 11:00 in New York (summer time began on Sunday 8 March).
    lee = await set_up(lantern_at, timezone="America/New_York")
    alice = lantern_at.person("alice")
    empty = await lee.slash("oncall rota list")
    assert empty.content == words.ROTA_EMPTY
    added = await lee.slash("oncall rota add", days="weekdays", start="22:00", end="6am")
    assert "Mon–Fri" in added.content or "Mon-Fri" in added.content or "weekdays" in added.content.lower(), added
    assert "(next day)" in added.content and "America/New_York" in added.content
    same = await lee.slash("oncall rota add", days="weekdays", start="22:00", end="6am")
    assert "already has that slot (#1)" in same.content
    for options, expected in (
        ({"days": "weekdays", "start": "9pm", "end": "21:00"}, "different start and end"),
        ({"days": "someday", "start": "9pm", "end": "10pm"}, "someday"),
        ({"days": "weekdays", "start": "25:99", "end": "10pm"}, "25:99"),
        ({"days": "weekdays", "start": "9pm", "end": "10pm", "leader": alice.user}, "isn't a peer leader"),
    ):
        refused = await lee.slash("oncall rota add", **options)
        assert refused.ephemeral and expected in refused.content, (options, refused.content)
    listed = await lee.slash("oncall rota list")
    assert listed.content.count("• #") == 1 and f"<@{lee.user.id}>" in listed.content
    tonight_utc = int(datetime(2026, 3, 11, 2, 0, tzinfo=UTC).timestamp())
    assert listed.content.endswith(f"(next day) (next from <t:{tonight_utc}:f>)"), listed.content
    who = await lee.slash("oncall who")
    assert who.content.startswith(words.WHO_NO_ONE)
    # Next: tonight 22:00 in New York, which is 02:00 UTC.
    tonight = int(datetime(2026, 3, 11, 2, 0, tzinfo=UTC).timestamp())
    assert f"<t:{tonight}:f>" in who.content
    clock.now = datetime(2026, 3, 11, 3, 0, tzinfo=UTC)  # 23:00 in New York
    who = await lee.slash("oncall who")
    until = int(datetime(2026, 3, 11, 10, 0, tzinfo=UTC).timestamp())  # 06:00 in New York
    assert f"<@{lee.user.id}> until <t:{until}:f> (rota)" in who.content
    assert await ask_for_support(alice) == words.REACHED_ON_DUTY
    # Off for the rest of the slot only; the rota brings them back the next night.
    off = await lee.slash("oncall off")
    assert off.content.startswith("You're off duty now, until your rota slot ends")
    assert (await lee.slash("oncall who")).content.startswith(words.WHO_NO_ONE)
    clock.now = datetime(2026, 3, 12, 3, 0, tzinfo=UTC)
    assert f"<@{lee.user.id}> until" in (await lee.slash("oncall who")).content
    removed = await lee.slash("oncall rota remove", slot=1)
    assert removed.content == "Removed slot #1."
    missing = await lee.slash("oncall rota remove", slot=1)
    assert "can't find slot #1" in missing.content
    assert (await lee.slash("oncall who")).content.startswith(words.WHO_NO_ONE)


async def test_members_cannot_use_oncall(lantern_at: Harness) -> None:
    alice = lantern_at.person("alice")
    with pytest.raises(DriverError, match="Discord hides it"):
        await alice.slash("oncall on")
    # Even when an admin lets everyone see it, the run-time check refuses members, and nothing changes.
    community = lantern_at.community
    assert community is not None
    lantern_at.sandbox.allow_command(community.guild, "oncall", community.guild.everyone_role)
    before = await settled_snapshot(lantern_at.database_url)
    for command, options in (
        ("oncall on", {}),
        ("oncall off", {}),
        ("oncall who", {}),
        ("oncall config", {"minutes": 5}),
        ("oncall rota add", {"days": "weekdays", "start": "9pm", "end": "10pm"}),
        ("oncall rota list", {}),
        ("oncall rota remove", {"slot": 1}),
    ):
        refused = await alice.slash(command, **options)
        assert refused.ephemeral and "for peer leaders" in refused.content, command
    assert await settled_snapshot(lantern_at.database_url) == before


async def test_stale_take_buttons_are_answered_kindly(lantern_at: Harness) -> None:
    lee = await set_up(lantern_at)
    alice = lantern_at.person("alice")
    await lee.slash("oncall on")
    await ask_for_support(alice)
    page = page_of(lee)
    # The member removed their data before anyone pressed: the request is gone.
    forget = await alice.slash("forget")
    assert forget.message is not None
    await alice.click(forget.message, "Yes, delete everything")
    before = await settled_snapshot(lantern_at.database_url)
    gone = await lee.click(copy.deepcopy(page), TAKE)
    assert gone.ephemeral and gone.content == words.CALL_GONE
    # A button whose id no longer makes sense (from an older Lantern, or out of range).
    for custom_id in ("lantern:oncall:take:0", "lantern:oncall:take:99999999999", "lantern:oncall:grab:1"):
        old = copy.deepcopy(page)
        rewire(old, TAKE, custom_id)
        stale = await lee.click(old, TAKE)
        assert stale.ephemeral and stale.content == message("errors", "en", "stale_oncall"), custom_id
    assert await settled_snapshot(lantern_at.database_url) == before
    assert alerts(lantern_at) == []


async def test_a_leader_who_uses_forget_leaves_no_duty_behind(lantern_at: Harness) -> None:
    lee = await set_up(lantern_at)
    alice = lantern_at.person("alice")
    await lee.slash("oncall on")
    await lee.slash("oncall rota add", days="daily", start="9am", end="5pm")
    await ask_for_support(alice)
    await lee.click(page_of(lee), TAKE)
    await lantern_at.sandbox.wait_until(lambda: len(alerts(lantern_at)) == 1)
    asked = await lee.slash("forget")
    assert asked.message is not None
    await lee.click(asked.message, "Yes, delete everything")
    assert lantern_at.services is not None
    guild_id, _ = community_of(lantern_at)
    assert await lantern_at.services.oncall.on_duty(guild_id) == []
    assert await lantern_at.services.db.oncall.slots(guild_id) == []
    snap = await settled_snapshot(lantern_at.database_url)
    assert all(str(lee.user.id) not in repr(rows) for name, rows in snap.items() if name.startswith("oncall")), snap
    # Alice's request stays hers (she may export it), with no leader's id on it.
    exported = await lantern_at.services.db.rights.export(guild_id, alice.user.id)
    routed = exported["support_requests_to_leaders_on_duty"]
    assert len(routed) == 1 and routed[0]["taken_by"] is None and routed[0]["state"] == "taken"


async def test_a_leader_on_duty_who_cannot_be_reached_is_said_so(lantern_at: Harness, clock: FakeClock) -> None:
    lee = await set_up(lantern_at)
    alice = lantern_at.person("alice")
    await lee.slash("oncall on")
    lee.user.dms_open = False
    told = await ask_for_support(alice)
    assert told.startswith(words.UNREACHABLE_POSTED) and "988" in told
    assert "No peer leader is on duty" not in told
    await lantern_at.sandbox.wait_until(lambda: len(alerts(lantern_at)) == 1)
    assert words.UNREACHABLE_ALERT in alerts(lantern_at)[0]
    # Nothing waits on a deadline for a request no leader received.
    assert lantern_at.services is not None
    clock.advance(hours=1)
    await lantern_at.services.scheduler.run_due()
    assert len(alerts(lantern_at)) == 1 and alice.dms() == []


async def test_a_leader_on_duty_asking_for_support_is_not_sent_their_own_request(lantern_at: Harness) -> None:
    lee = await set_up(lantern_at)
    max_ = add_leader(lantern_at, "max")
    await lee.slash("oncall on")
    assert (await ask_for_support(lee)).startswith(words.NO_ONE_ON_DUTY_POSTED)
    assert not any(buttons(m) for m in lee.dms())
    await max_.slash("oncall on")
    assert await ask_for_support(lantern_at.person("bob")) == words.REACHED_ON_DUTY
    assert page_of(max_) and page_of(lee)


async def test_a_deadline_that_passed_while_the_bot_was_down_fires_at_start(
    lantern_at: Harness, clock: FakeClock
) -> None:
    lee = await set_up(lantern_at)
    alice = lantern_at.person("alice")
    await lee.slash("oncall on")
    assert await ask_for_support(alice) == words.REACHED_ON_DUTY
    await lantern_at.stop_bot()
    clock.advance(hours=3)
    await lantern_at.start_bot()
    assert lantern_at.services is not None
    planned = [job for job in lantern_at.services.scheduler.planned.values() if job.kind == "oncall"]
    assert [job.run_at for job in planned] == [clock.now]  # now, not three hours ago
    await lantern_at.services.scheduler.run_due()
    await lantern_at.sandbox.wait_until(lambda: len(alerts(lantern_at)) == 1)
    assert "about 3 hours ago" in alerts(lantern_at)[0]  # when she asked, not when the deadline was
