"""The tip library: the shipped file, the loader's checks, situation matching and tip selection."""

from __future__ import annotations

import itertools
import random
import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.services.tip_library import (
    BODY_MAX_LENGTH,
    MAX_CHOICES,
    SHIPPED_TIPS_NAME,
    TITLE_MAX_LENGTH,
    Tip,
    TipLibrary,
    TipLibraryError,
    choose_tip,
    current_cycle,
    load_library,
    shipped_tips,
    situations_for_checkin,
    validate_custom_tip,
)

# Discord's limits for where a tip is shown: an embed title and description, or a plain message.
EMBED_TITLE_LIMIT = 256
EMBED_DESCRIPTION_LIMIT = 4096
MESSAGE_LIMIT = 2000


@pytest.fixture(scope="module")
def library() -> TipLibrary:
    return load_library()


# --- the shipped library -------------------------------------------------------------------------


def test_the_library_ships_as_package_data() -> None:
    assert shipped_tips().is_file()
    assert shipped_tips().name == "tips.toml"


def test_shipped_library_has_enough_tips_across_enough_situations(library: TipLibrary) -> None:
    counts = Counter(key for tip in library.tips for key in tip.situations)
    print(f"\n{len(library.tips)} tips across {len(library.situations)} situations:")
    for situation in library.situations:
        print(f"  {situation.key:<16} {counts[situation.key]:>3}")
    assert len(library.tips) >= 60
    well_stocked = [s.key for s in library.situations if counts[s.key] >= 5]
    assert len(well_stocked) >= 10
    # Every situation offered in autocomplete must have a real choice of tips behind it.
    assert all(counts[s.key] >= 5 for s in library.situations), counts
    for key in (
        "craving",
        "urge",
        "stress",
        "anxiety",
        "loneliness",
        "anger",
        "boredom",
        "sleep",
        "low-mood",
        "after-a-slip",
        "social-pressure",
        "halt",
    ):
        assert library.situation(key) is not None, key


def test_every_tip_fits_discords_limits(library: TipLibrary) -> None:
    for tip in library.tips:
        assert len(tip.title) <= TITLE_MAX_LENGTH <= EMBED_TITLE_LIMIT, tip.id
        assert len(tip.body) <= BODY_MAX_LENGTH <= EMBED_DESCRIPTION_LIMIT, tip.id
        rendered = f"**{tip.title}**\n{tip.body}\n-# {tip.minutes} min · {tip.source}"
        assert len(rendered) <= MESSAGE_LIMIT, tip.id


def test_tips_are_unique_and_kebab_case(library: TipLibrary) -> None:
    ids = [tip.id for tip in library.tips]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", tip_id) for tip_id in ids)
    assert len({tip.body for tip in library.tips}) == len(ids)


def test_tips_stay_in_the_products_voice(library: TipLibrary) -> None:
    shaming = re.compile(r"\b(fail\w*|relaps\w*|addicts?|junkie|alcoholics?|clean time|guarantee\w*)\b", re.I)
    for tip in library.tips:
        assert not shaming.search(f"{tip.title} {tip.body}"), tip.id


def test_by_id_and_situation_lookups(library: TipLibrary) -> None:
    first = library.tips[0]
    assert library.by_id(first.id) is first
    assert library.by_id("no-such-tip") is None
    assert library.situation_key("Low mood") == "low-mood"
    assert library.situation_key("after-a-slip") == "after-a-slip"
    assert library.situation_key("sad") is None


