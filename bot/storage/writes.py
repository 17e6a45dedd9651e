"""One writer: every write transaction runs on one connection in one thread, and a burst commits in small batches."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from sqlalchemy import Connection, CursorResult, Dialect, Engine, Executable, Result, ScalarResult

log = logging.getLogger(__name__)

T = TypeVar("T")

# How many writes may share one commit: enough to drain a burst in a few commits, few enough that the
# first of them is not kept waiting long for the last.
MAX_BATCH = 64

# The write block this task is inside, so that a nested block joins it instead of waiting for itself.
_inside: ContextVar[WriteConnection | None] = ContextVar("lantern_write_block", default=None)

WriteOp = Callable[[Connection], T]


class Buffered:
    """A statement's result, read completely in the writer thread: rows, and the rows it changed."""

    def __init__(self, result: CursorResult[Any]) -> None:
        self.rowcount: int = result.rowcount if not result.returns_rows else -1
        self._frozen = result.freeze() if result.returns_rows else None
        if not result.returns_rows:
            result.close()

    def _result(self) -> Result[Any]:
        if self._frozen is None:
            raise ValueError("this statement returns no rows")
        return self._frozen()

    def one(self) -> Any:
        return self._result().one()

    def one_or_none(self) -> Any:
        return self._result().one_or_none()

    def first(self) -> Any:
        return self._result().first()

    def all(self) -> list[Any]:
        return list(self._result().all())

    def scalar(self) -> Any:
        return self._result().scalar()

    def scalar_one(self) -> Any:
        return self._result().scalar_one()

    def scalars(self) -> ScalarResult[Any]:
        return self._result().scalars()


class WriteConnection:
    """What a write block holds: statements go to the writer's connection, in the block's savepoint."""

    def __init__(self, queue: WriteQueue) -> None:
        self._queue = queue
        self.dialect: Dialect = queue.dialect

    async def execute(self, statement: Executable, parameters: Any = None) -> Buffered:
        return await self._queue.in_thread(self._queue.execute_now, statement, parameters)

    async def scalar(self, statement: Executable, parameters: Any = None) -> Any:
        return (await self.execute(statement, parameters)).scalar()

    async def scalars(self, statement: Executable, parameters: Any = None) -> ScalarResult[Any]:
        return (await self.execute(statement, parameters)).scalars()


@dataclass
class _Op(Generic[T]):
    """A write function run whole in the writer thread (one hop for the lot of a batch)."""

    run: WriteOp[T]
    done: asyncio.Future[T]
    result: Any = None
    error: BaseException | None = None


@dataclass
class _Block:
    """An `async with queue.begin()` block: it holds the writer while its statements run one by one."""

    loop: asyncio.AbstractEventLoop
    granted: asyncio.Future[None] = field(init=False)
    finished: asyncio.Future[bool] = field(init=False)
    committed: asyncio.Future[None] = field(init=False)

    def __post_init__(self) -> None:
        self.granted = self.loop.create_future()
        self.finished = self.loop.create_future()
        self.committed = self.loop.create_future()

    def finish(self, ok: bool) -> None:
        if not self.finished.done():
            self.finished.set_result(ok)


