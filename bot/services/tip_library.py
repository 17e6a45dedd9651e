"""The coping-tip library: loading and validating bot/data/tips*.toml, matching situations, choosing a tip."""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, Field, StringConstraints, ValidationError, ValidationInfo, field_validator
from pydantic_core import ErrorDetails

from bot.services.data_files import Entry, Place, describe_errors, read_toml, type_name
from bot.services.messages import message

# The built-in library ships inside the package, so an installed Lantern finds it from any folder. English
# is the library tips are chosen from; each other language's file holds the same tips in its own words.
SHIPPED_TIPS_FILES = {"en": "tips.toml", "es": "tips_es.toml"}
SHIPPED_TIPS_FILE = SHIPPED_TIPS_FILES["en"]
# How messages name the shipped file: where a developer edits it, not where it was installed.
SHIPPED_TIPS_NAME = "bot/data/tips.toml"

TITLE_MAX_LENGTH = 100
BODY_MIN_LENGTH = 20
BODY_MAX_LENGTH = 1000
SOURCE_MAX_LENGTH = 200
# Ids travel inside button custom_ids (100 characters at most), next to a namespace and a situation.
ID_MAX_LENGTH = 40
MINUTES_MIN = 1
MINUTES_MAX = 60
# Autocomplete choice names are limited to 100 characters by Discord.
SITUATION_NAME_MAX_LENGTH = 100
SITUATION_DESCRIPTION_MAX_LENGTH = 100
PHRASE_MAX_LENGTH = 60
CUSTOM_TITLE_MIN_LENGTH = 3
# Discord accepts at most 25 autocomplete choices.
MAX_CHOICES = 25
HELPED_WEIGHT = 3

_KEBAB = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

# Words members actually type, beyond the situations' own keys and names. A trailing "*" matches any
# word starting with the stem ("crav*" covers "craving", "cravings", "craved").


class TipLibraryError(ValueError):
    """A tip library or a leader's tip that cannot be used; the message says where and what to fix."""


@dataclass(frozen=True, slots=True)
class Situation:
    """A kind of moment a member can ask for a tip for, e.g. "craving" shown as "Craving"."""

    key: str
    name: str
    description: str
    # Words and phrases that mean this situation in a member's own words ("can't sleep" -> sleep); a
    # trailing "*" lets the last word run on ("lonel*": lonely, loneliness).
    phrases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Tip:
    """One coping tip; `community_id` is None for the built-in library, set for a community's own tips."""

    id: str
    title: str
    body: str
    situations: tuple[str, ...]
    minutes: int
    source: str
    community_id: int | None = None


def _normalise(text: str) -> str:
    """Lower case, accents and tildes dropped ("estrés" -> "estres", "sueño" -> "sueno"), apostrophes dropped
    ("can't" -> "cant"), everything else non-alphanumeric a space.

    Members type with and without accents (phones, keyboards without ñ), so both sides of a match are folded.
    """
    text = unicodedata.normalize("NFKD", text.lower().replace("’", "").replace("'", ""))
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def _phrase_pattern(phrase: str) -> re.Pattern[str]:
    """A whole-word pattern for a synonym; a trailing "*" lets the last word run on."""
    stem = phrase.endswith("*")
    words = _normalise(phrase.rstrip("*"))
    return re.compile(r"\b" + re.escape(words) + (r"[a-z0-9]*" if stem else r"\b"))


