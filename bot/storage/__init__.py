"""Storage: the only place the bot talks SQL; check-in content is encrypted at rest."""

from bot.storage.backup import backup
from bot.storage.crypto import ContentCipher, DecryptionError, generate_key, parse_keys
from bot.storage.database import Database
from bot.storage.engine import create_engine, migrate, to_async_url
from bot.storage.models import (
    HALT_KEYS,
    CheckinContent,
    Community,
    Member,
    SaveResult,
    StoredCheckin,
)
from bot.storage.repositories import CheckinRepo, CommunityRepo, MemberRepo, MetaRepo

__all__ = [
    "HALT_KEYS",
    "CheckinContent",
    "CheckinRepo",
    "Community",
    "CommunityRepo",
    "ContentCipher",
    "Database",
    "DecryptionError",
    "Member",
    "MemberRepo",
    "MetaRepo",
    "SaveResult",
    "StoredCheckin",
    "backup",
    "create_engine",
    "generate_key",
    "migrate",
    "parse_keys",
    "to_async_url",
]
