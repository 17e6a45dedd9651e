"""The outbox at rest: every waiting text encrypted, emptied once sent, gone with /forget, rotated with the keys."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.storage import Database
from bot.storage.tables import outbox

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
LATER = NOW + timedelta(days=1)
COMMUNITY = 1
ALICE, BOB = 1001, 1002


async def raw_texts(db: Database) -> dict[int, str]:
    """The outbox's texts as the database holds them, by row."""
    async with db.engine.connect() as conn:
        return {row.id: row.text for row in (await conn.execute(select(outbox.c.id, outbox.c.text))).all()}


async def raw_rows(db: Database) -> dict[int, dict[str, object]]:
    async with db.engine.connect() as conn:
        return {row.id: dict(row._mapping) for row in (await conn.execute(select(outbox))).all()}


async def test_every_kind_of_text_is_encrypted_while_it_waits_and_read_back_whole(db: Database) -> None:
    texts = {
        "alert": f"<@{ALICE}> asked for a peer leader: outbox-canary-alert",
        "welcome": f"Welcome <@{ALICE}> and <@{BOB}>: outbox-canary-welcome",
        "followup": "Have you two connected? outbox-canary-followup",
        "milestone": "Your outbox-canary-counter counter is at 7 days.",
        "hardday": "Tomorrow is outbox-canary-date.",
    }
    added = {
        kind: await db.outbox.add(COMMUNITY, kind, 55, text, now=NOW, give_up_at=LATER) for kind, text in texts.items()
    }
    assert {kind: message.text for kind, message in added.items()} == texts
    stored = await raw_texts(db)
    assert len(stored) == len(texts)
    for text in stored.values():
        assert text.startswith("gAAAAA")
        assert "canary" not in text and str(ALICE) not in text
    # What the retries read is the words themselves.
    for message in added.values():
        await db.outbox.finish(message.id, "retrying", problem="transient", retry_at=NOW)
    assert sorted(m.text for m in await db.outbox.due(NOW)) == sorted(texts.values())


async def test_a_text_is_emptied_once_sent_or_given_up_and_the_row_is_kept(db: Database) -> None:
    sent = await db.outbox.add(COMMUNITY, "welcome", 55, "Welcome, both of you", now=NOW, give_up_at=LATER, group_id=9)
    given_up = await db.outbox.add(COMMUNITY, "alert", 56, "An alert", now=NOW, give_up_at=LATER)
    waiting = await db.outbox.add(COMMUNITY, "alert", 56, "Another alert", now=NOW, give_up_at=LATER)
    await db.outbox.finish(sent.id, "sent", sent_as=777)
    await db.outbox.finish(given_up.id, "failed", problem="forbidden")
    await db.outbox.finish(waiting.id, "retrying", problem="transient", retry_at=NOW)
    stored = await raw_texts(db)
    assert stored[sent.id] == "" and stored[given_up.id] == ""
    assert stored[waiting.id].startswith("gAAAAA")
    # The sent welcome is still there for its bookkeeping: a group is welcomed once.
    assert await db.outbox.has_for_group("welcome", 9)


async def test_rows_from_before_encryption_are_still_read_and_rotate_key_encrypts_them(
    db_url: str, key_a: str, key_b: str
) -> None:
    async with await Database.open(db_url, [key_a]) as db:
        old_waiting = await db.outbox.add(COMMUNITY, "alert", 56, "placeholder", now=NOW, give_up_at=LATER)
        # As revision 0012 left an alert: its text plain.
        async with db.engine.begin() as conn:
            await conn.execute(outbox.update().where(outbox.c.id == old_waiting.id).values(text="An old plain alert"))
        await db.outbox.finish(old_waiting.id, "retrying", problem="transient", retry_at=NOW)
        assert [m.text for m in await db.outbox.due(NOW)] == ["An old plain alert"]
        under_a = await db.outbox.add(COMMUNITY, "hardday", 57, "Tomorrow is a hard one", now=NOW, give_up_at=LATER)
        await db.outbox.finish(under_a.id, "retrying", problem="transient", retry_at=NOW)
        done = await db.outbox.add(COMMUNITY, "alert", 56, "Sent already", now=NOW, give_up_at=LATER)
        await db.outbox.finish(done.id, "sent", sent_as=1)
    async with await Database.open(db_url, f"{key_b},{key_a}") as db:
        assert await db.outbox.rotate_all() == 2  # the plain one and the one under the old key; not the empty one
        assert await db.outbox.rotate_all() == 0
        assert all(t.startswith("gAAAAA") for t in (await raw_texts(db)).values() if t)
    async with await Database.open(db_url, [key_b]) as db:
        assert sorted(m.text for m in await db.outbox.due(NOW)) == ["An old plain alert", "Tomorrow is a hard one"]


