"""Spotting crisis language (suicide, self-harm, overdose, immediate danger) in text members write."""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field

from bot.services.crisis_lexicon import load_lexicon

# The words, patterns and weights: bot/data/safety/*.toml, checked when this module is imported.
_LEXICON = load_lexicon()

# When one text fits several kinds, the one a responder would act on first wins: means in hand or a
# person hurting them beats an overdose under way, which beats thoughts, which beat self-harm urges.
KIND_PRIORITY: tuple[str, ...] = ("danger", "overdose", "suicide", "self_harm")

# How far back (in words) a "not" / "never" reaches. Long enough for "I would never ever kill myself",
# short enough that "I don't have anyone to talk to and I want to die" is not read as negated.
NEGATION_WINDOW_WORDS = 5


@dataclass(frozen=True)
class CrisisSignal:
    """What was found. `matched` exists for tests only: the bot must never log or repeat it."""

    kind: str
    # Hidden from repr so an accidental log line or traceback does not carry the member's words.
    matched: str = field(repr=False)


@dataclass(frozen=True)
class _Pattern:
    kind: str
    regex: re.Pattern[str]


# ---------------------------------------------------------------------------------------------------
# Normalisation
# ---------------------------------------------------------------------------------------------------

# Laughing emoji mark a joke the way "lol" does; they are turned into "lol" so the hyperbole checks
# see them after symbols are stripped. Headstones and coffins become a word the rules can see.
_LAUGHING = _LEXICON.laughing_emoji
_FAREWELL_EMOJI = _LEXICON.farewell_emoji

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'"})

# Forms that must be rewritten while the apostrophe is still there ("od'd" would read "odd").
_APOSTROPHE_FORMS = _LEXICON.apostrophe_fixes

# Digits and symbols used as letters inside words ("su1cide", "k!ll"); only between letters, so
# "2 years" and "!" as punctuation are left alone.
_LEET = str.maketrans({"1": "i", "3": "e", "0": "o", "!": "i", "$": "s", "@": "a"})
_LEET_RUN = re.compile(r"(?<=[a-z])[130!$@]+(?=[a-z])")

# Where one thought ends and another starts. Commas count, since members rarely use full stops;
# "and"/"so"/"because" only count before a new subject, so "the pills and vodka" stays together.
_CLAUSE_BREAK = re.compile(
    r"[.!?;:\n\u2026()\[\]]+|,|\s-+\s|\b(?:but|though|although|however)\b"
    r"|\b(?:and|so|because|cause|cuz|then|yet|plus)\b(?=\s+(?:i|im|ive|id|ill|its|it|he|hes|she|shes|"
    r"they|theyre|we|my|now|today|tonight|still|this|that|the (?:urges?|thoughts?)|thoughts|urges)\b)"
    # "... so I never wake up" is the purpose of what came before, not a new thought.
    r"(?!\s+i (?:just |will |would |can |could )?(?:never|dont|wont|do not|will not) wake up\b)"
)

# Slips of the finger on the few words every crisis phrase hangs on: two letters swapped, one dropped
# or one doubled ("wnat", "kll", "myslef"). Generated rather than listed so a new slip of the same kind
# is caught too; the slips that are real words of their own stay out ("ill" is "I'll", "dad", "ant").
# The targets and the real words to leave alone are in words_en.toml.
_TYPO_TARGETS = _LEXICON.typo_targets
_REAL_WORDS = _LEXICON.real_words


def _slips(word: str) -> set[str]:
    swapped = {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)}
    dropped = {word[:i] + word[i + 1 :] for i in range(len(word))}
    doubled = {word[:i] + word[i] + word[i:] for i in range(len(word))}
    return (swapped | dropped | doubled) - {word} - _REAL_WORDS


def _slip_fixes() -> dict[str, str]:
    """Each slip of a target word, mapped to what the target itself is rewritten to ("wnna" -> "want to")."""
    return {slip: _WORD_FIXES.get(target, target) for target in _TYPO_TARGETS for slip in sorted(_slips(target))}


# Whole-word rewrites (slang, contractions spelled out, misspellings), and the slips of the targets.
_WORD_FIXES: dict[str, str] = dict(_LEXICON.word_fixes)
_WORD_FIXES.update({slip: fix for slip, fix in _slip_fixes().items() if slip not in _WORD_FIXES})

