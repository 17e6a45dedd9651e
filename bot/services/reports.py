"""What leaders may see: participation, aggregates over at least five members, quiet members, the audit log."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from bot.clock import Clock
from bot.services.command_names import command_catalogue
from bot.services.messages import DEFAULT_LANGUAGE, message, refusal
from bot.services.question_words import answer_choices, words
from bot.services.streaks import local_day
from bot.services.timeparse import day_names
from bot.storage.database import Database
from bot.storage.models import CheckinContent, Member

MIN_GROUP = 5
REPORT_MAX_DAYS = 90
AUDIT_MAX_DAYS = 365


def check_days(days: int, most: int, command: str) -> int:
    """`command` is "report" or "audit": its refusal names it as the leader's Discord shows it."""
    if not 1 <= days <= most:
        if command == "audit":
            raise refusal("report", "audit_days", most=most)
        raise refusal("report", "report_days", most=most)
    return days


def counted(count: int, one: str, many: str, language: str) -> str:
    """ "1 check-in", "3 check-ins": `one` and `many` are keys of the report catalogue."""
    return message("report", language, one if count == 1 else many, count=str(count))


def short_date(day: date, language: str, *, with_month: bool = True) -> str:
    """ "10 Mar" (or "Tue 10" without the month), with the day and month names of `language`."""
    if with_month:
        return f"{day:%d} {message('schedule', language, 'month_names').split(',')[day.month - 1]}"
    return f"{day_names(language)[day.weekday()]} {day:%d}"


def command_as_shown(qualified_name: str, language: str) -> str:
    """A command's qualified name as a Discord in `language` shows it ("schedule add" -> "horario añadir")."""
    if language == DEFAULT_LANGUAGE:
        return qualified_name
    names = command_catalogue(language)
    words = qualified_name.split()
    shown = [(names.command(" ".join(words[: n + 1])) or (word, ""))[0] for n, word in enumerate(words)]
    return " ".join(shown)


