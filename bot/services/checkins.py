"""Saving check-ins and reading a member's own history, with the words the member sees."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from bot.clock import Clock, utc_now
from bot.metrics import CHECKINS
from bot.services.checkin_form import NOTE_LIMIT, checkin_text, craving_labels, halt_labels
from bot.services.messages import DEFAULT_LANGUAGE, message
from bot.services.streaks import days_since_previous, local_day, streak
from bot.services.tip_library import situations_for_checkin
from bot.storage.database import Database
from bot.storage.models import CheckinContent, DayCheckin, StoredCheckin


@dataclass(frozen=True)
class CheckinOutcome:
    """What happened when a member checked in."""

    created: bool
    streak: int
    total: int
    gap_days: int | None
    content: CheckinContent
    # True when this check-in is the member's first use of Lantern here (and it was asked to record that).
    first_use: bool = False
    # The member's local day the check-in was kept under (what the goal question's buttons name).
    day: date | None = None


@dataclass(frozen=True)
class History:
    """A member's own recent check-ins and their counts."""

    checkins: list[DayCheckin]
    streak: int
    total: int
    days: int
    start: date
    end: date


class CheckinService:
    """Check-ins for one bot: stored encrypted, one per member per local day."""

    def __init__(self, db: Database, clock: Clock = utc_now) -> None:
        self.db = db
        self.clock = clock

    async def timezone_of(self, community_id: int, user_id: int) -> str:
        member = await self.db.members.ensure(community_id, user_id)
        if member.timezone:
            return member.timezone
        community = await self.db.communities.get(community_id)
        return community.timezone if community is not None else "UTC"

    async def save(
        self, community_id: int, user_id: int, content: CheckinContent, *, mark_notice_seen: bool = False
    ) -> CheckinOutcome:
        """Store the member's check-in for their local today (before anyone tells them it was saved).

        With `mark_notice_seen` the same write records that they saw the privacy notice; the outcome's
        `first_use` says whether this was the first time.
        """
        now = self.clock()

        def merge(existing: StoredCheckin | None) -> CheckinContent:
            kept = content
            if existing is not None and existing.content.mood is None and not content.note:
                # The day was begun with a DM reply; an empty note in the form must not erase it.
                kept = replace(kept, note=existing.content.note)
            if existing is not None and kept.goal is None and existing.content.goal is not None:
                # The form does not ask the goal question (it follows as buttons): an update keeps the answer.
                kept = replace(kept, goal=existing.content.goal)
            return kept

        written = await self.db.checkins.check_in(
            community_id, user_id, now, lambda zone: local_day(now, zone), merge, mark_notice_seen=mark_notice_seen
        )
        CHECKINS.inc()
        day = written.saved.checkin.local_date
        started_by_dm = written.previous is not None and written.previous.content.mood is None
        return CheckinOutcome(
            created=written.saved.created or started_by_dm,
            streak=streak(written.days, day),
            total=len(written.days),
            gap_days=days_since_previous(written.days, day),
            content=written.saved.checkin.content,
            first_use=written.first_use,
            day=day,
        )

    async def _outcome(
        self, community_id: int, user_id: int, day: date, created: bool, content: CheckinContent
    ) -> CheckinOutcome:
        days = await self.db.checkins.days(community_id, user_id)
        return CheckinOutcome(
            created=created,
            streak=streak(days, day),
            total=len(days),
            gap_days=days_since_previous(days, day),
            content=content,
        )

    async def today(self, community_id: int, user_id: int) -> date:
        return local_day(self.clock(), await self.timezone_of(community_id, user_id))

    async def save_note(self, community_id: int, user_id: int, day: date, note: str) -> CheckinOutcome:
        """A reply to a DM prompt: kept as that day's note (added to a check-in made that day already)."""
        existing = await self.db.checkins.get_for_day(community_id, user_id, day)
        if existing is None:
            content = CheckinContent(mood=None, cravings=None, halt=frozenset(), note=note)
        else:
            old = existing.content
            joined = f"{old.note}\n\n{note}" if old.note else note
            content = replace(old, note=joined[-NOTE_LIMIT:])
        result = await self.db.checkins.save_for_day(community_id, user_id, day, content, self.clock())
        return await self._outcome(community_id, user_id, day, result.created, content)

    async def set_mood(self, community_id: int, user_id: int, day: date, mood: int) -> CheckinOutcome | None:
        """The one-tap mood after a DM reply; None when that day's check-in is gone."""
        existing = await self.db.checkins.get_for_day(community_id, user_id, day)
        if existing is None:
            return None
        content = replace(existing.content, mood=mood)
        await self.db.checkins.save_for_day(community_id, user_id, day, content, self.clock())
        return await self._outcome(community_id, user_id, day, True, content)

    async def todays_content(self, community_id: int, user_id: int) -> CheckinContent | None:
        """What the member has already told Lantern today, so a second form opens with it filled in. Only
        reads, on one connection: opening a form changes nothing."""
        now = self.clock()
        checkin = await self.db.checkins.todays(community_id, user_id, lambda zone: local_day(now, zone))
        return None if checkin is None else checkin.content

    async def todays_situations(self, community_id: int, user_id: int) -> list[str]:
        """Tip situations today's check-in points to (strong cravings, low mood, HALT), most pressing first."""
        checkin = await self.db.checkins.get_for_day(community_id, user_id, await self.today(community_id, user_id))
        if checkin is None:
            return []
        return situations_for(checkin.content)

    async def history(self, community_id: int, user_id: int, days: int) -> History:
        now = self.clock()
        # One read for all of it: a burst of /history should not cost four trips each.
        today, recent, all_days = await self.db.checkins.history(
            community_id, user_id, lambda zone: local_day(now, zone), days
        )
        since = today - timedelta(days=days - 1)
        return History(
            checkins=recent, streak=streak(all_days, today), total=len(all_days), days=days, start=since, end=today
        )


