"""Online backup of the database to a new file, safe while the bot runs: SQLite's backup API, or pg_dump."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url

from bot.storage.engine import sqlite_path, to_async_url


async def backup(url: str, dest: Path) -> str:
    """Copy the database at `url` to the new file `dest`; says what was written ("12 pages", "a pg_dump
    archive of 48 kB"). PostgreSQL goes through `pg_dump` (custom format, restored with `pg_restore`)."""
    if make_url(to_async_url(url)).get_backend_name() == "postgresql":
        return await asyncio.to_thread(_pg_dump, url, Path(dest))
    source = sqlite_path(url)
    if source is None:
        raise ValueError("backup works for an SQLite database file (sqlite:///path) or PostgreSQL (postgresql://)")
    return f"{await asyncio.to_thread(_backup_file, source, Path(dest))} pages"


def _pg_dump(url: str, dest: Path) -> str:
    if dest.exists():
        raise ValueError(f"backup destination {dest} already exists; choose a new file name")
    tool = shutil.which("pg_dump")
    if tool is None:
        raise ValueError(
            "pg_dump is not installed here. Where PostgreSQL's client tools are, run: "
            "pg_dump --format=custom --file=PATH postgresql://USER@HOST:PORT/DATABASE"
        )
    parsed = make_url(url)
    # The password goes through the environment, never the command line another user could read.
    environment = {**os.environ, **({"PGPASSWORD": parsed.password} if parsed.password else {})}
    target = parsed.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    dest.parent.mkdir(parents=True, exist_ok=True)
    partial = dest.with_name(f".{dest.name}.partial-{os.getpid()}")
    try:
        # pg_dump from PATH, with arguments Lantern builds itself (no shell).
        result = subprocess.run(  # noqa: S603
            [tool, "--format=custom", f"--file={partial}", f"--dbname={target}"],
            env=environment,
            capture_output=True,
            text=True,
            timeout=3600,
        )
        if result.returncode != 0:
            # pg_dump's own first line says what went wrong (it never prints the password).
            first = (result.stderr.strip().splitlines() or ["no message"])[0]
            raise ValueError(f"pg_dump could not back up the database: {first}")
        partial.replace(dest)
    finally:
        partial.unlink(missing_ok=True)
    return f"a pg_dump archive of {max(1, dest.stat().st_size // 1024)} kB (restore with pg_restore)"


def _backup_file(source: Path, dest: Path) -> int:
    if dest.exists():
        raise ValueError(f"backup destination {dest} already exists; choose a new file name")
    if not source.is_file():
        # sqlite3.connect would quietly create an empty database and we would back up nothing.
        raise ValueError(f"no database file at {source}")
    dest.parent.mkdir(parents=True, exist_ok=True)
    # Written beside the destination and renamed at the end, so a failed backup never leaves a
    # half-written file under the name the operator asked for.
    partial = dest.with_name(f".{dest.name}.partial-{os.getpid()}")
    partial.unlink(missing_ok=True)
    try:
        with contextlib.closing(sqlite3.connect(source)) as src:
            src.execute("PRAGMA busy_timeout=5000")
            with contextlib.closing(sqlite3.connect(partial)) as dst:
                # One step, not many: SQLite restarts a stepped backup whenever another connection
                # writes, which a busy bot always does; under WAL a single step reads one consistent
                # snapshot without blocking the bot's writers.
                src.backup(dst)
                pages = int(dst.execute("PRAGMA page_count").fetchone()[0])
                # A backup should be one self-contained file, not a WAL database needing its -wal.
                dst.execute("PRAGMA journal_mode=DELETE")
        if dest.exists():
            raise ValueError(f"backup destination {dest} already exists; choose a new file name")
        partial.replace(dest)
    finally:
        partial.unlink(missing_ok=True)
    return pages
