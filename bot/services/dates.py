"""`/dates`: hard dates. A member's bring a gentle note the day before (a tip, and a partner if they like);
a community's add a supportive line to that day's check-in prompt."""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Awaitable, Callable
from datetime import date, datetime

from bot.clock import Clock
from bot.services.day_math import day_month, local_today, long_date, next_eve, on_year
from bot.services.member_notes import dm_channel, send_each
from bot.services.messages import DEFAULT_LANGUAGE, message, refusal
from bot.services.outbox import Outbox
from bot.services.partners import PartnerService
from bot.services.retry_policy import grace_end
from bot.services.timeparse import parse_date
from bot.services.tips import TipService, render_tip
from bot.storage.database import Database
from bot.storage.dates import HardDate
from bot.storage.tables import MAX_ROW_ID

log = logging.getLogger(__name__)

REPEATS = ("yearly", "once")
MAX_LABEL = 60
MAX_DATES = 20
MAX_COMMUNITY_DATES = 30
KINDS = ("anniversary", "birthday", "payday", "holiday", "other")
# The tip situations (bot/data/tips.toml) tried in turn for each kind of day.
SITUATIONS = {
    "anniversary": ["low-mood", "stress"],
    "birthday": ["social-pressure", "low-mood"],
    "payday": ["craving", "urge", "stress"],
    "holiday": ["social-pressure", "loneliness", "stress"],
    "other": ["stress", "low-mood"],
}


