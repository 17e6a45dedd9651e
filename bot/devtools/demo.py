"""`python -m bot sandbox`: a demo community on a local stand-in for Discord, driven from the terminal."""

from __future__ import annotations

import asyncio
import os
import shlex
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.config import Settings
from bot.devtools.demo_announce import Announcer
from bot.devtools.demo_clock import DemoClock, DemoTime, demo_time_for, offer_demo_actions
from bot.devtools.demo_input import keyboard_lines, script_lines
from bot.devtools.demo_seed import seed_demo
from bot.devtools.demo_show import Shows
from bot.devtools.demo_view import View
from bot.devtools.harness import Harness, default_sandbox_paths
from bot.logs import setup_logging
from bot.stopping import run_until_stopped
from bot.storage.crypto import generate_key
from discord_standin.driver import Actor, DriverError, Reply, buttons, prefilled, walk_components
from discord_standin.server import Sandbox
from discord_standin.spec import SPEC_PATH_VARIABLE
from discord_standin.state import PRIVATE_THREAD, Message

FILES_DIR = Path("data") / "sandbox-files"
CLOCK_ACTIONS = {"next": "next_prompt", "tomorrow": "tomorrow_morning", "partners": "partner_round"}

HELP = """\
Act as anyone in the demo community "Recovery Circle":
  as alice: /checkin                 run a slash command (options as name:value, quote spaces)
  as alice: /history days:30         alice has a few weeks of check-ins; her chart is saved as a file
  as alice: click Check in           press a button on the newest message alice can see
  as alice: dm had a rough morning   send the bot a direct message
  as alice: show #check-ins          any `show` below as alice sees it, her private replies too
See what's there:
  show #check-ins                    the last messages in a channel (#leaders gets the leaders' alerts)
  show dms alice                     alice's direct messages with the bot
  show thread                        the threads (partner rounds make private ones); show thread alice
Move the demo's clock (only forward):
  clock                              the demo's time
  clock next                         send the next check-in prompt now
  clock tomorrow                     jump to tomorrow 9:00
  clock partners                     run the partner round now
Also:
  people                             who is here (lee is the peer leader)
  help                               this text
  quit                               stop (Ctrl-D works too)
What the bot posts is printed as it arrives. When it opens a form, you'll be asked for each field in turn."""


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


def print_line(text: str) -> None:
    print(text, flush=True)


