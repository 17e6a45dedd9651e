"""Plain value types that the storage layer hands to the rest of the bot."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

HALT_KEYS: tuple[str, ...] = ("hungry", "angry", "lonely", "tired")
_HALT_SET = frozenset(HALT_KEYS)

MOOD_RANGE = range(1, 6)
CRAVINGS_RANGE = range(0, 5)
# A community question's kinds of answer, and who may see an answer (chosen by leaders, shown on the form).
ANSWER_KINDS = ("text", "yesno", "scale")
VISIBILITIES = ("me", "partner", "leaders")
# A personal goal's measure (bot/data/goals.toml), and how many answers its one question offers.
GOAL_ANSWERS: dict[str, int] = {"days": 2, "before": 2, "cravings": 5}


@dataclass(frozen=True, repr=False)
class CheckinContent:
    """The private part of a check-in: only ever stored encrypted."""

    # None only for a check-in begun by a DM reply, before the member tapped a mood.
    mood: int | None
    cravings: int | None
    halt: frozenset[str]
    note: str = ""
    answers: dict[str, str] = field(default_factory=dict)
    # The day's answer to the member's goal question: (measure, the answer's position), or None.
    goal: tuple[str, int] | None = None
    # Answers the member gave under a visibility other than "only me", as the form showed it: question ->
    # "partner" or "leaders". An answer not named here is the member's alone.
    shared: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # `type(...) is int`: bool is an int subclass, and a True mood is a bug upstream, not a mood of 1. The
        # checks are written for speed as well: /history reads three years of check-ins through here.
        mood, cravings = self.mood, self.cravings
        if mood is not None and not (type(mood) is int and mood in MOOD_RANGE):
            raise ValueError("mood must be an integer from 1 to 5")
        if cravings is not None and not (type(cravings) is int and cravings in CRAVINGS_RANGE):
            raise ValueError("cravings must be an integer from 0 to 4")
        halt = self.halt if type(self.halt) is frozenset and self.halt <= _HALT_SET else _as_halt(self.halt)
        if not isinstance(self.note, str):
            raise ValueError("note must be a string")
        answers = _as_answers(self.answers)
        _check_goal_answer(self.goal)
        shared = _as_answers(self.shared)
        if any(v not in VISIBILITIES[1:] or k not in answers for k, v in shared.items()):
            raise ValueError("shared answers must name given answers, seen by a partner or leaders")
        # Callers may pass a set or a dict they keep mutating; freeze our own copies.
        object.__setattr__(self, "halt", halt)
        object.__setattr__(self, "answers", answers)
        object.__setattr__(self, "shared", shared)

    def __repr__(self) -> str:
        # Content is private: a stray log line or traceback must not reveal how someone is doing.
        return "CheckinContent(<redacted>)"

    def to_json(self) -> bytes:
        """Serialise to compact JSON with sorted keys (stable bytes for the same content)."""
        payload: dict[str, object] = {
            "mood": self.mood,
            "cravings": self.cravings,
            "halt": sorted(self.halt),
            "note": self.note,
            "answers": self.answers,
        }
        if self.shared:
            payload["shared"] = self.shared
        if self.goal is not None:
            # Only when given: a check-in without a goal answer keeps the bytes it always had.
            payload["goal"] = {"measure": self.goal[0], "answer": self.goal[1]}
        # ensure_ascii keeps any str (even a lone surrogate) encodable, so every note round-trips.
        return json.dumps(payload, separators=(",", ":"), sort_keys=True).encode("ascii")

    @classmethod
    def from_json(cls, data: bytes) -> CheckinContent:
        """Parse bytes produced by `to_json`; raises ValueError on anything else."""
        try:
            # Decoded here, not by json.loads: its guessing of the bytes' encoding was a fifth of the parse.
            raw = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ValueError("check-in content is not valid JSON") from exc
        if not isinstance(raw, dict):
            raise ValueError("check-in content must be a JSON object")
        try:
            mood = raw.get("mood")
            cravings = raw.get("cravings")
            halt = raw["halt"]
        except KeyError as exc:
            raise ValueError(f"check-in content is missing {exc.args[0]!r}") from None
        if not isinstance(halt, list):
            raise ValueError("halt must be a list")
        goal = raw.get("goal")
        if goal is not None and not (isinstance(goal, dict) and {"measure", "answer"} <= set(goal)):
            raise ValueError("goal must be an object with a measure and an answer")
        return cls(
            mood=mood,
            cravings=cravings,
            halt=frozenset(halt),
            note=raw.get("note", ""),
            answers=raw.get("answers", {}),
            goal=None if goal is None else (goal["measure"], goal["answer"]),
            shared=raw.get("shared", {}),
        )


def _check_goal_answer(value: Any) -> None:
    if value is None:
        return
    if not isinstance(value, tuple) or len(value) != 2:
        raise ValueError("a goal answer must be (measure, answer)")
    measure, answer = value
    if measure not in GOAL_ANSWERS:
        raise ValueError(f"unknown goal measure; allowed: {sorted(GOAL_ANSWERS)}")
    if isinstance(answer, bool) or not isinstance(answer, int) or not 0 <= answer < GOAL_ANSWERS[measure]:
        raise ValueError("a goal answer must be one of its question's answers")


@dataclass(frozen=True, repr=False)
class Goal:
    """A member's personal goal: their own words and a measure Lantern can track. Only ever stored encrypted."""

    words: str
    measure: str
    # days: drinking or using days a week (0-6); before: minutes after midnight; cravings: the level (1-4)
    # that the member's cravings should stay below.
    target: int

    def __post_init__(self) -> None:
        if not isinstance(self.words, str) or not self.words:
            raise ValueError("a goal needs words")
        if self.measure not in GOAL_ANSWERS:
            raise ValueError(f"unknown goal measure; allowed: {sorted(GOAL_ANSWERS)}")
        limits = {"days": range(0, 7), "before": range(0, 24 * 60), "cravings": range(1, 5)}
        if isinstance(self.target, bool) or not isinstance(self.target, int) or self.target not in limits[self.measure]:
            raise ValueError("the goal's target is outside its measure's range")

    def __repr__(self) -> str:
        return "Goal(<redacted>)"

    def to_json(self) -> bytes:
        payload = {"words": self.words, "measure": self.measure, "target": self.target}
        return json.dumps(payload, separators=(",", ":"), sort_keys=True).encode("ascii")

    @classmethod
    def from_json(cls, data: bytes) -> Goal:
        try:
            raw = json.loads(data)
            return cls(words=raw["words"], measure=raw["measure"], target=raw["target"])
        except (UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError) as exc:
            raise ValueError("goal content is not a goal") from exc


