"""Reading times, timezones, weekdays and pause lengths as people type them, and the kind errors."""

from __future__ import annotations

import unicodedata
import zoneinfo
from datetime import date, time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.errors import UserFacingError
from bot.services.timeparse import (
    MAX_AUTOCOMPLETE_CHOICES,
    DateParseError,
    PauseError,
    TimeParseError,
    TimezoneError,
    WeekdaysError,
    format_time_of_day,
    format_weekdays,
    parse_date,
    parse_pause_days,
    parse_time_of_day,
    parse_timezone,
    parse_weekdays,
    timezone_choices,
)

# --- times of day -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("21:00", time(21, 0)),
        ("9:00", time(9, 0)),
        ("09:30", time(9, 30)),
        ("00:00", time(0, 0)),
        ("23:59", time(23, 59)),
        ("21.30", time(21, 30)),
        ("21h30", time(21, 30)),
        ("21h", time(21, 0)),
        ("9pm", time(21, 0)),
        ("9 pm", time(21, 0)),
        ("9PM", time(21, 0)),
        ("9:30 am", time(9, 30)),
        ("9.30pm", time(21, 30)),
        ("9 p.m.", time(21, 0)),
        ("9a.m.", time(9, 0)),
        ("12am", time(0, 0)),
        ("12:15 am", time(0, 15)),
        ("12pm", time(12, 0)),
        ("12:45pm", time(12, 45)),
        ("noon", time(12, 0)),
        ("Midday", time(12, 0)),
        ("MIDNIGHT", time(0, 0)),
        ("2130", time(21, 30)),
        ("0930", time(9, 30)),
        ("930", time(9, 30)),
        ("930pm", time(21, 30)),
        ("  21:00  ", time(21, 0)),
        ("\t9 Pm\n", time(21, 0)),
        ("２１：００", time(21, 0)),
    ],
)
def test_reads_the_times_people_type(typed: str, expected: time) -> None:
    assert parse_time_of_day(typed) == expected


@pytest.mark.parametrize(
    "typed",
    [
        "25:99",
        "13pm",
        "0am",
        "00:30am",
        "",
        "   ",
        "9:60",
        "24:00",
        "9",
        "21",
        "9:5",
        "9:30:00",
        "2460",
        "12345",
        "pm",
        "nine pm",
        "9pm tomorrow",
        "noonish",
        "-9:00",
        "9::00",
    ],
)
def test_refuses_what_is_not_a_time_of_day(typed: str) -> None:
    with pytest.raises(TimeParseError):
        parse_time_of_day(typed)


def test_time_error_quotes_the_input_kindly() -> None:
    with pytest.raises(TimeParseError) as caught:
        parse_time_of_day("25:99")
    assert str(caught.value) == 'I couldn\'t read "25:99" as a time. Try something like 21:00 or 9pm.'


def test_time_error_is_shown_to_the_member_as_it_is() -> None:
    with pytest.raises(UserFacingError) as caught:
        parse_time_of_day("soon")
    assert caught.value.message == str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_time_error_shortens_long_input_to_one_line() -> None:
    with pytest.raises(TimeParseError) as caught:
        parse_time_of_day("at nine\nin the evening, " + "please " * 20)
    quoted = str(caught.value).split('"')[1]
    assert len(quoted) == 30
    assert quoted.endswith("…")
    assert "\n" not in str(caught.value)


def test_format_time_of_day_is_24_hour() -> None:
    assert format_time_of_day(time(9, 5)) == "09:05"
    assert format_time_of_day(time(21, 0)) == "21:00"


@st.composite
def typed_times(draw: st.DrawFn) -> tuple[str, time]:
    """A time of day and one of the ways a person could type it."""
    hour = draw(st.integers(0, 23))
    minute = draw(st.integers(0, 59))
    twelve_hour = hour % 12 or 12
    meridiem = "am" if hour < 12 else "pm"
    meridiem_spelling = draw(st.sampled_from([meridiem, meridiem.upper(), f"{meridiem[0]}.m.", meridiem.title()]))
    space = draw(st.sampled_from(["", " "]))
    forms = [
        f"{hour}:{minute:02d}",
        f"{hour:02d}:{minute:02d}",
        f"{hour}.{minute:02d}",
        f"{hour}h{minute:02d}",
        f"{hour:02d}{minute:02d}",
        f"{twelve_hour}:{minute:02d}{space}{meridiem_spelling}",
        f"{twelve_hour}.{minute:02d}{space}{meridiem_spelling}",
    ]
    if minute == 0:
        forms += [f"{twelve_hour}{space}{meridiem_spelling}", f"{hour}h"]
    if hour < 10:
        forms.append(f"{hour}{minute:02d}")
    text = draw(st.sampled_from(forms))
    padding = st.sampled_from(["", " ", "  ", "\t"])
    return draw(padding) + text + draw(padding), time(hour, minute)


