"""The resources file: the shipped data, the loader's checks, region fallback and render limits."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.services.resources import (
    CRISIS_MESSAGE_LIMIT,
    EMBED_TOTAL_LIMIT,
    FIELD_NAME_LIMIT,
    FIELD_VALUE_LIMIT,
    KINDS,
    ResourceBook,
    ResourceError,
    load_resources,
    render_crisis_lines,
    render_resources,
    shipped_resources,
)

REQUIRED_REGIONS = ("US", "CA", "GB", "IE", "AU", "NZ", "INTL")


@pytest.fixture(scope="module")
def book() -> ResourceBook:
    return load_resources()


# --- the shipped file ------------------------------------------------------------------------------


def test_the_resources_ship_as_package_data() -> None:
    assert shipped_resources().is_file()
    assert shipped_resources().name == "resources.toml"


@pytest.mark.parametrize("code", REQUIRED_REGIONS)
def test_every_required_region_has_crisis_line_emergency_number_and_meeting_finder(
    book: ResourceBook, code: str
) -> None:
    assert code in book.regions
    region = book.for_region(code)
    assert region.code == code
    assert region.emergency.strip()
    assert region.of_kind("crisis")
    assert region.of_kind("meeting")


@pytest.mark.parametrize("code", [code for code in REQUIRED_REGIONS if code != "INTL"])
def test_national_regions_list_their_emergency_number_as_an_entry_too(book: ResourceBook, code: str) -> None:
    region = book.for_region(code)
    assert [line.phone for line in region.of_kind("emergency")] == [region.emergency]


def test_samhsa_national_helpline_is_listed_for_the_us(book: ResourceBook) -> None:
    substance = book.for_region("US").of_kind("substance")
    assert any(line.phone == "1-800-662-4357" and "SAMHSA" in line.name for line in substance)


def test_the_crisis_numbers_we_promise_are_present(book: ResourceBook) -> None:
    def contacts(code: str) -> set[str | None]:
        lines = book.for_region(code).of_kind("crisis")
        return {line.phone for line in lines} | {line.text for line in lines}

    assert "988" in contacts("US")
    assert "988" in contacts("CA")
    assert {"116 123", "SHOUT to 85258"} <= contacts("GB")
    assert {"116 123", "TALK to 50808"} <= contacts("IE")
    assert "13 11 14" in contacts("AU")
    assert {"1737", "0800 543 354"} <= contacts("NZ")
    assert any(line.url == "https://findahelpline.com" for line in book.for_region("INTL").lines)


def test_every_url_is_https(book: ResourceBook) -> None:
    for code in book.regions:
        for line in book.for_region(code).lines:
            if line.url is not None:
                assert re.match(r"^https://[^\s/]+\.[a-z]{2,}(/\S*)?$", line.url), (code, line.name, line.url)


def test_every_entry_names_its_source_and_when_it_was_checked(book: ResourceBook) -> None:
    for code in book.regions:
        for line in book.for_region(code).lines:
            assert line.kind in KINDS
            assert len(line.source) > 10, (code, line.name)
            assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", line.checked), (code, line.name)


def test_every_crisis_and_emergency_entry_was_verified(book: ResourceBook) -> None:
    # An unchecked meeting link is an inconvenience; an unchecked crisis number could cost a life.
    for code in book.regions:
        for line in book.for_region(code).lines:
            if line.kind in ("crisis", "emergency"):
                assert line.verified, (code, line.name)


def test_unverified_entries_say_why_in_their_source(book: ResourceBook) -> None:
    unverified = [line for code in book.regions for line in book.for_region(code).lines if not line.verified]
    print(f"\n{len(unverified)} unverified entries: {sorted({line.name for line in unverified})}")
    for line in unverified:
        assert "not confirmed" in line.source.lower(), line.name


# --- region lookup ---------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["XX", "FR", "", "usa", None, "intl"])
def test_unknown_regions_fall_back_to_intl(book: ResourceBook, code: str | None) -> None:
    assert book.for_region(code).code == "INTL"


@pytest.mark.parametrize(("code", "expected"), [("gb", "GB"), ("UK", "GB"), (" nz ", "NZ"), ("us", "US")])
def test_codes_are_matched_leniently(book: ResourceBook, code: str, expected: str) -> None:
    assert book.for_region(code).code == expected


def test_regions_maps_codes_to_display_names(book: ResourceBook) -> None:
    assert book.regions["GB"] == "United Kingdom"
    assert book.regions["INTL"]


# --- rendering -------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", REQUIRED_REGIONS)
def test_crisis_card_lists_crisis_lines_then_the_emergency_number(book: ResourceBook, code: str) -> None:
    region = book.for_region(code)
    card = render_crisis_lines(region)
    assert len(card) < CRISIS_MESSAGE_LIMIT
    assert card.startswith("• ")
    assert card.rstrip().endswith(f"If you are in immediate danger, call {region.emergency}.")
    for line in region.of_kind("crisis", "en"):
        assert line.name in card
    for line in region.of_kind("meeting") + region.of_kind("substance"):
        assert line.name not in card


@pytest.mark.parametrize("code", [*REQUIRED_REGIONS, "ES", "MX"])
def test_spanish_readers_get_lines_answered_in_spanish_where_there_are_some(book: ResourceBook, code: str) -> None:
    region = book.for_region(code)
    card = render_crisis_lines(region, "es")
    number = "número local de emergencias" if code == "INTL" else region.emergency
    assert card.rstrip().endswith(f"Si estás en peligro inmediato, llama al {number}.")
    spanish = [line for line in region.of_kind("crisis") if line.language == "es"]
    shown = spanish or list(region.of_kind("crisis"))
    # Names and hours as a Spanish reader is shown them ("50808 (servicio por mensaje de texto)").
    assert all(line.name_in("es") in card for line in shown)
    assert all(line.hours_in("es") in card for line in shown if line.hours)
    if code == "US":
        assert "988 y oprime el 2" in card and "AYUDA al 988" in card
        assert "988 Suicide & Crisis Lifeline" not in card


@pytest.mark.parametrize("code", REQUIRED_REGIONS)
def test_resources_sections_fit_embed_limits(book: ResourceBook, code: str) -> None:
    sections = render_resources(book.for_region(code), [])
    titles = [title for title, _ in sections]
    assert titles[0] == "Crisis lines"
    assert "From your community" not in titles
    assert "Meeting finders" in titles
    for title, body in sections:
        assert 0 < len(title) <= FIELD_NAME_LIMIT
        assert 0 < len(body) <= FIELD_VALUE_LIMIT
    assert sum(len(title) + len(body) for title, body in sections) < EMBED_TOTAL_LIMIT


def test_us_resources_show_the_samhsa_line_and_the_community_links(book: ResourceBook) -> None:
    sections = dict(render_resources(book.for_region("US"), [("Our Tuesday meeting", "https://example.org/t")]))
    assert "1-800-662-4357" in sections["Substance-use helplines"]
    assert "call 911" in sections["Crisis lines"]
    assert "Our Tuesday meeting" in sections["From your community"]
    assert list(sections)[-1] == "From your community"


_ENTRY_TEXT = st.text(min_size=0, max_size=2000)


@settings(max_examples=100, deadline=None)
@given(
    code=st.sampled_from(REQUIRED_REGIONS),
    entries=st.lists(st.tuples(_ENTRY_TEXT, _ENTRY_TEXT), max_size=60),
)
def test_renders_fit_the_limits_whatever_the_community_adds(
    book: ResourceBook, code: str, entries: list[tuple[str, str]]
) -> None:
    sections = render_resources(book.for_region(code), entries)
    for title, body in sections:
        assert 0 < len(title) <= FIELD_NAME_LIMIT
        assert 0 < len(body) <= FIELD_VALUE_LIMIT
    assert sum(len(title) + len(body) for title, body in sections) < EMBED_TOTAL_LIMIT
    assert sections[0][1].endswith(f"call {book.for_region(code).emergency}.")


# --- the loader rejects bad entries, saying where --------------------------------------------------

_GOOD_REGION = """
[regions.INTL]
name = "Other countries"
emergency = "your local emergency number"