def test_pool_filters_by_situation_and_takes_community_tips(library: TipLibrary) -> None:
    sleep_pool = library.pool("sleep")
    assert sleep_pool and all("sleep" in tip.situations for tip in sleep_pool)
    # Tips mainly for after a slip come only when a member says they slipped.
    slip_tips = [tip for tip in library.tips if tip.situations[0] == "after-a-slip"]
    assert slip_tips and all(tip in library.pool("after-a-slip") for tip in slip_tips)
    assert library.pool(None) == [tip for tip in library.tips if tip not in slip_tips]
    for situation in library.situations:
        if situation.key != "after-a-slip":
            assert not set(slip_tips) & set(library.pool(situation.key)), situation.key
    ours = Tip(
        "c1-call-the-warmline",
        "Call our warmline",
        "Our warmline is open every evening.",
        ("sleep",),
        5,
        "Community",
        community_id=1,
    )
    general = Tip("c1-general", "Any time", "A general tip for any moment at all.", (), 5, "Community", 1)
    assert library.pool("sleep", extra=[ours, general])[-2:] == [ours, general]
    assert ours not in library.pool("anger", extra=[ours, general])
    assert general in library.pool("anger", extra=[ours, general])
    with pytest.raises(KeyError):
        library.pool("no-such-situation")


# --- the loader's checks -------------------------------------------------------------------------

SITUATIONS = """
[situations.craving]
name = "Craving"
description = "A pull toward using."

[situations.stress]
name = "Stress"
description = "Too much going on."
"""


def tip_toml(
    tip_id: str | None = "box-breathing",
    *,
    title: str = '"Box breathing"',
    body: str | None = None,
    situations: str = '["stress"]',
    minutes: str = "3",
    source: str = '"Box breathing"',
) -> str:
    body = body if body is not None else '"' + "Breathe in for four, hold for four, out for four." + '"'
    id_line = f'id = "{tip_id}"\n' if tip_id is not None else ""
    return (
        f"[[tip]]\n{id_line}title = {title}\nbody = {body}\nsituations = {situations}\n"
        f"minutes = {minutes}\nsource = {source}\n"
    )


def write(tmp_path: Path, *tips: str, situations: str = SITUATIONS) -> Path:
    path = tmp_path / "tips.toml"
    path.write_text(situations + "\n" + "\n".join(tips), encoding="utf-8")
    return path


def load_error(path: Path) -> str:
    with pytest.raises(TipLibraryError) as caught:
        load_library(path)
    return str(caught.value)


def test_a_good_small_file_loads(tmp_path: Path) -> None:
    library = load_library(write(tmp_path, tip_toml(), tip_toml("urge-surfing", situations='["craving"]')))
    assert [tip.id for tip in library.tips] == ["box-breathing", "urge-surfing"]
    assert library.tips[0].situations == ("stress",)
    assert library.tips[0].community_id is None
    assert [s.key for s in library.situations] == ["craving", "stress"]


