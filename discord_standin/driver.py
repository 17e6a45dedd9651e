"""The driver API: act in the sandbox as a member or leader and read what the bot answered."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from typing import Any

import aiohttp

from discord_standin.server import Sandbox
from discord_standin.state import (
    BOT_PERMISSIONS,
    DM,
    Channel,
    Guild,
    Interaction,
    Message,
    Role,
    User,
)

APPLICATION_COMMAND = 2
MESSAGE_COMPONENT = 3
AUTOCOMPLETE = 4
MODAL_SUBMIT = 5

OPTION_SUB_COMMAND = 1
OPTION_SUB_COMMAND_GROUP = 2
OPTION_STRING = 3
OPTION_INTEGER = 4
OPTION_BOOLEAN = 5
OPTION_USER = 6
OPTION_CHANNEL = 7
OPTION_ROLE = 8
OPTION_NUMBER = 10

LOADING = 1 << 7


class DriverError(AssertionError):
    """The test asked for something a Discord user could not do (an unknown command, a missing field)."""


@dataclass
class Reply:
    """What the bot answered to one interaction."""

    sandbox: Sandbox
    interaction: Interaction

    @property
    def type(self) -> int | None:
        return self.interaction.callback_type

    @property
    def latency(self) -> float:
        responded = self.interaction.responded_at or 0.0
        return responded - self.interaction.created_at

    @property
    def message(self) -> Message | None:
        """The original response message (for types 4, 5 and 7)."""
        if self.interaction.original_message_id is None:
            return None
        return self.sandbox.world.messages.get(self.interaction.original_message_id)

    @property
    def followups(self) -> list[Message]:
        return [self.sandbox.world.messages[m] for m in self.interaction.followup_ids]

    @property
    def messages(self) -> list[Message]:
        """Every message this interaction produced, the original first."""
        original = [self.message] if self.message is not None else []
        return original + self.followups

    @property
    def content(self) -> str:
        message = self.message
        return message.content if message is not None else ""

    @property
    def text(self) -> str:
        """All visible text of the answer: contents, embeds and text displays, for assertions."""
        parts: list[str] = []
        for message in self.messages:
            parts.append(message_text(message))
        if self.modal is not None:
            parts.append(str(self.modal.get("title", "")))
        return "\n".join(p for p in parts if p)

    @property
    def ephemeral(self) -> bool:
        message = self.message
        return bool(message is not None and message.ephemeral)

    @property
    def modal(self) -> dict[str, Any] | None:
        return self.interaction.callback_data if self.type == 9 else None

    @property
    def choices(self) -> list[dict[str, Any]]:
        if self.type != 8 or self.interaction.callback_data is None:
            return []
        return list(self.interaction.callback_data.get("choices", []))

    async def settled(self, timeout: float = 5.0) -> Reply:
        """Wait until a deferred answer has been filled in."""

        def done() -> bool:
            message = self.message
            return message is not None and not message.flags & LOADING

        def updated() -> bool:
            message = self.message
            edited = message is not None and message.edited_at != self.interaction.edits_before_deferral
            return edited or bool(self.interaction.followup_ids)

        if self.type == 5:
            await self.sandbox.wait_until(done, timeout)
        elif self.type == 6 and self.message is not None:
            await self.sandbox.wait_until(updated, timeout)
        return self

    async def wait_followups(self, count: int = 1, timeout: float = 5.0) -> list[Message]:
        await self.sandbox.wait_until(lambda: len(self.interaction.followup_ids) >= count, timeout)
        return self.followups


def message_text(message: Message) -> str:
    parts = [message.content]
    for embed in message.embeds:
        parts.extend(str(embed.get(k, "")) for k in ("title", "description"))
        for embed_field in embed.get("fields", []):
            parts.extend([str(embed_field.get("name", "")), str(embed_field.get("value", ""))])
        footer = embed.get("footer") or {}
        parts.append(str(footer.get("text", "")))
    for component in walk_components(message.components):
        if component.get("type") == 10:
            parts.append(str(component.get("content", "")))
    return "\n".join(p for p in parts if p)


def walk_components(components: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for component in components:
        found.append(component)
        found.extend(walk_components(component.get("components", [])))
        if isinstance(component.get("component"), dict):
            found.extend(walk_components([component["component"]]))
        if isinstance(component.get("accessory"), dict):
            found.extend(walk_components([component["accessory"]]))
    return found


def buttons(message: Message) -> list[dict[str, Any]]:
    return [c for c in walk_components(message.components) if c.get("type") == 2]


class Actor:
    """A person in the sandbox: a member or a leader of one community."""

    def __init__(self, sandbox: Sandbox, user: User, guild: Guild | None, channel: Channel | None) -> None:
        self.sandbox = sandbox
        self.user = user
        self.guild = guild
        self.channel = channel
        # The language of this person's Discord client, sent as every interaction's `locale`.
        self.locale = "en-US"

    def __repr__(self) -> str:
        return f"<Actor {self.user.username}>"

    # ----- building interactions -----------------------------------------------------------------

    def _base(self, kind: int, data: dict[str, Any], channel: Channel | None = None) -> Interaction:
        world = self.sandbox.world
        channel = channel or self.channel
        if channel is None:
            channel = self.sandbox.dm_channel(self.user)
        interaction_id = world.ids.next()
        token = "itk." + secrets.token_urlsafe(32)
        payload: dict[str, Any] = {
            "id": str(interaction_id),
            "application_id": str(world.application_id),
            "type": kind,
            "data": data,
            "channel_id": str(channel.id),
            "channel": channel.to_json(),
            "token": token,
            "version": 1,
            "app_permissions": str(BOT_PERMISSIONS),
            "locale": self.locale,
            "entitlements": [],
            "attachment_size_limit": 10 * 1024 * 1024,
        }
        guild = world.guild_of(channel) if channel.type != DM else None
        if guild is not None:
            member = guild.members.get(self.user.id)
            if member is None:
                raise DriverError(f"{self.user.username} is not a member of {guild.name}")
            payload["guild_id"] = str(guild.id)
            payload["guild_locale"] = "en-US"
            payload["guild"] = {"id": str(guild.id), "locale": "en-US", "features": []}
            payload["member"] = {**member.to_json(), "permissions": str(guild.permissions_of(self.user.id))}
            payload["authorizing_integration_owners"] = {"0": str(guild.id)}
            payload["context"] = 0
        else:
            payload["user"] = self.user.to_json()
            payload["authorizing_integration_owners"] = {"0": "0"}
            payload["context"] = 1
        interaction = Interaction(
            id=interaction_id,
            token=token,
            type=kind,
            user=self.user,
            guild_id=guild.id if guild else None,
            channel_id=channel.id,
            payload=payload,
        )
        world.interactions[interaction_id] = interaction
        world.interactions_by_token[token] = interaction
        return interaction

    async def dispatch(self, interaction: Interaction) -> Interaction:
        """Send a prepared interaction without waiting for the answer (for load: many members at once)."""
        interaction.sent_at = time.monotonic()
        await self.sandbox.gateway.dispatch("INTERACTION_CREATE", interaction.payload)
        return interaction

    async def _send(self, interaction: Interaction, timeout: float) -> Reply:
        await self.dispatch(interaction)
        reply = Reply(self.sandbox, interaction)
        try:
            await self.sandbox.wait_until(lambda: interaction.callback_type is not None, timeout)
        except TimeoutError:
            raise DriverError(
                f"the bot did not answer {self.user.username}'s interaction within {timeout:.0f}s"
            ) from None
        # A person sees the deferred "thinking…" placeholder filled in; wait for that too.
        try:
            await reply.settled(timeout)
        except TimeoutError:
            raise DriverError(f"the bot left {self.user.username}'s answer thinking for {timeout:.0f}s") from None
        return reply

    def _command(self, name: str) -> dict[str, Any]:
        world = self.sandbox.world
        pools = []
        if self.guild is not None:
            pools.append(world.guild_commands.get(self.guild.id, []))
        pools.append(world.global_commands)
        for pool in pools:
            for command in pool:
                if command["name"] == name and command.get("type", 1) == 1:
                    return command
        raise DriverError(f"no slash command /{name} is registered")

    def _options(
        self,
        definitions: list[dict[str, Any]],
        values: dict[str, Any],
        resolved: dict[str, Any],
        focused: str | None,
    ) -> list[dict[str, Any]]:
        known = {d["name"]: d for d in definitions}
        for key in values:
            if key not in known:
                raise DriverError(f"unknown option {key!r}; the command has {sorted(known)}")
        for definition in definitions:
            # While a person is still typing (autocomplete), Discord sends whatever is filled in so far.
            if definition.get("required") and definition["name"] not in values and focused is None:
                raise DriverError(f"option {definition['name']!r} is required")
        options: list[dict[str, Any]] = []
        for key, value in values.items():
            definition = known[key]
            kind = definition["type"]
            value = self._by_name(kind, value)
            option: dict[str, Any] = {"name": key, "type": kind}
            if kind in (OPTION_USER, OPTION_CHANNEL, OPTION_ROLE):
                option["value"] = self._reference(kind, value, resolved)
            elif kind in (OPTION_INTEGER, OPTION_NUMBER) and key != focused:
                low, high = definition.get("min_value"), definition.get("max_value")
                if (low is not None and value < low) or (high is not None and value > high):
                    raise DriverError(f"Discord refuses {key}={value}: it must be between {low} and {high}")
                option["value"] = value
            elif kind == OPTION_BOOLEAN:
                option["value"] = bool(value)
            else:
                choices = definition.get("choices")
                if choices and key != focused and value not in [c["value"] for c in choices]:
                    raise DriverError(f"Discord offers only {[c['value'] for c in choices]} for {key}")
                if kind == OPTION_STRING and key != focused:
                    too_long = len(str(value)) > definition.get("max_length", 6000)
                    if too_long or len(str(value)) < definition.get("min_length", 0):
                        raise DriverError(f"Discord refuses that length for {key}")
                option["value"] = value
            if key == focused:
                option["focused"] = True
                option["value"] = str(value)
            options.append(option)
        return options

    def _reference(self, kind: int, value: Any, resolved: dict[str, Any]) -> str:
        """A member, channel or role as Discord sends it: its id, with the object in `resolved`."""
        if kind == OPTION_USER:
            user = value.user if isinstance(value, Actor) else value
            resolved.setdefault("users", {})[str(user.id)] = user.to_json()
            if self.guild is not None and user.id in self.guild.members:
                member = self.guild.members[user.id].to_json()
                member.pop("user")
                member["permissions"] = str(self.guild.permissions_of(user.id))
                resolved.setdefault("members", {})[str(user.id)] = member
            return str(user.id)
        if kind == OPTION_CHANNEL:
            channel_json = value.to_json()
            channel_json["permissions"] = str(BOT_PERMISSIONS)
            resolved.setdefault("channels", {})[str(value.id)] = channel_json
            return str(value.id)
        resolved.setdefault("roles", {})[str(value.id)] = value.to_json()
        return str(value.id)

    def available_commands(self) -> list[dict[str, Any]]:
        """The slash commands this person's Discord client offers where they are typing: the server's own
        and global ones, less those hidden by default permissions; in a DM only those allowed in DMs."""
        world = self.sandbox.world
        in_dm = self.guild is None or (self.channel is not None and self.channel.type == DM)
        pools = [] if self.guild is None or in_dm else [world.guild_commands.get(self.guild.id, [])]
        pools.append(world.global_commands)
        offered: dict[str, dict[str, Any]] = {}
        for pool in pools:
            for command in pool:
                if command.get("type", 1) != 1 or command["name"] in offered:
                    continue
                if in_dm and not _allowed_in_dms(command):
                    continue
                if in_dm or self._may_use(command):
                    offered[command["name"]] = command
        return sorted(offered.values(), key=lambda c: str(c["name"]))

    def _may_use(self, command: dict[str, Any]) -> bool:
        """Discord shows a command only to members with its default permissions, unless an admin allowed
        a role (or everyone) to use it in the server's Integrations settings."""
        required = command.get("default_member_permissions")
        if required is None or self.guild is None:
            return True
        needed = int(required)
        if needed and self.guild.permissions_of(self.user.id) & needed == needed:
            return True
        allowed = self.sandbox.command_overrides.get((self.guild.id, command["name"]), set())
        member = self.guild.members.get(self.user.id)
        roles = set(member.roles if member else []) | {self.guild.id}
        return bool(allowed & roles)

    def _by_name(self, kind: int, value: Any) -> Any:
        """Let a person type names (`#check-ins`, `bob`, `Peer leader`, `yes`) where Discord shows pickers."""
        if not isinstance(value, str):
            return value
        text = value.strip().lstrip("#@")
        if kind == OPTION_BOOLEAN:
            return text.lower() in ("true", "yes", "on", "1")
        if kind in (OPTION_INTEGER, OPTION_NUMBER):
            try:
                return int(text) if kind == OPTION_INTEGER else float(text)
            except ValueError:
                raise DriverError(f"{value!r} is not a number") from None
        if self.guild is None:
            return value
        found: Channel | User | Role | None
        if kind == OPTION_CHANNEL:
            found = next((c for c in self.guild.channels.values() if c.name == text), None)
        elif kind == OPTION_USER:
            found = next((m.user for m in self.guild.members.values() if m.user.username == text), None)
        elif kind == OPTION_ROLE:
            found = next((r for r in self.guild.roles.values() if r.name.lower() == text.lower()), None)
        else:
            return value
        if found is None:
            raise DriverError(f"nothing called {value!r} in {self.guild.name}")
        return found

    def _command_data(self, path: str, values: dict[str, Any], focused: str | None = None) -> dict[str, Any]:
        words = path.split()
        command = self._command(words[0])
        if not self._may_use(command):
            raise DriverError(f"/{words[0]} is not available to {self.user.username} (Discord hides it)")
        data: dict[str, Any] = {"id": command["id"], "name": command["name"], "type": 1}
        if self.guild is not None and command.get("guild_id"):
            data["guild_id"] = command["guild_id"]
        resolved: dict[str, Any] = {}
        container = data
        definitions = command.get("options", [])
        for word in words[1:]:
            sub = next((o for o in definitions if o["name"] == word), None)
            if sub is None or sub["type"] not in (OPTION_SUB_COMMAND, OPTION_SUB_COMMAND_GROUP):
                raise DriverError(f"/{path}: {word!r} is not a subcommand")
            entry: dict[str, Any] = {"name": word, "type": sub["type"], "options": []}
            container.setdefault("options", []).append(entry)
            container = entry
            definitions = sub.get("options", [])
        if any(d["type"] in (OPTION_SUB_COMMAND, OPTION_SUB_COMMAND_GROUP) for d in definitions):
            raise DriverError(f"/{path} needs a subcommand")
        container["options"] = self._options(definitions, values, resolved, focused)
        if resolved:
            data["resolved"] = resolved
        return data

    # ----- acting ---------------------------------------------------------------------------------

    async def slash(
        self, path: str, *, in_channel: Channel | None = None, timeout: float = 5.0, **options: Any
    ) -> Reply:
        """Run a slash command, e.g. `slash("checkin")` or `slash("schedule add", name="morning")`; options
        are given by name (`in_channel` is where it is typed, the check-in channel by default)."""
        return await self.slash_with(path, options, in_channel=in_channel, timeout=timeout)

    async def slash_with(
        self, path: str, options: dict[str, Any], *, in_channel: Channel | None = None, timeout: float = 5.0
    ) -> Reply:
        """`slash` with the options as a dict, for options named like `timeout` (and for the page)."""
        return await self._send(self.prepare_slash(path, options, in_channel=in_channel), timeout)

    def prepare_slash(
        self, path: str, options: dict[str, Any] | None = None, *, in_channel: Channel | None = None
    ) -> Interaction:
        """The interaction `slash` would send, not yet sent (see `dispatch`)."""
        return self._base(APPLICATION_COMMAND, self._command_data(path, options or {}), in_channel)

    async def raw_slash(
        self,
        path: str,
        options: dict[str, Any] | None = None,
        *,
        types: dict[str, int] | None = None,
        in_channel: Channel | None = None,
        timeout: float = 5.0,
    ) -> Reply:
        """Run a slash command as a buggy or hostile client could: each option's value goes out exactly as
        given (any JSON type, any size, any name, required ones left out), with none of the checks Discord's
        own client makes. `types` overrides an option's declared type. Members, channels and roles given as
        objects are resolved as Discord would; a bare id goes out without resolved data. Discord's server
        still only delivers commands that exist and that the person may use."""
        words = path.split()
        command = self._command(words[0])
        if not self._may_use(command):
            raise DriverError(f"/{words[0]} is not available to {self.user.username} (Discord hides it)")
        data: dict[str, Any] = {"id": command["id"], "name": command["name"], "type": 1}
        if self.guild is not None and command.get("guild_id"):
            data["guild_id"] = command["guild_id"]
        container, definitions = data, command.get("options", [])
        for word in words[1:]:
            sub = next((o for o in definitions if o["name"] == word), None)
            if sub is None:
                raise DriverError(f"/{path}: {word!r} is not a subcommand")
            entry: dict[str, Any] = {"name": word, "type": sub["type"], "options": []}
            container.setdefault("options", []).append(entry)
            container, definitions = entry, sub.get("options", [])
        resolved: dict[str, Any] = {}
        sent: list[dict[str, Any]] = []
        for key, value in (options or {}).items():
            definition = next((d for d in definitions if d["name"] == key), None)
            kind = (types or {}).get(key) or (definition["type"] if definition else OPTION_STRING)
            if isinstance(value, Actor | User | Channel | Role) and kind in (OPTION_USER, OPTION_CHANNEL, OPTION_ROLE):
                value = self._reference(kind, value, resolved)
            sent.append({"name": key, "type": kind, "value": value})
        container["options"] = sent
        if resolved:
            data["resolved"] = resolved
        interaction = self._base(APPLICATION_COMMAND, data, in_channel)
        return await self._send(interaction, timeout)

    async def autocomplete(self, path: str, focused: str, value: str, **options: Any) -> list[dict[str, Any]]:
        """Type `value` into option `focused` and return the choices the bot suggests."""
        return await self.autocomplete_with(path, focused, value, options)

    async def autocomplete_with(
        self, path: str, focused: str, value: str, options: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """`autocomplete` with the other options as a dict."""
        data = self._command_data(path, {**options, focused: value}, focused=focused)
        interaction = self._base(AUTOCOMPLETE, data)
        reply = await self._send(interaction, 5.0)
        if reply.type != 8:
            raise DriverError(f"autocomplete answered with callback type {reply.type}")
        return reply.choices

    async def click(self, message: Message, label: str, *, timeout: float = 5.0) -> Reply:
        """Press the button with this label on a message the member can see."""
        if message.ephemeral and not self._owns_ephemeral(message):
            raise DriverError("that ephemeral message belongs to someone else")
        matching = [b for b in buttons(message) if b.get("label") == label]
        if not matching:
            labels = [b.get("label") for b in buttons(message)]
            raise DriverError(f"no button {label!r} on the message; it has {labels}")
        return await self._press(message, matching[0], timeout)

    async def click_by_id(self, message: Message, custom_id: str, *, timeout: float = 5.0) -> Reply:
        """Press the button with this custom_id (what a page showing the message knows it by)."""
        if message.ephemeral and not self._owns_ephemeral(message):
            raise DriverError("that ephemeral message belongs to someone else")
        matching = [b for b in buttons(message) if b.get("custom_id") == custom_id]
        if not matching:
            raise DriverError(f"no button {custom_id!r} on the message")
        return await self._press(message, matching[0], timeout)

    async def _press(self, message: Message, button: dict[str, Any], timeout: float) -> Reply:
        label = button.get("label")
        if button.get("disabled"):
            raise DriverError(f"the button {label!r} is disabled")
        if "custom_id" not in button:
            raise DriverError(f"the button {label!r} is a link")
        data = {"custom_id": button["custom_id"], "component_type": 2, "id": button.get("id")}
        channel = self.sandbox.world.channels.get(message.channel_id)
        interaction = self._base(MESSAGE_COMPONENT, data, channel)
        interaction.payload["message"] = message.to_json()
        return await self._send(interaction, timeout)

    async def select(self, message: Message, custom_id: str, values: list[str], *, timeout: float = 5.0) -> Reply:
        """Pick options (by label or value) in a select menu on a message."""
        menus = [c for c in walk_components(message.components) if c.get("custom_id") == custom_id]
        if not menus or menus[0].get("type") not in (3, 5, 6, 7, 8):
            raise DriverError(f"no select menu {custom_id!r} on the message")
        menu = menus[0]
        options = menu.get("options", [])
        chosen = []
        for value in values:
            option = next((o for o in options if value in (o.get("label"), o.get("value"))), None)
            if options and option is None:
                raise DriverError(f"the menu has no option {value!r}")
            chosen.append(option["value"] if option else value)
        if not menu.get("min_values", 1) <= len(chosen) <= menu.get("max_values", 1):
            raise DriverError(f"pick between {menu.get('min_values', 1)} and {menu.get('max_values', 1)} options")
        data = {
            "custom_id": custom_id,
            "component_type": menu["type"],
            "values": chosen,
            "id": menu.get("id"),
        }
        interaction = self._base(MESSAGE_COMPONENT, data, self.sandbox.world.channels.get(message.channel_id))
        interaction.payload["message"] = message.to_json()
        return await self._send(interaction, timeout)

    def _owns_ephemeral(self, message: Message) -> bool:
        metadata = message.interaction_metadata or {}
        return str(metadata.get("user", {}).get("id")) == str(self.user.id)

    async def submit(self, modal: dict[str, Any], values: dict[str, Any], *, timeout: float = 5.0) -> Reply:
        """Fill a modal by its labels (radio and checkbox options by label or value) and submit it."""
        return await self._submit(modal, values, by_label=True, timeout=timeout)

    async def submit_by_id(self, modal: dict[str, Any], values: dict[str, Any], *, timeout: float = 5.0) -> Reply:
        """Fill a modal by its components' custom_ids (what a page form knows them by) and submit it."""
        return await self._submit(modal, values, by_label=False, timeout=timeout)

    async def _submit(self, modal: dict[str, Any], values: dict[str, Any], *, by_label: bool, timeout: float) -> Reply:
        return await self._send(self.prepare_submit(modal, values, by_label=by_label), timeout)

    def prepare_submit(self, modal: dict[str, Any], values: dict[str, Any], *, by_label: bool = True) -> Interaction:
        """The interaction `submit` would send, not yet sent (see `dispatch`)."""
        unused = set(values)
        submitted: list[dict[str, Any]] = []
        for row in modal.get("components", []):
            if row.get("type") == 18:
                inner = row["component"]
                label = row.get("label", "")
                answer = self._answer(inner, label, label if by_label else inner.get("custom_id"), values, unused)
                submitted.append({"type": 18, "id": row.get("id"), "component": answer})
            elif row.get("type") == 1:
                answers = []
                for inner in row.get("components", []):
                    label = inner.get("label") or ""
                    key = label if by_label else inner.get("custom_id")
                    answers.append(self._answer(inner, label, key, values, unused))
                submitted.append({"type": 1, "id": row.get("id"), "components": answers})
            elif row.get("type") == 10:
                submitted.append({"type": 10, "id": row.get("id")})
        if unused:
            raise DriverError(f"the form has no fields {'labelled' if by_label else 'with custom_id'} {sorted(unused)}")
        data = {"custom_id": modal["custom_id"], "components": submitted}
        return self._base(MODAL_SUBMIT, data)

    @staticmethod
    def _answer(
        component: dict[str, Any], label: str, key: str | None, values: dict[str, Any], unused: set[str]
    ) -> dict[str, Any]:
        kind = component["type"]
        required = component.get("required", True)
        # A field the person leaves alone is sent as the form was opened: Discord's client submits a text
        # input's prefilled `value` and the options marked `default`.
        given = prefilled(component) if key is None or key not in values else values[key]
        unused.discard(key or "")
        base = {"type": kind, "id": component.get("id"), "custom_id": component.get("custom_id")}
        if kind == 4:  # text input
            text = "" if given is None else str(given)
            if required and not text:
                raise DriverError(f"{label!r} is required")
            if text and len(text) < component.get("min_length", 0):
                raise DriverError(f"{label!r} needs at least {component['min_length']} characters")
            if len(text) > component.get("max_length", 4000):
                raise DriverError(f"{label!r} takes at most {component['max_length']} characters")
            return {**base, "value": text}
        if kind == 21:  # radio group
            options = component.get("options", [])
            if given is None:
                if required:
                    raise DriverError(f"{label!r} is required")
                return {**base, "value": None}
            chosen = next((o for o in options if str(given) in (o["label"], o["value"])), None)
            if chosen is None:
                raise DriverError(f"{label!r} has no option {given!r}")
            return {**base, "value": chosen["value"]}
        if kind == 22:  # checkbox group
            options = component.get("options", [])
            picks = list(given or [])
            chosen_values = []
            for pick in picks:
                option = next((o for o in options if str(pick) in (o["label"], o["value"])), None)
                if option is None:
                    raise DriverError(f"{label!r} has no option {pick!r}")
                chosen_values.append(option["value"])
            if required and not chosen_values and component.get("min_values", 1) > 0:
                raise DriverError(f"{label!r} is required")
            return {**base, "values": chosen_values}
        if kind == 23:  # single checkbox
            return {**base, "value": bool(given)}
        if kind in (3, 5, 6, 7, 8):  # selects
            return {**base, "values": [str(v) for v in (given or [])]}
        raise DriverError(f"cannot fill a component of type {kind}")

    async def say(self, text: str, channel: Channel | None = None) -> Message:
        """Post a message: in a channel, or by default in a DM to the bot."""
        world = self.sandbox.world
        target = channel or self.sandbox.dm_channel(self.user)
        message = Message(id=world.ids.next(), channel_id=target.id, author=self.user, content=text)
        message.guild_id = target.guild_id
        await self.sandbox.post_message(message)
        return message

    def dms(self) -> list[Message]:
        """Messages the bot has sent this person by DM, oldest first."""
        channel_id = self.sandbox.world.dm_channel_by_user.get(self.user.id)
        if channel_id is None:
            return []
        return [
            m for m in self.sandbox.world.channel_messages(channel_id) if m.author.id == self.sandbox.world.bot_user.id
        ]

    async def wait_dms(self, count: int, timeout: float = 5.0) -> list[Message]:
        await self.sandbox.wait_until(lambda: len(self.dms()) >= count, timeout)
        return self.dms()


async def fetch_attachment(url: str) -> bytes:
    """Download an attachment the bot uploaded (served by the sandbox)."""
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        response.raise_for_status()
        return await response.read()


def _allowed_in_dms(command: dict[str, Any]) -> bool:
    """Discord offers a command in a DM with the bot when its contexts include BOT_DM (1)."""
    contexts = command.get("contexts")
    if contexts is not None:
        return 1 in contexts
    return command.get("dm_permission") is not False


def prefilled(component: dict[str, Any]) -> Any:
    """What a form field holds before anyone touches it: a text input's `value`, the `default` options."""
    kind = component.get("type")
    if kind == 4:
        return component.get("value")
    if kind == 23:
        return bool(component.get("default"))
    defaults = [o["value"] for o in component.get("options", []) if o.get("default")]
    if kind == 21:
        return defaults[0] if defaults else None
    return defaults or None
