"""CheckinContent validation, JSON form and privacy of its repr."""

from __future__ import annotations

import json

import pytest

from bot.storage import HALT_KEYS, CheckinContent


def test_json_is_compact_sorted_and_round_trips() -> None:
    content = CheckinContent(
        mood=2, cravings=3, halt=frozenset({"tired", "angry"}), note="long day", answers={"q": "a"}
    )
    data = content.to_json()
    assert data == (b'{"answers":{"q":"a"},"cravings":3,"halt":["angry","tired"],"mood":2,"note":"long day"}')
    assert CheckinContent.from_json(data) == content


def test_defaults_and_missing_optional_fields() -> None:
    content = CheckinContent.from_json(json.dumps({"mood": 5, "cravings": 0, "halt": []}).encode())
    assert content == CheckinContent(mood=5, cravings=0, halt=frozenset())
    assert content.note == ""
    assert content.answers == {}


def test_halt_accepts_any_iterable_and_is_frozen() -> None:
    content = CheckinContent(mood=3, cravings=1, halt={"lonely"})  # type: ignore[arg-type]
    assert content.halt == frozenset({"lonely"})
    assert isinstance(content.halt, frozenset)


def test_answers_are_copied() -> None:
    answers = {"q": "a"}
    content = CheckinContent(mood=3, cravings=1, halt=frozenset(), answers=answers)
    answers["q"] = "changed"
    assert content.answers == {"q": "a"}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"mood": 0}, "mood"),
        ({"mood": 6}, "mood"),
        ({"mood": True}, "mood"),
        ({"mood": 2.0}, "mood"),
        ({"cravings": -1}, "cravings"),
        ({"cravings": 5}, "cravings"),
        ({"halt": frozenset({"sad"})}, "HALT"),
        ({"halt": "hungry"}, "halt"),
        ({"note": None}, "note"),
        ({"answers": {"q": 1}}, "answers"),
        ({"answers": ["q"]}, "answers"),
    ],
)
def test_invalid_content_is_rejected(kwargs: dict[str, object], message: str) -> None:
    fields: dict[str, object] = {"mood": 3, "cravings": 1, "halt": frozenset(), **kwargs}
    with pytest.raises(ValueError, match=message):
        CheckinContent(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "data", [b"not json", b"[]", b'{"mood": 3}', b"\xff\xfe", b'{"mood":3,"cravings":1,"halt":"x"}']
)
def test_from_json_rejects_garbage(data: bytes) -> None:
    with pytest.raises(ValueError):
        CheckinContent.from_json(data)


def test_repr_hides_private_content() -> None:
    content = CheckinContent(mood=1, cravings=4, halt=frozenset(HALT_KEYS), note="canary-repr")
    assert "canary-repr" not in repr(content)
    assert "mood" not in repr(content)
