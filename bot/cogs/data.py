"""`/export` and `/forget`: a member's own data, handed over or deleted; and forgetting members who left."""

from __future__ import annotations

import io
import logging
import re
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.services.checkins import plural
from bot.ui.prompt_buttons import services_of
from bot.ui.replies import answer

if TYPE_CHECKING:
    from bot.runtime import LanternClient, Services

log = logging.getLogger(__name__)

Interaction = discord.Interaction[Any]


class ForgetButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=r"lantern:forget:(?P<c>[0-9]+):(?P<u>[0-9]+):(?P<a>yes|no)"
):
    """The confirm (or keep) button of `/forget`; only the member who asked can press it."""

    def __init__(self, community_id: int, user_id: int, action: str) -> None:
        label = "Yes, delete everything" if action == "yes" else "Keep my data"
        style = discord.ButtonStyle.danger if action == "yes" else discord.ButtonStyle.secondary
        super().__init__(
            discord.ui.Button(label=label, style=style, custom_id=f"lantern:forget:{community_id}:{user_id}:{action}")
        )
        self.community_id, self.user_id, self.action = community_id, user_id, action

    @classmethod
    async def from_custom_id(
        cls, interaction: Interaction, item: discord.ui.Item[Any], match: re.Match[str]
    ) -> ForgetButton:
        return cls(int(match["c"]), int(match["u"]), match["a"])

    async def callback(self, interaction: Interaction) -> None:
        if interaction.user.id != self.user_id:
            await interaction.response.send_message("Only the person who asked can confirm this.", ephemeral=True)
            return
        if self.action == "no":
            await interaction.response.edit_message(content="Nothing was deleted. Your data is as it was.", view=None)
            return
        removed = await services_of(interaction).data_rights.forget(self.community_id, self.user_id)
        await interaction.response.edit_message(
            content=f"Done. I deleted {plural(removed, 'record')} about you in this community. "
            "If you use Lantern here again, it starts fresh.",
            view=None,
        )


class DataCog(commands.Cog):
    """A member's data rights, and forgetting people who left the server."""

    def __init__(self, services: Services) -> None:
        self.services = services

    @app_commands.command(name="export", description="A copy of everything Lantern holds about you here.")
    @app_commands.guild_only()
    async def export(self, interaction: discord.Interaction[LanternClient]) -> None:
        assert interaction.guild_id is not None
        await interaction.response.defer(ephemeral=True, thinking=True)
        files = await self.services.data_rights.export(interaction.guild_id, interaction.user.id)
        await interaction.edit_original_response(
            content=f"Here's everything I hold about you in this community ({plural(files.checkins, 'check-in')}). "
            "The JSON has it all; the CSV has your check-ins for a spreadsheet. Only you can see this.",
            attachments=[
                discord.File(io.BytesIO(files.json), filename="lantern-export.json"),
                discord.File(io.BytesIO(files.csv), filename="lantern-checkins.csv"),
            ],
        )

    @app_commands.command(name="forget", description="Delete everything Lantern holds about you here.")
    @app_commands.guild_only()
    async def forget(self, interaction: discord.Interaction[LanternClient]) -> None:
        assert interaction.guild_id is not None
        view = discord.ui.View(timeout=None)
        view.add_item(ForgetButton(interaction.guild_id, interaction.user.id, "yes"))
        view.add_item(ForgetButton(interaction.guild_id, interaction.user.id, "no"))
        view.stop()  # dynamic items: found again by custom_id
        await answer(
            interaction,
            "This deletes all your check-ins, notes, settings, partner history and tip feedback in this "
            "community, for good. `/export` first if you'd like a copy. Delete everything?",
            view=view,
        )

    @commands.Cog.listener()
    async def on_raw_member_remove(self, payload: discord.RawMemberRemoveEvent) -> None:
        await self.services.data_rights.member_left(payload.guild_id, payload.user.id)

    @commands.Cog.listener()
    async def on_member_join(self, member: discord.Member) -> None:
        await self.services.data_rights.member_returned(member.guild.id, member.id)


DYNAMIC_ITEMS: tuple[type[discord.ui.DynamicItem[Any]], ...] = (ForgetButton,)
