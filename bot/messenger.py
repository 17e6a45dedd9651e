"""Delivery's link to Discord: opening DMs, sending prompts with their buttons, and Discord's refusals."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TYPE_CHECKING, Any

import aiohttp
import discord

from bot.services.delivery import SendError
from bot.services.messages import DEFAULT_LANGUAGE
from bot.services.prompts import Prompt
from bot.ui.prompt_buttons import prompt_custom_id, prompt_view

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


def _retry_after(error: discord.HTTPException) -> tuple[float | None, bool]:
    """Discord's Retry-After (seconds) and global flag on a 429 that outlasted discord.py's own retries."""
    if error.status != 429:
        return None, False
    headers = getattr(error.response, "headers", None) or {}
    is_global = str(headers.get("X-RateLimit-Global", "")).lower() == "true"
    try:
        return float(headers.get("Retry-After", "")), is_global
    except ValueError:
        return None, is_global


def send_error(error: Exception) -> SendError:
    """What delivery needs to know about a refusal; anything but Discord's permanent codes passes."""
    if isinstance(error, discord.HTTPException):
        retry_after, is_global = _retry_after(error)
        return SendError(_reason(error), retry_after=retry_after, is_global=is_global)
    # A timeout, a dropped connection, a reset: the request may or may not have reached Discord.
    return SendError("transient")


# What a dropped or stalled connection raises from discord.py's REST client (aiohttp's errors are OSErrors
# or ClientErrors; a stall ends in TimeoutError).
NETWORK_ERRORS = (discord.HTTPException, aiohttp.ClientError, OSError, TimeoutError)
# How far back a late retry looks for a prompt that may have been delivered after all.
LOOKUP_PAGES = 2


class DiscordMessenger:
    """Sends through discord.py's REST client: one request per DM once the DM channel is known."""

    def __init__(self, bot: LanternClient) -> None:
        self.bot = bot

    async def open_dm(self, user_id: int) -> int:
        try:
            data = await self.bot.http.start_private_message(user_id)
        except NETWORK_ERRORS as error:
            raise send_error(error) from None
        return int(data["id"])

    async def _send(self, channel: discord.PartialMessageable, prompt: Prompt, nonce: str) -> discord.Message:
        view = prompt_view(
            prompt.community_id,
            prompt.schedule_id,
            with_tip=prompt.kind == "channel",
            occurrence=prompt.occurrence,
            kind=prompt.kind,
            language=prompt.language,
        )
        try:
            message = await channel.send(prompt.text, view=view, nonce=nonce)
        except NETWORK_ERRORS as error:
            raise send_error(error) from None
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
            except (aiohttp.ClientError, OSError, TimeoutError):
                pass  # The prompt is out; a missing thread is not worth sending it again.
        return message.id

    async def find_prompt(self, channel_id: int, prompt: Prompt) -> int | None:
        """Look through the channel's recent messages for this prompt, by its button's custom_id (which
        names the occurrence and kind): a late retry must not send it a second time."""
        wanted = prompt_custom_id(prompt.community_id, prompt.schedule_id, prompt.occurrence, prompt.kind)
        own_id = self.bot.user.id if self.bot.user is not None else None
        before: int | None = None
        for _ in range(LOOKUP_PAGES):
            try:
                page = await self.bot.http.logs_from(channel_id, 100, before=before)
            except NETWORK_ERRORS as error:
                raise send_error(error) from None
            for message in page:
                if own_id is not None and int(message.get("author", {}).get("id", 0)) != own_id:
                    continue
                components: list[Any] = list(message.get("components") or [])
                if wanted in _custom_ids(components):
                    return int(message["id"])
            if len(page) < 100:
                return None
            before = int(page[-1]["id"])
        return None

    async def alert(self, channel_id: int, text: str) -> None:
        channel = self.bot.get_partial_messageable(channel_id, type=discord.ChannelType.text)
        try:
            await channel.send(text, allowed_mentions=discord.AllowedMentions.none())
        except NETWORK_ERRORS as error:
            raise send_error(error) from None

    async def community_name(self, community_id: int) -> str:
        guild = self.bot.get_guild(community_id)
        return guild.name if guild is not None else "your community"


def _custom_ids(components: list[dict[str, Any]]) -> set[str]:
    found: set[str] = set()
    for component in components:
        if "custom_id" in component:
            found.add(str(component["custom_id"]))
        found |= _custom_ids(component.get("components") or [])
    return found


