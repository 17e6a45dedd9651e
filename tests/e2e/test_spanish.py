"""End to end: a member whose Discord speaks Spanish sees Lantern's commands in Spanish."""

from __future__ import annotations

from typing import Any

from bot.devtools.harness import Harness

SPANISH = ("es-ES", "es-419")


def _named_entries(commands: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found = []
    for entry in commands:
        found.append(entry)
        found += _named_entries(entry.get("options") or [])
    return found


async def test_every_command_option_and_choice_reaches_discord_in_spanish(lantern: Harness) -> None:
    world = lantern.sandbox.world
    synced = world.global_commands + [c for pool in world.guild_commands.values() for c in pool]
    entries = _named_entries(synced)
    assert len(synced) >= 15 and len(entries) >= 90
    untranslated = [
        entry["name"]
        for entry in entries
        for field in ("name_localizations", "description_localizations")
        if any(not (entry.get(field) or {}).get(locale) for locale in SPANISH)
    ]
    choices = [choice for entry in entries for choice in entry.get("choices") or []]
    untranslated += [
        c["name"] for c in choices if any(not (c.get("name_localizations") or {}).get(loc) for loc in SPANISH)
    ]
    assert untranslated == []
    by_name = {entry["name"]: entry for entry in synced}
    assert by_name["checkin"]["name_localizations"]["es-419"] == "registro"
    assert by_name["tip"]["description_localizations"]["es-ES"].startswith("Un consejo")