[[regions.INTL.lines]]
name = "Find A Helpline"
kind = "crisis"
url = "https://findahelpline.com"
source = "https://findahelpline.com"
checked = "2026-11-28"
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "resources.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _entry(region: str, **fields: str) -> str:
    values = {
        "name": "Test Line",
        "kind": "crisis",
        "phone": "123",
        "source": "https://example.org",
        "checked": "2026-11-28",
    } | fields
    body = "\n".join(f"{key} = {value!r}".replace("'", '"') for key, value in values.items() if value != "-")
    return f"\n[regions.{region}]\nname = 'Testland'\nemergency = '112'\n\n[[regions.{region}.lines]]\n{body}\n"


def test_a_minimal_good_file_loads(tmp_path: Path) -> None:
    book = load_resources(_write(tmp_path, _GOOD_REGION + _entry("FR")))
    assert set(book.regions) == {"INTL", "FR"}
    assert book.for_region("FR").lines[0].verified is True


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        (_entry("FR", kind="hotline"), "kind is 'hotline'; use one of 'crisis', 'substance', 'meeting' or 'emergency'"),
        (_entry("FR", phone="-"), "needs at least one of phone, text or url"),
        (_entry("FR", url="http://example.org"), "must start with https://"),
        (_entry("FR", url="https://exa mple.org"), "must start with https://"),
        (_entry("FR", source="-"), 'missing "source"'),
        (_entry("FR", checked="last week"), "checked should be a date like 2026-11-28, not 'last week'"),
        (_entry("FR", phnoe="123"), 'unknown field "phnoe"'),
        (_entry("FR", kind="meeting"), "needs at least one line of kind 'crisis'"),
    ],
)
def test_bad_entries_are_rejected_naming_file_region_entry_and_problem(
    tmp_path: Path, entry: str, problem: str
) -> None:
    path = _write(tmp_path, _GOOD_REGION + entry)
    with pytest.raises(ResourceError) as raised:
        load_resources(path)
    message = str(raised.value)
    assert str(path) in message
    assert "region FR" in message
    assert problem in message
    if "kind 'crisis'" not in problem:
        assert "entry 1 ('Test Line')" in message


