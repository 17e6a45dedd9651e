"""Benchmark: one DM fan-out to N members through the sandbox, against Discord's global rate limit.

Run: python -m bench.fanout [--members 10000] [--limit 50] [--uncached] [--without-model]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import signal
import sys
import tempfile
import time as clock
from collections import Counter
from pathlib import Path

from cryptography.fernet import Fernet

from bot.devtools.harness import build_demo_community, seed_dm_schedule_due_now
from discord_standin.server import Sandbox

ROOT = Path(__file__).resolve().parents[1]


RATE_TARGET = 0.95  # of the global limit (issue 10)
MEMORY_TARGET_MB = 150.0


def memory_mb(pid: int, field: str = "VmHWM") -> float:
    """VmHWM: the process's peak resident memory so far; VmRSS: its resident memory now."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def peak_memory_mb(pid: int) -> float:
    return memory_mb(pid, "VmHWM")


def busiest_window(stamps: list[float], seconds: float = 1.0) -> int:
    """The most requests that arrived within any `seconds` (the stand-in's global limit is a sliding window)."""
    ordered = sorted(stamps)
    busiest, first = 0, 0
    for last, at in enumerate(ordered):
        while at - ordered[first] >= seconds:
            first += 1
        busiest = max(busiest, last - first + 1)
    return busiest


