"""Replies to DM prompts (kept as that day's private note), and telling members why DM prompts stopped."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.logs import describe_error
from bot.services.checkin_form import NOTE_MAX_LENGTH
from bot.services.crisis_detector import guess_language
from bot.services.messages import language_of_locale
from bot.ui.dm_notes import dm_words, file_note, which_community_view
from bot.ui.support_buttons import safety_view

if TYPE_CHECKING:
    from bot.runtime import Services

log = logging.getLogger(__name__)


class PromptsCog(commands.Cog):
    """What members do with the prompts they get by DM."""

    def __init__(self, services: Services, community_name: Callable[[int], Awaitable[str]]) -> None:
        self.services = services
        self.community_name = community_name

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        if message.guild is not None or message.author.bot or not message.content.strip():
            return
        try:
            await self._note_from_dm(message)
        except Exception as error:
            log.error("a DM reply raised %s", describe_error(error))
            try:
                await message.channel.send(dm_words(guess_language(message.content), "sorry"))
            except discord.HTTPException:
                log.warning("could not answer a DM reply")

    async def _note_from_dm(self, message: discord.Message) -> None:
        """Every DM is read by the safety net first, then kept as today's note: under the community of the
        prompt it answers, the member's only community, or the one they pick."""
        text = message.content.strip()
        user_id = message.author.id
        delivery = await self.services.db.deliveries.latest_prompt_to(user_id, message.channel.id)
        communities = (
            [delivery.community_id] if delivery is not None else await self.services.db.members.communities_of(user_id)
        )
        member = await self.services.db.members.get(communities[0], user_id) if communities else None
        language = guess_language(text, fallback=(member.language if member else None) or "en")
        if not communities:
            # Someone Lantern knows from no community: the crisis lines still come, without a leader to tell.
            card = await self.services.safety.card_without_community(text, language)
            if card is not None:
                await message.channel.send(card[:2000])
            await message.channel.send(dm_words(language, "not_in_a_community"))
            return
        _, safety = await self.services.safety.check(communities[0], text, language=language)
        if safety is not None:
            await message.channel.send(safety.text[:2000], view=safety_view(communities[0], safety))
        if len(text) > NOTE_MAX_LENGTH:
            await message.channel.send(dm_words(language, "too_long", length=len(text), limit=NOTE_MAX_LENGTH))
            return
        if len(communities) > 1:
            names = [(cid, await self.community_name(cid)) for cid in communities]
            await message.channel.send(
                dm_words(language, "which_community"), view=which_community_view(message.id, names)
            )
            return
        reply, view = await file_note(self.services, communities[0], user_id, text, language)
        if view is not None:
            await message.channel.send(reply, view=view)
        else:
            await message.channel.send(reply)

    @commands.Cog.listener()
    async def on_app_command_completion(
        self, interaction: discord.Interaction, command: app_commands.Command | app_commands.ContextMenu
    ) -> None:
        if interaction.guild_id is None:
            return
        notice = await self.services.member_settings.unreachable_notice(
            interaction.guild_id, interaction.user.id, language_of_locale(interaction.locale)
        )
        if notice is None:
            return
        try:
            await interaction.followup.send(notice, ephemeral=True)
        except discord.HTTPException:
            log.warning("could not tell a member why DM prompts stopped")
