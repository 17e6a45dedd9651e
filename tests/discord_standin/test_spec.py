"""Tests for the OpenAPI request-body validator, fed with payloads built by discord.py itself."""

from __future__ import annotations

import io
import json
import time
from pathlib import Path
from typing import Any

import discord
import pytest
from discord import app_commands, ui
from discord.http import handle_message_parameters
from discord.webhook.async_ import interaction_message_response_params, interaction_response_params
from hypothesis import given, settings
from hypothesis import strategies as st

from discord_standin.spec import SpecValidator, default_spec_path

CALLBACK = "/interactions/111/tok-en/callback"
MESSAGES = "/channels/123/messages"


@pytest.fixture(scope="module")
def spec() -> SpecValidator:
    validator = SpecValidator.load()
    if validator is None:
        pytest.skip(f"Discord's OpenAPI description was not found at {default_spec_path()}")
    return validator


def _message_payload(**kwargs: Any) -> dict[str, Any]:
    with handle_message_parameters(**kwargs) as params:
        if params.files:
            assert params.multipart is not None
            part = next(p for p in params.multipart if p["name"] == "payload_json")
            return json.loads(part["value"])
        assert params.payload is not None
        return params.payload


def _embed() -> discord.Embed:
    embed = discord.Embed(title="Daily check-in", description="How are you today?", colour=0x5865F2)
    embed.timestamp = discord.utils.utcnow()
    embed.add_field(name="Streak", value="12 days", inline=True)
    embed.set_footer(text="Lantern")
    embed.set_author(name="Lantern", icon_url="https://example.com/a.png")
    return embed


class _CheckinView(ui.View):
    @ui.button(label="Check in", style=discord.ButtonStyle.primary, emoji="✅", custom_id="checkin:go")
    async def go(self, interaction: discord.Interaction, button: ui.Button[Any]) -> None:
        raise NotImplementedError

    @ui.select(
        custom_id="checkin:mood",
        placeholder="Mood",
        options=[
            discord.SelectOption(label="Good", value="good"),
            discord.SelectOption(label="Bad", value="bad"),
        ],
    )
    async def mood(self, interaction: discord.Interaction, select: ui.Select[Any]) -> None:
        raise NotImplementedError


def _modal(title: str = "Daily check-in") -> ui.Modal:
    modal = ui.Modal(title=title, custom_id="checkin:modal", timeout=None)
    modal.add_item(
        ui.Label(
            text="How are you feeling?",
            description="Pick the closest one",
            component=ui.RadioGroup(
                custom_id="checkin:feeling",
                options=[discord.RadioGroupOption(label=f"Level {i}", value=str(i)) for i in range(1, 6)],
            ),
        )
    )
    modal.add_item(
        ui.Label(
            text="Today I…",
            component=ui.CheckboxGroup(
                custom_id="checkin:today",
                options=[
                    discord.CheckboxGroupOption(label="Went to a meeting", value="meeting"),
                    discord.CheckboxGroupOption(label="Called my sponsor", value="sponsor", description="or a peer"),
                ],
                min_values=0,
                max_values=2,
                required=False,
            ),
        )
    )
    modal.add_item(
        ui.Label(
            text="Anything else?",
            component=ui.TextInput(custom_id="checkin:note", style=discord.TextStyle.paragraph, required=False),
        )
    )
    return modal


def _types(node: object) -> set[int]:
    """All component ``type`` values anywhere in a payload."""
    found: set[int] = set()
    if isinstance(node, dict):
        if isinstance(node.get("type"), int):
            found.add(node["type"])
        for value in node.values():
            found |= _types(value)
    elif isinstance(node, list):
        for value in node:
            found |= _types(value)
    return found


# -- loading ------------------------------------------------------------------------------------------


def test_load_missing_file_returns_none(tmp_path: Path) -> None:
    assert SpecValidator.load(tmp_path / "nope.json") is None


def test_load_is_cached(spec: SpecValidator) -> None:
    started = time.perf_counter()
    again = SpecValidator.load(default_spec_path())
    assert again is spec
    assert time.perf_counter() - started < 0.05


# -- messages -------------------------------------------------------------------------------------------


def test_valid_message_create_passes(spec: SpecValidator) -> None:
    body = _message_payload(
        content="Good morning!",
        embed=_embed(),
        view=_CheckinView(timeout=None),
        allowed_mentions=discord.AllowedMentions(everyone=False),
        flags=discord.MessageFlags(suppress_notifications=True),
    )
    assert spec.knows("POST", MESSAGES)
    assert spec.validate("POST", MESSAGES, body) == []


def test_content_over_2000_fails_with_max_length(spec: SpecValidator) -> None:
    body = _message_payload(content="x" * 2001)
    errors = spec.validate("POST", MESSAGES, body)
    assert len(errors) == 1
    error = errors[0]
    assert error.startswith("POST /channels/{channel_id}/messages: $.content: ")
    assert "maxLength 2000" in error
    assert len(error) < 250  # the 2001-character instance is truncated
    assert spec.validate("POST", MESSAGES, _message_payload(content="x" * 2000)) == []
    assert "maxLength 2000" in spec.validate("PATCH", f"{MESSAGES}/456", {"content": "x" * 2001})[0]


