"""Buttons on prompts that keep working after a restart: their custom_ids carry everything they need."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import discord

from bot.services.checkin_form import MOOD_LABELS, checkin_text, mood_labels
from bot.services.checkins import acknowledgement
from bot.services.messages import DEFAULT_LANGUAGE, language_of_locale, message
from bot.ui.checkin_form import open_checkin_form
from bot.ui.safe import SNOWFLAKE, SafeButton, SafeView, row_id, services_of, snowflake

Interaction = discord.Interaction[Any]


KIND_LETTERS = {"prompt": "p", "reminder": "r", "channel": "c"}


def prompt_custom_id(
    community_id: int, schedule_id: int, occurrence: str | None = None, kind: str | None = None
) -> str:
    """The "Check in" button's custom_id. A sent prompt's also names its occurrence and kind, so that a late
    retry can find it among the channel's messages and not send it twice."""
    custom_id = f"lantern:open:{community_id}:{schedule_id}"
    if occurrence is not None and kind in KIND_LETTERS:
        custom_id += f":{occurrence}:{KIND_LETTERS[kind]}"
    return custom_id


class OpenCheckinButton(SafeButton):
    """ "Check in" on a channel prompt, a DM prompt or a reminder: opens the form for that community."""

    kind = "open"
    # The schedule is 0 on a preview opened by hand, so it is a row id or 0, not a snowflake. Prompts sent
    # before the occurrence was named (older versions) have no `:date:kind` suffix and still work.
    template = re.compile(
        rf"lantern:open:(?P<c>{SNOWFLAKE}):(?P<s>[0-9]{{1,19}})(?::(?P<o>[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}):(?P<k>[prc]))?"
    )

    def __init__(
        self,
        community_id: int,
        schedule_id: int,
        occurrence: str | None = None,
        prompt_kind: str | None = None,
        language: str = DEFAULT_LANGUAGE,
    ) -> None:
        super().__init__(
            label=message("prompts", language, "check_in_button"),
            style=discord.ButtonStyle.primary,
            emoji="📝",
            custom_id=prompt_custom_id(community_id, schedule_id, occurrence, prompt_kind),
        )
        self.community_id = community_id
        self.schedule_id = schedule_id

    @classmethod
    def from_match(cls, match: re.Match[str]) -> OpenCheckinButton:
        schedule_id = int(match["s"])
        if schedule_id:
            row_id(match["s"])
        letters = {letter: kind for kind, letter in KIND_LETTERS.items()}
        return cls(snowflake(match["c"]), schedule_id, match["o"], letters.get(match["k"] or ""))

    async def act(self, interaction: Interaction) -> None:
        await open_checkin_form(interaction, self.community_id, self.schedule_id)


class DmMoodButton(SafeButton):
    """One-tap mood after a member answered a DM prompt in their own words."""

    kind = "dmmood"
    template = re.compile(rf"lantern:dmmood:(?P<c>{SNOWFLAKE}):(?P<d>[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}):(?P<m>[1-5])")

    def __init__(self, community_id: int, day: date, mood: int, lang: str = DEFAULT_LANGUAGE) -> None:
        super().__init__(
            label=mood_labels(lang)[mood],
            style=discord.ButtonStyle.secondary,
            custom_id=f"lantern:dmmood:{community_id}:{day.isoformat()}:{mood}",
        )
        self.community_id = community_id
        self.day = day
        self.mood = mood

    @classmethod
    def from_match(cls, match: re.Match[str]) -> DmMoodButton:
        # A date that cannot be (2026-13-45) raises ValueError: the router answers it as stale.
        return cls(snowflake(match["c"]), date.fromisoformat(match["d"]), int(match["m"]))

    async def act(self, interaction: Interaction) -> None:
        services = services_of(interaction)
        lang = language_of_locale(interaction.locale)
        outcome = await services.checkins.set_mood(self.community_id, interaction.user.id, self.day, self.mood)
        if outcome is None:
            await interaction.response.send_message(checkin_text(lang, "day_gone"), ephemeral=True)
            return
        await interaction.response.edit_message(content=acknowledgement(outcome, lang), view=None)


def prompt_view(
    community_id: int,
    schedule_id: int,
    *,
    with_tip: bool = False,
    occurrence: str | None = None,
    kind: str | None = None,
    language: str = DEFAULT_LANGUAGE,
) -> SafeView:
    """The buttons under a prompt: "Check in", and on channel prompts "Get a tip"."""
    from bot.ui.support_buttons import get_tip_button

    view = SafeView(OpenCheckinButton(community_id, schedule_id, occurrence, kind, language))
    if with_tip:
        view.add_item(get_tip_button(community_id, language))
    return view


def mood_view(community_id: int, day: date, lang: str = DEFAULT_LANGUAGE) -> SafeView:
    return SafeView(*(DmMoodButton(community_id, day, mood, lang) for mood in sorted(MOOD_LABELS, reverse=True)))


BUTTONS: tuple[type[SafeButton], ...] = (OpenCheckinButton, DmMoodButton)
