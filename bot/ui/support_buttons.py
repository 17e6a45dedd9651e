"""Buttons of the safety net and of coping tips; their custom_ids carry what they need across restarts."""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

import discord

from bot.services.messages import message
from bot.services.safety import SafetyReply, Step, leader_alert_text
from bot.services.tips import ChosenTip, render_tip
from bot.ui.prompt_buttons import services_of

if TYPE_CHECKING:
    from bot.runtime import Services

log = logging.getLogger(__name__)

Interaction = discord.Interaction[Any]

HELPED, NOT_FOR_ME, ANOTHER, GET = "h", "n", "a", "g"
ALL_SET_ASIDE = (
    "You've set aside every tip I have for this. That's useful to know. `/tip` with another situation "
    "might have something, or a leader can add your community's own with `/tips add`."
)


class SupportButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"lantern:support:(?P<c>[0-9]+)(?::(?P<l>en|es))?"
):
    """ "Let a peer leader know I could use support": the only way a leader hears of a crisis reply."""

    def __init__(self, community_id: int, language: str = "en") -> None:
        super().__init__(
            discord.ui.Button(
                label=message("safety", language, "support_button")[:80],
                style=discord.ButtonStyle.primary,
                custom_id=f"lantern:support:{community_id}:{language}",
            )
        )
        self.community_id = community_id
        self.language = language

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> SupportButton:
        # Buttons sent before replies had a language carry none: they were English.
        return cls(int(match["c"]), match["l"] or "en")

    async def callback(self, interaction: Interaction) -> None:
        services = services_of(interaction)
        user_id = interaction.user.id
        unavailable = message("safety", self.language, "no_alert_channel")
        channel_id, instead = await services.safety.where_to_alert(self.community_id, user_id, self.language)
        if channel_id is None:
            await interaction.response.send_message(instead or unavailable, ephemeral=True)
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        channel = interaction.client.get_partial_messageable(channel_id, guild_id=self.community_id)
        try:
            await channel.send(
                leader_alert_text(user_id), allowed_mentions=discord.AllowedMentions(users=False, roles=False)
            )
        except discord.HTTPException as error:
            log.warning("could not post a support alert: Discord error %s", error.code)
            await services.safety.record(self.community_id, user_id, alerted=False)
            await interaction.edit_original_response(content=unavailable)
            return
        await services.safety.record(self.community_id, user_id, alerted=True)
        await interaction.edit_original_response(content=message("safety", self.language, "support_sent"))


SAFE, UNSURE, HELP_NOW = "s", "u", "h"
SAFETY_LABELS = {SAFE: "button_safe", UNSURE: "button_unsure", HELP_NOW: "button_help"}
SAFETY_OPENINGS = {UNSURE: "unsure", HELP_NOW: "help_now"}


class SafetyAnswerButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"lantern:safe:(?P<c>[0-9]+):(?P<a>[suh]):(?P<l>en|es)"
):
    """The answers to "Are you safe right now?": "I'm not sure" and "I need help now" bring the crisis lines."""

    def __init__(self, community_id: int, answer: str, language: str) -> None:
        style = discord.ButtonStyle.danger if answer == HELP_NOW else discord.ButtonStyle.secondary
        super().__init__(
            discord.ui.Button(
                label=message("safety", language, SAFETY_LABELS[answer]),
                style=style,
                custom_id=f"lantern:safe:{community_id}:{answer}:{language}",
            )
        )
        self.community_id, self.answer, self.language = community_id, answer, language

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> SafetyAnswerButton:
        return cls(int(match["c"]), match["a"], match["l"])

    async def callback(self, interaction: Interaction) -> None:
        if self.answer == SAFE:
            await interaction.response.send_message(message("safety", self.language, "answer_safe"), ephemeral=True)
            return
        services = services_of(interaction)
        card = await services.safety.crisis_card(self.community_id, self.language, SAFETY_OPENINGS[self.answer])
        await interaction.response.send_message(
            card[:2000], ephemeral=True, view=_stopped(support_view(self.community_id, self.language))
        )


def safety_question_view(community_id: int, language: str) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for answer in (SAFE, UNSURE, HELP_NOW):
        view.add_item(SafetyAnswerButton(community_id, answer, language))
    return view