async def test_forget_removes_the_members_waiting_messages_and_cancels_those_that_name_them(db: Database) -> None:
    this_round = await db.partners.new_round(COMMUNITY, NOW, LATER)
    hers = await db.partners.add_group(this_round.id, COMMUNITY, [ALICE, BOB])
    others = await db.partners.add_group(this_round.id, COMMUNITY, [BOB, 1003])

    async def add(kind: str, text: str, **link: int) -> int:
        community = link.pop("community", COMMUNITY)
        message = await db.outbox.add(community, kind, 56, text, now=NOW, give_up_at=LATER, **link)
        await db.outbox.finish(message.id, "retrying", problem="transient", retry_at=NOW)
        return message.id

    about_alice = await add("alert", f"<@{ALICE}> asked", member_id=ALICE)
    her_note = await add("milestone", "7 days", member_id=ALICE)
    naming_her = await add("alert", f"I couldn't add <@{BOB}>, <@{ALICE}> to their thread")
    her_group = await add("followup", "Have you two connected?", group_id=hers.id)
    about_bob = await add("alert", f"<@{BOB}> asked", member_id=BOB)
    other_group = await add("followup", "Have you two connected?", group_id=others.id)
    elsewhere = await add("alert", f"<@{ALICE}> asked", member_id=ALICE, community=2)
    sent_about_her = await db.outbox.add(COMMUNITY, "hardday", 57, "eve", now=NOW, give_up_at=LATER, member_id=ALICE)
    await db.outbox.finish(sent_about_her.id, "sent", sent_as=5)

    counts = await db.rights.forget(COMMUNITY, ALICE)

    assert counts["outbox"] == 3 and counts["outbox (cancelled)"] == 2
    rows = await raw_rows(db)
    assert not {about_alice, her_note, sent_about_her.id} & rows.keys()
    for cancelled in (naming_her, her_group):
        assert rows[cancelled]["text"] == "" and rows[cancelled]["state"] == "failed"
    assert not [r for r in rows.values() if r["member_id"] == ALICE and r["community_id"] == COMMUNITY]
    # Bob's own, another group's, and Alice's in another community wait on as they were.
    assert sorted(m.id for m in await db.outbox.due(NOW)) == sorted([about_bob, other_group, elsewhere])
    # A send that was under way when she asked does not bring a cancelled message back.
    await db.outbox.finish(her_group, "retrying", problem="transient", retry_at=NOW)
    assert her_group not in {m.id for m in await db.outbox.due(NOW)}


async def test_export_lists_the_members_waiting_messages_in_their_words_and_nothing_of_others(db: Database) -> None:
    her_note = await db.outbox.add(
        COMMUNITY, "milestone", 57, "Your counter is at 30 days.", now=NOW, give_up_at=LATER, member_id=ALICE
    )
    await db.outbox.finish(her_note.id, "retrying", problem="transient", retry_at=NOW)
    sent_note = await db.outbox.add(
        COMMUNITY, "hardday", 57, "Tomorrow is hard", now=NOW, give_up_at=LATER, member_id=ALICE
    )
    await db.outbox.finish(sent_note.id, "sent", sent_as=5)
    await db.outbox.add(COMMUNITY, "alert", 56, f"<@{BOB}> asked", now=NOW, give_up_at=LATER, member_id=BOB)
    await db.outbox.add(2, "alert", 56, f"<@{ALICE}> asked", now=NOW, give_up_at=LATER, member_id=ALICE)

    exported = await db.rights.export(COMMUNITY, ALICE)

    # Only what still waits (a sent one is in her DMs already), only hers, only this community's; decrypted.
    assert exported["waiting_messages"] == [
        {"kind": "milestone", "created_at": NOW, "text": "Your counter is at 30 days."}
    ]
    assert (await db.rights.export(COMMUNITY, BOB))["waiting_messages"][0]["text"] == f"<@{BOB}> asked"
