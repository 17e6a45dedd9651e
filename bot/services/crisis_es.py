"""Spotting crisis language in Spanish, with the rules kept as data in bot/data/safety/rules_es.toml."""

from __future__ import annotations

import bisect
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib.resources import files
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, ValidationInfo

from bot.services.crisis import KIND_PRIORITY, CrisisSignal

RULES_FILE = "rules_es.toml"

# ---------------------------------------------------------------------------------------------------
# Text handling shared by the loader (patterns are written with accents for readability) and the detector
# ---------------------------------------------------------------------------------------------------


_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")


def strip_accents(text: str) -> str:
    """The text without accents ("ñ" to "n", "á" to "a"): members leave them off half the time, so they go always."""
    if text.isascii():
        return text
    return _COMBINING.sub("", unicodedata.normalize("NFD", text))


# `<name>` in a pattern stands for the fragment of that name; "(?<=", "(?<!" and "(?P<" are regex syntax.
_REFERENCE = re.compile(r"(?<!\(\?)(?<!\(\?P)<([a-z_][a-z0-9_]*)>")
_NAME = re.compile(r"[a-z_][a-z0-9_]*")


def _expand(pattern: str, fragments: Mapping[str, str | None]) -> tuple[str, list[str], bool]:
    """The pattern with its fragments put in, the names it refers to that do not exist, and whether any it
    refers to is itself broken (then only the fragment's own problem is reported)."""
    unknown: list[str] = []
    broken = False

    def put_in(found: re.Match[str]) -> str:
        nonlocal broken
        name = found.group(1)
        if name not in fragments:
            unknown.append(name)
            return ""
        body = fragments[name]
        if body is None:
            broken = True
            return ""
        return f"(?:{body})"

    return strip_accents(_REFERENCE.sub(put_in, pattern)), unknown, broken


def _problem_with(source: str) -> str | None:
    try:
        compiled = re.compile(source)
    except re.error as exc:
        return f"regex does not compile: {exc}"
    if compiled.groups:
        return "a capturing group: write (?:...) instead of (...)"
    return None


# ---------------------------------------------------------------------------------------------------
# The lexicon's shape. Every problem is reported with its place, all at once (see load_lexicon).
# ---------------------------------------------------------------------------------------------------


def _check_pattern(value: str, info: ValidationInfo) -> str:
    if value != value.rstrip(" ") or value != value.lstrip(" "):
        raise ValueError("starts or ends with a space: the word boundary put around every pattern can then never match")
    context = info.context if isinstance(info.context, dict) else {}
    fragments: Mapping[str, str | None] = context.get("fragments", {})
    source, unknown, broken = _expand(value, fragments)
    if unknown:
        raise ValueError(f"unknown fragment {', '.join(f'<{name}>' for name in unknown)}")
    if broken:
        return value
    problem = _problem_with(source)
    if problem is not None:
        raise ValueError(problem)
    return value


def _expand_fragments(raw: object) -> tuple[dict[str, str | None], list[str]]:
    """The fragments with the fragments they use put in (None for a broken one), and the problems found.

    A fragment may use the fragments defined above it, so the file reads top to bottom.
    """
    fragments: dict[str, str | None] = {}
    problems: list[str] = []
    if not isinstance(raw, dict):
        return fragments, problems
    for name, body in raw.items():
        fragments[name] = None
        if not isinstance(body, str):
            continue
        expanded, unknown, broken = _expand(body, fragments)
        if unknown:
            listed = ", ".join(f"<{reference}>" for reference in unknown)
            problems.append(f"fragments.{name}: unknown fragment {listed} (a fragment may use only those above it)")
        elif not broken:
            problem = _problem_with(expanded)
            if problem is not None:
                problems.append(f"fragments.{name}: {problem}")
            else:
                fragments[name] = expanded
    return fragments, problems


def _check_kind(value: str) -> str:
    if value not in KIND_PRIORITY:
        raise ValueError(f"unknown kind {value!r}: expected one of {', '.join(KIND_PRIORITY)}")
    return value


def _check_name(value: str) -> str:
    if _NAME.fullmatch(value) is None:
        raise ValueError(f"{value!r} is not a name: lowercase letters, digits and _ only")
    return value


def _check_target(value: str) -> str:
    kind = value.split(".", 1)[0]
    _check_kind(kind)
    return value


