"""`/report` and `/audit` for leaders, and the audit trail of every leader command."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.metrics import observe_interaction
from bot.services.messages import language_of_locale
from bot.services.reports import AUDIT_MAX_DAYS, REPORT_MAX_DAYS, check_days
from bot.ui.leaders import leader_only, leaders_of
from bot.ui.replies import answer

if TYPE_CHECKING:
    from bot.runtime import LanternClient, Services

LEADER_COMMANDS = ("setup", "schedule", "tips", "links", "partners", "report", "audit", "oncall")
# Leader commands inside a members' group (`/dates` itself is private and never audited).
LEADER_GROUPS = ("dates community",)


def audit_detail(interaction: discord.Interaction[Any]) -> tuple[int | None, str | None]:
    """A member the command was about, and its other options in short (never a member's id in the text)."""
    target: int | None = None
    parts = []
    for name, value in interaction.namespace:
        if isinstance(value, discord.abc.User | discord.Member):
            target = target or value.id
            continue
        if isinstance(value, discord.Role):
            parts.append(f"{name}=@{value.name}")
            continue
        if isinstance(value, discord.abc.GuildChannel | app_commands.AppCommandChannel):
            parts.append(f"{name}=#{getattr(value, 'name', value.id)}")
            continue
        text = str(value)
        parts.append(f"{name}={text[:40]}{'…' if len(text) > 40 else ''}")
    return target, " ".join(parts) or None


class ReportCog(commands.Cog):
    """What leaders see: participation and aggregates, and who changed or viewed what."""

    def __init__(self, services: Services) -> None:
        self.services = services

    @app_commands.command(name="report", description="Participation: check-ins, response rate, partner rounds.")
    @app_commands.describe(days=f"How many days (1 to {REPORT_MAX_DAYS}, default 7)")
    @leader_only()
    async def report(
        self, interaction: discord.Interaction[LanternClient], days: app_commands.Range[int, 1, REPORT_MAX_DAYS] = 7
    ) -> None:
        assert interaction.guild_id is not None
        check_days(days, REPORT_MAX_DAYS, "report")
        leaders = await leaders_of(interaction)
        language = language_of_locale(interaction.locale)
        await answer(interaction, await self.services.reports.report(interaction.guild_id, days, leaders, language))

    @app_commands.command(name="audit", description="What leaders changed or viewed, with who and when.")
    @app_commands.describe(days=f"How many days (1 to {AUDIT_MAX_DAYS}, default 30)")
    @leader_only()
    async def audit(
        self, interaction: discord.Interaction[LanternClient], days: app_commands.Range[int, 1, AUDIT_MAX_DAYS] = 30
    ) -> None:
        assert interaction.guild_id is not None
        check_days(days, AUDIT_MAX_DAYS, "audit")
        language = language_of_locale(interaction.locale)
        await answer(interaction, await self.services.reports.audit(interaction.guild_id, days, language))

    @commands.Cog.listener()
    async def on_app_command_completion(
        self,
        interaction: discord.Interaction[Any],
        command: app_commands.Command[Any, Any, Any] | app_commands.ContextMenu,
    ) -> None:
        observe_interaction("command", interaction.created_at)
        name = command.qualified_name
        is_leaders = name.split()[0] in LEADER_COMMANDS or name.startswith(LEADER_GROUPS)
        if interaction.guild_id is None or not is_leaders:
            return
        target, detail = audit_detail(interaction)
        await self.services.reports.record(
            interaction.guild_id, interaction.user.id, command.qualified_name, target, detail
        )
