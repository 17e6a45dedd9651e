"""`/oncall on|off|who|config` and `/oncall rota add|list|remove`: which peer leader is on duty (leaders only)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.errors import UserFacingError
from bot.services import oncall_words as words
from bot.services.oncall import HOURS_MAX, HOURS_MIN, MINUTES_MAX, MINUTES_MIN
from bot.services.schedules import is_leader
from bot.storage.tables import MAX_ROW_ID
from bot.ui.leaders import check_leader
from bot.ui.options import TIME_MAX
from bot.ui.replies import answer

if TYPE_CHECKING:
    from bot.runtime import LanternClient, Services

DAYS_MAX = 100


@app_commands.guild_only()
@app_commands.default_permissions(manage_guild=True)
class OncallCog(commands.GroupCog, group_name="oncall", group_description="Which peer leader is on duty"):
    """Every subcommand is for leaders: hidden from members, and checked again when run."""

    rota = app_commands.Group(name="rota", description="The weekly on-duty rota, in the community's timezone")

    def __init__(self, services: Services) -> None:
        self.services = services
        super().__init__()

    async def interaction_check(self, interaction: discord.Interaction[Any]) -> bool:
        return await check_leader(interaction)

    @app_commands.command(name="on", description="Go on duty: support requests reach you first, by DM")
    @app_commands.describe(
        hours=f"For how many hours ({HOURS_MIN} to {HOURS_MAX}); leave out to stay on until /oncall off"
    )
    async def on(
        self,
        interaction: discord.Interaction[LanternClient],
        hours: app_commands.Range[int, HOURS_MIN, HOURS_MAX] | None = None,
    ) -> None:
        assert interaction.guild_id is not None
        await answer(interaction, await self.services.oncall.turn_on(interaction.guild_id, interaction.user.id, hours))

    @app_commands.command(name="off", description="Go off duty (a rota slot you're in ends for you now)")
    async def off(self, interaction: discord.Interaction[LanternClient]) -> None:
        assert interaction.guild_id is not None
        await answer(interaction, await self.services.oncall.turn_off(interaction.guild_id, interaction.user.id))

    @app_commands.command(name="who", description="Who is on duty now, and who is next on the rota")
    async def who(self, interaction: discord.Interaction[LanternClient]) -> None:
        assert interaction.guild_id is not None
        await answer(interaction, await self.services.oncall.who(interaction.guild_id))

    @app_commands.command(name="config", description="How long a request waits for the leader on duty")
    @app_commands.describe(
        minutes=f"Minutes before the leaders' channel is told ({MINUTES_MIN} to {MINUTES_MAX}, default 15)"
    )
    async def config(
        self,
        interaction: discord.Interaction[LanternClient],
        minutes: app_commands.Range[int, MINUTES_MIN, MINUTES_MAX] | None = None,
    ) -> None:
        assert interaction.guild_id is not None
        await answer(interaction, await self.services.oncall.set_minutes(interaction.guild_id, minutes))

    @rota.command(name="add", description="Add a weekly slot, in the community's timezone")
    @app_commands.describe(
        days="Which days it starts on, e.g. weekdays, mon,wed,fri or sunday",
        start="When it starts, e.g. 18:00 or 6pm",
        end="When it ends, e.g. 22:00 (a time before the start means the next day)",
        leader="Whose slot (default: yours)",
    )
    async def rota_add(
        self,
        interaction: discord.Interaction[LanternClient],
        days: app_commands.Range[str, 1, DAYS_MAX],
        start: app_commands.Range[str, 1, TIME_MAX],
        end: app_commands.Range[str, 1, TIME_MAX],
        leader: discord.Member | None = None,
    ) -> None:
        assert interaction.guild_id is not None
        who = leader or interaction.user
        if leader is not None and leader.id != interaction.user.id:
            community = await self.services.db.communities.get(interaction.guild_id)
            roles = {role.id for role in leader.roles}
            if leader.bot or not is_leader(leader.guild_permissions.manage_guild, roles, community):
                raise UserFacingError(words.ROTA_NOT_A_LEADER.format(leader=leader.id))
        await answer(interaction, await self.services.oncall.add_slot(interaction.guild_id, who.id, days, start, end))

    @rota.command(name="list", description="The weekly rota")
    async def rota_list(self, interaction: discord.Interaction[LanternClient]) -> None:
        assert interaction.guild_id is not None
        await answer(interaction, await self.services.oncall.list_slots(interaction.guild_id))

    @rota.command(name="remove", description="Remove a slot by its number (see /oncall rota list)")
    @app_commands.describe(slot="The slot's number, e.g. 3")
    async def rota_remove(
        self, interaction: discord.Interaction[LanternClient], slot: app_commands.Range[int, 1, MAX_ROW_ID]
    ) -> None:
        assert interaction.guild_id is not None
        await answer(interaction, await self.services.oncall.remove_slot(interaction.guild_id, slot))
