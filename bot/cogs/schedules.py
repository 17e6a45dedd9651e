"""`/schedule add|list|edit|remove|pause|resume|preview`: a community's check-in schedules."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.services.messages import language_of_locale, message
from bot.services.prompts import channel_prompt, dm_prompt, reminder
from bot.services.question_words import on_form, words
from bot.services.schedule_math import local_date_of, occurrence_key
from bot.services.schedules import QUESTION_MAX, REMINDER_MAX, ScheduleChange, checked_change, describe, schedule_name
from bot.storage.models import ANSWER_KINDS, VISIBILITIES
from bot.ui.leaders import check_leader
from bot.ui.options import TIME_MAX
from bot.ui.prompt_buttons import prompt_view
from bot.ui.replies import answer

if TYPE_CHECKING:
    from bot.runtime import LanternClient, Services

OPTION_HELP = {
    "days": "Which days: daily, weekdays, weekends, or e.g. mon,wed,fri",
    "time": "Local time, e.g. 9am or 21:00",
    "where": "Where it posts",
    "reminder_minutes": "A gentle DM reminder this many minutes later, to those who asked (0 = none)",
    "daily_thread": "Open a thread under each channel prompt for the day",
    "question": "Your own question on the form (up to 45 characters; empty text removes it)",
    "answer_type": "How members answer your question",
    "visibility": "Who sees an answer to your question (shown on the form before members answer)",
}
NAME_MAX = 30
DAYS_MAX = 100
Name = app_commands.Range[str, 1, NAME_MAX]
ANSWERS = [app_commands.Choice(name=words("answer_kind", kind), value=kind) for kind in ANSWER_KINDS]
VISIBILITY = [app_commands.Choice(name=words("visibility", seen), value=seen) for seen in VISIBILITIES]
WHERE = [
    app_commands.Choice(name="the check-in channel", value="channel"),
    app_commands.Choice(name="members' DMs (those who turned DM prompts on)", value="dm"),
    app_commands.Choice(name="both", value="both"),
]


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class SchedulesCog(commands.GroupCog, group_name="schedule", group_description="Check-in schedules (for peer leaders)"):
    """Every subcommand is for leaders: hidden from members, and checked again when run."""

    def __init__(self, services: Services) -> None:
        self.services = services
        super().__init__()

    async def interaction_check(self, interaction: discord.Interaction[Any]) -> bool:
        return await check_leader(interaction)

    async def schedule_names(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        if interaction.guild_id is None:
            return []
        schedules = await self.services.db.schedules.in_community(interaction.guild_id)
        return [app_commands.Choice(name=s.name, value=s.name) for s in schedules if current.lower() in s.name][:25]

    @app_commands.command(name="add", description="Add a check-in schedule")
    @app_commands.describe(name="A short name, like morning", **OPTION_HELP)
    @app_commands.choices(where=WHERE, answer_type=ANSWERS, visibility=VISIBILITY)
    async def add(
        self,
        interaction: discord.Interaction[LanternClient],
        name: Name,
        days: app_commands.Range[str, 1, DAYS_MAX],
        time: app_commands.Range[str, 1, TIME_MAX],
        where: str | None = None,
        reminder_minutes: app_commands.Range[int, 0, REMINDER_MAX] | None = None,
        daily_thread: bool | None = None,
        question: app_commands.Range[str, 1, QUESTION_MAX] | None = None,
        answer_type: str | None = None,
        visibility: str | None = None,
    ) -> None:
        assert interaction.guild_id is not None
        change = ScheduleChange(days, time, where, reminder_minutes, daily_thread, question, answer_type, visibility)
        # Read and checked here, before the service (which checks again with the community in hand).
        schedule_name(name)
        checked_change(change)
        schedule = await self.services.schedules.add(interaction.guild_id, name, change)
        community = await self.services.schedules.community(interaction.guild_id)
        next_run = await self.services.schedules.next_run(schedule, community)
        language = language_of_locale(interaction.locale)
        added = message(
            "schedule",
            language,
            "added",
            description=describe(schedule, community, language=language),
            when=f"<t:{int(next_run.timestamp())}:F>",
            schedule=schedule.name,
        )
        await answer(interaction, added)

    @app_commands.autocomplete(name=schedule_names)
    @app_commands.command(name="edit", description="Change a check-in schedule (options left out stay as they are)")
    @app_commands.describe(name="Which schedule", **OPTION_HELP)
    @app_commands.choices(where=WHERE, answer_type=ANSWERS, visibility=VISIBILITY)
    async def edit(
        self,
        interaction: discord.Interaction[LanternClient],
        name: Name,
        days: app_commands.Range[str, 1, DAYS_MAX] | None = None,
        time: app_commands.Range[str, 1, TIME_MAX] | None = None,
        where: str | None = None,
        reminder_minutes: app_commands.Range[int, 0, REMINDER_MAX] | None = None,
        daily_thread: bool | None = None,
        question: app_commands.Range[str, 1, QUESTION_MAX] | None = None,
        answer_type: str | None = None,
        visibility: str | None = None,
    ) -> None:
        assert interaction.guild_id is not None
        change = ScheduleChange(days, time, where, reminder_minutes, daily_thread, question, answer_type, visibility)
        schedule_name(name)
        checked_change(change)
        schedule = await self.services.schedules.edit(interaction.guild_id, name, change)
        community = await self.services.schedules.community(interaction.guild_id)
        language = language_of_locale(interaction.locale)
        description = describe(schedule, community, language=language)
        await answer(interaction, message("schedule", language, "updated", description=description))

    @app_commands.command(name="list", description="List this community's check-in schedules")
    async def list(self, interaction: discord.Interaction[LanternClient]) -> None:
        assert interaction.guild_id is not None
        community, schedules = await self.services.schedules.list(interaction.guild_id)
        language = language_of_locale(interaction.locale)
        if not schedules:
            await answer(interaction, message("schedule", language, "none_yet"))
            return
        await answer(interaction, "\n".join(describe(s, community, language=language) for s in schedules))

    @app_commands.autocomplete(name=schedule_names)
    @app_commands.command(name="remove", description="Remove a check-in schedule")
    async def remove(self, interaction: discord.Interaction[LanternClient], name: Name) -> None:
        assert interaction.guild_id is not None
        schedule_name(name)
        schedule = await self.services.schedules.remove(interaction.guild_id, name)
        language = language_of_locale(interaction.locale)
        await answer(interaction, message("schedule", language, "removed", schedule=schedule.name))

    @app_commands.autocomplete(name=schedule_names)
    @app_commands.command(name="pause", description="Pause a check-in schedule")
    async def pause(self, interaction: discord.Interaction[LanternClient], name: Name) -> None:
        assert interaction.guild_id is not None
        schedule_name(name)
        schedule = await self.services.schedules.set_paused(interaction.guild_id, name, True)
        language = language_of_locale(interaction.locale)
        await answer(interaction, message("schedule", language, "paused_done", schedule=schedule.name))

    @app_commands.autocomplete(name=schedule_names)
    @app_commands.command(name="resume", description="Resume a paused check-in schedule")
    async def resume(self, interaction: discord.Interaction[LanternClient], name: Name) -> None:
        assert interaction.guild_id is not None
        schedule_name(name)
        schedule = await self.services.schedules.set_paused(interaction.guild_id, name, False)
        community = await self.services.schedules.community(interaction.guild_id)
        next_run = await self.services.schedules.next_run(schedule, community)
        language = language_of_locale(interaction.locale)
        when = f"<t:{int(next_run.timestamp())}:F>"
        await answer(interaction, message("schedule", language, "resumed", schedule=schedule.name, when=when))

    @app_commands.autocomplete(name=schedule_names)
    @app_commands.command(name="preview", description="See exactly what members will get from a schedule")
    async def preview(self, interaction: discord.Interaction[LanternClient], name: Name) -> None:
        assert interaction.guild_id is not None
        schedule_name(name)
        guild_id = interaction.guild_id
        schedule = await self.services.schedules.get(guild_id, name)
        community = await self.services.schedules.community(guild_id)
        language = language_of_locale(interaction.locale)
        occurrence = occurrence_key(local_date_of(self.services.clock(), community.timezone))
        community_name = (
            interaction.guild.name if interaction.guild else message("schedule", language, "preview_community")
        )
        description = describe(schedule, community, language=language)
        parts = [message("schedule", language, "preview_title", schedule=schedule.name, description=description)]
        if schedule.posts_in_channel:
            # The channel's prompt as everyone in it sees it: in the server's language, whatever the leader's.
            shared = channel_prompt(schedule, occurrence, lang=self.services.languages(guild_id)).text
            parts.append(message("schedule", language, "preview_channel") + "\n" + shared)
        if schedule.sends_dms:
            dm = dm_prompt(schedule, occurrence, community_name, language).text
            parts.append(message("schedule", language, "preview_dm") + "\n" + dm)
        if schedule.reminder_minutes:
            minutes = str(schedule.reminder_minutes)
            nudge = reminder(schedule, occurrence, community_name, language).text
            parts.append(message("schedule", language, "preview_reminder", minutes=minutes) + "\n" + nudge)
        form = (
            message(
                "schedule",
                language,
                "preview_form_question",
                question=schedule.question,
                seen=on_form(schedule.visibility, schedule.answer_kind, language),
            )
            if schedule.question
            else message("schedule", language, "preview_form")
        )
        parts.append(message("schedule", language, "preview_asks", form=form))
        view = prompt_view(guild_id, schedule.id, with_tip=schedule.posts_in_channel, language=language)
        await answer(interaction, "\n\n".join(parts), view=view)
