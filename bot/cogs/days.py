"""`/days set|show|reset|hide`: a member's private day counters (every reply only for them)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.services.days import MAX_NAME
from bot.services.messages import language_of_locale
from bot.services.timeparse import MAX_AUTOCOMPLETE_CHOICES, MAX_DATE_CHARS
from bot.ui.replies import answer

if TYPE_CHECKING:
    from bot.runtime import LanternClient, Services

Name = app_commands.Range[str, 1, MAX_NAME]
NAME_HELP = "Which counter, like alcohol or gambling (start typing to pick one of yours)"


@app_commands.guild_only()
class DaysCog(commands.GroupCog, group_name="days", group_description="Your private day counters"):
    """Counters only their member sees; milestones come as private notes."""

    def __init__(self, services: Services) -> None:
        self.services = services
        super().__init__()

    async def counter_names(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        if interaction.guild_id is None:
            return []
        names = await self.services.days.names(interaction.guild_id, interaction.user.id)
        wanted = current.casefold()
        return [app_commands.Choice(name=n, value=n) for n in names if wanted in n.casefold()][
            :MAX_AUTOCOMPLETE_CHOICES
        ]

    @app_commands.command(name="set", description="Start a counter, from today or a date you choose")
    @app_commands.describe(
        name="What you're counting, like alcohol or gambling (only you see it)",
        since="The day you started: today, yesterday, 2024-03-01, 1 March 2024, 3 days ago",
    )
    @app_commands.autocomplete(name=counter_names)
    async def set(
        self,
        interaction: discord.Interaction[LanternClient],
        name: Name | None = None,
        since: app_commands.Range[str, 1, MAX_DATE_CHARS] | None = None,
    ) -> None:
        assert interaction.guild_id is not None
        lang = language_of_locale(interaction.locale)
        text = await self.services.days.set(interaction.guild_id, interaction.user.id, name, since, lang)
        await answer(interaction, text)

    @app_commands.command(name="show", description="Your counters and their next milestones")
    @app_commands.describe(name=NAME_HELP)
    @app_commands.autocomplete(name=counter_names)
    async def show(self, interaction: discord.Interaction[LanternClient], name: Name | None = None) -> None:
        assert interaction.guild_id is not None
        lang = language_of_locale(interaction.locale)
        await answer(interaction, await self.services.days.show(interaction.guild_id, interaction.user.id, name, lang))

    @app_commands.command(name="reset", description="Start a counter again from today")
    @app_commands.describe(name=NAME_HELP)
    @app_commands.autocomplete(name=counter_names)
    async def reset(self, interaction: discord.Interaction[LanternClient], name: Name | None = None) -> None:
        assert interaction.guild_id is not None
        lang = language_of_locale(interaction.locale)
        await answer(interaction, await self.services.days.reset(interaction.guild_id, interaction.user.id, name, lang))

    @app_commands.command(name="hide", description="Keep a counter going quietly, out of /days show")
    @app_commands.describe(name=NAME_HELP)
    @app_commands.autocomplete(name=counter_names)
    async def hide(self, interaction: discord.Interaction[LanternClient], name: Name | None = None) -> None:
        assert interaction.guild_id is not None
        lang = language_of_locale(interaction.locale)
        await answer(interaction, await self.services.days.hide(interaction.guild_id, interaction.user.id, name, lang))
