"""`/days`: a member's private day counters, and the private note at each milestone (sent via the outbox)."""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.clock import Clock
from bot.errors import UserFacingError
from bot.services.day_math import (
    Milestone,
    count_days,
    days_since,
    describe,
    local_today,
    long_date,
    milestone_date,
    next_note,
)
from bot.services.member_notes import dm_channel, send_each
from bot.services.messages import DEFAULT_LANGUAGE, LANGUAGES, message, refusal
from bot.services.outbox import Outbox
from bot.services.retry_policy import grace_end
from bot.services.timeparse import parse_date
from bot.storage.database import Database
from bot.storage.days import DayCounter

log = logging.getLogger(__name__)

# A note more than this late (the bot was down for days) is not sent: the next milestone is planned instead.
LATE_LIMIT = timedelta(days=2)
MAX_NAME = 40
MAX_COUNTERS = 10


def milestone_code(milestone: Milestone) -> str:
    days, years = milestone
    return f"{years}y" if years else f"{days}d"


def milestone_from_code(code: str) -> Milestone:
    number, unit = int(code[:-1]), code[-1]
    return (0, number) if unit == "y" else (number, 0)


def clean_name(text: str | None) -> str:
    """A counter's name as typed, tidied (one line, spaces collapsed), or a kind refusal."""
    if not isinstance(text, str):
        raise refusal("days", "name_empty", limit=MAX_NAME)
    if any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Zl", "Zp") for c in text):
        raise refusal("days", "name_odd")
    name = " ".join(text.split())
    if not name:
        raise refusal("days", "name_empty", limit=MAX_NAME)
    if len(name) > MAX_NAME:
        raise refusal("days", "name_long", limit=MAX_NAME)
    return name


def count_words(start: date, today: date, lang: str = DEFAULT_LANGUAGE) -> str:
    days = days_since(start, today)
    if days == 0:
        return message("days", lang, "count_today")
    return count_days(days, lang)


@dataclass(frozen=True)
class DaysMember:
    zone: str
    today: date
    language: str


