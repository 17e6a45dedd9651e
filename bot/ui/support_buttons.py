"""Buttons of the safety net and of coping tips; their custom_ids carry what they need across restarts."""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

import discord

from bot.services.messages import language_of_locale, message
from bot.services.safety import SafetyReply, Step
from bot.services.tips import ChosenTip, render_tip
from bot.ui.safe import SNOWFLAKE, SafeButton, SafeView, services_of, snowflake

if TYPE_CHECKING:
    from bot.runtime import Services

log = logging.getLogger(__name__)

Interaction = discord.Interaction[Any]

HELPED, NOT_FOR_ME, ANOTHER, GET = "h", "n", "a", "g"
ALL_SET_ASIDE = message("tips", "en", "all_set_aside")


class SupportButton(SafeButton):
    """ "Let a peer leader know I could use support": the only way a leader hears of a crisis reply."""

    kind = "support"
    template = re.compile(rf"lantern:support:(?P<c>{SNOWFLAKE})(?::(?P<l>en|es))?")

    def __init__(self, community_id: int, language: str = "en") -> None:
        super().__init__(
            label=message("safety", language, "support_button")[:80],
            style=discord.ButtonStyle.primary,
            custom_id=f"lantern:support:{community_id}:{language}",
        )
        self.community_id = community_id
        self.language = language

    @classmethod
    def from_match(cls, match: re.Match[str]) -> SupportButton:
        # Buttons sent before replies had a language carry none: they were English.
        return cls(snowflake(match["c"]), match["l"] or "en")

    async def act(self, interaction: Interaction) -> None:
        services = services_of(interaction)
        # Reaching the leaders on duty means DMs and a post: answer within Discord's 3 seconds first.
        await interaction.response.defer(ephemeral=True, thinking=True)
        text = await services.oncall.route(self.community_id, interaction.user.id, self.language)
        await interaction.edit_original_response(content=text[:2000])


SAFE, UNSURE, HELP_NOW = "s", "u", "h"
SAFETY_LABELS = {SAFE: "button_safe", UNSURE: "button_unsure", HELP_NOW: "button_help"}
SAFETY_OPENINGS = {UNSURE: "unsure", HELP_NOW: "help_now"}


class SafetyAnswerButton(SafeButton):
    """The answers to "Are you safe right now?": "I'm not sure" and "I need help now" bring the crisis lines."""

    kind = "safe"
    template = re.compile(rf"lantern:safe:(?P<c>{SNOWFLAKE}):(?P<a>[suh]):(?P<l>en|es)")

    def __init__(self, community_id: int, answer: str, language: str) -> None:
        style = discord.ButtonStyle.danger if answer == HELP_NOW else discord.ButtonStyle.secondary
        super().__init__(
            label=message("safety", language, SAFETY_LABELS[answer]),
            style=style,
            custom_id=f"lantern:safe:{community_id}:{answer}:{language}",
        )
        self.community_id, self.answer, self.language = community_id, answer, language

    @classmethod
    def from_match(cls, match: re.Match[str]) -> SafetyAnswerButton:
        return cls(snowflake(match["c"]), match["a"], match["l"])

    async def act(self, interaction: Interaction) -> None:
        if self.answer == SAFE:
            await interaction.response.send_message(message("safety", self.language, "answer_safe"), ephemeral=True)
            return
        services = services_of(interaction)
        card = await services.safety.crisis_card(self.community_id, self.language, SAFETY_OPENINGS[self.answer])
        await interaction.response.send_message(
            card[:2000], ephemeral=True, view=support_view(self.community_id, self.language)
        )


def safety_question_view(community_id: int, language: str) -> SafeView:
    return SafeView(*(SafetyAnswerButton(community_id, answer, language) for answer in (SAFE, UNSURE, HELP_NOW)))


def safety_view(community_id: int, reply: SafetyReply) -> SafeView:
    """The consent button under a crisis card; the three answers under the safety question."""
    if reply.step == Step.ASK:
        return safety_question_view(community_id, reply.language)
    return support_view(community_id, reply.language)


# Catalogue keys of the tip buttons' labels; the words come from bot/data/messages/tips.toml.
TIP_LABELS = {HELPED: "button_helped", NOT_FOR_ME: "button_not_for_me", ANOTHER: "button_another", GET: "button_get"}
TIP_ACTIONS = (HELPED, NOT_FOR_ME, ANOTHER)