class WriteQueue:
    """The bot's write transactions, serialised on one connection instead of on the database's lock.

    Writers never meet SQLite's busy handler (one connection keeps the write lock and passes it on without
    sleeping), and a burst costs one transaction per batch: each write runs in its own savepoint, so one
    failing write undoes only itself. A caller hears back only once its batch has committed, so nothing is
    reported saved before it is. The connection lives in one thread, so a batch of write functions is a
    single hand-over from the event loop rather than one per statement. On PostgreSQL it is the same: one
    connection, a transaction with savepoints.
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self.dialect = engine.dialect
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="lantern-writer")
        self._conn: Connection | None = None  # used only in the writer thread
        self._savepoints: list[Any] = []  # the open blocks' savepoints (writer thread only)
        self._waiting: deque[_Op[Any] | _Block] = deque()
        self._wakeup: asyncio.Event | None = None
        self._task: asyncio.Task[None] | None = None
        self._closing = False

    # ----- the two ways to write --------------------------------------------------------------------

    async def run(self, op: WriteOp[T]) -> T:
        """Run `op(connection)` in the writer thread, in a savepoint of the current batch; its value once
        the batch has committed. `op` does SQL only: no awaiting, nothing slow."""
        outer = _inside.get()
        if outer is not None and outer._queue is self:
            # Inside a write block of this task, which holds the writer: queueing would wait for itself.
            return await self.in_thread(self._run_nested, op)
        item: _Op[T] = _Op(op, asyncio.get_running_loop().create_future())
        self._waiting.append(item)
        self._ensure_running()
        # Shielded: a caller cancelled meanwhile still has its write committed with the batch.
        return await asyncio.shield(item.done)

    @contextlib.asynccontextmanager
    async def begin(self) -> AsyncIterator[WriteConnection]:
        """A write transaction written as async code: it holds the writer until the block ends."""
        outer = _inside.get()
        if outer is not None and outer._queue is self:
            yield outer
            return
        block = _Block(asyncio.get_running_loop())
        self._waiting.append(block)
        self._ensure_running()
        try:
            await block.granted
        except asyncio.CancelledError:
            block.finish(False)
            raise
        conn = WriteConnection(self)
        token = _inside.set(conn)
        try:
            yield conn
        except BaseException:
            block.finish(False)
            raise
        finally:
            _inside.reset(token)
            block.finish(True)
        await asyncio.shield(block.committed)

    # ----- lifecycle ----------------------------------------------------------------------------------

    def _ensure_running(self) -> None:
        if self._closing:
            raise RuntimeError("the database is closed")
        loop = asyncio.get_running_loop()
        if self._task is None or self._task.done() or self._task.get_loop() is not loop:
            self._wakeup = asyncio.Event()
            self._task = loop.create_task(self._drain(), name="lantern-writer")
        assert self._wakeup is not None
        self._wakeup.set()

    async def close(self) -> None:
        """Commit what is queued, then close the connection and the thread."""
        self._closing = True
        task = self._task
        if task is not None and not task.done() and task.get_loop() is asyncio.get_running_loop():
            assert self._wakeup is not None
            self._wakeup.set()
            await task
        self._task = None
        await asyncio.get_running_loop().run_in_executor(self._thread, self._disconnect)
        self._thread.shutdown(wait=False)
        self._engine.dispose()

    async def in_thread(self, fn: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._thread, fn, *args)

    # ----- the writer ---------------------------------------------------------------------------------

    async def _drain(self) -> None:
        assert self._wakeup is not None
        while True:
            if not self._waiting:
                if self._closing:
                    return
                self._wakeup.clear()
                await self._wakeup.wait()
                continue
            batch = [self._waiting.popleft() for _ in range(min(MAX_BATCH, len(self._waiting)))]
            await self._batch(batch)

    async def _batch(self, batch: list[_Op[Any] | _Block]) -> None:
        ops: list[_Op[Any]] = []
        blocks: list[_Block] = []
        try:
            # Consecutive write functions go to the thread together, with BEGIN and COMMIT when they
            # open or close the batch: a burst of check-ins is one hand-over per batch.
            index, begun = 0, False
            while index < len(batch):
                item = batch[index]
                if isinstance(item, _Op):
                    run = []
                    while index < len(batch) and isinstance(batch[index], _Op):
                        op = batch[index]
                        assert isinstance(op, _Op)
                        run.append(op)
                        index += 1
                    last = index == len(batch)
                    await self.in_thread(self._run_ops, run, not begun, last)
                    begun = not last
                    ops.extend(run)
                    continue
                index += 1
                if item.granted.cancelled():
                    continue
                if not begun:
                    await self.in_thread(self._begin)
                    begun = True
                await self.in_thread(self._savepoint, "begin")
                item.granted.set_result(None)
                blocks.append(item)
                ok = await item.finished
                await self.in_thread(self._savepoint, "release" if ok else "rollback")
            if begun:
                await self.in_thread(self._commit)
        except BaseException as error:
            failure = error if isinstance(error, Exception) else RuntimeError("the writer stopped")
            log.error("a batch of %d writes could not commit: %s", len(batch), type(failure).__name__)
            await self._abandon(batch, failure)
            if not isinstance(error, Exception):
                raise
            return
        for op in ops:
            if op.done.done():
                continue
            if op.error is not None:
                op.done.set_exception(op.error)
            else:
                op.done.set_result(op.result)
        for block in blocks:
            if not block.committed.done():
                block.committed.set_result(None)

    async def _abandon(self, batch: list[_Op[Any] | _Block], failure: Exception) -> None:
        """Nothing of this batch is on disk: everyone in it hears so (nobody was told it was saved)."""
        for item in batch:
            if isinstance(item, _Op):
                if not item.done.done():
                    item.done.set_exception(item.error or failure)
            else:
                if not item.granted.done():
                    item.granted.set_exception(failure)
                item.finish(False)
                if not item.committed.done():
                    item.committed.set_exception(failure)
        with contextlib.suppress(Exception):
            await self.in_thread(self._reset)

    # ----- in the writer thread -----------------------------------------------------------------------

    def _connection(self) -> Connection:
        if self._conn is None:
            self._conn = self._engine.connect()
        return self._conn

    def _begin(self) -> None:
        self._connection().begin()

    def _commit(self) -> None:
        self._connection().commit()

    def _savepoint(self, action: str) -> None:
        conn = self._connection()
        if action == "begin":
            self._savepoints.append(conn.begin_nested())
        elif action == "release":
            self._savepoints.pop().commit()
        else:
            self._savepoints.pop().rollback()

    def execute_now(self, statement: Executable, parameters: Any = None) -> Buffered:
        return Buffered(self._connection().execute(statement, parameters))

    def _run_ops(self, ops: list[_Op[Any]], begin: bool, commit: bool) -> None:
        conn = self._connection()
        if begin:
            conn.begin()
        for op in ops:
            savepoint = conn.begin_nested()
            try:
                op.result = op.run(conn)
            except Exception as error:
                op.error = error
                savepoint.rollback()
            else:
                savepoint.commit()
        if commit:
            conn.commit()

    def _run_nested(self, op: WriteOp[T]) -> T:
        with self._connection().begin_nested():
            return op(self._connection())

    def _reset(self) -> None:
        """After a failure: roll back what is left, and start the next batch on a fresh connection."""
        self._savepoints = []
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(Exception):
                conn.rollback()
            with contextlib.suppress(Exception):
                conn.close()

    def _disconnect(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(Exception):
                conn.rollback()
            conn.close()
