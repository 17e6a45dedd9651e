"""End to end: who sees the answer to a community's own question, as the form says before the member answers."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from bot.devtools.harness import Harness
from bot.services.question_words import on_form
from discord_standin.driver import Actor, Reply, fetch_attachment
from discord_standin.state import Channel
from tests.conftest import FakeClock
from tests.e2e.database import settled_snapshot, snapshot
from tests.e2e.test_checkin import CRAVINGS, MOOD
from tests.e2e.test_partners import partners_channel  # noqa: F401  (a fixture: partner rounds switched on)

QUESTION = "Did you go to a meeting?"


async def ask(lantern: Harness, **options: Any) -> None:
    """The leader gives the daily schedule a question (after /setup has made it)."""
    community = lantern.community
    assert community is not None
    lee = lantern.person("lee")
    if "**daily**" not in (await lee.slash("schedule list")).content:
        await lee.slash("setup", checkin_channel=community.checkin_channel, prompt_time="9am")
    reply = await lee.slash("schedule edit", name="daily", **options)
    assert reply.content.startswith("Updated."), reply.content


def question_row(modal: dict[str, Any]) -> dict[str, Any]:
    rows = [row for row in modal["components"] if row.get("label") == QUESTION]
    assert rows, [row.get("label") for row in modal["components"]]
    return rows[0]


async def answer_question(member: Actor, answer: str, modal: dict[str, Any] | None = None) -> Reply:
    if modal is None:
        opened = await member.slash("checkin")
        assert opened.modal is not None
        modal = opened.modal
    return await member.submit(modal, {MOOD: "3", CRAVINGS: "1", QUESTION: answer})


async def stored_content(lantern: Harness, member: Actor) -> Any:
    assert lantern.services is not None and lantern.community is not None
    rows = await lantern.services.db.checkins.recent(lantern.community.guild.id, member.user.id, limit=1)
    return rows[0].content if rows else None


@pytest.mark.parametrize(
    ("visibility", "answer_type", "kind"),
    [
        ("me", "text", 4),
        ("partner", "text", 4),
        ("leaders", "text", 4),
        ("leaders", "yesno", 21),
        ("partner", "scale", 21),
    ],
)
async def test_the_form_says_who_sees_the_answer_before_it_is_given(
    lantern: Harness, visibility: str, answer_type: str, kind: int
) -> None:
    await ask(lantern, question=QUESTION, visibility=visibility, answer_type=answer_type)
    opened = await lantern.person("alice").slash("checkin")
    assert opened.modal is not None
    row = question_row(opened.modal)
    assert row["description"] == on_form(visibility, answer_type)
    assert row["component"]["type"] == kind  # words in a text input; yes/no and 1-5 as one tap
    listed = await lantern.person("lee").slash("schedule list")
    assert QUESTION in listed.content and "seen by" in listed.content


async def test_yes_no_and_scale_answers_are_one_tap_and_other_values_are_refused(lantern: Harness) -> None:
    alice = lantern.person("alice")
    await ask(lantern, question=QUESTION, visibility="me", answer_type="yesno")
    opened = await alice.slash("checkin")
    assert opened.modal is not None
    labels = [o["label"] for o in question_row(opened.modal)["component"]["options"]]
    assert labels == ["Yes", "No"]
    tampered = copy.deepcopy(opened.modal)
    question_row(tampered)["component"]["options"].append({"label": "Maybe", "value": "Maybe"})
    before = await settled_snapshot(lantern.database_url)
    refused = await alice.submit(tampered, {MOOD: "3", CRAVINGS: "1", QUESTION: "Maybe"})
    assert refused.ephemeral and "wasn't one of the choices" in refused.content and "`/checkin`" in refused.content
    assert snapshot(lantern.database_url) == before
    await answer_question(alice, "Yes", opened.modal)
    assert (await stored_content(lantern, alice)).answers == {QUESTION: "Yes"}
    await ask(lantern, answer_type="scale")
    again = await alice.slash("checkin")
    assert again.modal is not None
    options = question_row(again.modal)["component"]["options"]
    assert [o["value"] for o in options] == ["1", "2", "3", "4", "5"]
    await answer_question(alice, "4", again.modal)
    assert (await stored_content(lantern, alice)).answers == {QUESTION: "4"}


async def test_a_partner_sees_an_answer_only_when_the_form_said_so(
    lantern_at: Harness,
    partners_channel: Channel,  # noqa: F811
    clock: FakeClock,
) -> None:
    lee, alice, bob, cara = (lantern_at.person(n) for n in ("lee", "alice", "bob", "cara"))
    for member in (alice, bob):
        await member.slash("partner join")
    await (await lee.slash("partners pair", a=alice.user, b=bob.user)).settled()
    await ask(lantern_at, question=QUESTION, visibility="me")
    await answer_question(alice, "alice-only-me-canary")
    assert "alice-only-me-canary" not in (await bob.slash("partner status")).content
    await ask(lantern_at, visibility="partner")
    await answer_question(alice, "yes, the Tuesday one")
    status = await bob.slash("partner status")
    assert f"<@{alice.user.id}> shared with you: “{QUESTION}”: yes, the Tuesday one" in status.content
    assert status.ephemeral
    # Someone who is not alice's partner sees nothing of it, and neither do leaders.
    assert "Tuesday" not in (await cara.slash("partner status")).content
    assert "Tuesday" not in (await lee.slash("report")).text
    # Her export says who the form said would see it.
    exported = await alice.slash("export")
    assert exported.message is not None
    data = json.loads(await fetch_attachment(exported.message.attachments[0].url))
    assert data["checkins"][-1]["answers_seen_by"] == {QUESTION: "partner"}
    # Her own status never shows her own answer back as shared.
    assert "shared with you" not in (await alice.slash("partner status")).content
    # A week on, the answer is no longer shown.
    clock.advance(days=9)
    assert "Tuesday" not in (await bob.slash("partner status")).content


async def test_leaders_see_a_count_and_the_spread_only_from_five_members_never_the_words(
    lantern_at: Harness,
    partners_channel: Channel,  # noqa: F811
) -> None:
    lee = lantern_at.person("lee")
    await ask(lantern_at, question=QUESTION, visibility="leaders", answer_type="yesno")
    answers = {"alice": "Yes", "bob": "No", "cara": "Yes", "dan": "Yes"}
    for name, given in answers.items():
        await answer_question(lantern_at.person(name), given)
    # A leader's own answer is not one of the five.
    await answer_question(lee, "No")
    report = (await lee.slash("report")).content
    assert f"“{QUESTION}”: 4 answers from 4 members" in report, report
    assert "the spread shows once at least 5 members" in report
    assert "Yes:" not in report and "No:" not in report
    await answer_question(lantern_at.person("eve"), "No")
    report = (await lee.slash("report")).content
    assert f"“{QUESTION}”: 5 answers from 5 members; Yes: 3 · No: 2" in report, report
    # Words are never shown: a question answered in words is a count and nothing more.
    await ask(lantern_at, question="One word for today?", answer_type="text")
    for index, name in enumerate(("alice", "bob", "cara", "dan", "eve", "fay")):
        member = lantern_at.person(name)
        opened = await member.slash("checkin")
        assert opened.modal is not None
        await member.submit(opened.modal, {MOOD: "3", CRAVINGS: "1", "One word for today?": f"word-canary-{index}"})
    report = (await lee.slash("report")).content
    assert "“One word for today?”: 6 answers from 6 members" in report, report
    assert "canary" not in report


async def test_only_me_answers_are_never_counted_for_leaders(lantern: Harness) -> None:
    await ask(lantern, question=QUESTION, visibility="me", answer_type="yesno")
    for name in ("alice", "bob", "cara", "dan", "eve"):
        await answer_question(lantern.person(name), "Yes")
    report = (await lantern.person("lee").slash("report")).content
    assert QUESTION not in report and "Yes" not in report


async def test_a_change_after_the_form_opened_keeps_the_answer_to_the_member(lantern: Harness) -> None:
    alice, bob, lee = lantern.person("alice"), lantern.person("bob"), lantern.person("lee")
    # Opened under "only me", then a leader makes it a count: alice never agreed, so it is not counted.
    await ask(lantern, question=QUESTION, visibility="me", answer_type="yesno")
    opened = await alice.slash("checkin")
    assert opened.modal is not None
    await ask(lantern, visibility="leaders")
    await answer_question(alice, "Yes", opened.modal)
    content = await stored_content(lantern, alice)
    assert content.answers == {QUESTION: "Yes"} and content.shared == {}
    assert "0 answers" in (await lee.slash("report")).content
    # Opened under "leaders", then made private again before it was sent: kept as the member's alone.
    opened = await bob.slash("checkin")
    assert opened.modal is not None
    assert question_row(opened.modal)["description"] == on_form("leaders", "yesno")
    await ask(lantern, visibility="me")
    await answer_question(bob, "No", opened.modal)
    assert (await stored_content(lantern, bob)).shared == {}
    # Under the same promise from opening to sending, the answer is counted.
    await ask(lantern, visibility="leaders")
    await answer_question(lantern.person("cara"), "No")
    assert (await stored_content(lantern, lantern.person("cara"))).shared == {QUESTION: "leaders"}
    assert f"“{QUESTION}”: 1 answer from 1 member" in (await lee.slash("report")).content