class TipLibrary:
    """The validated built-in tips and situations, with lookups for /tip and its autocomplete."""

    def __init__(self, tips: Sequence[Tip], situations: Sequence[Situation], language: str = "en") -> None:
        self.language = language
        self.tips: tuple[Tip, ...] = tuple(tips)
        self.situations: tuple[Situation, ...] = tuple(situations)
        self._tips_by_id = {tip.id: tip for tip in self.tips}
        self._situations_by_key = {s.key: s for s in self.situations}
        self._matchers: list[tuple[tuple[int, int, int], re.Pattern[str], str]] = []
        for situation in self.situations:
            phrases = {situation.key.replace("-", " "), situation.name, *situation.phrases}
            for phrase in phrases:
                words = _normalise(phrase.rstrip("*"))
                if not words:
                    continue
                # Longer phrases win ("can't sleep" over "sleep"), then exact words over stems.
                rank = (len(words.split()), 0 if phrase.endswith("*") else 1, len(words))
                self._matchers.append((rank, _phrase_pattern(phrase), situation.key))

    def by_id(self, tip_id: str) -> Tip | None:
        """The built-in tip with this id, or None (e.g. a button pressed after the tip was removed)."""
        return self._tips_by_id.get(tip_id)

    def situation(self, key: str) -> Situation | None:
        """The situation with this key, or None."""
        return self._situations_by_key.get(key)

    def situation_key(self, text: str) -> str | None:
        """The key for `text` when it is exactly a situation's key or display name (any case)."""
        wanted = _normalise(text)
        for situation in self.situations:
            if wanted in (_normalise(situation.key), _normalise(situation.name)):
                return situation.key
        return None

    def pool(self, situation: str | None, extra: Iterable[Tip] = ()) -> list[Tip]:
        """Tips for a situation key (None: every tip), built-in first, then `extra` (a community's own).

        A tip in `extra` with no situations is general and belongs in every pool. Tips whose main situation
        is "after-a-slip" are only in that situation's pool. Raises KeyError for an unknown key: callers
        turn free text into a key with `match_situation` first.
        """
        everything = [*self.tips, *extra]
        if situation is not None and situation not in self._situations_by_key:
            raise KeyError(f"unknown situation {situation!r}")
        # A tip written for after a slip assumes one happened: it comes only when the member said so.
        if situation != AFTER_A_SLIP:
            everything = [tip for tip in everything if main_situation(tip) != AFTER_A_SLIP]
        if situation is None:
            return everything
        return [tip for tip in everything if situation in tip.situations or not tip.situations]

    def match_situation(self, text: str) -> str | None:
        """The situation free text most likely means ("can't sleep" -> "sleep"), or None.

        The longest matching phrase wins, then an exact word over a stem, then the earliest in the text.
        """
        normalised = _normalise(text)
        if not normalised:
            return None
        best: tuple[tuple[int, int, int], int, str] | None = None
        for rank, pattern, key in self._matchers:
            found = pattern.search(normalised)
            if found is None:
                continue
            candidate = (rank, -found.start(), key)
            if best is None or candidate[:2] > best[:2]:
                best = candidate
        return None if best is None else best[2]

    def named_situation(self, text: str) -> str | None:
        """A situation named by its key, its name, or one of its phrases ("lonely"); None otherwise."""
        return self.situation_key(text) or self.match_situation(text)

    def closest_situation(self, text: str) -> str | None:
        """For words no phrase matches ("feel like nobody gets it"): the situation whose name, description
        and phrases share the most word stems with them; None when none shares any."""
        stems = _stems(text)
        if not stems:
            return None
        best: tuple[int, int, str] | None = None
        for order, situation in enumerate(self.situations):
            if situation.key in _NOT_GUESSED:
                continue
            vocabulary = _stems(" ".join((situation.name, situation.description, *situation.phrases)))
            shared = len(stems & vocabulary)
            if shared and (best is None or (shared, -order) > best[:2]):
                best = (shared, -order, situation.key)
        return None if best is None else best[2]

    def situation_choices(self, partial: str, limit: int = MAX_CHOICES) -> list[Situation]:
        """Situations for autocomplete: prefix matches first, then matches on any word of the name, then
        what the text means ("lonely" -> Loneliness), then descriptions; all, in file order, when blank.
        """
        limit = max(0, min(limit, MAX_CHOICES))
        wanted = _normalise(partial)
        if not wanted:
            return list(self.situations[:limit])
        synonym = self.match_situation(partial)
        scored: list[tuple[int, int, Situation]] = []
        for order, situation in enumerate(self.situations):
            key, name = _normalise(situation.key), _normalise(situation.name)
            words = {*key.split(), *name.split()}
            if key.startswith(wanted) or name.startswith(wanted):
                score = 0
            elif any(word.startswith(wanted) for word in words):
                score = 1
            elif synonym == situation.key:
                score = 2
            # Shorter fragments would hit nearly every description and bury the useful choices.
            elif len(wanted) >= 3 and wanted in _normalise(situation.description):
                score = 3
            else:
                continue
            scored.append((score, order, situation))
        scored.sort(key=lambda item: (item[0], item[1]))
        return [situation for _, _, situation in scored[:limit]]