@pytest.mark.parametrize(
    ("entries", "expected"),
    [
        pytest.param([tip_toml(), tip_toml(None)], ["tip #2 (no id)", 'missing "id"'], id="missing id"),
        pytest.param(
            [tip_toml(), tip_toml()],
            ['tip "box-breathing" (#2): id is used by an earlier tip', "unique"],
            id="duplicate id",
        ),
        pytest.param([tip_toml("Box_Breathing")], ['tip "Box_Breathing"', "kebab-case"], id="bad id"),
        pytest.param(
            [tip_toml(situations='["stress", "panic"]')],
            ['tip "box-breathing"', 'unknown situation "panic"'],
            id="unknown situation",
        ),
        pytest.param([tip_toml(situations="[]")], ['tip "box-breathing"', "situations is empty"], id="no situations"),
        pytest.param(
            [tip_toml(body='"' + "x" * 1200 + '"')],
            ['tip "box-breathing" (#1): body is 1200 characters; the most is 1000'],
            id="body too long",
        ),
        pytest.param(
            [tip_toml(body='"Too short."')],
            ['tip "box-breathing"', "body is 10 characters"],
            id="body too short",
        ),
        pytest.param(
            [tip_toml(title='"' + "t" * 101 + '"')],
            ['tip "box-breathing"', "title is 101"],
            id="title too long",
        ),
        pytest.param(
            [tip_toml(source='"' + "s" * 201 + '"')],
            ['tip "box-breathing"', "source is 201"],
            id="source too long",
        ),
        pytest.param([tip_toml(minutes="0")], ['tip "box-breathing"', "minutes is 0"], id="minutes 0"),
        pytest.param([tip_toml(minutes="61")], ['tip "box-breathing"', "minutes is 61"], id="minutes 61"),
        pytest.param(
            [tip_toml(minutes='"ten"')],
            ['tip "box-breathing"', "minutes should be a whole number, not text"],
            id="minutes text",
        ),
        pytest.param(
            [tip_toml(minutes="true")],
            ['tip "box-breathing"', "minutes should be a whole number"],
            id="minutes bool",
        ),
        pytest.param([tip_toml(title="42")], ['tip "box-breathing"', "title should be text"], id="title number"),
        pytest.param(
            [tip_toml(situations='"stress"')],
            ['tip "box-breathing"', "situations should be a list"],
            id="situations not a list",
        ),
        pytest.param(
            [tip_toml() + 'situation = ["stress"]\n'],
            ['tip "box-breathing"', 'unknown field "situation"'],
            id="misspelt field",
        ),
        pytest.param(
            [tip_toml().replace('source = "Box breathing"\n', "")],
            ['tip "box-breathing"', 'missing "source"'],
            id="missing source",
        ),
    ],
)
def test_loader_rejects_bad_entries_naming_file_tip_and_problem(
    tmp_path: Path, entries: list[str], expected: list[str]
) -> None:
    path = write(tmp_path, *entries)
    message = load_error(path)
    assert message.startswith(str(path)), message
    for part in expected:
        assert part in message, message


def test_loader_rejects_a_file_that_is_not_toml(tmp_path: Path) -> None:
    path = tmp_path / "tips.toml"
    path.write_text("this is [not toml\n", encoding="utf-8")
    message = load_error(path)
    assert str(path) in message and "not valid TOML" in message


def test_loader_rejects_a_missing_file(tmp_path: Path) -> None:
    message = load_error(tmp_path / "nowhere.toml")
    assert "nowhere.toml" in message and "can't read" in message


def test_loader_rejects_a_file_without_situations_or_tips(tmp_path: Path) -> None:
    assert "[situations]" in load_error(write(tmp_path, tip_toml(), situations=""))
    assert "no tips" in load_error(write(tmp_path))


def test_loader_rejects_a_bad_situation_entry(tmp_path: Path) -> None:
    bad = '[situations.Low_Mood]\nname = "Low mood"\n'
    message = load_error(write(tmp_path, tip_toml(), situations=SITUATIONS + bad))
    assert 'situation "Low_Mood"' in message and "kebab-case" in message
    assert 'missing "description"' in message


def test_loader_reports_every_problem_at_once(tmp_path: Path) -> None:
    message = load_error(write(tmp_path, tip_toml(minutes="0"), tip_toml("other", situations='["nope"]')))
    lines = message.splitlines()
    assert len(lines) == 2
    assert 'tip "box-breathing"' in lines[0] and 'tip "other"' in lines[1]


