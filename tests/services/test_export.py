"""The /export files: JSON that round-trips, and CSV that spreadsheets open safely and correctly."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.services.export import CSV_COLUMNS, FORMULA_TRIGGERS, checkins_csv, export_json, neutralise_formula

BOM = b"\xef\xbb\xbf"


def _read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(BOM)
    # newline="" keeps carriage returns inside quoted cells as the member wrote them.
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def _row(**overrides: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "date": date(2026, 3, 10),
        "mood": 4,
        "cravings": 1,
        "halt": frozenset({"lonely", "tired"}),
        "note": "a quiet day",
        "answers": {"Gratitude?": "my sister"},
    }
    row.update(overrides)
    return row


def test_json_round_trips_with_iso_dates() -> None:
    payload = {
        "member": {"joined": datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC), "timezone": "Europe/Lisbon"},
        "checkins": [
            {"date": date(2026, 3, 10), "mood": 4, "note": "café ☕ día", "halt": frozenset({"tired", "angry"})}
        ],
        "tip_feedback": [],
    }
    data = export_json(payload)
    assert json.loads(data.decode("utf-8")) == {
        "member": {"joined": "2026-01-02T03:04:05+00:00", "timezone": "Europe/Lisbon"},
        "checkins": [{"date": "2026-03-10", "mood": 4, "note": "café ☕ día", "halt": ["angry", "tired"]}],
        "tip_feedback": [],
    }


def test_json_is_stable_indented_and_readable() -> None:
    first = export_json({"b": 1, "a": {"d": 2, "c": "ü"}})
    assert first == export_json({"a": {"c": "ü", "d": 2}, "b": 1})
    text = first.decode("utf-8")
    assert text.index('"a"') < text.index('"b"')
    assert '\n  "a": {\n    "c": "ü",' in text


def test_json_exports_dataclasses() -> None:
    @dataclass(frozen=True)
    class Setting:
        name: str
        since: date

    assert json.loads(export_json({"s": Setting("dm", date(2026, 1, 1))})) == {
        "s": {"name": "dm", "since": "2026-01-01"}
    }


def test_json_refuses_what_it_cannot_represent() -> None:
    with pytest.raises(TypeError, match="object"):
        export_json({"x": object()})
    with pytest.raises(ValueError):
        export_json({"x": float("nan")})


def test_csv_has_the_header_and_a_bom() -> None:
    data = checkins_csv([])
    assert data.startswith(BOM)
    assert _read_csv(data) == [list(CSV_COLUMNS)]
    assert data == BOM + b"date,mood,cravings,hungry,angry,lonely,tired,note,answers,goal_answer\r\n"


def test_csv_row_flattens_halt_and_answers() -> None:
    rows = _read_csv(checkins_csv([_row()]))
    assert rows[1] == ["2026-03-10", "4", "1", "0", "0", "1", "1", "a quiet day", '{"Gratitude?": "my sister"}', ""]


def test_csv_accepts_halt_as_separate_flags_and_leaves_none_empty() -> None:
    row = {"date": "2026-03-11", "mood": None, "cravings": None, "hungry": True, "angry": False, "note": None}
    rows = _read_csv(checkins_csv([row]))
    assert rows[1] == ["2026-03-11", "", "", "1", "0", "", "", "", "", ""]


def test_csv_shows_the_goal_answer_as_its_button_words() -> None:
    row = {"date": "2026-03-12", "goal_answer": {"measure": "days", "answer": 1, "label": "=Yes"}}
    assert _read_csv(checkins_csv([row]))[1][-1] == "'=Yes"  # a spreadsheet must not run it either


def test_csv_quotes_commas_newlines_and_quotes_in_notes() -> None:
    note = 'called my sponsor, then "walked"\nfor an hour\r\nand slept'
    data = checkins_csv([_row(note=note)])
    assert b'"called my sponsor, then ""walked""\nfor an hour\r\nand slept"' in data
    assert _read_csv(data)[1][7] == note
    assert data.endswith(b"\r\n")


def test_csv_keeps_non_ascii_notes() -> None:
    note = "Día difícil — 今日は大丈夫 🌱"
    assert _read_csv(checkins_csv([_row(note=note)]))[1][7] == note


@pytest.mark.parametrize("note", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\r=1"])
def test_csv_neutralises_formula_cells(note: str) -> None:
    cell = _read_csv(checkins_csv([_row(note=note)]))[1][7]
    assert cell == "'" + note


def test_csv_neutralises_formulas_in_answers() -> None:
    answers = "=1+1"  # answers already serialised by the caller
    assert _read_csv(checkins_csv([_row(answers=answers)]))[1][8] == "'=1+1"


def test_harmless_cells_are_left_alone() -> None:
    assert neutralise_formula("a = b") == "a = b"
    assert neutralise_formula("") == ""
    assert neutralise_formula("'quoted") == "'quoted"


@settings(max_examples=300)
@given(note=st.text(max_size=200))
def test_any_note_round_trips_through_csv_reader(note: str) -> None:
    cell = _read_csv(checkins_csv([_row(note=note)]))[1][7]
    if note.startswith(FORMULA_TRIGGERS):
        assert cell.startswith("'")
        cell = cell[1:]
    assert cell == note


@given(answers=st.dictionaries(st.text(max_size=20), st.text(max_size=40), max_size=3))
def test_answers_round_trip_as_json(answers: dict[str, str]) -> None:
    cell = _read_csv(checkins_csv([_row(answers=answers)]))[1][8]
    assert (json.loads(cell) if cell else {}) == answers