@pytest.mark.parametrize("code", ["USA", "U1", "us", "Intl", "X"])
def test_bad_region_codes_are_rejected(tmp_path: Path, code: str) -> None:
    path = _write(tmp_path, _GOOD_REGION + _entry(code))
    with pytest.raises(ResourceError, match=rf"region {code}: region codes are two capital letters"):
        load_resources(path)


def test_a_file_without_the_fallback_region_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(ResourceError, match="region INTL is missing"):
        load_resources(_write(tmp_path, _entry("FR")))


def test_verified_must_be_a_boolean(tmp_path: Path) -> None:
    path = _write(tmp_path, _GOOD_REGION + _entry("FR") + 'verified = "no"\n')
    with pytest.raises(ResourceError, match="verified should be true or false, not text"):
        load_resources(path)


def test_unreadable_and_malformed_files_are_reported(tmp_path: Path) -> None:
    with pytest.raises(ResourceError, match="can't read the file"):
        load_resources(tmp_path / "missing.toml")
    with pytest.raises(ResourceError, match="not valid TOML"):
        load_resources(_write(tmp_path, "[regions.US\nname = "))
    with pytest.raises(ResourceError, match=r"needs a \[regions.<code>\] table"):
        load_resources(_write(tmp_path, "title = 'nothing here'\n"))


def test_every_problem_is_reported_with_region_entry_and_field(tmp_path: Path) -> None:
    fr = _entry("FR", kind="hotline", phone="-", checked="2026-13-01") + 'verified = "no"\n'
    de = (
        "\n[regions.DE]\nname = 'Deutschland'\n\n[[regions.DE.lines]]\nkind = 'meeting'\nname = 42\n"
        "url = 'http://example.org'\nsource = 'https://example.org'\nchecked = '2026-11-28'\nlanguage = 'de'\n"
    )
    path = _write(tmp_path, _entry("Gb") + fr + de + "[regions.NL]\nname = 'Nederland'\n")
    with pytest.raises(ResourceError) as raised:
        load_resources(path)
    where = str(path)
    assert str(raised.value).splitlines() == [
        f"{where}: region Gb: region codes are two capital letters (ISO 3166, e.g. GB) or INTL",
        f"{where}: region FR: entry 1 ('Test Line'): kind is 'hotline'; use one of "
        "'crisis', 'substance', 'meeting' or 'emergency'",
        f"{where}: region FR: entry 1 ('Test Line'): checked should be a date like 2026-11-28, not '2026-13-01'",
        f"{where}: region FR: entry 1 ('Test Line'): verified should be true or false, not text",
        f"{where}: region FR: entry 1 ('Test Line'): needs at least one of phone, text or url",
        f"{where}: region FR: needs at least one line of kind 'crisis'",
        f'{where}: region DE: missing "emergency"',
        f"{where}: region DE: entry 1: name should be text, not a whole number",
        f"{where}: region DE: entry 1: url must start with https:// and contain no spaces, not 'http://example.org'",
        f"{where}: region DE: entry 1: language is 'de'; use one of 'en' or 'es'",
        f"{where}: region DE: needs at least one line of kind 'crisis'",
        f'{where}: region NL: missing "emergency"',
        f'{where}: region NL: missing "lines"',
        f"{where}: region INTL is missing; it is the fallback for everyone else",
    ]


def test_resource_error_is_a_value_error() -> None:
    assert issubclass(ResourceError, ValueError)
