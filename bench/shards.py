"""Benchmark: two Lantern processes, one database, a DM fan-out to 10,000 members in two servers on two shards.

Each process runs one shard (`python -m bot run --shards N --shard-count 2`) and paces at its share of the
bot's budget; both fan out at once against the stand-in's global limit. Printed: the total send rate against
the limit (first to last send, and the busiest second), 429s, duplicates, misses, PASS/FAIL. Then the check-in
burst of bench.burst is run on PostgreSQL.

Run: python -m bench.shards [--members 10000] [--limit 50] [--postgres URL] [--skip-burst]
The database is a fresh one on --postgres, else on $LANTERN_TEST_POSTGRES_URL, else a SQLite file (and then the
burst on PostgreSQL cannot run: it says so and the run fails).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import subprocess
import sys
import tempfile
import time as clock
from collections import Counter
from pathlib import Path

from cryptography.fernet import Fernet

from bench.fanout import _watch_loop
from bench.pg import fresh_database, server_from
from bench.processes import ROOT, LanternProcess, communities_on_shards
from bot.devtools.harness import Community, seed_dm_schedule_due_now
from discord_standin.server import RecordedRequest, Sandbox

SHARDS = 2


def busiest_second(times: list[float]) -> int:
    """The most requests that started within any one second (a sliding window over the sorted times)."""
    ordered, most, start = sorted(times), 0, 0
    for end, at in enumerate(ordered):
        while at - ordered[start] >= 1.0:
            start += 1
        most = max(most, end - start + 1)
    return most


def fan_out_requests(sandbox: Sandbox) -> list[RecordedRequest]:
    return [
        r
        for r in sandbox.requests
        if r.method == "POST" and (r.path.endswith("/messages") or r.path == "/users/@me/channels")
    ]


async def fan_out(members: int, limit: float, pace: float, database_url: str, workdir: Path) -> bool:
    sandbox = Sandbox()
    sandbox.limiter.set_global(limit)
    await sandbox.start()
    per_server = members // SHARDS
    by_shard = communities_on_shards(sandbox, SHARDS, per_shard=1, members=per_server)
    servers: list[Community] = [by_shard[shard][0] for shard in range(SHARDS)]
    key = Fernet.generate_key().decode()
    users_of: dict[int, list[int]] = {}
    for community in servers:
        users = [a.user.id for name, a in community.people.items() if name != "lee"]
        users_of[community.guild.id] = users
        # DM channels known beforehand, as after the first day: one request per member (bench.fanout's default).
        channels = {u: sandbox.dm_channel(sandbox.world.users[u]).id for u in users}
        await seed_dm_schedule_due_now(database_url, [key], community.guild.id, channels)
    # As in bench.fanout: the stand-in's own garbage collector is off so that what is measured is the pacing.
    gc.collect()
    gc.freeze()
    gc.disable()
    rate = min(50.0, round(limit * pace, 2))
    print(
        f"fan-out to {per_server * SHARDS} members in {SHARDS} servers on shards "
        f"{', '.join(str(s) for s in range(SHARDS))} of {SHARDS}, one process per shard; emulated global limit "
        f"{limit:g}/s; LANTERN_RATE_LIMIT {rate:g}/s, so each process paces at {rate / SHARDS:g}/s",
        flush=True,
    )
    processes = [
        LanternProcess(
            sandbox,
            database_url,
            [key],
            workdir / f"shard{shard}.log",
            shards=str(shard),
            shard_count=SHARDS,
            rate_limit=rate,
            log_level="WARNING",
        )
        for shard in range(SHARDS)
    ]
    pauses: list[float] = []
    watcher = asyncio.create_task(_watch_loop(pauses))
    started = clock.monotonic()
    try:
        for process in processes:
            process.start()
        deadline = started + members / rate * 1.5 + 90
        while clock.monotonic() < deadline:
            done = sum(1 for r in sandbox.requests if r.status == 200 and r.path.endswith("/messages"))
            if done >= per_server * SHARDS or not all(p.running() for p in processes):
                break
            await asyncio.sleep(1.0)
        await asyncio.sleep(3.0)  # anything late or doubled shows up now
    finally:
        for process in processes:
            await process.stop()
        watcher.cancel()
    bot_id = sandbox.world.bot_user.id
    per_member: Counter[int] = Counter()
    for users in users_of.values():
        for user in users:
            channel = sandbox.world.dm_channel_by_user.get(user)
            count = 0
            if channel is not None:
                count = sum(1 for m in sandbox.world.channel_messages(channel) if m.author.id == bot_id)
            per_member[user] = count
    requests = fan_out_requests(sandbox)
    times = [r.at for r in requests]
    first, last = min(times, default=0.0), max(times, default=0.0)
    achieved = (len(times) - 1) / max(last - first, 1e-9)
    busiest = busiest_second(times)
    limited = sum(1 for r in sandbox.requests if r.status == 429)
    duplicates = sum(count - 1 for count in per_member.values() if count > 1)
    misses = sum(1 for count in per_member.values() if count == 0)
    # How much of the run both processes were sending at once (the case the shared budget is for).
    channel_server = {
        f"/channels/{sandbox.world.dm_channel_by_user[u]}/messages": guild
        for guild, users in users_of.items()
        for u in users
        if u in sandbox.world.dm_channel_by_user
    }
    spans = {}
    for guild in users_of:
        own = [r.at for r in requests if channel_server.get(r.path) == guild]
        spans[guild] = (min(own, default=0.0), max(own, default=0.0), len(own))
    both_from, both_to = max(s[0] for s in spans.values()), min(s[1] for s in spans.values())
    overlap = max(0.0, both_to - both_from)
    in_overlap = sum(1 for at in times if both_from <= at <= both_to)
    overlap_rate = in_overlap / overlap if overlap > 0 else 0.0
    await sandbox.stop()
    rows = [
        ("requests per member", f"{len(times) / max(1, per_server * SHARDS):.3f}", "1.0 (DM channels cached)"),
        ("total send rate", f"{achieved:.1f}/s = {achieved / limit:.3f} of the limit", ">= 0.9 of the limit"),
        ("busiest one-second window", f"{busiest} requests", f"<= {limit:g}"),
        ("429 responses", str(limited), "0"),
        ("duplicates", str(duplicates), "0"),
        ("misses", str(misses), "0"),
        ("both processes sending at once", f"{overlap:.1f} s of {last - first:.1f} s", ""),
        ("send rate while both send", f"{overlap_rate:.1f}/s = {overlap_rate / limit:.3f} of the limit", ""),
    ]
    for shard, community in enumerate(servers):
        low, high, count = spans[community.guild.id]
        rate_here = (count - 1) / max(high - low, 1e-9)
        rows.append((f"shard {shard}'s process", f"{count} sends at {rate_here:.1f}/s over {high - low:.1f} s", ""))
    rows.append(("total time", f"{clock.monotonic() - started:.1f} s (processes started to check)", ""))
    # A stalled stand-in receives requests bunched: what it counts in a second is then not what was sent in it.
    longest = max(pauses, default=0.0) * 1000
    rows.append(("stand-in's longest pause", f"{longest:.0f} ms (its event loop, while the processes sent)", ""))
    width = max(len(r[0]) for r in rows)
    for name, value, target in rows:
        print(f"{name:<{width}}  {value}" + (f"   [target {target}]" if target else ""))
    passed = (
        limited == 0
        and duplicates == 0
        and misses == 0
        and busiest <= limit
        and achieved / limit >= 0.9
        and len(times) == per_server * SHARDS
    )
    print(f"fan-out: {'PASS' if passed else 'FAIL'}", flush=True)
    if not passed:
        for process in processes:
            print(f"--- {process.log.name} (last lines)\n{process.log.read_text(errors='replace')[-1500:]}")
    return passed


def burst_on_postgres(server: str | None, members: int) -> bool:
    if server is None:
        print("check-in burst on PostgreSQL: NOT RUN (no server: pass --postgres or set LANTERN_TEST_POSTGRES_URL)")
        return False
    print("check-in burst (bench.burst) with Lantern on PostgreSQL:", flush=True)
    command = [
        sys.executable,
        "-m",
        "bench.burst",
        "--part",
        "checkin",
        "--members",
        str(members),
        "--postgres",
        server,
    ]
    result = subprocess.run(command, cwd=ROOT, check=False)
    print(f"check-in burst on PostgreSQL: {'PASS' if result.returncode == 0 else 'FAIL'}", flush=True)
    return result.returncode == 0


async def main_async(args: argparse.Namespace) -> int:
    server = server_from(args.postgres)
    workdir = Path(tempfile.mkdtemp(prefix="lantern-shards-"))
    if server is not None:
        database_url = await fresh_database(server)
        print("one database for both processes: PostgreSQL (a fresh database on the given server)", flush=True)
    else:
        database_url = f"sqlite:///{workdir / 'bench.sqlite3'}"
        print("one database for both processes: SQLite (no PostgreSQL server given)", flush=True)
    fan_out_passed = await fan_out(args.members, args.limit, args.pace, database_url, workdir)
    burst_passed = True if args.skip_burst else burst_on_postgres(server, args.burst_members)
    passed = fan_out_passed and burst_passed
    print("PASS" if passed else "FAIL")
    return 0 if passed else 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=10_000, help="members in all, split over the two servers")
    parser.add_argument("--limit", type=float, default=50.0, help="the stand-in's global limit, requests/s")
    parser.add_argument("--pace", type=float, default=1.0, help="LANTERN_RATE_LIMIT as a fraction of the limit")
    parser.add_argument("--postgres", metavar="URL", help="PostgreSQL server for a fresh database (postgresql://...)")
    parser.add_argument("--burst-members", type=int, default=200, help="members in each wave of the check-in burst")
    parser.add_argument("--skip-burst", action="store_true", help="only the two-process fan-out")
    raise SystemExit(asyncio.run(main_async(parser.parse_args())))


if __name__ == "__main__":
    main()
