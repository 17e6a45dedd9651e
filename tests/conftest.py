"""Shared fixtures: a sandbox with a demo community and a running Lantern bot, per test."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from bot.devtools.harness import Harness
from discord_standin.server import Sandbox
from discord_standin.spec import SPEC_PATH_VARIABLE, default_spec_path

# Tests whose requests could not be checked against Discord's spec, with why: printed at the end, so a
# run without the spec file never reads as one that checked everything and found nothing wrong.
SPEC_UNCHECKED: dict[str, str] = {}
# A PostgreSQL server for the whole suite (each test gets a fresh database on it); unset: SQLite files.
POSTGRES_URL_VARIABLE = "LANTERN_TEST_POSTGRES_URL"


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def pytest_configure(config: pytest.Config) -> None:
    # CI always has the spec beside the project; there, a missing file is a broken set-up, not a skip.
    path = default_spec_path()
    if in_ci() and not path.is_file():
        raise pytest.UsageError(
            f"CI is set, but Discord's OpenAPI description is not at {path}. The spec checks need it: put "
            f"Discord's specs/openapi.json there or point {SPEC_PATH_VARIABLE} at it."
        )


def pytest_runtest_setup(item: pytest.Item) -> None:
    if postgres_server() is not None and item.get_closest_marker("sqlite_only") is not None:
        pytest.skip("reads SQLite's own files; this run is on PostgreSQL")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if postgres_server() is None:
        terminalreporter.write_sep("=", "database: SQLite", yellow=True)
        terminalreporter.write_line(
            "This run used SQLite; the PostgreSQL-only tests were skipped. To run the whole suite on PostgreSQL, "
            f"set {POSTGRES_URL_VARIABLE}=postgresql://USER@HOST:PORT/postgres (a server where that user may "
            "create databases; each test makes its own)."
        )
    else:
        terminalreporter.write_sep("=", "database: PostgreSQL", green=True)
    if not SPEC_UNCHECKED:
        return
    reasons = "; ".join(sorted(set(SPEC_UNCHECKED.values())))
    count = len(SPEC_UNCHECKED)
    terminalreporter.write_sep("=", "Discord spec check skipped", yellow=True)
    terminalreporter.write_line(
        f"{count} {'test' if count == 1 else 'tests'} ran without checking requests against Discord's spec: {reasons}."
    )
    terminalreporter.write_line(f"Put Discord's specs/openapi.json there or point {SPEC_PATH_VARIABLE} at it.")


@pytest.fixture
def spec_check(request: pytest.FixtureRequest) -> Callable[[Sandbox], None]:
    """Fails the test if any request broke Discord's spec; without the spec, records the check as skipped."""

    def check(sandbox: Sandbox) -> None:
        if sandbox.validation_off is not None:
            SPEC_UNCHECKED[request.node.nodeid] = sandbox.validation_off
            return
        assert sandbox.spec_violations == [], sandbox.spec_violations

    return check


@pytest.fixture
def secret_key() -> str:
    return Fernet.generate_key().decode()


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """The database a test's Lantern uses: a fresh SQLite file, or with LANTERN_TEST_POSTGRES_URL a fresh
    database on that PostgreSQL server."""
    server = postgres_server()
    if server is not None:
        return fresh_postgres_database(server)
    return f"sqlite:///{tmp_path / 'lantern.sqlite3'}"


def postgres_server() -> str | None:
    return os.environ.get(POSTGRES_URL_VARIABLE, "").strip() or None


def fresh_postgres_database(server: str) -> str:
    """A new, empty database on the test server for one test (they go with the throwaway cluster)."""
    import threading
    import uuid

    import asyncpg

    name = f"lantern_{uuid.uuid4().hex[:12]}"

    async def create() -> None:
        conn = await asyncpg.connect(server)
        try:
            await conn.execute(f'CREATE DATABASE "{name}"')
        finally:
            await conn.close()

    # In a thread of its own: a test's event loop may be running in this one.
    worker = threading.Thread(target=lambda: asyncio.run(create()))
    worker.start()
    worker.join()
    base, _, _ = server.rpartition("/")
    return f"{base}/{name}"


async def running(harness: Harness, spec_check: Callable[[Sandbox], None]) -> AsyncIterator[Harness]:
    """Start `harness`, hand it to the test, stop it; fail the test if any request broke Discord's spec."""
    await harness.start()
    try:
        yield harness
    finally:
        await harness.stop()
    spec_check(harness.sandbox)


@pytest.fixture
async def lantern(database_url: str, secret_key: str, spec_check: Callable[[Sandbox], None]) -> AsyncIterator[Harness]:
    """Lantern running against a fresh sandbox, on the real clock."""
    async for harness in running(Harness(database_url, [secret_key]), spec_check):
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
async def lantern_at(
    database_url: str, secret_key: str, clock: FakeClock, spec_check: Callable[[Sandbox], None]
) -> AsyncIterator[Harness]:
    """Lantern on a clock the test controls (`clock` fixture); the test drives the scheduler."""
    async for harness in running(Harness(database_url, [secret_key], clock=clock), spec_check):
        yield harness