@given(typed_times())
def test_every_valid_form_reads_as_the_right_time(case: tuple[str, time]) -> None:
    text, expected = case
    assert parse_time_of_day(text) == expected


@given(st.one_of(st.text(), st.text(alphabet="0123456789:. apmhAPM", max_size=10)))
def test_garbage_never_raises_anything_but_a_time_error(text: str) -> None:
    try:
        parsed = parse_time_of_day(text)
    except TimeParseError as error:
        assert str(error).startswith("I couldn't read ")
        assert len(str(error)) < 120
    else:
        assert isinstance(parsed, time)


# --- timezones ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("Europe/London", "Europe/London"),
        ("europe/london", "Europe/London"),
        ("  AMERICA/CHICAGO ", "America/Chicago"),
        ("america/new york", "America/New_York"),
        ("UTC", "UTC"),
        ("utc", "UTC"),
        ("Pacific/Auckland", "Pacific/Auckland"),
        ("US/Eastern", "US/Eastern"),
    ],
)
def test_timezone_names_are_read_in_any_case(typed: str, canonical: str) -> None:
    assert parse_timezone(typed) == canonical


@pytest.mark.parametrize("typed", ["Mars/Olympus", "", "London", "localtime", "Factory", "Europe/"])
def test_unknown_timezones_are_refused(typed: str) -> None:
    with pytest.raises(TimezoneError):
        parse_timezone(typed)


def test_timezone_error_points_to_the_autocomplete() -> None:
    with pytest.raises(TimezoneError) as caught:
        parse_timezone("Mars/Olympus")
    assert str(caught.value) == (
        'I don\'t know the timezone "Mars/Olympus". Start typing a city, like Europe/London or '
        "America/Chicago, and pick from the list."
    )
    assert isinstance(caught.value, ValueError)
    assert isinstance(caught.value, UserFacingError)


def test_every_iana_name_is_accepted_in_upper_case() -> None:
    for name in zoneinfo.available_timezones() - {"localtime", "Factory"}:
        assert parse_timezone(name.upper()) == name


def test_autocomplete_puts_the_city_first() -> None:
    assert timezone_choices("london")[0] == "Europe/London"
    assert timezone_choices("lon")[0] == "Europe/London"
    assert timezone_choices("new york") == ["America/New_York"]
    assert timezone_choices("New_York") == ["America/New_York"]
    assert timezone_choices("utc") == ["UTC"]
    assert timezone_choices("syd") == ["Australia/Sydney"]


def test_autocomplete_orders_city_prefix_then_name_prefix_then_contains() -> None:
    choices = timezone_choices("am")
    city_prefix = [name for name in choices if name.rsplit("/", 1)[-1].lower().startswith("am")]
    assert choices[: len(city_prefix)] == city_prefix
    assert city_prefix
    after_cities = choices[len(city_prefix) :]
    assert all(name.lower().startswith("am") for name in after_cities)

    choices = timezone_choices("europe/l")
    assert choices == ["Europe/Lisbon", "Europe/London", "Europe/Ljubljana", "Europe/Luxembourg"]

    choices = timezone_choices("york")
    assert choices == ["America/New_York"]


def test_autocomplete_offers_only_canonical_names() -> None:
    assert timezone_choices("eastern") == []
    assert timezone_choices("calcutta") == []
    assert timezone_choices("kolkata") == ["Asia/Kolkata"]
    assert "Europe/Kyiv" in timezone_choices("ky")
    assert "Europe/Kiev" not in timezone_choices("ki")


