"""Buttons under private notes: share a milestone (the member's choice, each time), or, the day before a
hard date, let a partner know."""

from __future__ import annotations

import re
from typing import Any

import discord

from bot.services.day_math import describe
from bot.services.days import milestone_from_code
from bot.services.messages import DEFAULT_LANGUAGE, language_of_locale, message
from bot.ui.safe import SNOWFLAKE, SafeButton, SafeView, row_id, services_of, snowflake

Interaction = discord.Interaction[Any]


def _days(interaction: Interaction, key: str, **values: str) -> str:
    return message("days", language_of_locale(interaction.locale), key, **values)


def _dates(interaction: Interaction, key: str, **values: str) -> str:
    return message("dates", language_of_locale(interaction.locale), key, **values)


class ShareMilestoneButton(SafeButton):
    """Posts "@member is marking 30 days today" in the check-in channel: never the counter's name."""

    kind = "days"
    template = re.compile(rf"lantern:days:share:(?P<m>{SNOWFLAKE})")

    def __init__(self, milestone_id: int, language: str = DEFAULT_LANGUAGE) -> None:
        super().__init__(
            label=message("days", language, "share_button"),
            style=discord.ButtonStyle.secondary,
            custom_id=f"lantern:days:share:{milestone_id}",
        )
        self.milestone_id = milestone_id

    @classmethod
    def from_match(cls, match: re.Match[str]) -> ShareMilestoneButton:
        return cls(row_id(match["m"]))

    async def act(self, interaction: Interaction) -> None:
        services = services_of(interaction)
        milestone = await services.db.days.milestone(self.milestone_id)
        if milestone is None:
            await interaction.response.send_message(_days(interaction, "share_stale"), ephemeral=True)
            return
        if milestone.user_id != interaction.user.id:
            await interaction.response.send_message(_days(interaction, "share_not_yours"), ephemeral=True)
            return
        community = await services.db.communities.get(milestone.community_id)
        if community is None or community.checkin_channel_id is None:
            await interaction.response.send_message(_days(interaction, "share_no_channel"), ephemeral=True)
            return
        if not await services.db.days.mark_shared(milestone.id, services.clock()):
            await interaction.response.send_message(_days(interaction, "shared_already"), ephemeral=True)
            return
        channel = interaction.client.get_partial_messageable(
            community.checkin_channel_id, guild_id=milestone.community_id, type=discord.ChannelType.text
        )
        # Everyone in the check-in channel reads it: the server's language, not the member's.
        language = services.languages(milestone.community_id)
        text = message(
            "days",
            language,
            "shared_public",
            user=str(interaction.user.id),
            milestone=describe(milestone_from_code(milestone.milestone), language),
        )
        try:
            await channel.send(text, allowed_mentions=discord.AllowedMentions.none())
        except discord.HTTPException:
            await services.db.days.unmark_shared(milestone.id)
            await interaction.response.send_message(_days(interaction, "share_retry"), ephemeral=True)
            return
        await interaction.response.send_message(
            _days(interaction, "shared", channel=str(community.checkin_channel_id)), ephemeral=True
        )


class HardDayPartnerButton(SafeButton):
    """The day before a hard date: a short hello request in the partner thread, saying nothing of the date."""

    kind = "hardday"
    template = re.compile(rf"lantern:hardday:(?P<c>{SNOWFLAKE}):(?P<g>{SNOWFLAKE})")

    def __init__(self, community_id: int, group_id: int, language: str = DEFAULT_LANGUAGE) -> None:
        super().__init__(
            label=message("dates", language, "partner_button"),
            style=discord.ButtonStyle.secondary,
            custom_id=f"lantern:hardday:{community_id}:{group_id}",
        )
        self.community_id, self.group_id = community_id, group_id

    @classmethod
    def from_match(cls, match: re.Match[str]) -> HardDayPartnerButton:
        return cls(snowflake(match["c"]), row_id(match["g"]))

    async def act(self, interaction: Interaction) -> None:
        services = services_of(interaction)
        group = await services.db.partners.group(self.group_id)
        if group is None or interaction.user.id not in group.members or group.thread_id is None:
            await interaction.response.send_message(_dates(interaction, "partner_gone"), ephemeral=True)
            return
        thread = interaction.client.get_partial_messageable(
            group.thread_id, guild_id=self.community_id, type=discord.ChannelType.private_thread
        )
        try:
            await thread.send(
                # Everyone in the partner thread reads it: the server's language, like the channel.
                message("dates", services.languages(self.community_id), "partner_ping", user=str(interaction.user.id)),
                allowed_mentions=discord.AllowedMentions(users=True),
            )
        except discord.HTTPException:
            await interaction.response.send_message(_dates(interaction, "partner_retry"), ephemeral=True)
            return
        await interaction.response.send_message(_dates(interaction, "partner_sent"), ephemeral=True)


def private_note_view(
    kind: str, community_id: int, group_id: int | None, language: str = DEFAULT_LANGUAGE
) -> SafeView | None:
    """The buttons under an outbox DM of this kind, rebuilt from what its row names, in the member's language."""
    if group_id is None:
        return None
    if kind == "milestone":
        return SafeView(ShareMilestoneButton(group_id, language))
    if kind == "hardday":
        return SafeView(HardDayPartnerButton(community_id, group_id, language))
    return None


BUTTONS: tuple[type[SafeButton], ...] = (ShareMilestoneButton, HardDayPartnerButton)
