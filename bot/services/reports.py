"""What leaders may see: participation, aggregates over at least five members, quiet members, the audit log."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from bot.clock import Clock
from bot.errors import UserFacingError
from bot.services.checkins import plural
from bot.services.question_words import answer_choices, words
from bot.services.streaks import local_day
from bot.storage.database import Database
from bot.storage.models import CheckinContent, Member

MIN_GROUP = 5
REPORT_MAX_DAYS = 90
AUDIT_MAX_DAYS = 365


def check_days(days: int, most: int, command: str) -> int:
    if not 1 <= days <= most:
        raise UserFacingError(f"Pick 1 to {most} days, like `/{command} days:7`.")
    return days


class ReportService:
    """Leaders' `/report` and `/audit`: counts and aggregates, never anyone's answers or notes."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    async def report(self, community_id: int, days: int, leaders: frozenset[int] = frozenset()) -> str:
        """Participation over `days`. Leaders are not members for these counts: a leader's own check-ins are
        left out, so the five-member threshold always counts other people."""
        check_days(days, REPORT_MAX_DAYS, "report")
        community = await self.db.communities.ensure(community_id)
        zone = community.timezone
        today = local_day(self.clock(), zone)
        since = today - timedelta(days=days - 1)
        rows = [row for row in await self.db.reports.checkins_since(community_id, since) if row[0] not in leaders]
        members = [
            m
            for m in await self.db.members.in_community(community_id)
            if m.left_at is None and m.user_id not in leaders
        ]
        per_day = Counter(day for _, day, _ in rows)
        active = {user for user, _, _ in rows}
        # Days before the community was set up, or before a member arrived, were never possible check-ins.
        opened = local_day(community.setup_at, zone) if community.setup_at is not None else since
        possible = sum(max(0, (today - max(since, opened, local_day(m.created_at, zone))).days + 1) for m in members)
        period = "today" if days == 1 else f"last {days} days"
        span = f"{today:%d %b}" if days == 1 else f"{since:%d %b} – {today:%d %b}"
        lines = [f"**Check-ins, {period}** ({span})"]
        lines.append(f"• {plural(len(rows), 'check-in')} from {len(active)} of {plural(len(members), 'member')}")
        if possible:
            rate = min(100, round(100 * len(rows) / possible))
            lines.append(f"• Response rate: {rate}% of possible daily check-ins")
        recent = [f"{day:%a %d}: {per_day.get(day, 0)}" for day in _days(max(since, today - timedelta(days=13)), today)]
        if days > 1:
            lines.append("• Per day: " + ", ".join(recent))
        moods = [c.mood for _, _, c in rows if c.mood is not None]
        cravings = [c.cravings for _, _, c in rows if c.cravings is not None]
        if len(active) >= MIN_GROUP and moods:
            line = f"• Mood averaged {sum(moods) / len(moods):.1f} out of 5"
            if cravings:
                line += f"; cravings {sum(cravings) / len(cravings):.1f} out of 4"
            lines.append(line + f" (across {len(active)} members)")
        else:
            lines.append(
                "• Moods are shown once at least "
                f"{MIN_GROUP} members (not counting leaders) have checked in, so nobody can be picked out."
            )
        lines += await self._question_counts(community_id, rows)
        rounds = [r for r in await self.db.partners.rounds(community_id, 50) if r.started_at.date() >= since]
        if rounds:
            groups = sum([len(await self.db.partners.groups(r.id)) for r in rounds])
            lines.append(f"• Partner rounds: {len(rounds)}, with {groups} groups")
        quiet = await self._quiet(community_id, today, members)
        if quiet:
            lines.append("• Asked to be checked on after going quiet: " + ", ".join(quiet))
        support = await self.db.reports.support_since(community_id, self.clock() - timedelta(days=days))
        if support:
            who = sorted({user for user, _ in support})
            lines.append("• Asked for support: " + ", ".join(f"<@{u}>" for u in who))
        lines += await self._undelivered(community_id, days)
        return "\n".join(lines)

    async def _question_counts(self, community_id: int, rows: list[tuple[int, date, CheckinContent]]) -> list[str]:
        """For each question whose form told members that leaders see a count: how many answered, and for a
        yes/no or 1-5 question the spread once enough members (leaders left out) answered. Never the words;
        only answers given under that promise count."""
        lines = []
        for schedule in await self.db.schedules.in_community(community_id):
            if not schedule.question or schedule.visibility != "leaders":
                continue
            given = question_answers(schedule.question, rows)
            lines.append("• " + question_line(schedule.question, schedule.answer_kind, given))
        return lines

    async def _undelivered(self, community_id: int, days: int) -> list[str]:
        """Sends Lantern could not deliver in the period, counted by why (never to whom or what)."""
        counts = await self.db.deliveries.undelivered_since(community_id, self.clock() - timedelta(days=days))
        lines = []
        names = {"prompt": ("DM prompt", "DM prompts"), "reminder": ("reminder", "reminders")}
        names["channel"] = ("channel prompt", "channel prompts")
        for kind, (one, many) in names.items():
            closed = counts.get((kind, "unreachable"), 0)
            trouble = sum(n for (k, why), n in counts.items() if k == kind and why != "unreachable")
            if closed:
                people = "1 member" if closed == 1 else f"{closed} members"
                lines.append(f"• {people} couldn't get a {one}: their DMs are closed to me")
            if trouble:
                sends = f"1 {one}" if trouble == 1 else f"{trouble} {many}"
                lines.append(f"• {sends} couldn't get through in time: Discord was having trouble")
        return lines

    async def _quiet(self, community_id: int, today: date, members: list[Member]) -> list[str]:
        last = await self.db.reports.last_checkin_days(community_id)
        quiet = []
        for member in members:
            if not member.quiet_days:
                continue
            seen = last.get(member.user_id) or member.created_at.date()
            gap = (today - seen).days
            if gap >= member.quiet_days:
                quiet.append(f"<@{member.user_id}> ({gap} days)")
        return quiet

    async def audit(self, community_id: int, days: int) -> str:
        check_days(days, AUDIT_MAX_DAYS, "audit")
        entries = await self.db.audit.since(community_id, self.clock() - timedelta(days=days))
        if not entries:
            return f"No leader actions in the last {days} days."
        lines = [f"**Leader actions and views, last {days} days** (newest first)"]
        for entry in entries[:40]:
            who = f"<@{entry.actor_id}>" if entry.actor_id else "someone who has since left"
            about = f" about <@{entry.target_id}>" if entry.target_id else ""
            detail = f" ({entry.detail})" if entry.detail else ""
            lines.append(f"• <t:{int(entry.at.timestamp())}:f> {who}: /{entry.action}{about}{detail}")
        if len(entries) > 40:
            lines.append(f"…and {len(entries) - 40} more.")
        return "\n".join(lines)[:1990]

    async def record(
        self, community_id: int, actor_id: int, action: str, target_id: int | None, detail: str | None
    ) -> None:
        await self.db.audit.add(community_id, actor_id, action, self.clock(), target_id=target_id, detail=detail)


def _days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def question_answers(question: str, rows: list[tuple[int, date, CheckinContent]]) -> list[tuple[int, str]]:
    """(member, answer) for each check-in that answered `question` agreeing that leaders see it as a count."""
    return [
        (user, content.answers[question])
        for user, _, content in rows
        if question in content.answers and content.shared.get(question) == "leaders"
    ]


def question_line(question: str, answer_kind: str, given: list[tuple[int, str]]) -> str:
    """One line of /report for a question leaders see as a count: never an answer's words."""
    members = len({user for user, _ in given})
    line = words(
        "text",
        "report_count",
        question=question,
        answers=plural(len(given), "answer"),
        members=plural(members, "member"),
    )
    choices = answer_choices(answer_kind)
    if not choices or not given:
        return line
    if members < MIN_GROUP:
        return line + words("text", "report_too_few")
    counts = Counter(answer for _, answer in given)
    spread = " · ".join(f"{label.split(' ·')[0]}: {counts.get(stored, 0)}" for label, stored in choices)
    return line + words("text", "report_spread", spread=spread)
