"""One path for every button and form Lantern sends: routed by custom_id, answered once, errors told kindly."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, ClassVar, Self

import discord

from bot.errors import UserFacingError
from bot.logs import describe_error
from bot.services.messages import language_of_locale, message
from bot.storage.tables import MAX_ROW_ID
from bot.ui.options import MAX_SNOWFLAKE
from bot.ui.replies import answer, words_for

if TYPE_CHECKING:
    from bot.runtime import LanternClient, Services

log = logging.getLogger(__name__)

Interaction = discord.Interaction[Any]

# Every custom_id Lantern has ever sent starts with this; the router owns the whole namespace.
NAMESPACE = "lantern:"
_KIND = re.compile(r"lantern:(?P<kind>[a-z]{1,20})(?::|$)")
# What a snowflake looks like inside a custom_id; `snowflake()` then checks its size.
SNOWFLAKE = r"[0-9]{1,20}"

UNKNOWN_BUTTON = message("errors", "en", "unknown_button")


def snowflake(text: str) -> int:
    """A Discord id (or a row id) read from a custom_id: positive and below 2**63, else ValueError."""
    value = int(text)
    if not 0 < value <= MAX_SNOWFLAKE:
        raise ValueError("not an id")
    return value


def row_id(text: str) -> int:
    """A row id (a schedule, a partner group) read from a custom_id: 1 to MAX_ROW_ID, else ValueError."""
    value = int(text)
    if not 0 < value <= MAX_ROW_ID:
        raise ValueError("not a row id")
    return value


def services_of(interaction: Interaction) -> Services:
    """The bot's services, from any interaction (components do not know the bot's type statically)."""
    bot: LanternClient = interaction.client
    return bot.services


async def answer_error(interaction: Interaction, error: BaseException, place: str) -> None:
    """Tell the member kindly, and write one log line with the error's type and place, never its message
    (it could quote what a member wrote)."""
    try:
        await answer(interaction, words_for(error, language_of_locale(interaction.locale)))
        told = ""
    except discord.HTTPException as problem:
        told = f"; the member could not be told (Discord error {problem.code})"
    if isinstance(error, UserFacingError):
        log.info("%s refused: %s%s", place, type(error).__name__, told)
    else:
        log.error("%s raised %s%s", place, describe_error(error), told)


class Routed:
    """Something Lantern sent whose interactions come back by custom_id: a button or a form.

    A subclass names its `kind` (the custom_id's second part), a `template` for the whole custom_id,
    `from_match` to rebuild itself from the custom_id alone, and `act` to answer the interaction. What
    to say when an id of its kind is no longer understood is `stale_<kind>` in the errors catalogue.
    """

    kind: ClassVar[str]
    template: ClassVar[re.Pattern[str]]

    @classmethod
    def from_match(cls, match: re.Match[str]) -> Self:
        raise NotImplementedError

    @classmethod
    def stale_words(cls, interaction: Interaction) -> str:
        """What to say, in the member's language, when an id of this kind is no longer understood."""
        return message("errors", language_of_locale(interaction.locale), f"stale_{cls.kind}")

    async def act(self, interaction: Interaction) -> None:
        raise NotImplementedError

    async def run(self, interaction: Interaction) -> None:
        """`act`, with any error turned into a kind answer and one log line."""
        try:
            await self.act(interaction)
        except Exception as error:
            await answer_error(interaction, error, type(self).__name__)


class SafeButton(Routed, discord.ui.Button[Any]):
    """The base of every Lantern button. Only the router dispatches it: discord.py's view store never
    keeps it, so no button is ever answered twice or held in memory per message."""

    def is_dispatchable(self) -> bool:
        return False

    async def callback(self, interaction: Interaction) -> None:
        await self.run(interaction)


class SafeModal(Routed, discord.ui.Modal):
    """The base of every Lantern form. Its submission is read from the payload by the router, so a form
    survives restarts and two members' forms never collide (discord.py would key them by custom_id)."""

    def is_finished(self) -> bool:
        # Tells discord.py not to keep this form in memory when it is sent.
        return True

    async def on_submit(self, interaction: Interaction) -> None:
        await self.run(interaction)

    # discord.py's Modal itself narrows BaseView.on_error (no item); this matches Modal's signature.
    async def on_error(self, interaction: Interaction, error: Exception) -> None:  # type: ignore[override]
        await answer_error(interaction, error, type(self).__name__)


class SafeView(discord.ui.View):
    """The buttons under a Lantern message: SafeButtons only, so every press reaches the router."""

    def __init__(self, *items: SafeButton) -> None:
        super().__init__(timeout=None)
        for item in items:
            self.add_item(item)

    def add_item(self, item: discord.ui.Item[Any]) -> Self:
        if not isinstance(item, SafeButton):
            raise TypeError(f"a Lantern view holds SafeButtons only, not {type(item).__name__}")
        return super().add_item(item)

    async def on_error(self, interaction: Interaction, error: Exception, item: discord.ui.Item[Any]) -> None:
        await answer_error(interaction, error, f"view item {type(item).__name__}")


class Router:
    """Answers every component and form interaction under `lantern:` exactly once.

    discord.py dispatches nothing under the namespace (no dynamic items are registered and SafeButtons
    and SafeModals are never stored), so this is the only handler: a custom_id that matches a template
    is rebuilt and run; anything else (a removed feature, a changed suffix, a malformed id) gets the
    stale words of its kind, at once, well within Discord's 3 seconds.
    """

    def __init__(self, buttons: Iterable[type[SafeButton]], forms: Iterable[type[SafeModal]]) -> None:
        self.buttons = tuple(buttons)
        self.forms = tuple(forms)
        kinds = [route.kind for route in (*self.buttons, *self.forms)]
        if len(kinds) != len(set(kinds)):
            raise ValueError(f"two routes share a kind: {sorted(kinds)}")

    def owns(self, interaction: Interaction) -> bool:
        kinds = (discord.InteractionType.component, discord.InteractionType.modal_submit)
        return interaction.type in kinds and _custom_id(interaction).startswith(NAMESPACE)

    async def dispatch(self, interaction: Interaction) -> None:
        if not self.owns(interaction):
            return
        custom_id = _custom_id(interaction)
        is_form = interaction.type == discord.InteractionType.modal_submit
        routes: tuple[type[Routed], ...] = self.forms if is_form else self.buttons
        for route in routes:
            match = route.template.fullmatch(custom_id)
            if match is None:
                continue
            try:
                item = route.from_match(match)
            except ValueError:
                break  # the right shape, but a value no longer makes sense (an id out of range, a date)
            except Exception as error:
                await answer_error(interaction, error, route.__name__)
                return
            await item.run(interaction)
            return
        await self._stale(interaction, custom_id, is_form)

    def stale_words(self, interaction: Interaction, custom_id: str, is_form: bool) -> str:
        """What to say for a custom_id no route takes: by its kind when the kind is known."""
        kind = _KIND.match(custom_id)
        routes: tuple[type[Routed], ...] = self.forms if is_form else self.buttons
        for route in routes:
            if kind is not None and route.kind == kind["kind"]:
                return route.stale_words(interaction)
        return message(
            "errors", language_of_locale(interaction.locale), "unknown_form" if is_form else "unknown_button"
        )

    async def _stale(self, interaction: Interaction, custom_id: str, is_form: bool) -> None:
        kind = _KIND.match(custom_id)
        # The kind only (at most 20 letters), never the rest of the id, which carries ids and choices.
        shown = kind["kind"] if kind is not None else "?"
        log.info("a stale %s (kind %s) was answered", "form" if is_form else "component", shown)
        try:
            await answer(interaction, self.stale_words(interaction, custom_id, is_form))
        except discord.HTTPException as problem:
            log.warning("could not answer a stale %s (Discord error %s)", shown, problem.code)


def _custom_id(interaction: Interaction) -> str:
    data: dict[str, Any] = dict(interaction.data or {})
    value = data.get("custom_id")
    return value if isinstance(value, str) else ""