AFTER_A_SLIP = "after-a-slip"
# Never guessed from loose words: a slip only when the member says so, and the general HALT check only
# when asked for by name (the boxes point to their own situations).
_NOT_GUESSED = frozenset({AFTER_A_SLIP, "halt"})
# Words too common to say anything about which situation is meant.
_STOP_WORDS = frozenset({
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "get", "got", "have", "i", "im",
    "in", "is", "it", "its", "just", "like", "me", "my", "of", "on", "or", "so", "that", "the", "this", "to",
    "too", "up", "was", "with", "you", "your", "feel", "feeling", "really", "very", "want", "right", "now",
    "something", "about", "out", "what", "when", "all", "ive", "dont", "cant", "been", "again", "one", "some",
    "after", "over", "into", "them", "they", "then", "there", "their", "had", "has", "did", "not", "no", "yet",
    "will", "would", "could", "should", "can", "him", "her", "his", "she", "he", "we", "our", "us", "who",
    "how", "why", "today", "tonight", "day", "time", "still", "keep", "going", "know", "think", "much",
    # The same for Spanish, accents folded (words of two letters or fewer are dropped anyway).
    "que", "las", "los", "del", "una", "uno", "unos", "con", "por", "para", "mis", "tus", "sus", "pero", "como",
    "mas", "muy", "este", "esta", "esto", "eso", "esa", "ese", "hay", "estar", "estoy", "estado", "siento",
    "sentir", "tengo", "tener", "tiene", "hoy", "ahora", "todo", "toda", "todos", "nada", "algo", "mucho",
    "mucha", "muchas", "muchos", "cuando", "porque", "donde", "quiero", "puedo", "siempre", "otra", "otro",
    "vez", "dia", "ser", "fue", "era", "son", "sin", "sobre", "entre", "soy", "voy", "van", "hace", "hacer",
    "tan", "tanto", "poco", "mismo", "quien", "nos", "les", "sea", "tambien", "aqui", "solo", "cosa", "cosas",
})  # fmt: skip
_STEM_LENGTH = 5


def _stems(text: str) -> set[str]:
    """Crude word stems ("worried", "worrying" -> "worri"... "worr"): enough to compare a member's words
    with a situation's vocabulary without a language model."""
    words = _normalise(text.replace("*", "")).split()
    return {word[:_STEM_LENGTH] for word in words if len(word) > 2 and word not in _STOP_WORDS}


def main_situation(tip: Tip) -> str | None:
    """The situation a tip is mainly for: the first it lists (None for a community's general tip)."""
    return tip.situations[0] if tip.situations else None


def shipped_tips(language: str = "en") -> Traversable:
    """The built-in tip library in a language, read through importlib.resources from the installed package."""
    return files("bot.data").joinpath(SHIPPED_TIPS_FILES[language])


# --- the file's shape, as pydantic models -----------------------------------------------------------


def _kebab_key(key: str) -> str:
    if not _KEBAB.match(key):
        raise ValueError("the key should be kebab-case (lower-case words joined by hyphens)")
    return key


def _known_situation(key: str, info: ValidationInfo) -> str:
    # The keys of [situations] as written, good or not, so one bad situation does not make every tip
    # that names it wrong as well; None when the file has no [situations] to compare with.
    known: set[str] | None = (info.context or {}).get("situations")
    if known is not None and key not in known:
        raise ValueError(f'names an unknown situation "{key}"; known: {", ".join(sorted(known))}')
    return key


class _SituationEntry(Entry):
    table_hint = "a table with name and description"

    name: Annotated[str, StringConstraints(min_length=1, max_length=SITUATION_NAME_MAX_LENGTH)]
    description: Annotated[str, StringConstraints(min_length=1, max_length=SITUATION_DESCRIPTION_MAX_LENGTH)]
    phrases: list[Annotated[str, StringConstraints(min_length=1, max_length=PHRASE_MAX_LENGTH)]] = Field(
        default_factory=list
    )


