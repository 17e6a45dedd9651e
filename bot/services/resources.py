"""Crisis lines, helplines and meeting finders by region: loading bot/data/resources.toml and rendering it."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, NoReturn

from bot.services.messages import message

# The resources ship inside the package, so an installed Lantern finds them from any folder.
SHIPPED_RESOURCES_FILE = "resources.toml"
# How messages name the shipped file: where a developer edits it, not where it was installed.
SHIPPED_RESOURCES_NAME = "bot/data/resources.toml"

FALLBACK_REGION = "INTL"
KINDS = ("crisis", "substance", "meeting", "emergency")
# Members and leaders say "UK"; ISO says "GB".
REGION_ALIASES = {"UK": "GB"}

# Discord's embed limits are 1024 characters per field value and 6000 per embed; staying under 5500
# leaves room for the embed's own title and footer.
FIELD_VALUE_LIMIT = 1024
FIELD_NAME_LIMIT = 256
EMBED_TOTAL_LIMIT = 5500
# The crisis card goes out as a plain message next to a button, and has to be read at a glance.
CRISIS_MESSAGE_LIMIT = 1500

SECTION_TITLES = {
    "crisis": "Crisis lines",
    "substance": "Substance-use helplines",
    "meeting": "Meeting finders",
    "community": "From your community",
}

_REGION_CODE = re.compile(r"^(?:[A-Z]{2}|INTL)$")
_LINE_FIELDS = frozenset({"name", "kind", "phone", "text", "url", "hours", "source", "checked", "verified", "language"})
# The languages a line can be answered in; a Spanish reader is shown the region's Spanish lines first.
LINE_LANGUAGES = ("en", "es")
_REGION_FIELDS = frozenset({"name", "emergency", "lines"})
_MORE = "…and more not shown here."


class ResourceError(ValueError):
    """The resources file is wrong; the message names the file, region, entry and problem."""


@dataclass(frozen=True)
class ResourceLine:
    """One helpline, text line or website."""

    name: str
    kind: str
    phone: str | None
    text: str | None
    url: str | None
    hours: str | None
    source: str
    checked: str
    verified: bool
    language: str = "en"


@dataclass(frozen=True)
class RegionResources:
    """Everything shown for one region."""

    code: str
    name: str
    emergency: str
    lines: tuple[ResourceLine, ...]

    def of_kind(self, kind: str, language: str | None = None) -> tuple[ResourceLine, ...]:
        """Lines of a kind; with a language, those answered in it, or every line of the kind when none is."""
        lines = tuple(line for line in self.lines if line.kind == kind)
        if language is None:
            return lines
        return tuple(line for line in lines if line.language == language) or lines


@dataclass(frozen=True)
class ResourceBook:
    """All regions from the resources file, with INTL as the fallback for any other code."""

    by_code: Mapping[str, RegionResources]

    @property
    def regions(self) -> dict[str, str]:
        """Region code -> display name, for /setup choices."""
        return {code: region.name for code, region in self.by_code.items()}

    def for_region(self, code: str | None) -> RegionResources:
        key = (code or "").strip().upper()
        key = REGION_ALIASES.get(key, key)
        return self.by_code.get(key, self.by_code[FALLBACK_REGION])


# ---------------------------------------------------------------------------------------------------
# Loading and validation
# ---------------------------------------------------------------------------------------------------


class _Fail:
    """Raises ResourceError with the location prefixed, so every message says where the problem is."""

    def __init__(self, where: str) -> None:
        self.where = where

    def __call__(self, problem: str) -> NoReturn:
        raise ResourceError(f"{self.where}: {problem}")


def _optional_text(raw: Mapping[str, Any], key: str, fail: _Fail) -> str | None:
    value = raw.get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        fail(f"'{key}' must be non-empty text")
    return value.strip()


def _required_text(raw: Mapping[str, Any], key: str, fail: _Fail) -> str:
    value = _optional_text(raw, key, fail)
    if value is None:
        fail(f"'{key}' is missing")
    return value


def _parse_line(raw: Any, fail: _Fail) -> ResourceLine:
    if not isinstance(raw, dict):
        fail("must be a table with name, kind and a phone, text or url")
    unknown = sorted(set(raw) - _LINE_FIELDS)
    if unknown:
        fail(f"unknown field(s) {', '.join(unknown)}")
    kind = _required_text(raw, "kind", fail)
    if kind not in KINDS:
        fail(f"unknown kind '{kind}' (use one of {', '.join(KINDS)})")
    phone = _optional_text(raw, "phone", fail)
    text = _optional_text(raw, "text", fail)
    url = _optional_text(raw, "url", fail)
    if phone is None and text is None and url is None:
        fail("needs at least one of phone, text or url")
    if url is not None and (not url.startswith("https://") or " " in url):
        fail(f"url '{url}' must start with https:// and contain no spaces")
    checked = _required_text(raw, "checked", fail)
    try:
        date.fromisoformat(checked)
    except ValueError:
        fail(f"checked '{checked}' must be a date like 2026-11-28")
    verified = raw.get("verified", True)
    if not isinstance(verified, bool):
        fail("verified must be true or false")
    language = raw.get("language", "en")
    if language not in LINE_LANGUAGES:
        fail(f"language must be one of {', '.join(LINE_LANGUAGES)}")
    return ResourceLine(
        name=_required_text(raw, "name", fail),
        kind=kind,
        phone=phone,
        text=text,
        url=url,
        hours=_optional_text(raw, "hours", fail),
        source=_required_text(raw, "source", fail),
        checked=checked,
        verified=verified,
        language=language,
    )


def _entry_label(index: int, raw: Any) -> str:
    name = raw.get("name") if isinstance(raw, dict) else None
    return f"entry {index + 1}" + (f" ({name!r})" if isinstance(name, str) else "")


def _parse_region(code: str, raw: Any, where: str) -> RegionResources:
    fail = _Fail(f"{where}: region {code}")
    if not _REGION_CODE.match(code):
        fail("region codes are two capital letters (ISO 3166, e.g. GB) or INTL")
    if not isinstance(raw, dict):
        fail("must be a table with name, emergency and lines")
    unknown = sorted(set(raw) - _REGION_FIELDS)
    if unknown:
        fail(f"unknown field(s) {', '.join(unknown)}")
    raw_lines = raw.get("lines")
    if not isinstance(raw_lines, list) or not raw_lines:
        fail("needs at least one [[regions.<code>.lines]] entry")
    lines = tuple(
        _parse_line(entry, _Fail(f"{where}: region {code}: {_entry_label(index, entry)}"))
        for index, entry in enumerate(raw_lines)
    )
    region = RegionResources(
        code=code,
        name=_required_text(raw, "name", fail),
        emergency=_required_text(raw, "emergency", fail),
        lines=lines,
    )
    # The crisis card is built from these; a region without one would show an empty card.
    if not region.of_kind("crisis"):
        fail("needs at least one line of kind 'crisis'")
    return region


def shipped_resources() -> Traversable:
    """The built-in resources file, read through importlib.resources from the installed package."""
    return files("bot.data").joinpath(SHIPPED_RESOURCES_FILE)


def load_resources(path: Path | None = None) -> ResourceBook:
    """Reads and checks a resources file (the shipped one when `path` is None); raises ResourceError
    naming what is wrong and where."""
    source: Traversable = shipped_resources() if path is None else path
    where = SHIPPED_RESOURCES_NAME if path is None else str(path)
    try:
        with source.open("rb") as handle:
            data = tomllib.load(handle)
    except OSError as error:
        raise ResourceError(f"{where}: cannot be read ({error.strerror or error})") from error
    except tomllib.TOMLDecodeError as error:
        raise ResourceError(f"{where}: is not valid TOML ({error})") from error
    raw_regions = data.get("regions")
    if not isinstance(raw_regions, dict) or not raw_regions:
        raise ResourceError(f"{where}: needs a [regions.<code>] table for each region")
    by_code = {code: _parse_region(code, raw, where) for code, raw in raw_regions.items()}
    if FALLBACK_REGION not in by_code:
        raise ResourceError(f"{where}: region {FALLBACK_REGION} is missing; it is the fallback for everyone else")
    return ResourceBook(by_code=by_code)


# ---------------------------------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------------------------------


def _ways_to_reach(line: ResourceLine, link: str, language: str = "en") -> str:
    ways: list[str] = []
    if line.phone and line.phone == line.text:
        ways.append(message("safety", language, "call_or_text", number=line.phone))
    else:
        if line.phone:
            ways.append(message("safety", language, "call", number=line.phone))
        if line.text:
            ways.append(message("safety", language, "text", number=line.text))
    if line.url:
        ways.append(link.format(url=line.url))
    return ", ".join(ways)


def format_line(line: ResourceLine, *, link: str = "{url}", language: str = "en") -> str:
    """One bullet: "**Samaritans**: call 116 123, https://... (24/7, free)"."""
    hours = f" ({line.hours})" if line.hours else ""
    return f"• **{line.name}**: {_ways_to_reach(line, link, language)}{hours}"


def emergency_number(region: RegionResources, language: str = "en") -> str:
    """The number to call, or for the fallback region the words for "your local emergency number"."""
    if region.code == FALLBACK_REGION:
        return message("safety", language, "local_emergency")
    return region.emergency


def emergency_sentence(region: RegionResources, language: str = "en") -> str:
    return message("safety", language, "emergency_sentence", emergency=emergency_number(region, language))


def render_crisis_lines(region: RegionResources, language: str = "en") -> str:
    """The short card shown the moment crisis language is spotted: crisis lines, then the emergency number.

    Links are wrapped in <> so Discord does not unfurl a large preview under a message that should stay
    small and calm.
    """
    bullets = [format_line(line, link="<{url}>", language=language) for line in region.of_kind("crisis", language)]
    closing = emergency_sentence(region, language)
    while bullets and len("\n".join([*bullets, "", closing])) > CRISIS_MESSAGE_LIMIT:
        bullets.pop()
    return "\n".join([*bullets, "", closing])


def _fit(bullets: Sequence[str], closing: str | None = None, limit: int = FIELD_VALUE_LIMIT) -> str:
    """Joins bullets within `limit`, dropping whole bullets from the end (and saying so) rather than
    cutting one in half. `closing` is always kept."""
    kept = list(bullets)
    dropped = False
    while True:
        parts = [*kept, *([_MORE] if dropped else []), *([closing] if closing else [])]
        body = "\n".join(parts)
        if len(body) <= limit or not kept:
            return body[:limit]
        kept.pop()
        dropped = True


def _community_bullet(title: str, value: str) -> str:
    # Leaders type these; keep each one short enough that a single entry cannot crowd out the rest.
    title = " ".join(title.split())[:100] or "Link"
    value = " ".join(value.split())[:300]
    return f"• **{title}**: {value}" if value else f"• {title}"


def render_resources(region: RegionResources, community_entries: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Titled sections for a /resources embed, each body within one embed field.

    Crisis lines come first and always end with the emergency number; empty sections are left out.
    """
    sections: list[tuple[str, str]] = []
    crisis = [format_line(line) for line in region.of_kind("crisis")]
    sections.append((SECTION_TITLES["crisis"], _fit(crisis, closing=emergency_sentence(region))))
    for kind in ("substance", "meeting"):
        bullets = [format_line(line) for line in region.of_kind(kind)]
        if bullets:
            sections.append((SECTION_TITLES[kind], _fit(bullets)))
    community = [_community_bullet(title, value) for title, value in community_entries]
    if community:
        sections.append((SECTION_TITLES["community"], _fit(community)))
    return sections
