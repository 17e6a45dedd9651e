"""What /goal says (bot/data/goals.toml, English for now): the measures, their questions, and every reply."""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from importlib import resources

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


@functools.cache
def goal_words() -> GoalWords:
    return parse_goal_words((resources.files("bot.data") / "goals.toml").read_text(encoding="utf-8"))


def say(key: str, **values: object) -> str:
    """One of /goal's texts, filled in."""
    text = goal_words().text[key]
    return text.format(**values) if values else text


def measure(key: str) -> Measure:
    return goal_words().measures[key]
