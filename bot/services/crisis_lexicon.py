"""The crisis detector's words, patterns and weights, read from bot/data/safety/*.toml and checked before use."""

from __future__ import annotations

import functools
import re
import tomllib
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from types import MappingProxyType
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

# The names the logic in bot/services/crisis.py knows. A rule naming anything else is a mistake in the data.
KINDS: tuple[str, ...] = ("suicide", "self_harm", "overdose", "danger")
CUE_CATEGORIES: tuple[str, ...] = (
    "despair",
    "farewell",
    "gratitude",
    "preparation",
    "means",
    "intent",
    "on_purpose",
    "big_dose",
    "threat",
    "conditional_threat",
    "intruder",
    "weapon",
    "fear",
    "urgency",
)
RISK_FAMILIES: tuple[str, ...] = ("means", "substance", "act", "final", "intent", "danger", "despair")
# Paired signs the logic counts by name as well as in pairs.
LOGIC_SIGNS = frozenset({"errand", "calm"})
# Fragments bot/services/crisis.py uses itself, so the fragments file must define them.
LOGIC_FRAGMENTS: tuple[str, ...] = ("other", "bare_self_harm", "laughed", "resolved", "leaving_for_a_while")

WORDS_FILE = "words_en.toml"
FRAGMENTS_FILE = "fragments_en.toml"
PATTERNS_FILE = "patterns_en.toml"
CUES_FILE = "cues_en.toml"
RISK_FILE = "risk_en.toml"
FILE_NAMES: tuple[str, ...] = (WORDS_FILE, FRAGMENTS_FILE, PATTERNS_FILE, CUES_FILE, RISK_FILE)

DATA_PACKAGE = "bot.data.safety"

# `{name}` in a regex, but not `{0,3}` and not an escaped `\{`.
_PLACEHOLDER = re.compile(r"(?<!\\)\{([a-z_][a-z0-9_]*)\}")
_NAME = re.compile(r"[a-z][a-z0-9_]*")
_ID = re.compile(r"[a-z0-9][a-z0-9-]*")
_WORD = re.compile(r"[a-z0-9]+")
_PHRASE = re.compile(r"[a-z0-9]+(?: [a-z0-9]+)*")
_GROUP_REFERENCE = re.compile(r"\\(\d+)|\\g<(\d+)>")


# ---------------------------------------------------------------------------------------------------
# What crisis.py gets
# ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pair:
    """Two signs that are a crisis of `kind` together, unless `unless` matches the text."""

    kind: str
    sign: str
    partners: frozenset[str]
    unless: re.Pattern[str] | None


@dataclass(frozen=True)
class RiskSign:
    family: str
    kind: str
    weight: int
    regex: re.Pattern[str]


@dataclass(frozen=True)
class Damper:
    amount: int
    regex: re.Pattern[str]
    # Whether a "not" in front cancels it: "not sure I'm safe".
    negatable: bool


@dataclass(frozen=True)
class CrisisLexicon:
    fragments: Mapping[str, str]
    word_fixes: Mapping[str, str]
    typo_targets: tuple[str, ...]
    real_words: frozenset[str]
    apostrophe_fixes: tuple[tuple[re.Pattern[str], str], ...]
    phrase_fixes: tuple[tuple[re.Pattern[str], str], ...]
    laughing_emoji: re.Pattern[str]
    farewell_emoji: re.Pattern[str]
    # Per kind, in file order.
    patterns: Mapping[str, tuple[re.Pattern[str], ...]]
    # (category, regex): the cues, then the paired cues, in file order.
    cues: tuple[tuple[str, re.Pattern[str]], ...]
    pairs: tuple[Pair, ...]
    risk_signs: tuple[RiskSign, ...]
    dampers: tuple[Damper, ...]
    present: re.Pattern[str]
    person: re.Pattern[str]
    nervous_laugh: re.Pattern[str]
    nervous_laugh_amount: int


# ---------------------------------------------------------------------------------------------------
# Checks shared by the file models
# ---------------------------------------------------------------------------------------------------


def _expand(source: str, fragments: Mapping[str, str | None]) -> tuple[str | None, list[str]]:
    """The source with each `{name}` replaced, or None when a fragment is unknown or itself broken."""
    unknown = sorted({name for name in _PLACEHOLDER.findall(source) if name not in fragments})
    if unknown:
        return None, unknown
    if any(fragments[name] is None for name in _PLACEHOLDER.findall(source)):
        return None, []
    return _PLACEHOLDER.sub(lambda match: fragments[match.group(1)] or "", source), []


