"""SQLAlchemy Core table definitions: the schema that migrations must reproduce exactly."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    DateTime,
    Dialect,
    ForeignKey,
    ForeignKeyConstraint,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.types import TypeDecorator

# Deterministic constraint names let later migrations (and SQLite batch mode) refer to them.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_N_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware datetime stored as UTC; SQLite has no zone, so awareness is restored on read."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            # A naive value is ambiguous; guessing would silently shift someone's day.
            raise ValueError("datetimes must be timezone-aware (e.g. datetime.now(UTC))")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


communities = Table(
    "communities",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=False),  # Discord guild id
    Column("timezone", String(64), nullable=False, server_default=text("'UTC'")),
    Column("created_at", UTCDateTime, nullable=False),
)

members = Table(
    "members",
    metadata,
    Column(
        "community_id",
        BigInteger,
        ForeignKey("communities.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("user_id", BigInteger, nullable=False),  # Discord user id
    Column("timezone", String(64), nullable=True),
    Column("privacy_notice_seen_at", UTCDateTime, nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    PrimaryKeyConstraint("community_id", "user_id"),
)

# No separate index on (community_id, user_id, local_date): the UNIQUE constraint already
# creates exactly that index on both SQLite and PostgreSQL, and a copy would only slow writes.
checkins = Table(
    "checkins",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("community_id", BigInteger, nullable=False),
    Column("user_id", BigInteger, nullable=False),
    Column("local_date", Date, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    # Only ever a Fernet token of CheckinContent: the file must never hold plain content.
    Column("content", LargeBinary, nullable=False),
    UniqueConstraint("community_id", "user_id", "local_date"),
    ForeignKeyConstraint(
        ["community_id", "user_id"],
        ["members.community_id", "members.user_id"],
        ondelete="CASCADE",
    ),
)

bot_meta = Table(
    "bot_meta",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)
