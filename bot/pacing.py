"""One pacer for every request the bot sends to Discord's REST API, under Discord's global limit."""

from __future__ import annotations

import asyncio
import itertools
import math
import time
from collections import deque
from collections.abc import Callable
from types import SimpleNamespace

import aiohttp

# Discord leaves interaction callbacks and webhook calls out of the global limit; pacing them behind a
# fan-out of thousands of DMs would make a member's button click miss its three-second deadline.
EXEMPT_PATH_PARTS = ("/interactions/", "/webhooks/")
WINDOW = 1.0
# Discord's global limit: requests per second across the whole bot.
DISCORD_GLOBAL_LIMIT = 50
# After Discord says the global limit was hit, the pace halves (never below SLOWEST per second) and comes
# back a quarter at a time, after each RECOVERY seconds without another global 429.
SLOWEST = 1.0
RECOVERY = 5.0
# A request unanswered this long no longer counts as one Discord may be about to count.
STALE = 30.0


class Pacer:
    """Spaces requests evenly at `rate` per second, and never lets more than `rate` (rounded up) start in any
    one-second window, even when the process stalls (a GC pause, a busy loop) and several waiters wake late
    together; nor more than `limit` (Discord's) be unanswered or answered within the last second."""

    def __init__(
        self, rate: float, *, limit: float = DISCORD_GLOBAL_LIMIT, monotonic: Callable[[], float] = time.monotonic
    ) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.limit = max(1, int(limit))
        self.target = rate
        self.monotonic = monotonic
        self._set_rate(rate)
        self._next_slot = 0.0
        self._recent: deque[float] = deque()
        # Requests sent and not yet answered (by number, when sent), and when answered ones were answered.
        self._open: dict[int, float] = {}
        self._answered: deque[float] = deque()
        self._numbers = itertools.count()
        self._calm_since = 0.0
        self.paced = 0
        self.waited = 0.0
        self.slowdowns = 0

    def _set_rate(self, rate: float) -> None:
        self.rate = rate
        self.interval = 1.0 / rate
        # Rounded up: evenly spaced at 46.5/s, some one-second windows hold 47 starts. A cap rounded down
        # held every window to 46 and so the whole fan-out to 46/s, below the pace it was given.
        self.cap = max(1, math.ceil(rate))

    def slow_down(self, retry_after: float) -> None:
        """Discord answered 429 with X-RateLimit-Global: nothing more until Retry-After, then a slower pace."""
        now = self.monotonic()
        self._next_slot = max(self._next_slot, now + max(0.0, retry_after))
        # Requests already under way when the limit was hit come back 429 together: one halving per burst.
        if self.slowdowns and now - self._calm_since < WINDOW:
            return
        self._set_rate(max(min(SLOWEST, self.target), self.rate / 2))
        self._calm_since = now
        self.slowdowns += 1

    def _recover(self, now: float) -> None:
        if self.rate < self.target and now - self._calm_since >= RECOVERY:
            self._set_rate(min(self.target, self.rate * 1.25))
            self._calm_since = now

    def _delay(self, now: float) -> float:
        while self._recent and now - self._recent[0] >= WINDOW:
            self._recent.popleft()
        while self._answered and now - self._answered[0] >= WINDOW:
            self._answered.popleft()
        delay = self._next_slot - now
        if len(self._recent) >= self.cap:
            delay = max(delay, self._recent[0] + WINDOW - now)
        # Discord counts a request when it handles it, at some moment between our sending it and our reading
        # the answer; requests sent on an even beat can reach it bunched (a pause on its side, on the network
        # or in this process). Any request unanswered, or answered within the last second, may still be in
        # the second Discord is counting, so together they are held under Discord's limit: the pace can then
        # come close to the limit and never meet a 429, however the requests bunch on the way. (Held under
        # the pace instead, every millisecond of answer time would cost pace: 0.94 of the limit at 49/s.)
        if len(self._open) + len(self._answered) >= self.limit:
            # An answer whose hook never ran (a request cancelled while cleaning up) must not hold a slot forever.
            for number in [number for number, sent in self._open.items() if now - sent >= STALE]:
                del self._open[number]
            if len(self._open) + len(self._answered) >= self.limit:
                wait = self._answered[0] + WINDOW - now if self._answered else self.interval
                delay = max(delay, wait)
        return delay

    async def wait_turn(self) -> None:
        started = self.monotonic()
        while True:
            now = self.monotonic()
            self._recover(now)
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
        trace.on_request_end.append(self._on_request_end)
        trace.on_request_exception.append(self._on_request_exception)
        return trace

    def _answered_now(self, context: SimpleNamespace) -> None:
        number = getattr(context, "lantern_paced", None)
        if number is not None and self._open.pop(number, None) is not None:
            self._answered.append(self.monotonic())

    async def _on_request_exception(
        self, session: aiohttp.ClientSession, context: SimpleNamespace, params: aiohttp.TraceRequestExceptionParams
    ) -> None:
        self._answered_now(context)

    async def _on_request_end(
        self, session: aiohttp.ClientSession, context: SimpleNamespace, params: aiohttp.TraceRequestEndParams
    ) -> None:
        self._answered_now(context)
        response = params.response
        if response.status != 429 or response.headers.get("X-RateLimit-Global", "").lower() != "true":
            return
        try:
            retry_after = float(response.headers.get("Retry-After", "1"))
        except ValueError:
            retry_after = 1.0
        self.slow_down(retry_after)

    async def _on_request_start(
        self, session: aiohttp.ClientSession, context: SimpleNamespace, params: aiohttp.TraceRequestStartParams
    ) -> None:
        path = params.url.path
        if "/api/v" not in path or any(part in path for part in EXEMPT_PATH_PARTS):
            return
        if params.url.scheme in ("ws", "wss"):
            return
        await self.wait_turn()
        if getattr(context, "lantern_paced", None) is None:  # once per request, also when aiohttp redirects
            context.lantern_paced = number = next(self._numbers)
            self._open[number] = self.monotonic()
