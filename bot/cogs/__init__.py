"""Feature cogs: one feature each, thin: parse the interaction, call a service, render a reply."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord

if TYPE_CHECKING:
    from bot.runtime import LanternClient


async def load_cogs(bot: LanternClient) -> None:
    """Add every feature's cog, each given the services it needs."""
    from bot.cogs.checkin import CheckinCog
    from bot.cogs.data import DataCog
    from bot.cogs.dates import DatesCog
    from bot.cogs.days import DaysCog
    from bot.cogs.goals import GoalCog
    from bot.cogs.interactions import InteractionsCog
    from bot.cogs.oncall import OncallCog
    from bot.cogs.partners import PartnerCog, PartnersCog
    from bot.cogs.privacy import PrivacyCog
    from bot.cogs.prompts import PromptsCog
    from bot.cogs.report import ReportCog
    from bot.cogs.resources import LinksCog, ResourcesCog
    from bot.cogs.schedules import SchedulesCog
    from bot.cogs.settings import SettingsCog
    from bot.cogs.setup import SetupCog
    from bot.cogs.tips import TipCog, TipsCog

    cogs = (CheckinCog, PrivacyCog, SchedulesCog, SettingsCog, SetupCog, TipCog, TipsCog)
    for cog in (
        *cogs,
        ResourcesCog,
        LinksCog,
        PartnerCog,
        PartnersCog,
        DataCog,
        ReportCog,
        DaysCog,
        DatesCog,
        OncallCog,
        GoalCog,
        InteractionsCog,
    ):
        await bot.add_cog(cog(bot.services))

    async def community_name(community_id: int) -> str:
        guild = bot.get_guild(community_id)
        if guild is not None:
            return guild.name
        # A server on another process's shard (DMs arrive on shard 0, its servers may be elsewhere).
        try:
            return (await bot.fetch_guild(community_id)).name
        except discord.HTTPException:
            return "Your community"

    await bot.add_cog(PromptsCog(bot.services, community_name))
