"""Timezones as people type them: IANA names, cities, and abbreviations read as the zone people mean."""

from __future__ import annotations

import functools
import tomllib
import unicodedata
import zoneinfo
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.resources import files

from pydantic import BaseModel, ConfigDict, field_validator

from bot.services.timeparse import (
    TimezoneError,
    _choice_index,
    _echo,
    _normalize_zone_text,
    _zones_by_lowercase_name,
    timezone_choices,
)

NAMES_FILE = "timezone_names.toml"


class ZoneMeaning(BaseModel):
    """One zone a name can stand for, and how it is described back."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    zone: str
    about: str

    @field_validator("zone")
    @classmethod
    def known_zone(cls, zone: str) -> str:
        if zone not in _zones_by_lowercase_name().values():
            raise ValueError(f"{zone!r} is not an IANA timezone")
        return zone


class NamesFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    names: dict[str, ZoneMeaning]
    ambiguous: dict[str, list[ZoneMeaning]]


@dataclass(frozen=True)
class ZoneReading:
    """The zone chosen for what was typed, and a sentence saying how it was read (None for an IANA name
    typed as it is, where there is nothing to explain)."""

    zone: str
    read_as: str | None = None


def _key(text: str) -> str:
    """What the names file is keyed by: lowercase, single spaces, underscores and dots read as spaces."""
    cleaned = unicodedata.normalize("NFKC", text).lower().replace("_", " ").replace(".", " ")
    return " ".join(cleaned.split())


@functools.cache
def _names() -> NamesFile:
    raw = tomllib.loads(files("bot.data").joinpath(NAMES_FILE).read_text(encoding="utf-8"))
    loaded = NamesFile.model_validate(raw)
    return NamesFile(
        names={_key(k): v for k, v in loaded.names.items()},
        ambiguous={_key(k): v for k, v in loaded.ambiguous.items()},
    )


def follows_daylight_saving(zone: str) -> bool:
    year = datetime.now(UTC).year
    tz = zoneinfo.ZoneInfo(zone)
    return datetime(year, 1, 15, tzinfo=tz).utcoffset() != datetime(year, 7, 15, tzinfo=tz).utcoffset()


def _explain(typed: str, meaning: ZoneMeaning) -> str:
    saving = ", which follows daylight saving" if follows_daylight_saving(meaning.zone) else ""
    return f"I read “{_echo(typed)}” as {meaning.about} ({meaning.zone}){saving}."


def read_timezone(text: str) -> ZoneReading:
    """The zone a person means. Names people use come first, so "EST" is New York time all year (not
    the IANA database's fixed "EST"); then IANA names in any case; then a city the IANA names end with.
    Raises TimezoneError naming the choices when a name means several zones, or suggestions when none."""
    key = _key(text)
    book = _names()
    if key in book.names:
        return ZoneReading(book.names[key].zone, _explain(text, book.names[key]))
    if key in book.ambiguous:
        options = "; ".join(f"`{m.zone}` ({m.about})" for m in book.ambiguous[key])
        raise TimezoneError(
            f"“{_echo(text)}” can mean more than one place: {options}. Which one? Pick it from the list as you type."
        )
    exact = _zones_by_lowercase_name().get(_normalize_zone_text(text))
    if exact is not None:
        return ZoneReading(exact)
    city = _normalize_zone_text(text)
    matches = [name for name, _, city_part in _choice_index() if city_part == city]
    if len(matches) == 1:
        return ZoneReading(matches[0], f"I read “{_echo(text)}” as {matches[0]}.")
    suggestions = [f"`{name}`" for name in (matches or timezone_choices(text))[:3]]
    hint = f" Did you mean {' or '.join(suggestions)}?" if suggestions else ""
    raise TimezoneError(
        f"I don't know the timezone “{_echo(text)}”.{hint} Start typing a city, like London or Chicago, "
        "and pick from the list."
    )


def named_choices(partial: str, limit: int = 5) -> list[tuple[str, str]]:
    """(label, zone) for names people use that start with what was typed, for autocomplete: "pac" offers
    "Pacific: US Pacific time (America/Los_Angeles)"; an ambiguous name offers each of its meanings."""
    key = _key(partial)
    if len(key) < 2:
        return []
    book = _names()
    found: list[tuple[str, str]] = []
    for name, meaning in book.names.items():
        if name.startswith(key):
            found.append(
                (f"{name.upper() if len(name) <= 4 else name.title()}: {meaning.about} ({meaning.zone})", meaning.zone)
            )
    for name, meanings in book.ambiguous.items():
        if name.startswith(key):
            label = name.upper() if len(name) <= 4 else name.title()
            found.extend((f"{label}: {m.about} ({m.zone})", m.zone) for m in meanings)
    return [(label[:100], zone) for label, zone in found[:limit]]