# Multi-word rewrites, applied after the word fixes, so patterns see one spelling of each phrase.
_PHRASE_FIXES = _LEXICON.phrase_fixes


def _collapse_runs(text: str, keep: int) -> str:
    """Shortens runs of three or more of one letter ("diiiie", "killllll") to `keep` letters."""
    return re.sub(r"([a-z])\1{2,}", lambda m: m.group(1) * keep, text)


def _fix_words(clause: str) -> str:
    clause = re.sub(r"[^a-z0-9 ]+", " ", clause)
    words = [_WORD_FIXES.get(word, word) for word in clause.split()]
    clause = " ".join(words)
    for pattern, replacement in _PHRASE_FIXES:
        clause = pattern.sub(replacement, clause)
    return clause


# The labels of a form-like note: only these, so "check-in: 1/10" keeps its break.
_FORM_LABEL = re.compile(r"\b(plan|method|when|where|how|mood|time|place|date)[ \t]*:[ \t]*(?=[a-z0-9])")


def _prepare(text: str) -> str:
    """Lowercase, one kind of apostrophe, no accents on lookalike letters, symbols-as-letters undone."""
    text = unicodedata.normalize("NFKC", text).translate(_APOSTROPHES).lower()
    text = _LEET_RUN.sub(lambda m: m.group(0).translate(_LEET), text)
    # "never, ever" is one thought; without this the comma would cut "never" off from what it negates.
    text = re.sub(r",\s*ever\b", " ever", text)
    text = _LAUGHING.sub(" lol ", text)
    # A headstone, coffin or urn is a farewell said in one symbol; given a word, the rules can see it.
    text = _FAREWELL_EMOJI.sub(" tombstone ", text)
    # A trailing ", permanently" or ", tonight" belongs to the clause before it, and so does a
    # "permanently." standing alone after a full stop: members add it as its own sentence for weight.
    text = re.sub(r",\s*(permanently|forever|for good|tonight|right now)\b", r" \1", text)
    text = re.sub(r"[.!\u2026]+\s*(permanently|forever|for good)\s*(?=[.!?\u2026]|$)", r" \1", text)
    for pattern, replacement in _APOSTROPHE_FORMS:
        text = pattern.sub(replacement, text)
    # "plan: the bridge. when: tonight" answers each label after its colon. The colon would cut the label off from
    # its answer, and it is the pair that carries the meaning.
    text = _FORM_LABEL.sub(r"\1 ", text)
    return text.replace("'", "")


# Intrusive thoughts (OCD) are unwanted by definition; a member who says plainly they will not act on them has
# answered the question the card would ask. Said with doubt ("not sure I won't act on them") it is a warning.
_INTRUSIVE = re.compile(r"\b(?:intrusive|ocd)\b")
_WONT_ACT = re.compile(
    r"\b(?:i|id) (?:know i |would |will )?(?:would never|will never|never would|never will|wont|would not|will not|"
    r"wouldnt|never)(?: ever)? (?:act on (?:them|it|those|these|that|any of (?:them|it))|"
    r"do (?:it|that|this|anything))\b"
    r"|\bi know i (?:wont|would never|will never|wouldnt|never would)\b"
    r"|\b(?:they|it|these|those|the thoughts) (?:dont|doesnt|do not|does not) mean i (?:want|will|would)(?: to)?\b"
)
# A wish of the member's own in the same sentence stays, whatever the thoughts around it.
_OWN_WISH = re.compile(r"\bi(?: really| just)? (?:want|wanna|need|plan|am going|m going) to\b|\bim (?:going|gonna)\b")
_SENTENCE_END = re.compile(r"(?<=[.!?\n])")


def _set_aside_reassured_intrusive_thoughts(prepared: str) -> str:
    """The text without the sentences about intrusive thoughts, when the member says undoubtingly they won't act."""
    if _INTRUSIVE.search(prepared) is None:
        return prepared
    reassurances = list(_WONT_ACT.finditer(prepared))
    if not reassurances or any(_DOUBT.search(_words_before(prepared, found.start(), 4)) for found in reassurances):
        return prepared
    kept = [
        sentence
        for sentence in _SENTENCE_END.split(prepared)
        if _INTRUSIVE.search(sentence) is None or _OWN_WISH.search(_WONT_ACT.sub(" ", sentence)) is not None
    ]
    return " ".join(kept)