def _joined(value: Any) -> str:
    """A regex written as one string or as a list of pieces; an empty one would match every text."""
    if isinstance(value, list) and all(isinstance(piece, str) for piece in value):
        value = "".join(value)
    if not isinstance(value, str):
        raise ValueError("must be a regex string or a list of regex pieces")
    if not value:
        raise ValueError("regex is empty")
    return value


def _compile(source: str) -> re.Pattern[str]:
    try:
        return re.compile(source)
    except re.error as error:
        raise ValueError(f"regex does not compile: {error}") from None


# A regex that failed because a fragment it uses is broken; the fragment's own error says why.
_NEVER = re.compile(r"(?!)")


def _regex(value: Any, info: ValidationInfo) -> re.Pattern[str]:
    source = _joined(value)
    fragments: Mapping[str, str | None] | None = (info.context or {}).get("fragments")
    if fragments is None:  # the fragments file could not be read, and says why
        return _NEVER if _PLACEHOLDER.search(source) else _compile(source)
    expanded, unknown = _expand(source, fragments)
    if unknown:
        raise ValueError("unknown fragment " + ", ".join("{" + name + "}" for name in unknown))
    if expanded is None:
        return _NEVER
    return _compile(expanded)


Regex = Annotated[re.Pattern[str], PlainValidator(_regex)]


def _matching(pattern: re.Pattern[str], what: str) -> Any:
    def check(value: str) -> str:
        if pattern.fullmatch(value) is None:
            raise ValueError(f"{value!r} is not a valid {what}")
        return value

    return AfterValidator(check)


def _unique_id(value: str, info: ValidationInfo) -> str:
    if value in (info.context or {}).get("duplicate_ids", ()):
        raise ValueError(f"id {value!r} is used more than once in this file")
    return value


Id = Annotated[str, _matching(_ID, "id (lowercase letters, digits and '-')"), AfterValidator(_unique_id)]
Word = Annotated[str, _matching(_WORD, "word (lowercase letters and digits)")]
Phrase = Annotated[str, _matching(_PHRASE, "rewrite (lowercase words separated by single spaces)")]


def _known(names: tuple[str, ...], what: str) -> Any:
    def check(value: str) -> str:
        if value not in names:
            raise ValueError(f"unknown {what} {value!r} (known: {', '.join(names)})")
        return value

    return AfterValidator(check)


Kind = Annotated[str, _known(KINDS, "kind")]
CueCategory = Annotated[str, _known(CUE_CATEGORIES, "cue category")]
Family = Annotated[str, _known(RISK_FAMILIES, "risk family")]


def _one_character(value: str) -> str:
    if len(value) != 1:
        raise ValueError(f"{value!r} must be a single character (write emoji as \\U escapes)")
    return value