TIP_GONE = message("tips", "en", "tip_gone")


class TipButton(SafeButton):
    """The buttons under a tip ("This helped", "Not for me", "Another one") and "Get a tip" on prompts.

    Replies follow the language of whoever presses (the interaction's locale), so the custom_id carries none:
    a tip under a public prompt is pressed by members with different languages.
    """

    kind = "tip"
    template = re.compile(
        rf"lantern:tip:(?P<c>{SNOWFLAKE}):(?P<a>[hnag]):(?P<s>[a-z-]{{1,40}}):(?P<t>[a-z0-9-]{{1,40}})"
    )

    @classmethod
    def stale_words(cls, interaction: Interaction) -> str:
        return message("tips", language_of_locale(interaction.locale), "tip_gone")

    def __init__(self, community_id: int, action: str, situation: str, tip_id: str, language: str = "en") -> None:
        style = discord.ButtonStyle.success if action == HELPED else discord.ButtonStyle.secondary
        super().__init__(
            label=message("tips", language, TIP_LABELS[action]),
            style=style,
            custom_id=f"lantern:tip:{community_id}:{action}:{situation}:{tip_id}",
        )
        self.community_id, self.action, self.situation, self.tip_id = community_id, action, situation, tip_id

    @classmethod
    def from_match(cls, match: re.Match[str]) -> TipButton:
        return cls(snowflake(match["c"]), match["a"], match["s"], match["t"])

    async def act(self, interaction: Interaction) -> None:
        services = services_of(interaction)
        user_id = interaction.user.id
        language = language_of_locale(interaction.locale)
        situation = None if self.situation == "any" else self.situation
        if self.action == GET:
            situations = await services.checkins.todays_situations(self.community_id, user_id)
            chosen = (
                await services.tips.first_of(self.community_id, user_id, situations, language) if situations else None
            )
            chosen = chosen or await services.tips.next_tip(self.community_id, user_id, None, language)
            await send_tip(interaction, services, self.community_id, chosen, language=language)
            return
        if self.action in (HELPED, NOT_FOR_ME):
            tip = await services.tips.tip_by_id(self.community_id, self.tip_id, language)
            if tip is None:
                # A leader removed it (or a new library dropped it): nothing to give feedback on.
                await interaction.response.send_message(message("tips", language, "tip_gone"), ephemeral=True)
                return
            verdict = "helped" if self.action == HELPED else "not_for_me"
            await services.tips.feedback(self.community_id, user_id, self.tip_id, verdict)
            thanks = message("tips", language, "thanks_helped" if verdict == "helped" else "thanks_not_for_me")
            body = f"{render_tip(tip, language)}\n\n{thanks}" if verdict == "helped" else thanks
            view = SafeView(TipButton(self.community_id, ANOTHER, self.situation, self.tip_id, language))
            await interaction.response.edit_message(content=body, view=view)
            return
        chosen = await services.tips.next_tip(self.community_id, user_id, situation, language)
        if chosen is None:
            await interaction.response.edit_message(content=message("tips", language, "all_set_aside"), view=None)
            return
        await interaction.response.edit_message(
            content=render_tip(chosen.tip, language), view=tip_view(self.community_id, chosen, language)
        )


def tip_view(community_id: int, chosen: ChosenTip, language: str = "en") -> SafeView:
    return SafeView(
        *(TipButton(community_id, action, chosen.situation, chosen.tip.id, language) for action in TIP_ACTIONS)
    )


def support_view(community_id: int, language: str = "en") -> SafeView:
    return SafeView(SupportButton(community_id, language))


def get_tip_button(community_id: int, language: str = "en") -> TipButton:
    return TipButton(community_id, GET, "any", "-", language)


async def send_tip(
    interaction: Interaction,
    services: Services,
    community_id: int,
    chosen: ChosenTip | None,
    lead: str = "",
    language: str = "en",
) -> None:
    """A tip with its buttons; `lead` is a line above it (which situation a member's words were read as)."""
    if chosen is None:
        await interaction.response.send_message(message("tips", language, "all_set_aside"), ephemeral=True)
        return
    tip = render_tip(chosen.tip, language)
    text = f"{lead}\n{tip}" if lead else tip
    await interaction.response.send_message(text[:2000], view=tip_view(community_id, chosen, language), ephemeral=True)


BUTTONS: tuple[type[SafeButton], ...] = (SupportButton, SafetyAnswerButton, TipButton)
