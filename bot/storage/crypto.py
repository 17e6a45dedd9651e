"""Authenticated encryption of check-in content under the operator's rotatable keys."""

from __future__ import annotations

import binascii
from collections.abc import Sequence

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from bot.storage.models import CheckinContent

_UNDECRYPTABLE = (
    "check-in content could not be decrypted with the configured keys "
    "(was an old key removed before `rotate_all` finished?)"
)


class DecryptionError(ValueError):
    """A stored token could not be decrypted with any configured key, or was tampered with."""


def generate_key() -> str:
    """Return a new random key suitable for LANTERN_SECRET_KEY."""
    return Fernet.generate_key().decode("ascii")


def parse_keys(value: str) -> list[str]:
    """Split a comma-separated key setting ("new,old") into keys, newest first."""
    return [part.strip() for part in value.split(",") if part.strip()]


class ContentCipher:
    """Encrypts under the first key; decrypts under any, so old keys can be retired gradually."""

    __slots__ = ("_current", "_multi")

    def __init__(self, keys: Sequence[str] | str) -> None:
        # A bare str is a Sequence[str] too; treating each character as a key would only
        # produce a baffling error, so accept the "new,old" setting form directly.
        key_list = parse_keys(keys) if isinstance(keys, str) else [k.strip() for k in keys]
        if not key_list:
            raise ValueError("no encryption key configured: set at least one key (see `keygen`)")
        fernets = [_fernet(key, position) for position, key in enumerate(key_list, start=1)]
        self._current = fernets[0]
        self._multi = MultiFernet(fernets)

    def __repr__(self) -> str:
        return "ContentCipher(<keys hidden>)"

    def encrypt(self, content: CheckinContent) -> bytes:
        """Encrypt content under the current (first) key."""
        return self._multi.encrypt(content.to_json())

    def decrypt(self, token: bytes) -> CheckinContent:
        """Decrypt a token made under any configured key."""
        try:
            plaintext = self._multi.decrypt(token)
        except InvalidToken:
            raise DecryptionError(_UNDECRYPTABLE) from None
        return CheckinContent.from_json(plaintext)

    def encrypt_text(self, text: str) -> bytes:
        """Encrypt a short text a member wrote (a counter's name, a date's label) under the current key."""
        return self._multi.encrypt(text.encode("utf-8"))

    def decrypt_text(self, token: bytes) -> str:
        try:
            return self._multi.decrypt(token).decode("utf-8")
        except InvalidToken:
            raise DecryptionError(_UNDECRYPTABLE) from None

    def seal(self, plaintext: bytes) -> bytes:
        """Encrypt other private bytes a member gave (a goal) under the current key, like check-in content."""
        return self._multi.encrypt(plaintext)

    def unseal(self, token: bytes) -> bytes:
        """The bytes `seal` encrypted, under any configured key."""
        try:
            return self._multi.decrypt(token)
        except InvalidToken:
            raise DecryptionError(_UNDECRYPTABLE) from None

    def rotate(self, token: bytes) -> bytes:
        """Re-encrypt a token under the current key, keeping its original timestamp."""
        try:
            return self._multi.rotate(token)
        except InvalidToken:
            raise DecryptionError(_UNDECRYPTABLE) from None

    def is_current(self, token: bytes) -> bool:
        """Whether the token is already encrypted under the current (first) key."""
        try:
            self._current.decrypt(token)
        except InvalidToken:
            return False
        return True


def _fernet(key: str, position: int) -> Fernet:
    try:
        return Fernet(key)
    except (ValueError, TypeError, binascii.Error):
        # `from None`: the key text must not reach logs through a chained traceback.
        raise ValueError(
            f"encryption key #{position} is not a valid key: expected 32 url-safe base64-encoded "
            "bytes (44 characters); generate one with `python -m bot keygen`"
        ) from None