def kind_words(kind: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """ "an anniversary" / "un aniversario"."""
    return message("dates", lang, f"kind_{kind}")


def clean_label(text: str | None) -> str:
    if not isinstance(text, str):
        raise refusal("dates", "label_empty", limit=MAX_LABEL)
    if any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Zl", "Zp") for c in text):
        raise refusal("dates", "label_odd")
    label = " ".join(text.split())
    if not label:
        raise refusal("dates", "label_empty", limit=MAX_LABEL)
    if len(label) > MAX_LABEL:
        raise refusal("dates", "label_long", limit=MAX_LABEL)
    return label


def when_words(hard_date: HardDate, today: date, lang: str = DEFAULT_LANGUAGE) -> str:
    if hard_date.year is None:
        return message("dates", lang, "every_year", day=day_month(on_year(hard_date.month, hard_date.day, 2024), lang))
    day = date(hard_date.year, hard_date.month, hard_date.day)
    shown = message("dates", lang, "once", day=long_date(day, lang))
    return message("dates", lang, "passed", when=shown) if day < today else shown


class DatesService:
    """Members' private hard dates and communities' shared ones."""

    def __init__(self, db: Database, clock: Clock, outbox: Outbox, tips: TipService, partners: PartnerService) -> None:
        self.db = db
        self.clock = clock
        self.outbox = outbox
        self.tips = tips
        self.partners = partners
        self._on_change: list[Callable[[], Awaitable[None]]] = []

    def on_change(self, listener: Callable[[], Awaitable[None]]) -> None:
        self._on_change.append(listener)

    async def _changed(self) -> None:
        for listener in self._on_change:
            await listener()

    async def _language(self, community_id: int, user_id: int) -> str:
        member = await self.db.members.get(community_id, user_id)
        return (member.language if member is not None else None) or DEFAULT_LANGUAGE

    async def _zone(self, community_id: int, user_id: int | None) -> str:
        member = await self.db.members.get(community_id, user_id) if user_id is not None else None
        community = await self.db.communities.get(community_id)
        return (member.timezone if member else None) or (community.timezone if community else None) or "UTC"

    async def add(
        self,
        community_id: int,
        user_id: int | None,
        label: str,
        when: str,
        kind: str | None,
        repeat: str | None,
        lang: str = DEFAULT_LANGUAGE,
    ) -> str:
        """A hard date for a member (user_id) or the community (None); "once" dates must be still ahead."""
        tidy = clean_label(label)
        kind = kind if kind in KINDS else "other"
        repeat = repeat if repeat in REPEATS else "yearly"
        zone = await self._zone(community_id, user_id)
        today = local_today(self.clock(), zone)
        day = parse_date(when, today, future=True)
        if repeat == "once" and day < today:
            raise refusal("dates", "once_passed")
        existing = await self.db.dates.of_member(community_id, user_id)
        limit = MAX_DATES if user_id is not None else MAX_COMMUNITY_DATES
        if len(existing) >= limit:
            raise refusal("dates", "too_many" if user_id is not None else "too_many_community", limit=limit)
        year = day.year if repeat == "once" else None
        eve = next_eve(day.month, day.day, year, self.clock(), zone) if user_id is not None else None
        added = await self.db.dates.add(
            community_id,
            user_id,
            tidy,
            kind,
            day.month,
            day.day,
            year,
            next_note_at=eve[1] if eve else None,
            now=self.clock(),
        )
        await self._changed()
        shown = when_words(added, today, lang)
        if user_id is None:
            return message("dates", lang, "added_community", label=tidy, when=shown)
        return message("dates", lang, "added", label=tidy, when=shown)

    async def listing(self, community_id: int, user_id: int | None, lang: str = DEFAULT_LANGUAGE) -> str:
        dates = await self.db.dates.of_member(community_id, user_id)
        if not dates:
            return message("dates", lang, "list_none" if user_id is not None else "list_community_none")
        today = local_today(self.clock(), await self._zone(community_id, user_id))
        lines = [
            message(
                "dates",
                lang,
                "list_line",
                id=str(d.id),
                when=when_words(d, today, lang),
                label=d.label,
                kind=kind_words(d.kind, lang),
            )
            for d in dates
        ]
        lines.append(message("dates", lang, "list_foot" if user_id is not None else "list_community_foot"))
        return "\n".join(lines)[:1990]

    async def remove(self, community_id: int, user_id: int | None, date_id: int, lang: str = DEFAULT_LANGUAGE) -> str:
        # Checked before any query: an id past a 32-bit row id is refused by PostgreSQL itself.
        if not 1 <= date_id <= MAX_ROW_ID or not await self.db.dates.remove(community_id, user_id, date_id):
            raise refusal("dates", "not_found" if user_id is not None else "not_found_community", id=date_id)
        await self._changed()
        return message("dates", lang, "removed" if user_id is not None else "removed_community")

    async def prompt_line(self, community_id: int) -> Callable[[str, str], str | None]:
        """For a community's prompts: the supportive line for an occurrence (an ISO local date), if any, in a
        language (a channel's prompt passes the server's, a DM prompt the member's)."""
        dates = await self.db.dates.of_member(community_id, None)

        def line(occurrence: str, lang: str = DEFAULT_LANGUAGE) -> str | None:
            day = date.fromisoformat(occurrence)
            for d in dates:
                if on_year(d.month, d.day, day.year) == day and d.year in (None, day.year):
                    return message("dates", lang, "prompt_line", label=d.label)
            return None

        return line

    async def rezone(self, community_id: int, user_id: int) -> None:
        """The member's timezone changed: their eves' notes come at 09:00 where they are now."""
        zone = await self._zone(community_id, user_id)
        for hard_date in await self.db.dates.of_member(community_id, user_id):
            if hard_date.next_note_at is not None:
                found = next_eve(hard_date.month, hard_date.day, hard_date.year, self.clock(), zone)
                await self.db.dates.move_on(hard_date, found[1] if found else None)
        await self._changed()

    # ----- the eve's note -------------------------------------------------------------------------------

    async def next_note_at(self) -> datetime | None:
        return await self.db.dates.next_note_at()

    async def send_due(self) -> int:
        now = self.clock()
        return await send_each(await self.db.dates.due(now), self._note, now, "hard-date", log)

    async def _note(self, hard_date: HardDate, now: datetime) -> int:
        assert hard_date.user_id is not None
        assert hard_date.next_note_at is not None
        zone = await self._zone(hard_date.community_id, hard_date.user_id)
        after = max(now, hard_date.next_note_at)
        following = next_eve(hard_date.month, hard_date.day, hard_date.year, after, zone)
        later = following[1] if following else None
        channel_id = await self._dm_channel(hard_date.community_id, hard_date.user_id)
        if channel_id is None:
            await self.db.dates.move_on(hard_date, later)
            return 0
        # A DM answering no interaction: in the language the member's Discord last spoke.
        lang = await self._language(hard_date.community_id, hard_date.user_id)
        parts = [message("dates", lang, "eve", label=hard_date.label)]
        chosen = await self.tips.first_of(hard_date.community_id, hard_date.user_id, SITUATIONS[hard_date.kind], lang)
        if chosen is not None:
            parts.append(render_tip(chosen.tip, lang))
        parts.append(message("dates", lang, "eve_more"))
        group = await self.partners.partner_thread_for(hard_date.community_id, hard_date.user_id)
        if group is not None:
            parts.append(message("dates", lang, "eve_partner"))
        recorded = await self.db.dates.record_note(
            hard_date,
            channel_id=channel_id,
            text="\n\n".join(parts)[:2000],
            group_id=group.id if group is not None else None,
            now=now,
            give_up_at=grace_end("hardday", now, zone),
            next_note_at=later,
        )
        if recorded is None:
            return 0
        await self.outbox.deliver(recorded)
        return 1

    async def _dm_channel(self, community_id: int, user_id: int) -> int | None:
        return await dm_channel(self.db, self.outbox, community_id, user_id, "hard-date", log)
