"""What /goal says (bot/data/goals.toml, goals_es.toml): the measures, their questions, and every reply."""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from importlib import resources

from bot.services.messages import DEFAULT_LANGUAGE
from bot.storage.models import GOAL_ANSWERS


@dataclass(frozen=True)
class Measure:
    """One kind of measure a member can pick: its name in the list, how it reads, its question and answers."""

    key: str
    choice: str
    describe: str
    question: str
    answers: tuple[str, ...]


@dataclass(frozen=True)
class GoalWords:
    measures: dict[str, Measure]
    text: dict[str, str]


def parse_goal_words(source: str) -> GoalWords:
    """The file's measures and texts; every measure Lantern stores must be there with as many answers as it
    stores, all at once in one error."""
    data = tomllib.loads(source)
    problems: list[str] = []
    measures: dict[str, Measure] = {}
    raw_measures = data.get("measures", {})
    for key, count in GOAL_ANSWERS.items():
        raw = raw_measures.get(key)
        if not isinstance(raw, dict):
            problems.append(f"goals.toml: [measures.{key}] is missing")
            continue
        fields = {name: raw.get(name) for name in ("choice", "describe", "question")}
        problems += [f"goals.toml: [measures.{key}] needs {name}" for name, v in fields.items() if not v]
        answers = raw.get("answers")
        if not isinstance(answers, list) or len(answers) != count or not all(isinstance(a, str) for a in answers):
            problems.append(f"goals.toml: [measures.{key}] needs {count} answers")
            continue
        choice, describe, question = (str(fields[name]) for name in ("choice", "describe", "question"))
        measures[key] = Measure(key, choice, describe, question, tuple(answers))
    unknown = set(raw_measures) - set(GOAL_ANSWERS)
    problems += [f"goals.toml: [measures.{key}] is not a measure Lantern knows" for key in sorted(unknown)]
    text = data.get("text", {})
    if not isinstance(text, dict) or not all(isinstance(v, str) and v.strip() for v in text.values()):
        problems.append("goals.toml: [text] must hold non-empty texts")
    if problems:
        raise ValueError("\n".join(problems))
    return GoalWords(measures, dict(text))


FILES = {"en": "goals.toml", "es": "goals_es.toml"}


@functools.cache
def goal_words(language: str = DEFAULT_LANGUAGE) -> GoalWords:
    """One language's words; the first call for any language checks every language has the same texts."""
    words = {
        lang: parse_goal_words((resources.files("bot.data") / name).read_text(encoding="utf-8"))
        for lang, name in FILES.items()
    }
    for lang, other in words.items():
        missing = set(words[DEFAULT_LANGUAGE].text) ^ set(other.text)
        if missing:
            raise ValueError(f"{FILES[lang]}: [text] differs from goals.toml in {sorted(missing)}")
    return words.get(language, words[DEFAULT_LANGUAGE])


def say(key: str, language: str = DEFAULT_LANGUAGE, **values: object) -> str:
    """One of /goal's texts, filled in, in the member's language."""
    text = goal_words(language).text[key]
    return text.format(**values) if values else text


def measure(key: str, language: str = DEFAULT_LANGUAGE) -> Measure:
    return goal_words(language).measures[key]