def normalise(text: str) -> list[list[str]]:
    """The text as clauses, twice: once with letter runs collapsed to one letter, once to two.

    Both readings are needed because "diiie" is "die" but "killlll" is "kill"; a pattern only has to
    match one of them.
    """
    prepared = _set_aside_reassured_intrusive_thoughts(_prepare(text))
    readings: list[list[str]] = []
    for keep in (1, 2):
        collapsed = _collapse_runs(prepared, keep)
        clauses = [_fix_words(part) for part in _CLAUSE_BREAK.split(collapsed)]
        reading = [clause for clause in clauses if clause]
        if reading not in readings:
            readings.append(reading)
    return readings


# ---------------------------------------------------------------------------------------------------
# Patterns (patterns_en.toml). Each runs on one normalised clause: lowercase words separated by single
# spaces, no apostrophes ("dont", "im", "ive"), slang and misspellings already rewritten.
# ---------------------------------------------------------------------------------------------------

# Someone other than the member as the subject: "my brother", "he" (fragments_en.toml).
_OTHER = _LEXICON.fragments["other"]
# The words "self harm" on their own; a joke about a haircut or a tattoo uses them too (see _set_aside).
_BARE_SELF_HARM = _LEXICON.fragments["bare_self_harm"]

_COMPILED: tuple[_Pattern, ...] = tuple(
    _Pattern(kind, regex) for kind in KIND_PRIORITY for regex in _LEXICON.patterns.get(kind, ())
)

# ---------------------------------------------------------------------------------------------------
# Cues (cues_en.toml): signs that mean little alone and a lot together. A goodbye alone is someone leaving
# the server and a rope alone is for a tent; a goodbye after giving the dog away, or a rope "and I know what
# it's for", is not. Each category lists its patterns; _combined_kind decides which mixes are a crisis.
# ---------------------------------------------------------------------------------------------------

_COMPILED_CUES: tuple[tuple[str, re.Pattern[str]], ...] = _LEXICON.cues

# Categories that add up to a suicide warning. Two of them never do on their own: despair alone is a
# hard week, thanks alone is a milestone post.
_SUICIDE_CUES = frozenset({"despair", "farewell", "gratitude", "preparation", "means", "intent"})
_DANGER_CUES = frozenset({"threat", "conditional_threat", "intruder", "weapon", "fear", "urgency"})

# A goodbye with a way back in it ("see you next week", "going on holiday") is a member leaving for a
# while, so its farewell and thanks do not count.
_LEAVING_FOR_A_WHILE = re.compile(_LEXICON.fragments["leaving_for_a_while"])

# ---------------------------------------------------------------------------------------------------
# What turns a match into "not a crisis now"
# ---------------------------------------------------------------------------------------------------

# Words that negate what follows within NEGATION_WINDOW_WORDS. "no" is left out when it is part of
# "no matter" or a crisis phrase of its own ("no reason to live", "no way out").
_NEGATION = re.compile(
    r"\b(?:not|never|dont|doesnt|didnt|wont|wouldnt|isnt|arent|wasnt|werent|havent|hasnt|hadnt|"
    r"shouldnt|without|stopped|quit|nor|no longer|nothing like|zero|none)\b"
    r"|\bno\b(?! (?:matter|idea|clue|hope|way out|reason|point|purpose|longer want))"
)

# Doubt in front of a negation turns it back into a warning: "I can't promise I won't", "not sure I
# won't", "I can't go a day without wanting to die".
_DOUBT = re.compile(
    r"\b(?:cant promise|not sure|dont know|dont think i can|cant say|hard to say|"
    r"(?:cant|couldnt) (?:go|get through|make it through) (?:a|one|an) \w+ without|"
    r"(?:cant|couldnt) stop|wont stop|dont stop|doesnt stop|never stops?|not going away|wont go away|"
    r"not stopping|never (?:felt|been|had it) (?:this|so))\b"
)

