"""Discord's refusals as delivery sees them: permanent (stop) or passing (try again later)."""

from __future__ import annotations


class SendError(Exception):
    """Discord refused a send: `reason` is unreachable (50007), channel_gone (10003/10008), no_permission
    (50001/50013), or transient (a 429 after discord.py's own retries, a 5xx, a timeout, a dropped
    connection: tried again later). `retry_after` is Discord's Retry-After, when it gave one."""

    def __init__(self, reason: str, *, retry_after: float | None = None, is_global: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after
        self.is_global = is_global

    @property
    def permanent(self) -> bool:
        return self.reason != "transient"
