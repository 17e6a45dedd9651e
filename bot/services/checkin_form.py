"""The check-in form: its fields, and turning a submitted form into validated check-in content."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from bot.services.messages import DEFAULT_LANGUAGE, message
from bot.services.question_words import answer_choices, words
from bot.storage.models import HALT_KEYS, CheckinContent

NOTE_MAX_LENGTH = 1000  # what a fresh form takes
# What a day's note may hold: several DM replies gathered, and shown again in the form that updates the day.
NOTE_LIMIT = 4 * NOTE_MAX_LENGTH
ANSWER_MAX_LENGTH = 300
FORM_NAMESPACE = "lantern:checkin"

MOOD_FIELD = "mood"
CRAVINGS_FIELD = "cravings"
HALT_FIELD = "halt"
NOTE_FIELD = "note"


def checkin_text(lang: str, key: str, **values: object) -> str:
    """One text of the check-in form or its answer, in the member's language."""
    return message("checkin", lang, key, **{name: str(value) for name, value in values.items()})


def mood_labels(lang: str = DEFAULT_LANGUAGE) -> dict[int, str]:
    return {value: checkin_text(lang, f"mood_{value}") for value in range(1, 6)}


def craving_labels(lang: str = DEFAULT_LANGUAGE) -> dict[int, str]:
    return {value: checkin_text(lang, f"craving_{value}") for value in range(5)}


def halt_labels(lang: str = DEFAULT_LANGUAGE) -> dict[str, str]:
    return {key: checkin_text(lang, f"halt_{key}") for key in ("hungry", "angry", "lonely", "tired")}


MOOD_LABELS = mood_labels()


class FormError(ValueError):
    """A submitted form that cannot be saved; the message is shown to the member as it is."""


@dataclass(frozen=True)
class SubmittedField:
    """One answer from a modal submission: a single value, or several (checkbox groups)."""

    value: str | None = None
    values: tuple[str, ...] = ()


def collect_fields(components: Iterable[Mapping[str, Any]]) -> dict[str, SubmittedField]:
    """Flatten Discord's modal-submit components (labels, action rows) into answers by custom_id."""
    found: dict[str, SubmittedField] = {}
    for component in components:
        inner = component.get("component")
        if isinstance(inner, Mapping):
            found.update(collect_fields([inner]))
        children = component.get("components")
        if isinstance(children, list):
            found.update(collect_fields(children))
        custom_id = component.get("custom_id")
        if isinstance(custom_id, str) and (inner is None and children is None):
            raw_values = component.get("values")
            values = tuple(str(v) for v in raw_values) if isinstance(raw_values, list) else ()
            raw_value = component.get("value")
            found[custom_id] = SubmittedField(value=None if raw_value is None else str(raw_value), values=values)
    return found


def _whole_number(raw: str | None, field_key: str, low: int, high: int, lang: str) -> int:
    field = checkin_text(lang, field_key)
    if raw is None or not raw.strip():
        raise FormError(checkin_text(lang, "choose", field=field, low=low, high=high))
    try:
        number = int(raw.strip())
    except ValueError:
        raise FormError(checkin_text(lang, "unreadable", field=field, low=low, high=high)) from None
    if not low <= number <= high:
        raise FormError(checkin_text(lang, "out_of_range", field=field, low=low, high=high))
    return number


def parse_submission(
    fields: Mapping[str, SubmittedField],
    question: str | None = None,
    lang: str = DEFAULT_LANGUAGE,
    *,
    answer_kind: str = "text",
    visibility: str = "me",
) -> CheckinContent:
    """Validate a submitted check-in form. Raises FormError with a kind message; never partial content.

    `visibility` is who the member agreed may see their answer to the community's question (the one the form
    showed them, when it is still the question's)."""
    mood = _whole_number(fields.get(MOOD_FIELD, SubmittedField()).value, "field_mood", 1, 5, lang)
    cravings = _whole_number(fields.get(CRAVINGS_FIELD, SubmittedField()).value, "field_cravings", 0, 4, lang)
    halt_raw = fields.get(HALT_FIELD, SubmittedField()).values
    unknown = [h for h in halt_raw if h not in HALT_KEYS]
    if unknown:
        raise FormError(checkin_text(lang, "unknown_halt"))
    note = (fields.get(NOTE_FIELD, SubmittedField()).value or "").strip()
    if len(note) > NOTE_LIMIT:
        raise FormError(checkin_text(lang, "note_too_long", length=len(note), limit=NOTE_LIMIT))
    answers: dict[str, str] = {}
    shared: dict[str, str] = {}
    given = fields.get(QUESTION_FIELD, SubmittedField())
    answer = (given.value or (given.values[0] if given.values else "")).strip()
    if question and answer:
        choices = answer_choices(answer_kind)
        if choices and answer not in {stored for _, stored in choices}:
            raise FormError(words("text", "bad_answer", lang))
        if len(answer) > ANSWER_MAX_LENGTH:
            raise FormError(checkin_text(lang, "answer_too_long", length=len(answer), limit=ANSWER_MAX_LENGTH))
        answers[question] = answer
        if visibility != "me":
            shared[question] = visibility
    return CheckinContent(
        mood=mood, cravings=cravings, halt=frozenset(halt_raw), note=note, answers=answers, shared=shared
    )


QUESTION_FIELD = "question"
# Who the form said would see the answer to the community's question: its first letter (me, partner, leaders).
# Forms opened before this have no such part; their answers are the member's alone.
SEEN_LETTERS = {"me": "m", "partner": "p", "leaders": "l"}
FORM_ID = re.compile(
    rf"^{FORM_NAMESPACE}:(?P<community>[0-9]{{1,20}}):(?P<schedule>[0-9]{{1,12}}):(?P<nonce>[0-9a-f]{{1,32}})"
    r"(?::(?P<seen>[mpl]))?$"
)


@dataclass(frozen=True)
class FormTarget:
    """What a submitted form belongs to, read back from its custom_id (no server-side state needed)."""

    community_id: int
    schedule_id: int  # 0 when opened by /checkin with no schedule question


def form_custom_id(community_id: int, schedule_id: int, nonce: str, seen: str | None = None) -> str:
    """A namespaced custom_id unique to one opening of the form: it carries what the submission needs,
    so a form survives restarts and two members' forms never collide."""
    custom_id = f"{FORM_NAMESPACE}:{community_id}:{schedule_id}:{nonce}"
    return custom_id + f":{SEEN_LETTERS[seen]}" if seen is not None else custom_id


def seen_of(letter: str | None) -> str:
    """Who a form said would see the answer, from its custom_id; "me" for forms that said nothing."""
    return next((seen for seen, known in SEEN_LETTERS.items() if known == letter), "me")


def parse_form_custom_id(custom_id: str) -> FormTarget | None:
    match = FORM_ID.match(custom_id)
    if match is None:
        return None
    return FormTarget(int(match["community"]), int(match["schedule"]))


def is_checkin_form(custom_id: str) -> bool:
    return custom_id.startswith(FORM_NAMESPACE + ":")