# Time and distance: the clause is about something that happened a while ago.
_PAST = re.compile(
    r"\b(?:(?:\d+|a|one|two|three|four|five|six|seven|eight|nine|ten|twelve|few|couple of|several|"
    r"many|some|a few|a couple) (?:weeks?|months?|years?|decades?|yrs?) (?:ago|back|before)\b"
    r"|(?:weeks|months|years|decades) ago"
    r"|(?:a (?:long )?while|ages|long|a long time|a lifetime|forever) ago"
    r"|used to|use to|back (?:then|when|in)\b|in the past|in (?:19|20)\d\d"
    r"|last (?:year|month|summer|winter|spring|fall|autumn|christmas|easter|decade)"
    r"|when i was (?:younger|a kid|a teen|a teenager|little|young|in (?:school|high school|college|"
    r"uni|my)|\d+|using|drinking|still using|still drinking|active|in active|at my worst)"
    r"|as a (?:kid|teen|teenager|child|young)|in (?:high school|middle school|college|uni|my teens|my "
    r"twenties|my 20s|my thirties|active addiction|my addiction|my using days|my drinking days)"
    r"|(?:years?|months?) (?:clean|free|sober|since)|(?:clean|free|sober) (?:for|since)"
    r"|\d+ (?:days?|weeks?|months?|years?) (?:clean|free|sober|without)"
    r"|self harm free|cutting free|survivor|anniversary|history of|my history"
    r"|(?:survived|recovered from|recovering from) (?:an? |my |the )?(?:overdose|attempt|suicide attempt)"
    r"|(?:when|since|after|the (?:time|night|day|year)) i (?:overdosed|tried|attempted|was (?:suicidal|in "
    r"hospital|hospitalised|hospitalized|cutting|self harming)|used to|got out|nearly|almost)"
    r"|(?:since|after|before) my (?:overdose|attempt|suicide attempt|last overdose|first overdose)"
    r"|(?:my|the) (?:old|previous|past|first) (?:overdose|attempt|suicide attempt|scars)"
    r"|before (?:getting|i got|i was|going|i went) (?:sober|clean|into recovery|to rehab|to treatment)"
    r"|(?:early|my early|first year of|first year in) (?:recovery|sobriety)|last time (?:i|my)"
    r"|scars?|back in the day|in my old life)\b"
)

# The clause is about someone who died, or about the topic rather than the member: grief, a film,
# training, awareness days.
_ABOUT_OTHERS = re.compile(
    rf"\b(?:{_OTHER} (?:\w+ )?died|(?:friend|brother|sister|son|daughter|cousin|people|who) (?:\w+ )?died"
    r"|passed away|(?<!my )(?<!my own )funeral|memorial|in memory|rest in peace|rip|lost (?:my|a|our|his|her|him|them) "
    r"\w*\s?(?:to|from)|killed (?:himself|herself|themselves)|took (?:his|her|their) (?:own )?life"
    r"|awareness|prevention|training|documentary|podcast|article|movie|film|book|episode|series"
    r"|show about|statistics|stats|lecture|class about|speaker|naloxone kit|narcan kit|carry narcan"
    r"|asked (?:me )?(?:if|whether)"
    # Someone else's attempt or overdose, told at a meeting or in a share.
    r"|(?:his|her|their|someones|a friends) (?:own |first |last )?"
    r"(?:suicide attempt|attempt|overdose|suicide|self harm))\b"
)

# A past crisis coming back into the present: "... and I want to again", "the thoughts are back".
_RETURNING = re.compile(
    r"\b(?:want to|going to|planning to|plan to|thinking about|think about|thinking of|tempted to|"
    r"urges? to|scared ill|scared i will|scared i might|afraid ill|afraid i will|afraid i might|might|"
    r"close to|about to|feel like|need to|could|ill|will) (?:do |doing |try |trying )?(?:it |that )?again\b"
    r"|\b(?:started|starting|start|doing|did|do|try|trying) (?:it |that )?again\b"
    r"|\b(?:feel|feeling|felt|having|getting) (?:that way|like that|like this|the same way|the same|those "
    r"thoughts|those urges|them) again\b"
    r"|\b(?:its|theyre|thoughts are|urges are|feelings are|the thoughts|the urges|thoughts|urges|"
    r"it is|they are) (?:all )?(?:coming |creeping |came |are |is )?back\b"
)


