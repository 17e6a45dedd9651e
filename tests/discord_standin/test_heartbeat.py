"""Heartbeats: discord.py's keep-alive thread must always see its heartbeat sent before the ACK arrives."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bot.devtools.harness import Harness
from discord_standin.server import Sandbox

INTERVAL_S = 0.1
QUIET_FOR_S = 5.0


async def test_a_quiet_client_never_falls_behind(
    database_url: str, secret_key: str, caplog: pytest.LogCaptureFixture
) -> None:
    """discord.py warns "Can't keep up, websocket is 41.3s behind" when an ACK seems to answer the heartbeat
    before last: the latency it measures is then a whole interval. It warns only past 10 s, so with a short
    interval this test watches the latency itself, after every heartbeat of a quiet minute-like run."""
    caplog.set_level(logging.WARNING, logger="discord.gateway")
    sandbox = Sandbox()
    sandbox.gateway.heartbeat_interval_ms = int(INTERVAL_S * 1000)
    harness = Harness(database_url, [secret_key], sandbox=sandbox, log_level="WARNING")
    await harness.start()
    try:
        assert harness.bot is not None
        latencies: set[float] = set()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + QUIET_FOR_S
        while loop.time() < deadline:
            # discord.py's own figure, updated at each ACK; sampled well within each interval.
            latencies.add(harness.bot.latency)
            await asyncio.sleep(INTERVAL_S / 10)
        beats = sandbox.gateway.heartbeats
    finally:
        await harness.stop()
    assert beats >= QUIET_FOR_S / INTERVAL_S / 2
    assert max(latencies) < INTERVAL_S / 2, sorted(latencies)[-3:]
    assert not [r for r in caplog.records if "Can't keep up" in r.getMessage()]
