"""The sandbox's REST routes: the part of Discord's HTTP API that Lantern uses, with Discord's errors."""

from __future__ import annotations

import json
import math
import time
import unicodedata
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from aiohttp import web

from discord_standin.limits import Fault
from discord_standin.state import (
    DM,
    GUILD_TEXT,
    PRIVATE_THREAD,
    PUBLIC_THREAD,
    Attachment,
    Channel,
    Interaction,
    Message,
)

if TYPE_CHECKING:
    from discord_standin.server import Sandbox

INTERACTION_DEADLINE_S = 3.0
TOKEN_LIFETIME_S = 15 * 60
NONCE_WINDOW_S = 300.0
EPHEMERAL = 1 << 6
LOADING = 1 << 7

SANDBOX_KEY: web.AppKey[Sandbox] = web.AppKey("sandbox")
BODY_KEY: web.RequestKey[Any] = web.RequestKey("body")
FILES_KEY: web.RequestKey[list[tuple[str, bytes]]] = web.RequestKey("files")


def error(status: int, code: int, message: str, **extra: Any) -> web.Response:
    return json_response({"code": code, "message": message, **extra}, status=status)


def fault_response(fault: Fault) -> web.Response:
    if fault.status == 429:
        headers = {
            "Retry-After": str(max(1, round(fault.retry_after))),
            "X-RateLimit-Scope": "global" if fault.is_global else "user",
            "Via": "1.1 google",
        }
        if fault.is_global:
            headers["X-RateLimit-Global"] = "true"
        else:
            headers.update(
                {
                    "X-RateLimit-Limit": "5",
                    "X-RateLimit-Remaining": "0",
                    "X-RateLimit-Reset-After": f"{fault.retry_after:.3f}",
                    "X-RateLimit-Reset": f"{time.time() + fault.retry_after:.3f}",
                    "X-RateLimit-Bucket": "sandboxfault",
                }
            )
        body = {
            "message": "You are being rate limited.",
            "retry_after": fault.retry_after,
            "global": fault.is_global,
        }
        return json_response(body, status=429, headers=headers)
    if fault.status >= 500:
        return web.Response(status=fault.status, text="upstream connect error", content_type="text/plain")
    return error(fault.status, fault.code, fault.message or web.Response(status=fault.status).reason or "")


def sandbox_of(request: web.Request) -> Sandbox:
    return request.app[SANDBOX_KEY]


async def read_body(request: web.Request) -> Any:
    """The JSON body, or for multipart the parsed payload_json (files kept in request['files'])."""
    request[FILES_KEY] = []
    if request.method in ("GET", "DELETE") and not request.can_read_body:
        return None
    content_type = request.content_type
    if content_type == "multipart/form-data":
        payload: Any = None
        reader = await request.multipart()
        while True:
            part = await reader.next()
            if part is None:
                break
            name = getattr(part, "name", None)
            if name == "payload_json":
                payload = json.loads(await part.text())  # type: ignore[union-attr]
            elif name and name.startswith("files["):
                data = await part.read()  # type: ignore[union-attr]
                request[FILES_KEY].append((getattr(part, "filename", None) or "file", data))
        return payload
    if not request.can_read_body:
        return None
    raw = await request.read()
    if not raw:
        return None
    return json.loads(raw)


def body_of(request: web.Request) -> Any:
    return request.get(BODY_KEY)


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    """JSON with Discord's exact Content-Type (discord.py compares it to 'application/json' verbatim)."""
    response = web.Response(body=json.dumps(data, separators=(",", ":")).encode(), status=status, headers=headers)
    response.headers["Content-Type"] = "application/json"
    return response


