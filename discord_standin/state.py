"""The sandbox's in-memory world: users, communities, channels, messages, and their Discord JSON shapes."""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

DISCORD_EPOCH_MS = 1_420_070_400_000

# Discord channel types used here.
GUILD_TEXT = 0
DM = 1
GUILD_CATEGORY = 4
PUBLIC_THREAD = 11
PRIVATE_THREAD = 12

# Permission bits (Discord's documented values).
PERM_ADMINISTRATOR = 1 << 3
PERM_MANAGE_CHANNELS = 1 << 4
PERM_MANAGE_GUILD = 1 << 5
PERM_VIEW_CHANNEL = 1 << 10
PERM_SEND_MESSAGES = 1 << 11
PERM_MANAGE_MESSAGES = 1 << 13
PERM_EMBED_LINKS = 1 << 14
PERM_ATTACH_FILES = 1 << 15
PERM_READ_MESSAGE_HISTORY = 1 << 16
PERM_USE_APPLICATION_COMMANDS = 1 << 31
PERM_MANAGE_THREADS = 1 << 34
PERM_CREATE_PUBLIC_THREADS = 1 << 35
PERM_CREATE_PRIVATE_THREADS = 1 << 36
PERM_SEND_MESSAGES_IN_THREADS = 1 << 38

MEMBER_DEFAULT_PERMISSIONS = (
    PERM_VIEW_CHANNEL
    | PERM_SEND_MESSAGES
    | PERM_EMBED_LINKS
    | PERM_ATTACH_FILES
    | PERM_READ_MESSAGE_HISTORY
    | PERM_USE_APPLICATION_COMMANDS
    | PERM_CREATE_PUBLIC_THREADS
    | PERM_CREATE_PRIVATE_THREADS
    | PERM_SEND_MESSAGES_IN_THREADS
)
BOT_PERMISSIONS = MEMBER_DEFAULT_PERMISSIONS | PERM_MANAGE_THREADS | PERM_MANAGE_MESSAGES | PERM_MANAGE_CHANNELS


def iso(dt: datetime) -> str:
    """Discord's timestamp format."""
    return dt.astimezone(UTC).isoformat()


class Snowflakes:
    """Time-ordered unique ids shaped like Discord's."""

    def __init__(self) -> None:
        self._counter = itertools.count()

    def next(self) -> int:
        ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
        return (ms << 22) | (next(self._counter) & 0x3FFFFF)


@dataclass
class User:
    id: int
    username: str
    global_name: str | None = None
    bot: bool = False
    dms_open: bool = True

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": str(self.id),
            "username": self.username,
            "global_name": self.global_name,
            "discriminator": "0",
            "avatar": None,
            "public_flags": 0,
            "flags": 0,
            "banner": None,
            "accent_color": None,
            "avatar_decoration_data": None,
        }
        if self.bot:
            data["bot"] = True
        return data


@dataclass
class Role:
    id: int
    name: str
    permissions: int = 0
    position: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "name": self.name,
            "color": 0,
            "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
            "hoist": False,
            "icon": None,
            "unicode_emoji": None,
            "position": self.position,
            "permissions": str(self.permissions),
            "managed": False,
            "mentionable": False,
            "flags": 0,
        }


@dataclass
class GuildMember:
    user: User
    roles: list[int] = field(default_factory=list)
    joined_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    nick: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "user": self.user.to_json(),
            "nick": self.nick,
            "avatar": None,
            "banner": None,
            "roles": [str(r) for r in self.roles],
            "joined_at": iso(self.joined_at),
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "pending": False,
            "flags": 0,
            "communication_disabled_until": None,
        }


@dataclass
class Overwrite:
    """A channel permission overwrite: for a role (type 0) or a member (type 1), as Discord stores it."""

    id: int
    type: int
    allow: int = 0
    deny: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"id": str(self.id), "type": self.type, "allow": str(self.allow), "deny": str(self.deny)}


