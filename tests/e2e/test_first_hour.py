"""End to end: the rough edges a new member and a new leader hit in their first hour (issue 12)."""

from __future__ import annotations

import pytest

from bot.devtools.harness import Harness
from discord_standin.driver import Actor, buttons
from discord_standin.state import Channel
from tests.e2e.test_checkin import CRAVINGS, HALT, MOOD, NOTE, check_in, stored_notes
from tests.e2e.test_partners import partner_threads, partners_channel

__all__ = ["partners_channel"]  # a fixture, used by name


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


async def test_a_dm_outside_a_prompt_is_kept_in_the_members_only_community(lantern: Harness) -> None:
    alice = lantern.person("alice")
    await check_in(alice, mood="3", cravings="0", note="morning")
    before = len(alice.dms())
    await alice.say("the afternoon got better after a walk")
    reply = (await alice.wait_dms(before + 1))[-1]
    assert reply.content == "Thanks, I added this to today's check-in. Only you can see it."
    assert await stored_notes(lantern, alice) == ["morning\n\nthe afternoon got better after a walk"]


async def test_a_dm_from_a_member_of_two_communities_asks_which_with_buttons(lantern: Harness) -> None:
    sandbox = lantern.sandbox
    community = lantern.community
    assert community is not None and lantern.services is not None
    alice = lantern.person("alice")
    other = sandbox.add_guild("Tuesday Group", owner=sandbox.add_user("tara"))
    other_channel = sandbox.add_channel(other, "check-ins")
    sandbox.add_member(other, alice.user)
    await lantern.restart_bot()
    await check_in(alice, mood="4", cravings="0")
    alice_elsewhere = Actor(sandbox, alice.user, other, other_channel)
    await check_in(alice_elsewhere, mood="2", cravings="1")

    before = len(alice.dms())
    said = await alice.say("couldn't sleep, thinking about tomorrow")
    question = (await alice.wait_dms(before + 1))[-1]
    assert question.content == "Which community should I keep this note under? Only you will see it."
    assert sorted(b["label"] for b in buttons(question)) == ["Recovery Circle", "Tuesday Group"]
    assert str(said.id) in buttons(question)[0]["custom_id"]  # the DM is read back by its id, never copied
    assert "couldn't sleep" not in str(buttons(question))

    picked = await alice.click(question, "Tuesday Group")
    assert picked.type == 7  # the question becomes the answer
    assert picked.message is not None
    assert picked.message.content == "Thanks, I added this to today's check-in. Only you can see it."
    assert await stored_notes(lantern, alice) == [""]
    assert await stored_notes_in(lantern, other.id, alice) == ["couldn't sleep, thinking about tomorrow"]


async def test_a_choice_for_a_dm_that_is_gone_is_answered_kindly(lantern: Harness) -> None:
    alice = lantern.person("alice")
    sandbox = lantern.sandbox
    other = sandbox.add_guild("Tuesday Group", owner=sandbox.add_user("tara"))
    sandbox.add_member(other, alice.user)
    await lantern.restart_bot()
    await check_in(alice)
    await check_in(Actor(sandbox, alice.user, other, sandbox.add_channel(other, "general")))
    said = await alice.say("remember to call my sister")
    question = (await alice.wait_dms(1))[-1]
    assert question.content.startswith("Which community")
    said.deleted = True  # alice deleted her DM before choosing
    picked = await alice.click(question, "Recovery Circle")
    assert picked.message is not None and "can't find that message" in picked.message.content
    assert await stored_notes(lantern, alice) == [""]


async def stored_notes_in(lantern: Harness, community_id: int, member: Actor) -> list[str]:
    assert lantern.services is not None
    rows = await lantern.services.db.checkins.recent(community_id, member.user.id)
    return [r.content.note for r in rows]


async def partner_of(lantern: Harness, member: Actor) -> int:
    assert lantern.services is not None and lantern.community is not None
    _, group = await lantern.services.partners.current_group(lantern.community.guild.id, member.user.id)
    assert group is not None
    return next(m for m in group.members if m != member.user.id)