def add_routes(app: web.Application, prefix: str) -> None:
    r = app.router
    r.add_get(prefix + "/users/@me", get_me)
    r.add_get(prefix + "/users/{user_id}", get_user)
    r.add_get(prefix + "/oauth2/applications/@me", get_application)
    r.add_get(prefix + "/applications/@me", get_application)
    r.add_get(prefix + "/gateway", get_gateway)
    r.add_get(prefix + "/gateway/bot", get_gateway_bot)
    r.add_get(prefix + "/applications/{application_id}/commands", get_commands)
    r.add_put(prefix + "/applications/{application_id}/commands", put_commands)
    r.add_get(prefix + "/applications/{application_id}/guilds/{guild_id}/commands", get_commands)
    r.add_put(prefix + "/applications/{application_id}/guilds/{guild_id}/commands", put_commands)
    r.add_post(prefix + "/interactions/{interaction_id}/{interaction_token}/callback", interaction_callback)
    r.add_post(prefix + "/webhooks/{application_id}/{token}", webhook_execute)
    r.add_get(prefix + "/webhooks/{application_id}/{token}/messages/{message_id}", webhook_get_message)
    r.add_patch(prefix + "/webhooks/{application_id}/{token}/messages/{message_id}", webhook_edit_message)
    r.add_delete(prefix + "/webhooks/{application_id}/{token}/messages/{message_id}", webhook_delete_message)
    r.add_post(prefix + "/users/@me/channels", create_dm)
    r.add_get(prefix + "/channels/{channel_id}", get_channel)
    r.add_patch(prefix + "/channels/{channel_id}", edit_channel)
    r.add_get(prefix + "/channels/{channel_id}/messages", list_messages)
    r.add_post(prefix + "/channels/{channel_id}/messages", create_message)
    r.add_get(prefix + "/channels/{channel_id}/messages/{message_id}", get_message)
    r.add_patch(prefix + "/channels/{channel_id}/messages/{message_id}", edit_message)
    r.add_delete(prefix + "/channels/{channel_id}/messages/{message_id}", delete_message)
    r.add_post(prefix + "/channels/{channel_id}/threads", create_thread)
    r.add_post(prefix + "/channels/{channel_id}/messages/{message_id}/threads", create_thread_from_message)
    r.add_get(prefix + "/channels/{channel_id}/thread-members", list_thread_members)
    r.add_put(prefix + "/channels/{channel_id}/thread-members/{user_id}", add_thread_member)
    r.add_delete(prefix + "/channels/{channel_id}/thread-members/{user_id}", remove_thread_member)
    r.add_get(prefix + "/guilds/{guild_id}", get_guild)
    r.add_get(prefix + "/guilds/{guild_id}/channels", get_guild_channels)
    r.add_get(prefix + "/guilds/{guild_id}/members", list_members)
    r.add_get(prefix + "/guilds/{guild_id}/members/{user_id}", get_member)
    r.add_route("*", prefix + "/{tail:.*}", not_found)


async def not_found(request: web.Request) -> web.Response:
    return error(404, 0, "404: Not Found")


# ----- identity and gateway ---------------------------------------------------------------------


async def get_me(request: web.Request) -> web.Response:
    data = sandbox_of(request).world.bot_user.to_json()
    data.update({"verified": True, "mfa_enabled": False, "email": None, "locale": "en-US"})
    return json_response(data)


async def get_user(request: web.Request) -> web.Response:
    user = sandbox_of(request).world.users.get(int(request.match_info["user_id"]))
    if user is None:
        return error(404, 10013, "Unknown User")
    return json_response(user.to_json())


async def get_application(request: web.Request) -> web.Response:
    world = sandbox_of(request).world
    owner = next((u for u in world.users.values() if not u.bot), world.bot_user)
    return json_response(
        {
            "id": str(world.application_id),
            "name": "Lantern",
            "icon": None,
            "description": "Lantern in the sandbox",
            "rpc_origins": [],
            "bot_public": True,
            "bot_require_code_grant": False,
            "bot": world.bot_user.to_json(),
            "owner": owner.to_json(),
            "team": None,
            "summary": "",
            "verify_key": "0" * 64,
            "flags": 0,
            "tags": [],
            "redirect_uris": [],
            "interactions_endpoint_url": None,
            "approximate_guild_count": len(world.guilds),
        }
    )