@settings(max_examples=25, deadline=None)
@given(length=st.integers(min_value=0, max_value=2100))
def test_content_limit_property(spec: SpecValidator, length: int) -> None:
    errors = spec.validate("POST", MESSAGES, {"content": "é" * length})
    assert (errors == []) == (length <= 2000)


def test_integer_snowflakes_accepted(spec: SpecValidator) -> None:
    body = _message_payload(
        content="reply",
        message_reference=discord.MessageReference(message_id=1234567890123456789, channel_id=42).to_dict(),
        allowed_mentions=discord.AllowedMentions(users=[discord.Object(id=98765432109876543)], roles=False),
    )
    assert body["message_reference"]["message_id"] == 1234567890123456789
    assert body["allowed_mentions"]["users"] == [98765432109876543]
    assert spec.validate("POST", MESSAGES, body) == []
    # Still strict about what a snowflake is.
    bad = spec.validate("POST", MESSAGES, {"message_reference": {"message_id": "abc"}})
    assert bad
    assert "$.message_reference.message_id" in bad[0]
    assert "pattern" in bad[0]
    negative = spec.validate("POST", MESSAGES, {"allowed_mentions": {"users": [-1]}})
    assert negative
    assert "$.allowed_mentions.users[0]" in negative[0]
    assert "minimum 0" in negative[0]


def test_multipart_payload_json_with_attachment_indices(spec: SpecValidator) -> None:
    file = discord.File(io.BytesIO(b"chart"), filename="chart.png", description="Your week")
    body = _message_payload(content="Your week", file=file)
    assert body["attachments"][0]["id"] == 0
    assert spec.validate("POST", MESSAGES, body) == []


def test_permission_strings_accepted(spec: SpecValidator) -> None:
    overwrite = {"id": 1, "type": 0, "allow": "1024", "deny": "0"}
    assert spec.validate("PUT", "/channels/1/permissions/2", overwrite) == []
    assert spec.validate("POST", "/guilds/1/roles", {"name": "peer", "permissions": "8"}) == []
    assert spec.validate("POST", "/guilds/1/roles", {"name": "peer", "permissions": 8}) == []
    assert spec.validate("POST", "/guilds/1/roles", {"permissions": "eight"})


# -- interactions ---------------------------------------------------------------------------------------


def test_ephemeral_message_callback_passes(spec: SpecValidator) -> None:
    params = interaction_message_response_params(
        type=discord.InteractionResponseType.channel_message.value,
        content="Only you can see this.",
        embed=_embed(),
        view=_CheckinView(timeout=None),
        flags=discord.MessageFlags(ephemeral=True),
    )
    body = params.payload
    assert body is not None
    assert body["type"] == 4
    assert body["data"]["flags"] == 64
    assert spec.validate("POST", CALLBACK, body) == []
    too_long = interaction_message_response_params(type=4, content="x" * 2001).payload
    assert "maxLength 2000" in spec.validate("POST", CALLBACK, too_long)[0]


def test_modal_with_label_radio_and_checkbox_groups_passes(spec: SpecValidator) -> None:
    body = interaction_response_params(discord.InteractionResponseType.modal.value, _modal().to_dict()).payload
    assert body is not None
    assert body["type"] == 9
    assert {18, 21, 22, 4} <= _types(body["data"]["components"])
    radio = body["data"]["components"][0]["component"]
    assert radio["type"] == 21
    assert len(radio["options"]) == 5
    assert spec.validate("POST", CALLBACK, body) == []


def test_bad_modal_fails(spec: SpecValidator) -> None:
    body = interaction_response_params(9, _modal(title="T" * 46).to_dict()).payload
    errors = spec.validate("POST", CALLBACK, body)
    assert len(errors) == 1
    assert "$.data.title" in errors[0]
    assert "maxLength 45" in errors[0]

    one_option = _modal().to_dict()
    radio = one_option["components"][0]["component"]
    radio["options"] = radio["options"][:1]
    errors = spec.validate("POST", CALLBACK, {"type": 9, "data": one_option})
    assert errors == [
        "POST /interactions/{interaction_id}/{interaction_token}/callback: "
        "$.data.components[0].component.options: "
        "[{'label': 'Level 1', 'value': '1', 'default': False}] is too short (minItems 2)"
    ]


def test_unknown_component_type_names_the_allowed_ones(spec: SpecValidator) -> None:
    errors = spec.validate(
        "POST", CALLBACK, {"type": 9, "data": {"custom_id": "m", "title": "t", "components": [{"type": 99}]}}
    )
    assert len(errors) == 1
    assert "$.data.components[0]" in errors[0]
    assert "18" in errors[0]


