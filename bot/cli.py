"""Lantern's command line: `python -m bot run|sandbox|migrate|keygen|rotate-key|sync-commands|backup`."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import socket
import sys
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.config import DATA_DIR, ConfigError, Settings, load_settings, require
from bot.logs import setup_logging
from bot.sharding import parse_shard_ids
from bot.stopping import run_until_stopped

EXIT_CONFIG = 2
log = logging.getLogger("bot.cli")
ROTATE_LEASE = "rotate-key"
# Longer than any rotation so far, and a rotation cut short frees the lease by itself after it.
ROTATE_LEASE_TIME = timedelta(hours=1)


def _secrets(settings: Settings) -> list[str]:
    found = settings.secret_keys()
    if settings.discord_token is not None:
        found.append(settings.discord_token.get_secret_value())
    return found


def _with_shards(settings: Settings, shards: str | None, shard_count: int | None) -> Settings:
    """The settings with `run --shards/--shard-count` applied over LANTERN_SHARDS/LANTERN_SHARD_COUNT, checked."""
    update: dict[str, object] = {}
    if shards is not None:
        try:
            parse_shard_ids(shards)
        except ValueError as problem:
            raise ConfigError(f"--shards {problem}") from None
        update["shards"] = shards
    if shard_count is not None:
        if shard_count < 1:
            raise ConfigError("--shard-count must be at least 1")
        update["shard_count"] = shard_count
    settings = settings.model_copy(update=update)
    settings.shard_scope()  # a range past the count, or ids without a count, stops here with one clear line
    return settings


async def _run(settings: Settings) -> None:
    from bot.app import create_bot, create_services

    require(settings, "discord_token", "secret_key")
    # The event loop shares the GIL with the database writer, the crisis readers and the SQLite connections'
    # threads. Held up to Python's default 5 ms by a busy writer at each hand-over, the loop answered some of
    # 500 members opening the form at once after Discord's three seconds (12-13 of 1,000 lost in
    # bench.burst --members 500); handed over every millisecond, none were (two runs), at no cost to the
    # 200-member burst or the steady mode.
    sys.setswitchinterval(0.001)
    assert settings.discord_token is not None
    scope = settings.shard_scope()
    if scope.partial:
        log.info("running %s; the other shards' servers are another process's", scope.describe())
    services = await create_services(settings, keys=settings.secret_keys(), migrate_apart=True)
    # The chart workers start now, so that the first /history of the day does not wait for matplotlib.
    services.charts.start()
    bot = create_bot(services)
    try:
        # SIGTERM (systemd's stop) and Ctrl-C both end here, and the clean-up below runs for either.
        stopped_by = await run_until_stopped(bot.start(settings.discord_token.get_secret_value()))
        if stopped_by is not None:
            log.info("Stopping: %s received; finishing what is under way", stopped_by.name)
    finally:
        await bot.drain()
        await bot.close()
        await services.db.close()


async def _sync_commands(settings: Settings) -> None:
    from bot.app import create_bot, create_services

    require(settings, "discord_token", "secret_key")
    assert settings.discord_token is not None
    services = await create_services(settings, keys=settings.secret_keys())
    bot = create_bot(services, force_sync=True)
    try:
        await bot.login(settings.discord_token.get_secret_value())  # login runs setup_hook, which syncs
        print("Commands synced.")
    finally:
        await bot.close()
        await services.db.close()


async def _migrate(settings: Settings) -> None:
    from bot.storage.engine import migrate

    revision = await migrate(settings.database_url)
    print(f"Database is at revision {revision}.")


async def _backup(settings: Settings, destination: Path) -> None:
    from bot.storage.backup import backup

    try:
        copied = await backup(settings.database_url, destination)
    except ValueError as problem:
        raise ConfigError(str(problem)) from None
    print(f"Backed up the database to {destination} ({copied}).")


async def _rotate_key(settings: Settings) -> None:
    from bot.storage.database import Database

    require(settings, "secret_key")
    db = await Database.open(settings.database_url, settings.secret_keys())
    holder = f"rotate-key:{socket.gethostname()}:{os.getpid()}"
    try:
        # Once across all processes and operators: two rotations at once would only do the work twice, but a
        # second one started by mistake should say so rather than quietly run.
        now = datetime.now(UTC)
        if not await db.leases.acquire(ROTATE_LEASE, holder, now, ROTATE_LEASE_TIME):
            other = await db.leases.holder(ROTATE_LEASE, now)
            raise ConfigError(
                f"another rotate-key is running ({other}); wait for it to finish, then run this again to check"
            )
        try:
            rewritten = await db.checkins.rotate_all()
            goals = await db.goals.rotate_all()
            counters = await db.days.rotate_all()
            dates = await db.dates.rotate_all()
            messages = await db.outbox.rotate_all()
        finally:
            await db.leases.release(ROTATE_LEASE, holder)
    finally:
        await db.close()
    print(
        f"Re-encrypted {rewritten} check-ins, {goals} goals, {counters} day counters, {dates} dates and "
        f"{messages} waiting messages under the first key. Once this says 0 for each, older keys can be removed."
    )


def _keygen() -> None:
    from bot.storage.crypto import generate_key

    print(generate_key())


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lantern",
        description="Lantern: private daily check-ins, coping tips and accountability partners on Discord.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    run = commands.add_parser(
        "run",
        help="run the bot against Discord (needs DISCORD_TOKEN and LANTERN_SECRET_KEY)",
        description="Run Lantern. With --shards and --shard-count, this process connects only those shards and runs "
        "timers only for their servers; run one process per range, on one database, to cover every shard.",
    )
    run.add_argument("--shards", metavar="IDS", help="the shards this process runs, e.g. 0-3 (LANTERN_SHARDS)")
    run.add_argument(
        "--shard-count", type=int, metavar="N", help="how many shards all processes run together (LANTERN_SHARD_COUNT)"
    )
    sandbox = commands.add_parser(
        "sandbox",
        help="run the bot against a local stand-in for Discord, with a demo community you can act in",
        description="Start a local stand-in for Discord with a demo community and run Lantern against it. "
        "Type commands as its members, e.g. `as alice: /checkin`. No token or setup needed.",
    )
    sandbox.add_argument("--port", type=int, default=0, help="port for the stand-in (default: any free port)")
    source = sandbox.add_mutually_exclusive_group()
    source.add_argument("--script", type=Path, help="read the commands from this file instead of the keyboard")
    source.add_argument(
        "--no-terminal",
        action="store_true",
        help="don't read commands from the terminal: serve the stand-in (and its page) until Ctrl-C",
    )
    sandbox.add_argument(
        "--spec",
        type=Path,
        metavar="PATH",
        help="Discord's openapi.json, to check every request Lantern sends against it "
        "(default: $DISCORD_STANDIN_SPEC, else ../shared/discord-api-spec/openapi.json beside the project)",
    )
    commands.add_parser("migrate", help="apply database migrations and print the revision")
    commands.add_parser("keygen", help="print a fresh encryption key for LANTERN_SECRET_KEY")
    commands.add_parser(
        "rotate-key",
        help="re-encrypt every check-in under the first key of LANTERN_SECRET_KEY (resumable)",
        description="Put the new key first in LANTERN_SECRET_KEY and keep the old ones after it, then run this. "
        "It works in batches, so an interrupted run can simply be started again.",
    )
    commands.add_parser("sync-commands", help="sync the slash commands to Discord now (to DEV_GUILD_ID when set)")
    backup = commands.add_parser("backup", help="copy the database to PATH while the bot runs (SQLite, or pg_dump)")
    backup.add_argument("path", type=Path, metavar="PATH", help="where to write the copy (must not exist yet)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "keygen":
        _keygen()
        return 0
    try:
        settings = load_settings()
        setup_logging(settings.log_level, _secrets(settings))
        if args.command == "run":
            asyncio.run(_run(_with_shards(settings, args.shards, args.shard_count)))
        elif args.command == "sandbox":
            from bot.devtools.demo import run_demo

            terminal = not args.no_terminal
            asyncio.run(
                run_demo(
                    settings,
                    port=args.port,
                    script=args.script,
                    data_dir=Path.cwd() / DATA_DIR,
                    spec=args.spec,
                    terminal=terminal,
                )
            )
        elif args.command == "migrate":
            asyncio.run(_migrate(settings))
        elif args.command == "rotate-key":
            asyncio.run(_rotate_key(settings))
        elif args.command == "sync-commands":
            asyncio.run(_sync_commands(settings))
        elif args.command == "backup":
            asyncio.run(_backup(settings, args.path))
    except ConfigError as problem:
        print(f"lantern: {problem}", file=sys.stderr)
        return EXIT_CONFIG
    except ValueError as problem:
        # A bad entry in a tips or resources file: the message names the file, entry and field.
        if type(problem).__name__ not in ("TipLibraryError", "ResourceError"):
            raise
        print(f"lantern: {problem}", file=sys.stderr)
        return EXIT_CONFIG
    except KeyboardInterrupt:
        return 130
    return 0
