"""Gives Discord the Spanish names and descriptions of Lantern's commands, for es-ES and es-419."""

from __future__ import annotations

from discord import Locale, app_commands
from discord.app_commands import TranslationContextLocation as Where

from bot.services.command_names import CommandCatalogue, command_catalogue

SPANISH_LOCALES = frozenset({Locale.spain_spanish, Locale.latin_american_spanish})


class LanternTranslator(app_commands.Translator):
    """Reads the command catalogue; None (Discord shows the English) for any other locale."""

    def __init__(self, catalogue: CommandCatalogue | None = None) -> None:
        self.catalogue = catalogue or command_catalogue("es")

    async def translate(
        self, string: app_commands.locale_str, locale: Locale, context: app_commands.TranslationContextTypes
    ) -> str | None:
        if locale not in SPANISH_LOCALES:
            return None
        return self.lookup(context.location, context.data)

    def lookup(self, location: Where, data: object) -> str | None:
        catalogue = self.catalogue
        if location in (Where.command_name, Where.group_name, Where.command_description, Where.group_description):
            entry = catalogue.command(getattr(data, "qualified_name", ""))
            if entry is None:
                return None
            return entry[0] if location in (Where.command_name, Where.group_name) else entry[1]
        if location in (Where.parameter_name, Where.parameter_description):
            command = getattr(data, "command", None)
            option = catalogue.option(getattr(command, "qualified_name", ""), getattr(data, "name", ""))
            if option is None:
                return None
            return option[0] if location is Where.parameter_name else option[1]
        if location is Where.choice_name:
            return catalogue.choice(getattr(data, "name", ""))
        return None
