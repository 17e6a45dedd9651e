"""The privacy notice: shown once, after a member's first command in a community."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.services.messages import language_of_locale
from bot.services.privacy_notice import privacy_notice

if TYPE_CHECKING:
    from bot.runtime import Services

log = logging.getLogger(__name__)

ERASING_COMMANDS = {"forget"}


class PrivacyCog(commands.Cog):
    """Tells each member, once, what Lantern keeps and who sees it."""

    def __init__(self, services: Services) -> None:
        self.services = services

    @commands.Cog.listener()
    async def on_app_command_completion(
        self, interaction: discord.Interaction, command: app_commands.Command | app_commands.ContextMenu
    ) -> None:
        # A command answered with a form shows the notice after the form instead.
        if interaction.guild is None or interaction.response.type == discord.InteractionResponseType.modal:
            return
        # Recording that the notice was seen creates the member's row; after /forget that would race the
        # deletion the member is about to confirm and could bring the row back (found by bench.chaos).
        if command.qualified_name in ERASING_COMMANDS:
            return
        if not await self.services.privacy.first_use(interaction.guild.id, interaction.user.id):
            return
        try:
            await interaction.followup.send(privacy_notice(language_of_locale(interaction.locale)), ephemeral=True)
        except discord.HTTPException:
            log.warning("could not show the privacy notice after /%s", command.qualified_name)
