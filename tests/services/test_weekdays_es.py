"""Days of the week typed in Spanish: names with or without accents, groups, ranges, and kind refusals."""

from __future__ import annotations

import pytest

from bot.services.timeparse import WeekdaysError, format_weekdays, parse_weekdays

WEEKDAYS = frozenset(range(5))
EVERY_DAY = frozenset(range(7))


@pytest.mark.parametrize(
    ("typed", "days"),
    [
        ("lun,mié,vie", {0, 2, 4}),
        ("lun, mie, vie", {0, 2, 4}),
        ("Lunes, Miércoles y Viernes", {0, 2, 4}),
        ("martes y jueves", {1, 3}),
        ("los lunes", {0}),
        ("sábado", {5}),
        ("sabados y domingos", {5, 6}),
        ("a diario", EVERY_DAY),
        ("diario", EVERY_DAY),
        ("todos los días", EVERY_DAY),
        ("cada dia", EVERY_DAY),
        ("entre semana", WEEKDAYS),
        ("días laborables", WEEKDAYS),
        ("de lunes a viernes", WEEKDAYS),
        ("lun-vie", WEEKDAYS),
        ("lun a jue", {0, 1, 2, 3}),
        ("vie a lun", {4, 5, 6, 0}),
        ("fines de semana", {5, 6}),
        ("el fin de semana", {5, 6}),
        ("entre semana, sáb", {0, 1, 2, 3, 4, 5}),
        ("mon, mié", {0, 2}),
    ],
)
def test_spanish_day_words_are_read(typed: str, days: set[int]) -> None:
    assert parse_weekdays(typed) == frozenset(days)


@pytest.mark.parametrize(
    ("typed", "days"),
    [
        ("daily", EVERY_DAY),
        ("every day", EVERY_DAY),
        ("weekdays", WEEKDAYS),
        ("mon to fri", WEEKDAYS),
        ("mon,wed,fri", {0, 2, 4}),
        ("tues and thurs", {1, 3}),
        ("fri-mon", {4, 5, 6, 0}),
        ("weekends, wed", {2, 5, 6}),
    ],
)
def test_english_day_words_read_as_before(typed: str, days: set[int]) -> None:
    assert parse_weekdays(typed) == frozenset(days)


def test_days_are_shown_back_in_the_leaders_language() -> None:
    assert format_weekdays(EVERY_DAY, "es") == "todos los días"
    assert format_weekdays(WEEKDAYS, "es") == "entre semana"
    assert format_weekdays({5, 6}, "es") == "los fines de semana"
    assert format_weekdays({0, 2, 5}, "es") == "lun, mié, sáb"
    assert format_weekdays({0, 2, 5}) == "Mon, Wed, Sat"
    assert format_weekdays(EVERY_DAY) == "every day"


@pytest.mark.parametrize("typed", ["lunez", "de", "fin", "semana", "lun-", "lunes a"])
def test_unknown_spanish_words_are_refused_in_both_languages(typed: str) -> None:
    with pytest.raises(WeekdaysError) as refused:
        parse_weekdays(typed)
    assert refused.value.words("es").startswith(("No conozco el día", "Elige al menos un día"))
    assert refused.value.message.startswith(("I don't know the day", "Pick at least one day"))
