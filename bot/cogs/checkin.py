"""`/checkin` (the private daily form) and `/history` (a member's own recent check-ins)."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.errors import UserFacingError
from bot.services.charts import DayPoint, summary_text
from bot.services.checkins import history_text
from bot.services.messages import language_of_locale, message
from bot.ui.checkin_form import open_checkin_form

if TYPE_CHECKING:
    from bot.runtime import LanternClient, Services

HISTORY_DEFAULT_DAYS = 14
HISTORY_MAX_DAYS = 1095  # three years


class CheckinCog(commands.Cog):
    """The daily check-in and a member's own history."""

    def __init__(self, services: Services) -> None:
        self.services = services

    @app_commands.command(name="checkin", description="Check in privately: mood, cravings, HALT and a note.")
    @app_commands.guild_only()
    async def checkin(self, interaction: discord.Interaction[LanternClient]) -> None:
        assert interaction.guild_id is not None
        await open_checkin_form(interaction, interaction.guild_id, 0)

    @app_commands.command(name="history", description="Your own recent check-ins. Only you can see them.")
    @app_commands.describe(
        days=f"How many days to look back (1 to {HISTORY_MAX_DAYS}, default {HISTORY_DEFAULT_DAYS})."
    )
    @app_commands.guild_only()
    async def history(
        self,
        interaction: discord.Interaction[LanternClient],
        days: app_commands.Range[int, 1, HISTORY_MAX_DAYS] = HISTORY_DEFAULT_DAYS,
    ) -> None:
        # Discord's client keeps to the range; a client that does not gets this answer instead.
        if not 1 <= days <= HISTORY_MAX_DAYS:
            raise UserFacingError(f"I can look back between 1 and {HISTORY_MAX_DAYS} days. Try `/history days:30`.")
        assert interaction.guild_id is not None
        await interaction.response.defer(ephemeral=True, thinking=True)
        history = await self.services.checkins.history(interaction.guild_id, interaction.user.id, days)
        lang = language_of_locale(interaction.locale)
        text = history_text(history, lang=lang)
        if history.total == 0:
            await interaction.edit_original_response(content=text)
            return
        points = [DayPoint(c.local_date, c.content.mood, c.content.cravings) for c in history.checkins]
        # Rendering takes tens of milliseconds: in worker processes, so other members are not kept waiting.
        chart = await self.services.charts.render(points, history.start, history.end, lang)
        summary = summary_text(points, history.start, history.end, lang)
        await interaction.edit_original_response(
            content=(f"{text}\n-# " + message("history", lang, "chart", summary=summary))[:2000],
            attachments=[discord.File(io.BytesIO(chart), filename="history.png", description=summary[:1024])],
        )
