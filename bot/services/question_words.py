"""What a community's own question says about itself: its kind of answer and who sees it, in each language."""

from __future__ import annotations

from bot.services.messages import DEFAULT_LANGUAGE, message

FORM_DESCRIPTION_MAX = 100  # Discord's limit on a form label's description


def words(table: str, key: str, language: str = DEFAULT_LANGUAGE, **values: object) -> str:
    """One text of bot/data/messages/questions.toml: `table` is answer_kind, visibility, on_form or text."""
    name = key if table == "text" else f"{table}_{key}"
    return message("questions", language, name, **{field: str(value) for field, value in values.items()})


def on_form(visibility: str, answer_kind: str, language: str = DEFAULT_LANGUAGE) -> str:
    """The line under the question on the form, saying who will see the answer."""
    if visibility == "leaders":
        return words("on_form", "leaders_text" if answer_kind == "text" else "leaders_counted", language)
    return words("on_form", visibility, language)


def answer_choices(answer_kind: str, language: str = DEFAULT_LANGUAGE) -> list[tuple[str, str]]:
    """(label, stored answer) for a yes/no or 1-5 question's options; none for words. The stored answer is
    the same in every language."""
    if answer_kind == "yesno":
        return [(words("text", "yes", language), "Yes"), (words("text", "no", language), "No")]
    if answer_kind == "scale":
        labels = {1: words("text", "scale_low", language), 5: words("text", "scale_high", language)}
        return [(labels.get(n, str(n)), str(n)) for n in range(1, 6)]
    return []