@dataclass(frozen=True)
class StoredGoal:
    """A member's goal as kept: the goal, decrypted, and when it was set."""

    community_id: int
    user_id: int
    goal: Goal
    set_at: datetime


def _as_halt(value: Any) -> frozenset[str]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise ValueError("halt must be a set of HALT keys")
    halt = frozenset(value)
    unknown = halt.difference(HALT_KEYS)
    if unknown:
        raise ValueError(f"unknown HALT keys: {sorted(map(str, unknown))}; allowed: {list(HALT_KEYS)}")
    return halt


def _as_answers(value: Any) -> dict[str, str]:
    if not isinstance(value, Mapping):
        raise ValueError("answers must be a mapping of question to answer")
    answers = dict(value)
    for question, answer in answers.items():
        if not (isinstance(question, str) and isinstance(answer, str)):
            raise ValueError("answers must map strings to strings")
    return answers


@dataclass(frozen=True)
class StoredCheckin:
    """A member's check-in for one local day, decrypted."""

    id: int
    community_id: int
    user_id: int
    local_date: date
    created_at: datetime
    updated_at: datetime
    content: CheckinContent


@dataclass(frozen=True)
class DayCheckin:
    """A member's check-in for one local day as their own history shows it: the day and what they said."""

    local_date: date
    content: CheckinContent


@dataclass(frozen=True)
class Member:
    """A person known to Lantern within one community, with their own settings."""

    community_id: int
    user_id: int
    timezone: str | None
    privacy_notice_seen: bool
    created_at: datetime
    dm_prompts: bool = False
    reminders: bool = False
    paused_until: datetime | None = None
    dm_channel_id: int | None = None
    unreachable_at: datetime | None = None
    quiet_days: int | None = None
    left_at: datetime | None = None
    share_mood: bool = False
    language: str | None = None  # "en" or "es", from the member's Discord, last seen


@dataclass(frozen=True)
class Community:
    """A Discord server using Lantern, with what `/setup` configured."""

    id: int
    timezone: str
    created_at: datetime
    checkin_channel_id: int | None = None
    alert_channel_id: int | None = None
    leader_role_id: int | None = None
    region: str = "US"
    setup_at: datetime | None = None
    retention_days: int = 365


DESTINATIONS = ("channel", "dm", "both")


@dataclass(frozen=True)
class Schedule:
    """A community's check-in schedule: when, where it posts, and its own question."""

    id: int
    community_id: int
    name: str
    weekdays: frozenset[int]
    local_time: time
    destination: str
    reminder_minutes: int | None
    daily_thread: bool
    question: str | None
    paused: bool
    pause_reason: str | None
    grace_minutes: int
    answer_kind: str = "text"
    visibility: str = "me"

    @property
    def posts_in_channel(self) -> bool:
        return self.destination in ("channel", "both")

    @property
    def sends_dms(self) -> bool:
        return self.destination in ("dm", "both")


# pending: recorded, being sent; retrying: a transient refusal, tried again at retry_at; failed: gave up
# (its grace window ended, or the channel is gone); skipped: no longer needed (the member checked in).
DELIVERY_STATES = ("pending", "retrying", "sent", "failed", "unreachable", "skipped")
DELIVERY_KINDS = ("prompt", "reminder", "channel")
CHANNEL_RECIPIENT = 0  # the user_id recorded for a channel prompt, which has no single recipient


@dataclass(frozen=True)
class Delivery:
    """One (schedule, member, occurrence, kind) send, recorded before it is attempted."""

    id: int
    schedule_id: int
    community_id: int
    user_id: int
    occurrence: str
    kind: str
    state: str
    nonce: str
    scheduled_at: datetime
    sent_at: datetime | None
    channel_id: int | None
    message_id: int | None
    attempts: int = 0
    reserved_at: datetime | None = None
    retry_at: datetime | None = None
    give_up_at: datetime | None = None
    problem: str | None = None


@dataclass(frozen=True)
class SaveResult:
    """Outcome of saving a day's check-in: `created` is False when it replaced that day's earlier one."""

    checkin: StoredCheckin
    created: bool


@dataclass(frozen=True)
class CheckinWrite:
    """A check-in saved together with what its reply needs, all in one write.

    `previous` is the day's earlier check-in if there was one (its content as it was), `days` every local
    date the member has checked in (ascending, this one included), and `first_use` is True only for the
    save that recorded the member seeing the privacy notice.
    """

    saved: SaveResult
    previous: StoredCheckin | None
    days: list[date]
    first_use: bool
