"""Logs: at DEBUG they hold no note text and no secret."""

from __future__ import annotations

import logging

import pytest
from cryptography.fernet import Fernet

from bot.devtools.harness import Harness
from bot.logs import REDACTED, setup_logging
from tests.e2e.test_checkin import check_in


def test_secrets_are_redacted_from_any_log_line(capsys: pytest.CaptureFixture[str]) -> None:
    setup_logging("DEBUG", ["my-token-0123456789"])
    logging.getLogger("bot.test").warning("connecting with my-token-0123456789 now")
    err = capsys.readouterr().err
    assert "my-token-0123456789" not in err and REDACTED in err


async def test_debug_logs_hold_no_note_and_no_secret(capsys: pytest.CaptureFixture[str], database_url: str) -> None:
    key = Fernet.generate_key().decode()
    harness = Harness(database_url, [key], log_level="DEBUG")
    setup_logging("DEBUG", [key, harness.sandbox.token])
    await harness.start()
    try:
        await check_in(harness.person("alice"), note="log-canary-note-5521")
        await harness.person("alice").slash("history")
    finally:
        await harness.stop()
        logging.getLogger().handlers.clear()
    err = capsys.readouterr().err
    assert "DEBUG" in err  # the test really ran at DEBUG
    assert "log-canary-note-5521" not in err
    assert key not in err
    assert harness.sandbox.token not in err