def test_loader_reports_every_problem_with_file_entry_and_field(tmp_path: Path) -> None:
    bad_situation = "[situations.Low_Mood]\nname = 3\n"
    path = write(
        tmp_path,
        tip_toml("Box_Breathing", title='""', minutes="0"),
        tip_toml(None, situations='["panic", "stress"]', minutes="2.5") + 'colour = "red"\n',
        tip_toml("urge-surfing", body='"Too short."'),
        tip_toml("urge-surfing", situations='"craving"').replace('source = "Box breathing"\n', ""),
        situations=SITUATIONS + bad_situation + 'title = "tips"\n',
    )
    lines = load_error(path).splitlines()
    where = str(path)
    assert lines == [
        f'{where}: situation "Low_Mood": the key should be kebab-case (lower-case words joined by hyphens)',
        f'{where}: situation "Low_Mood": name should be text, not a whole number',
        f'{where}: situation "Low_Mood": missing "description"',
        f'{where}: situation "Low_Mood": unknown field "title"; the fields are description, name, phrases',
        f'{where}: tip "Box_Breathing" (#1): id should be kebab-case (lower-case letters and digits joined by hyphens)',
        f'{where}: tip "Box_Breathing" (#1): title is empty',
        f'{where}: tip "Box_Breathing" (#1): minutes is 0; the least is 1',
        f'{where}: tip #2 (no id): missing "id"',
        f'{where}: tip #2 (no id): situations names an unknown situation "panic"; known: Low_Mood, craving, stress',
        f"{where}: tip #2 (no id): minutes should be a whole number, not a decimal number",
        f'{where}: tip #2 (no id): unknown field "colour"; the fields are body, id, minutes, situations, source, title',
        f'{where}: tip "urge-surfing" (#3): body is 10 characters; the least is 20',
        f'{where}: tip "urge-surfing" (#4): id is used by an earlier tip; ids must be unique',
        f'{where}: tip "urge-surfing" (#4): situations should be a list, not text',
        f'{where}: tip "urge-surfing" (#4): missing "source"',
    ]


def test_messages_name_the_shipped_file_as_it_sits_in_the_project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = write(tmp_path, tip_toml(minutes="0"))
    monkeypatch.setattr("bot.services.tip_library.shipped_tips", lambda language="en": bad)
    with pytest.raises(TipLibraryError) as caught:
        load_library()
    assert str(caught.value).startswith(f'{SHIPPED_TIPS_NAME}: tip "box-breathing"'), caught.value


# --- matching free text and autocomplete ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("cravings", "craving"),
        ("Craving", "craving"),
        ("really craving a drink", "craving"),
        ("urge", "urge"),
        ("urge right now", "urge"),
        ("can't sleep", "sleep"),
        ("I can’t sleep again", "sleep"),
        ("lonely", "loneliness"),
        ("feeling so alone tonight", "loneliness"),
        ("slipped", "after-a-slip"),
        ("I slipped last night", "after-a-slip"),
        ("after a slip", "after-a-slip"),
        ("low mood", "low-mood"),
        ("feeling low", "low-mood"),
        ("sad", "low-mood"),
        ("stressed out", "stress"),
        ("panicky", "anxiety"),
        ("so angry", "anger"),
        ("bored", "boredom"),
        ("going to a party", "social-pressure"),
        ("peer pressure", "social-pressure"),
        ("HALT", "halt"),
        ("starving", "hungry"),
        ("exhausted", "tired"),
        ("sleepy", "tired"),
        ("not sleeping", "sleep"),
        ("I just used", "after-a-slip"),
    ],
)
def test_match_situation_understands_everyday_phrasing(library: TipLibrary, text: str, key: str) -> None:
    assert library.match_situation(text) == key


@pytest.mark.parametrize("text", ["", "   ", "?!", "xyzzy", "banana"])
def test_match_situation_returns_none_for_nothing_recognisable(library: TipLibrary, text: str) -> None:
    assert library.match_situation(text) is None


def test_situation_choices_for_autocomplete(library: TipLibrary) -> None:
    everything = library.situation_choices("")
    assert everything == list(library.situations[:MAX_CHOICES])
    assert len(library.situation_choices("", limit=100)) <= MAX_CHOICES
    assert len(library.situation_choices("", limit=3)) == 3
    assert library.situation_choices("sl")[0].key == "sleep"
    assert library.situation_choices("mood")[0].key == "low-mood"
    assert library.situation_choices("lonely")[0].key == "loneliness"
    assert library.situation_choices("Af")[0].key == "after-a-slip"
    assert library.situation_choices("qqqq") == []
    assert [s.key for s in library.situation_choices("s")][:3] == ["stress", "sleep", "social-pressure"]
    assert "after-a-slip" in [s.key for s in library.situation_choices("s")]
    assert all(len(s.name) <= 100 for s in everything)


