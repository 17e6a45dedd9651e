"""Message catalogues: every language has every key, and a broken catalogue says what is wrong."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

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
    folder = resources.files("bot.data.messages")
    # commands_<lang>.toml is the slash commands' names for Discord, in its own format (test_command_names).
    return sorted(
        entry.name.removesuffix(".toml")
        for entry in folder.iterdir()
        if entry.name.endswith(".toml") and not entry.name.startswith("commands_")
    )


@pytest.mark.parametrize("name", _catalogue_names())
def test_every_catalogue_has_every_key_in_every_language(name: str) -> None:
    table = catalogue(name)  # a missing key or language raises here, naming it
    assert set(table) == set(LANGUAGES)
    for lang in LANGUAGES:
        assert set(table[lang]) == set(table["en"]), (name, lang)
        for key, text in table[lang].items():
            # The same {placeholders} in every language, so filling one in never fails in another.
            assert set(re.findall(r"{(\w+)}", text)) == set(re.findall(r"{(\w+)}", table["en"][key])), (name, key)


def test_every_key_the_code_asks_for_is_in_its_catalogue() -> None:
    root = Path(__file__).resolve().parents[2] / "bot"
    asked = re.compile(r'message\(\s*"(\w+)",\s*[^,()]+,\s*"(\w+)"')
    # Keys named in tables beside the code: the tip buttons' labels.
    from bot.ui.support_buttons import TIP_LABELS

    wanted = {("tips", key) for key in TIP_LABELS.values()}
    for source in root.rglob("*.py"):
        wanted |= set(asked.findall(source.read_text(encoding="utf-8")))
    assert ("tips", "tip_for") in wanted and ("safety", "support_button") in wanted
    missing = [(name, key) for name, key in sorted(wanted) if key not in catalogue(name)["en"]]
    assert missing == []


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
