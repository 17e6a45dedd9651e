"""The stand-in's page: a small Discord in the browser at `/`, and the JSON API it uses under `/_standin`."""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import re
from collections.abc import Awaitable, Callable
from importlib import resources
from typing import TYPE_CHECKING, Any

from aiohttp import web

from discord_standin.driver import Actor, DriverError, Reply
from discord_standin.page_views import (
    can_see_message,
    can_view,
    has_component,
    messages_for,
    person_json,
    request_json,
    state_for,
)
from discord_standin.state import DM, Channel, Message, User

if TYPE_CHECKING:
    from discord_standin.server import Sandbox

log = logging.getLogger(__name__)

PREFIX = "/_standin"
STATIC_NAME = re.compile(r"^[a-z0-9_-]+\.(html|js|css)$")
CONTENT_TYPES = {"html": "text/html", "js": "text/javascript", "css": "text/css"}
HEARTBEAT_S = 15.0
# A bot's answer is often several changes in a row (the reply, its edit, the request log): one event for all.
COALESCE_S = 0.05
MAX_MESSAGE_LENGTH = 2000  # what Discord lets a person type in one message
REQUEST_LOG_LIMIT = 300

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class PageError(Exception):
    """A request the page API refuses, with the status and a sentence saying how to fix it."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def refusals(handler: Handler) -> Handler:
    """Turn refusals into JSON errors the page shows as they are."""

    async def guarded(request: web.Request) -> web.StreamResponse:
        try:
            return await handler(request)
        except PageError as problem:
            return web.json_response({"error": problem.message}, status=problem.status)
        except DriverError as problem:
            # What a Discord client would refuse too: a missing option, a number out of range, a hidden command.
            return web.json_response({"error": str(problem)}, status=422)
        except TimeoutError:
            return web.json_response({"error": "The bot didn't answer in time."}, status=504)

    return guarded


class Page:
    """Serves the page and answers its API for one sandbox."""

    def __init__(self, sandbox: Sandbox) -> None:
        self.sandbox = sandbox
        self.closing = False

    async def close(self, app: web.Application) -> None:
        """Let open event streams end, so the server stops at once rather than waiting for them."""
        self.closing = True
        await self.sandbox.notify()

    def changed_since(self, version: int) -> bool:
        return self.closing or self.sandbox.version != version

    # ----- reading the request ---------------------------------------------------------------------

    async def body_of(self, request: web.Request) -> dict[str, Any]:
        # JSON only: a browser sends that cross-site only after asking first (CORS), which nothing here
        # allows, so another web page can't act in the stand-in behind someone's back.
        if request.content_type != "application/json":
            raise PageError(415, "Send the body as JSON, with Content-Type: application/json.")
        try:
            body = await request.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise PageError(400, 'The body must be JSON, like {"viewer": "123"}.') from None
        if not isinstance(body, dict):
            raise PageError(400, "The body must be a JSON object.")
        return body

    def viewer(self, raw: Any) -> User:
        if raw in (None, ""):
            raise PageError(400, 'Say who is acting: add "viewer" with a person\'s id.')
        try:
            user = self.sandbox.world.users.get(int(raw))
        except (TypeError, ValueError):
            user = None
        if user is None:
            raise PageError(404, f"Nobody with id {raw!r} is here. Pick someone from the list of people.")
        if user.bot:
            raise PageError(400, "That's the bot. Pick a person to act as.")
        return user

    def channel(self, raw: Any, viewer: User) -> Channel:
        try:
            channel = self.sandbox.world.channels.get(int(raw))
        except (TypeError, ValueError):
            channel = None
        if channel is None:
            raise PageError(404, f"There's no channel with id {raw!r}.")
        if not can_view(self.sandbox.world, viewer, channel):
            raise PageError(403, f"{viewer.username} can't see that channel.")
        return channel

    def message(self, raw: Any, viewer: User) -> Message:
        try:
            message = self.sandbox.world.messages.get(int(raw))
        except (TypeError, ValueError):
            message = None
        if message is None or not can_see_message(message, viewer):
            raise PageError(404, f"{viewer.username} can't see a message with id {raw!r}.")
        self.channel(message.channel_id, viewer)
        return message

    def actor(self, viewer: User, channel: Channel) -> Actor:
        guild = self.sandbox.world.guild_of(channel) if channel.type != DM else None
        return Actor(self.sandbox, viewer, guild, channel)

    @staticmethod
    def text(body: dict[str, Any], key: str) -> str:
        value = body.get(key)
        if not isinstance(value, str) or not value.strip():
            raise PageError(400, f'Add "{key}" as text.')
        return value

    # ----- reading --------------------------------------------------------------------------------

    async def index(self, request: web.Request) -> web.StreamResponse:
        return self.file_response("index.html")

    async def static(self, request: web.Request) -> web.StreamResponse:
        return self.file_response(request.match_info["name"])

    def file_response(self, name: str) -> web.Response:
        found = STATIC_NAME.match(name)
        source = resources.files("discord_standin") / "web" / name
        if found is None or not source.is_file():
            return web.json_response({"error": f"There's no file called {name!r}."}, status=404)
        response = web.Response(body=source.read_bytes(), content_type=CONTENT_TYPES[found.group(1)])
        # The files change while someone works on the page; always ask again.
        response.headers["Cache-Control"] = "no-cache"
        return response

    async def people(self, request: web.Request) -> web.StreamResponse:
        """Who the page can act as, before anyone is picked."""
        world = self.sandbox.world
        return web.json_response({"people": [person_json(world, u) for u in world.users.values() if not u.bot]})

    async def state(self, request: web.Request) -> web.StreamResponse:
        return web.json_response(state_for(self.sandbox, self.viewer(request.query.get("viewer"))))

    async def messages(self, request: web.Request) -> web.StreamResponse:
        viewer = self.viewer(request.query.get("viewer"))
        channel = self.channel(request.match_info["channel_id"], viewer)
        return web.json_response({"messages": messages_for(self.sandbox.world, channel, viewer)})

    async def requests(self, request: web.Request) -> web.StreamResponse:
        records = self.sandbox.requests
        start = max(0, len(records) - REQUEST_LOG_LIMIT)
        listed = [request_json(index, records[index]) for index in range(len(records) - 1, start - 1, -1)]
        return web.json_response({"total": len(records), "requests": listed})

    async def events(self, request: web.Request) -> web.StreamResponse:
        """Server-sent events: `change` (with the sandbox's version) whenever anything changed."""
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache"})
        await response.prepare(request)
        seen = -1
        try:
            while not self.closing:
                try:
                    await self.sandbox.wait_until(functools.partial(self.changed_since, seen), timeout=HEARTBEAT_S)
                except TimeoutError:
                    await response.write(b": still here\n\n")
                    continue
                if self.closing:
                    break
                await asyncio.sleep(COALESCE_S)
                seen = self.sandbox.version
                await response.write(f"event: change\ndata: {seen}\n\n".encode())
        except ConnectionError:
            pass  # the browser went away
        return response

    # ----- acting ---------------------------------------------------------------------------------

    async def open_dm(self, request: web.Request) -> web.StreamResponse:
        viewer = self.viewer((await self.body_of(request)).get("viewer"))
        channel = self.sandbox.dm_channel(viewer)
        await self.sandbox.notify()
        return web.json_response({"channel_id": str(channel.id)})

    async def slash(self, request: web.Request) -> web.StreamResponse:
        body = await self.body_of(request)
        viewer = self.viewer(body.get("viewer"))
        channel = self.channel(body.get("channel_id"), viewer)
        options = self.options(body)
        reply = await self.actor(viewer, channel).slash_with(self.text(body, "command"), options, in_channel=channel)
        return web.json_response(reply_json(reply))

    async def autocomplete(self, request: web.Request) -> web.StreamResponse:
        body = await self.body_of(request)
        viewer = self.viewer(body.get("viewer"))
        channel = self.channel(body.get("channel_id"), viewer)
        value = body.get("value", "")
        if not isinstance(value, str):
            raise PageError(400, 'Add "value": what the person has typed so far.')
        actor = self.actor(viewer, channel)
        choices = await actor.autocomplete_with(
            self.text(body, "command"), self.text(body, "focused"), value, self.options(body)
        )
        return web.json_response({"choices": choices})

    @staticmethod
    def options(body: dict[str, Any]) -> dict[str, Any]:
        options = body.get("options", {})
        if not isinstance(options, dict):
            raise PageError(400, '"options" must be an object of option names and values.')
        return options

    async def click(self, request: web.Request) -> web.StreamResponse:
        body = await self.body_of(request)
        viewer = self.viewer(body.get("viewer"))
        message = self.message(body.get("message_id"), viewer)
        custom_id = self.text(body, "custom_id")
        channel = self.sandbox.world.channels[message.channel_id]
        reply = await self.actor(viewer, channel).click_by_id(message, custom_id)
        return web.json_response(reply_json(reply))

    async def select(self, request: web.Request) -> web.StreamResponse:
        body = await self.body_of(request)
        viewer = self.viewer(body.get("viewer"))
        message = self.message(body.get("message_id"), viewer)
        custom_id = self.text(body, "custom_id")
        values = body.get("values")
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            raise PageError(400, '"values" must be a list of the picked options\' values.')
        if not has_component(message, custom_id):
            raise PageError(404, f"That message has no menu {custom_id!r}.")
        channel = self.sandbox.world.channels[message.channel_id]
        reply = await self.actor(viewer, channel).select(message, custom_id, values)
        return web.json_response(reply_json(reply))

    async def submit(self, request: web.Request) -> web.StreamResponse:
        body = await self.body_of(request)
        viewer = self.viewer(body.get("viewer"))
        values = body.get("values")
        if not isinstance(values, dict):
            raise PageError(400, '"values" must be an object of the form\'s custom_ids and answers.')
        try:
            interaction = self.sandbox.world.interactions.get(int(body.get("interaction_id", 0)))
        except (TypeError, ValueError):
            interaction = None
        if interaction is None or interaction.callback_type != 9 or interaction.callback_data is None:
            raise PageError(404, "That form isn't open any more. Run the command again to get a fresh one.")
        if interaction.user.id != viewer.id:
            raise PageError(403, "That form was opened by someone else.")
        channel = self.channel(interaction.channel_id, viewer)
        reply = await self.actor(viewer, channel).submit_by_id(interaction.callback_data, values)
        return web.json_response(reply_json(reply))

    async def say(self, request: web.Request) -> web.StreamResponse:
        body = await self.body_of(request)
        viewer = self.viewer(body.get("viewer"))
        channel = self.channel(body.get("channel_id"), viewer)
        text = self.text(body, "text")
        if len(text) > MAX_MESSAGE_LENGTH:
            raise PageError(400, f"Discord takes up to {MAX_MESSAGE_LENGTH} characters in one message.")
        message = await self.actor(viewer, channel).say(text, channel)
        return web.json_response({"message_id": str(message.id)})

    async def demo_action(self, request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        if name not in self.sandbox.demo_actions:
            raise PageError(404, f"There's no demo action called {name!r}.")
        try:
            result = await self.sandbox.run_demo_action(name)
        except Exception as problem:  # the page says it failed; the bot's own log has the details
            # The kind of error only: its text could carry what someone wrote.
            log.error("demo action %s failed: %s", name, type(problem).__name__)
            raise PageError(500, f"That didn't work ({type(problem).__name__}).") from None
        return web.json_response({"result": result})


def reply_json(reply: Reply) -> dict[str, Any]:
    """What the bot answered: a form to open, or the ids of the messages it posted."""
    modal = reply.modal
    return {
        "type": reply.type,
        "modal": {**modal, "interaction_id": str(reply.interaction.id)} if modal is not None else None,
        "message_ids": [str(m.id) for m in reply.messages],
    }


def add_routes(app: web.Application, sandbox: Sandbox) -> None:
    """Serve the page at `/` and its API under `/_standin` (a prefix Discord's API never uses)."""
    page = Page(sandbox)
    app.on_shutdown.append(page.close)
    router = app.router
    router.add_get("/", refusals(page.index))
    router.add_get(PREFIX + "/web/{name}", refusals(page.static))
    router.add_get(PREFIX + "/people", refusals(page.people))
    router.add_get(PREFIX + "/state", refusals(page.state))
    router.add_get(PREFIX + "/channels/{channel_id}/messages", refusals(page.messages))
    router.add_get(PREFIX + "/requests", refusals(page.requests))
    router.add_get(PREFIX + "/events", page.events)
    router.add_post(PREFIX + "/dm", refusals(page.open_dm))
    router.add_post(PREFIX + "/slash", refusals(page.slash))
    router.add_post(PREFIX + "/autocomplete", refusals(page.autocomplete))
    router.add_post(PREFIX + "/click", refusals(page.click))
    router.add_post(PREFIX + "/select", refusals(page.select))
    router.add_post(PREFIX + "/submit", refusals(page.submit))
    router.add_post(PREFIX + "/say", refusals(page.say))
    router.add_post(PREFIX + "/demo-actions/{name}", refusals(page.demo_action))
