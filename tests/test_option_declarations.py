"""Every slash-command option tells Discord its limits, so Discord's own client enforces them too."""

from __future__ import annotations

from typing import Any

from discord import app_commands
from discord.enums import AppCommandOptionType
from discord.ext.commands import GroupCog

from bot.cogs.checkin import CheckinCog
from bot.cogs.data import DataCog
from bot.cogs.dates import DatesCog
from bot.cogs.days import DaysCog
from bot.cogs.goals import GoalCog
from bot.cogs.interactions import InteractionsCog
from bot.cogs.oncall import OncallCog
from bot.cogs.partners import PartnerCog, PartnersCog
from bot.cogs.privacy import PrivacyCog
from bot.cogs.prompts import PromptsCog
from bot.cogs.report import ReportCog
from bot.cogs.resources import LinksCog, ResourcesCog
from bot.cogs.schedules import SchedulesCog
from bot.cogs.settings import SettingsCog
from bot.cogs.setup import SetupCog
from bot.cogs.tips import TipCog, TipsCog
from bot.ui.options import MAX_DISCORD_INTEGER

COGS = (
    CheckinCog,
    DataCog,
    DaysCog,
    DatesCog,
    GoalCog,
    InteractionsCog,
    OncallCog,
    PartnerCog,
    PartnersCog,
    PrivacyCog,
    PromptsCog,
    ReportCog,
    LinksCog,
    ResourcesCog,
    SchedulesCog,
    SettingsCog,
    SetupCog,
    TipCog,
    TipsCog,
)


def top_level_commands() -> list[Any]:
    """Every top-level command and group, as the tree holds them."""
    found: list[Any] = []
    for cog_type in COGS:
        # PromptsCog also takes how to name a community (it has no commands today, but may one day).
        cog = cog_type(None, str) if cog_type is PromptsCog else cog_type(None)  # type: ignore[arg-type,call-arg]
        # A GroupCog is one group whose subcommands are the cog's commands.
        found += [cog.app_command] if isinstance(cog, GroupCog) and cog.app_command else cog.get_app_commands()
    return found


def commands() -> list[app_commands.Command[Any, ..., Any]]:
    found: list[app_commands.Command[Any, ..., Any]] = []
    for command in top_level_commands():
        if isinstance(command, app_commands.Group):
            found.extend(c for c in command.walk_commands() if isinstance(c, app_commands.Command))
        elif isinstance(command, app_commands.Command):
            found.append(command)
    return found


def test_every_number_has_a_range_and_every_text_a_length() -> None:
    missing = []
    checked = 0
    for command in commands():
        for parameter in command.parameters:
            checked += 1
            where = f"/{command.qualified_name} {parameter.display_name}"
            if parameter.type in (AppCommandOptionType.integer, AppCommandOptionType.number):
                low, high = parameter.min_value, parameter.max_value
                if low is None or high is None or not -MAX_DISCORD_INTEGER <= low <= high <= MAX_DISCORD_INTEGER:
                    missing.append(f"{where}: no range Discord can enforce")
                continue
            unbounded = parameter.max_value is None and not parameter.choices
            if parameter.type is AppCommandOptionType.string and unbounded:
                missing.append(f"{where}: no max_length")
    assert checked > 30
    assert missing == []
