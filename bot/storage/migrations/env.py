"""Alembic environment: runs migrations over the bot's own async engine, configured in code."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy import pool, text
from sqlalchemy.engine import Connection

from bot.storage.engine import create_engine, immediate, to_async_url
from bot.storage.tables import metadata

# Any constant works; it only has to be the same in every process that migrates this database.
_PG_MIGRATION_LOCK_ID = 0x4C414E5445524E  # "LANTERN"

config = context.config


def _url() -> str:
    url = config.attributes.get("url") or config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("no database URL given to the migration environment")
    return to_async_url(str(url))


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        # SQLite cannot ALTER most things in place; batch mode rebuilds the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            # Several bot processes may start at once against one database; one migrates, the
            # others wait and then find nothing to do.
            connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _PG_MIGRATION_LOCK_ID})
        context.run_migrations()


async def _run_online() -> None:
    engine = create_engine(_url(), poolclass=pool.NullPool)
    try:
        # On SQLite the write option means BEGIN IMMEDIATE: concurrent migrators queue up.
        async with immediate(engine).connect() as connection:
            await connection.run_sync(_run)
    finally:
        await engine.dispose()


def _run_offline() -> None:
    context.configure(
        url=_url(),
        target_metadata=metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    _run_offline()
else:
    connection = config.attributes.get("connection")
    if connection is not None:
        # Someone (e.g. a test) handed us a live sync connection: migrate on it directly.
        _run(connection)
    else:
        asyncio.run(_run_online())
