"""One reading of a member's words for crisis language: the English and Spanish rules beside the learned model."""

from __future__ import annotations

import asyncio
import functools
import re
import tomllib
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources

from bot.services.crisis import KIND_PRIORITY, RISK_THRESHOLD, read_with_rules
from bot.services.crisis_es import detect_crisis_es
from bot.services.crisis_model import CrisisModel


class Tier(StrEnum):
    """How sure Lantern is: "now" shows crisis lines at once; "worried" asks the member first."""

    NOW = "now"
    WORRIED = "worried"


@dataclass(frozen=True)
class Assessment:
    """What Lantern read in a text. `tier` None means nothing of concern; `dark` marks a heavy note."""

    tier: Tier | None
    kind: str | None
    dark: bool = False
    by_rules: bool = False
    probability: float | None = None


CALM = Assessment(tier=None, kind=None)

# How many texts are read at once. Each reader of a long note holds its windows' memory while it reads, so
# the readers are as many as the cores the bot was measured on, not asyncio's default pool of six.
READERS = 2

# One point short of the rules' own threshold: signs that hang together but not quite enough to be sure.
RULES_WORRIED_SCORE = RISK_THRESHOLD - 1


@functools.cache
def _language_words() -> dict[str, frozenset[str]]:
    raw = tomllib.loads((resources.files("bot.data.safety") / "language_words.toml").read_text(encoding="utf-8"))
    return {lang: frozenset(words) for lang, words in raw.items()}


_WORD = re.compile(r"[a-z]+")

# Where a text is cut into the clauses an ordinary request is matched against, and the longest text looked at:
# a request is a line or two, and a long note is never set aside.
_CLAUSE_BREAK = re.compile(r"[.,;:!?]+| and | y ")
_REQUEST_LIMIT = 300


def _any_of(pieces: list[str]) -> str:
    return "(?:" + "|".join(pieces) + ")"


@functools.cache
def _ordinary_requests() -> tuple[re.Pattern[str], ...]:
    raw = tomllib.loads((resources.files("bot.data.safety") / "ordinary_requests.toml").read_text(encoding="utf-8"))
    patterns = []
    for spec in raw.values():
        determiner = f"(?:{_any_of(spec['determiners'])} )?" if spec["determiners"] else ""
        describer = f"(?:{_any_of(spec['describers'])} )?" if spec["describers"] else ""
        request = f"{_any_of(spec['verbs'])} {determiner}{describer}{_any_of(spec['things'])}"
        lead, tails = "".join(spec["lead"]), "".join(spec["tails"])
        patterns.append(re.compile(f"{lead}(?:{request}|{_any_of(spec['whole'])})(?:{tails})*"))
    return tuple(patterns)


def is_ordinary_request(text: str) -> bool:
    """Whether every clause of a short text is an ordinary request about Lantern or the member's own data
    ("please delete my account", "stop the reminders"), as listed in ordinary_requests.toml."""
    if len(text) > _REQUEST_LIMIT:
        return False
    plain = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    plain = re.sub(r"[^a-z0-9.,;:!? ]+", " ", plain.replace("'", "").replace("\u2019", ""))
    clauses = [" ".join(part.split()) for part in _CLAUSE_BREAK.split(" ".join(plain.split()))]
    clauses = [clause for clause in clauses if clause]
    patterns = _ordinary_requests()
    return bool(clauses) and all(any(p.fullmatch(clause) for p in patterns) for clause in clauses)


def guess_language(text: str, fallback: str = "en") -> str:
    """ "es" when a text reads as Spanish, "en" when it reads as English, else `fallback` (the language the
    member's Discord last spoke): for texts that come without a Discord locale (DMs)."""
    plain = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    words = _WORD.findall(plain)
    known = _language_words()
    spanish = sum(word in known["es"] for word in words)
    english = sum(word in known["en"] for word in words)
    if spanish == english:
        return fallback
    return "es" if spanish > english else "en"


class CrisisDetector:
    """Reads text with the rules, and with the model when it could be loaded (else the rules alone)."""

    def __init__(self, model: CrisisModel | None) -> None:
        self.model = model
        self._readers = ThreadPoolExecutor(max_workers=READERS, thread_name_prefix="crisis-reader")

    @property
    def uses_model(self) -> bool:
        return self.model is not None

    def rules(self, text: str) -> Assessment:
        english = read_with_rules(text)
        signal = english.signal or detect_crisis_es(text)
        if signal is not None:
            return Assessment(tier=Tier.NOW, kind=signal.kind, dark=True, by_rules=True)
        if english.risk >= RULES_WORRIED_SCORE:
            return Assessment(tier=Tier.WORRIED, kind=english.risk_kind, dark=True, by_rules=True)
        return Assessment(tier=None, kind=None, dark=english.risk > 0)

    def assess(self, text: str) -> Assessment:
        """The model decides; a rule's hit counts where the model gives the text at least some probability.

        The rules alone over-fire on words used in ordinary senses (5.5% of the validation part's calm
        texts), so beside the model they need its agreement; without the model they stand alone. The model in
        turn over-fires on requests about the app ("delete my account"), which are set aside when the rules
        see nothing dark in them.
        """
        if not text or not text.strip():
            return CALM
        by_rules = self.rules(text)
        if self.model is None:
            return by_rules
        if by_rules.tier is None and not by_rules.dark and is_ordinary_request(text):
            # The model reads "delete my account" or "stop the prompts" as a crisis; the rules saw nothing.
            return CALM
        score = self.model.score(text)
        config = self.model.config
        p = score.probability
        confirmed = by_rules.tier is not None and p >= config.rules_confirm
        confirmed_now = by_rules.tier == Tier.NOW and p >= config.rules_confirm_now
        if p >= config.now_threshold or confirmed_now:
            tier: Tier | None = Tier.NOW
        elif p >= config.worried_threshold or confirmed:
            tier = Tier.WORRIED
        else:
            tier = None
        dark = by_rules.dark or p >= config.dark_threshold
        if tier is None:
            return Assessment(tier=None, kind=None, dark=dark, probability=p)
        # The rules name the kind when they saw one (they read the words); else the model's likeliest kind.
        kind = by_rules.kind if confirmed and by_rules.kind is not None else score.kind
        return Assessment(tier=tier, kind=kind, dark=dark, by_rules=confirmed, probability=p)

    def assess_all(self, *texts: str) -> Assessment:
        """The most serious reading among several texts (a note and the community's own question)."""
        assessments = [self.assess(text) for text in texts if text]
        concerning = [a for a in assessments if a.tier is not None]
        if not concerning:
            return Assessment(tier=None, kind=None, dark=any(a.dark for a in assessments))
        return min(concerning, key=lambda a: (a.tier != Tier.NOW, KIND_PRIORITY.index(a.kind or KIND_PRIORITY[-1])))

    async def assess_off_loop(self, *texts: str) -> Assessment:
        """The same, in a worker thread: the model takes milliseconds the event loop should not wait for."""
        return await asyncio.get_running_loop().run_in_executor(self._readers, self.assess_all, *texts)