def describe_reply(reply: Reply) -> str | None:
    """A reply that is not a message: a form opening, autocomplete choices, or a quiet acknowledgement."""
    if reply.modal is not None:
        return f"  (a form opened: {reply.modal.get('title')})"
    if reply.type == 8:
        return "  choices: " + ", ".join(str(c.get("name")) for c in reply.choices)
    if not reply.messages:
        return "  (the bot acknowledged quietly)"
    return None


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
    """Reads lines, acts as the named person, and prints what the bot answered and what it posts meanwhile."""

    def __init__(
        self,
        harness: Harness,
        lines: AsyncIterator[str],
        *,
        root: Path,
        demo_time: DemoTime | None = None,
        out: Callable[[str], None] = print_line,
    ) -> None:
        community = harness.community
        assert community is not None, "the demo needs the harness's demo community"
        self.harness = harness
        self.community = community
        self.lines = lines
        self.demo_time = demo_time
        self.out = out
        self.view = View(harness.sandbox, out=out, files=root / FILES_DIR, root=root, now=harness.clock)
        self.shows = Shows(community, self.view)
        self.announcer = Announcer(self.view, self.refresh_zone)

    async def ask(self, prompt: str) -> str:
        self.out(prompt)
        try:
            return (await anext(self.lines)).strip()
        except StopAsyncIteration:
            return ""

    async def refresh_zone(self) -> None:
        """Times read in the community's timezone once it has one (a leader may change it at any time)."""
        services = self.harness.services
        if services is None:
            return
        stored = await services.db.communities.get(self.community.guild.id)
        if stored is not None and stored.setup_at is not None:
            self.view.renderer.zone = ZoneInfo(stored.timezone)

    async def run(self) -> None:
        self.out(HELP)
        self.announcer.start()
        try:
            while True:
                await self.announcer.resume()
                self.out("")
                self.out("lantern> ")
                try:
                    line = (await anext(self.lines)).strip()
                except StopAsyncIteration:
                    return
                await self.announcer.pause()
                if not line or line.startswith("#"):
                    continue
                if line in ("quit", "exit"):
                    return
                try:
                    await self.refresh_zone()
                    await self.handle(line)
                except (DriverError, TimeoutError, ValueError) as problem:
                    self.out(f"  ! {problem}")
                except Exception as problem:  # the demo keeps going whatever was typed
                    self.out(f"  ! that didn't work ({type(problem).__name__}: {problem})")
        finally:
            await self.announcer.stop()

    async def handle(self, line: str) -> None:
        command, _, rest = line.partition(" ")
        if line == "help":
            self.out(HELP)
        elif line == "people":
            for name in self.community.people:
                self.out(f"  {name}{' (peer leader)' if name == 'lee' else ''}")
        elif line == "channel":  # the older spelling of `show #check-ins`
            await self.shows.show(["#check-ins"])
        elif command == "show":
            await self.shows.show(rest.split())
        elif command == "clock":
            await self.clock(rest.split())
        else:
            who, sep, action = line.partition(":")
            if not sep or not who.startswith("as "):
                raise DriverError("start with `as NAME:`, e.g. `as alice: /checkin` (type help for more)")
            name = who.removeprefix("as ").strip()
            actor = self.community.people.get(name)
            if actor is None:
                raise DriverError(f"nobody called {name!r} here; try: {', '.join(self.community.people)}")
            await self.act(actor, action.strip())

    async def clock(self, words: list[str]) -> None:
        if self.demo_time is None:
            raise DriverError("the demo's clock isn't running here")
        if not words:
            self.out("  " + await self.demo_time.status())
            return
        action = CLOCK_ACTIONS.get(words[0]) if len(words) == 1 else None
        if action is None:
            raise DriverError("try clock, clock next, clock tomorrow or clock partners")
        try:
            said = await self.harness.sandbox.run_demo_action(action)
        except KeyError:
            raise DriverError("the demo's clock offers no such action here") from None
        self.out("  " + said)

    async def act(self, actor: Actor, action: str) -> None:
        if action.startswith("/"):
            words = shlex.split(action[1:])
            command = [w for w in words if ":" not in w]
            reply = await actor.slash(" ".join(command), **parse_options([w for w in words if ":" in w]))
            await self.answer(actor, reply)
        elif action.startswith("click "):
            label = action.removeprefix("click ").strip().strip('"')
            message = self._newest_with_button(actor, label)
            await self.answer(actor, await actor.click(message, label))
        elif action.startswith("dm "):
            before = len(actor.dms())
            await actor.say(action.removeprefix("dm ").strip())
            try:
                for message in (await actor.wait_dms(before + 1, timeout=3))[before:]:
                    await self.view.reply(message)
            except TimeoutError:
                self.out("  (no reply)")
        elif action == "show" or action.startswith("show "):
            await self.shows.show(action.split()[1:], viewer=actor)
        else:
            raise DriverError("after `as NAME:` type a /command, `click LABEL`, `dm TEXT` or `show ...`")

    def _newest_with_button(self, actor: Actor, label: str) -> Message:
        """The newest message this person can see (their DMs, the server's channels, their threads) with it."""
        world = self.harness.sandbox.world
        channels = [
            c.id
            for c in self.community.guild.channels.values()
            if c.type != PRIVATE_THREAD or actor.user.id in c.thread_members
        ]
        dm = world.dm_channel_by_user.get(actor.user.id)
        messages = [
            m
            for channel_id in [*channels, *([dm] if dm else [])]
            for m in world.channel_messages(channel_id)
            if self.shows.visible(m, actor)
        ]
        for message in sorted(messages, key=lambda m: m.id, reverse=True):
            if any(b.get("label") == label for b in buttons(message)):
                return message
        raise DriverError(f"no button {label!r} in sight for {actor.user.username}")

    async def answer(self, actor: Actor, reply: Reply) -> None:
        """Print the bot's answer to what was just typed; fill in a form if it opened one."""
        await reply.settled()
        described = describe_reply(reply)
        if described is not None:
            self.out(self.view.renderer.text(described))
        for index, message in enumerate(reply.messages):
            if index:
                self.out("")
            await self.view.reply(message)
        if reply.modal is not None:
            await self.fill(actor, reply.modal)

    async def fill(self, actor: Actor, modal: dict[str, Any]) -> None:
        values: dict[str, Any] = {}
        readable = self.view.renderer.text
        for row in modal.get("components", []):
            inner = row.get("component") if row.get("type") == 18 else None
            if inner is None:
                continue
            # The form is filled by its labels as the bot wrote them, and asked about as a person reads them.
            label = row.get("label", "")
            shown = readable(label)
            options = inner.get("options", [])
            hint = ""
            if options:
                hint = " / ".join(f"{o['value']}={readable(o['label'])}" for o in options)
            kind = inner.get("type")
            # A form that opens filled in (today's check-in, being updated) keeps a field left blank as it was.
            now = prefilled(inner)
            keeps = f" (now: {readable(shown_value(inner, now))}; Enter keeps it)" if now else ""
            if kind == 22:
                blank = "blank keeps it, none clears it" if now else "blank for none"
                ticked = f" (now: {readable(shown_value(inner, now))})" if now else ""
                answer = await self.ask(f"  {shown}{ticked} (values separated by commas, {blank}) [{hint}]:")
                if now and not answer:
                    continue
                values[label] = [a.strip() for a in answer.split(",") if a.strip() and a.strip() != "none"]
            elif kind == 21:
                answer = await self.ask(f"  {shown}{keeps} [{hint}]:")
                if now and not answer:
                    continue
                values[label] = answer or None
            else:
                optional = " (optional)" if not inner.get("required", True) and "optional" not in label else ""
                answer = await self.ask(f"  {shown}{optional}{keeps}:")
                if now and not answer:
                    continue
                values[label] = answer
        for component in walk_components(modal.get("components", [])):
            if component.get("type") == 4 and not any(r.get("component") is component for r in modal["components"]):
                values.setdefault(component.get("label", ""), await self.ask(f"  {component.get('label')}:"))
        reply = await actor.submit(modal, values)
        await self.answer(actor, reply)