class _TipEntry(Entry):
    table_hint = "a [[tip]] table"

    id: Annotated[str, StringConstraints(min_length=1, max_length=ID_MAX_LENGTH)]
    title: Annotated[str, StringConstraints(min_length=1, max_length=TITLE_MAX_LENGTH)]
    body: Annotated[str, StringConstraints(min_length=BODY_MIN_LENGTH, max_length=BODY_MAX_LENGTH)]
    situations: Annotated[list[Annotated[str, AfterValidator(_known_situation)]], Field(min_length=1)]
    minutes: Annotated[int, Field(ge=MINUTES_MIN, le=MINUTES_MAX)]
    source: Annotated[str, StringConstraints(min_length=1, max_length=SOURCE_MAX_LENGTH)]

    @field_validator("id")
    @classmethod
    def _kebab_and_unique(cls, tip_id: str, info: ValidationInfo) -> str:
        if not _KEBAB.match(tip_id):
            raise ValueError("should be kebab-case (lower-case letters and digits joined by hyphens)")
        # Tips are validated in file order, so the ids gathered so far are the earlier tips' ids.
        seen: set[str] = (info.context or {}).setdefault("tip_ids", set())
        if tip_id in seen:
            raise ValueError("is used by an earlier tip; ids must be unique")
        seen.add(tip_id)
        return tip_id

    @field_validator("situations")
    @classmethod
    def _no_repeats(cls, keys: list[str]) -> list[str]:
        if len(set(keys)) != len(keys):
            raise ValueError("lists the same key twice")
        return keys


class _TipFile(Entry):
    situations: Annotated[dict[Annotated[str, AfterValidator(_kebab_key)], _SituationEntry], Field(min_length=1)]
    tip: Annotated[list[_TipEntry], Field(min_length=1)]


def _place(data: Mapping[str, Any], loc: tuple[int | str, ...]) -> Place:
    """Which situation or tip an error points into, labelled as the file's reader would find it."""
    field = str(loc[2]) if len(loc) > 2 else None
    if loc[0] == "situations":
        return f'situation "{loc[1]}"', field, _SituationEntry
    raw = data["tip"][loc[1]]
    raw_id = raw.get("id") if isinstance(raw, dict) else None
    # Numbered from 1, as a person counts the [[tip]] blocks in the file; the number tells apart two
    # tips that share an id.
    number = int(loc[1]) + 1
    if isinstance(raw_id, str) and raw_id.strip():
        return f'tip "{raw_id.strip()}" (#{number})', field, _TipEntry
    return f"tip #{number} (no id)", field, _TipEntry


def _file_problem(error: ErrorDetails) -> str | None:
    """The file's own tables, in words; None for problems inside a situation or a tip."""
    loc, kind = error["loc"], error["type"]
    if len(loc) != 1:
        return None
    if kind == "extra_forbidden":
        return f'unknown top-level entry "{loc[0]}"; the file holds [situations] and [[tip]]'
    if loc[0] == "situations":
        if kind == "missing":
            return "needs a [situations] table naming each situation"
        if kind == "too_short":
            return "[situations] is empty; add at least one situation"
        return f"[situations] should be a table, not {type_name(error['input'])}"
    return "has no tips; add at least one [[tip]] entry"


def load_library(path: Path | None = None, language: str = "en") -> TipLibrary:
    """Read and validate a tip library (the shipped one in `language` when `path` is None); any problem
    raises TipLibraryError naming file, entry and fault.

    Every problem found is reported, one per line, so a whole file can be fixed in one pass.
    """
    where = f"bot/data/{SHIPPED_TIPS_FILES[language]}" if path is None else str(path)
    data = read_toml(shipped_tips(language) if path is None else path, where, TipLibraryError)
    situations = data.get("situations")
    context: dict[str, Any] = {"situations": set(situations) if isinstance(situations, dict) else None}
    try:
        checked = _TipFile.model_validate(data, context=context)
    except ValidationError as error:
        problems = describe_errors(error, where, lambda loc: _place(data, loc), _file_problem)
        raise TipLibraryError("\n".join(problems)) from None
    return TipLibrary(
        [
            Tip(id=t.id, title=t.title, body=t.body, situations=tuple(t.situations), minutes=t.minutes, source=t.source)
            for t in checked.tip
        ],
        [
            Situation(key=key, name=s.name, description=s.description, phrases=tuple(s.phrases))
            for key, s in checked.situations.items()
        ],
        language,
    )


