"""Benchmark: the morning rush, Lantern beside a do-nothing discord.py bot against the same sandbox.

N members submit the check-in form at once, in two waves; then N members ask for /history at once, in
two waves. The sandbox times each acknowledgement (interaction sent -> first callback received) and each
final reply; no answer within 3 s is a lost interaction, as on Discord.

Run: python -m bench.burst [--members 200]   |   python -m bench.burst --steady [--rate 20 --seconds 60]
With --goals every member has a personal goal, so each check-in's reply is followed by the goal's question
(one more message per check-in); the run then also counts those questions.
On PostgreSQL: add --postgres postgresql://USER@HOST:PORT/postgres (a fresh database is made on that server).
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
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet

from bench.pg import fresh_database
from bot.devtools.harness import build_demo_community
from bot.storage.database import Database
from bot.storage.models import Goal
from discord_standin.driver import Actor
from discord_standin.server import Sandbox
from discord_standin.state import Interaction

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_MEMBERS = 200
DEADLINE_S = 3.0  # Discord refuses an acknowledgement after this
HISTORY_FINAL_S = 5.0  # the target for /history's reply with its chart
FORM_VALUES: dict[str, Any] = {
    "How are you arriving today?": "4",
    "Any cravings right now?": "1",
    "HALT check": ["Tired"],
    "A private note (optional)": "a quiet morning, coffee first",
}

# Targets from issue 10.
TARGET_RATIO = 0.5
TARGET_P99_ACK_S = 1.0
TARGET_STEADY_P99_S = 0.050


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


@dataclass
class Wave:
    """One wave of interactions sent at once, and what the sandbox recorded of their answers."""

    name: str
    sent: list[Interaction]
    acks: list[float] = field(default_factory=list)
    finals: list[float] = field(default_factory=list)
    lost: int = 0
    late: int = 0  # final reply later than HISTORY_FINAL_S (or never)
    throughput: float = 0.0  # acknowledgements a second, first sent to last acknowledged
    completed: float = 0.0  # final replies a second, first sent to last final reply

    def measure(self, *, deferred: bool) -> None:
        if not self.sent:
            return
        first_sent = min(i.sent_at or 0.0 for i in self.sent)
        last_ack = last_done = first_sent
        for interaction in self.sent:
            assert interaction.sent_at is not None
            if interaction.responded_at is None:
                self.lost += 1
                continue
            self.acks.append(interaction.responded_at - interaction.sent_at)
            done = interaction.completed_at
            # A deferred answer is final once filled in; for a direct answer the two are the same.
            if done is not None:
                self.finals.append(done - interaction.sent_at)
            if deferred and (done is None or done - interaction.sent_at > HISTORY_FINAL_S):
                self.late += 1
            last_ack = max(last_ack, interaction.responded_at)
            last_done = max(last_done, done or interaction.responded_at)
        answered = sum(1 for i in self.sent if i.responded_at is not None)
        self.throughput = answered / max(last_ack - first_sent, 1e-9)
        self.completed = len(self.finals) / max(last_done - first_sent, 1e-9)


async def wait_all(interactions: list[Interaction], *, final: bool, timeout: float) -> None:
    """Poll (cheaper than one waiter per interaction on the sandbox's condition) until all are answered."""
    deadline = clock.monotonic() + timeout
    while clock.monotonic() < deadline:
        if final:
            pending = sum(1 for i in interactions if i.completed_at is None)
        else:
            pending = sum(1 for i in interactions if i.callback_type is None)
        if not pending:
            return
        await asyncio.sleep(0.01)


async def open_forms(actors: list[Actor]) -> list[tuple[Actor, dict[str, Any]]]:
    """Every member opens the form (all at once too; not what is measured); those whose form opened."""
    opened = [a.prepare_slash("checkin") for a in actors]
    for interaction in opened:
        await actors[0].dispatch(interaction)
    await wait_all(opened, final=False, timeout=DEADLINE_S + 2)
    return [
        (actor, interaction.callback_data)
        for actor, interaction in zip(actors, opened, strict=True)
        if interaction.callback_type == 9 and interaction.callback_data is not None
    ]


async def checkin_wave(name: str, actors: list[Actor]) -> Wave:
    forms = await open_forms(actors)
    submits = [actor.prepare_submit(modal, FORM_VALUES) for actor, modal in forms]
    for interaction in submits:
        await actors[0].dispatch(interaction)
    await wait_all(submits, final=True, timeout=DEADLINE_S + 2)
    wave = Wave(name, submits)
    # A member whose form never opened could not check in either.
    wave.lost += len(actors) - len(forms)
    wave.measure(deferred=False)
    return wave


async def history_wave(name: str, actors: list[Actor]) -> Wave:
    asks = [a.prepare_slash("history") for a in actors]
    for interaction in asks:
        await actors[0].dispatch(interaction)
    await wait_all(asks, final=True, timeout=HISTORY_FINAL_S * 2)
    wave = Wave(name, asks)
    wave.measure(deferred=True)
    return wave


async def steady(actors: list[Actor], rate: float, seconds: float) -> Wave:
    """`rate` members a second each open the form and submit it; the submissions' acknowledgements."""
    submits: list[Interaction] = []

    async def one(actor: Actor) -> None:
        opened = await actor.dispatch(actor.prepare_slash("checkin"))
        await wait_all([opened], final=False, timeout=DEADLINE_S + 1)
        if opened.callback_type != 9 or opened.callback_data is None:
            return
        submit = actor.prepare_submit(opened.callback_data, FORM_VALUES)
        submits.append(submit)
        await actor.dispatch(submit)
        await wait_all([submit], final=True, timeout=DEADLINE_S + 2)

    tasks = []
    start = clock.monotonic()
    total = int(rate * seconds)
    for n in range(total):
        delay = start + n / rate - clock.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(actors[n % len(actors)])))
    await asyncio.gather(*tasks)
    wave = Wave("steady", submits)
    wave.lost += total - len(submits)
    wave.measure(deferred=False)
    return wave


