"""The sandbox server: one aiohttp app serving Discord's REST API and gateway on localhost."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from aiohttp import web

from discord_standin import rest
from discord_standin.gateway import Gateway
from discord_standin.limits import Fault, Faults, RateLimiter
from discord_standin.spec import SpecValidator, default_spec_path
from discord_standin.state import (
    BOT_PERMISSIONS,
    DM,
    GUILD_TEXT,
    MEMBER_DEFAULT_PERMISSIONS,
    PERM_VIEW_CHANNEL,
    Channel,
    Guild,
    GuildMember,
    Message,
    Overwrite,
    Role,
    User,
    World,
)

log = logging.getLogger(__name__)

API_PREFIX = "/api/v10"


@dataclass
class RecordedRequest:
    """One request the bot made, as the sandbox saw it."""

    method: str
    path: str
    template: str | None
    query: dict[str, str]
    body: Any
    status: int = 0
    # Whether the body was checked against Discord's OpenAPI description, and what it broke.
    checked: bool = False
    problems: list[str] = field(default_factory=list)
    at: float = field(default_factory=time.monotonic)


@dataclass
class DemoAction:
    """A button the page (and the terminal's `do NAME`) offers, supplied by the bot's own demo.

    The stand-in knows nothing of the bot: the callback does the work and returns a short line saying
    what happened, shown to the person who pressed it.
    """

    name: str
    label: str
    run: Callable[[], Awaitable[str]]


class Sandbox:
    """A local stand-in for Discord that the unmodified discord.py client can connect to."""

    def __init__(
        self,
        *,
        global_rate_limit: float = 50.0,
        validate_spec: bool = True,
        spec_path: Path | None = None,
    ) -> None:
        self.token = "sandbox." + secrets.token_urlsafe(24)
        self.world = World(bot_user=User(id=0, username="Lantern", bot=True), application_id=0)
        bot_id = self.world.ids.next()
        self.world.bot_user.id = bot_id
        self.world.application_id = bot_id
        self.world.users[bot_id] = self.world.bot_user
        self.limiter = RateLimiter(global_rate_limit)
        self.faults = Faults()
        # Where Discord's description was looked for; None when validation is turned off.
        self.spec_path: Path | None = None
        if validate_spec:
            self.spec_path = Path(spec_path) if spec_path is not None else default_spec_path()
        self.validator = SpecValidator.load(self.spec_path) if self.spec_path is not None else None
        self.requests: list[RecordedRequest] = []
        # (guild id, command name) -> role ids allowed to use it despite its default permissions.
        self.command_overrides: dict[tuple[int, str], set[int]] = {}
        self.spec_violations: list[str] = []
        self.gateway = Gateway(self)
        self.changed = asyncio.Condition()
        # Counts changes, so a watcher (the page's live updates) can tell whether it missed one.
        self.version = 0
        self._runner: web.AppRunner | None = None
        self.port = 0
        self.demo_actions: dict[str, DemoAction] = {}
        # Added to the wall clock for message timestamps and the nonce window: a test moves Discord's time
        # on (say past the five minutes a nonce is remembered) without waiting.
        self.clock_offset = timedelta(0)

    def now(self) -> datetime:
        """Discord's time: the wall clock plus whatever a test moved it on by."""
        return datetime.now(UTC) + self.clock_offset

    def advance_clock(self, **delta: float) -> None:
        self.clock_offset += timedelta(**delta)

    # ----- lifecycle -------------------------------------------------------------------------

    async def start(self, port: int = 0, host: str = "127.0.0.1") -> None:
        app = web.Application(middlewares=[self._middleware], client_max_size=64 * 1024 * 1024)
        app[rest.SANDBOX_KEY] = self
        rest.add_routes(app, API_PREFIX)
        app.router.add_get("/gateway", self.gateway.handle)
        app.router.add_get("/attachments/{attachment_id}/{filename}", rest.get_attachment)
        # Imported here: the page acts through the driver, which imports this module.
        from discord_standin import page

        page.add_routes(app, self)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        server = site._server
        assert server is not None
        sockets = getattr(server, "sockets", None) or []
        self.port = sockets[0].getsockname()[1]
        self.host = host

    async def stop(self) -> None:
        for session in self.gateway.sessions.values():
            if session.socket is not None:
                await session.socket.ws.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def api_base(self) -> str:
        return self.base_url + API_PREFIX

    @property
    def validation_off(self) -> str | None:
        """Why request bodies are not being checked against Discord's spec, or None while they are.

        A missing description must never read as "no violations": callers check this before trusting an
        empty `spec_violations`.
        """
        if self.validator is not None:
            return None
        if self.spec_path is None:
            return "request validation was turned off (validate_spec=False)"
        return f"Discord's OpenAPI description was not found at {self.spec_path}"

    @property
    def gateway_url(self) -> str:
        return f"ws://{self.host}:{self.port}/gateway"

    # ----- building the world ------------------------------------------------------------------

    def add_user(self, username: str, *, bot: bool = False) -> User:
        user = User(id=self.world.ids.next(), username=username, global_name=username.title(), bot=bot)
        self.world.users[user.id] = user
        return user

    def add_guild(self, name: str, owner: User) -> Guild:
        guild_id = self.world.ids.next()
        guild = Guild(id=guild_id, name=name, owner_id=owner.id)
        guild.roles[guild_id] = Role(id=guild_id, name="@everyone", permissions=MEMBER_DEFAULT_PERMISSIONS)
        self.world.guilds[guild_id] = guild
        bot_role = self.add_role(guild, "Lantern", BOT_PERMISSIONS)
        guild.members[owner.id] = GuildMember(user=owner)
        guild.members[self.world.bot_user.id] = GuildMember(user=self.world.bot_user, roles=[bot_role.id])
        return guild

    def add_role(self, guild: Guild, name: str, permissions: int = 0) -> Role:
        role = Role(id=self.world.ids.next(), name=name, permissions=permissions, position=len(guild.roles))
        guild.roles[role.id] = role
        return role

    async def create_role(self, guild: Guild, name: str, permissions: int = 0) -> Role:
        """A role made while the bot is connected (GUILD_ROLE_CREATE)."""
        role = self.add_role(guild, name, permissions)
        await self.gateway.dispatch("GUILD_ROLE_CREATE", {"guild_id": str(guild.id), "role": role.to_json()})
        return role

    async def set_preferred_locale(self, guild: Guild, locale: str) -> None:
        """An admin changes the server's language (a Community server's "primary language"): GUILD_UPDATE, with
        the guild object as Discord sends it (no GUILD_CREATE extras such as members or channels)."""
        guild.preferred_locale = locale
        await self.gateway.dispatch("GUILD_UPDATE", guild.to_json(include_state=False), guild_id=guild.id)

    def add_channel(self, guild: Guild, name: str, channel_type: int = GUILD_TEXT) -> Channel:
        channel = Channel(id=self.world.ids.next(), type=channel_type, name=name, guild_id=guild.id)
        channel.position = len(guild.channels)
        guild.channels[channel.id] = channel
        self.world.channels[channel.id] = channel
        return channel

    def add_member(self, guild: Guild, user: User, roles: list[Role] | None = None) -> GuildMember:
        member = GuildMember(user=user, roles=[r.id for r in roles or []])
        guild.members[user.id] = member
        return member

    async def join(self, guild: Guild, user: User) -> GuildMember:
        """A user joins a community while the bot is connected (GUILD_MEMBER_ADD)."""
        member = self.add_member(guild, user)
        await self.gateway.dispatch("GUILD_MEMBER_ADD", {**member.to_json(), "guild_id": str(guild.id)})
        return member

    async def leave(self, guild: Guild, user: User) -> None:
        """A user leaves a community (GUILD_MEMBER_REMOVE)."""
        guild.members.pop(user.id, None)
        await self.gateway.dispatch("GUILD_MEMBER_REMOVE", {"guild_id": str(guild.id), "user": user.to_json()})

    def make_private(self, channel: Channel, roles: list[Role], *, bot_sees_it: bool = True) -> None:
        """What an admin does for a staff channel: hide it from @everyone, show it to these roles (and, by
        default, to the bot's own role, as a server that wants the bot to post there would)."""
        guild = self.world.guilds[channel.guild_id] if channel.guild_id else None
        assert guild is not None, "only a server's channel can be made private"
        allowed = [role.id for role in roles]
        if bot_sees_it:
            allowed += guild.members[self.world.bot_user.id].roles
        channel.permission_overwrites = [Overwrite(guild.id, 0, deny=PERM_VIEW_CHANNEL)]
        channel.permission_overwrites += [Overwrite(role_id, 0, allow=PERM_VIEW_CHANNEL) for role_id in allowed]

    def allow_command(self, guild: Guild, command: str, role: Role) -> None:
        """What a server admin does in Integrations settings: let a role use a command it can't see."""
        self.command_overrides.setdefault((guild.id, command), set()).add(role.id)

    def dm_channel(self, user: User) -> Channel:
        """The DM channel between the bot and `user`, created on first use as Discord does."""
        channel_id = self.world.dm_channel_by_user.get(user.id)
        if channel_id is not None:
            return self.world.channels[channel_id]
        channel = Channel(id=self.world.ids.next(), type=DM, recipients=[user])
        self.world.channels[channel.id] = channel
        self.world.dm_channel_by_user[user.id] = channel.id
        return channel

    # ----- demo actions ------------------------------------------------------------------------

    def add_demo_action(self, name: str, label: str, run: Callable[[], Awaitable[str]]) -> None:
        """Offer a demo action (for example "Jump to tomorrow 9:00"); `run` returns what happened."""
        self.demo_actions[name] = DemoAction(name, label, run)

    async def run_demo_action(self, name: str) -> str:
        action = self.demo_actions.get(name)
        if action is None:
            raise KeyError(name)
        result = await action.run()
        await self.notify()
        return result

    # ----- faults ------------------------------------------------------------------------------

    def inject(self, method: str, path_glob: str, status: int, **kwargs: Any) -> Fault:
        """Answer the next matching request(s) with an error; see `Fault`."""
        return self.faults.add(Fault(method=method, path_glob=path_glob, status=status, **kwargs))

    # ----- helpers for handlers -----------------------------------------------------------------

    async def notify(self) -> None:
        async with self.changed:
            self.version += 1
            self.changed.notify_all()

    async def wait_until(self, predicate: Callable[[], Any], timeout: float = 5.0) -> Any:
        """Wait until `predicate()` is truthy (re-checked on every change); return its value."""
        deadline = time.monotonic() + timeout
        async with self.changed:
            while True:
                value = predicate()
                if value:
                    return value
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError("the bot did not answer in time")
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.changed.wait(), timeout=min(remaining, 0.25))

    async def post_message(self, message: Message) -> Message:
        """Store a message and tell the gateway, as Discord does for visible messages."""
        message.timestamp = self.now()
        self.world.store(message)
        channel = self.world.channels.get(message.channel_id)
        if channel is not None:
            channel.last_message_id = message.id
        if not message.ephemeral:
            await self.gateway.dispatch("MESSAGE_CREATE", self.message_event(message))
        await self.notify()
        return message

    def message_event(self, message: Message) -> dict[str, Any]:
        data = message.to_json()
        channel = self.world.channels.get(message.channel_id)
        if channel is not None and channel.guild_id is not None:
            data["guild_id"] = str(channel.guild_id)
            guild = self.world.guilds.get(channel.guild_id)
            member = guild.members.get(message.author.id) if guild else None
            if member is not None:
                member_json = member.to_json()
                member_json.pop("user", None)
                data["member"] = member_json
        return data

    # ----- the middleware: auth, faults, limits, validation, recording -------------------------

    @web.middleware
    async def _middleware(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        path = request.path
        if not path.startswith(API_PREFIX):
            return await handler(request)
        api_path = path[len(API_PREFIX) :]
        resource = request.match_info.route.resource
        template = resource.canonical[len(API_PREFIX) :] if resource is not None else None
        body = await rest.read_body(request)
        request[rest.BODY_KEY] = body
        record = RecordedRequest(request.method, api_path, template, dict(request.query), body)
        self.requests.append(record)
        response = await self._guarded(request, handler, record)
        record.status = response.status
        await self.notify()
        return response

    async def _guarded(
        self,
        request: web.Request,
        handler: Callable[[web.Request], Awaitable[web.StreamResponse]],
        record: RecordedRequest,
    ) -> web.StreamResponse:
        api_path, template, body = record.path, record.template, record.body
        auth = request.headers.get("Authorization", "")
        is_webhook = api_path.startswith(("/interactions/", "/webhooks/"))
        if not is_webhook and auth != f"Bot {self.token}":
            return rest.error(401, 0, "401: Unauthorized")
        fault = self.faults.take(request.method, api_path)
        if fault is not None and fault.delay > 0:
            await asyncio.sleep(fault.delay)
        if fault is not None and fault.status and not fault.delivered:
            return rest.fault_response(fault)
        major = request.match_info.get("channel_id") or request.match_info.get("guild_id") or ""
        major = major or request.match_info.get("interaction_token", "") or request.match_info.get("token", "")
        decision = self.limiter.check(request.method, api_path, template, major)
        if not decision.allowed:
            return rest.json_response(decision.body, status=429, headers=decision.headers)
        if self.validator is not None and template is not None and body is not None:
            problems = self.validator.validate(request.method, api_path, body)
            record.checked, record.problems = True, problems
            if problems:
                self.spec_violations.extend(problems)
                log.warning("spec violation: %s", problems)
                return rest.error(400, 50035, "Invalid Form Body", errors={"_errors": problems})
        response = await handler(request)
        if fault is not None and fault.status and fault.delivered:
            # The work is done (a message stored and announced), but the caller hears only the error.
            return rest.fault_response(fault)
        for key, value in decision.headers.items():
            response.headers[key] = value
        return response
