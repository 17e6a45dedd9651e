"""The confirm and keep buttons of `/forget`; their custom_ids name the member who asked."""

from __future__ import annotations

import re
from typing import Any

import discord

from bot.services.checkins import plural
from bot.ui.safe import SNOWFLAKE, SafeButton, SafeView, services_of, snowflake

Interaction = discord.Interaction[Any]


class ForgetButton(SafeButton):
    """The confirm (or keep) button of `/forget`; only the member who asked can press it."""

    kind = "forget"
    template = re.compile(rf"lantern:forget:(?P<c>{SNOWFLAKE}):(?P<u>{SNOWFLAKE}):(?P<a>yes|no)")

    def __init__(self, community_id: int, user_id: int, action: str) -> None:
        label = "Yes, delete everything" if action == "yes" else "Keep my data"
        style = discord.ButtonStyle.danger if action == "yes" else discord.ButtonStyle.secondary
        super().__init__(label=label, style=style, custom_id=f"lantern:forget:{community_id}:{user_id}:{action}")
        self.community_id, self.user_id, self.action = community_id, user_id, action

    @classmethod
    def from_match(cls, match: re.Match[str]) -> ForgetButton:
        return cls(snowflake(match["c"]), snowflake(match["u"]), match["a"])

    async def act(self, interaction: Interaction) -> None:
        if interaction.user.id != self.user_id:
            await interaction.response.send_message("Only the person who asked can confirm this.", ephemeral=True)
            return
        if self.action == "no":
            await interaction.response.edit_message(content="Nothing was deleted. Your data is as it was.", view=None)
            return
        services = services_of(interaction)
        # Telling a partner left alone takes requests of its own: answer within Discord's 3 seconds first.
        await interaction.response.defer()
        # The partner is told (not why) before the group's records go.
        await services.partners.step_back(self.community_id, self.user_id)
        removed = await services.data_rights.forget(self.community_id, self.user_id)
        await interaction.edit_original_response(
            content=f"Done. I deleted {plural(removed, 'record')} about you in this community. "
            "If you use Lantern here again, it starts fresh.",
            view=None,
        )


def forget_view(community_id: int, user_id: int) -> SafeView:
    return SafeView(ForgetButton(community_id, user_id, "yes"), ForgetButton(community_id, user_id, "no"))


BUTTONS: tuple[type[SafeButton], ...] = (ForgetButton,)
