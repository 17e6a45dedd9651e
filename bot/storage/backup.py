"""Online backup of the SQLite database to a new file, safe while the bot is running."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sqlite3
from pathlib import Path

from bot.storage.engine import sqlite_path


async def backup(url: str, dest: Path) -> int:
    """Copy the SQLite database at `url` to the new file `dest`; returns the number of pages copied."""
    source = sqlite_path(url)
    if source is None:
        raise ValueError("backup only works for an SQLite database file (sqlite:///path); for PostgreSQL use pg_dump")
    return await asyncio.to_thread(_backup_file, source, Path(dest))


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
