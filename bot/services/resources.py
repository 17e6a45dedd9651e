"""Crisis lines, helplines and meeting finders by region: loading bot/data/resources.toml and rendering it."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

from pydantic import AfterValidator, Field, StringConstraints, ValidationError
from pydantic_core import ErrorDetails

from bot.services.data_files import Entry, Place, describe_errors, read_toml
from bot.services.messages import message

# The resources ship inside the package, so an installed Lantern finds them from any folder.
SHIPPED_RESOURCES_FILE = "resources.toml"
# How messages name the shipped file: where a developer edits it, not where it was installed.
SHIPPED_RESOURCES_NAME = "bot/data/resources.toml"

FALLBACK_REGION = "INTL"
Kind = Literal["crisis", "substance", "meeting", "emergency"]
KINDS: tuple[str, ...] = get_args(Kind)
# Members and leaders say "UK"; ISO says "GB".
REGION_ALIASES = {"UK": "GB"}

# Discord's embed limits are 1024 characters per field value and 6000 per embed; staying under 5500
# leaves room for the embed's own title and footer.
FIELD_VALUE_LIMIT = 1024
FIELD_NAME_LIMIT = 256
EMBED_TOTAL_LIMIT = 5500
# The crisis card goes out as a plain message next to a button, and has to be read at a glance.
CRISIS_MESSAGE_LIMIT = 1500

SECTION_KEYS = {
    "crisis": "section_crisis",
    "substance": "section_substance",
    "meeting": "section_meeting",
    "community": "section_community",
}

_REGION_CODE = re.compile(r"^(?:[A-Z]{2}|INTL)$")
# The languages a line can be answered in; a Spanish reader is shown the region's Spanish lines first.
Language = Literal["en", "es"]
LINE_LANGUAGES: tuple[str, ...] = get_args(Language)


def resources_text(language: str, key: str, **values: str) -> str:
    """One text of `/resources` (a heading, the intro), in the member's language."""
    return message("resources", language, key, **values)


def section_titles(language: str = "en") -> dict[str, str]:
    return {kind: resources_text(language, key) for kind, key in SECTION_KEYS.items()}


SECTION_TITLES = section_titles()


class ResourceError(ValueError):
    """The resources file is wrong; each line of the message names the file, region, entry, field and problem."""


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
    name_es: str | None = None
    hours_es: str | None = None

    def name_in(self, language: str) -> str:
        return self.name_es if language == "es" and self.name_es else self.name

    def hours_in(self, language: str) -> str | None:
        return self.hours_es if language == "es" and self.hours_es else self.hours


@dataclass(frozen=True)
class RegionResources:
    """Everything shown for one region."""

    code: str
    name: str
    emergency: str
    lines: tuple[ResourceLine, ...]
    name_es: str | None = None

    def name_in(self, language: str) -> str:
        return self.name_es if language == "es" and self.name_es else self.name

    def of_kind(self, kind: str, language: str | None = None) -> tuple[ResourceLine, ...]:
        """Lines of a kind; with a language, those answered in it, or every line of the kind when none is."""
        lines = tuple(line for line in self.lines if line.kind == kind)
        if language is None:
            return lines
        return tuple(line for line in lines if line.language == language) or lines

    def in_order_for(self, kind: str, language: str) -> tuple[ResourceLine, ...]:
        """Every line of a kind, those answered in the reader's language first (file order otherwise)."""
        lines = self.of_kind(kind)
        if language == "en":
            return lines
        return tuple(sorted(lines, key=lambda line: line.language != language))


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


def shipped_resources() -> Traversable:
    """The built-in resources file, read through importlib.resources from the installed package."""
    return files("bot.data").joinpath(SHIPPED_RESOURCES_FILE)


def _region_code(code: str) -> str:
    if not _REGION_CODE.match(code):
        raise ValueError("region codes are two capital letters (ISO 3166, e.g. GB) or INTL")
    return code


def _https(url: str) -> str:
    if not url.startswith("https://") or " " in url:
        raise ValueError(f"must start with https:// and contain no spaces, not {url!r}")
    return url


def _iso_date(text: str) -> str:
    try:
        date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"should be a date like 2026-11-28, not {text!r}") from None
    return text


_Text = Annotated[str, StringConstraints(min_length=1)]


class _LineEntry(Entry):
    table_hint = "a table with name, kind and a phone, text or url"

    name: _Text
    kind: Kind
    phone: _Text | None = None
    text: _Text | None = None
    url: Annotated[str, StringConstraints(min_length=1), AfterValidator(_https)] | None = None
    hours: _Text | None = None
    source: _Text
    checked: Annotated[str, StringConstraints(min_length=1), AfterValidator(_iso_date)]
    verified: bool = True
    language: Language = "en"
    name_es: _Text | None = None
    hours_es: _Text | None = None

    @classmethod
    def rules(cls, raw: dict[str, Any]) -> list[str]:
        if not any(way in raw for way in ("phone", "text", "url")):
            return ["needs at least one of phone, text or url"]
        return []