class Bot:
    """One bot under test, run as its own process (as in production)."""

    def __init__(
        self, name: str, sandbox: Sandbox, argv: list[str], env: dict[str, str], profile: Path | None = None
    ) -> None:
        self.profile = profile
        self.name = name
        self.sandbox = sandbox
        self.argv = argv
        self.env = env
        self.process: asyncio.subprocess.Process | None = None

    async def __aenter__(self) -> Bot:
        world = self.sandbox.world
        # Each bot registers its own commands; none of the other's may be left to answer for it.
        world.global_commands = []
        world.guild_commands.clear()
        self.sandbox.gateway.sessions.clear()
        env = {
            **os.environ,
            **self.env,
            "PYTHONPATH": str(ROOT),
            "DISCORD_TOKEN": self.sandbox.token,
            "DISCORD_API_BASE": self.sandbox.api_base,
            "DISCORD_GATEWAY_URL": self.sandbox.gateway_url,
        }
        argv = [sys.executable, *self.argv]
        if self.profile is not None:
            # py-spy samples the bot from outside (collapsed stacks, every thread) and writes on exit.
            argv = ["py-spy", "record", "--nonblocking", "--rate", "200", "--threads", "--format", "raw"]
            argv += ["-o", str(self.profile), "--", sys.executable, *self.argv]
        self.process = await asyncio.create_subprocess_exec(*argv, cwd=ROOT, env=env)
        deadline = clock.monotonic() + 60
        while self.sandbox.gateway.active is None or not any(c.get("name") == "checkin" for c in world.global_commands):
            if clock.monotonic() > deadline or self.process.returncode is not None:
                raise RuntimeError(f"{self.name} did not connect and register its commands")
            await asyncio.sleep(0.05)
        # Past READY, the guilds still arrive; interactions before that are dropped by the client.
        await asyncio.sleep(2.0)
        return self

    async def __aexit__(self, *_: object) -> None:
        if self.process is not None and self.process.returncode is None:
            # Under py-spy the bot is its child: stopping the bot lets py-spy write the profile and exit.
            for pid in _children(self.process.pid) if self.profile else []:
                os.kill(pid, signal.SIGTERM)
            if self.profile is None:
                self.process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.process.wait(), 15)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()


