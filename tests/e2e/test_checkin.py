"""End to end: /checkin and /history through the sandbox, as members would use them."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from bot.devtools.harness import Harness
from discord_standin.driver import Actor, DriverError, Reply
from tests.conftest import FakeClock

MOOD = "How are you arriving today?"
CRAVINGS = "Any cravings right now?"
HALT = "HALT check"
NOTE = "A private note (optional)"


async def check_in(
    member: Actor, mood: str = "4", cravings: str = "0", halt: list[str] | None = None, note: str = ""
) -> Reply:
    opened = await member.slash("checkin")
    assert opened.modal is not None, opened.text
    # By the fields' custom_ids, so the same helper fills the form in any language.
    values: dict[str, Any] = {"mood": mood, "cravings": cravings, "halt": halt or [], "note": note}
    return await member.submit_by_id(opened.modal, values)


async def stored_notes(lantern: Harness, member: Actor) -> list[str]:
    assert lantern.services is not None and lantern.community is not None
    rows = await lantern.services.db.checkins.recent(lantern.community.guild.id, member.user.id)
    return [r.content.note for r in rows]


async def test_checkin_form_and_thanks(lantern: Harness) -> None:
    alice = lantern.person("alice")
    opened = await alice.slash("checkin")
    assert opened.modal is not None
    assert opened.modal["custom_id"].startswith("lantern:checkin:")
    reply = await alice.submit(
        opened.modal,
        {MOOD: "4 · Doing okay", CRAVINGS: "None", HALT: ["Tired"], NOTE: "slept badly but here"},
    )
    assert reply.ephemeral
    assert reply.content.startswith("Thanks for checking in.")
    assert "only see this once" in reply.content  # the privacy notice, on first use
    assert await stored_notes(lantern, alice) == ["slept badly but here"]


async def test_privacy_notice_is_shown_once(lantern: Harness) -> None:
    bob = lantern.person("bob")
    first = await bob.slash("history")
    followups = await first.wait_followups(1)
    assert "privacy" in followups[0].content.lower() and followups[0].ephemeral
    second = await bob.slash("history")
    assert "privacy" not in second.text.lower()
    reply = await check_in(bob)
    assert "privacy" not in reply.content.lower()


async def test_same_day_checkin_updates_the_first(lantern: Harness) -> None:
    alice = lantern.person("alice")
    await check_in(alice, mood="2", note="first try")
    second = await check_in(alice, mood="4", note="better now")
    assert second.content.startswith("Thanks, I've updated today's check-in.")
    assert await stored_notes(lantern, alice) == ["better now"]
    history = await alice.slash("history")
    assert "1 check-in in all" in history.content
    assert "better now" in history.content and "first try" not in history.content


async def test_streak_and_welcome_back(lantern_at: Harness, clock: FakeClock) -> None:
    cara = lantern_at.person("cara")
    await check_in(cara)
    clock.advance(days=1)
    second = await check_in(cara)
    assert "That's 2 days in a row." in second.content
    clock.advance(days=1)
    third = await check_in(cara)
    assert "That's 3 days in a row." in third.content
    clock.advance(days=5)
    back = await check_in(cara)
    assert back.content.startswith("Good to see you again. Every check-in counts.")
    assert "broke" not in back.content and "failed" not in back.content
    assert "4 check-ins so far" in back.content


async def test_members_never_see_each_others_history(lantern: Harness) -> None:
    alice, bob = lantern.person("alice"), lantern.person("bob")
    await check_in(alice, note="alice-private-canary")
    bob_history = await bob.slash("history")
    assert "alice-private-canary" not in bob_history.text
    assert "You haven't checked in yet" in bob_history.content
    alice_history = await alice.slash("history")
    assert "alice-private-canary" in alice_history.content
    assert alice_history.ephemeral
    # Nothing a member wrote is ever posted where others can read it.
    for message in lantern.sandbox.world.messages.values():
        if not message.ephemeral:
            assert "alice-private-canary" not in message.content


async def test_hard_answers_get_a_supportive_reply(lantern: Harness) -> None:
    dan = lantern.person("dan")
    reply = await check_in(dan, mood="1", cravings="4")
    assert "tough one" in reply.content
    assert "relapse" not in reply.content.lower() and "failed" not in reply.content.lower()


async def test_history_rejects_a_bad_period_and_changes_nothing(lantern: Harness) -> None:
    eve = lantern.person("eve")
    await check_in(eve, note="kept")
    for days in (0, 1100, -3):
        with pytest.raises(DriverError):  # Discord's own client keeps to the declared range
            await eve.slash("history", days=days)
        reply = await eve.raw_slash("history", {"days": days})  # a client that does not
        assert reply.ephemeral
        assert "between 1 and 1095 days" in reply.content
    assert await stored_notes(lantern, eve) == ["kept"]


async def test_a_tampered_form_is_refused_and_nothing_is_saved(lantern: Harness) -> None:
    alice = lantern.person("alice")
    opened = await alice.slash("checkin")
    assert opened.modal is not None
    modal = copy.deepcopy(opened.modal)
    modal["components"][0]["component"]["options"].append({"label": "9", "value": "9"})
    reply = await alice.submit(modal, {MOOD: "9", CRAVINGS: "0"})
    assert "between 1 and 5" in reply.content and reply.ephemeral
    assert await stored_notes(lantern, alice) == []


async def test_the_form_enforces_its_limits_like_discord(lantern: Harness) -> None:
    alice = lantern.person("alice")
    opened = await alice.slash("checkin")
    assert opened.modal is not None
    try:
        await alice.submit(opened.modal, {MOOD: "3", CRAVINGS: "0", NOTE: "x" * 1001})
    except DriverError as refused:
        assert "at most 1000" in str(refused)
    else:
        raise AssertionError("a 1001-character note should not be submittable")


async def test_two_members_fill_forms_at_once(lantern: Harness) -> None:
    alice, bob = lantern.person("alice"), lantern.person("bob")
    form_a = (await alice.slash("checkin")).modal
    form_b = (await bob.slash("checkin")).modal
    assert form_a is not None and form_b is not None
    assert form_a["custom_id"] != form_b["custom_id"]
    reply_b = await bob.submit(form_b, {MOOD: "2", CRAVINGS: "1", NOTE: "bob's"})
    reply_a = await alice.submit(form_a, {MOOD: "5", CRAVINGS: "0", NOTE: "alice's"})
    assert reply_a.content.startswith("Thanks") and reply_b.content.startswith("Thanks")
    assert await stored_notes(lantern, alice) == ["alice's"]
    assert await stored_notes(lantern, bob) == ["bob's"]


async def test_a_form_opened_before_a_restart_is_saved_after_it(lantern: Harness) -> None:
    alice = lantern.person("alice")
    opened = await alice.slash("checkin")
    assert opened.modal is not None
    await lantern.restart_bot()
    reply = await alice.submit(opened.modal, {MOOD: "3", CRAVINGS: "2", NOTE: "across a restart"})
    assert reply.content.startswith("Thanks for checking in.")
    assert await stored_notes(lantern, alice) == ["across a restart"]


async def test_commands_are_synced_only_when_they_change(lantern: Harness) -> None:
    def syncs() -> int:
        return sum(1 for r in lantern.sandbox.requests if r.method == "PUT" and r.path.endswith("/commands"))

    assert syncs() == 1
    assert lantern.bot is not None and lantern.bot.synced_commands is True
    await lantern.restart_bot()
    assert syncs() == 1
    assert lantern.bot is not None and lantern.bot.synced_commands is False
    names = {c["name"] for c in lantern.sandbox.world.global_commands}
    assert {"checkin", "history"} <= names


@pytest.mark.sqlite_only  # PostgreSQL's counterpart: tests/storage/test_postgres.py
async def test_the_database_never_holds_a_note_in_plain_text(lantern: Harness, database_url: str) -> None:
    notes = ["zebra-canary-one", "walrus-canary-two", "heron-canary-three"]
    for name, note in zip(("alice", "bob", "cara"), notes, strict=True):
        await check_in(lantern.person(name), note=note)
    path = Path(database_url.removeprefix("sqlite:///"))
    blobs = b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
    assert blobs, "the database files should exist"
    for note in notes:
        assert note.encode() not in blobs
