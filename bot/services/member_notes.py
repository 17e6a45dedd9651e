"""What milestone notes and hard dates' eves share: sending each that is due, and finding the member's DM."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable
from datetime import datetime
from typing import TypeVar

from bot.logs import describe_error
from bot.services.outbox import Outbox
from bot.storage.database import Database

Due = TypeVar("Due")


async def send_each(
    due: Iterable[Due], note: Callable[[Due, datetime], Awaitable[int]], now: datetime, what: str, log: logging.Logger
) -> int:
    """Send the note of each one due; one that raises is logged (by `what`) and the others still go out."""
    sent = 0
    for item in due:
        try:
            sent += await note(item, now)
        except Exception as error:
            log.error("a %s note raised %s", what, describe_error(error))
    return sent


async def dm_channel(
    db: Database, outbox: Outbox, community_id: int, user_id: int, what: str, log: logging.Logger
) -> int | None:
    """The member's DM channel with Lantern, opened (and remembered) if need be; None when it cannot be."""
    member = await db.members.get(community_id, user_id)
    if member is not None and member.dm_channel_id is not None:
        return member.dm_channel_id
    try:
        channel_id = await outbox.open_dm(user_id)
    except Exception as error:
        log.warning("could not open a DM for a %s note: %s", what, type(error).__name__)
        return None
    await db.members.set_dm_channel_everywhere(user_id, channel_id)
    return channel_id
