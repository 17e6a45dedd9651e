"""Coping tips for a member: chosen without repeats, shaped by their feedback, built-in and the community's own."""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from bot.clock import Clock
from bot.errors import UserFacingError
from bot.services.messages import message
from bot.services.tip_library import (
    Situation,
    Tip,
    TipLibrary,
    TipLibraryError,
    choose_tip,
    named_in,
    validate_custom_tip,
)
from bot.storage.database import Database
from bot.storage.support import CustomTip
from bot.storage.tables import MAX_ROW_ID

ANY = "any"
CUSTOM_PREFIX = "c"
MAX_COMMUNITY_TIPS = 50


def custom_tip_id(tip_id: int) -> str:
    return f"{CUSTOM_PREFIX}{tip_id}"


_CUSTOM_ID = re.compile(r"c?(?P<number>[0-9]{1,18})", re.ASCII)


def parse_custom_tip_id(text: str, language: str = "en") -> int:
    """The row id in a community tip's id as a leader types it ("c3", "C3" or "3"); kindly refused otherwise."""
    match = _CUSTOM_ID.fullmatch(text.strip().lower())
    if match is None or not 0 < int(match["number"]) <= MAX_ROW_ID:
        raise UserFacingError(message("tips", language, "not_found", tip_id=text.strip()[:20]))
    return int(match["number"])


def check_custom_tip(
    title: str,
    body: str,
    situation: str | None,
    library: TipLibrary,
    language: str = "en",
    also: TipLibrary | None = None,
) -> None:
    """A community tip's words, checked before anything is stored; the message says what to change."""
    try:
        validate_custom_tip(title, body, situation, library, language, also)
    except TipLibraryError as problem:
        raise UserFacingError(str(problem)) from None


def as_tip(custom: CustomTip) -> Tip:
    situations = (custom.situation,) if custom.situation else ()
    return Tip(
        id=custom_tip_id(custom.id),
        title=custom.title,
        body=custom.body,
        situations=situations,
        minutes=5,
        source="your community's own tip",
        community_id=custom.community_id,
    )


@dataclass(frozen=True)
class ChosenTip:
    """A tip picked for a member, and the situation it was picked for ("any" when none)."""

    tip: Tip
    situation: str