class ReportService:
    """Leaders' `/report` and `/audit`: counts and aggregates, never anyone's answers or notes."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    async def report(
        self,
        community_id: int,
        days: int,
        leaders: frozenset[int] = frozenset(),
        language: str = DEFAULT_LANGUAGE,
    ) -> str:
        """Participation over `days`, in the leader's language. Leaders are not members for these counts: a
        leader's own check-ins are left out, so the five-member threshold always counts other people."""
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
        if days == 1:
            period = message("report", language, "period_today")
            span = short_date(today, language)
        else:
            period = message("report", language, "period_days", days=str(days))
            span = f"{short_date(since, language)} – {short_date(today, language)}"
        lines = [message("report", language, "heading", period=period, span=span)]
        lines.append(
            message(
                "report",
                language,
                "checkins_from",
                checkins=counted(len(rows), "one_checkin", "many_checkins", language),
                active=str(len(active)),
                members=counted(len(members), "one_member", "many_members", language),
            )
        )
        if possible:
            rate = min(100, round(100 * len(rows) / possible))
            lines.append(message("report", language, "response_rate", rate=str(rate)))
        recent = [
            f"{short_date(day, language, with_month=False)}: {per_day.get(day, 0)}"
            for day in _days(max(since, today - timedelta(days=13)), today)
        ]
        if days > 1:
            lines.append(message("report", language, "per_day", days=", ".join(recent)))
        moods = [c.mood for _, _, c in rows if c.mood is not None]
        cravings = [c.cravings for _, _, c in rows if c.cravings is not None]
        if len(active) >= MIN_GROUP and moods:
            mood = f"{sum(moods) / len(moods):.1f}"
            lines.append(
                message(
                    "report",
                    language,
                    "mood_and_cravings",
                    mood=mood,
                    cravings=f"{sum(cravings) / len(cravings):.1f}",
                    active=str(len(active)),
                )
                if cravings
                else message("report", language, "mood", mood=mood, active=str(len(active)))
            )
        else:
            lines.append(message("report", language, "too_few", least=str(MIN_GROUP)))
        lines += await self._question_counts(community_id, rows, language)
        rounds = [r for r in await self.db.partners.rounds(community_id, 50) if r.started_at.date() >= since]
        if rounds:
            groups = sum([len(await self.db.partners.groups(r.id)) for r in rounds])
            lines.append(message("report", language, "partner_rounds", rounds=str(len(rounds)), groups=str(groups)))
        quiet = await self._quiet(community_id, today, members, language)
        if quiet:
            lines.append(message("report", language, "quiet", members=", ".join(quiet)))
        support = await self.db.reports.support_since(community_id, self.clock() - timedelta(days=days))
        if support:
            who = sorted({user for user, _ in support})
            lines.append(message("report", language, "support", members=", ".join(f"<@{u}>" for u in who)))
        lines += await self._undelivered(community_id, days, language)
        return "\n".join(lines)

    async def _question_counts(
        self, community_id: int, rows: list[tuple[int, date, CheckinContent]], language: str = DEFAULT_LANGUAGE
    ) -> list[str]:
        """For each question whose form told members that leaders see a count: how many answered, and for a
        yes/no or 1-5 question the spread once enough members (leaders left out) answered. Never the words;
        only answers given under that promise count."""
        lines = []
        for schedule in await self.db.schedules.in_community(community_id):
            if not schedule.question or schedule.visibility != "leaders":
                continue
            given = question_answers(schedule.question, rows)
            lines.append("• " + question_line(schedule.question, schedule.answer_kind, given, language))
        return lines

    async def _undelivered(self, community_id: int, days: int, language: str = DEFAULT_LANGUAGE) -> list[str]:
        """Sends Lantern could not deliver in the period, counted by why (never to whom or what)."""
        counts = await self.db.deliveries.undelivered_since(community_id, self.clock() - timedelta(days=days))
        lines = []
        names = {
            "prompt": ("dm_prompt_one", "dm_prompt_many"),
            "reminder": ("reminder_one", "reminder_many"),
            "channel": ("channel_prompt_one", "channel_prompt_many"),
        }
        for kind, (one, many) in names.items():
            closed = counts.get((kind, "unreachable"), 0)
            trouble = sum(n for (k, why), n in counts.items() if k == kind and why != "unreachable")
            single = message("report", language, one)
            if closed == 1:
                lines.append(message("report", language, "closed_one", what=single))
            elif closed:
                lines.append(message("report", language, "closed_many", count=str(closed), what=single))
            if trouble == 1:
                lines.append(message("report", language, "trouble_one", what=single))
            elif trouble:
                what = message("report", language, many)
                lines.append(message("report", language, "trouble_many", count=str(trouble), what=what))
        return lines

    async def _quiet(
        self, community_id: int, today: date, members: list[Member], language: str = DEFAULT_LANGUAGE
    ) -> list[str]:
        last = await self.db.reports.last_checkin_days(community_id)
        quiet = []
        for member in members:
            if not member.quiet_days:
                continue
            seen = last.get(member.user_id) or member.created_at.date()
            gap = (today - seen).days
            if gap >= member.quiet_days:
                quiet.append(message("report", language, "quiet_member", member=f"<@{member.user_id}>", days=str(gap)))
        return quiet

    async def audit(self, community_id: int, days: int, language: str = DEFAULT_LANGUAGE) -> str:
        check_days(days, AUDIT_MAX_DAYS, "audit")
        entries = await self.db.audit.since(community_id, self.clock() - timedelta(days=days))
        if not entries:
            return message("report", language, "audit_none", days=str(days))
        lines = [message("report", language, "audit_heading", days=str(days))]
        for entry in entries[:40]:
            who = f"<@{entry.actor_id}>" if entry.actor_id else message("report", language, "audit_left")
            about = (
                message("report", language, "audit_about", member=f"<@{entry.target_id}>") if entry.target_id else ""
            )
            detail = f" ({entry.detail})" if entry.detail else ""
            action = command_as_shown(entry.action, language)
            lines.append(f"• <t:{int(entry.at.timestamp())}:f> {who}: /{action}{about}{detail}")
        if len(entries) > 40:
            lines.append(message("report", language, "audit_more", count=str(len(entries) - 40)))
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


def question_line(
    question: str, answer_kind: str, given: list[tuple[int, str]], language: str = DEFAULT_LANGUAGE
) -> str:
    """One line of /report for a question leaders see as a count: never an answer's words."""
    members = len({user for user, _ in given})

    def count(number: int, one: str, many: str) -> str:
        return words("text", one, language) if number == 1 else words("text", many, language, count=number)

    line = words(
        "text",
        "report_count",
        language,
        question=question,
        answers=count(len(given), "one_answer", "many_answers"),
        members=count(members, "one_member", "many_members"),
    )
    choices = answer_choices(answer_kind, language)
    if not choices or not given:
        return line
    if members < MIN_GROUP:
        return line + words("text", "report_too_few", language)
    counts = Counter(answer for _, answer in given)
    spread = " · ".join(f"{label.split(' ·')[0]}: {counts.get(stored, 0)}" for label, stored in choices)
    return line + words("text", "report_spread", language, spread=spread)
