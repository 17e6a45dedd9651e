"""Errors with a message meant for the member: bad input, a missing setup step, a refused action."""

from __future__ import annotations

from collections.abc import Mapping


class UserFacingError(Exception):
    """Something the person can fix; `message` says how, kindly, and nothing was changed. `translations`
    holds the same words in other languages (by language code), for the member whose Discord speaks one."""

    def __init__(self, message: str, *, translations: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.translations = dict(translations or {})

    def words(self, language: str) -> str:
        """The message in `language` when there is one, else as it was raised."""
        return self.translations.get(language, self.message)
