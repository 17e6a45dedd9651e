"""Leaders on duty: who is on (by hand or by the weekly rota), and support requests routed to them first."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.errors import UserFacingError
from bot.logs import describe_error
from bot.services import oncall_words as words
from bot.services.community_language import CommunityLanguages
from bot.services.messages import DEFAULT_LANGUAGE, message
from bot.services.oncall_math import Slot, next_start, on_duty_until, time_of_minute
from bot.services.outbox import Outbox
from bot.services.resources import ResourceBook, render_crisis_lines
from bot.services.safety import REPEAT_ALERT_WINDOW, leader_alert_text
from bot.services.timeparse import format_time_of_day, format_weekdays, parse_time_of_day, parse_weekdays
from bot.storage.database import Database
from bot.storage.oncall import RotaRow, SupportCall
from bot.storage.tables import MAX_ROW_ID

log = logging.getLogger(__name__)

MINUTES_MIN, MINUTES_MAX = 1, 240
HOURS_MIN, HOURS_MAX = 1, 72
MAX_SLOTS = 100


class OncallDiscord(Protocol):
    """How requests reach leaders' and members' DMs (bot/messenger.py); a refusal raises."""

    async def page(self, leader_id: int, call_id: int, text: str) -> None: ...

    async def dm(self, user_id: int, text: str) -> None: ...

    async def community_name(self, community_id: int) -> str: ...


@dataclass(frozen=True)
class OnDuty:
    """A leader on duty now, until when (None: until they say off), and whether by the rota."""

    leader_id: int
    until: datetime | None
    by_rota: bool


@dataclass(frozen=True)
class Claim:
    """What a press of "I've got this" did: `took` only for the first press of a leader it was sent to."""

    took: bool
    text: str
    call: SupportCall | None = None


def slot_of(row: RotaRow) -> Slot:
    return Slot(row.weekdays, time_of_minute(row.start_minute), time_of_minute(row.end_minute))


def describe_slot(slot: Slot) -> str:
    return words.SLOT.format(
        days=format_weekdays(slot.weekdays),
        start=format_time_of_day(slot.start),
        end=format_time_of_day(slot.end),
        next_day=words.NEXT_DAY if slot.overnight else "",
    )


def to_member(language: str, key: str, **values: str) -> str:
    """What a member reads about their request, in their language."""
    return message("oncall", language, key, **values)


def ago(elapsed: timedelta, lang: str = DEFAULT_LANGUAGE) -> str:
    """How long ago, as a leader would say it (a deadline may fire late, after the bot was down)."""
    minutes = max(1, round(elapsed.total_seconds() / 60))
    if minutes < 120:
        return message("shared", lang, "minutes_ago", n=str(minutes))
    return message("shared", lang, "hours_ago", n=str(round(minutes / 60)))


def when(instant: datetime) -> str:
    """A time every reader sees in their own zone (Discord's timestamp markup)."""
    return f"<t:{int(instant.timestamp())}:f>"


class OncallService:
    """Duty by hand and by rota; a member's request goes to the leaders on duty, with a timer in the
    database for when no one picks it up."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        outbox: Outbox,
        resources: ResourceBook,
        languages: CommunityLanguages | None = None,
    ) -> None:
        self.db = db
        # The server's language, for the leaders' channel (leaders' own DMs stay English).
        self.languages = languages or CommunityLanguages()
        self.clock = clock
        self.outbox = outbox
        self.resources = resources
        self.discord: OncallDiscord | None = None
        self._on_deadline: list[Callable[[], Awaitable[None]]] = []

    def on_deadline(self, listener: Callable[[], Awaitable[None]]) -> None:
        """Call `listener` when a request with a new deadline is recorded (the scheduler plans its timer)."""
        self._on_deadline.append(listener)

    async def _zone(self, community_id: int) -> ZoneInfo:
        community = await self.db.communities.get(community_id)
        return ZoneInfo(community.timezone if community is not None else "UTC")

    # ----- who is on duty ---------------------------------------------------------------------------

    async def on_duty(self, community_id: int, at: datetime | None = None) -> list[OnDuty]:
        at = at or self.clock()
        zone = await self._zone(community_id)
        slots: dict[int, list[Slot]] = {}
        for row in await self.db.oncall.slots(community_id):
            slots.setdefault(row.user_id, []).append(slot_of(row))
        by_hand = {d.user_id: d for d in await self.db.oncall.duties(community_id) if d.until is None or d.until > at}
        found = []
        for leader_id in sorted(set(slots) | set(by_hand)):
            rota_until = on_duty_until(slots.get(leader_id, []), at, zone)
            duty = by_hand.get(leader_id)
            if duty is not None and not duty.on_duty:
                continue
            if duty is not None:
                until = None if duty.until is None else max(duty.until, rota_until or duty.until)
                found.append(OnDuty(leader_id, until, by_rota=False))
            elif rota_until is not None:
                found.append(OnDuty(leader_id, rota_until, by_rota=True))
        return found

    async def turn_on(self, community_id: int, leader_id: int, hours: int | None) -> str:
        if hours is not None and not HOURS_MIN <= hours <= HOURS_MAX:
            raise UserFacingError(
                f"Pick {HOURS_MIN} to {HOURS_MAX} hours, or leave it out to stay on until `/oncall off`."
            )
        now = self.clock()
        until = now + timedelta(hours=hours) if hours is not None else None
        await self.db.communities.ensure(community_id)
        await self.db.oncall.set_duty(community_id, leader_id, on_duty=True, until=until, at=now)
        return words.ON.format(until=words.ON_UNTIL.format(when=when(until)) if until else "")

    async def turn_off(self, community_id: int, leader_id: int) -> str:
        now = self.clock()
        was_on = any(d.leader_id == leader_id for d in await self.on_duty(community_id, now))
        zone = await self._zone(community_id)
        mine = [slot_of(r) for r in await self.db.oncall.slots(community_id) if r.user_id == leader_id]
        rota_until = on_duty_until(mine, now, zone)
        if rota_until is not None:
            # Off for the rest of this slot only: the rota brings them back next time.
            await self.db.oncall.set_duty(community_id, leader_id, on_duty=False, until=rota_until, at=now)
        else:
            await self.db.oncall.clear_duty(community_id, leader_id)
        if not was_on:
            return words.OFF_NOT_ON
        return words.OFF_ROTA.format(when=when(rota_until)) if rota_until is not None else words.OFF

    async def who(self, community_id: int) -> str:
        now = self.clock()
        on = await self.on_duty(community_id, now)
        lines = []
        if on:
            lines.append(words.WHO_HEADING)
            for duty in on:
                until = words.WHO_UNTIL.format(when=when(duty.until)) if duty.until else ""
                how = words.WHO_BY_ROTA if duty.by_rota else words.WHO_BY_HAND
                lines.append(words.WHO_LINE.format(leader=duty.leader_id, until=until, how=how))
        else:
            lines.append(words.WHO_NO_ONE)
        zone = await self._zone(community_id)
        upcoming = []
        for row in await self.db.oncall.slots(community_id):
            start = next_start([slot_of(row)], now, zone)
            if start is not None:
                upcoming.append((start, row.user_id))
        on_ids = {d.leader_id for d in on}
        later = sorted(item for item in upcoming if item[1] not in on_ids) or sorted(upcoming)
        if later:
            lines.append(words.WHO_NEXT.format(leader=later[0][1], when=when(later[0][0])))
        lines.append(words.WHO_MINUTES.format(minutes=await self.db.oncall.minutes(community_id)))
        return "\n".join(lines)

    # ----- the rota ----------------------------------------------------------------------------------

    async def add_slot(self, community_id: int, leader_id: int, days: str, start: str, end: str) -> str:
        weekdays = parse_weekdays(days)
        begins, ends = parse_time_of_day(start), parse_time_of_day(end)
        if (begins.hour, begins.minute) == (ends.hour, ends.minute):
            raise UserFacingError(words.ROTA_SAME_TIMES)
        start_minute, end_minute = begins.hour * 60 + begins.minute, ends.hour * 60 + ends.minute
        existing = await self.db.oncall.slots(community_id)
        for row in existing:
            same = (row.user_id, row.weekdays, row.start_minute, row.end_minute)
            if same == (leader_id, weekdays, start_minute, end_minute):
                raise UserFacingError(words.ROTA_DUPLICATE.format(leader=leader_id, id=row.id))
        if len(existing) >= MAX_SLOTS:
            raise UserFacingError(words.ROTA_TOO_MANY.format(count=len(existing)))
        community = await self.db.communities.ensure(community_id)
        row = await self.db.oncall.add_slot(community_id, leader_id, weekdays, start_minute, end_minute, self.clock())
        return words.ROTA_ADDED.format(
            id=row.id, leader=leader_id, slot=describe_slot(slot_of(row)), zone=community.timezone
        )

    async def list_slots(self, community_id: int) -> str:
        rows = await self.db.oncall.slots(community_id)
        if not rows:
            return words.ROTA_EMPTY
        community = await self.db.communities.ensure(community_id)
        zone, now = ZoneInfo(community.timezone), self.clock()
        lines = [words.ROTA_HEADING.format(zone=community.timezone)]
        for row in rows:
            slot = slot_of(row)
            start = next_start([slot], now, zone)
            upcoming = words.ROTA_NEXT.format(when=when(start)) if start is not None else ""
            lines.append(words.ROTA_LINE.format(id=row.id, leader=row.user_id, slot=describe_slot(slot), next=upcoming))
        return "\n".join(lines)

    async def remove_slot(self, community_id: int, slot_id: int) -> str:
        # A number past what a row id can be (a hostile client) is simply not a slot.
        if not 1 <= slot_id <= MAX_ROW_ID or not await self.db.oncall.remove_slot(community_id, slot_id):
            raise UserFacingError(words.ROTA_MISSING.format(id=slot_id))
        return words.ROTA_REMOVED.format(id=slot_id)

    async def set_minutes(self, community_id: int, minutes: int | None) -> str:
        if minutes is None:
            return words.MINUTES_SHOW.format(minutes=await self.db.oncall.minutes(community_id))
        if not MINUTES_MIN <= minutes <= MINUTES_MAX:
            raise UserFacingError(f"Pick {MINUTES_MIN} to {MINUTES_MAX} minutes.")
        await self.db.communities.ensure(community_id)
        await self.db.oncall.set_minutes(community_id, minutes)
        return words.MINUTES_SET.format(minutes=minutes)

    # ----- a member's request ------------------------------------------------------------------------

    async def _crisis_lines(self, community_id: int, language: str) -> str:
        community = await self.db.communities.get(community_id)
        region = self.resources.for_region(community.region if community is not None else None)
        return render_crisis_lines(region, language)

    async def route(self, community_id: int, member_id: int, language: str) -> str:
        """Pass a member's request on: to the leaders on duty first, else the leaders' channel. Returns what
        the member reads, which never says anyone is watching before someone has answered."""
        now = self.clock()
        last = await self.db.support.last_alerted(community_id, member_id)
        if last is not None and now - last < REPEAT_ALERT_WINDOW:
            return message("safety", language, "support_already_sent")
        # A leader asking for support themselves is never sent their own request.
        leaders = [d.leader_id for d in await self.on_duty(community_id, now) if d.leader_id != member_id]
        if leaders and await self._page(community_id, member_id, leaders, now):
            await self.db.support.add(community_id, member_id, now, alerted=True)
            return to_member(language, "reached_on_duty")
        # No one on duty, or no one on duty could be reached: straight to the leaders' channel, said as it is.
        posted, note = (
            ("unreachable_posted", "unreachable_alert")
            if leaders
            else ("no_one_on_duty_posted", "no_one_on_duty_alert")
        )
        lines = await self._crisis_lines(community_id, language)
        community = await self.db.communities.get(community_id)
        if community is None or community.alert_channel_id is None:
            await self.db.support.add(community_id, member_id, now, alerted=False)
            return f"{to_member(language, 'no_one_on_duty_nowhere')}\n{lines}"
        channel_language = self.languages(community_id)
        text = f"{leader_alert_text(member_id, channel_language)}\n{message('shared', channel_language, note)}"
        state = await self.outbox.send(community_id, "alert", community.alert_channel_id, text, member_id=member_id)
        await self.db.support.add(community_id, member_id, now, alerted=state != "failed")
        if state == "failed":
            return f"{to_member(language, 'channel_refused')}\n{lines}"
        return f"{to_member(language, posted)}\n{lines}"

    async def _page(self, community_id: int, member_id: int, leaders: list[int], now: datetime) -> bool:
        """Record the request first, then DM each leader on duty; False when none could be reached."""
        if self.discord is None:
            raise RuntimeError("on-duty routing has no link to Discord yet (the bot has not started)")
        minutes = await self.db.oncall.minutes(community_id)
        call = await self.db.oncall.open_call(community_id, member_id, leaders, now, now + timedelta(minutes=minutes))
        name = await self.discord.community_name(community_id)
        text = words.PAGE.format(member=member_id, community=name, minutes=minutes)
        reached = 0
        for leader_id in leaders:
            try:
                await self.discord.page(leader_id, call.id, text)
                reached += 1
            except Exception as error:
                log.warning("could not reach a leader on duty: %s", describe_error(error))
        if not reached:
            await self.db.oncall.give_up(call.id)
            return False
        for listener in self._on_deadline:
            await listener()
        return True

    async def claim(self, call_id: int, leader_id: int) -> Claim:
        """A press of "I've got this": the first press of a leader it was sent to takes it; any other
        press changes nothing and says why."""
        call = await self.db.oncall.call(call_id)
        if call is None:
            return Claim(False, words.CALL_GONE)
        if leader_id not in await self.db.oncall.paged(call_id):
            return Claim(False, words.NOT_YOURS)
        if call.taken_by is None and await self.db.oncall.take(call_id, leader_id, self.clock()):
            return Claim(True, words.TOOK_IT.format(member=call.member_id), call)
        taken_by = (await self.db.oncall.call(call_id) or call).taken_by
        if taken_by == leader_id:
            return Claim(False, words.ALREADY_YOURS)
        if taken_by is None:  # taken, then the taker used /forget: no one to name
            return Claim(False, words.CALL_GONE)
        return Claim(False, words.TAKEN_BY_OTHER.format(leader=taken_by))

    async def announce_taken(self, call: SupportCall, leader_id: int, leader_name: str) -> None:
        """After a leader took a request: the leaders' channel shows who, and the member is told by name."""
        community = await self.db.communities.get(call.community_id)
        if community is not None and community.alert_channel_id is not None:
            key = "taken_late_alert" if call.state == "unanswered" else "taken_alert"
            language = self.languages(call.community_id)
            text = message("shared", language, key, leader=str(leader_id), member=str(call.member_id))
            await self.outbox.send(
                call.community_id, "alert", community.alert_channel_id, text, member_id=call.member_id
            )
        await self._tell_member(call, "member_taken", leader=leader_name)

    async def _member_language(self, call: SupportCall) -> str:
        member = await self.db.members.get(call.community_id, call.member_id)
        return (member.language if member is not None else None) or DEFAULT_LANGUAGE

    async def _tell_member(self, call: SupportCall, key: str, *, with_lines: bool = False, **values: str) -> None:
        """A DM to the member about their request, in the language their Discord last spoke (their DMs may
        be closed: then they are not told)."""
        if self.discord is None:
            return
        name = await self.discord.community_name(call.community_id)
        language = await self._member_language(call)
        text = to_member(language, key, community=name, **values)
        if with_lines:
            text += "\n" + await self._crisis_lines(call.community_id, language)
        try:
            await self.discord.dm(call.member_id, text)
        except Exception as error:
            log.info("could not tell a member about their request: %s", describe_error(error))

    async def next_deadline(self) -> datetime | None:
        return await self.db.oncall.next_deadline()

    async def expire_due(self, now: datetime | None = None) -> int:
        """Requests no one took in time: the leaders' channel is told plainly, and the member honestly."""
        now = now or self.clock()
        expired = await self.db.oncall.expire_due(now)
        for call in expired:
            community = await self.db.communities.get(call.community_id)
            told_channel = False
            if community is not None and community.alert_channel_id is not None:
                language = self.languages(call.community_id)
                text = message(
                    "shared",
                    language,
                    "unanswered_alert",
                    member=str(call.member_id),
                    ago=ago(now - call.created_at, language),
                )
                state = await self.outbox.send(
                    call.community_id, "alert", community.alert_channel_id, text, member_id=call.member_id
                )
                told_channel = state != "failed"
            await self._tell_member(
                call, "member_not_yet" if told_channel else "member_not_yet_nowhere", with_lines=True
            )
        return len(expired)
