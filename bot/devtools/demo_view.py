"""How the terminal demo prints what people see: readable text, attachments saved as files, each post once."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from datetime import UTC, datetime, tzinfo
from pathlib import Path, PurePosixPath

import aiohttp

from discord_standin.driver import fetch_attachment
from discord_standin.render import Renderer
from discord_standin.server import Sandbox
from discord_standin.state import DM, Attachment, Channel, Message

UNSAFE_IN_FILE_NAMES = re.compile(r"[^A-Za-z0-9._-]+")


def machine_zone() -> tzinfo:
    """The zone this machine's clock is set to."""
    return datetime.now().astimezone().tzinfo or UTC


class View:
    """Prints messages for the terminal and remembers which it printed, so none is announced twice."""

    def __init__(
        self,
        sandbox: Sandbox,
        *,
        out: Callable[[str], None],
        files: Path,
        root: Path,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.sandbox = sandbox
        self.world = sandbox.world
        self.out = out
        self.files = files
        self.root = root
        self.now = now
        # Until the community has a timezone, times read in the machine's own.
        self.renderer = Renderer(sandbox.world, machine_zone(), now)
        self.printed: set[int] = set()

    # ----- who and where ---------------------------------------------------------------------------

    def author(self, message: Message) -> str:
        return self.renderer.user_name(message.author.id, message.guild_id)

    def owner(self, message: Message) -> int | None:
        """Who alone sees an ephemeral message (the person whose interaction it answers)."""
        user = (message.interaction_metadata or {}).get("user") or {}
        return int(user["id"]) if message.ephemeral and "id" in user else None

    def where(self, message: Message) -> str:
        """`#check-ins`, `#partners › Partners · round 1`, or `DM to alice` / `DM from alice`."""
        channel = self.world.channels.get(message.channel_id)
        if channel is None:
            return "a channel that's gone"
        if channel.type == DM:
            person = channel.recipients[0].username if channel.recipients else "someone"
            return f"DM {'to' if message.author.id == self.world.bot_user.id else 'from'} {person}"
        return self.place(channel)

    def place(self, channel: Channel) -> str:
        """A server channel's name, or a thread's with its channel's: `#check-ins › Partners · round 1`."""
        if channel.is_thread and channel.parent_id is not None:
            return f"{self.renderer.channel_name(channel.parent_id)} › {channel.name}"
        return self.renderer.channel_name(channel.id)

    def _file_owner(self, message: Message) -> str:
        owner = self.owner(message)
        if owner is not None and owner in self.world.users:
            return self.world.users[owner].username
        channel = self.world.channels.get(message.channel_id)
        if channel is not None and channel.type == DM and channel.recipients:
            return channel.recipients[0].username
        return (channel.name if channel is not None else None) or "channel"

    # ----- printing --------------------------------------------------------------------------------

    async def reply(self, message: Message, indent: str = "  ") -> None:
        """A message answering what was just typed: its lines, its files, and who alone can see it."""
        lines = self.renderer.message(message)
        if not lines and not message.attachments:
            lines = ["(empty)"]
        for line in lines:
            self.out(indent + line)
        await self.save_attachments(message, indent)
        if message.ephemeral:
            self.out(indent + "(only you can see this)")
        self.printed.add(message.id)

    async def post(self, message: Message, heading: str | None = None) -> None:
        """A message as a line of a conversation: `[#check-ins] Lantern: ...`, further lines indented."""
        lines = self.renderer.message(message) or ([] if message.attachments else ["(empty)"])
        first = f"{self.author(message)}:" + (f" {lines[0]}" if lines else "")
        self.out(f"[{heading}] {first}" if heading else first)
        for line in lines[1:]:
            self.out("  " + line)
        await self.save_attachments(message, "  ")
        owner = self.owner(message)
        if owner is not None:
            self.out(f"  (only {self.renderer.user_name(owner)} can see this)")
        self.printed.add(message.id)

    async def save_attachments(self, message: Message, indent: str) -> None:
        for attachment in message.attachments:
            self.out(indent + await self.save(message, attachment))

    async def save(self, message: Message, attachment: Attachment) -> str:
        """Download the attachment as any client would, into the files folder; say where it went."""
        name = PurePosixPath(attachment.filename)
        day = self.now().astimezone(self.renderer.zone).date().isoformat()
        stem = UNSAFE_IN_FILE_NAMES.sub("-", f"{self._file_owner(message)}-{name.stem}-{day}")
        path = self.files / (stem + UNSAFE_IN_FILE_NAMES.sub("", name.suffix))
        what = "chart" if (attachment.content_type or "").startswith("image/") else "file"
        try:
            data = await fetch_attachment(attachment.url)
            await asyncio.to_thread(self.files.mkdir, parents=True, exist_ok=True)
            await asyncio.to_thread(path.write_bytes, data)
        except (aiohttp.ClientError, OSError) as problem:
            return f"(couldn't save {attachment.filename}: {problem})"
        shown = path.relative_to(self.root) if path.is_relative_to(self.root) else path
        return f"{what} saved: {shown}"
