"""The "Have you two connected?" buttons in partner threads; their custom_ids carry the group."""

from __future__ import annotations

import re
from typing import Any

import discord

from bot.services.partners import ping_text
from bot.ui.prompt_buttons import services_of

Interaction = discord.Interaction[Any]
ANSWERS = {"y": ("Yes", "yes"), "n": ("Not yet", "not_yet")}


class FollowupButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"lantern:pf:(?P<g>[0-9]+):(?P<a>[yn])"):
    """One partner's answer to the halfway follow-up."""

    def __init__(self, group_id: int, answer: str) -> None:
        label, _ = ANSWERS[answer]
        super().__init__(
            discord.ui.Button(
                label=label,
                style=discord.ButtonStyle.success if answer == "y" else discord.ButtonStyle.secondary,
                custom_id=f"lantern:pf:{group_id}:{answer}",
            )
        )
        self.group_id, self.answer = group_id, answer

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> FollowupButton:
        return cls(int(match["g"]), match["a"])

    async def callback(self, interaction: Interaction) -> None:
        services = services_of(interaction)
        _, stored = ANSWERS[self.answer]
        if not await services.partners.record_answer(self.group_id, interaction.user.id, stored):
            await interaction.response.send_message("This question is for the partners in this thread.", ephemeral=True)
            return
        reply = (
            "Lovely, thanks for letting me know."
            if stored == "yes"
            else "Thanks for saying. There's still time, and a short hello is plenty."
        )
        await interaction.response.send_message(reply, ephemeral=True)


class PingPartnerButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"lantern:ping:(?P<c>[0-9]+):(?P<g>[0-9]+)"
):
    """After a hard check-in: "Let my partner know", which posts a short hello request in the partner thread."""

    def __init__(self, community_id: int, group_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="Let my partner know",
                style=discord.ButtonStyle.secondary,
                custom_id=f"lantern:ping:{community_id}:{group_id}",
            )
        )
        self.community_id, self.group_id = community_id, group_id

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> PingPartnerButton:
        return cls(int(match["c"]), int(match["g"]))

    async def callback(self, interaction: Interaction) -> None:
        services = services_of(interaction)
        group = await services.db.partners.group(self.group_id)
        if group is None or interaction.user.id not in group.members or group.thread_id is None:
            await interaction.response.send_message("That partner group has ended.", ephemeral=True)
            return
        thread = interaction.client.get_partial_messageable(
            group.thread_id, guild_id=self.community_id, type=discord.ChannelType.private_thread
        )
        try:
            await thread.send(ping_text(interaction.user.id), allowed_mentions=discord.AllowedMentions(users=True))
        except discord.HTTPException:
            await interaction.response.send_message(
                "I couldn't reach your partner thread just now. Please try again in a minute.", ephemeral=True
            )
            return
        await interaction.response.send_message(
            "I've let your partner know you'd welcome a hello. I didn't share anything else.", ephemeral=True
        )


def followup_view(group_id: int) -> discord.ui.View:
    view = discord.ui.View(timeout=None)
    view.add_item(FollowupButton(group_id, "y"))
    view.add_item(FollowupButton(group_id, "n"))
    return view


DYNAMIC_ITEMS: tuple[type[discord.ui.DynamicItem[Any]], ...] = (FollowupButton, PingPartnerButton)