def safety_view(community_id: int, reply: SafetyReply) -> discord.ui.View:
    """The consent button under a crisis card; the three answers under the safety question."""
    if reply.step == Step.ASK:
        return _stopped(safety_question_view(community_id, reply.language))
    return _stopped(support_view(community_id, reply.language))


TIP_LABELS = {HELPED: "This helped", NOT_FOR_ME: "Not for me", ANOTHER: "Another one", GET: "Get a tip"}


class TipButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"lantern:tip:(?P<c>[0-9]+):(?P<a>[hnag]):(?P<s>[a-z-]{1,40}):(?P<t>[a-z0-9-]{1,40})",
):
    """The buttons under a tip ("This helped", "Not for me", "Another one") and "Get a tip" on prompts."""

    def __init__(self, community_id: int, action: str, situation: str, tip_id: str) -> None:
        style = discord.ButtonStyle.success if action == HELPED else discord.ButtonStyle.secondary
        super().__init__(
            discord.ui.Button(
                label=TIP_LABELS[action],
                style=style,
                custom_id=f"lantern:tip:{community_id}:{action}:{situation}:{tip_id}",
            )
        )
        self.community_id, self.action, self.situation, self.tip_id = community_id, action, situation, tip_id

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> TipButton:
        return cls(int(match["c"]), match["a"], match["s"], match["t"])

    async def callback(self, interaction: Interaction) -> None:
        services = services_of(interaction)
        user_id = interaction.user.id
        situation = None if self.situation == "any" else self.situation
        if self.action == GET:
            situations = await services.checkins.todays_situations(self.community_id, user_id)
            chosen = await services.tips.first_of(self.community_id, user_id, situations) if situations else None
            chosen = chosen or await services.tips.next_tip(self.community_id, user_id, None)
            await send_tip(interaction, services, self.community_id, chosen)
            return
        if self.action in (HELPED, NOT_FOR_ME):
            verdict = "helped" if self.action == HELPED else "not_for_me"
            await services.tips.feedback(self.community_id, user_id, self.tip_id, verdict)
            tip = await services.tips.tip_by_id(self.community_id, self.tip_id)
            thanks = (
                "Glad it helped. I'll offer it again another time."
                if verdict == "helped"
                else "Got it, I won't show you that one again."
            )
            body = f"{render_tip(tip)}\n\n{thanks}" if tip is not None and verdict == "helped" else thanks
            view = discord.ui.View(timeout=None)
            view.add_item(TipButton(self.community_id, ANOTHER, self.situation, self.tip_id))
            await interaction.response.edit_message(content=body, view=_stopped(view))
            return
        chosen = await services.tips.next_tip(self.community_id, user_id, situation)
        if chosen is None:
            await interaction.response.edit_message(content=ALL_SET_ASIDE, view=None)
            return
        await interaction.response.edit_message(
            content=render_tip(chosen.tip), view=_stopped(tip_view(self.community_id, chosen))
        )


def tip_view(community_id: int, chosen: ChosenTip) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for action in (HELPED, NOT_FOR_ME, ANOTHER):
        view.add_item(TipButton(community_id, action, chosen.situation, chosen.tip.id))
    return view


def support_view(community_id: int, language: str = "en") -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(SupportButton(community_id, language))
    return view


def get_tip_button(community_id: int) -> TipButton:
    return TipButton(community_id, GET, "any", "-")


async def send_tip(interaction: Interaction, services: Services, community_id: int, chosen: ChosenTip | None) -> None:
    if chosen is None:
        await interaction.response.send_message(ALL_SET_ASIDE, ephemeral=True)
        return
    await interaction.response.send_message(
        render_tip(chosen.tip), view=_stopped(tip_view(community_id, chosen)), ephemeral=True
    )


def _stopped(view: discord.ui.View) -> discord.ui.View:
    # Dynamic items are found again by custom_id; there is no need to keep the view in memory.
    view.stop()
    return view


DYNAMIC_ITEMS: tuple[type[discord.ui.DynamicItem[Any]], ...] = (SupportButton, SafetyAnswerButton, TipButton)