def _children(pid: int) -> list[int]:
    listing = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in listing.read_text().split()] if listing.exists() else []


async def warm_up(actors: list[Actor]) -> None:
    """A few members check in and ask for /history first, so that start-up costs are not measured."""
    for actor in actors[:3]:
        reply = await actor.slash("checkin", timeout=15)
        assert reply.modal is not None, reply.text
        await actor.submit(reply.modal, FORM_VALUES, timeout=15)
        await actor.slash("history", timeout=15)


def fmt_ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def report_waves(label: str, waves: list[Wave], *, deferred: bool) -> dict[str, float]:
    acks = [a for w in waves for a in w.acks]
    finals = [f for w in waves for f in w.finals]
    lost = sum(w.lost for w in waves)
    late = sum(w.late for w in waves)
    throughput = sum(w.throughput for w in waves) / len(waves)
    completed = sum(w.completed for w in waves) / len(waves)
    for w in waves:
        line = (
            f"  {label} {w.name}: {len(w.sent)} sent, acknowledged {w.throughput:5.0f}/s,"
            f" answered {w.completed:5.0f}/s,"
            f" ack p50 {fmt_ms(percentile(w.acks, 50))}"
            f" p99 {fmt_ms(percentile(w.acks, 99))}, lost {w.lost}"
        )
        if deferred or w.finals != w.acks:
            line += f", final p50 {fmt_ms(percentile(w.finals, 50))} p99 {fmt_ms(percentile(w.finals, 99))}"
            line += f", later than {HISTORY_FINAL_S:.0f} s {w.late}"
        print(line, flush=True)
    return {
        "throughput": throughput,
        "completed": completed,
        "ack_p50": percentile(acks, 50),
        "ack_p99": percentile(acks, 99),
        "final_p50": percentile(finals, 50),
        "final_p99": percentile(finals, 99),
        "lost": lost,
        "late": late,
    }


async def prepare_lantern_db(
    url: str, key: str, guild_id: int, channel_id: int, goal_members: list[int] | None = None
) -> None:
    """The community as after /setup: a check-in channel and a timezone (how a real one starts the day); with
    `goal_members`, each of them has set a personal goal."""
    db = await Database.open(url, [key])
    try:
        now = datetime.now(UTC)
        await db.communities.configure(guild_id, timezone="UTC", checkin_channel_id=channel_id, setup_at=now)
        for user_id in goal_members or []:
            await db.goals.set(guild_id, user_id, Goal("no more than two days a week", "days", 2), now)
    finally:
        await db.close()


async def count_saved(url: str, key: str, guild_id: int, users: list[int]) -> int:
    db = await Database.open(url, [key])
    try:
        saved = 0
        for user_id in users:
            saved += len(await db.checkins.recent(guild_id, user_id, limit=1))
        return saved
    finally:
        await db.close()


