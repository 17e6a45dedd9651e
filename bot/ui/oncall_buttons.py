"""The "I've got this" button in a leader on duty's DM; its custom_id carries the request it answers."""

from __future__ import annotations

import logging
import re
from typing import Any

import discord

from bot.logs import describe_error
from bot.services import oncall_words as words
from bot.ui.safe import SafeButton, SafeView, row_id, services_of

log = logging.getLogger(__name__)

Interaction = discord.Interaction[Any]


def take_custom_id(call_id: int) -> str:
    return f"lantern:oncall:take:{call_id}"


class TakeButton(SafeButton):
    """Pressed by a leader on duty: the first press takes the request, any other changes nothing."""

    kind = "oncall"
    template = re.compile(r"lantern:oncall:take:(?P<r>[0-9]{1,10})")

    def __init__(self, call_id: int) -> None:
        super().__init__(label=words.TAKE_BUTTON, style=discord.ButtonStyle.success, custom_id=take_custom_id(call_id))
        self.call_id = call_id

    @classmethod
    def from_match(cls, match: re.Match[str]) -> TakeButton:
        return cls(row_id(match["r"]))

    async def act(self, interaction: Interaction) -> None:
        services = services_of(interaction)
        claim = await services.oncall.claim(self.call_id, interaction.user.id)
        if not claim.took or claim.call is None:
            await interaction.response.send_message(claim.text, ephemeral=True)
            return
        # The press is answered at once (the request is taken in the database already); the channel and
        # the member are told after, through the outbox and a DM.
        await interaction.response.edit_message(content=claim.text, view=None)
        name = discord.utils.escape_markdown(interaction.user.display_name)
        try:
            await services.oncall.announce_taken(claim.call, interaction.user.id, name)
        except Exception as error:
            log.error("telling others a request was taken raised %s", describe_error(error))


def take_view(call_id: int) -> SafeView:
    return SafeView(TakeButton(call_id))


BUTTONS: tuple[type[SafeButton], ...] = (TakeButton,)