def situations_for(content: CheckinContent) -> list[str]:
    return situations_for_checkin(
        content.cravings if content.cravings is not None else 0,
        content.halt,
        content.mood if content.mood is not None else 3,
    )


def wants_tip(content: CheckinContent) -> bool:
    """Strong cravings, a very low mood, or a ticked HALT box: the acknowledgement offers a matching tip."""
    return bool(situations_for(content))


def acknowledgement(outcome: CheckinOutcome, lang: str = DEFAULT_LANGUAGE) -> str:
    """The warm reply after a check-in: thanks, the streak as encouragement, never as a loss."""
    lines: list[str] = []
    if not outcome.created:
        lines.append(checkin_text(lang, "thanks_updated"))
    elif outcome.gap_days is not None and outcome.gap_days > 1:
        lines.append(checkin_text(lang, "thanks_again"))
    else:
        lines.append(checkin_text(lang, "thanks"))
    if outcome.streak >= 2:
        lines.append(checkin_text(lang, "streak", count=outcome.streak))
    elif outcome.total > 1:
        lines.append(checkin_text(lang, "total", count=outcome.total))
    content = outcome.content
    low_mood = content.mood is not None and content.mood <= 2
    strong_cravings = content.cravings is not None and content.cravings >= 3
    if low_mood and strong_cravings:
        lines.append(checkin_text(lang, "tough_both"))
    elif low_mood:
        lines.append(checkin_text(lang, "tough_mood"))
    elif strong_cravings:
        lines.append(checkin_text(lang, "tough_cravings"))
    elif content.halt:
        labels = halt_labels(lang)
        ticked = ", ".join(labels[h].lower() for h in sorted(content.halt))
        lines.append(checkin_text(lang, "halt_ticked", ticked=ticked))
    return "\n".join(lines)


def history_words(lang: str, key: str, **values: object) -> str:
    return message("history", lang, key, **{name: str(value) for name, value in values.items()})


def short_day(day: date, lang: str = DEFAULT_LANGUAGE) -> str:
    """ "Mon 07 Dec" / "lun 07 dic": the same in every process locale."""
    weekday = history_words(lang, "weekdays").split()[day.weekday()]
    month = history_words(lang, "months").split()[day.month - 1]
    return f"{weekday} {day.day:02d} {month}"


def describe_day(checkin: DayCheckin | StoredCheckin, lang: str = DEFAULT_LANGUAGE) -> str:
    """One line of a member's own history."""
    content = checkin.content
    parts = [f"**{short_day(checkin.local_date, lang)}**"]
    mood = history_words(lang, "mood", mood=content.mood) if content.mood is not None else None
    parts.append(mood or history_words(lang, "mood_missing"))
    if content.cravings is not None:
        parts.append(history_words(lang, "cravings", label=craving_labels(lang)[content.cravings].lower()))
    if content.halt:
        labels = halt_labels(lang)
        parts.append("HALT: " + ", ".join(labels[h].lower() for h in sorted(content.halt)))
    line = " · ".join(parts)
    if content.note:
        note = content.note if len(content.note) <= 120 else content.note[:117] + "..."
        line += f"\n> {note}"
    return line


def history_text(history: History, *, limit_chars: int = 1900, lang: str = DEFAULT_LANGUAGE) -> str:
    """The member's own history as text that fits one Discord message."""
    if history.total == 0:
        return history_words(lang, "none_yet")
    period = (
        history_words(lang, "period_today")
        if history.days == 1
        else history_words(lang, "period_days", days=history.days)
    )
    shown_count = len(history.checkins)
    header = [
        history_words(lang, "count_one", period=period)
        if shown_count == 1
        else history_words(lang, "count_many", period=period, count=shown_count)
    ]
    if history.streak >= 2:
        header.append(history_words(lang, "streak", count=history.streak))
    header.append(
        history_words(lang, "all_one") if history.total == 1 else history_words(lang, "all_many", count=history.total)
    )
    text = "\n".join(header)
    if not history.checkins:
        return text + "\n" + history_words(lang, "empty_period")
    body = ""
    shown = 0
    # Only the days that fit are described: a message holds a dozen or so, and describing three years of
    # days only to drop them was a tenth of a /history (cProfile of bench.history).
    for checkin in history.checkins:
        line = describe_day(checkin, lang)
        if len(text) + len(body) + len(line) + 40 > limit_chars:
            break
        body += "\n" + line
        shown += 1
    if shown < len(history.checkins):
        body += "\n" + history_words(lang, "more", count=len(history.checkins) - shown)
    return text + "\n" + body