def _check_word(value: str) -> str:
    if not value.strip() or value != value.strip().lower():
        raise ValueError(f"{value!r}: write it in lowercase, with no spaces around it")
    return value


Pattern = Annotated[str, AfterValidator(_check_pattern)]
KindName = Annotated[str, AfterValidator(_check_kind)]
Name = Annotated[str, AfterValidator(_check_name)]
Target = Annotated[str, AfterValidator(_check_target)]
Word = Annotated[str, AfterValidator(_check_word)]
Scope = Literal["overlap", "before", "clause", "nearby", "text"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RuleGroup(_Strict):
    """A set of patterns for one kind; `requires`, when given, must also be found somewhere in the text."""

    note: str = ""
    patterns: list[Pattern] = Field(min_length=1)
    requires: list[Pattern] = []


class Exclusion(_Strict):
    """A family of readings that set a match aside (hyperbole, negation, the past, other people, fiction)."""

    note: str = ""
    scope: Scope
    applies_to: list[Target] = []
    window: int = Field(default=4, ge=1, le=12)
    stops: list[Word] = []
    patterns: list[Pattern] = Field(min_length=1)
    unless: list[Pattern] = []
    unless_near: list[Pattern] = []


class Typos(_Strict):
    targets: list[Word] = []
    real_words: list[Word] = []


class Lexicon(_Strict):
    version: Literal[1]
    fragments: dict[Name, str] = {}
    spellings: dict[Word, str] = {}
    typos: Typos = Typos()
    rules: dict[KindName, dict[Name, RuleGroup]]
    exclusions: dict[Name, Exclusion] = {}


def _missing_targets(raw: Mapping[str, Any]) -> list[str]:
    """The `applies_to` entries naming a group the file does not have (an unknown kind is reported by the model)."""
    rules = raw.get("rules")
    exclusions = raw.get("exclusions")
    if not isinstance(rules, dict) or not isinstance(exclusions, dict):
        return []
    groups = {f"{kind}.{group}" for kind, body in rules.items() if isinstance(body, dict) for group in body}
    problems = []
    for name, exclusion in exclusions.items():
        targets = exclusion.get("applies_to") if isinstance(exclusion, dict) else None
        for index, target in enumerate(targets if isinstance(targets, list) else []):
            known_kind = isinstance(target, str) and "." in target and target.split(".", 1)[0] in KIND_PRIORITY
            if known_kind and target not in groups:
                problems.append(f"exclusions.{name}.applies_to[{index}]: no rule group {target!r}")
    return problems


def _place(location: Iterable[int | str]) -> str:
    place = ""
    for part in location:
        if part == "[key]":
            continue
        if isinstance(part, int):
            place += f"[{part}]"
        else:
            place += f".{part}" if place else str(part)
    return place or "(top level)"


def _describe(error: Mapping[str, Any]) -> str:
    location = tuple(error["loc"])
    if error["type"] == "extra_forbidden":
        return f"{_place(location)}: unknown key {location[-1]!r}"
    if error["type"] == "missing":
        return f"{_place(location)}: missing"
    message = str(error["msg"]).removeprefix("Value error, ")
    return f"{_place(location)}: {message}"


# ---------------------------------------------------------------------------------------------------
# The lexicon, compiled
# ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Rule:
    group: str
    regex: re.Pattern[str]
    # Strings one of which every match contains (None: no such set was found), so a rule whose strings are all
    # absent from a text is skipped without running its regex.
    anchors: frozenset[str] | None
    requires: re.Pattern[str] | None


@dataclass(frozen=True)
class _Kind:
    kind: str
    rules: tuple[_Rule, ...]


@dataclass(frozen=True)
class _Exclusion:
    name: str
    scope: Scope
    targets: frozenset[str]
    window: int
    stops: frozenset[str]
    regex: re.Pattern[str]
    unless: re.Pattern[str] | None
    unless_near: re.Pattern[str] | None

    def applies(self, kind: str, group: str) -> bool:
        return not self.targets or kind in self.targets or f"{kind}.{group}" in self.targets


@dataclass(frozen=True)
class CompiledLexicon:
    spellings: dict[str, str]
    phrases: re.Pattern[str] | None
    # The first words of the phrase rewrites, so a text with none of them skips the phrase pass.
    phrase_starts: frozenset[str]
    kinds: tuple[_Kind, ...]
    exclusions: tuple[_Exclusion, ...]
    # Every anchor of every rule, found in one pass over a text (see _present_anchors), and for each anchor the
    # anchors it starts with, which are in a text wherever it is.
    anchors: re.Pattern[str] | None
    prefixes: dict[str, frozenset[str]]


# The shortest anchor worth checking for: shorter strings ("me", "de") are in almost every text.
_SHORTEST_ANCHOR = 3
# Words in most notes, which make poor anchors whatever their length.
_COMMON_WORDS = frozenset([
    "a", "al", "con", "de", "del", "el", "en", "es", "la", "las", "le", "lo", "los", "me", "mi", "no", "por", "que",
    "se", "su", "te", "un", "una", "y", "ya", "tengo", "tenia", "estoy", "esta", "estan", "quiero", "queria", "voy",
    "vas", "para", "pero", "como", "porque", "cuando", "todo", "todos", "todas", "hoy", "ganas", "tener", "hacer",
    "solo", "mejor", "ahora", "siempre", "nada", "mucho", "muy", "tomar", "tome", "tomo", "beber", "viendo", "mirando",
])  # fmt: skip


def _letters(anchor: str) -> int:
    return sum(char.isalnum() for char in anchor)


def _score(anchors: frozenset[str] | None) -> tuple[int, int, int]:
    """How well a set of anchors filters texts: none made only of common words, then the most letters, then fewest."""
    if not anchors:
        return (-1, -1, 0)
    rare = all(any(word not in _COMMON_WORDS for word in anchor.split()) for anchor in anchors)
    return (int(rare), min(_letters(anchor) for anchor in anchors), -len(anchors))


def _required(items: Any) -> frozenset[str] | None:
    """A set of literal strings one of which every match of the parsed pattern `items` contains, or None.

    Walks the parsed regex: a run of plain letters is such a set of one; a group, a branch whose every
    alternative has such a set, or a repeat of at least one, gives its own. The best set found (longest
    shortest string, then fewest strings) wins.
    """
    constants = _sre_constants()
    best: frozenset[str] | None = None
    run: list[str] = []

    def consider(candidate: frozenset[str] | None) -> None:
        nonlocal best
        if _score(candidate) > _score(best):
            best = candidate

    for op, argument in items:
        if op is constants.LITERAL:
            run.append(chr(argument))
            continue
        if run:
            consider(frozenset({"".join(run)}))
            run = []
        if op is constants.SUBPATTERN:
            consider(_required(argument[-1]))
        elif op is constants.ATOMIC_GROUP:
            consider(_required(argument))
        elif op is constants.BRANCH:
            alternatives = [_required(alternative) for alternative in argument[1]]
            if all(alternatives):
                consider(frozenset().union(*(alternative or frozenset() for alternative in alternatives)))
        elif op in (constants.MAX_REPEAT, constants.MIN_REPEAT, constants.POSSESSIVE_REPEAT) and argument[0] >= 1:
            consider(_required(argument[2]))
    if run:
        consider(frozenset({"".join(run)}))
    return best


def _sre_constants() -> Any:
    # CPython's own regex parser gives the anchors; it is internal, so it is imported only here and _anchors falls
    # back to "always try this rule" if it is missing or has changed shape.
    import re._constants as constants

    return constants


def _trie(words: Iterable[str]) -> str:
    """A regex matching exactly `words`, the longest where several start at one place, branching one letter at a
    time so it scans fast."""
    by_first: dict[str, list[str]] = {}
    for word in words:
        by_first.setdefault(word[0], []).append(word[1:])
    parts = []
    for first, rests in sorted(by_first.items()):
        longer = [rest for rest in rests if rest]
        if not longer:
            parts.append(re.escape(first))
        elif "" in rests:
            parts.append(f"{re.escape(first)}(?:{_trie(longer)})?")
        else:
            parts.append(re.escape(first) + _trie(longer))
    return parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"


def _anchors(source: str) -> frozenset[str] | None:
    """The anchors of one pattern, or None when it has none worth checking (it is then always tried)."""
    try:
        import re._parser as parser  # see _sre_constants

        found = _required(parser.parse(source))
    except (ImportError, AttributeError, TypeError, re.error):
        return None
    if found is None or _score(found)[1] < _SHORTEST_ANCHOR:
        return None
    # A string is in a text wherever the same string with its spaces at the ends is; without them the scan for
    # anchors only starts at letters.
    return frozenset(anchor.strip(" ") for anchor in found)


def _slips(word: str) -> set[str]:
    """Two letters swapped, one dropped, one doubled: the slips of a finger on a phone."""
    swapped = {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)}
    dropped = {word[:i] + word[i + 1 :] for i in range(len(word))}
    doubled = {word[:i] + word[i] + word[i:] for i in range(len(word))}
    return (swapped | dropped | doubled) - {word}


