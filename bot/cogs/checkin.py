"""`/checkin` (the private daily form) and `/history` (a member's own recent check-ins)."""

from __future__ import annotations

import logging
import secrets
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.errors import UserFacingError
from bot.services.checkin_form import (
    CRAVING_LABELS,
    CRAVINGS_FIELD,
    HALT_FIELD,
    HALT_LABELS,
    MOOD_FIELD,
    MOOD_LABELS,
    NOTE_FIELD,
    NOTE_MAX_LENGTH,
    FormError,
    collect_fields,
    form_custom_id,
    is_checkin_form,
    parse_submission,
)
from bot.services.checkins import acknowledgement, history_text
from bot.services.privacy import PRIVACY_NOTICE
from bot.ui.replies import SORRY, answer

if TYPE_CHECKING:
    from bot.app import Services

log = logging.getLogger(__name__)

HISTORY_DEFAULT_DAYS = 14
HISTORY_MAX_DAYS = 365


def build_checkin_form() -> discord.ui.Modal:
    """The check-in modal. Its custom_id is unique per opening; the submission is read from the payload."""
    form = discord.ui.Modal(
        title="Daily check-in", custom_id=form_custom_id(secrets.token_hex(8)), timeout=None
    )
    mood: discord.ui.RadioGroup[discord.ui.Modal] = discord.ui.RadioGroup(custom_id=MOOD_FIELD, required=True)
    for value, label in MOOD_LABELS.items():
        mood.add_option(label=label, value=str(value))
    cravings: discord.ui.RadioGroup[discord.ui.Modal] = discord.ui.RadioGroup(
        custom_id=CRAVINGS_FIELD, required=True
    )
    for value, label in CRAVING_LABELS.items():
        cravings.add_option(label=label, value=str(value))
    halt: discord.ui.CheckboxGroup[discord.ui.Modal] = discord.ui.CheckboxGroup(
        custom_id=HALT_FIELD, required=False, min_values=0, max_values=len(HALT_LABELS)
    )
    for key, label in HALT_LABELS.items():
        halt.add_option(label=label, value=key)
    note: discord.ui.TextInput[discord.ui.Modal] = discord.ui.TextInput(
        custom_id=NOTE_FIELD,
        style=discord.TextStyle.paragraph,
        required=False,
        max_length=NOTE_MAX_LENGTH,
        placeholder="Only you will see this.",
    )
    form.add_item(discord.ui.Label(text="How are you arriving today?", component=mood))
    form.add_item(discord.ui.Label(text="Any cravings right now?", component=cravings))
    form.add_item(
        discord.ui.Label(text="HALT check", description="Tick any that fit right now.", component=halt)
    )
    form.add_item(discord.ui.Label(text="A private note (optional)", component=note))
    return form


class CheckinCog(commands.Cog):
    """The daily check-in and a member's own history."""

    def __init__(self, services: Services) -> None:
        self.services = services

    @app_commands.command(name="checkin", description="Check in privately: mood, cravings, HALT and a note.")
    @app_commands.guild_only()
    async def checkin(self, interaction: discord.Interaction) -> None:
        form = build_checkin_form()
        await interaction.response.send_modal(form)
        # discord.py would keep this form in memory by custom_id; the submission is handled from the
        # payload instead (see on_interaction), so it survives restarts and never collides.
        form.stop()

    @app_commands.command(name="history", description="Your own recent check-ins. Only you can see them.")
    @app_commands.describe(
        days=f"How many days to look back (1 to {HISTORY_MAX_DAYS}, default {HISTORY_DEFAULT_DAYS})."
    )
    @app_commands.guild_only()
    async def history(
        self,
        interaction: discord.Interaction,
        days: app_commands.Range[int, 1, HISTORY_MAX_DAYS] = HISTORY_DEFAULT_DAYS,
    ) -> None:
        if not 1 <= days <= HISTORY_MAX_DAYS:
            raise UserFacingError(
                f"I can look back between 1 and {HISTORY_MAX_DAYS} days. Try `/history days:30`."
            )
        assert interaction.guild is not None
        history = await self.services.checkins.history(interaction.guild.id, interaction.user.id, days)
        await answer(interaction, history_text(history))

    @commands.Cog.listener()
    async def on_interaction(self, interaction: discord.Interaction) -> None:
        if interaction.type != discord.InteractionType.modal_submit:
            return
        data: dict[str, Any] = dict(interaction.data or {})
        if not is_checkin_form(str(data.get("custom_id", ""))):
            return
        try:
            await self._receive_form(interaction, data)
        except Exception as error:
            log.error(
                "check-in submission raised %s", type(error).__name__, exc_info=(type(error), error, None)
            )
            if not interaction.response.is_done():
                await interaction.response.send_message(SORRY, ephemeral=True)

    async def _receive_form(self, interaction: discord.Interaction, data: dict[str, Any]) -> None:
        if interaction.guild_id is None:
            await interaction.response.send_message(
                "Check-ins happen inside your community's server.", ephemeral=True
            )
            return
        try:
            content = parse_submission(collect_fields(data.get("components", [])))
        except FormError as problem:
            await interaction.response.send_message(str(problem), ephemeral=True)
            return
        community_id, user_id = interaction.guild_id, interaction.user.id
        # Stored before the member is told it was saved.
        outcome = await self.services.checkins.save(community_id, user_id, content)
        reply = acknowledgement(outcome)
        if await self.services.privacy.first_use(community_id, user_id):
            reply += "\n\n" + PRIVACY_NOTICE
        await interaction.response.send_message(reply, ephemeral=True)