def test_original_response_path_matches(spec: SpecValidator) -> None:
    path = "/webhooks/111/tok-en/messages/@original"
    assert spec.knows("PATCH", path)
    assert spec.knows("DELETE", path)
    body = _message_payload(content="Saved.", embeds=[], view=None, attachments=[])
    assert spec.validate("PATCH", path, body) == []
    errors = spec.validate("PATCH", path, {"content": "x" * 2001})
    assert errors
    assert errors[0].startswith("PATCH /webhooks/{webhook_id}/{webhook_token}/messages/@original: ")
    # A numeric id goes to the templated route.
    numeric = spec.validate("PATCH", "/webhooks/111/tok-en/messages/222", {"content": "x" * 2001})
    assert numeric[0].startswith("PATCH /webhooks/{webhook_id}/{webhook_token}/messages/{message_id}: ")


# -- routing and bodies -----------------------------------------------------------------------------------


def test_unknown_path(spec: SpecValidator) -> None:
    assert not spec.knows("POST", "/definitely/not/a/route")
    assert spec.validate("POST", "/definitely/not/a/route", {"anything": 1}) == []
    assert not spec.knows("PATCH", "/gateway")  # known path, unknown method
    assert spec.validate("PATCH", "/gateway", {"x": 1}) == []


def test_literal_segments_preferred_and_paths_normalised(spec: SpecValidator) -> None:
    assert spec.knows("PATCH", "/users/@me")
    assert spec.knows("get", "/applications/@me")
    assert spec.knows("POST", "/api/v10/channels/1/messages?x=1")
    assert spec.knows("PUT", "/channels/1/messages/500/reactions/%F0%9F%94%A5/@me")


def test_bodyless_operations(spec: SpecValidator) -> None:
    assert spec.validate("POST", "/channels/1/typing", None) == []
    assert spec.validate("POST", "/channels/1/typing", {}) == []
    assert spec.validate("PUT", "/channels/1/pins/2", None) == []
    errors = spec.validate("POST", "/channels/1/typing", {"unexpected": True})
    assert errors
    assert "no request body" in errors[0]
    # The spec marks every body "required"; a missing body counts as {} (DELETE ban takes an optional one).
    assert spec.validate("DELETE", "/guilds/1/bans/2", None) == []
    missing = spec.validate("POST", "/channels/1/messages/bulk-delete", None)
    assert missing == [
        "POST /channels/{channel_id}/messages/bulk-delete: no request body sent, "
        "but $: 'messages' is a required property (required)"
    ]
    # Multipart-only uploads: the file part cannot be passed as JSON, the other fields are still checked.
    assert spec.validate("POST", "/guilds/1/stickers", None) == []
    assert spec.validate("POST", "/guilds/1/stickers", {"name": "calm", "tags": "leaf"}) == []
    assert "minLength 2" in spec.validate("POST", "/guilds/1/stickers", {"name": "c", "tags": "leaf"})[0]


def test_slash_command_bulk_overwrite_validates(spec: SpecValidator) -> None:
    client = discord.Client(intents=discord.Intents.none())
    tree = app_commands.CommandTree(client)
    group = app_commands.Group(name="checkin", description="Daily check-ins")

    @group.command(name="start", description="Start your daily check-in")
    @app_commands.describe(mood="How you feel", hour="Reminder hour")
    @app_commands.choices(
        mood=[app_commands.Choice(name="good", value="good"), app_commands.Choice(name="bad", value="bad")]
    )
    async def start(
        interaction: discord.Interaction,
        mood: app_commands.Choice[str],
        hour: app_commands.Range[int, 0, 23] = 9,
        channel: discord.TextChannel | None = None,
        note: app_commands.Range[str, 1, 200] | None = None,
    ) -> None:
        raise NotImplementedError

    @group.command(name="partner", description="Pick a check-in partner")
    async def partner(interaction: discord.Interaction, member: discord.Member) -> None:
        raise NotImplementedError

    tree.add_command(group)

    @tree.command(name="settings", description="Your settings")
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.guild_only()
    async def settings_cmd(interaction: discord.Interaction) -> None:
        raise NotImplementedError

    payload = [command.to_dict(tree) for command in tree.get_commands()]
    subcommands = payload[0]["options"]
    assert [option["type"] for option in subcommands] == [1, 1]
    assert subcommands[0]["options"]
    assert spec.validate("PUT", "/applications/555/commands", payload) == []
    assert spec.validate("PUT", "/applications/555/guilds/666/commands", payload) == []

    payload[0]["options"][0]["description"] = "d" * 101
    errors = spec.validate("PUT", "/applications/555/commands", payload)
    assert errors
    assert "$[0].options[0].description" in errors[0]
    assert "maxLength 100" in errors[0]


def test_validate_is_fast(spec: SpecValidator) -> None:
    body = _message_payload(content="hi", embed=_embed(), view=_CheckinView(timeout=None))
    spec.validate("POST", MESSAGES, body)
    started = time.perf_counter()
    for _ in range(50):
        spec.validate("POST", MESSAGES, body)
    assert (time.perf_counter() - started) / 50 < 0.02
