"""Timezones as people type them: IANA names, cities, and abbreviations read as the zone people mean."""

from __future__ import annotations

import functools
import tomllib
import unicodedata
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.resources import files

from pydantic import BaseModel, ConfigDict, field_validator, model_validator

from bot.services.messages import DEFAULT_LANGUAGE, LANGUAGES, message
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
    about_es: dict[str, str]

    @model_validator(mode="after")
    def every_about_in_spanish(self) -> NamesFile:
        meanings = [*self.names.values(), *(m for ms in self.ambiguous.values() for m in ms)]
        missing = sorted({m.about for m in meanings} - set(self.about_es))
        if missing:
            raise ValueError(f"[about_es] has no Spanish for: {missing}")
        return self


@dataclass(frozen=True)
class ZoneReading:
    """The zone chosen for what was typed, and a sentence saying how it was read (None for an IANA name
    typed as it is, where there is nothing to explain)."""

    zone: str
    read_as: str | None = None
    # The same sentence in each language Lantern speaks (empty when there is nothing to explain).
    read_as_texts: Mapping[str, str] = field(default_factory=dict, compare=False, hash=False)

    def read_as_in(self, language: str) -> str | None:
        return self.read_as_texts.get(language, self.read_as)


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
        about_es=loaded.about_es,
    )


def follows_daylight_saving(zone: str) -> bool:
    year = datetime.now(UTC).year
    tz = zoneinfo.ZoneInfo(zone)
    return datetime(year, 1, 15, tzinfo=tz).utcoffset() != datetime(year, 7, 15, tzinfo=tz).utcoffset()


def about_in(meaning: ZoneMeaning, language: str) -> str:
    """How a zone is described to a member in their language."""
    return _names().about_es[meaning.about] if language == "es" else meaning.about


def _reading(zone: str, key: str, **values: str) -> ZoneReading:
    texts = {lang: message("timezones", lang, key, zone=zone, **values) for lang in LANGUAGES}
    return ZoneReading(zone, texts[DEFAULT_LANGUAGE], texts)


def _explain(typed: str, meaning: ZoneMeaning) -> ZoneReading:
    saving = follows_daylight_saving(meaning.zone)
    texts = {
        lang: message(
            "timezones",
            lang,
            "read_named",
            typed=_echo(typed),
            about=about_in(meaning, lang),
            zone=meaning.zone,
            saving=message("timezones", lang, "follows_saving") if saving else "",
        )
        for lang in LANGUAGES
    }
    return ZoneReading(meaning.zone, texts[DEFAULT_LANGUAGE], texts)


def _refusal(key: str, **by_language: dict[str, str]) -> TimezoneError:
    """A TimezoneError in every language, where some values differ by language."""
    texts = {
        lang: message("timezones", lang, key, **{name: values[lang] for name, values in by_language.items()})
        for lang in LANGUAGES
    }
    return TimezoneError(texts[DEFAULT_LANGUAGE], translations=texts)


def read_timezone(text: str) -> ZoneReading:
    """The zone a person means. Names people use come first, so "EST" is New York time all year (not
    the IANA database's fixed "EST"); then IANA names in any case; then a city the IANA names end with.
    Raises TimezoneError naming the choices when a name means several zones, or suggestions when none."""
    key = _key(text)
    book = _names()
    typed = {lang: _echo(text) for lang in LANGUAGES}
    if key in book.names:
        return _explain(text, book.names[key])
    if key in book.ambiguous:
        options = {
            lang: "; ".join(f"`{m.zone}` ({about_in(m, lang)})" for m in book.ambiguous[key]) for lang in LANGUAGES
        }
        raise _refusal("ambiguous", typed=typed, options=options)
    exact = _zones_by_lowercase_name().get(_normalize_zone_text(text))
    if exact is not None:
        return ZoneReading(exact)
    city = _normalize_zone_text(text)
    matches = [name for name, _, city_part in _choice_index() if city_part == city]
    if len(matches) == 1:
        return _reading(matches[0], "read_city", typed=_echo(text))
    suggestions = [f"`{name}`" for name in (matches or timezone_choices(text))[:3]]
    hint = {
        lang: message("timezones", lang, "did_you_mean", suggestions=message("timezones", lang, "or").join(suggestions))
        if suggestions
        else ""
        for lang in LANGUAGES
    }
    raise _refusal("unknown", typed=typed, hint=hint)


def named_choices(partial: str, limit: int = 5, language: str = DEFAULT_LANGUAGE) -> list[tuple[str, str]]:
    """(label, zone) for names people use that start with what was typed, for autocomplete: "pac" offers
    "Pacific: US Pacific time (America/Los_Angeles)"; an ambiguous name offers each of its meanings."""
    key = _key(partial)
    if len(key) < 2:
        return []
    book = _names()
    found: list[tuple[str, str]] = []
    for name, meaning in book.names.items():
        if name.startswith(key):
            label = name.upper() if len(name) <= 4 else name.title()
            found.append((f"{label}: {about_in(meaning, language)} ({meaning.zone})", meaning.zone))
    for name, meanings in book.ambiguous.items():
        if name.startswith(key):
            label = name.upper() if len(name) <= 4 else name.title()
            found.extend((f"{label}: {about_in(m, language)} ({m.zone})", m.zone) for m in meanings)
    return [(label[:100], zone) for label, zone in found[:limit]]
