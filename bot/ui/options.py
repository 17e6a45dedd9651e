"""Slash-command options checked at the edge, against what each command declares to Discord, before any use."""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Mapping
from typing import Any

import discord
from discord import app_commands
from discord.enums import AppCommandOptionType

Command = app_commands.Command[Any, ..., Any]
Group = app_commands.Group

# Discord's own limits: snowflakes are below 2**63; integer options within ±(2**53 - 1); strings up to 6000.
MAX_SNOWFLAKE = 2**63 - 1
MAX_DISCORD_INTEGER = 2**53 - 1
MAX_DISCORD_STRING = 6000
# Direction embeddings, overrides and isolates: they can make a name display as something else.
BIDI_CONTROLS = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))
# The longest text some options take: an IANA name as typed (the longest real one has 30 characters),
# a time of day ("9:30 p.m."), and a row id Discord can carry as an integer.
TIMEZONE_MAX = 64
TIME_MAX = 20
MAX_ROW_ID = MAX_DISCORD_INTEGER
RELOAD = "Discord may have an older copy of this command: reload Discord (Ctrl+R) and try again."

# What Discord always puts in a resolved member, channel or role; anything less is not from Discord.
_RESOLVED_KEYS = {"users": ("id", "username"), "channels": ("id", "type"), "roles": ("id", "name", "permissions")}
_SNOWFLAKE_KINDS = {
    AppCommandOptionType.user: "users",
    AppCommandOptionType.channel: "channels",
    AppCommandOptionType.role: "roles",
    AppCommandOptionType.mentionable: "users",
}


class OptionProblem(Exception):
    """An option that cannot be used; `words` tell the person what to do instead."""

    def __init__(self, words: str) -> None:
        super().__init__(words)
        self.words = words


def find_command(
    tree: app_commands.CommandTree[Any], data: Mapping[str, Any], guild_id: int | None
) -> tuple[Command, list[Any]]:
    """The command (down to its subcommand) a raw interaction names, and the options given to it."""
    name = data.get("name")
    if not isinstance(name, str):
        raise OptionProblem(RELOAD)
    found: Command | Group | app_commands.ContextMenu | None = None
    if guild_id is not None:
        found = tree.get_command(name, guild=discord.Object(id=guild_id))
    found = found or tree.get_command(name)
    if found is None:
        raise OptionProblem("I don't have that command any more. Type / to see what Lantern offers now.")
    options: Any = data.get("options", [])
    while isinstance(found, Group):
        if not isinstance(options, list) or len(options) != 1 or not isinstance(options[0], Mapping):
            raise OptionProblem(RELOAD)
        sub = options[0]
        found = found.get_command(str(sub.get("name")))
        if found is None:
            raise OptionProblem(RELOAD)
        options = sub.get("options", [])
    if not isinstance(found, app_commands.Command) or not isinstance(options, list):
        raise OptionProblem(RELOAD)
    return found, options


def check_options(command: Command, options: list[Any], resolved: Mapping[str, Any]) -> None:
    """Raise OptionProblem unless every option is one the command declares, of its declared type, within
    its declared length and choices, free of control characters, a number Discord could send, and (for
    members, channels and roles) a real id that Discord resolved. Declared number ranges are checked by
    each cog, with words that fit the command."""
    parameters = {p.display_name: p for p in command.parameters}
    seen: set[str] = set()
    for option in options:
        if not isinstance(option, Mapping) or not isinstance(option.get("name"), str):
            raise OptionProblem(RELOAD)
        name = option["name"]
        parameter = parameters.get(name)
        if parameter is None or name in seen or "value" not in option:
            raise OptionProblem(RELOAD)
        seen.add(name)
        _check_value(parameter, option["value"], resolved)
    for parameter in command.parameters:
        if parameter.required and parameter.display_name not in seen:
            described = f": {parameter.description}" if parameter.description.strip("…. ") else ""
            raise OptionProblem(f"`{parameter.display_name}` is needed{described}. Add it and try the command again.")


