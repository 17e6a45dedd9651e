"""Who counts as a peer leader: Manage Server, or the community's leader role; checked at run time."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from bot.services.messages import message, refusal
from bot.services.schedules import is_leader

if TYPE_CHECKING:
    from bot.runtime import LanternClient

NOT_A_LEADER = message("errors", "en", "not_leader")


class NotALeader(app_commands.CheckFailure):
    """A member tried a leader command; Discord hides them, but permissions can be overridden. `refused`
    says so in every language, for the one error path to tell in the member's."""

    def __init__(self) -> None:
        super().__init__(NOT_A_LEADER)
        self.refused = refusal("errors", "not_leader")


async def check_leader(interaction: discord.Interaction[Any]) -> bool:
    bot: LanternClient = interaction.client
    if interaction.guild_id is None or not isinstance(interaction.user, discord.Member):
        raise NotALeader()
    community = await bot.services.db.communities.get(interaction.guild_id)
    roles = {role.id for role in interaction.user.roles}
    if not is_leader(interaction.permissions.manage_guild, roles, community):
        raise NotALeader()
    return True


def leader_only() -> Any:
    """Hide the command from members (Manage Server by default) and check again when it runs."""

    def decorate(func: Any) -> Any:
        func = app_commands.default_permissions(manage_guild=True)(func)
        func = app_commands.guild_only()(func)
        return app_commands.check(check_leader)(func)

    return decorate


async def leaders_of(interaction: discord.Interaction[Any]) -> frozenset[int]:
    """Everyone in the server who counts as a leader (the one asking always does), so that counts meant for
    members leave them out."""
    bot: LanternClient = interaction.client
    guild = interaction.guild
    assert interaction.guild_id is not None
    community = await bot.services.db.communities.get(interaction.guild_id)
    found = {interaction.user.id}
    if guild is not None:
        for member in guild.members:
            roles = {role.id for role in member.roles}
            if not member.bot and is_leader(member.guild_permissions.manage_guild, roles, community):
                found.add(member.id)
    return frozenset(found)
