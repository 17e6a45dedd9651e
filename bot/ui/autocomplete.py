"""Autocomplete shared by several commands: timezones by name, city or abbreviation."""

from __future__ import annotations

import discord
from discord import app_commands

from bot.services.timeparse import timezone_choices


async def timezone_autocomplete(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    return [app_commands.Choice(name=name, value=name) for name in timezone_choices(current)]
