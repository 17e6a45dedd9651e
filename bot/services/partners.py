"""Accountability partners: joining, confidential avoid lists, rounds of private threads, and follow-ups."""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from bot.clock import Clock
from bot.services.community_language import CommunityLanguages
from bot.services.delivery_errors import SendError
from bot.services.messages import DEFAULT_LANGUAGE, catalogue, message, refusal
from bot.services.outbox import Outbox
from bot.services.pairing import Candidate, make_groups
from bot.services.schedule_math import is_paused
from bot.storage.database import Database
from bot.storage.partners import CADENCES, Group, PartnerSettings, Round

log = logging.getLogger(__name__)

ROUND_LENGTH = {"weekly": timedelta(days=7), "biweekly": timedelta(days=14)}
HISTORY_ROUNDS = 10
# How far back /partner status looks for answers a partner chose to share (the latest day only).
SHARED_ANSWER_DAYS = 7
MISSED_ROUNDS_BEFORE_PAUSE = 2

# How many conversation starters there are to offer three of (bot/data/messages/shared.toml: starter_1...).
STARTERS = sum(key.startswith("starter_") for key in catalogue("shared")[DEFAULT_LANGUAGE])


def partner_text(language: str, key: str, **values: object) -> str:
    """One text a member reads from `/partner` or a partner button, in their language."""
    return message("partner", language, key, **{name: str(value) for name, value in values.items()})


class PartnerDiscord(Protocol):
    """What partner rounds need from Discord."""

    async def create_private_thread(self, channel_id: int, community_id: int, name: str) -> int: ...

    async def add_to_thread(self, thread_id: int, user_id: int) -> None: ...

    async def remove_from_thread(self, thread_id: int, user_id: int) -> None: ...

    async def post_welcome(self, thread_id: int, community_id: int, text: str) -> None: ...

    async def post_followup(self, thread_id: int, community_id: int, group_id: int, text: str) -> None: ...

    async def dm_text(self, user_id: int, text: str) -> None: ...

    async def dm_new_partner_offer(self, user_id: int, community_id: int, text: str, language: str) -> None: ...

    async def alert(self, channel_id: int, text: str) -> None: ...


INTERRUPTED_ROUND_WINDOW = timedelta(hours=1)


@dataclass
class RoundReport:
    """What a round did (ids and counts, nothing anyone wrote)."""

    round: Round | None
    groups: list[Group] = field(default_factory=list)
    unpaired: list[int] = field(default_factory=list)
    unreachable: list[int] = field(default_factory=list)
    paused: list[int] = field(default_factory=list)


def welcome_text(members: tuple[int, ...], round_number: int, rng: random.Random, lang: str = DEFAULT_LANGUAGE) -> str:
    """A partner thread's welcome, in the server's language (everyone in the thread reads it)."""
    names = message(
        "shared", lang, "names_and", names=", ".join(f"<@{m}>" for m in members[:-1]), last=f"<@{members[-1]}>"
    )
    starters = [message("shared", lang, f"starter_{n}") for n in rng.sample(range(1, STARTERS + 1), 3)]
    lines = [
        message("shared", lang, "welcome", names=names, round=str(round_number)),
        message("shared", lang, "welcome_starters"),
        *(f"• {s}" for s in starters),
        message("shared", lang, "welcome_end"),
    ]
    return "\n".join(lines)


def followup_text(lang: str = DEFAULT_LANGUAGE) -> str:
    return message("shared", lang, "followup")


def ping_text(user_id: int, lang: str = DEFAULT_LANGUAGE) -> str:
    """What "Let my partner know" posts in the partner thread, in the server's language."""
    return message("shared", lang, "partner_ping", user=str(user_id))


