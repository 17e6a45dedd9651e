"""DMs a member sends outside a prompt: filed under their community, or under the one they pick."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import discord

from bot.services.messages import DEFAULT_LANGUAGE, language_of_locale, message
from bot.services.schedule_math import local_date_of
from bot.ui.prompt_buttons import mood_view
from bot.ui.safe import SNOWFLAKE, SafeButton, SafeView, services_of, snowflake

if TYPE_CHECKING:
    from bot.runtime import Services

Interaction = discord.Interaction[Any]


def dm_words(lang: str, key: str, **values: object) -> str:
    return message("dm", lang, key, **{name: str(value) for name, value in values.items()})


async def file_note(
    services: Services, community_id: int, user_id: int, text: str, lang: str = DEFAULT_LANGUAGE
) -> tuple[str, SafeView | None]:
    """Keep a DM as today's private note in one community; what to say back, and the one-tap mood when the
    day has no mood yet."""
    zone = await services.checkins.timezone_of(community_id, user_id)
    day = local_date_of(services.clock(), zone)
    outcome = await services.checkins.save_note(community_id, user_id, day, text)
    if outcome.content.mood is None:
        return dm_words(lang, "kept_as_note"), mood_view(community_id, day, lang)
    return dm_words(lang, "added"), None


class FileDmNoteButton(SafeButton):
    """One community's name under a DM from a member of several: keeps that DM as its note there. The DM is
    read back from Discord by its id, so the member's words never sit in a custom_id or in memory."""

    kind = "dmnote"
    template = re.compile(rf"lantern:dmnote:(?P<c>{SNOWFLAKE}):(?P<m>{SNOWFLAKE})")

    def __init__(self, community_id: int, message_id: int, label: str | None = None) -> None:
        label = label or dm_words(DEFAULT_LANGUAGE, "this_community")
        super().__init__(
            label=label[:80],
            style=discord.ButtonStyle.secondary,
            custom_id=f"lantern:dmnote:{community_id}:{message_id}",
        )
        self.community_id = community_id
        self.message_id = message_id

    @classmethod
    def from_match(cls, match: re.Match[str]) -> FileDmNoteButton:
        return cls(snowflake(match["c"]), snowflake(match["m"]))

    async def act(self, interaction: Interaction) -> None:
        services = services_of(interaction)
        user_id = interaction.user.id
        lang = language_of_locale(interaction.locale)
        if interaction.guild_id is not None or self.community_id not in await services.db.members.communities_of(
            user_id
        ):
            await interaction.response.send_message(dm_words(lang, "not_your_note"), ephemeral=True)
            return
        original: discord.Message | None = None
        if isinstance(interaction.channel, discord.abc.Messageable):
            try:
                original = await interaction.channel.fetch_message(self.message_id)
            except discord.NotFound:
                original = None
        if original is None or original.author.id != user_id or not original.content.strip():
            await interaction.response.edit_message(content=dm_words(lang, "message_gone"), view=None)
            return
        reply, view = await file_note(services, self.community_id, user_id, original.content.strip(), lang)
        await interaction.response.edit_message(content=reply, view=view)


def which_community_view(message_id: int, communities: list[tuple[int, str]]) -> SafeView:
    """A button per community (Discord allows 25 buttons in a message)."""
    return SafeView(*(FileDmNoteButton(cid, message_id, name) for cid, name in communities[:25]))


BUTTONS: tuple[type[SafeButton], ...] = (FileDmNoteButton,)