def _alternation(sources: Iterable[str], fragments: Mapping[str, str | None]) -> str:
    return "|".join(f"(?:{_expand(source, fragments)[0]})" for source in sources)


def _compile_lexicon(lexicon: Lexicon, fragments: Mapping[str, str | None]) -> CompiledLexicon:
    spellings = {strip_accents(key): strip_accents(value).lower() for key, value in lexicon.spellings.items()}
    real_words = set(lexicon.typos.real_words)
    for target in lexicon.typos.targets:
        for slip in sorted(_slips(target) - real_words):
            spellings.setdefault(slip, spellings.get(target, target))
    # Several-word keys are rewritten after the single words, longest first so "por que" beats "que".
    multi = sorted((key for key in spellings if " " in key), key=len, reverse=True)
    phrases = re.compile(r"\b(?:" + "|".join(re.escape(key) for key in multi) + r")\b") if multi else None

    kinds = []
    for kind in KIND_PRIORITY:
        rules = []
        for name, group in lexicon.rules.get(kind, {}).items():
            requires = _alternation(group.requires, fragments)
            required = re.compile(rf"\b(?:{requires})(?![a-z0-9])", re.MULTILINE) if requires else None
            for pattern in group.patterns:
                source = _expand(pattern, fragments)[0]
                # Whole words only: the end is checked here, the start in _first_match (a regex that does not open with
                # a word boundary lets the engine skip straight to the letters a match can start with).
                regex = re.compile(rf"(?:{source})(?![a-z0-9])", re.MULTILINE)
                rules.append(_Rule(name, regex, _anchors(source), required))
        if rules:
            kinds.append(_Kind(kind, tuple(rules)))
    every = sorted({anchor for kind in kinds for rule in kind.rules for anchor in rule.anchors or ()})
    prefixes = {anchor: frozenset(other for other in every if anchor.startswith(other)) for anchor in every}
    anchors = re.compile(_trie(every)) if every else None

    exclusions = []
    for name, exclusion in lexicon.exclusions.items():
        body = _alternation(exclusion.patterns, fragments)
        # A "before" pattern must end where the match starts.
        source = rf"\b(?:{body})$" if exclusion.scope == "before" else rf"\b(?:{body})(?![a-z0-9])"
        unless = _alternation(exclusion.unless, fragments)
        near = _alternation(exclusion.unless_near, fragments)
        exclusions.append(
            _Exclusion(
                name=name,
                scope=exclusion.scope,
                targets=frozenset(exclusion.applies_to),
                window=exclusion.window,
                stops=frozenset(exclusion.stops),
                regex=re.compile(source, re.MULTILINE),
                unless=re.compile(rf"\b(?:{unless})(?![a-z0-9])", re.MULTILINE) if unless else None,
                unless_near=re.compile(rf"\b(?:{near})(?![a-z0-9])") if near else None,
            )
        )
    starts = frozenset(key.split()[0] for key in multi)
    return CompiledLexicon(spellings, phrases, starts, tuple(kinds), tuple(exclusions), anchors, prefixes)


