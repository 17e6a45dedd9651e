"""`/goal set|show|clear`: a member's personal goal, in their own words, with a measure Lantern can track."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.services.goal_progress import DEFAULT_WEEKS, MAX_WEEKS, MIN_WEEKS
from bot.services.goal_words import goal_words, measure, say
from bot.services.goals import (
    DAYS_MAX,
    DAYS_MIN,
    LEVELS,
    WORDS_MAX,
    chart_summary,
    describe_goal,
    progress_text,
    read_goal,
)
from bot.services.messages import language_of_locale
from bot.ui.goal_buttons import goal_question
from bot.ui.options import TIME_MAX
from bot.ui.replies import answer
from bot.ui.support_buttons import safety_view

if TYPE_CHECKING:
    from bot.runtime import LanternClient, Services

MEASURE_CHOICES: list[app_commands.Choice[str]] = [
    app_commands.Choice(name=m.choice, value=key) for key, m in goal_words().measures.items()
]
LEVEL_CHOICES: list[app_commands.Choice[int]] = [
    app_commands.Choice(name=f"below {measure('cravings').answers[level]}", value=level) for level in LEVELS
]


@app_commands.guild_only()
class GoalCog(commands.GroupCog, group_name="goal", group_description="Your own goal, privately"):
    """A member's own goal: only they ever see it."""

    def __init__(self, services: Services) -> None:
        self.services = services
        super().__init__()

    @app_commands.command(name="set", description="Set your own goal, beside or instead of not using at all")
    @app_commands.describe(
        measure="How I can follow it from your check-ins",
        goal="Your goal in your own words (only you will see it)",
        days=f"For the days measure: how many drinking or using days a week at most ({DAYS_MIN} to {DAYS_MAX})",
        time="For the time measure: nothing before this time, like 6pm or 18:00",
        cravings="For the cravings measure: the level your cravings should stay below",
    )
    @app_commands.choices(measure=MEASURE_CHOICES)
    @app_commands.choices(cravings=LEVEL_CHOICES)
    async def set(
        self,
        interaction: discord.Interaction[LanternClient],
        measure: str,
        goal: app_commands.Range[str, 1, WORDS_MAX],
        days: app_commands.Range[int, DAYS_MIN, DAYS_MAX] | None = None,
        time: app_commands.Range[str, 1, TIME_MAX] | None = None,
        cravings: app_commands.Range[int, LEVELS.start, LEVELS.stop - 1] | None = None,
    ) -> None:
        assert interaction.guild_id is not None
        community_id = interaction.guild_id
        language = language_of_locale(interaction.locale)
        chosen = read_goal(measure, goal, days, time, cravings)
        # What a member writes is read for crisis language first, as everywhere; the goal is kept either way.
        _, safety = await self.services.safety.check(community_id, chosen.words, language=language)
        replaced = await self.services.goals.set(community_id, interaction.user.id, chosen)
        text = say(
            "replaced" if replaced else "set", language, words=chosen.words, measure=describe_goal(chosen, language)
        )
        if safety is not None:
            await answer(interaction, f"{safety.text}\n\n{text}"[:2000], view=safety_view(community_id, safety))
            return
        await answer(interaction, text[:2000])

    @app_commands.command(name="show", description="How your goal has gone over the last weeks (only you see it)")
    @app_commands.describe(weeks=f"How many weeks to look back ({MIN_WEEKS} to {MAX_WEEKS}, default {DEFAULT_WEEKS})")
    async def show(
        self,
        interaction: discord.Interaction[LanternClient],
        weeks: app_commands.Range[int, MIN_WEEKS, MAX_WEEKS] = DEFAULT_WEEKS,
    ) -> None:
        assert interaction.guild_id is not None
        user_id = interaction.user.id
        language = language_of_locale(interaction.locale)
        await interaction.response.defer(ephemeral=True, thinking=True)
        progress = await self.services.goals.progress(interaction.guild_id, user_id, weeks)
        if progress is None:
            await answer(interaction, say("no_goal", language))
            return
        goal = progress.stored.goal
        summary = chart_summary(progress, language)
        # Drawn in the chart workers, so other members are not kept waiting.
        chart = await self.services.charts.render_goal(goal.measure, goal.target, progress.weeks, language)
        await interaction.edit_original_response(
            content=f"{progress_text(progress, language)}\n-# {summary}"[:2000],
            attachments=[discord.File(io.BytesIO(chart), filename="goal.png", description=summary[:1024])],
        )
        if progress.ask_today:
            question, buttons = goal_question(interaction.guild_id, user_id, progress.today, goal, language)
            await interaction.followup.send(question, view=buttons, ephemeral=True)

    @app_commands.command(name="clear", description="Clear your goal (your check-ins stay)")
    async def clear(self, interaction: discord.Interaction[LanternClient]) -> None:
        assert interaction.guild_id is not None
        cleared = await self.services.goals.clear(interaction.guild_id, interaction.user.id)
        await answer(
            interaction, say("cleared" if cleared else "nothing_to_clear", language_of_locale(interaction.locale))
        )