async def test_partners_left_alone_are_told_kindly_offered_someone_new_and_status_stays_true(
    lantern_at: Harness, partners_channel: Channel
) -> None:
    people = {n: lantern_at.person(n) for n in ("alice", "bob", "cara", "dan")}
    for member in people.values():
        await member.slash("partner join")
    await (await lantern_at.person("lee").slash("partners pair-now")).settled()
    by_id = {m.user.id: m for m in people.values()}
    alice = people["alice"]
    alices_partner = by_id[await partner_of(lantern_at, alice)]
    leaver = next(m for m in people.values() if m not in (alice, alices_partner))
    leavers_partner = by_id[await partner_of(lantern_at, leaver)]
    threads_before = partner_threads(lantern_at, partners_channel)

    # One steps back with /partner leave, another with /forget; neither reason is told.
    left = await (await alice.slash("partner leave")).settled()
    assert "out of partner rounds, this round's thread included" in left.content
    asked = await leaver.slash("forget")
    assert asked.message is not None
    done = await (await leaver.click(asked.message, "Yes, delete everything")).settled()
    assert "I deleted" in done.text
    for thread in threads_before:
        assert alice.user.id not in thread.thread_members and leaver.user.id not in thread.thread_members

    for alone in (alices_partner, leavers_partner):
        offer = (await alone.wait_dms(1))[-1]
        assert offer.content.startswith("Your partner has stepped back from partner rounds for now")
        assert "not about you" in offer.content and "forget" not in offer.content.lower()
        assert [b["label"] for b in buttons(offer)] == ["Find me someone new"]
        status = await alone.slash("partner status")
        assert "your partner stepped back" in status.content and "you're with ." not in status.content
    assert "not paired this round" in (await alice.slash("partner status")).content

    offer = alices_partner.dms()[-1]
    paired = await (await alices_partner.click(offer, "Find me someone new")).settled()
    assert f"You're now paired with <@{leavers_partner.user.id}>" in paired.text
    assert await partner_of(lantern_at, leavers_partner) == alices_partner.user.id
    new_thread = next(t for t in partner_threads(lantern_at, partners_channel) if t not in threads_before)
    bot_id = lantern_at.sandbox.world.bot_user.id
    assert new_thread.thread_members - {bot_id} == {alices_partner.user.id, leavers_partner.user.id}
    again = await (await leavers_partner.click(leavers_partner.dms()[-1], "Find me someone new")).settled()
    assert "already have a partner this round" in again.text


async def test_a_leader_cannot_pair_someone_who_left_or_never_joined(
    lantern_at: Harness, partners_channel: Channel
) -> None:
    lee, alice, bob, cara = (lantern_at.person(n) for n in ("lee", "alice", "bob", "cara"))
    await alice.slash("partner join")
    await bob.slash("partner join")
    await (await bob.slash("partner leave")).settled()
    for a, b in ((alice, bob), (alice, cara)):
        refused = await (await lee.slash("partners pair", a=a.user, b=b.user)).settled()
        assert refused.content.startswith("I can only pair members who have joined partner rounds themselves")
    assert partner_threads(lantern_at, partners_channel) == []


async def test_report_leaves_leaders_out_and_counts_only_days_since_setup(lantern: Harness) -> None:
    lee = lantern.person("lee")
    community = lantern.community
    assert community is not None
    await lee.slash(
        "setup", checkin_channel=community.checkin_channel, prompt_time="9am", alert_channel=community.leaders_channel
    )
    await check_in(lee, mood="1", cravings="4")  # a leader who checks in too
    for name in ("alice", "bob", "cara", "dan"):
        await check_in(lantern.person(name), mood="4", cravings="0")

    week = await lee.slash("report", days=7)
    assert "4 check-ins from 4 of 4 members" in week.content
    # Set up today: one possible day each, not seven.
    assert "Response rate: 100% of possible daily check-ins" in week.content
    # Four others and the leader: the leader knows their own mood, so averages would give the others' away.
    assert "averaged" not in week.content
    assert "not counting leaders" in week.content

    await check_in(lantern.person("eve"), mood="2", cravings="1")
    today = await lee.slash("report", days=1)
    assert today.content.startswith("**Check-ins, today**")
    assert "last 1 days" not in today.content and "Per day" not in today.content
    assert "Mood averaged 3.6 out of 5; cravings 0.2 out of 4 (across 5 members)" in today.content


