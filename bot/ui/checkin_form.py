"""The check-in form (a modal): how any button or command opens it, and how its submission is answered."""

from __future__ import annotations

import asyncio
import logging
import re
import secrets
import weakref
from typing import Any

import discord

from bot.services.checkin_form import (
    CRAVINGS_FIELD,
    FORM_ID,
    HALT_FIELD,
    MOOD_FIELD,
    NOTE_FIELD,
    NOTE_LIMIT,
    NOTE_MAX_LENGTH,
    QUESTION_FIELD,
    FormError,
    checkin_text,
    collect_fields,
    craving_labels,
    form_custom_id,
    halt_labels,
    mood_labels,
    parse_submission,
    seen_of,
)
from bot.services.checkins import acknowledgement, situations_for, wants_tip
from bot.services.messages import language_of_locale
from bot.services.privacy_notice import privacy_notice
from bot.services.question_words import answer_choices, on_form
from bot.services.safety import Step
from bot.services.schedules import Question
from bot.services.tips import render_tip
from bot.storage.models import CheckinContent
from bot.ui.goal_buttons import goal_question
from bot.ui.partner_buttons import PingPartnerButton
from bot.ui.replies import answer
from bot.ui.safe import SafeModal, SafeView, row_id, services_of, snowflake
from bot.ui.support_buttons import safety_view, tip_view

Interaction = discord.Interaction[Any]
log = logging.getLogger(__name__)

ANSWER_FIELD_MAX = 300
# How many submitted forms are worked on at once. In a burst the rest wait here, already acknowledged, so
# that the event loop sends every acknowledgement first instead of interleaving them with saves and replies.
SAVING_AT_ONCE = 16
# One gate per event loop (an asyncio semaphore belongs to the loop it first waited on).
_gates: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = weakref.WeakKeyDictionary()


def _saving_gate() -> asyncio.Semaphore:
    loop = asyncio.get_running_loop()
    gate = _gates.get(loop)
    if gate is None:
        gate = _gates[loop] = asyncio.Semaphore(SAVING_AT_ONCE)
    return gate


