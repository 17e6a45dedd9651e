"""The member commands' texts: every catalogue complete in both languages, Spanish naming Spanish commands,
refusals told in the member's language, and resources and timezones said to a Spanish reader."""

from __future__ import annotations

import re
import string
from importlib import resources

import pytest

from bot.errors import UserFacingError
from bot.services.command_names import command_catalogue
from bot.services.member_settings import check_quiet_days
from bot.services.messages import LANGUAGES, catalogue, refusal
from bot.services.resources import load_resources, render_resources
from bot.services.timeparse import PauseError, parse_pause_days
from bot.services.timezone_names import NamesFile, _names, named_choices, read_timezone
from bot.ui.replies import SORRY, words_for

CATALOGUES = sorted(
    entry.name.removesuffix(".toml")
    for entry in resources.files("bot.data.messages").iterdir()
    if entry.name.endswith(".toml") and entry.name != "commands_es.toml"
)


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("name", CATALOGUES)
def test_every_catalogue_has_every_key_with_the_same_blanks_in_each_language(name: str) -> None:
    table = catalogue(name)
    assert set(table) == set(LANGUAGES)
    assert set(table["en"]) == set(table["es"])
    for key, english in table["en"].items():
        assert fields(english) == fields(table["es"][key]), (name, key)


@pytest.mark.parametrize("name", CATALOGUES)
def test_spanish_texts_name_commands_as_a_spanish_discord_shows_them(name: str) -> None:
    spanish_names = {spanish for spanish, _ in command_catalogue("es").commands.values()}
    for key, text in catalogue(name)["es"].items():
        for command in re.findall(r"/([a-zñáéíóú-]+)", text):
            assert command in spanish_names, (name, key, command)


def test_a_refusal_is_told_in_each_language() -> None:
    error = refusal("partner", "avoid_bot")
    assert isinstance(error, UserFacingError)
    assert error.message == "Bots are never paired, so there's no need to avoid one."
    assert words_for(error, "es") == "Los bots nunca se emparejan, así que no hace falta evitar ninguno."
    assert words_for(error, "fr") == error.message  # a language Lantern does not speak: English
    assert words_for(UserFacingError("plain words")) == "plain words" == words_for(UserFacingError("plain words"), "es")
    assert words_for(RuntimeError("boom"), "en") == SORRY
    assert words_for(RuntimeError("boom"), "es").startswith("Perdona")


def test_settings_refusals_keep_their_kind_and_english_words() -> None:
    with pytest.raises(PauseError) as pause:
        parse_pause_days(91)
    assert pause.value.message.startswith("A break can be from 1 to 90 days.")
    assert pause.value.words("es").startswith("Un descanso puede durar de 1 a 90 días.")
    with pytest.raises(UserFacingError) as quiet:
        check_quiet_days(61)
    assert quiet.value.words("es").startswith("Elige de 1 a 60 días")


def test_timezones_are_said_back_in_spanish() -> None:
    reading = read_timezone("PST")
    assert reading.read_as == "I read “PST” as US Pacific time (America/Los_Angeles), which follows daylight saving."
    assert reading.read_as_in("es") == (
        "Entendí “PST” como la hora del Pacífico de EE. UU. (America/Los_Angeles), que cambia al horario de verano."
    )
    assert read_timezone("Europe/Madrid").read_as_in("es") is None
    with pytest.raises(UserFacingError) as ambiguous:
        read_timezone("IST")
    assert "`Asia/Jerusalem` (la hora de Israel)" in ambiguous.value.words("es")
    assert "`Asia/Jerusalem` (Israel time)" in ambiguous.value.message
    assert ("Cst: la hora del Centro de EE. UU. (America/Chicago)", "America/Chicago") not in named_choices("cst")
    assert ("CST: la hora del Centro de EE. UU. (America/Chicago)", "America/Chicago") in named_choices(
        "cst", language="es"
    )


def test_a_names_file_without_spanish_for_an_about_is_refused() -> None:
    book = _names()
    raw = {
        "names": {"x": {"zone": "UTC", "about": "Nowhere time"}},
        "ambiguous": {},
        "about_es": dict(book.about_es),
    }
    with pytest.raises(ValueError, match="Nowhere time"):
        NamesFile.model_validate(raw)


def test_resources_for_a_spanish_reader_put_spanish_language_lines_first() -> None:
    book = load_resources()
    sections = dict(render_resources(book.for_region("US"), [("", "https://example.org")], "es"))
    assert list(sections) == [
        "Líneas de crisis",
        "Líneas de ayuda sobre alcohol y otras drogas",
        "Dónde encontrar reuniones",
        "De tu comunidad",
    ]
    assert sections["Líneas de crisis"].startswith("• **Línea 988 en español**")
    assert sections["Líneas de ayuda sobre alcohol y otras drogas"].startswith("• **Línea de ayuda de SAMHSA")
    assert sections["De tu comunidad"] == "• **Enlace**: https://example.org"
    english = dict(render_resources(book.for_region("US"), []))
    assert english["Crisis lines"].startswith("• **988 Suicide & Crisis Lifeline**")


ENGLISH_IN_HOURS = re.compile(r"\b(free|English|French|Monday|most|hours|for|online|worldwide|advice|text)\b")


def test_every_line_a_spanish_reader_sees_has_spanish_wording_where_its_own_is_english() -> None:
    book = load_resources()
    for code, region in book.by_code.items():
        for line in region.lines:
            if line.kind == "emergency":
                continue
            assert not ENGLISH_IN_HOURS.search(line.hours_in("es") or ""), (code, line.name)
            assert not re.search(r"\((for|free|drugs|online)\b|worldwide|if you are", line.name_in("es")), (
                code,
                line.name,
            )
