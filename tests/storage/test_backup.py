"""Online backups of the SQLite database."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from bot.storage import CheckinContent, Database, backup

NOW = datetime(2024, 5, 1, 20, 0, tzinfo=UTC)


async def test_backup_copies_all_rows_while_open(db: Database, db_url: str, tmp_path: Path, key_a: str) -> None:
    for user in range(3):
        checkin = CheckinContent(mood=4, cravings=0, halt=frozenset(), note=f"n{user}")
        await db.checkins.save_for_day(1, user, date(2024, 5, 1), checkin, NOW)
    await db.meta.set("k", "v")

    dest = tmp_path / "backups" / "copy.sqlite3"
    pages = await backup(db_url, dest)
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


async def test_backup_refuses_to_overwrite(db: Database, db_url: str, tmp_path: Path) -> None:
    dest = tmp_path / "exists.sqlite3"
    dest.write_bytes(b"precious")
    with pytest.raises(ValueError, match="already exists"):
        await backup(db_url, dest)
    assert dest.read_bytes() == b"precious"


@pytest.mark.parametrize("url", ["postgresql://u:secret@h/db", "sqlite:///:memory:", "sqlite://"])
async def test_backup_refuses_non_sqlite_files(url: str, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="only works for an SQLite database file") as info:
        await backup(url, tmp_path / "out.sqlite3")
    assert "secret" not in str(info.value)


async def test_backup_refuses_a_missing_database(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no database file"):
        await backup(f"sqlite:///{tmp_path}/missing.sqlite3", tmp_path / "out.sqlite3")
    assert not (tmp_path / "missing.sqlite3").exists()