def test_autocomplete_with_nothing_typed_starts_with_utc() -> None:
    choices = timezone_choices("")
    assert choices[0] == "UTC"
    assert len(choices) == MAX_AUTOCOMPLETE_CHOICES


def test_autocomplete_limit_is_honoured_and_capped_at_discords_25() -> None:
    assert len(timezone_choices("a", limit=5)) == 5
    assert len(timezone_choices("a", limit=100)) == MAX_AUTOCOMPLETE_CHOICES
    assert timezone_choices("a", limit=0) == []


def test_autocomplete_with_nothing_matching_is_empty() -> None:
    assert timezone_choices("Mars/Olympus") == []


_PIECES_OF_NAMES = st.sampled_from(["new", "york", "eur", "America/", "paci", "los an", "UTC", "/", "_", "a"])


@given(st.one_of(st.text(max_size=12), _PIECES_OF_NAMES))
def test_autocomplete_never_offers_more_than_25_and_all_of_them_parse(partial: str) -> None:
    choices = timezone_choices(partial)
    assert len(choices) <= MAX_AUTOCOMPLETE_CHOICES
    assert len(set(choices)) == len(choices)
    normalized = unicodedata.normalize("NFKC", partial).strip().lower()
    needle = "/".join("_".join(part.split()) for part in normalized.split("/"))
    for name in choices:
        assert parse_timezone(name) == name
        assert needle in name.lower()


# --- days of the week ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "days"),
    [
        ("daily", {0, 1, 2, 3, 4, 5, 6}),
        ("every day", {0, 1, 2, 3, 4, 5, 6}),
        ("Every  Day", {0, 1, 2, 3, 4, 5, 6}),
        ("weekdays", {0, 1, 2, 3, 4}),
        ("weekends", {5, 6}),
        ("mon,wed,fri", {0, 2, 4}),
        ("Mon Wed Fri", {0, 2, 4}),
        ("mon, wed and fri", {0, 2, 4}),
        ("monday-friday", {0, 1, 2, 3, 4}),
        ("Monday - Friday", {0, 1, 2, 3, 4}),
        ("mon to fri", {0, 1, 2, 3, 4}),
        ("mon–fri", {0, 1, 2, 3, 4}),
        ("tue-thu", {1, 2, 3}),
        ("fri-mon", {4, 5, 6, 0}),
        ("SUNDAY", {6}),
        ("Tues, Thurs", {1, 3}),
        ("mondays", {0}),
        ("weekends, wed", {2, 5, 6}),
        ("mon mon mon", {0}),
    ],
)
def test_reads_days_of_the_week(typed: str, days: set[int]) -> None:
    assert parse_weekdays(typed) == frozenset(days)


@pytest.mark.parametrize("typed", ["", "   ", ",", " , ; "])
def test_no_days_at_all_asks_for_one(typed: str) -> None:
    with pytest.raises(WeekdaysError) as caught:
        parse_weekdays(typed)
    assert str(caught.value) == 'Pick at least one day, like "weekdays" or "mon,wed,fri".'


@pytest.mark.parametrize(("typed", "unknown"), [("funday", "funday"), ("mon, funday", "funday"), ("mon-", "mon-")])
def test_unknown_day_is_named_in_the_error(typed: str, unknown: str) -> None:
    with pytest.raises(WeekdaysError) as caught:
        parse_weekdays(typed)
    assert str(caught.value).startswith(f'I don\'t know the day "{unknown}". ')


@pytest.mark.parametrize(
    ("days", "shown"),
    [
        ({0, 1, 2, 3, 4, 5, 6}, "every day"),
        ({0, 1, 2, 3, 4}, "weekdays"),
        ({5, 6}, "weekends"),
        ({0, 2, 4}, "Mon, Wed, Fri"),
        ({6, 0}, "Mon, Sun"),
        ({3}, "Thu"),
    ],
)
def test_formats_days_of_the_week(days: set[int], shown: str) -> None:
    assert format_weekdays(frozenset(days)) == shown


def test_format_refuses_numbers_that_are_not_days() -> None:
    with pytest.raises(ValueError):
        format_weekdays({7})


@given(st.frozensets(st.integers(0, 6), min_size=1))
def test_formatted_days_read_back_the_same(days: frozenset[int]) -> None:
    assert parse_weekdays(format_weekdays(days)) == days