@dataclass
class Channel:
    id: int
    type: int
    name: str | None = None
    guild_id: int | None = None
    parent_id: int | None = None
    position: int = 0
    recipients: list[User] = field(default_factory=list)
    owner_id: int | None = None
    thread_members: set[int] = field(default_factory=set)
    invitable: bool = True
    archived: bool = False
    topic: str | None = None
    permission_overwrites: list[Overwrite] = field(default_factory=list)
    # Sandbox switches: a channel where the bot lacks permission answers 50013.
    bot_can_send: bool = True
    last_message_id: int | None = None

    @property
    def is_thread(self) -> bool:
        return self.type in (PUBLIC_THREAD, PRIVATE_THREAD)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": str(self.id), "type": self.type, "flags": 0}
        data["last_message_id"] = str(self.last_message_id) if self.last_message_id else None
        if self.type == DM:
            data["recipients"] = [u.to_json() for u in self.recipients]
            return data
        data.update(
            {
                "guild_id": str(self.guild_id),
                "name": self.name,
                "position": self.position,
                "permission_overwrites": [o.to_json() for o in self.permission_overwrites],
                "parent_id": str(self.parent_id) if self.parent_id else None,
                "nsfw": False,
                "rate_limit_per_user": 0,
            }
        )
        if self.type == GUILD_TEXT:
            data["topic"] = self.topic
        if self.is_thread:
            data["owner_id"] = str(self.owner_id) if self.owner_id else None
            data["member_count"] = len(self.thread_members)
            data["message_count"] = 0
            data["total_message_sent"] = 0
            data["thread_metadata"] = {
                "archived": self.archived,
                "auto_archive_duration": 1440,
                "archive_timestamp": iso(datetime.now(UTC)),
                "locked": False,
                "invitable": self.invitable,
                "create_timestamp": iso(datetime.now(UTC)),
            }
        return data


@dataclass
class Attachment:
    id: int
    filename: str
    data: bytes
    content_type: str | None
    url: str
    description: str | None = None  # the alt text the bot gave

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": str(self.id),
            "filename": self.filename,
            "size": len(self.data),
            "url": self.url,
            "proxy_url": self.url,
            "content_type": self.content_type,
        }
        if self.description is not None:
            data["description"] = self.description
        return data


@dataclass
class Message:
    id: int
    channel_id: int
    author: User
    content: str = ""
    embeds: list[dict[str, Any]] = field(default_factory=list)
    components: list[dict[str, Any]] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    flags: int = 0
    nonce: str | int | None = None
    guild_id: int | None = None
    webhook_id: int | None = None
    application_id: int | None = None
    interaction_metadata: dict[str, Any] | None = None
    message_type: int = 0
    timestamp: datetime = field(default_factory=lambda: datetime.now(UTC))
    edited_at: datetime | None = None
    thread: dict[str, Any] | None = None
    deleted: bool = False

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & 64)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": str(self.id),
            "channel_id": str(self.channel_id),
            "author": self.author.to_json(),
            "content": self.content,
            "timestamp": iso(self.timestamp),
            "edited_timestamp": iso(self.edited_at) if self.edited_at else None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [a.to_json() for a in self.attachments],
            "embeds": self.embeds,
            "pinned": False,
            "type": self.message_type,
            "flags": self.flags,
            "components": self.components,
        }
        if self.nonce is not None:
            data["nonce"] = self.nonce
        if self.webhook_id is not None:
            data["webhook_id"] = str(self.webhook_id)
        if self.application_id is not None:
            data["application_id"] = str(self.application_id)
        if self.interaction_metadata is not None:
            data["interaction_metadata"] = self.interaction_metadata
        if self.guild_id is not None:
            data["guild_id"] = str(self.guild_id)
        if self.thread is not None:
            data["thread"] = self.thread
        return data