@given(st.text(max_size=40), st.integers(min_value=-5, max_value=100))
def test_situation_choices_never_exceed_discords_limit(partial: str, limit: int) -> None:
    library = _shipped()
    choices = library.situation_choices(partial, limit=limit)
    assert len(choices) <= min(max(limit, 0), MAX_CHOICES)
    assert len({c.key for c in choices}) == len(choices)


_SHIPPED: list[TipLibrary] = []


def _shipped() -> TipLibrary:
    """The shipped library, loaded once for hypothesis tests (which cannot take module fixtures)."""
    if not _SHIPPED:
        _SHIPPED.append(load_library())
    return _SHIPPED[0]


# --- choosing a tip ------------------------------------------------------------------------------


def make_pool(size: int) -> list[Tip]:
    return [
        Tip(f"tip-{n}", f"Tip {n}", f"Body of tip number {n}, long enough.", ("craving",), 5, "Test")
        for n in range(size)
    ]


pools = st.integers(min_value=1, max_value=12).map(make_pool)


@st.composite
def pool_and_marks(draw: st.DrawFn) -> tuple[list[Tip], set[str], set[str], int]:
    pool = draw(pools)
    ids = [tip.id for tip in pool]
    not_for_me = draw(st.sets(st.sampled_from(ids)))
    helped = draw(st.sets(st.sampled_from(ids)))
    seed = draw(st.integers(min_value=0, max_value=2**32))
    return pool, not_for_me, helped, seed


def ask_repeatedly(
    pool: list[Tip],
    not_for_me: set[str],
    helped: set[str],
    rng: random.Random,
    times: int,
    seen: list[str] | None = None,
) -> list[str]:
    """A member pressing "Another one" `times` times, with what they saw fed back as history."""
    seen = list(seen or [])
    shown: list[str] = []
    for _ in range(times):
        tip = choose_tip(pool, seen, not_for_me, helped, rng)
        assert tip is not None
        seen.append(tip.id)
        shown.append(tip.id)
    return shown


@given(pool_and_marks(), st.lists(st.sampled_from([f"tip-{n}" for n in range(14)]), max_size=30))
def test_never_returns_a_tip_marked_not_for_me(
    case: tuple[list[Tip], set[str], set[str], int], seen: list[str]
) -> None:
    pool, not_for_me, helped, seed = case
    rng = random.Random(seed)
    for _ in range(3 * len(pool)):
        tip = choose_tip(pool, seen, not_for_me, helped, rng)
        if tip is None:
            break
        assert tip.id not in not_for_me
        seen = [*seen, tip.id]


@given(pool_and_marks())
def test_returns_none_only_when_everything_is_not_for_me(
    case: tuple[list[Tip], set[str], set[str], int],
) -> None:
    pool, not_for_me, helped, seed = case
    tip = choose_tip(pool, [], not_for_me, helped, random.Random(seed))
    everything_refused = all(t.id in not_for_me for t in pool)
    assert (tip is None) == everything_refused
    assert choose_tip([], [], set(), set(), random.Random(seed)) is None


@given(pool_and_marks(), st.integers(min_value=1, max_value=4))
def test_no_repeat_before_the_pool_is_exhausted(case: tuple[list[Tip], set[str], set[str], int], cycles: int) -> None:
    pool, not_for_me, helped, seed = case
    eligible = [t.id for t in pool if t.id not in not_for_me]
    if not eligible:
        return
    shown = ask_repeatedly(pool, not_for_me, helped, random.Random(seed), cycles * len(eligible))
    for start in range(0, len(shown), len(eligible)):
        one_pass = shown[start : start + len(eligible)]
        assert sorted(one_pass) == sorted(eligible), shown
    if len(eligible) > 1:
        assert all(a != b for a, b in itertools.pairwise(shown)), shown