class CheckinForm(SafeModal):
    """The daily check-in. Its custom_id is unique per opening and carries what the submission needs."""

    kind = "checkin"
    template = FORM_ID

    def __init__(
        self, community_id: int, schedule_id: int, nonce: str, seen: str | None = None, lang: str = "en"
    ) -> None:
        super().__init__(
            title=checkin_text(lang, "form_title"),
            custom_id=form_custom_id(community_id, schedule_id, nonce, seen),
            timeout=None,
        )
        self.community_id = community_id
        self.schedule_id = schedule_id
        # Who this form told the member would see their answer to the community's question.
        self.seen = seen or "me"

    @classmethod
    def opened(
        cls,
        community_id: int,
        schedule_id: int,
        question: Question | None,
        earlier: CheckinContent | None = None,
        lang: str = "en",
    ) -> CheckinForm:
        """A fresh form with its fields; the schedule is named only when it adds a question. With `earlier`
        (today's check-in so far) the form says it updates today's and opens with those answers filled in,
        so a change is always seen and nothing is replaced unseen."""
        seen = question.visibility if question else None
        form = cls(community_id, schedule_id if question else 0, secrets.token_hex(8), seen, lang)
        if earlier is not None:
            form.title = checkin_text(lang, "update_title")
        mood: discord.ui.RadioGroup[CheckinForm] = discord.ui.RadioGroup(custom_id=MOOD_FIELD, required=True)
        for value, label in mood_labels(lang).items():
            mood.add_option(label=label, value=str(value), default=earlier is not None and earlier.mood == value)
        cravings: discord.ui.RadioGroup[CheckinForm] = discord.ui.RadioGroup(custom_id=CRAVINGS_FIELD, required=True)
        for value, label in craving_labels(lang).items():
            cravings.add_option(
                label=label, value=str(value), default=earlier is not None and earlier.cravings == value
            )
        halt: discord.ui.CheckboxGroup[CheckinForm] = discord.ui.CheckboxGroup(
            custom_id=HALT_FIELD, required=False, min_values=0, max_values=len(halt_labels(lang))
        )
        for key, label in halt_labels(lang).items():
            halt.add_option(label=label, value=key, default=earlier is not None and key in earlier.halt)
        earlier_note = earlier.note if earlier is not None else ""
        note: discord.ui.TextInput[CheckinForm] = discord.ui.TextInput(
            custom_id=NOTE_FIELD,
            style=discord.TextStyle.paragraph,
            required=False,
            # A note gathered from several DM replies may be longer than a fresh form takes; it is shown whole.
            max_length=min(NOTE_LIMIT, max(NOTE_MAX_LENGTH, len(earlier_note))),
            default=earlier_note or None,
            placeholder=checkin_text(lang, "note_placeholder"),
        )
        form.add_item(discord.ui.Label(text=checkin_text(lang, "mood_question"), component=mood))
        form.add_item(discord.ui.Label(text=checkin_text(lang, "cravings_question"), component=cravings))
        halt_label = discord.ui.Label(
            text=checkin_text(lang, "halt_label"), description=checkin_text(lang, "halt_description"), component=halt
        )
        form.add_item(halt_label)
        form.add_item(discord.ui.Label(text=checkin_text(lang, "note_label"), component=note))
        if question:
            form.add_item(question_field(question, earlier, lang))
        return form

    @classmethod
    def from_match(cls, match: re.Match[str]) -> CheckinForm:
        schedule_id = int(match["schedule"])
        if schedule_id:
            row_id(match["schedule"])
        seen = seen_of(match["seen"]) if match["seen"] else None
        return cls(snowflake(match["community"]), schedule_id, match["nonce"], seen)

    async def act(self, interaction: Interaction) -> None:
        """Save a submitted check-in (before saying it was saved) and answer with what fits it."""
        services = services_of(interaction)
        community_id = self.community_id
        if interaction.guild_id is not None and interaction.guild_id != community_id:
            lang = language_of_locale(interaction.locale)
            await interaction.response.send_message(checkin_text(lang, "other_server"), ephemeral=True)
            return
        # The first answer goes out at once, before any database work: under a burst of check-ins the
        # acknowledgement must not wait for the save, and Discord gives 15 minutes to fill it in. Nothing says
        # "saved" until the save has committed.
        await interaction.response.defer(ephemeral=True, thinking=True)
        async with _saving_gate():
            await self._save_and_answer(interaction, services, community_id)

    async def _save_and_answer(self, interaction: Interaction, services: Any, community_id: int) -> None:
        user_id = interaction.user.id
        lang = language_of_locale(interaction.locale)
        if interaction.guild_id is None and await services.db.members.get(community_id, user_id) is None:
            await answer(interaction, checkin_text(lang, "in_server"))
            return
        data: dict[str, Any] = dict(interaction.data or {})
        fields = collect_fields(data.get("components", []))
        question = await services.schedules.question_of(community_id, self.schedule_id) if self.schedule_id else None
        # The member agreed to what the form showed; if a leader has changed it since, the answer stays theirs.
        agreed = question.visibility if question is not None and question.visibility == self.seen else "me"
        try:
            content = parse_submission(
                fields,
                question.text if question else None,
                lang,
                answer_kind=question.answer_kind if question else "text",
                visibility=agreed,
            )
        except FormError as problem:
            await answer(interaction, str(problem))
            return
        # The crisis check reads only what the member wrote, so it runs while the check-in is stored; the
        # same write records the privacy notice as seen.
        saving = services.checkins.save(community_id, user_id, content, mark_notice_seen=True)
        checking = services.safety.check(
            community_id,
            content.note,
            *content.answers.values(),
            language=lang,
            mood=content.mood,
            cravings=content.cravings,
        )
        # The goal is read beside the save: its question follows the reply as one-tap buttons.
        reading = services.goals.get(community_id, user_id)
        outcome, (step, safety), goal = await asyncio.gather(saving, checking, reading)
        reply = acknowledgement(outcome, lang)
        given = fields.get(QUESTION_FIELD)
        answered = (given.value or "".join(given.values)).strip() if given is not None else ""
        if self.schedule_id and question is None and answered:
            reply += "\n" + checkin_text(lang, "question_gone")
        view: SafeView | None = None
        if safety is not None:
            # A crisis card or the safety question comes before anything else; a leader hears of it only if
            # the member presses the consent button.
            reply = f"{reply}\n\n{safety.text}"
            view = safety_view(community_id, safety)
        elif wants_tip(content):
            chosen = await services.tips.first_of(community_id, user_id, situations_for(content), lang)
            if chosen is not None:
                reply = f"{reply}\n\n{checkin_text(lang, 'might_help')}\n{render_tip(chosen.tip, lang)}"
                view = tip_view(community_id, chosen, lang)
            if step == Step.SUPPORT:
                group = await services.partners.partner_thread_for(community_id, user_id)
                if group is not None:
                    view = view or SafeView()
                    view.add_item(PingPartnerButton(community_id, group.id, lang))
                    reply += "\n" + checkin_text(lang, "partner_hello")
        if outcome.first_use:
            reply += "\n\n" + privacy_notice(lang)
        if view is not None:
            await answer(interaction, reply[:2000], view=view)
        else:
            await answer(interaction, reply[:2000])
        if goal is not None and safety is None and outcome.day is not None:
            # Not after a crisis card: that moment is for the lines above. `/goal show` asks it later.
            asked, buttons = goal_question(community_id, user_id, outcome.day, goal.goal, lang)
            try:
                await interaction.followup.send(asked, view=buttons, ephemeral=True)
            except discord.HTTPException as problem:
                # The check-in is saved and the member was told so; a lost question must not turn that into
                # an apology. `/goal show` offers the day's question again.
                log.warning("the goal question could not follow a check-in (Discord error %s)", problem.code)


def question_field(
    question: Question, earlier: CheckinContent | None, lang: str = "en"
) -> discord.ui.Label[CheckinForm]:
    """The community's question: words, or one tap for yes/no and 1-5; under it, who will see the answer."""
    before = (earlier.answers.get(question.text) if earlier is not None else None) or None
    choices = answer_choices(question.answer_kind, lang)
    component: discord.ui.TextInput[CheckinForm] | discord.ui.RadioGroup[CheckinForm]
    if choices:
        component = discord.ui.RadioGroup(custom_id=QUESTION_FIELD, required=False)
        for label, stored in choices:
            component.add_option(label=label, value=stored, default=before == stored)
    else:
        component = discord.ui.TextInput(
            custom_id=QUESTION_FIELD,
            style=discord.TextStyle.short,
            required=False,
            max_length=ANSWER_FIELD_MAX,
            default=before,
        )
    description = on_form(question.visibility, question.answer_kind, lang)
    return discord.ui.Label(text=question.text, description=description, component=component)


async def open_checkin_form(interaction: Interaction, community_id: int, schedule_id: int) -> None:
    """Answer an interaction with the form; its submission is handled from the payload, not from memory."""
    services = services_of(interaction)
    schedule_id, question = await services.schedules.question_for(community_id, schedule_id or None)
    earlier = await services.checkins.todays_content(community_id, interaction.user.id)
    lang = language_of_locale(interaction.locale)
    await interaction.response.send_modal(CheckinForm.opened(community_id, schedule_id, question, earlier, lang))


FORMS: tuple[type[SafeModal], ...] = (CheckinForm,)