@dataclass
class Guild:
    id: int
    name: str
    owner_id: int
    roles: dict[int, Role] = field(default_factory=dict)
    channels: dict[int, Channel] = field(default_factory=dict)
    members: dict[int, GuildMember] = field(default_factory=dict)
    # The server's language (Discord's default; a Community server's "primary language" in its settings).
    preferred_locale: str = "en-US"

    @property
    def everyone_role(self) -> Role:
        return self.roles[self.id]

    def permissions_of(self, user_id: int) -> int:
        if user_id == self.owner_id:
            return (1 << 53) - 1
        member = self.members.get(user_id)
        if member is None:
            return 0
        perms = self.everyone_role.permissions
        for role_id in member.roles:
            role = self.roles.get(role_id)
            if role:
                perms |= role.permissions
        if perms & PERM_ADMINISTRATOR:
            return (1 << 53) - 1
        return perms

    def channel_permissions_of(self, user_id: int, channel: Channel) -> int:
        """Discord's order: base permissions, then @everyone's overwrite, the member's roles', the member's own.
        A thread takes its parent channel's permissions."""
        perms = self.permissions_of(user_id)
        if perms & PERM_ADMINISTRATOR or user_id == self.owner_id:
            return perms
        source = self.channels.get(channel.parent_id) if channel.is_thread and channel.parent_id else channel
        overwrites = {(o.type, o.id): o for o in (source or channel).permission_overwrites}
        everyone = overwrites.get((0, self.id))
        if everyone is not None:
            perms = (perms & ~everyone.deny) | everyone.allow
        member = self.members.get(user_id)
        allow = deny = 0
        for role_id in member.roles if member else []:
            role_overwrite = overwrites.get((0, role_id))
            if role_overwrite is not None:
                allow, deny = allow | role_overwrite.allow, deny | role_overwrite.deny
        perms = (perms & ~deny) | allow
        own = overwrites.get((1, user_id))
        if own is not None:
            perms = (perms & ~own.deny) | own.allow
        return perms

    def can_view(self, user_id: int, channel: Channel) -> bool:
        """Whether this member sees the channel at all; a private thread also needs them added to it."""
        if user_id not in self.members:
            return False
        if not self.channel_permissions_of(user_id, channel) & PERM_VIEW_CHANNEL:
            return False
        return channel.type != PRIVATE_THREAD or user_id in channel.thread_members

    def to_json(self, *, include_state: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": str(self.id),
            "name": self.name,
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "owner_id": str(self.owner_id),
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "roles": [r.to_json() for r in self.roles.values()],
            "emojis": [],
            "features": [],
            "mfa_level": 0,
            "application_id": None,
            "system_channel_id": None,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "vanity_url_code": None,
            "description": None,
            "banner": None,
            "premium_tier": 0,
            "preferred_locale": self.preferred_locale,
            "public_updates_channel_id": None,
            "nsfw_level": 0,
            "stickers": [],
            "premium_progress_bar_enabled": False,
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
        }
        if include_state:
            data.update(
                {
                    "joined_at": iso(datetime.now(UTC)),
                    "large": len(self.members) > 250,
                    "unavailable": False,
                    "member_count": len(self.members),
                    "voice_states": [],
                    "members": [m.to_json() for m in list(self.members.values())[:250]],
                    "channels": [c.to_json() for c in self.channels.values() if not c.is_thread],
                    "threads": [c.to_json() for c in self.channels.values() if c.is_thread],
                    "presences": [],
                }
            )
        return data


@dataclass
class Interaction:
    """One interaction the sandbox sent to the bot, and everything the bot answered to it."""

    id: int
    token: str
    type: int
    user: User
    guild_id: int | None
    channel_id: int
    payload: dict[str, Any]
    created_at: float = field(default_factory=time.monotonic)
    callback_type: int | None = None
    callback_data: dict[str, Any] | None = None
    # When the gateway sent it to the bot, and when the bot's first callback arrived (its acknowledgement).
    sent_at: float | None = None
    responded_at: float | None = None
    # When the answer was final: the first callback unless it deferred, else when the "thinking…"
    # placeholder was first filled in.
    completed_at: float | None = None
    original_message_id: int | None = None
    followup_ids: list[int] = field(default_factory=list)
    # After a deferred update (callback 6): when the component's message was last edited before it, so a
    # driver can tell when the bot has filled the deferral in.
    edits_before_deferral: datetime | None = None


@dataclass
class World:
    """Everything the sandbox knows."""

    bot_user: User
    application_id: int
    ids: Snowflakes = field(default_factory=Snowflakes)
    users: dict[int, User] = field(default_factory=dict)
    guilds: dict[int, Guild] = field(default_factory=dict)
    channels: dict[int, Channel] = field(default_factory=dict)
    messages: dict[int, Message] = field(default_factory=dict)
    interactions: dict[int, Interaction] = field(default_factory=dict)
    interactions_by_token: dict[str, Interaction] = field(default_factory=dict)
    global_commands: list[dict[str, Any]] = field(default_factory=list)
    guild_commands: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    dm_channel_by_user: dict[int, int] = field(default_factory=dict)
    by_channel: dict[int, list[Message]] = field(default_factory=dict)

    def guild_of(self, channel: Channel) -> Guild | None:
        return self.guilds.get(channel.guild_id) if channel.guild_id else None

    def store(self, message: Message) -> None:
        if message.id not in self.messages:
            self.by_channel.setdefault(message.channel_id, []).append(message)
        self.messages[message.id] = message

    def channel_messages(self, channel_id: int) -> list[Message]:
        return [m for m in self.by_channel.get(channel_id, []) if not m.deleted]
