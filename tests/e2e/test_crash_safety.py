"""Crash safety: Lantern as a real process, killed with SIGKILL mid fan-out and restarted, sends each prompt once."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from bot.devtools.harness import build_demo_community, seed_dm_schedule_due_now
from discord_standin.driver import Actor
from discord_standin.server import Sandbox

ROOT = Path(__file__).resolve().parents[2]
MEMBERS = 40
KILL_POINTS = (3, 14, 27)


def prompts(sandbox: Sandbox, member: Actor) -> int:
    return sum(1 for m in member.dms() if "How are you arriving" in m.content)


def start_bot(sandbox: Sandbox, database_url: str, key: str, log: Path, **settings: str) -> subprocess.Popen[bytes]:
    """`python -m bot run` against the stand-in, with these settings (by variable name) over the defaults."""
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DISCORD_TOKEN": sandbox.token,
        "DISCORD_API_BASE": sandbox.api_base,
        "DISCORD_GATEWAY_URL": sandbox.gateway_url,
        "DATABASE_URL": database_url,
        "LANTERN_SECRET_KEY": key,
        "LANTERN_RATE_LIMIT": "10",
        "LOG_LEVEL": "INFO",
        **settings,
    }
    with log.open("ab") as out:
        return subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=ROOT, env=env, stdout=out, stderr=out)


async def test_sigkill_mid_fanout_then_restart_sends_each_prompt_exactly_once(
    tmp_path: Path, database_url: str, secret_key: str, spec_check: Callable[[Sandbox], None]
) -> None:
    sandbox = Sandbox()
    # Slower than the bot's own pace would allow at full speed, so that the fan-out takes seconds.
    sandbox.limiter.set_global(12)
    await sandbox.start()
    community = build_demo_community(sandbox, members=tuple(f"member{i:02d}" for i in range(MEMBERS)))
    members = [a for name, a in community.people.items() if name != "lee"]
    await seed_dm_schedule_due_now(database_url, [secret_key], community.guild.id, {m.user.id: None for m in members})
    log = tmp_path / "bot.log"

    def delivered() -> int:
        return sum(1 for m in members if prompts(sandbox, m) >= 1)

    try:
        for kill_at in KILL_POINTS:
            process = start_bot(sandbox, database_url, secret_key, log)
            try:
                await sandbox.wait_until(lambda at=kill_at: delivered() >= at, timeout=60)
            finally:
                process.send_signal(signal.SIGKILL)
                await asyncio.to_thread(process.wait)
            assert delivered() < MEMBERS, "the fan-out should still have been under way when killed"
        process = start_bot(sandbox, database_url, secret_key, log)
        try:
            await sandbox.wait_until(lambda: delivered() == MEMBERS, timeout=90)
            await asyncio.sleep(1.5)  # time for any duplicate to show up
        finally:
            process.send_signal(signal.SIGTERM)
            await asyncio.to_thread(process.wait)
        counts = [prompts(sandbox, m) for m in members]
        assert counts == [1] * MEMBERS, log.read_text()[-3000:]
        spec_check(sandbox)
        # Sends after each restart carried the same nonce as before the kill.
        posts = [r for r in sandbox.requests if r.method == "POST" and r.path.endswith("/messages") and r.body]
        nonces = [r.body.get("nonce") for r in posts]
        assert all(nonces) and len(set(nonces)) == MEMBERS
        # Some sends were retried after a kill (the ledger still said pending); the nonce made them no-ops.
        assert len(posts) > MEMBERS
        assert all(r.body.get("enforce_nonce") is True for r in posts)
    finally:
        await sandbox.stop()