async def run(members: int, limit: float, cached: bool, pace: float, without_model: bool = False) -> int:
    sandbox = Sandbox()
    sandbox.limiter.set_global(limit)
    await sandbox.start()
    names = tuple(f"m{i:05d}" for i in range(members))
    community = build_demo_community(sandbox, members=names)
    users = [community.people[n].user.id for n in names]
    workdir = Path(tempfile.mkdtemp(prefix="lantern-fanout-"))
    url = f"sqlite:///{workdir / 'bench.sqlite3'}"
    key = Fernet.generate_key().decode()
    channels = {u: sandbox.dm_channel(sandbox.world.users[u]).id if cached else None for u in users}
    await seed_dm_schedule_due_now(url, [key], community.guild.id, channels)
    # The stand-in keeps every request and message it sees; its cyclic garbage collections grow with them
    # (pauses of 50-160 ms measured at 10,000 members) and make requests arrive bunched. The stand-in's
    # own garbage collector is off for the run so that what is measured is Lantern's pacing.
    gc.collect()
    gc.freeze()
    gc.disable()
    # Lantern's own pace, as a fraction of the emulated limit: requests go out evenly at this rate, and the
    # pacer also holds those unanswered or answered within the last second under the limit itself, which is
    # what keeps bunched arrivals from meeting a 429 at the limit. The default pace, 1.0, is production's
    # (LANTERN_RATE_LIMIT 50).
    rate = min(50.0, round(limit * pace, 2))
    pythonpath = str(ROOT)
    if without_model:
        # A stand-in onnxruntime that cannot be imported: Lantern then reads with the rules alone, as it does
        # where onnxruntime is missing, and the figure shows what the model costs in memory.
        shim = workdir / "no-model"
        shim.mkdir()
        (shim / "onnxruntime.py").write_text('raise ImportError("turned off by bench.fanout --without-model")\n')
        pythonpath = f"{shim}{os.pathsep}{pythonpath}"
    env = {
        **os.environ,
        "PYTHONPATH": pythonpath,
        "DISCORD_TOKEN": sandbox.token,
        "DISCORD_API_BASE": sandbox.api_base,
        "DISCORD_GATEWAY_URL": sandbox.gateway_url,
        "DATABASE_URL": url,
        "LANTERN_SECRET_KEY": key,
        "LANTERN_RATE_LIMIT": str(rate),
        "LOG_LEVEL": "WARNING",
    }
    print(
        f"fan-out to {members} members, emulated global limit {limit}/s, Lantern's pace {rate}/s, "
        f"DM channels {'cached' if cached else 'not cached'}, crisis model {'off' if without_model else 'on'}",
        flush=True,
    )
    pauses: list[float] = []
    watcher = asyncio.create_task(_watch_loop(pauses))
    started = clock.monotonic()
    process = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", "run", cwd=ROOT, env=env)
    dm_channels = {sandbox.dm_channel(sandbox.world.users[u]).id: u for u in users} if cached else {}
    try:
        expected_seconds = members * (2 if not cached else 1) / rate
        deadline = started + expected_seconds * 1.5 + 60
        bot_id = sandbox.world.bot_user.id
        before_fan_out = float("nan")
        while clock.monotonic() < deadline:
            done = sum(1 for r in sandbox.requests if r.status == 200 and r.path.endswith("/messages"))
            if done >= members:
                break
            if done == 0:
                # Started, connected and loaded, nothing sent yet: what the bot holds before the fan-out.
                before_fan_out = memory_mb(process.pid, "VmRSS")
            await asyncio.sleep(1.0)
        await asyncio.sleep(2.0)  # anything late or doubled shows up now
        peak = peak_memory_mb(process.pid)
    finally:
        process.send_signal(signal.SIGTERM)
        await process.wait()
    del dm_channels
    watcher.cancel()
    bot_id = sandbox.world.bot_user.id
    per_member = Counter({u: _prompted(sandbox, u, bot_id) for u in users})
    sends = [r for r in sandbox.requests if r.method == "POST" and r.path.endswith("/messages")]
    opens = [r for r in sandbox.requests if r.method == "POST" and r.path == "/users/@me/channels"]
    fan_out = sends + opens
    first, last = min(r.at for r in fan_out), max(r.at for r in fan_out)
    achieved = (len(fan_out) - 1) / max(last - first, 1e-9)
    limited = sum(1 for r in sandbox.requests if r.status == 429)
    # Every request that counts against the global limit, as the stand-in saw them arrive.
    counted = [r.at for r in sandbox.requests if not r.path.startswith(("/interactions/", "/webhooks/"))]
    busiest = busiest_window(counted)
    duplicates = sum(count - 1 for count in per_member.values() if count > 1)
    misses = sum(1 for count in per_member.values() if count == 0)
    await sandbox.stop()
    rows = [
        ("requests per member", f"{len(fan_out) / members:.3f}", "1.0 once DM channels are cached"),
        ("achieved send rate", f"{achieved:.1f}/s = {achieved / limit:.3f} of the limit", f">= {RATE_TARGET}"),
        ("429 responses", str(limited), "0"),
        ("busiest 1 s window", f"{busiest} requests of the {int(limit)} allowed", ""),
        ("duplicates", str(duplicates), "0"),
        ("misses", str(misses), "0"),
        ("fan-out time", f"{last - first:.1f} s (first to last send)", ""),
        ("total time", f"{clock.monotonic() - started:.1f} s (bot start to check)", ""),
        ("bot memory before sending", f"{before_fan_out:.0f} MB (VmRSS once started, nothing sent yet)", ""),
        (
            "bot peak memory",
            f"{peak:.0f} MB (VmHWM of the bot process, crisis model {'off' if without_model else 'on'})",
            f"<= {MEMORY_TARGET_MB:.0f} MB",
        ),
        ("stand-in's longest pause", f"{max(pauses, default=0) * 1000:.0f} ms (its event loop, while sending)", ""),
    ]
    width = max(len(r[0]) for r in rows)
    for name, value, target in rows:
        print(f"{name:<{width}}  {value}" + (f"   [target {target}]" if target else ""))
    passed = (
        limited == 0
        and duplicates == 0
        and misses == 0
        and achieved / limit >= RATE_TARGET
        and peak <= MEMORY_TARGET_MB
        and (not cached or len(fan_out) == members)
    )
    print("PASS" if passed else "FAIL")
    return 0 if passed else 1


async def _watch_loop(pauses: list[float]) -> None:
    """How late the stand-in's own loop wakes up: a long pause makes requests arrive bunched."""
    while True:
        before = clock.monotonic()
        await asyncio.sleep(0.01)
        pause = clock.monotonic() - before - 0.01
        pauses.append(pause)
        if pause > 0.05:
            print(f"  (the stand-in paused {pause * 1000:.0f} ms)", flush=True)


def _prompted(sandbox: Sandbox, user_id: int, bot_id: int) -> int:
    channel_id = sandbox.world.dm_channel_by_user.get(user_id)
    if channel_id is None:
        return 0
    return sum(1 for m in sandbox.world.channel_messages(channel_id) if m.author.id == bot_id)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--limit", type=float, default=50.0, help="the sandbox's global limit, requests/s")
    parser.add_argument("--uncached", action="store_true", help="start with no DM channels known")
    parser.add_argument("--pace", type=float, default=1.0, help="Lantern's pace as a fraction of the limit")
    parser.add_argument("--without-model", action="store_true", help="the bot without its crisis model (rules alone)")
    args = parser.parse_args()
    raise SystemExit(asyncio.run(run(args.members, args.limit, not args.uncached, args.pace, args.without_model)))


if __name__ == "__main__":
    main()
