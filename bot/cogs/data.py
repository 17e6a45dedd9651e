"""`/export` and `/forget`: a member's own data, handed over or deleted; and forgetting members who left."""

from __future__ import annotations

import io
import logging
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.services.messages import language_of_locale
from bot.ui.data_buttons import data_text, forget_view, how_many
from bot.ui.replies import answer

if TYPE_CHECKING:
    from bot.runtime import LanternClient, Services

log = logging.getLogger(__name__)

Interaction = discord.Interaction[Any]


class DataCog(commands.Cog):
    """A member's data rights, and forgetting people who left the server."""

    def __init__(self, services: Services) -> None:
        self.services = services

    @app_commands.command(name="export", description="A copy of everything Lantern holds about you here.")
    @app_commands.guild_only()
    async def export(self, interaction: discord.Interaction[LanternClient]) -> None:
        assert interaction.guild_id is not None
        language = language_of_locale(interaction.locale)
        await interaction.response.defer(ephemeral=True, thinking=True)
        files = await self.services.data_rights.export(interaction.guild_id, interaction.user.id)
        await interaction.edit_original_response(
            content=data_text(language, "export_done", checkins=how_many(language, "checkin", files.checkins)),
            attachments=[
                discord.File(io.BytesIO(files.json), filename="lantern-export.json"),
                discord.File(io.BytesIO(files.csv), filename="lantern-checkins.csv"),
            ],
        )

    @app_commands.command(name="forget", description="Delete everything Lantern holds about you here.")
    @app_commands.guild_only()
    async def forget(self, interaction: discord.Interaction[LanternClient]) -> None:
        assert interaction.guild_id is not None
        language = language_of_locale(interaction.locale)
        await answer(
            interaction,
            data_text(language, "forget_ask"),
            view=forget_view(interaction.guild_id, interaction.user.id, language),
        )

    @commands.Cog.listener()
    async def on_raw_member_remove(self, payload: discord.RawMemberRemoveEvent) -> None:
        await self.services.data_rights.member_left(payload.guild_id, payload.user.id)

    @commands.Cog.listener()
    async def on_member_join(self, member: discord.Member) -> None:
        await self.services.data_rights.member_returned(member.guild.id, member.id)