class PartnerService:
    """Runs partner rounds and the member and leader commands around them."""

    def __init__(self, db: Database, clock: Clock, outbox: Outbox, languages: CommunityLanguages | None = None) -> None:
        self.db = db
        self.clock = clock
        # The server's language, for its partner threads and the leaders' channel.
        self.languages = languages or CommunityLanguages()
        # Welcomes, follow-ups and leaders' alerts go through the outbox, so a bad moment at Discord's end
        # delays them instead of losing them.
        self.outbox = outbox
        self.discord: PartnerDiscord | None = None

    async def _language_of(self, community_id: int, user_id: int) -> str:
        """The language a member's Discord last spoke, for a DM that answers no interaction of theirs."""
        member = await self.db.members.get(community_id, user_id)
        return (member.language if member is not None else None) or DEFAULT_LANGUAGE

    def _discord(self) -> PartnerDiscord:
        if self.discord is None:
            raise RuntimeError("partner rounds need the bot to be running")
        return self.discord

    # ----- members ----------------------------------------------------------------------------------

    async def join(self, community_id: int, user_id: int, cadence: str | None) -> PartnerSettings:
        if cadence is not None and cadence not in CADENCES:
            raise refusal("partner", "cadence_unknown")
        settings = await self.db.partners.settings(community_id)
        chosen = cadence or settings.cadence
        await self.db.partners.set_member(
            community_id,
            user_id,
            self.clock(),
            opted_in=True,
            cadence=chosen,
            paused_from_pairing=False,
            missed_followups=0,
        )
        return settings

    async def leave(self, community_id: int, user_id: int) -> bool:
        """Out of partner rounds, this round's group included; whoever remains is told kindly."""
        member = await self.db.partners.member(community_id, user_id)
        _, group = await self.current_group(community_id, user_id)
        if (member is None or not member.opted_in) and group is None:
            return False
        await self.db.partners.set_member(community_id, user_id, self.clock(), opted_in=False)
        await self.step_back(community_id, user_id)
        return True

    async def step_back(self, community_id: int, user_id: int) -> None:
        """Take a member out of this round's group (they left partner rounds, or asked to be forgotten) and
        tell whoever remains, without saying which of the two it was."""
        _, group = await self.current_group(community_id, user_id)
        if group is None:
            return
        await self._take_out(group, user_id)
        remaining = [m for m in group.members if m != user_id]
        for other in remaining:
            try:
                language = await self._language_of(community_id, other)
                if len(remaining) == 1:
                    text = partner_text(language, "dm_stepped_back")
                    await self._discord().dm_new_partner_offer(other, community_id, text, language)
                else:
                    await self._discord().dm_text(other, partner_text(language, "dm_group_member_stepped_back"))
            except SendError as error:
                log.info("could not tell a partner their group changed: %s", error.reason)

    async def new_partner_now(self, community_id: int, user_id: int) -> Group | None:
        """Pair a member left alone this round with someone free (opted in, in no pair this round, not on
        either's avoid list); None when nobody is free (the next round pairs them as usual)."""
        this_round, group = await self.current_group(community_id, user_id)
        member = await self.db.partners.member(community_id, user_id)
        if member is None or not member.opted_in:
            raise refusal("partner", "not_in_rounds_now")
        if group is not None and len(group.members) > 1:
            raise refusal("partner", "already_paired")
        settings = await self.db.partners.settings(community_id)
        if this_round is None or settings.channel_id is None:
            return None
        groups = await self.db.partners.groups(this_round.id)
        paired = {m for g in groups if len(g.members) > 1 for m in g.members}
        alone = {g.members[0]: g for g in groups if len(g.members) == 1}
        avoided = await self.db.partners.avoid_pairs(community_id)
        free = [
            m.user_id
            for m in await self.db.partners.opted_in(community_id)
            if m.user_id != user_id and m.user_id not in paired and frozenset((user_id, m.user_id)) not in avoided
        ]
        if not free:
            return None
        # Someone else left alone this round first: they are waiting too.
        other = next((m for m in free if m in alone), free[0])
        for waiting in (user_id, other):
            if waiting in alone:
                await self.db.partners.remove_from_group(alone[waiting].id, waiting)
        new_group = await self.db.partners.add_group(this_round.id, community_id, (user_id, other))
        await self._open_thread(settings, this_round, new_group, RoundReport(this_round), random.Random(new_group.id))
        return new_group

    async def rematch(self, community_id: int, user_id: int) -> None:
        member = await self.db.partners.member(community_id, user_id)
        if member is None or not member.opted_in:
            raise refusal("partner", "not_in_rounds_yet")
        await self.db.partners.set_member(community_id, user_id, self.clock(), rematch=True)

    async def avoid(self, community_id: int, user_id: int, other_id: int, other_is_bot: bool) -> None:
        if other_id == user_id:
            raise refusal("partner", "avoid_self")
        if other_is_bot:
            raise refusal("partner", "avoid_bot")
        await self.db.partners.avoid(community_id, user_id, other_id, self.clock())

    async def current_group(self, community_id: int, user_id: int) -> tuple[Round | None, Group | None]:
        rounds = await self.db.partners.rounds(community_id, 1)
        if not rounds:
            return None, None
        for group in await self.db.partners.groups(rounds[0].id):
            if user_id in group.members:
                return rounds[0], group
        return rounds[0], None

    async def shared_moods(self, community_id: int, group: Group, viewer: int) -> dict[int, int]:
        """Partners of `viewer` who chose to share their mood: their latest mood (nothing else)."""
        shared: dict[int, int] = {}
        for other in group.members:
            if other == viewer:
                continue
            profile = await self.db.members.get(community_id, other)
            if profile is None or not profile.share_mood:
                continue
            latest = await self.db.checkins.recent(community_id, other, limit=1)
            if latest and latest[0].content.mood is not None:
                shared[other] = latest[0].content.mood
        return shared

    async def shared_answers(self, community_id: int, group: Group, viewer: int) -> list[tuple[int, str, str, date]]:
        """Answers `viewer`'s partners gave to a question whose form said their partner would see it: the latest
        day with such answers in the last week, per partner (member, question, answer, day). Nothing else."""
        shared: list[tuple[int, str, str, date]] = []
        since = self.clock().date() - timedelta(days=SHARED_ANSWER_DAYS)
        for other in group.members:
            if other == viewer:
                continue
            for checkin in await self.db.checkins.recent(community_id, other, since=since, limit=SHARED_ANSWER_DAYS):
                content = checkin.content
                given = [(q, a) for q, a in content.answers.items() if content.shared.get(q) == "partner"]
                if given:
                    shared += [(other, question, answer, checkin.local_date) for question, answer in given]
                    break
        return shared

    async def partner_thread_for(self, community_id: int, user_id: int) -> Group | None:
        """The member's current group, when it has a thread to write in."""
        _, group = await self.current_group(community_id, user_id)
        return group if group is not None and group.thread_id is not None else None

    # ----- leaders ----------------------------------------------------------------------------------

    async def configure(
        self, community_id: int, channel_id: int | None, cadence: str | None, enabled: bool | None
    ) -> PartnerSettings:
        values: dict[str, object] = {}
        if cadence is not None:
            if cadence not in CADENCES:
                raise refusal("partners", "cadence_unknown")
            values["cadence"] = cadence
        if channel_id is not None:
            values["channel_id"] = channel_id
        if enabled is not None:
            values["enabled"] = enabled
        current = await self.db.partners.settings(community_id)
        if enabled and (channel_id or current.channel_id) is None:
            raise refusal("partners", "channel_first")
        if enabled and current.next_round_at is None:
            values["next_round_at"] = self.clock() + ROUND_LENGTH[str(values.get("cadence", current.cadence))]
        return await self.db.partners.configure(community_id, self.clock(), **values)

    async def pair_by_hand(self, community_id: int, a: int, b: int, bots: set[int]) -> Group:
        if a == b:
            raise refusal("partners", "pair_same")
        if a in bots or b in bots:
            raise refusal("partners", "pair_bot")
        for user_id in (a, b):
            consent = await self.db.partners.member(community_id, user_id)
            if consent is None or not consent.opted_in:
                # Pairing is each member's own choice; whether someone left it is theirs to tell.
                raise refusal("partners", "pair_not_joined")
        if frozenset((a, b)) in await self.db.partners.avoid_pairs(community_id):
            # Avoid lists are confidential: say no without saying why.
            raise refusal("partners", "pair_refused")
        settings = await self.db.partners.settings(community_id)
        if settings.channel_id is None:
            raise refusal("partners", "channel_first")
        current_round, _ = await self.current_group(community_id, a)
        if current_round is None:
            current_round = await self._start_round(community_id, settings)
        for member in (a, b):
            _, group = await self.current_group(community_id, member)
            if group is not None:
                await self.unpair(community_id, member)
        group = await self.db.partners.add_group(current_round.id, community_id, (a, b), manual=True)
        report = RoundReport(current_round)
        await self._open_thread(settings, current_round, group, report, random.Random(group.id))
        return group

    async def unpair(self, community_id: int, user_id: int) -> Group:
        _, group = await self.current_group(community_id, user_id)
        if group is None:
            raise refusal("partners", "not_in_group")
        await self._take_out(group, user_id)
        return group

    async def _take_out(self, group: Group, user_id: int) -> None:
        """Out of the group and its thread (the thread may be gone: the group still changes)."""
        await self.db.partners.remove_from_group(group.id, user_id)
        if group.thread_id is not None:
            try:
                await self._discord().remove_from_thread(group.thread_id, user_id)
            except SendError as error:
                log.warning("could not remove a member from a partner thread: %s", error.reason)

    # ----- rounds -----------------------------------------------------------------------------------

    async def _start_round(self, community_id: int, settings: PartnerSettings) -> Round:
        now = self.clock()
        length = ROUND_LENGTH[settings.cadence]
        return await self.db.partners.new_round(community_id, now, now + length / 2)

    async def _history(self, community_id: int) -> dict[frozenset[int], int]:
        history: dict[frozenset[int], int] = {}
        for rounds_ago, past in enumerate(await self.db.partners.rounds(community_id, HISTORY_ROUNDS), start=1):
            for group in await self.db.partners.groups(past.id):
                for i, a in enumerate(group.members):
                    for b in group.members[i + 1 :]:
                        history.setdefault(frozenset((a, b)), rounds_ago)
        return history

    async def _review_followups(self, community_id: int, report: RoundReport) -> None:
        """Before a new round: members who answered neither button last round move closer to a pause."""
        rounds = await self.db.partners.rounds(community_id, 1)
        if not rounds or not rounds[0].followup_sent:
            return
        for group in await self.db.partners.groups(rounds[0].id):
            for user_id, answer in group.answers.items():
                member = await self.db.partners.member(community_id, user_id)
                if member is None or not member.opted_in:
                    continue
                missed = 0 if answer else member.missed_followups + 1
                paused = missed >= MISSED_ROUNDS_BEFORE_PAUSE
                await self.db.partners.set_member(
                    community_id, user_id, self.clock(), missed_followups=missed, paused_from_pairing=paused
                )
                if paused:
                    report.paused.append(user_id)
                    try:
                        language = await self._language_of(community_id, user_id)
                        await self._discord().dm_text(user_id, partner_text(language, "dm_paused"))
                    except SendError:
                        report.unreachable.append(user_id)

    async def run_round(self, community_id: int, *, by_hand: bool = False) -> RoundReport:
        """Pair everyone who opted in: pairs, plus one trio when the count is odd; each gets a private thread."""
        settings = await self.db.partners.settings(community_id)
        if settings.channel_id is None:
            raise refusal("partners", "channel_first")
        report = RoundReport(None)
        await self._review_followups(community_id, report)
        now = self.clock()
        community = await self.db.communities.ensure(community_id)
        candidates = []
        rematch: set[int] = set()
        for member in await self.db.partners.opted_in(community_id):
            profile = await self.db.members.get(community_id, member.user_id)
            if profile is not None and is_paused(profile.paused_until, now):
                continue
            zone = ZoneInfo((profile.timezone if profile else None) or community.timezone)
            offset = now.astimezone(zone).utcoffset() or timedelta(0)
            candidates.append(Candidate(member.user_id, int(offset.total_seconds() // 60), member.cadence))
            if member.rematch:
                rematch.add(member.user_id)
        if len(candidates) < 2:
            if by_hand:
                raise refusal("partners", "too_few")
            await self._schedule_next(community_id, settings)
            return report
        history = await self._history(community_id)
        avoid = await self.db.partners.avoid_pairs(community_id)
        # A rematch asks for someone new: last round's partners are off the table this time only.
        for pair, rounds_ago in history.items():
            if rounds_ago == 1 and pair & rematch:
                avoid.add(pair)
        previous = await self.db.partners.rounds(community_id, 1)
        seed = community_id % 100_000 + (previous[0].number + 1 if previous else 1)
        grouping = make_groups(candidates, history, avoid, seed=seed)
        this_round = await self._start_round(community_id, settings)
        report.round = this_round
        report.unpaired = list(grouping.unpaired)
        rng = random.Random(seed)
        # Every group is recorded before any thread is opened: a stop part-way leaves groups that the next
        # start finishes (finish_interrupted_rounds), not members who were never paired.
        groups = [await self.db.partners.add_group(this_round.id, community_id, members) for members in grouping.groups]
        for group in groups:
            await self._open_thread(settings, this_round, group, report, rng)
            report.groups.append(group)
        for user_id in rematch:
            await self.db.partners.set_member(community_id, user_id, now, rematch=False)
        await self._tell_leaders(community_id, report)
        await self._schedule_next(community_id, settings)
        return report

    async def _schedule_next(self, community_id: int, settings: PartnerSettings) -> None:
        if settings.enabled:
            await self.db.partners.configure(
                community_id, self.clock(), next_round_at=self.clock() + ROUND_LENGTH[settings.cadence]
            )

    async def _open_thread(
        self, settings: PartnerSettings, this_round: Round, group: Group, report: RoundReport, rng: random.Random
    ) -> None:
        assert settings.channel_id is not None
        discord = self._discord()
        name = message("shared", self.languages(group.community_id), "partner_thread", number=str(this_round.number))
        try:
            thread_id = await discord.create_private_thread(settings.channel_id, group.community_id, name)
        except SendError as error:
            log.warning("could not open a partner thread: %s", error.reason)
            report.unreachable.extend(group.members)
            return
        await self.db.partners.set_thread(group.id, thread_id)
        await self._welcome(group, thread_id, this_round, report, rng)

    async def _welcome(
        self, group: Group, thread_id: int, this_round: Round, report: RoundReport, rng: random.Random
    ) -> None:
        """Add the partners to their thread (adding twice is harmless) and welcome them, through the outbox."""
        for user_id in group.members:
            try:
                await self._discord().add_to_thread(thread_id, user_id)
            except SendError:
                report.unreachable.append(user_id)
        welcome = welcome_text(group.members, this_round.number, rng, self.languages(group.community_id))
        await self.outbox.send(group.community_id, "welcome", thread_id, welcome, group_id=group.id)

    async def finish_interrupted_rounds(self) -> int:
        """After a restart: groups of each community's latest round that the last process left half-done (no
        thread yet, or a thread whose welcome was never recorded) are finished now. Returns how many."""
        finished = 0
        for settings in await self.db.partners.enabled_communities():
            rounds = await self.db.partners.rounds(settings.community_id, 1)
            if not rounds or settings.channel_id is None:
                continue
            this_round = rounds[0]
            # Only a round that started moments ago can have been interrupted by the last stop; an older one
            # (or one welcomed before welcomes were recorded) is left alone rather than welcomed twice.
            if self.clock() - this_round.started_at > INTERRUPTED_ROUND_WINDOW:
                continue
            rng = random.Random(settings.community_id % 100_000 + this_round.number)
            for group in await self.db.partners.groups(this_round.id):
                if group.manual or len(group.members) < 2:
                    continue
                if group.thread_id is not None and await self.db.outbox.has_for_group("welcome", group.id):
                    continue
                report = RoundReport(this_round)
                if group.thread_id is None:
                    await self._open_thread(settings, this_round, group, report, rng)
                else:
                    await self._welcome(group, group.thread_id, this_round, report, rng)
                finished += 1
        return finished

    async def _tell_leaders(self, community_id: int, report: RoundReport) -> None:
        community = await self.db.communities.get(community_id)
        language = self.languages(community_id)
        problems = []
        if report.unreachable:
            who = ", ".join(f"<@{u}>" for u in sorted(set(report.unreachable)))
            problems.append(message("shared", language, "round_unreachable", who=who))
        if report.unpaired:
            who = ", ".join(f"<@{u}>" for u in report.unpaired)
            problems.append(message("shared", language, "round_unpaired", who=who))
        if not problems or community is None or community.alert_channel_id is None or report.round is None:
            return
        text = message("shared", language, "round_alert", number=str(report.round.number), problems=" ".join(problems))
        await self.outbox.send(community_id, "alert", community.alert_channel_id, text)

    async def retry_later(self, community_id: int, delay: timedelta) -> None:
        await self.db.partners.configure(community_id, self.clock(), next_round_at=self.clock() + delay)

    async def send_followups(self, community_id: int) -> int:
        """Halfway through the round: ask each group "Have you two connected?" once."""
        rounds = await self.db.partners.rounds(community_id, 1)
        if not rounds or not await self.db.partners.mark_followup_sent(rounds[0].id):
            return 0
        sent = 0
        for group in await self.db.partners.groups(rounds[0].id):
            if group.thread_id is None:
                continue
            text = followup_text(self.languages(community_id))
            state = await self.outbox.send(community_id, "followup", group.thread_id, text, group_id=group.id)
            sent += state == "sent"
        return sent

    async def record_answer(self, group_id: int, user_id: int, answer: str) -> bool:
        group = await self.db.partners.group(group_id)
        if group is None or user_id not in group.members:
            return False
        return await self.db.partners.answer(group_id, user_id, answer)

    async def due(self, now: datetime) -> list[tuple[str, int, datetime]]:
        """Timers for partner rounds: (kind, community id, when) for each enabled community."""
        timers: list[tuple[str, int, datetime]] = []
        for settings in await self.db.partners.enabled_communities():
            if settings.next_round_at is not None:
                timers.append(("round", settings.community_id, settings.next_round_at))
            rounds = await self.db.partners.rounds(settings.community_id, 1)
            if rounds and not rounds[0].followup_sent:
                timers.append(("followup", settings.community_id, rounds[0].followup_at))
        return timers
