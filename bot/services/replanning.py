"""The hook through which changes to schedules and members' settings re-plan a community's timers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

# Given the community whose timers must be planned again (the scheduler's `rebuild_community`).
Replan = Callable[[int], Awaitable[None]]
