"""The stand-in as Discord documents it: listing messages, nonce dedupe only with enforce_nonce, 429 bodies."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from discord_standin.server import Sandbox
from discord_standin.state import Channel


@pytest.fixture
async def sandbox() -> AsyncIterator[Sandbox]:
    stand_in = Sandbox(validate_spec=False)
    await stand_in.start()
    yield stand_in
    await stand_in.stop()


@pytest.fixture
def channel(sandbox: Sandbox) -> Channel:
    owner = sandbox.add_user("owner")
    guild = sandbox.add_guild("Circle", owner)
    return sandbox.add_channel(guild, "general")


async def call(sandbox: Sandbox, method: str, path: str, **kwargs: Any) -> tuple[int, dict[str, str], Any]:
    headers = {"Authorization": f"Bot {sandbox.token}"}
    async with (
        aiohttp.ClientSession(headers=headers) as session,
        session.request(method, sandbox.api_base + path, **kwargs) as response,
    ):
        body = await response.json() if response.content_type == "application/json" else await response.text()
        return response.status, dict(response.headers), body


async def test_listing_messages_pages_like_discord(sandbox: Sandbox, channel: Channel) -> None:
    sandbox.limiter.route_limits = []  # seven posts in a row, beyond the route's five per five seconds
    ids = []
    for n in range(7):
        _, _, sent = await call(sandbox, "POST", f"/channels/{channel.id}/messages", json={"content": f"m{n}"})
        ids.append(int(sent["id"]))
    path = f"/channels/{channel.id}/messages"
    _, _, newest = await call(sandbox, "GET", path, params={"limit": "3"})
    assert [int(m["id"]) for m in newest] == ids[::-1][:3]
    _, _, before = await call(sandbox, "GET", path, params={"limit": "2", "before": str(ids[4])})
    assert [int(m["id"]) for m in before] == [ids[3], ids[2]]
    _, _, after = await call(sandbox, "GET", path, params={"limit": "2", "after": str(ids[1])})
    assert [int(m["id"]) for m in after] == [ids[3], ids[2]]
    for bad in ({"limit": "0"}, {"limit": "101"}, {"before": str(ids[1]), "after": str(ids[0])}):
        status, _, body = await call(sandbox, "GET", path, params=bad)
        assert status == 400 and body["code"] == 50035


async def test_nonce_dedupe_needs_enforce_nonce_and_lasts_five_minutes(sandbox: Sandbox, channel: Channel) -> None:
    path = f"/channels/{channel.id}/messages"
    plain = [(await call(sandbox, "POST", path, json={"content": "a", "nonce": "n1"}))[2]["id"] for _ in range(2)]
    assert plain[0] != plain[1]
    body = {"content": "b", "nonce": "n2", "enforce_nonce": True}
    first = (await call(sandbox, "POST", path, json=body))[2]
    sandbox.advance_clock(minutes=4, seconds=59)
    again = (await call(sandbox, "POST", path, json=body))[2]
    assert again["id"] == first["id"] and again["nonce"] == "n2"
    sandbox.advance_clock(seconds=2)
    later = (await call(sandbox, "POST", path, json=body))[2]
    assert later["id"] != first["id"]


async def test_a_429_has_discords_body_and_headers(sandbox: Sandbox, channel: Channel) -> None:
    sandbox.inject("POST", "/channels/*/messages", 429, is_global=True, retry_after=1.5)
    status, headers, body = await call(sandbox, "POST", f"/channels/{channel.id}/messages", json={"content": "x"})
    assert status == 429
    assert body == {"message": "You are being rate limited.", "retry_after": 1.5, "global": True}
    assert headers["X-RateLimit-Global"] == "true" and headers["Retry-After"] == "2"
    assert headers["X-RateLimit-Scope"] == "global"


async def test_a_fault_can_deliver_and_still_answer_an_error(sandbox: Sandbox, channel: Channel) -> None:
    fault = sandbox.inject("POST", "/channels/*/messages", 503, delivered=True)
    status, _, _ = await call(sandbox, "POST", f"/channels/{channel.id}/messages", json={"content": "went out"})
    assert status == 503 and fault.hits == 1
    assert [m.content for m in sandbox.world.channel_messages(channel.id)] == ["went out"]


@pytest.mark.parametrize(
    ("command", "accepted"),
    [
        ({"name": "tip", "description": "d", "name_localizations": {"es-ES": "consejo"}}, True),
        ({"name": "tip", "description": "d", "name_localizations": {"es-ES": "días-de-pausa"}}, True),
        ({"name": "tip", "description": "d", "name_localizations": {"es-ES": "Consejo"}}, False),
        ({"name": "tip", "description": "d", "name_localizations": {"es-419": "un consejo"}}, False),
        ({"name": "Tip", "description": "d"}, False),
        ({"name": "tip", "description": "d", "options": [{"type": 3, "name": "Why", "description": "d"}]}, False),
    ],
)
async def test_command_names_follow_discords_naming_rule_in_every_locale(
    sandbox: Sandbox, command: dict[str, Any], accepted: bool
) -> None:
    status, _, body = await call(
        sandbox, "PUT", f"/applications/{sandbox.world.application_id}/commands", json=[command]
    )
    assert (status == 200) is accepted, body
    if not accepted:
        assert body["code"] == 50035 and sandbox.world.global_commands == []
