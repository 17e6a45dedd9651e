"""The confirm and keep buttons of `/forget`; their custom_ids name the member who asked."""

from __future__ import annotations

import re
from typing import Any

import discord

from bot.services.messages import DEFAULT_LANGUAGE, language_of_locale, message
from bot.ui.safe import SNOWFLAKE, SafeButton, SafeView, services_of, snowflake

Interaction = discord.Interaction[Any]


def data_text(language: str, key: str, **values: object) -> str:
    """One text of `/export` or `/forget`, in the member's language."""
    return message("data", language, key, **{name: str(value) for name, value in values.items()})


def how_many(language: str, noun: str, count: int) -> str:
    """ "1 check-in", "3 records": a count with its noun, in the member's language."""
    return data_text(language, f"{noun}_one") if count == 1 else data_text(language, f"{noun}_many", count=count)


class ForgetButton(SafeButton):
    """The confirm (or keep) button of `/forget`; only the member who asked can press it."""

    kind = "forget"
    template = re.compile(rf"lantern:forget:(?P<c>{SNOWFLAKE}):(?P<u>{SNOWFLAKE}):(?P<a>yes|no)")

    def __init__(self, community_id: int, user_id: int, action: str, language: str = DEFAULT_LANGUAGE) -> None:
        label = data_text(language, "forget_yes" if action == "yes" else "forget_no")
        style = discord.ButtonStyle.danger if action == "yes" else discord.ButtonStyle.secondary
        super().__init__(label=label, style=style, custom_id=f"lantern:forget:{community_id}:{user_id}:{action}")
        self.community_id, self.user_id, self.action = community_id, user_id, action

    @classmethod
    def from_match(cls, match: re.Match[str]) -> ForgetButton:
        return cls(snowflake(match["c"]), snowflake(match["u"]), match["a"])

    async def act(self, interaction: Interaction) -> None:
        language = language_of_locale(interaction.locale)
        if interaction.user.id != self.user_id:
            await interaction.response.send_message(data_text(language, "forget_not_yours"), ephemeral=True)
            return
        if self.action == "no":
            await interaction.response.edit_message(content=data_text(language, "forget_kept"), view=None)
            return
        services = services_of(interaction)
        # Telling a partner left alone takes requests of its own: answer within Discord's 3 seconds first.
        await interaction.response.defer()
        # The partner is told (not why) before the group's records go.
        await services.partners.step_back(self.community_id, self.user_id)
        removed = await services.data_rights.forget(self.community_id, self.user_id)
        await interaction.edit_original_response(
            content=data_text(language, "forget_done", records=how_many(language, "record", removed)), view=None
        )


def forget_view(community_id: int, user_id: int, language: str = DEFAULT_LANGUAGE) -> SafeView:
    return SafeView(
        ForgetButton(community_id, user_id, "yes", language), ForgetButton(community_id, user_id, "no", language)
    )


BUTTONS: tuple[type[SafeButton], ...] = (ForgetButton,)