def _check_value(parameter: app_commands.Parameter, value: Any, resolved: Mapping[str, Any]) -> None:
    name, kind = parameter.display_name, parameter.type
    if kind is AppCommandOptionType.string:
        _check_text(parameter, value)
    elif kind is AppCommandOptionType.integer:
        if not isinstance(value, int) or isinstance(value, bool):
            raise OptionProblem(f"`{name}` takes a whole number, like `{name}:{_example(parameter)}`.")
        _check_range(parameter, value)
    elif kind is AppCommandOptionType.number:
        if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value):
            raise OptionProblem(f"`{name}` takes a number, like `{name}:{_example(parameter)}`.")
        _check_range(parameter, value)
    elif kind is AppCommandOptionType.boolean:
        if not isinstance(value, bool):
            raise OptionProblem(f"`{name}` takes True or False. Pick one from the list Discord shows.")
    elif kind in _SNOWFLAKE_KINDS:
        _check_reference(parameter, value, resolved)
    else:
        raise OptionProblem(RELOAD)
    if parameter.choices and value not in [choice.value for choice in parameter.choices]:
        offered = ", ".join(choice.name for choice in parameter.choices[:10])
        raise OptionProblem(f"Pick `{name}` from the list Discord shows: {offered}.")


def _check_text(parameter: app_commands.Parameter, value: Any) -> None:
    name = parameter.display_name
    if not isinstance(value, str):
        raise OptionProblem(f"`{name}` takes text. {parameter.description}")
    low = int(parameter.min_value) if parameter.min_value is not None else 1
    high = int(parameter.max_value) if parameter.max_value is not None else MAX_DISCORD_STRING
    if not value:
        raise OptionProblem(f"`{name}` can't be empty. {parameter.description}")
    if len(value) < low:
        raise OptionProblem(f"`{name}` needs at least {low} characters. {parameter.description}")
    if len(value) > high:
        raise OptionProblem(
            f"`{name}` can be up to {high} characters; that was {len(value)}. Could you shorten it and try again?"
        )
    if any(_unkeepable(char) for char in value):
        raise OptionProblem(
            f"`{name}` has invisible control or direction characters I can't keep. Please type it again without them."
        )


def _unkeepable(char: str) -> bool:
    # Control characters (never typed into a slash command), lone surrogates (not text), and the
    # direction overrides that make text display as something it is not.
    return unicodedata.category(char) in ("Cc", "Cs") or char in BIDI_CONTROLS


def _check_range(parameter: app_commands.Parameter, value: float) -> None:
    # Only a number Discord could never send is refused here; the declared range is checked by each cog,
    # with words that fit the command ("A break can be from 1 to 90 days ...").
    if abs(value) > MAX_DISCORD_INTEGER:
        name, low, high = parameter.display_name, parameter.min_value, parameter.max_value
        bounds = f"from {low} to {high}" if low is not None and high is not None else "a smaller number"
        raise OptionProblem(f"`{name}` can be {bounds}. Try `{name}:{_example(parameter)}`.")


def _example(parameter: app_commands.Parameter) -> Any:
    default = parameter.default
    low, high = parameter.min_value, parameter.max_value
    if isinstance(default, int | float) and not isinstance(default, bool):
        return default
    if low is not None and high is not None:
        return low if low > 0 else min(high, 7)
    return 7


def _check_reference(parameter: app_commands.Parameter, value: Any, resolved: Mapping[str, Any]) -> None:
    """A member, channel or role: Discord sends its id as text, with the object itself in `resolved`."""
    name = parameter.display_name
    pick = f"Pick `{name}` from the list Discord shows."
    if not isinstance(value, str) or not value.isascii() or not value.isdecimal():
        raise OptionProblem(pick)
    if not 0 < int(value) <= MAX_SNOWFLAKE:
        raise OptionProblem(pick)
    mentionable = parameter.type is AppCommandOptionType.mentionable
    kinds = ("users", "roles") if mentionable else (_SNOWFLAKE_KINDS[parameter.type],)
    found: Mapping[str, Any] | None = None
    for kind in kinds:
        table = resolved.get(kind)
        entry = table.get(value) if isinstance(table, Mapping) else None
        if (
            isinstance(entry, Mapping)
            and str(entry.get("id")) == value
            and all(k in entry for k in _RESOLVED_KEYS[kind])
        ):
            found = entry
    if found is None:
        raise OptionProblem(pick)
    allowed = [kind.value for kind in parameter.channel_types]
    if parameter.type is AppCommandOptionType.channel and allowed and found.get("type") not in allowed:
        raise OptionProblem(pick)
