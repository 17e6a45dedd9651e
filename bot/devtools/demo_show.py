"""The terminal's `show` commands: a channel's last messages, a member's DMs with the bot, and threads."""

from __future__ import annotations

from bot.devtools.demo_view import View
from bot.devtools.harness import Community
from discord_standin.driver import Actor, DriverError
from discord_standin.state import PRIVATE_THREAD, Channel, Message

SHOW_LAST = 10
USAGE = "show #check-ins, show #leaders, show dms NAME, show thread or show thread NAME"


class Shows:
    """What is in the demo community, as an onlooker sees it, or as one person does (`as alice: show ...`)."""

    def __init__(self, community: Community, view: View) -> None:
        self.community = community
        self.view = view
        self.world = view.world

    async def show(self, words: list[str], viewer: Actor | None = None) -> None:
        if not words:
            raise DriverError(f"show what? Try {USAGE}.")
        what, rest = words[0].lower(), words[1:]
        if what in ("dms", "dm"):
            if len(rest) != 1:
                raise DriverError("whose DMs? e.g. `show dms alice`")
            await self.dms(rest[0])
        elif what in ("thread", "threads"):
            await self.threads(" ".join(rest), viewer)
        elif not rest:
            await self.channel(what, viewer)
        else:
            raise DriverError(f"I can show {USAGE}.")

    def visible(self, message: Message, viewer: Actor | None) -> bool:
        """Ephemeral messages are shown only to their owner: an onlooker sees none of them."""
        if message.deleted:
            return False
        owner = self.view.owner(message)
        return not message.ephemeral or (viewer is not None and owner == viewer.user.id)

    async def _last(self, channel: Channel, viewer: Actor | None, title: str) -> None:
        messages = [m for m in self.world.channel_messages(channel.id) if self.visible(m, viewer)]
        if not messages:
            self.view.out(f"{title}: nothing here yet.")
            return
        shown = messages[-SHOW_LAST:]
        more = f" (the last {len(shown)} of {len(messages)})" if len(shown) < len(messages) else ""
        self.view.out(f"{title}{more}:")
        for message in shown:
            await self.view.post(message)

    async def channel(self, name: str, viewer: Actor | None) -> None:
        wanted = name.lstrip("#")
        channels = [c for c in self.community.guild.channels.values() if not c.is_thread]
        channel = next((c for c in channels if c.name == wanted), None)
        if channel is None:
            names = ", ".join(f"#{c.name}" for c in channels)
            raise DriverError(f"no channel called #{wanted}; there's {names} (or try {USAGE})")
        await self._last(channel, viewer, f"#{channel.name}")

    async def dms(self, name: str) -> None:
        person = self.community.people.get(name)
        if person is None:
            raise DriverError(f"nobody called {name!r} here; try: {', '.join(self.community.people)}")
        channel_id = self.world.dm_channel_by_user.get(person.user.id)
        if channel_id is None:
            self.view.out(f"No DMs between {name} and Lantern yet.")
            return
        await self._last(self.world.channels[channel_id], None, f"DMs between {name} and Lantern")

    def _threads(self, viewer: Actor | None) -> list[Channel]:
        threads = [c for c in self.community.guild.channels.values() if c.is_thread]
        if viewer is not None:
            # A private thread shows only to the people in it.
            threads = [t for t in threads if t.type != PRIVATE_THREAD or viewer.user.id in t.thread_members]
        return sorted(threads, key=lambda t: t.id)

    def _people_in(self, thread: Channel) -> str:
        bot_id = self.world.bot_user.id
        names = [self.world.users[u].username for u in sorted(thread.thread_members) if u != bot_id]
        return ", ".join(names) or "nobody yet"

    async def threads(self, which: str, viewer: Actor | None) -> None:
        threads = self._threads(viewer)
        if not threads and viewer is not None and self._threads(None):
            self.view.out(
                f"No threads {viewer.user.username} can see yet: partner threads are private to the partners."
            )
            return
        if not threads:
            self.view.out(
                "No threads yet. Partner rounds make private ones: once a leader has run /partners config, "
                "try `clock partners`."
            )
            return
        if not which:
            self.view.out("Threads (show one with `show thread NUMBER` or `show thread NAME`):")
            for number, thread in enumerate(threads, start=1):
                kind = "private" if thread.type == PRIVATE_THREAD else "public"
                count = len(self.world.channel_messages(thread.id))
                self.view.out(
                    f"  {number}. {self.view.place(thread)} ({kind}; {self._people_in(thread)}; "
                    f"{count} message{'' if count == 1 else 's'})"
                )
            return
        thread = self._pick(threads, which)
        await self._last(thread, viewer, f"{self.view.place(thread)} ({self._people_in(thread)})")

    def _pick(self, threads: list[Channel], which: str) -> Channel:
        """By its number in the list, by a person in it, or by (part of) its name; the newest match."""
        if which.isdigit() and 1 <= int(which) <= len(threads):
            return threads[int(which) - 1]
        person = self.community.people.get(which)
        matches = (
            [t for t in threads if person.user.id in t.thread_members]
            if person is not None
            else [t for t in threads if which.lower() in (t.name or "").lower()]
        )
        if not matches:
            raise DriverError(f"no thread matches {which!r}; `show thread` lists them")
        return matches[-1]
