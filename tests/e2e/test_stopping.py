"""`python -m bot run` as systemd stops it: SIGTERM (or Ctrl-C) finishes what a member is waiting for, then exits 0."""

from __future__ import annotations

import asyncio
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import aiohttp
import pytest

from bot.devtools.harness import build_demo_community
from discord_standin.driver import Reply
from discord_standin.server import Sandbox
from tests.e2e.test_crash_safety import start_bot

STOP_TIMEOUT = 30.0

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="signals and /proc")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def children_of(pid: int) -> set[int]:
    """Processes whose parent is `pid` (the chart workers), from /proc."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name is in parentheses and may hold spaces: the parent's id follows the state after it.
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.add(int(entry.name))
    return found


def chart_workers(children: set[int]) -> set[int]:
    """The children that are pool workers (not multiprocessing's resource tracker)."""
    return {pid for pid in children if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()}


def wait_for(predicate: Callable[[], bool], timeout: float) -> bool:
    """Poll `predicate` (on a thread, so the stand-in keeps serving) until true or `timeout` seconds pass."""
    deadline = time.monotonic() + timeout
    while not (done := predicate()) and time.monotonic() < deadline:
        time.sleep(0.02)
    return done


def alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return not any(line.startswith("State:") and "Z" in line.split()[1] for line in status.splitlines())


async def wait_healthy(port: int, process: subprocess.Popen[bytes], log: Path, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    async with aiohttp.ClientSession() as http:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                break
            try:
                async with http.get(f"http://127.0.0.1:{port}/healthz") as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.2)
    output = await asyncio.to_thread(log.read_text)
    raise AssertionError(f"Lantern was not healthy within {timeout:.0f}s:\n{output[-3000:]}")


@pytest.mark.parametrize("stop_with", [signal.SIGTERM, signal.SIGINT])
async def test_a_stopped_bot_answers_the_member_it_was_answering_then_exits_cleanly(
    tmp_path: Path,
    database_url: str,
    secret_key: str,
    spec_check: Callable[[Sandbox], None],
    stop_with: signal.Signals,
) -> None:
    sandbox = Sandbox()
    await sandbox.start()
    community = build_demo_community(sandbox)
    alice = community.people["alice"]
    log = tmp_path / "bot.log"
    ops_port = free_port()
    process = start_bot(sandbox, database_url, secret_key, log, LANTERN_OPS_PORT=str(ops_port))
    try:
        await wait_healthy(ops_port, process, log)
        children = await asyncio.to_thread(children_of, process.pid)
        workers = await asyncio.to_thread(chart_workers, children)
        assert workers, "the chart workers start with the bot"
        # Discord is slow to take the answer: the stop arrives while Alice's /tip is still being answered.
        sandbox.inject("POST", "/interactions/*/callback", 0, delay=1.5)
        interaction = await alice.dispatch(alice.prepare_slash("tip"))
        await asyncio.to_thread(wait_for, lambda: any(r.path.endswith("/callback") for r in sandbox.requests), 10)
        assert interaction.callback_type is None, "the answer should still be on its way when the stop comes"
        process.send_signal(stop_with)
        code = await asyncio.wait_for(asyncio.to_thread(process.wait), STOP_TIMEOUT)
        reply = Reply(sandbox, interaction)
        assert reply.type is not None and reply.text, "Alice's /tip went unanswered"
    finally:
        if process.poll() is None:
            process.kill()
            await asyncio.to_thread(process.wait)
        await sandbox.stop()
    output = log.read_text()
    assert code == 0, output[-3000:]
    assert f"Stopping: {stop_with.name} received" in output
    assert "Traceback" not in output, output[-3000:]
    assert secret_key not in output and sandbox.token not in output
    # The chart workers ended with the bot's own clean-up, not a second later by noticing it gone.
    assert not [pid for pid in workers if alive(pid)], "a chart worker outlived the bot"
    # multiprocessing's resource tracker ends when it sees the bot's end of its pipe close, just after.
    assert await asyncio.to_thread(wait_for, lambda: not any(alive(pid) for pid in children), 5), (
        "a child process outlived the bot"
    )
    spec_check(sandbox)
