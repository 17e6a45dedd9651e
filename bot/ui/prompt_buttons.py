"""Buttons on prompts that keep working after a restart: their custom_ids carry everything they need."""

from __future__ import annotations

import logging
import re
from datetime import date
from typing import TYPE_CHECKING, Any

import discord

from bot.logs import describe_error
from bot.services.checkin_form import MOOD_LABELS
from bot.ui.checkin_form import open_checkin_form
from bot.ui.replies import SORRY

if TYPE_CHECKING:
    from bot.runtime import LanternClient, Services

log = logging.getLogger(__name__)

Interaction = discord.Interaction[Any]


def services_of(interaction: Interaction) -> Services:
    """The bot's services, from any interaction (buttons do not know the bot's type statically)."""
    bot: LanternClient = interaction.client
    return bot.services


async def _safely(interaction: Interaction, what: str, action: Any) -> None:
    """Run a button's action; whatever happens, the member gets an answer."""
    try:
        await action
    except Exception as error:
        log.error("%s button raised %s", what, describe_error(error))
        if not interaction.response.is_done():
            await interaction.response.send_message(SORRY, ephemeral=True)


class OpenCheckinButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"lantern:open:(?P<c>[0-9]+):(?P<s>[0-9]+)"
):
    """ "Check in" on a channel prompt, a DM prompt or a reminder: opens the form for that community."""

    def __init__(self, community_id: int, schedule_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="Check in",
                style=discord.ButtonStyle.primary,
                emoji="📝",
                custom_id=f"lantern:open:{community_id}:{schedule_id}",
            )
        )
        self.community_id = community_id
        self.schedule_id = schedule_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> OpenCheckinButton:
        return cls(int(match["c"]), int(match["s"]))

    async def callback(self, interaction: Interaction) -> None:
        await _safely(interaction, "check-in", open_checkin_form(interaction, self.community_id, self.schedule_id))


class DmMoodButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"lantern:dmmood:(?P<c>[0-9]+):(?P<d>[0-9-]{10}):(?P<m>[1-5])",
):
    """One-tap mood after a member answered a DM prompt in their own words."""

    def __init__(self, community_id: int, day: date, mood: int) -> None:
        super().__init__(
            discord.ui.Button(
                label=MOOD_LABELS[mood],
                style=discord.ButtonStyle.secondary,
                custom_id=f"lantern:dmmood:{community_id}:{day.isoformat()}:{mood}",
            )
        )
        self.community_id = community_id
        self.day = day
        self.mood = mood

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> DmMoodButton:
        return cls(int(match["c"]), date.fromisoformat(match["d"]), int(match["m"]))

    async def callback(self, interaction: Interaction) -> None:
        await _safely(interaction, "mood", self._record(interaction))

    async def _record(self, interaction: Interaction) -> None:
        from bot.services.checkins import acknowledgement

        services = services_of(interaction)
        outcome = await services.checkins.set_mood(self.community_id, interaction.user.id, self.day, self.mood)
        if outcome is None:
            await interaction.response.send_message(
                "That check-in is no longer here (it may have been deleted). `/checkin` starts a fresh one.",
                ephemeral=True,
            )
            return
        await interaction.response.edit_message(content=acknowledgement(outcome), view=None)


def prompt_view(community_id: int, schedule_id: int, *, with_tip: bool = False) -> discord.ui.View:
    """The buttons under a prompt: "Check in", and on channel prompts "Get a tip"."""
    from bot.ui.support_buttons import get_tip_button

    view = discord.ui.View(timeout=None)
    view.add_item(OpenCheckinButton(community_id, schedule_id))
    if with_tip:
        view.add_item(get_tip_button(community_id))
    return view


def mood_view(community_id: int, day: date) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    for mood in sorted(MOOD_LABELS, reverse=True):
        view.add_item(DmMoodButton(community_id, day, mood))
    return view


DYNAMIC_ITEMS: tuple[type[discord.ui.DynamicItem[Any]], ...] = (OpenCheckinButton, DmMoodButton)
