"""End to end: the rough edges a new member and a new leader hit in their first hour (issue 12)."""

from __future__ import annotations

from bot.devtools.harness import Harness
from tests.e2e.test_checkin import CRAVINGS, HALT, MOOD, NOTE, check_in, stored_notes


def field(modal: dict[str, object], label: str) -> dict[str, object]:
    rows = modal["components"]
    assert isinstance(rows, list)
    return next(row["component"] for row in rows if row.get("label") == label)


def defaults(component: dict[str, object]) -> list[str]:
    options = component.get("options", [])
    assert isinstance(options, list)
    return [o["value"] for o in options if o.get("default")]


async def test_a_second_checkin_the_same_day_opens_with_the_first_filled_in(lantern: Harness) -> None:
    alice = lantern.person("alice")
    first = await alice.slash("checkin")
    assert first.modal is not None
    assert first.modal["title"] == "Daily check-in"
    assert defaults(field(first.modal, MOOD)) == [] and "value" not in field(first.modal, NOTE)
    await check_in(alice, mood="2", cravings="3", halt=["Tired", "Lonely"], note="a rough start to the day")

    second = await alice.slash("checkin")
    assert second.modal is not None
    assert second.modal["title"] == "Update today's check-in"
    assert defaults(field(second.modal, MOOD)) == ["2"]
    assert defaults(field(second.modal, CRAVINGS)) == ["3"]
    assert sorted(defaults(field(second.modal, HALT))) == ["lonely", "tired"]
    assert field(second.modal, NOTE)["value"] == "a rough start to the day"

    # Changing only the mood keeps everything else the member wrote this morning.
    reply = await alice.submit(second.modal, {MOOD: "4"})
    assert reply.content.startswith("Thanks, I've updated today's check-in.")
    assert await stored_notes(lantern, alice) == ["a rough start to the day"]
    assert lantern.services is not None and lantern.community is not None
    today = await lantern.services.checkins.todays_content(lantern.community.guild.id, alice.user.id)
    assert today is not None
    assert (today.mood, today.cravings, sorted(today.halt)) == (4, 3, ["lonely", "tired"])


async def test_the_update_form_shows_a_long_note_whole(lantern: Harness) -> None:
    """Notes gathered from several DM replies can pass a fresh form's 1,000 characters; none is cut."""
    bob = lantern.person("bob")
    assert lantern.services is not None and lantern.community is not None
    community_id = lantern.community.guild.id
    day = await lantern.services.checkins.today(community_id, bob.user.id)
    for part in ("a" * 900, "b" * 900):
        await lantern.services.checkins.save_note(community_id, bob.user.id, day, part)
    opened = await bob.slash("checkin")
    assert opened.modal is not None
    note = field(opened.modal, NOTE)
    assert note["value"] == "a" * 900 + "\n\n" + "b" * 900
    assert note["max_length"] >= len(str(note["value"]))
    await bob.submit(opened.modal, {MOOD: "3", CRAVINGS: "0"})
    assert await stored_notes(lantern, bob) == ["a" * 900 + "\n\n" + "b" * 900]
