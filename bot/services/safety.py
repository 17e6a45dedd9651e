"""The safety net: one policy for every place members write, crisis replies by kind and language, consent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from bot.clock import Clock
from bot.services.crisis_detector import Assessment, CrisisDetector, Tier
from bot.services.messages import DEFAULT_LANGUAGE, message
from bot.services.resources import ResourceBook, emergency_number, render_crisis_lines
from bot.storage.database import Database

REPEAT_ALERT_WINDOW = timedelta(minutes=30)

VERY_LOW_MOOD = 1
OVERWHELMING_CRAVINGS = 4
HARD_MOOD = 2  # at or below, with strong cravings: a supportive reply, a craving tip, the partner offer
STRONG_CRAVINGS = 3


class Step(StrEnum):
    """What the reply does, decided once by `decide` for check-ins, DMs and /tip alike."""

    CRISIS = "crisis"  # crisis lines first, with the consent button
    ASK = "ask"  # "Are you safe right now?" with three buttons
    SUPPORT = "support"  # a supportive reply, a craving tip, and the offer to let a partner know
    CARRY_ON = "carry_on"  # nothing of concern: the place's ordinary reply (a tip when one fits)


# The opening the crisis card leads with, by what was read or what the member answered.
OPENINGS = {
    "suicide": "opening_suicide",
    "self_harm": "opening_self_harm",
    "overdose": "opening_overdose",
    "danger": "opening_danger",
    "unsure": "opening_unsure",
    "help_now": "opening_help_now",
}


def decide(assessment: Assessment, *, mood: int | None = None, cravings: int | None = None) -> Step:
    """The one safety policy: a crisis now, a worry to ask about, a hard day, or nothing of concern.

    A leader is never part of it: only the member's own press of the consent button alerts anyone.
    """
    if assessment.tier == Tier.NOW:
        return Step.CRISIS
    if assessment.tier == Tier.WORRIED:
        return Step.ASK
    if mood == VERY_LOW_MOOD and cravings == OVERWHELMING_CRAVINGS and assessment.dark:
        return Step.ASK
    if mood is not None and cravings is not None and mood <= HARD_MOOD and cravings >= STRONG_CRAVINGS:
        return Step.SUPPORT
    return Step.CARRY_ON


@dataclass(frozen=True)
class SafetyReply:
    """A crisis card or the safety question, in the member's language; `opening` names the card's lead."""

    step: Step
    text: str
    language: str
    opening: str = "suicide"


def leader_alert_text(user_id: int, lang: str = DEFAULT_LANGUAGE) -> str:
    """The alert in the leaders' channel, in the server's language: who asked, never what they wrote."""
    return message("shared", lang, "leader_alert", user=str(user_id))


class SafetyService:
    """Reads what members write for crisis language and passes on a member's request for support, with consent."""

    def __init__(self, db: Database, resources: ResourceBook, clock: Clock, detector: CrisisDetector) -> None:
        self.db = db
        self.resources = resources
        self.clock = clock
        self.detector = detector

    async def check(
        self,
        community_id: int,
        *texts: str,
        language: str,
        mood: int | None = None,
        cravings: int | None = None,
    ) -> tuple[Step, SafetyReply | None]:
        """The step for these texts, and the crisis card or safety question when the step needs one."""
        assessment = await self.detector.assess_off_loop(*texts)
        step = decide(assessment, mood=mood, cravings=cravings)
        if step == Step.CRISIS:
            opening = assessment.kind or "suicide"
            return step, SafetyReply(step, await self.crisis_card(community_id, language, opening), language, opening)
        if step == Step.ASK:
            return step, SafetyReply(step, message("safety", language, "ask_safe"), language)
        return step, None

    async def card_without_community(self, text: str, language: str) -> str | None:
        """For someone in no community: the international crisis lines when the text is of concern."""
        assessment = await self.detector.assess_off_loop(text)
        if assessment.tier is None:
            return None
        region = self.resources.for_region(None)
        opening = OPENINGS.get(assessment.kind or "suicide", "opening_suicide")
        lead = message("safety", language, opening, emergency=emergency_number(region, language))
        return f"{lead}\n{render_crisis_lines(region, language)}"

    async def crisis_card(self, community_id: int, language: str, opening: str) -> str:
        """Crisis lines for the community's region, led by what to do now for this kind of crisis."""
        # A community that hasn't run /setup yet gets the default region (US), like every other default.
        community = await self.db.communities.ensure(community_id)
        region = self.resources.for_region(community.region)
        lead = message(
            "safety", language, OPENINGS.get(opening, "opening_suicide"), emergency=emergency_number(region, language)
        )
        lines = render_crisis_lines(region, language)
        return f"{lead}\n{lines}\n{message('safety', language, 'closing')}"
