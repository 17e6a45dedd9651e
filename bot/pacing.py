"""One pacer for every request the bot sends to Discord's REST API, under Discord's global limit."""

from __future__ import annotations

import asyncio
import time
from collections import deque
from types import SimpleNamespace

import aiohttp

# Discord leaves interaction callbacks and webhook calls out of the global limit; pacing them behind a
# fan-out of thousands of DMs would make a member's button click miss its three-second deadline.
EXEMPT_PATH_PARTS = ("/interactions/", "/webhooks/")
WINDOW = 1.0


class Pacer:
    """Spaces requests evenly at `rate` per second, and never lets more than `rate` start in any one-second
    window, even when the process stalls (a GC pause, a busy loop) and several waiters wake late together."""

    def __init__(self, rate: float) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.rate = rate
        self.interval = 1.0 / rate
        self.cap = max(1, int(rate))
        self._next_slot = 0.0
        self._recent: deque[float] = deque()
        self.paced = 0
        self.waited = 0.0

    def _delay(self, now: float) -> float:
        while self._recent and now - self._recent[0] >= WINDOW:
            self._recent.popleft()
        delay = self._next_slot - now
        if len(self._recent) >= self.cap:
            delay = max(delay, self._recent[0] + WINDOW - now)
        return delay

    async def wait_turn(self) -> None:
        started = time.monotonic()
        while True:
            now = time.monotonic()
            delay = self._delay(now)
            if delay <= 0:
                # Checked and taken with no await in between, so two waiters never share a slot.
                self._recent.append(now)
                # Keep the cadence when a wake-up comes a little late (otherwise every millisecond of
                # lateness would add up and the rate would sag), but never owe more than one slot.
                self._next_slot = max(self._next_slot, now - self.interval) + self.interval
                self.paced += 1
                self.waited += now - started
                return
            await asyncio.sleep(delay)

    def trace_config(self) -> aiohttp.TraceConfig:
        """An aiohttp hook, given to discord.py as `http_trace`, that paces each REST request."""
        trace = aiohttp.TraceConfig()
        trace.on_request_start.append(self._on_request_start)
        return trace

    async def _on_request_start(
        self, session: aiohttp.ClientSession, context: SimpleNamespace, params: aiohttp.TraceRequestStartParams
    ) -> None:
        path = params.url.path
        if "/api/v" not in path or any(part in path for part in EXEMPT_PATH_PARTS):
            return
        if params.url.scheme in ("ws", "wss"):
            return
        await self.wait_turn()
