"""End to end: buttons and forms that no longer match anything, and errors inside them, each get one kind answer."""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any

import pytest

from bot.devtools.harness import Harness
from bot.ui.replies import SORRY
from bot.ui.safe import UNKNOWN_BUTTON
from discord_standin.driver import Actor, Reply, buttons
from discord_standin.state import Message
from tests.e2e.database import rename_table, settled_snapshot, snapshot
from tests.e2e.test_checkin import CRAVINGS, HALT, MOOD, NOTE, check_in

TIP_GONE = "That tip is no longer in the library. `/tip` finds another."
GROUP_ENDED = "That partner group has ended. `/partner status` shows who you're paired with now."
OLD_FORM = "it may be from an older version of Lantern. `/checkin` opens a fresh one."


async def only_answer(reply: Reply) -> str:
    """The interaction's one answer: ephemeral, in time, kind, with nothing sent after it."""
    await asyncio.sleep(0.3)  # room for a second answer to show up, were one ever sent
    assert len(reply.messages) == 1, [m.content for m in reply.messages]
    assert reply.ephemeral and reply.type == 4
    assert reply.latency < 3.0
    text = reply.content
    assert text != SORRY and "failed" not in text.lower()
    assert "`/" in text  # says what to do now
    return text


def rewire(message: Message, label: str, custom_id: str) -> None:
    """Give a button another custom_id, as a message from an older version of Lantern would carry."""
    matching = [b for b in buttons(message) if b.get("label") == label]
    assert matching, [b.get("label") for b in buttons(message)]
    matching[0]["custom_id"] = custom_id


def assert_quiet_logs(caplog: pytest.LogCaptureFixture, *secrets: str) -> None:
    """No traceback and no exception message in the logs: an error's type and place only."""
    for record in caplog.records:
        text = record.getMessage()
        assert record.exc_info is None and record.exc_text is None, text
        assert "Traceback" not in text and "Ignoring exception" not in text, text
        for secret in secrets:
            assert secret not in text, text


async def a_tip(member: Actor, **options: Any) -> Message:
    reply = await member.slash("tip", **options)
    assert reply.message is not None and buttons(reply.message), reply.content
    return reply.message


async def test_a_removed_tips_buttons_say_where_to_find_another(lantern: Harness) -> None:
    lee, alice = lantern.person("lee"), lantern.person("alice")
    added = await lee.slash(
        "tips add",
        title="Walk to the harbour",
        body="Put your shoes on and walk to the harbour wall and back. Count the boats on the way.",
        situation="boredom",
    )
    assert "Added as `c1`" in added.content
    for _ in range(40):
        message = await a_tip(alice, situation="boredom")
        if "Walk to the harbour" in message.content:
            break
    else:
        pytest.fail("the community's own tip never came up")
    await lee.slash("tips remove", tip_id="c1")
    before = await settled_snapshot(lantern.database_url)
    for label in ("This helped", "Not for me"):
        assert await only_answer(await alice.click(message, label)) == TIP_GONE
    assert snapshot(lantern.database_url) == before  # no feedback kept for a tip that is gone
    # A built-in tip that a newer library dropped reads the same.
    message = await a_tip(alice, situation="craving")
    rewire(message, "This helped", "lantern:tip:1:h:craving:a-tip-from-long-ago")
    assert await only_answer(await alice.click(message, "This helped")) == TIP_GONE


async def test_partner_buttons_for_a_group_that_is_gone(lantern: Harness) -> None:
    assert lantern.community is not None
    alice = lantern.person("alice")
    guild_id = lantern.community.guild.id
    for custom_id in (f"lantern:pf:{10**12}:y", f"lantern:ping:{guild_id}:{10**12}"):
        message = await a_tip(alice)
        rewire(message, "Another one", custom_id)
        assert await only_answer(await alice.click(message, "Another one")) == GROUP_ENDED