class DaysService:
    """Counters per member (a few each, compared by name once decrypted), and their milestone notes."""

    def __init__(self, db: Database, clock: Clock, outbox: Outbox) -> None:
        self.db = db
        self.clock = clock
        self.outbox = outbox
        self._on_change: list[Callable[[], Awaitable[None]]] = []

    def on_change(self, listener: Callable[[], Awaitable[None]]) -> None:
        """Call `listener` after a counter's next note moved, so the one timer for notes is planned again."""
        self._on_change.append(listener)

    async def _changed(self) -> None:
        for listener in self._on_change:
            await listener()

    async def _member(self, community_id: int, user_id: int) -> DaysMember:
        member = await self.db.members.get(community_id, user_id)
        community = await self.db.communities.get(community_id)
        zone = (member.timezone if member else None) or (community.timezone if community else None) or "UTC"
        language = (member.language if member else None) or DEFAULT_LANGUAGE
        return DaysMember(zone, local_today(self.clock(), zone), language)

    def _plan(self, start: date, zone: str) -> tuple[datetime, str]:
        milestone, when = next_note(start, self.clock(), zone)
        return when, milestone_code(milestone)

    async def names(self, community_id: int, user_id: int) -> list[str]:
        return [c.name for c in await self.db.days.counters(community_id, user_id)]

    async def _find(self, community_id: int, user_id: int, name: str | None) -> DayCounter:
        counters = await self.db.days.counters(community_id, user_id)
        if name is None:
            if len(counters) == 1:
                return counters[0]
            if not counters:
                raise refusal("days", "show_none")
            raise refusal("days", "need_name", example=counters[0].name)
        wanted = clean_name(name).casefold()
        for counter in counters:
            if counter.name.casefold() == wanted:
                return counter
        shown = clean_name(name)
        names = ", ".join(c.name for c in counters)
        texts = {
            lang: message(
                "days",
                lang,
                "unknown",
                counter=shown,
                have=message("days", lang, "have", names=names) if counters else message("days", lang, "have_none"),
            )
            for lang in LANGUAGES
        }
        raise UserFacingError(texts[DEFAULT_LANGUAGE], translations=texts)

    async def set(
        self, community_id: int, user_id: int, name: str | None, since: str | None, lang: str = DEFAULT_LANGUAGE
    ) -> str:
        """Start (or move) a counter from a date in the member's words: a new one from today when none is
        given; an existing one keeps its date (and comes out of hiding)."""
        member = await self._member(community_id, user_id)
        counters = await self.db.days.counters(community_id, user_id)
        if name is None and len(counters) > 1:
            raise refusal("days", "need_name", example=counters[0].name)
        default = message("days", lang, "default_name")
        chosen = clean_name(name) if name is not None else (counters[0].name if counters else default)
        existing = next((c for c in counters if c.name.casefold() == chosen.casefold()), None)
        if since is None and existing is not None:
            start = existing.start_date
        else:
            start = parse_date(since if since is not None else "today", member.today)
        if start > member.today:
            raise refusal("days", "future")
        when, code = self._plan(start, member.zone)
        shown = long_date(start, lang)
        count = count_words(start, member.today, lang)
        if existing is not None:
            if start == existing.start_date:
                # The same count: its milestones (and their share buttons) stay.
                await self.db.days.set_hidden(existing.id, False, next_note_at=when, next_milestone=code)
            else:
                await self.db.days.restart(existing.id, start, next_note_at=when, next_milestone=code)
            await self._changed()
            return message("days", lang, "set_again", counter=existing.name, start=shown, count=count)
        if len(counters) >= MAX_COUNTERS:
            raise refusal("days", "too_many", limit=MAX_COUNTERS)
        await self.db.days.add(
            community_id, user_id, chosen, start, next_note_at=when, next_milestone=code, now=self.clock()
        )
        await self._changed()
        if start == member.today:
            return message("days", lang, "set_today", counter=chosen)
        return message("days", lang, "set_new", start=shown, count=count)

    async def reset(self, community_id: int, user_id: int, name: str | None, lang: str = DEFAULT_LANGUAGE) -> str:
        counter = await self._find(community_id, user_id, name)
        member = await self._member(community_id, user_id)
        when, code = self._plan(member.today, member.zone)
        await self.db.days.restart(counter.id, member.today, next_note_at=when, next_milestone=code)
        await self._changed()
        return message("days", lang, "reset")

    async def hide(self, community_id: int, user_id: int, name: str | None, lang: str = DEFAULT_LANGUAGE) -> str:
        counter = await self._find(community_id, user_id, name)
        if counter.hidden:
            return message("days", lang, "already_hidden", counter=counter.name)
        await self.db.days.set_hidden(counter.id, True, next_note_at=None, next_milestone=None)
        await self._changed()
        return message("days", lang, "hidden", counter=counter.name)

    async def show(self, community_id: int, user_id: int, name: str | None, lang: str = DEFAULT_LANGUAGE) -> str:
        member = await self._member(community_id, user_id)
        if name is not None:
            shown = [await self._find(community_id, user_id, name)]
            hidden = 0
        else:
            counters = await self.db.days.counters(community_id, user_id)
            if not counters:
                return message("days", lang, "show_none")
            shown = [c for c in counters if not c.hidden]
            hidden = len(counters) - len(shown)
            if not shown:
                return message("days", lang, "show_all_hidden")
        lines: list[str] = []
        for counter in shown:
            start = counter.start_date
            lines.append(
                message(
                    "days",
                    lang,
                    "show_line",
                    counter=counter.name,
                    count=count_words(start, member.today, lang),
                    start=long_date(start, lang),
                )
            )
            if counter.next_milestone is not None:
                milestone = milestone_from_code(counter.next_milestone)
                day = milestone_date(start, milestone)
                shown_next = message(
                    "days", lang, "show_next", milestone=describe(milestone, lang), day=long_date(day, lang)
                )
                lines.append(shown_next)
        if hidden == 1:
            lines.append(message("days", lang, "show_hidden_one"))
        elif hidden:
            lines.append(message("days", lang, "show_hidden_many", hidden=str(hidden)))
        return "\n".join(lines)

    async def rezone(self, community_id: int, user_id: int) -> None:
        """The member's timezone changed: their notes come at 09:00 where they are now."""
        member = await self._member(community_id, user_id)
        for counter in await self.db.days.counters(community_id, user_id):
            if not counter.hidden:
                when, code = self._plan(counter.start_date, member.zone)
                await self.db.days.set_hidden(counter.id, False, next_note_at=when, next_milestone=code)
        await self._changed()

    # ----- milestone notes ------------------------------------------------------------------------------

    async def next_note_at(self) -> datetime | None:
        return await self.db.days.next_note_at()

    async def send_due(self) -> int:
        """Record and send every milestone note whose time has come; returns how many were sent or queued."""
        now = self.clock()
        return await send_each(await self.db.days.due(now), self._note, now, "milestone", log)

    async def _note(self, counter: DayCounter, now: datetime) -> int:
        assert counter.next_milestone is not None
        assert counter.next_note_at is not None
        member = await self._member(counter.community_id, counter.user_id)
        milestone = milestone_from_code(counter.next_milestone)
        code, later = next_note(counter.start_date, max(now, counter.next_note_at), member.zone)
        if now - counter.next_note_at > LATE_LIMIT:
            await self.db.days.set_hidden(
                counter.id, counter.hidden, next_note_at=later, next_milestone=milestone_code(code)
            )
            return 0
        channel_id = await self._dm_channel(counter.community_id, counter.user_id)
        if channel_id is None:
            await self.db.days.set_hidden(
                counter.id, counter.hidden, next_note_at=later, next_milestone=milestone_code(code)
            )
            return 0
        # A DM answering no interaction: in the language the member's Discord last spoke.
        lang = member.language
        text = (
            message("days", lang, "note", milestone=describe(milestone, lang), counter=counter.name)
            + "\n"
            + message("days", lang, "note_private")
        )
        recorded = await self.db.days.record_note(
            counter,
            channel_id=channel_id,
            text=text,
            now=now,
            give_up_at=grace_end("milestone", now, member.zone),
            next_note_at=later,
            next_milestone=milestone_code(code),
        )
        if recorded is None:
            return 0
        await self.outbox.deliver(recorded.message)
        return 1

    async def _dm_channel(self, community_id: int, user_id: int) -> int | None:
        return await dm_channel(self.db, self.outbox, community_id, user_id, "milestone", log)
