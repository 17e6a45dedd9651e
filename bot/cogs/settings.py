"""`/settings`, `/pause` and `/resume`: a member's own preferences and breaks."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.services.member_settings import QUIET_MAX, check_quiet_days, describe_settings, discord_date, settings_text
from bot.services.messages import language_of_locale
from bot.services.schedule_math import is_paused
from bot.services.timeparse import MAX_PAUSE_DAYS, MIN_PAUSE_DAYS, parse_pause_days
from bot.services.timezone_names import read_timezone
from bot.ui.autocomplete import timezone_autocomplete
from bot.ui.options import TIMEZONE_MAX
from bot.ui.replies import answer

if TYPE_CHECKING:
    from bot.runtime import LanternClient, Services


class SettingsCog(commands.Cog):
    """A member's own settings, and taking a break from prompts."""

    def __init__(self, services: Services) -> None:
        self.services = services

    @app_commands.command(name="settings", description="Your own settings: timezone, DM prompts, reminders.")
    @app_commands.describe(
        timezone="Your timezone, e.g. America/Chicago (start typing a city)",
        dm_prompts="Get the daily check-in prompt by DM",
        reminders="Get one gentle DM reminder if you haven't checked in yet",
        quiet_days="Tell a peer leader if I go quiet for this many days (0 = off)",
        share_mood="Let my accountability partner see my latest mood (never my notes)",
    )
    @app_commands.autocomplete(timezone=timezone_autocomplete)
    @app_commands.guild_only()
    async def settings(
        self,
        interaction: discord.Interaction[LanternClient],
        timezone: app_commands.Range[str, 1, TIMEZONE_MAX] | None = None,
        dm_prompts: bool | None = None,
        reminders: bool | None = None,
        quiet_days: app_commands.Range[int, 0, QUIET_MAX] | None = None,
        share_mood: bool | None = None,
    ) -> None:
        assert interaction.guild_id is not None
        language = language_of_locale(interaction.locale)
        # Checked here, before anything is read or written; the service checks again.
        read_as = None
        if timezone is not None:
            reading = read_timezone(timezone)
            timezone, read_as = reading.zone, reading.read_as_in(language)
        if quiet_days is not None:
            check_quiet_days(quiet_days)
        member, community = await self.services.member_settings.change(
            interaction.guild_id,
            interaction.user.id,
            timezone=timezone,
            dm_prompts=dm_prompts,
            reminders=reminders,
            quiet_days=quiet_days,
            share_mood=share_mood,
        )
        if timezone is not None:
            # Private notes (milestones, hard dates' eves) come at 09:00 where the member is now.
            await self.services.days.rezone(interaction.guild_id, interaction.user.id)
            await self.services.dates.rezone(interaction.guild_id, interaction.user.id)
        changed = any(value is not None for value in (timezone, dm_prompts, reminders, quiet_days, share_mood))
        paused = is_paused(member.paused_until, self.services.clock())
        text = describe_settings(member, community, paused, language)
        saved = settings_text(language, "saved") + " " if changed else ""
        await answer(interaction, saved + (f"{read_as}\n" if read_as else "") + text)

    @app_commands.command(name="pause", description="Take a break: no prompts or reminders for a while.")
    @app_commands.describe(days=f"How many days ({MIN_PAUSE_DAYS} to {MAX_PAUSE_DAYS})")
    @app_commands.guild_only()
    async def pause(
        self,
        interaction: discord.Interaction[LanternClient],
        days: app_commands.Range[int, MIN_PAUSE_DAYS, MAX_PAUSE_DAYS],
    ) -> None:
        assert interaction.guild_id is not None
        parse_pause_days(days)
        member = await self.services.member_settings.pause(interaction.guild_id, interaction.user.id, days)
        assert member.paused_until is not None
        language = language_of_locale(interaction.locale)
        await answer(interaction, settings_text(language, "paused", until=discord_date(member.paused_until)))

    @app_commands.command(name="resume", description="End your break and get prompts again.")
    @app_commands.guild_only()
    async def resume(self, interaction: discord.Interaction[LanternClient]) -> None:
        assert interaction.guild_id is not None
        language = language_of_locale(interaction.locale)
        if await self.services.member_settings.resume(interaction.guild_id, interaction.user.id):
            await answer(interaction, settings_text(language, "resumed"))
        else:
            await answer(interaction, settings_text(language, "not_paused"))
