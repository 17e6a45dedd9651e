"""End to end: `/dates` (a member's private hard dates and the eve's note) and `/dates community` (leaders')."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from bot.devtools.harness import Harness
from bot.services.messages import catalogue
from discord_standin.driver import buttons, fetch_attachment
from tests.conftest import FakeClock
from tests.e2e.database import settled_snapshot, snapshot
from tests.e2e.test_schedules import channel_prompts, run_until, set_up
from tests.e2e.test_stale_buttons import rewire

EN = catalogue("dates")["en"]  # the English texts, as members whose Discord speaks English read them


async def test_add_list_remove_are_private(lantern_at: Harness) -> None:
    alice, bob = lantern_at.person("alice"), lantern_at.person("bob")
    assert (await alice.slash("dates list")).content == EN["list_none"]
    added = await alice.slash("dates add", label="Dad's anniversary", date="12 March", kind="anniversary")
    assert added.ephemeral
    assert added.content == EN["added"].format(label="Dad's anniversary", when="every year on 12 March")
    once = await alice.slash("dates add", label="payday", date="2026-04-01", kind="payday", repeat="once")
    assert "payday on 1 April 2026" in once.content
    listing = await alice.slash("dates list")
    assert listing.ephemeral
    lines = listing.content.splitlines()
    assert lines[0].endswith("· every year on 12 March · Dad's anniversary (an anniversary)")
    assert lines[1].endswith("· 1 April 2026 · payday (payday)")
    assert (await bob.slash("dates list")).content == EN["list_none"]
    date_id = int(lines[0].split("`")[1])
    before = await settled_snapshot(lantern_at.database_url)
    refused = await bob.slash("dates remove", id=date_id)  # not bob's to remove
    assert refused.content == EN["not_found"].format(id=date_id)
    assert snapshot(lantern_at.database_url) == before
    removed = await alice.slash("dates remove", id=date_id)
    assert removed.content == EN["removed"]
    assert "Dad's anniversary" not in (await alice.slash("dates list")).content


async def test_the_eve_brings_a_gentle_note_with_a_tip(lantern_at: Harness, clock: FakeClock) -> None:
    alice = lantern_at.person("alice")
    await alice.slash("settings", timezone="Europe/Paris")
    await alice.slash("dates add", label="zq-date-canary", date="12 March", kind="payday")
    # The eve is 11 March; the note comes at 09:00 in Paris (08:00 UTC).
    await run_until(lantern_at, clock, datetime(2026, 3, 11, 7, 59, tzinfo=UTC))
    assert [m for m in alice.dms() if "Tomorrow is" in m.content] == []
    await run_until(lantern_at, clock, datetime(2026, 3, 11, 8, 0, tzinfo=UTC))
    notes = [m for m in alice.dms() if "Tomorrow is" in m.content]
    assert len(notes) == 1
    text = notes[0].content
    assert text.startswith(EN["eve"].format(label="zq-date-canary"))
    assert "**" in text and "-# About" in text  # a tip, rendered as /tip renders one
    assert EN["eve_more"] in text
    assert EN["eve_partner"] not in text and buttons(notes[0]) == []  # no partner: no button
    # Once only; next year's eve is the next one.
    await run_until(lantern_at, clock, datetime(2026, 3, 13, 8, 0, tzinfo=UTC))
    assert len([m for m in alice.dms() if "Tomorrow is" in m.content]) == 1
    assert lantern_at.services is not None
    assert await lantern_at.services.dates.next_note_at() == datetime(2027, 3, 11, 8, 0, tzinfo=UTC)
    # Nothing about it anywhere public, nor in the outbox in plain text.
    public = [m.content for m in lantern_at.sandbox.world.messages.values() if not m.ephemeral and m.guild_id]
    assert not [t for t in public if "zq-date-canary" in t]
    raw = repr(await settled_snapshot(lantern_at.database_url))
    assert "zq-date-canary" not in raw


async def test_a_partner_can_be_told_without_the_date(lantern_at: Harness, clock: FakeClock) -> None:
    community = lantern_at.community
    assert community is not None
    clock.now = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
    partners = lantern_at.sandbox.add_channel(community.guild, "partners")
    await set_up(lantern_at)
    await lantern_at.restart_bot()
    lee, alice, bob = lantern_at.person("lee"), lantern_at.person("alice"), lantern_at.person("bob")
    await lee.slash("partners config", channel=partners, enabled=True)
    await alice.slash("partner join")
    await bob.slash("partner join")
    paired = await (await lee.slash("partners pair", a=alice.user, b=bob.user)).settled()
    assert paired.content.startswith("Paired"), paired.content
    await alice.slash("dates add", label="zq-hard-birthday", date="12 March", kind="birthday")
    await run_until(lantern_at, clock, datetime(2026, 3, 11, 9, 0, tzinfo=UTC))
    note = [m for m in alice.dms() if "Tomorrow is" in m.content][-1]
    assert EN["eve_partner"] in note.content
    sent = await alice.click(note, EN["partner_button"])
    assert sent.ephemeral and sent.content == EN["partner_sent"]
    thread = next(c for c in lantern_at.sandbox.world.channels.values() if c.parent_id == partners.id)
    last = lantern_at.sandbox.world.channel_messages(thread.id)[-1].content
    assert last == EN["partner_ping"].format(user=alice.user.id)
    assert "birthday" not in last
    # A button whose group has gone (or was never there) says so kindly and does nothing.
    before = await settled_snapshot(lantern_at.database_url)
    for custom_id in (f"lantern:hardday:{community.guild.id}:999999", "lantern:hardday:0:1", "lantern:hardday:x"):
        rewire(note, EN["partner_button"], custom_id)
        stale = await alice.click(note, EN["partner_button"])
        assert stale.ephemeral and stale.content == EN["partner_gone"], custom_id
    assert snapshot(lantern_at.database_url) == before


async def test_a_community_date_adds_a_line_to_that_days_prompt(lantern_at: Harness, clock: FakeClock) -> None:
    clock.now = datetime(2026, 3, 10, 7, 0, tzinfo=UTC)
    await set_up(lantern_at)
    lee, alice = lantern_at.person("lee"), lantern_at.person("alice")
    added = await lee.slash("dates community add", label="St Patrick's Day", date="17 March", kind="holiday")
    assert added.content.startswith("Added for everyone here: St Patrick's Day on every year on 17 March.")
    listing = await lee.slash("dates community list")
    assert "St Patrick's Day (a holiday)" in listing.content
    # Members can't change the community's dates, and their own list doesn't show them.
    refused = await alice.slash("dates community add", label="x day", date="18 March")
    assert "for peer leaders" in refused.content
    assert "St Patrick" not in (await alice.slash("dates list")).content
    await alice.slash("settings", dm_prompts=True)
    await run_until(lantern_at, clock, datetime(2026, 3, 16, 9, 0, tzinfo=UTC))
    line = EN["prompt_line"].format(label="St Patrick's Day")
    assert not [m for m in channel_prompts(lantern_at) if line in m.content]
    await run_until(lantern_at, clock, datetime(2026, 3, 17, 9, 0, tzinfo=UTC))
    assert line in channel_prompts(lantern_at)[-1].content
    assert line in [m for m in alice.dms() if "How are you arriving" in m.content][-1].content
    await run_until(lantern_at, clock, datetime(2026, 3, 18, 9, 0, tzinfo=UTC))
    assert line not in channel_prompts(lantern_at)[-1].content
    date_id = int(listing.content.split("`")[1])
    assert (await alice.slash("dates community remove", id=date_id)).content.startswith("That's for peer leaders")
    assert (await lee.slash("dates community remove", id=date_id)).content == EN["removed_community"]
    # Leaders' changes to community dates are audited; members' own dates never are.
    audit = await lee.slash("audit")
    assert "/dates community add" in audit.content and "/dates add" not in audit.content


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({"label": "x", "date": "3/1/2026"}, 'couldn\'t read "3/1/2026" as a date'),
        ({"label": "x", "date": "30 February"}, "isn't a day on the calendar"),
        ({"label": "x", "date": "2026-03-01", "repeat": "once"}, "That date has passed"),
        ({"label": "   ", "date": "12 March"}, "Give the date a short label"),
        ({"label": "a\u200bb", "date": "12 March"}, "can't hold line breaks"),
    ],
)
async def test_bad_dates_are_answered_kindly_and_change_nothing(
    lantern_at: Harness, options: dict[str, str], expected: str
) -> None:
    alice = lantern_at.person("alice")
    await alice.slash("dates list")
    before = await settled_snapshot(lantern_at.database_url)
    reply = await alice.raw_slash("dates add", options)
    assert reply.ephemeral and expected in reply.content, reply.content
    assert snapshot(lantern_at.database_url) == before


async def test_dates_are_exported_and_forgotten(lantern_at: Harness) -> None:
    alice = lantern_at.person("alice")
    await alice.slash("dates add", label="zq-export-date", date="12 March", kind="birthday")
    exported = await alice.slash("export")
    assert exported.message is not None
    files = {a.filename: await fetch_attachment(a.url) for a in exported.message.attachments}
    data = json.loads(files["lantern-export.json"])
    assert data["hard_dates"] == [
        {
            "label": "zq-export-date",
            "kind": "birthday",
            "month": 3,
            "day": 12,
            "year": None,
            "created_at": data["hard_dates"][0]["created_at"],
        }
    ]
    asked = await alice.slash("forget")
    assert asked.message is not None
    await alice.click(asked.message, "Yes, delete everything")
    assert (await alice.slash("dates list")).content == EN["list_none"]
