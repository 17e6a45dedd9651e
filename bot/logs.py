"""Logging set-up: plain lines on stderr, secrets redacted, and discord.py kept above DEBUG."""

from __future__ import annotations

import logging
import os
import sys
import traceback
from collections.abc import Iterable
from pathlib import Path

REDACTED = "[redacted]"


class RedactSecrets(logging.Filter):
    """Replaces any secret's text in a log record before it is written."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s and len(s) >= 8]

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secrets:
            return True
        message = record.getMessage()
        if any(secret in message for secret in self.secrets):
            for secret in self.secrets:
                message = message.replace(secret, REDACTED)
            record.msg, record.args = message, None
        return True


def setup_logging(level: str, secrets: Iterable[str] = ()) -> None:
    """Configure the root logger once for the process."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)-7s %(name)s: %(message)s"))
    handler.addFilter(RedactSecrets(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    numeric = logging.getLevelName(level)
    root.setLevel(numeric)
    # discord.py's DEBUG output carries whole payloads (what members typed); never let it through.
    logging.getLogger("discord").setLevel(max(numeric, logging.INFO))
    logging.getLogger("aiosqlite").setLevel(max(numeric, logging.INFO))
    logging.getLogger("sqlalchemy").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(max(numeric, logging.WARNING))


def describe_error(error: BaseException) -> str:
    """An exception's type and where it was raised, without its message, which could quote a member."""
    frames = traceback.extract_tb(error.__traceback__)
    ours = [frame for frame in frames if f"{os.sep}bot{os.sep}" in frame.filename] or frames
    if not ours:
        return type(error).__name__
    last = ours[-1]
    return f"{type(error).__name__} at {Path(last.filename).name}:{last.lineno} in {last.name}"
