"""Shared fixtures for the storage tests: a fresh database (SQLite, or PostgreSQL when asked) and keys."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.storage import Database, generate_key
from tests.conftest import fresh_postgres_database, postgres_server


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """The SQLite file of a test that reads it directly (such a test is SQLite's own: skipped on PostgreSQL)."""
    if postgres_server() is not None:
        pytest.skip("reads SQLite's own file; this run is on PostgreSQL")
    return tmp_path / "x.sqlite3"


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    server = postgres_server()
    return fresh_postgres_database(server) if server is not None else f"sqlite:///{tmp_path / 'x.sqlite3'}"


@pytest.fixture
def key_a() -> str:
    return generate_key()


@pytest.fixture
def key_b() -> str:
    return generate_key()


@pytest.fixture
async def db(db_url: str, key_a: str) -> AsyncIterator[Database]:
    database = await Database.open(db_url, [key_a])
    try:
        yield database
    finally:
        await database.close()
