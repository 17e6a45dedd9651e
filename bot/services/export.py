"""The /export files: all of a member's data as JSON, and their check-ins as a spreadsheet-safe CSV."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, time
from typing import Any

HALT_COLUMNS: tuple[str, ...] = ("hungry", "angry", "lonely", "tired")
CSV_COLUMNS: tuple[str, ...] = ("date", "mood", "cravings", *HALT_COLUMNS, "note", "answers", "goal_answer")
# Spreadsheet apps treat a cell starting with any of these as a formula (tab and CR via some
# import paths); a member's note could carry one, and opening the export would run it.
FORMULA_TRIGGERS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
FORMULA_GUARD = "'"


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, set | frozenset):
        # Sets have no order; sorting keeps the same data giving the same file.
        return sorted(value, key=str)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    raise TypeError(f"cannot export a {type(value).__name__} as JSON")


def export_json(payload: Mapping[str, Any]) -> bytes:
    """UTF-8 JSON, indented and with sorted keys so the same data always gives the same file."""
    text = json.dumps(
        payload,
        indent=2,
        sort_keys=True,
        ensure_ascii=False,  # members read their notes in the file as they wrote them
        allow_nan=False,  # NaN is not JSON; other tools would refuse the whole file
        default=_json_default,
    )
    return (text + "\n").encode("utf-8")


def neutralise_formula(cell: str) -> str:
    """The cell with a leading quote when a spreadsheet would otherwise run it as a formula."""
    return FORMULA_GUARD + cell if cell.startswith(FORMULA_TRIGGERS) else cell


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value)


def _halt_cells(row: Mapping[str, Any]) -> list[str]:
    # Check-ins carry HALT as a set of ticked keys; rows already flattened carry one flag per key.
    if "halt" in row:
        halt = row["halt"]
        if halt is None:
            return [""] * len(HALT_COLUMNS)
        if isinstance(halt, Mapping):
            ticked = {str(key) for key, on in halt.items() if on}
        else:
            ticked = {str(key) for key in halt} if isinstance(halt, Iterable) else set()
        return ["1" if key in ticked else "0" for key in HALT_COLUMNS]
    return [_cell(None if row.get(key) is None else bool(row[key])) for key in HALT_COLUMNS]


def _answers_cell(answers: Any) -> str:
    if not answers:
        return ""
    if isinstance(answers, str):
        return answers
    return json.dumps(answers, ensure_ascii=False, sort_keys=True, default=_json_default)


def _goal_cell(goal_answer: Any) -> str:
    """The day's answer to the member's goal question, as the words of the button they pressed."""
    if isinstance(goal_answer, Mapping):
        return _cell(goal_answer.get("label", goal_answer.get("answer")))
    return _cell(goal_answer)


def checkins_csv(rows: Sequence[Mapping[str, Any]]) -> bytes:
    """Check-ins as RFC 4180 CSV, one row per check-in, UTF-8 with a byte-order mark.

    The BOM is what makes Excel read the file as UTF-8 rather than the system code page, which
    would garble any note not in plain ASCII.
    """
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        cells = [
            _cell(row.get("date")),
            _cell(row.get("mood")),
            _cell(row.get("cravings")),
            *_halt_cells(row),
            _cell(row.get("note")),
            _answers_cell(row.get("answers")),
            _goal_cell(row.get("goal_answer")),
        ]
        writer.writerow([neutralise_formula(cell) for cell in cells])
    return buffer.getvalue().encode("utf-8-sig")
