"""End to end: hostile option values for every slash command get one kind error and change nothing.

Each command is fed, through a client that ignores Discord's own checks (`Actor.raw_slash`), a fixed list
of hostile values for every option and then values drawn by hypothesis: huge, negative and zero numbers,
empty and 10,000-character text, control characters, direction overrides, lone surrogates, emoji, text
that looks like SQL, wrong JSON types, ids that are not ids, and members, channels or roles of the wrong
kind. Every answer must be ephemeral, say what to do, never be the generic sorry, and leave every row of
the database as it was; the logs must hold no traceback. `COUNTS` is printed at the end of the run.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.devtools.harness import Harness
from bot.services.dates import KINDS as DATE_KINDS
from bot.services.dates import clean_label
from bot.services.days import clean_name
from bot.services.messages import message
from bot.services.schedules import REGIONS, schedule_name
from bot.services.timeparse import parse_date, parse_time_of_day, parse_weekdays
from bot.services.timezone_names import read_timezone
from bot.services.tip_library import load_library
from bot.storage.tables import MAX_ROW_ID
from bot.ui.replies import SORRY
from discord_standin.driver import Actor
from discord_standin.state import GUILD_CATEGORY
from tests.e2e.database import settled_snapshot, snapshot

# Hostile inputs fed per command, printed by tests/e2e/conftest.py at the end of the run.
COUNTS: Counter[str] = Counter()
# Free text is read for crisis language before anything else (the safety net); some hostile text is read
# as worrying ("../../etc/passwd" by the learned model). Asking "Are you safe right now?" is then the
# designed answer, not an error; these are counted apart.
READ_AS_CRISIS: Counter[str] = Counter()
SAFETY_WORDS = (message("safety", "en", "ask_safe"), message("safety", "en", "closing"))

EXAMPLES = 12  # drawn by hypothesis per command, beside the fixed list
GUILD_VOICE = 2
UNRESOLVED_ID = "123456789012345678"  # looks like a snowflake, but Discord resolved nothing for it
LIBRARY = load_library()

# Words that say what to do next: a command to run, an example, or a choice to make.
NEXT_STEP = re.compile(
    r"`|\b(Try|Pick|Please|Could you|reload|Type /|like|choose|Choose|Remove one|shorten|leave it empty)\b"
)


@dataclass(frozen=True)
class Ref:
    """A member, channel or role of the demo community, named here and resolved when the test runs."""

    name: str


@dataclass
class Hostile:
    """Hostile values for one option: a fixed list, and a strategy for hypothesis."""

    named: list[Any]
    strategy: st.SearchStrategy[Any]


def _refused_by(parse: Callable[[str], object]) -> Callable[[str], bool]:
    def refused(text: str) -> bool:
        try:
            parse(text)
        except Exception:
            return True
        return False

    return refused


CONTROL = ["\x00", "\x07", "\n", "\r", "\t", "\x1b[31m", "\x85", "\x7f"]
DIRECTION = ["\u202e", "\u202d", "\u202a", "\u2066", "\u2067", "\u2068", "\u2069"]
ODD_WORDS = [
    "'; DROP TABLE checkins; --",
    "1 OR 1=1",
    "Robert'); DROP TABLE members;--",
    "🔥🔥🔥",
    "\u200fمرحبا",
    "\u200e",
    "<script>alert(1)</script>",
    "%s%s%s%n",
    "{0}{1}",
    "../../etc/passwd",
    "NULL",
    " ",
    "Ω≈ç√∫",
    "😀" * 40,
    "ᏃᏃ",
]
WRONG_FOR_TEXT: list[Any] = [7, -1, True, None, 1.5, ["a"], {"a": 1}]
WRONG_FOR_NUMBER: list[Any] = ["7", "abc", "", True, False, None, 7.5, float("inf"), [], {}]
WRONG_FOR_BOOLEAN: list[Any] = ["true", "yes", "False", 1, 0, None, 1.5, [], {}]

any_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6,
)


def _with(chars: list[str]) -> st.SearchStrategy[str]:
    return st.tuples(st.text(max_size=15), st.sampled_from(chars), st.text(max_size=15)).map("".join)


def text(max_length: int, refused: Callable[[str], bool] | None = None) -> Hostile:
    """Text no option of this length may hold; with `refused`, also content the option's own rules refuse."""
    named: list[Any] = ["", "x" * (max_length + 1), "x" * 10_000, "a\x00b", "two\nlines", "\x1b[31mred", "\ud800"]
    named += ["\u202eevil", "\u2066isolated", *WRONG_FOR_TEXT]
    parts: list[st.SearchStrategy[Any]] = [
        st.just(""),
        st.text(min_size=max_length + 1, max_size=max_length + 40),
        _with(CONTROL),
        _with(DIRECTION),
        _with(["\ud800", "\udfff"]),
        any_json.filter(lambda value: not isinstance(value, str)),
    ]
    if refused is not None:
        named += [word for word in ODD_WORDS if refused(word)]
        parts.append((st.sampled_from(ODD_WORDS) | st.text(max_size=max_length)).filter(refused))
    return Hostile(named, st.one_of(parts))


