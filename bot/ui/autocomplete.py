"""Autocomplete shared by several commands: timezones by name, city or abbreviation."""

from __future__ import annotations

import discord
from discord import app_commands

from bot.services.messages import language_of_locale
from bot.services.timeparse import MAX_AUTOCOMPLETE_CHOICES, timezone_choices
from bot.services.timezone_names import named_choices


async def timezone_autocomplete(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    # Names people use ("EST", "Pacific", "Seattle") first, each labelled with the zone it stands for.
    named = [
        app_commands.Choice(name=label, value=zone)
        for label, zone in named_choices(current, language=language_of_locale(interaction.locale))
    ]
    listed = [app_commands.Choice(name=name, value=name) for name in timezone_choices(current)]
    return (named + listed)[:MAX_AUTOCOMPLETE_CHOICES]
