"""Pointing discord.py at another Discord-compatible endpoint (a REST proxy, or the local sandbox)."""

from __future__ import annotations

import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

DISCORD_API_BASE = "https://discord.com/api/v10"
DISCORD_GATEWAY_URL = "wss://gateway.discord.gg/"


def point_discord_at(api_base: str | None, gateway_url: str | None) -> None:
    """Use these endpoints for every REST call and gateway connection this process makes.

    discord.py reads both from class attributes, so this is process-wide; `None` restores Discord's own.
    """
    Route.BASE = (api_base or DISCORD_API_BASE).rstrip("/")
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url or DISCORD_GATEWAY_URL)
