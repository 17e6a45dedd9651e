"""Errors with a message meant for the member: bad input, a missing setup step, a refused action."""

from __future__ import annotations


class UserFacingError(Exception):
    """Something the person can fix; `message` says how, kindly, and nothing was changed."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