@pytest.mark.parametrize(
    ("custom_id", "expected"),
    [
        ("lantern:zzz:1", UNKNOWN_BUTTON),  # a kind of button this version does not have
        ("lantern:tip:{guild}:q:any:-", TIP_GONE),  # a changed suffix: an action that never existed
        ("lantern:open:{guild}:0:extra", "`/checkin` opens today's form"),  # one part too many
        ("lantern:open:abc:def", "`/checkin` opens today's form"),  # malformed: not numbers
        ("lantern:open:{huge}:1", "`/checkin` opens today's form"),  # beyond any Discord id
        ("lantern:dmmood:{guild}:2026-13-45:3", "`/checkin` starts today's"),  # a day that cannot be
        ("lantern:dmnote:{guild}:{huge}", "Send it to me again"),  # a DM's id beyond any Discord id
        ("lantern:", UNKNOWN_BUTTON),
        ("lantern:forget:{guild}:1:maybe", "nothing was deleted"),
        ("lantern:support:{guild}:xx", "`/resources` has the lines for your region"),
        ("lantern:safe:0:h:en", "`/resources` has the lines for your region"),  # id 0 is no community
    ],
)
async def test_stale_and_malformed_buttons_get_one_kind_answer(
    lantern: Harness, caplog: pytest.LogCaptureFixture, custom_id: str, expected: str
) -> None:
    assert lantern.community is not None
    caplog.set_level(logging.INFO)
    alice = lantern.person("alice")
    message = await a_tip(alice)
    custom_id = custom_id.format(guild=lantern.community.guild.id, huge=2**64)
    rewire(message, "Not for me", custom_id)
    before = await settled_snapshot(lantern.database_url)
    assert expected in await only_answer(await alice.click(message, "Not for me"))
    assert snapshot(lantern.database_url) == before
    assert_quiet_logs(caplog, custom_id)


async def test_a_form_with_an_unknown_custom_id_is_answered(lantern: Harness) -> None:
    alice = lantern.person("alice")
    values = {MOOD: "4", CRAVINGS: "0", HALT: [], NOTE: "still here"}
    before = await settled_snapshot(lantern.database_url)
    for custom_id in ("lantern:zzz:1", "lantern:checkin:abc", "lantern:checkin:1:2:not-hex!"):
        opened = await alice.slash("checkin")
        assert opened.modal is not None
        reply = await alice.submit({**opened.modal, "custom_id": custom_id}, values)
        assert OLD_FORM in await only_answer(reply)
    assert snapshot(lantern.database_url) == before


async def test_a_form_whose_schedule_was_removed_still_saves(lantern: Harness) -> None:
    community = lantern.community
    assert community is not None and lantern.services is not None
    lee, alice = lantern.person("lee"), lantern.person("alice")
    await lee.slash("setup", checkin_channel=community.checkin_channel, prompt_time="9am")
    added = await lee.slash("schedule add", name="evening", days="daily", time="9pm", question="What helped today?")
    assert added.content.startswith("Added."), added.content
    opened = await alice.slash("checkin")
    assert opened.modal is not None
    labels = [row.get("label") for row in opened.modal["components"]]
    assert "What helped today?" in labels
    await lee.slash("schedule remove", name="evening")
    values = {MOOD: "4", CRAVINGS: "0", HALT: [], NOTE: "kept", "What helped today?": "a walk"}
    reply = await alice.submit(opened.modal, values)
    assert reply.content.startswith("Thanks for checking in.")
    assert "removed the question that form asked, so I kept everything else" in reply.content
    rows = await lantern.services.db.checkins.recent(community.guild.id, alice.user.id)
    assert [(r.content.note, r.content.answers) for r in rows] == [("kept", {})]


async def test_an_error_inside_a_button_is_told_kindly_and_logged_by_type_and_place(
    lantern: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    alice = lantern.person("alice")
    await check_in(alice, note="mine")
    message = await a_tip(alice)
    forget = await alice.slash("forget")
    assert forget.message is not None
    # Storage breaks for real: the tables these buttons write to are gone for a moment.
    await settled_snapshot(lantern.database_url)
    await rename_table(lantern.database_url, "tip_feedback", "tip_feedback_away")
    try:
        helped = await alice.click(message, "This helped")
        await asyncio.sleep(0.3)
        assert [m.content for m in helped.messages] == [SORRY] and helped.ephemeral
        deleted = await alice.click(forget.message, "Yes, delete everything")
        await asyncio.sleep(0.3)
        # The button defers (telling a partner can take a moment), so the apology follows the deferral.
        assert deleted.type == 6
        assert [m.content for m in deleted.followups] == [SORRY] and deleted.followups[0].ephemeral
    finally:
        await rename_table(lantern.database_url, "tip_feedback_away", "tip_feedback")
    lines = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(lines) == 2, lines
    # A missing table is an OperationalError on SQLite and a ProgrammingError on PostgreSQL.
    missing_table = r"raised (OperationalError|ProgrammingError) at \S+ in \w+$"
    assert re.match(r"TipButton " + missing_table, lines[0]), lines[0]
    assert re.match(r"ForgetButton " + missing_table, lines[1]), lines[1]
    assert_quiet_logs(caplog, "no such table", "tip_feedback")
    # Nothing was half deleted, and with the table back the same buttons work.
    assert lantern.services is not None and lantern.community is not None
    assert await lantern.services.db.checkins.recent(lantern.community.guild.id, alice.user.id)
    again = await alice.click(forget.message, "Yes, delete everything")
    assert again.content.startswith("Done. I deleted")