async def run(
    members: int,
    steady_mode: bool,
    rate: float,
    seconds: float,
    profile: Path | None,
    part: str = "both",
    goals: bool = False,
    postgres: str | None = None,
) -> int:
    sandbox = Sandbox()
    await sandbox.start()
    names = tuple(f"m{i:05d}" for i in range(members + 3))
    community = build_demo_community(sandbox, members=names)
    actors = [community.people[n] for n in names]
    warm, crowd = actors[:3], actors[3:]
    workdir = Path(tempfile.mkdtemp(prefix="lantern-burst-"))
    url = await fresh_database(postgres) if postgres else f"sqlite:///{workdir / 'bench.sqlite3'}"
    key = Fernet.generate_key().decode()
    goal_members = [a.user.id for a in actors] if goals else None
    await prepare_lantern_db(url, key, community.guild.id, community.checkin_channel.id, goal_members)
    asked: list[int] = []
    # As in bench.fanout: the stand-in keeps every request and message, and its garbage collections
    # would otherwise pause it (and so delay acknowledgements it times) as they grow.
    gc.collect()
    gc.freeze()
    gc.disable()
    bots = [
        Bot("reference", sandbox, ["-m", "bench.reference_bot"], {}),
        Bot(
            "lantern",
            sandbox,
            ["-m", "bot", "run"],
            {"DATABASE_URL": url, "LANTERN_SECRET_KEY": key, "LOG_LEVEL": "WARNING"},
            profile,
        ),
    ]
    results: dict[str, dict[str, dict[str, float]]] = {}
    mode = f"steady {rate:g}/s for {seconds:g} s" if steady_mode else f"{members} members at once, two waves"
    database = "PostgreSQL" if postgres else "SQLite"
    print(f"bench.burst: {mode}; Lantern on {database}; the sandbox times each answer", flush=True)
    try:
        for bot in bots:
            async with bot:
                await warm_up(warm)
                print(f"{bot.name}:", flush=True)
                if steady_mode:
                    wave = await steady(crowd, rate, seconds)
                    results[bot.name] = {"steady": report_waves("check-in", [wave], deferred=False)}
                    continue
                results[bot.name] = {}
                if part in ("both", "checkin"):
                    checkin_waves = [await checkin_wave(f"wave {n}", crowd) for n in (1, 2)]
                    results[bot.name]["checkin"] = report_waves("check-in", checkin_waves, deferred=False)
                    if goals and bot.name == "lantern":
                        asked.append(await goal_questions(checkin_waves))
                    await asyncio.sleep(0.5)
                if part in ("both", "history"):
                    history_waves = [await history_wave(f"wave {n}", crowd) for n in (1, 2)]
                    results[bot.name]["history"] = report_waves("/history", history_waves, deferred=True)
    finally:
        await sandbox.stop()
    saved = await count_saved(url, key, community.guild.id, [a.user.id for a in crowd])
    print(f"Lantern's database afterwards: {saved} of {len(crowd)} members' check-ins stored", flush=True)
    code = verdict(results, steady_mode, members, saved == len(crowd))
    if asked:
        expected = 2 * len(crowd)
        ok = asked[0] == expected
        print(f"goal questions after the form  {asked[0]} of {expected}   [target all: {'PASS' if ok else 'FAIL'}]")
        code = code or (0 if ok else 1)
    return code


async def goal_questions(waves: list[Wave], timeout: float = DEADLINE_S + 5) -> int:
    """How many check-ins were followed by the goal's question (a follow-up message), once they have come."""
    sent = [i for wave in waves for i in wave.sent]
    deadline = clock.monotonic() + timeout
    while clock.monotonic() < deadline:
        if all(i.followup_ids for i in sent):
            break
        await asyncio.sleep(0.05)
    return sum(1 for i in sent if i.followup_ids)


