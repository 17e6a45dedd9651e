"""Readable terminal text: names instead of mention codes, local times instead of timestamp codes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from discord_standin.render import Renderer, relative
from discord_standin.server import Sandbox
from discord_standin.state import Message, User

# Tuesday 10 March 2026, 09:00 UTC: 18:00 in Tokyo.
NINE_UTC = int(datetime(2026, 3, 10, 9, 0, tzinfo=UTC).timestamp())
TOKYO = ZoneInfo("Asia/Tokyo")


@pytest.fixture
def sandbox() -> Sandbox:
    return Sandbox(validate_spec=False)


def renderer_for(sandbox: Sandbox, zone: Any = UTC, now: datetime | None = None) -> Renderer:
    moment = now or datetime(2026, 3, 10, 7, 0, tzinfo=UTC)
    return Renderer(sandbox.world, zone, lambda: moment)


def community(sandbox: Sandbox) -> tuple[User, User, int, int, int]:
    lee = sandbox.add_user("lee")
    guild = sandbox.add_guild("Recovery Circle", owner=lee)
    alice = sandbox.add_user("alice")
    sandbox.add_member(guild, alice)
    role = sandbox.add_role(guild, "Peer leader")
    channel = sandbox.add_channel(guild, "check-ins")
    return lee, alice, guild.id, channel.id, role.id


def test_mentions_become_names(sandbox: Sandbox) -> None:
    lee, alice, guild_id, channel_id, role_id = community(sandbox)
    render = renderer_for(sandbox)
    text = f"<@{alice.id}> and <@!{lee.id}>: see <#{channel_id}>, <@&{role_id}> are around."
    assert render.text(text, guild_id) == "@Alice and @Lee: see #check-ins, @Peer leader are around."
    sandbox.world.guilds[guild_id].members[alice.id].nick = "Al"
    assert render.text(f"<@{alice.id}>", guild_id) == "@Al"
    assert render.text(f"<@{alice.id}>") == "@Alice"  # outside the server, no nickname


def test_unknown_ids_read_as_discord_shows_them(sandbox: Sandbox) -> None:
    render = renderer_for(sandbox)
    assert render.text("<@1> <#2> <@&3>") == "@unknown-user #unknown-channel @deleted-role"


def test_everyone_and_dm_channels(sandbox: Sandbox) -> None:
    _, alice, guild_id, _, _ = community(sandbox)
    dm = sandbox.dm_channel(alice)
    render = renderer_for(sandbox)
    assert render.text(f"<@&{guild_id}> <#{dm.id}>") == "@everyone DM with Alice"


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        ("t", "18:00"),
        ("T", "18:00:00"),
        ("d", "10/03/2026"),
        ("D", "10 March 2026"),
        ("f", "10 March 2026 18:00"),
        ("F", "Tuesday 10 March 2026 18:00"),
        ("R", "in 2 hours"),
    ],
)
def test_timestamps_in_the_given_zone(sandbox: Sandbox, style: str, expected: str) -> None:
    render = renderer_for(sandbox, TOKYO)
    assert render.text(f"Next one: <t:{NINE_UTC}:{style}>.") == f"Next one: {expected}."


def test_a_timestamp_without_style_is_short_date_and_time(sandbox: Sandbox) -> None:
    assert renderer_for(sandbox, ZoneInfo("Europe/London")).text(f"<t:{NINE_UTC}>") == "10 March 2026 09:00"


def test_relative_times_both_ways() -> None:
    now = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
    assert relative(datetime(2026, 3, 7, 9, 0, tzinfo=UTC), now) == "3 days ago"
    assert relative(datetime(2026, 3, 10, 9, 1, tzinfo=UTC), now) == "in 1 minute"
    assert relative(datetime(2026, 3, 10, 9, 0, 20, tzinfo=UTC), now) == "in a few seconds"
    assert relative(datetime(2027, 3, 10, 9, 0, tzinfo=UTC), now) == "in 1 year"


def test_a_timestamp_out_of_range_is_left_as_typed(sandbox: Sandbox) -> None:
    assert renderer_for(sandbox).text("<t:99999999999999999999:F>") == "<t:99999999999999999999:F>"


def test_command_mentions_and_custom_emoji(sandbox: Sandbox) -> None:
    assert renderer_for(sandbox).text("Try </checkin:123> <:lantern:456>") == "Try /checkin :lantern:"


def bot_message(sandbox: Sandbox, channel_id: int, **fields: Any) -> Message:
    return Message(id=sandbox.world.ids.next(), channel_id=channel_id, author=sandbox.world.bot_user, **fields)


def test_a_message_with_embeds_and_components(sandbox: Sandbox) -> None:
    _, alice, _, channel_id, _ = community(sandbox)
    message = bot_message(
        sandbox,
        channel_id,
        content=f"Morning, <@{alice.id}>.",
        embeds=[
            {
                "title": "Your week",
                "description": "Five check-ins.",
                "fields": [{"name": "Mood", "value": "mostly 4\nup from 3"}],
                "footer": {"text": "Only you can see this"},
            }
        ],
        components=[
            {
                "type": 1,
                "components": [
                    {"type": 2, "label": "Check in", "custom_id": "a"},
                    {"type": 2, "label": "Get a tip", "custom_id": "b", "disabled": True},
                    {"type": 2, "label": "Find a meeting", "url": "https://example.org"},
                ],
            },
            {
                "type": 1,
                "components": [
                    {
                        "type": 3,
                        "custom_id": "c",
                        "placeholder": "How was today?",
                        "options": [{"label": "Good", "value": "1"}, {"label": "Hard", "value": "2"}],
                    }
                ],
            },
            {"type": 17, "components": [{"type": 10, "content": f"Posted in <#{channel_id}>"}, {"type": 14}]},
        ],
    )
    assert renderer_for(sandbox).message(message) == [
        "Morning, @Alice.",
        "Your week",
        "Five check-ins.",
        "Mood: mostly 4",
        "up from 3",
        "(Only you can see this)",
        "[Check in] [Get a tip (disabled)] [Find a meeting → https://example.org]",
        "[Select: How was today?]",
        "  options: Good / Hard",
        "Posted in #check-ins",
        "—",
    ]


def test_a_section_shows_its_text_then_its_button(sandbox: Sandbox) -> None:
    section = {
        "type": 9,
        "components": [{"type": 10, "content": "Want a tip?"}],
        "accessory": {"type": 2, "label": "Yes please", "emoji": {"name": "🌱"}, "custom_id": "d"},
    }
    assert renderer_for(sandbox).components([section]) == ["Want a tip?", "[🌱 Yes please]"]


# Fragments of Discord's markup, so generated content often looks almost like a mention or a timestamp.
MARKUP = st.sampled_from(["<", ">", "@", "!", "&", "#", ":", "t:", "</", "<t:", "<@", "<#", "<@&", "<a:", "R", "F"])
NUMBERS = st.integers(min_value=-(10**21), max_value=10**21).map(str)
CONTENT = st.lists(st.one_of(MARKUP, NUMBERS, st.text(max_size=6)), max_size=30).map("".join)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=20,
)
COMPONENT_LIKE = st.fixed_dictionaries(
    {"type": st.integers(min_value=0, max_value=24)},
    optional={"components": JSON, "label": JSON, "options": JSON, "content": JSON, "accessory": JSON, "emoji": JSON},
)


@given(content=CONTENT, zone=st.sampled_from([UTC, TOKYO, ZoneInfo("America/St_Johns")]))
def test_rendering_never_raises_on_any_content(content: str, zone: Any) -> None:
    sandbox = Sandbox(validate_spec=False)
    assert isinstance(renderer_for(sandbox, zone).text(content), str)


@given(text=st.text())
def test_plain_text_passes_through_unchanged(text: str) -> None:
    sandbox = Sandbox(validate_spec=False)
    if "<" not in text:
        assert renderer_for(sandbox).text(text) == text


@given(embeds=st.lists(JSON, max_size=3), components=st.lists(st.one_of(COMPONENT_LIKE, JSON), max_size=4))
def test_rendering_never_raises_on_any_embeds_or_components(embeds: list[Any], components: list[Any]) -> None:
    sandbox = Sandbox(validate_spec=False)
    message = bot_message(sandbox, 1, content="hi", embeds=embeds, components=components)
    assert all(isinstance(line, str) for line in renderer_for(sandbox).message(message))
