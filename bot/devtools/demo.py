"""`python -m bot sandbox`: a demo community on a local stand-in for Discord, driven from the terminal."""

from __future__ import annotations

import asyncio
import os
import shlex
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from bot.config import Settings
from bot.devtools.harness import Harness, default_sandbox_paths
from bot.logs import setup_logging
from bot.storage.crypto import generate_key
from discord_standin.driver import Actor, DriverError, Reply, buttons, message_text, walk_components
from discord_standin.server import Sandbox
from discord_standin.spec import SPEC_PATH_VARIABLE
from discord_standin.state import Message

HELP = """\
Act as anyone in the demo community "Recovery Circle":
  as alice: /checkin                 run a slash command (options as name:value, quote spaces)
  as alice: /history days:7
  as alice: click Check in           press a button on the last message alice can see
  as alice: dm had a rough morning   send the bot a direct message
  people                             who is here (lee is the peer leader)
  channel                            what the bot posted in #check-ins
  help                               this text
  quit                               stop (Ctrl-D works too)
When the bot opens a form, you'll be asked for each field in turn."""


def _key_for_demo(settings: Settings, key_file: Path) -> list[str]:
    if settings.secret_key is not None:
        return settings.secret_keys()
    if key_file.exists():
        return [key_file.read_text().strip()]
    key_file.parent.mkdir(parents=True, exist_ok=True)
    key = generate_key()
    key_file.write_text(key + "\n")
    os.chmod(key_file, 0o600)
    return [key]


def render_message(message: Message) -> str:
    lines: list[str] = []
    text = message_text(message)
    if text:
        lines.extend("  " + line for line in text.splitlines())
    labels = [f"[{b.get('label')}]" for b in buttons(message)]
    if labels:
        lines.append("  " + " ".join(labels))
    for attachment in message.attachments:
        lines.append(f"  (attachment: {attachment.filename}, {len(attachment.data)} bytes)")
    if message.ephemeral:
        lines.append("  (only you can see this)")
    return "\n".join(lines) or "  (empty)"


def render_reply(reply: Reply) -> str:
    if reply.modal is not None:
        return f"  (a form opened: {reply.modal.get('title')})"
    if reply.type == 8:
        return "  choices: " + ", ".join(str(c.get("name")) for c in reply.choices)
    return "\n\n".join(render_message(m) for m in reply.messages) or "  (the bot acknowledged quietly)"


def parse_options(words: list[str]) -> dict[str, Any]:
    options: dict[str, Any] = {}
    for word in words:
        name, sep, value = word.partition(":")
        if not sep:
            raise DriverError(f"options look like name:value, not {word!r}")
        # Numbers and names are turned into what each option expects by the driver.
        options[name] = value
    return options