def integer(low: int, high: int, also_refused: tuple[int, ...] = ()) -> Hostile:
    outside = [low - 1, high + 1, -1, 0, 2**31, 2**53, 2**63, 2**64, -(2**63), 10**30, *also_refused]
    named: list[Any] = [n for n in dict.fromkeys(outside) if not low <= n <= high or n in also_refused]
    named += WRONG_FOR_NUMBER
    numbers = st.integers(max_value=low - 1) | st.integers(min_value=high + 1)
    if also_refused:
        numbers |= st.sampled_from(also_refused)
    wrong = any_json.filter(lambda value: not isinstance(value, int) or isinstance(value, bool))
    return Hostile(named, numbers | wrong)


def boolean() -> Hostile:
    return Hostile(WRONG_FOR_BOOLEAN, any_json.filter(lambda value: not isinstance(value, bool)))


def choice(values: list[str]) -> Hostile:
    named = [v for v in ["", "x", "WEEKLY", "us", "US ", "x" * 10_000, *ODD_WORDS[:3]] if v not in values]
    texts = (st.text(max_size=30) | st.sampled_from(ODD_WORDS)).filter(lambda v: v not in values)
    return Hostile(named + WRONG_FOR_TEXT, texts | any_json.filter(lambda v: not isinstance(v, str)))


def reference(wrong_kinds: list[str]) -> Hostile:
    """Ids that are not ids, an id Discord resolved nothing for, and objects of the wrong kind."""
    named: list[Any] = ["abc", "0", "-1", str(2**63), str(2**64), "", " 1", "١٢٣", UNRESOLVED_ID, 123, None, True]
    named += [Ref(kind) for kind in wrong_kinds]
    ids = st.integers(min_value=-(2**70), max_value=2**70).map(str) | st.text(max_size=25)
    return Hostile(named, ids | st.sampled_from([Ref(kind) for kind in wrong_kinds]) | any_json)


@dataclass
class Spec:
    """One command: who runs it, valid options to start from, and hostile values for each option."""

    path: str
    who: str
    options: dict[str, Hostile] = field(default_factory=dict)
    base: dict[str, Any] = field(default_factory=dict)
    required: tuple[str, ...] = ()


def not_a_situation_name(value: str) -> bool:
    # What `/tips add` refuses: words that name no situation (blank means a tip for any moment).
    return bool(value.strip()) and LIBRARY.named_situation(value) is None


def not_a_new_schedule_name(value: str) -> bool:
    try:
        return schedule_name(value) == "daily"  # taken: refused as a duplicate
    except Exception:
        return True


def not_an_existing_schedule(value: str) -> bool:
    try:
        return schedule_name(value) != "daily"
    except Exception:
        return True


def not_a_url(value: str) -> bool:
    return not value.startswith("https://") or any(c.isspace() or c in "<>" for c in value) or len(value) < 12


CADENCES = ["weekly", "biweekly"]
WHERE = ["channel", "dm", "both"]
SCHEDULE_BASE = {"name": "evening", "days": "daily", "time": "9pm"}
SCHEDULE_OPTIONS = {
    "days": text(100, _refused_by(parse_weekdays)),
    "time": text(20, _refused_by(parse_time_of_day)),
    "where": choice(WHERE),
    "reminder_minutes": integer(0, 720, also_refused=(1, 2, 3, 4)),
    "daily_thread": boolean(),
    "question": text(45),
    "answer_type": choice(["text", "yesno", "scale"]),
    "visibility": choice(["me", "partner", "leaders"]),
}
NAME_TAKEN = {"name": text(30, not_an_existing_schedule)}


def not_a_day_count_start(value: str) -> bool:
    # What `/days set since:` refuses: words that are not a date, or a date still ahead.
    try:
        return parse_date(value, date(2026, 3, 10)) > date(2026, 3, 10)
    except Exception:
        return True


def not_a_counter_name(value: str) -> bool:
    # Only "alcohol" (made in `prepared`) is alice's; any other name is unknown to show/reset/hide.
    return value.strip().casefold() != "alcohol"