_NAME_SPELLINGS = [
    ["monday", "mon"],
    ["tuesday", "tue", "tues"],
    ["wednesday", "wed"],
    ["thursday", "thu", "thurs"],
    ["friday", "fri"],
    ["saturday", "sat"],
    ["sunday", "sun"],
]


@given(st.data(), st.lists(st.integers(0, 6), min_size=1, max_size=7))
def test_any_spelling_case_and_separator_of_day_names_reads(data: st.DataObject, days: list[int]) -> None:
    words = [data.draw(st.sampled_from(_NAME_SPELLINGS[day])) for day in days]
    words = [data.draw(st.sampled_from([word, word.upper(), word.title()])) for word in words]
    separator = data.draw(st.sampled_from([",", ", ", " ", " and ", ";", " / "]))
    assert parse_weekdays(separator.join(words)) == frozenset(days)


@given(st.text(max_size=20))
def test_weekday_garbage_raises_only_weekday_errors(text: str) -> None:
    try:
        days = parse_weekdays(text)
    except WeekdaysError:
        pass
    else:
        assert days
        assert days <= frozenset(range(7))


# --- pauses -------------------------------------------------------------------------------------


@pytest.mark.parametrize("days", [1, 7, 90])
def test_pause_lengths_in_range_are_kept(days: int) -> None:
    assert parse_pause_days(days) == days


@pytest.mark.parametrize("days", [0, -1, 91, 400])
def test_pause_lengths_out_of_range_name_the_range(days: int) -> None:
    with pytest.raises(PauseError) as caught:
        parse_pause_days(days)
    assert "1 to 90 days" in str(caught.value)
    assert isinstance(caught.value, ValueError)


# --- dates in Spanish ----------------------------------------------------------------------------

SOME_TODAY = date(2026, 3, 10)


@pytest.mark.parametrize(
    ("typed", "future", "expected"),
    [
        ("hoy", False, date(2026, 3, 10)),
        ("Ayer", False, date(2026, 3, 9)),
        ("anteayer", False, date(2026, 3, 8)),
        ("mañana", True, date(2026, 3, 11)),
        ("manana", True, date(2026, 3, 11)),
        ("hace 3 días", False, date(2026, 3, 7)),
        ("hace 3 dias", False, date(2026, 3, 7)),
        ("hace una semana", False, date(2026, 3, 3)),
        ("hace 2 meses", False, date(2026, 1, 10)),
        ("hace 1 año", False, date(2025, 3, 10)),
        ("1 de marzo de 2024", False, date(2024, 3, 1)),
        ("el 1º de marzo del 2024", False, date(2024, 3, 1)),
        ("1 marzo 2024", False, date(2024, 3, 1)),
        ("14 de febrero", False, date(2026, 2, 14)),
        ("14 de febrero", True, date(2027, 2, 14)),
        ("25 de diciembre", True, date(2026, 12, 25)),
        ("15 de setiembre", True, date(2026, 9, 15)),
        ("3 ago", False, date(2025, 8, 3)),
        # English as before.
        ("3 days ago", False, date(2026, 3, 7)),
        ("1 March 2024", False, date(2024, 3, 1)),
        ("March 1, 2024", False, date(2024, 3, 1)),
        ("tomorrow", True, date(2026, 3, 11)),
    ],
)
def test_reads_dates_in_spanish_and_english(typed: str, future: bool, expected: date) -> None:
    assert parse_date(typed, SOME_TODAY, future=future) == expected


@pytest.mark.parametrize(
    ("typed", "english", "spanish"),
    [
        ("31 de febrero", "isn't a day on the calendar", "no es un día del calendario"),
        ("1/3/2024", "I couldn't read", "No pude leer «1/3/2024» como una fecha"),
        ("el lunes que viene", "I couldn't read", "hace 3 días"),
        ("1 de marzo de 1850", "Pick a date after 1900", "posterior a 1900"),
    ],
)
def test_date_refusals_speak_both_languages(typed: str, english: str, spanish: str) -> None:
    with pytest.raises(DateParseError) as caught:
        parse_date(typed, SOME_TODAY)
    assert english in caught.value.words("en")
    assert spanish in caught.value.words("es")