def translation_problems(base: TipLibrary, translated: TipLibrary, where: str) -> list[str]:
    """How a library in another language differs in shape from the English one, one problem a line.

    Tips are chosen from the English library and shown in the member's language by id, so both must hold
    the same situations and the same tips, each for the same situations in the same order (the first is
    the one a tip is mainly for). A member's history and feedback then follow a tip across languages.
    """
    problems: list[str] = []
    theirs = {s.key for s in translated.situations}
    ours = {s.key for s in base.situations}
    problems += [
        f'{where}: situation "{key}" is missing; every language has every situation' for key in sorted(ours - theirs)
    ]
    problems += [f'{where}: situation "{key}" is not in {SHIPPED_TIPS_NAME}' for key in sorted(theirs - ours)]
    for tip in base.tips:
        other = translated.by_id(tip.id)
        if other is None:
            problems.append(f'{where}: tip "{tip.id}" is missing; every language has every tip')
        elif other.situations != tip.situations:
            problems.append(
                f'{where}: tip "{tip.id}" has situations {list(other.situations)}; '
                f"{SHIPPED_TIPS_NAME} has {list(tip.situations)} (same keys, same order)"
            )
    problems += [
        f'{where}: tip "{tip.id}" is not in {SHIPPED_TIPS_NAME}; add it there too, or remove it'
        for tip in translated.tips
        if base.by_id(tip.id) is None
    ]
    return problems


def load_libraries(base: TipLibrary | None = None) -> dict[str, TipLibrary]:
    """Every shipped library by language, English first, each checked against the English one; a problem
    raises TipLibraryError (start-up stops with the file, the entry and what to fix)."""
    english = base if base is not None else load_library()
    libraries = {"en": english}
    for language in SHIPPED_TIPS_FILES:
        if language == "en":
            continue
        translated = load_library(language=language)
        problems = translation_problems(english, translated, f"bot/data/{SHIPPED_TIPS_FILES[language]}")
        if problems:
            raise TipLibraryError("\n".join(problems))
        libraries[language] = translated
    return libraries


def current_cycle(eligible_ids: Sequence[str], seen: Sequence[str]) -> set[str]:
    """The tips already shown in the member's current pass through the eligible pool.

    Walk `seen` (oldest first), ignoring ids no longer eligible. A cycle fills up as distinct tips are
    shown; once it holds every eligible tip it is complete, and the next view opens a new one. A tip
    shown twice inside an unfinished cycle (older history, or a pool that changed) also opens a new
    cycle holding just that view. The set returned is the cycle still open after the last view: empty
    when the last view completed a cycle. Pass at least the last 2 x len(pool) views so the cycle
    boundaries line up; the full history for the situation is simplest.
    """
    eligible = set(eligible_ids)
    cycle: set[str] = set()
    for tip_id in seen:
        if tip_id not in eligible:
            continue
        if len(cycle) == len(eligible) or tip_id in cycle:
            cycle = set()
        cycle.add(tip_id)
    return set() if len(cycle) == len(eligible) else cycle


def choose_tip(
    pool: Sequence[Tip],
    seen: Sequence[str],
    not_for_me: set[str],
    helped: set[str],
    rng: random.Random,
    situation: str | None = None,
) -> Tip | None:
    """Pick the next tip for a member, or None when every tip in the pool is marked "not for me".

    `seen` is the ids this member was shown in this situation, oldest first. Tips marked "not for me"
    are never returned. Otherwise the member cycles through the pool (see `current_cycle`): no tip
    comes back until every other eligible tip has been shown in the cycle, and a new cycle avoids the
    tip shown last when there is another. With a `situation`, tips mainly for it (see `main_situation`)
    come before the rest of each cycle. Within the choice, tips marked "helped" weigh HELPED_WEIGHT
    times as much as the rest. The same rng state gives the same pick.
    """
    eligible: list[Tip] = []
    ids: set[str] = set()
    for tip in pool:
        if tip.id not in not_for_me and tip.id not in ids:
            eligible.append(tip)
            ids.add(tip.id)
    if not eligible:
        return None
    cycle = current_cycle([tip.id for tip in eligible], seen)
    candidates = [tip for tip in eligible if tip.id not in cycle]
    if not cycle and len(candidates) > 1:
        last = next((tip_id for tip_id in reversed(seen) if tip_id in ids), None)
        candidates = [tip for tip in candidates if tip.id != last]
    # Tips mainly for this situation come first in each cycle; those that only touch on it follow.
    mainly = [tip for tip in candidates if situation is not None and main_situation(tip) == situation]
    candidates = mainly or candidates
    weights = [HELPED_WEIGHT if tip.id in helped else 1 for tip in candidates]
    return rng.choices(candidates, weights=weights, k=1)[0]


