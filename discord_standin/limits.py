"""Discord's rate limits and injectable faults, as the sandbox enforces them."""

from __future__ import annotations

import fnmatch
import math
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

# Routes Discord leaves outside the global limit: interaction callbacks and webhook calls.
GLOBAL_EXEMPT_PREFIXES = ("/interactions/", "/webhooks/")


@dataclass
class RouteLimit:
    """A per-route bucket: `limit` requests per `per` seconds for each major parameter."""

    method: str
    template: str
    limit: int
    per: float


DEFAULT_ROUTE_LIMITS = [
    RouteLimit("POST", "/channels/{channel_id}/messages", 5, 5.0),
    RouteLimit("PATCH", "/channels/{channel_id}/messages/{message_id}", 5, 5.0),
    RouteLimit("POST", "/users/@me/channels", 50, 1.0),
    RouteLimit("POST", "/channels/{channel_id}/threads", 10, 10.0),
    RouteLimit("POST", "/channels/{channel_id}/messages/{message_id}/threads", 10, 10.0),
]


@dataclass
class LimitDecision:
    """What the limiter says about one request: allowed, or a 429 and its headers."""

    allowed: bool
    headers: dict[str, str]
    body: dict[str, Any] | None = None


class SlidingWindow:
    """Counts requests in the last `per` seconds."""

    def __init__(self, limit: int, per: float) -> None:
        self.limit = limit
        self.per = per
        self.stamps: deque[float] = deque()

    def _trim(self, now: float) -> None:
        while self.stamps and now - self.stamps[0] >= self.per:
            self.stamps.popleft()

    def try_take(self, now: float) -> tuple[bool, float]:
        self._trim(now)
        if len(self.stamps) < self.limit:
            self.stamps.append(now)
            return True, 0.0
        return False, self.per - (now - self.stamps[0])

    def remaining(self, now: float) -> int:
        self._trim(now)
        return max(0, self.limit - len(self.stamps))

    def reset_after(self, now: float) -> float:
        self._trim(now)
        return self.per - (now - self.stamps[0]) if self.stamps else self.per


class RateLimiter:
    """The global limit per bot and Discord's per-route buckets."""

    def __init__(self, global_per_second: float = 50.0, route_limits: list[RouteLimit] | None = None) -> None:
        self.global_per_second = global_per_second
        self.route_limits = list(DEFAULT_ROUTE_LIMITS if route_limits is None else route_limits)
        self._global = SlidingWindow(max(1, int(global_per_second)), 1.0)
        self._buckets: dict[tuple[str, str, str], SlidingWindow] = {}
        self.responses_429 = 0

    def set_global(self, per_second: float) -> None:
        self.global_per_second = per_second
        # Under 1/s, keep one request per window of 1/rate seconds.
        if per_second >= 1:
            self._global = SlidingWindow(int(per_second), 1.0)
        else:
            self._global = SlidingWindow(1, 1.0 / per_second)

    def check(self, method: str, path: str, template: str | None, major: str) -> LimitDecision:
        now = time.monotonic()
        headers: dict[str, str] = {}
        route = self._route_for(method, template)
        bucket: SlidingWindow | None = None
        if route is not None:
            key = (route.method, route.template, major)
            bucket = self._buckets.get(key)
            if bucket is None:
                bucket = self._buckets[key] = SlidingWindow(route.limit, route.per)
        if not path.startswith(GLOBAL_EXEMPT_PREFIXES):
            ok, retry = self._global.try_take(now)
            if not ok:
                self.responses_429 += 1
                return self._too_many(retry, is_global=True, headers=headers)
        if bucket is not None and route is not None:
            ok, retry = bucket.try_take(now)
            bucket_id = f"{route.method}:{route.template}"
            headers.update(
                {
                    "X-RateLimit-Limit": str(route.limit),
                    "X-RateLimit-Remaining": str(bucket.remaining(now)),
                    "X-RateLimit-Reset": f"{time.time() + bucket.reset_after(now):.3f}",
                    "X-RateLimit-Reset-After": f"{bucket.reset_after(now):.3f}",
                    "X-RateLimit-Bucket": bucket_id.encode().hex()[:32],
                }
            )
            if not ok:
                self.responses_429 += 1
                return self._too_many(retry, is_global=False, headers=headers)
        return LimitDecision(True, headers)

    def _route_for(self, method: str, template: str | None) -> RouteLimit | None:
        if template is None:
            return None
        for route in self.route_limits:
            if route.method == method and route.template == template:
                return route
        return None

    @staticmethod
    def _too_many(retry: float, *, is_global: bool, headers: dict[str, str]) -> LimitDecision:
        retry = max(retry, 0.001)
        headers = dict(headers)
        headers.update(
            {
                "Retry-After": str(math.ceil(retry)),
                "X-RateLimit-Scope": "global" if is_global else "user",
                "Via": "1.1 google",
            }
        )
        if is_global:
            headers["X-RateLimit-Global"] = "true"
        else:
            headers["X-RateLimit-Remaining"] = "0"
        body = {"message": "You are being rate limited.", "retry_after": round(retry, 3), "global": is_global}
        return LimitDecision(False, headers, body)


@dataclass
class Fault:
    """A response the sandbox gives instead of the real one, `times` times, to matching requests.

    `for_seconds` makes it an incident instead: every matching request fails until that many seconds have
    passed since it was added (`times` is then ignored). `delivered` lets the request do its work first and
    only then answers with the error, as Discord sometimes does (a 5xx after the message went out). `delay`
    holds the answer back that many seconds (a slow response; with status 0 the real answer follows)."""

    method: str
    path_glob: str
    status: int
    code: int = 0
    message: str = ""
    retry_after: float = 0.5
    is_global: bool = False
    times: int = 1
    for_seconds: float | None = None
    delivered: bool = False
    delay: float = 0.0
    hits: int = field(default=0)
    added_at: float = field(default_factory=time.monotonic)

    def matches(self, method: str, path: str) -> bool:
        return (self.method in ("*", method)) and fnmatch.fnmatchcase(path, self.path_glob)

    def active(self, now: float) -> bool:
        if self.for_seconds is not None:
            return now - self.added_at < self.for_seconds
        return self.hits < self.times


class Faults:
    """Faults queued by a test; each fires at most `times` times."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []

    def add(self, fault: Fault) -> Fault:
        self._faults.append(fault)
        return fault

    def clear(self) -> None:
        self._faults.clear()

    def take(self, method: str, path: str) -> Fault | None:
        now = time.monotonic()
        for fault in self._faults:
            if fault.active(now) and fault.matches(method, path):
                fault.hits += 1
                return fault
        return None

    def counts(self) -> dict[str, int]:
        """How many requests each kind of fault answered ("429 global", "503", "slow", ...)."""
        tally: dict[str, int] = {}
        for fault in self._faults:
            if not fault.hits:
                continue
            if fault.status == 429:
                kind = "429 global" if fault.is_global else "429 route"
            elif fault.status == 0:
                kind = "slow"
            else:
                kind = f"{fault.status}" + (" (delivered)" if fault.delivered else "")
            tally[kind] = tally.get(kind, 0) + fault.hits
        return tally
