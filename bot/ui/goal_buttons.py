"""The goal question's one-tap answers, sent right after a check-in form: custom_ids carry all they need."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import discord

from bot.services.goal_words import measure, say
from bot.services.goals import Recorded, answer_labels, question_text
from bot.services.messages import DEFAULT_LANGUAGE, language_of_locale
from bot.storage.models import GOAL_ANSWERS, Goal
from bot.ui.safe import SNOWFLAKE, SafeButton, SafeView, services_of, snowflake

Interaction = discord.Interaction[Any]

# One letter per measure keeps the custom_id short; the answer is its button's position.
MEASURE_LETTERS = {"days": "d", "before": "b", "cravings": "c"}
LETTER_MEASURES = {letter: key for key, letter in MEASURE_LETTERS.items()}


class GoalAnswerButton(SafeButton):
    """One answer to the member's goal question, kept in that day's check-in."""

    kind = "goal"
    template = re.compile(
        rf"lantern:goal:(?P<c>{SNOWFLAKE}):(?P<u>{SNOWFLAKE}):(?P<d>[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}):(?P<m>[dbc]):(?P<a>[0-4])"
    )

    def __init__(self, community_id: int, user_id: int, day: date, measure: str, answer: int, label: str = "") -> None:
        if not 0 <= answer < GOAL_ANSWERS[measure]:
            raise ValueError("not an answer to that measure's question")
        super().__init__(
            label=label or str(answer),
            style=discord.ButtonStyle.secondary,
            custom_id=f"lantern:goal:{community_id}:{user_id}:{day.isoformat()}:{MEASURE_LETTERS[measure]}:{answer}",
        )
        self.community_id, self.user_id, self.day = community_id, user_id, day
        self.measure, self.answer = measure, answer

    @classmethod
    def from_match(cls, match: re.Match[str]) -> GoalAnswerButton:
        # An impossible date or an answer the measure does not offer raises ValueError: answered as stale.
        return cls(
            snowflake(match["c"]),
            snowflake(match["u"]),
            date.fromisoformat(match["d"]),
            LETTER_MEASURES[match["m"]],
            int(match["a"]),
        )

    async def act(self, interaction: Interaction) -> None:
        language = language_of_locale(interaction.locale)
        if interaction.user.id != self.user_id:
            await interaction.response.send_message(say("not_yours", language), ephemeral=True)
            return
        if interaction.guild_id is not None and interaction.guild_id != self.community_id:
            await interaction.response.send_message(say("other_server", language), ephemeral=True)
            return
        services = services_of(interaction)
        result = await services.goals.record(self.community_id, self.user_id, self.day, self.measure, self.answer)
        if result is not Recorded.NOTED:
            await interaction.response.send_message(say(result.value, language), ephemeral=True)
            return
        label = measure(self.measure, language).answers[self.answer]
        # The question stays above the answer (its first line), and the buttons stay to change the answer.
        message = interaction.message
        question = message.content.split("\n", 1)[0] if message is not None and message.content else ""
        await interaction.response.edit_message(content=f"{question}\n{say('noted', language, answer=label)}".strip())


def goal_question(
    community_id: int, user_id: int, day: date, goal: Goal, language: str = DEFAULT_LANGUAGE
) -> tuple[str, SafeView]:
    """The goal's question and its buttons, one per answer (five at most: one row), in the member's language."""
    view = SafeView(
        *(
            GoalAnswerButton(community_id, user_id, day, goal.measure, position, label)
            for position, label in enumerate(answer_labels(goal, language))
        )
    )
    return question_text(goal, language), view


BUTTONS: tuple[type[SafeButton], ...] = (GoalAnswerButton,)
