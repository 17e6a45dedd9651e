"""Lantern's TOML data files: reading them, and saying each problem pydantic finds with its file, entry and field."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from importlib.resources.abc import Traversable
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, ValidationError, ValidatorFunctionWrapHandler, model_validator
from pydantic_core import ErrorDetails, InitErrorDetails

__all__ = ["Entry", "Place", "describe_errors", "read_toml", "type_name"]


def type_name(value: object) -> str:
    """What a TOML value is, in words a person editing the file would use."""
    names = {
        str: "text",
        int: "a whole number",
        float: "a decimal number",
        bool: "true/false",
        list: "a list",
        dict: "a table",
    }
    return names.get(type(value), type(value).__name__)


def read_toml(source: Traversable, where: str, error: type[ValueError]) -> dict[str, Any]:
    """The parsed file; a file that can't be read or isn't TOML raises `error` naming it."""
    try:
        return tomllib.loads(source.read_text(encoding="utf-8"))
    except OSError as exc:
        raise error(f"{where}: can't read the file ({exc.strerror or exc})") from exc
    except UnicodeDecodeError as exc:
        raise error(f"{where}: is not UTF-8 text ({exc.reason})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise error(f"{where}: is not valid TOML ({exc})") from exc


def _again(error: ErrorDetails) -> InitErrorDetails:
    details: InitErrorDetails = {"type": error["type"], "loc": error["loc"], "input": error["input"]}
    if "ctx" in error:
        details["ctx"] = error["ctx"]
    return details


class Entry(BaseModel):
    """An entry of a data file: exact types (TOML has them), no unknown fields, text trimmed.

    `rules` are checks across the entry's fields. They run on the raw table even when a field is wrong,
    so that one run reports every problem rather than the first layer of them.
    """

    model_config = ConfigDict(strict=True, extra="forbid", str_strip_whitespace=True, frozen=True)

    # What the entry is called in "should be a table with ..." when it is not a table at all.
    table_hint: ClassVar[str] = ""

    @classmethod
    def rules(cls, raw: dict[str, Any]) -> list[str]:
        """Problems with the entry as a whole (e.g. "needs a phone, text or url"), each a full sentence."""
        return []

    @model_validator(mode="wrap")
    @classmethod
    def _with_rules(cls, raw: Any, handler: ValidatorFunctionWrapHandler) -> Any:
        problems: list[InitErrorDetails] = []
        entry = None
        try:
            entry = handler(raw)
        except ValidationError as error:
            problems = [_again(e) for e in error.errors()]
        if isinstance(raw, dict):
            problems += [
                {"type": "value_error", "loc": (), "input": raw, "ctx": {"error": ValueError(problem)}}
                for problem in cls.rules(raw)
            ]
        if problems:
            raise ValidationError.from_exception_data(cls.__name__, problems)
        return entry


# Where an error sits: the entry's label ("" for the file itself), the field inside it (None for the
# entry as a whole; "[key]" for the table key that names the entry), and the entry's model.
Place = tuple[str, str | None, type[Entry]]


def _field_problem(field: str, model: type[Entry], error: ErrorDetails) -> str:
    kind, value, ctx = error["type"], error["input"], error.get("ctx", {})
    if kind == "value_error":
        text = str(ctx.get("error", error["msg"]))
        return text if field == "[key]" else f"{field} {text}"
    if kind == "missing":
        return f'missing "{field}"'
    if kind == "extra_forbidden":
        return f'unknown field "{field}"; the fields are {", ".join(sorted(model.model_fields))}'
    expected = {
        "string_type": "text",
        "int_type": "a whole number",
        "bool_type": "true or false",
        "list_type": "a list",
        "dict_type": "a table",
        "model_type": "a table",
    }
    if kind in expected:
        return f"{field} should be {expected[kind]}, not {type_name(value)}"
    if kind == "string_too_short":
        length = len(value.strip()) if isinstance(value, str) else 0
        least = ctx.get("min_length")
        return f"{field} is empty" if least == 1 else f"{field} is {length} characters; the least is {least}"
    if kind == "string_too_long":
        length = len(value.strip()) if isinstance(value, str) else 0
        return f"{field} is {length} characters; the most is {ctx.get('max_length')}"
    if kind == "too_short":
        least = ctx.get("min_length")
        if least == 1:
            return f"{field} is empty; list at least one"
        return f"{field} has {ctx.get('actual_length')}; list at least {least}"
    if kind == "greater_than_equal":
        return f"{field} is {value}; the least is {ctx.get('ge')}"
    if kind == "less_than_equal":
        return f"{field} is {value}; the most is {ctx.get('le')}"
    if kind == "literal_error":
        return f"{field} is {value!r}; use one of {ctx.get('expected')}"
    return f"{field}: {error['msg']}"


def _entry_problem(model: type[Entry], error: ErrorDetails) -> str:
    if error["type"] == "value_error":
        return str(error.get("ctx", {}).get("error", error["msg"]))
    if error["type"] == "model_type":
        return f"should be {model.table_hint or 'a table'}, not {type_name(error['input'])}"
    return str(error["msg"])


def describe_errors(
    error: ValidationError,
    where: str,
    place: Callable[[tuple[int | str, ...]], Place],
    top_level: Callable[[ErrorDetails], str | None] = lambda _: None,
) -> list[str]:
    """One line per problem: "file: entry: what is wrong with which field".

    `place` names the entry an error's location points into; `top_level` may word problems with the
    file's own tables (a missing [situations], say) better than the generic sentences do.
    """
    lines: list[str] = []
    for found in error.errors():
        special = top_level(found)
        if special is None and not found["loc"]:
            special = _entry_problem(Entry, found)  # a rule across the whole file
        if special is not None:
            lines.append(f"{where}: {special}")
            continue
        label, field, model = place(found["loc"])
        problem = _entry_problem(model, found) if field is None else _field_problem(field, model, found)
        lines.append(f"{where}: {label}: {problem}" if label else f"{where}: {problem}")
    return lines
