"""`/tip [situation]` for members, and `/tips add|remove|list` for a community's own tips."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.services.messages import language_of_locale, message
from bot.services.tip_library import BODY_MAX_LENGTH, TITLE_MAX_LENGTH, TipLibrary
from bot.services.tips import parse_custom_tip_id, render_tip
from bot.ui.leaders import check_leader
from bot.ui.replies import answer
from bot.ui.support_buttons import safety_view, send_tip

if TYPE_CHECKING:
    from bot.runtime import LanternClient, Services


SITUATION_MAX = 100  # what a member types to describe what's going on
TIP_ID_MAX = 20
Situation = app_commands.Range[str, 1, SITUATION_MAX]


class TipCog(commands.Cog):
    """A coping tip when a craving or a bad moment hits."""

    def __init__(self, services: Services) -> None:
        self.services = services

    async def situation_choices(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        language = language_of_locale(interaction.locale)
        return [
            app_commands.Choice(name=f"{s.name}: {s.description}"[:100], value=s.key)
            for s in self.services.tips.situation_choices(current, language)
        ]

    @app_commands.command(name="tip", description="A coping tip, for right now or for a situation.")
    @app_commands.describe(situation="What's going on, e.g. craving, can't sleep, lonely (optional)")
    @app_commands.autocomplete(situation=situation_choices)
    @app_commands.guild_only()
    async def tip(self, interaction: discord.Interaction[LanternClient], situation: Situation | None = None) -> None:
        assert interaction.guild_id is not None
        community_id = interaction.guild_id
        language = language_of_locale(interaction.locale)
        if situation:
            _, safety = await self.services.safety.check(community_id, situation, language=language)
            if safety is not None:
                await answer(interaction, safety.text, view=safety_view(community_id, safety))
                return
        tips = self.services.tips
        key = tips.situation_for(situation, language)
        chosen = await tips.next_tip(community_id, interaction.user.id, key, language)
        known = tips.library_for(language).situation(key) if key else None
        # Say how the member's words were read, so a tip that misses can be asked for again differently.
        lead = "-# " + message("tips", language, "tip_for", situation=known.name) if situation and known else ""
        await send_tip(interaction, self.services, community_id, chosen, lead, language)


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class TipsCog(commands.GroupCog, group_name="tips", group_description="Your community's own tips (for peer leaders)"):
    """Leaders add tips that sit beside the built-in library."""

    def __init__(self, services: Services) -> None:
        self.services = services
        super().__init__()

    async def interaction_check(self, interaction: discord.Interaction[Any]) -> bool:
        return await check_leader(interaction)

    async def situation_choices(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        language = language_of_locale(interaction.locale)
        return [
            app_commands.Choice(name=s.name, value=s.key)
            for s in self.services.tips.situation_choices(current, language)
        ]

    @app_commands.command(name="add", description="Add a tip of your community's own")
    @app_commands.describe(
        title="A short title (3 to 100 characters)",
        body="The tip itself: what to do, and for how long (20 to 1000 characters)",
        situation="When it helps (leave empty for any time)",
    )
    @app_commands.autocomplete(situation=situation_choices)
    async def add(
        self,
        interaction: discord.Interaction[LanternClient],
        title: app_commands.Range[str, 1, TITLE_MAX_LENGTH],
        body: app_commands.Range[str, 1, BODY_MAX_LENGTH],
        situation: Situation | None = None,
    ) -> None:
        assert interaction.guild_id is not None
        language = language_of_locale(interaction.locale)
        tips = self.services.tips
        tips.check_custom(title, body, situation, language)
        tip = await tips.add_custom(interaction.guild_id, title, body, situation, language)
        filed = tips.library_for(language).situation(tip.situations[0]) if tip.situations else None
        added = (
            message("tips", language, "added_for", tip_id=tip.id, situation=filed.name)
            if filed
            else message("tips", language, "added_any", tip_id=tip.id)
        )
        await answer(interaction, f"{added}\n\n{render_tip(tip, language)}")

    @app_commands.command(name="remove", description="Remove one of your community's own tips")
    @app_commands.describe(tip_id="Its id from /tips list, like c3")
    async def remove(
        self, interaction: discord.Interaction[LanternClient], tip_id: app_commands.Range[str, 1, TIP_ID_MAX]
    ) -> None:
        assert interaction.guild_id is not None
        language = language_of_locale(interaction.locale)
        parse_custom_tip_id(tip_id, language)
        await self.services.tips.remove_custom(interaction.guild_id, tip_id, language)
        await answer(interaction, message("tips", language, "removed", tip_id=tip_id.strip()))

    @app_commands.command(name="list", description="List your community's own tips")
    async def list(self, interaction: discord.Interaction[LanternClient]) -> None:
        assert interaction.guild_id is not None
        language = language_of_locale(interaction.locale)
        tips = await self.services.tips.community_tips(interaction.guild_id)
        library = self.services.tips.library_for(language)
        if not tips:
            await answer(interaction, message("tips", language, "none_yet", count=str(len(library.tips))))
            return
        any_time = message("tips", language, "any_time")
        lines = [f"`{t.id}` **{t.title}** ({situation_words(library, t.situations) or any_time})" for t in tips]
        await answer(interaction, "\n".join(lines)[:1900])


def situation_words(library: TipLibrary, keys: tuple[str, ...]) -> str:
    """English lists the keys leaders type; other languages the situations' names in that language."""
    if library.language == "en":
        return ", ".join(keys)
    return ", ".join(found.name if (found := library.situation(key)) else key for key in keys)
