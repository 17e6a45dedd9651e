"""One pacer for every request the bot sends to Discord's REST API, under Discord's global limit."""

from __future__ import annotations

import asyncio
import time
from types import SimpleNamespace

import aiohttp

# Discord leaves interaction callbacks and webhook calls out of the global limit; pacing them behind a
# fan-out of thousands of DMs would make a member's button click miss its three-second deadline.
EXEMPT_PATH_PARTS = ("/interactions/", "/webhooks/")


class Pacer:
    """Spaces requests evenly at `rate` per second: at most `rate` + 1 in any one-second window."""

    def __init__(self, rate: float) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.rate = rate
        self.interval = 1.0 / rate
        self._next_slot = 0.0
        self.paced = 0
        self.waited = 0.0

    async def wait_turn(self) -> None:
        now = time.monotonic()
        slot = max(now, self._next_slot)
        self._next_slot = slot + self.interval
        self.paced += 1
        delay = slot - now
        if delay > 0:
            self.waited += delay
            await asyncio.sleep(delay)

    def trace_config(self) -> aiohttp.TraceConfig:
        """An aiohttp hook, given to discord.py as `http_trace`, that paces each REST request."""
        trace = aiohttp.TraceConfig()
        trace.on_request_start.append(self._on_request_start)
        return trace

    async def _on_request_start(
        self,
        session: aiohttp.ClientSession,
        context: SimpleNamespace,
        params: aiohttp.TraceRequestStartParams,
    ) -> None:
        path = params.url.path
        if "/api/v" not in path or any(part in path for part in EXEMPT_PATH_PARTS):
            return
        if params.url.scheme in ("ws", "wss"):
            return
        await self.wait_turn()
