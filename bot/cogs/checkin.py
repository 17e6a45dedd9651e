"""`/checkin` (the private daily form) and `/history` (a member's own recent check-ins)."""

from __future__ import annotations

import asyncio
import io
import logging
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.errors import UserFacingError
from bot.logs import describe_error
from bot.services.charts import DayPoint, render_history_chart, summary_text
from bot.services.checkin_form import FormError, collect_fields, parse_form_custom_id, parse_submission
from bot.services.checkins import acknowledgement, history_text, situations_for, wants_tip
from bot.services.messages import language_of_locale
from bot.services.privacy_notice import PRIVACY_NOTICE
from bot.services.safety import Step
from bot.services.tips import render_tip
from bot.ui.checkin_form import open_checkin_form
from bot.ui.partner_buttons import PingPartnerButton
from bot.ui.replies import SORRY
from bot.ui.support_buttons import safety_view, tip_view

if TYPE_CHECKING:
    from bot.runtime import LanternClient, Services

log = logging.getLogger(__name__)

HISTORY_DEFAULT_DAYS = 14
HISTORY_MAX_DAYS = 1095  # three years


class CheckinCog(commands.Cog):
    """The daily check-in and a member's own history."""

    def __init__(self, services: Services) -> None:
        self.services = services

    @app_commands.command(name="checkin", description="Check in privately: mood, cravings, HALT and a note.")
    @app_commands.guild_only()
    async def checkin(self, interaction: discord.Interaction[LanternClient]) -> None:
        assert interaction.guild_id is not None
        await open_checkin_form(interaction, interaction.guild_id, 0)

    @app_commands.command(name="history", description="Your own recent check-ins. Only you can see them.")
    @app_commands.describe(
        days=f"How many days to look back (1 to {HISTORY_MAX_DAYS}, default {HISTORY_DEFAULT_DAYS})."
    )
    @app_commands.guild_only()
    async def history(
        self,
        interaction: discord.Interaction[LanternClient],
        # A plain number (no min/max for Discord to enforce), so a bad one gets our kinder answer.
        days: int = HISTORY_DEFAULT_DAYS,
    ) -> None:
        if not 1 <= days <= HISTORY_MAX_DAYS:
            raise UserFacingError(f"I can look back between 1 and {HISTORY_MAX_DAYS} days. Try `/history days:30`.")
        assert interaction.guild_id is not None
        await interaction.response.defer(ephemeral=True, thinking=True)
        history = await self.services.checkins.history(interaction.guild_id, interaction.user.id, days)
        text = history_text(history)
        if history.total == 0:
            await interaction.edit_original_response(content=text)
            return
        points = [DayPoint(c.local_date, c.content.mood, c.content.cravings) for c in history.checkins]
        # Rendering takes tens of milliseconds: off the event loop, so other members are not kept waiting.
        chart = await asyncio.to_thread(render_history_chart, points, history.start, history.end)
        summary = summary_text(points, history.start, history.end)
        await interaction.edit_original_response(
            content=f"{text}\n-# Chart: {summary}"[:2000],
            attachments=[discord.File(io.BytesIO(chart), filename="history.png", description=summary[:1024])],
        )

    @commands.Cog.listener()
    async def on_interaction(self, interaction: discord.Interaction[LanternClient]) -> None:
        if interaction.type != discord.InteractionType.modal_submit:
            return
        data: dict[str, Any] = dict(interaction.data or {})
        target = parse_form_custom_id(str(data.get("custom_id", "")))
        if target is None:
            return
        try:
            await self._receive_form(interaction, target.community_id, target.schedule_id, data)
        except Exception as error:
            log.error("check-in submission raised %s", describe_error(error))
            if not interaction.response.is_done():
                await interaction.response.send_message(SORRY, ephemeral=True)

    async def _receive_form(
        self,
        interaction: discord.Interaction[LanternClient],
        community_id: int,
        schedule_id: int,
        data: dict[str, Any],
    ) -> None:
        if interaction.guild_id is not None and interaction.guild_id != community_id:
            await interaction.response.send_message("That form belongs to another server.", ephemeral=True)
            return
        user_id = interaction.user.id
        if interaction.guild_id is None and await self.services.db.members.get(community_id, user_id) is None:
            await interaction.response.send_message("Check-ins happen inside your community's server.", ephemeral=True)
            return
        _, question = await self.services.schedules.question_for(community_id, schedule_id or None)
        try:
            content = parse_submission(collect_fields(data.get("components", [])), question)
        except FormError as problem:
            await interaction.response.send_message(str(problem), ephemeral=True)
            return
        # Stored before the member is told it was saved.
        outcome = await self.services.checkins.save(community_id, user_id, content)
        reply = acknowledgement(outcome)
        view: discord.ui.View | None = None
        step, safety = await self.services.safety.check(
            community_id,
            content.note,
            *content.answers.values(),
            language=language_of_locale(interaction.locale),
            mood=content.mood,
            cravings=content.cravings,
        )
        if safety is not None:
            # A crisis card or the safety question comes before anything else; a leader hears of it only if
            # the member presses the consent button.
            reply = f"{reply}\n\n{safety.text}"
            view = safety_view(community_id, safety)
        elif wants_tip(content):
            chosen = await self.services.tips.first_of(community_id, user_id, situations_for(content))
            if chosen is not None:
                reply = f"{reply}\n\nSomething that might help:\n{render_tip(chosen.tip)}"
                view = tip_view(community_id, chosen)
            if step == Step.SUPPORT:
                group = await self.services.partners.partner_thread_for(community_id, user_id)
                if group is not None:
                    view = view or discord.ui.View(timeout=None)
                    view.add_item(PingPartnerButton(community_id, group.id))
                    reply += "\nIf you'd like, I can let your partner know you'd welcome a hello."
        if await self.services.privacy.first_use(community_id, user_id):
            reply += "\n\n" + PRIVACY_NOTICE
        if view is not None:
            view.stop()  # its buttons are dynamic items, found again by custom_id
            await interaction.response.send_message(reply[:2000], ephemeral=True, view=view)
        else:
            await interaction.response.send_message(reply[:2000], ephemeral=True)