def shown_value(component: dict[str, Any], value: str | list[str]) -> str:
    """A prefilled answer as the form shows it: option labels, or the text itself."""
    labels = {o["value"]: o["label"] for o in component.get("options", [])}
    picked = [value] if isinstance(value, str) else value
    return ", ".join(labels.get(v, v) for v in picked)


def validation_notice(reason: str) -> str:
    """Said once at start when the sandbox can't check requests: what that means and how to turn it on."""
    return (
        f"Note: request validation is off. {reason}, so the sandbox isn't checking what Lantern sends "
        "against Discord's rules; everything else works as usual.\nTo turn it on, pass --spec PATH "
        f"(Discord's specs/openapi.json from github.com/discord/discord-api-spec) or set {SPEC_PATH_VARIABLE}."
    )


async def run_demo(
    settings: Settings,
    *,
    port: int,
    script: Path | None,
    data_dir: Path,
    spec: Path | None = None,
    terminal: bool = True,
) -> None:
    """Start the sandbox, the demo community and Lantern on the demo's clock; then read commands until the end
    of input, or (without the terminal) serve until Ctrl-C or SIGTERM.

    `spec` is Discord's OpenAPI description to check requests against (None: the stand-in's default).
    """
    default_url, key_file = default_sandbox_paths(data_dir)
    # Saved files go under the data folder, printed relative to the folder the demo was started from.
    root = data_dir.parent
    database_url = settings.database_url if "database_url" in settings.model_fields_set else default_url
    keys = _key_for_demo(settings, key_file)
    # The demo's own output is the conversation; the bot's routine log lines would only interleave with it.
    log_level = settings.log_level if "log_level" in settings.model_fields_set else "WARNING"
    setup_logging(log_level, keys)
    clock = DemoClock()
    # The demo's clock moves, so the demo runs Lantern's timers itself (DemoTime's ticker).
    harness = Harness(
        database_url,
        keys,
        clock=clock,
        run_timers=False,
        log_level=log_level,
        force_first_sync=True,
        sandbox=Sandbox(spec_path=spec),
    )
    demo_time = demo_time_for(harness, clock)
    await harness.sandbox.start(port=port)
    loop = asyncio.get_running_loop()
    started = loop.time()
    try:
        await harness.start()
        assert harness.services is not None
        assert harness.community is not None
        await seed_demo(harness.services, harness.community, clock())
        offer_demo_actions(harness.sandbox, demo_time)
        demo_time.start()
        print_line(
            f"Lantern is running against the sandbox at {harness.sandbox.base_url} "
            f"(ready in {loop.time() - started:.2f}s; database {database_url})."
        )
        print_line(f"Open {harness.sandbox.base_url}/ in your browser to see the demo community there too.")
        if harness.sandbox.validation_off is not None:
            print_line(validation_notice(harness.sandbox.validation_off))
        if terminal:
            lines = script_lines(await asyncio.to_thread(script.read_text)) if script else keyboard_lines()
            await run_until_stopped(Demo(harness, lines, root=root, demo_time=demo_time).run())
        else:
            print_line("Serving until you press Ctrl-C.")
            await run_until_stopped()
    finally:
        await demo_time.stop()
        await harness.stop()
        print_line("Bye for now.")
