"""The check-in form's validation: every bad submission gets a kind message and saves nothing."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.services.checkin_form import (
    FORM_ID,
    NOTE_LIMIT,
    FormError,
    SubmittedField,
    collect_fields,
    form_custom_id,
    is_checkin_form,
    parse_form_custom_id,
    parse_submission,
    seen_of,
)
from bot.services.question_words import FORM_DESCRIPTION_MAX, on_form
from bot.storage.models import HALT_KEYS


def fields(mood: str | None = "3", cravings: str | None = "0", halt: tuple[str, ...] = (), note: str = "") -> dict:
    return {
        "mood": SubmittedField(value=mood),
        "cravings": SubmittedField(value=cravings),
        "halt": SubmittedField(values=halt),
        "note": SubmittedField(value=note),
    }


def test_collect_fields_reads_labels_and_action_rows() -> None:
    components = [
        {"type": 18, "id": 1, "component": {"type": 21, "id": 2, "custom_id": "mood", "value": "4"}},
        {"type": 18, "id": 3, "component": {"type": 22, "id": 4, "custom_id": "halt", "values": ["tired"]}},
        {"type": 1, "id": 5, "components": [{"type": 4, "id": 6, "custom_id": "note", "value": "hi"}]},
        {"type": 10, "id": 7},
    ]
    found = collect_fields(components)
    assert found["mood"].value == "4"
    assert found["halt"].values == ("tired",)
    assert found["note"].value == "hi"


def test_a_valid_form_becomes_content() -> None:
    content = parse_submission(fields("5", "2", ("hungry", "tired"), "  a good day  "))
    assert (content.mood, content.cravings, content.halt, content.note) == (
        5,
        2,
        {"hungry", "tired"},
        "a good day",
    )


@pytest.mark.parametrize(
    ("mood", "cravings", "needle"),
    [
        (None, "0", "choose your mood"),
        ("0", "0", "between 1 and 5"),
        ("six", "0", "couldn't read your mood"),
        ("3", None, "choose your cravings"),
        ("3", "5", "between 0 and 4"),
    ],
)
def test_bad_numbers_are_refused_kindly(mood: str | None, cravings: str | None, needle: str) -> None:
    with pytest.raises(FormError, match=needle):
        parse_submission(fields(mood, cravings))


def test_an_unknown_halt_box_is_refused() -> None:
    with pytest.raises(FormError, match="HALT"):
        parse_submission(fields(halt=("sleepy",)))


def test_a_long_note_is_refused_with_its_length() -> None:
    """A fresh form takes 1,000 characters (Discord's client holds to it); a day's note, shown whole in the
    form that updates it, may hold up to 4,000; anything longer is refused."""
    with pytest.raises(FormError, match=f"{NOTE_LIMIT + 1} characters"):
        parse_submission(fields(note="x" * (NOTE_LIMIT + 1)))


@given(
    mood=st.one_of(st.none(), st.text(max_size=5)),
    cravings=st.one_of(st.none(), st.text(max_size=5)),
    halt=st.lists(st.text(max_size=8), max_size=5),
    note=st.text(max_size=NOTE_LIMIT + 200),
)
def test_any_submission_is_either_valid_content_or_a_kind_error(
    mood: str | None, cravings: str | None, halt: list[str], note: str
) -> None:
    try:
        content = parse_submission(fields(mood, cravings, tuple(halt), note))
    except FormError as problem:
        message = str(problem)
        assert message and "failed" not in message.lower() and "Traceback" not in message
        return
    assert 1 <= content.mood <= 5
    assert 0 <= content.cravings <= 4
    assert content.halt <= set(HALT_KEYS)
    assert len(content.note) <= NOTE_LIMIT


@given(
    st.integers(min_value=0, max_value=2**63 - 1),
    st.integers(min_value=0, max_value=10**12 - 1),
    st.text(alphabet="abcdef0123456789", min_size=1, max_size=16),
)
def test_form_ids_carry_what_the_submission_needs(community: int, schedule: int, nonce: str) -> None:
    custom_id = form_custom_id(community, schedule, nonce)
    assert is_checkin_form(custom_id)
    assert len(custom_id) <= 100  # Discord's limit
    target = parse_form_custom_id(custom_id)
    assert target is not None
    assert (target.community_id, target.schedule_id) == (community, schedule)
    assert not is_checkin_form("other:" + nonce)


@pytest.mark.parametrize("bad", ["lantern:checkin:abc:1:ff", "lantern:checkin:1:2", "lantern:checkin:1:2:xyz!", ""])
def test_malformed_form_ids_are_not_read(bad: str) -> None:
    assert parse_form_custom_id(bad) is None


def test_the_communitys_question_is_kept_with_its_answer() -> None:
    answers = {**fields(), "question": SubmittedField(value="  my sister  ")}
    content = parse_submission(answers, question="Who did you talk to today?")
    assert content.answers == {"Who did you talk to today?": "my sister"}
    assert parse_submission(answers).answers == {}


@given(
    st.integers(min_value=0, max_value=2**63 - 1),
    st.integers(min_value=0, max_value=10**12 - 1),
    st.text(alphabet="abcdef0123456789", min_size=16, max_size=16),
    st.sampled_from(["me", "partner", "leaders"]),
)
def test_form_ids_carry_who_the_form_said_would_see_the_answer(
    community: int, schedule: int, nonce: str, seen: str
) -> None:
    custom_id = form_custom_id(community, schedule, nonce, seen)
    assert len(custom_id) <= 100
    match = FORM_ID.fullmatch(custom_id)
    assert match is not None and seen_of(match["seen"]) == seen
    older = FORM_ID.fullmatch(form_custom_id(community, schedule, nonce))
    assert older is not None and seen_of(older["seen"]) == "me"  # forms from before said nothing: only me


def test_an_answer_is_shared_only_as_the_caller_says_the_member_agreed() -> None:
    given = {**fields(), "question": SubmittedField(value="Yes")}
    assert parse_submission(given, "Meeting?", answer_kind="yesno").shared == {}
    shared = parse_submission(given, "Meeting?", answer_kind="yesno", visibility="leaders")
    assert shared.answers == {"Meeting?": "Yes"} and shared.shared == {"Meeting?": "leaders"}
    unanswered = parse_submission(fields(), "Meeting?", answer_kind="yesno", visibility="partner")
    assert unanswered.answers == {} and unanswered.shared == {}


@pytest.mark.parametrize(("kind", "value"), [("yesno", "Maybe"), ("yesno", "yes"), ("scale", "6"), ("scale", "0")])
def test_a_one_tap_answer_must_be_one_of_its_choices(kind: str, value: str) -> None:
    with pytest.raises(FormError, match="one of the choices"):
        parse_submission({**fields(), "question": SubmittedField(values=(value,))}, "Q?", answer_kind=kind)


def test_every_line_under_a_question_fits_a_form_description() -> None:
    for seen in ("me", "partner", "leaders"):
        for kind in ("text", "yesno", "scale"):
            for language in ("en", "es"):
                assert 0 < len(on_form(seen, kind, language)) <= FORM_DESCRIPTION_MAX
    assert "never your words" in on_form("leaders", "text")