Emoji = Annotated[str, AfterValidator(_one_character)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


# ---------------------------------------------------------------------------------------------------
# The files
# ---------------------------------------------------------------------------------------------------


class _Fix(_Model):
    find: Regex
    replace: str

    @model_validator(mode="after")
    def _groups_exist(self) -> _Fix:
        for plain, named in _GROUP_REFERENCE.findall(self.replace):
            if int(plain or named) > self.find.groups:
                raise ValueError(f"replace refers to group {plain or named}, but find has {self.find.groups}")
        return self


class _Typos(_Model):
    targets: list[Word]
    real_words: list[Word]


class _WordsFile(_Model):
    apostrophe_fixes: list[_Fix]
    phrase_fixes: list[_Fix]
    laughing_emoji: list[Emoji] = Field(min_length=1)
    farewell_emoji: list[Emoji] = Field(min_length=1)
    word_fixes: dict[Word, Phrase]
    typos: _Typos


FragmentName = Annotated[str, _matching(_NAME, "fragment name (lowercase letters, digits and '_')")]


class _FragmentsFile(_Model):
    fragments: dict[FragmentName, Annotated[str, BeforeValidator(_joined)]]


class _Entry(_Model):
    id: Id
    regex: Regex


class _PatternsFile(_Model):
    kinds: dict[Kind, list[_Entry]]


class _PairModel(_Model):
    kind: Kind
    sign: str
    partners: list[str] = Field(min_length=1)
    unless: Regex | None = None

    @field_validator("sign")
    @classmethod
    def _known_sign(cls, value: str, info: ValidationInfo) -> str:
        return _known_signs(info, [value])[0]

    @field_validator("partners")
    @classmethod
    def _known_partners(cls, value: list[str], info: ValidationInfo) -> list[str]:
        return _known_signs(info, value)


def _known_signs(info: ValidationInfo, names: list[str]) -> list[str]:
    known: frozenset[str] = (info.context or {}).get("signs", frozenset())
    unknown = [name for name in names if name not in known]
    if unknown:
        raise ValueError(f"unknown sign {', '.join(map(repr, unknown))}: not a cue category or a paired cue")
    return names


def _not_a_category(value: str) -> str:
    if value in CUE_CATEGORIES:
        raise ValueError(f"{value!r} is a cue category: list it under [[cues.{value}]]")
    return value


PairedSign = Annotated[
    str, _matching(_NAME, "paired cue name (lowercase letters, digits and '_')"), AfterValidator(_not_a_category)
]


class _CuesFile(_Model):
    cues: dict[CueCategory, list[_Entry]]
    paired_cues: dict[PairedSign, list[_Entry]]
    pairs: list[_PairModel]

    @model_validator(mode="after")
    def _paired_cues_are_used(self) -> _CuesFile:
        used = {pair.sign for pair in self.pairs} | {name for pair in self.pairs for name in pair.partners}
        unused = [name for name in self.paired_cues if name not in used and name not in LOGIC_SIGNS]
        if unused:
            raise ValueError(f"paired cues in no pair: {', '.join(unused)}")
        return self


class _RiskSignModel(_Model):
    id: Id
    kind: Kind
    weight: int = Field(ge=1)
    regex: Regex


class _DamperModel(_Model):
    id: Id
    amount: int = Field(ge=1)
    negatable: bool
    regex: Regex


class _Context(_Model):
    present: Regex
    person: Regex


class _NervousLaugh(_Model):
    amount: int = Field(ge=1)
    emoji: list[Emoji] = Field(min_length=1)


class _RiskFile(_Model):
    signs: dict[Family, list[_RiskSignModel]]
    dampers: list[_DamperModel]
    context: _Context
    nervous_laugh: _NervousLaugh


# ---------------------------------------------------------------------------------------------------
# Reading and reporting
# ---------------------------------------------------------------------------------------------------


# What to look for in a file's text to give a problem its line: an entry's id, the nth header of a table, or
# a key, by name.
_Hint = tuple[str, str, int] | None


class _Problems:
    """Every problem found, each with its file, its line where one can be told, and its place in the file."""

    def __init__(self, texts: Mapping[str, str]) -> None:
        self.texts = texts
        self.lines: list[str] = []

    def add(self, file: str, place: str, message: str, hint: _Hint = None) -> None:
        where = file + _line(self.texts.get(file, ""), hint)
        self.lines.append(f"{where}: {place}: {message}" if place else f"{where}: {message}")

    def add_validation(self, file: str, error: ValidationError, raw: Any, wrapper: str | None = None) -> None:
        for detail in error.errors(include_url=False):
            location = list(detail["loc"])
            if wrapper is not None and location[:1] == [wrapper]:
                location = location[1:]
            message = detail["msg"].removeprefix("Value error, ")
            if detail["type"] == "extra_forbidden":
                message = "unknown key"
            elif detail["type"] == "missing":
                message = "missing key"
            place, hint = _place(location, raw)
            self.add(file, place, message, hint)


def _line(text: str, hint: _Hint) -> str:
    """ " line 12" (or " lines 12, 40" for an id used twice) where the hint is found in the text, else nothing."""
    if hint is None:
        return ""
    what, name, nth = hint
    name = re.escape(name)
    if what == "id":
        pattern = rf"\s*id\s*=\s*([\"']){name}\1"
    elif what == "table":
        pattern = rf"\s*\[\[?\s*{name}\s*\]"
    else:
        pattern = rf"\s*{name}\s*="
    lines = text.splitlines()
    numbers = [str(number) for number, line in enumerate(lines, 1) if re.match(pattern, line)]
    if what == "table":
        # An array of inline tables has no headers: point at the array itself.
        key = re.escape(hint[1].rsplit(".", 1)[-1])
        numbers = numbers[nth : nth + 1] or [
            str(number) for number, line in enumerate(lines, 1) if re.match(rf"\s*{key}\s*=", line)
        ]
    if not numbers:
        return ""
    return (" line " if len(numbers) == 1 else " lines ") + ", ".join(numbers)


def _place(location: list[Any], raw: Any) -> tuple[str, _Hint]:
    """A pydantic location as a reviewer would look for it, `[[suicide]] entry 4 (id 'end-it'), regex`, and a hint
    for finding its line."""
    tables: list[str] = []
    parts: list[str] = []
    hint: _Hint = None
    node = raw
    for step in location:
        if step == "[key]":
            parts.append(".".join(tables))
            hint = ("table", ".".join(tables), 0) if isinstance(node, list | dict) else ("key", tables[-1], 0)
            tables = []
        elif isinstance(step, int):
            node = node[step] if isinstance(node, list) and step < len(node) else None
            ident = node.get("id") if isinstance(node, dict) else None
            if isinstance(ident, str):
                parts.append(f"[[{'.'.join(tables)}]] entry {step + 1} (id {ident!r})")
                hint = ("id", ident, 0)
            else:
                parts.append(f"{'.'.join(tables)} entry {step + 1}")
                hint = ("table", ".".join(tables), step)
            tables = []
        else:
            node = node.get(step) if isinstance(node, dict) else None
            if hint is None or (hint[0] == "table" and not parts):
                tables_below = isinstance(node, dict) or (
                    isinstance(node, list) and any(isinstance(item, dict) for item in node)
                )
                leaf = node is not None and not tables_below
                hint = ("key", str(step), 0) if leaf else ("table", ".".join([*tables, str(step)]), 0)
            tables.append(str(step))
    if tables:
        parts.append(".".join(tables))
    return ", ".join(parts), hint


def _ids(node: Any) -> Iterator[str]:
    """Every `id` in the entries of a file."""
    if isinstance(node, dict):
        if isinstance(node.get("id"), str):
            yield node["id"]
        for value in node.values():
            yield from _ids(value)
    elif isinstance(node, list):
        for item in node:
            yield from _ids(item)


def _duplicates(raw: Any) -> frozenset[str]:
    return frozenset(ident for ident, count in Counter(_ids(raw)).items() if count > 1)


def _resolve_fragments(sources: Mapping[str, str], problems: _Problems) -> dict[str, str | None]:
    """Each fragment with the fragments it uses filled in; None for one that is broken (and reported)."""
    resolved: dict[str, str | None] = {}

    def resolve(name: str, path: tuple[str, ...]) -> str | None:
        if name in resolved:
            return resolved[name]
        if name in path:
            cycle = " -> ".join((*path[path.index(name) :], name))
            problems.add(FRAGMENTS_FILE, f"fragment {name!r}", f"uses itself ({cycle})", ("key", name, 0))
            resolved[name] = None
            return None
        source = sources[name]
        used = _PLACEHOLDER.findall(source)
        unknown = sorted({other for other in used if other not in sources})
        if unknown:
            message = "unknown fragment " + ", ".join("{" + other + "}" for other in unknown)
            problems.add(FRAGMENTS_FILE, f"fragment {name!r}", message, ("key", name, 0))
        parts = {other: resolve(other, (*path, name)) for other in used if other in sources}
        if name in resolved:  # reported as part of a cycle further down
            return resolved[name]
        if unknown or any(part is None for part in parts.values()):
            resolved[name] = None
            return None
        expanded = _PLACEHOLDER.sub(lambda match: parts[match.group(1)] or "", source)
        try:
            re.compile(expanded)
        except re.error as error:
            problems.add(FRAGMENTS_FILE, f"fragment {name!r}", f"regex does not compile: {error}", ("key", name, 0))
            resolved[name] = None
            return None
        resolved[name] = expanded
        return expanded

    for name in sources:
        resolve(name, ())
    return resolved


def _validate(
    model: type[_Model], file: str, raw: Any, context: dict[str, Any], problems: _Problems, wrapper: str | None = None
) -> Any:
    if raw is None:  # missing or not TOML: already reported
        return None
    data = {wrapper: raw} if wrapper is not None else raw
    try:
        return model.model_validate(data, context={**context, "duplicate_ids": _duplicates(raw)})
    except ValidationError as error:
        problems.add_validation(file, error, raw, wrapper)
        return None


def parse_lexicon(texts: Mapping[str, str]) -> CrisisLexicon:
    """The lexicon from the files' TOML text, by file name. Raises ValueError listing every problem found."""
    problems = _Problems(texts)
    raw: dict[str, dict[str, Any]] = {}
    for file in FILE_NAMES:
        if file not in texts:
            problems.add(file, "", "file is missing")
            continue
        try:
            raw[file] = tomllib.loads(texts[file])
        except tomllib.TOMLDecodeError as error:
            problems.add(file, "", f"not valid TOML: {error}")

    fragments: dict[str, str | None] | None = None
    if FRAGMENTS_FILE in raw:
        checked = _validate(_FragmentsFile, FRAGMENTS_FILE, raw[FRAGMENTS_FILE], {}, problems, wrapper="fragments")
        if checked is not None:
            fragments = _resolve_fragments(checked.fragments, problems)
            for name in LOGIC_FRAGMENTS:
                if name not in fragments:
                    problems.add(FRAGMENTS_FILE, "", f"fragment {name!r} is missing: bot/services/crisis.py uses it")
    context: dict[str, Any] = {"fragments": fragments}

    cues_raw = raw.get(CUES_FILE, {})
    signs = {
        name for table in ("cues", "paired_cues") if isinstance(cues_raw.get(table), dict) for name in cues_raw[table]
    }
    models = {
        WORDS_FILE: _validate(_WordsFile, WORDS_FILE, raw.get(WORDS_FILE), context, problems),
        PATTERNS_FILE: _validate(_PatternsFile, PATTERNS_FILE, raw.get(PATTERNS_FILE), context, problems, "kinds"),
        CUES_FILE: _validate(_CuesFile, CUES_FILE, raw.get(CUES_FILE), {**context, "signs": signs}, problems),
        RISK_FILE: _validate(_RiskFile, RISK_FILE, raw.get(RISK_FILE), context, problems),
    }
    if problems.lines:
        count = len(problems.lines)
        raise ValueError(
            f"the crisis lexicon has {count} problem{'s' if count > 1 else ''}:\n"
            + "\n".join(f"  {line}" for line in problems.lines)
        )
    return _build({name: value for name, value in (fragments or {}).items() if value is not None}, models)


def _emoji(characters: list[str]) -> re.Pattern[str]:
    return re.compile("[" + "".join(re.escape(character) for character in characters) + "]")


def _build(fragments: dict[str, str], models: dict[str, Any]) -> CrisisLexicon:
    words: _WordsFile = models[WORDS_FILE]
    patterns: _PatternsFile = models[PATTERNS_FILE]
    cues: _CuesFile = models[CUES_FILE]
    risk: _RiskFile = models[RISK_FILE]
    return CrisisLexicon(
        fragments=MappingProxyType(fragments),
        word_fixes=MappingProxyType(dict(words.word_fixes)),
        typo_targets=tuple(words.typos.targets),
        real_words=frozenset(words.typos.real_words),
        apostrophe_fixes=tuple((fix.find, fix.replace) for fix in words.apostrophe_fixes),
        phrase_fixes=tuple((fix.find, fix.replace) for fix in words.phrase_fixes),
        laughing_emoji=_emoji(words.laughing_emoji),
        farewell_emoji=_emoji(words.farewell_emoji),
        patterns=MappingProxyType(
            {kind: tuple(entry.regex for entry in entries) for kind, entries in patterns.kinds.items()}
        ),
        cues=tuple(
            (category, entry.regex)
            for table in (cues.cues, cues.paired_cues)
            for category, entries in table.items()
            for entry in entries
        ),
        pairs=tuple(Pair(pair.kind, pair.sign, frozenset(pair.partners), pair.unless) for pair in cues.pairs),
        risk_signs=tuple(
            RiskSign(family, sign.kind, sign.weight, sign.regex)
            for family, signs in risk.signs.items()
            for sign in signs
        ),
        dampers=tuple(Damper(damper.amount, damper.regex, damper.negatable) for damper in risk.dampers),
        present=risk.context.present,
        person=risk.context.person,
        nervous_laugh=_emoji(risk.nervous_laugh.emoji),
        nervous_laugh_amount=risk.nervous_laugh.amount,
    )


def load_lexicon_from(directory: Traversable | Path) -> CrisisLexicon:
    """The lexicon in `directory` (the five TOML files). Raises ValueError listing every problem found."""
    texts = {}
    for file in FILE_NAMES:
        path = directory / file
        if path.is_file():
            texts[file] = path.read_text(encoding="utf-8")
    return parse_lexicon(texts)


@functools.cache
def load_lexicon() -> CrisisLexicon:
    """The shipped lexicon, read and checked once per process."""
    return load_lexicon_from(files(DATA_PACKAGE))