def load_lexicon(source: str) -> CompiledLexicon:
    """Parses, checks and compiles a lexicon written as TOML.

    Raises one ValueError naming every problem with its place ("rules.suicide.wish.patterns[3]: regex does not
    compile: ..."), so a reviewer fixes a broken file in one pass.
    """
    try:
        raw = tomllib.loads(source)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{RULES_FILE}: not valid TOML: {exc}") from None
    fragments, problems = _expand_fragments(raw.get("fragments"))
    lexicon: Lexicon | None = None
    try:
        lexicon = Lexicon.model_validate(raw, context={"fragments": fragments})
    except ValidationError as exc:
        problems += [_describe(error) for error in exc.errors()]
    problems += _missing_targets(raw)
    if problems or lexicon is None:
        listing = "\n".join(f"  {problem}" for problem in problems)
        raise ValueError(f"{RULES_FILE}: {len(problems)} problem(s):\n{listing}")
    return _compile_lexicon(lexicon, fragments)


def _packaged_lexicon() -> CompiledLexicon:
    return load_lexicon(files("bot.data.safety").joinpath(RULES_FILE).read_text(encoding="utf-8"))


LEXICON = _packaged_lexicon()

# ---------------------------------------------------------------------------------------------------
# Normalisation
# ---------------------------------------------------------------------------------------------------