class Demo:
    """Reads lines, acts as the named person, and prints what the bot answered."""

    def __init__(self, harness: Harness, lines: AsyncIterator[str]) -> None:
        self.harness = harness
        self.lines = lines
        self.seen: dict[str, Message] = {}

    def out(self, text: str) -> None:
        print(text, flush=True)

    async def ask(self, prompt: str) -> str:
        self.out(prompt)
        try:
            return (await anext(self.lines)).strip()
        except StopAsyncIteration:
            return ""

    async def run(self) -> None:
        self.out(HELP)
        while True:
            self.out("")
            self.out("lantern> ")
            try:
                line = (await anext(self.lines)).strip()
            except StopAsyncIteration:
                return
            if not line or line.startswith("#"):
                continue
            if line in ("quit", "exit"):
                return
            try:
                await self.handle(line)
            except (DriverError, TimeoutError, ValueError) as problem:
                self.out(f"  ! {problem}")
            except Exception as problem:  # the demo keeps going whatever was typed
                self.out(f"  ! that didn't work ({type(problem).__name__}: {problem})")

    async def handle(self, line: str) -> None:
        community = self.harness.community
        assert community is not None
        if line == "help":
            self.out(HELP)
            return
        if line == "people":
            for name in community.people:
                self.out(f"  {name}{' (peer leader)' if name == 'lee' else ''}")
            return
        if line == "channel":
            for message in self.harness.sandbox.world.channel_messages(community.checkin_channel.id):
                if not message.ephemeral:
                    self.out(render_message(message))
            return
        who, sep, action = line.partition(":")
        if not sep or not who.startswith("as "):
            raise DriverError("start with `as NAME:`, e.g. `as alice: /checkin` (type help for more)")
        name = who.removeprefix("as ").strip()
        actor = community.people.get(name)
        if actor is None:
            raise DriverError(f"nobody called {name!r} here; try: {', '.join(community.people)}")
        await self.act(actor, action.strip())

    async def act(self, actor: Actor, action: str) -> None:
        if action.startswith("/"):
            words = shlex.split(action[1:])
            command = [w for w in words if ":" not in w]
            reply = await actor.slash(" ".join(command), **parse_options([w for w in words if ":" in w]))
            await self.show(actor, reply)
        elif action.startswith("click "):
            label = action.removeprefix("click ").strip().strip('"')
            message = self._last_with_button(actor, label)
            await self.show(actor, await actor.click(message, label))
        elif action.startswith("dm "):
            before = len(actor.dms())
            await actor.say(action.removeprefix("dm ").strip())
            try:
                for message in (await actor.wait_dms(before + 1, timeout=3))[before:]:
                    self._remember(actor, message)
                    self.out(render_message(message))
            except TimeoutError:
                self.out("  (no reply)")
        else:
            raise DriverError("after `as NAME:` type a /command, `click LABEL` or `dm TEXT`")

    def _remember(self, actor: Actor, message: Message) -> None:
        if buttons(message):
            self.seen[actor.user.username] = message

    def _last_with_button(self, actor: Actor, label: str) -> Message:
        candidates = [self.seen.get(actor.user.username)]
        community = self.harness.community
        assert community is not None
        candidates += reversed(self.harness.sandbox.world.channel_messages(community.checkin_channel.id))
        candidates += reversed(actor.dms())
        for message in candidates:
            if message is not None and any(b.get("label") == label for b in buttons(message)):
                return message
        raise DriverError(f"no button {label!r} in sight for {actor.user.username}")

    async def show(self, actor: Actor, reply: Reply) -> None:
        await reply.settled()
        for message in reply.messages:
            self._remember(actor, message)
        self.out(render_reply(reply))
        if reply.modal is not None:
            await self.fill(actor, reply.modal)

    async def fill(self, actor: Actor, modal: dict[str, Any]) -> None:
        values: dict[str, Any] = {}
        for row in modal.get("components", []):
            inner = row.get("component") if row.get("type") == 18 else None
            if inner is None:
                continue
            label = row.get("label", "")
            options = inner.get("options", [])
            hint = ""
            if options:
                hint = " / ".join(f"{o['value']}={o['label']}" for o in options)
            kind = inner.get("type")
            if kind == 22:
                answer = await self.ask(f"  {label} (values separated by commas, blank for none) [{hint}]:")
                values[label] = [a.strip() for a in answer.split(",") if a.strip()]
            elif kind == 21:
                values[label] = await self.ask(f"  {label} [{hint}]:") or None
            else:
                optional = " (optional)" if not inner.get("required", True) and "optional" not in label else ""
                answer = await self.ask(f"  {label}{optional}:")
                values[label] = answer
        for component in walk_components(modal.get("components", [])):
            if component.get("type") == 4 and not any(r.get("component") is component for r in modal["components"]):
                values.setdefault(component.get("label", ""), await self.ask(f"  {component.get('label')}:"))
        reply = await actor.submit(modal, values)
        await self.show(actor, reply)


async def _keyboard_lines() -> AsyncIterator[str]:
    loop = asyncio.get_running_loop()
    while True:
        line = await loop.run_in_executor(None, sys.stdin.readline)
        if not line:
            return
        yield line


async def _file_lines(text: str) -> AsyncIterator[str]:
    for line in text.splitlines():
        yield line


def validation_notice(reason: str) -> str:
    """Said once at start when the sandbox can't check requests: what that means and how to turn it on."""
    return (
        f"Note: request validation is off. {reason}, so the sandbox isn't checking what Lantern sends "
        "against Discord's rules; everything else works as usual.\nTo turn it on, pass --spec PATH "
        f"(Discord's specs/openapi.json from github.com/discord/discord-api-spec) or set {SPEC_PATH_VARIABLE}."
    )


async def run_demo(
    settings: Settings, *, port: int, script: Path | None, data_dir: Path, spec: Path | None = None
) -> None:
    """Start the sandbox, the demo community and Lantern, then read commands until the end of input.

    `spec` is Discord's OpenAPI description to check requests against (None: the stand-in's default).
    """
    default_url, key_file = default_sandbox_paths(data_dir)
    database_url = settings.database_url if "database_url" in settings.model_fields_set else default_url
    keys = _key_for_demo(settings, key_file)
    # The demo's own output is the conversation; the bot's routine log lines would only interleave with it.
    log_level = settings.log_level if "log_level" in settings.model_fields_set else "WARNING"
    setup_logging(log_level, keys)
    harness = Harness(database_url, keys, log_level=log_level, force_first_sync=True, sandbox=Sandbox(spec_path=spec))
    await harness.sandbox.start(port=port)
    loop = asyncio.get_running_loop()
    started = loop.time()
    await harness.start()
    print(
        f"Lantern is running against the sandbox at {harness.sandbox.base_url} "
        f"(ready in {loop.time() - started:.2f}s; database {database_url}).",
        flush=True,
    )
    if harness.sandbox.validation_off is not None:
        print(validation_notice(harness.sandbox.validation_off), flush=True)
    lines = _file_lines(await asyncio.to_thread(script.read_text)) if script else _keyboard_lines()
    try:
        await Demo(harness, lines).run()
    finally:
        await harness.stop()
        print("Bye for now.", flush=True)
