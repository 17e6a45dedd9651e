"""Message catalogues: the texts members read, per language, loaded from package data and checked."""

from __future__ import annotations

import functools
import tomllib
from importlib import resources
from typing import Any

from bot.errors import UserFacingError

LANGUAGES = ("en", "es")
DEFAULT_LANGUAGE = "en"


def language_of_locale(locale: object) -> str:
    """Discord's locale ("es-ES", "es-419", "en-US", ...) as one of LANGUAGES; English when unknown."""
    value = str(getattr(locale, "value", locale) or "")
    return "es" if value.lower().startswith("es") else DEFAULT_LANGUAGE


def parse_catalogue(text: str, name: str) -> dict[str, dict[str, str]]:
    """Every language must have exactly the same keys, each a non-empty string: all problems at once."""
    data: dict[str, Any] = tomllib.loads(text)
    problems = [f"{name}: unknown language [{lang}]" for lang in data if lang not in LANGUAGES]
    keys = set().union(*(set(table) for table in data.values() if isinstance(table, dict))) if data else set()
    for lang in LANGUAGES:
        table = data.get(lang)
        if not isinstance(table, dict):
            problems.append(f"{name}: language [{lang}] is missing")
            continue
        problems += [f"{name}: [{lang}] has no {key!r}" for key in sorted(keys - set(table))]
        problems += [
            f"{name}: [{lang}] {key!r} must be non-empty text"
            for key, value in table.items()
            if not isinstance(value, str) or not value.strip()
        ]
    if problems:
        raise ValueError("\n".join(problems))
    return {lang: dict(data[lang]) for lang in LANGUAGES}


@functools.cache
def catalogue(name: str) -> dict[str, dict[str, str]]:
    text = (resources.files("bot.data.messages") / f"{name}.toml").read_text(encoding="utf-8")
    return parse_catalogue(text, f"{name}.toml")


def message(name: str, lang: str, key: str, **values: str) -> str:
    """One text in the member's language (English when the language is not one Lantern speaks)."""
    table = catalogue(name)
    text = table.get(lang, table[DEFAULT_LANGUAGE])[key]
    return text.format(**values) if values else text


def refusal(name: str, key: str, kind: type[UserFacingError] = UserFacingError, **values: object) -> UserFacingError:
    """A UserFacingError (or `kind` of one) whose words come from a catalogue, in every language: raised
    where the member's language is not known, told in it where the answer is sent."""
    shown = {field: str(value) for field, value in values.items()}
    texts = {lang: message(name, lang, key, **shown) for lang in LANGUAGES}
    return kind(texts[DEFAULT_LANGUAGE], translations=texts)