def not_a_new_counter_name(value: str) -> bool:
    try:
        clean_name(value)
    except Exception:
        return True
    return False


def not_a_hard_date(value: str) -> bool:
    # What `/dates add date:` refuses (every year: any real date will do).
    try:
        parse_date(value, date(2026, 3, 10), future=True)
    except Exception:
        return True
    return False


def not_a_label(value: str) -> bool:
    try:
        clean_label(value)
    except Exception:
        return True
    return False


KINDS = list(DATE_KINDS)
REPEATS = ["yearly", "once"]
DATE_OPTIONS = {
    "label": text(60, not_a_label),
    "date": text(40, not_a_hard_date),
    "kind": choice(KINDS),
    "repeat": choice(REPEATS),
}
DATE_BASE = {"label": "payday", "date": "1 April"}

SPECS = [
    Spec("checkin", "alice"),
    Spec("history", "alice", {"days": integer(1, 1095)}),
    # Any words of the right length get a tip (the closest situation's, or any), so only what no option of
    # that length may hold is hostile here.
    Spec("tip", "alice", {"situation": text(100)}),
    Spec("export", "alice"),
    Spec("forget", "alice"),
    Spec("resources", "alice"),
    Spec(
        "settings",
        "alice",
        {
            "timezone": text(64, _refused_by(read_timezone)),
            "dm_prompts": boolean(),
            "reminders": boolean(),
            "quiet_days": integer(0, 60),
            "share_mood": boolean(),
        },
    ),
    Spec("pause", "alice", {"days": integer(1, 90)}, required=("days",)),
    Spec("resume", "alice"),
    # Any tidy name is a counter's (a new one is started), so only what no name may be is hostile for `set`.
    Spec(
        "days set",
        "alice",
        {"name": text(40, not_a_new_counter_name), "since": text(40, not_a_day_count_start)},
        base={"name": "alcohol", "since": "today"},
    ),
    *(Spec(f"days {verb}", "alice", {"name": text(40, not_a_counter_name)}) for verb in ("show", "hide")),
    Spec("days reset", "alice", {"name": text(40, not_a_counter_name)}, base={"name": "sugar"}),
    Spec("dates add", "alice", DATE_OPTIONS, base=DATE_BASE, required=("label", "date")),
    Spec("dates list", "alice"),
    # No dates are made in `prepared`, so every id is one of no date of hers (or of the community).
    Spec("dates remove", "alice", {"id": integer(1, MAX_ROW_ID, also_refused=(1, 2, 3))}, required=("id",)),
    Spec("dates community add", "lee", DATE_OPTIONS, base=DATE_BASE, required=("label", "date")),
    Spec("dates community list", "lee"),
    Spec("dates community remove", "lee", {"id": integer(1, MAX_ROW_ID, also_refused=(1, 2, 3))}, required=("id",)),
    Spec(
        "goal set",
        "alice",
        {
            "measure": choice(["days", "before", "cravings"]),
            "goal": text(200, lambda t: not t.strip()),
            # The base goal is timed, so a number of days or a craving level is one that measure never takes.
            "days": integer(0, 6),
            "time": text(20, _refused_by(parse_time_of_day)),
            "cravings": integer(1, 4),
        },
        base={"measure": "before", "goal": "Nothing before dinner", "time": "6pm"},
        required=("measure", "goal"),
    ),
    Spec("goal show", "alice", {"weeks": integer(1, 12)}),
    Spec("goal clear", "alice"),
    Spec("partner join", "alice", {"cadence": choice(CADENCES)}),
    Spec("partner leave", "alice"),
    Spec("partner status", "alice"),
    Spec("partner rematch", "alice"),
    Spec("partner avoid", "alice", {"member": reference(["checkins", "role", "self"])}, required=("member",)),
    Spec(
        "setup",
        "lee",
        {
            "checkin_channel": reference(["voice", "category", "role", "lee"]),
            "timezone": text(64, _refused_by(read_timezone)),
            "prompt_time": text(20, _refused_by(parse_time_of_day)),
            "leader_role": reference(["checkins", "lee"]),
            "alert_channel": reference(["voice", "category", "role"]),
            "region": choice(list(REGIONS)),
            "retention_days": integer(30, 3650),
        },
    ),
    Spec(
        "schedule add",
        "lee",
        {"name": text(30, not_a_new_schedule_name), **SCHEDULE_OPTIONS},
        base=SCHEDULE_BASE,
        required=("name", "days", "time"),
    ),
    Spec("schedule edit", "lee", {**NAME_TAKEN, **SCHEDULE_OPTIONS}, base={"name": "daily"}, required=("name",)),
    Spec("schedule list", "lee"),
    *(Spec(f"schedule {verb}", "lee", NAME_TAKEN, required=("name",)) for verb in ("remove", "pause", "resume")),
    Spec("schedule preview", "lee", NAME_TAKEN, required=("name",)),
    Spec("report", "lee", {"days": integer(1, 90)}),
    Spec("audit", "lee", {"days": integer(1, 365)}),
    Spec(
        "tips add",
        "lee",
        {
            "title": text(100, lambda t: len(t.strip()) < 3),
            "body": text(1000, lambda t: len(t.strip()) < 20),
            "situation": text(100, not_a_situation_name),
        },
        base={"title": "Walk to the harbour", "body": "Walk to the harbour wall and back, counting the boats."},
        required=("title", "body"),
    ),
    Spec("tips remove", "lee", {"tip_id": text(20, lambda t: True)}, required=("tip_id",)),
    Spec("tips list", "lee"),
    Spec(
        "links add",
        "lee",
        {"name": text(100, lambda t: not 2 <= len(t.strip()) <= 100), "url": text(300, not_a_url)},
        base={"name": "Tuesday night meeting", "url": "https://example.org/tuesday"},
        required=("name", "url"),
    ),
    Spec("links remove", "lee", {"link_id": integer(1, 2**53 - 1)}, required=("link_id",)),
    Spec("links list", "lee"),
    Spec(
        "partners config",
        "lee",
        {"channel": reference(["voice", "category", "role"]), "cadence": choice(CADENCES), "enabled": boolean()},
    ),
    Spec("partners pair-now", "lee"),
    Spec("partners list", "lee"),
    Spec(
        "partners pair",
        "lee",
        {"a": reference(["checkins", "role"]), "b": reference(["checkins", "role", "alice"])},
        base={"a": Ref("alice"), "b": Ref("bob")},
        required=("a", "b"),
    ),
    Spec("partners unpair", "lee", {"member": reference(["checkins", "role"])}, required=("member",)),
    Spec("oncall on", "lee", {"hours": integer(1, 72)}),
    Spec("oncall off", "lee"),
    Spec("oncall who", "lee"),
    Spec("oncall config", "lee", {"minutes": integer(1, 240)}),
    Spec(
        "oncall rota add",
        "lee",
        {
            "days": text(100, _refused_by(parse_weekdays)),
            "start": text(20, _refused_by(parse_time_of_day)),
            "end": text(20, _refused_by(parse_time_of_day)),
            # alice is a member, not a leader: refused as the slot's leader.
            "leader": reference(["checkins", "role", "alice"]),
        },
        base={"days": "weekdays", "start": "18:00", "end": "22:00"},
        required=("days", "start", "end"),
    ),
    Spec("oncall rota list", "lee"),
    Spec("oncall rota remove", "lee", {"slot": integer(1, 2**31 - 1)}, required=("slot",)),
]
# Only the two the fixed list uses for `tips remove` need to be named: a huge number overflowed storage.
SPECS[[s.path for s in SPECS].index("tips remove")].options["tip_id"].named += ["c" + "9" * 30, "9" * 25, "c²", "c-1"]


