"""End to end: `/days` counters, their milestone notes by DM, and sharing a milestone only when asked."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.devtools.harness import Harness
from bot.services.days import MAX_COUNTERS, MAX_NAME
from bot.services.messages import catalogue
from discord_standin.driver import Actor, DriverError
from tests.conftest import FakeClock
from tests.e2e.database import settled_snapshot, snapshot
from tests.e2e.test_schedules import run_until, set_up
from tests.e2e.test_stale_buttons import rewire

EN = catalogue("days")["en"]  # the English texts, as members whose Discord speaks English read them


async def milestone_notes(lantern: Harness, clock: FakeClock, member: Actor, until: datetime) -> list[str]:
    await run_until(lantern, clock, until)
    return [m.content for m in member.dms() if "counter today" in m.content]


async def test_set_show_reset_and_several_counters(lantern_at: Harness, clock: FakeClock) -> None:
    alice = lantern_at.person("alice")
    empty = await alice.slash("days show")
    assert empty.ephemeral and "no day counters yet" in empty.content
    first = await alice.slash("days set", name="alcohol", since="2026-02-08")
    assert first.ephemeral and "Counting from 8 February 2026: 30 days" in first.content
    await alice.slash("days set", name="gambling", since="today")
    shown = await alice.slash("days show")
    assert "**alcohol**: 30 days (since 8 February 2026)" in shown.content
    assert "Next milestone: 60 days on 9 April 2026." in shown.content
    assert "**gambling**: day 1, starting today" in shown.content
    assert "Next milestone: 1 day on 11 March 2026." in shown.content
    # Autocomplete offers alice's own counters, and nobody else's.
    choices = await alice.autocomplete("days show", "name", "gam")
    assert [c["value"] for c in choices] == ["gambling"]
    assert await lantern_at.person("bob").autocomplete("days show", "name", "") == []
    reset = await alice.slash("days reset", name="Alcohol")
    assert reset.content == EN["reset"]
    again = await alice.slash("days show", name="alcohol")
    assert "**alcohol**: day 1, starting today" in again.content
    hidden = await alice.slash("days hide", name="gambling")
    assert "Hidden." in hidden.content
    after = await alice.slash("days show")
    assert "gambling" not in after.content and "1 more hidden" in after.content
    assert "**gambling**" in (await alice.slash("days show", name="gambling")).content
    # Bringing it back keeps its count.
    clock.advance(days=2)
    back = await alice.slash("days set", name="gambling")
    assert "Your gambling counter now starts on 10 March 2026: 2 days." in back.content
    assert "**gambling**: 2 days" in (await alice.slash("days show")).content
    # Bob sees none of alice's.
    assert "no day counters yet" in (await lantern_at.person("bob").slash("days show")).content


async def test_one_counter_needs_no_name_and_moving_it_keeps_one(lantern_at: Harness, clock: FakeClock) -> None:
    alice = lantern_at.person("alice")
    started = await alice.slash("days set")
    assert "Day 1 starts today for my days" in started.content
    moved = await alice.slash("days set", since="3 days ago")
    assert "Your my days counter now starts on 7 March 2026: 3 days." in moved.content
    assert (await alice.slash("days show")).content.count("**") == 2


async def test_milestone_notes_come_privately_in_the_members_morning(lantern_at: Harness, clock: FakeClock) -> None:
    alice = lantern_at.person("alice")
    await alice.slash("settings", timezone="America/New_York")
    await alice.slash("days set", name="alcohol", since="today")  # 10 March in New York (15:00 UTC)
    assert lantern_at.services is not None
    # 1 day: 11 March at 09:00 in New York, which is 13:00 UTC (daylight saving began on 8 March).
    assert await milestone_notes(lantern_at, clock, alice, datetime(2026, 3, 11, 12, 59, tzinfo=UTC)) == []
    notes = await milestone_notes(lantern_at, clock, alice, datetime(2026, 3, 11, 13, 0, tzinfo=UTC))
    assert notes == ["1 day on your alcohol counter today. That's something to be proud of. 🎉\n" + EN["note_private"]]
    # Nothing twice, even when the scheduler runs again; the next is 7 days.
    await lantern_at.services.scheduler.run_due(datetime(2026, 3, 16, 0, 0, tzinfo=UTC))
    assert len([m for m in alice.dms() if "counter today" in m.content]) == 1
    notes = await milestone_notes(lantern_at, clock, alice, datetime(2026, 3, 17, 13, 0, tzinfo=UTC))
    assert notes[-1].startswith("7 days on your alcohol counter today.")
    # Nothing was posted anywhere but alice's DMs.
    community = lantern_at.community
    assert community is not None
    channel = lantern_at.sandbox.world.channel_messages(community.checkin_channel.id)
    public = [m.content for m in channel if not m.ephemeral]
    assert not [text for text in public if "alcohol" in text or "is marking" in text]


async def test_sharing_a_milestone_is_the_members_choice_once(lantern_at: Harness, clock: FakeClock) -> None:
    await set_up(lantern_at)
    alice = lantern_at.person("alice")
    await alice.slash("days set", name="secret-habit", since="today")
    await run_until(lantern_at, clock, datetime(2026, 3, 11, 9, 0, tzinfo=UTC))
    community = lantern_at.community
    assert community is not None

    def shared() -> list[str]:
        messages = lantern_at.sandbox.world.channel_messages(community.checkin_channel.id)
        return [m.content for m in messages if m.author.bot and "is marking" in m.content]

    assert shared() == []  # never automatic
    note = [m for m in alice.dms() if "counter today" in m.content][-1]
    # Discord shows a DM to alice alone; were the button pressed by anyone else, it would share nothing.
    other = await lantern_at.person("bob").click(note, EN["share_button"])
    assert other.ephemeral and other.content == EN["share_not_yours"] and shared() == []
    done = await alice.click(note, EN["share_button"])
    assert done.ephemeral and "Only the milestone was shared" in done.content
    assert shared() == [f"<@{alice.user.id}> is marking 1 day today. 🎉"]
    assert "secret-habit" not in "\n".join(shared())
    before = await settled_snapshot(lantern_at.database_url)
    twice = await alice.click(note, EN["share_button"])
    assert twice.content == EN["shared_already"] and len(shared()) == 1
    assert snapshot(lantern_at.database_url) == before


async def test_a_share_button_from_before_a_reset_is_stale(lantern_at: Harness, clock: FakeClock) -> None:
    await set_up(lantern_at)
    alice = lantern_at.person("alice")
    await alice.slash("days set", name="alcohol", since="today")
    await run_until(lantern_at, clock, datetime(2026, 3, 11, 9, 0, tzinfo=UTC))
    note = [m for m in alice.dms() if "counter today" in m.content][-1]
    await alice.slash("days reset", name="alcohol")
    before = await settled_snapshot(lantern_at.database_url)
    stale = await alice.click(note, EN["share_button"])
    assert stale.ephemeral and stale.content == EN["share_stale"]
    assert snapshot(lantern_at.database_url) == before
    # A made-up id of the right shape, one out of range, and a changed suffix: the same kind answer.
    for custom_id in ("lantern:days:share:999999", "lantern:days:share:99999999999999999999", "lantern:days:x"):
        rewire(note, EN["share_button"], custom_id)
        reply = await alice.click(note, EN["share_button"])
        assert reply.ephemeral and reply.content == EN["share_stale"], custom_id
        assert snapshot(lantern_at.database_url) == before


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({"since": "3/1/2026"}, 'couldn\'t read "3/1/2026" as a date'),
        ({"since": "31 February 2026"}, "isn't a day on the calendar"),
        ({"since": "tomorrow"}, "That date is still ahead"),
        ({"since": "2027-01-01"}, "That date is still ahead"),
        ({"since": "1 March 1850"}, "Pick a date after 1900"),
        ({"name": "two\nlines"}, "Please type it again"),
        ({"name": "tab\u200bbed"}, "can't hold line breaks"),
        ({"name": "   "}, "Give your counter a name"),
    ],
)
async def test_bad_input_to_set_is_answered_kindly_and_changes_nothing(
    lantern_at: Harness, options: dict[str, str], expected: str
) -> None:
    alice = lantern_at.person("alice")
    await alice.slash("days set", name="alcohol", since="today")
    before = await settled_snapshot(lantern_at.database_url)
    reply = await alice.raw_slash("days set", options)
    assert reply.ephemeral and expected in reply.content, reply.content
    assert snapshot(lantern_at.database_url) == before


async def test_unknown_counters_and_too_many(lantern_at: Harness) -> None:
    alice = lantern_at.person("alice")
    for verb in ("show", "reset", "hide"):
        reply = await alice.slash(f"days {verb}", name="alcohol")
        assert 'You don\'t have a counter called "alcohol". `/days set` starts one.' in reply.content
    await alice.slash("days set", name="alcohol")
    await alice.slash("days set", name="gambling")
    before = await settled_snapshot(lantern_at.database_url)
    unknown = await alice.slash("days reset", name="sugar")
    assert "Yours: alcohol, gambling." in unknown.content
    which = await alice.slash("days reset")
    assert "Add `name:` to say which" in which.content
    assert snapshot(lantern_at.database_url) == before
    for n in range(MAX_COUNTERS - 2):
        await alice.slash("days set", name=f"counter {n}")
    before = await settled_snapshot(lantern_at.database_url)
    full = await alice.slash("days set", name="one more")
    assert f"You have {MAX_COUNTERS} counters already" in full.content
    assert snapshot(lantern_at.database_url) == before
    with pytest.raises(DriverError):  # Discord's own client keeps to the declared length
        await alice.slash("days set", name="x" * (MAX_NAME + 1))


async def test_counter_names_are_encrypted_exported_and_forgotten(lantern_at: Harness, clock: FakeClock) -> None:
    import json

    from discord_standin.driver import fetch_attachment

    alice = lantern_at.person("alice")
    await alice.slash("days set", name="zq-counter-canary", since="2026-03-05")
    await run_until(lantern_at, clock, datetime(2026, 3, 12, 9, 0, tzinfo=UTC))
    assert [m.content.split(".")[0] for m in alice.dms()] == ["7 days on your zq-counter-canary counter today"]
    raw = b"".join(str(v).encode() for v in (await settled_snapshot(lantern_at.database_url)).values())
    assert b"zq-counter-canary" not in raw
    exported = await alice.slash("export")
    assert exported.message is not None
    files = {a.filename: await fetch_attachment(a.url) for a in exported.message.attachments}
    data = json.loads(files["lantern-export.json"])
    assert data["day_counters"][0]["name"] == "zq-counter-canary"
    assert data["day_counters"][0]["start_date"] == "2026-03-05"
    assert [m["milestone"] for m in data["day_counters"][0]["milestones"]] == ["7d"]
    asked = await alice.slash("forget")
    assert asked.message is not None
    await alice.click(asked.message, "Yes, delete everything")
    assert "no day counters yet" in (await alice.slash("days show")).content


async def test_notes_follow_a_new_timezone_and_a_long_outage_skips_to_the_next(
    lantern_at: Harness, clock: FakeClock
) -> None:
    alice = lantern_at.person("alice")
    await alice.slash("days set", name="alcohol", since="today")
    await alice.slash("dates add", label="payday", date="20 March")
    assert lantern_at.services is not None
    services = lantern_at.services
    assert await services.days.next_note_at() == datetime(2026, 3, 11, 9, 0, tzinfo=UTC)
    await alice.slash("settings", timezone="Asia/Tokyo")  # 09:00 in Tokyo is 00:00 UTC
    assert await services.days.next_note_at() == datetime(2026, 3, 11, 0, 0, tzinfo=UTC)
    assert await services.dates.next_note_at() == datetime(2026, 3, 19, 0, 0, tzinfo=UTC)
    # Down for three days past the 1-day note: it is not sent late; the 7-day one is planned instead.
    clock.now = datetime(2026, 3, 14, 1, 0, tzinfo=UTC)
    await services.scheduler.run_due(clock.now)
    assert [m for m in alice.dms() if "counter today" in m.content] == []
    assert await services.days.next_note_at() == datetime(2026, 3, 17, 0, 0, tzinfo=UTC)
