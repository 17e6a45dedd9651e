"""Engine set-up, migrations and the schema they produce."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Column, Connection, Integer, MetaData, Table, Text, insert, select

from bot.storage import create_engine, migrate, to_async_url
from bot.storage.engine import alembic_config
from bot.storage.tables import communities, metadata

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("sqlite:///data/x.sqlite3", "sqlite+aiosqlite:///data/x.sqlite3"),
        ("sqlite:////abs/x.sqlite3", "sqlite+aiosqlite:////abs/x.sqlite3"),
        ("sqlite+pysqlite:///x.db", "sqlite+aiosqlite:///x.db"),
        ("sqlite+aiosqlite:///x.db", "sqlite+aiosqlite:///x.db"),
        ("postgresql://u:p%40ss@h:5432/db", "postgresql+asyncpg://u:p%40ss@h:5432/db"),
        ("postgres://u@h/db", "postgresql+asyncpg://u@h/db"),
        ("postgresql+psycopg2://h/db", "postgresql+asyncpg://h/db"),
        ("postgresql+asyncpg://h/db", "postgresql+asyncpg://h/db"),
        ("postgresql+psycopg://h/db", "postgresql+psycopg://h/db"),
    ],
)
def test_to_async_url(url: str, expected: str) -> None:
    assert to_async_url(url) == expected


@pytest.mark.parametrize("url", ["mysql://root:hunter2@h/db", "hunter2", ""])
def test_to_async_url_rejects_unknown_without_echoing_secrets(url: str) -> None:
    with pytest.raises(ValueError) as info:
        to_async_url(url)
    assert "hunter2" not in str(info.value)


def _head() -> str:
    head = ScriptDirectory.from_config(alembic_config("sqlite:///unused")).get_current_head()
    assert head is not None
    return head


def _tables(path: Path) -> set[str]:
    with closing(sqlite3.connect(path)) as conn:
        return {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def _version(path: Path) -> list[str]:
    with closing(sqlite3.connect(path)) as conn:
        return [row[0] for row in conn.execute("SELECT version_num FROM alembic_version")]


async def test_migrate_empty_database_to_head(db_url: str, db_path: Path) -> None:
    assert not await asyncio.to_thread(db_path.exists)
    revision = await migrate(db_url)
    assert revision == _head()
    assert {"communities", "members", "checkins", "bot_meta", "alembic_version"} <= _tables(db_path)
    assert _version(db_path) == [revision]


async def test_migrate_twice_is_a_no_op(db_url: str, db_path: Path) -> None:
    first = await migrate(db_url)
    engine = create_engine(db_url)
    async with engine.begin() as conn:
        await conn.execute(insert(communities).values(id=1, created_at=datetime.now(UTC)))
    await engine.dispose()

    assert await migrate(db_url) == first
    assert _version(db_path) == [first]
    with closing(sqlite3.connect(db_path)) as conn:
        assert conn.execute("SELECT count(*) FROM communities").fetchone() == (1,)


async def test_concurrent_migrations_agree(db_url: str, db_path: Path) -> None:
    revisions = await asyncio.gather(*(migrate(db_url) for _ in range(4)))
    assert set(revisions) == {_head()}
    assert _version(db_path) == [_head()]


async def test_migrate_creates_missing_parent_directory(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "x.sqlite3"
    await migrate(f"sqlite:///{path}")
    assert path.is_file()


def test_migrate_from_a_plain_script(db_path: Path) -> None:
    url = f"sqlite:///{db_path}"
    script = f"import asyncio; from bot.storage import migrate; print(asyncio.run(migrate({url!r})))"
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, env=env, cwd=REPO_ROOT
    )
    assert out.stdout.strip() == _head()
    assert "communities" in _tables(db_path)


async def test_migrated_schema_matches_metadata(db_url: str) -> None:
    await migrate(db_url)
    engine = create_engine(db_url)

    def diff(conn: Connection) -> list[object]:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "compare_server_default": True})
        return list(compare_metadata(context, metadata))

    async with engine.connect() as conn:
        assert await conn.run_sync(diff) == []
    await engine.dispose()


async def test_schema_comparison_would_catch_a_difference(db_url: str) -> None:
    # Guards the test above against passing vacuously.
    await migrate(db_url)
    changed = MetaData(naming_convention=metadata.naming_convention)
    for table in metadata.tables.values():
        table.to_metadata(changed)
    Table("extra", changed, Column("id", Integer, primary_key=True))
    changed.tables["bot_meta"].append_column(Column("note", Text))
    engine = create_engine(db_url)
    async with engine.connect() as conn:
        diffs = await conn.run_sync(lambda sync_conn: compare_metadata(MigrationContext.configure(sync_conn), changed))
    await engine.dispose()
    kinds = {d[0] for d in diffs if isinstance(d, tuple)}
    assert kinds == {"add_table", "add_column"}


async def test_downgrade_and_upgrade_again(db_url: str, db_path: Path) -> None:
    from alembic import command

    await migrate(db_url)
    # Alembic's command API is synchronous and starts its own loop: keep it off this one.
    await asyncio.to_thread(command.downgrade, alembic_config(db_url), "base")
    assert _tables(db_path) == {"alembic_version"}
    await migrate(db_url)
    assert "checkins" in _tables(db_path)


@pytest.mark.sqlite_only
async def test_sqlite_connections_are_tuned(db_url: str) -> None:
    await migrate(db_url)
    engine = create_engine(db_url)
    async with engine.connect() as conn:
        pragmas = {
            name: (await conn.exec_driver_sql(f"PRAGMA {name}")).scalar()
            for name in ("journal_mode", "foreign_keys", "busy_timeout", "synchronous")
        }
    await engine.dispose()
    assert pragmas == {"journal_mode": "wal", "foreign_keys": 1, "busy_timeout": 5000, "synchronous": 1}


async def test_foreign_keys_are_enforced(db_url: str) -> None:
    from sqlalchemy.exc import IntegrityError

    from bot.storage.tables import members

    await migrate(db_url)
    engine = create_engine(db_url)
    with pytest.raises(IntegrityError):
        async with engine.begin() as conn:
            await conn.execute(insert(members).values(community_id=99, user_id=1, created_at=datetime.now(UTC)))
    await engine.dispose()


async def test_transactions_roll_back_completely(db_url: str, db_path: Path) -> None:
    await migrate(db_url)
    engine = create_engine(db_url)

    async def insert_then_fail() -> None:
        async with engine.begin() as conn:
            await conn.execute(insert(communities).values(id=1, created_at=datetime.now(UTC)))
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        await insert_then_fail()
    await engine.dispose()
    with closing(sqlite3.connect(db_path)) as conn:
        assert conn.execute("SELECT count(*) FROM communities").fetchone() == (0,)


async def test_datetimes_are_stored_as_utc_and_read_back_aware(db_url: str) -> None:
    await migrate(db_url)
    engine = create_engine(db_url)
    plus_five = timezone(timedelta(hours=5))
    local = datetime(2024, 3, 1, 12, 30, tzinfo=plus_five)
    async with engine.begin() as conn:
        await conn.execute(insert(communities).values(id=1, created_at=local))
    async with engine.connect() as conn:
        stored = (await conn.execute(select(communities.c.created_at))).scalar_one()
        raw = (await conn.exec_driver_sql("SELECT created_at FROM communities")).scalar_one()
    await engine.dispose()
    assert stored == local
    assert stored.tzinfo == UTC
    assert stored.hour == 7
    # SQLite hands back the stored text, PostgreSQL a timestamp: either way, UTC.
    assert (raw if isinstance(raw, str) else raw.isoformat(sep=" ")).startswith("2024-03-01 07:30:00")


async def test_naive_datetimes_are_refused(db_url: str) -> None:
    from sqlalchemy.exc import StatementError

    await migrate(db_url)
    engine = create_engine(db_url)
    with pytest.raises(StatementError, match="timezone-aware"):
        async with engine.begin() as conn:
            await conn.execute(insert(communities).values(id=1, created_at=datetime(2024, 1, 1)))
    await engine.dispose()


_OPEN_APART = """
import asyncio, sys
from cryptography.fernet import Fernet
from bot.storage.database import Database

async def main(url):
    db = await Database.open(url, Fernet.generate_key().decode(), apart=True)
    await db.close()
    print("alembic" in sys.modules, "numpy" in sys.modules)

if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
"""


def test_the_running_bot_migrates_in_a_child_and_never_loads_alembic(tmp_path: Path) -> None:
    # The bot's own process opens its database with apart=True: the schema is brought up to date by a child
    # process, and the bot keeps none of Alembic's (and Mako's, and Pygments') memory.
    script = tmp_path / "open_apart.py"
    script.write_text(_OPEN_APART)
    path = tmp_path / "apart.sqlite3"
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    result = subprocess.run(
        [sys.executable, str(script), f"sqlite:///{path}"], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "False"]
    assert "communities" in _tables(path)
    with closing(sqlite3.connect(path)) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (_head(),)