class _RegionEntry(Entry):
    table_hint = "a table with name, emergency and lines"

    name: _Text
    name_es: _Text | None = None
    emergency: _Text
    lines: Annotated[list[_LineEntry], Field(min_length=1)]

    @classmethod
    def rules(cls, raw: dict[str, Any]) -> list[str]:
        lines = raw.get("lines")
        # The crisis card is built from these; a region without one would show an empty card.
        if (
            isinstance(lines, list)
            and lines
            and not any(isinstance(e, dict) and e.get("kind") == "crisis" for e in lines)
        ):
            return ["needs at least one line of kind 'crisis'"]
        return []


class _ResourcesFile(Entry):
    regions: Annotated[dict[Annotated[str, AfterValidator(_region_code)], _RegionEntry], Field(min_length=1)]

    @classmethod
    def rules(cls, raw: dict[str, Any]) -> list[str]:
        regions = raw.get("regions")
        if isinstance(regions, dict) and regions and FALLBACK_REGION not in regions:
            return [f"region {FALLBACK_REGION} is missing; it is the fallback for everyone else"]
        return []


def _place(data: Mapping[str, Any], loc: tuple[int | str, ...]) -> Place:
    """Which region, or which line of a region, an error points into."""
    region = f"region {loc[1]}"
    if len(loc) > 3 and loc[2] == "lines" and isinstance(loc[3], int):
        raw = data["regions"][loc[1]]["lines"][loc[3]]
        name = raw.get("name") if isinstance(raw, dict) else None
        # Numbered from 1, as a person counts the [[regions.XX.lines]] blocks of the region.
        label = f"{region}: entry {loc[3] + 1}" + (f" ({name!r})" if isinstance(name, str) else "")
        return label, str(loc[4]) if len(loc) > 4 else None, _LineEntry
    return region, str(loc[2]) if len(loc) > 2 else None, _RegionEntry


def _file_problem(error: ErrorDetails) -> str | None:
    """The file's own table, in words; None for problems inside a region."""
    loc = error["loc"]
    if len(loc) != 1:
        return None
    if error["type"] == "extra_forbidden":
        return f'unknown top-level entry "{loc[0]}"; the file holds [regions.<code>] tables'
    return "needs a [regions.<code>] table for each region"


def load_resources(path: Path | None = None) -> ResourceBook:
    """Reads and checks a resources file (the shipped one when `path` is None); raises ResourceError
    naming every problem with its place: file, region, entry and field, one per line."""
    where = SHIPPED_RESOURCES_NAME if path is None else str(path)
    data = read_toml(shipped_resources() if path is None else path, where, ResourceError)
    try:
        checked = _ResourcesFile.model_validate(data)
    except ValidationError as error:
        problems = describe_errors(error, where, lambda loc: _place(data, loc), _file_problem)
        raise ResourceError("\n".join(problems)) from None
    return ResourceBook(
        by_code={
            code: RegionResources(
                code=code,
                name=region.name,
                emergency=region.emergency,
                lines=tuple(ResourceLine(**line.model_dump()) for line in region.lines),
                name_es=region.name_es,
            )
            for code, region in checked.regions.items()
        }
    )


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
    hours = line.hours_in(language)
    shown_hours = f" ({hours})" if hours else ""
    return f"• **{line.name_in(language)}**: {_ways_to_reach(line, link, language)}{shown_hours}"


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


def _fit(
    bullets: Sequence[str], closing: str | None = None, limit: int = FIELD_VALUE_LIMIT, language: str = "en"
) -> str:
    """Joins bullets within `limit`, dropping whole bullets from the end (and saying so) rather than
    cutting one in half. `closing` is always kept."""
    kept = list(bullets)
    dropped = False
    while True:
        more = [resources_text(language, "more")] if dropped else []
        parts = [*kept, *more, *([closing] if closing else [])]
        body = "\n".join(parts)
        if len(body) <= limit or not kept:
            return body[:limit]
        kept.pop()
        dropped = True


def _community_bullet(title: str, value: str, language: str = "en") -> str:
    # Leaders type these; keep each one short enough that a single entry cannot crowd out the rest.
    title = " ".join(title.split())[:100] or resources_text(language, "link")
    value = " ".join(value.split())[:300]
    return f"• **{title}**: {value}" if value else f"• {title}"


def render_resources(
    region: RegionResources, community_entries: list[tuple[str, str]], language: str = "en"
) -> list[tuple[str, str]]:
    """Titled sections for a /resources embed, each body within one embed field.

    Crisis lines come first and always end with the emergency number; empty sections are left out. A reader
    of another language sees the lines answered in it first, and names and hours in it where the file has them.
    """
    titles = section_titles(language)
    sections: list[tuple[str, str]] = []
    crisis = [format_line(line, language=language) for line in region.in_order_for("crisis", language)]
    closing = emergency_sentence(region, language)
    sections.append((titles["crisis"], _fit(crisis, closing=closing, language=language)))
    for kind in ("substance", "meeting"):
        bullets = [format_line(line, language=language) for line in region.in_order_for(kind, language)]
        if bullets:
            sections.append((titles[kind], _fit(bullets, language=language)))
    community = [_community_bullet(title, value, language) for title, value in community_entries]
    if community:
        sections.append((titles["community"], _fit(community, language=language)))
    return sections
