"""Shared fixtures: a sandbox with a demo community and a running Lantern bot, per test."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from bot.devtools.harness import Harness


@pytest.fixture
def secret_key() -> str:
    return Fernet.generate_key().decode()


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'lantern.sqlite3'}"


async def running(harness: Harness) -> AsyncIterator[Harness]:
    """Start `harness`, hand it to the test, stop it; fail the test if any request broke Discord's spec."""
    await harness.start()
    try:
        yield harness
    finally:
        await harness.stop()
    assert harness.sandbox.spec_violations == [], harness.sandbox.spec_violations


@pytest.fixture
async def lantern(database_url: str, secret_key: str) -> AsyncIterator[Harness]:
    """Lantern running against a fresh sandbox, on the real clock."""
    async for harness in running(Harness(database_url, [secret_key])):
        yield harness


class FakeClock:
    """A clock the test moves by hand: `clock.advance(days=1)`."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 3, 10, 15, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def lantern_at(database_url: str, secret_key: str, clock: FakeClock) -> AsyncIterator[Harness]:
    """Lantern on a clock the test controls (`clock` fixture); the test drives the scheduler."""
    async for harness in running(Harness(database_url, [secret_key], clock=clock)):
        yield harness