@given(pool_and_marks(), st.lists(st.sampled_from([f"tip-{n}" for n in range(14)]), max_size=40))
def test_cycles_stay_whole_after_any_history(
    case: tuple[list[Tip], set[str], set[str], int], history: list[str]
) -> None:
    pool, not_for_me, helped, seed = case
    eligible = [t.id for t in pool if t.id not in not_for_me]
    if not eligible:
        return
    already = current_cycle(eligible, history)
    # Whatever came before, the member sees the rest of the open cycle with no repeats, then a full pass.
    remaining = len(eligible) - len(already)
    shown = ask_repeatedly(pool, not_for_me, helped, random.Random(seed), remaining + len(eligible), history)
    assert sorted(shown[:remaining]) == sorted(set(eligible) - already)
    assert sorted(shown[remaining:]) == sorted(eligible)


@given(pool_and_marks(), st.lists(st.sampled_from([f"tip-{n}" for n in range(14)]), max_size=30))
def test_choice_is_deterministic_for_a_seeded_rng(
    case: tuple[list[Tip], set[str], set[str], int], seen: list[str]
) -> None:
    pool, not_for_me, helped, seed = case
    first = choose_tip(pool, seen, not_for_me, helped, random.Random(seed))
    again = choose_tip(pool, seen, not_for_me, helped, random.Random(seed))
    assert first == again


@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=3, max_value=10), st.data())
def test_a_helped_tip_is_chosen_more_often(size: int, data: st.DataObject) -> None:
    pool = make_pool(size)
    favourite = data.draw(st.sampled_from(pool)).id
    rng = random.Random(1234)
    # First picks of a fresh cycle, many times over: the favourite should lead the others.
    firsts: Counter[str] = Counter()
    for _ in range(3000):
        tip = choose_tip(pool, [], set(), {favourite}, rng)
        assert tip is not None
        firsts[tip.id] += 1
    others = [count for tip_id, count in firsts.items() if tip_id != favourite]
    assert firsts[favourite] > max(others)
    expected_share = 3 / (3 + size - 1)
    assert abs(firsts[favourite] / 3000 - expected_share) < 0.05


def test_a_new_cycle_avoids_the_tip_shown_last() -> None:
    pool = make_pool(3)
    seen = ["tip-0", "tip-1", "tip-2"]
    for seed in range(50):
        tip = choose_tip(pool, seen, set(), {"tip-2"}, random.Random(seed))
        assert tip is not None and tip.id != "tip-2"


def test_a_single_tip_pool_keeps_offering_it() -> None:
    pool = make_pool(1)
    assert choose_tip(pool, ["tip-0", "tip-0"], set(), set(), random.Random(0)) == pool[0]


def test_current_cycle_follows_the_documented_rule() -> None:
    eligible = ["a", "b", "c"]
    assert current_cycle(eligible, []) == set()
    assert current_cycle(eligible, ["a", "b"]) == {"a", "b"}
    assert current_cycle(eligible, ["a", "b", "c"]) == set()
    assert current_cycle(eligible, ["a", "b", "c", "a", "b"]) == {"a", "b"}
    assert current_cycle(eligible, ["a", "x", "b"]) == {"a", "b"}  # x is gone or "not for me"
    assert current_cycle(eligible, ["a", "b", "a"]) == {"a"}  # a repeat opens a new cycle


def test_shipped_pools_cycle_without_repeats(library: TipLibrary) -> None:
    for situation in library.situations:
        pool = library.pool(situation.key)
        shown = ask_repeatedly(pool, set(), set(), random.Random(7), len(pool))
        assert sorted(shown) == sorted(t.id for t in pool), situation.key


# --- what a check-in suggests --------------------------------------------------------------------


def test_quiet_check_in_suggests_nothing() -> None:
    assert situations_for_checkin(0, frozenset(), 4) == []
    assert situations_for_checkin(2, frozenset(), 3) == []