# A "not" inside a request for help or a struggle ("a tip for not killing myself", "trying not to cut",
# "how do I not") is the member naming the urge they are fighting, not denying it.
_ASKING_HOW_NOT_TO = re.compile(
    r"\b(?:for|how|how to|how do i|how can i|help me|helping me|trying|try|tips?|way to|ways to|fighting|"
    r"struggling|hard|hardest|keep myself|stop myself)(?: really| so| very| just)? (?:not|from)(?: to)?$"
)

# Words that put the act itself in the present or near future ("if im just going to kill myself anyway"),
# whatever past milestone shares the clause ("30 days sober"). "used to want to" and "was going to" keep
# their past: the anchor needs the member as the subject right in front of it.
_NOW_ANCHOR = re.compile(
    r"\b(?:im|i|ill)(?: just| really| so| still| literally| seriously| actually)? "
    r"(?:going to|about to|planning to|ready to|want to|need to)(?: just)?$"
)


def _anchored_now(clause: str, start: int) -> bool:
    return _NOW_ANCHOR.search(_words_before(clause, start, 6)) is not None


# An urge or a thought placed earlier in the day, and the later words saying it has passed.
_EARLIER_URGE = re.compile(
    r"\b(?:urges?|thoughts?|impulse|wanted to|felt like)\b(?: \w+){0,6}? "
    r"(?:earlier|this morning|last night|yesterday|at work|before)\b"
    r"|\b(?:earlier|this morning|last night|yesterday)\b(?: \w+){0,6}? "
    r"(?:urges?|thoughts?|impulse|wanted to|felt like)\b"
)
_RESOLVED = re.compile(_LEXICON.fragments["resolved"])


def _words_before(clause: str, start: int, count: int) -> str:
    return " ".join(clause[:start].split()[-count:])


def _is_negated(clause: str, start: int) -> bool:
    window = _words_before(clause, start, NEGATION_WINDOW_WORDS)
    if _DOUBT.search(window) or _ASKING_HOW_NOT_TO.search(window):
        return False
    return _NEGATION.search(window) is not None


def _is_distant(clause: str) -> bool:
    return _PAST.search(clause) is not None or _ABOUT_OTHERS.search(clause) is not None


def _matches(clause: str) -> Iterator[tuple[str, re.Match[str]]]:
    for pattern in _COMPILED:
        for match in pattern.regex.finditer(clause):
            if not _is_negated(clause, match.start()):
                yield pattern.kind, match


def _is_returning(clause: str) -> bool:
    match = _RETURNING.search(clause)
    return match is not None and not _is_negated(clause, match.start())


def _returning_from(clauses: list[str]) -> list[bool]:
    """For each clause: does it, or any clause after it, bring a past crisis back into the present?"""
    flags = [False] * (len(clauses) + 1)
    for index in range(len(clauses) - 1, -1, -1):
        flags[index] = flags[index + 1] or _is_returning(clauses[index])
    return flags[:-1]


def _cues(clause: str) -> Iterator[tuple[str, int, str]]:
    for number, (category, regex) in enumerate(_COMPILED_CUES):
        match = regex.search(clause)
        if match is not None and not _is_negated(clause, match.start()):
            yield category, number, match.group(0)


def _first_words(cues: dict[str, dict[int, str]], categories: list[str]) -> str:
    return " + ".join(next(iter(cues[category].values())) for category in categories)


# Pairs of signs that are a crisis together, and what in the text undoes each (cues_en.toml).
_PAIRS = _LEXICON.pairs
_UNDONE_BY_LEAVING = frozenset({"farewell", "gratitude", "errand", "calm"})