def options_for(spec: Spec) -> list[dict[str, Any]]:
    """The fixed hostile option sets: each option's named values beside valid others, a required option
    left out, and options the command does not have."""
    sets: list[dict[str, Any]] = []
    for name, hostile in spec.options.items():
        sets += [{**spec.base, name: value} for value in hostile.named]
    sets += [{k: v for k, v in spec.base.items() if k != name} for name in spec.required]
    sets += [{**spec.base, "evil": "'; DROP TABLE checkins; --"}, {**spec.base, "": 1}]
    return sets


def strategy_for(spec: Spec) -> st.SearchStrategy[dict[str, Any]]:
    unknown = st.dictionaries(st.text(min_size=1, max_size=12).filter(lambda n: n not in spec.options), any_json)
    drawn = [st.just(spec.base).flatmap(lambda base: unknown.filter(bool).map(lambda extra: {**base, **extra}))]
    for name, hostile in spec.options.items():
        drawn.append(hostile.strategy.map(lambda value, name=name: {**spec.base, name: value}))
    return st.one_of(drawn)


async def prepared(lantern: Harness) -> Harness:
    """The demo community set up once per test: a schedule, a voice channel and a category to misuse,
    and every actor past their first use (so no privacy notice is written during an example)."""
    if getattr(lantern, "hostile_ready", False):
        return lantern
    community = lantern.community
    assert community is not None
    lee = lantern.person("lee")
    reply = await lee.slash(
        "setup", checkin_channel=community.checkin_channel, prompt_time="9am", alert_channel=community.leaders_channel
    )
    assert reply.ephemeral
    lantern.sandbox.add_channel(community.guild, "voice", GUILD_VOICE)
    lantern.sandbox.add_channel(community.guild, "lounge", GUILD_CATEGORY)
    for name in ("alice", "lee"):
        await lantern.person(name).slash("resources")
    # Two counters, so that `/days reset` with no name is refused (which one?) like every other hostile value.
    await lantern.person("alice").slash("days set", name="alcohol", since="2026-03-01")
    await lantern.person("alice").slash("days set", name="gambling", since="2026-03-01")
    await settled_snapshot(lantern.database_url)
    lantern.hostile_ready = True  # type: ignore[attr-defined]
    return lantern


