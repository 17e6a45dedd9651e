"""The check-in form: its fields, and turning a submitted form into validated check-in content."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

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

MOOD_LABELS = {
    1: "1 · Really struggling",
    2: "2 · Having a hard time",
    3: "3 · Getting by",
    4: "4 · Doing okay",
    5: "5 · Doing well",
}
CRAVING_LABELS = {0: "None", 1: "Mild", 2: "Moderate", 3: "Strong", 4: "Overwhelming"}
HALT_LABELS = {"hungry": "Hungry", "angry": "Angry", "lonely": "Lonely", "tired": "Tired"}


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


def _whole_number(raw: str | None, field_name: str, low: int, high: int) -> int:
    if raw is None or not raw.strip():
        raise FormError(f"Please choose your {field_name} ({low} to {high}) and send the form again.")
    try:
        number = int(raw.strip())
    except ValueError:
        raise FormError(
            f"I couldn't read your {field_name}. Please pick one of the options ({low} to {high})."
        ) from None
    if not low <= number <= high:
        raise FormError(f"Your {field_name} should be between {low} and {high}. Please pick one of the options.")
    return number


def parse_submission(
    fields: Mapping[str, SubmittedField],
    question: str | None = None,
    *,
    answer_kind: str = "text",
    visibility: str = "me",
) -> CheckinContent:
    """Validate a submitted check-in form. Raises FormError with a kind message; never partial content.

    `visibility` is who the member agreed may see their answer to the community's question (the one the form
    showed them, when it is still the question's)."""
    mood = _whole_number(fields.get(MOOD_FIELD, SubmittedField()).value, "mood", 1, 5)
    cravings = _whole_number(fields.get(CRAVINGS_FIELD, SubmittedField()).value, "cravings", 0, 4)
    halt_raw = fields.get(HALT_FIELD, SubmittedField()).values
    unknown = [h for h in halt_raw if h not in HALT_KEYS]
    if unknown:
        raise FormError("One of the HALT boxes wasn't one I know. Please open the form again and tick the boxes.")
    note = (fields.get(NOTE_FIELD, SubmittedField()).value or "").strip()
    if len(note) > NOTE_LIMIT:
        raise FormError(
            f"Your note is {len(note)} characters; I can keep up to {NOTE_LIMIT}. Please shorten it and send it again."
        )
    answers: dict[str, str] = {}
    shared: dict[str, str] = {}
    given = fields.get(QUESTION_FIELD, SubmittedField())
    answer = (given.value or (given.values[0] if given.values else "")).strip()
    if question and answer:
        choices = answer_choices(answer_kind)
        if choices and answer not in {stored for _, stored in choices}:
            raise FormError(words("text", "bad_answer"))
        if len(answer) > ANSWER_MAX_LENGTH:
            raise FormError(f"Your answer is {len(answer)} characters; I can keep up to {ANSWER_MAX_LENGTH}.")
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
