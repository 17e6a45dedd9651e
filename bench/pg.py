"""A fresh PostgreSQL database for one benchmark run, on a server the operator names (dropped by no one: it is
a throwaway server's, as in the tests)."""

from __future__ import annotations

import os
import uuid

POSTGRES_URL_VARIABLE = "LANTERN_TEST_POSTGRES_URL"


def server_from(option: str | None) -> str | None:
    """The PostgreSQL server to use: the option, else $LANTERN_TEST_POSTGRES_URL, else none (SQLite)."""
    return (option or os.environ.get(POSTGRES_URL_VARIABLE, "")).strip() or None


async def fresh_database(server: str, prefix: str = "lantern_bench") -> str:
    """CREATE DATABASE on `server` (postgresql://USER@HOST:PORT/DB, a user who may create databases); its URL."""
    import asyncpg

    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    conn = await asyncpg.connect(server)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    base, _, _ = server.rpartition("/")
    return f"{base}/{name}"
