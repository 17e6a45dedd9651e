"""Lantern's configuration: environment variables (and `.env`), validated once at start-up."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from cryptography.fernet import Fernet
from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.sharding import ShardScope, parse_shard_ids

# What Lantern writes when nothing else is configured goes to ./data in the working directory (created
# on demand), never beside the code: an installed package may not even be writable.
DATA_DIR = Path("data")
DEFAULT_DATABASE_URL = f"sqlite:///{DATA_DIR / 'lantern.sqlite3'}"

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]


class ConfigError(Exception):
    """A setting is missing or malformed; the message names the variable and what is wrong."""


class Settings(BaseSettings):
    """Every setting Lantern reads. `config.example.env` documents each one."""

    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        env_ignore_empty=True,
        extra="ignore",
        case_sensitive=True,
        populate_by_name=True,
    )

    discord_token: SecretStr | None = Field(default=None, validation_alias="DISCORD_TOKEN")
    database_url: str = Field(default=DEFAULT_DATABASE_URL, validation_alias="DATABASE_URL")
    secret_key: SecretStr | None = Field(default=None, validation_alias="LANTERN_SECRET_KEY")
    log_level: LogLevel = Field(default="INFO", validation_alias="LOG_LEVEL")
    dev_guild_id: int | None = Field(default=None, validation_alias="DEV_GUILD_ID", gt=0)
    discord_api_base: str | None = Field(default=None, validation_alias="DISCORD_API_BASE")
    discord_gateway_url: str | None = Field(default=None, validation_alias="DISCORD_GATEWAY_URL")
    ops_port: int | None = Field(default=None, validation_alias="LANTERN_OPS_PORT", ge=0, le=65535)
    ops_host: str = Field(default="127.0.0.1", validation_alias="LANTERN_OPS_HOST", min_length=1)
    shards: str | None = Field(default=None, validation_alias="LANTERN_SHARDS")
    shard_count: int | None = Field(default=None, validation_alias="LANTERN_SHARD_COUNT", gt=0)
    # Discord's own 50: the pacer's hold (bot/pacing.py) keeps every second Discord may count under it, so
    # a lower pace would only leave part of the limit unused (bench.fanout: 0.986 of it, no 429).
    rate_limit_per_second: float = Field(
        default=50.0,
        validation_alias=AliasChoices("LANTERN_RATE_LIMIT", "rate_limit_per_second"),
        gt=0,
        le=50,
    )

    @field_validator("discord_token", "secret_key", "dev_guild_id", "ops_port", "shards", "shard_count", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: Any) -> Any:
        if isinstance(value, str) and not value.strip():
            return None
        return value

    @field_validator("shards")
    @classmethod
    def _shard_ids(cls, value: str | None) -> str | None:
        if value is not None:
            parse_shard_ids(value)
        return value

    def shard_scope(self) -> ShardScope:
        """The shards this process runs (all of them unless LANTERN_SHARDS says otherwise)."""
        if self.shards is None:
            return ShardScope(None, self.shard_count or 1)
        if self.shard_count is None:
            raise ConfigError("LANTERN_SHARDS needs LANTERN_SHARD_COUNT too (how many shards all processes run)")
        try:
            return ShardScope(parse_shard_ids(self.shards), self.shard_count)
        except ValueError as problem:
            raise ConfigError(f"LANTERN_SHARDS {problem}") from None

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_level(cls, value: Any) -> Any:
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        value = value.strip()
        if not value.startswith(("sqlite:", "sqlite+aiosqlite:", "postgresql:", "postgresql+asyncpg:", "postgres:")):
            raise ValueError("must start with sqlite:/// or postgresql://")
        return value

    @field_validator("discord_api_base", "discord_gateway_url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        value = value.strip().rstrip("/")
        schemes = ("http://", "https://", "ws://", "wss://")
        if not value.startswith(schemes):
            raise ValueError("must be a URL starting with http(s):// or ws(s)://")
        return value

    @field_validator("secret_key")
    @classmethod
    def _fernet_keys(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None:
            return None
        keys = [k.strip() for k in value.get_secret_value().split(",") if k.strip()]
        if not keys:
            raise ValueError("is empty; run `python -m bot keygen` to make one")
        for position, key in enumerate(keys, start=1):
            try:
                Fernet(key.encode())
            except (ValueError, TypeError):
                raise ValueError(
                    f"key {position} is not a valid Fernet key (32 url-safe base64 bytes); "
                    "run `python -m bot keygen` to make one"
                ) from None
        return SecretStr(",".join(keys))

    def secret_keys(self) -> list[str]:
        if self.secret_key is None:
            return []
        return self.secret_key.get_secret_value().split(",")


ENV_NAMES = {
    "discord_token": "DISCORD_TOKEN",
    "database_url": "DATABASE_URL",
    "secret_key": "LANTERN_SECRET_KEY",
    "log_level": "LOG_LEVEL",
    "dev_guild_id": "DEV_GUILD_ID",
    "discord_api_base": "DISCORD_API_BASE",
    "discord_gateway_url": "DISCORD_GATEWAY_URL",
    "rate_limit_per_second": "LANTERN_RATE_LIMIT",
    "shards": "LANTERN_SHARDS",
    "shard_count": "LANTERN_SHARD_COUNT",
    "ops_port": "LANTERN_OPS_PORT",
    "ops_host": "LANTERN_OPS_HOST",
}


def describe_error(error: ValidationError) -> str:
    """One line naming the first bad variable and what is wrong with it, never its value."""
    first = error.errors()[0]
    field = str(first["loc"][0]) if first["loc"] else "?"
    name = ENV_NAMES.get(field, field.upper())
    message = str(first["msg"]).removeprefix("Value error, ")
    if first["type"] == "literal_error":
        message = "must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL"
    elif first["type"] in ("int_parsing", "int_from_float"):
        message = "must be a whole number" + (" (a Discord server id)" if field == "dev_guild_id" else "")
    elif first["type"] in ("float_parsing",):
        message = "must be a number"
    elif first["type"] == "greater_than":
        message = f"must be greater than {first.get('ctx', {}).get('gt')}"
    elif first["type"] == "less_than_equal":
        message = f"must be at most {first.get('ctx', {}).get('le')}"
    return f"{name} {message}"


def load_settings(env_file: str | Path | None = ".env", **overrides: Any) -> Settings:
    """Read and validate the settings; raise ConfigError with one clear line if anything is wrong."""
    try:
        return Settings(_env_file=env_file, **overrides)  # type: ignore[call-arg]
    except ValidationError as error:
        raise ConfigError(describe_error(error)) from None


def require(settings: Settings, *names: str) -> None:
    """Stop start-up with a clear line when a command needs a setting that is not set."""
    hints = {
        "discord_token": "is not set; copy the bot token from the Discord developer portal into .env",
        "secret_key": "is not set; run `python -m bot keygen` and put the key in .env",
    }
    for name in names:
        if getattr(settings, name) is None:
            raise ConfigError(f"{ENV_NAMES[name]} {hints.get(name, 'is not set')}")
