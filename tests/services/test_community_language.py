"""A community's language from its server's locale, and the shared posts' texts in each language."""

from __future__ import annotations

import random
from datetime import date, time

import pytest

from bot.services.community_language import CommunityLanguages
from bot.services.messages import catalogue
from bot.services.partners import followup_text, ping_text, welcome_text
from bot.services.prompts import channel_prompt, thread_name
from bot.services.safety import leader_alert_text
from bot.storage.models import Schedule


class Locale:
    """Like discord.Locale: the locale string in `.value`."""

    def __init__(self, value: str) -> None:
        self.value = value


@pytest.mark.parametrize(
    ("locale", "language"),
    [
        ("es-ES", "es"),
        ("es-419", "es"),
        (Locale("es-419"), "es"),
        ("en-US", "en"),
        ("en-GB", "en"),
        ("pt-BR", "en"),
        ("fr", "en"),
        (None, "en"),
    ],
)
def test_a_servers_locale_gives_its_language(locale: object, language: str) -> None:
    seen: list[int] = []

    def locale_of(community_id: int) -> object:
        seen.append(community_id)
        return locale

    assert CommunityLanguages(locale_of)(42) == language
    assert seen == [42]  # asked each time, never remembered


def test_without_the_bot_every_server_reads_english() -> None:
    assert CommunityLanguages()(42) == "en"


def test_the_lookup_is_asked_again_so_a_change_counts_from_the_next_post() -> None:
    current = {"locale": "es-419"}
    languages = CommunityLanguages(lambda _: current["locale"])
    assert languages(1) == "es"
    current["locale"] = "en-US"
    assert languages(1) == "en"


@pytest.mark.parametrize("day", [date(2026, 3, 17), date(2026, 1, 4), date(2025, 12, 31), date(2026, 6, 1)])
def test_the_daily_threads_name_in_english_is_unchanged_and_spanish_is_spanish(day: date) -> None:
    assert thread_name(day) == f"Check-in · {day:%a %d %b}"
    spanish = thread_name(day, "es")
    weekday = ["lun", "mar", "mié", "jue", "vie", "sáb", "dom"][day.weekday()]
    month = ["ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic"][day.month - 1]
    assert spanish == f"Registro · {weekday} {day.day:02d} {month}"


def schedule(daily_thread: bool) -> Schedule:
    return Schedule(
        id=1,
        community_id=7,
        name="daily",
        weekdays=frozenset(range(7)),
        local_time=time(18, 30),
        destination="channel",
        reminder_minutes=None,
        daily_thread=daily_thread,
        question=None,
        paused=False,
        pause_reason=None,
        grace_minutes=60,
    )


def test_the_channel_prompt_in_each_language() -> None:
    english = channel_prompt(schedule(True), "2026-03-17", "A line.")
    assert english.text.startswith("Evening, all. How are you arriving today?") and english.language == "en"
    assert english.text.endswith("There's a thread below for today, if you'd like to talk.\nA line.")
    spanish = channel_prompt(schedule(False), "2026-03-17", lang="es")
    assert spanish.language == "es"  # its buttons' labels follow
    assert spanish.text == (
        "Hola, comunidad. ¿Cómo llegas hoy?\n"
        "Haz tu registro cuando quieras. Tus respuestas son privadas: solo tú las verás."
    )


def test_a_welcome_offers_the_same_starters_in_either_language() -> None:
    members = (11, 22, 33)
    english = welcome_text(members, 4, random.Random(5))
    spanish = welcome_text(members, 4, random.Random(5), "es")
    assert english.startswith("Welcome, <@11>, <@22> and <@33>. You're accountability partners for round 4.")
    assert spanish.startswith("Hola, <@11>, <@22> y <@33>. En la ronda 4 son compañeros de apoyo.")
    en, es = catalogue("shared")["en"], catalogue("shared")["es"]
    chosen_en = [k for k in en if k.startswith("starter_") and f"• {en[k]}" in english.splitlines()]
    chosen_es = [k for k in es if k.startswith("starter_") and f"• {es[k]}" in spanish.splitlines()]
    assert len(chosen_en) == 3 and chosen_en == chosen_es


def test_thread_and_alert_texts_in_each_language() -> None:
    assert followup_text() == "Halfway through the round: have you connected yet? No pressure either way."
    assert followup_text("es").startswith("Vamos por la mitad de la ronda")
    assert ping_text(9).startswith("<@9> is having a hard time") and ping_text(9, "es").startswith("<@9> está pasando")
    assert leader_alert_text(9).startswith("<@9> asked for a peer leader to know")
    assert leader_alert_text(9, "es").startswith("<@9> pidió que una persona líder sepa")
