"""Spanish names and descriptions of slash commands, options and choices: loaded from package data and checked."""

from __future__ import annotations

import functools
import hashlib
import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from typing import Any

# Discord's rule for a chat-input command or option name in any locale: lowercase, 1 to 32 letters,
# digits, '-' or '_' (see Discord's "Application Command Naming").
_NAME = re.compile(r"^[-_\w]{1,32}$")
MAX_DESCRIPTION = 100
MAX_CHOICE_NAME = 100


@dataclass(frozen=True)
class CommandCatalogue:
    """One language's names for the command tree, keyed by the English qualified names."""

    commands: dict[str, tuple[str, str]]  # "partner join" -> (name, description)
    options: dict[tuple[str, str], tuple[str, str]]  # ("partner join", "cadence") -> (name, description)
    choices: dict[str, str]  # English choice name -> translated
    digest: str

    def command(self, qualified_name: str) -> tuple[str, str] | None:
        return self.commands.get(qualified_name)

    def option(self, qualified_name: str, option: str) -> tuple[str, str] | None:
        return self.options.get((qualified_name, option))

    def choice(self, english: str) -> str | None:
        return self.choices.get(english)


def _entry(where: str, table: Any, problems: list[str]) -> tuple[str, str]:
    if not isinstance(table, dict):
        problems.append(f"{where}: must be a table with name and description")
        return ("", "")
    name, description = table.get("name"), table.get("description")
    if not isinstance(name, str) or not _NAME.match(name) or name != name.lower() or "__" in name:
        problems.append(f"{where}: name {name!r} breaks Discord's rules (lowercase, no spaces, 1 to 32)")
    if not isinstance(description, str) or not 1 <= len(description) <= MAX_DESCRIPTION:
        problems.append(f"{where}: description must be 1 to {MAX_DESCRIPTION} characters")
    return (str(name), str(description))


def parse_command_catalogue(text: str, name: str) -> CommandCatalogue:
    """Every entry obeys Discord's limits; all problems are reported at once."""
    data = tomllib.loads(text)
    problems: list[str] = []
    commands = {
        key: _entry(f"{name}: command {key!r}", value, problems) for key, value in data.get("command", {}).items()
    }
    options: dict[tuple[str, str], tuple[str, str]] = {}
    for command, table in data.get("option", {}).items():
        for option, value in table.items():
            options[(command, option)] = _entry(f"{name}: option {command!r} {option!r}", value, problems)
    choices: dict[str, str] = {}
    for english, value in data.get("choice", {}).items():
        if not isinstance(value, str) or not 1 <= len(value) <= MAX_CHOICE_NAME:
            problems.append(f"{name}: choice {english!r} must be 1 to {MAX_CHOICE_NAME} characters")
        choices[english] = str(value)
    if problems:
        raise ValueError("\n".join(problems))
    digest = hashlib.sha256(text.encode()).hexdigest()
    return CommandCatalogue(commands=commands, options=options, choices=choices, digest=digest)


@functools.cache
def command_catalogue(language: str) -> CommandCatalogue:
    text = (resources.files("bot.data.messages") / f"commands_{language}.toml").read_text(encoding="utf-8")
    return parse_command_catalogue(text, f"commands_{language}.toml")