class DiscordPartners:
    """Partner rounds' link to Discord: private threads, their members, welcomes and follow-ups."""

    def __init__(self, bot: LanternClient) -> None:
        self.bot = bot

    async def _call(self, request: Awaitable[Any]) -> Any:
        try:
            return await request
        except NETWORK_ERRORS as error:
            raise send_error(error) from None

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
        view = followup_view(group_id, self.bot.services.languages(community_id))
        view.stop()
        await self._call(thread.send(text, view=view))

    async def post_text(
        self, channel_id: int, community_id: int, kind: str, text: str, nonce: str, group_id: int | None
    ) -> int:
        """An outbox message: a leaders' alert (no pings), a partner welcome (pings the partners, so the
        thread shows up for them) or a follow-up (with its buttons). The nonce makes a repeat a no-op."""
        if kind == "alert":
            channel = self.bot.get_partial_messageable(channel_id, type=discord.ChannelType.text)
            send = channel.send(text, allowed_mentions=discord.AllowedMentions.none(), nonce=nonce)
        elif kind in ("milestone", "hardday"):
            from bot.ui.days_buttons import private_note_view

            dm = self.bot.get_partial_messageable(channel_id, type=discord.ChannelType.private)
            # The buttons speak the note's language: the one Lantern last saw from the DM's member.
            language = await self.bot.services.db.members.language_of_dm_channel(channel_id)
            view = private_note_view(kind, community_id, group_id, language or DEFAULT_LANGUAGE)
            if view is None:
                send = dm.send(text, nonce=nonce)
            else:
                view.stop()
                send = dm.send(text, view=view, nonce=nonce)
        else:
            channel = self.bot.get_partial_messageable(
                channel_id, guild_id=community_id, type=discord.ChannelType.private_thread
            )
            if kind == "followup" and group_id is not None:
                from bot.ui.partner_buttons import followup_view

                # Its buttons speak the server's language, like the follow-up's text.
                view = followup_view(group_id, self.bot.services.languages(community_id))
                view.stop()
                send = channel.send(text, view=view, nonce=nonce)
            else:
                send = channel.send(text, allowed_mentions=discord.AllowedMentions(users=True), nonce=nonce)
        message = await self._call(send)
        return int(message.id)

    async def find_text(self, channel_id: int, text: str) -> int | None:
        """One of Lantern's recent messages in the channel with exactly this text, if any."""
        page = await self._call(self.bot.http.logs_from(channel_id, 50))
        own_id = self.bot.user.id if self.bot.user is not None else None
        for message in page:
            if int(message.get("author", {}).get("id", 0)) == own_id and message.get("content") == text:
                return int(message["id"])
        return None

    async def open_dm(self, user_id: int) -> int:
        return int((await self._call(self.bot.http.start_private_message(user_id)))["id"])

    async def dm_text(self, user_id: int, text: str) -> None:
        channel_id = int((await self._call(self.bot.http.start_private_message(user_id)))["id"])
        channel = self.bot.get_partial_messageable(channel_id, type=discord.ChannelType.private)
        await self._call(channel.send(text))

    async def dm_new_partner_offer(self, user_id: int, community_id: int, text: str, language: str) -> None:
        from bot.ui.partner_buttons import new_partner_view

        channel_id = int((await self._call(self.bot.http.start_private_message(user_id)))["id"])
        channel = self.bot.get_partial_messageable(channel_id, type=discord.ChannelType.private)
        view = new_partner_view(community_id, language)
        view.stop()
        await self._call(channel.send(text, view=view))

    async def alert(self, channel_id: int, text: str) -> None:
        channel = self.bot.get_partial_messageable(channel_id, type=discord.ChannelType.text)
        await self._call(channel.send(text, allowed_mentions=discord.AllowedMentions.none()))


class DiscordOncall:
    """Support requests' link to Discord: a leader on duty's DM with "I've got this", and DMs to members."""

    def __init__(self, bot: LanternClient) -> None:
        self.bot = bot

    async def _dm_channel(self, user_id: int) -> discord.PartialMessageable:
        try:
            data = await self.bot.http.start_private_message(user_id)
        except NETWORK_ERRORS as error:
            raise send_error(error) from None
        return self.bot.get_partial_messageable(int(data["id"]), type=discord.ChannelType.private)

    async def page(self, leader_id: int, call_id: int, text: str) -> None:
        from bot.ui.oncall_buttons import take_view

        channel = await self._dm_channel(leader_id)
        view = take_view(call_id)
        # Routed by custom_id (bot/ui/routes.py), never kept in memory per message.
        view.stop()
        try:
            await channel.send(text, view=view, allowed_mentions=discord.AllowedMentions.none())
        except NETWORK_ERRORS as error:
            raise send_error(error) from None

    async def dm(self, user_id: int, text: str) -> None:
        channel = await self._dm_channel(user_id)
        try:
            await channel.send(text, allowed_mentions=discord.AllowedMentions.none())
        except NETWORK_ERRORS as error:
            raise send_error(error) from None

    async def community_name(self, community_id: int) -> str:
        guild = self.bot.get_guild(community_id)
        return guild.name if guild is not None else "your community"
