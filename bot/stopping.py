"""Running until Ctrl-C or SIGTERM, so that either starts the caller's clean shutdown (the bot's and the demo's)."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Coroutine
from typing import Any

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


async def run_until_stopped(work: Coroutine[Any, Any, None] | None = None) -> signal.Signals | None:
    """Run `work` until it ends, or nothing until Ctrl-C or SIGTERM; either way the caller then cleans up.

    Returns the signal that stopped it, or None when `work` ended by itself (its exception, if any, is raised).
    Without a handler, SIGTERM (systemd's stop) would end the process at once and skip the caller's clean-up.
    """
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    received: list[signal.Signals] = []
    handled: list[signal.Signals] = []

    def stopping(signum: signal.Signals) -> None:
        received.append(signum)
        stop.set()

    for signum in STOP_SIGNALS:
        # Not on Windows, nor off the main thread: there Ctrl-C still stops, as KeyboardInterrupt.
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(signum, stopping, signum)
            handled.append(signum)
    tasks: list[asyncio.Task[Any]] = [asyncio.create_task(stop.wait(), name="lantern-stop-signal")]
    if work is not None:
        tasks.append(asyncio.create_task(work, name="lantern-until-stopped"))
    try:
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        for task in done:
            task.result()
    finally:
        for task in tasks:
            if not task.done():
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        # A second Ctrl-C or SIGTERM during the caller's clean-up ends the process as it always did.
        for signum in handled:
            loop.remove_signal_handler(signum)
    return received[0] if received else None
