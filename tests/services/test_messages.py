"""Message catalogues: every language has every key, and a broken catalogue says what is wrong."""

from __future__ import annotations

import pytest

from bot.services.messages import LANGUAGES, catalogue, language_of_locale, message, parse_catalogue


def test_every_language_has_every_key() -> None:
    table = catalogue("safety")
    assert set(table) == set(LANGUAGES)
    assert set(table["en"]) == set(table["es"])


def test_discord_locales_map_to_languages() -> None:
    assert language_of_locale("es-ES") == "es"
    assert language_of_locale("es-419") == "es"
    assert language_of_locale("en-GB") == "en"
    assert language_of_locale("fr") == "en"
    assert language_of_locale(None) == "en"


def test_replies_never_say_what_safe_messaging_avoids() -> None:
    for lang in LANGUAGES:
        for key, text in catalogue("safety")[lang].items():
            lowered = text.lower()
            assert "committed suicide" not in lowered and "someone is watching" not in lowered, key
            assert "failed" not in lowered, key


def test_the_emergency_number_is_filled_in() -> None:
    assert "Call 999 now" in message("safety", "en", "opening_overdose", emergency="999")
    assert "llama al 112" in message("safety", "es", "opening_danger", emergency="112")


def test_a_missing_key_or_language_is_reported() -> None:
    broken = '[en]\nhello = "Hi"\nbye = "Bye"\n[es]\nhello = "Hola"\n[fr]\nhello = "Salut"\n'
    with pytest.raises(ValueError) as error:
        parse_catalogue(broken, "broken.toml")
    assert "broken.toml: [es] has no 'bye'" in str(error.value)
    assert "unknown language [fr]" in str(error.value)


def _catalogue_names() -> list[str]:
    from importlib import resources

    files = resources.files("bot.data.messages").iterdir()
    return sorted(
        f.name[: -len(".toml")] for f in files if f.name.endswith(".toml") and not f.name.startswith("commands_")
    )


def test_every_catalogue_has_every_key_in_every_language() -> None:
    names = _catalogue_names()
    assert {"checkin", "dm", "errors", "history", "privacy", "prompts", "safety"} <= set(names)
    for name in names:
        table = catalogue(name)  # raises, naming each missing key, when a language lacks one
        assert set(table["en"]) == set(table["es"]), name


def test_spanish_texts_name_commands_as_a_spanish_discord_shows_them() -> None:
    """`/recursos`, not `/resources`: a Spanish reader types what their Discord offers."""
    import re

    from bot.services.command_names import command_catalogue

    spanish = command_catalogue("es")
    tops = {name for key, (name, _) in spanish.commands.items() if " " not in key}
    wrong = [
        f"{name}.{key}: /{named}"
        for name in _catalogue_names()
        for key, text in catalogue(name)["es"].items()
        for named in re.findall(r"`/([^\s`]+)", text)
        if named not in tops
    ]
    assert wrong == []


def test_no_catalogue_text_says_what_lantern_never_says() -> None:
    for name in _catalogue_names():
        for lang in LANGUAGES:
            for key, text in catalogue(name)[lang].items():
                lowered = text.lower()
                assert not any(word in lowered for word in ("failed", "relapse", "recaída", "fallaste", "falló")), (
                    name,
                    key,
                )