async def test_names_not_codes_in_audit_and_an_honest_setup_summary(lantern: Harness) -> None:
    lee, alice = lantern.person("lee"), lantern.person("alice")
    community = lantern.community
    assert community is not None
    await lee.slash(
        "setup", checkin_channel=community.checkin_channel, prompt_time="9am", leader_role=community.leader_role
    )
    await lee.slash("schedule add", name="evening", days="daily", time="8pm", where="both")
    await lee.slash("schedule add", name="weekends", time="10am", days="weekends", where="dm")

    summary = (await lee.slash("setup")).content
    assert "**daily**" in summary and "**evening**" in summary and "**weekends**" in summary
    assert "nobody has yet" in summary  # no member has DM prompts on: nobody is promised a DM
    assert "members' DMs" not in summary
    await alice.slash("settings", dm_prompts=True)
    summary = (await lee.slash("setup")).content
    assert "by DM to the 1 member who turned DM prompts on" in summary

    audit = (await lee.slash("audit")).content
    assert "leader_role=@Peer leader" in audit and "#Peer leader" not in audit
    assert "checkin_channel=#check-ins" in audit


@pytest.mark.parametrize(("region", "number"), [("US", "911"), ("GB", "999"), ("AU", "000"), ("NZ", "111")])
async def test_an_overdose_reply_leads_with_the_regions_emergency_number(
    lantern: Harness, region: str, number: str
) -> None:
    community = lantern.community
    assert community is not None
    await lantern.person("lee").slash(
        "setup", checkin_channel=community.checkin_channel, prompt_time="9am", region=region
    )
    reply = await lantern.person("cara").slash("tip", situation="i think i took too many pills and cant breathe")
    assert reply.content.startswith(f"This could be a medical emergency. Call {number} now.")
    assert "naloxone" in reply.content
    assert "don't have tips" not in reply.content and "cant breathe" not in reply.content


async def test_timezones_people_type_are_read_said_back_and_asked_about_when_ambiguous(lantern: Harness) -> None:
    alice = lantern.person("alice")
    assert lantern.services is not None and lantern.community is not None
    guild_id = lantern.community.guild.id
    saved = await alice.slash("settings", timezone="EST")
    assert "I read “EST” as US Eastern time (America/New_York), which follows daylight saving." in saved.content
    member = await lantern.services.db.members.get(guild_id, alice.user.id)
    assert member is not None and member.timezone == "America/New_York"

    for typed, zone in (("Pacific", "America/Los_Angeles"), ("London", "Europe/London")):
        saved = await alice.slash("settings", timezone=typed)
        assert f"({zone})" in saved.content or f"as {zone}." in saved.content
    asked = await alice.slash("settings", timezone="CST")
    assert "more than one place" in asked.content and "`America/Chicago`" in asked.content
    member = await lantern.services.db.members.get(guild_id, alice.user.id)
    assert member is not None and member.timezone == "Europe/London"  # nothing changed

    offered = await alice.autocomplete("settings", "timezone", "pst")
    assert offered[0] == {"name": "PST: US Pacific time (America/Los_Angeles)", "value": "America/Los_Angeles"}

    lee = lantern.person("lee")
    community = lantern.community
    set_up = await lee.slash(
        "setup", checkin_channel=community.checkin_channel, prompt_time="9am", timezone="los angeles"
    )
    assert "Timezone: America/Los_Angeles (I read “los angeles” as America/Los_Angeles.)" in set_up.content
