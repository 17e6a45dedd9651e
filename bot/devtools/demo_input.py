"""Where the demo's commands come from: the keyboard or a script (bot.stopping ends it on Ctrl-C or SIGTERM)."""

from __future__ import annotations

import asyncio
import sys
import threading
from collections.abc import AsyncIterator


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