# HALT boxes in the order they usually bite hardest, with the situations each one points to.
_HALT_SITUATIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("angry", ("anger",)),
    ("lonely", ("loneliness",)),
    ("tired", ("tired", "sleep")),
    ("hungry", ("hungry",)),
)
STRONG_CRAVINGS = 3
OVERWHELMING_CRAVINGS = 4
LOW_MOOD = 2


def situations_for_checkin(cravings: int, halt: frozenset[str], mood: int) -> list[str]:
    """Situations a check-in suggests tips for, most pressing first; empty when none stands out.

    Strong cravings (3+) come first, with "urge" added when they are overwhelming (4); then a low mood
    (1-2); then each ticked HALT box's own situation, then what else those boxes point to (tired: sleep),
    and the general "halt" tips last.
    """
    found: list[str] = []
    if cravings >= STRONG_CRAVINGS:
        found.append("craving")
    if cravings >= OVERWHELMING_CRAVINGS:
        found.append("urge")
    if mood <= LOW_MOOD:
        found.append("low-mood")
    ticked = [keys for box, keys in _HALT_SITUATIONS if box in halt]
    # Each ticked box's own situation first (the first of them is what the tip is chosen for); the
    # general HALT tips only when those have nothing left to give.
    found.extend(keys[0] for keys in ticked)
    for keys in ticked:
        found.extend(keys[1:])
    if ticked:
        found.append("halt")
    return list(dict.fromkeys(found))


def validate_custom_tip(
    title: str,
    body: str,
    situation: str | None,
    library: TipLibrary,
    language: str = "en",
    also: TipLibrary | None = None,
) -> None:
    """Check a leader's own tip; raise TipLibraryError with a kind message, in the leader's language, saying
    what to change.

    `situation` may be a key or a display name ("low-mood" or "Low mood") in `library` (or in `also`, the
    English library for a leader writing in Spanish); None means a general tip.
    """
    title, body = title.strip(), body.strip()

    def problem(key: str, **values: object) -> TipLibraryError:
        return TipLibraryError(message("tips", language, key, **{k: str(v) for k, v in values.items()}))

    if len(title) < CUSTOM_TITLE_MIN_LENGTH:
        raise problem("title_too_short", least=CUSTOM_TITLE_MIN_LENGTH, length=len(title))
    if len(title) > TITLE_MAX_LENGTH:
        raise problem("title_too_long", most=TITLE_MAX_LENGTH, length=len(title))
    if len(body) < BODY_MIN_LENGTH:
        raise problem("body_too_short", least=BODY_MIN_LENGTH, length=len(body))
    if len(body) > BODY_MAX_LENGTH:
        raise problem("body_too_long", most=BODY_MAX_LENGTH, length=len(body))
    if situation is not None and named_in(situation, library, also) is None:
        guess = library.closest_situation(situation)
        hint = ""
        if guess is not None:
            matched = library.situation(guess)
            hint = message("tips", language, "did_you_mean", situation=matched.name if matched else guess)
        raise problem("unknown_situation", situation=situation.strip(), hint=hint)


def named_in(text: str, library: TipLibrary, also: TipLibrary | None = None) -> str | None:
    """The situation `text` names in `library`, else in `also` (keys are the same in every language)."""
    named = library.named_situation(text)
    if named is None and also is not None and also is not library:
        named = also.named_situation(text)
    return named