class TipService:
    """Picks tips and records what members saw and thought of them, per member and community."""

    def __init__(
        self,
        db: Database,
        library: TipLibrary,
        clock: Clock,
        rng: random.Random | None = None,
        libraries: Mapping[str, TipLibrary] | None = None,
    ) -> None:
        self.db = db
        # Tips are chosen from the English library; `libraries` holds the same tips (same ids, checked at
        # start-up) in each language a member may read them in.
        self.library = library
        self.libraries = {**(libraries or {}), "en": library}
        self.clock = clock
        self.rng = rng or random.Random()

    def library_for(self, language: str) -> TipLibrary:
        """The built-in tips in a member's language; English when Lantern has none in it."""
        return self.libraries.get(language, self.library)

    def situation_for(self, text: str | None, language: str = "en") -> str | None:
        """A situation key from what a member typed or picked; None for "anything"."""
        if text is None or not text.strip():
            return None
        return situation_for_text(self.library_for(language), text, also=self.library)

    def situation_choices(self, partial: str, language: str = "en") -> list[Situation]:
        """Autocomplete in the member's language; words of English ("craving") still find their situation."""
        library = self.library_for(language)
        found = library.situation_choices(partial)
        if found or library is self.library:
            return found
        return [s for s in (library.situation(c.key) for c in self.library.situation_choices(partial)) if s]

    def in_language(self, tip: Tip, language: str) -> Tip:
        """A built-in tip in the member's language; a community's own tip as its leader wrote it."""
        if tip.community_id is not None:
            return tip
        return self.library_for(language).by_id(tip.id) or tip

    async def community_tips(self, community_id: int) -> list[Tip]:
        return [as_tip(c) for c in await self.db.tips.custom(community_id)]

    async def next_tip(
        self, community_id: int, user_id: int, situation: str | None, language: str = "en"
    ) -> ChosenTip | None:
        """The next tip for this member; None when they set aside every tip for this situation."""
        key = situation or ANY
        chosen: list[Tip] = []

        def choose(custom: list[CustomTip], seen: Callable[[int], list[str]], feedback: dict[str, str]) -> str | None:
            extra = [as_tip(c) for c in custom]
            pool_size = len(self.library.pool(situation, extra=extra))
            not_for_me = {t for t, verdict in feedback.items() if verdict == "not_for_me"}
            helped = {t for t, verdict in feedback.items() if verdict == "helped"}
            tip = choose_in_situation(
                self.library, situation, extra, seen(2 * pool_size + 2), not_for_me, helped, self.rng
            )
            chosen[:] = [] if tip is None else [tip]
            return None if tip is None else tip.id

        # One trip to the database: read what the member saw and thought, choose, record the view.
        if await self.db.tips.pick(community_id, user_id, key, self.clock(), choose) is None:
            return None
        return ChosenTip(self.in_language(chosen[0], language), key)

    async def first_of(
        self, community_id: int, user_id: int, situations: list[str], language: str = "en"
    ) -> ChosenTip | None:
        """A tip for the most pressing of these situations that still has one to give."""
        for situation in situations:
            if self.library.situation(situation) is None:
                continue
            chosen = await self.next_tip(community_id, user_id, situation, language)
            if chosen is not None:
                return chosen
        return None

    async def feedback(self, community_id: int, user_id: int, tip_id: str, verdict: str) -> None:
        await self.db.tips.set_feedback(community_id, user_id, tip_id, verdict, self.clock())

    async def tip_by_id(self, community_id: int, tip_id: str, language: str = "en") -> Tip | None:
        if tip_id.startswith(CUSTOM_PREFIX) and tip_id[1:].isascii() and tip_id[1:].isdecimal():
            for tip in await self.community_tips(community_id):
                if tip.id == tip_id:
                    return tip
            return None
        return self.library_for(language).by_id(tip_id)

    # ----- leaders' own tips ---------------------------------------------------------------------

    def check_custom(self, title: str, body: str, situation: str | None, language: str = "en") -> None:
        """A leader's tip checked in their language: situations named in it, or in English, are understood."""
        check_custom_tip(title, body, situation, self.library_for(language), language, also=self.library)

    async def add_custom(
        self, community_id: int, title: str, body: str, situation: str | None, language: str = "en"
    ) -> Tip:
        self.check_custom(title, body, situation, language)
        if len(await self.db.tips.custom(community_id)) >= MAX_COMMUNITY_TIPS:
            raise UserFacingError(message("tips", language, "too_many", count=str(MAX_COMMUNITY_TIPS)))
        key = named_in(situation, self.library_for(language), self.library) if situation else None
        custom = await self.db.tips.add_custom(community_id, title.strip(), body.strip(), key, self.clock())
        return as_tip(custom)

    async def remove_custom(self, community_id: int, tip_id: str, language: str = "en") -> None:
        if not await self.db.tips.remove_custom(community_id, parse_custom_tip_id(tip_id, language)):
            raise UserFacingError(message("tips", language, "not_found", tip_id=tip_id.strip()[:20]))


def situation_for_text(library: TipLibrary, text: str, also: TipLibrary | None = None) -> str | None:
    """The situation a member's words point to: named, or the closest in meaning; None (any tip) when
    nothing in them points anywhere. Never a refusal: someone asking for a tip gets one.

    `also` is a second library whose situation names count before a guess (the English one, for a member
    writing in Spanish who types "Low mood"); only whole names, since its phrases are English words that may
    be other words in another language ("sos" is "you are" in Argentina).
    """
    named = library.named_situation(text)
    if named is None and also is not None and also is not library:
        named = also.situation_key(text)
    return named or library.closest_situation(text)


def choose_in_situation(
    library: TipLibrary,
    situation: str | None,
    extra: Sequence[Tip],
    seen: Sequence[str],
    not_for_me: set[str],
    helped: set[str],
    rng: random.Random,
) -> Tip | None:
    """The next tip for a situation (None: any), given what the member saw and thought of tips."""
    return choose_tip(library.pool(situation, extra=extra), seen, not_for_me, helped, rng, situation)


def pick_first_tip(
    library: TipLibrary, situations: Sequence[str | None], seen: Sequence[str], rng: random.Random
) -> Tip | None:
    """What a member with no feedback yet gets for the most pressing of `situations` (the benchmark's view
    of `TipService.first_of`)."""
    for situation in situations:
        tip = choose_in_situation(library, situation, (), seen, set(), set(), rng)
        if tip is not None:
            return tip
    return None


def render_tip(tip: Tip, language: str = "en") -> str:
    """A tip as a message: title, body, and where the idea comes from, in the member's language (a community's
    own tip keeps its leader's words)."""
    source = message("tips", language, "community_source") if tip.community_id is not None else tip.source
    about = message("tips", language, "about", minutes=str(tip.minutes), source=source)
    return f"**{tip.title}**\n{tip.body}\n-# {about}"
