"""End to end: a member whose Discord speaks Spanish sees Lantern's commands in Spanish."""

from __future__ import annotations

import copy
import re
from datetime import UTC, datetime
from typing import Any

import pytest

from bot.devtools.harness import Harness
from discord_standin.driver import Actor, buttons
from tests.conftest import FakeClock
from tests.e2e.test_checkin import check_in
from tests.e2e.test_schedules import run_until, set_up

SPANISH = ("es-ES", "es-419")


@pytest.fixture
def early_clock(clock: FakeClock) -> FakeClock:
    clock.now = datetime(2026, 3, 10, 7, 0, tzinfo=UTC)  # a Tuesday; London on GMT
    return clock


def _named_entries(commands: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found = []
    for entry in commands:
        found.append(entry)
        found += _named_entries(entry.get("options") or [])
    return found


async def test_every_command_option_and_choice_reaches_discord_in_spanish(lantern: Harness) -> None:
    world = lantern.sandbox.world
    synced = world.global_commands + [c for pool in world.guild_commands.values() for c in pool]
    entries = _named_entries(synced)
    assert len(synced) >= 15 and len(entries) >= 90
    untranslated = [
        entry["name"]
        for entry in entries
        for field in ("name_localizations", "description_localizations")
        if any(not (entry.get(field) or {}).get(locale) for locale in SPANISH)
    ]
    choices = [choice for entry in entries for choice in entry.get("choices") or []]
    untranslated += [
        c["name"] for c in choices if any(not (c.get("name_localizations") or {}).get(loc) for loc in SPANISH)
    ]
    assert untranslated == []
    by_name = {entry["name"]: entry for entry in synced}
    assert by_name["checkin"]["name_localizations"]["es-419"] == "registro"
    assert by_name["tip"]["description_localizations"]["es-ES"].startswith("Un consejo")


# Words only the English replies use: none may reach a member whose Discord speaks Spanish.
ENGLISH_WORDS = re.compile(r"\b(the|you|your|thanks|check-in|today|please|only|help)\b", re.IGNORECASE)


def spanish_speaker(lantern: Harness, name: str) -> Actor:
    member = lantern.person(name)
    member.locale = "es-ES"
    return member


async def test_a_spanish_speaker_checks_in_entirely_in_spanish(lantern: Harness) -> None:
    rosa = spanish_speaker(lantern, "alice")
    opened = await rosa.slash("checkin")
    assert opened.modal is not None
    assert opened.modal["title"] == "Registro del día"
    labels = [row.get("label") for row in opened.modal["components"]]
    assert labels == ["¿Cómo llegas hoy?", "¿Tienes ganas de consumir ahora?", *labels[2:]]
    assert "Una nota privada (opcional)" in labels
    reply = await rosa.submit(
        opened.modal,
        {
            "¿Cómo llegas hoy?": "4 · Estoy bien",
            "¿Tienes ganas de consumir ahora?": "Ninguna",
            "HALT: hambre, enojo, soledad, cansancio": ["Cansancio"],
            "Una nota privada (opcional)": "dormí mal pero aquí estoy",
        },
    )
    assert reply.ephemeral
    assert reply.content.startswith("Gracias por registrarte hoy.")
    assert "cansancio" in reply.content and "privacidad" in reply.content and "`/historial`" in reply.content
    assert ENGLISH_WORDS.findall(reply.content) == [], reply.content
    again = await rosa.slash("checkin")
    assert again.modal is not None and again.modal["title"] == "Actualiza tu registro de hoy"


async def test_a_spanish_speakers_bad_form_and_crisis_note_are_answered_in_spanish(lantern: Harness) -> None:
    rosa = spanish_speaker(lantern, "alice")
    opened = await rosa.slash("checkin")
    assert opened.modal is not None
    tampered = copy.deepcopy(opened.modal)
    tampered["components"][0]["component"]["options"].append({"label": "9", "value": "9"})
    refused = await rosa.submit_by_id(tampered, {"mood": "9", "cravings": "0"})
    assert refused.content.startswith("Elige una de las opciones para cómo llegas hoy")
    assert await lantern.services.db.checkins.recent(lantern.community.guild.id, rosa.user.id) == []  # type: ignore[union-attr]
    crisis = await rosa.submit(
        opened.modal,
        {
            "¿Cómo llegas hoy?": "1 · Me está costando muchísimo",
            "¿Tienes ganas de consumir ahora?": "Fuertes",
            "Una nota privada (opcional)": "ya no quiero vivir, esta noche me quito la vida",
        },
    )
    assert crisis.content.startswith("Gracias por registrarte hoy.")
    assert "Ahora lo más importante es que estés a salvo" in crisis.content
    assert ENGLISH_WORDS.findall(crisis.content) == []


async def test_a_spanish_speakers_history_and_chart_are_in_spanish(lantern: Harness) -> None:
    rosa = spanish_speaker(lantern, "alice")
    empty = await rosa.slash("history")
    assert empty.content.startswith("Aún no te has registrado.") and "`/registro`" in empty.content
    await check_in(rosa, mood="2", cravings="1", halt=["hungry"], note="un día largo")
    reply = await rosa.slash("history", days=7)
    await reply.settled()
    text = reply.content
    assert text.startswith("Tus últimos 7 días: 1 registro.")
    assert "ánimo 2/5" in text and "ganas de consumir: pocas" in text and "HALT: hambre" in text
    assert "Gráfico: 1 registro en 7 días" in text
    assert ENGLISH_WORDS.findall(text) == [], text
    assert reply.message is not None and reply.message.attachments
    assert reply.message.attachments[0].description.startswith("1 registro en 7 días")


async def test_dm_prompts_and_reminders_speak_the_language_each_member_last_used(
    lantern_at: Harness, early_clock: FakeClock
) -> None:
    await set_up(lantern_at)
    rosa, bob = spanish_speaker(lantern_at, "alice"), lantern_at.person("bob")
    for member in (rosa, bob):
        await member.slash("settings", dm_prompts=True)
    await run_until(lantern_at, early_clock, datetime(2026, 3, 10, 9, 0, tzinfo=UTC))
    spanish, english = (await rosa.wait_dms(1))[-1], (await bob.wait_dms(1))[-1]
    assert spanish.content.startswith("Buenos días. ¿Cómo llegas hoy?")
    assert [b["label"] for b in buttons(spanish)] == ["Registrarme"]
    assert ENGLISH_WORDS.findall(spanish.content) == [], spanish.content
    assert english.content.startswith("Morning. How are you arriving today?")
    assert [b["label"] for b in buttons(english)] == ["Check in"]
    # The Spanish prompt's button opens the Spanish form.
    opened = await rosa.click(spanish, "Registrarme")
    assert opened.modal is not None and opened.modal["title"] == "Registro del día"


async def test_a_dm_in_spanish_is_answered_in_spanish(lantern_at: Harness, early_clock: FakeClock) -> None:
    await set_up(lantern_at)
    rosa = spanish_speaker(lantern_at, "alice")
    await rosa.slash("settings", dm_prompts=True)
    await run_until(lantern_at, early_clock, datetime(2026, 3, 10, 9, 0, tzinfo=UTC))
    before = len(await rosa.wait_dms(1))
    await rosa.say("mañana difícil, pero fui a la reunión y hablé con mi madrina")
    answer = (await rosa.wait_dms(before + 1))[-1]
    assert answer.content.startswith("Gracias, lo guardé en privado como la nota de hoy.")
    assert buttons(answer)[0]["label"] == "5 · Estoy muy bien"
    tapped = await rosa.click(answer, "4 · Estoy bien")
    assert tapped.message is not None and tapped.message.content.startswith("Gracias por registrarte hoy.")
    too_long = len(await rosa.wait_dms(1))
    # Words that read as neither language: the language her Discord last spoke.
    await rosa.say("zzz " * 300)
    new = (await rosa.wait_dms(too_long + 1))[too_long:]
    if not new[-1].content.startswith("Son"):  # the safety net may ask first (in Spanish too)
        new = (await rosa.wait_dms(too_long + 2))[too_long:]
    assert new[-1].content.startswith("Son 1199 caracteres; puedo guardar hasta 1000")
    assert all(ENGLISH_WORDS.findall(m.content) == [] for m in new)
