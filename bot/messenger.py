"""Delivery's link to Discord: opening DMs, sending prompts with their buttons, and Discord's refusals."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TYPE_CHECKING, Any

import discord

from bot.services.delivery import SendError
from bot.services.prompts import Prompt
from bot.ui.prompt_buttons import prompt_view

if TYPE_CHECKING:
    from bot.runtime import LanternClient

UNREACHABLE_CODES = {50007}  # Cannot send messages to this user
GONE_CODES = {10003, 10008}  # Unknown Channel, Unknown Message
PERMISSION_CODES = {50001, 50013}  # Missing Access, Missing Permissions
THREAD_EXISTS = 160004


def _reason(error: discord.HTTPException) -> str:
    if error.code in UNREACHABLE_CODES:
        return "unreachable"
    if error.code in GONE_CODES or isinstance(error, discord.NotFound):
        return "channel_gone"
    if error.code in PERMISSION_CODES:
        return "no_permission"
    return "transient"


class DiscordMessenger:
    """Sends through discord.py's REST client: one request per DM once the DM channel is known."""

    def __init__(self, bot: LanternClient) -> None:
        self.bot = bot

    async def open_dm(self, user_id: int) -> int:
        try:
            data = await self.bot.http.start_private_message(user_id)
        except discord.HTTPException as error:
            raise SendError(_reason(error)) from None
        return int(data["id"])

    async def _send(self, channel: discord.PartialMessageable, prompt: Prompt, nonce: str) -> discord.Message:
        view = prompt_view(prompt.community_id, prompt.schedule_id, with_tip=prompt.kind == "channel")
        try:
            message = await channel.send(prompt.text, view=view, nonce=nonce)
        except discord.HTTPException as error:
            raise SendError(_reason(error)) from None
        finally:
            # The buttons are routed by their custom_id (bot/ui/routes.py); keeping a view per
            # message in memory would only grow with every prompt sent.
            view.stop()
        return message

    async def send_dm(self, channel_id: int, prompt: Prompt, nonce: str) -> int:
        channel = self.bot.get_partial_messageable(channel_id, type=discord.ChannelType.private)
        return (await self._send(channel, prompt, nonce)).id

    async def post_prompt(self, channel_id: int, prompt: Prompt, nonce: str, thread: str | None) -> int:
        channel = self.bot.get_partial_messageable(
            channel_id, guild_id=prompt.community_id, type=discord.ChannelType.text
        )
        message = await self._send(channel, prompt, nonce)
        if thread is not None and message.thread is None:
            try:
                await message.create_thread(name=thread, auto_archive_duration=1440)
            except discord.HTTPException as error:
                # 160004: the thread exists already (this prompt was sent before a crash).
                if error.code != THREAD_EXISTS and _reason(error) != "transient":
                    raise SendError(_reason(error)) from None
        return message.id

    async def alert(self, channel_id: int, text: str) -> None:
        channel = self.bot.get_partial_messageable(channel_id, type=discord.ChannelType.text)
        try:
            await channel.send(text, allowed_mentions=discord.AllowedMentions.none())
        except discord.HTTPException as error:
            raise SendError(_reason(error)) from None

    async def community_name(self, community_id: int) -> str:
        guild = self.bot.get_guild(community_id)
        return guild.name if guild is not None else "your community"


class DiscordPartners:
    """Partner rounds' link to Discord: private threads, their members, welcomes and follow-ups."""

    def __init__(self, bot: LanternClient) -> None:
        self.bot = bot

    async def _call(self, request: Awaitable[Any]) -> Any:
        try:
            return await request
        except discord.HTTPException as error:
            raise SendError(_reason(error)) from None

    async def create_private_thread(self, channel_id: int, community_id: int, name: str) -> int:
        data = await self._call(
            self.bot.http.start_thread_without_message(
                channel_id,
                name=name,
                auto_archive_duration=10080,
                type=discord.ChannelType.private_thread.value,
                invitable=False,
            )
        )
        return int(data["id"])

    async def add_to_thread(self, thread_id: int, user_id: int) -> None:
        await self._call(self.bot.http.add_user_to_thread(thread_id, user_id))

    async def remove_from_thread(self, thread_id: int, user_id: int) -> None:
        await self._call(self.bot.http.remove_user_from_thread(thread_id, user_id))

    async def post_welcome(self, thread_id: int, community_id: int, text: str) -> None:
        thread = self.bot.get_partial_messageable(
            thread_id, guild_id=community_id, type=discord.ChannelType.private_thread
        )
        # Mention the partners so the thread shows up for them, and nobody else.
        await self._call(thread.send(text, allowed_mentions=discord.AllowedMentions(users=True)))

    async def post_followup(self, thread_id: int, community_id: int, group_id: int, text: str) -> None:
        from bot.ui.partner_buttons import followup_view

        thread = self.bot.get_partial_messageable(
            thread_id, guild_id=community_id, type=discord.ChannelType.private_thread
        )
        view = followup_view(group_id)
        view.stop()
        await self._call(thread.send(text, view=view))

    async def dm_text(self, user_id: int, text: str) -> None:
        channel_id = int((await self._call(self.bot.http.start_private_message(user_id)))["id"])
        channel = self.bot.get_partial_messageable(channel_id, type=discord.ChannelType.private)
        await self._call(channel.send(text))

    async def dm_new_partner_offer(self, user_id: int, community_id: int, text: str) -> None:
        from bot.ui.partner_buttons import new_partner_view

        channel_id = int((await self._call(self.bot.http.start_private_message(user_id)))["id"])
        channel = self.bot.get_partial_messageable(channel_id, type=discord.ChannelType.private)
        view = new_partner_view(community_id)
        view.stop()
        await self._call(channel.send(text, view=view))

    async def alert(self, channel_id: int, text: str) -> None:
        channel = self.bot.get_partial_messageable(channel_id, type=discord.ChannelType.text)
        await self._call(channel.send(text, allowed_mentions=discord.AllowedMentions.none()))
