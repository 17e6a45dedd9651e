"""Configuration: each kind of bad setting stops start-up with one clear line, and secrets stay hidden."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from hypothesis import given
from hypothesis import strategies as st

from bot.config import DEFAULT_DATABASE_URL, ENV_NAMES, ConfigError, Settings, load_settings, require

ENV_VARS = (
    "DISCORD_TOKEN",
    "DATABASE_URL",
    "LANTERN_SECRET_KEY",
    "LOG_LEVEL",
    "DEV_GUILD_ID",
    "DISCORD_API_BASE",
    "DISCORD_GATEWAY_URL",
    "LANTERN_RATE_LIMIT",
)


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ENV_VARS:
        monkeypatch.delenv(name, raising=False)


def test_defaults_need_nothing() -> None:
    settings = load_settings(env_file=None)
    assert settings.database_url == DEFAULT_DATABASE_URL
    assert settings.log_level == "INFO"
    assert settings.discord_token is None and settings.secret_key is None


def test_dotenv_file_is_read(tmp_path: Path) -> None:
    env = tmp_path / ".env"
    env.write_text("LOG_LEVEL=debug\nDEV_GUILD_ID=1234\n")
    settings = load_settings(env_file=env)
    assert settings.log_level == "DEBUG"
    assert settings.dev_guild_id == 1234


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("LOG_LEVEL", "LOUD", "LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL"),
        ("DEV_GUILD_ID", "my-server", "DEV_GUILD_ID must be a whole number"),
        ("DEV_GUILD_ID", "-5", "DEV_GUILD_ID must be greater than 0"),
        ("DATABASE_URL", "mysql://x", "DATABASE_URL must start with sqlite:/// or postgresql://"),
        ("DISCORD_API_BASE", "localhost:8080", "DISCORD_API_BASE must be a URL"),
        ("DISCORD_GATEWAY_URL", "gateway", "DISCORD_GATEWAY_URL must be a URL"),
        ("LANTERN_SECRET_KEY", "not-a-key", "LANTERN_SECRET_KEY key 1 is not a valid Fernet key"),
        ("LANTERN_RATE_LIMIT", "fast", "LANTERN_RATE_LIMIT must be a number"),
        ("LANTERN_RATE_LIMIT", "80", "LANTERN_RATE_LIMIT must be at most 50"),
    ],
)
def test_each_bad_setting_names_the_variable(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, expected: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as raised:
        load_settings(env_file=None)
    message = str(raised.value)
    assert message.startswith(expected)
    assert "\n" not in message


def test_a_bad_second_key_is_named_without_echoing_it(monkeypatch: pytest.MonkeyPatch) -> None:
    good = Fernet.generate_key().decode()
    monkeypatch.setenv("LANTERN_SECRET_KEY", f"{good},secret-but-wrong-value")
    with pytest.raises(ConfigError) as raised:
        load_settings(env_file=None)
    assert "key 2" in str(raised.value)
    assert "secret-but-wrong-value" not in str(raised.value)
    assert good not in str(raised.value)


def test_missing_token_is_explained() -> None:
    settings = load_settings(env_file=None)
    with pytest.raises(ConfigError, match="DISCORD_TOKEN is not set"):
        require(settings, "discord_token")
    with pytest.raises(ConfigError, match=re.escape("LANTERN_SECRET_KEY is not set; run `python -m bot keygen`")):
        require(settings, "secret_key")


def test_secrets_are_not_in_reprs(monkeypatch: pytest.MonkeyPatch) -> None:
    key = Fernet.generate_key().decode()
    monkeypatch.setenv("LANTERN_SECRET_KEY", key)
    monkeypatch.setenv("DISCORD_TOKEN", "token-value-that-must-stay-hidden")
    settings = load_settings(env_file=None)
    shown = repr(settings) + str(settings) + str(settings.model_dump())
    assert key not in shown
    assert "token-value-that-must-stay-hidden" not in shown
    assert settings.secret_keys() == [key]


def test_key_list_allows_rotation(monkeypatch: pytest.MonkeyPatch) -> None:
    keys = [Fernet.generate_key().decode() for _ in range(3)]
    monkeypatch.setenv("LANTERN_SECRET_KEY", " , ".join(keys))
    assert load_settings(env_file=None).secret_keys() == keys


@given(st.text(max_size=40))
def test_any_log_level_text_is_accepted_or_named(value: str) -> None:
    try:
        settings = Settings(LOG_LEVEL=value, _env_file=None)  # type: ignore[call-arg]
    except Exception:
        with pytest.raises(ConfigError, match=r"^LOG_LEVEL "):
            load_settings(env_file=None, LOG_LEVEL=value)
        return
    assert settings.log_level in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


@given(st.text(max_size=40))
def test_any_guild_id_text_is_accepted_or_named(value: str) -> None:
    try:
        settings = load_settings(env_file=None, DEV_GUILD_ID=value)
    except ConfigError as problem:
        assert str(problem).startswith("DEV_GUILD_ID ")
        assert "\n" not in str(problem)
        return
    assert settings.dev_guild_id is None or settings.dev_guild_id > 0


def test_the_example_file_lists_every_setting_and_loads_as_is(tmp_path: Path) -> None:
    example = Path(__file__).resolve().parent.parent / "config.example.env"
    names = {line.split("=", 1)[0] for line in example.read_text().splitlines() if "=" in line and line[0].isupper()}
    assert names == set(ENV_NAMES.values())
    settings = load_settings(env_file=example)
    assert settings.database_url == DEFAULT_DATABASE_URL
