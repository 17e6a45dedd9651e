"""A community's language: its server's own (Discord's preferred_locale), for what everyone there reads."""

from __future__ import annotations

from collections.abc import Callable

from bot.services.messages import DEFAULT_LANGUAGE, language_of_locale


class CommunityLanguages:
    """The language of what Lantern posts where everyone reads it (the check-in channel, partner threads, the
    leaders' channel): Spanish when the server's language is es-ES or es-419, else English.

    Asked of the bot each time, never stored: its guild cache holds each server's preferred_locale, filled by
    GUILD_CREATE at every start and kept current by GUILD_UPDATE, so a change of language counts from the
    next post. Until the bot is running, and for a server it does not know, English."""

    def __init__(self, locale_of: Callable[[int], object | None] | None = None) -> None:
        # Set by the bot (bot/app.py): a server id to its preferred_locale, or None when it is unknown.
        self.locale_of = locale_of

    def __call__(self, community_id: int) -> str:
        if self.locale_of is None:
            return DEFAULT_LANGUAGE
        return language_of_locale(self.locale_of(community_id))