async def get_gateway(request: web.Request) -> web.Response:
    return json_response({"url": sandbox_of(request).gateway_url})


async def get_gateway_bot(request: web.Request) -> web.Response:
    sandbox = sandbox_of(request)
    return json_response(
        {
            "url": sandbox.gateway_url,
            # Discord recommends about one shard per 1,000 servers.
            "shards": max(1, math.ceil(len(sandbox.world.guilds) / GUILDS_PER_SHARD)),
            "session_start_limit": {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1},
        }
    )


GUILDS_PER_SHARD = 1000


# ----- application commands ---------------------------------------------------------------------


async def get_commands(request: web.Request) -> web.Response:
    world = sandbox_of(request).world
    guild_id = request.match_info.get("guild_id")
    commands = world.guild_commands.get(int(guild_id), []) if guild_id else world.global_commands
    return json_response(commands)


def _breaks_naming_rule(name: object) -> bool:
    """Discord's rule for chat-input command and option names, in every locale: 1 to 32 of letters,
    digits, '-' and '_', lowercase where a letter has a lowercase form (the spec checks length only)."""
    if not isinstance(name, str) or not 1 <= len(name) <= 32 or name != name.lower():
        return True
    return not all(ch in "-_" or unicodedata.category(ch)[0] in "LNM" for ch in name)


def _bad_names(entries: list[Any], where: str) -> list[str]:
    found: list[str] = []
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict):
            continue
        names = [entry.get("name"), *(entry.get("name_localizations") or {}).values()]
        found += [f"{where}.{index}.name: {name!r}" for name in names if _breaks_naming_rule(name)]
        found += _bad_names(entry.get("options") or [], f"{where}.{index}.options")
    return found


async def put_commands(request: web.Request) -> web.Response:
    sandbox = sandbox_of(request)
    world = sandbox.world
    body = body_of(request) or []
    chat_input = [entry for entry in body if isinstance(entry, dict) and entry.get("type", 1) == 1]
    bad = _bad_names(chat_input, "body")
    if bad:
        return error(400, 50035, "Invalid Form Body", errors={"names": bad})
    guild_id = request.match_info.get("guild_id")
    stored = []
    for command in body:
        entry = dict(command)
        entry.setdefault("type", 1)
        entry["id"] = str(world.ids.next())
        entry["application_id"] = str(world.application_id)
        entry["version"] = str(world.ids.next())
        entry.setdefault("default_member_permissions", None)
        entry.setdefault("description", "")
        if guild_id:
            entry["guild_id"] = guild_id
        stored.append(entry)
    if guild_id:
        world.guild_commands[int(guild_id)] = stored
    else:
        world.global_commands = stored
    return json_response(stored)


# ----- interactions and webhooks ---------------------------------------------------------------


def _interaction_for(request: web.Request, token: str) -> Interaction | None:
    interaction = sandbox_of(request).world.interactions_by_token.get(token)
    if interaction is None or time.monotonic() - interaction.created_at > TOKEN_LIFETIME_S:
        return None
    return interaction