def _combined_kind(cues: dict[str, dict[int, str]], text: str) -> tuple[str, str] | None:
    """The crisis a mix of cues adds up to, with the cue words for tests, or None."""
    danger = sorted(_DANGER_CUES & cues.keys())
    # Two parts are needed and one must be serious: a threat, a weapon, or someone at the door of a
    # frightened member. "My dad is drunk, what do I do" is a hard evening; "she'll kill me if I'm late"
    # is a figure of speech unless someone is at the door or armed.
    at_the_door = "intruder" in cues or "weapon" in cues
    serious = (
        "threat" in cues
        or "weapon" in cues
        or ("intruder" in cues and "fear" in cues)
        or ("conditional_threat" in cues and at_the_door)
    )
    if len(danger) >= 2 and serious:
        return "danger", _first_words(cues, danger)
    if _LEAVING_FOR_A_WHILE.search(text) is not None:
        # A goodbye before a holiday or a move, and the errands that go with it, are not a farewell.
        cues = {category: found for category, found in cues.items() if category not in _UNDONE_BY_LEAVING}
    paired = [
        (pair.kind, [pair.sign, *sorted(pair.partners & cues.keys())])
        for pair in _PAIRS
        if pair.sign in cues
        and pair.partners & cues.keys()
        and (pair.unless is None or pair.unless.search(text) is None)
    ]
    if paired:
        kind, categories = min(paired, key=lambda pair: KIND_PRIORITY.index(pair[0]))
        return kind, _first_words(cues, categories)
    if "on_purpose" in cues and "big_dose" in cues:
        return "overdose", _first_words(cues, ["big_dose", "on_purpose"])
    counted = {category: found for category, found in cues.items() if category in _SUICIDE_CUES}
    words = [word for category in sorted(counted) for word in counted[category].values()]
    if len(words) >= 2 and not counted.keys() <= {"despair"} and not counted.keys() <= {"gratitude"}:
        return "suicide", " + ".join(words)
    # Errands are everyday, so they need three signs in all: three errands, or errands with a calm or another sign.
    # An errand already seen as putting a pet in order is not counted twice.
    handed_on = list(cues.get("preparation", {}).values())
    errands = [word for word in cues.get("errand", {}).values() if not any(word in other for other in handed_on)]
    calm = list(cues.get("calm", {}).values())
    if errands and len(errands) + len(calm) + len(words) >= 3:
        return "suicide", " + ".join(errands + calm + words)
    return None


def _is_resolved(clause: str) -> bool:
    match = _RESOLVED.search(clause)
    return match is not None and not _is_negated(clause, match.start())


def _counting_now(clauses: list[str]) -> list[bool]:
    """For each clause: is it about the member now, rather than the past, someone else or an urge that passed?"""
    returning = _returning_from(clauses)
    counting = []
    resolved_later = False
    for index in range(len(clauses) - 1, -1, -1):
        clause = clauses[index]
        # A past event counts only when the same or a later clause brings it back ("... and I want to
        # again"); an earlier "again" belongs to something else.
        now = returning[index] or not _is_distant(clause)
        # "Had an urge to cut earlier ... it's gone now" reports an urge that passed. Only urges and thoughts
        # are let go this way: an overdose taken earlier can still be working while the member feels fine.
        if now and resolved_later and _EARLIER_URGE.search(clause):
            now = False
        counting.append(now)
        resolved_later = resolved_later or _is_resolved(clause)
    return counting[::-1]


_SHORTEST_CLAUSE = 3


# A laugh, in the spellings members use ("lmaooo", "lool", "hehe").
_LAUGHED = re.compile(_LEXICON.fragments["laughed"])
# What "self harm" is the punchline about when it is a joke.
_JOKE_OBJECT = re.compile(
    r"\b(?:hair|haircut|fringe|bangs|tattoos?|piercings?|eyebrows|brows|waxing|wax|bleach\w*|dye\w*|nails)\b"
)
# Getting ready for someone else's overdose: "what do I do if I find someone overdosing", "how do I know if my
# friend is overdosing". The member is not the one overdosing, and nobody is in front of them yet.
_HYPOTHETICAL_OTHER = re.compile(
    r"\b(?:if (?:i|you|we) (?:ever |should |do |happen to )?(?:find|see|notice|come across|walk in on|found|saw)|"
    r"how (?:do|can|would|will|should|to) (?:i |you |we )?(?:know|tell|spot|recogni[sz]e) if)"
    # The person may be named inside the match itself ("if i see my dad not breathing"), but never the member.
    r"(?! (?:i|im|ive|me|myself)\b)(?: \w+){0,3}$"
)


