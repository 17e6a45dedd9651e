"""`/setup`: a community's first-time setup in one step; running it again changes settings."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.services.data_rights import RETENTION_MAX, RETENTION_MIN, check_retention
from bot.services.messages import language_of_locale, message
from bot.services.schedules import REGIONS, describe, region_name
from bot.services.timeparse import parse_time_of_day
from bot.services.timezone_names import read_timezone
from bot.ui.autocomplete import timezone_autocomplete
from bot.ui.leaders import leader_only
from bot.ui.options import TIME_MAX, TIMEZONE_MAX
from bot.ui.replies import answer

if TYPE_CHECKING:
    from bot.runtime import LanternClient, Services


class SetupCog(commands.Cog):
    """Where check-ins post, the community's timezone and prompt time, its leaders and region."""

    def __init__(self, services: Services) -> None:
        self.services = services

    @app_commands.command(
        name="setup", description="Set up Lantern here: check-in channel, timezone, prompt time, leaders."
    )
    @app_commands.describe(
        checkin_channel="Where the daily check-in prompt is posted",
        timezone="The community's timezone, e.g. Europe/London (start typing a city)",
        prompt_time="When the daily prompt goes out, e.g. 9am or 21:00",
        leader_role="The role of your peer leaders (people with Manage Server are leaders too)",
        alert_channel="A private channel where leaders get alerts",
        region="Which crisis lines and meetings to show",
        retention_days="Delete check-ins older than this many days (default 365)",
    )
    @app_commands.choices(region=[app_commands.Choice(name=name, value=code) for code, name in REGIONS.items()])
    @app_commands.autocomplete(timezone=timezone_autocomplete)
    @leader_only()
    async def setup(
        self,
        interaction: discord.Interaction[LanternClient],
        checkin_channel: discord.TextChannel | None = None,
        timezone: app_commands.Range[str, 1, TIMEZONE_MAX] | None = None,
        prompt_time: app_commands.Range[str, 1, TIME_MAX] | None = None,
        leader_role: discord.Role | None = None,
        alert_channel: discord.TextChannel | None = None,
        region: str | None = None,
        retention_days: app_commands.Range[int, RETENTION_MIN, RETENTION_MAX] | None = None,
    ) -> None:
        assert interaction.guild_id is not None
        language = language_of_locale(interaction.locale)
        # Everything is read here before the service sees it (and the service checks again).
        read_as = None
        if timezone is not None:
            reading = read_timezone(timezone)
            timezone, read_as = reading.zone, reading.read_as_in(language)
        if prompt_time is not None:
            parse_time_of_day(prompt_time)
        if retention_days is not None:
            check_retention(retention_days)
        options = (checkin_channel, timezone, prompt_time, leader_role, alert_channel, region, retention_days)
        changed = any(option is not None for option in options)
        community, _, first = await self.services.schedules.setup(
            interaction.guild_id,
            checkin_channel_id=checkin_channel.id if checkin_channel else None,
            timezone=timezone,
            prompt_time=prompt_time,
            leader_role_id=leader_role.id if leader_role else None,
            alert_channel_id=alert_channel.id if alert_channel else None,
            region=region,
            retention_days=retention_days,
        )

        heading = "setup_first" if first else "setup_updated" if changed else "setup_unchanged"
        lines = [message("schedule", language, heading)]
        if community.checkin_channel_id:
            lines.append(message("schedule", language, "setup_channel", channel=f"<#{community.checkin_channel_id}>"))
        lines.append(
            message("schedule", language, "setup_timezone_read", zone=community.timezone, read_as=read_as)
            if read_as
            else message("schedule", language, "setup_timezone", zone=community.timezone)
        )
        _, schedules = await self.services.schedules.list(interaction.guild_id)
        dm_members = await self.services.schedules.dm_members(interaction.guild_id)
        for each in schedules:
            lines.append("• " + describe(each, community, dm_members, language))
        lines.append(
            message("schedule", language, "setup_leader_role", role=f"<@&{community.leader_role_id}>")
            if community.leader_role_id
            else message("schedule", language, "setup_leaders_manage")
        )
        lines.append(
            message("schedule", language, "setup_alerts", channel=f"<#{community.alert_channel_id}>")
            if community.alert_channel_id
            else message("schedule", language, "setup_no_alerts")
        )
        lines.append(message("schedule", language, "setup_region", region=region_name(community.region, language)))
        lines.append(message("schedule", language, "setup_retention", days=str(community.retention_days)))
        if first:
            lines.append(message("schedule", language, "setup_more"))
        await answer(interaction, "\n".join(lines))
