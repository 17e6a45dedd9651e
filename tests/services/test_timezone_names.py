"""Timezones as people type them: abbreviations read as the zone people mean, cities, and ambiguity."""

from __future__ import annotations

import zoneinfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.services.timeparse import TimezoneError
from bot.services.timezone_names import _names, named_choices, read_timezone


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("EST", "America/New_York"),  # not the IANA database's fixed UTC-5 "EST": New York time, all year
        ("est", "America/New_York"),
        ("Eastern", "America/New_York"),
        ("PST", "America/Los_Angeles"),
        ("Pacific", "America/Los_Angeles"),
        ("London", "Europe/London"),
        ("los angeles", "America/Los_Angeles"),
        ("Los_Angeles", "America/Los_Angeles"),
        ("Seattle", "America/Los_Angeles"),
        ("BST", "Europe/London"),
        ("AEDT", "Australia/Sydney"),
        ("Ciudad de México", "America/Mexico_City"),
    ],
)
def test_names_people_use_are_read_as_the_zone_they_mean_and_said_back(typed: str, zone: str) -> None:
    reading = read_timezone(typed)
    assert reading.zone == zone
    assert reading.read_as is not None and typed in reading.read_as and zone in reading.read_as


def test_an_abbreviation_says_it_follows_daylight_saving() -> None:
    reading = read_timezone("EST")
    assert reading.read_as == ("I read “EST” as US Eastern time (America/New_York), which follows daylight saving.")


def test_an_iana_name_typed_as_it_is_needs_no_explaining() -> None:
    assert read_timezone("europe/london").zone == "Europe/London"
    assert read_timezone("Europe/London").read_as is None
    assert read_timezone("UTC").read_as is None


@pytest.mark.parametrize(
    ("typed", "offered"),
    [
        ("CST", ["America/Chicago", "Asia/Shanghai"]),
        ("IST", ["Asia/Kolkata", "Europe/Dublin", "Asia/Jerusalem"]),
        ("MST", ["America/Denver", "America/Phoenix"]),
        ("GMT", ["Europe/London", "UTC"]),
    ],
)
def test_an_ambiguous_name_offers_its_meanings(typed: str, offered: list[str]) -> None:
    with pytest.raises(TimezoneError) as caught:
        read_timezone(typed)
    message = str(caught.value)
    assert "more than one place" in message
    assert all(f"`{zone}`" in message for zone in offered)


def test_an_unknown_name_suggests_what_is_close() -> None:
    with pytest.raises(TimezoneError, match="Did you mean `Europe/London`"):
        read_timezone("europe/lon")
    with pytest.raises(TimezoneError, match="I don't know the timezone “Narnia”"):
        read_timezone("Narnia")


def test_autocomplete_offers_names_labelled_with_their_zone() -> None:
    assert named_choices("pac")[0] == ("Pacific: US Pacific time (America/Los_Angeles)", "America/Los_Angeles")
    assert [zone for _, zone in named_choices("cst")] == ["America/Chicago", "Asia/Shanghai", "America/Havana"]
    assert named_choices("e") == []  # one letter is too little to guess from


def test_every_zone_in_the_names_file_is_real() -> None:
    book = _names()
    zones = {m.zone for m in book.names.values()} | {m.zone for ms in book.ambiguous.values() for m in ms}
    for zone in zones:
        zoneinfo.ZoneInfo(zone)
    assert not set(book.names) & set(book.ambiguous)


@given(st.text(max_size=40))
def test_any_text_is_a_real_zone_or_a_kind_error(text: str) -> None:
    try:
        reading = read_timezone(text)
    except TimezoneError as problem:
        assert str(problem) and "Traceback" not in str(problem)
        return
    zoneinfo.ZoneInfo(reading.zone)