def _set_aside(kind: str, match: re.Match[str], clause: str, joined: str) -> bool:
    """Is this precise match a joke or a question about what to do some day, rather than a crisis?"""
    if match.re.pattern == _BARE_SELF_HARM:
        # "cutting my own fringe is the only self harm i do lol": the bare words, a laugh and a haircut. An act
        # ("i cut myself again lol") is matched by other rules and stays.
        return _LAUGHED.search(joined) is not None and _JOKE_OBJECT.search(joined) is not None
    if kind == "overdose":
        return _HYPOTHETICAL_OTHER.search(_words_before(clause, match.start(), 8)) is not None
    return False


def _scan(clauses: list[str]) -> CrisisSignal | None:
    found: dict[str, str] = {}
    cues: dict[str, dict[int, str]] = {}
    joined = " ".join(clauses)
    for clause, counts_now in zip(clauses, _counting_now(clauses), strict=True):
        # No rule fits in under three letters ("od" and "sh" are spelled out by now), so a long run of
        # "a, a, a" costs nothing.
        if len(clause) < _SHORTEST_CLAUSE:
            continue
        for kind, match in _matches(clause):
            # A past marker elsewhere in the clause does not reach an act the member says they are about
            # to do: "what's the point of 30 days sober if I'm just going to kill myself anyway".
            if (counts_now or _anchored_now(clause, match.start())) and not _set_aside(kind, match, clause, joined):
                found.setdefault(kind, match.group(0))
        if counts_now:
            for category, number, words in _cues(clause):
                cues.setdefault(category, {}).setdefault(number, words)
    combined = _combined_kind(cues, joined)
    if combined is not None:
        found.setdefault(*combined)
    for kind in KIND_PRIORITY:
        if kind in found:
            return CrisisSignal(kind, found[kind])
    return None


# ---------------------------------------------------------------------------------------------------
# Second tier: a weighted risk lexicon. The rules above are precise and miss what they were not
# written for; this tier adds up many weaker signs (means, acts, farewells, danger, the present) so a
# message that says it in new words still gets the card. A missed crisis costs far more than an extra
# card, so this tier leans towards firing and is held back only by clear safety, the past and jokes.
# ---------------------------------------------------------------------------------------------------

# The score a text needs. A 3 is a sign that rarely means anything else (a noose, "not breathing",
# "broke in"); a 2 a strong sign that needs company; a 1 context that only tips a text already close.
# Every labelled set stays at or under a 5% false positive rate from 2 upwards, so the set alone would
# allow 2; 4 is the lowest value at which near-miss sentences written to trip it (knife sets, bridge walks,
# "sorry I couldn't make it") also stay under 5%. At 5 the labelled sets lose nothing but new wordings of
# a crisis are missed noticeably more often.
RISK_THRESHOLD = 4

# Most everyday uses of one sign family come with more of the same family ("bought a knife for the kitchen"
# is a means and a purchase); a crisis usually brings two families together (a means and a farewell, a
# dose and a symptom). So one family counts for at most FAMILY_CAP, and the present and the person add
# their point only when the signs already hang together (see risk_score).
FAMILY_CAP = 5
# Families too common or too weak to make a second family on their own, and capped lower: a drug named in
# a medication question, a low mood.
_WEAK_FAMILIES = frozenset({"substance", "despair"})
_WEAK_FAMILY_CAP = 2


# The weighted signs, by family (risk_en.toml).
_RISKS = _LEXICON.risk_signs

# The present, once per text: a crisis is about now, a story is about then. The person: the member, or
# someone with them, as the one the text is about.
_PRESENT = _LEXICON.present
_PERSON = _LEXICON.person

# What holds a high score back, once per text: how much it takes away, the pattern, and whether a "not"
# in front cancels it. A clear statement of safety outweighs any number of signs.
_DAMPERS = _LEXICON.dampers

# A nervous or embarrassed laugh after a remark. Looked for in the raw text, since the symbols are gone
# once the text is normalised.
_NERVOUS_LAUGH = _LEXICON.nervous_laugh


def _clause_at(starts: list[int], position: int) -> int:
    return bisect.bisect_right(starts, position) - 1


_CONDITIONAL_NOT = re.compile(r"\bif (?:i|you|we|he|she|they) (?:dont|do not|never|didnt|cant|wont)\b")


