"""What one person sees in the stand-in: their servers, channels, threads, DMs and messages, as page JSON."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from discord_standin.driver import Actor, walk_components
from discord_standin.state import (
    DM,
    GUILD_TEXT,
    PRIVATE_THREAD,
    PUBLIC_THREAD,
    Channel,
    Guild,
    Message,
    Role,
    User,
    World,
)

if TYPE_CHECKING:
    from discord_standin.server import RecordedRequest, Sandbox

LOADING = 1 << 7
CHANNEL_KINDS = {GUILD_TEXT: "text", PUBLIC_THREAD: "thread", PRIVATE_THREAD: "private-thread", DM: "dm"}
# Discord's wording for a mention of a channel the reader cannot open.
NO_ACCESS = "No Access"


def display_name(user: User, guild: Guild | None = None) -> str:
    member = guild.members.get(user.id) if guild else None
    return (member.nick if member and member.nick else None) or user.global_name or user.username


def person_json(world: World, user: User) -> dict[str, Any]:
    """A person as the switcher lists them: name, and the roles that say what they may do."""
    roles: list[str] = []
    owner = False
    for guild in world.guilds.values():
        member = guild.members.get(user.id)
        if member is None:
            continue
        owner = owner or guild.owner_id == user.id
        roles += [guild.roles[r].name for r in member.roles if r in guild.roles]
    return {
        "id": str(user.id),
        "username": user.username,
        "name": user.global_name or user.username,
        "bot": user.bot,
        "owner": owner,
        "roles": roles,
    }


def can_view(world: World, user: User, channel: Channel) -> bool:
    if channel.type == DM:
        return any(r.id == user.id for r in channel.recipients)
    guild = world.guild_of(channel)
    return guild is not None and guild.can_view(user.id, channel)


def can_see_message(message: Message, user: User) -> bool:
    """An ephemeral message exists only for the person whose interaction it answered."""
    if message.deleted:
        return False
    if not message.ephemeral:
        return True
    owner = (message.interaction_metadata or {}).get("user", {}).get("id")
    return str(owner) == str(user.id)


def channel_json(channel: Channel, guild: Guild | None = None) -> dict[str, Any]:
    return {
        "id": str(channel.id),
        "name": channel.name,
        "kind": CHANNEL_KINDS.get(channel.type, "other"),
        "parent_id": str(channel.parent_id) if channel.parent_id else None,
        "topic": channel.topic,
        "archived": channel.archived,
        "private": bool(guild and channel.permission_overwrites),
    }


def visible_channels(guild: Guild, user: User) -> list[dict[str, Any]]:
    """Text channels in order, each followed by the threads of it this person is in (or may open)."""
    texts = sorted(
        (c for c in guild.channels.values() if c.type == GUILD_TEXT and guild.can_view(user.id, c)),
        key=lambda c: (c.position, c.id),
    )
    listed: list[dict[str, Any]] = []
    for text in texts:
        listed.append(channel_json(text, guild))
        threads = [
            c for c in guild.channels.values() if c.is_thread and c.parent_id == text.id and guild.can_view(user.id, c)
        ]
        listed += [channel_json(t, guild) for t in sorted(threads, key=lambda c: c.id)]
    return listed


def names_for(world: World, user: User) -> dict[str, dict[str, str]]:
    """How mentions read for this person: users and roles by name, channels they cannot open as No Access."""
    users = {str(u.id): u.global_name or u.username for u in world.users.values()}
    channels: dict[str, str] = {}
    roles: dict[str, str] = {}
    for guild in world.guilds.values():
        for role in guild.roles.values():
            roles[str(role.id)] = role.name
        for channel in guild.channels.values():
            channels[str(channel.id)] = (channel.name or "") if guild.can_view(user.id, channel) else NO_ACCESS
    return {"users": users, "channels": channels, "roles": roles}


def sorted_roles(guild: Guild) -> list[Role]:
    return sorted(guild.roles.values(), key=lambda r: (r.position, r.id))


def state_for(sandbox: Sandbox, user: User) -> dict[str, Any]:
    """Everything the page draws around the messages, for one viewer."""
    world = sandbox.world
    guilds = []
    for guild in world.guilds.values():
        if user.id not in guild.members:
            continue
        typing_in = Actor(sandbox, user, guild, None)
        guilds.append(
            {
                "id": str(guild.id),
                "name": guild.name,
                "channels": visible_channels(guild, user),
                "commands": typing_in.available_commands(),
                # For the pickers Discord shows in command options and select menus.
                "roles": [{"id": str(r.id), "name": r.name} for r in sorted_roles(guild)],
                "members": [
                    {"id": str(m.user.id), "username": m.user.username, "name": display_name(m.user, guild)}
                    for m in guild.members.values()
                ],
            }
        )
    dm_id = world.dm_channel_by_user.get(user.id)
    people = [u for u in world.users.values() if not u.bot]
    return {
        "version": sandbox.version,
        "viewer": person_json(world, user),
        "people": [person_json(world, u) for u in people],
        "bot": person_json(world, world.bot_user),
        "guilds": guilds,
        "dm": {
            "channel_id": str(dm_id) if dm_id else None,
            "commands": Actor(sandbox, user, None, None).available_commands(),
        },
        "names": names_for(world, user),
        "demo_actions": [{"name": a.name, "label": a.label} for a in sandbox.demo_actions.values()],
        "request_count": len(sandbox.requests),
    }


def _used_command(world: World, message: Message) -> str | None:
    """The command a reply answers ("/schedule add"), as Discord shows above the bot's answer."""
    metadata = message.interaction_metadata or {}
    interaction = world.interactions.get(int(metadata.get("id", 0)))
    if interaction is None or interaction.type != 2:
        return None
    data = interaction.payload.get("data", {})
    words = [data.get("name", "")]
    options = data.get("options", [])
    while options and options[0].get("type") in (1, 2):
        words.append(options[0]["name"])
        options = options[0].get("options", [])
    return "/" + " ".join(words)


def message_json(world: World, message: Message, viewer: User) -> dict[str, Any]:
    data = message.to_json()
    metadata = message.interaction_metadata or {}
    data["only_you"] = message.ephemeral
    data["loading"] = bool(message.flags & LOADING)
    data["used"] = _used_command(world, message)
    data["used_by"] = metadata.get("user", {}).get("id")
    data["from_viewer"] = message.author.id == viewer.id
    return data


def messages_for(world: World, channel: Channel, viewer: User, limit: int = 100) -> list[dict[str, Any]]:
    """The channel's last messages as this person sees them, oldest first."""
    visible = [m for m in world.by_channel.get(channel.id, []) if can_see_message(m, viewer)]
    return [message_json(world, m, viewer) for m in visible[-limit:]]


def has_component(message: Message, custom_id: str) -> bool:
    return any(c.get("custom_id") == custom_id for c in walk_components(message.components))


def request_json(index: int, record: RecordedRequest) -> dict[str, Any]:
    return {
        "index": index,
        "method": record.method,
        "path": record.path,
        "template": record.template,
        "query": record.query,
        "status": record.status,
        "checked": record.checked,
        "problems": record.problems,
        "body": record.body,
    }
