"""End to end: Discord's faults (rate limits, server errors, gateway reconnects) lose no check-in."""

from __future__ import annotations

from bot.devtools.harness import Harness
from tests.e2e.test_checkin import CRAVINGS, MOOD, NOTE, stored_notes


async def test_a_429_on_the_answer_is_retried_and_nothing_is_lost(lantern: Harness) -> None:
    alice = lantern.person("alice")
    opened = await alice.slash("checkin")
    assert opened.modal is not None
    fault = lantern.sandbox.inject("POST", "/interactions/*/callback", 429, retry_after=0.3)
    reply = await alice.submit(opened.modal, {MOOD: "3", CRAVINGS: "1", NOTE: "through a rate limit"})
    assert fault.hits == 1
    assert reply.content.startswith("Thanks for checking in.")
    statuses = [r.status for r in lantern.sandbox.requests if r.path.endswith("/callback")]
    assert 429 in statuses and statuses[-1] == 200
    assert await stored_notes(lantern, alice) == ["through a rate limit"]


async def test_a_global_429_is_honoured(lantern: Harness) -> None:
    bob = lantern.person("bob")
    lantern.sandbox.inject("POST", "/interactions/*/callback", 429, retry_after=0.2, is_global=True)
    reply = await bob.slash("history")
    assert "haven't checked in yet" in reply.content


async def test_a_server_error_is_retried(lantern: Harness) -> None:
    cara = lantern.person("cara")
    opened = await cara.slash("checkin")
    assert opened.modal is not None
    lantern.sandbox.inject("POST", "/interactions/*/callback", 502)
    reply = await cara.submit(opened.modal, {MOOD: "4", CRAVINGS: "0", NOTE: "after a 502"})
    assert reply.content.startswith("Thanks for checking in.")
    assert await stored_notes(lantern, cara) == ["after a 502"]


async def test_a_gateway_reconnect_mid_checkin_loses_nothing(lantern: Harness) -> None:
    dan = lantern.person("dan")
    opened = await dan.slash("checkin")
    assert opened.modal is not None
    resumes = lantern.sandbox.gateway.resume_count
    await lantern.sandbox.gateway.request_reconnect()
    reply = await dan.submit(opened.modal, {MOOD: "2", CRAVINGS: "3", NOTE: "across a reconnect"})
    assert reply.content.startswith("Thanks for checking in.")
    assert lantern.sandbox.gateway.resume_count == resumes + 1
    assert await stored_notes(lantern, dan) == ["across a reconnect"]


async def test_a_dropped_connection_resumes_and_replays(lantern: Harness) -> None:
    eve = lantern.person("eve")
    opened = await eve.slash("checkin")
    assert opened.modal is not None
    await lantern.sandbox.gateway.drop_connection()
    # The submission is dispatched while the bot is disconnected; RESUME replays it.
    reply = await eve.submit(opened.modal, {MOOD: "5", CRAVINGS: "0", NOTE: "replayed"}, timeout=10)
    assert reply.content.startswith("Thanks for checking in.")
    assert await stored_notes(lantern, eve) == ["replayed"]


async def test_an_invalid_session_reidentifies(lantern: Harness) -> None:
    alice = lantern.person("alice")
    identifies = lantern.sandbox.gateway.identify_count
    await lantern.sandbox.gateway.invalidate_session(resumable=False)
    await lantern.sandbox.wait_until(lambda: lantern.sandbox.gateway.identify_count > identifies, timeout=15)
    reply = await alice.slash("history", timeout=10)
    assert "haven't checked in yet" in reply.content
