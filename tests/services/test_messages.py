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
