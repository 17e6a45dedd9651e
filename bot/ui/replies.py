"""Answering an interaction safely: ephemeral by default, whether or not it was answered already."""

from __future__ import annotations

from typing import Any

import discord

from bot.errors import UserFacingError
from bot.services.messages import DEFAULT_LANGUAGE, message

SORRY = message("errors", "en", "sorry")


async def answer(interaction: discord.Interaction, content: str, *, ephemeral: bool = True, **kwargs: Any) -> None:
    """Send `content` as the answer, or as a follow-up when the interaction was already answered."""
    if interaction.response.type == discord.InteractionResponseType.deferred_channel_message:
        # Deferred with "thinking": fill in that placeholder rather than leave it spinning.
        await interaction.edit_original_response(content=content, **kwargs)
    elif interaction.response.is_done():
        await interaction.followup.send(content, ephemeral=ephemeral, **kwargs)
    else:
        await interaction.response.send_message(content, ephemeral=ephemeral, **kwargs)


def words_for(error: BaseException, lang: str = DEFAULT_LANGUAGE) -> str:
    """What the member reads when something they did cannot be done, or when we broke."""
    if isinstance(error, UserFacingError):
        return error.words(lang)
    return message("errors", lang, "sorry")
