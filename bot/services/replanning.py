"""A base for services whose changes must re-plan a community's timers (schedules, member settings)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

Replan = Callable[[int], Awaitable[None]]


class ReplansTimers:
    """`replan` is set when the services are wired together; until then changes only touch the database."""

    replan: Replan | None = None

    async def _replan(self, community_id: int) -> None:
        if self.replan is not None:
            await self.replan(community_id)
