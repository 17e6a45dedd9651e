"""The check-in form (a modal) and how any button or command opens it."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any

import discord

from bot.services.checkin_form import (
    CRAVING_LABELS,
    CRAVINGS_FIELD,
    HALT_FIELD,
    HALT_LABELS,
    MOOD_FIELD,
    MOOD_LABELS,
    NOTE_FIELD,
    NOTE_MAX_LENGTH,
    QUESTION_FIELD,
    form_custom_id,
)

if TYPE_CHECKING:
    from bot.runtime import LanternClient

ANSWER_FIELD_MAX = 300


def build_checkin_form(community_id: int, schedule_id: int, question: str | None) -> discord.ui.Modal:
    """The check-in modal. Its custom_id is unique per opening and carries what the submission needs."""
    custom_id = form_custom_id(community_id, schedule_id if question else 0, secrets.token_hex(8))
    form = discord.ui.Modal(title="Daily check-in", custom_id=custom_id, timeout=None)
    mood: discord.ui.RadioGroup[discord.ui.Modal] = discord.ui.RadioGroup(custom_id=MOOD_FIELD, required=True)
    for value, label in MOOD_LABELS.items():
        mood.add_option(label=label, value=str(value))
    cravings: discord.ui.RadioGroup[discord.ui.Modal] = discord.ui.RadioGroup(custom_id=CRAVINGS_FIELD, required=True)
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
    form.add_item(discord.ui.Label(text="HALT check", description="Tick any that fit right now.", component=halt))
    form.add_item(discord.ui.Label(text="A private note (optional)", component=note))
    if question:
        answer: discord.ui.TextInput[discord.ui.Modal] = discord.ui.TextInput(
            custom_id=QUESTION_FIELD,
            style=discord.TextStyle.short,
            required=False,
            max_length=ANSWER_FIELD_MAX,
        )
        form.add_item(discord.ui.Label(text=question, component=answer))
    return form


async def open_checkin_form(interaction: discord.Interaction[Any], community_id: int, schedule_id: int) -> None:
    """Answer an interaction with the form; its submission is handled from the payload, not from memory."""
    bot: LanternClient = interaction.client
    services = bot.services
    schedule_id, question = await services.schedules.question_for(community_id, schedule_id or None)
    form = build_checkin_form(community_id, schedule_id, question)
    await interaction.response.send_modal(form)
    # discord.py would keep this form in memory under its custom_id alone; the submission is read from
    # the payload instead, so it survives restarts and never collides with another member's form.
    form.stop()