# Laughing emoji are a laugh the way "jaja" is; turned into "jaja" so the joke family sees them.
_LAUGHING = re.compile("[\U0001f602\U0001f923\U0001f606\U0001f639\U0001f605\U0001f92d]")
# Digits and symbols used as letters inside a word ("m4tarme", "su1cidio"); only between letters.
_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "@": "a", "$": "s"})
_LEET_RUN = re.compile(r"(?<=[a-z])[0134@$]+(?=[a-z])")
_RUN = re.compile(r"([a-z])\1{2,}")
# Where one thought ends and the next starts: sentence marks, commas, dashes, and "pero"/"aunque"/"sino".
_BREAK_MARKS = str.maketrans(
    dict.fromkeys('.!?\u00a1\u00bf;:,\u2026()[]{}"\u201c\u201d\u00ab\u00bb|\u2013\u2014', "\n")
)
_BREAK_WORDS = re.compile(r"\s-+\s|\b(?:pero|aunque|sino)\b")
# Anything but a letter, a digit or the line break that separates clauses; the ASCII ones are done by a table.
_NOT_WORD = re.compile(r"[^a-z0-9\n]+")
_ASCII_NOT_WORD = str.maketrans(
    {chr(code): " " for code in range(128) if not (chr(code).isascii() and chr(code).isalnum()) and chr(code) != "\n"}
)


def _prepare(text: str) -> str:
    text = _LAUGHING.sub(" jaja ", unicodedata.normalize("NFKC", text))
    text = strip_accents(text.lower())
    text = text.replace("\u2019", "").replace("'", "").replace("\u00b4", "")
    if not any(char in text for char in "0134@$"):
        return text
    return _LEET_RUN.sub(lambda found: found.group(0).translate(_LEET), text)


def _clauses(text: str, lexicon: CompiledLexicon) -> list[str]:
    """`text` split into clauses of plain words, with the spellings applied; the work is done on all clauses at once."""
    broken = _BREAK_WORDS.sub("\n", text.translate(_BREAK_MARKS))
    plain = broken.translate(_ASCII_NOT_WORD)
    lines = (plain if plain.isascii() else _NOT_WORD.sub(" ", plain)).split("\n")
    spellings = lexicon.spellings
    words = [[spellings.get(word, word) for word in line.split()] for line in lines]
    fixed = "\n".join(" ".join(line) for line in words)
    if lexicon.phrases is not None and not lexicon.phrase_starts.isdisjoint(word for line in words for word in line):
        fixed = lexicon.phrases.sub(lambda found: spellings[found.group(0)], fixed)
    return [clause for clause in fixed.split("\n") if clause]


def normalise_es(text: str, lexicon: CompiledLexicon = LEXICON) -> list[list[str]]:
    """The text as clauses of plain words, once per reading.

    Lowercase, no accents, chat spellings written out ("q" is "que", "toy" is "estoy"), punctuation gone. A run of
    three or more of one letter is read twice, shortened to one letter and to two, since "matarmeee" is "matarme"
    but "cuchilllo" is "cuchillo".
    """
    prepared = _prepare(text)
    keeps = (1, 2) if _RUN.search(prepared) else (1,)
    readings: list[list[str]] = []
    for keep in keeps:
        collapsed = _RUN.sub(r"\1" * keep, prepared)
        reading = _clauses(collapsed, lexicon)
        if reading and reading not in readings:
            readings.append(reading)
    return readings


# ---------------------------------------------------------------------------------------------------
# Detection
# ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Reading:
    clauses: list[str]
    joined: str
    starts: list[int]
    # Whether an exclusion's patterns are found in an area of this reading, kept so a long clause with many
    # set-aside matches ("me muero de risa" forty times) is searched once per exclusion, not once per match.
    seen: dict[tuple[int, str, int], bool]

    @classmethod
    def of(cls, clauses: list[str]) -> _Reading:
        starts, position = [], 0
        for clause in clauses:
            starts.append(position)
            position += len(clause) + 1
        return cls(clauses, "\n".join(clauses), starts, {})

    def found(self, regex: re.Pattern[str] | None, area: str, index: int) -> bool:
        """Whether `regex` is found in the `area` ("clause", "nearby" or "text") around clause `index`."""
        if regex is None:
            return False
        key = (id(regex), area, index if area != "text" else -1)
        if key not in self.seen:
            if area == "clause":
                text = self.clauses[index]
            elif area == "nearby":
                text = "\n".join(self.clauses[max(0, index - 1) : index + 2])
            else:
                text = self.joined
            self.seen[key] = regex.search(text) is not None
        return self.seen[key]


