"""Every slash command, option and choice has a Spanish name and description that Discord accepts."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from discord import app_commands

from bot.services.command_names import command_catalogue, parse_command_catalogue
from tests.test_option_declarations import top_level_commands


def _walk(entries: list[Any]) -> list[Any]:
    found = []
    for entry in entries:
        found.append(entry)
        if isinstance(entry, app_commands.Group):
            found += _walk(list(entry.commands))
    return found


def test_every_command_option_and_choice_is_in_spanish() -> None:
    spanish = command_catalogue("es")
    missing = []
    everything = _walk(top_level_commands())
    for command in everything:
        if spanish.command(command.qualified_name) is None:
            missing.append(f"command {command.qualified_name!r}")
        if isinstance(command, app_commands.Command):
            for parameter in command.parameters:
                if spanish.option(command.qualified_name, parameter.name) is None:
                    missing.append(f"option {command.qualified_name!r} {parameter.name!r}")
                missing += [f"choice {c.name!r}" for c in parameter.choices if spanish.choice(c.name) is None]
    assert len(everything) >= 40
    assert missing == []


def test_spanish_names_are_unique_among_their_siblings() -> None:
    spanish = command_catalogue("es")
    tops = top_level_commands()
    clashes = []

    def check(siblings: list[str], where: str) -> None:
        clashes.extend(f"{where}: {name}" for name, count in Counter(siblings).items() if count > 1)

    check([spanish.commands[c.qualified_name][0] for c in tops], "top level")
    for command in _walk(tops):
        if isinstance(command, app_commands.Group):
            check([spanish.commands[c.qualified_name][0] for c in command.commands], command.qualified_name)
        else:
            check([spanish.options[(command.qualified_name, p.name)][0] for p in command.parameters], command.name)
    assert clashes == []


def test_nothing_in_the_catalogue_is_left_over() -> None:
    spanish = command_catalogue("es")
    everything = _walk(top_level_commands())
    names = {c.qualified_name for c in everything}
    options = {
        (c.qualified_name, p.name) for c in everything if isinstance(c, app_commands.Command) for p in c.parameters
    }
    choices = {
        choice.name
        for c in everything
        if isinstance(c, app_commands.Command)
        for p in c.parameters
        for choice in p.choices
    }
    assert set(spanish.commands) - names == set()
    assert set(spanish.options) - options == set()
    assert set(spanish.choices) - choices == set()


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        ('[command."tip"]\nname = "Consejo"\ndescription = "x"', "breaks Discord's rules"),
        ('[command."tip"]\nname = "un consejo"\ndescription = "x"', "breaks Discord's rules"),
        ('[command."tip"]\nname = "' + "a" * 33 + '"\ndescription = "x"', "breaks Discord's rules"),
        ('[command."tip"]\nname = "consejo"\ndescription = "' + "x" * 101 + '"', "1 to 100 characters"),
        ('[option."tip".situation]\nname = "situación"', "1 to 100 characters"),
        ('[choice]\n"both" = ""', "1 to 100 characters"),
    ],
)
def test_a_bad_entry_is_refused_with_its_reason(entry: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        parse_command_catalogue(entry, "test.toml")


def test_accents_are_allowed_in_names() -> None:
    catalogue = parse_command_catalogue('[command."x"]\nname = "días-en-silencio"\ndescription = "d"', "t")
    assert catalogue.command("x") == ("días-en-silencio", "d")