def _negated_sign(clause: str, start: int) -> bool:
    """Like _is_negated, but a "not" stops at "and"/"or": in "isnt waking up and his lips look blue" the
    "isnt" belongs to the waking, not to the lips."""
    before = clause[:start]
    # "if I don't check in tomorrow" is a condition, not a denial.
    if _CONDITIONAL_NOT.search(_words_before(clause, start, NEGATION_WINDOW_WORDS + 3)):
        return False
    cut = max(before.rfind(" and "), before.rfind(" or "))
    if cut >= 0:
        return _is_negated(clause[cut + 1 :], start - cut - 1)
    return _is_negated(clause, start)


def risk_score(clauses: list[str], raw: str) -> tuple[int, str, list[str]]:
    """The second tier's score for normalised clauses, the kind its signs point to, and the signs seen.

    Public so the tests can show how far a text sits from RISK_THRESHOLD.
    """
    joined = " | ".join(clauses)
    starts = []
    position = 0
    for clause in clauses:
        starts.append(position)
        position += len(clause) + 3
    counting: list[bool] | None = None
    by_family: dict[str, int] = {}
    by_kind: dict[str, int] = {}
    words: list[str] = []
    for risk in _RISKS:
        for match in risk.regex.finditer(joined):
            index = _clause_at(starts, match.start())
            clause, offset = clauses[index], match.start() - starts[index]
            if counting is None:
                # Worked out only once a sign is seen, so a long calm message pays nothing for it.
                counting = _counting_now(clauses)
            if (counting[index] or _anchored_now(clause, offset)) and not _negated_sign(clause, offset):
                by_family[risk.family] = by_family.get(risk.family, 0) + risk.weight
                by_kind[risk.kind] = by_kind.get(risk.kind, 0) + risk.weight
                words.append(match.group(0))
                # Each sign counts once, however often it is repeated.
                break
    if not words:
        return 0, KIND_PRIORITY[-1], []
    capped = {
        family: min(total, _WEAK_FAMILY_CAP if family in _WEAK_FAMILIES else FAMILY_CAP)
        for family, total in by_family.items()
    }
    score = sum(capped.values())
    # The present and the person add a point each when the signs already hang together: two strong families,
    # one strong family of 3 with anything beside it, or one family of 4. A lone means word ("bought a knife
    # for the kitchen") never gets them.
    strong = [total for family, total in capped.items() if family not in _WEAK_FAMILIES]
    if len(strong) >= 2 or (strong and max(strong) >= 3 and len(capped) >= 2) or max(capped.values()) >= 4:
        score += (_PRESENT.search(joined) is not None) + (_PERSON.search(joined) is not None)
    for damper in _DAMPERS:
        found = damper.regex.search(joined)
        if found is not None:
            index = _clause_at(starts, found.start())
            # "not sure I'm safe" takes the safety back; a "lol" after "stopped" is still a laugh.
            if not (damper.negatable and _is_negated(clauses[index], found.start() - starts[index])):
                score -= damper.amount
    if _NERVOUS_LAUGH.search(raw):
        score -= _LEXICON.nervous_laugh_amount
    kind = max(KIND_PRIORITY, key=lambda name: (by_kind.get(name, 0), -KIND_PRIORITY.index(name)))
    return score, kind, words


@dataclass(frozen=True)
class RulesReading:
    """What the rules found: a signal, or else the highest weighted score the signs reached and its kind."""

    signal: CrisisSignal | None
    risk: int
    risk_kind: str


def read_with_rules(text: str) -> RulesReading:
    """One pass of the rules over `text`: the precise patterns, then the weighted signs."""
    readings = normalise(text)
    for clauses in readings:
        signal = _scan(clauses)
        if signal is not None:
            return RulesReading(signal, RISK_THRESHOLD, signal.kind)
    # The precise rules found nothing; the weighted signs get their say.
    best, best_kind = 0, KIND_PRIORITY[-1]
    for clauses in readings:
        score, kind, words = risk_score(clauses, text)
        if score >= RISK_THRESHOLD:
            return RulesReading(CrisisSignal(kind, " + ".join(words)), score, kind)
        if score > best:
            best, best_kind = score, kind
    return RulesReading(None, best, best_kind)


def detect_crisis(text: str) -> CrisisSignal | None:
    """Crisis language in `text`, if any: the most urgent kind found, or None.

    Errs towards recall: an extra crisis card costs the member a glance, a missed one can cost more.
    """
    return read_with_rules(text).signal
