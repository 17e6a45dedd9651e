"""`/dates add|list|remove` (a member's private hard dates) and `/dates community ...` (for peer leaders)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.services.dates import KINDS, MAX_LABEL, kind_words
from bot.services.messages import language_of_locale
from bot.services.timeparse import MAX_DATE_CHARS
from bot.storage.tables import MAX_ROW_ID
from bot.ui.leaders import check_leader
from bot.ui.replies import answer

if TYPE_CHECKING:
    from bot.runtime import LanternClient, Services

KIND_CHOICES = [app_commands.Choice(name=kind_words(key), value=key) for key in KINDS]
REPEAT_CHOICES = [
    app_commands.Choice(name="every year", value="yearly"),
    app_commands.Choice(name="just this once", value="once"),
]
Label = app_commands.Range[str, 1, MAX_LABEL]
When = app_commands.Range[str, 1, MAX_DATE_CHARS]
DateId = app_commands.Range[int, 1, MAX_ROW_ID]
HELP = {
    "label": "A short label only you will see, like Dad's birthday or payday",
    "date": "When: 14 February, 2026-05-01, tomorrow",
    "kind": "What kind of day it is (it picks the tip)",
    "repeat": "Every year (the default) or just this once",
}


@app_commands.guild_only()
class DatesCog(commands.GroupCog, group_name="dates", group_description="Hard dates, so Lantern can look out for you"):
    """A member's dates are theirs alone; a community's are added by leaders."""

    community = app_commands.Group(name="community", description="Community-wide dates (for peer leaders)")

    def __init__(self, services: Services) -> None:
        self.services = services
        super().__init__()

    @app_commands.command(name="add", description="Add a hard date; the day before, I'll send you a gentle note")
    @app_commands.describe(**HELP)
    @app_commands.choices(kind=KIND_CHOICES, repeat=REPEAT_CHOICES)
    async def add(
        self,
        interaction: discord.Interaction[LanternClient],
        label: Label,
        date: When,
        kind: str | None = None,
        repeat: str | None = None,
    ) -> None:
        assert interaction.guild_id is not None
        lang = language_of_locale(interaction.locale)
        text = await self.services.dates.add(interaction.guild_id, interaction.user.id, label, date, kind, repeat, lang)
        await answer(interaction, text)

    @app_commands.command(name="list", description="Your hard dates (only you see them)")
    async def list(self, interaction: discord.Interaction[LanternClient]) -> None:
        assert interaction.guild_id is not None
        lang = language_of_locale(interaction.locale)
        await answer(interaction, await self.services.dates.listing(interaction.guild_id, interaction.user.id, lang))

    @app_commands.command(name="remove", description="Remove one of your hard dates")
    @app_commands.describe(id="Its number from /dates list")
    async def remove(self, interaction: discord.Interaction[LanternClient], id: DateId) -> None:
        assert interaction.guild_id is not None
        lang = language_of_locale(interaction.locale)
        await answer(interaction, await self.services.dates.remove(interaction.guild_id, interaction.user.id, id, lang))

    @community.command(name="add", description="Add a date for everyone, like a public holiday")
    @app_commands.describe(
        label="A short label, like New Year's Eve (members see it in that day's prompt)",
        date=HELP["date"],
        kind=HELP["kind"],
        repeat=HELP["repeat"],
    )
    @app_commands.choices(kind=KIND_CHOICES, repeat=REPEAT_CHOICES)
    @app_commands.check(check_leader)
    async def community_add(
        self,
        interaction: discord.Interaction[LanternClient],
        label: Label,
        date: When,
        kind: str | None = None,
        repeat: str | None = None,
    ) -> None:
        assert interaction.guild_id is not None
        lang = language_of_locale(interaction.locale)
        await answer(
            interaction, await self.services.dates.add(interaction.guild_id, None, label, date, kind, repeat, lang)
        )

    @community.command(name="list", description="The community's dates")
    @app_commands.check(check_leader)
    async def community_list(self, interaction: discord.Interaction[LanternClient]) -> None:
        assert interaction.guild_id is not None
        lang = language_of_locale(interaction.locale)
        await answer(interaction, await self.services.dates.listing(interaction.guild_id, None, lang))

    @community.command(name="remove", description="Remove a community date")
    @app_commands.describe(id="Its number from /dates community list")
    @app_commands.check(check_leader)
    async def community_remove(self, interaction: discord.Interaction[LanternClient], id: DateId) -> None:
        assert interaction.guild_id is not None
        lang = language_of_locale(interaction.locale)
        await answer(interaction, await self.services.dates.remove(interaction.guild_id, None, id, lang))