async def interaction_callback(request: web.Request) -> web.Response:
    sandbox = sandbox_of(request)
    interaction = _interaction_for(request, request.match_info["interaction_token"])
    if interaction is None or str(interaction.id) != request.match_info["interaction_id"]:
        return error(404, 10062, "Unknown interaction")
    if interaction.callback_type is not None:
        return error(400, 40060, "Interaction has already been acknowledged.")
    if time.monotonic() - interaction.created_at > INTERACTION_DEADLINE_S:
        return error(404, 10062, "Unknown interaction")
    body = body_of(request) or {}
    callback_type = int(body.get("type", 0))
    data = body.get("data") or {}
    resource_message: Message | None = None
    if callback_type in (4, 5):
        flags = int(data.get("flags", 0))
        if callback_type == 5:
            flags |= LOADING
        resource_message = await _store_bot_message(sandbox, interaction.channel_id, data, request, flags=flags)
        resource_message.interaction_metadata = _interaction_metadata(interaction)
        resource_message.webhook_id = sandbox.world.application_id
        interaction.original_message_id = resource_message.id
    elif callback_type == 7:
        message_id = interaction.payload.get("message", {}).get("id")
        target = sandbox.world.messages.get(int(message_id)) if message_id else None
        if target is None:
            return error(404, 10008, "Unknown Message")
        _apply_edit(target, data, request)
        interaction.original_message_id = target.id
        resource_message = target
        if not target.ephemeral:
            await sandbox.gateway.dispatch("MESSAGE_UPDATE", sandbox.message_event(target))
    elif callback_type == 6:
        # DEFERRED_UPDATE_MESSAGE: the message the component is on becomes the original response, which a
        # later PATCH .../messages/@original edits (as Discord documents for component interactions).
        message_id = interaction.payload.get("message", {}).get("id")
        if message_id and int(message_id) in sandbox.world.messages:
            interaction.original_message_id = int(message_id)
            interaction.edits_before_deferral = sandbox.world.messages[int(message_id)].edited_at
    elif callback_type not in (8, 9):
        return error(400, 50035, "Invalid Form Body", errors={"type": "unsupported callback type"})
    interaction.callback_type = callback_type
    interaction.callback_data = data
    interaction.responded_at = time.monotonic()
    if callback_type != 5:
        interaction.completed_at = interaction.responded_at
    await sandbox.notify()
    if request.query.get("with_response") not in ("1", "true", "True"):
        return web.Response(status=204)
    result: dict[str, Any] = {
        "interaction": {
            "id": str(interaction.id),
            "type": interaction.type,
            "response_message_loading": callback_type == 5,
            "response_message_ephemeral": bool(resource_message and resource_message.ephemeral),
        },
        "resource": {"type": callback_type},
    }
    if resource_message is not None:
        result["interaction"]["response_message_id"] = str(resource_message.id)
        result["resource"]["message"] = resource_message.to_json()
    return json_response(result)


def _interaction_metadata(interaction: Interaction) -> dict[str, Any]:
    return {
        "id": str(interaction.id),
        "type": interaction.type,
        "user": interaction.user.to_json(),
        "authorizing_integration_owners": {"0": str(interaction.guild_id)} if interaction.guild_id else {},
    }


async def _store_bot_message(
    sandbox: Sandbox, channel_id: int, data: dict[str, Any], request: web.Request, *, flags: int = 0
) -> Message:
    world = sandbox.world
    message = Message(id=world.ids.next(), channel_id=channel_id, author=world.bot_user, flags=flags)
    channel = world.channels.get(channel_id)
    message.guild_id = channel.guild_id if channel else None
    _apply_edit(message, data, request)
    message.flags = flags | (int(data.get("flags", 0)) & ~LOADING)
    return await sandbox.post_message(message)


def _apply_edit(message: Message, data: dict[str, Any], request: web.Request) -> None:
    sandbox = sandbox_of(request)
    if "content" in data:
        message.content = data["content"] or ""
    if "embeds" in data:
        message.embeds = data["embeds"] or []
    if "components" in data:
        message.components = _with_component_ids(data["components"] or [])
    files = request.get(FILES_KEY) or []
    if "attachments" in data or files:
        kept_ids = {str(a.get("id")) for a in data.get("attachments", []) if "filename" not in a}
        kept = [a for a in message.attachments if str(a.id) in kept_ids]
        new = []
        for index, (filename, blob) in enumerate(files):
            meta: dict[str, Any] = next((a for a in data.get("attachments", []) if str(a.get("id")) == str(index)), {})
            name = meta.get("filename") or filename
            attachment_id = sandbox.world.ids.next()
            url = f"{sandbox.base_url}/attachments/{attachment_id}/{name}"
            new.append(Attachment(attachment_id, name, blob, _guess_type(name), url, meta.get("description")))
        message.attachments = kept + new
    if message.id in sandbox.world.messages:
        message.edited_at = datetime.now(UTC)
        message.flags &= ~LOADING


