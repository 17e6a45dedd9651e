"""What scheduled prompts and reminders say, and the nonces that let Discord drop a duplicate."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, time

from bot.services.messages import DEFAULT_LANGUAGE, message
from bot.storage.models import Schedule

NONCE_LENGTH = 20  # Discord accepts up to 25 characters


def delivery_nonce(schedule_id: int, user_id: int, occurrence: str, kind: str) -> str:
    """The same send always gets the same nonce, so a resend after a crash is dropped by Discord."""
    digest = hashlib.blake2b(f"{schedule_id}:{user_id}:{occurrence}:{kind}".encode(), digest_size=10)
    return digest.hexdigest()


def greeting(local_time: time, lang: str = DEFAULT_LANGUAGE) -> str:
    if local_time.hour < 12:
        return message("prompts", lang, "morning")
    if local_time.hour < 17:
        return message("prompts", lang, "afternoon")
    return message("prompts", lang, "evening")


@dataclass(frozen=True)
class Prompt:
    """A message to send: its text, and what its buttons should open."""

    kind: str  # channel | prompt | reminder
    text: str
    community_id: int
    schedule_id: int
    occurrence: str
    language: str = DEFAULT_LANGUAGE


def channel_prompt(
    schedule: Schedule, occurrence: str, extra: str | None = None, lang: str = DEFAULT_LANGUAGE
) -> Prompt:
    """The check-in channel's prompt in the server's language; `extra` is a community date's supportive line,
    when today is one (in the same language)."""
    hello = greeting(schedule.local_time, lang)
    text = message("shared", lang, "channel_prompt", hello=hello)
    if schedule.daily_thread:
        text += "\n" + message("shared", lang, "channel_prompt_thread")
    if extra:
        text += "\n" + extra
    return Prompt("channel", text, schedule.community_id, schedule.id, occurrence, lang)


def dm_prompt(
    schedule: Schedule, occurrence: str, community_name: str, lang: str = DEFAULT_LANGUAGE, extra: str | None = None
) -> Prompt:
    """A member's DM prompt in their language; `extra` is a community date's supportive line, when today is one."""
    hello = greeting(schedule.local_time, lang)
    text = message("prompts", lang, "dm", hello=hello, community=community_name)
    if extra:
        text += "\n" + extra
    return Prompt("prompt", text, schedule.community_id, schedule.id, occurrence, lang)


def reminder(schedule: Schedule, occurrence: str, community_name: str, lang: str = DEFAULT_LANGUAGE) -> Prompt:
    text = message("prompts", lang, "reminder", community=community_name)
    return Prompt("reminder", text, schedule.community_id, schedule.id, occurrence, lang)


def thread_name(day: date, lang: str = DEFAULT_LANGUAGE) -> str:
    """ "Check-in · Mon 07 Dec" / "Registro · lun 07 dic" (the same in every process locale)."""
    weekday = message("shared", lang, "weekdays").split()[day.weekday()]
    month = message("shared", lang, "months").split()[day.month - 1]
    return message("shared", lang, "thread_name", weekday=weekday, day=f"{day.day:02d}", month=month)
