"""End to end: the operators' /healthz and /metrics, on a port of their own."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import aiohttp
import pytest

from bot.devtools.harness import Harness
from discord_standin.server import Sandbox
from tests.conftest import running
from tests.e2e.test_checkin import check_in


@pytest.fixture
async def operated(database_url: str, secret_key: str, spec_check: Callable[[Sandbox], None]) -> AsyncIterator[Harness]:
    async for harness in running(Harness(database_url, [secret_key], ops_port=0), spec_check):
        yield harness


def ops_url(lantern: Harness, path: str) -> str:
    assert lantern.bot is not None and lantern.bot.ops is not None
    assert lantern.bot.ops.host == "127.0.0.1"  # loopback unless an operator says otherwise
    return f"http://127.0.0.1:{lantern.bot.ops.port}{path}"


async def test_healthz_reports_each_check_and_turns_503_when_one_fails(operated: Harness) -> None:
    async with aiohttp.ClientSession() as http:
        async with http.get(ops_url(operated, "/healthz")) as response:
            assert response.status == 200
            assert await response.json() == {
                "healthy": True,
                "ready": True,
                "gateway_connected": True,
                "database_reachable": True,
                "scheduler_running": True,
            }
        assert operated.services is not None
        await operated.services.scheduler.shutdown()
        async with http.get(ops_url(operated, "/healthz")) as response:
            assert response.status == 503
            body = await response.json()
            assert body["healthy"] is False and body["scheduler_running"] is False and body["ready"] is True


async def test_metrics_count_checkins_interactions_and_rate_limit_waits(operated: Harness) -> None:
    alice = operated.person("alice")
    await check_in(alice, note="nobody else reads this")
    await alice.slash("resources")
    async with aiohttp.ClientSession() as http, http.get(ops_url(operated, "/metrics")) as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/plain")
        text = await response.text()
    samples = {
        line.split(" ")[0]: float(line.split(" ")[1]) for line in text.splitlines() if line and not line.startswith("#")
    }
    assert samples["lantern_checkins_total"] >= 1
    assert samples['lantern_interaction_seconds_count{kind="command"}'] >= 2  # /checkin and /resources
    assert samples['lantern_interaction_seconds_count{kind="form"}'] >= 1  # the check-in form
    assert "lantern_rate_limit_wait_seconds_total" in samples
    assert any(name.startswith("lantern_gateway_latency_seconds") for name in samples)
    assert "nobody else reads this" not in text


def test_the_ops_port_is_off_unless_set() -> None:
    from bot.config import Settings

    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.ops_port is None and settings.ops_host == "127.0.0.1"
