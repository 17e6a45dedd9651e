"""Shared fixtures for the storage tests: a fresh SQLite file and keys per test."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.storage import Database, generate_key


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "x.sqlite3"


@pytest.fixture
def db_url(db_path: Path) -> str:
    return f"sqlite:///{db_path}"


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