def _present_anchors(reading: _Reading, lexicon: CompiledLexicon) -> frozenset[str]:
    """Every anchor in the reading: the longest at each place it matches, and the anchors that one starts with."""
    if lexicon.anchors is None:
        return frozenset()
    found: set[str] = set()
    position = 0
    while (match := lexicon.anchors.search(reading.joined, position)) is not None:
        found |= lexicon.prefixes[match.group(0)]
        position = match.start() + 1
    return frozenset(found)


def _window(clause: str, start: int, count: int, stops: frozenset[str]) -> str:
    """The `count` words before `start`, cut after the last stop word ("y", "porque") among them."""
    words = clause[:start].split()[-count:]
    for index in range(len(words) - 1, -1, -1):
        if words[index] in stops:
            words = words[index + 1 :]
            break
    return " ".join(words)


def _found(regex: re.Pattern[str] | None, text: str) -> bool:
    return regex is not None and regex.search(text) is not None


# How far around a match an "overlap" exclusion is looked for; no figure of speech is longer.
_OVERLAP_REACH = 120


def _set_aside(exclusion: _Exclusion, reading: _Reading, index: int, start: int, end: int) -> bool:
    clause = reading.clauses[index]
    if exclusion.scope == "overlap":
        around = clause[max(0, start - _OVERLAP_REACH) : end + _OVERLAP_REACH]
        offset = max(0, start - _OVERLAP_REACH)
        hit = any(
            found.start() + offset < end and found.end() + offset > start for found in exclusion.regex.finditer(around)
        )
        return hit and not reading.found(exclusion.unless, "text", index)
    if exclusion.scope == "before":
        window = _window(clause, start, exclusion.window, exclusion.stops)
        return bool(window) and _found(exclusion.regex, window) and not _found(exclusion.unless, clause[:start])
    if not reading.found(exclusion.regex, exclusion.scope, index) or reading.found(
        exclusion.unless, exclusion.scope, index
    ):
        return False
    near = f"{_window(clause, start, exclusion.window, frozenset())} {clause[start:end]}"
    return not _found(exclusion.unless_near, near)


def _first_match(kind: str, rule: _Rule, reading: _Reading, exclusions: tuple[_Exclusion, ...]) -> str | None:
    """The words of the first match of `rule` that no exclusion sets aside, or None."""
    position = 0
    joined = reading.joined
    while (match := rule.regex.search(joined, position)) is not None:
        position = match.start() + 1
        words = match.group(0)
        if "\n" in words or (match.start() > 0 and joined[match.start() - 1].isalnum()):
            continue
        # Checked only once a match is in hand: most texts never get this far.
        if rule.requires is not None and not reading.found(rule.requires, "text", 0):
            return None
        index = bisect.bisect_right(reading.starts, match.start()) - 1
        start = match.start() - reading.starts[index]
        end = start + len(words)
        if not any(
            exclusion.applies(kind, rule.group) and _set_aside(exclusion, reading, index, start, end)
            for exclusion in exclusions
        ):
            return words
    return None


def detect_crisis_es(text: str) -> CrisisSignal | None:
    """Crisis language in a Spanish `text`: the most urgent kind found (danger, overdose, suicide, self-harm), or None.

    Leans towards precision: a learned model beside these rules handles the fuzzy cases.
    """
    if not isinstance(text, str) or not text.strip():
        return None
    readings = [_Reading.of(clauses) for clauses in normalise_es(text, LEXICON)]
    present = [_present_anchors(reading, LEXICON) for reading in readings]
    for kind in LEXICON.kinds:
        for reading, found in zip(readings, present, strict=True):
            for rule in kind.rules:
                if rule.anchors is not None and found.isdisjoint(rule.anchors):
                    continue
                words = _first_match(kind.kind, rule, reading, LEXICON.exclusions)
                if words is not None:
                    return CrisisSignal(kind=kind.kind, matched=words)
    return None
