"""Engine creation (with SQLite tuning) and schema migration for the bot's database."""

from __future__ import annotations

import asyncio
import threading
import weakref
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy
from sqlalchemy import event, pool
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from bot.storage.reads import READ_THREADS, ReadPool
from bot.storage.writes import WriteQueue

if TYPE_CHECKING:
    from alembic.config import Config

# Alembic is imported where migrations run, not here: with Mako and Pygments beside it, it is some 12 MB that
# the bot's long-running process never needs once the schema is up to date (see `migrate_apart`).

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

# Execution option asking for a write transaction; on SQLite it becomes BEGIN IMMEDIATE.
WRITE_OPTION = "lantern_write"

_ASYNC_DRIVERS = {
    "sqlite": "sqlite+aiosqlite",
    "sqlite+pysqlite": "sqlite+aiosqlite",
    "sqlite+aiosqlite": "sqlite+aiosqlite",
    "postgresql": "postgresql+asyncpg",
    "postgres": "postgresql+asyncpg",
    "postgresql+psycopg2": "postgresql+asyncpg",
    "postgresql+asyncpg": "postgresql+asyncpg",
    "postgresql+psycopg": "postgresql+psycopg",
}

_SQLITE_PRAGMAS = (
    # busy_timeout first, so that switching the journal mode waits for other connections.
    "PRAGMA busy_timeout=5000",
    "PRAGMA foreign_keys=ON",
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=NORMAL",
)

_migrate_lock = threading.Lock()

# Keyed by the shared sync engine: views made with execution_options() share its pool, and its queue.
_write_queues: weakref.WeakKeyDictionary[Engine, WriteQueue] = weakref.WeakKeyDictionary()
_read_pools: weakref.WeakKeyDictionary[Engine, ReadPool] = weakref.WeakKeyDictionary()


def to_async_url(url: str) -> str:
    """Map a database URL onto the async driver the bot uses (aiosqlite or asyncpg)."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        raise ValueError("database URL must look like sqlite:///path/to/file or postgresql://host/db")
    driver = _ASYNC_DRIVERS.get(scheme.lower())
    if driver is None:
        # Only the scheme is echoed: the rest of the URL may hold a password.
        raise ValueError(f"unsupported database URL scheme {scheme!r}; use sqlite:/// or postgresql://")
    return f"{driver}://{rest}"


def sqlite_path(url: str) -> Path | None:
    """The database file of an SQLite URL, or None for other backends and in-memory databases."""
    parsed = make_url(to_async_url(url))
    if parsed.get_backend_name() != "sqlite":
        return None
    database = parsed.database or ""
    if database in ("", ":memory:") or database.startswith("file:"):
        return None
    return Path(database)


def create_engine(url: str, **kwargs: Any) -> AsyncEngine:
    """Create an async engine; SQLite connections get WAL, foreign keys and a busy timeout."""
    async_url = to_async_url(url)
    path = sqlite_path(async_url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_async_engine(async_url, **kwargs)
    if engine.dialect.name == "sqlite":
        _install_sqlite_hooks(engine.sync_engine)
    return engine


# The writer's own connection is a plain (synchronous) one, used from its one thread.
_SYNC_DRIVERS = {"sqlite": "sqlite+pysqlite", "postgresql": "postgresql+psycopg"}


def _sync_engine_like(engine: AsyncEngine, connections: int = 0) -> Engine:
    """A synchronous engine on the same database: unpooled, or with a pool of `connections`."""
    url = engine.url.set(drivername=_SYNC_DRIVERS[engine.dialect.name])
    if connections:
        sync = sqlalchemy.create_engine(url, pool_size=connections, max_overflow=0)
    else:
        sync = sqlalchemy.create_engine(url, poolclass=pool.NullPool)
    if sync.dialect.name == "sqlite":
        _install_sqlite_hooks(sync)
    return sync


def _install_sqlite_hooks(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # The sqlite3 driver's legacy mode never BEGINs before SELECT or DDL, which breaks
        # transactional migrations and read consistency; SQLAlchemy emits BEGIN instead (below).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            for pragma in _SQLITE_PRAGMAS:
                cursor.execute(pragma)
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        # A deferred transaction that reads before it writes can fail with SQLITE_BUSY instead of
        # waiting; taking the write lock up front lets busy_timeout serialise writers.
        if connection.get_execution_options().get(WRITE_OPTION):
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.exec_driver_sql("BEGIN")


def immediate(engine: AsyncEngine) -> AsyncEngine:
    """A view of the engine whose transactions take the write lock up front (SQLite)."""
    return engine.execution_options(**{WRITE_OPTION: True})


def writer(engine: AsyncEngine) -> WriteQueue:
    """The engine's one write queue: every write transaction of the bot goes through it."""
    queue = _write_queues.get(engine.sync_engine)
    if queue is None:
        # Its transactions take the write lock up front, so a migration or backup elsewhere is waited for.
        sync = _sync_engine_like(engine).execution_options(**{WRITE_OPTION: True})
        queue = _write_queues[engine.sync_engine] = WriteQueue(sync)
    return queue


def reader(engine: AsyncEngine) -> ReadPool:
    """The engine's read threads, for reads on a burst's path (bot/storage/reads.py)."""
    reads = _read_pools.get(engine.sync_engine)
    if reads is None:
        reads = _read_pools[engine.sync_engine] = ReadPool(_sync_engine_like(engine, READ_THREADS))
    return reads


async def close_reader(engine: AsyncEngine) -> None:
    reads = _read_pools.pop(engine.sync_engine, None)
    if reads is not None:
        await asyncio.to_thread(reads.close)


async def close_writer(engine: AsyncEngine) -> None:
    """Let queued writes commit and the writer connection go (before disposing of the engine)."""
    queue = _write_queues.pop(engine.sync_engine, None)
    if queue is not None:
        await queue.close()


def alembic_config(url: str) -> Config:
    """Build the Alembic configuration in code: no alembic.ini is needed at run time."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # Passed as an attribute, not a main option, so a '%' in a password needs no escaping.
    config.attributes["url"] = to_async_url(url)
    return config


def _upgrade_to_head(url: str) -> str:
    from alembic import command
    from alembic.script import ScriptDirectory

    config = alembic_config(url)
    # Alembic's `context` is process-global; two upgrades at once in one process would collide.
    with _migrate_lock:
        command.upgrade(config, "head")
    head = ScriptDirectory.from_config(config).get_current_head()
    if head is None:
        raise RuntimeError("no migrations found in " + str(MIGRATIONS_DIR))
    return head


async def migrate(url: str) -> str:
    """Apply migrations up to head and return the head revision id."""
    # The migration environment runs its own event loop, so it must not share this thread's.
    return await asyncio.to_thread(_upgrade_to_head, url)


async def migrate_apart(url: str) -> str:
    """`migrate`, in a short-lived child process: for the bot's own process, which then never loads Alembic.

    The URL reaches the child through a pipe, not its command line, where other users could read a password.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # spawn: a fork would copy this process's threads half-held.
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as child:
        return await asyncio.get_running_loop().run_in_executor(child, _upgrade_to_head, url)
