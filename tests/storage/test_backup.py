"""Online backups: SQLite's backup API, and pg_dump for PostgreSQL."""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
import subprocess
from contextlib import closing
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bot.storage import CheckinContent, Database, backup
from tests.conftest import POSTGRES_URL_VARIABLE, postgres_server

NOW = datetime(2024, 5, 1, 20, 0, tzinfo=UTC)


@pytest.mark.sqlite_only
async def test_backup_copies_all_rows_while_open(db: Database, db_url: str, tmp_path: Path, key_a: str) -> None:
    for user in range(3):
        checkin = CheckinContent(mood=4, cravings=0, halt=frozenset(), note=f"n{user}")
        await db.checkins.save_for_day(1, user, date(2024, 5, 1), checkin, NOW)
    await db.meta.set("k", "v")

    dest = tmp_path / "backups" / "copy.sqlite3"
    written = await backup(db_url, dest)
    assert written.endswith(" pages")
    pages = int(written.split()[0])
    assert pages > 0
    assert not list(dest.parent.glob(".*partial*"))

    with closing(sqlite3.connect(dest)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("PRAGMA page_count").fetchone() == (pages,)
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        assert conn.execute("SELECT count(*) FROM checkins").fetchone() == (3,)
        assert conn.execute("SELECT value FROM bot_meta WHERE key = 'k'").fetchone() == ("v",)

    # The copy is a working Lantern database with the same (still encrypted) rows.
    async with await Database.open(f"sqlite:///{dest}", [key_a]) as copy:
        notes = sorted([c.content.note for u in range(3) for c in await copy.checkins.recent(1, u)])
    assert notes == ["n0", "n1", "n2"]


@pytest.mark.sqlite_only
async def test_backup_refuses_to_overwrite(db: Database, db_url: str, tmp_path: Path) -> None:
    dest = tmp_path / "exists.sqlite3"
    dest.write_bytes(b"precious")
    with pytest.raises(ValueError, match="already exists"):
        await backup(db_url, dest)
    assert dest.read_bytes() == b"precious"


@pytest.mark.parametrize("url", ["sqlite:///:memory:", "sqlite://"])
async def test_backup_refuses_what_has_no_file(url: str, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="works for an SQLite database file"):
        await backup(url, tmp_path / "out.sqlite3")


async def test_postgres_without_pg_dump_says_what_to_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    with pytest.raises(ValueError, match="pg_dump is not installed here") as info:
        await backup("postgresql://u:secret@h/db", tmp_path / "out.dump")
    assert "secret" not in str(info.value)


async def test_postgres_is_backed_up_with_pg_dump(db: Database, db_url: str, tmp_path: Path) -> None:
    if postgres_server() is None:
        pytest.skip(f"no PostgreSQL server for tests: set {POSTGRES_URL_VARIABLE}")
    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        pytest.skip("pg_dump and pg_restore are not installed here")
    await db.meta.set("k", "v")
    dest = tmp_path / "lantern.dump"
    written = await backup(db_url, dest)
    assert written.startswith("a pg_dump archive of")
    listing = await asyncio.to_thread(
        subprocess.run, ["pg_restore", "--list", str(dest)], capture_output=True, text=True, check=True
    )
    assert "TABLE DATA public checkins" in listing.stdout and "TABLE DATA public bot_meta" in listing.stdout


async def test_backup_refuses_a_missing_sqlite_database(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no database file"):
        await backup(f"sqlite:///{tmp_path}/missing.sqlite3", tmp_path / "out.sqlite3")
    assert not (tmp_path / "missing.sqlite3").exists()