def _with_component_ids(components: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Discord numbers every component; discord.py reads those ids back."""
    counter = 0

    def walk(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        nonlocal counter
        result = []
        for item in items:
            item = dict(item)
            counter += 1
            item.setdefault("id", counter)
            if "components" in item:
                item["components"] = walk(item["components"])
            result.append(item)
        return result

    return walk(components)


def _guess_type(name: str) -> str:
    lower = name.lower()
    for suffix, kind in ((".png", "image/png"), (".json", "application/json"), (".csv", "text/csv")):
        if lower.endswith(suffix):
            return kind
    return "application/octet-stream"


async def webhook_execute(request: web.Request) -> web.Response:
    sandbox = sandbox_of(request)
    interaction = _interaction_for(request, request.match_info["token"])
    if interaction is None:
        return error(404, 10015, "Unknown Webhook")
    if interaction.callback_type is None:
        return error(404, 10015, "Unknown Webhook")
    data = body_of(request) or {}
    message = await _store_bot_message(sandbox, interaction.channel_id, data, request, flags=int(data.get("flags", 0)))
    message.webhook_id = sandbox.world.application_id
    message.interaction_metadata = _interaction_metadata(interaction)
    interaction.followup_ids.append(message.id)
    if interaction.completed_at is None:
        # A follow-up after a deferral is the answer too.
        interaction.completed_at = time.monotonic()
    await sandbox.notify()
    if request.query.get("wait") in ("1", "true", "True"):
        return json_response(message.to_json())
    return web.Response(status=204)


def _webhook_refusal(interaction: Interaction | None, message: Message | None) -> web.Response | None:
    if interaction is None:
        return error(404, 10015, "Unknown Webhook")
    if message is None or message.deleted:
        return error(404, 10008, "Unknown Message")
    return None


def _webhook_message(request: web.Request) -> tuple[Interaction | None, Message | None]:
    sandbox = sandbox_of(request)
    interaction = _interaction_for(request, request.match_info["token"])
    if interaction is None:
        return None, None
    raw_id = request.match_info["message_id"]
    message_id = interaction.original_message_id if raw_id == "@original" else int(raw_id)
    if raw_id != "@original" and message_id not in interaction.followup_ids:
        message_id = None
    message = sandbox.world.messages.get(message_id) if message_id else None
    return interaction, message


async def webhook_get_message(request: web.Request) -> web.Response:
    interaction, message = _webhook_message(request)
    refusal = _webhook_refusal(interaction, message)
    if refusal is not None:
        return refusal
    assert message is not None
    return json_response(message.to_json())


async def webhook_edit_message(request: web.Request) -> web.Response:
    sandbox = sandbox_of(request)
    interaction, message = _webhook_message(request)
    refusal = _webhook_refusal(interaction, message)
    if refusal is not None:
        return refusal
    assert message is not None
    assert interaction is not None
    was_loading = bool(message.flags & LOADING)
    _apply_edit(message, body_of(request) or {}, request)
    message.edited_at = datetime.now(UTC)
    if was_loading and interaction.completed_at is None:
        interaction.completed_at = time.monotonic()
    if not message.ephemeral:
        await sandbox.gateway.dispatch("MESSAGE_UPDATE", sandbox.message_event(message))
    await sandbox.notify()
    return json_response(message.to_json())


async def webhook_delete_message(request: web.Request) -> web.Response:
    sandbox = sandbox_of(request)
    interaction, message = _webhook_message(request)
    refusal = _webhook_refusal(interaction, message)
    if refusal is not None:
        return refusal
    assert message is not None
    message.deleted = True
    await sandbox.notify()
    return web.Response(status=204)


# ----- channels and messages --------------------------------------------------------------------


async def create_dm(request: web.Request) -> web.Response:
    sandbox = sandbox_of(request)
    body = body_of(request) or {}
    user = sandbox.world.users.get(int(body.get("recipient_id", 0)))
    if user is None:
        return error(400, 50035, "Invalid Form Body", errors={"recipient_id": "unknown user"})
    return json_response(sandbox.dm_channel(user).to_json())


def _channel(request: web.Request) -> Channel | None:
    channel = sandbox_of(request).world.channels.get(int(request.match_info["channel_id"]))
    return channel


async def get_channel(request: web.Request) -> web.Response:
    channel = _channel(request)
    if channel is None:
        return error(404, 10003, "Unknown Channel")
    return json_response(channel.to_json())


async def edit_channel(request: web.Request) -> web.Response:
    sandbox = sandbox_of(request)
    channel = _channel(request)
    if channel is None:
        return error(404, 10003, "Unknown Channel")
    if not channel.bot_can_send:
        return error(403, 50013, "Missing Permissions")
    body = body_of(request) or {}
    for key in ("name", "topic"):
        if key in body:
            setattr(channel, key, body[key])
    if "archived" in body:
        channel.archived = bool(body["archived"])
    event = "THREAD_UPDATE" if channel.is_thread else "CHANNEL_UPDATE"
    await sandbox.gateway.dispatch(event, channel.to_json())
    return json_response(channel.to_json())


async def list_messages(request: web.Request) -> web.Response:
    sandbox = sandbox_of(request)
    channel = _channel(request)
    if channel is None:
        return error(404, 10003, "Unknown Channel")
    # As Discord: limit 1-100 (default 50), at most one of around/before/after, newest first; `after` gives
    # the oldest messages after that id (still listed newest first).
    try:
        limit = int(request.query.get("limit", 50))
        anchors = {key: int(request.query[key]) for key in ("around", "before", "after") if key in request.query}
    except ValueError:
        return error(400, 50035, "Invalid Form Body", errors={"limit": "must be an integer"})
    if not 1 <= limit <= 100 or len(anchors) > 1:
        return error(
            400, 50035, "Invalid Form Body", errors={"limit": "must be 1-100, with one of around/before/after"}
        )
    messages = [m for m in sandbox.world.channel_messages(channel.id) if not m.ephemeral and not m.deleted]
    messages.sort(key=lambda m: m.id, reverse=True)
    if "before" in anchors:
        messages = [m for m in messages if m.id < anchors["before"]][:limit]
    elif "after" in anchors:
        messages = [m for m in messages if m.id > anchors["after"]][-limit:]
    elif "around" in anchors:
        older = [m for m in messages if m.id <= anchors["around"]][: (limit + 1) // 2]
        newer = [m for m in messages if m.id > anchors["around"]][-(limit // 2) :] if limit > 1 else []
        messages = newer + older
    else:
        messages = messages[:limit]
    return json_response([_as_fetched(m) for m in messages])


def _as_fetched(message: Message) -> dict[str, Any]:
    """A message as GET returns it: Discord echoes a nonce only when the message is created."""
    data = message.to_json()
    data.pop("nonce", None)
    return data


def _refuse_send(sandbox: Sandbox, channel: Channel | None) -> web.Response | None:
    if channel is None:
        return error(404, 10003, "Unknown Channel")
    if channel.type == DM:
        recipient = channel.recipients[0]
        if not recipient.dms_open:
            return error(403, 50007, "Cannot send messages to this user")
        return None
    if not channel.bot_can_send:
        return error(403, 50013, "Missing Permissions")
    if channel.is_thread and channel.archived:
        return error(400, 50083, "Thread is archived")
    return None


async def create_message(request: web.Request) -> web.Response:
    sandbox = sandbox_of(request)
    channel = _channel(request)
    refusal = _refuse_send(sandbox, channel)
    if refusal is not None:
        return refusal
    assert channel is not None
    body = body_of(request) or {}
    if not (body.get("content") or body.get("embeds") or body.get("components") or request[FILES_KEY]):
        return error(400, 50006, "Cannot send an empty message")
    nonce = body.get("nonce")
    if nonce is not None and body.get("enforce_nonce"):
        # Discord's documented behaviour: with enforce_nonce, a message with the same nonce from the same
        # author in the last few minutes is returned instead of a new one. Without it, no check at all.
        now = sandbox.now()
        for existing in sandbox.world.channel_messages(channel.id):
            if (
                existing.nonce == nonce
                and existing.author.id == sandbox.world.bot_user.id
                and (now - existing.timestamp).total_seconds() < NONCE_WINDOW_S
            ):
                return json_response(existing.to_json())
    message = Message(
        id=sandbox.world.ids.next(),
        channel_id=channel.id,
        author=sandbox.world.bot_user,
        guild_id=channel.guild_id,
        nonce=nonce,
        flags=int(body.get("flags", 0)),
    )
    _apply_edit(message, body, request)
    await sandbox.post_message(message)
    return json_response(message.to_json())


def _message(request: web.Request) -> Message | None:
    message = sandbox_of(request).world.messages.get(int(request.match_info["message_id"]))
    if message is None or message.deleted or str(message.channel_id) != request.match_info["channel_id"]:
        return None
    return message


async def get_message(request: web.Request) -> web.Response:
    if _channel(request) is None:
        return error(404, 10003, "Unknown Channel")
    message = _message(request)
    if message is None or message.ephemeral:
        return error(404, 10008, "Unknown Message")
    return json_response(_as_fetched(message))


async def edit_message(request: web.Request) -> web.Response:
    sandbox = sandbox_of(request)
    if _channel(request) is None:
        return error(404, 10003, "Unknown Channel")
    message = _message(request)
    if message is None or message.ephemeral:
        return error(404, 10008, "Unknown Message")
    if message.author.id != sandbox.world.bot_user.id:
        return error(403, 50005, "Cannot edit a message authored by another user")
    _apply_edit(message, body_of(request) or {}, request)
    await sandbox.gateway.dispatch("MESSAGE_UPDATE", sandbox.message_event(message))
    await sandbox.notify()
    return json_response(message.to_json())


async def delete_message(request: web.Request) -> web.Response:
    sandbox = sandbox_of(request)
    channel = _channel(request)
    if channel is None:
        return error(404, 10003, "Unknown Channel")
    message = _message(request)
    if message is None:
        return error(404, 10008, "Unknown Message")
    message.deleted = True
    await sandbox.gateway.dispatch(
        "MESSAGE_DELETE",
        {
            "id": str(message.id),
            "channel_id": str(channel.id),
            **({"guild_id": str(channel.guild_id)} if channel.guild_id else {}),
        },
    )
    await sandbox.notify()
    return web.Response(status=204)


async def _new_thread(
    request: web.Request, parent: Channel, body: dict[str, Any], *, thread_type: int, message: Message | None
) -> web.Response:
    sandbox = sandbox_of(request)
    name = str(body.get("name", "")).strip()
    if not 1 <= len(name) <= 100:
        return error(400, 50035, "Invalid Form Body", errors={"name": "must be 1-100 characters"})
    thread = Channel(
        id=message.id if message else sandbox.world.ids.next(),
        type=thread_type,
        name=name,
        guild_id=parent.guild_id,
        parent_id=parent.id,
        owner_id=sandbox.world.bot_user.id,
        invitable=bool(body.get("invitable", True)),
    )
    thread.thread_members.add(sandbox.world.bot_user.id)
    sandbox.world.channels[thread.id] = thread
    guild = sandbox.world.guild_of(parent)
    if guild is not None:
        guild.channels[thread.id] = thread
    if message is not None:
        message.thread = thread.to_json()
    await sandbox.gateway.dispatch("THREAD_CREATE", {**thread.to_json(), "newly_created": True})
    await sandbox.notify()
    return json_response(thread.to_json(), status=201)


async def create_thread(request: web.Request) -> web.Response:
    parent = _channel(request)
    refusal = _refuse_send(sandbox_of(request), parent)
    if refusal is not None:
        return refusal
    assert parent is not None
    if parent.type != GUILD_TEXT:
        return error(400, 50024, "Cannot execute action on this channel type")
    body = body_of(request) or {}
    thread_type = int(body.get("type", PRIVATE_THREAD))
    if thread_type not in (PUBLIC_THREAD, PRIVATE_THREAD):
        return error(400, 50035, "Invalid Form Body", errors={"type": "must be 11 or 12"})
    return await _new_thread(request, parent, body, thread_type=thread_type, message=None)


async def create_thread_from_message(request: web.Request) -> web.Response:
    parent = _channel(request)
    refusal = _refuse_send(sandbox_of(request), parent)
    if refusal is not None:
        return refusal
    assert parent is not None
    message = _message(request)
    if message is None:
        return error(404, 10008, "Unknown Message")
    if message.thread is not None:
        return error(400, 160004, "A thread has already been created for this message")
    return await _new_thread(request, parent, body_of(request) or {}, thread_type=PUBLIC_THREAD, message=message)


async def list_thread_members(request: web.Request) -> web.Response:
    channel = _channel(request)
    if channel is None or not channel.is_thread:
        return error(404, 10003, "Unknown Channel")
    return json_response(
        [
            {
                "id": str(channel.id),
                "user_id": str(u),
                "join_timestamp": datetime.now(UTC).isoformat(),
                "flags": 0,
            }
            for u in sorted(channel.thread_members)
        ]
    )


async def add_thread_member(request: web.Request) -> web.Response:
    sandbox = sandbox_of(request)
    channel = _channel(request)
    if channel is None or not channel.is_thread:
        return error(404, 10003, "Unknown Channel")
    if not channel.bot_can_send:
        return error(403, 50013, "Missing Permissions")
    user_id = int(request.match_info["user_id"])
    guild = sandbox.world.guild_of(channel)
    if guild is None or user_id not in guild.members:
        return error(404, 10007, "Unknown Member")
    channel.thread_members.add(user_id)
    await sandbox.notify()
    return web.Response(status=204)


async def remove_thread_member(request: web.Request) -> web.Response:
    sandbox = sandbox_of(request)
    channel = _channel(request)
    if channel is None or not channel.is_thread:
        return error(404, 10003, "Unknown Channel")
    channel.thread_members.discard(int(request.match_info["user_id"]))
    await sandbox.notify()
    return web.Response(status=204)


# ----- guilds -----------------------------------------------------------------------------------


async def get_guild(request: web.Request) -> web.Response:
    guild = sandbox_of(request).world.guilds.get(int(request.match_info["guild_id"]))
    if guild is None:
        return error(404, 10004, "Unknown Guild")
    return json_response(guild.to_json(include_state=False))


async def get_guild_channels(request: web.Request) -> web.Response:
    guild = sandbox_of(request).world.guilds.get(int(request.match_info["guild_id"]))
    if guild is None:
        return error(404, 10004, "Unknown Guild")
    return json_response([c.to_json() for c in guild.channels.values() if not c.is_thread])


async def list_members(request: web.Request) -> web.Response:
    guild = sandbox_of(request).world.guilds.get(int(request.match_info["guild_id"]))
    if guild is None:
        return error(404, 10004, "Unknown Guild")
    limit = min(1000, int(request.query.get("limit", 1)))
    after = int(request.query.get("after", 0))
    members = sorted((m for m in guild.members.values() if m.user.id > after), key=lambda m: m.user.id)
    return json_response([m.to_json() for m in members[:limit]])


async def get_member(request: web.Request) -> web.Response:
    guild = sandbox_of(request).world.guilds.get(int(request.match_info["guild_id"]))
    if guild is None:
        return error(404, 10004, "Unknown Guild")
    member = guild.members.get(int(request.match_info["user_id"]))
    if member is None:
        return error(404, 10007, "Unknown Member")
    return json_response(member.to_json())


async def get_attachment(request: web.Request) -> web.Response:
    attachment_id = int(request.match_info["attachment_id"])
    for message in sandbox_of(request).world.messages.values():
        for attachment in message.attachments:
            if attachment.id == attachment_id:
                return web.Response(
                    body=attachment.data, content_type=attachment.content_type or "application/octet-stream"
                )
    return web.Response(status=404)
