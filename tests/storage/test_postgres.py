"""PostgreSQL's own checks: migrations under an advisory lock, rollbacks, and notes encrypted at rest."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import insert, text

from bot.storage import CheckinContent, Database, create_engine, migrate
from bot.storage.engine import alembic_config
from bot.storage.tables import communities
from tests.conftest import POSTGRES_URL_VARIABLE, postgres_server


@pytest.fixture(autouse=True)
def _on_postgres_only() -> None:
    if postgres_server() is None:
        pytest.skip(f"no PostgreSQL server for tests: set {POSTGRES_URL_VARIABLE} to run these")


def head() -> str:
    revision = ScriptDirectory.from_config(alembic_config("sqlite:///unused")).get_current_head()
    assert revision is not None
    return revision


async def scalar_rows(url: str, query: str) -> list[object]:
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            return [row[0] for row in (await conn.execute(text(query))).all()]
    finally:
        await engine.dispose()


async def tables(url: str) -> set[str]:
    rows = await scalar_rows(url, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    return {str(r) for r in rows}


async def test_an_empty_database_migrates_to_head_once_even_four_at_a_time(db_url: str) -> None:
    revisions = await asyncio.gather(*(migrate(db_url) for _ in range(4)))
    assert set(revisions) == {head()}
    assert {"communities", "members", "checkins", "bot_meta", "alembic_version"} <= await tables(db_url)
    assert await scalar_rows(db_url, "SELECT version_num FROM alembic_version") == [head()]
    assert await migrate(db_url) == head()


async def test_downgrade_and_upgrade_again(db_url: str) -> None:
    await migrate(db_url)
    await asyncio.to_thread(command.downgrade, alembic_config(db_url), "base")
    assert await tables(db_url) == {"alembic_version"}
    await migrate(db_url)
    assert "checkins" in await tables(db_url)


async def test_a_failed_transaction_leaves_nothing(db_url: str) -> None:
    await migrate(db_url)
    engine = create_engine(db_url)

    async def insert_then_fail() -> None:
        async with engine.begin() as conn:
            await conn.execute(insert(communities).values(id=1, created_at=datetime.now(UTC)))
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        await insert_then_fail()
    await engine.dispose()
    assert await scalar_rows(db_url, "SELECT count(*) FROM communities") == [0]


async def test_notes_are_never_stored_in_plain_text(db_url: str, key_a: str) -> None:
    async with await Database.open(db_url, [key_a]) as db:
        note = "pelican-canary-on-postgres"
        content = CheckinContent(mood=2, cravings=3, halt=frozenset({"tired"}), note=note)
        await db.checkins.save_for_day(1, 7, date(2026, 3, 10), content, datetime(2026, 3, 10, 9, tzinfo=UTC))
        assert [c.content.note for c in await db.checkins.recent(1, 7)] == [note]
    stored = await scalar_rows(db_url, "SELECT content::text FROM checkins")
    assert stored and all("pelican" not in str(value) and "tired" not in str(value) for value in stored)
