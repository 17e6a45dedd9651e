"""The Spanish tip library: same shape as the English one, checked at start-up, read with accents or without."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from bot.services.tip_library import (
    AFTER_A_SLIP,
    SHIPPED_TIPS_NAME,
    Tip,
    TipLibrary,
    TipLibraryError,
    load_libraries,
    load_library,
    main_situation,
    shipped_tips,
    translation_problems,
)
from bot.services.tips import render_tip, situation_for_text

SPANISH_FILE = "bot/data/tips_es.toml"


@pytest.fixture(scope="module")
def libraries() -> dict[str, TipLibrary]:
    return load_libraries()


@pytest.fixture(scope="module")
def spanish(libraries: dict[str, TipLibrary]) -> TipLibrary:
    return libraries["es"]


# --- the shipped Spanish library ---------------------------------------------------------------------------


def test_every_language_has_every_situation_and_tip(libraries: dict[str, TipLibrary]) -> None:
    english, spanish = libraries["en"], libraries["es"]
    assert set(libraries) == {"en", "es"} and spanish.language == "es"
    assert [s.key for s in spanish.situations] == [s.key for s in english.situations]
    assert [(t.id, t.situations) for t in spanish.tips] == [(t.id, t.situations) for t in english.tips]
    for situation in english.situations:
        # At least as many tips for every situation: the same tips, in other words.
        assert len(spanish.pool(situation.key)) == len(english.pool(situation.key)), situation.key
        assert spanish.situation(situation.key).phrases, situation.key  # type: ignore[union-attr]


def test_the_spanish_tips_are_written_not_copied(libraries: dict[str, TipLibrary]) -> None:
    english, spanish = libraries["en"], libraries["es"]
    for tip in spanish.tips:
        original = english.by_id(tip.id)
        assert original is not None
        assert tip.title != original.title and tip.body != original.body, tip.id
        assert tip.source != original.source or not re.search(r"[a-z]{4}", original.source), tip.id
    for situation in spanish.situations:
        theirs = english.situation(situation.key)
        assert theirs is not None and situation.name != theirs.name, situation.key


def test_the_spanish_words_keep_the_tone_rules(spanish: TipLibrary) -> None:
    # Never "recaída" (relapse) as a label, nothing that shames; "recaí" is only a phrase a member may type.
    shaming = re.compile(r"reca[ií]d|fracas|fallaste|fallado|culpa tuya|deber[ií]as haber", re.IGNORECASE)
    texts = [(t.id, f"{t.title} {t.body}") for t in spanish.tips]
    texts += [(s.key, f"{s.name} {s.description}") for s in spanish.situations]
    for where, text in texts:
        assert not shaming.search(text), (where, text)
    slip = spanish.situation(AFTER_A_SLIP)
    assert slip is not None and slip.name == "Después de un desliz"


def test_the_spanish_file_is_read_through_importlib_resources_as_utf8() -> None:
    assert shipped_tips("es").name == "tips_es.toml"
    raw = tomllib.loads(shipped_tips("es").read_text(encoding="utf-8"))
    assert "ñ" in raw["tip"][0]["body"] or any("ñ" in tip["body"] for tip in raw["tip"])


# --- reading what a Spanish-speaking member writes ------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("ansiedad", "anxiety"),
        ("estrés", "stress"),
        ("estres", "stress"),
        ("ESTRÉS", "stress"),
        ("Estoy muy estresada", "stress"),
        ("me siento sola", "loneliness"),
        ("me siento solo", "loneliness"),
        ("¿por qué me siento tan solos?", "loneliness"),
        ("no puedo dormir", "sleep"),
        ("insomnio", "sleep"),
        ("tengo sueño todo el día", "tired"),
        ("tengo sueno todo el dia", "tired"),
        ("ganas de beber", "craving"),
        ("Ánimo bajo", "low-mood"),
        ("animo bajo", "low-mood"),
        ("después de un desliz", AFTER_A_SLIP),
        ("despues de un desliz", AFTER_A_SLIP),
        ("presión social", "social-pressure"),
        ("Repaso HALT", "halt"),
        ("cansancio", "tired"),
        ("hambre", "hungry"),
    ],
)
def test_spanish_words_with_or_without_accents(spanish: TipLibrary, typed: str, key: str) -> None:
    assert spanish.named_situation(typed) == key


def test_a_name_is_found_with_or_without_its_accents(spanish: TipLibrary) -> None:
    for situation in spanish.situations:
        plain = situation.name.translate(str.maketrans("áéíóúñÁÉÍÓÚÑ", "aeiounAEIOUN"))
        assert spanish.situation_key(plain) == situation.key
        assert spanish.situation_key(situation.name.upper()) == situation.key


def test_english_words_still_count_for_a_spanish_member(libraries: dict[str, TipLibrary]) -> None:
    english, spanish = libraries["en"], libraries["es"]
    assert situation_for_text(spanish, "craving", also=english) == "craving"
    assert situation_for_text(spanish, "Low mood", also=english) == "low-mood"
    assert situation_for_text(spanish, "tengo ansiedad", also=english) == "anxiety"  # Spanish first
    # Only English names, not English phrases: "sos" is "you are" in Argentina, not a call for help.
    assert situation_for_text(spanish, "vos sos muy bueno", also=english) != "urge"


@pytest.mark.parametrize(
    "ordinary",
    ["quiero que alguien me tome en serio", "no quiero que me falle la memoria", "voy a tomar el autobús"],
)
def test_ordinary_spanish_is_not_read_as_a_slip(libraries: dict[str, TipLibrary], ordinary: str) -> None:
    assert situation_for_text(libraries["es"], ordinary, also=libraries["en"]) != AFTER_A_SLIP


def test_a_slip_is_never_guessed_from_loose_spanish_words(spanish: TipLibrary) -> None:
    for loose in ("me siento culpable", "no sé qué hacer", "estoy mal", "todo me sale mal hoy"):
        assert spanish.closest_situation(loose) != AFTER_A_SLIP, loose
    assert all(main_situation(t) != AFTER_A_SLIP for t in spanish.pool("low-mood"))


def test_autocomplete_in_spanish(spanish: TipLibrary) -> None:
    assert spanish.situation_choices("ans")[0].key == "anxiety"
    assert spanish.situation_choices("estr")[0].key == "stress"
    assert spanish.situation_choices("ánimo")[0].key == "low-mood"
    assert spanish.situation_choices("animo")[0].key == "low-mood"
    assert spanish.situation_choices("me siento sola")[0].key == "loneliness"  # what the words mean


def test_a_tip_is_rendered_with_spanish_words_around_it(spanish: TipLibrary) -> None:
    tip = spanish.tips[0]
    assert render_tip(tip, "es").endswith(f"\n-# Unos {tip.minutes} min · {tip.source}")
    ours = Tip("c1", "Walk to the harbour", "Walk to the harbour wall and back.", ("boredom",), 5, "x", 7)
    assert render_tip(ours, "es") == (
        "**Walk to the harbour**\nWalk to the harbour wall and back.\n-# Unos 5 min · un consejo de tu comunidad"
    )


# --- the start-up checks ----------------------------------------------------------------------------------------


def small(situations: dict[str, str], tips: list[tuple[str, str]]) -> str:
    """A small library file: situations by key and name, tips by id and situations list."""
    lines = ["[situations]"]
    for key, name in situations.items():
        lines += [f"[situations.{key}]", f'name = "{name}"', f'description = "{name}, en pocas palabras."']
    for tip_id, listed in tips:
        lines += [
            "[[tip]]",
            f'id = "{tip_id}"',
            f'title = "Título de {tip_id}"',
            'body = "Respira hondo cuatro veces y suelta el aire despacio."',
            f"situations = {listed}",
            "minutes = 3",
            'source = "Respiración"',
        ]
    return "\n".join(lines) + "\n"


def test_a_translation_that_differs_in_shape_is_reported_in_full(tmp_path: Path) -> None:
    english = tmp_path / "tips.toml"
    english.write_text(
        small({"stress": "Stress", "sleep": "Sleep"}, [("a", '["stress"]'), ("b", '["sleep", "stress"]')]),
        encoding="utf-8",
    )
    spanish = tmp_path / "tips_es.toml"
    spanish.write_text(
        small({"stress": "Estrés", "ocio": "Ocio"}, [("b", '["stress"]'), ("c", '["ocio"]')]),
        encoding="utf-8",
    )
    problems = translation_problems(load_library(english), load_library(spanish, "es"), SPANISH_FILE)
    assert problems == [
        f'{SPANISH_FILE}: situation "sleep" is missing; every language has every situation',
        f'{SPANISH_FILE}: situation "ocio" is not in {SHIPPED_TIPS_NAME}',
        f'{SPANISH_FILE}: tip "a" is missing; every language has every tip',
        f"{SPANISH_FILE}: tip \"b\" has situations ['stress']; {SHIPPED_TIPS_NAME} has ['sleep', 'stress']"
        " (same keys, same order)",
        f'{SPANISH_FILE}: tip "c" is not in {SHIPPED_TIPS_NAME}; add it there too, or remove it',
    ]


def test_start_up_refuses_a_spanish_library_missing_a_situation(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shipped = shipped_tips("es").read_text(encoding="utf-8")
    # Drop the whole [situations.tired] table, and the key from the tips that name it (else the file itself
    # would be wrong before any comparison).
    cut = re.sub(r"\[situations\.tired\]\n(?:[^\[\n].*\n|\n)*", "", shipped)
    cut = cut.replace(', "tired"', "").replace('"tired", ', "")
    path = tmp_path / "tips_es.toml"
    path.write_text(cut, encoding="utf-8")
    english = shipped_tips("en")
    monkeypatch.setattr(
        "bot.services.tip_library.shipped_tips", lambda language="en": english if language == "en" else path
    )
    with pytest.raises(TipLibraryError) as caught:
        load_libraries()
    assert f'{SPANISH_FILE}: situation "tired" is missing; every language has every situation' in str(caught.value)


def test_start_up_refuses_a_bad_spanish_entry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shipped = shipped_tips("es").read_text(encoding="utf-8")
    # A situation named in Spanish where the key belongs, and a body cut down to nothing much.
    bad = shipped.replace('situations = ["craving", "urge"]', 'situations = ["ganas", "urge"]', 1)
    bad = bad.replace('body = """\\\nSiéntate en un sitio', 'body = "Siéntate."\nx = """\\\nSiéntate en un sitio', 1)
    path = tmp_path / "tips_es.toml"
    path.write_text(bad, encoding="utf-8")
    english = shipped_tips("en")
    monkeypatch.setattr(
        "bot.services.tip_library.shipped_tips", lambda language="en": english if language == "en" else path
    )
    with pytest.raises(TipLibraryError) as caught:
        load_libraries()
    lines = str(caught.value).splitlines()
    assert any(
        line.startswith(f'{SPANISH_FILE}: tip "urge-surfing" (#1): situations') and 'unknown situation "ganas"' in line
        for line in lines
    ), lines
    assert any(line.startswith(f'{SPANISH_FILE}: tip "urge-surfing" (#1): body is 9 characters') for line in lines)


def test_every_spanish_tip_as_sent_fits_discords_spec(spanish: TipLibrary) -> None:
    """Each Spanish tip, rendered with its Spanish buttons, is a callback body Discord accepts."""
    from bot.services.tips import ChosenTip
    from bot.ui.support_buttons import tip_view
    from discord_standin.spec import SpecValidator, default_spec_path

    validator = SpecValidator.load()
    if validator is None:
        pytest.skip(f"Discord's OpenAPI description was not found at {default_spec_path()}")
    for tip in spanish.tips:
        view = tip_view(1576347907471179776, ChosenTip(tip, tip.situations[0]), "es")
        content = render_tip(tip, "es")
        assert len(content) <= 2000 - 100, tip.id  # room for the "Un consejo para: ..." line above it
        body = {"type": 4, "data": {"content": content, "flags": 64, "components": view.to_components()}}
        assert validator.validate("POST", "/interactions/1/token/callback", body) == [], tip.id
