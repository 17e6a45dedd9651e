"""Presses and form submissions: each answered exactly once by the router, stale ones included."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord
from discord.ext import commands

from bot.metrics import observe_interaction
from bot.services.messages import language_of_locale
from bot.ui.routes import ROUTER

if TYPE_CHECKING:
    from bot.runtime import Services


class InteractionsCog(commands.Cog):
    """Hands every component and modal interaction under `lantern:` to the router, and notes each member's
    language."""

    def __init__(self, services: Services) -> None:
        self.services = services

    @commands.Cog.listener()
    async def on_interaction(self, interaction: discord.Interaction[Any]) -> None:
        if not ROUTER.owns(interaction):
            return
        await ROUTER.dispatch(interaction)
        kind = "form" if interaction.type == discord.InteractionType.modal_submit else "component"
        observe_interaction(kind, interaction.created_at)

    @commands.Cog.listener("on_interaction")
    async def remember_language(self, interaction: discord.Interaction[Any]) -> None:
        """Every interaction carries the language of the member's Discord; DMs and prompts have none."""
        await self.services.member_settings.remember_language(
            interaction.user.id, language_of_locale(interaction.locale)
        )

    @commands.Cog.listener("on_app_command_completion")
    async def remember_language_after(self, interaction: discord.Interaction[Any], command: object) -> None:
        """Again once a command is done: a member's first command (`/settings`) may be what creates them."""
        await self.remember_language(interaction)
