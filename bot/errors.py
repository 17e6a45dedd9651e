"""Errors with a message meant for the member: bad input, a missing setup step, a refused action."""

from __future__ import annotations

from bot.services.messages import message


class UserFacingError(Exception):
    """Something the person can fix; `message` says how, kindly, and nothing was changed. Raised with
    `said` it names a catalogue text, and the member reads it in their own language."""

    def __init__(self, message: str, *, text: tuple[str, str] | None = None, values: dict[str, str] | None = None):
        super().__init__(message)
        self.message = message
        self._text = text
        self._values = values or {}

    @classmethod
    def said(cls, catalogue: str, key: str, **values: object) -> UserFacingError:
        shown = {name: str(value) for name, value in values.items()}
        return cls(message(catalogue, "en", key, **shown), text=(catalogue, key), values=shown)

    def words(self, lang: str) -> str:
        if self._text is None:
            return self.message
        catalogue, key = self._text
        return message(catalogue, lang, key, **self._values)
