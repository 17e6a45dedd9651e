"""The Database facade: one engine, one cipher and the repositories built on them."""

from __future__ import annotations

from collections.abc import Sequence
from types import TracebackType

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.sharding import EVERYTHING, ShardScope
from bot.storage.audit import AuditRepo
from bot.storage.crypto import ContentCipher
from bot.storage.data_rights import DataRightsRepo
from bot.storage.dates import DatesRepo
from bot.storage.days import DaysRepo
from bot.storage.engine import close_reader, close_writer, create_engine, migrate, migrate_apart
from bot.storage.goals import GoalRepo
from bot.storage.leases import LeaseRepo, ReplanRepo
from bot.storage.oncall import OncallRepo
from bot.storage.outbox import OutboxRepo
from bot.storage.partners import PartnerRepo
from bot.storage.reports import ReportRepo
from bot.storage.repositories import CheckinRepo, CommunityRepo, MemberRepo, MetaRepo
from bot.storage.scheduling import DeliveryRepo, ScheduleRepo
from bot.storage.support import LinkRepo, SupportRepo, TipRepo


class Database:
    """Everything the bot stores, reached through repositories; open with `await Database.open(...)`."""

    def __init__(self, engine: AsyncEngine, cipher: ContentCipher, shards: ShardScope = EVERYTHING) -> None:
        self.engine = engine
        self.cipher = cipher
        # What the timers read (active schedules, due retries, partner rounds) is only this process's
        # shards' share; everything a command reads or writes is unaffected.
        self.shards = shards
        self.communities = CommunityRepo(engine)
        self.members = MemberRepo(engine)
        self.checkins = CheckinRepo(engine, cipher)
        self.meta = MetaRepo(engine)
        self.schedules = ScheduleRepo(engine, shards)
        self.deliveries = DeliveryRepo(engine, shards)
        self.outbox = OutboxRepo(engine, cipher, shards)
        self.oncall = OncallRepo(engine, shards)
        self.tips = TipRepo(engine)
        self.links = LinkRepo(engine)
        self.support = SupportRepo(engine)
        self.partners = PartnerRepo(engine, shards)
        self.leases = LeaseRepo(engine)
        self.replans = ReplanRepo(engine, shards)
        self.audit = AuditRepo(engine)
        self.rights = DataRightsRepo(engine, cipher)
        self.reports = ReportRepo(engine, cipher)
        self.days = DaysRepo(engine, cipher, shards)
        self.dates = DatesRepo(engine, cipher, shards)
        self.goals = GoalRepo(engine, cipher)

    @classmethod
    async def open(
        cls, url: str, keys: Sequence[str] | str, *, shards: ShardScope = EVERYTHING, apart: bool = False
    ) -> Database:
        """Migrate the database to the latest schema, then connect to it; `apart`: migrate in a child process
        (the running bot's way, so that its own process never loads Alembic)."""
        # Checking the keys first means a bad key fails fast, before anything touches the file.
        cipher = ContentCipher(keys)
        await (migrate_apart(url) if apart else migrate(url))
        return cls(create_engine(url), cipher, shards)

    async def close(self) -> None:
        await close_writer(self.engine)
        await close_reader(self.engine)
        await self.engine.dispose()

    async def __aenter__(self) -> Database:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()
