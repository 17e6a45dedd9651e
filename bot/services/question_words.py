"""What a community's own question says about itself (bot/data/questions.toml, English for now)."""

from __future__ import annotations

import functools
import tomllib
from importlib import resources

from bot.storage.models import ANSWER_KINDS, VISIBILITIES

FORM_DESCRIPTION_MAX = 100  # Discord's limit on a form label's description


@functools.cache
def question_words() -> dict[str, dict[str, str]]:
    """The file's tables; every kind and visibility Lantern stores must be named, else start-up stops here."""
    data = tomllib.loads((resources.files("bot.data") / "questions.toml").read_text(encoding="utf-8"))
    problems = [
        f"questions.toml: [answer_kind] has no {k}" for k in ANSWER_KINDS if k not in data.get("answer_kind", {})
    ]
    problems += [
        f"questions.toml: [visibility] has no {v}" for v in VISIBILITIES if v not in data.get("visibility", {})
    ]
    needed = ("me", "partner", "leaders_text", "leaders_counted")
    problems += [f"questions.toml: [on_form] has no {k}" for k in needed if k not in data.get("on_form", {})]
    problems += [
        f"questions.toml: [on_form] {k} is longer than {FORM_DESCRIPTION_MAX} characters"
        for k, v in data.get("on_form", {}).items()
        if len(v) > FORM_DESCRIPTION_MAX
    ]
    if problems:
        raise ValueError("\n".join(problems))
    return {name: dict(table) for name, table in data.items()}


def words(table: str, key: str, **values: object) -> str:
    text = question_words()[table][key]
    return text.format(**values) if values else text


def on_form(visibility: str, answer_kind: str) -> str:
    """The line under the question on the form, saying who will see the answer."""
    if visibility == "leaders":
        return words("on_form", "leaders_text" if answer_kind == "text" else "leaders_counted")
    return words("on_form", visibility)


def answer_choices(answer_kind: str) -> list[tuple[str, str]]:
    """(label, stored answer) for a yes/no or 1-5 question's options; none for words."""
    if answer_kind == "yesno":
        return [(words("text", "yes"), "Yes"), (words("text", "no"), "No")]
    if answer_kind == "scale":
        labels = {1: words("text", "scale_low"), 5: words("text", "scale_high")}
        return [(labels.get(n, str(n)), str(n)) for n in range(1, 6)]
    return []