def resolve(lantern: Harness, actor: Actor, value: Any) -> Any:
    community = lantern.community
    assert community is not None
    if not isinstance(value, Ref):
        return value
    channels = {c.name: c for c in community.guild.channels.values()}
    named = {
        "checkins": community.checkin_channel,
        "voice": channels["voice"],
        "category": channels["lounge"],
        "role": community.leader_role,
        "self": actor.user,
        **{name: person.user for name, person in community.people.items()},
    }
    return named[value.name]


async def assert_refused(
    lantern: Harness, spec: Spec, options: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    actor = lantern.person(spec.who)
    sent = {name: resolve(lantern, actor, value) for name, value in options.items()}
    first_record = len(caplog.records)
    before = snapshot(lantern.database_url)
    reply = await actor.raw_slash(spec.path, sent)
    COUNTS[f"/{spec.path}"] += 1
    assert lantern.bot is not None
    await lantern.bot.drain()  # what a command writes after answering (an audit entry) lands now
    shown = {k: (v if len(repr(v)) < 60 else repr(v)[:60] + "…") for k, v in options.items()}
    assert reply.ephemeral, (spec.path, shown, reply.text)
    assert len(reply.messages) == 1, (spec.path, shown, reply.text)
    text = reply.text
    assert text != SORRY and "failed" not in text.lower(), (spec.path, shown, text)
    if any(words in text for words in SAFETY_WORDS):
        READ_AS_CRISIS[f"/{spec.path}"] += 1
    else:
        assert NEXT_STEP.search(text), (spec.path, shown, text)
    assert snapshot(lantern.database_url) == before, (spec.path, shown, text)
    for record in caplog.records[first_record:]:
        assert record.levelno < logging.ERROR and record.exc_info is None, (spec.path, shown, record.getMessage())


@pytest.mark.parametrize("spec", SPECS, ids=[s.path for s in SPECS])
async def test_named_hostile_values(lantern_at: Harness, caplog: pytest.LogCaptureFixture, spec: Spec) -> None:
    caplog.set_level(logging.INFO)
    lantern = await prepared(lantern_at)
    for options in options_for(spec):
        await assert_refused(lantern, spec, options, caplog)


@pytest.mark.parametrize("spec", SPECS, ids=[s.path for s in SPECS])
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
@given(data=st.data())
async def test_drawn_hostile_values(
    lantern_at: Harness, caplog: pytest.LogCaptureFixture, spec: Spec, data: st.DataObject
) -> None:
    caplog.set_level(logging.INFO)
    lantern = await prepared(lantern_at)
    await assert_refused(lantern, spec, data.draw(strategy_for(spec), label="options"), caplog)


async def test_setup_with_no_options_shows_the_settings(lantern_at: Harness) -> None:
    lantern = await prepared(lantern_at)
    before = snapshot(lantern.database_url)
    reply = await lantern.person("lee").slash("setup")
    assert reply.content.startswith("Here's how Lantern runs here."), reply.content
    assert "• Timezone: UTC" in reply.content
    assert (await settled_snapshot(lantern.database_url))["communities"] == before["communities"]
    changed = await lantern.person("lee").slash("setup", prompt_time="10am")
    assert changed.content.startswith("Updated."), changed.content
    assert "10:00" in changed.content


def test_every_command_and_option_is_fed_hostile_input() -> None:
    from tests.test_option_declarations import commands

    declared = {c.qualified_name: {p.display_name for p in c.parameters} for c in commands()}
    fed = {spec.path: set(spec.options) for spec in SPECS}
    assert fed == declared