def test_strong_cravings_come_first() -> None:
    assert situations_for_checkin(3, frozenset(), 4) == ["craving"]
    assert situations_for_checkin(4, frozenset({"tired"}), 1)[:3] == ["craving", "urge", "low-mood"]


def test_low_mood_and_halt_boxes() -> None:
    assert situations_for_checkin(0, frozenset(), 2) == ["low-mood"]
    assert situations_for_checkin(0, frozenset({"lonely"}), 3) == ["loneliness", "halt"]
    assert situations_for_checkin(0, frozenset({"tired"}), 3) == ["tired", "sleep", "halt"]
    # Several boxes: each box's own situation, in the order they usually bite hardest; general HALT last.
    assert situations_for_checkin(0, frozenset({"hungry", "angry"}), 3) == ["anger", "hungry", "halt"]
    assert situations_for_checkin(0, frozenset({"lonely", "tired"}), 4) == ["loneliness", "tired", "sleep", "halt"]


@given(
    st.integers(min_value=0, max_value=4),
    st.frozensets(st.sampled_from(["hungry", "angry", "lonely", "tired"])),
    st.integers(min_value=1, max_value=5),
)
def test_check_in_situations_are_known_and_distinct(cravings: int, halt: frozenset[str], mood: int) -> None:
    library = _shipped()
    found = situations_for_checkin(cravings, halt, mood)
    assert len(found) == len(set(found))
    assert all(library.situation(key) is not None and library.pool(key) for key in found)
    assert (cravings >= 3) == ("craving" in found)
    assert bool(halt) == ("halt" in found)
    assert (mood <= 2) == ("low-mood" in found)


# --- leaders' own tips ---------------------------------------------------------------------------


def test_a_good_custom_tip_passes(library: TipLibrary) -> None:
    validate_custom_tip("Call the warmline", "Our warmline is open 6pm to midnight every day.", "craving", library)
    validate_custom_tip("Any time", "Step outside and take five slow breaths.", None, library)
    validate_custom_tip("Low days", "Message a leader in #support, we read it daily.", "Low mood", library)
    # The same names /tip takes: "lonely" files a tip under Loneliness.
    validate_custom_tip("Reach out", "Message a leader in #support, we read it daily.", "lonely", library)


@pytest.mark.parametrize(
    ("title", "body", "situation", "expected"),
    [
        ("Hi", "A perfectly fine body for a tip.", None, "at least 3 characters; this one has 2"),
        ("t" * 101, "A perfectly fine body for a tip.", None, "up to 100 characters; this one has 101"),
        ("Fine title", "Too short", None, "at least 20 characters; this one has 9"),
        ("Fine title", "b" * 1001, None, "up to 1000 characters; this one has 1001"),
        ("Fine title", "A perfectly fine body for a tip.", "lonley", 'I don\'t know the situation "lonley"'),
        ("Fine title", "A perfectly fine body for a tip.", "nobody gets it", 'Did you mean "Loneliness"?'),
    ],
)
def test_custom_tips_get_a_kind_specific_error(
    library: TipLibrary, title: str, body: str, situation: str | None, expected: str
) -> None:
    with pytest.raises(TipLibraryError) as caught:
        validate_custom_tip(title, body, situation, library)
    assert expected in str(caught.value)


def test_every_tip_as_sent_fits_discords_spec() -> None:
    """Each built-in tip, rendered with its buttons, is a callback body Discord accepts."""
    from bot.services.tips import ChosenTip, render_tip
    from bot.ui.support_buttons import tip_view
    from discord_standin.spec import SpecValidator, default_spec_path

    validator = SpecValidator.load()
    if validator is None:
        pytest.skip(f"Discord's OpenAPI description was not found at {default_spec_path()}")
    for tip in load_library().tips:
        view = tip_view(1576347907471179776, ChosenTip(tip, tip.situations[0]))
        body = {"type": 4, "data": {"content": render_tip(tip), "flags": 64, "components": view.to_components()}}
        assert validator.validate("POST", "/interactions/1/token/callback", body) == [], tip.id
