"""End to end: /history's chart, /export, /forget, retention, /report, /audit, and what leaders never see."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import logging
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import BigInteger, select

from bot.devtools.harness import Harness, build_demo_community
from bot.storage.tables import metadata, outbox
from discord_standin.driver import Actor, DriverError, fetch_attachment
from tests.conftest import FakeClock
from tests.e2e.test_checkin import check_in
from tests.e2e.test_delivery import advance
from tests.e2e.test_oncall import alerts, ask_for_support
from tests.e2e.test_oncall import set_up as set_up_with_alerts
from tests.e2e.test_schedules import run_until, set_up

LEADER_COMMANDS = [
    ("setup", {}),
    ("schedule list", {}),
    ("schedule preview", {"name": "daily"}),
    ("tips list", {}),
    ("links list", {}),
    ("partners list", {}),
    ("report", {}),
    ("report", {"days": 30}),
    ("audit", {}),
    ("oncall who", {}),
    ("oncall rota list", {}),
]


async def test_history_has_a_chart_and_a_summary(lantern_at: Harness, clock: FakeClock) -> None:
    alice = lantern_at.person("alice")
    for day in range(5):
        await check_in(alice, mood=str(1 + day % 5), cravings=str(day % 5))
        clock.advance(days=2 if day == 2 else 1)
    reply = await alice.slash("history", days=30)
    assert reply.message is not None and reply.ephemeral
    attachment = reply.message.attachments[0]
    assert attachment.filename == "history.png"
    png = await fetch_attachment(attachment.url)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert "Chart: 5 check-ins" in reply.content
    nothing = await lantern_at.person("bob").slash("history")
    assert "haven't checked in yet" in nothing.content


async def test_export_gives_everything_of_my_own(lantern_at: Harness, clock: FakeClock) -> None:
    alice = lantern_at.person("alice")
    await check_in(alice, mood="3", cravings="1", halt=["Tired"], note="=SUM(A1) my own note, with a comma")
    await alice.slash("settings", dm_prompts=True, timezone="Europe/Paris")
    tip = await alice.slash("tip", situation="sleep")
    assert tip.message is not None
    await alice.click(tip.message, "This helped")
    reply = await alice.slash("export")
    assert reply.message is not None and reply.ephemeral
    files = {a.filename: await fetch_attachment(a.url) for a in reply.message.attachments}
    data = json.loads(files["lantern-export.json"])
    assert data["checkins"][0]["note"] == "=SUM(A1) my own note, with a comma"
    assert data["checkins"][0]["halt"] == ["tired"]
    assert data["settings"]["timezone"] == "Europe/Paris" and data["settings"]["dm_prompts"] is True
    assert list(data["tips"]["feedback"][0].values()).count("helped") == 1
    rows = list(csv.DictReader(io.StringIO(files["lantern-checkins.csv"].decode("utf-8-sig"))))
    assert rows[0]["note"] == "'=SUM(A1) my own note, with a comma"  # spreadsheets must not run it
    assert rows[0]["tired"] == "1"
    other = await lantern_at.person("bob").slash("export")
    assert other.message is not None
    bob_data = json.loads(await fetch_attachment(other.message.attachments[0].url))
    assert bob_data["checkins"] == [] and "my own note" not in json.dumps(bob_data)


async def populate_everything(lantern: Harness, clock: FakeClock, member: Actor) -> None:
    """Give `member` a row in every table that can hold one."""
    community = lantern.community
    assert community is not None
    partners = lantern.sandbox.add_channel(community.guild, "partners")
    await lantern.restart_bot()
    await set_up(lantern)
    lee = lantern.person("lee")
    await lee.slash("partners config", channel=partners, enabled=True)
    await member.slash("settings", dm_prompts=True, reminders=True, quiet_days=3)
    await member.slash("days set", name="sugar", since="2026-03-03")  # 7 days (a milestone) at 09:00
    await member.slash("dates add", label="a hard one", date="20 March")
    await run_until(lantern, clock, datetime(2026, 3, 10, 9, 0, tzinfo=UTC))
    await lee.slash("oncall on")  # the request goes to lee's DM first, and is kept as routed
    reply = await check_in(member, note="i want to kill myself")
    assert reply.message is not None
    await (await member.click(reply.message, "Let a peer leader know I could use support")).settled()
    tip = await member.slash("tip")
    assert tip.message is not None
    await member.click(tip.message, "Not for me")
    bob = lantern.person("bob")
    await member.slash("partner join")
    await bob.slash("partner join")
    await member.slash("partner avoid", member=lantern.person("cara").user)
    await bob.slash("partner avoid", member=member.user)
    await lantern.person("dan").slash("partner join")
    await (await lee.slash("partners pair", a=member.user, b=lantern.person("dan").user)).settled()
    await (await lee.slash("partners pair-now")).settled()


async def test_forget_deletes_everything_in_every_table(lantern_at: Harness, clock: FakeClock) -> None:
    clock.now = datetime(2026, 3, 10, 7, 0, tzinfo=UTC)
    alice = lantern_at.person("alice")
    await populate_everything(lantern_at, clock, alice)
    assert lantern_at.services is not None
    engine = lantern_at.services.db.engine

    async def rows_about(user_id: int) -> dict[str, int]:
        found: dict[str, int] = {}
        async with engine.connect() as conn:
            for table in metadata.sorted_tables:
                for column in table.columns:
                    if isinstance(column.type, BigInteger) and column.name != "community_id":
                        count = len((await conn.execute(select(table).where(column == user_id))).all())
                        if count:
                            found[f"{table.name}.{column.name}"] = count
        return found

    before = await rows_about(alice.user.id)
    for table in (
        "checkins",
        "members",
        "deliveries",
        "tip_views",
        "tip_feedback",
        "partner_members",
        "partner_avoid",
        "partner_group_members",
        "support_requests",
        "day_counters",
        "day_milestones",
        "hard_dates",
        "oncall_requests",
    ):
        assert any(key.startswith(table + ".") for key in before), f"{table} should hold a row before /forget"
    asked = await alice.slash("forget")
    assert asked.message is not None
    with pytest.raises(DriverError):  # the confirm button is only for alice (another member can't see it)
        await lantern_at.person("bob").click(asked.message, "Yes, delete everything")
    kept = await alice.click(asked.message, "Keep my data")
    assert "Nothing was deleted" in kept.content
    assert await rows_about(alice.user.id) == before
    asked = await alice.slash("forget")
    assert asked.message is not None
    done = await alice.click(asked.message, "Yes, delete everything")
    expected = sum(n for key, n in before.items() if not key.startswith("audit_log"))
    assert f"I deleted {expected} records about you" in done.content
    assert await rows_about(alice.user.id) == {}
    entries = await lantern_at.services.db.audit.since(
        lantern_at.community.guild.id if lantern_at.community else 0, datetime(2026, 1, 1, tzinfo=UTC)
    )
    assert any(e.action == "partners pair" and e.target_id is None for e in entries)


async def test_retention_and_members_who_left(lantern_at: Harness, clock: FakeClock) -> None:
    clock.now = datetime(2026, 3, 10, 7, 0, tzinfo=UTC)
    community = lantern_at.community
    assert community is not None and lantern_at.services is not None
    await set_up(lantern_at, retention_days=30)
    with pytest.raises(DriverError):  # Discord's own client keeps to the declared range
        await lantern_at.person("lee").slash("setup", retention_days=5)
    bad = await lantern_at.person("lee").raw_slash("setup", {"retention_days": 5})  # a client that does not
    assert "30 to 3650 days" in bad.content
    alice, bob, cara = (lantern_at.person(n) for n in ("alice", "bob", "cara"))
    await check_in(alice, note="old one")
    await check_in(bob, note="bob was here")
    await check_in(cara, note="cara was here")
    clock.advance(days=20)
    db = lantern_at.services.db

    async def left(user_id: int) -> bool:
        for _ in range(100):
            member = await db.members.get(community.guild.id, user_id)
            if member is not None and member.left_at is not None:
                return True
            await asyncio.sleep(0.02)
        return False

    await lantern_at.sandbox.leave(community.guild, bob.user)
    await lantern_at.sandbox.leave(community.guild, cara.user)
    assert await left(bob.user.id) and await left(cara.user.id)
    clock.advance(days=5)
    await lantern_at.sandbox.join(community.guild, cara.user)  # cara came back
    for _ in range(100):
        if not await left(cara.user.id) or (await db.members.get(community.guild.id, cara.user.id)).left_at is None:
            break
    clock.advance(days=26)  # 31 days after bob and cara left
    await check_in(alice, note="newer one")
    await lantern_at.services.scheduler.run_due(clock.now + timedelta(days=1))
    assert [c.content.note for c in await db.checkins.recent(community.guild.id, alice.user.id)] == ["newer one"]
    assert await db.members.get(community.guild.id, bob.user.id) is None
    assert await db.checkins.recent(community.guild.id, bob.user.id) == []
    assert await db.members.get(community.guild.id, cara.user.id) is not None


async def test_reports_show_counts_and_only_safe_aggregates(lantern: Harness) -> None:
    lee = lantern.person("lee")
    names = ("alice", "bob", "cara", "dan")
    for name in names:
        await check_in(lantern.person(name), mood="2", cravings="3", note=f"{name}-report-canary")
    few = await lee.slash("report")
    assert "4 check-ins from 4 of" in few.content
    assert "Moods are shown once at least 5 members (not counting leaders) have checked in" in few.content
    assert "averaged" not in few.content
    await check_in(lantern.person("eve"), mood="4", cravings="1", note="eve-report-canary")
    enough = await lee.slash("report", days=7)
    assert "Mood averaged 2.4 out of 5; cravings 2.6 out of 4 (across 5 members)" in enough.content
    assert "canary" not in enough.content
    with pytest.raises(DriverError):
        await lee.slash("report", days=0)
    bad = await lee.raw_slash("report", {"days": 0})
    assert "Pick 1 to 90 days" in bad.content
    await lantern.person("alice").slash("settings", quiet_days=3)


async def test_quiet_members_who_asked_are_listed(lantern_at: Harness, clock: FakeClock) -> None:
    alice, bob = lantern_at.person("alice"), lantern_at.person("bob")
    await check_in(alice)
    await check_in(bob)
    await alice.slash("settings", quiet_days=3)
    clock.advance(days=4)
    report = await lantern_at.person("lee").slash("report")
    assert f"Asked to be checked on after going quiet: <@{alice.user.id}> (4 days)" in report.content
    assert f"<@{bob.user.id}> (" not in report.content
    with pytest.raises(DriverError):
        await alice.slash("settings", quiet_days=99)
    bad = await alice.raw_slash("settings", {"quiet_days": 99})
    assert "1 to 60 days" in bad.content


async def test_audit_records_leader_actions_and_views(lantern: Harness) -> None:
    lee = lantern.person("lee")
    await set_up(lantern)
    await lee.slash("schedule edit", name="daily", time="8am")
    await lee.slash("report")
    assert lantern.services is not None and lantern.community is not None
    for _ in range(100):  # the audit entry is written as the command completes
        entries = await lantern.services.db.audit.since(lantern.community.guild.id, datetime(2020, 1, 1, tzinfo=UTC))
        if any(e.action == "report" for e in entries):
            break
        await asyncio.sleep(0.02)
    audit = await lee.slash("audit")
    assert f"<@{lee.user.id}>: /schedule edit (name=daily time=8am)" in audit.content
    assert "/report" in audit.content and "/setup" in audit.content


async def test_canary_no_leader_command_or_public_message_shows_a_note(
    lantern_at: Harness, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    # As a real run logs (bot/logs.py): Lantern's own lines at any level, discord.py's never below INFO.
    caplog.set_level(logging.INFO)
    caplog.set_level(logging.DEBUG, logger="bot")
    clock.now = datetime(2026, 3, 10, 7, 0, tzinfo=UTC)
    canaries = {name: f"{name}-zq-canary-{i}" for i, name in enumerate(("alice", "bob", "cara", "dan", "eve"))}
    await set_up(lantern_at)
    lee = lantern_at.person("lee")
    await lee.slash("schedule edit", name="daily", daily_thread=True, question="One word for today?")
    for name, note in canaries.items():
        member = lantern_at.person(name)
        await member.slash("settings", dm_prompts=True, quiet_days=1)
        # A personal goal in the member's words, answered after the form: private like the note.
        await member.slash("goal set", measure="days", goal=note + "-goal", days=2)
        opened = await member.slash("checkin")
        assert opened.modal is not None
        submitted = await member.submit(
            opened.modal,
            {
                "How are you arriving today?": "2",
                "Any cravings right now?": "3",
                "A private note (optional)": note,
                "One word for today?": note + "-answer",
            },
        )
        question = (await submitted.wait_followups(1))[0]
        await member.click(question, "Yes")
        assert note + "-goal" in (await member.slash("goal show")).content
        await member.say(note + "-dm")  # a DM reply with nothing to answer: not stored, not echoed
    await run_until(lantern_at, clock, datetime(2026, 3, 10, 9, 0, tzinfo=UTC))
    clock.advance(days=3)
    outputs: list[str] = []
    for command, options in LEADER_COMMANDS:
        reply = await lee.slash(command, **options)
        outputs.append(reply.text)
    # Everything the bot posted where others can read it: channels, threads, other members' DMs.
    for message in lantern_at.sandbox.world.messages.values():
        if message.author.bot and not message.ephemeral:
            outputs.append(message.content)
    text = "\n".join(outputs)
    for note in canaries.values():
        assert note not in text
    # Nor does anything a member wrote (a note, an answer, a goal) reach the logs.
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert logged and not any(note in logged for note in canaries.values())
    assert "Asked to be checked on after going quiet" in text
    # Members never see each other's: each one's own history holds only their own canary.
    for name in canaries:
        history = await lantern_at.person(name).slash("history")
        for other, other_note in canaries.items():
            assert (other_note in history.content) == (other == name)


async def test_nothing_of_one_community_shows_in_another(lantern: Harness) -> None:
    other = build_demo_community(lantern.sandbox, name="Second Circle", members=("zoe",))
    await lantern.restart_bot()
    alice = lantern.person("alice")
    await check_in(alice, note="first-community-canary")
    zoe = other.people["zoe"]
    # The same person in the second community sees nothing of the first.
    lantern.sandbox.add_member(other.guild, alice.user)
    alice_there = Actor(lantern.sandbox, alice.user, other.guild, other.checkin_channel)
    history = await alice_there.slash("history")
    assert "first-community-canary" not in history.text and "haven't checked in yet" in history.content
    report = await other.people["lee"].slash("report")
    assert "0 check-ins" in report.content
    exported = await alice_there.slash("export")
    assert exported.message is not None
    assert b"first-community-canary" not in await fetch_attachment(exported.message.attachments[0].url)
    assert "first-community-canary" not in (await zoe.slash("history")).text


async def test_every_leader_command_refuses_members(lantern: Harness) -> None:
    community = lantern.community
    assert community is not None
    alice = lantern.person("alice")
    everyone = community.guild.everyone_role
    for name in ("setup", "schedule", "tips", "links", "partners", "report", "audit", "oncall"):
        lantern.sandbox.allow_command(community.guild, name, everyone)
    for command, options in [
        *LEADER_COMMANDS,
        ("partners pair-now", {}),
        ("tips add", {"title": "abc", "body": "x" * 30}),
        ("dates community list", {}),
        ("dates community add", {"label": "a day", "date": "1 May"}),
        ("dates community remove", {"id": 1}),
    ]:
        reply = await alice.slash(command, **options)
        assert "for peer leaders" in reply.text, command


async def test_canary_counters_and_dates_never_reach_leaders_public_messages_others_or_logs(
    lantern_at: Harness, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="bot")
    clock.now = datetime(2026, 3, 10, 7, 0, tzinfo=UTC)
    names = ("alice", "bob", "cara", "dan", "eve")
    canaries = {name: f"{name}-zq-counter-{i}" for i, name in enumerate(names)}
    await set_up(lantern_at)
    lee = lantern_at.person("lee")
    for name, canary in canaries.items():
        member = lantern_at.person(name)
        await member.slash("days set", name=canary, since="2026-03-03")  # 7 days on 10 March
        await member.slash("dates add", label=canary + "-date", date="11 March")  # its eve is 10 March
        await check_in(member, mood="3")
    alice = lantern_at.person("alice")
    await alice.slash("days reset", name=canaries["alice"])
    await alice.slash("days set", name=canaries["alice"], since="2026-03-03")
    await run_until(lantern_at, clock, datetime(2026, 3, 10, 9, 0, tzinfo=UTC))
    assert len([m for m in alice.dms() if canaries["alice"] + "-date" in m.content]) == 1  # the eve's note
    notes = [m for m in alice.dms() if canaries["alice"] + " counter" in m.content]
    assert len(notes) == 1  # her own note names her own counter
    shared = await alice.click(notes[0], "Share this milestone")
    assert "Only the milestone was shared" in shared.content
    await lantern_at.person("bob").slash("days hide", name=canaries["bob"])
    clock.advance(days=1)
    outputs = [(await lee.slash(command, **options)).text for command, options in LEADER_COMMANDS]
    world = lantern_at.sandbox.world
    own_dm = {name: world.dm_channel_by_user.get(lantern_at.person(name).user.id) for name in names}
    for message in world.messages.values():
        if not message.author.bot:
            continue
        if message.ephemeral:
            continue  # an answer only the member who asked sees (leaders' answers are read above)
        owner = next((name for name, channel in own_dm.items() if channel == message.channel_id), None)
        if owner is not None:
            # A member's own replies and DMs may name their own counter, and nobody else's.
            others = [c for n, c in canaries.items() if n != owner]
            assert not [c for c in others if c in message.content], message.content
            continue
        outputs.append(message.content)
    text = "\n".join(outputs)
    assert f"<@{alice.user.id}> is marking 7 days today." in text
    for canary in canaries.values():
        assert canary not in text
    for record in caplog.records:
        for canary in canaries.values():
            assert canary not in record.getMessage()
    assert lantern_at.services is not None
    async with lantern_at.services.db.engine.connect() as conn:
        for table in ("day_counters", "outbox", "day_milestones", "hard_dates"):
            for row in (await conn.execute(select(metadata.tables[table]))).all():
                for canary in canaries.values():
                    assert canary.encode() not in repr(tuple(row)).encode()
                if table == "outbox":  # whatever the kind: sent and emptied, or still a Fernet token
                    assert row.text == "" or row.text.startswith("gAAAAA"), row.kind


async def test_a_waiting_alert_is_unreadable_at_rest_and_forget_takes_it_back(
    lantern_at: Harness, clock: FakeClock
) -> None:
    """Alice and Bob ask for support while the leaders' channel is refusing messages: their alerts wait in the
    outbox, encrypted; Alice uses /forget; when the channel works again, the leaders see Bob's alert only."""
    await set_up_with_alerts(lantern_at)
    assert lantern_at.community is not None and lantern_at.services is not None
    leaders = lantern_at.community.leaders_channel
    alice, bob = lantern_at.person("alice"), lantern_at.person("bob")
    outage = lantern_at.sandbox.inject("POST", f"/channels/{leaders.id}/messages", 503, for_seconds=3600)
    for member in (alice, bob):
        told = await ask_for_support(member)
        assert "couldn't" not in told  # the alert will go out: it waits in the outbox
    assert outage.hits >= 2 and alerts(lantern_at) == []
    async with lantern_at.services.db.engine.connect() as conn:
        waiting = (await conn.execute(select(outbox).where(outbox.c.state == "retrying"))).all()
    assert len(waiting) == 2
    for row in waiting:
        assert row.text.startswith("gAAAAA")
        for person in (alice, bob):
            assert str(person.user.id) not in row.text
        assert "asked" not in row.text and "peer leader" not in row.text
    asked = await alice.slash("forget")
    assert asked.message is not None
    done = await alice.click(asked.message, "Yes, delete everything")
    assert "I deleted" in done.content
    lantern_at.sandbox.faults.clear()
    for _ in range(6):
        await advance(lantern_at, clock, minutes=10)
    await lantern_at.sandbox.wait_until(lambda: len(alerts(lantern_at)) >= 1)
    shown = alerts(lantern_at)
    assert len(shown) == 1 and f"<@{bob.user.id}>" in shown[0], shown
    assert not [text for text in shown if f"<@{alice.user.id}>" in text]
    async with lantern_at.services.db.engine.connect() as conn:
        left = (await conn.execute(select(outbox.c.member_id, outbox.c.text, outbox.c.state))).all()
    assert [(row.member_id, row.text, row.state) for row in left] == [(bob.user.id, "", "sent")]