def verdict(results: dict[str, dict[str, dict[str, float]]], steady_mode: bool, members: int, all_saved: bool) -> int:
    lantern, reference = results["lantern"], results["reference"]
    rows: list[tuple[str, str, str, bool]] = []
    if steady_mode:
        s = lantern["steady"]
        rows.append(("steady ack p99", fmt_ms(s["ack_p99"]), f"<= {fmt_ms(TARGET_STEADY_P99_S)}", s["ack_p99"] <= 0.05))
        rows.append(("steady ack p50", fmt_ms(s["ack_p50"]), "", True))
        rows.append(("steady final reply p50/p99", f"{fmt_ms(s['final_p50'])} / {fmt_ms(s['final_p99'])}", "", True))
        rows.append(("steady lost", str(int(s["lost"])), "0", s["lost"] == 0))
        rows.append(("reference steady ack p99", fmt_ms(reference["steady"]["ack_p99"]), "", True))
    if "checkin" in lantern:
        c, rc = lantern["checkin"], reference["checkin"]
        ratio = c["throughput"] / rc["throughput"]
        rows.append(
            ("check-ins acknowledged", f"{c['throughput']:.0f}/s vs reference {rc['throughput']:.0f}/s", "", True)
        )
        # The ratio and p99 targets are for waves of 200; at other sizes only "nothing lost" is one.
        sized = members == DEFAULT_MEMBERS
        target = f">= {TARGET_RATIO}" if sized else ""
        rows.append(("acknowledged, ratio", f"{ratio:.3f}", target, ratio >= TARGET_RATIO or not sized))
        # Lantern defers the form and fills the answer in once saved; the reference answers at once. The
        # issue's target is on acknowledgements; the rate of final answers is shown beside it, not hidden.
        answered = c["completed"] / rc["completed"]
        rows.append(("check-ins answered in full", f"{c['completed']:.0f}/s, ratio {answered:.3f}", "", True))
        p99_ok = c["ack_p99"] <= TARGET_P99_ACK_S
        rows.append(("check-in ack p50", f"{fmt_ms(c['ack_p50'])} (reference {fmt_ms(rc['ack_p50'])})", "", True))
        p99 = f"{fmt_ms(c['ack_p99'])} (reference {fmt_ms(rc['ack_p99'])})"
        rows.append(("check-in ack p99", p99, "<= 1 s" if sized else "", p99_ok or not sized))
        rows.append(("check-ins lost (> 3 s)", str(int(c["lost"])), "0", c["lost"] == 0))
        finals = f"{fmt_ms(c['final_p50'])} / {fmt_ms(c['final_p99'])} (reference {fmt_ms(rc['final_p99'])} p99)"
        rows.append(("check-in final reply p50/p99", finals, "", True))
        rows.append(("check-ins stored", "all" if all_saved else "NOT ALL", "all", all_saved))
    if "history" in lantern:
        h, rh = lantern["history"], reference["history"]
        rows.append(("/history ack p50/p99", f"{fmt_ms(h['ack_p50'])} / {fmt_ms(h['ack_p99'])}", "", True))
        rows.append(
            (
                "/history final p50/p99",
                f"{fmt_ms(h['final_p50'])} / {fmt_ms(h['final_p99'])} (reference {fmt_ms(rh['final_p99'])} p99)",
                "",
                True,
            )
        )
        rows.append(("/history lost (> 3 s)", str(int(h["lost"])), "0", h["lost"] == 0))
        rows.append(("/history later than 5 s", str(int(h["late"])), "0", h["late"] == 0))
    width = max(len(r[0]) for r in rows)
    for name, value, target, ok in rows:
        mark = f"   [target {target}: {'PASS' if ok else 'FAIL'}]" if target else ""
        print(f"{name:<{width}}  {value}{mark}")
    passed = all(ok for *_, ok in rows)
    print("PASS" if passed else "FAIL")
    return 0 if passed else 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=DEFAULT_MEMBERS, help="members acting at once in each wave")
    parser.add_argument("--steady", action="store_true", help="steady load instead of bursts")
    parser.add_argument("--rate", type=float, default=20.0, help="check-ins per second in --steady mode")
    parser.add_argument("--seconds", type=float, default=60.0, help="how long --steady runs")
    parser.add_argument("--profile", type=Path, help="record Lantern with py-spy into this file (collapsed stacks)")
    parser.add_argument("--part", choices=("both", "checkin", "history"), default="both", help="which bursts to run")
    parser.add_argument("--goals", action="store_true", help="every member has a goal: its question follows the form")
    parser.add_argument(
        "--postgres",
        metavar="URL",
        help="run Lantern on a fresh database on this PostgreSQL server (postgresql://USER@HOST:PORT/postgres)",
    )
    args = parser.parse_args()
    raise SystemExit(
        asyncio.run(
            run(
                args.members,
                args.steady,
                args.rate,
                args.seconds,
                args.profile,
                args.part,
                goals=args.goals,
                postgres=args.postgres,
            )
        )
    )


if __name__ == "__main__":
    main()
