"""Benchmark: /history and /export for a member with three years of daily check-ins.

Run: python -m bench.history [--days 1095] [--runs 20]
Prints the time of one /history as the bot does it (the read through the check-in service, the chart drawn
in a worker process with an empty cache, the summary and the message text) against the 60 ms target, then
the parts drawn in this process (query, decryption, chart), a repeat served from the chart cache, and /export.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from cryptography.fernet import Fernet
from sqlalchemy import select

from bot.services.charts import ChartRenderer, DayPoint, render_history_chart, summary_text
from bot.services.checkins import CheckinService, history_text
from bot.services.data_rights import DataRightsService
from bot.storage.database import Database
from bot.storage.models import CheckinContent
from bot.storage.tables import checkins

COMMUNITY, MEMBER = 1, 42
TARGET_SECONDS = 0.06  # issue 10: a single /history of three years


def content_for(day: int) -> CheckinContent:
    mood = 1 + (day * 7 // 3) % 5
    halt = frozenset(k for i, k in enumerate(("hungry", "angry", "lonely", "tired")) if (day >> i) & 1)
    note = f"Day {day}: slept so-so, went to a meeting, talked to my sister. " * (1 + day % 3)
    return CheckinContent(mood=mood, cravings=day % 5, halt=halt, note=note[:1000])


async def seed(db: Database, days: int, end: date) -> None:
    now = datetime.now(UTC)
    for offset in range(days):
        if offset % 11 == 5:
            continue  # some days without a check-in: gaps, as in real life
        day = end - timedelta(days=offset)
        await db.checkins.save_for_day(COMMUNITY, MEMBER, day, content_for(offset), now)


def median_ms(samples: list[float]) -> str:
    return f"{statistics.median(samples) * 1000:.1f} ms"


def spread_ms(samples: list[float]) -> str:
    return f"{statistics.median(samples) * 1000:.1f} ms (min {min(samples) * 1000:.1f}, max {max(samples) * 1000:.1f})"


async def as_the_bot_does(service: CheckinService, renderer: ChartRenderer, days: int) -> tuple[bytes, str]:
    """What the /history command does between its deferral and its reply (bot/cogs/checkin.py)."""
    history = await service.history(COMMUNITY, MEMBER, days)
    text = history_text(history)
    points = [DayPoint(c.local_date, c.content.mood, c.content.cravings) for c in history.checkins]
    chart = await renderer.render(points, history.start, history.end)
    return chart, f"{text}\n-# Chart: {summary_text(points, history.start, history.end)}"


async def run(days: int, runs: int) -> int:
    workdir = Path(tempfile.mkdtemp(prefix="lantern-history-"))
    db = await Database.open(f"sqlite:///{workdir / 'bench.sqlite3'}", [Fernet.generate_key().decode()])
    end = date(2026, 11, 28)
    start = end - timedelta(days=days - 1)
    await seed(db, days, end)
    query, decrypt, chart, total, export = [], [], [], [], []
    rights = DataRightsService(db, lambda: datetime.now(UTC))
    stmt = select(checkins).where(
        checkins.c.community_id == COMMUNITY, checkins.c.user_id == MEMBER, checkins.c.local_date >= start
    )
    # The bot's clock on the last seeded day, so the member's "last 1095 days" are the seeded ones.
    service = CheckinService(db, lambda: datetime.combine(end, datetime.min.time(), UTC) + timedelta(hours=12))
    renderer = ChartRenderer(workers=1)
    renderer.start()
    await as_the_bot_does(service, renderer, days)  # waits for the worker's start and warm-up chart
    bot_path, cached = [], []
    for _ in range(runs):
        renderer._cache.clear()  # a single /history: nothing drawn for this member before
        began = time.perf_counter()
        await as_the_bot_does(service, renderer, days)
        bot_path.append(time.perf_counter() - began)
        began = time.perf_counter()
        await as_the_bot_does(service, renderer, days)
        cached.append(time.perf_counter() - began)
    renderer.shutdown()
    for _ in range(runs):
        began = time.perf_counter()
        async with db.engine.connect() as conn:
            rows = (await conn.execute(stmt)).all()
        queried = time.perf_counter()
        points = [DayPoint(r.local_date, *_mood_cravings(db, r.content)) for r in rows]
        decrypted = time.perf_counter()
        png = render_history_chart(points, start, end)
        summary_text(points, start, end)
        drawn = time.perf_counter()
        query.append(queried - began)
        decrypt.append(decrypted - queried)
        chart.append(drawn - decrypted)
        total.append(drawn - began)
        began = time.perf_counter()
        files = await rights.export(COMMUNITY, MEMBER)
        export.append(time.perf_counter() - began)
    await db.close()
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"/history for {len(rows)} check-ins over {days} days ({runs} runs; load average {load})")
    print(f"  as the bot does it  {spread_ms(bot_path)}   [target {TARGET_SECONDS * 1000:.0f} ms or less]")
    print("    read, decryption, chart in a worker process (cache empty), summary and text")
    print(f"  again, chart cached {spread_ms(cached)}")
    print("  in this process:")
    print(f"    query       {median_ms(query)}")
    print(f"    decryption  {median_ms(decrypt)}")
    print(f"    chart       {median_ms(chart)} ({len(png) // 1024} KB PNG)")
    print(f"    total       {median_ms(total)}")
    print(f"/export       {median_ms(export)} (JSON {len(files.json) // 1024} KB, CSV {len(files.csv) // 1024} KB)")
    passed = statistics.median(bot_path) <= TARGET_SECONDS
    print("PASS" if passed else "FAIL")
    return 0 if passed else 1


def _mood_cravings(db: Database, token: bytes) -> tuple[int | None, int | None]:
    content = db.cipher.decrypt(token)
    return content.mood, content.cravings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=3 * 365)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    raise SystemExit(asyncio.run(run(args.days, args.runs)))


if __name__ == "__main__":
    main()
