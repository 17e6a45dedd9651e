"""The pacer: even spacing under Discord's global limit, and interaction answers never held behind it."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime

import pytest

from bot.devtools.harness import Harness
from bot.pacing import Pacer
from tests.conftest import FakeClock


async def test_no_one_second_window_holds_more_than_the_rate() -> None:
    pacer = Pacer(rate=100)
    stamps = []
    for _ in range(150):
        await pacer.wait_turn()
        stamps.append(time.monotonic())
    busiest = max(sum(1 for t in stamps if start <= t < start + 1.0) for start in stamps)
    assert busiest <= 101


async def test_a_stalled_process_does_not_release_a_burst() -> None:
    pacer = Pacer(rate=50)
    stamps: list[float] = []

    async def one() -> None:
        await pacer.wait_turn()
        stamps.append(time.monotonic())

    waiters = [asyncio.create_task(one()) for _ in range(90)]
    await asyncio.sleep(0.3)
    time.sleep(0.4)  # noqa: ASYNC251  (on purpose: the whole process stalls while waiters sleep)
    await asyncio.gather(*waiters)
    busiest = max(sum(1 for t in stamps if start <= t < start + 1.0) for start in stamps)
    assert busiest <= 50


def test_a_rate_must_be_positive() -> None:
    with pytest.raises(ValueError, match="positive"):
        Pacer(0)


async def test_a_fan_out_under_a_tight_global_limit_sees_no_429(
    database_url: str, secret_key: str, clock: FakeClock
) -> None:
    clock.now = datetime(2026, 3, 10, 7, 0, tzinfo=UTC)
    harness = Harness(database_url, [secret_key], clock=clock, rate_limit=18)
    harness.sandbox.limiter.set_global(20)
    await harness.start()
    try:
        community = harness.community
        assert community is not None and harness.services is not None
        for index in range(30):
            user = harness.sandbox.add_user(f"extra{index}")
            harness.sandbox.add_member(community.guild, user)
            await harness.services.db.members.update(community.guild.id, user.id, dm_prompts=True)
        reply = await harness.person("lee").slash(
            "setup", checkin_channel=community.checkin_channel, timezone="UTC", prompt_time="9am"
        )
        assert reply.content.startswith("You're all set.")
        clock.now = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
        reports = await harness.services.scheduler.run_due(clock.now)
        assert sum(r.sent for r in reports if r.kind == "prompt") == 30
        assert [r for r in harness.sandbox.requests if r.status == 429] == []
        # Every REST request went through the pacer except interaction answers, which Discord exempts
        # from the global limit and which must not wait behind a fan-out.
        assert harness.bot is not None
        paced = [r for r in harness.sandbox.requests if not r.path.startswith(("/interactions/", "/webhooks/"))]
        exempt = [r for r in harness.sandbox.requests if r.path.startswith(("/interactions/", "/webhooks/"))]
        assert exempt
        assert harness.bot.pacer.paced == len(paced)
    finally:
        await harness.stop()


def test_a_global_429_halves_the_pace_and_it_comes_back_in_steps() -> None:
    now = [100.0]
    pacer = Pacer(rate=40, monotonic=lambda: now[0])
    pacer.slow_down(retry_after=2.0)
    assert pacer.rate == 20 and pacer.slowdowns == 1
    # Nothing goes out before Retry-After has passed.
    assert pacer._delay(now[0]) == pytest.approx(2.0)
    pacer.slow_down(retry_after=1.0)
    assert pacer.rate == 20  # the same burst: not halved twice
    now[0] += 1.0
    pacer.slow_down(retry_after=1.0)
    assert pacer.rate == 10
    rates = []
    for _ in range(12):
        now[0] += 5.0
        pacer._recover(now[0])
        rates.append(pacer.rate)
    assert rates == sorted(rates) and rates[0] == 12.5 and rates[-1] == 40


def test_the_pace_never_drops_below_one_per_second() -> None:
    now = [0.0]
    pacer = Pacer(rate=8, monotonic=lambda: now[0])
    for _ in range(10):
        now[0] += 1.0
        pacer.slow_down(retry_after=0.0)
    assert pacer.rate == 1.0


async def test_a_fractional_pace_is_kept_not_rounded_down(monkeypatch: pytest.MonkeyPatch) -> None:
    # A virtual clock: each sleep moves it on by exactly the delay asked for, so the count is the pacer's own.
    now = [0.0]

    async def sleep(delay: float) -> None:
        now[0] += delay

    monkeypatch.setattr("bot.pacing.asyncio.sleep", sleep)
    pacer = Pacer(rate=46.5, monotonic=lambda: now[0])
    stamps = []
    while now[0] < 20.0:
        await pacer.wait_turn()
        stamps.append(now[0])
    started_in_20s = sum(1 for t in stamps if t < 20.0)
    assert started_in_20s >= 46.5 * 20 - 1  # not 46 a second, as a cap rounded down made it
    busiest = max(sum(1 for t in stamps if start <= t < start + 1.0) for start in stamps)
    assert busiest <= 47


async def test_requests_not_yet_answered_count_against_the_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    # Ten requests go out and Discord sits on them (a pause on its side) until it answers all ten at once:
    # it may count them all in the same second as the next one, so the eleventh waits until those answers
    # are a second old, not only until the first request's start is.
    from types import SimpleNamespace

    import aiohttp
    from multidict import CIMultiDict
    from yarl import URL

    now = [0.0]
    answered_at: list[float] = []
    pacer = Pacer(rate=10, limit=10, monotonic=lambda: now[0])
    contexts = [SimpleNamespace() for _ in range(10)]

    async def sleep(delay: float) -> None:
        now[0] += delay
        if now[0] >= 5.0 and not answered_at:
            answered_at.append(now[0])
            for context in contexts:
                pacer._answered_now(context)

    monkeypatch.setattr("bot.pacing.asyncio.sleep", sleep)
    url = URL("https://discord.com/api/v10/channels/1/messages")
    params = aiohttp.TraceRequestStartParams("POST", url, CIMultiDict())
    for context in contexts:
        await pacer._on_request_start(None, context, params)  # type: ignore[arg-type]
    await pacer._on_request_start(None, SimpleNamespace(), params)  # type: ignore[arg-type]
    assert answered_at and now[0] >= answered_at[0] + 1.0
