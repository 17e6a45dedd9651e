"""`/resources` (crisis lines, helplines and meetings for the region) and `/links` (the community's own)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.services.messages import language_of_locale, message, refusal
from bot.services.resources import render_resources, resources_text
from bot.ui.leaders import check_leader
from bot.ui.options import MAX_ROW_ID
from bot.ui.replies import answer

if TYPE_CHECKING:
    from bot.runtime import LanternClient, Services

LINK_NAME_MAX = 100
LINK_URL_MAX = 300
MAX_LINKS = 15


class ResourcesCog(commands.Cog):
    """Where to find help, for members."""

    def __init__(self, services: Services) -> None:
        self.services = services

    @app_commands.command(name="resources", description="Crisis lines, helplines and meetings near you.")
    @app_commands.guild_only()
    async def resources(self, interaction: discord.Interaction[LanternClient]) -> None:
        assert interaction.guild_id is not None
        community = await self.services.db.communities.ensure(interaction.guild_id)
        region = self.services.safety.resources.for_region(community.region)
        links = [(link.name, link.url) for link in await self.services.db.links.in_community(community.id)]
        language = language_of_locale(interaction.locale)
        embed = discord.Embed(
            title=resources_text(language, "title"),
            description=resources_text(language, "intro", region=region.name_in(language)),
            colour=discord.Colour.from_rgb(240, 180, 60),
        )
        for title, body in render_resources(region, links, language):
            embed.add_field(name=title, value=body, inline=False)
        await answer(interaction, "", embed=embed)


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class LinksCog(commands.GroupCog, group_name="links", group_description="Your community's own links in /resources"):
    """Leaders add their community's own links (a local meeting list, a group chat, a clinic)."""

    def __init__(self, services: Services) -> None:
        self.services = services
        super().__init__()

    async def interaction_check(self, interaction: discord.Interaction[Any]) -> bool:
        return await check_leader(interaction)

    @app_commands.command(name="add", description="Add a link to /resources")
    @app_commands.describe(name="What it is, e.g. Tuesday night meeting", url="Its address, starting with https://")
    async def add(
        self,
        interaction: discord.Interaction[LanternClient],
        name: app_commands.Range[str, 1, LINK_NAME_MAX],
        url: app_commands.Range[str, 1, LINK_URL_MAX],
    ) -> None:
        assert interaction.guild_id is not None
        name, url = name.strip(), url.strip()
        if not 2 <= len(name) <= LINK_NAME_MAX:
            raise refusal("links", "name_length", most=LINK_NAME_MAX)
        # Shown as <url> in /resources: spaces or angle brackets would break the link.
        odd = any(char.isspace() or char in "<>" for char in url)
        if not url.startswith("https://") or odd or len(url) > LINK_URL_MAX or len(url) < 12:
            raise refusal("links", "bad_url")
        if len(await self.services.db.links.in_community(interaction.guild_id)) >= MAX_LINKS:
            raise refusal("links", "too_many", count=MAX_LINKS)
        link = await self.services.db.links.add(interaction.guild_id, name, url, self.services.clock())
        language = language_of_locale(interaction.locale)
        await answer(interaction, message("links", language, "added", number=str(link.id), title=link.name))

    @app_commands.command(name="remove", description="Remove one of your links")
    @app_commands.describe(link_id="Its number from /links list")
    async def remove(
        self, interaction: discord.Interaction[LanternClient], link_id: app_commands.Range[int, 1, MAX_ROW_ID]
    ) -> None:
        assert interaction.guild_id is not None
        if not 1 <= link_id <= MAX_ROW_ID or not await self.services.db.links.remove(interaction.guild_id, link_id):
            raise refusal("links", "not_found", number=link_id)
        await answer(
            interaction, message("links", language_of_locale(interaction.locale), "removed", number=str(link_id))
        )

    @app_commands.command(name="list", description="List your community's links")
    async def list(self, interaction: discord.Interaction[LanternClient]) -> None:
        assert interaction.guild_id is not None
        links = await self.services.db.links.in_community(interaction.guild_id)
        if not links:
            await answer(interaction, message("links", language_of_locale(interaction.locale), "none_yet"))
            return
        await answer(interaction, "\n".join(f"{link.id}. {link.name}: <{link.url}>" for link in links))
