"""Replies to DM prompts (kept as that day's private note), and telling members why DM prompts stopped."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.logs import describe_error
from bot.services.checkin_form import NOTE_MAX_LENGTH
from bot.services.crisis_detector import guess_language
from bot.services.schedule_math import local_date_of
from bot.ui.prompt_buttons import mood_view
from bot.ui.support_buttons import safety_view

if TYPE_CHECKING:
    from bot.runtime import Services

log = logging.getLogger(__name__)

NO_PROMPT_YET = (
    "Hi! I keep check-ins per community, so I'm not sure where this one belongs. "
    "Use `/checkin` in your server, or reply here after your next DM prompt."
)


class PromptsCog(commands.Cog):
    """What members do with the prompts they get by DM."""

    def __init__(self, services: Services) -> None:
        self.services = services

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        if message.guild is not None or message.author.bot or not message.content.strip():
            return
        try:
            await self._note_from_dm(message)
        except Exception as error:
            log.error("a DM reply raised %s", describe_error(error))
            try:
                await message.channel.send("Sorry, I couldn't keep that just now. Please try again in a minute.")
            except discord.HTTPException:
                log.warning("could not answer a DM reply")

    async def _note_from_dm(self, message: discord.Message) -> None:
        delivery = await self.services.db.deliveries.latest_prompt_to(message.author.id, message.channel.id)
        if delivery is None:
            # Every text a member sends is read for crisis language, prompt or not.
            await self._safety_without_prompt(message)
            await message.channel.send(NO_PROMPT_YET)
            return
        community_id = delivery.community_id
        zone = await self.services.checkins.timezone_of(community_id, message.author.id)
        day = local_date_of(self.services.clock(), zone)
        text = message.content.strip()
        if len(text) > NOTE_MAX_LENGTH:
            await message.channel.send(
                f"That's {len(text)} characters; I can keep up to {NOTE_MAX_LENGTH} at a time. "
                "Could you send it in two parts?"
            )
            return
        outcome = await self.services.checkins.save_note(community_id, message.author.id, day, text)
        _, safety = await self.services.safety.check(community_id, text, language=guess_language(text))
        if safety is not None:
            await message.channel.send(safety.text[:2000], view=safety_view(community_id, safety))
        if outcome.content.mood is None:
            reply = "Thanks, I've kept that privately as today's note. How are you arriving, in one tap?"
            await message.channel.send(reply, view=mood_view(community_id, day))
        else:
            await message.channel.send("Thanks, I've added that to today's check-in. Only you can see it.")

    async def _safety_without_prompt(self, message: discord.Message) -> None:
        text = message.content.strip()
        language = guess_language(text)
        communities = await self.services.db.members.communities_of(message.author.id)
        if communities:
            _, safety = await self.services.safety.check(communities[0], text, language=language)
            if safety is not None:
                await message.channel.send(safety.text[:2000], view=safety_view(communities[0], safety))
            return
        # Someone Lantern knows from no community: the crisis lines still come, without a leader to tell.
        card = await self.services.safety.card_without_community(text, language)
        if card is not None:
            await message.channel.send(card[:2000])

    @commands.Cog.listener()
    async def on_app_command_completion(
        self, interaction: discord.Interaction, command: app_commands.Command | app_commands.ContextMenu
    ) -> None:
        if interaction.guild_id is None:
            return
        notice = await self.services.member_settings.unreachable_notice(interaction.guild_id, interaction.user.id)
        if notice is None:
            return
        try:
            await interaction.followup.send(notice, ephemeral=True)
        except discord.HTTPException:
            log.warning("could not tell a member why DM prompts stopped")
