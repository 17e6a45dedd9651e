"""Where the demo's commands come from (the keyboard or a script), and stopping cleanly on Ctrl-C or SIGTERM."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
import threading
from collections.abc import AsyncIterator, Coroutine
from typing import Any


async def keyboard_lines() -> AsyncIterator[str]:
    """Lines typed at the terminal, until Ctrl-D.

    Read on a daemon thread rather than the loop's executor: a thread blocked in readline must not keep the
    process alive after Ctrl-C or SIGTERM has stopped the demo.
    """
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[str | None] = asyncio.Queue()

    def hand_over(line: str | None) -> bool:
        try:
            loop.call_soon_threadsafe(queue.put_nowait, line)
        except RuntimeError:  # the demo has ended and its loop is closed
            return False
        return line is not None

    def read() -> None:
        while hand_over(sys.stdin.readline() or None):
            pass

    threading.Thread(target=read, name="demo-keyboard", daemon=True).start()
    while (line := await queue.get()) is not None:
        yield line


async def script_lines(text: str) -> AsyncIterator[str]:
    for line in text.splitlines():
        yield line


async def run_until_stopped(work: Coroutine[Any, Any, None] | None = None) -> None:
    """Run `work` until it ends, or nothing until Ctrl-C or SIGTERM; either way the caller then cleans up."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    handled: list[signal.Signals] = []
    for signum in (signal.SIGINT, signal.SIGTERM):
        # Not on Windows, nor off the main thread: there Ctrl-C still ends the demo, as KeyboardInterrupt.
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(signum, stop.set)
            handled.append(signum)
    tasks: list[asyncio.Task[Any]] = [asyncio.create_task(stop.wait(), name="demo-stop")]
    if work is not None:
        tasks.append(asyncio.create_task(work, name="demo-terminal"))
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
        for signum in handled:
            loop.remove_signal_handler(signum)
