"""Presses and form submissions: each answered exactly once by the router, stale ones included."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord
from discord.ext import commands

from bot.metrics import observe_interaction
from bot.ui.routes import ROUTER

if TYPE_CHECKING:
    from bot.runtime import Services


class InteractionsCog(commands.Cog):
    """Hands every component and modal interaction under `lantern:` to the router."""

    def __init__(self, services: Services) -> None:
        self.services = services

    @commands.Cog.listener()
    async def on_interaction(self, interaction: discord.Interaction[Any]) -> None:
        if not ROUTER.owns(interaction):
            return
        await ROUTER.dispatch(interaction)
        kind = "form" if interaction.type == discord.InteractionType.modal_submit else "component"
        observe_interaction(kind, interaction.created_at)
