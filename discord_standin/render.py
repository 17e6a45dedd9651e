"""Messages as readable terminal text: names for mentions, local times for timestamps, embeds and components."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, tzinfo
from typing import Any

from discord_standin.state import DM, Message, World

# Discord's markup for mentions, timestamps, command mentions and custom emoji.
MENTION = re.compile(r"<(@!?|@&|#)(\d{1,20})>")
TIMESTAMP = re.compile(r"<t:(-?\d{1,20})(?::([tTdDfFR]))?>")
COMMAND_MENTION = re.compile(r"</([^<>:]{1,100}):\d{1,20}>")
CUSTOM_EMOJI = re.compile(r"<a?:(\w{1,32}):\d{1,20}>")

# (seconds, name) from the largest unit down, for "in 3 hours" and "2 days ago".
UNITS = ((365 * 86400, "year"), (30 * 86400, "month"), (86400, "day"), (3600, "hour"), (60, "minute"))

BUTTON = 2
SELECTS = {3: "", 5: "a member", 6: "a role", 7: "someone", 8: "a channel"}
TEXT_DISPLAY = 10
SEPARATOR = 14
PICTURES = {11: "(a picture)", 12: "(pictures)", 13: "(a file)"}
MODAL_ONLY = {4, 18, 21, 22, 23}  # text inputs, labels, radio and checkbox groups: never on messages


def format_time(moment: datetime, style: str, now: datetime) -> str:
    """A moment as Discord shows `<t:…:STYLE>`, in the zone `moment` carries (24-hour clock, day first)."""
    day = f"{moment.day} {moment:%B %Y}"
    clock = f"{moment:%H:%M}"
    if style == "t":
        return clock
    if style == "T":
        return f"{moment:%H:%M:%S}"
    if style == "d":
        return f"{moment:%d/%m/%Y}"
    if style == "D":
        return day
    if style == "F":
        return f"{moment:%A} {day} {clock}"
    if style == "R":
        return relative(moment, now)
    return f"{day} {clock}"


def relative(moment: datetime, now: datetime) -> str:
    seconds = (moment - now).total_seconds()
    size = abs(seconds)
    for unit_seconds, name in UNITS:
        if size >= unit_seconds:
            count = round(size / unit_seconds)
            amount = f"{count} {name}{'' if count == 1 else 's'}"
            return f"in {amount}" if seconds > 0 else f"{amount} ago"
    return "in a few seconds" if seconds > 0 else "a few seconds ago"


class Renderer:
    """Turns what the bot posted into lines a person can read in a terminal, looking names up in the world."""

    def __init__(self, world: World, zone: tzinfo = UTC, now: Callable[[], datetime] | None = None) -> None:
        self.world = world
        # The zone times are shown in; the demo moves it when the community's timezone changes.
        self.zone = zone
        self.now = now or (lambda: datetime.now(UTC))

    # ----- names -----------------------------------------------------------------------------------

    def user_name(self, user_id: int, guild_id: int | None = None) -> str:
        """The name Discord would show: the server nickname, else the display name, else the username."""
        guild = self.world.guilds.get(guild_id) if guild_id else None
        member = guild.members.get(user_id) if guild else None
        if member is not None and member.nick:
            return member.nick
        user = self.world.users.get(user_id)
        if user is None:
            return "unknown-user"
        return user.global_name or user.username

    def channel_name(self, channel_id: int) -> str:
        channel = self.world.channels.get(channel_id)
        if channel is None:
            return "#unknown-channel"
        if channel.type == DM:
            names = ", ".join(u.global_name or u.username for u in channel.recipients)
            return f"DM with {names}" if names else "a DM"
        return f"#{channel.name}"

    def role_name(self, role_id: int) -> str:
        for guild in self.world.guilds.values():
            role = guild.roles.get(role_id)
            if role is not None:
                return role.name if role.name.startswith("@") else f"@{role.name}"
        return "@deleted-role"

    # ----- text ------------------------------------------------------------------------------------

    def text(self, content: str, guild_id: int | None = None) -> str:
        """Content with mentions, timestamps, command mentions and custom emoji made readable."""

        def mention(match: re.Match[str]) -> str:
            kind, number = match.group(1), int(match.group(2))
            if kind == "#":
                return self.channel_name(number)
            if kind == "@&":
                return self.role_name(number)
            return "@" + self.user_name(number, guild_id)

        def timestamp(match: re.Match[str]) -> str:
            try:
                moment = datetime.fromtimestamp(int(match.group(1)), UTC).astimezone(self.zone)
                return format_time(moment, match.group(2) or "f", self.now().astimezone(self.zone))
            except (OverflowError, ValueError, OSError):
                return match.group(0)  # out of any calendar's range: Discord shows such a code as typed

        content = MENTION.sub(mention, content)
        content = TIMESTAMP.sub(timestamp, content)
        content = COMMAND_MENTION.sub(lambda m: "/" + m.group(1), content)
        return CUSTOM_EMOJI.sub(lambda m: f":{m.group(1)}:", content)

    def message(self, message: Message) -> list[str]:
        """The message's content, embeds and components, one list item per printed line (no attachments)."""
        guild_id = message.guild_id or self._guild_of(message.channel_id)
        lines = self.text(message.content, guild_id).splitlines()
        for embed in message.embeds:
            lines.extend(self.embed(embed, guild_id))
        lines.extend(self.components(message.components, guild_id))
        return lines

    def _guild_of(self, channel_id: int) -> int | None:
        channel = self.world.channels.get(channel_id)
        return channel.guild_id if channel is not None else None

    def embed(self, embed: Any, guild_id: int | None = None) -> list[str]:
        if not isinstance(embed, dict):
            return []
        lines: list[str] = []
        author = embed.get("author")
        if isinstance(author, dict) and author.get("name"):
            lines.append(self.text(str(author["name"]), guild_id))
        for key in ("title", "description"):
            if embed.get(key):
                lines.extend(self.text(str(embed[key]), guild_id).splitlines())
        fields = embed.get("fields")
        for field in fields if isinstance(fields, list) else []:
            if isinstance(field, dict):
                name = self.text(str(field.get("name", "")), guild_id)
                value = self.text(str(field.get("value", "")), guild_id).splitlines() or [""]
                lines.append(f"{name}: {value[0]}")
                lines.extend(value[1:])
        footer = embed.get("footer")
        if isinstance(footer, dict) and footer.get("text"):
            lines.append(f"({self.text(str(footer['text']), guild_id)})")
        return lines

    def components(self, components: Any, guild_id: int | None = None) -> list[str]:
        """Buttons as `[Label]` (a row of them on one line), selects with their options, text displays."""
        lines: list[str] = []
        row: list[str] = []
        for component in components if isinstance(components, list) else []:
            if not isinstance(component, dict):
                continue
            kind = component.get("type")
            if kind == BUTTON:
                row.append(self.button(component))
                continue
            if row:
                lines.append(" ".join(row))
                row = []
            if kind in SELECTS:
                lines.extend(self.select(component))
            elif kind == TEXT_DISPLAY:
                lines.extend(self.text(str(component.get("content", "")), guild_id).splitlines())
            elif kind == SEPARATOR:
                lines.append("—")
            elif kind in PICTURES:
                lines.append(PICTURES[kind])
            elif kind not in MODAL_ONLY:
                # Rows, containers and sections: their children, then a section's accessory button.
                lines.extend(self.components(component.get("components"), guild_id))
                accessory = component.get("accessory")
                if isinstance(accessory, dict):
                    lines.extend(self.components([accessory], guild_id))
        if row:
            lines.append(" ".join(row))
        return lines

    @staticmethod
    def button(button: dict[str, Any]) -> str:
        emoji = button.get("emoji")
        emoji_name = emoji.get("name") if isinstance(emoji, dict) else None
        label = " ".join(str(part) for part in (emoji_name, button.get("label")) if part) or "button"
        if button.get("url"):
            label += f" → {button['url']}"
        if button.get("disabled"):
            label += " (disabled)"
        return f"[{label}]"

    @staticmethod
    def select(menu: dict[str, Any]) -> list[str]:
        what = SELECTS.get(menu["type"]) if isinstance(menu.get("type"), int) else None
        placeholder = menu.get("placeholder") or f"Pick {what or 'one'}"
        lines = [f"[Select: {placeholder}]"]
        options = menu.get("options")
        labels = [str(o.get("label", "")) for o in options if isinstance(o, dict)] if isinstance(options, list) else []
        if labels:
            lines.append("  options: " + " / ".join(labels))
        return lines
