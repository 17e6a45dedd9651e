"""Shared fixtures: a sandbox with a demo community and a running Lantern bot, per test."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from bot.sandbox.harness import Harness


@pytest.fixture
def secret_key() -> str:
    return Fernet.generate_key().decode()


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'lantern.sqlite3'}"


@pytest.fixture
async def lantern(database_url: str, secret_key: str) -> AsyncIterator[Harness]:
    """Lantern running against a fresh sandbox; fails the test if any request broke Discord's spec."""
    harness = Harness(database_url, [secret_key])
    await harness.start()
    try:
        yield harness
    finally:
        await harness.stop()
    assert harness.sandbox.spec_violations == [], harness.sandbox.spec_violations
